/**
 * The M5 measurer (background job `measure`) on SQLite and PostgreSQL, with the simulated clock
 * and a fake error-rate probe: it measures each released train once, only after `releasedAt +
 * window`, over the window before the first wave and the window after the release; it tries
 * again after a failure until the give-up limit, then records nulls with the reason; two
 * measurers at once record one event; the measurement reaches the release metrics (M5).
 */
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RailyardConfig } from "../../src/domain/config/schema.js";
import type { NewEvent } from "../../src/domain/events.js";
import { SimulatedClock } from "../../src/engine/clock.js";
import { MetricsBook } from "../../src/engine/metrics-book.js";
import type { ErrorRateProbe, Store } from "../../src/engine/ports.js";
import { ReleaseMeasurer } from "../../src/engine/release-measurer.js";
import { createTestStore, DIALECTS, type TestStore } from "../support/dialects.js";

const logger = pino({ level: "silent" });
const at = (day: number, hour: number, minute = 0, second = 0) =>
  new Date(Date.UTC(2026, 0, day, hour, minute, second));
const iso = (day: number, hour: number, minute = 0) => at(day, hour, minute).toISOString();

const schedule = { rrule: "FREQ=DAILY", start: "2026-01-05T10:00", timezone: "UTC", cutoff: "2h" };
const line = (extra: Record<string, unknown>) => ({
  schedule,
  components: ["api"],
  rollout: { waves: [{ name: "all", environments: ["eu"] }] },
  ...extra,
});
const CONFIG = RailyardConfig.parse({
  version: 1,
  environments: { eu: { kind: "production" } },
  prometheus: { default: { url: "http://127.0.0.1:1" } },
  slos: { checkout: { objective: 0.99, bad: "x[{window}]", total: "y[{window}]" } },
  lines: {
    web: line({ measure: { errorRate: "errors[{window}]" } }),
    shop: line({ errorBudget: { slo: "checkout" }, measure: { window: "30m" } }),
    misc: line({}),
  },
});

const moved = (id: string, event: "depart" | "release", to: string): NewEvent => ({
  type: "train.transitioned",
  trainId: id,
  actor: "system",
  payload: { from: "deploying", to: to as never, event, resumeTo: null, reason: null },
});

/** A train of `lineName` created on day 5, departing day 6 00:00, released day 6 06:00. */
async function released(store: Store, id: string, lineName: string) {
  await store.append(
    [
      {
        type: "train.created",
        trainId: id,
        actor: "system",
        payload: {
          line: lineName,
          number: 1,
          kind: "scheduled",
          cutoffAt: iso(5, 0),
          departureAt: iso(6, 0),
        },
      },
    ],
    iso(5, 8),
  );
  await store.append([moved(id, "depart", "deploying")], iso(6, 0));
  await store.append([moved(id, "release", "released")], iso(6, 6));
}

/** A probe answering from `answer`, recording every question. */
function fakeProbe(answer: (line: string, at: Date) => { ratio: number | null; detail: string }) {
  const calls: Array<[string, string, string]> = [];
  const probe: ErrorRateProbe = {
    async errorRate(lineName, when, window) {
      calls.push([lineName, when.toISOString(), window]);
      return answer(lineName, when);
    },
  };
  return { calls, probe };
}

function measurer(store: Store, clock: SimulatedClock, probe: ErrorRateProbe) {
  const book = new MetricsBook({ store, logger, teamOf: () => undefined });
  const job = new ReleaseMeasurer({
    store,
    clock,
    logger,
    probe,
    config: () => CONFIG,
    releases: async () => {
      await book.catchUp();
      return book.unmeasuredReleases();
    },
  });
  return { book, job };
}

const measuredEvents = (store: Store) => store.listEvents({ types: ["release.measured"] });

for (const dialect of DIALECTS) {
  describe(`ReleaseMeasurer (${dialect})`, () => {
    let test: TestStore;
    let store: Store;
    beforeEach(async () => {
      test = await createTestStore(dialect);
      store = test.store;
    });
    afterEach(() => test.cleanup());

    it("measures once, after the window, before the first wave and after the release", async () => {
      await released(store, "web-1", "web");
      const clock = new SimulatedClock({ start: at(6, 6, 59, 59) });
      // 2 % in the hour before departure (day 6 00:00), 5 % in the hour after the release.
      const { calls, probe } = fakeProbe((_, when) =>
        when < at(6, 3) ? { ratio: 0.02, detail: "before" } : { ratio: 0.05, detail: "after" },
      );
      const { book, job } = measurer(store, clock, probe);
      await job.run();
      expect(calls).toEqual([]);
      expect(await measuredEvents(store)).toEqual([]);

      clock.set(at(6, 7));
      await job.run();
      expect(calls).toEqual([
        ["web", iso(6, 0), "1h"],
        ["web", iso(6, 7), "1h"],
      ]);
      const [event, ...more] = await measuredEvents(store);
      expect(more).toEqual([]);
      expect(event).toMatchObject({
        trainId: "web-1",
        actor: "system",
        time: iso(6, 7),
        payload: { window: "1h", before: 0.02, after: 0.05 },
      });

      clock.set(at(7, 12));
      await job.run();
      expect(calls).toHaveLength(2);
      expect(await measuredEvents(store)).toHaveLength(1);

      // M5 in the release metrics: after − before = 0.03, counted when measured.
      const report = await book.report({ from: iso(5, 0), to: iso(8, 0), groupBy: "week" });
      expect(report.total.m5ErrorRateDelta.trains).toBe(1);
      expect(report.total.m5ErrorRateDelta.mean).toBeCloseTo(0.03, 12);
      expect(report.total.m5ErrorRateDelta.worst).toBeCloseTo(0.03, 12);
    });

    it("uses the line's window, the SLO fallback, and skips lines without a query", async () => {
      await released(store, "shop-1", "shop");
      await released(store, "misc-1", "misc");
      const clock = new SimulatedClock({ start: at(6, 6, 29) });
      const { calls, probe } = fakeProbe(() => ({ ratio: 0.01, detail: "ok" }));
      const { job } = measurer(store, clock, probe);
      await job.run();
      expect(calls).toEqual([]);
      clock.set(at(6, 6, 30));
      await job.run();
      expect(calls).toEqual([
        ["shop", iso(6, 0), "30m"],
        ["shop", iso(6, 6, 30), "30m"],
      ]);
      clock.set(at(9, 0));
      await job.run();
      const events = await measuredEvents(store);
      expect(events.map((e) => e.trainId)).toEqual(["shop-1"]);
      expect(events[0]?.payload).toMatchObject({ window: "30m", before: 0.01, after: 0.01 });
    });

    it("tries again after a failure or no data, then records nulls and the reason at the limit", async () => {
      await released(store, "web-1", "web");
      const clock = new SimulatedClock({ start: at(6, 7) });
      let mode: "down" | "empty" = "down";
      const { calls, probe } = fakeProbe(() => {
        if (mode === "down") throw new Error("Prometheus unreachable");
        return { ratio: null, detail: "no data for errors[1h]" };
      });
      const { job } = measurer(store, clock, probe);
      await job.run();
      expect(calls).toHaveLength(2);
      expect(await measuredEvents(store)).toEqual([]);
      // Not again within a minute.
      clock.set(at(6, 7, 0, 59));
      await job.run();
      expect(calls).toHaveLength(2);
      clock.set(at(6, 7, 1));
      await job.run();
      expect(calls).toHaveLength(4);
      mode = "empty";
      clock.set(at(6, 7, 59, 59));
      await job.run();
      expect(calls).toHaveLength(6);
      expect(await measuredEvents(store)).toEqual([]);
      // releasedAt + window + 1h: the last try, recorded whatever it gives.
      clock.set(at(6, 8));
      await job.run();
      expect(calls).toHaveLength(8);
      const events = await measuredEvents(store);
      expect(events).toHaveLength(1);
      expect(events[0]?.payload).toMatchObject({
        window: "1h",
        before: null,
        after: null,
        detail: expect.stringContaining("no data for errors[1h]"),
      });
      clock.set(at(6, 9));
      await job.run();
      expect(calls).toHaveLength(8);
    });

    it("records one measurement when two measurers run at once", async () => {
      await released(store, "web-1", "web");
      const clock = new SimulatedClock({ start: at(6, 7) });
      const one = measurer(store, clock, fakeProbe(() => ({ ratio: 0.02, detail: "a" })).probe);
      const two = measurer(store, clock, fakeProbe(() => ({ ratio: 0.02, detail: "b" })).probe);
      // Both read the work list before either records.
      await Promise.all([one.book.catchUp(), two.book.catchUp()]);
      await Promise.all([one.job.run(), two.job.run()]);
      expect(await measuredEvents(store)).toHaveLength(1);
    });
  });
}
