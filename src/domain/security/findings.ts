/** Severity words and scores, and the set that deduplicates and counts findings. */
import {
  type Finding,
  SEVERITY_ORDER,
  type SecurityReportFormat,
  type SecuritySummary,
  type Severity,
  type VexStatement,
} from "./model.js";

const RANK: Record<Severity, number> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
  negligible: 4,
  unknown: 5,
};

/** The position of a severity in {@link SEVERITY_ORDER}: 0 for critical, 5 for unknown. */
export function severityRank(severity: Severity): number {
  return RANK[severity];
}

const WORDS: ReadonlyArray<readonly [string, Severity]> = [
  ["critical", "critical"],
  ["high", "high"],
  // Red Hat's word for high; GitHub advisories' word for medium.
  ["important", "high"],
  ["medium", "medium"],
  ["moderate", "medium"],
  ["low", "low"],
  ["negligible", "negligible"],
  // CycloneDX ratings: `info` and `none` (a CVSS score of 0) are below low.
  ["info", "negligible"],
  ["informational", "negligible"],
  ["none", "negligible"],
  ["unknown", "unknown"],
];

/** Every spelling scanners use (`HIGH`, `High`, `high`), so the common case is one lookup. */
const SEVERITY_WORDS = new Map<string, Severity>();
for (const [word, severity] of WORDS) {
  SEVERITY_WORDS.set(word, severity);
  SEVERITY_WORDS.set(word.toUpperCase(), severity);
  SEVERITY_WORDS.set(word[0]!.toUpperCase() + word.slice(1), severity);
}

/**
 * A scanner's severity word in any case (`CRITICAL`, `High`, `moderate`, `info`) as a
 * {@link Severity}; anything else, or no word, is `unknown`.
 */
export function severityOf(word: unknown): Severity {
  if (typeof word !== "string") return "unknown";
  return SEVERITY_WORDS.get(word) ?? SEVERITY_WORDS.get(word.trim().toLowerCase()) ?? "unknown";
}

/**
 * A CVSS score (0–10) in the bands of gates.md: ≥ 9 critical, ≥ 7 high, ≥ 4 medium, > 0 low; 0
 * (CVSS "none", and what Trivy writes for an unknown severity) is unknown. Null when `score` is no
 * number in 0–10, or a string that is not one.
 */
export function severityFromScore(score: unknown): Severity | null {
  const value = typeof score === "string" && score.trim() !== "" ? Number(score) : score;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 10) return null;
  if (value >= 9) return "critical";
  if (value >= 7) return "high";
  if (value >= 4) return "medium";
  if (value > 0) return "low";
  return "unknown";
}

/** Fix versions as one string, `1.2.1, 2.1.3` (scanners write `1.2.1,2.1.3` or `1.2.1, 2.1.3`). */
export function fixedVersions(versions: string | readonly unknown[] | null): string | null {
  if (versions === null) return null;
  const parts = typeof versions === "string" ? versions.split(",") : versions;
  const kept: string[] = [];
  for (const part of parts) {
    if (typeof part !== "string") continue;
    const trimmed = part.trim();
    if (trimmed !== "" && !kept.includes(trimmed)) kept.push(trimmed);
  }
  return kept.length === 0 ? null : kept.join(", ");
}

/** Counts with every severity at 0. */
export function emptyCounts(): Record<Severity, number> {
  return { critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0 };
}

/**
 * The findings of one report, deduplicated per (id, package, installed): a repeat keeps the first
 * finding, raised to the more severe of the two, with the first fix version either one names.
 */
export class FindingSet {
  private readonly byKey = new Map<string, Finding>();
  private readonly list: Finding[] = [];

  constructor(private readonly source: SecurityReportFormat) {}

  add(id: string, severity: Severity, pkg: string, installed: string | null, fixed: string | null): void {
    // NUL cannot occur in the ids, names and versions scanners write; \u0001 marks "no version".
    const key = `${id}\u0000${pkg}\u0000${installed ?? "\u0001"}`;
    const seen = this.byKey.get(key);
    if (seen === undefined) {
      const finding: Finding = { id, severity, package: pkg, installed, fixed, source: this.source };
      this.byKey.set(key, finding);
      this.list.push(finding);
      return;
    }
    if (RANK[severity] < RANK[seen.severity]) seen.severity = severity;
    if (seen.fixed === null && fixed !== null) seen.fixed = fixed;
  }

  /** The summary: findings most severe first (document order within a severity), and counts. */
  summary(sbom: SecuritySummary["sbom"] = null, vex: VexStatement[] = []): SecuritySummary {
    const buckets: Finding[][] = SEVERITY_ORDER.map(() => []);
    for (const finding of this.list) buckets[RANK[finding.severity]]!.push(finding);
    const counts = emptyCounts();
    SEVERITY_ORDER.forEach((severity, i) => {
      counts[severity] = buckets[i]!.length;
    });
    return { format: this.source, findings: buckets.flat(), counts, sbom, vex };
  }
}
