/** SPDX 2.x JSON (2.2, 2.3): an SBOM whose `packages` are its components; it reports no findings. */
import { FindingSet } from "./findings.js";
import { arrayAt, type Json } from "./json.js";
import { SecurityReportError, type SecuritySummary } from "./model.js";

const FORMAT = "SPDX document";

/** Whether the document is SPDX: an `spdxVersion` (2.x), or an SPDX 3 JSON-LD `@context`. */
export function isSpdx(doc: Json): boolean {
  if (doc.spdxVersion !== undefined) return true;
  const context = doc["@context"];
  return typeof context === "string" && context.startsWith("https://spdx.org/rdf/");
}

/**
 * Reads an SPDX 2.x JSON document: the number of `packages` (all of them, the described
 * application and file system included, as the document lists them).
 * @throws {SecurityReportError} when it is not SPDX 2.x, or `packages` is not an array
 */
export function readSpdx(doc: Json): SecuritySummary {
  const version = doc.spdxVersion;
  if (typeof version !== "string" || !/^SPDX-2\.\d+$/.test(version)) {
    const seen = version === undefined ? "SPDX 3 (JSON-LD)" : `SPDX version ${JSON.stringify(version)}`;
    throw new SecurityReportError(`${seen} is not supported: send SPDX 2.3 JSON`);
  }
  const packages = arrayAt(doc.packages, FORMAT, "packages");
  return new FindingSet("spdx").summary({ components: packages.length });
}
