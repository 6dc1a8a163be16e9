import { describe, expect, it } from "vitest";
import { makeTrain } from "../../test/support/train.js";
import { compileDeploymentRules } from "./calendar/deploy-permit.js";
import { type LineConfig, Line as LineSchema, Team } from "./config/schema.js";
import type { Approval, ManifestItem, Step, Train } from "./model.js";
import { decide, failureTransition, permitOf, rollbackBackoffMs, type TrainView } from "./reconcile.js";

const line: LineConfig = LineSchema.parse({
  schedule: { rrule: "FREQ=DAILY", start: "2026-01-05T10:00", timezone: "Europe/Berlin", cutoff: "2h" },
  components: ["db", "api", "web"],
  gates: [
    { name: "tests", type: "command", command: "true" },
    { name: "smoke", type: "http", url: "http://localhost/health" },
  ],
  approval: { mode: "manual", team: "board", required: 2 },
  rollout: {
    waves: [
      {
        name: "canary",
        environments: ["eu"],
        bake: "30m",
        verify: [{ name: "health", type: "command", command: "true" }],
      },
      { name: "rest", environments: ["us", "ap"], bake: "0s" },
    ],
  },
});
const teams = { board: Team.parse({ members: [{ name: "alice" }, { name: "bob" }, { name: "carol" }] }) };
const deps: Record<string, string[]> = { api: ["db"], web: ["api"] };

const T0 = Date.parse("2026-03-02T08:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

const train = makeTrain;

const item = (
  component: string,
  version: string,
  status: ManifestItem["status"] = "boarded",
): ManifestItem => ({
  trainId: "web-7",
  component,
  version,
  artifactId: `art_${component}`,
  previousVersion: "1.0.0",
  dependsOn: [],
  status,
  reason: status === "boarded" ? null : "why",
  revision: 1,
});

const manifest = [item("web", "3.0.0"), item("api", "2.0.0"), item("db", "5.0.0")];

function step(key: string, status: Step["status"], attempt = 1, finishedAt: string | null = at(1)): Step {
  return {
    id: `web-7/${key}#${attempt}`,
    trainId: "web-7",
    key,
    kind:
      key.startsWith("gate") || key.includes("/gate/")
        ? "gate"
        : key.includes("integrate")
          ? "integrate"
          : key.startsWith("rollback")
            ? "rollback"
            : "deploy",
    attempt,
    status,
    idempotencyKey: `web-7/${key}#${attempt}`,
    startedAt: at(0),
    finishedAt: status === "running" ? null : finishedAt,
    output: null,
    error: null,
    durationMs: null,
  };
}

function view(t: Partial<Train>, extra: Partial<TrainView> = {}): TrainView {
  return {
    train: train(t),
    line,
    teams,
    dependsOn: (c) => deps[c] ?? [],
    integrationEnvironment: "staging",
    manifest,
    steps: [],
    approvals: [],
    inFlight: new Set(),
    productionHeldBy: null,
    permit: () => ({ ok: true }),
    ...extra,
  };
}

const approval = (
  approver: string,
  decision: Approval["decision"] = "approve",
  minute = 10,
  revision = 1,
): Approval => ({
  id: `apr_${approver}_${minute}`,
  trainId: "web-7",
  approver,
  decision,
  comment: null,
  manifestRevision: revision,
  at: at(minute),
});

describe("decide", () => {
  it("boards until the cut-off, then freezes", () => {
    expect(decide(view({ state: "boarding" }), T0 - 1)).toMatchObject({ transition: null, wakeAt: at(0) });
    expect(decide(view({ state: "boarding" }), T0).transition?.event).toBe("freeze");
  });

  it("skips a scheduled train whose boarding never opened", () => {
    expect(decide(view({ state: "scheduled" }), T0).transition).toEqual({
      event: "skip",
      reason: "boarding never opened before the cut-off",
    });
  });

  it("integrates components one at a time, dependencies first", () => {
    const v = view({ state: "integrating" });
    expect(decide(v, T0).start.map((s) => [s.key, s.version, s.environments])).toEqual([
      ["r1/integrate/db", "5.0.0", ["staging"]],
    ]);
    const next = view({ state: "integrating" }, { steps: [step("r1/integrate/db", "succeeded")] });
    expect(decide(next, T0).start.map((s) => s.key)).toEqual(["r1/integrate/api"]);
    const done = view(
      { state: "integrating" },
      { steps: ["db", "api", "web"].map((c) => step(`r1/integrate/${c}`, "succeeded")) },
    );
    expect(decide(done, T0).transition?.event).toBe("integrated");
  });

  it("waits for a step in flight and resumes one a crash left running, with the same attempt", () => {
    const running = step("r1/integrate/db", "running");
    const busy = view({ state: "integrating" }, { steps: [running], inFlight: new Set([running.id]) });
    expect(decide(busy, T0)).toMatchObject({ transition: null, start: [] });
    const orphan = view({ state: "integrating" }, { steps: [running] });
    expect(decide(orphan, T0).start).toMatchObject([{ key: "r1/integrate/db", attempt: 1, resume: true }]);
  });

  it("runs every gate at once and passes when all succeeded", () => {
    const gating = view({ state: "gating" });
    expect(decide(gating, T0).start.map((s) => [s.key, s.stage])).toEqual([
      ["r1/gate/gating/tests", "gating"],
      ["r1/gate/gating/smoke", "gating"],
    ]);
    const passed = view(
      { state: "gating" },
      { steps: [step("r1/gate/gating/tests", "succeeded"), step("r1/gate/gating/smoke", "succeeded")] },
    );
    expect(decide(passed, T0).transition?.event).toBe("gates_passed");
  });

  it("after a retry, re-attempts only the gates that failed", () => {
    const retried = view(
      { state: "gating" },
      { steps: [step("r1/gate/gating/tests", "failed"), step("r1/gate/gating/smoke", "succeeded")] },
    );
    expect(decide(retried, T0).start.map((s) => [s.key, s.attempt])).toEqual([["r1/gate/gating/tests", 2]]);
  });

  it("needs distinct approvers of the team on the current manifest, then waits for departure", () => {
    const waiting = view(
      { state: "awaiting_approval" },
      { approvals: [approval("alice"), approval("alice", "approve", 11)] },
    );
    expect(decide(waiting, T0).waitingFor).toBe("approval: 1 of 2 (alice)");
    const outsider = view(
      { state: "awaiting_approval" },
      { approvals: [approval("alice"), approval("mallory")] },
    );
    expect(decide(outsider, T0).waitingFor).toBe("approval: 1 of 2 (alice)");
    const stale = view(
      { state: "awaiting_approval", manifestRevision: 2 },
      { approvals: [approval("alice"), approval("bob")] },
    );
    expect(decide(stale, T0).waitingFor).toBe("approval: 0 of 2");
    const approved = view(
      { state: "awaiting_approval" },
      { approvals: [approval("alice"), approval("bob")] },
    );
    expect(decide(approved, T0)).toMatchObject({ transition: null, wakeAt: at(120) });
    expect(decide(approved, T0 + 120 * 60_000).transition).toEqual({
      event: "depart",
      reason: "approved by alice, bob",
      wave: 0,
    });
  });

  it("does not count approvals given before a rejection", () => {
    const v = view(
      { state: "awaiting_approval" },
      {
        approvals: [
          approval("alice", "approve", 10),
          approval("bob", "reject", 11),
          approval("carol", "approve", 12),
        ],
      },
    );
    expect(decide(v, T0).waitingFor).toBe("approval: 1 of 2 (carol)");
  });

  it("judges approvals at the time it decides: one that expired while the train waited stops counting", () => {
    const expiring = LineSchema.parse({
      ...line,
      approval: { mode: "manual", team: "board", required: 2, expiresAfter: "90m" },
    });
    // alice at minute 10 and bob at 50; at the departure (minute 120) alice's is 110 minutes old.
    const v = view(
      { state: "awaiting_approval" },
      { line: expiring, approvals: [approval("alice"), approval("bob", "approve", 50)] },
    );
    expect(decide(v, T0 + 60 * 60_000)).toMatchObject({ transition: null, wakeAt: at(120) });
    const atDeparture = decide(v, T0 + 120 * 60_000);
    expect(atDeparture.transition).toBeNull();
    expect(atDeparture.waitingFor).toBe("approval: 1 of 2 (bob)");
  });

  it("does not count the approval of someone who pushed or authored an artifact the train carries", () => {
    const shipped = [
      { id: "art_api", component: "api", version: "2.0.0", pushedBy: "alice", authors: [] },
      { id: "art_web", component: "web", version: "3.0.0", pushedBy: "ci-bot", authors: ["carol"] },
    ];
    const v = view(
      { state: "awaiting_approval" },
      { approvals: [approval("alice"), approval("bob"), approval("carol")], shipped },
    );
    expect(decide(v, T0 + 120 * 60_000).waitingFor).toBe("approval: 1 of 2 (bob)");
  });

  it("waits while another train of the line holds production", () => {
    const v = view(
      { state: "awaiting_approval" },
      { approvals: [approval("alice"), approval("bob")], productionHeldBy: "web-6" },
    );
    expect(decide(v, T0 + 200 * 60_000).waitingFor).toBe("web-6 to finish its rollout");
  });

  it("deploys a wave, bakes, verifies, and moves to the next wave", () => {
    const deploying = view({ state: "deploying", currentWave: 0 });
    expect(decide(deploying, T0).start.map((s) => [s.key, s.environments])).toEqual([
      ["deploy/canary/db", ["eu"]],
    ]);
    const deployed = view(
      { state: "deploying", currentWave: 0 },
      { steps: ["db", "api", "web"].map((c) => step(`deploy/canary/${c}`, "succeeded")) },
    );
    expect(decide(deployed, T0).transition).toEqual({ event: "wave_deployed", reason: null, wave: 0 });
    const baking = view({ state: "verifying", currentWave: 0, waveDeployedAt: at(0) });
    expect(decide(baking, T0 + 10 * 60_000)).toMatchObject({ start: [], wakeAt: at(30) });
    expect(decide(baking, T0 + 30 * 60_000).start.map((s) => [s.key, s.stage])).toEqual([
      ["gate/verify/canary/health", "verify/canary"],
    ]);
    const verified = view(
      { state: "verifying", currentWave: 0, waveDeployedAt: at(0) },
      { steps: [step("gate/verify/canary/health", "succeeded")] },
    );
    expect(decide(verified, T0 + 30 * 60_000).transition).toEqual({
      event: "next_wave",
      reason: null,
      wave: 1,
    });
    const last = view({ state: "verifying", currentWave: 1, waveDeployedAt: at(0) });
    expect(decide(last, T0).transition?.event).toBe("release");
  });

  it("rolls back every reached wave newest first, dependents first, only what was deployed", () => {
    const v = view(
      { state: "rolling_back", currentWave: 1 },
      {
        steps: [
          ...["db", "api", "web"].map((c) => step(`deploy/canary/${c}`, "succeeded")),
          step("deploy/rest/db", "failed"),
        ],
      },
    );
    expect(decide(v, T0).start.map((s) => [s.key, s.version, s.undoStepKey])).toEqual([
      ["rollback/rest/db", "1.0.0", "deploy/rest/db"],
    ]);
    const afterRest = view(
      { state: "rolling_back", currentWave: 1 },
      { steps: [...v.steps, step("rollback/rest/db", "succeeded")] },
    );
    expect(decide(afterRest, T0).start.map((s) => s.key)).toEqual(["rollback/canary/web"]);
  });

  it("retries a failed rollback step after a backoff", () => {
    const failedAt = at(5);
    const v = view(
      { state: "rolling_back", currentWave: 0 },
      { steps: [step("deploy/canary/db", "succeeded"), step("rollback/canary/db", "failed", 1, failedAt)] },
    );
    const retryAt = Date.parse(failedAt) + rollbackBackoffMs(1);
    expect(decide(v, retryAt - 1)).toMatchObject({ start: [], wakeAt: new Date(retryAt).toISOString() });
    expect(decide(v, retryAt).start).toMatchObject([{ key: "rollback/canary/db", attempt: 2 }]);
    expect(rollbackBackoffMs(10)).toBe(600_000);
  });

  it("does nothing for blocked, paused and ended trains but says what they wait for", () => {
    expect(
      decide(view({ state: "blocked", resumeTo: "gating", reason: "gate tests failed" }), T0).waitingFor,
    ).toBe("a person: gate tests failed — retry, drop a component or roll back");
    expect(decide(view({ state: "paused", resumeTo: "gating", reason: "by hand" }), T0).waitingFor).toBe(
      "resume: by hand",
    );
    expect(decide(view({ state: "released" }), T0)).toEqual({
      transition: null,
      start: [],
      wakeAt: null,
      waitingFor: null,
    });
  });

  it("returns a dropped component to production in integration before integrating the rest", () => {
    const v = view(
      { state: "integrating", manifestRevision: 2 },
      {
        manifest: [
          { ...item("web", "3.0.0", "dropped"), revision: 2 },
          { ...item("api", "2.0.0"), revision: 2 },
          { ...item("db", "5.0.0"), revision: 2 },
        ],
        steps: ["db", "api", "web"].map((c) => step(`r1/integrate/${c}`, "succeeded")),
      },
    );
    expect(decide(v, T0).start.map((s) => [s.key, s.version])).toEqual([["r2/unintegrate/web", "1.0.0"]]);
  });

  it("undoes the integration of a dropped component production never ran", () => {
    const v = view(
      { state: "integrating", manifestRevision: 3 },
      {
        manifest: [
          { ...item("web", "3.0.0", "held"), previousVersion: null, revision: 3 },
          { ...item("db", "5.0.0"), revision: 3 },
        ],
        steps: [
          step("r1/integrate/web", "succeeded"),
          step("r2/integrate/web", "succeeded"),
          step("r1/integrate/db", "succeeded"),
        ],
      },
    );
    expect(decide(v, T0).start.map((s) => [s.key, s.version, s.undoStepKey])).toEqual([
      ["r3/unintegrate/web", null, "r2/integrate/web"],
    ]);
  });
});

describe("failureTransition", () => {
  const status = (state: Train["state"], currentWave = 0) => ({
    state,
    resumeTo: null,
    currentWave,
    manifestRevision: 1,
  });

  it("blocks the stage a failed step belongs to", () => {
    expect(
      failureTransition(
        status("gating"),
        { key: "r1/gate/gating/tests", kind: "gate" },
        line,
        "gate tests failed",
      ),
    ).toEqual({
      event: "fail",
      reason: "gate tests failed",
    });
    expect(
      failureTransition(status("integrating"), { key: "r1/integrate/db", kind: "integrate" }, line, "x")
        ?.event,
    ).toBe("fail");
  });

  it("rolls back automatically in production when the line says so, blocks when manual", () => {
    expect(
      failureTransition(
        status("verifying"),
        { key: "gate/verify/canary/health", kind: "gate" },
        line,
        "health failed",
      ),
    ).toEqual({
      event: "rollback",
      reason: "health failed; rolling back automatically",
    });
    const manual = { ...line, rollback: { ...line.rollback, policy: "manual" as const } };
    expect(
      failureTransition(status("deploying"), { key: "deploy/canary/db", kind: "deploy" }, manual, "boom")
        ?.event,
    ).toBe("fail");
  });

  it("ignores failures of stages the train has left", () => {
    expect(
      failureTransition(
        status("awaiting_approval"),
        { key: "r1/gate/gating/tests", kind: "gate" },
        line,
        "x",
      ),
    ).toBeNull();
    expect(
      failureTransition(status("gating"), { key: "r0/gate/gating/tests", kind: "gate" }, { ...line }, "x"),
    ).toBeNull();
    expect(
      failureTransition(
        status("verifying", 1),
        { key: "gate/verify/canary/health", kind: "gate" },
        line,
        "x",
      ),
    ).toBeNull();
    expect(
      failureTransition(status("rolling_back"), { key: "rollback/canary/db", kind: "rollback" }, line, "x"),
    ).toBeNull();
  });
});

describe("decide with windows and blackouts", () => {
  const approved = [approval("alice"), approval("bob")];
  const DEPART = T0 + 120 * 60_000;
  const refuse =
    (cause: "window" | "blackout", reason: string, resumesAt: number | null): TrainView["permit"] =>
    () => ({ ok: false, cause, reason, resumesAt });

  /** Windowed, blacked-out line: weekdays 10:00–16:00 Berlin, Monday 2 March 2026 frozen. */
  const guarded = LineSchema.parse({
    ...line,
    window: [{ days: ["MO", "TU", "WE", "TH", "FR"], from: "10:00", to: "16:00" }],
    blackouts: [
      {
        name: "quarter-close",
        reason: "Quarter close",
        from: "2026-03-02T12:00",
        to: "2026-03-02T14:00",
        exceptionRoles: ["coordinator"],
      },
    ],
  });
  const rules = compileDeploymentRules(guarded, [], {});

  it("pauses a train due to depart outside its window until the window opens", () => {
    const calls: Array<readonly string[]> = [];
    const permit: TrainView["permit"] = (ms, environments) => {
      calls.push(environments);
      return refuse("window", "outside window", DEPART + 60 * 60_000)(ms, environments);
    };
    const v = view({ state: "awaiting_approval" }, { approvals: approved, permit });
    expect(decide(v, DEPART).transition).toEqual({
      event: "pause",
      reason: "outside window",
      cause: "window",
      resumeAt: at(180),
    });
    expect(calls).toEqual([["eu"]]);
    // before the departure time nobody asks
    calls.length = 0;
    expect(decide(v, DEPART - 1).transition).toBeNull();
    expect(calls).toEqual([]);
  });

  it("pauses before the next wave in a blackout of that wave's environments, never while deploying", () => {
    const calls: Array<readonly string[]> = [];
    const permit: TrainView["permit"] = (ms, environments) => {
      calls.push(environments);
      return refuse("blackout", "blackout us-freeze: US election", null)(ms, environments);
    };
    const verified = view(
      { state: "verifying", currentWave: 0, waveDeployedAt: at(0) },
      { steps: [step("gate/verify/canary/health", "succeeded")], permit },
    );
    expect(decide(verified, T0 + 30 * 60_000).transition).toEqual({
      event: "pause",
      reason: "blackout us-freeze: US election",
      cause: "blackout",
      resumeAt: null,
    });
    expect(calls).toEqual([["us", "ap"]]);
    const deploying = view({ state: "deploying", currentWave: 1 }, { permit });
    expect(decide(deploying, T0).start.map((s) => s.key)).toEqual(["deploy/rest/db"]);
    const lastWave = view({ state: "verifying", currentWave: 1, waveDeployedAt: at(0) }, { permit });
    expect(decide(lastWave, T0).transition?.event).toBe("release");
  });

  it("resumes a train it paused when the permit allows, and waits until then", () => {
    const paused = {
      state: "paused" as const,
      resumeTo: "awaiting_approval" as const,
      reason: "outside window",
      pauseCause: "window" as const,
      resumeAt: at(180),
    };
    const closed = view(paused, { approvals: approved, permit: refuse("window", "outside window", DEPART) });
    expect(decide(closed, DEPART)).toEqual({
      transition: null,
      start: [],
      wakeAt: at(180),
      waitingFor: `the window to open at ${at(180)} (outside window)`,
    });
    const open = view(paused, { approvals: approved });
    expect(decide(open, T0 + 180 * 60_000).transition).toEqual({ event: "resume", reason: "window open" });
  });

  it("pauses again with the new time when the permit still refuses at resumeAt, in one decision", () => {
    const paused = view(
      {
        state: "paused",
        resumeTo: "awaiting_approval",
        reason: "outside window",
        pauseCause: "window",
        resumeAt: at(180),
      },
      {
        approvals: approved,
        permit: refuse("blackout", "blackout quarter-close: Quarter close", T0 + 300 * 60_000),
      },
    );
    const decision = decide(paused, T0 + 180 * 60_000);
    expect(decision.transition).toEqual({
      event: "resume",
      reason: "still stopped: blackout quarter-close: Quarter close",
    });
    expect(decision.followedBy).toEqual({
      event: "pause",
      reason: "blackout quarter-close: Quarter close",
      cause: "blackout",
      resumeAt: at(300),
    });
  });

  it("never schedules a resume in the past, so a wrong permit cannot make it loop", () => {
    const v = view(
      { state: "awaiting_approval" },
      { approvals: approved, permit: refuse("window", "outside window", DEPART - 1) },
    );
    expect(decide(v, DEPART).transition?.resumeAt).toBe(at(121));
  });

  it("leaves a train a person paused to a person, whatever the permit says", () => {
    const manual = view(
      { state: "paused", resumeTo: "awaiting_approval", reason: "waiting for the DBA", pauseCause: "manual" },
      { approvals: approved },
    );
    expect(decide(manual, DEPART + 10 * 86_400_000)).toEqual({
      transition: null,
      start: [],
      wakeAt: null,
      waitingFor: "resume: waiting for the DBA",
    });
  });

  it("lets a train through a blackout it holds an exception for, and nothing else", () => {
    const inBlackout = Date.parse("2026-03-02T12:00:00.000Z"); // 13:00 Berlin: in the window, in the blackout
    const regular = permitOf(rules, { kind: "scheduled" }, []);
    expect(regular(inBlackout, ["eu"])).toMatchObject({
      ok: false,
      cause: "blackout",
      reason: "blackout quarter-close: Quarter close",
      resumesAt: Date.parse("2026-03-02T13:00:00.000Z"),
    });
    const excepted = permitOf(rules, { kind: "scheduled" }, [{ blackout: "quarter-close" }]);
    expect(excepted(inBlackout, ["eu"])).toEqual({ ok: true });
    const v = view(
      {
        state: "paused",
        resumeTo: "awaiting_approval",
        reason: "blackout quarter-close: Quarter close",
        pauseCause: "blackout",
        resumeAt: "2026-03-02T13:00:00.000Z",
      },
      { approvals: approved, line: guarded, permit: excepted },
    );
    expect(decide(v, inBlackout).transition).toEqual({
      event: "resume",
      reason: "allowed through the blackout (an exception, or the blackout was lifted)",
    });
    // an exception is no way around the window
    const early = Date.parse("2026-03-02T07:00:00.000Z");
    expect(excepted(early, ["eu"])).toMatchObject({ ok: false, cause: "window" });
  });

  it("lets a hotfix train ignore the window but not blackouts", () => {
    const hotfix = permitOf(rules, { kind: "hotfix" }, []);
    const early = Date.parse("2026-03-02T07:00:00.000Z"); // 08:00 Berlin, before the window
    expect(hotfix(early, ["eu"])).toEqual({ ok: true });
    expect(permitOf(rules, { kind: "scheduled" }, [])(early, ["eu"])).toMatchObject({
      ok: false,
      cause: "window",
      resumesAt: Date.parse("2026-03-02T09:00:00.000Z"),
    });
    expect(hotfix(Date.parse("2026-03-02T12:30:00.000Z"), ["eu"])).toMatchObject({
      ok: false,
      cause: "blackout",
    });
    const v = view(
      { state: "awaiting_approval", kind: "hotfix", departureAt: new Date(early).toISOString() },
      { approvals: approved, line: guarded, permit: hotfix },
    );
    expect(decide(v, early).transition).toEqual({
      event: "depart",
      reason: "approved by alice, bob",
      wave: 0,
    });
  });

  it("gates a hotfix train with the line's hotfix gates", () => {
    const fast = LineSchema.parse({
      ...line,
      hotfix: { gates: [{ name: "smoke-only", type: "command", command: "true" }] },
    });
    const v = view({ state: "gating", kind: "hotfix" }, { line: fast });
    expect(decide(v, T0).start.map((s) => s.key)).toEqual(["r1/gate/gating/smoke-only"]);
    expect(decide(view({ state: "gating" }, { line: fast }), T0).start.map((s) => s.key)).toEqual([
      "r1/gate/gating/tests",
      "r1/gate/gating/smoke",
    ]);
  });

  it("departs while another train holds production when the line allows overlap", () => {
    const allow = LineSchema.parse({ ...line, overlap: "allow" });
    const v = view(
      { state: "awaiting_approval" },
      { approvals: approved, productionHeldBy: "web-6", line: allow },
    );
    expect(decide(v, DEPART).transition?.event).toBe("depart");
    const queue = view({ state: "awaiting_approval" }, { approvals: approved, productionHeldBy: "web-6" });
    expect(decide(queue, DEPART).waitingFor).toBe("web-6 to finish its rollout");
  });
});

describe("deployment order and concurrency", () => {
  const wide: LineConfig = { ...line, rollout: { ...line.rollout, concurrency: 2 } };
  const riders = [
    item("schema", "1.0.0"),
    item("db", "5.0.0"),
    item("cache", "1.0.0"),
    { ...item("api", "2.0.0"), dependsOn: [{ component: "db", version: ">=5.0.0" }] },
    item("web", "3.0.0"),
  ];
  const kinds = (c: string) => (c === "schema" ? ("migration" as const) : ("service" as const));
  const started = (steps: Step[], inFlight: string[] = []) =>
    decide(
      view(
        { state: "deploying", currentWave: 0 },
        { line: wide, manifest: riders, steps, kindOf: kinds, inFlight: new Set(inFlight) },
      ),
      T0,
    ).start.map((s) => s.key);

  it("starts migrations alone, first", () => {
    expect(started([])).toEqual(["deploy/canary/schema"]);
  });

  it("then starts independent services side by side, up to the concurrency", () => {
    const schema = step("deploy/canary/schema", "succeeded");
    expect(started([schema])).toEqual(["deploy/canary/cache", "deploy/canary/db"]);
  });

  it("starts a dependent once what it needs succeeded, keeping within the concurrency", () => {
    const done = [step("deploy/canary/schema", "succeeded"), step("deploy/canary/db", "succeeded")];
    const cache = step("deploy/canary/cache", "running");
    // api's recorded constraint names db; web's configured depends_on names api.
    expect(started([...done, cache], [cache.id])).toEqual(["deploy/canary/api"]);
    const api = step("deploy/canary/api", "running");
    expect(started([...done, cache, api], [cache.id, api.id])).toEqual([]);
    expect(started([...done, step("deploy/canary/cache", "succeeded"), api], [api.id])).toEqual([]);
    const apiDone = step("deploy/canary/api", "succeeded");
    expect(started([...done, step("deploy/canary/cache", "succeeded"), apiDone])).toEqual([
      "deploy/canary/web",
    ]);
  });

  it("resumes a step a crash left running before anything new", () => {
    const done = [step("deploy/canary/schema", "succeeded")];
    const crashed = step("deploy/canary/db", "running");
    expect(started([...done, crashed])).toEqual(["deploy/canary/db", "deploy/canary/cache"]);
  });

  it("waits for deployments in flight before rolling back", () => {
    const running = step("deploy/canary/db", "running");
    const d = decide(
      view(
        { state: "rolling_back", currentWave: 0 },
        {
          line: wide,
          manifest: riders,
          steps: [step("deploy/canary/schema", "succeeded"), running],
          kindOf: kinds,
          inFlight: new Set([running.id]),
        },
      ),
      T0,
    );
    expect(d.start).toEqual([]);
    expect(d.waitingFor).toContain("deploy/canary/db to finish before rolling back");
  });
});

describe("the error-budget policy", () => {
  const burning = {
    ok: false as const,
    reason: "error budget of SLO checkout burning 3.0x",
    recheckAt: T0 + 60_000,
  };
  const approved = [approval("alice"), approval("bob")];

  it("pauses a train ready to depart while the SLO burns too fast", () => {
    const d = decide(
      view({ state: "awaiting_approval" }, { approvals: approved, budget: burning }),
      Date.parse(at(120)),
    );
    expect(d.transition).toEqual({ event: "pause", reason: burning.reason, cause: "budget", resumeAt: null });
  });

  it("pauses before the next wave, never in the middle of one", () => {
    const verifying = view(
      { state: "verifying", currentWave: 0, waveDeployedAt: at(0) },
      { budget: burning, steps: [step("gate/verify/canary/health", "succeeded")] },
    );
    expect(decide(verifying, Date.parse(at(31))).transition?.cause).toBe("budget");
    const deploying = view({ state: "deploying", currentWave: 0 }, { budget: burning });
    expect(decide(deploying, T0).transition).toBeNull();
  });

  it("waits while paused by the budget and resumes once the burn recovers", () => {
    const paused = {
      state: "paused" as const,
      resumeTo: "awaiting_approval" as const,
      pauseCause: "budget" as const,
    };
    expect(decide(view(paused, { budget: burning }), T0)).toMatchObject({
      transition: null,
      wakeAt: new Date(burning.recheckAt).toISOString(),
    });
    expect(decide(view(paused, { budget: { ok: true } }), T0).transition).toEqual({
      event: "resume",
      reason: "error budget burn back under its limit",
    });
  });
});
