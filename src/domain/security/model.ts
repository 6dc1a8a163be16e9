/**
 * The normalised shape of a security report (docs/design/gates.md, "Security reports"): what
 * {@link summarizeReport} returns whatever scanner or SBOM tool wrote the file.
 */

/** How bad a finding is, lower case, from the worst down. */
export type Severity = "critical" | "high" | "medium" | "low" | "negligible" | "unknown";

/** Every severity from critical to unknown: the order of counts and of the findings list. */
export const SEVERITY_ORDER: readonly Severity[] = [
  "critical",
  "high",
  "medium",
  "low",
  "negligible",
  "unknown",
];

/** The formats {@link summarizeReport} reads. */
export type SecurityReportFormat = "grype" | "trivy" | "cyclonedx" | "sarif" | "spdx" | "openvex";

/** One vulnerability in one installed package. */
export interface Finding {
  /** The vulnerability (`CVE-2019-1549`, `GHSA-…`), or the SARIF rule id. */
  id: string;
  severity: Severity;
  /** The package's name; empty when the report does not say which package. */
  package: string;
  /** The installed version; null when the report does not say. */
  installed: string | null;
  /** The version(s) that fix it, comma-separated (`1.2.1, 2.1.3`); null when none is known. */
  fixed: string | null;
  /** The format that reported it. */
  source: string;
}

/** A VEX statement: what a supplier says about a vulnerability in its products. */
export interface VexStatement {
  /** The vulnerability. */
  id: string;
  /** Purls or names of the products (and subcomponents) it is about; `[]` means any. */
  products: string[];
  status: "not_affected" | "affected" | "fixed" | "under_investigation";
  /** Why (`vulnerable_code_not_present`, or the statement's own words); null when not given. */
  justification: string | null;
}

/** What a security report says, whatever its format. */
export interface SecuritySummary {
  format: SecurityReportFormat;
  /** Deduplicated per (id, package, installed), most severe first, then in document order. */
  findings: Finding[];
  /** Findings per severity; every severity is present (0 when none). */
  counts: Record<Severity, number>;
  /** CycloneDX components / SPDX packages; null when the report is no SBOM. */
  sbom: { components: number } | null;
  /** OpenVEX statements and CycloneDX `analysis` entries. */
  vex: VexStatement[];
}

/** The formats named in every refusal, so a user knows what to send instead. */
export const EXPECTED_FORMATS = "expected Grype, Trivy, CycloneDX, SARIF 2.1.0, SPDX 2.3 or OpenVEX JSON";

/**
 * Thrown by {@link summarizeReport} when the content is no security report it reads: not JSON,
 * truncated, too large, of another shape, or a known format missing a part it needs. The message
 * says what was wrong, where (a JSON path or position) and what was expected.
 */
export class SecurityReportError extends Error {
  override readonly name = "SecurityReportError";
}
