/**
 * `summarizeReport`: a vulnerability scan, SBOM or VEX document in any of the formats Railyard
 * reads, recognised by its content and normalised to one {@link SecuritySummary} (gates.md,
 * "Security reports"). Pure: the caller reads the file.
 */
import { isCycloneDx, readCycloneDx } from "./cyclonedx.js";
import { isGrypeReport, readGrype } from "./grype.js";
import { isObject, type Json } from "./json.js";
import { jsonErrorPosition } from "./json-syntax.js";
import { EXPECTED_FORMATS, SecurityReportError, type SecuritySummary } from "./model.js";
import { isOpenVex, readOpenVex } from "./openvex.js";
import { isSarif, readSarif } from "./sarif.js";
import { isSpdx, readSpdx } from "./spdx.js";
import { isTrivyReport, readTrivy } from "./trivy.js";

export {
  EXPECTED_FORMATS,
  type Finding,
  SEVERITY_ORDER,
  SecurityReportError,
  type SecurityReportFormat,
  type SecuritySummary,
  type Severity,
  type VexStatement,
} from "./model.js";

/** The largest report read, in characters (bytes, for the ASCII JSON scanners write): 200 MB. */
export const MAX_REPORT_SIZE = 200 * 1024 * 1024;

/** In the order they are tried: the first whose marker the document carries reads it. */
const FORMATS: ReadonlyArray<{ is: (doc: Json) => boolean; read: (doc: Json) => SecuritySummary }> = [
  { is: isCycloneDx, read: readCycloneDx },
  { is: isSpdx, read: readSpdx },
  { is: isOpenVex, read: readOpenVex },
  { is: isGrypeReport, read: readGrype },
  { is: isSarif, read: readSarif },
  { is: isTrivyReport, read: readTrivy },
];

const isSpace = (code: number) => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;

/** Line and column (from 1) of a position in the text. */
function lineColumn(content: string, position: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = content.indexOf("\n"); i !== -1 && i < position; i = content.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `line ${line}, column ${position - lineStart + 1}`;
}

/** Why `JSON.parse` refused the text, where, and whether the text was cut short. */
function jsonError(content: string, error: unknown): SecurityReportError {
  const message = error instanceof Error ? error.message : String(error);
  // V8 appends the position, or an excerpt of the text: the position is found below instead.
  const reason = message
    .replace(/ in JSON at position \d+.*$/s, "")
    .replace(/, (\.\.\.)?".*" is not valid JSON$/s, "");
  const found = jsonErrorPosition(content);
  const stated = /at position (\d+)/.exec(message);
  const position = found !== -1 ? found : stated ? Number(stated[1]) : content.length;
  const where = `position ${position} (${lineColumn(content, position)})`;
  if (position >= content.trimEnd().length) {
    return new SecurityReportError(
      `truncated JSON: the report ends at ${where} before the document is complete (${reason}); ${EXPECTED_FORMATS}`,
    );
  }
  return new SecurityReportError(`invalid JSON at ${where}: ${reason}; ${EXPECTED_FORMATS}`);
}

/** What a text that is not JSON looks like: its XML root element, else its first characters. */
function notJson(text: string): SecurityReportError {
  if (text.startsWith("<")) {
    const root = /<(?![?!])([A-Za-z_][\w.:-]*)/.exec(text.slice(0, 4096))?.[1];
    if (root !== undefined && /(^|:)bom$/.test(root)) {
      return new SecurityReportError("CycloneDX XML is not supported: send the report as CycloneDX JSON");
    }
    return new SecurityReportError(
      `not JSON: an XML document${root === undefined ? "" : ` (root element <${root}>)`}; ${EXPECTED_FORMATS}`,
    );
  }
  const start = text.slice(0, 40).split(/\r?\n/)[0]!;
  return new SecurityReportError(
    `not a JSON object: it starts with ${JSON.stringify(start)}; ${EXPECTED_FORMATS}`,
  );
}

function describeKeys(doc: Json): string {
  const keys = Object.keys(doc);
  if (keys.length === 0) return "an empty JSON object";
  const shown = keys.slice(0, 8).map((k) => JSON.stringify(k));
  return `a JSON object with keys ${shown.join(", ")}${keys.length > 8 ? `, … (${keys.length} keys)` : ""}`;
}

/**
 * Recognises a security report by its content and normalises it: Grype JSON, Trivy JSON
 * (`SchemaVersion` 2), CycloneDX JSON 1.4–1.7 (and 1.2, 1.3), SARIF 2.1.0, SPDX 2.x JSON or OpenVEX. Findings are
 * deduplicated per (id, package, installed) and listed most severe first; counts have every
 * severity. A leading byte order mark is ignored.
 *
 * @throws {SecurityReportError} when the content is over {@link MAX_REPORT_SIZE}, empty, not JSON,
 *   truncated or invalid JSON (with the position), a JSON array or an object of no known format
 *   (naming its keys), a known format in an unsupported version (SPDX 3, SARIF 2.0, CycloneDX
 *   1.1), or a known format missing a part it needs (a JSON path says which).
 */
export function summarizeReport(content: string): SecuritySummary {
  if (content.length > MAX_REPORT_SIZE) {
    throw new SecurityReportError(
      `the report has ${content.length} characters, over the limit of 200 MB (${MAX_REPORT_SIZE})`,
    );
  }
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  let first = 0;
  while (first < text.length && isSpace(text.charCodeAt(first))) first++;
  if (first === text.length) throw new SecurityReportError(`the report is empty; ${EXPECTED_FORMATS}`);
  const opening = text[first];
  if (opening !== "{" && opening !== "[") throw notJson(text.slice(first));

  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw jsonError(text, error);
  }
  if (!isObject(doc)) {
    throw new SecurityReportError(`unknown report: a JSON array, not an object; ${EXPECTED_FORMATS}`);
  }
  for (const { is, read } of FORMATS) if (is(doc)) return read(doc);
  throw new SecurityReportError(`unknown report: ${describeKeys(doc)}; ${EXPECTED_FORMATS}`);
}
