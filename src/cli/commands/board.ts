/**
 * `railyard board`: who boards a line's train, who is held and why, and the deploy order, from
 * files and without a server — the same resolution (`src/domain/boarding.ts`) and order
 * (`src/domain/deploy-order.ts`) the engine runs at the cut-off. Its `--json` output is a fixed
 * interface:
 * `{"boarded": [{component, version}], "held": [{component, version, reasons}], "order": [[…]]}`.
 */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import semver from "semver";
import {
  type BoardingCandidate,
  type Constraint,
  type RunningVersion,
  resolveBoarding,
} from "../../domain/boarding.js";
import type { ComponentConfig, RailyardConfig } from "../../domain/config/schema.js";
import { closestMatch } from "../../domain/config/suggest.js";
import { deployGroups } from "../../domain/deploy-order.js";
import { DEFAULT_CONFIG, loadConfigFile } from "../config-file.js";
import { contextOf } from "../context.js";
import { paint } from "../output.js";

/** `railyard board --json`. */
export interface BoardReport {
  boarded: Array<{ component: string; version: string }>;
  held: Array<{ component: string; version: string; reasons: string[] }>;
  /** Deploy groups of the boarded components, in order; names sorted within a group. */
  order: string[][];
}

type Json = Record<string, unknown>;

const ARTIFACT_KEYS = ["component", "version", "ready", "reason", "depends_on"];
const PRODUCTION_KEYS = ["component", "version", "depends_on"];
const DEPENDENCY_KEYS = ["component", "version", "same-train"];

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const quoted = (value: unknown) => JSON.stringify(value) ?? String(value);
const didYouMean = (input: string, names: Iterable<string>) => {
  const match = closestMatch(input, names);
  return match ? ` (did you mean "${match}"?)` : "";
};

/** One input file being read; `problems` collects what is wrong, as `FILE[index].field: what`. */
class InputFile {
  readonly problems: string[] = [];

  constructor(
    readonly file: string,
    private readonly components: Record<string, ComponentConfig>,
  ) {}

  problem(where: string, message: string): void {
    this.problems.push(`${this.file}${where}: ${message}`);
  }

  async entries(shape: string): Promise<unknown[]> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.problem("", `cannot read it (${code === "ENOENT" ? "no such file" : (error as Error).message})`);
      return [];
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.problem("", `not JSON (${(error as Error).message})`);
      return [];
    }
    if (!Array.isArray(value)) {
      this.problem("", `expected a JSON array of ${shape}`);
      return [];
    }
    return value;
  }

  /** The entry as an object with only known keys, else null (after reporting why). */
  object(value: unknown, where: string, keys: readonly string[], shape: string): Json | null {
    if (!isObject(value)) {
      this.problem(where, `expected an object ${shape}`);
      return null;
    }
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) this.problem(`${where}.${key}`, `unknown key${didYouMean(key, keys)}`);
    }
    return value;
  }

  component(entry: Json, where: string): string | null {
    const name = entry.component;
    if (typeof name !== "string") {
      this.problem(
        `${where}.component`,
        name === undefined ? "missing" : `expected a component name, got ${quoted(name)}`,
      );
      return null;
    }
    if (!Object.hasOwn(this.components, name)) {
      this.problem(
        `${where}.component`,
        `unknown component ${quoted(name)}${didYouMean(name, Object.keys(this.components))}`,
      );
      return null;
    }
    return name;
  }

  version(entry: Json, where: string): string | null {
    const version = entry.version;
    if (typeof version !== "string" || semver.valid(version) === null) {
      this.problem(
        `${where}.version`,
        version === undefined
          ? "missing"
          : `${quoted(version)} is not a semantic version (write e.g. "1.4.2")`,
      );
      return null;
    }
    return version;
  }

  dependsOn(entry: Json, where: string): Constraint[] | null {
    const list = entry.depends_on;
    if (!Array.isArray(list)) {
      this.problem(`${where}.depends_on`, 'expected an array of {"component", "version", "same-train"?}');
      return null;
    }
    const constraints: Constraint[] = [];
    list.forEach((item, j) => {
      const at = `${where}.depends_on[${j}]`;
      const need = this.object(item, at, DEPENDENCY_KEYS, '{"component", "version", "same-train"?}');
      if (!need) return;
      const component = this.component(need, at);
      const range = need.version;
      const rangeOk = typeof range === "string" && range.trim() !== "" && semver.validRange(range) !== null;
      if (!rangeOk) {
        this.problem(
          `${at}.version`,
          range === undefined
            ? "missing"
            : `${quoted(range)} is not a semver range (write e.g. ">=1.4.0 <2.0.0")`,
        );
      }
      const sameTrain = need["same-train"];
      if (sameTrain !== undefined && typeof sameTrain !== "boolean") {
        this.problem(`${at}.same-train`, `expected true or false, got ${quoted(sameTrain)}`);
      }
      if (component !== null && rangeOk) {
        constraints.push({
          component,
          version: range as string,
          ...(sameTrain === true ? { sameTrain } : {}),
        });
      }
    });
    return constraints;
  }

  /** Reports a second entry for a component. */
  unique(name: string, index: number, seen: Map<string, number>): void {
    const first = seen.get(name);
    if (first !== undefined) {
      this.problem(
        `[${index}].component`,
        `${quoted(name)} is listed twice (first at [${first}]); give one entry per component`,
      );
    } else seen.set(name, index);
  }
}

const configured = (component: ComponentConfig): Constraint[] =>
  component.depends_on.map((d) => ({
    component: d.component,
    version: d.version,
    ...(d["same-train"] ? { sameTrain: true } : {}),
  }));

/**
 * Reads `--artifacts`: `[{"component", "version", "ready", "reason"?, "depends_on"?}]`. An artifact
 * without `depends_on` has its component's configured constraints; one not ready without a reason
 * is "not ready".
 */
async function readArtifacts(
  file: string,
  config: RailyardConfig,
  line: string,
): Promise<InputFile & { candidates: BoardingCandidate[] }> {
  const input = Object.assign(new InputFile(file, config.components), {
    candidates: [] as BoardingCandidate[],
  });
  const onLine = config.lines[line]!.components;
  const shape = '{"component", "version", "ready", "reason"?, "depends_on"?}';
  const seen = new Map<string, number>();
  for (const [i, value] of (await input.entries(`artifacts ${shape}`)).entries()) {
    const where = `[${i}]`;
    const entry = input.object(value, where, ARTIFACT_KEYS, shape);
    if (!entry) continue;
    let component = input.component(entry, where);
    if (component !== null && !onLine.includes(component)) {
      input.problem(
        `${where}.component`,
        `${quoted(component)} does not ride line "${line}" (its components: ${onLine.join(", ")})`,
      );
      component = null;
    }
    if (component !== null) input.unique(component, i, seen);
    const version = input.version(entry, where);
    if (typeof entry.ready !== "boolean") {
      input.problem(
        `${where}.ready`,
        entry.ready === undefined
          ? "missing (true or false)"
          : `expected true or false, got ${quoted(entry.ready)}`,
      );
    }
    if (entry.reason !== undefined && typeof entry.reason !== "string") {
      input.problem(`${where}.reason`, `expected a string, got ${quoted(entry.reason)}`);
    }
    const dependsOn = entry.depends_on === undefined ? undefined : input.dependsOn(entry, where);
    if (component === null || version === null || typeof entry.ready !== "boolean" || dependsOn === null)
      continue;
    input.candidates.push({
      component,
      version,
      dependsOn: dependsOn ?? configured(config.components[component]!),
      notReady: entry.ready
        ? null
        : typeof entry.reason === "string" && entry.reason !== ""
          ? entry.reason
          : "not ready",
    });
  }
  return input;
}

/** Reads `--production`: `[{"component", "version", "depends_on"?}]` (no constraints when absent). */
async function readProduction(
  file: string,
  config: RailyardConfig,
): Promise<InputFile & { running: Map<string, RunningVersion> }> {
  const input = Object.assign(new InputFile(file, config.components), {
    running: new Map<string, RunningVersion>(),
  });
  const shape = '{"component", "version", "depends_on"?}';
  const seen = new Map<string, number>();
  for (const [i, value] of (await input.entries(`running versions ${shape}`)).entries()) {
    const where = `[${i}]`;
    const entry = input.object(value, where, PRODUCTION_KEYS, shape);
    if (!entry) continue;
    const component = input.component(entry, where);
    if (component !== null) input.unique(component, i, seen);
    const version = input.version(entry, where);
    const dependsOn = entry.depends_on === undefined ? [] : input.dependsOn(entry, where);
    if (component === null || version === null || dependsOn === null || input.running.has(component))
      continue;
    input.running.set(component, { component, version, dependsOn });
  }
  return input;
}

/** The plan for the given inputs, as `--json` prints it. */
export function boardReport(
  config: RailyardConfig,
  candidates: readonly BoardingCandidate[],
  production: ReadonlyMap<string, RunningVersion>,
): BoardReport {
  const plan = resolveBoarding(candidates, production);
  return {
    boarded: plan.boarded.map((c) => ({ component: c.component, version: c.version })),
    held: plan.held.map((h) => ({ component: h.component, version: h.version, reasons: h.reasons })),
    order: deployGroups(
      plan.boarded.map((c) => ({
        component: c.component,
        dependsOn: c.dependsOn.map((d) => d.component),
        kind: config.components[c.component]?.kind ?? "service",
      })),
    ),
  };
}

export function registerBoardCommand(program: Command): void {
  program
    .command("board")
    .description(
      "resolve who boards a line's train, who is held and why, and the deploy order (no server needed)",
    )
    .option("-c, --config <file>", "configuration file", DEFAULT_CONFIG)
    .requiredOption("--line <name>", "the line whose train boards")
    .requiredOption("--artifacts <file>", "JSON: the candidates, one per component")
    .requiredOption("--production <file>", "JSON: the versions running in production")
    .addHelpText(
      "after",
      `
--artifacts: a JSON array of
  {"component", "version", "ready": true|false, "reason"?, "depends_on"?: [{"component", "version", "same-train"?}]}
  (without depends_on, the component's configured depends_on apply).
--production: a JSON array of {"component", "version", "depends_on"?} (the constraints recorded
  when that version shipped; none when absent).
With --json: {"boarded": [{"component", "version"}], "held": [{"component", "version", "reasons"}],
  "order": [[names], ...]}. Invalid input exits with 2 and names the file, index and field.

Example:
  railyard board -c railyard.yaml --line web --artifacts artifacts.json --production production.json`,
    )
    .action(
      async (
        options: { config: string; line: string; artifacts: string; production: string },
        command: Command,
      ) => {
        const ctx = contextOf(command);
        // Errors go to stderr only, with or without --json: stdout carries nothing but a plan.
        const fail = (messages: readonly string[]) => {
          for (const message of messages) ctx.out.error(`railyard: ${message}`);
          process.exitCode = 2;
        };
        const { config } = await loadConfigFile(options.config);
        const lines = Object.keys(config.lines);
        if (!lines.includes(options.line)) {
          return fail([`no line "${options.line}": ${options.config} defines ${lines.join(", ")}`]);
        }
        const artifacts = await readArtifacts(options.artifacts, config, options.line);
        const production = await readProduction(options.production, config);
        const problems = [...artifacts.problems, ...production.problems];
        if (problems.length > 0) return fail(problems);

        const report = boardReport(config, artifacts.candidates, production.running);
        if (ctx.json) return ctx.out.json(report);
        const out = ctx.out;
        out.line(`Line ${options.line}: ${report.boarded.length} boarded, ${report.held.length} held`);
        out.line();
        out.line(paint(out, "bold", "Boarded"));
        if (report.boarded.length === 0) out.line("  nobody");
        for (const b of report.boarded) out.line(`  ${paint(out, "green", b.component)} ${b.version}`);
        out.line();
        out.line(paint(out, "bold", "Held"));
        if (report.held.length === 0) out.line("  nobody");
        for (const h of report.held) {
          out.line(`  ${paint(out, "yellow", h.component)} ${h.version}`);
          for (const reason of h.reasons) out.line(`    ${reason}`);
        }
        out.line();
        out.line(paint(out, "bold", "Deploy order"));
        if (report.order.length === 0) out.line("  nothing to deploy");
        report.order.forEach((group, i) => {
          out.line(`  ${i + 1}. ${group.join(", ")}`);
        });
      },
    );
}
