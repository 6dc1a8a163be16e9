/**
 * Signed checkpoints through the engine: `Railyard` signs the chain head every
 * `audit.checkpointEvery` of its simulated clock and at shutdown, and the audit routes report
 * and export them (in-process, no socket). Without a key checkpoints are off, and say so.
 */
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildServer } from "../../src/api/server.js";
import {
  type AuditSigningKey,
  generateAuditKeys,
  publicKeyFromPem,
  signingKeyFromPem,
} from "../../src/engine/audit-keys.js";
import type { Logger, Store } from "../../src/engine/ports.js";
import type { Railyard } from "../../src/engine/railyard.js";
import { verifyExportLines } from "../../src/store/audit.js";
import { createTestStore, type TestStore } from "../support/dialects.js";
import { inProcessEngine } from "../support/engine.js";

const ADMIN = "audit-test-admin";
const MINUTE = 60_000;
const keys = generateAuditKeys();
const key = signingKeyFromPem(keys.privateKeyPem, "test key");
const publicKey = publicKeyFromPem(keys.publicKeyPem, "public.pem");

/** The engine on `store`, signing every 30 minutes with `auditSigningKey` when given. */
function engine(store: Store, auditSigningKey?: AuditSigningKey): Promise<Railyard> {
  return inProcessEngine(store, {
    world: { top: "audit: { checkpointEvery: 30m }\n" },
    adminToken: ADMIN,
    ...(auditSigningKey ? { auditSigningKey } : {}),
  });
}

async function headId(store: Store): Promise<number> {
  return (await store.verifyChain()).events;
}

const note = (n: number) => ({
  type: "config.loaded" as const,
  trainId: null,
  actor: "system",
  payload: { hash: `note-${n}`, source: "railyard.yaml", lines: ["shop"] },
});

describe("checkpoints signed by the engine", () => {
  let test: TestStore;
  let store: Store;
  beforeEach(async () => {
    test = await createTestStore("sqlite");
    store = test.store;
  });
  afterEach(() => test.cleanup());

  it("signs the chain head every checkpointEvery of the simulated clock, and at shutdown", async () => {
    const railyard = await engine(store, key);
    await railyard.tick();
    expect(await store.listCheckpoints()).toEqual([]);
    await railyard.advanceClock(29 * MINUTE);
    expect(await store.listCheckpoints()).toEqual([]);
    await railyard.advanceClock(MINUTE);
    const head = await headId(store);
    expect(await store.listCheckpoints()).toEqual([
      expect.objectContaining({ eventId: head, signedAt: "2026-03-02T05:30:00.000Z", keyId: key.keyId }),
    ]);

    await railyard.advanceClock(30 * MINUTE);
    // Nothing appended since (the trains wait for their cut-off): no new checkpoint.
    expect(await headId(store)).toBe(head);
    expect(await store.listCheckpoints()).toHaveLength(1);

    await store.append([note(1)], railyard.clock.now().toISOString());
    await railyard.tick(); // due: 30 minutes passed since the last checkpoint
    expect((await store.listCheckpoints()).map((c) => c.eventId)).toEqual([head, head + 1]);

    await store.append([note(2)], railyard.clock.now().toISOString());
    await railyard.stop();
    expect((await store.listCheckpoints()).map((c) => c.eventId)).toEqual([head, head + 1, head + 2]);
  });

  it("reports and exports the checkpoints through the API, sealed with the server's key", async () => {
    const railyard = await engine(store, key);
    await railyard.tick();
    await railyard.advanceClock(30 * MINUTE);
    await store.append([note(1)], railyard.clock.now().toISOString());
    await railyard.advanceClock(30 * MINUTE);
    const app = await buildServer({ railyard, logger: pino({ level: "silent" }) as unknown as Logger });
    await app.ready();
    try {
      const authorization = `Bearer ${ADMIN}`;
      const verify = await app.inject({
        method: "GET",
        url: "/api/v1/audit/verify",
        headers: { authorization },
      });
      expect(verify.statusCode).toBe(200);
      expect(verify.json()).toMatchObject({
        ok: true,
        checkpoints: { count: 2, signatures: "verified", keyId: key.keyId, unsigned: 0, signing: "on" },
      });

      const exported = await app.inject({
        method: "GET",
        url: "/api/v1/audit/export",
        headers: { authorization },
      });
      expect(exported.headers["content-type"]).toContain("application/x-ndjson");
      const lines = exported.body.split("\n").filter(Boolean);
      expect(JSON.parse(lines[0]!)).toMatchObject({ kind: "header", version: 1, filter: {} });
      expect(JSON.parse(lines.at(-1)!)).toMatchObject({ kind: "seal", keyId: key.keyId });
      expect(lines.filter((l) => l.includes('"kind":"checkpoint"'))).toHaveLength(2);
      expect(verifyExportLines(lines, { publicKey })).toMatchObject({
        ok: true,
        events: await headId(store),
        checkpoints: 2,
        sealed: true,
        signatures: "verified",
      });
    } finally {
      await app.close();
    }
  });

  it("makes no checkpoint without a key, and says checkpoints are off", async () => {
    const railyard = await engine(store);
    expect(railyard.auditSigner.enabled).toBe(false);
    await railyard.start();
    await railyard.advanceClock(3 * 60 * MINUTE);
    await railyard.stop();
    expect(await store.listCheckpoints()).toEqual([]);
    const app = await buildServer({ railyard, logger: pino({ level: "silent" }) as unknown as Logger });
    await app.ready();
    try {
      const headers = { authorization: `Bearer ${ADMIN}` };
      const verify = await app.inject({ method: "GET", url: "/api/v1/audit/verify", headers });
      expect(verify.json()).toMatchObject({
        ok: true,
        checkpoints: { count: 0, signatures: "not checked", signing: "off" },
      });
      const exported = await app.inject({ method: "GET", url: "/api/v1/audit/export", headers });
      const lines = exported.body.split("\n").filter(Boolean);
      expect(lines.some((l) => l.includes('"kind":"seal"'))).toBe(false);
      expect(verifyExportLines(lines)).toMatchObject({ ok: true, sealed: false, signatures: "not checked" });
      expect(verifyExportLines(lines, { publicKey })).toMatchObject({ ok: false, kind: "unsigned" });
    } finally {
      await app.close();
    }
  });
});
