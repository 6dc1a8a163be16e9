/**
 * Tells what kind of report an upload is (`POST /api/v1/artifacts/{id}/reports`) from its content,
 * so a line's `boarding.reports` can require junit, sbom, vulnerabilities or vex. Only recognises
 * the format and labels it; reading the findings is a later step.
 */
import type { ReportKind } from "../config/schema.js";

/** What {@link detectReport} recognised. */
export interface DetectedReport {
  kind: ReportKind;
  /**
   * The format and its version where one is stated: `junit`, `cyclonedx-1.6`, `spdx-2.3`,
   * `grype`, `trivy`, `sarif-2.1.0`, `openvex`.
   */
  format: string;
}

/** Thrown by {@link detectReport} when the content is no known report; the message says what it saw. */
export class ReportFormatError extends Error {
  override readonly name = "ReportFormatError";
}

const KNOWN = "JUnit XML, CycloneDX JSON, SPDX 2 JSON, Grype JSON, Trivy JSON, SARIF 2.1.0 or OpenVEX";

function unknown(seen: string): ReportFormatError {
  return new ReportFormatError(`unknown report format: ${seen}; expected ${KNOWN}`);
}

/** The first element's name after the XML declaration, processing instructions, comments and DOCTYPE. */
function rootElement(xml: string): string | null {
  let i = 0;
  for (;;) {
    while (i < xml.length && /\s/.test(xml[i]!)) i++;
    if (xml.startsWith("<?", i)) {
      const end = xml.indexOf("?>", i + 2);
      if (end === -1) return null;
      i = end + 2;
    } else if (xml.startsWith("<!--", i)) {
      const end = xml.indexOf("-->", i + 4);
      if (end === -1) return null;
      i = end + 3;
    } else if (/^<!DOCTYPE/i.test(xml.slice(i, i + 9))) {
      const bracket = xml.indexOf("[", i);
      const close = xml.indexOf(">", i);
      if (close === -1) return null;
      if (bracket !== -1 && bracket < close) {
        const subsetEnd = xml.indexOf("]", bracket);
        if (subsetEnd === -1) return null;
        i = xml.indexOf(">", subsetEnd);
        if (i === -1) return null;
        i++;
      } else i = close + 1;
    } else break;
  }
  const match = /^<([A-Za-z_][\w.:-]*)/.exec(xml.slice(i, i + 200));
  return match ? match[1]! : null;
}

function detectXml(xml: string): DetectedReport {
  const root = rootElement(xml);
  if (root === null) throw unknown("XML without a root element");
  const local = root.includes(":") ? root.slice(root.indexOf(":") + 1) : root;
  if (local === "testsuites" || local === "testsuite") return { kind: "junit", format: "junit" };
  if (local === "bom") {
    throw new ReportFormatError("CycloneDX XML is not supported: send the SBOM as CycloneDX JSON");
  }
  if (local.toLowerCase() === "html") throw unknown("an HTML page");
  throw unknown(`XML with root element <${root}>`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describeKeys(doc: Record<string, unknown>): string {
  const keys = Object.keys(doc);
  if (keys.length === 0) return "an empty JSON object";
  const shown = keys.slice(0, 8).map((k) => JSON.stringify(k));
  return `a JSON object with keys ${shown.join(", ")}${keys.length > 8 ? `, … (${keys.length} keys)` : ""}`;
}

function detectJson(doc: Record<string, unknown>): DetectedReport {
  if (doc.bomFormat === "CycloneDX") {
    if (typeof doc.specVersion !== "string" || doc.specVersion.length === 0) {
      throw new ReportFormatError('CycloneDX document without "specVersion"');
    }
    const hasVulnerabilities = Array.isArray(doc.vulnerabilities) && doc.vulnerabilities.length > 0;
    return { kind: hasVulnerabilities ? "vulnerabilities" : "sbom", format: `cyclonedx-${doc.specVersion}` };
  }
  if (typeof doc.spdxVersion === "string") {
    if (!/^SPDX-2\.\d+$/.test(doc.spdxVersion)) {
      throw new ReportFormatError(
        `SPDX version ${JSON.stringify(doc.spdxVersion)} is not supported: send SPDX 2.x JSON`,
      );
    }
    return { kind: "sbom", format: doc.spdxVersion.toLowerCase() };
  }
  if (Array.isArray(doc.matches) && isObject(doc.descriptor) && doc.descriptor.name === "grype") {
    return { kind: "vulnerabilities", format: "grype" };
  }
  if (
    (doc.SchemaVersion !== undefined && doc.Results !== undefined) ||
    typeof doc.ArtifactName === "string"
  ) {
    return { kind: "vulnerabilities", format: "trivy" };
  }
  if (Array.isArray(doc.runs) && typeof doc.version === "string") {
    if (doc.version !== "2.1.0") {
      throw new ReportFormatError(
        `SARIF version ${JSON.stringify(doc.version)} is not supported: send SARIF 2.1.0`,
      );
    }
    return { kind: "vulnerabilities", format: "sarif-2.1.0" };
  }
  const context = doc["@context"];
  if (typeof context === "string" && context.startsWith("https://openvex.dev/ns")) {
    return { kind: "vex", format: "openvex" };
  }
  throw unknown(describeKeys(doc));
}

/**
 * Recognises a report by its content: JUnit XML (`junit`); CycloneDX JSON (`vulnerabilities` when
 * it lists vulnerabilities, else `sbom`); SPDX 2 JSON (`sbom`); Grype, Trivy or SARIF 2.1.0 JSON
 * (`vulnerabilities`); OpenVEX (`vex`). Pure.
 *
 * @throws {ReportFormatError} when the content is empty, neither XML nor a JSON object, or no
 *   known format; the message names what it found (the root element or the top-level keys).
 */
export function detectReport(content: string): DetectedReport {
  const text = content.replace(/^\uFEFF/, "").trimStart();
  if (text.length === 0) throw new ReportFormatError("the report is empty");
  if (text.startsWith("<")) return detectXml(text);
  if (text.startsWith("{") || text.startsWith("[")) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      throw new ReportFormatError(
        `not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (!isObject(doc)) throw unknown("a JSON array, not an object");
    return detectJson(doc);
  }
  const start = text.slice(0, 40).split(/\r?\n/)[0];
  throw unknown(`neither XML nor JSON (it starts with ${JSON.stringify(start)})`);
}
