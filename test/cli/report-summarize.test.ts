/**
 * `railyard report summarize FILE [--json]`: a security report read without a server. Runs the
 * built CLI on the vendored scanner reports and on broken files in a temp folder.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SummarizeOutput } from "../../src/cli/commands/report-summarize.js";
import { type CliResult, ROOT, runCli } from "../support/cli.js";

const FIXTURES = "test/fixtures/scanner-reports";
const TRIVY = `${FIXTURES}/trivy/alpine-310.json.golden.json`;
const EXPECTED = "expected Grype, Trivy, CycloneDX, SARIF 2.1.0, SPDX 2.3 or OpenVEX JSON";

const summarize = (...args: string[]) => runCli(["report", "summarize", ...args]);

const zero = { critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0 };

function json(result: CliResult): SummarizeOutput {
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as SummarizeOutput;
}

describe("railyard report summarize", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "railyard-summarize-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const file = async (name: string, content: string) => {
    const target = path.join(dir, name);
    await writeFile(target, content);
    return target;
  };

  it("prints the fixed JSON interface for a Trivy report", async () => {
    const result = await summarize(TRIVY, "--json");
    const report = json(result);
    // Exactly these keys, in this order, and nothing else (no source, sbom or vex).
    expect(Object.keys(report)).toEqual(["format", "findings", "counts"]);
    expect(report).toEqual({
      format: "trivy",
      findings: [
        {
          id: "CVE-2019-1549",
          severity: "medium",
          package: "libcrypto1.1",
          installed: "1.1.1c-r0",
          fixed: "1.1.1d-r0",
        },
        {
          id: "CVE-2019-1551",
          severity: "medium",
          package: "libcrypto1.1",
          installed: "1.1.1c-r0",
          fixed: "1.1.1d-r2",
        },
        {
          id: "CVE-2019-1549",
          severity: "medium",
          package: "libssl1.1",
          installed: "1.1.1c-r0",
          fixed: "1.1.1d-r0",
        },
        {
          id: "CVE-2019-1551",
          severity: "medium",
          package: "libssl1.1",
          installed: "1.1.1c-r0",
          fixed: "1.1.1d-r2",
        },
      ],
      counts: { ...zero, medium: 4 },
    });
  });

  it.each([
    [
      "grype/TestJsonImgsPresenter.golden.json",
      "grype",
      { critical: 1, low: 1 },
      ["CVE-1999-0002", "CVE-1999-0001"],
    ],
    ["cyclonedx/trivy-npm-cyclonedx.json.golden.json", "cyclonedx", { medium: 1 }, ["CVE-2019-11358"]],
    [
      "sarif/grype-TestSarifPresenter_image.golden.sarif.json",
      "sarif",
      { high: 1, low: 1 },
      ["CVE-1999-0002", "CVE-1999-0001"],
    ],
    ["spdx/trivy-julia-spdx.json.golden.json", "spdx", {}, []],
    ["openvex/grype-openvex-demo2.json", "openvex", {}, []],
  ])("reads %s as %s", async (fixture, format, counts, ids) => {
    const report = json(await summarize(`${FIXTURES}/${fixture}`, "--json"));
    expect(report.format).toBe(format);
    expect(report.counts).toEqual({ ...zero, ...counts });
    expect(report.findings.map((f) => f.id)).toEqual(ids);
  });

  it("prints format, counts and the findings most severe first without --json", async () => {
    const result = await summarize(`${FIXTURES}/grype/TestJsonImgsPresenter.golden.json`);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        "Format: grype",
        "Findings: 2 (critical 1, high 0, medium 0, low 1, negligible 0, unknown 0)",
        "",
        "ID             SEVERITY  PACKAGE    INSTALLED  FIXED",
        "CVE-1999-0002  critical  package-2  2.2.2      -",
        "CVE-1999-0001  low       package-1  1.1.1      1.2.1, 2.1.3, 3.4.0",
        "",
      ].join("\n"),
    );
  });

  it("shows an SBOM's size and a VEX document's statements", async () => {
    const sbom = await summarize(`${FIXTURES}/cyclonedx/trivy-npm-cyclonedx.json.golden.json`);
    expect(sbom.stdout).toContain("SBOM: 13 components\n");
    expect(sbom.stdout).toMatch(/CVE-2019-11358 +medium +jquery +3\.3\.9 +3\.4\.0\n/);

    const vex = await summarize(`${FIXTURES}/openvex/grype-openvex-demo2.json`);
    expect(vex.code).toBe(0);
    expect(vex.stdout).toContain("VEX: 5 statements\n\nNo findings.\n");
    expect(vex.stdout).toMatch(
      /CVE-2023-3446 +not_affected +vulnerable_code_not_present +pkg:oci\/alpine@\S+ \(\+2\)\n/,
    );
  });

  it("does not offer --server or --token: it needs no server", async () => {
    const help = await summarize("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--json");
    expect(help.stdout).not.toMatch(/--server|--token/);
  });

  const refused = (result: CliResult, code: number, pattern: RegExp) => {
    expect(result.code).toBe(code);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(pattern);
  };

  it("refuses a truncated, empty, malformed or foreign file with exit code 1 and nothing on stdout", async () => {
    const trivy = await readFile(path.join(ROOT, TRIVY), "utf8");
    const half = await file("half.json", trivy.slice(0, trivy.length / 2));
    for (const args of [[half], [half, "--json"]]) {
      refused(
        await summarize(...args),
        1,
        /^railyard: \S+half\.json: truncated JSON: the report ends at position \d+ \(line \d+, column \d+\) before the document is complete/,
      );
    }
    refused(
      await summarize(await file("empty.json", "")),
      1,
      new RegExp(`empty\\.json: the report is empty; ${EXPECTED}`),
    );
    refused(
      await summarize(await file("broken.json", '{"matches": [}')),
      1,
      /broken\.json: invalid JSON at position 13 \(line 1, column 14\)/,
    );
    refused(
      await summarize("package.json", "--json"),
      1,
      new RegExp(
        `^railyard: package\\.json: unknown report: a JSON object with keys "name", .*; ${EXPECTED}\\n$`,
      ),
    );
    refused(
      await summarize(
        await file(
          "sarif.json",
          JSON.stringify({ version: "2.1.0", $schema: "https://json.schemastore.org/sarif-2.1.0.json" }),
        ),
      ),
      1,
      /sarif\.json: SARIF log: runs: missing \(an array of runs\)/,
    );
    refused(
      await summarize(await file("results.xml", '<?xml version="1.0"?><testsuite name="unit"/>')),
      1,
      /results\.xml: not JSON: an XML document \(root element <testsuite>\)/,
    );
  });

  it("refuses a missing file or a folder with exit code 2", async () => {
    refused(await summarize(path.join(dir, "missing.json"), "--json"), 2, /missing\.json: no such file/);
    refused(await summarize(dir), 2, /: not a file/);
    const usage = await summarize();
    expect(usage.code).toBe(1);
    expect(usage.stderr).toMatch(/missing required argument 'file'/);
  });
});
