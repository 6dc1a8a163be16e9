/**
 * CycloneDX JSON 1.4 to 1.7 (1.2 and 1.3, without vulnerabilities, read as SBOMs): `components` make the SBOM; `vulnerabilities` (with `ratings`,
 * `affects`, `recommendation`, `analysis`) the findings and VEX statements.
 */
import { FindingSet, fixedVersions, severityFromScore, severityOf, severityRank } from "./findings.js";
import { arrayAt, isObject, type Json, objectAt, shapeError, stringAt, text } from "./json.js";
import {
  SEVERITY_ORDER,
  SecurityReportError,
  type SecuritySummary,
  type Severity,
  type VexStatement,
} from "./model.js";
import { purlPackage } from "./purl.js";

const FORMAT = "CycloneDX document";

/** Whether the document is CycloneDX: `bomFormat` says so. */
export function isCycloneDx(doc: Json): boolean {
  return doc.bomFormat === "CycloneDX";
}

/** What an `affects[].ref` points at. */
interface Target {
  name: string;
  version: string | null;
  /** The component's purl, else the ref itself (what a VEX statement names). */
  product: string;
}

const STATES = new Map<unknown, VexStatement["status"]>([
  ["not_affected", "not_affected"],
  ["false_positive", "not_affected"],
  ["resolved", "fixed"],
  ["resolved_with_pedigree", "fixed"],
  ["exploitable", "affected"],
  ["in_triage", "under_investigation"],
]);

const CVSS_V3 = new Set(["cvssv3", "cvssv31"]);

function componentName(component: Json): string | null {
  const name = text(component.name);
  if (name === null) return null;
  const group = text(component.group);
  if (group === null) return name;
  return `${group}${text(component.purl)?.startsWith("pkg:maven/") ? ":" : "/"}${name}`;
}

/**
 * The severity of a vulnerability from its `ratings`: the most severe rating of the first of these
 * groups that has one: the vulnerability's own source rating with CVSS v3; its own source; any
 * CVSS v3 rating; any rating. A rating without a severity word is read from its CVSS score.
 */
function ratingSeverity(vulnerability: Json, at: string): Severity {
  const ratings = arrayAt(vulnerability.ratings, FORMAT, `${at}.ratings`);
  const source = isObject(vulnerability.source) ? text(vulnerability.source.name)?.toLowerCase() : null;
  // Best rank per group: own source with CVSS v3, own source, CVSS v3, any.
  const best = [6, 6, 6, 6];
  for (let i = 0; i < ratings.length; i++) {
    const rating = objectAt(ratings[i], FORMAT, `${at}.ratings[${i}]`);
    const method = typeof rating.method === "string" ? rating.method.toLowerCase() : "";
    let severity: Severity | null = rating.severity === undefined ? null : severityOf(rating.severity);
    if ((severity === null || severity === "unknown") && method.startsWith("cvss")) {
      severity = severityFromScore(rating.score) ?? severity;
    }
    if (severity === null || severity === "unknown") continue;
    const rank = severityRank(severity);
    const own =
      source !== null && isObject(rating.source) && text(rating.source.name)?.toLowerCase() === source;
    const v3 = CVSS_V3.has(method);
    const groups = [own && v3, own, v3, true];
    for (let g = 0; g < groups.length; g++) if (groups[g] && rank < best[g]!) best[g] = rank;
  }
  const rank = best.find((r) => r < 6);
  return rank === undefined ? "unknown" : SEVERITY_ORDER[rank]!;
}

/** The version in a recommendation such as Trivy's "Upgrade jquery to version 3.4.0". */
function recommendedVersion(recommendation: unknown): string | null {
  const words = text(recommendation);
  if (words === null) return null;
  const match = /\bto versions? (\S[^\n]*)/i.exec(words);
  return match ? fixedVersions(match[1]!.trim().replace(/\.$/, "")) : null;
}

/** `affects[].versions` entries with status `unaffected`: their version or range. */
function unaffectedVersions(versions: readonly unknown[]): string | null {
  const fixed: unknown[] = [];
  for (const entry of versions) {
    if (isObject(entry) && entry.status === "unaffected")
      fixed.push(text(entry.version) ?? text(entry.range));
  }
  return fixedVersions(fixed);
}

/**
 * Reads a CycloneDX JSON document. Findings: one per vulnerability and affected component
 * (`affects[].ref` resolved through `bom-ref` to the component's name and version, or read as a
 * purl); fixed from the `unaffected` versions of that entry, else from `recommendation`. VEX: one
 * statement per vulnerability with an `analysis.state` (`not_affected`/`false_positive` →
 * not_affected, `resolved`/`resolved_with_pedigree` → fixed, `exploitable` → affected,
 * `in_triage` → under_investigation) for the affected components' purls. SBOM: every component,
 * nested ones included (not `metadata.component`, the subject); none for a BOM that only lists
 * vulnerabilities.
 * @throws {SecurityReportError} when `specVersion` is not 1.2 or a later 1.x, or a vulnerability or
 *   component has the wrong shape
 */
export function readCycloneDx(doc: Json): SecuritySummary {
  const spec = doc.specVersion;
  if (typeof spec !== "string") throw shapeError(FORMAT, "specVersion", 'a version such as "1.6"', spec);
  // JSON exists from 1.2; 1.2 and 1.3 have no vulnerabilities but are SBOMs all the same.
  const minor = /^1\.(\d+)$/.exec(spec);
  if (minor === null || Number(minor[1]) < 2) {
    throw new SecurityReportError(
      `CycloneDX ${JSON.stringify(spec)} is not supported: send CycloneDX JSON 1.4 to 1.7 (1.2 and later are read)`,
    );
  }

  const byRef = new Map<string, Json>();
  let components = 0;
  const walk = (list: unknown, path: string): void => {
    const items = arrayAt(list, FORMAT, path);
    for (let i = 0; i < items.length; i++) {
      const component = objectAt(items[i], FORMAT, `${path}[${i}]`);
      components++;
      const ref = component["bom-ref"];
      if (typeof ref === "string") byRef.set(ref, component);
      if (component.components !== undefined) walk(component.components, `${path}[${i}].components`);
    }
  };
  if (isObject(doc.metadata) && isObject(doc.metadata.component)) {
    const subject = doc.metadata.component;
    if (typeof subject["bom-ref"] === "string") byRef.set(subject["bom-ref"], subject);
  }
  walk(doc.components, "components");

  const resolve = (ref: string): Target => {
    let component = byRef.get(ref);
    // A BOM-Link (urn:cdx:serial/version#bom-ref) names a component of this or another BOM.
    if (component === undefined && ref.startsWith("urn:cdx:") && ref.includes("#")) {
      const fragment = ref.slice(ref.indexOf("#") + 1);
      try {
        component = byRef.get(decodeURIComponent(fragment));
      } catch {
        component = byRef.get(fragment);
      }
    }
    if (component !== undefined) {
      return {
        name: componentName(component) ?? ref,
        version: text(component.version),
        product: text(component.purl) ?? ref,
      };
    }
    const purl = purlPackage(ref);
    return purl ? { ...purl, product: ref } : { name: ref, version: null, product: ref };
  };

  const set = new FindingSet("cyclonedx");
  const vex: VexStatement[] = [];
  const vulnerabilities = arrayAt(doc.vulnerabilities, FORMAT, "vulnerabilities");
  for (let i = 0; i < vulnerabilities.length; i++) {
    const at = `vulnerabilities[${i}]`;
    const vulnerability = objectAt(vulnerabilities[i], FORMAT, at);
    const id = stringAt(vulnerability.id, FORMAT, `${at}.id`);
    const severity = ratingSeverity(vulnerability, at);
    const recommended = recommendedVersion(vulnerability.recommendation);
    const affects = arrayAt(vulnerability.affects, FORMAT, `${at}.affects`);
    const products: string[] = [];
    if (affects.length === 0) set.add(id, severity, "", null, recommended);
    for (let j = 0; j < affects.length; j++) {
      const affected = objectAt(affects[j], FORMAT, `${at}.affects[${j}]`);
      const target = resolve(stringAt(affected.ref, FORMAT, `${at}.affects[${j}].ref`));
      const versions = arrayAt(affected.versions, FORMAT, `${at}.affects[${j}].versions`);
      set.add(id, severity, target.name, target.version, unaffectedVersions(versions) ?? recommended);
      if (!products.includes(target.product)) products.push(target.product);
    }
    if (vulnerability.analysis !== undefined) {
      const analysis = objectAt(vulnerability.analysis, FORMAT, `${at}.analysis`);
      if (analysis.state !== undefined) {
        const status = STATES.get(analysis.state);
        if (status === undefined) {
          throw shapeError(
            FORMAT,
            `${at}.analysis.state`,
            `one of ${[...STATES.keys()].join(", ")}`,
            analysis.state,
          );
        }
        vex.push({
          id,
          products,
          status,
          justification: text(analysis.justification) ?? text(analysis.detail),
        });
      }
    }
  }
  const sbom = doc.components !== undefined || vulnerabilities.length === 0 ? { components } : null;
  return set.summary(sbom, vex);
}
