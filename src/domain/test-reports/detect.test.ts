import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectReport, ReportFormatError } from "./detect.js";

const fixture = (file: string): string =>
  readFileSync(new URL(`../../../test/fixtures/${file}`, import.meta.url), "utf8");

function refusal(content: string): string {
  try {
    detectReport(content);
  } catch (error) {
    expect(error).toBeInstanceOf(ReportFormatError);
    return (error as Error).message;
  }
  throw new Error("detectReport recognised the content");
}

describe("detectReport on real reports", () => {
  it.each([
    ["scanner-reports/cyclonedx/trivy-npm-cyclonedx.json.golden.json", "vulnerabilities", "cyclonedx-1.7"],
    ["scanner-reports/spdx/trivy-julia-spdx.json.golden.json", "sbom", "spdx-2.3"],
    ["scanner-reports/grype/TestJsonImgsPresenter.golden.json", "vulnerabilities", "grype"],
    ["scanner-reports/trivy/alpine-310.json.golden.json", "vulnerabilities", "trivy"],
    [
      "scanner-reports/sarif/grype-TestSarifPresenter_image.golden.sarif.json",
      "vulnerabilities",
      "sarif-2.1.0",
    ],
    ["scanner-reports/openvex/grype-openvex-demo2.json", "vex", "openvex"],
    ["junit/TEST-io.olamy.FlakyTest.xml", "junit", "junit"],
    ["junit/TEST-com.shape.CircleTest.xml", "junit", "junit"],
    ["junit/pytest-junit.fail.xml", "junit", "junit"],
    ["junit/jest-junit.xml", "junit", "junit"],
  ])("%s is %s (%s)", (file, kind, format) => {
    expect(detectReport(fixture(file))).toEqual({ kind, format });
  });

  it("reads a CycloneDX document without vulnerabilities as an SBOM", () => {
    const bom = JSON.parse(fixture("scanner-reports/cyclonedx/trivy-npm-cyclonedx.json.golden.json"));
    expect(detectReport(JSON.stringify({ ...bom, vulnerabilities: [] }))).toEqual({
      kind: "sbom",
      format: "cyclonedx-1.7",
    });
    delete bom.vulnerabilities;
    expect(detectReport(JSON.stringify(bom))).toEqual({ kind: "sbom", format: "cyclonedx-1.7" });
  });

  it("reads a Trivy report with nothing found (no Results) by its ArtifactName", () => {
    const trivy = JSON.parse(fixture("scanner-reports/trivy/alpine-310.json.golden.json"));
    delete trivy.Results;
    expect(detectReport(JSON.stringify(trivy))).toEqual({ kind: "vulnerabilities", format: "trivy" });
  });
});

describe("detectReport: small documents (written by us)", () => {
  it("sees JUnit past a byte order mark, declaration, comments and processing instructions", () => {
    const xml =
      '\uFEFF<?xml version="1.0"?>\n<!-- generated -->\n<?xml-stylesheet href="x.xsl"?>\n<testsuite name="s"/>';
    expect(detectReport(xml)).toEqual({ kind: "junit", format: "junit" });
    expect(detectReport('<testsuites name="vitest tests"></testsuites>')).toEqual({
      kind: "junit",
      format: "junit",
    });
  });

  it("labels the SPDX 2 and CycloneDX versions as stated", () => {
    expect(detectReport('{"spdxVersion": "SPDX-2.2", "SPDXID": "SPDXRef-DOCUMENT"}')).toEqual({
      kind: "sbom",
      format: "spdx-2.2",
    });
    expect(detectReport('{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": []}')).toEqual({
      kind: "sbom",
      format: "cyclonedx-1.5",
    });
  });
});

describe("detectReport: what it refuses", () => {
  it("names the top-level keys of an unknown JSON document", () => {
    expect(refusal('{"coverage": 0.91, "files": []}')).toBe(
      'unknown report format: a JSON object with keys "coverage", "files"; expected JUnit XML, CycloneDX JSON, SPDX 2 JSON, Grype JSON, Trivy JSON, SARIF 2.1.0 or OpenVEX',
    );
    expect(refusal("[1, 2]")).toMatch(/^unknown report format: a JSON array, not an object;/);
    expect(refusal("{}")).toMatch(/^unknown report format: an empty JSON object;/);
  });

  it("names the root element of unknown XML", () => {
    expect(refusal('<?xml version="1.0"?>\n<coverage line-rate="0.9"/>')).toMatch(
      /^unknown report format: XML with root element <coverage>;/,
    );
    expect(refusal("<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>")).toMatch(
      /^unknown report format: an HTML page;/,
    );
    expect(refusal('<bom xmlns="http://cyclonedx.org/schema/bom/1.5"/>')).toBe(
      "CycloneDX XML is not supported: send the SBOM as CycloneDX JSON",
    );
  });

  it("says when a known format comes in a version it does not read", () => {
    expect(refusal('{"version": "2.0.0", "runs": []}')).toBe(
      'SARIF version "2.0.0" is not supported: send SARIF 2.1.0',
    );
    expect(refusal('{"spdxVersion": "SPDX-3.0"}')).toBe(
      'SPDX version "SPDX-3.0" is not supported: send SPDX 2.x JSON',
    );
    expect(refusal('{"bomFormat": "CycloneDX"}')).toBe('CycloneDX document without "specVersion"');
  });

  it("refuses empty content, broken JSON and plain text", () => {
    expect(refusal("  \n")).toBe("the report is empty");
    expect(refusal('{"bomFormat": "CycloneDX",')).toMatch(/^not valid JSON: /);
    expect(refusal("Tests run: 3, Failures: 1\n")).toMatch(
      /^unknown report format: neither XML nor JSON \(it starts with "Tests run: 3, Failures: 1"\);/,
    );
  });
});
