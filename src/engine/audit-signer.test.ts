/**
 * The signer on a simulated clock and a real SQLite store: it signs the chain head once per
 * `checkpointEvery` when events were appended, never for an idle log, and once more at shutdown.
 */
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestStore, type TestStore } from "../../test/support/dialects.js";
import { at, T0 } from "../../test/support/store-fixtures.js";
import { checkpointSignatureProblem, generateAuditKeys, signingKeyFromPem } from "./audit-keys.js";
import { AuditSigner, chainHead } from "./audit-signer.js";
import { SimulatedClock } from "./clock.js";
import type { Logger, Store } from "./ports.js";

const HOUR = 3_600_000;
const logger = pino({ level: "silent" }) as unknown as Logger;
const key = signingKeyFromPem(generateAuditKeys().privateKeyPem, "test key");

describe("AuditSigner", () => {
  let test: TestStore;
  let store: Store;
  let clock: SimulatedClock;
  let appended = 0;
  /** Appends `count` events (configuration loads: they project nothing) at the clock's time. */
  const append = async (count: number) => {
    for (let i = 0; i < count; i++) {
      appended++;
      await store.append(
        [
          {
            type: "config.loaded",
            trainId: null,
            actor: "system",
            payload: { hash: `h${appended}`, source: "railyard.yaml", lines: ["web"] },
          },
        ],
        clock.now().toISOString(),
      );
    }
  };
  const signer = (options: { every?: number; withKey?: boolean } = {}) =>
    new AuditSigner({
      store,
      clock,
      logger,
      ...(options.withKey === false ? {} : { key }),
      every: () => options.every ?? HOUR,
    });

  beforeEach(async () => {
    test = await createTestStore("sqlite");
    store = test.store;
    clock = new SimulatedClock({ start: new Date(T0) });
    appended = 0;
  });
  afterEach(() => test.cleanup());

  it("signs the chain head every checkpointEvery of the engine's clock", async () => {
    const signing = signer();
    expect(await signing.tick()).toBeNull(); // starts counting now
    await append(5);
    clock.advance(HOUR - 1);
    expect(await signing.tick()).toBeNull();
    clock.advance(1);
    const first = await signing.tick();
    expect(first).toMatchObject({ eventId: 5, signedAt: at(60), keyId: key.keyId });
    expect(first!.hash).toBe((await store.listEvents()).at(-1)!.hash);
    expect(checkpointSignatureProblem(key, first!)).toBeNull();

    await append(3);
    clock.advance(30 * 60_000);
    expect(await signing.tick()).toBeNull();
    clock.advance(30 * 60_000);
    expect(await signing.tick()).toMatchObject({ eventId: 8, signedAt: at(120) });
    expect((await store.listCheckpoints()).map((c) => c.eventId)).toEqual([5, 8]);
  });

  it("signs nothing while nothing is appended", async () => {
    const signing = signer();
    await signing.tick();
    await append(2);
    clock.advance(HOUR);
    expect(await signing.tick()).toMatchObject({ eventId: 2 });
    for (let hour = 0; hour < 5; hour++) {
      clock.advance(HOUR);
      expect(await signing.tick()).toBeNull();
    }
    expect(await signing.flush()).toBeNull();
    expect(await store.listCheckpoints()).toHaveLength(1);
    // The first event after the idle hours is signed at the next tick: the cadence has come round.
    await append(1);
    expect(await signing.tick()).toMatchObject({ eventId: 3, signedAt: at(6 * 60) });
  });

  it("signs the unsigned events at shutdown, and only then", async () => {
    const signing = signer();
    signing.start(60_000);
    await append(4);
    clock.advance(10 * 60_000);
    await signing.stop();
    expect(await store.listCheckpoints()).toEqual([
      expect.objectContaining({ eventId: 4, signedAt: at(10) }),
    ]);
    await signing.stop();
    expect(await store.listCheckpoints()).toHaveLength(1);
  });

  it("continues from the stored checkpoints after a restart", async () => {
    await append(3);
    await signer().flush();
    const restarted = signer();
    clock.advance(2 * HOUR);
    expect(await restarted.tick()).toBeNull(); // nothing new since event 3
    await append(1);
    expect(await restarted.tick()).toMatchObject({ eventId: 4 });
  });

  it("follows a reloaded cadence", async () => {
    let every = HOUR;
    const signing = new AuditSigner({ store, clock, logger, key, every: () => every });
    await signing.tick();
    await append(1);
    every = 15 * 60_000;
    clock.advance(15 * 60_000);
    expect(await signing.tick()).toMatchObject({ eventId: 1, signedAt: at(15) });
  });

  it("does nothing without a key", async () => {
    const off = signer({ withKey: false });
    expect(off.enabled).toBe(false);
    expect(off.publicKey).toBeUndefined();
    await append(3);
    clock.advance(5 * HOUR);
    expect(await off.tick()).toBeNull();
    await off.stop();
    expect(await store.listCheckpoints()).toEqual([]);
  });

  it("finds the chain head in few queries, after any event", async () => {
    expect(await chainHead(store)).toBeUndefined();
    await append(37);
    expect((await chainHead(store))?.id).toBe(37);
    expect((await chainHead(store, 20))?.id).toBe(37);
    expect((await chainHead(store, 36))?.id).toBe(37);
    expect(await chainHead(store, 37)).toBeUndefined();
  });
});
