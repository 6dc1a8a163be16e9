import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { NewEvent, StoredEvent } from "../events.js";
import type { Incident } from "../model.js";
import { computeReleaseMetrics, METRIC_DEFINITIONS, periodStarts } from "./compute.js";
import { type FoldLookups, foldTrainFacts, type TrainFact } from "./train-fact.js";
import type { MetricsQuery } from "./types.js";

const H = 3_600_000;
/** `01-05T08:00` → 2026-01-05T08:00:00.000Z; a full instant is kept as it is. */
const t = (s: string): string => (s.length > 11 ? s : `2026-${s}:00.000Z`);

/** Builds a hand-written history: each call appends one stored event with the next id. */
function history() {
  const events: StoredEvent[] = [];
  const push = (time: string, trainId: string, body: Omit<NewEvent, "trainId" | "actor">): void => {
    events.push({
      ...(body as NewEvent),
      trainId,
      actor: "system",
      id: events.length + 1,
      time: t(time),
      prevHash: "",
      hash: "",
    } as StoredEvent);
  };
  const created = (time: string, id: string, line: string, number: number, hotfixOf?: number) =>
    push(time, id, {
      type: "train.created",
      payload: {
        line,
        number,
        kind: hotfixOf === undefined ? "scheduled" : "hotfix",
        cutoffAt: t(time),
        departureAt: t(time),
        ...(hotfixOf === undefined ? {} : { hotfixOf }),
      },
    });
  const pushed = (time: string, id: string, component: string, version: string, committedAt?: string) =>
    push(time, id, {
      type: "artifact.pushed",
      payload: {
        artifactId: `art-${component}-${version}`,
        component,
        version,
        commit: "abcdef1",
        buildUrl: null,
        digest: null,
        dependsOn: [],
        boardedTrain: id,
        late: false,
        requestedTrain: null,
        ...(committedAt ? { committedAt: t(committedAt) } : {}),
      },
    });
  const frozen = (time: string, id: string, items: Array<[string, string]>) =>
    push(time, id, {
      type: "manifest.frozen",
      payload: {
        revision: 1,
        items: items.map(([component, version]) => ({
          component,
          version,
          artifactId: `art-${component}-${version}`,
          previousVersion: null,
          status: "boarded" as const,
          reason: null,
        })),
      },
    });
  const moved = (
    time: string,
    id: string,
    event: "depart" | "release" | "rollback" | "rolled_back" | "abort" | "skip",
    to: string,
    scope?: { wave: string },
  ) =>
    push(time, id, {
      type: "train.transitioned",
      payload: {
        from: "deploying",
        to: to as never,
        event,
        resumeTo: null,
        reason: null,
        ...(scope ? { scope } : {}),
      },
    });
  const tests = (
    time: string,
    id: string,
    s: { tests: number; passed: number; failed?: number; errored?: number; skipped?: number; flaky?: number },
  ) =>
    push(time, id, {
      type: "tests.reported",
      payload: {
        reportId: `r${events.length}`,
        revision: 1,
        suite: "it",
        cases: [],
        summary: {
          failed: 0,
          errored: 0,
          skipped: 0,
          flaky: 0,
          durationMs: 0,
          truncated: false,
          ...s,
        },
      },
    });
  const gate = (time: string, id: string, type: string, status: "passed" | "failed") =>
    push(time, id, {
      type: "gate.evaluated",
      payload: {
        resultId: `g${events.length}`,
        stage: "gating",
        gate: type,
        type,
        attempt: 1,
        status,
        output: "",
        durationMs: 0,
      },
    });
  const measured = (time: string, id: string, before: number, after: number) =>
    push(time, id, { type: "release.measured", payload: { window: "1h", before, after, detail: "" } });
  return { events, push, created, pushed, frozen, moved, tests, gate, measured };
}

/**
 * Two weeks (2026-01-05 and 2026-01-12, both Mondays), lines web (web, cdn: team web-team) and
 * api (api: team api-team). The expectations in the tests are worked out by hand from this.
 */
function scenario(): { events: StoredEvent[]; incidents: Incident[] } {
  const h = history();
  // web-0: wholly before the period (must count nowhere).
  h.created("2025-12-29T08:00:00.000Z", "web-0", "web", 0);
  h.pushed("2025-12-29T09:00:00.000Z", "web-0", "web", "0.9.0", "2025-12-29T08:00:00.000Z");
  h.moved("2026-01-02T00:00:00.000Z", "web-0", "depart", "deploying");
  h.moved("2026-01-02T01:00:00.000Z", "web-0", "rollback", "rolling_back");
  h.moved("2026-01-02T02:00:00.000Z", "web-0", "rolled_back", "rolled_back");
  // web-1: clean release in week 1. Lead: web 24h (commit 01-05 06:00), cdn 20.5h from its push.
  h.created("01-05T08:00", "web-1", "web", 1);
  h.pushed("01-05T09:00", "web-1", "web", "1.0.0", "01-05T06:00");
  h.pushed("01-05T09:30", "web-1", "cdn", "1.0.0");
  h.frozen("01-05T10:00", "web-1", [
    ["web", "1.0.0"],
    ["cdn", "1.0.0"],
  ]);
  h.tests("01-05T11:00", "web-1", { tests: 10, passed: 8, failed: 1, skipped: 1 }); // 8 / 9
  h.gate("01-05T12:00", "web-1", "slo", "passed");
  h.gate("01-05T12:00", "web-1", "security", "failed");
  h.gate("01-05T12:30", "web-1", "security", "passed");
  h.gate("01-05T12:40", "web-1", "checklist", "failed"); // neither M6 nor M10
  h.moved("01-06T00:00", "web-1", "depart", "deploying");
  h.moved("01-06T06:00", "web-1", "release", "released");
  h.measured("01-06T07:00", "web-1", 0.01, 0.03); // +0.02
  // api-1: frozen and tested in week 1, departs in week 2, one component rollback, released.
  h.created("01-06T08:00", "api-1", "api", 1);
  h.pushed("01-06T09:00", "api-1", "api", "1.0.0", "01-04T09:00"); // lead to 01-12T04:00 = 187h
  h.frozen("01-06T10:00", "api-1", [["api", "1.0.0"]]);
  h.tests("01-06T10:30", "api-1", { tests: 20, passed: 15, failed: 2, errored: 1, flaky: 2 }); // 17 / 20
  h.gate("01-06T11:00", "api-1", "prometheus", "passed");
  h.gate("01-06T11:00", "api-1", "security", "failed");
  // web-2: rolled back in week 1, with a critical incident; a hotfix follows.
  h.created("01-07T08:00", "web-2", "web", 2);
  h.pushed("01-07T09:00", "web-2", "web", "2.0.0", "01-07T08:00");
  h.frozen("01-07T10:00", "web-2", [["web", "2.0.0"]]);
  h.tests("01-07T11:00", "web-2", { tests: 5, passed: 5 }); // 5 / 5
  h.moved("01-08T00:00", "web-2", "depart", "deploying");
  h.gate("01-08T01:00", "web-2", "canary", "failed");
  h.moved("01-08T02:00", "web-2", "rollback", "rolling_back");
  h.moved("01-08T03:00", "web-2", "rolled_back", "rolled_back");
  // web-2-hotfix-1: lead 1.5h, deployment 0.5h, clean.
  h.created("01-08T04:00", "web-2-hotfix-1", "web", 2, 2);
  h.pushed("01-08T04:10", "web-2-hotfix-1", "web", "2.0.1", "01-08T04:00");
  h.frozen("01-08T04:20", "web-2-hotfix-1", [["web", "2.0.1"]]);
  h.moved("01-08T05:00", "web-2-hotfix-1", "depart", "deploying");
  h.moved("01-08T05:30", "web-2-hotfix-1", "release", "released");
  // api-1 in week 2: departs, api rolled back alone, released anyway; measured −0.01.
  h.moved("01-12T00:00", "api-1", "depart", "deploying");
  h.push("01-12T02:00", "api-1", {
    type: "component.rolled_back",
    payload: { component: "api", reason: "5xx", with: [] },
  });
  h.moved("01-12T04:00", "api-1", "release", "released");
  h.measured("01-12T05:00", "api-1", 0.02, 0.01);
  // web-3: aborted before departing.
  h.created("01-13T08:00", "web-3", "web", 3);
  h.pushed("01-13T09:00", "web-3", "web", "3.0.0", "01-13T07:00");
  h.moved("01-13T12:00", "web-3", "abort", "aborted");
  // web-4: cdn dropped; a wave rollback, retried, released. Lead web 24h, deployment 6h.
  h.created("01-14T08:00", "web-4", "web", 4);
  h.pushed("01-14T09:00", "web-4", "web", "4.0.0", "01-14T06:00");
  h.pushed("01-14T09:10", "web-4", "cdn", "4.0.0", "01-14T06:00");
  h.frozen("01-14T10:00", "web-4", [
    ["web", "4.0.0"],
    ["cdn", "4.0.0"],
  ]);
  h.push("01-14T10:30", "web-4", {
    type: "component.dropped",
    payload: { component: "cdn", reason: "broken", revision: 2 },
  });
  h.moved("01-15T00:00", "web-4", "depart", "deploying");
  h.moved("01-15T01:00", "web-4", "rollback", "rolling_back", { wave: "canary" });
  h.moved("01-15T06:00", "web-4", "release", "released");
  // api-2: skipped (counts nowhere).
  h.created("01-14T08:00", "api-2", "api", 2);
  h.moved("01-14T09:00", "api-2", "skip", "skipped");

  const incident = (
    id: string,
    line: string,
    trainId: string | null,
    severity: Incident["severity"],
    startedAt: string,
    resolvedAt: string | null,
    component: string | null = null,
  ): Incident => ({
    id,
    line,
    trainId,
    title: id,
    detail: null,
    stopsLine: false,
    status: resolvedAt ? "resolved" : "open",
    openedAt: t(startedAt),
    openedBy: "system",
    resolvedAt: resolvedAt ? t(resolvedAt) : null,
    resolvedBy: null,
    resolution: null,
    severity,
    source: "manual",
    startedAt: t(startedAt),
    component,
    environment: null,
    labels: null,
  });
  const incidents = [
    // Recovered when web-2 finished rolling back (03:00), before it was resolved: 1.5h.
    incident("inc-1", "web", "web-2", "critical", "01-08T01:30", "01-08T05:00"),
    incident("inc-2", "web", "web-4", "critical", "01-15T00:30", "01-15T02:30"), // 2h
    incident("inc-3", "web", "web-1", "warning", "01-06T03:00", "01-06T03:30"), // not critical
    incident("inc-4", "api", null, "critical", "01-16T00:00", "01-16T10:00", "api"), // 10h
    incident("inc-5", "web", null, "critical", "01-16T00:00", null), // not recovered
  ];
  return { events: h.events, incidents };
}

const noLookups: FoldLookups = { artifact: () => undefined };
const TEAMS: Record<string, string> = { web: "web-team", cdn: "web-team", api: "api-team" };
const context = { teamOf: (c: string) => TEAMS[c], asOfEventId: 99 };
const PERIOD = { from: t("01-05T00:00"), to: t("01-19T00:00") };

function factsOf(events: StoredEvent[]): Map<string, TrainFact> {
  const facts = new Map<string, TrainFact>();
  foldTrainFacts(facts, events, noLookups);
  return facts;
}

function report(query: Partial<MetricsQuery> = {}) {
  const { events, incidents } = scenario();
  return computeReleaseMetrics(factsOf(events).values(), incidents, { ...PERIOD, ...query }, context);
}

describe("computeReleaseMetrics over a hand-written history", () => {
  it("answers every metric over the whole two weeks", () => {
    const total = report().total;
    // ended: web-1, web-2 (rolled back), hotfix, api-1, web-3 (aborted), web-4; web-0 is before.
    expect(total.trains).toEqual({
      ended: 6,
      released: 4,
      rolledBack: 1,
      aborted: 1,
      departed: 5,
      hotfixes: 1,
    });
    // Clean releases: web-1 and the hotfix (api-1 and web-4 had rollbacks).
    expect(total.m1ReleaseSuccessRate).toEqual({ value: 2 / 6, numerator: 2, denominator: 6 });
    // inc-1 1.5h, inc-2 2h, inc-4 10h: mean 4.5h, nearest-rank p50 2h, p90 10h.
    expect(total.m2Mttr).toEqual({ count: 3, meanMs: 4.5 * H, p50Ms: 2 * H, p90Ms: 10 * H });
    // 1.5, 20.5 (cdn, from push), 24, 24, 187 hours: mean 257/5 = 51.4h.
    expect(total.m3LeadTime.count).toBe(5);
    expect(total.m3LeadTime.meanMs).toBeCloseTo(51.4 * H, 3);
    expect(total.m3LeadTime.p50Ms).toBe(24 * H);
    expect(total.m3LeadTime.p90Ms).toBe(187 * H);
    expect(total.m3LeadTime.fromPush).toBe(1);
    // 8/9 + 5/5 + 17/20.
    expect(total.m4IntegrationTestPassRate).toEqual({ value: 30 / 34, numerator: 30, denominator: 34 });
    expect(total.m5ErrorRateDelta.trains).toBe(2);
    expect(total.m5ErrorRateDelta.mean).toBeCloseTo(0.005, 10);
    expect(total.m5ErrorRateDelta.worst).toBeCloseTo(0.02, 10);
    // slo passed, canary failed, prometheus passed.
    expect(total.m6SloCompliance).toEqual({ value: 2 / 3, numerator: 2, denominator: 3 });
    // Departed: web-1 (ok: only a warning), web-2 (failed), hotfix (ok), api-1 and web-4 (rollbacks).
    expect(total.m7ChangeFailureRate).toEqual({ value: 3 / 5, numerator: 3, denominator: 5 });
    expect(total.m8Rollbacks).toEqual({ count: 3, perWeek: 1.5 });
    // 6h, 0.5h, 4h, 6h.
    expect(total.m9DeploymentTime).toEqual({ count: 4, meanMs: 4.125 * H, p50Ms: 4 * H, p90Ms: 6 * H });
    // security: failed, passed (web-1), failed (api-1).
    expect(total.m10SecurityScanFailureRate).toEqual({ value: 2 / 3, numerator: 2, denominator: 3 });
    expect(total.dora).toEqual({
      deploymentFrequency: { releases: 4, perDay: 4 / 14, bucket: "high" },
      leadTime: { medianMs: 24 * H, bucket: "high" }, // exactly a day is not under a day
      changeFailureRate: { value: 0.6, bucket: "low" },
      timeToRestore: { medianMs: 2 * H, bucket: "high" },
    });
  });

  it("answers per ISO week", () => {
    const { periods, total } = report({ groupBy: "week" });
    expect(periods.map((p) => [p.from, p.to])).toEqual([
      [t("01-05T00:00"), t("01-12T00:00")],
      [t("01-12T00:00"), t("01-19T00:00")],
    ]);
    const [w1, w2] = periods as [typeof total, typeof total];
    expect(w1.trains).toEqual({ ended: 3, released: 2, rolledBack: 1, aborted: 0, departed: 3, hotfixes: 1 });
    expect(w1.m1ReleaseSuccessRate).toEqual({ value: 2 / 3, numerator: 2, denominator: 3 });
    expect(w1.m2Mttr).toEqual({ count: 1, meanMs: 1.5 * H, p50Ms: 1.5 * H, p90Ms: 1.5 * H });
    // 1.5, 20.5, 24 hours.
    expect(w1.m3LeadTime).toEqual({
      count: 3,
      meanMs: (46 / 3) * H,
      p50Ms: 20.5 * H,
      p90Ms: 24 * H,
      fromPush: 1,
    });
    expect(w1.m4IntegrationTestPassRate).toEqual({ value: 30 / 34, numerator: 30, denominator: 34 });
    expect(w1.m5ErrorRateDelta).toEqual({ trains: 1, mean: 0.03 - 0.01, worst: 0.03 - 0.01 });
    expect(w1.m6SloCompliance.numerator).toBe(2);
    expect(w1.m6SloCompliance.denominator).toBe(3);
    expect(w1.m7ChangeFailureRate).toEqual({ value: 1 / 3, numerator: 1, denominator: 3 });
    expect(w1.m8Rollbacks).toEqual({ count: 1, perWeek: 1 });
    expect(w1.m9DeploymentTime).toEqual({ count: 2, meanMs: 3.25 * H, p50Ms: 0.5 * H, p90Ms: 6 * H });
    expect(w1.m10SecurityScanFailureRate).toEqual({ value: 2 / 3, numerator: 2, denominator: 3 });
    expect(w1.dora.deploymentFrequency).toEqual({ releases: 2, perDay: 2 / 7, bucket: "high" });

    expect(w2.trains).toEqual({ ended: 3, released: 2, rolledBack: 0, aborted: 1, departed: 2, hotfixes: 0 });
    expect(w2.m1ReleaseSuccessRate).toEqual({ value: 0, numerator: 0, denominator: 3 });
    expect(w2.m2Mttr).toEqual({ count: 2, meanMs: 6 * H, p50Ms: 2 * H, p90Ms: 10 * H });
    expect(w2.m3LeadTime).toEqual({
      count: 2,
      meanMs: 105.5 * H,
      p50Ms: 24 * H,
      p90Ms: 187 * H,
      fromPush: 0,
    });
    expect(w2.m4IntegrationTestPassRate).toEqual({ value: null, numerator: 0, denominator: 0 });
    expect(w2.m5ErrorRateDelta.trains).toBe(1);
    expect(w2.m5ErrorRateDelta.worst).toBeCloseTo(-0.01, 10);
    expect(w2.m6SloCompliance).toEqual({ value: null, numerator: 0, denominator: 0 });
    expect(w2.m7ChangeFailureRate).toEqual({ value: 1, numerator: 2, denominator: 2 });
    expect(w2.m8Rollbacks).toEqual({ count: 2, perWeek: 2 });
    expect(w2.m9DeploymentTime).toEqual({ count: 2, meanMs: 5 * H, p50Ms: 4 * H, p90Ms: 6 * H });
    expect(w2.dora.changeFailureRate).toEqual({ value: 1, bucket: "low" });
    expect(w2.dora.timeToRestore).toEqual({ medianMs: 2 * H, bucket: "high" });
  });

  it("narrows to a line", () => {
    const total = report({ line: "api" }).total;
    expect(total.trains).toEqual({
      ended: 1,
      released: 1,
      rolledBack: 0,
      aborted: 0,
      departed: 1,
      hotfixes: 0,
    });
    expect(total.m1ReleaseSuccessRate).toEqual({ value: 0, numerator: 0, denominator: 1 });
    expect(total.m2Mttr.count).toBe(1);
    expect(total.m2Mttr.meanMs).toBe(10 * H);
    expect(total.m3LeadTime.meanMs).toBe(187 * H);
    expect(total.m4IntegrationTestPassRate).toEqual({ value: 17 / 20, numerator: 17, denominator: 20 });
    expect(total.m6SloCompliance).toEqual({ value: 1, numerator: 1, denominator: 1 });
    expect(total.m7ChangeFailureRate).toEqual({ value: 1, numerator: 1, denominator: 1 });
    expect(total.m8Rollbacks.count).toBe(1);
    expect(total.m10SecurityScanFailureRate).toEqual({ value: 1, numerator: 1, denominator: 1 });
  });

  it("narrows to a team: its trains, its incidents, its components' lead times", () => {
    const total = report({ team: "web-team" }).total;
    expect(total.trains).toEqual({
      ended: 5,
      released: 3,
      rolledBack: 1,
      aborted: 1,
      departed: 4,
      hotfixes: 1,
    });
    expect(total.m1ReleaseSuccessRate.numerator).toBe(2);
    // inc-1 (web-2) and inc-2 (web-4); inc-4 names component api.
    expect(total.m2Mttr).toEqual({ count: 2, meanMs: 1.75 * H, p50Ms: 1.5 * H, p90Ms: 2 * H });
    // 24 (web-1 web), 20.5 (web-1 cdn), 1.5 (hotfix), 24 (web-4).
    expect(total.m3LeadTime.count).toBe(4);
    expect(total.m7ChangeFailureRate).toEqual({ value: 2 / 4, numerator: 2, denominator: 4 });
    expect(total.m8Rollbacks.count).toBe(2);
  });

  it("narrows to a component, per component where a metric is per component", () => {
    // Only web-1 carries cdn (web-4 dropped it).
    const total = report({ component: "cdn" }).total;
    expect(total.trains.ended).toBe(1);
    expect(total.m3LeadTime).toEqual({
      count: 1,
      meanMs: 20.5 * H,
      p50Ms: 20.5 * H,
      p90Ms: 20.5 * H,
      fromPush: 1,
    });
    expect(total.m4IntegrationTestPassRate).toEqual({ value: 8 / 9, numerator: 8, denominator: 9 });
    expect(total.m2Mttr.count).toBe(0);
    expect(total.m7ChangeFailureRate).toEqual({ value: 0, numerator: 0, denominator: 1 });
    expect(total.dora.timeToRestore).toEqual({ medianMs: null, bucket: null });
  });

  it("counts a regular train as failed when a hotfix follows it", () => {
    const h = history();
    h.created("01-05T08:00", "web-1", "web", 1);
    h.moved("01-06T00:00", "web-1", "depart", "deploying");
    h.moved("01-06T01:00", "web-1", "release", "released");
    h.created("01-06T02:00", "web-1-hotfix-1", "web", 1, 1);
    const without = computeReleaseMetrics(factsOf(h.events.slice(0, 3)).values(), [], PERIOD, context);
    expect(without.total.m7ChangeFailureRate.numerator).toBe(0);
    const withHotfix = computeReleaseMetrics(factsOf(h.events).values(), [], PERIOD, context);
    expect(withHotfix.total.m7ChangeFailureRate).toEqual({ value: 1, numerator: 1, denominator: 1 });
  });

  it("has no data as nulls, not zeros", () => {
    const empty = computeReleaseMetrics([], [], PERIOD, context).total;
    expect(empty.m1ReleaseSuccessRate.value).toBeNull();
    expect(empty.m3LeadTime).toEqual({ count: 0, meanMs: null, p50Ms: null, p90Ms: null, fromPush: 0 });
    expect(empty.dora.deploymentFrequency.bucket).toBeNull();
    expect(empty.m5ErrorRateDelta).toEqual({ trains: 0, mean: null, worst: null });
  });

  it("defines every metric", () => {
    for (const id of ["M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8", "M9", "M10"] as const) {
      expect(METRIC_DEFINITIONS[id].length).toBeGreaterThan(20);
    }
  });
});

describe("periodStarts", () => {
  it("starts weeks on Mondays 00:00 UTC and months on the 1st, clipped to the period", () => {
    // 2026-01-01 is a Thursday.
    expect(periodStarts(t("01-01T12:00"), t("01-13T00:00"), "week")).toEqual([
      t("01-01T12:00"),
      t("01-05T00:00"),
      t("01-12T00:00"),
    ]);
    expect(periodStarts(t("01-31T00:00"), t("03-01T00:00"), "month")).toEqual([
      t("01-31T00:00"),
      t("02-01T00:00"),
    ]);
  });
});

describe("foldTrainFact", () => {
  const { events } = scenario();
  const whole = factsOf(events);

  it("gives the same facts folded in one pass or in two with a persisted fact between", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: events.length }), (split) => {
        const first = factsOf(events.slice(0, split));
        const persisted = new Map(
          [...first].map(([id, fact]) => [id, JSON.parse(JSON.stringify(fact)) as TrainFact]),
        );
        foldTrainFacts(persisted, events.slice(split), noLookups);
        expect(persisted).toEqual(whole);
      }),
    );
  });

  it("changes nothing when events are folded again (a second replica, a replay)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: events.length }),
        fc.integer({ min: 0, max: events.length }),
        (a, b) => {
          const facts = factsOf(events);
          const changed = foldTrainFacts(facts, events.slice(Math.min(a, b), Math.max(a, b)), noLookups);
          expect(changed.size).toBe(0);
          expect(facts).toEqual(whole);
        },
      ),
    );
  });

  it("takes a carried artifact's push times from the lookups", () => {
    const h = history();
    h.created("01-05T08:00", "web-1", "web", 1);
    h.frozen("01-05T10:00", "web-1", [["web", "1.0.0"]]);
    const facts = new Map<string, TrainFact>();
    foldTrainFacts(facts, h.events, {
      artifact: (id) =>
        id === "art-web-1.0.0" ? { pushedAt: t("01-01T00:00"), committedAt: t("01-01T00:00") } : undefined,
    });
    expect(facts.get("web-1")?.components.web).toEqual({
      version: "1.0.0",
      artifactId: "art-web-1.0.0",
      pushedAt: t("01-01T00:00"),
      committedAt: t("01-01T00:00"),
    });
  });
});
