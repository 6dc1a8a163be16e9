/**
 * The output of a `policy` gate: the verdict sentence first, then the evidence — the expression,
 * the values of the context it read, and the manifest it judged. Pure.
 */
import { POLICY_DECLARATION, type PolicyContext, type PolicyType } from "./context.js";
import type { PolicyEvaluation } from "./policy.js";

/** Most lines of values read listed before the rest is counted. */
const MAX_READ_LINES = 60;
/** Longest expression quoted in the first line. */
const MAX_QUOTED = 120;

/** What {@link formatPolicyOutput} shows. */
export interface PolicyOutputInput {
  expression: string;
  /** The gate's `message`, what a failure says to people. */
  message?: string | undefined;
  evaluation: PolicyEvaluation;
  context: PolicyContext;
  /** Paths the expression reads (`CompiledPolicy.reads`). */
  reads: readonly string[];
}

/** `policy "manifest.all(c, c.sbom)"`, on one line and clipped. */
function quoted(expression: string): string {
  const flat = expression.replace(/\s+/g, " ").trim();
  return `policy "${flat.length > MAX_QUOTED ? `${flat.slice(0, MAX_QUOTED - 1)}…` : flat}"`;
}

/**
 * The first line: the gate's message (or what the expression came to) and the verdict:
 * `every component needs an SBOM: fail`, `policy "…" is false: fail`, `policy "…": error (1:6: …)`.
 */
export function policySentence(
  expression: string,
  message: string | undefined,
  evaluation: PolicyEvaluation,
): string {
  switch (evaluation.verdict) {
    case "pass":
      return `${message ?? `${quoted(expression)} is true`}: pass`;
    case "fail":
      return `${message ?? `${quoted(expression)} is false`}: fail`;
    case "error":
      return `${message ?? quoted(expression)}: error (${evaluation.message})`;
    default: {
      const unreachable: never = evaluation;
      return String(unreachable);
    }
  }
}

/** A CEL duration literal for milliseconds: `duration("1h30m")`. */
function celDuration(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  let seconds = Math.abs(ms) / 1000;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const parts = [hours ? `${hours}h` : "", minutes ? `${minutes}m` : "", seconds ? `${seconds}s` : ""].join(
    "",
  );
  return `duration("${sign}${parts || "0s"}")`;
}

/** A value as CEL would write it, given its declared type. */
function render(value: unknown, type: PolicyType | null): string {
  if (type?.kind === "timestamp") return `timestamp("${String(value)}")`;
  if (type?.kind === "duration") return celDuration(value as number);
  if (type?.kind === "list" && Array.isArray(value)) {
    return `[${value.map((v) => render(v, type.element)).join(", ")}]`;
  }
  if (type?.kind === "object" && value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const fields = Object.entries(type.fields).map(([k, t]) => `${k}: ${render(record[k], t)}`);
    return `{${fields.join(", ")}}`;
  }
  if (type?.kind === "map" && value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${render(v, type.value)}`).join(", ")}}`;
  }
  return JSON.stringify(value) ?? String(value);
}

/** What names a list element in the evidence: a component, a finding, a wave. */
function identity(element: unknown, index: number): string {
  if (element !== null && typeof element === "object") {
    const record = element as Record<string, unknown>;
    if (typeof record.id === "string" && typeof record.component === "string") {
      return `${record.id} in ${record.component}`;
    }
    for (const key of ["component", "name", "id"]) {
      if (typeof record[key] === "string") return record[key] as string;
    }
  }
  return String(index);
}

/** A list of records read whole (`manifest.size()`): how many, and which. */
function listed(value: unknown): string {
  const list = Array.isArray(value) ? value : [];
  if (list.length === 0) return "[]";
  const names = list.slice(0, 10).map(identity);
  const more = list.length > 10 ? `, … ${list.length - 10} more` : "";
  return `${list.length} element${list.length === 1 ? "" : "s"}: ${names.join(", ")}${more}`;
}

const SEGMENT = /\[\]|\{[^}]*\}|[^.[{]+/g;

/** `manifest[db].sbom = false` for every element a path reaches. */
function walk(
  value: unknown,
  type: PolicyType | null,
  segments: readonly string[],
  label: string,
  out: string[],
): void {
  const [segment, ...rest] = segments;
  if (segment === undefined) {
    out.push(
      `${label} = ${type?.kind === "list" && type.element.kind === "object" ? listed(value) : render(value, type)}`,
    );
    return;
  }
  if (segment === "[]") {
    const list = Array.isArray(value) ? value : [];
    if (list.length === 0) out.push(`${label} = []`);
    const element = type?.kind === "list" ? type.element : null;
    list.forEach((item, i) => {
      walk(item, element, rest, `${label}[${identity(item, i)}]`, out);
    });
    return;
  }
  const record = (value ?? {}) as Record<string, unknown>;
  const inner = type?.kind === "map" ? type.value : null;
  if (segment === "{}") {
    const entries = Object.entries(record);
    if (entries.length === 0) out.push(`${label} = {}`);
    for (const [key, item] of entries) walk(item, inner, rest, `${label}[${JSON.stringify(key)}]`, out);
    return;
  }
  if (segment.startsWith("{")) {
    const key = segment.slice(1, -1);
    const at = `${label}[${JSON.stringify(key)}]`;
    if (!Object.hasOwn(record, key)) out.push(`${at} is absent`);
    else walk(record[key], inner, rest, at, out);
    return;
  }
  const field = type?.kind === "object" ? (type.fields[segment] ?? null) : null;
  walk(record[segment], field, rest, label ? `${label}.${segment}` : segment, out);
}

/** The values of the context at each path read, one line per value reached. */
export function valuesRead(context: PolicyContext, reads: readonly string[]): string[] {
  const lines: string[] = [];
  for (const read of reads) {
    const [name, ...rest] = read.match(SEGMENT) ?? [];
    if (name === undefined || !Object.hasOwn(POLICY_DECLARATION, name)) continue;
    const variable = name as keyof PolicyContext;
    walk(context[variable], POLICY_DECLARATION[variable], rest, name, lines);
  }
  if (lines.length <= MAX_READ_LINES) return lines;
  return [...lines.slice(0, MAX_READ_LINES), `… ${lines.length - MAX_READ_LINES} more`];
}

/** One line per boarded component: version and change, commit, CI, SBOM, reports, findings. */
export function manifestSummary(context: PolicyContext): string[] {
  if (context.manifest.length === 0) return ["manifest: no boarded components"];
  const lines = [
    `manifest of ${context.train.id} (revision ${context.train.revision}, ${context.manifest.length} component${context.manifest.length === 1 ? "" : "s"}):`,
  ];
  for (const c of context.manifest) {
    const change =
      c.change === "new"
        ? "new"
        : c.change === "same"
          ? "same as production"
          : `${c.change} from ${c.previousVersion}`;
    const findings = Object.entries(c.findings)
      .filter(([, n]) => n > 0)
      .map(([severity, n]) => `${n} ${severity}`);
    lines.push(
      `  ${c.component} ${c.version} (${change}${c.migration ? ", migration" : ""}): commit ${c.commit.slice(0, 7)}; CI ${c.ci}; SBOM ${c.sbom ? "yes" : "no"}; reports ${c.reports.length > 0 ? c.reports.join(", ") : "none"}; findings ${findings.length > 0 ? findings.join(", ") : "none"}`,
    );
  }
  return lines;
}

/** The whole output of a policy gate. */
export function formatPolicyOutput(input: PolicyOutputInput): string {
  const { expression, context } = input;
  const lines = [policySentence(expression, input.message, input.evaluation)];
  const [first, ...more] = expression.trim().split("\n");
  lines.push(`expression: ${first ?? ""}`, ...more.map((line) => `  ${line}`));
  const read = valuesRead(context, input.reads);
  if (read.length > 0) lines.push("values read:", ...read.map((line) => `  ${line}`));
  lines.push(...manifestSummary(context));
  return lines.join("\n");
}
