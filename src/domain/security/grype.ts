/**
 * Grype's JSON report (`grype -o json`): each of `matches` is one vulnerability in one package.
 * Ignored matches (`ignoredMatches`) are left out, as Grype leaves them out of its own table.
 */
import { FindingSet, fixedVersions, severityOf } from "./findings.js";
import { arrayAt, type Json, objectAt, shapeError, stringAt, text } from "./json.js";
import type { SecuritySummary } from "./model.js";

const FORMAT = "Grype report";

/** Whether the document is Grype's: its `descriptor` names grype. */
export function isGrypeReport(doc: Json): boolean {
  const descriptor = doc.descriptor;
  return typeof descriptor === "object" && descriptor !== null && (descriptor as Json).name === "grype";
}

/**
 * Reads a Grype JSON report: id from `vulnerability.id`, severity from `vulnerability.severity`,
 * package and installed version from `artifact`, fix versions from `vulnerability.fix.versions`.
 * @throws {SecurityReportError} when `matches` is missing or a match lacks its id or package name
 */
export function readGrype(doc: Json): SecuritySummary {
  const matches = doc.matches;
  if (!Array.isArray(matches)) throw shapeError(FORMAT, "matches", "an array of matches", matches);
  const set = new FindingSet("grype");
  for (let i = 0; i < matches.length; i++) {
    const match = objectAt(matches[i], FORMAT, `matches[${i}]`);
    const vulnerability = objectAt(match.vulnerability, FORMAT, `matches[${i}].vulnerability`);
    const artifact = objectAt(match.artifact, FORMAT, `matches[${i}].artifact`);
    const id = stringAt(vulnerability.id, FORMAT, `matches[${i}].vulnerability.id`);
    const name = stringAt(artifact.name, FORMAT, `matches[${i}].artifact.name`);
    const fix = vulnerability.fix;
    let fixed: string | null = null;
    if (typeof fix === "object" && fix !== null) {
      // Grype lists versions only when the state is "fixed"; "not-fixed" and "wont-fix" have none.
      const versions = arrayAt((fix as Json).versions, FORMAT, `matches[${i}].vulnerability.fix.versions`);
      fixed = fixedVersions(versions);
    }
    set.add(id, severityOf(vulnerability.severity), name, text(artifact.version), fixed);
  }
  return set.summary();
}
