import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CiStatus } from "../../src/domain/model.js";
import { SimulatedClock } from "../../src/engine/clock.js";
import { DeliveryReplayError, WEBHOOK_FUTURE_SKEW_MS } from "../../src/engine/evidence.js";
import type { Store, StoreWriter } from "../../src/engine/ports.js";
import type { Railyard } from "../../src/engine/railyard.js";
import { createTestStore, DIALECTS, type TestStore } from "../support/dialects.js";
import { inProcessEngine } from "../support/engine.js";
import { WORLD_START } from "../support/world.js";

const COMMIT = "9c1d4e0b7a2f6e5d4c3b2a190817263544536271";
const MAX_AGE_MS = 10 * 60_000;

/** The engine on `store`: the webhook's repository on db, deliveries older than 10 minutes refused. */
function engine(store: Store, clock: SimulatedClock): Promise<Railyard> {
  return inProcessEngine(store, {
    clock,
    world: {
      components: `  db: { team: core, deployer: git, repository: acme/db }
  api: { team: core, deployer: git }
  web: { team: core, deployer: git }`,
      top: "webhooks:\n  maxAge: 10m\n",
    },
  });
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: webhook deliveries are accepted once`, () => {
    let test: TestStore;
    let clock: SimulatedClock;
    let railyard: Railyard;
    let n = 0;

    beforeEach(async () => {
      test = await createTestStore(dialect);
      clock = new SimulatedClock({ start: WORLD_START });
      railyard = await engine(test.store, clock);
    });

    afterEach(() => test.cleanup());

    /** A new status of acme/db's build, newer than every one before it. */
    const status = (): CiStatus => ({
      provider: "generic",
      repository: "acme/db",
      commit: COMMIT,
      name: "build",
      state: "success",
      conclusion: "success",
      url: null,
      reportedAt: new Date(clock.now().getTime() + ++n).toISOString(),
      ref: null,
    });
    const record = (keys: string[]) =>
      railyard.recordCi([status()], keys[0] ?? null, "webhook:generic", { provider: "generic", keys });
    const reported = async () =>
      (await test.store.listEvents({ types: ["ci.reported"], limit: 1000 })).length;

    it("records a delivery and refuses any delivery sharing one of its keys, recording nothing", async () => {
      expect(await record(["id:a", "sig:1"])).toMatchObject({ recorded: 1 });
      await expect(record(["id:a", "sig:2"])).rejects.toThrow(DeliveryReplayError);
      await expect(record(["id:b", "sig:1"])).rejects.toMatchObject({ key: "sig:1", status: 409 });
      expect(await reported()).toBe(1);
      // Keys are per receiver.
      await expect(
        railyard.recordCi([status()], "a", "webhook:github", { provider: "github", keys: ["id:a"] }),
      ).resolves.toMatchObject({ recorded: 1 });
    });

    it("keeps no key when the recording fails: the claim is in the same transaction", async () => {
      const transaction = test.store.transaction.bind(test.store);
      test.store.transaction = (fn) =>
        transaction((tx) =>
          fn(
            new Proxy(tx, {
              get(target, property, receiver) {
                if (property === "append") return () => Promise.reject(new Error("disk full"));
                const value = Reflect.get(target, property, receiver);
                return typeof value === "function" ? value.bind(target) : value;
              },
            }) as StoreWriter,
          ),
        );
      await expect(record(["id:a", "sig:1"])).rejects.toThrow("disk full");
      test.store.transaction = transaction;
      expect(await record(["id:a", "sig:1"])).toMatchObject({ recorded: 1 });
    });

    it("forgets a key once maxAge plus the future skew has passed, not before", async () => {
      await record(["id:old"]);
      clock.advance(MAX_AGE_MS + WEBHOOK_FUTURE_SKEW_MS);
      await record(["id:tick-1"]); // prunes what is older than maxAge + skew: nothing yet
      await expect(record(["id:old"])).rejects.toThrow(DeliveryReplayError);
      clock.advance(1);
      await record(["id:tick-2"]);
      expect(await record(["id:old"])).toMatchObject({ recorded: 1 });
    });

    it("accepts one of several identical deliveries arriving together, refusing the others as replays", async () => {
      for (let round = 0; round < 5; round++) {
        const keys = [`id:same-${round}`, `sig:same-${round}`];
        const outcomes = await Promise.allSettled([record(keys), record(keys), record(keys), record(keys)]);
        expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
        for (const outcome of outcomes) {
          if (outcome.status === "rejected") expect(outcome.reason).toBeInstanceOf(DeliveryReplayError);
        }
      }
      expect(await reported()).toBe(5);
    });
  });
}
