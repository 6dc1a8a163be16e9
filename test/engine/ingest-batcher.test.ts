/**
 * Group commit of artifact pushes, on real databases: pushes that arrive together are written in
 * one transaction, yet each gets its own event, its own checks and its own answer, exactly as if
 * it had been pushed alone.
 */
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseConfigOrThrow } from "../../src/domain/config/load.js";
import type { Principal } from "../../src/engine/actions.js";
import type { ArtifactPush, PushResult } from "../../src/engine/boarding-desk.js";
import { SimulatedClock } from "../../src/engine/clock.js";
import { ConflictError, InvalidInputError, NotFoundError } from "../../src/engine/errors.js";
import { IngestBatcher } from "../../src/engine/ingest-batcher.js";
import { KeyedMutex } from "../../src/engine/keyed-mutex.js";
import type { Logger, Store } from "../../src/engine/ports.js";
import { Railyard } from "../../src/engine/railyard.js";
import { createTestStore, DIALECTS, type TestStore } from "../support/dialects.js";
import { T0, trainCreated } from "../support/store-fixtures.js";
import { WORLD_START, worldConfig } from "../support/world.js";

const CI: Principal = { subject: "ci-bot", roles: ["ci"], tokenId: null };
const SHA = (n: number) => n.toString(16).padStart(40, "0");

/** Counts the transactions a store runs. */
function countTransactions(store: Store): { count: number } {
  const counter = { count: 0 };
  const transaction = store.transaction.bind(store);
  store.transaction = (fn) => {
    counter.count++;
    return transaction(fn);
  };
  return counter;
}

async function engine(store: Store): Promise<Railyard> {
  const { config, hash } = parseConfigOrThrow(worldConfig("/nonexistent/gitops.git"), "railyard.yaml");
  return Railyard.create({
    store,
    clock: new SimulatedClock({ start: WORLD_START }),
    logger: pino({ level: "silent" }) as unknown as Logger,
    config: { config, meta: { source: "railyard.yaml", hash } },
    deployerFactory: () => {
      throw new Error("nothing deploys in these tests");
    },
    gates: {
      run: () => {
        throw new Error("no gate runs in these tests");
      },
    },
  });
}

/** A unit that creates the first train of `line`. */
function create(batcher: IngestBatcher, line: string) {
  return batcher.submit(`line:${line}`, async (tx) => (await tx.append([trainCreated(line, 1)], T0))[0]!);
}

/** What each push answered or threw, in order. */
async function outcomes(pushes: Array<Promise<PushResult>>): Promise<Array<PushResult | Error>> {
  return (await Promise.allSettled(pushes)).map((settled) =>
    settled.status === "fulfilled" ? settled.value : (settled.reason as Error),
  );
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: group commit of artifact pushes`, () => {
    let test: TestStore;
    let store: Store;
    let railyard: Railyard;
    const push = (input: ArtifactPush) => railyard.pushArtifact(input, CI);
    /** The payloads of the `artifact.pushed` events, oldest first. */
    const pushed = async () =>
      (await store.listEvents({ types: ["artifact.pushed"], limit: 10_000 })).flatMap((e) =>
        e.type === "artifact.pushed" ? [{ id: e.id, ...e.payload }] : [],
      );

    beforeEach(async () => {
      test = await createTestStore(dialect);
      store = test.store;
      railyard = await engine(store);
      // The first push opens shop-1; the pushes under test find it open.
      await push({ component: "db", version: "0.1.0", commit: SHA(1) });
    });
    afterEach(() => test.cleanup());

    it("writes pushes that arrive together in one transaction, one event each, on a valid chain", async () => {
      const transactions = countTransactions(store);
      const inputs = ["db", "api", "web"].flatMap((component) =>
        Array.from({ length: 10 }, (_, i) => ({ component, version: `1.0.${i}`, commit: SHA(i + 100) })),
      );

      const answers = await Promise.all(inputs.map(push));

      expect(transactions.count).toBe(1);
      expect(answers.map((a) => [a.artifact.component, a.artifact.version, a.replay, a.train.id])).toEqual(
        inputs.map((i) => [i.component, i.version, false, "shop-1"]),
      );
      expect(answers[0]!.train).toEqual({
        id: "shop-1",
        state: "boarding",
        cutoffAt: "2026-03-02T07:00:00.000Z",
        departureAt: "2026-03-02T09:00:00.000Z",
      });
      const events = await pushed();
      const batch = events.slice(1);
      expect(batch.map((e) => e.artifactId)).toEqual(answers.map((a) => a.artifact.id));
      expect(new Set(batch.map((e) => e.artifactId)).size).toBe(inputs.length);
      expect(batch.map((e) => e.id)).toEqual(batch.map((_, i) => events[0]!.id + 1 + i));
      expect(await store.verifyChain()).toMatchObject({ ok: true });
      expect(await store.listArtifacts({ trainId: "shop-1", limit: 100 })).toHaveLength(inputs.length + 1);
    });

    it("fails a push that does not pass its checks alone, with the error it gets on its own", async () => {
      const conflicting = { component: "db", version: "0.1.0", commit: SHA(2) };
      const unknownTrain = { component: "api", version: "1.0.0", commit: SHA(3), train: "shop-99" };
      const unknownComponent = { component: "nope", version: "1.0.0", commit: SHA(4) };
      const transactions = countTransactions(store);

      const answers = await outcomes(
        [
          conflicting,
          { component: "api", version: "1.0.1", commit: SHA(5) },
          unknownTrain,
          unknownComponent,
          { component: "web", version: "1.0.0", commit: SHA(6) },
        ].map(push),
      );

      expect(transactions.count).toBe(1);
      expect(answers[0]).toBeInstanceOf(ConflictError);
      expect(answers[1]).toMatchObject({ replay: false, artifact: { component: "api", version: "1.0.1" } });
      expect(answers[2]).toBeInstanceOf(NotFoundError);
      expect(answers[3]).toBeInstanceOf(InvalidInputError);
      expect(answers[4]).toMatchObject({ replay: false, artifact: { component: "web", version: "1.0.0" } });
      expect((await pushed()).map((e) => `${e.component} ${e.version}`)).toEqual([
        "db 0.1.0",
        "api 1.0.1",
        "web 1.0.0",
      ]);
      // Pushed alone, each bad push fails with the very same error.
      await expect(push(conflicting)).rejects.toThrow((answers[0] as Error).message);
      await expect(push(unknownTrain)).rejects.toThrow((answers[2] as Error).message);
      await expect(push(unknownComponent)).rejects.toThrow((answers[3] as Error).message);
      expect(await store.verifyChain()).toMatchObject({ ok: true });
    });

    it("answers duplicates within a batch as it answers them pushed one after the other", async () => {
      const same = { component: "web", version: "2.0.0", commit: SHA(7) };
      const original = { component: "web", version: "2.0.1", commit: SHA(8) };
      const otherCommit = { ...original, commit: SHA(9) };

      const [first, again, boarded, clash] = await outcomes([same, same, original, otherCommit].map(push));

      expect(first).toMatchObject({ replay: false, artifact: { version: "2.0.0" } });
      expect(again).toMatchObject({ replay: true, artifact: { id: (first as PushResult).artifact.id } });
      expect(boarded).toMatchObject({ replay: false, artifact: { commit: SHA(8) } });
      expect(clash).toBeInstanceOf(ConflictError);
      expect((clash as Error).message).toBe(
        `web 2.0.1 was already pushed with commit ${SHA(8)}; a version names one build — push a new version`,
      );
      // The same pushes one after the other: the same answers.
      expect(await push(same)).toMatchObject({
        replay: true,
        artifact: { id: (first as PushResult).artifact.id },
      });
      await expect(push(otherCommit)).rejects.toThrow((clash as Error).message);
      expect((await pushed()).map((e) => e.version)).toEqual(["0.1.0", "2.0.0", "2.0.1"]);
    });
  });

  describe(`${dialect}: IngestBatcher`, () => {
    let test: TestStore;
    let store: Store;
    beforeEach(async () => {
      test = await createTestStore(dialect);
      store = test.store;
    });
    afterEach(() => test.cleanup());

    it("rolls the batch back on an unexpected error and runs each unit alone, so only that unit fails", async () => {
      const rolledBack: string[][] = [];
      const batcher = new IngestBatcher(store, new KeyedMutex(), {
        onRollback: (keys) => rolledBack.push([...keys]),
      });
      const transactions = countTransactions(store);
      const failing = batcher.submit("line:bad", async (tx) => {
        await tx.append([trainCreated("bad", 1)], T0);
        throw new Error("the disk is on fire");
      });

      const results = await Promise.allSettled([create(batcher, "web1"), failing, create(batcher, "web2")]);

      expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ message: "the disk is on fire" });
      // The batch that rolled back, then one transaction per unit.
      expect(transactions.count).toBe(1 + 3);
      expect(rolledBack).toEqual([["line:bad", "line:web1", "line:web2"], ["line:bad"]]);
      expect((await store.listEvents()).map((e) => e.trainId)).toEqual(["web1-1", "web2-1"]);
      expect(await store.verifyChain()).toMatchObject({ ok: true, events: 2 });
    });

    it("does not commit the writes of a unit that rejects its input after writing", async () => {
      const batcher = new IngestBatcher(store, new KeyedMutex());
      const lateRejection = batcher.submit("line:late", async (tx) => {
        await tx.append([trainCreated("late", 1)], T0);
        throw new ConflictError("changed its mind after writing");
      });

      const results = await Promise.allSettled([
        create(batcher, "web1"),
        lateRejection,
        create(batcher, "web2"),
      ]);

      expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
      expect((await store.listEvents()).map((e) => e.trainId)).toEqual(["web1-1", "web2-1"]);
      expect(await store.verifyChain()).toMatchObject({ ok: true, events: 2 });
    });

    it("runs a unit only when the work holding its key has finished", async () => {
      const locks = new KeyedMutex();
      const batcher = new IngestBatcher(store, locks);
      const order: string[] = [];
      const holder = locks.run("line:web", async () => {
        order.push("holder starts");
        for (let i = 0; i < 5; i++) {
          await store.getSetting("config.hash");
          await new Promise((resolve) => setImmediate(resolve));
        }
        order.push("holder ends");
      });
      const unit = batcher.submit("line:web", async (tx) => {
        order.push("unit");
        await tx.append([trainCreated("web", 1)], T0);
      });

      await Promise.all([holder, unit]);

      expect(order).toEqual(["holder starts", "holder ends", "unit"]);
    });
  });
}
