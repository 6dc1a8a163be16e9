import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  EXPECTED_FORMATS,
  MAX_REPORT_SIZE,
  SEVERITY_ORDER,
  SecurityReportError,
  type SecuritySummary,
  summarizeReport,
} from "./summarize.js";

const fixture = (file: string): string =>
  readFileSync(new URL(`../../../test/fixtures/scanner-reports/${file}`, import.meta.url), "utf8");

const GRYPE = "grype/TestJsonImgsPresenter.golden.json";
const TRIVY = "trivy/alpine-310.json.golden.json";
const CYCLONEDX = "cyclonedx/trivy-npm-cyclonedx.json.golden.json";
const SPDX = "spdx/trivy-julia-spdx.json.golden.json";
const SARIF = "sarif/grype-TestSarifPresenter_image.golden.sarif.json";
const OPENVEX = "openvex/grype-openvex-demo2.json";
const ALL = [GRYPE, TRIVY, CYCLONEDX, SPDX, SARIF, OPENVEX];

const counts = (partial: Partial<SecuritySummary["counts"]>) => ({
  critical: 0,
  high: 0,
  medium: 0,
  low: 0,
  negligible: 0,
  unknown: 0,
  ...partial,
});

/** The message summarizeReport refuses the content with (failing when it accepts it). */
function refusal(content: string): string {
  try {
    summarizeReport(content);
  } catch (error) {
    expect(error).toBeInstanceOf(SecurityReportError);
    return (error as Error).message;
  }
  throw new Error("summarizeReport accepted the content");
}

describe("summarizeReport on the vendored scanner reports", () => {
  // Expected values are read off each file by hand (and checked with grep), not from this code.

  it("Grype JSON: the two matches with Grype's own severities and fix versions", () => {
    // The file's `matches`: CVE-1999-0001 on package-1 1.1.1, "severity": "Low", fix.state
    // "fixed" with versions 1.2.1, 2.1.3, 3.4.0; CVE-1999-0002 on package-2 2.2.2, "severity":
    // "Critical", fix.versions []. `grep -o '"severity": "[A-Za-z]*"'` gives Low and Critical.
    const summary = summarizeReport(fixture(GRYPE));
    expect(summary).toEqual({
      format: "grype",
      findings: [
        {
          id: "CVE-1999-0002",
          severity: "critical",
          package: "package-2",
          installed: "2.2.2",
          fixed: null,
          source: "grype",
        },
        {
          id: "CVE-1999-0001",
          severity: "low",
          package: "package-1",
          installed: "1.1.1",
          fixed: "1.2.1, 2.1.3, 3.4.0",
          source: "grype",
        },
      ],
      counts: counts({ critical: 1, low: 1 }),
      sbom: null,
      vex: [],
    });
  });

  it("Trivy JSON (alpine 3.10): 4 medium vulnerabilities in libcrypto1.1 and libssl1.1", () => {
    // One Result (alpine 3.10.2, os-pkgs) with 4 Vulnerabilities: `grep -c '"VulnerabilityID"'`
    // is 4 and `grep -o '"Severity": "[A-Z]*"' | sort | uniq -c` is `4 "Severity": "MEDIUM"`;
    // CVE-2019-1549 (fixed 1.1.1d-r0) and CVE-2019-1551 (fixed 1.1.1d-r2), each in
    // libcrypto1.1 and libssl1.1 1.1.1c-r0, as SOURCES.md says ("4 vulnerabilities").
    const summary = summarizeReport(fixture(TRIVY));
    expect(summary.format).toBe("trivy");
    expect(summary.counts).toEqual(counts({ medium: 4 }));
    expect(summary.findings.map((f) => [f.id, f.severity, f.package, f.installed, f.fixed])).toEqual([
      ["CVE-2019-1549", "medium", "libcrypto1.1", "1.1.1c-r0", "1.1.1d-r0"],
      ["CVE-2019-1551", "medium", "libcrypto1.1", "1.1.1c-r0", "1.1.1d-r2"],
      ["CVE-2019-1549", "medium", "libssl1.1", "1.1.1c-r0", "1.1.1d-r0"],
      ["CVE-2019-1551", "medium", "libssl1.1", "1.1.1c-r0", "1.1.1d-r2"],
    ]);
    expect(summary.sbom).toBeNull();
    expect(summary.vex).toEqual([]);
  });

  it("CycloneDX 1.7 (Trivy, npm): 13 components and the one jQuery vulnerability", () => {
    // `components` lists 13 entries (package-lock.json and 12 npm libraries; `grep -c
    // '"bom-ref"'` is 14 with metadata.component, which is the subject, not a component).
    // `vulnerabilities` has CVE-2019-11358, source ghsa, whose ghsa rating is "medium" (nvd's
    // CVSSv31 6.1 is medium too), affecting pkg:npm/jquery@3.3.9, recommendation "Upgrade jquery
    // to version 3.4.0", no analysis.
    const summary = summarizeReport(fixture(CYCLONEDX));
    expect(summary).toEqual({
      format: "cyclonedx",
      findings: [
        {
          id: "CVE-2019-11358",
          severity: "medium",
          package: "jquery",
          installed: "3.3.9",
          fixed: "3.4.0",
          source: "cyclonedx",
        },
      ],
      counts: counts({ medium: 1 }),
      sbom: { components: 13 },
      vex: [],
    });
  });

  it("SPDX 2.3 (Trivy, Julia): 5 packages and no findings", () => {
    // `packages`: Manifest.toml (APPLICATION), A 1.9.0, B 1.9.0 twice, and the file system
    // (SOURCE); `grep -c '"SPDXID"'` is 6 with the document's own.
    expect(summarizeReport(fixture(SPDX))).toEqual({
      format: "spdx",
      findings: [],
      counts: counts({}),
      sbom: { components: 5 },
      vex: [],
    });
  });

  it("SARIF 2.1.0 (Grype): its levels note and error read low and high", () => {
    // Two results, with levels note and error, which Grype wrote from its own severities low and
    // critical; read back as Trivy maps levels (the rule): note → low, error → high (SARIF
    // has no level above error). Their rules' security-severity scores (8.2, 8.5) are not used when
    // a level is given. Package and version come from the result message ("rpm package:
    // package-1, version 1.1.1"), the fix versions from the rule help ("Fix Version:
    // 1.2.1,2.1.3,3.4.0"; empty for package-2). The id is the rule id, which Grype suffixes with
    // the package name.
    const summary = summarizeReport(fixture(SARIF));
    expect(summary.format).toBe("sarif");
    expect(summary.counts).toEqual(counts({ high: 1, low: 1 }));
    expect(summary.findings).toEqual([
      {
        id: "CVE-1999-0002",
        severity: "high",
        package: "package-2",
        installed: "2.2.2",
        fixed: null,
        source: "sarif",
      },
      {
        id: "CVE-1999-0001",
        severity: "low",
        package: "package-1",
        installed: "1.1.1",
        fixed: "1.2.1, 2.1.3, 3.4.0",
        source: "sarif",
      },
    ]);
  });

  it("OpenVEX v0.2.0: the five statements with their products and subcomponents", () => {
    // `statements`: CVE-2023-1255, -2650 and -2975 "fixed"; CVE-2023-3446 and -3817
    // "not_affected" with justification vulnerable_code_not_present; each about the alpine image
    // with subcomponents libssl3 and libcrypto3 3.0.8-r3 (`grep -c '"status"'` is 5).
    const image = "pkg:oci/alpine@sha256%3A124c7d2707904eea7431fffe91522a01e5a861a624ee31d03372cc1d138a3126";
    const products = [image, "pkg:apk/alpine/libssl3@3.0.8-r3", "pkg:apk/alpine/libcrypto3@3.0.8-r3"];
    const summary = summarizeReport(fixture(OPENVEX));
    expect(summary.format).toBe("openvex");
    expect(summary.findings).toEqual([]);
    expect(summary.counts).toEqual(counts({}));
    expect(summary.sbom).toBeNull();
    expect(summary.vex).toEqual([
      { id: "CVE-2023-1255", products, status: "fixed", justification: null },
      { id: "CVE-2023-2650", products, status: "fixed", justification: null },
      { id: "CVE-2023-2975", products, status: "fixed", justification: null },
      { id: "CVE-2023-3446", products, status: "not_affected", justification: "vulnerable_code_not_present" },
      { id: "CVE-2023-3817", products, status: "not_affected", justification: "vulnerable_code_not_present" },
    ]);
  });

  it.each(ALL)("%s: counts have all six severities and add up to the findings", (file) => {
    const summary = summarizeReport(fixture(file));
    expect(Object.keys(summary.counts)).toEqual([...SEVERITY_ORDER]);
    expect(Object.values(summary.counts).reduce((a, b) => a + b, 0)).toBe(summary.findings.length);
  });

  it("ignores a byte order mark", () => {
    expect(summarizeReport(`\uFEFF${fixture(TRIVY)}`).counts.medium).toBe(4);
  });
});

describe("summarizeReport refuses what it cannot read", () => {
  it.each(ALL)("%s cut in half is truncated JSON, with the position where it ends", (file) => {
    const content = fixture(file);
    const half = content.slice(0, Math.floor(content.length / 2));
    const message = refusal(half);
    expect(message).toMatch(/^truncated JSON: the report ends at position \d+ \(line \d+, column \d+\)/);
    expect(message.endsWith(EXPECTED_FORMATS)).toBe(true);
    const position = Number(/position (\d+)/.exec(message)![1]);
    // Where the cut text ends (trailing spaces aside): nothing past it was read.
    expect(position).toBeGreaterThanOrEqual(half.trimEnd().length);
    expect(position).toBeLessThanOrEqual(half.length);
  });

  it("says where invalid JSON goes wrong, by position, line and column", () => {
    expect(refusal('{\n  "matches": [],,\n  "x": 1\n}')).toBe(
      `invalid JSON at position 18 (line 2, column 17): Expected double-quoted property name; ${EXPECTED_FORMATS}`,
    );
    // V8 gives no position for this one, only an excerpt.
    expect(refusal('{"matches": [}')).toBe(
      `invalid JSON at position 13 (line 1, column 14): Unexpected token '}'; ${EXPECTED_FORMATS}`,
    );
    expect(refusal('{"a": 1} trailing')).toMatch(/^invalid JSON at position 9 \(line 1, column 10\): /);
  });

  it("refuses empty content and what is not JSON, naming the formats it reads", () => {
    expect(refusal("")).toBe(`the report is empty; ${EXPECTED_FORMATS}`);
    expect(refusal(" \n\t ")).toBe(`the report is empty; ${EXPECTED_FORMATS}`);
    expect(refusal("Vulnerabilities found: 3\nCVE-2019-1549")).toBe(
      `not a JSON object: it starts with "Vulnerabilities found: 3"; ${EXPECTED_FORMATS}`,
    );
    expect(refusal("42")).toMatch(/^not a JSON object: it starts with "42"/);
    expect(refusal('<?xml version="1.0"?>\n<testsuites><testsuite name="a"/></testsuites>')).toBe(
      `not JSON: an XML document (root element <testsuites>); ${EXPECTED_FORMATS}`,
    );
    expect(refusal('<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.6"/>')).toBe(
      "CycloneDX XML is not supported: send the report as CycloneDX JSON",
    );
  });

  it("refuses JSON of another shape, naming its keys", () => {
    expect(refusal("[]")).toBe(`unknown report: a JSON array, not an object; ${EXPECTED_FORMATS}`);
    expect(refusal("{}")).toBe(`unknown report: an empty JSON object; ${EXPECTED_FORMATS}`);
    expect(refusal(readFileSync(new URL("../../../package.json", import.meta.url), "utf8"))).toMatch(
      /^unknown report: a JSON object with keys "name", "version", .*; expected Grype, Trivy, CycloneDX, SARIF 2\.1\.0, SPDX 2\.3 or OpenVEX JSON$/,
    );
    expect(refusal(JSON.stringify({ matches: [], source: {} }))).toMatch(
      /^unknown report: a JSON object with keys "matches", "source"/,
    );
  });

  it("refuses a known format missing a part it needs, naming the JSON path", () => {
    expect(refusal(JSON.stringify({ descriptor: { name: "grype" } }))).toBe(
      "Grype report: matches: missing (an array of matches)",
    );
    const grype = JSON.parse(fixture(GRYPE));
    delete grype.matches[1].artifact.name;
    expect(refusal(JSON.stringify(grype))).toBe(
      "Grype report: matches[1].artifact.name: missing (a non-empty string)",
    );

    const trivy = JSON.parse(fixture(TRIVY));
    expect(refusal(JSON.stringify({ ...trivy, Results: { Target: "x" } }))).toBe(
      "Trivy report: Results: expected an array of results, got an object",
    );
    expect(refusal(JSON.stringify({ ...trivy, SchemaVersion: 1 }))).toBe(
      "Trivy report: SchemaVersion: expected 2 (the JSON of Trivy 0.20 and later), got a number (1)",
    );
    trivy.Results[0].Vulnerabilities[2].VulnerabilityID = 1549;
    expect(refusal(JSON.stringify(trivy))).toBe(
      "Trivy report: Results[0].Vulnerabilities[2].VulnerabilityID: expected a non-empty string, got a number (1549)",
    );

    const sarif = JSON.parse(fixture(SARIF));
    expect(refusal(JSON.stringify({ version: sarif.version, $schema: sarif.$schema }))).toBe(
      "SARIF log: runs: missing (an array of runs)",
    );
    expect(refusal(JSON.stringify({ ...sarif, version: "2.0.0" }))).toBe(
      'SARIF version "2.0.0" is not supported: send SARIF 2.1.0',
    );
    delete sarif.runs[0].results[1].ruleId;
    expect(refusal(JSON.stringify(sarif))).toBe(
      "SARIF log: runs[0].results[1].ruleId: missing (the id of the rule it breaks)",
    );

    const bom = JSON.parse(fixture(CYCLONEDX));
    expect(refusal(JSON.stringify({ ...bom, specVersion: undefined }))).toBe(
      'CycloneDX document: specVersion: missing (a version such as "1.6")',
    );
    expect(refusal(JSON.stringify({ ...bom, specVersion: "1.1" }))).toMatch(
      /^CycloneDX "1\.1" is not supported: send CycloneDX JSON 1\.4 to 1\.7/,
    );
    delete bom.vulnerabilities[0].affects[0].ref;
    expect(refusal(JSON.stringify(bom))).toBe(
      "CycloneDX document: vulnerabilities[0].affects[0].ref: missing (a non-empty string)",
    );

    expect(refusal(JSON.stringify({ "@context": "https://openvex.dev/ns/v0.2.0", "@id": "x" }))).toBe(
      "OpenVEX document: statements: missing (an array of statements)",
    );
  });

  it("refuses SPDX other than 2.x", () => {
    const spdx = JSON.parse(fixture(SPDX));
    expect(refusal(JSON.stringify({ ...spdx, spdxVersion: "SPDX-3.0" }))).toBe(
      'SPDX version "SPDX-3.0" is not supported: send SPDX 2.3 JSON',
    );
    expect(refusal(JSON.stringify({ ...spdx, spdxVersion: 2.3 }))).toBe(
      "SPDX version 2.3 is not supported: send SPDX 2.3 JSON",
    );
    expect(
      refusal(JSON.stringify({ "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [] })),
    ).toBe("SPDX 3 (JSON-LD) is not supported: send SPDX 2.3 JSON");
    expect(summarizeReport(JSON.stringify({ ...spdx, spdxVersion: "SPDX-2.2" })).sbom).toEqual({
      components: 5,
    });
  });

  it("refuses content over 200 MB before parsing it", () => {
    expect(refusal(" ".repeat(MAX_REPORT_SIZE + 1))).toBe(
      "the report has 209715201 characters, over the limit of 200 MB (209715200)",
    );
  });
});

describe("summarizeReport: Trivy details (documents written by us)", () => {
  const trivy = (results: unknown) =>
    JSON.stringify({
      SchemaVersion: 2,
      ArtifactName: "shop/api:1.4.2",
      ArtifactType: "container_image",
      Results: results,
    });
  const vuln = (id: string, pkg: string, installed: string, severity: string, fixed?: string) => ({
    VulnerabilityID: id,
    PkgName: pkg,
    InstalledVersion: installed,
    Severity: severity,
    ...(fixed === undefined ? {} : { FixedVersion: fixed }),
  });

  it("reads a report without Results (Trivy leaves them out when it found nothing) as clean", () => {
    const clean = JSON.parse(fixture(TRIVY));
    delete clean.Results;
    expect(summarizeReport(JSON.stringify(clean))).toMatchObject({
      format: "trivy",
      findings: [],
      counts: counts({}),
    });
    expect(
      summarizeReport(trivy([{ Target: "app/package-lock.json", Class: "lang-pkgs" }])).findings,
    ).toEqual([]);
  });

  it("deduplicates per (id, package, installed), keeping the worse severity and a known fix", () => {
    const summary = summarizeReport(
      trivy([
        {
          Target: "app/a/package-lock.json",
          Vulnerabilities: [
            vuln("CVE-2024-1", "lodash", "4.17.20", "LOW"),
            vuln("CVE-2024-2", "lodash", "4.17.20", "HIGH"),
          ],
        },
        {
          Target: "app/b/package-lock.json",
          Vulnerabilities: [
            vuln("CVE-2024-1", "lodash", "4.17.20", "CRITICAL", "4.17.21"),
            vuln("CVE-2024-1", "lodash", "4.17.19", "LOW"),
            vuln("CVE-2024-1", "underscore", "4.17.20", "UNKNOWN"),
          ],
        },
      ]),
    );
    expect(summary.findings.map((f) => [f.id, f.severity, f.package, f.installed, f.fixed])).toEqual([
      ["CVE-2024-1", "critical", "lodash", "4.17.20", "4.17.21"],
      ["CVE-2024-2", "high", "lodash", "4.17.20", null],
      ["CVE-2024-1", "low", "lodash", "4.17.19", null],
      ["CVE-2024-1", "unknown", "underscore", "4.17.20", null],
    ]);
    expect(summary.counts).toEqual(counts({ critical: 1, high: 1, low: 1, unknown: 1 }));
  });

  it("reads several fixed versions as one list and an empty one as none", () => {
    const summary = summarizeReport(
      trivy([
        {
          Target: "go.mod",
          Vulnerabilities: [
            vuln("GHSA-1", "golang.org/x/net", "0.1.0", "MEDIUM", "0.7.0,0.8.0"),
            vuln("GHSA-2", "golang.org/x/net", "0.1.0", "MEDIUM", ""),
          ],
        },
      ]),
    );
    expect(summary.findings.map((f) => f.fixed)).toEqual(["0.7.0, 0.8.0", null]);
  });
});
