/**
 * SARIF 2.1.0 (`grype -o sarif`, `trivy --format sarif`, and other static analysers): each result
 * of each run is a finding of its rule.
 */
import { FindingSet, fixedVersions, severityFromScore } from "./findings.js";
import { arrayAt, isObject, type Json, objectAt, shapeError, text } from "./json.js";
import { SecurityReportError, type SecuritySummary, type Severity } from "./model.js";
import { purlPackage } from "./purl.js";

const FORMAT = "SARIF log";

/** SARIF levels as Trivy maps its severities onto them, read back. */
const LEVELS = new Map<unknown, Severity>([
  ["error", "high"],
  ["warning", "medium"],
  ["note", "low"],
  ["none", "unknown"],
]);

/** Whether the document is SARIF: its `$schema` says so, or it has a `version` and `runs`. */
export function isSarif(doc: Json): boolean {
  const schema = doc.$schema;
  return (
    (typeof schema === "string" && /sarif/i.test(schema)) ||
    (doc.version !== undefined && Array.isArray(doc.runs))
  );
}

interface Details {
  package: string | null;
  installed: string | null;
  fixed: string | null;
}

const line = (source: string, pattern: RegExp): string | null => {
  const match = pattern.exec(source);
  return match ? match[1]!.trim() || null : null;
};

/**
 * Package, installed and fixed version from a text Trivy or Grype wrote: Trivy's result message
 * and Grype's rule help are `Package: …` / `Installed Version: …` (Grype: `Version: …`) /
 * `Fixed Version: …` (Grype: `Fix Version: …`) lines; Grype's result message says "… package:
 * NAME, version VERSION was found …".
 */
function detailsOf(source: string | null): Details {
  if (source === null) return { package: null, installed: null, fixed: null };
  let pkg = line(source, /^Package: ?(.*?)\r?$/m);
  let installed = line(source, /^(?:Installed )?Version: ?(.*?)\r?$/m);
  const fixed = line(source, /^Fix(?:ed)? Version: ?(.*?)\r?$/m);
  if (pkg === null) {
    const grype = /\bpackage: (.+?), version (\S+) was found\b/.exec(source);
    if (grype) {
      pkg = grype[1]!;
      installed ??= grype[2]!;
    }
  }
  return { package: pkg, installed, fixed: fixedVersions(fixed) };
}

/** The URI of a result's first location: where a finding without a package was found. */
function locationOf(result: Json): string | null {
  if (!Array.isArray(result.locations)) return null;
  const first: unknown = result.locations[0];
  if (!isObject(first) || !isObject(first.physicalLocation)) return null;
  const artifact = first.physicalLocation.artifactLocation;
  return isObject(artifact) ? text(artifact.uri) : null;
}

/**
 * Reads a SARIF 2.1.0 log. Id: the result's `ruleId`. Severity: the rule's
 * `properties["security-severity"]` CVSS score when present (≥ 9 critical, ≥ 7 high, ≥ 4 medium,
 * > 0 low, 0 unknown), else the result's level, else the rule's default level, else SARIF's
 * default `warning`, mapped as Trivy maps them (error → high, warning → medium, note → low, none →
 * unknown). Package, installed and fixed: from the result's message, then the rule's help (when it
 * names the same package), as Trivy and Grype write them, then the rule's first purl; a result naming no package (a
 * misconfiguration) has its location's URI as package. Results of kind `pass` or `notApplicable`
 * are no findings.
 * @throws {SecurityReportError} when `version` is not "2.1.0", `runs` is not an array, or a
 *   result names no rule
 */
export function readSarif(doc: Json): SecuritySummary {
  if (doc.version !== "2.1.0") {
    if (doc.version === undefined) throw shapeError(FORMAT, "version", '"2.1.0"', undefined);
    throw new SecurityReportError(
      `SARIF version ${JSON.stringify(doc.version)} is not supported: send SARIF 2.1.0`,
    );
  }
  if (!Array.isArray(doc.runs)) throw shapeError(FORMAT, "runs", "an array of runs", doc.runs);
  const set = new FindingSet("sarif");
  for (let r = 0; r < doc.runs.length; r++) {
    const run = objectAt(doc.runs[r], FORMAT, `runs[${r}]`);
    const driver = isObject(run.tool) && isObject(run.tool.driver) ? run.tool.driver : null;
    const rules = driver === null ? [] : arrayAt(driver.rules, FORMAT, `runs[${r}].tool.driver.rules`);
    let byId: Map<string, Json> | null = null;
    const ruleOf = (id: string | null, index: number): Json | undefined => {
      const indexed: unknown = index >= 0 ? rules[index] : undefined;
      // Some writers put ruleIndex 0 on every result: trust the index only when the ids agree.
      if (isObject(indexed) && (id === null || indexed.id === id)) return indexed;
      if (id === null) return undefined;
      if (byId === null) {
        byId = new Map();
        for (const rule of rules) if (isObject(rule) && typeof rule.id === "string") byId.set(rule.id, rule);
      }
      return byId.get(id);
    };
    const results = arrayAt(run.results, FORMAT, `runs[${r}].results`);
    for (let k = 0; k < results.length; k++) {
      const at = `runs[${r}].results[${k}]`;
      const result = objectAt(results[k], FORMAT, at);
      if (result.kind === "pass" || result.kind === "notApplicable") continue;
      const reference = isObject(result.rule) ? result.rule : null;
      const ruleId = text(result.ruleId) ?? (reference === null ? null : text(reference.id));
      const index =
        typeof result.ruleIndex === "number"
          ? result.ruleIndex
          : reference !== null && typeof reference.index === "number"
            ? reference.index
            : -1;
      const rule = ruleOf(ruleId, index);
      const id = ruleId ?? (rule === undefined ? null : text(rule.id));
      if (id === null) throw shapeError(FORMAT, `${at}.ruleId`, "the id of the rule it breaks", undefined);

      const properties = rule !== undefined && isObject(rule.properties) ? rule.properties : null;
      // The level, mapped as Trivy maps its severities to SARIF levels (the rule, and what
      // a scanner said of this result); the rule's security-severity score only when no level is
      // given at all; SARIF's default level (warning) last.
      const defaults =
        rule !== undefined && isObject(rule.defaultConfiguration) ? rule.defaultConfiguration : null;
      const level = result.level ?? defaults?.level;
      let severity: Severity | null = level === undefined ? null : (LEVELS.get(level) ?? "unknown");
      if (severity === null && properties !== null)
        severity = severityFromScore(properties["security-severity"]);
      if (severity === null) severity = LEVELS.get("warning")!;

      const message = detailsOf(isObject(result.message) ? text(result.message.text) : null);
      const help = detailsOf(rule !== undefined && isObject(rule.help) ? text(rule.help.text) : null);
      const purls = properties !== null && Array.isArray(properties.purls) ? properties.purls : [];
      const purl = typeof purls[0] === "string" ? purlPackage(purls[0]) : null;
      const pkg = message.package ?? help.package ?? purl?.name ?? locationOf(result) ?? "";
      // Trivy writes one rule per vulnerability, its help about the first package it was found
      // in: it speaks for this result only when it names the same package.
      const helpApplies = help.package === null || help.package === pkg;
      // Grype names its rules `<vulnerability>-<package>`: the finding's id is the vulnerability,
      // so VEX statements and waivers written for the CVE match it.
      const findingId =
        pkg !== "" && id.endsWith(`-${pkg}`) && id.length > pkg.length + 1
          ? id.slice(0, -pkg.length - 1)
          : id;
      set.add(
        findingId,
        severity,
        pkg,
        message.installed ?? (helpApplies ? help.installed : null) ?? purl?.version ?? null,
        message.fixed ?? (helpApplies ? help.fixed : null),
      );
    }
  }
  return set.summary();
}
