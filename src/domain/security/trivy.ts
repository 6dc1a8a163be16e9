/**
 * Trivy's JSON report (`trivy image --format json`, `SchemaVersion: 2`): `Results` per target
 * (an OS, a lock file), each with its `Vulnerabilities`. Misconfigurations, secrets and licences in
 * the same report are not vulnerabilities and are left out.
 */
import { FindingSet, fixedVersions, severityOf } from "./findings.js";
import { isObject, type Json, shapeError, text } from "./json.js";
import type { SecuritySummary } from "./model.js";

const FORMAT = "Trivy report";

/** Whether the document is Trivy's: it names the scanned artifact, or has a schema version and results. */
export function isTrivyReport(doc: Json): boolean {
  return (
    typeof doc.ArtifactName === "string" || (doc.SchemaVersion !== undefined && doc.Results !== undefined)
  );
}

/**
 * Reads a Trivy JSON report: id `VulnerabilityID`, severity `Severity` (Trivy's own choice among
 * its sources), package `PkgName`, installed `InstalledVersion`, fixed `FixedVersion`. Trivy
 * leaves `Results` out when it found nothing at all, so a report without them has no findings.
 * @throws {SecurityReportError} when `SchemaVersion` is not 2, `Results` is not an array, or a
 *   vulnerability lacks its id or package name
 */
export function readTrivy(doc: Json): SecuritySummary {
  if (doc.SchemaVersion !== 2) {
    throw shapeError(FORMAT, "SchemaVersion", "2 (the JSON of Trivy 0.20 and later)", doc.SchemaVersion);
  }
  const set = new FindingSet("trivy");
  const results = doc.Results;
  if (results === undefined) return set.summary();
  if (!Array.isArray(results)) throw shapeError(FORMAT, "Results", "an array of results", results);
  for (let r = 0; r < results.length; r++) {
    const result: unknown = results[r];
    if (!isObject(result)) throw shapeError(FORMAT, `Results[${r}]`, "an object", result);
    const vulnerabilities = result.Vulnerabilities;
    if (vulnerabilities === undefined || vulnerabilities === null) continue;
    if (!Array.isArray(vulnerabilities)) {
      throw shapeError(FORMAT, `Results[${r}].Vulnerabilities`, "an array", vulnerabilities);
    }
    for (let v = 0; v < vulnerabilities.length; v++) {
      const vulnerability: unknown = vulnerabilities[v];
      if (!isObject(vulnerability)) {
        throw shapeError(FORMAT, `Results[${r}].Vulnerabilities[${v}]`, "an object", vulnerability);
      }
      const id = vulnerability.VulnerabilityID;
      if (typeof id !== "string" || id === "") {
        throw shapeError(
          FORMAT,
          `Results[${r}].Vulnerabilities[${v}].VulnerabilityID`,
          "a non-empty string",
          id,
        );
      }
      const name = vulnerability.PkgName;
      if (typeof name !== "string" || name === "") {
        throw shapeError(FORMAT, `Results[${r}].Vulnerabilities[${v}].PkgName`, "a non-empty string", name);
      }
      const fix = vulnerability.FixedVersion;
      const fixed =
        typeof fix !== "string" || fix === "" ? null : fix.includes(",") ? fixedVersions(fix) : fix;
      set.add(id, severityOf(vulnerability.Severity), name, text(vulnerability.InstalledVersion), fixed);
    }
  }
  return set.summary();
}
