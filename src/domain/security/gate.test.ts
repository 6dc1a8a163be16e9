import { describe, expect, it } from "vitest";
import type { Waiver } from "../model.js";
import { evaluateSecurityGate, type ScannedArtifact } from "./gate.js";
import type { Finding, SecuritySummary, VexStatement } from "./summarize.js";

const NOW = Date.parse("2026-03-02T07:00:00.000Z");

const finding = (
  id: string,
  severity: Finding["severity"],
  pkg = "openssl",
  fixed: string | null = "3.0.9",
): Finding => ({
  id,
  severity,
  package: pkg,
  installed: "3.0.8",
  fixed,
  source: "grype",
});

function scan(findings: Finding[]): SecuritySummary {
  const counts = { critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0 };
  for (const f of findings) counts[f.severity]++;
  return { format: "grype", findings, counts, sbom: null, vex: [] };
}

const artifact = (findings: Finding[], extra: Partial<ScannedArtifact> = {}): ScannedArtifact => ({
  component: "api",
  version: "2.0.0",
  scans: [scan(findings)],
  vex: [],
  hasSbom: true,
  ...extra,
});

const waiver = (finding: string, overrides: Partial<Waiver> = {}): Waiver => ({
  id: `wvr_${finding}`,
  component: "api",
  finding,
  justification: "not reachable",
  approver: "alice",
  expiresAt: "2026-04-01T00:00:00.000Z",
  createdAt: "2026-03-01T00:00:00.000Z",
  revokedAt: null,
  revokedBy: null,
  revokeReason: null,
  ...overrides,
});

const gate = { onlyFixable: false, requireSbom: false };

describe("evaluateSecurityGate", () => {
  it("blocks what is above maxSeverity and lists it first, with its fix", () => {
    const result = evaluateSecurityGate(
      { ...gate, maxSeverity: "high" },
      [artifact([finding("CVE-1", "high"), finding("CVE-2", "critical", "zlib", null)])],
      [],
      NOW,
    );
    expect(result.verdict).toBe("fail");
    expect(result.blocking.map((f) => f.id)).toEqual(["CVE-2"]);
    expect(result.sentence).toBe(
      "1 finding breaks nothing above high: CVE-2 critical in zlib (api; no fix yet)",
    );
    expect(result.output).toContain(
      "blocking (1):\n  CVE-2 critical zlib 3.0.8 → no fix yet (api 2.0.0, grype)",
    );
    expect(result.output).toContain(
      "allowed (1):\n  CVE-1 high openssl 3.0.8 → fix 3.0.9 (api 2.0.0, grype)",
    );
  });

  it("passes at the limit of `max` and fails one over; unknown never exceeds a maxSeverity", () => {
    const two = [finding("CVE-1", "high"), finding("CVE-2", "high")];
    expect(evaluateSecurityGate({ ...gate, max: { high: 2 } }, [artifact(two)], [], NOW).verdict).toBe(
      "pass",
    );
    expect(
      evaluateSecurityGate({ ...gate, max: { high: 1, critical: 0 } }, [artifact(two)], [], NOW).sentence,
    ).toMatch(/^2 findings break critical ≤ 0, high ≤ 1/);
    expect(
      evaluateSecurityGate({ ...gate, maxSeverity: "low" }, [artifact([finding("X", "unknown")])], [], NOW)
        .verdict,
    ).toBe("pass");
  });

  it("does not count findings VEX marks not_affected or fixed, nor those a live waiver covers", () => {
    const vex: VexStatement[] = [
      {
        id: "CVE-1",
        products: ["pkg:apk/alpine/openssl@3.0.8"],
        status: "not_affected",
        justification: "vulnerable_code_not_in_execute_path",
      },
      { id: "CVE-2", products: [], status: "under_investigation", justification: null },
    ];
    const result = evaluateSecurityGate(
      { ...gate, max: { critical: 0 } },
      [
        artifact([finding("CVE-1", "critical"), finding("CVE-2", "critical"), finding("CVE-3", "critical")], {
          vex,
        }),
      ],
      [waiver("CVE-2"), waiver("CVE-3", { expiresAt: "2026-03-01T00:00:00.000Z" })],
      NOW,
    );
    expect(result.counted.map((f) => f.id)).toEqual(["CVE-3"]);
    expect(result.suppressed.map((f) => [f.id, f.why])).toEqual([
      ["CVE-1", "VEX not_affected (vulnerable_code_not_in_execute_path)"],
      ["CVE-2", "waived by alice until 2026-04-01T00:00:00.000Z: not reachable"],
    ]);
    expect(result.verdict).toBe("fail");
  });

  it("ignores a revoked waiver and one for another component", () => {
    const result = evaluateSecurityGate(
      { ...gate, maxSeverity: "high" },
      [artifact([finding("CVE-1", "critical")])],
      [waiver("CVE-1", { revokedAt: "2026-03-01T00:00:00.000Z" }), waiver("CVE-1", { component: "web" })],
      NOW,
    );
    expect(result.verdict).toBe("fail");
  });

  it("counts only fixable findings with onlyFixable", () => {
    const result = evaluateSecurityGate(
      { ...gate, onlyFixable: true, max: { critical: 0 } },
      [artifact([finding("CVE-1", "critical", "zlib", null)])],
      [],
      NOW,
    );
    expect(result.verdict).toBe("pass");
    expect(result.suppressed[0]?.why).toBe("no fix available (onlyFixable)");
  });

  it("fails without an SBOM when required, and is inconclusive without any scan", () => {
    expect(
      evaluateSecurityGate(
        { ...gate, requireSbom: true, maxSeverity: "critical" },
        [artifact([], { hasSbom: false })],
        [],
        NOW,
      ).sentence,
    ).toBe("no SBOM for api 2.0.0 (requireSbom)");
    const unscanned = evaluateSecurityGate(
      { ...gate, maxSeverity: "high" },
      [artifact([], { scans: [] })],
      [],
      NOW,
    );
    expect(unscanned.verdict).toBe("inconclusive");
  });

  it("counts a finding two scanners report once", () => {
    const same = [finding("CVE-1", "high")];
    const result = evaluateSecurityGate(
      { ...gate, max: { high: 1 } },
      [artifact([], { scans: [scan(same), { ...scan(same), format: "trivy" }] })],
      [],
      NOW,
    );
    expect(result.counts.high).toBe(1);
    expect(result.verdict).toBe("pass");
  });
});
