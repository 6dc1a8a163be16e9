/**
 * Transactions: all-or-nothing, and concurrent appenders (in one store, and in two stores on the
 * same database) keep the chain's ids consecutive and its hashes valid.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../../src/engine/ports.js";
import { openStore } from "../../src/store/open-store.js";
import { createTestStore, DIALECTS, type TestStore } from "../support/dialects.js";
import {
  artifactPushed,
  at,
  stepStarted,
  T0,
  trainCreated,
  transitioned,
} from "../support/store-fixtures.js";

class PlannedFailure extends Error {}

for (const dialect of DIALECTS) {
  describe(dialect, () => {
    let test: TestStore;
    let store: Store;
    beforeEach(async () => {
      test = await createTestStore(dialect);
      store = test.store;
    });
    afterEach(() => test.cleanup());

    it("reads its own writes inside a transaction", async () => {
      await store.transaction(async (tx) => {
        await tx.append([trainCreated("web", 1)], T0);
        expect((await tx.getTrain("web-1"))?.state).toBe("scheduled");
        await tx.append([transitioned("web-1", "scheduled", "boarding", "open")], at(1));
        expect((await tx.getTrain("web-1"))?.state).toBe("boarding");
        await tx.setWakeAt("web-1", at(60));
        expect((await tx.listEvents()).map((e) => e.id)).toEqual([1, 2]);
      });
      expect(await store.getTrain("web-1")).toMatchObject({ state: "boarding", wakeAt: at(60) });
    });

    it("rolls back events and projections together when the callback throws", async () => {
      await store.append([trainCreated("web", 1)], T0);
      const failed = store.transaction(async (tx) => {
        await tx.append([transitioned("web-1", "scheduled", "boarding", "open")], at(1));
        await tx.append(
          [artifactPushed("api", "1.0.0", "web-1"), stepStarted("web-1", "r1/integrate/api", "integrate")],
          at(2),
        );
        await tx.setWakeAt("web-1", at(90));
        await tx.insertToken({
          id: "tok-1",
          hash: "h",
          name: "ci",
          subject: "ci-bot",
          roles: ["ci"],
          createdAt: at(2),
          expiresAt: null,
          revokedAt: null,
          lastUsedAt: null,
          kind: "user",
          components: null,
        });
        await tx.setSetting("clock.simulated", at(2));
        throw new PlannedFailure("boom");
      });
      await expect(failed).rejects.toBeInstanceOf(PlannedFailure);

      expect(await store.listEvents()).toHaveLength(1);
      expect(await store.getTrain("web-1")).toMatchObject({ state: "scheduled", wakeAt: T0 });
      expect(await store.listArtifacts()).toEqual([]);
      expect(await store.listSteps("web-1")).toEqual([]);
      expect(await store.listTokens()).toEqual([]);
      expect(await store.getSetting("clock.simulated")).toBeUndefined();
      expect(await store.verifyChain()).toMatchObject({ ok: true, events: 1 });

      // The chain continues from the event that committed, not from the ones rolled back.
      const [next] = await store.append([transitioned("web-1", "scheduled", "boarding", "open")], at(3));
      const [first] = await store.listEvents({ limit: 1 });
      expect(next).toMatchObject({ id: 2, prevHash: first!.hash });
      expect(await store.verifyChain()).toMatchObject({ ok: true, events: 2, lastHash: next!.hash });
    });

    it("rolls back a whole batch when one of its projections fails", async () => {
      await store.append([trainCreated("web", 1)], T0);
      await expect(
        store.append(
          [artifactPushed("api", "1.0.0", "web-1"), transitioned("web-404", "scheduled", "boarding", "open")],
          at(1),
        ),
      ).rejects.toThrow("no train web-404");
      expect(await store.listArtifacts()).toEqual([]);
      const [next] = await store.append([artifactPushed("api", "1.0.0", "web-1")], at(2));
      expect(next?.id).toBe(2);
      expect(await store.verifyChain()).toMatchObject({ ok: true, events: 2 });
    });

    it("refuses a time that is not an ISO instant with milliseconds, appending nothing", async () => {
      await expect(store.append([trainCreated("web", 1)], "2026-01-06T09:00:00Z")).rejects.toThrow(
        '"2026-01-06T09:00:00Z" is not an instant like 2026-01-06T09:00:00.000Z',
      );
      expect(await store.listEvents()).toEqual([]);
    });

    it("returns no events and appends nothing for an empty batch", async () => {
      expect(await store.append([], T0)).toEqual([]);
      expect(await store.transaction((tx) => tx.append([], T0))).toEqual([]);
      expect(await store.verifyChain()).toMatchObject({ ok: true, events: 0 });
    });

    it("keeps ids consecutive and the chain valid under 50 concurrent appends and 20 concurrent transactions", async () => {
      await store.append([trainCreated("web", 1)], T0);
      const appends = Array.from({ length: 50 }, (_, i) =>
        store.append([artifactPushed(`svc${i}`, "1.0.0", "web-1")], at(1)),
      );
      const transactions = Array.from({ length: 20 }, (_, i) =>
        store.transaction(async (tx) => {
          const first = await tx.append([artifactPushed(`job${i}`, "1.0.0", "web-1")], at(2));
          await tx.getArtifact(`job${i}@1.0.0`);
          const second = await tx.append(
            [artifactPushed(`job${i}`, "2.0.0", "web-1"), artifactPushed(`job${i}`, "3.0.0", "web-1")],
            at(2),
          );
          return [...first, ...second];
        }),
      );
      const results = await Promise.all([...appends, ...transactions]);
      const ids = results.flat().map((event) => event.id);
      expect(ids.toSorted((a, b) => a - b)).toEqual(Array.from({ length: 110 }, (_, i) => i + 2));
      // A transaction's events are consecutive: nothing interleaves with them.
      for (const batch of results.slice(50)) expect(batch.map((e) => e.id - batch[0]!.id)).toEqual([0, 1, 2]);
      expect(await store.verifyChain()).toMatchObject({ ok: true, events: 111 });
      expect(await store.listArtifacts({ limit: 1000 })).toHaveLength(110);
    });

    it("keeps the chain valid when two stores on the same database append alternately", async () => {
      const other = await openStore({ url: test.url });
      try {
        await store.append([trainCreated("web", 1)], T0);
        const writers = [store, other];
        for (let i = 0; i < 12; i++) {
          const writer = writers[i % 2]!;
          const [event] = await writer.append([artifactPushed("api", `1.${i}.0`, "web-1")], at(i + 1));
          expect(event?.id).toBe(i + 2);
        }
        // A transaction in the second store that reads first, then appends, after the first moved on.
        await store.append([transitioned("web-1", "scheduled", "boarding", "open")], at(20));
        await other.transaction(async (tx) => {
          expect((await tx.getTrain("web-1"))?.state).toBe("boarding");
          const [event] = await tx.append([artifactPushed("db", "1.0.0", "web-1")], at(21));
          expect(event?.id).toBe(15);
        });
        for (const reader of writers)
          expect(await reader.verifyChain()).toMatchObject({ ok: true, events: 15 });
      } finally {
        await other.close();
      }
    });
  });
}
