import { describe, expect, it } from "vitest";
import { summarizeReport } from "./summarize.js";

const openvex = (statements: unknown[], context = "https://openvex.dev/ns/v0.2.0") =>
  JSON.stringify({
    "@context": context,
    "@id": "https://example.com/vex-1",
    author: "a",
    version: 1,
    statements,
  });

describe("OpenVEX statements", () => {
  it("reads v0.0.x statements: vulnerability as a string, products and subcomponents as purls", () => {
    const summary = summarizeReport(
      openvex(
        [
          {
            vulnerability: "CVE-2023-1",
            products: ["pkg:oci/api@sha256%3Aabc"],
            subcomponents: ["pkg:golang/golang.org/x/net@v0.1.0"],
            status: "not_affected",
            impact_statement: "the HTTP/2 server is not used",
          },
          { vulnerability: "CVE-2023-2", status: "under_investigation" },
        ],
        "https://openvex.dev/ns",
      ),
    );
    expect(summary).toEqual({
      format: "openvex",
      findings: [],
      counts: { critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0 },
      sbom: null,
      vex: [
        {
          id: "CVE-2023-1",
          products: ["pkg:oci/api@sha256%3Aabc", "pkg:golang/golang.org/x/net@v0.1.0"],
          status: "not_affected",
          justification: "the HTTP/2 server is not used",
        },
        // No products: it is about anything the document covers.
        { id: "CVE-2023-2", products: [], status: "under_investigation", justification: null },
      ],
    });
  });

  it("names a v0.2.0 product by @id, else by identifiers.purl, and a vulnerability by name, else @id", () => {
    const summary = summarizeReport(
      openvex([
        {
          vulnerability: { "@id": "https://nvd.nist.gov/vuln/detail/CVE-2023-3" },
          products: [{ identifiers: { purl: "pkg:npm/a@1.0.0" } }],
          status: "affected",
        },
      ]),
    );
    expect(summary.vex).toEqual([
      {
        id: "https://nvd.nist.gov/vuln/detail/CVE-2023-3",
        products: ["pkg:npm/a@1.0.0"],
        status: "affected",
        justification: null,
      },
    ]);
  });

  it("refuses a statement without a vulnerability, with an unknown status, or an unnamed product", () => {
    expect(() => summarizeReport(openvex([{ status: "fixed" }]))).toThrow(
      'OpenVEX document: statements[0].vulnerability: missing (a name, or an object with "name")',
    );
    expect(() =>
      summarizeReport(openvex([{ vulnerability: { name: "CVE-1" }, status: "wont_fix" }])),
    ).toThrow(
      'OpenVEX document: statements[0].status: expected not_affected, affected, fixed or under_investigation, got a string ("wont_fix")',
    );
    expect(() =>
      summarizeReport(
        openvex([{ vulnerability: { name: "CVE-1" }, status: "fixed", products: [{ subcomponents: [] }] }]),
      ),
    ).toThrow(
      'OpenVEX document: statements[0].products[0]: expected a purl, or an object with "@id" or "identifiers.purl", got an object',
    );
  });
});
