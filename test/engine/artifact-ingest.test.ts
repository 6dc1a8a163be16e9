/**
 * Group commit of artifact pushes, on real databases: pushes that arrive together are recorded
 * in one transaction, yet each gets its own event, its own checks and its own answer, exactly as
 * if it had been pushed alone; on a SQLite file the batches can run on the writer thread.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Principal } from "../../src/engine/actions.js";
import { ArtifactIngest } from "../../src/engine/artifact-ingest.js";
import type { ArtifactPush, PushResult } from "../../src/engine/boarding-desk.js";
import { SimulatedClock } from "../../src/engine/clock.js";
import { ConflictError, InvalidInputError, NotFoundError } from "../../src/engine/errors.js";
import { KeyedMutex } from "../../src/engine/keyed-mutex.js";
import type { Store } from "../../src/engine/ports.js";
import type { Railyard } from "../../src/engine/railyard.js";
import { openStore } from "../../src/store/open-store.js";
import { createTestStore, DIALECTS, type TestStore } from "../support/dialects.js";
import { inProcessEngine } from "../support/engine.js";
import { REPO_ROOT } from "../support/serve-process.js";
import { T0, trainCreated } from "../support/store-fixtures.js";
import { WORLD_START } from "../support/world.js";

const CI: Principal = {
  subject: "ci-bot",
  roles: [],
  tokenId: null,
  kind: "ci",
  components: ["db", "api", "web"],
};
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

/** The engine on `store`, with the world's configuration. */
function engine(store: Store): Promise<Railyard> {
  return inProcessEngine(store);
}

/** What each promise gave or threw, in order. */
async function outcomes<T>(promises: Array<Promise<T>>): Promise<Array<T | Error>> {
  return (await Promise.allSettled(promises)).map((settled) =>
    settled.status === "fulfilled" ? settled.value : (settled.reason as Error),
  );
}

/** The payloads of the `artifact.pushed` events, oldest first. */
async function pushed(store: Store) {
  return (await store.listEvents({ types: ["artifact.pushed"], limit: 10_000 })).flatMap((e) =>
    e.type === "artifact.pushed" ? [{ id: e.id, ...e.payload }] : [],
  );
}

/** A push of a made-up artifact through the bare ingest, answering what the store did. */
function rawPush(ingest: ArtifactIngest, line: string, component: string, version: string) {
  return ingest.submit(`line:${line}`, async () => ({
    component,
    version,
    events: [
      {
        type: "artifact.pushed" as const,
        trainId: null,
        actor: "ci-bot",
        payload: {
          artifactId: `art_${component}_${version}`,
          component,
          version,
          commit: SHA(1),
          buildUrl: null,
          digest: null,
          dependsOn: [],
          boardedTrain: null,
          late: false,
          requestedTrain: null,
        },
      },
    ],
    answer: (stored) => stored,
  }));
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: group commit of artifact pushes`, () => {
    let test: TestStore;
    let store: Store;
    let railyard: Railyard;
    const push = (input: ArtifactPush) => railyard.pushArtifact(input, CI);

    beforeEach(async () => {
      test = await createTestStore(dialect);
      store = test.store;
      railyard = await engine(store);
      // The first push opens shop-1; the pushes under test find it open.
      await push({ component: "db", version: "0.1.0", commit: SHA(1) });
    });
    afterEach(() => test.cleanup());

    it("records pushes that arrive together in one transaction, one event each, on a valid chain", async () => {
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
      const events = await pushed(store);
      const batch = events.slice(1);
      expect(batch.map((e) => e.artifactId)).toEqual(answers.map((a) => a.artifact.id));
      expect(new Set(batch.map((e) => e.artifactId)).size).toBe(inputs.length);
      expect(batch.map((e) => e.id)).toEqual(batch.map((_, i) => events[0]!.id + 1 + i));
      // A push is its own audit record: no second event, the source rides in it (none here: the
      // principal came from no request).
      expect(batch.every((e) => e.source === null)).toBe(true);
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
      expect((await pushed(store)).map((e) => `${e.component} ${e.version}`)).toEqual([
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
      expect(await push(same)).toMatchObject({
        replay: true,
        artifact: { id: (first as PushResult).artifact.id },
      });
      await expect(push(otherCommit)).rejects.toThrow((clash as Error).message);
      expect((await pushed(store)).map((e) => e.version)).toEqual(["0.1.0", "2.0.0", "2.0.1"]);
    });
  });

  describe(`${dialect}: ArtifactIngest`, () => {
    let test: TestStore;
    let store: Store;
    beforeEach(async () => {
      test = await createTestStore(dialect);
      store = test.store;
    });
    afterEach(() => test.cleanup());

    it("when a batch's transaction fails, records each push alone so only the one at fault fails", async () => {
      const failures: string[][] = [];
      const appendArtifacts = store.appendArtifacts.bind(store);
      store.appendArtifacts = (items, time) =>
        items.some((i) => i.component === "bad")
          ? Promise.reject(new Error("the disk is on fire"))
          : appendArtifacts(items, time);
      const ingest = new ArtifactIngest(store, new KeyedMutex(), new SimulatedClock({ start: WORLD_START }), {
        onFailure: (keys) => failures.push([...keys]),
      });

      const results = await outcomes([
        rawPush(ingest, "a", "api", "1.0.0"),
        rawPush(ingest, "b", "bad", "1.0.0"),
        rawPush(ingest, "c", "web", "1.0.0"),
      ]);

      expect(results[0]).toMatchObject({ kind: "appended" });
      expect(results[1]).toMatchObject({ message: "the disk is on fire" });
      expect(results[2]).toMatchObject({ kind: "appended" });
      expect(failures).toEqual([["line:a", "line:b", "line:c"], ["line:b"]]);
      expect((await pushed(store)).map((e) => e.component)).toEqual(["api", "web"]);
      expect(await store.verifyChain()).toMatchObject({ ok: true, events: 2 });
    });

    it("plans a push only when the work holding its line's lock has finished", async () => {
      const locks = new KeyedMutex();
      const ingest = new ArtifactIngest(store, locks, new SimulatedClock({ start: WORLD_START }));
      const order: string[] = [];
      const holder = locks.run("line:web", async () => {
        order.push("holder starts");
        for (let i = 0; i < 5; i++) {
          await store.getSetting("config.hash");
          await new Promise((resolve) => setImmediate(resolve));
        }
        await store.append([trainCreated("web", 1)], T0);
        order.push("holder ends");
      });
      const unit = ingest.submit("line:web", async () => {
        order.push("push planned");
        throw new ConflictError("nothing to record");
      });

      await outcomes([holder, unit]);

      expect(order).toEqual(["holder starts", "holder ends", "push planned"]);
    });
  });
}

describe("the SQLite writer thread", () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "railyard-writer-"));
    // The compiled worker: the test run's global setup built dist/.
    store = await openStore({
      url: `sqlite:${path.join(dir, "railyard.db")}`,
      writerWorkerFile: path.join(REPO_ROOT, "dist", "store", "sqlite-writer-worker.js"),
    });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("records batches on its own connection while the main thread appends too; one valid chain", async () => {
    const railyard = await engine(store);
    const inputs = Array.from({ length: 60 }, (_, i) => ({
      component: ["db", "api", "web"][i % 3]!,
      version: `1.0.${i}`,
      commit: SHA(i + 1),
    }));
    const answers = await Promise.all([
      ...inputs.map((input) => railyard.pushArtifact(input, CI)),
      // the main thread writes between the writer thread's batches
      store.append([trainCreated("other", 1)], WORLD_START.toISOString()),
    ]);
    expect(answers.filter((a) => !Array.isArray(a) && a.replay === false)).toHaveLength(60);
    expect(await railyard.pushArtifact(inputs[0]!, CI)).toMatchObject({ replay: true });
    expect(await store.listArtifacts({ trainId: "shop-1", limit: 100 })).toHaveLength(60);
    expect(await store.verifyChain()).toMatchObject({ ok: true });
    // every append was chained after the one before, whichever thread wrote it
    const events = await store.listEvents({ limit: 1000 });
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
  });
});

describe("a SQLite writer thread that dies", () => {
  it("leaves the batches to the main thread's connection; nothing is lost", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "railyard-writer-dies-"));
    const worker = path.join(dir, "dying-worker.mjs");
    await writeFile(
      worker,
      'import { parentPort } from "node:worker_threads";\nparentPort.postMessage({ ready: true });\nsetImmediate(() => process.exit(3));\n',
    );
    const store = await openStore({
      url: `sqlite:${path.join(dir, "railyard.db")}`,
      writerWorkerFile: worker,
    });
    try {
      const railyard = await engine(store);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          railyard.pushArtifact({ component: "db", version: `2.0.${i}`, commit: SHA(i + 1) }, CI),
        ),
      );
      expect(answers.every((a) => !a.replay)).toBe(true);
      expect(await store.listArtifacts({ component: "db", limit: 100 })).toHaveLength(20);
      expect(await store.verifyChain()).toMatchObject({ ok: true });
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
