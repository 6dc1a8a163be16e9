import { describe, expect, it } from "vitest";
import { SecurityReportError, summarizeReport } from "./summarize.js";

/** A SARIF 2.1.0 log with one run of these rules and results. */
const sarif = (rules: unknown[], results: unknown[]) =>
  JSON.stringify({
    version: "2.1.0",
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    runs: [{ tool: { driver: { name: "scanner", rules } }, results }],
  });

const severities = (content: string) => summarizeReport(content).findings.map((f) => [f.id, f.severity]);

describe("SARIF severities", () => {
  it("maps levels as Trivy writes them: error high, warning medium, note low, none unknown", () => {
    const rules = ["R1", "R2", "R3", "R4"].map((id) => ({ id }));
    const results = [
      { ruleId: "R1", level: "note", message: { text: "n" } },
      { ruleId: "R2", level: "error", message: { text: "e" } },
      { ruleId: "R3", level: "none", message: { text: "x" } },
      { ruleId: "R4", level: "warning", message: { text: "w" } },
    ];
    expect(severities(sarif(rules, results))).toEqual([
      ["R2", "high"],
      ["R4", "medium"],
      ["R1", "low"],
      ["R3", "unknown"],
    ]);
  });

  it("takes the rule's default level when the result has none, else SARIF's default warning", () => {
    const rules = [{ id: "A", defaultConfiguration: { level: "error" } }, { id: "B" }];
    expect(severities(sarif(rules, [{ ruleId: "A" }, { ruleId: "B" }, { ruleId: "C" }]))).toEqual([
      ["A", "high"],
      ["B", "medium"],
      ["C", "medium"],
    ]);
  });

  it("reads the rule's security-severity score, in CVSS bands, when no level is given", () => {
    const scores = ["9.0", "8.9", "7.0", "6.9", "4.0", "3.9", "0.1", "0.0", 10, "n/a"];
    const rules = scores.map((score, i) => ({ id: `R${i}`, properties: { "security-severity": score } }));
    const results = scores.map((_, i) => ({ ruleId: `R${i}` }));
    expect(Object.fromEntries(severities(sarif(rules, results)))).toEqual({
      R0: "critical",
      R1: "high",
      R2: "high",
      R3: "medium",
      R4: "medium",
      R5: "low",
      R6: "low",
      // 0.0 is what Trivy writes for an UNKNOWN severity.
      R7: "unknown",
      R8: "critical",
      // Not a score: SARIF's default level, warning.
      R9: "medium",
    });
  });

  it("lets a result's level decide over the rule's score, as the issue maps levels", () => {
    const rules = [{ id: "R", properties: { "security-severity": "9.8" } }];
    expect(severities(sarif(rules, [{ ruleId: "R", level: "note" }]))).toEqual([["R", "low"]]);
  });

  it("finds the rule by ruleIndex, or by id when the index points at another rule", () => {
    const rules = [
      { id: "A", properties: { "security-severity": "9.8" } },
      { id: "B", properties: { "security-severity": "2.0" } },
    ];
    const results = [{ ruleIndex: 1 }, { ruleId: "A", ruleIndex: 1 }, { rule: { id: "B", index: 1 } }];
    expect(severities(sarif(rules, results))).toEqual([
      ["A", "critical"],
      ["B", "low"],
    ]);
  });
});

describe("SARIF package, installed and fixed versions", () => {
  it("reads Trivy's result messages, its one rule per vulnerability shared by packages", () => {
    // As Trivy's SARIF writer formats them (pkg/report/sarif.go): the rule's help names the first
    // package; each result's message names its own.
    const help = (pkg: string, fixed: string) =>
      `Vulnerability CVE-2023-0464\nSeverity: HIGH\nPackage: ${pkg}\nFixed Version: ${fixed}\nLink: [CVE-2023-0464](https://avd.aquasec.com/nvd/cve-2023-0464)\nA security vulnerability`;
    const message = (pkg: string, installed: string, fixed: string) => ({
      text: `Package: ${pkg}\nInstalled Version: ${installed}\nVulnerability CVE-2023-0464\nSeverity: HIGH\nFixed Version: ${fixed}\nLink: [CVE-2023-0464](https://avd.aquasec.com/nvd/cve-2023-0464)`,
    });
    const rules = [
      {
        id: "CVE-2023-0464",
        name: "OsPackageVulnerability",
        help: { text: help("libcrypto3", "3.0.8-r1") },
        defaultConfiguration: { level: "error" },
        properties: { "security-severity": "7.5", tags: ["vulnerability", "security", "HIGH"] },
      },
    ];
    const results = [
      {
        ruleId: "CVE-2023-0464",
        ruleIndex: 0,
        level: "error",
        message: message("libcrypto3", "3.0.7-r0", "3.0.8-r1"),
      },
      { ruleId: "CVE-2023-0464", ruleIndex: 0, level: "error", message: message("libssl3", "3.0.7-r0", "") },
    ];
    expect(summarizeReport(sarif(rules, results)).findings).toEqual([
      {
        id: "CVE-2023-0464",
        severity: "high",
        package: "libcrypto3",
        installed: "3.0.7-r0",
        fixed: "3.0.8-r1",
        source: "sarif",
      },
      // Its message has no fixed version and the rule's help is about libcrypto3: no fix known.
      {
        id: "CVE-2023-0464",
        severity: "high",
        package: "libssl3",
        installed: "3.0.7-r0",
        fixed: null,
        source: "sarif",
      },
    ]);
  });

  it("falls back to the rule's purl, then to the location, for results that name no package", () => {
    const rules = [
      { id: "GHSA-1", properties: { purls: ["pkg:npm/%40babel/traverse@7.22.0"] } },
      { id: "DS002" },
    ];
    const results = [
      { ruleId: "GHSA-1", level: "error", message: { text: "a vulnerable package" } },
      {
        ruleId: "DS002",
        level: "error",
        message: { text: "Artifact: Dockerfile\nType: dockerfile\nVulnerability DS002\nSeverity: HIGH" },
        locations: [{ physicalLocation: { artifactLocation: { uri: "Dockerfile" } } }],
      },
    ];
    expect(
      summarizeReport(sarif(rules, results)).findings.map((f) => [f.id, f.package, f.installed, f.fixed]),
    ).toEqual([
      ["GHSA-1", "@babel/traverse", "7.22.0", null],
      ["DS002", "Dockerfile", null, null],
    ]);
  });

  it("leaves out results that passed or do not apply, and reads a run without results", () => {
    const results = [
      { ruleId: "A", kind: "pass", level: "none" },
      { ruleId: "B", kind: "notApplicable" },
      { ruleId: "C", kind: "fail", level: "error" },
    ];
    expect(severities(sarif([], results))).toEqual([["C", "high"]]);
    expect(summarizeReport(sarif([], [])).findings).toEqual([]);
    const noResults = JSON.stringify({ version: "2.1.0", runs: [{ tool: { driver: { name: "x" } } }] });
    expect(summarizeReport(noResults)).toMatchObject({ format: "sarif", findings: [] });
  });

  it("refuses a result of the wrong shape with its path", () => {
    expect(() => summarizeReport(sarif([], [{ ruleId: "A" }, "B"]))).toThrow(
      new SecurityReportError('SARIF log: runs[0].results[1]: expected an object, got a string ("B")'),
    );
  });
});
