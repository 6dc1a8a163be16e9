import { describe, expect, test } from "vitest";
import { Line } from "../config/schema.js";
import type { GateResult, ManifestItem, Train } from "../model.js";
import type { GateFinding } from "../security/gate.js";
import { assemblePolicyContext, type PolicyFacts, type RecordedGate, versionChange } from "./assemble.js";

const train: Train = {
  id: "shop-7",
  line: "shop",
  number: 7,
  kind: "scheduled",
  state: "gating",
  resumeTo: null,
  reason: null,
  cutoffAt: "2026-03-02T07:00:00.000Z",
  departureAt: "2026-03-02T09:00:00.000Z",
  scheduledAt: "2026-03-02T09:00:00.000Z",
  pauseCause: null,
  resumeAt: null,
  manifestRevision: 1,
  currentWave: -1,
  waveDeployedAt: null,
  wakeAt: null,
  createdAt: "2026-03-01T09:00:00.000Z",
  updatedAt: "2026-03-02T07:00:00.000Z",
  endedAt: null,
  rollbackScope: null,
};

const line = Line.parse({
  schedule: { rrule: "FREQ=DAILY", start: "2026-03-02T10:00", timezone: "Europe/Berlin", cutoff: "2h" },
  components: ["db", "api"],
  approval: { mode: "manual", team: "board", required: 2 },
  rollout: { waves: [{ name: "eu", environments: ["eu"], bake: "1h30m" }] },
});

const item = (component: string, version: string, previousVersion: string | null): ManifestItem => ({
  trainId: train.id,
  component,
  version,
  artifactId: `art-${component}`,
  previousVersion,
  dependsOn: [],
  status: "boarded",
  reason: null,
  revision: 0,
});

const finding = (
  component: string,
  severity: GateFinding["severity"],
  fixed: string | null,
): GateFinding => ({
  id: `CVE-2026-${component}`,
  severity,
  package: "openssl",
  installed: null,
  fixed,
  source: "trivy",
  component,
  version: "1.0.0",
});

const recorded = (
  key: string,
  gate: string,
  stage: string,
  attempt: number,
  verdict: GateResult["verdict"],
): RecordedGate => ({
  key,
  result: {
    id: `${train.id}/${key}#${attempt}`,
    trainId: train.id,
    stage,
    gate,
    type: "command",
    attempt,
    status: verdict === "pass" ? "passed" : "failed",
    verdict,
    output: "",
    durationMs: 1,
    evaluatedAt: "2026-03-02T07:05:00.000Z",
    detail: null,
  },
});

function facts(overrides: Partial<PolicyFacts> = {}): PolicyFacts {
  return {
    train,
    line,
    manifest: [
      {
        item: item("db", "2.0.0", "1.9.0"),
        team: "data",
        migration: true,
        commit: "abc1234",
        ci: "success",
        reports: ["vulnerabilities", "sbom", "vulnerabilities"],
        sbom: true,
      },
      {
        item: item("api", "1.0.0", null),
        team: "core",
        migration: false,
        commit: "def5678",
        ci: "none",
        reports: [],
        sbom: false,
      },
    ],
    findings: [finding("db", "critical", "3.0.2"), finding("db", "low", null)],
    gates: [],
    evaluating: { stage: "gating", gate: "policy" },
    now: Date.parse("2026-03-02T07:10:00Z"),
    permit: { ok: true },
    ...overrides,
  };
}

describe("versionChange", () => {
  test.each([
    [null, "1.0.0", "new"],
    ["1.0.0", "1.1.0", "upgrade"],
    ["1.10.0", "1.9.0", "downgrade"],
    ["2.0.0", "2.0.0", "same"],
    ["build-12", "build-12", "same"],
    ["build-12", "build-9", "upgrade"],
  ])("%s → %s is %s", (from, to, change) => {
    expect(versionChange(from, to)).toBe(change);
  });
});

describe("assemblePolicyContext", () => {
  test("describes the line, the train, the manifest and the findings with every field present", () => {
    const context = assemblePolicyContext(facts());
    expect(context.line).toEqual({
      name: "shop",
      components: ["db", "api"],
      approval: { mode: "manual", team: "board", required: 2 },
      waves: [{ name: "eu", environments: ["eu"], bake: 90 * 60_000 }],
    });
    expect(context.train).toEqual({
      id: "shop-7",
      number: 7,
      kind: "scheduled",
      state: "gating",
      revision: 1,
      cutoffAt: "2026-03-02T07:00:00.000Z",
      departureAt: "2026-03-02T09:00:00.000Z",
    });
    expect(context.manifest).toEqual([
      {
        component: "db",
        team: "data",
        version: "2.0.0",
        previousVersion: "1.9.0",
        change: "upgrade",
        commit: "abc1234",
        ci: "success",
        reports: ["sbom", "vulnerabilities"],
        sbom: true,
        findings: { critical: 1, high: 0, medium: 0, low: 1, negligible: 0, unknown: 0 },
        migration: true,
      },
      {
        component: "api",
        team: "core",
        version: "1.0.0",
        previousVersion: "",
        change: "new",
        commit: "def5678",
        ci: "none",
        reports: [],
        sbom: false,
        findings: { critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0 },
        migration: false,
      },
    ]);
    expect(context.findings[1]).toEqual({
      id: "CVE-2026-db",
      severity: "low",
      package: "openssl",
      installed: "",
      fixed: "",
      component: "db",
    });
    expect(context.now).toBe("2026-03-02T07:10:00.000Z");
    expect(context.window).toEqual({ open: true, reason: "" });
  });

  test("an automatic approval has no team and needs no approvers", () => {
    const auto = Line.parse({ ...line, approval: { mode: "auto" } });
    expect(assemblePolicyContext(facts({ line: auto })).line.approval).toEqual({
      mode: "auto",
      team: "",
      required: 0,
    });
  });

  test("a closed window says why", () => {
    const context = assemblePolicyContext(
      facts({ permit: { ok: false, reason: "blackout freeze: year end" } }),
    );
    expect(context.window).toEqual({ open: false, reason: "blackout freeze: year end" });
  });

  test("gates: the latest attempt of the current revision's gates and the waves', without the gate evaluated", () => {
    const context = assemblePolicyContext(
      facts({
        gates: [
          recorded("r0/gate/gating/tests", "tests", "gating", 1, "pass"),
          recorded("r1/gate/gating/tests", "tests", "gating", 1, "fail"),
          recorded("r1/gate/gating/tests", "tests", "gating", 2, "pass"),
          recorded("r0/gate/gating/scan", "scan", "gating", 1, "pass"),
          recorded("r1/gate/gating/policy", "policy", "gating", 1, "fail"),
          recorded("gate/verify/eu/health", "health", "verify/eu", 1, "inconclusive"),
        ],
      }),
    );
    expect(context.gates).toEqual({
      tests: { type: "command", stage: "gating", verdict: "pass", attempt: 2 },
      "verify/eu/health": { type: "command", stage: "verify/eu", verdict: "inconclusive", attempt: 1 },
    });
  });
});
