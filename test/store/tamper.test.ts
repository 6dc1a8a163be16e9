/**
 * The audit chain detects tampering: any edit to any column of any event, a deleted event, an
 * edited chain head. Each is made with raw SQL, as an attacker with database access would.
 */
import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  generateAuditKeys,
  publicKeyFromPem,
  signCheckpoint,
  signingKeyFromPem,
} from "../../src/engine/audit-keys.js";
import type { Store } from "../../src/engine/ports.js";
import { verifyAudit } from "../../src/store/audit.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { createTestStore, DIALECTS, type TestStore } from "../support/dialects.js";
import { at, smallChain } from "../support/store-fixtures.js";

const COLUMNS = ["train_id", "type", "actor", "payload", "time", "prev_hash", "hash"] as const;

/** `text` with the character at `index` replaced by a different printable ASCII character. */
function flip(text: string, index: number, shift = 1): string {
  const code = text.charCodeAt(index);
  const replaced = 32 + ((((code - 32 + shift) % 95) + 95) % 95);
  return (
    text.slice(0, index) +
    String.fromCharCode(replaced === code ? replaced + 1 : replaced) +
    text.slice(index + 1)
  );
}

async function appendChain(store: Store, count: number): Promise<void> {
  for (const [i, batch] of smallChain(count).entries()) await store.append(batch, at(i));
}

for (const dialect of DIALECTS) {
  describe(dialect, () => {
    let test: TestStore;
    let store: KyselyStore;
    beforeEach(async () => {
      test = await createTestStore(dialect);
      store = test.store as KyselyStore;
      await appendChain(store, 10);
    });
    afterEach(() => test.cleanup());

    const column = async (id: number, name: (typeof COLUMNS)[number]): Promise<string | null> => {
      const row = await store.kysely
        .selectFrom("events")
        .select(name)
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      return (row as Record<string, string | null>)[name] ?? null;
    };
    const setColumn = (id: number, name: (typeof COLUMNS)[number], value: string | null) =>
      sql`update events set ${sql.ref(name)} = ${value} where id = ${id}`.execute(store.kysely);

    it("verifies an untouched chain", async () => {
      expect(await store.verifyChain()).toMatchObject({ ok: true, events: 10 });
    });

    it.each(COLUMNS)("names the event whose %s was changed by one character", async (name) => {
      const original = await column(6, name);
      expect(original).not.toBeNull();
      await setColumn(6, name, flip(original!, Math.floor(original!.length / 2)));
      const result = await store.verifyChain();
      expect(result).toMatchObject({ ok: false, brokenAt: 6, events: 5 });
      expect(result.ok === false && result.problem).toMatch(/^event 6: /);
    });

    it("names the event whose train_id was cleared", async () => {
      await setColumn(4, "train_id", null);
      expect(await store.verifyChain()).toEqual({
        ok: false,
        events: 3,
        brokenAt: 4,
        problem: "event 4: stored hash does not match its content",
      });
    });

    it("says which link is broken when a prev_hash no longer matches", async () => {
      await setColumn(7, "prev_hash", "f".repeat(64));
      expect(await store.verifyChain()).toMatchObject({
        brokenAt: 7,
        problem: "event 7: prev_hash does not match event 6's hash",
      });
    });

    it("names the event after a deleted one", async () => {
      await sql`delete from events where id = 5`.execute(store.kysely);
      expect(await store.verifyChain()).toEqual({
        ok: false,
        events: 4,
        brokenAt: 6,
        problem: "event 6 follows event 4: event 5 is missing",
      });
      await sql`delete from events where id in (6, 7)`.execute(store.kysely);
      expect(await store.verifyChain()).toMatchObject({
        brokenAt: 8,
        problem: "event 8 follows event 4: events 5–7 are missing",
      });
    });

    it("names a deleted first event", async () => {
      await sql`delete from events where id = 1`.execute(store.kysely);
      expect(await store.verifyChain()).toMatchObject({
        brokenAt: 2,
        problem: "event 2 is the first event: event 1 is missing",
      });
    });

    it("names a deleted last event by the chain head", async () => {
      await sql`delete from events where id = 10`.execute(store.kysely);
      expect(await store.verifyChain()).toEqual({
        ok: false,
        events: 9,
        brokenAt: 10,
        problem: "chain head names event 10 but the log ends at event 9: event 10 is missing",
      });
    });

    it("names the last event when its hash was edited, even with the head edited to match", async () => {
      const hash = (await column(10, "hash"))!;
      const forged = flip(hash, 0);
      await setColumn(10, "hash", forged);
      expect(await store.verifyChain()).toMatchObject({
        brokenAt: 10,
        problem: "event 10: stored hash does not match its content",
      });
      await sql`update chain_head set last_hash = ${forged}`.execute(store.kysely);
      expect(await store.verifyChain()).toMatchObject({
        brokenAt: 10,
        problem: "event 10: stored hash does not match its content",
      });
    });

    it("notices an edited chain head", async () => {
      await sql`update chain_head set last_hash = ${"0".repeat(64)}`.execute(store.kysely);
      expect(await store.verifyChain()).toMatchObject({
        brokenAt: 10,
        problem: "chain head's hash does not match event 10's hash",
      });
      await sql`update chain_head set last_hash = (select hash from events where id = 9), last_id = 9`.execute(
        store.kysely,
      );
      expect(await store.verifyChain()).toMatchObject({
        brokenAt: 10,
        problem: "event 10 is past the chain head (event 9)",
      });
    });

    it("notices the last events removed with the chain head moved back, by a checkpoint past the end", async () => {
      const keys = generateAuditKeys();
      const key = signingKeyFromPem(keys.privateKeyPem, "test key");
      const event9 = (await store.listEvents({ afterId: 8, limit: 1 }))[0]!;
      await store.transaction((tx) =>
        tx.insertCheckpoint(signCheckpoint(key, { eventId: 9, hash: event9.hash, signedAt: at(60) })),
      );
      const publicKey = publicKeyFromPem(keys.publicKeyPem, "public.pem");
      expect(await verifyAudit(store, { publicKey })).toMatchObject({
        ok: true,
        checkpoints: { count: 1, last: { eventId: 9 }, unsigned: 1 },
      });
      await sql`delete from events where id >= 8`.execute(store.kysely);
      const event7 = (await store.listEvents({ afterId: 6, limit: 1 }))[0]!;
      await sql`update chain_head set last_id = 7, last_hash = ${event7.hash}`.execute(store.kysely);
      expect(await store.verifyChain()).toMatchObject({ ok: true, events: 7 });
      expect(await verifyAudit(store, { publicKey })).toMatchObject({
        ok: false,
        brokenAt: 8,
        problem: `checkpoint at event 9 (signed ${at(60)}) names an event past the end of the log (event 7): events 8–9 were removed`,
      });
    });

    it("notices a payload re-written as equivalent but non-canonical JSON", async () => {
      const payload = (await column(3, "payload"))!;
      await setColumn(3, "payload", payload.replace(":", ": "));
      expect(await store.verifyChain()).toMatchObject({
        brokenAt: 3,
        problem: "event 3: stored payload is not canonical JSON (its text was edited)",
      });
    });
  });

  describe(`${dialect}: one changed character anywhere in any payload`, () => {
    let test: TestStore;
    let store: KyselyStore;
    const count = 10;
    beforeAll(async () => {
      test = await createTestStore(dialect);
      store = test.store as KyselyStore;
      await appendChain(store, count);
    });
    afterAll(() => test.cleanup());

    it("is always reported at that event", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: count }),
          fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
          fc.integer({ min: 1, max: 94 }),
          async (id, where, shift) => {
            const row = await store.kysely
              .selectFrom("events")
              .select("payload")
              .where("id", "=", id)
              .executeTakeFirstOrThrow();
            const index = Math.floor(where * row.payload.length);
            await sql`update events set payload = ${flip(row.payload, index, shift)} where id = ${id}`.execute(
              store.kysely,
            );
            try {
              const result = await store.verifyChain();
              expect(result).toMatchObject({ ok: false, brokenAt: id });
            } finally {
              await sql`update events set payload = ${row.payload} where id = ${id}`.execute(store.kysely);
            }
          },
        ),
        { numRuns: 30 },
      );
      expect(await store.verifyChain()).toMatchObject({ ok: true, events: count });
    });
  });
}
