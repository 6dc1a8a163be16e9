import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { summarizeReport } from "./summarize.js";

const TRIVY_BOM = readFileSync(
  new URL(
    "../../../test/fixtures/scanner-reports/cyclonedx/trivy-npm-cyclonedx.json.golden.json",
    import.meta.url,
  ),
  "utf8",
);

/** A CycloneDX 1.6 BOM with these components and vulnerabilities. */
const bom = (components: unknown[] | undefined, vulnerabilities: unknown[]) =>
  JSON.stringify({ bomFormat: "CycloneDX", specVersion: "1.6", version: 1, components, vulnerabilities });

const LODASH = {
  "bom-ref": "lodash-ref",
  type: "library",
  name: "lodash",
  version: "4.17.20",
  purl: "pkg:npm/lodash@4.17.20",
};

describe("CycloneDX severities from ratings", () => {
  const severity = (vulnerability: Record<string, unknown>) =>
    summarizeReport(bom([LODASH], [{ id: "CVE-1", affects: [{ ref: "lodash-ref" }], ...vulnerability }]))
      .findings[0]!.severity;

  it("prefers the vulnerability's own source, and its CVSS v3 rating among several", () => {
    const ratings = [
      { source: { name: "nvd" }, severity: "critical", method: "CVSSv31", score: 9.8 },
      { source: { name: "ghsa" }, severity: "high", method: "CVSSv2" },
      { source: { name: "ghsa" }, severity: "medium", method: "CVSSv31", score: 5.3 },
      { source: { name: "ubuntu" }, severity: "low" },
    ];
    expect(severity({ source: { name: "ghsa" }, ratings })).toBe("medium");
    expect(severity({ source: { name: "ghsa" }, ratings: ratings.slice(0, 2) })).toBe("high");
  });

  it("takes the highest CVSS v3 rating, else the highest rating, when its source rated nothing", () => {
    const ratings = [
      { source: { name: "redhat" }, severity: "medium", method: "CVSSv3" },
      { source: { name: "nvd" }, severity: "high", method: "CVSSv31" },
      { source: { name: "debian" }, severity: "critical" },
    ];
    expect(severity({ source: { name: "osv" }, ratings })).toBe("high");
    expect(severity({ ratings: [{ severity: "low" }, { severity: "moderate" }] })).toBe("medium");
  });

  it("reads a CVSS score without a severity word, and is unknown without ratings", () => {
    expect(severity({ ratings: [{ method: "CVSSv31", score: 9.1 }] })).toBe("critical");
    expect(severity({ ratings: [{ severity: "unknown" }, { severity: "info" }] })).toBe("negligible");
    expect(severity({})).toBe("unknown");
  });
});

describe("CycloneDX affected components and fixes", () => {
  it("resolves affects[].ref through bom-ref, nested components and BOM-Links, else as a purl", () => {
    const components = [
      { ...LODASH, components: [{ "bom-ref": "inner", name: "core", group: "@babel", version: "7.0.0" }] },
      {
        "bom-ref": "log4j",
        name: "log4j-core",
        group: "org.apache.logging.log4j",
        version: "2.14.1",
        purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
      },
    ];
    const summary = summarizeReport(
      bom(components, [
        {
          id: "CVE-1",
          ratings: [{ severity: "high" }],
          affects: [
            { ref: "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#lodash-ref" },
            { ref: "inner" },
            { ref: "log4j" },
            { ref: "pkg:deb/debian/openssl@3.0.11-1" },
            { ref: "somewhere-else" },
          ],
        },
      ]),
    );
    expect(summary.sbom).toEqual({ components: 3 });
    expect(summary.findings.map((f) => [f.package, f.installed])).toEqual([
      ["lodash", "4.17.20"],
      ["@babel/core", "7.0.0"],
      ["org.apache.logging.log4j:log4j-core", "2.14.1"],
      ["openssl", "3.0.11-1"],
      ["somewhere-else", null],
    ]);
  });

  it("takes the fix from unaffected versions of the entry, else from the recommendation", () => {
    const summary = summarizeReport(
      bom(
        [LODASH],
        [
          {
            id: "CVE-1",
            recommendation: "Upgrade lodash to version 4.17.21",
            affects: [
              {
                ref: "lodash-ref",
                versions: [
                  { version: "4.17.20", status: "affected" },
                  { version: "4.17.21", status: "unaffected" },
                  { range: "vers:npm/>=5.0.0", status: "unaffected" },
                ],
              },
            ],
          },
          {
            id: "CVE-2",
            recommendation: "Upgrade lodash to version 4.17.21, 5.0.1.",
            affects: [{ ref: "lodash-ref" }],
          },
          { id: "CVE-3", recommendation: "No fix; remove the package.", affects: [{ ref: "lodash-ref" }] },
        ],
      ),
    );
    expect(summary.findings.map((f) => [f.id, f.fixed])).toEqual([
      ["CVE-1", "4.17.21, vers:npm/>=5.0.0"],
      ["CVE-2", "4.17.21, 5.0.1"],
      ["CVE-3", null],
    ]);
  });

  it("counts a BOM that only lists vulnerabilities as no SBOM, and one with no vulnerabilities as one", () => {
    expect(
      summarizeReport(bom(undefined, [{ id: "CVE-1", affects: [{ ref: "pkg:npm/a@1.0.0" }] }])).sbom,
    ).toBeNull();
    const sbomOnly = JSON.parse(TRIVY_BOM);
    delete sbomOnly.vulnerabilities;
    expect(summarizeReport(JSON.stringify(sbomOnly))).toMatchObject({
      findings: [],
      sbom: { components: 13 },
    });
    expect(summarizeReport(JSON.stringify({ ...sbomOnly, specVersion: "1.3" })).sbom).toEqual({
      components: 13,
    });
  });
});

describe("CycloneDX analysis as VEX", () => {
  it.each([
    ["not_affected", "not_affected"],
    ["false_positive", "not_affected"],
    ["resolved", "fixed"],
    ["resolved_with_pedigree", "fixed"],
    ["exploitable", "affected"],
    ["in_triage", "under_investigation"],
  ])("analysis.state %s is a %s statement about the affected components' purls", (state, status) => {
    const doc = JSON.parse(TRIVY_BOM);
    doc.vulnerabilities[0].analysis = { state, justification: "code_not_reachable", detail: "not used" };
    const summary = summarizeReport(JSON.stringify(doc));
    expect(summary.vex).toEqual([
      {
        id: "CVE-2019-11358",
        products: ["pkg:npm/jquery@3.3.9"],
        status,
        justification: "code_not_reachable",
      },
    ]);
    // The finding stays: setting it aside is the gate's decision.
    expect(summary.findings).toHaveLength(1);
  });

  it("takes the detail when there is no justification, and refuses an unknown state", () => {
    const doc = JSON.parse(TRIVY_BOM);
    doc.vulnerabilities[0].analysis = { state: "in_triage", detail: "the team looks at it" };
    expect(summarizeReport(JSON.stringify(doc)).vex[0]!.justification).toBe("the team looks at it");
    doc.vulnerabilities[0].analysis = { state: "wontfix" };
    expect(() => summarizeReport(JSON.stringify(doc))).toThrow(
      'CycloneDX document: vulnerabilities[0].analysis.state: expected one of not_affected, false_positive, resolved, resolved_with_pedigree, exploitable, in_triage, got a string ("wontfix")',
    );
    doc.vulnerabilities[0].analysis = { response: ["update"] };
    expect(summarizeReport(JSON.stringify(doc)).vex).toEqual([]);
  });
});
