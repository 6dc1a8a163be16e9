/**
 * The `security` gate's rule (see docs/design/gates.md): over the vulnerability reports of a
 * train's artifacts, minus findings a VEX statement of the same artifact marks `not_affected` or
 * `fixed` and findings an unexpired waiver covers, are there more (or worse) findings than the
 * gate allows? The result names every blocking finding with its fix version, and every
 * suppressed one with why, so a false positive is easy to see and to waive on the record.
 *
 * Severity order follows Grype's `--fail-on`: critical > high > medium > low > negligible >
 * unknown (an unknown severity never exceeds a `maxSeverity`; limit it with `max: {unknown: 0}`).
 */
import type { SecurityGateConfig, SeverityName } from "../config/schema.js";
import type { Waiver } from "../model.js";
import type { Finding, SecuritySummary, VexStatement } from "./summarize.js";

/** From the most severe to the least. */
export const SEVERITY_RANK: readonly SeverityName[] = [
  "critical",
  "high",
  "medium",
  "low",
  "negligible",
  "unknown",
];

const rank = (severity: SeverityName) => SEVERITY_RANK.length - SEVERITY_RANK.indexOf(severity);

/** One artifact of the train as the gate sees it. */
export interface ScannedArtifact {
  component: string;
  version: string;
  /** Summaries of its vulnerability reports (the latest per format). */
  scans: ReadonlyArray<SecuritySummary>;
  /** VEX statements from its reports (OpenVEX documents, CycloneDX analysis). */
  vex: readonly VexStatement[];
  /** Whether it has an SBOM report. */
  hasSbom: boolean;
}

export interface GateFinding extends Finding {
  component: string;
  version: string;
}

export interface SuppressedFinding extends GateFinding {
  /** `vex: not_affected (justification)` or `waived by alice until 2027-01-31: reason`. */
  why: string;
}

export interface SecurityVerdict {
  verdict: "pass" | "fail" | "inconclusive";
  /** The first line: what decided it. */
  sentence: string;
  blocking: GateFinding[];
  counted: GateFinding[];
  suppressed: SuppressedFinding[];
  counts: Record<SeverityName, number>;
  output: string;
}

function vexFor(finding: GateFinding, statements: readonly VexStatement[]): VexStatement | undefined {
  return statements.find(
    (s) =>
      s.id === finding.id &&
      (s.status === "not_affected" || s.status === "fixed") &&
      (s.products.length === 0 ||
        s.products.some(
          (p) =>
            p === finding.package ||
            p.includes(`/${finding.package}@`) ||
            p.includes(`/${finding.package}`) ||
            p === finding.component,
        )),
  );
}

const zero = (): Record<SeverityName, number> => ({
  critical: 0,
  high: 0,
  medium: 0,
  low: 0,
  negligible: 0,
  unknown: 0,
});

const describe = (f: GateFinding) =>
  `${f.id} ${f.severity} ${f.package}${f.installed ? ` ${f.installed}` : ""} → ${f.fixed ? `fix ${f.fixed}` : "no fix yet"} (${f.component} ${f.version}, ${f.source})`;

/** Most findings listed by name in the output. */
const MAX_LISTED = 100;

function listed<T>(items: readonly T[], line: (item: T) => string): string[] {
  const shown = items.slice(0, MAX_LISTED).map((i) => `  ${line(i)}`);
  if (items.length > MAX_LISTED) shown.push(`  and ${items.length - MAX_LISTED} more`);
  return shown;
}

/** Judges a train's artifacts against a security gate at `now` (epoch ms). */
export function evaluateSecurityGate(
  gate: Pick<SecurityGateConfig, "maxSeverity" | "max" | "onlyFixable" | "requireSbom">,
  artifacts: readonly ScannedArtifact[],
  waivers: readonly Waiver[],
  now: number,
): SecurityVerdict {
  const counted: GateFinding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const unscanned: string[] = [];
  const withoutSbom: string[] = [];
  for (const artifact of artifacts) {
    if (gate.requireSbom && !artifact.hasSbom) withoutSbom.push(`${artifact.component} ${artifact.version}`);
    if (artifact.scans.length === 0) unscanned.push(`${artifact.component} ${artifact.version}`);
    const seen = new Set<string>();
    for (const scan of artifact.scans) {
      for (const f of scan.findings) {
        const key = `${f.id}\u0000${f.package}\u0000${f.installed ?? ""}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const finding: GateFinding = { ...f, component: artifact.component, version: artifact.version };
        const vex = vexFor(finding, artifact.vex);
        if (vex) {
          suppressed.push({
            ...finding,
            why: `VEX ${vex.status}${vex.justification ? ` (${vex.justification})` : ""}`,
          });
          continue;
        }
        const waiver = waivers.find(
          (w) =>
            w.component === artifact.component &&
            w.finding === f.id &&
            w.revokedAt === null &&
            Date.parse(w.expiresAt) > now,
        );
        if (waiver) {
          suppressed.push({
            ...finding,
            why: `waived by ${waiver.approver} until ${waiver.expiresAt}: ${waiver.justification}`,
          });
          continue;
        }
        if (gate.onlyFixable && !f.fixed) {
          suppressed.push({ ...finding, why: "no fix available (onlyFixable)" });
          continue;
        }
        counted.push(finding);
      }
    }
  }
  counted.sort((a, b) => rank(b.severity) - rank(a.severity) || a.id.localeCompare(b.id));
  const counts = zero();
  for (const f of counted) counts[f.severity]++;

  let blocking: GateFinding[] = [];
  let rule: string;
  if (gate.maxSeverity !== undefined) {
    const limit = rank(gate.maxSeverity);
    blocking = counted.filter((f) => rank(f.severity) > limit);
    rule = `nothing above ${gate.maxSeverity}`;
  } else {
    const max = gate.max ?? {};
    const over = (Object.keys(max) as SeverityName[]).filter((s) => counts[s] > (max[s] ?? Infinity));
    blocking = counted.filter((f) => over.includes(f.severity));
    rule = (Object.entries(max) as Array<[SeverityName, number]>)
      .sort((a, b) => rank(b[0]) - rank(a[0]))
      .map(([s, n]) => `${s} ≤ ${n}`)
      .join(", ");
  }
  const countsText = SEVERITY_RANK.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(", ");
  const tally = `${counted.length} finding${counted.length === 1 ? "" : "s"} counted${countsText ? ` (${countsText})` : ""}, ${suppressed.length} suppressed`;

  let verdict: SecurityVerdict["verdict"];
  let sentence: string;
  if (withoutSbom.length > 0) {
    verdict = "fail";
    sentence = `no SBOM for ${withoutSbom.join(", ")} (requireSbom)`;
  } else if (blocking.length > 0) {
    verdict = "fail";
    const top = blocking[0]!;
    sentence = `${blocking.length} finding${blocking.length === 1 ? "" : "s"} break${blocking.length === 1 ? "s" : ""} ${rule}: ${top.id} ${top.severity} in ${top.package} (${top.component}; ${top.fixed ? `fix ${top.fixed}` : "no fix yet"})${blocking.length > 1 ? ", …" : ""}`;
  } else if (unscanned.length > 0) {
    verdict = "inconclusive";
    sentence = `no vulnerability report for ${unscanned.join(", ")}: push a Grype, Trivy, SARIF or CycloneDX scan`;
  } else {
    verdict = "pass";
    sentence = `${rule}: ${tally}`;
  }
  const lines = [sentence];
  if (verdict !== "pass") lines.push(tally);
  if (blocking.length > 0) {
    lines.push(`blocking (${blocking.length}):`, ...listed(blocking, describe));
  }
  const others = counted.filter((f) => !blocking.includes(f));
  if (others.length > 0) lines.push(`allowed (${others.length}):`, ...listed(others, describe));
  if (suppressed.length > 0) {
    lines.push(
      `suppressed (${suppressed.length}):`,
      ...listed(suppressed, (f) => `${describe(f)}: ${f.why}`),
    );
  }
  if (unscanned.length > 0 && verdict !== "inconclusive") lines.push(`not scanned: ${unscanned.join(", ")}`);
  return { verdict, sentence, blocking, counted, suppressed, counts, output: lines.join("\n") };
}
