/**
 * The incident policy in `decide`: an acting incident attributed to a train during its rollout
 * rolls it back or pauses it; any other acting incident of the line pauses trains at departure
 * and before their next wave; resolution resumes them. Paired with the policy itself, which says
 * which incident acts on which train.
 */
import { describe, expect, it } from "vitest";
import { makeTrain } from "../../test/support/train.js";
import { type LineConfig, Line as LineSchema, Team } from "./config/schema.js";
import type { ActingIncident } from "./incidents/policy.js";
import { actingIncident, incidentPolicyOf } from "./incidents/policy.js";
import type { Approval, Incident, Train } from "./model.js";
import { decide, type TrainView } from "./reconcile.js";
import { TRAIN_STATES, type TrainState } from "./train-state.js";
import { describeTrainState } from "./train-status.js";

const line: LineConfig = LineSchema.parse({
  schedule: { rrule: "FREQ=DAILY", start: "2026-01-05T10:00", timezone: "Europe/Berlin", cutoff: "2h" },
  components: ["api"],
  approval: { mode: "auto" },
  rollout: {
    waves: [
      { name: "canary", environments: ["eu"], bake: "30m" },
      { name: "rest", environments: ["us"], bake: "0s" },
    ],
  },
});
const T0 = Date.parse("2026-03-02T08:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

const train = makeTrain;

function view(t: Partial<Train>, incident: ActingIncident | null): TrainView {
  return {
    train: train(t),
    line,
    teams: { board: Team.parse({ members: [{ name: "alice" }] }) },
    dependsOn: () => [],
    integrationEnvironment: "staging",
    manifest: [
      {
        trainId: "web-7",
        component: "api",
        version: "2.0.0",
        artifactId: "art_api",
        previousVersion: "1.0.0",
        dependsOn: [],
        status: "boarded",
        reason: null,
        revision: 1,
      },
    ],
    steps: [],
    approvals: [] as Approval[],
    inFlight: new Set(),
    productionHeldBy: null,
    permit: () => ({ ok: true }),
    incident,
  };
}

const own = (action: "pause" | "rollback"): ActingIncident => ({
  id: "inc-web-7-0badc0de",
  title: "HighErrorRate",
  action,
  scope: "train",
});
const lineWide: ActingIncident = {
  id: "inc-web-1234abcd",
  title: "checkout down",
  action: "pause",
  scope: "line",
};

describe("decide with an acting incident", () => {
  it("rolls back a deploying or verifying train its own incident names, with policy rollback", () => {
    for (const state of ["deploying", "verifying"] as const) {
      const d = decide(view({ state, currentWave: 0, waveDeployedAt: at(0) }, own("rollback")), T0);
      expect(d.transition).toEqual({
        event: "rollback",
        reason: "incident inc-web-7-0badc0de (HighErrorRate): rolling back by the line's incident policy",
      });
    }
  });

  it("pauses a deploying or verifying train its own incident names, with policy pause", () => {
    for (const state of ["deploying", "verifying"] as const) {
      const d = decide(view({ state, currentWave: 0, waveDeployedAt: at(0) }, own("pause")), T0);
      expect(d.transition).toEqual({
        event: "pause",
        reason: "incident inc-web-7-0badc0de (HighErrorRate)",
        cause: "incident",
        resumeAt: null,
      });
    }
  });

  it("pauses a train ready to depart for a line-level incident, and not before its departure time", () => {
    const ready = view({ state: "awaiting_approval" }, lineWide);
    expect(decide(ready, Date.parse(at(119))).transition).toBeNull();
    expect(decide(ready, Date.parse(at(120))).transition).toEqual({
      event: "pause",
      reason: "incident inc-web-1234abcd (checkout down)",
      cause: "incident",
      resumeAt: null,
    });
  });

  it("departs when no incident acts", () => {
    expect(decide(view({ state: "awaiting_approval" }, null), Date.parse(at(120))).transition?.event).toBe(
      "depart",
    );
  });

  it("lets a line-level incident pause a train only between waves, never in the middle of one", () => {
    const deploying = view({ state: "deploying", currentWave: 0 }, lineWide);
    expect(decide(deploying, T0).transition).toBeNull();
    const baking = view({ state: "verifying", currentWave: 0, waveDeployedAt: at(0) }, lineWide);
    expect(decide(baking, Date.parse(at(29))).transition).toBeNull();
    const verified = decide(baking, Date.parse(at(30)));
    expect(verified.transition).toMatchObject({ event: "pause", cause: "incident" });
    // The last wave has no next one: the train is released.
    const last = view({ state: "verifying", currentWave: 1, waveDeployedAt: at(0) }, lineWide);
    expect(decide(last, Date.parse(at(1))).transition?.event).toBe("release");
  });

  it("waits while the incident is open, and resumes naming it once it is resolved", () => {
    const paused = {
      state: "paused" as const,
      resumeTo: "awaiting_approval" as const,
      pauseCause: "incident" as const,
      reason: "incident inc-web-1234abcd (checkout down)",
    };
    expect(decide(view(paused, lineWide), T0)).toMatchObject({
      transition: null,
      wakeAt: null,
      waitingFor: "incident inc-web-1234abcd (checkout down) to be resolved",
    });
    expect(decide(view(paused, null), T0).transition).toEqual({
      event: "resume",
      reason: "incident inc-web-1234abcd resolved",
    });
  });

  it("does not resume a train paused for another cause when its incident is gone", () => {
    const manual = {
      state: "paused" as const,
      resumeTo: "deploying" as const,
      pauseCause: "manual" as const,
    };
    expect(decide(view(manual, null), T0).transition).toBeNull();
  });

  it("says so in the train's status", () => {
    const text = describeTrainState(
      { state: "paused", pauseCause: "incident", reason: "incident inc-web-1 (down)", resumeAt: null },
      "Europe/Berlin",
    );
    expect(text).toBe("paused: incident inc-web-1 (down) — resumes when it is resolved");
  });
});

const incident = (overrides: Partial<Incident> = {}): Incident => ({
  id: "inc-web-7-aaaaaaaa",
  line: "web",
  trainId: "web-7",
  title: "HighErrorRate",
  detail: null,
  stopsLine: false,
  status: "open",
  openedAt: at(0),
  openedBy: "alertmanager",
  resolvedAt: null,
  resolvedBy: null,
  resolution: null,
  severity: "critical",
  source: "alertmanager",
  startedAt: at(0),
  component: null,
  environment: null,
  labels: null,
  ...overrides,
});

const policyOf = (incidents: Record<string, unknown> | undefined) =>
  incidentPolicyOf(
    LineSchema.parse({
      schedule: { rrule: "FREQ=DAILY", start: "2026-01-05T10:00", timezone: "UTC", cutoff: "2h" },
      components: ["api"],
      approval: { mode: "auto" },
      rollout: { waves: [{ name: "eu", environments: ["eu"] }] },
      ...(incidents ? { incidents } : {}),
    }),
  );

describe("the incident policy", () => {
  const deploying = { id: "web-7", line: "web", state: "deploying" as TrainState, resumeTo: null };

  it("defaults: pause during the rollout, pause otherwise, critical only", () => {
    expect(policyOf(undefined)).toEqual({
      duringRollout: "pause",
      otherwise: "pause",
      severities: ["critical"],
      attributionWindow: "24h",
      suppress: [],
    });
    expect(actingIncident([incident()], deploying, policyOf(undefined))).toMatchObject({
      action: "pause",
      scope: "train",
    });
  });

  it("acts on the train it is attributed to only while that train rolls out", () => {
    const policy = policyOf({ duringRollout: "rollback" });
    for (const state of TRAIN_STATES) {
      const acting = actingIncident([incident()], { ...deploying, state }, policy);
      if (state === "deploying" || state === "verifying") expect(acting?.action, state).toBe("rollback");
      else
        expect(acting, state).toEqual({
          id: "inc-web-7-aaaaaaaa",
          title: "HighErrorRate",
          action: "pause",
          scope: "line",
        });
    }
    // Paused on the way through a wave counts as rolling out.
    expect(
      actingIncident([incident()], { ...deploying, state: "paused", resumeTo: "verifying" }, policy)?.scope,
    ).toBe("train");
  });

  it("ignores severities outside the policy, resolved incidents, other lines and line stops", () => {
    const policy = policyOf(undefined);
    expect(actingIncident([incident({ severity: "warning" })], deploying, policy)).toBeNull();
    expect(actingIncident([incident({ status: "resolved" })], deploying, policy)).toBeNull();
    expect(actingIncident([incident({ line: "shop" })], deploying, policy)).toBeNull();
    expect(actingIncident([incident({ stopsLine: true, source: "rollback" })], deploying, policy)).toBeNull();
    expect(
      actingIncident([incident({ severity: "warning" })], deploying, policyOf({ severities: ["warning"] })),
    ).not.toBeNull();
  });

  it("does nothing with none", () => {
    expect(actingIncident([incident()], deploying, policyOf({ duringRollout: "none" }))).toBeNull();
    const other = { ...deploying, id: "web-8", state: "awaiting_approval" as TrainState };
    expect(actingIncident([incident()], other, policyOf({ otherwise: "none" }))).toBeNull();
    expect(actingIncident([incident()], other, policyOf({ duringRollout: "none" }))?.scope).toBe("line");
  });

  it("prefers a rollback to a pause and the train's own incident to the line's", () => {
    const policy = policyOf({ duringRollout: "rollback" });
    const lineLevel = incident({ id: "inc-web-11111111", trainId: null });
    const ownOne = incident({ id: "inc-web-7-22222222" });
    expect(actingIncident([lineLevel, ownOne], deploying, policy)?.id).toBe("inc-web-7-22222222");
    expect(actingIncident([ownOne, lineLevel], deploying, policy)?.id).toBe("inc-web-7-22222222");
    const pausing = policyOf(undefined);
    expect(actingIncident([lineLevel, ownOne], deploying, pausing)?.scope).toBe("train");
  });
});
