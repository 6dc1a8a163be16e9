import { describe, expect, it } from "vitest";
import { FindingSet, fixedVersions, severityFromScore, severityOf } from "./findings.js";
import { purlPackage } from "./purl.js";

describe("severity words and scores", () => {
  it("reads every scanner's spelling, and anything else as unknown", () => {
    expect(
      ["CRITICAL", "High", "medium", "Moderate", "important", "LOW", "Negligible", "info", "none"].map(
        severityOf,
      ),
    ).toEqual([
      "critical",
      "high",
      "medium",
      "medium",
      "high",
      "low",
      "negligible",
      "negligible",
      "negligible",
    ]);
    expect([" HIGH ", "sEvErE", "", 7, null, undefined].map(severityOf)).toEqual([
      "high",
      "unknown",
      "unknown",
      "unknown",
      "unknown",
      "unknown",
    ]);
  });

  it("bands CVSS scores as gates.md says, and refuses what is no score", () => {
    expect([10, 9, 8.99, 7, 6.99, 4, 3.99, 0.1, 0].map(severityFromScore)).toEqual([
      "critical",
      "critical",
      "high",
      "high",
      "medium",
      "medium",
      "low",
      "low",
      "unknown",
    ]);
    expect(["7.5", " 9.8 ", "", "high", -1, 10.1, Number.NaN, null].map(severityFromScore)).toEqual([
      "high",
      "critical",
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it("writes fix versions as one list without blanks or repeats", () => {
    expect(fixedVersions("1.2.1,2.1.3 , 3.4.0")).toBe("1.2.1, 2.1.3, 3.4.0");
    expect(fixedVersions(["1.0.1", "", "1.0.1", null, "2.0.0"])).toBe("1.0.1, 2.0.0");
    expect(fixedVersions(" , ")).toBeNull();
    expect(fixedVersions([])).toBeNull();
  });
});

describe("FindingSet", () => {
  it("deduplicates per (id, package, installed), telling no version apart from an empty one", () => {
    const set = new FindingSet("grype");
    set.add("CVE-1", "low", "openssl", "3.0.7", null);
    set.add("CVE-1", "high", "openssl", "3.0.7", "3.0.8");
    set.add("CVE-1", "medium", "openssl", "3.0.7", "3.0.9");
    set.add("CVE-1", "low", "openssl", null, null);
    set.add("CVE-1", "low", "libssl", "3.0.7", null);
    set.add("CVE-2", "critical", "openssl", "3.0.7", null);
    const summary = set.summary();
    expect(summary.findings.map((f) => [f.id, f.severity, f.package, f.installed, f.fixed])).toEqual([
      ["CVE-2", "critical", "openssl", "3.0.7", null],
      ["CVE-1", "high", "openssl", "3.0.7", "3.0.8"],
      ["CVE-1", "low", "openssl", null, null],
      ["CVE-1", "low", "libssl", "3.0.7", null],
    ]);
    expect(summary.counts).toEqual({ critical: 1, high: 1, medium: 0, low: 2, negligible: 0, unknown: 0 });
  });
});

describe("purlPackage", () => {
  it.each([
    ["pkg:npm/%40babel/core@7.22.0", "@babel/core", "7.22.0"],
    [
      "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar",
      "org.apache.logging.log4j:log4j-core",
      "2.14.1",
    ],
    ["pkg:golang/github.com/gin-gonic/gin@v1.9.0", "github.com/gin-gonic/gin", "v1.9.0"],
    ["pkg:deb/debian/curl@7.88.1-10?arch=amd64&distro=debian-12", "curl", "7.88.1-10"],
    ["pkg:apk/alpine/libssl3@3.0.8-r3", "libssl3", "3.0.8-r3"],
    ["pkg:pypi/django", "django", null],
  ])("%s is %s %s", (purl, name, version) => {
    expect(purlPackage(purl)).toEqual({ name, version });
  });

  it("is null for what is no purl", () => {
    expect(purlPackage("jquery@3.3.9")).toBeNull();
    expect(purlPackage("pkg:npm")).toBeNull();
  });
});
