/**
 * The metrics book on SQLite and PostgreSQL: it folds the log after its cursor, persists facts
 * and cursor, a new book over the same store answers the same from the stored facts, and two
 * books folding at once leave correct facts.
 */
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewEvent } from "../../src/domain/events.js";
import { METRICS_CURSOR_KEY, MetricsBook } from "../../src/engine/metrics-book.js";
import type { Store } from "../../src/engine/ports.js";
import { createTestStore, DIALECTS, type TestStore } from "../support/dialects.js";

const logger = pino({ level: "silent" });
const PERIOD = { from: "2026-01-05T00:00:00.000Z", to: "2026-01-19T00:00:00.000Z" };
const at = (day: number, hour: number) => new Date(Date.UTC(2026, 0, day, hour)).toISOString();

const created = (id: string, number: number, day: number): NewEvent => ({
  type: "train.created",
  trainId: id,
  actor: "system",
  payload: {
    line: "web",
    number,
    kind: "scheduled",
    cutoffAt: at(day, 0),
    departureAt: at(day + 1, 0),
  },
});
const moved = (
  id: string,
  event: "depart" | "release" | "rollback" | "rolled_back",
  to: string,
): NewEvent => ({
  type: "train.transitioned",
  trainId: id,
  actor: "system",
  payload: { from: "deploying", to: to as never, event, resumeTo: null, reason: null },
});

/** A train created on `day`, departing the next day at 00:00, released (6h) or rolled back (2h). */
async function train(
  store: Store,
  id: string,
  number: number,
  day: number,
  outcome: "released" | "rolled_back",
) {
  await store.append([created(id, number, day)], at(day, 8));
  await store.append([moved(id, "depart", "deploying")], at(day + 1, 0));
  if (outcome === "released") {
    await store.append([moved(id, "release", "released")], at(day + 1, 6));
  } else {
    await store.append([moved(id, "rollback", "rolling_back")], at(day + 1, 1));
    await store.append([moved(id, "rolled_back", "rolled_back")], at(day + 1, 2));
  }
}

const book = (store: Store, pageSize?: number) =>
  new MetricsBook({ store, logger, teamOf: () => undefined, ...(pageSize ? { pageSize } : {}) });

for (const dialect of DIALECTS) {
  describe(`MetricsBook (${dialect})`, () => {
    let test: TestStore;
    let store: Store;
    beforeEach(async () => {
      test = await createTestStore(dialect);
      store = test.store;
    });
    afterEach(() => test.cleanup());

    it("persists facts and cursor; a new book answers the same from them", async () => {
      await train(store, "web-1", 1, 5, "released");
      await train(store, "web-2", 2, 7, "rolled_back");
      const first = book(store);
      const report = await first.report(PERIOD);
      // web-1 released cleanly, web-2 rolled back: M1 1/2, deployment time 6h for web-1 only.
      expect(report.total.m1ReleaseSuccessRate).toEqual({ value: 0.5, numerator: 1, denominator: 2 });
      expect(report.total.m9DeploymentTime.meanMs).toBe(6 * 3_600_000);
      expect(report.total.m8Rollbacks.count).toBe(1);
      const lastId = (await store.verifyChain()).events;
      expect(report.asOfEventId).toBe(lastId);
      expect(await store.getSetting(METRICS_CURSOR_KEY)).toBe(String(lastId));
      const rows = await store.listTrainFacts();
      expect(rows.map((r) => [r.trainId, r.endedAt]).sort()).toEqual([
        ["web-1", at(6, 6)],
        ["web-2", at(8, 2)],
      ]);

      // A second book must answer from the stored facts: the events it would refold are gone
      // from its view because its cursor starts at the stored one.
      const second = book(store);
      const again = await second.report(PERIOD);
      expect(second.cursor).toBe(lastId);
      expect(again).toEqual(report);
    });

    it("folds only what is new, incrementally, across pages", async () => {
      const metrics = book(store, 2);
      await train(store, "web-1", 1, 5, "released");
      expect((await metrics.report(PERIOD)).total.trains.released).toBe(1);
      await train(store, "web-2", 2, 12, "released");
      await train(store, "web-3", 3, 13, "rolled_back");
      const report = await metrics.report({ ...PERIOD, groupBy: "week" });
      expect(report.total.trains).toMatchObject({ ended: 3, released: 2, rolledBack: 1, departed: 3 });
      expect(report.periods.map((p) => p.trains.ended)).toEqual([1, 2]);
      // The stored facts agree with a book that folds the whole log from the start.
      await store.transaction((tx) => tx.setSetting(METRICS_CURSOR_KEY, "0"));
      const fresh = await book(store).report({ ...PERIOD, groupBy: "week" });
      expect(fresh.total).toEqual(report.total);
    });

    it("gives correct numbers when two books fold at once", async () => {
      const a = book(store, 3);
      const b = book(store, 2);
      await train(store, "web-1", 1, 5, "released");
      const appending = (async () => {
        await train(store, "web-2", 2, 6, "rolled_back");
        await train(store, "web-3", 3, 12, "released");
      })();
      await Promise.all([a.catchUp(), b.catchUp(), appending]);
      const [ra, rb] = await Promise.all([a.report(PERIOD), b.report(PERIOD)]);
      expect(ra.total.trains).toMatchObject({ ended: 3, released: 2, rolledBack: 1 });
      expect(rb.total).toEqual(ra.total);
      // A third book starting from what the two stored answers the same.
      const c = await book(store).report(PERIOD);
      expect(c.total).toEqual(ra.total);
      expect((await store.listTrainFacts()).every((r) => r.fact.endedAt !== null)).toBe(true);
    });
  });
}
