/**
 * The reader queries the reconciler, the API and the CLI lean on: due trains, numbering, event
 * filters and paging, tokens and settings.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { StoredEvent } from "../../src/domain/events.js";
import type { Store } from "../../src/engine/ports.js";
import { isUniqueViolation, StoreError } from "../../src/store/errors.js";
import { createTestStore, DIALECTS, type TestStore } from "../support/dialects.js";
import {
  artifactPushed,
  at,
  stepFinished,
  stepStarted,
  T0,
  trainCreated,
  transitioned,
} from "../support/store-fixtures.js";

const token = {
  id: "tok-1",
  hash: "sha256:secret-hash",
  name: "github actions",
  subject: "ci-bot",
  roles: ["ci", "member:web"],
  createdAt: T0,
  expiresAt: at(60 * 24 * 90),
  revokedAt: null,
  lastUsedAt: null,
  kind: "user" as const,
  components: null,
};

for (const dialect of DIALECTS) {
  describe(dialect, () => {
    let test: TestStore;
    let store: Store;
    beforeEach(async () => {
      test = await createTestStore(dialect);
      store = test.store;
    });
    afterEach(() => test.cleanup());

    it("finds due trains, oldest wake-up first, never ended ones", async () => {
      await store.append(
        [trainCreated("web", 1, at(100)), trainCreated("web", 2, at(200)), trainCreated("api", 1, at(150))],
        T0,
      );
      await store.setWakeAt("web-1", at(30));
      await store.setWakeAt("web-2", at(10));
      await store.setWakeAt("api-1", null);
      expect(await store.dueTrains(at(5), 10)).toEqual([]);
      expect((await store.dueTrains(at(10), 10)).map((t) => t.id)).toEqual(["web-2"]);
      expect((await store.dueTrains(at(30), 10)).map((t) => t.id)).toEqual(["web-2", "web-1"]);
      expect((await store.dueTrains(at(30), 1)).map((t) => t.id)).toEqual(["web-2"]);

      await store.append(
        [transitioned("web-2", "scheduled", "skipped", "skip", { reason: "nothing boarded" })],
        at(40),
      );
      await store.setWakeAt("web-2", at(41)); // a late wake-up of an ended train is ignored
      expect((await store.dueTrains(at(50), 10)).map((t) => t.id)).toEqual(["web-1"]);

      expect(await store.wakeAllActive(at(60))).toBe(2);
      expect((await store.dueTrains(at(60), 10)).map((t) => [t.id, t.wakeAt])).toEqual([
        ["api-1", at(60)],
        ["web-1", at(60)],
      ]);
      await expect(store.setWakeAt("web-404", at(1))).rejects.toThrow(StoreError);
      await expect(store.setWakeAt("web-404", at(1))).rejects.toThrow(
        "cannot set wake-up of train web-404: no such train",
      );
    });

    it("numbers trains per line and finds them by departure", async () => {
      expect(await store.lastTrainNumber("web")).toBe(0);
      await store.append(
        [trainCreated("web", 1, at(100)), trainCreated("web", 7, at(200)), trainCreated("api", 3, at(100))],
        T0,
      );
      expect(await store.lastTrainNumber("web")).toBe(7);
      expect(await store.lastTrainNumber("api")).toBe(3);
      expect((await store.findTrainByDeparture("web", at(200)))?.id).toBe("web-7");
      expect(await store.findTrainByDeparture("web", at(150))).toBeUndefined();
      for (const clash of [trainCreated("web", 8, at(200)), trainCreated("web", 7, at(300))]) {
        const error = await store.append([clash], at(1)).catch((caught: unknown) => caught);
        expect(isUniqueViolation(error)).toBe(true);
        expect((error as Error).message).toMatch(/^cannot project train.created \(event 4\): /);
      }
      expect(await store.lastTrainNumber("web")).toBe(7);
    });

    it("finds the line's last released train by when it ended", async () => {
      await store.append(
        [trainCreated("web", 1, at(100)), trainCreated("web", 2, at(200)), trainCreated("web", 3, at(300))],
        T0,
      );
      expect(await store.lastReleasedTrain("web")).toBeUndefined();
      await store.append([transitioned("web-2", "verifying", "released", "release")], at(210));
      await store.append([transitioned("web-1", "verifying", "released", "release")], at(220));
      await store.append([transitioned("web-3", "verifying", "rolled_back", "rolled_back")], at(310));
      expect((await store.lastReleasedTrain("web"))?.id).toBe("web-1");
      expect(await store.lastReleasedTrain("api")).toBeUndefined();
    });

    it("lists trains by line and state, newest departure first, with a limit", async () => {
      await store.append(
        [trainCreated("web", 1, at(100)), trainCreated("web", 2, at(200)), trainCreated("api", 1, at(300))],
        T0,
      );
      await store.append([transitioned("web-1", "scheduled", "boarding", "open")], at(1));
      expect((await store.listTrains()).map((t) => t.id)).toEqual(["api-1", "web-2", "web-1"]);
      expect((await store.listTrains({ line: "web" })).map((t) => t.id)).toEqual(["web-2", "web-1"]);
      expect((await store.listTrains({ states: ["boarding"] })).map((t) => t.id)).toEqual(["web-1"]);
      expect(await store.listTrains({ states: [] })).toEqual([]);
      expect((await store.listTrains({ limit: 1 })).map((t) => t.id)).toEqual(["api-1"]);
    });

    it("lists the steps left running, across trains, in start order", async () => {
      await store.append([trainCreated("web", 1, at(100)), trainCreated("api", 1, at(100))], T0);
      await store.append([stepStarted("web-1", "r1/integrate/ui", "integrate")], at(1));
      await store.append([stepStarted("api-1", "r1/integrate/api", "integrate")], at(2));
      await store.append([stepStarted("web-1", "r1/gate/gating/tests", "gate")], at(3));
      await store.append([stepFinished("web-1", "r1/integrate/ui", "failed")], at(4));
      await store.append([stepStarted("web-1", "r1/integrate/ui", "integrate", 2)], at(5));
      expect((await store.runningSteps()).map((s) => s.id)).toEqual([
        "api-1/r1/integrate/api#1",
        "web-1/r1/gate/gating/tests#1",
        "web-1/r1/integrate/ui#2",
      ]);
      expect((await store.listSteps("web-1")).map((s) => [s.id, s.status, s.error])).toEqual([
        ["web-1/r1/integrate/ui#1", "failed", "exit code 1"],
        ["web-1/r1/gate/gating/tests#1", "running", null],
        ["web-1/r1/integrate/ui#2", "running", null],
      ]);
    });

    describe("events", () => {
      beforeEach(async () => {
        await store.append([trainCreated("web", 1, at(100)), trainCreated("api", 1, at(100))], T0); // 1, 2
        await store.append([artifactPushed("ui", "1.0.0", "web-1")], at(10)); // 3
        await store.append([transitioned("web-1", "scheduled", "boarding", "open", {}, "carol")], at(20)); // 4
        await store.append([artifactPushed("api", "2.0.0", "api-1")], at(30)); // 5
        await store.append([artifactPushed("ui", "1.1.0", "web-1")], at(40)); // 6
      });
      const ids = (events: StoredEvent[]) => events.map((e) => e.id);

      it("filters by train, id, time span, actor, types and limit, oldest first", async () => {
        expect(ids(await store.listEvents())).toEqual([1, 2, 3, 4, 5, 6]);
        expect(ids(await store.listEvents({ trainId: "web-1" }))).toEqual([1, 3, 4, 6]);
        expect(ids(await store.listEvents({ afterId: 4 }))).toEqual([5, 6]);
        expect(ids(await store.listEvents({ from: at(20), to: at(40) }))).toEqual([4, 5]);
        expect(ids(await store.listEvents({ from: at(40) }))).toEqual([6]);
        expect(ids(await store.listEvents({ actor: "carol" }))).toEqual([4]);
        expect(ids(await store.listEvents({ types: ["artifact.pushed"] }))).toEqual([3, 5, 6]);
        expect(
          ids(await store.listEvents({ types: ["artifact.pushed", "train.transitioned"], trainId: "web-1" })),
        ).toEqual([3, 4, 6]);
        expect(ids(await store.listEvents({ types: [] }))).toEqual([]);
        expect(ids(await store.listEvents({ limit: 2 }))).toEqual([1, 2]);
        expect(ids(await store.listEvents({ afterId: 1, trainId: "web-1", limit: 2 }))).toEqual([3, 4]);
      });

      it("returns events exactly as they were appended", async () => {
        const [event] = await store.append([artifactPushed("db", "3.0.0", "web-1")], at(50));
        expect(await store.listEvents({ afterId: 6 })).toEqual([event]);
      });

      it.each([1, 2, 5, 6, 7])("streams across page boundaries with %i events per page", async (pageSize) => {
        const all: number[] = [];
        for await (const event of store.streamEvents({}, pageSize)) all.push(event.id);
        expect(all).toEqual([1, 2, 3, 4, 5, 6]);
        const filtered: number[] = [];
        for await (const event of store.streamEvents({ trainId: "web-1", afterId: 1 }, pageSize))
          filtered.push(event.id);
        expect(filtered).toEqual([3, 4, 6]);
      });
    });

    it("stores tokens by hash, touches them and revokes them by event", async () => {
      await store.transaction(async (tx) => {
        await tx.insertToken(token);
        await tx.append(
          [
            {
              type: "token.created",
              trainId: null,
              actor: "admin",
              payload: {
                tokenId: token.id,
                name: token.name,
                subject: token.subject,
                roles: token.roles,
                expiresAt: token.expiresAt,
              },
            },
          ],
          T0,
        );
      });
      expect(await store.findTokenByHash(token.hash)).toEqual(token);
      expect(await store.findTokenByHash("sha256:other")).toBeUndefined();
      const { hash: _hash, ...record } = token;
      expect(await store.listTokens()).toEqual([record]);

      await store.transaction((tx) => tx.touchToken(token.id, at(5)));
      expect((await store.findTokenByHash(token.hash))?.lastUsedAt).toBe(at(5));
      await expect(store.transaction((tx) => tx.touchToken("tok-404", at(5)))).rejects.toThrow(
        "no such token",
      );

      await store.append(
        [{ type: "token.revoked", trainId: null, actor: "admin", payload: { tokenId: token.id } }],
        at(9),
      );
      expect((await store.findTokenByHash(token.hash))?.revokedAt).toBe(at(9));
      const duplicate = await store
        .transaction((tx) => tx.insertToken({ ...token, id: "tok-2" }))
        .catch((e: unknown) => e);
      expect(isUniqueViolation(duplicate)).toBe(true);
    });

    it("keeps settings by key", async () => {
      expect(await store.getSetting("clock.simulated")).toBeUndefined();
      await store.transaction((tx) => tx.setSetting("clock.simulated", at(1)));
      await store.transaction((tx) => tx.setSetting("clock.simulated", at(2)));
      expect(await store.getSetting("clock.simulated")).toBe(at(2));
    });
  });
}
