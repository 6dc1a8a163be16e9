/**
 * A signed export on its own proves the audit log: every edit an attacker can make to the file
 * (or, with database access, to the log before it is exported) is caught by `verify` and named by
 * line, event and kind. The store is real (SQLite and PostgreSQL), the checkpoints are signed by
 * the engine's signer on a simulated clock, and the export is streamed as the CLI and API do.
 */
import { sql } from "kysely";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkpointStatement, sealStatement } from "../../src/domain/audit-checkpoint.js";
import { auditLine } from "../../src/domain/audit-line.js";
import { canonicalJson } from "../../src/domain/canonical-json.js";
import type { NewEvent } from "../../src/domain/events.js";
import {
  type AuditSigningKey,
  generateAuditKeys,
  publicKeyFromPem,
  signingKeyFromPem,
  signText,
} from "../../src/engine/audit-keys.js";
import { AuditSigner } from "../../src/engine/audit-signer.js";
import { SimulatedClock } from "../../src/engine/clock.js";
import type { Logger, Store } from "../../src/engine/ports.js";
import {
  type ExportOptions,
  type ExportProblemKind,
  exportAudit,
  verifyAudit,
  verifyExportLines,
} from "../../src/store/audit.js";
import { eventHash, eventHashFromPayloadJson } from "../../src/store/event-hash.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { createTestStore, DIALECTS, type TestStore } from "../support/dialects.js";
import { artifactPushed, at, T0, trainCreated } from "../support/store-fixtures.js";

const EVENTS = 50;
const keys = generateAuditKeys();
const key = signingKeyFromPem(keys.privateKeyPem, "test key");
const publicKey = publicKeyFromPem(keys.publicKeyPem, "public.pem");
const otherKey = signingKeyFromPem(generateAuditKeys().privateKeyPem, "other key");
const EXPORTED_AT = "2026-01-07T09:00:00.000Z";

/** Event `i` (1-based): two trains, CI pushes for either, and configuration loads by a person. */
function eventNumber(i: number): NewEvent {
  if (i === 1) return trainCreated("web", 1);
  if (i === 2) return trainCreated("web", 2, at(48 * 60));
  if (i % 5 === 0) {
    return {
      type: "config.loaded",
      trainId: null,
      actor: "alice",
      payload: { hash: `config-${i}`, source: "railyard.yaml", lines: ["web"] },
    };
  }
  return artifactPushed(`svc${i % 3}`, `1.${i}.0`, i % 2 === 1 ? "web-1" : "web-2");
}

/**
 * Appends event i at minute i and lets the signer tick after each: with a 10-minute cadence it
 * signs the head at events 11, 21, 31 and 41 (never at 50).
 */
async function buildLog(store: Store): Promise<void> {
  const clock = new SimulatedClock({ start: new Date(T0) });
  const signer = new AuditSigner({
    store,
    clock,
    logger: pino({ level: "silent" }) as unknown as Logger,
    key,
    every: () => 10 * 60_000,
  });
  for (let i = 1; i <= EVENTS; i++) {
    clock.set(new Date(at(i)));
    await store.append([eventNumber(i)], at(i));
    await signer.tick();
  }
}

async function exportLines(store: Store, options: Partial<ExportOptions> = {}): Promise<string[]> {
  const lines: string[] = [];
  await exportAudit(store, { exportedAt: EXPORTED_AT, key, ...options }, (line) => void lines.push(line));
  return lines;
}

const parse = (line: string) => JSON.parse(line) as Record<string, unknown>;

/** The index (0-based) of the line of event `id`. */
function lineOfEvent(lines: string[], id: number): number {
  const index = lines.findIndex((line) => {
    const value = parse(line);
    return value.kind === undefined && value.id === id;
  });
  if (index < 0) throw new Error(`no line for event ${id}`);
  return index;
}

/** The index of the checkpoint line at event `id`. */
function lineOfCheckpoint(lines: string[], id: number): number {
  const index = lines.findIndex((line) => {
    const value = parse(line);
    return value.kind === "checkpoint" && value.eventId === id;
  });
  if (index < 0) throw new Error(`no checkpoint at event ${id}`);
  return index;
}

/** `line` with `edit` applied to its JSON, written back as canonical JSON. */
function editLine(line: string, edit: (value: Record<string, unknown>) => void): string {
  const value = parse(line);
  edit(value);
  return canonicalJson(value);
}

function resign(line: string, signer: AuditSigningKey, keyId = signer.keyId): string {
  return editLine(line, (value) => {
    const claim = {
      eventId: value.eventId as number,
      hash: value.hash as string,
      signedAt: value.signedAt as string,
    };
    value.signature = signText(signer, checkpointStatement(claim));
    value.keyId = keyId;
  });
}

interface Mutation {
  name: string;
  mutate(lines: string[]): string[];
  /** What verify must say: the 1-based line, the event, the kind and words of the problem. */
  expected(lines: string[]): { line: number; brokenAt: number; kind: ExportProblemKind; problem: RegExp };
}

/** Every mutation of the table; `lines` is the untouched export. */
const MUTATIONS: Mutation[] = [
  {
    name: "a payload field changed",
    mutate: (lines) =>
      lines.map((line, i) =>
        i === lineOfEvent(lines, 24)
          ? editLine(line, (v) => {
              (v.payload as Record<string, unknown>).version = "9.9.9";
            })
          : line,
      ),
    expected: (lines) => ({
      line: lineOfEvent(lines, 24) + 1,
      brokenAt: 24,
      kind: "changed",
      problem: /event 24: stored hash does not match its content/,
    }),
  },
  {
    name: "an actor changed",
    mutate: (lines) =>
      lines.map((line, i) =>
        i === lineOfEvent(lines, 33) ? line.replace('"actor":"ci-bot"', '"actor":"mallory"') : line,
      ),
    expected: (lines) => ({
      line: lineOfEvent(lines, 33) + 1,
      brokenAt: 33,
      kind: "changed",
      problem: /event 33: stored hash does not match its content/,
    }),
  },
  {
    name: "an event rewritten with every later hash recomputed",
    mutate: (lines) => {
      let prevHash: string | undefined;
      return lines.map((line) => {
        const value = parse(line);
        if (value.kind !== undefined) return line;
        if ((value.id as number) < 15) return line;
        if (value.id === 15) value.actor = "mallory";
        if (prevHash !== undefined) value.prevHash = prevHash;
        value.hash = eventHash(value as never);
        prevHash = value.hash as string;
        return canonicalJson(value);
      });
    },
    expected: (lines) => ({
      line: lineOfCheckpoint(lines, 21) + 1,
      brokenAt: 21,
      kind: "changed",
      problem: /checkpoint at event 21: event 21's hash is not the one signed at .*rewritten/,
    }),
  },
  {
    name: "a middle event line deleted",
    mutate: (lines) => lines.filter((_, i) => i !== lineOfEvent(lines, 17)),
    expected: (lines) => ({
      line: lineOfEvent(lines, 17) + 1,
      brokenAt: 18,
      kind: "removed",
      problem: /event 18 follows event 16: event 17 is missing/,
    }),
  },
  {
    name: "the last event line deleted",
    mutate: (lines) => lines.filter((_, i) => i !== lineOfEvent(lines, EVENTS)),
    expected: (lines) => ({
      line: lines.length - 1, // the seal moved up one line
      brokenAt: EVENTS,
      kind: "truncated",
      problem: /the seal says it ends at event 50, but it ends at event 49 \(event 50 is missing\)/,
    }),
  },
  {
    name: "the seal deleted",
    mutate: (lines) => lines.slice(0, -1),
    expected: (lines) => ({
      line: lines.length,
      brokenAt: EVENTS,
      kind: "truncated",
      problem: /ends without its seal after event 50/,
    }),
  },
  {
    name: "two event lines swapped",
    mutate: (lines) => {
      const a = lineOfEvent(lines, 27);
      const b = lineOfEvent(lines, 28);
      const swapped = [...lines];
      [swapped[a], swapped[b]] = [lines[b]!, lines[a]!];
      return swapped;
    },
    expected: (lines) => ({
      line: lineOfEvent(lines, 27) + 1,
      brokenAt: 28,
      kind: "reordered",
      problem: /event 28 comes before event 27/,
    }),
  },
  {
    name: "an event line duplicated",
    mutate: (lines) => {
      const i = lineOfEvent(lines, 36);
      return [...lines.slice(0, i + 1), lines[i]!, ...lines.slice(i + 1)];
    },
    expected: (lines) => ({
      line: lineOfEvent(lines, 36) + 2,
      brokenAt: 36,
      kind: "duplicated",
      problem: /event 36 appears twice/,
    }),
  },
  {
    name: "a checkpoint line duplicated",
    mutate: (lines) => {
      const i = lineOfCheckpoint(lines, 11);
      return [...lines.slice(0, i + 1), lines[i]!, ...lines.slice(i + 1)];
    },
    expected: (lines) => ({
      line: lineOfCheckpoint(lines, 11) + 2,
      brokenAt: 11,
      kind: "duplicated",
      problem: /checkpoint at event 11 appears twice/,
    }),
  },
  {
    name: "a checkpoint line deleted",
    mutate: (lines) => lines.filter((_, i) => i !== lineOfCheckpoint(lines, 31)),
    expected: (lines) => ({
      line: lines.length - 1,
      brokenAt: EVENTS,
      kind: "removed",
      problem: /the seal counts 55 lines before it, but there are 54 \(a line was removed\)/,
    }),
  },
  {
    name: "a checkpoint's hash changed",
    mutate: (lines) =>
      lines.map((line, i) =>
        i === lineOfCheckpoint(lines, 21)
          ? editLine(line, (v) => (v.hash = parse(lines[lineOfEvent(lines, 20)]!).hash))
          : line,
      ),
    expected: (lines) => ({
      line: lineOfCheckpoint(lines, 21) + 1,
      brokenAt: 21,
      kind: "forged",
      problem: /checkpoint at event 21 is forged: its signature does not verify with key/,
    }),
  },
  {
    name: "a checkpoint re-signed with another key",
    mutate: (lines) =>
      lines.map((line, i) => (i === lineOfCheckpoint(lines, 31) ? resign(line, otherKey) : line)),
    expected: (lines) => ({
      line: lineOfCheckpoint(lines, 31) + 1,
      brokenAt: 31,
      kind: "forged",
      problem: new RegExp(
        `checkpoint at event 31 is forged: it names key ${otherKey.keyId}, not the given public key ${key.keyId}`,
      ),
    }),
  },
  {
    name: "a checkpoint re-signed with another key under the right key id",
    mutate: (lines) =>
      lines.map((line, i) => (i === lineOfCheckpoint(lines, 41) ? resign(line, otherKey, key.keyId) : line)),
    expected: (lines) => ({
      line: lineOfCheckpoint(lines, 41) + 1,
      brokenAt: 41,
      kind: "forged",
      problem: /checkpoint at event 41 is forged: its signature does not verify/,
    }),
  },
  {
    name: "the header's filter edited",
    mutate: (lines) => [editLine(lines[0]!, (v) => (v.filter = { trainId: "web-1" })), ...lines.slice(1)],
    expected: () => ({
      line: 1,
      brokenAt: 1,
      kind: "header-changed",
      problem: /the header was changed/,
    }),
  },
  {
    name: "the header's export time edited",
    mutate: (lines) => [
      editLine(lines[0]!, (v) => (v.exportedAt = "2025-01-01T00:00:00.000Z")),
      ...lines.slice(1),
    ],
    expected: () => ({ line: 1, brokenAt: 1, kind: "header-changed", problem: /the header was changed/ }),
  },
  {
    name: "the seal re-signed with another key",
    mutate: (lines) => {
      const seal = parse(lines.at(-1)!);
      const { kind: _, signature: __, ...claim } = seal;
      const forged = { ...claim, keyId: otherKey.keyId } as never;
      return [
        ...lines.slice(0, -1),
        canonicalJson({
          kind: "seal",
          ...(forged as object),
          signature: signText(otherKey, sealStatement(forged)),
        }),
      ];
    },
    expected: (lines) => ({
      line: lines.length,
      brokenAt: EVENTS,
      kind: "forged",
      problem: /the seal is forged: it names key/,
    }),
  },
  {
    name: "a line appended after the seal",
    mutate: (lines) => [...lines, lines[lineOfEvent(lines, EVENTS)]!],
    expected: (lines) => ({
      line: lines.length + 1,
      brokenAt: EVENTS,
      kind: "appended",
      problem: /a line after the seal/,
    }),
  },
  {
    name: "the file truncated in the middle of a line",
    mutate: (lines) => {
      const i = lineOfEvent(lines, 44);
      return [...lines.slice(0, i), lines[i]!.slice(0, 40)];
    },
    expected: (lines) => ({
      line: lineOfEvent(lines, 44) + 1,
      brokenAt: 44,
      kind: "truncated",
      problem: /ends in the middle of this line \(truncated after event 43\)/,
    }),
  },
];

for (const dialect of DIALECTS) {
  describe(`${dialect}: a signed export`, () => {
    let test: TestStore;
    let store: Store;
    let lines: string[];
    beforeAll(async () => {
      test = await createTestStore(dialect);
      store = test.store;
      await buildLog(store);
      lines = await exportLines(store, { pageSize: 7 });
    });
    afterAll(() => test?.cleanup());

    it("holds a header, every event, the engine's checkpoints after their events and a seal", async () => {
      expect((await store.listCheckpoints()).map((c) => c.eventId)).toEqual([11, 21, 31, 41]);
      expect(lines).toHaveLength(1 + EVENTS + 4 + 1);
      expect(parse(lines[0]!)).toEqual({ kind: "header", version: 1, filter: {}, exportedAt: EXPORTED_AT });
      const events = await store.listEvents({ limit: 100 });
      for (const event of events) expect(lines).toContain(auditLine(event));
      for (const id of [11, 21, 31, 41]) expect(lineOfCheckpoint(lines, id)).toBe(lineOfEvent(lines, id) + 1);
      expect(parse(lines.at(-1)!)).toMatchObject({
        kind: "seal",
        lines: 55,
        first: { id: 1, prevHash: events[0]!.prevHash },
        last: { id: EVENTS, hash: events.at(-1)!.hash },
        keyId: key.keyId,
        signedAt: EXPORTED_AT,
      });
    });

    it("verifies untouched with the public key, and without it as unsigned", () => {
      expect(verifyExportLines(lines, { publicKey })).toEqual({
        ok: true,
        events: EVENTS,
        omitted: 0,
        checkpoints: 4,
        signatures: "verified",
        lastHash: parse(lines[lineOfEvent(lines, EVENTS)]!).hash,
        sealed: true,
        keyId: key.keyId,
        anchored: true,
        filter: {},
      });
      expect(verifyExportLines(lines)).toMatchObject({ ok: true, signatures: "not checked", keyId: null });
      // Blank lines and CRLF line ends change nothing.
      expect(verifyExportLines([...lines.map((l) => `${l}\r`), "", ""], { publicKey })).toMatchObject({
        ok: true,
      });
    });

    it.each(MUTATIONS.map((m) => [m.name, m] as const))(
      "fails on %s, naming the line and event",
      (_, mutation) => {
        const tampered = mutation.mutate(lines);
        expect(tampered).not.toEqual(lines);
        const expected = mutation.expected(lines);
        const result = verifyExportLines(tampered, { publicKey });
        expect(result).toMatchObject({
          ok: false,
          line: expected.line,
          brokenAt: expected.brokenAt,
          kind: expected.kind,
        });
        expect(result.ok === false && result.problem).toMatch(expected.problem);
        expect(result.ok === false && result.problem).toMatch(new RegExp(`^line ${expected.line}: `));
      },
    );

    it("catches without the public key what needs no signature", () => {
      for (const name of [
        "a payload field changed",
        "a middle event line deleted",
        "the last event line deleted",
      ]) {
        const mutation = MUTATIONS.find((m) => m.name === name)!;
        expect(verifyExportLines(mutation.mutate(lines)), name).toMatchObject({
          ok: false,
          line: mutation.expected(lines).line,
          kind: mutation.expected(lines).kind,
        });
      }
    });

    it("exports one train with the other events as stubs that carry no content", async () => {
      const train = await exportLines(store, { filter: { trainId: "web-1" } });
      expect(train).toHaveLength(lines.length);
      expect(parse(train[0]!).filter).toEqual({ trainId: "web-1" });
      const stubs = train.map(parse).filter((v) => v.omitted === true);
      const full = train.map(parse).filter((v) => v.kind === undefined && v.omitted === undefined);
      expect(full.length).toBeGreaterThan(5);
      expect(full.every((v) => v.trainId === "web-1")).toBe(true);
      expect(stubs.length + full.length).toBe(EVENTS);
      for (const stub of stubs)
        expect(Object.keys(stub).sort()).toEqual(["hash", "id", "omitted", "prevHash"]);
      expect(train.join("\n")).not.toContain('"version":"1.24.0"'); // a web-2 push's payload
      expect(verifyExportLines(train, { publicKey })).toMatchObject({
        ok: true,
        events: full.length,
        omitted: stubs.length,
        checkpoints: 4,
        sealed: true,
        anchored: true,
      });

      // A stub's hash is only proven through its neighbours and checkpoints.
      const stubIndex = train.findIndex((l) => parse(l).id === 20);
      const forgedStub = train.map((l, i) =>
        i === stubIndex ? editLine(l, (v) => (v.hash = "0".repeat(64))) : l,
      );
      expect(verifyExportLines(forgedStub, { publicKey })).toMatchObject({
        ok: false,
        line: stubIndex + 2,
        brokenAt: 21,
        kind: "changed",
      });
      // An event rewritten with its hash recomputed and the next stub relinked: the chain and the
      // checkpoints still agree (a stub's hash cannot be recomputed); the seal's digest does not.
      const at13 = train.findIndex((l) => parse(l).id === 13);
      expect(parse(train[at13 + 1]!)).toMatchObject({ id: 14, omitted: true });
      const relinked = [...train];
      const rewritten = parse(train[at13]!);
      rewritten.actor = "mallory";
      rewritten.hash = eventHash(rewritten as never);
      relinked[at13] = canonicalJson(rewritten);
      relinked[at13 + 1] = editLine(train[at13 + 1]!, (v) => (v.prevHash = rewritten.hash));
      expect(verifyExportLines(relinked.slice(0, -1))).toMatchObject({ ok: true });
      expect(verifyExportLines(relinked, { publicKey })).toMatchObject({
        ok: false,
        line: train.length,
        kind: "changed",
        problem: `line ${train.length}: the lines before the seal are not the ones it signs (a line was changed)`,
      });

      // An event filled back into a stub's place does not match the header's filter.
      const event20 = lines[lineOfEvent(lines, 20)]!;
      expect(parse(event20).trainId).not.toBe("web-1");
      const unfiltered = train.map((l, i) => (i === stubIndex ? event20 : l));
      expect(verifyExportLines(unfiltered, { publicKey })).toMatchObject({
        ok: false,
        line: stubIndex + 1,
        brokenAt: 20,
        kind: "filter",
      });
    });

    it("exports one actor's events", async () => {
      const alice = await exportLines(store, { filter: { actor: "alice" } });
      const full = alice.map(parse).filter((v) => v.kind === undefined && v.omitted === undefined);
      expect(full.map((v) => v.id)).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
      expect(verifyExportLines(alice, { publicKey })).toMatchObject({ ok: true, events: 10, omitted: 40 });
    });

    it("exports a contiguous range by time, proven at its start only by the seal", async () => {
      const range = await exportLines(store, { filter: { from: at(12), to: at(30) } });
      const ids = range
        .map(parse)
        .filter((v) => v.kind === undefined)
        .map((v) => v.id);
      expect(ids).toEqual(Array.from({ length: 18 }, (_, i) => 12 + i));
      expect(range.filter((l) => parse(l).kind === "checkpoint").map((l) => parse(l).eventId)).toEqual([21]);
      expect(verifyExportLines(range, { publicKey })).toMatchObject({ ok: true, events: 18, anchored: true });
      expect(verifyExportLines(range)).toMatchObject({ ok: true, anchored: false });
      // Dropping the first event leaves an intact chain; the seal says where it started (and only
      // a seal checked with the key proves it: without the key it is taken on trust).
      const dropped = range.filter((_, i) => i !== 1);
      const withoutSeal = dropped.slice(0, -1);
      expect(verifyExportLines(withoutSeal)).toMatchObject({ ok: true, anchored: false, events: 17 });
      expect(verifyExportLines(dropped)).toMatchObject({ ok: false, line: 2, kind: "removed" });
      expect(verifyExportLines(dropped, { publicKey })).toMatchObject({
        ok: false,
        line: 2,
        brokenAt: 12,
        kind: "removed",
        problem: "line 2: the export starts at event 13, but the seal says event 12",
      });
      expect(await exportLines(store, { filter: { from: at(60) } })).toHaveLength(2); // header and seal
    });

    it("still verifies an export written before headers existed", async () => {
      const legacy = (await store.listEvents({ limit: 100 })).map(auditLine);
      expect(verifyExportLines(legacy)).toMatchObject({
        ok: true,
        events: EVENTS,
        filter: null,
        sealed: false,
      });
      expect(verifyExportLines(legacy, { publicKey })).toMatchObject({
        ok: false,
        kind: "unsigned",
        problem: expect.stringMatching(/^no signature to check/),
      });
    });

    it("catches a rewritten database by its checkpoints, and a re-signed checkpoint by its key", async () => {
      expect(await verifyAudit(store, { publicKey })).toMatchObject({
        ok: true,
        events: EVENTS,
        checkpoints: { count: 4, signatures: "verified", last: { eventId: 41 }, unsigned: 9 },
      });
      const db = (store as KyselyStore).kysely;
      const rows = await db.selectFrom("events").selectAll().orderBy("id").execute();
      const original = rows.map((row) => ({ ...row }));
      // Rewrite event 15 and recompute every later hash, the chain head too: the chain is intact.
      let prevHash: string | undefined;
      for (const row of rows.filter((r) => Number(r.id) >= 15)) {
        const actor = Number(row.id) === 15 ? "mallory" : row.actor;
        const prev = prevHash ?? row.prev_hash;
        const hash = eventHashFromPayloadJson({
          id: Number(row.id),
          trainId: row.train_id,
          type: row.type,
          actor,
          payloadJson: row.payload,
          time: row.time,
          prevHash: prev,
        });
        await sql`update events set actor = ${actor}, prev_hash = ${prev}, hash = ${hash} where id = ${row.id}`.execute(
          db,
        );
        prevHash = hash;
      }
      await sql`update chain_head set last_hash = ${prevHash}`.execute(db);
      try {
        expect(await store.verifyChain()).toMatchObject({ ok: true });
        expect(await verifyAudit(store)).toMatchObject({
          ok: false,
          brokenAt: 21,
          problem: expect.stringMatching(
            /^checkpoint at event 21 .*the log was rewritten at or before event 21$/,
          ),
        });
        const rewritten = (await store.listEvents({ afterId: 20, limit: 1 }))[0]!.hash;
        await sql`update audit_checkpoints set hash = ${rewritten} where event_id = 21`.execute(db);
        expect(await verifyAudit(store, { publicKey })).toMatchObject({
          ok: false,
          brokenAt: 21,
          problem: expect.stringMatching(
            /^checkpoint at event 21 .* is forged: its signature does not verify/,
          ),
        });
      } finally {
        for (const row of original) {
          await sql`update events set actor = ${row.actor}, prev_hash = ${row.prev_hash}, hash = ${row.hash} where id = ${row.id}`.execute(
            db,
          );
        }
        await sql`update chain_head set last_hash = ${original.at(-1)!.hash}`.execute(db);
        const checkpoint21 = original.find((r) => Number(r.id) === 21)!;
        await sql`update audit_checkpoints set hash = ${checkpoint21.hash} where event_id = 21`.execute(db);
      }
      expect(await verifyAudit(store, { publicKey })).toMatchObject({ ok: true });
    });
  });
}

describe("an export without the signing key", () => {
  let test: TestStore;
  beforeAll(async () => {
    test = await createTestStore("sqlite");
    for (let i = 1; i <= 5; i++) await test.store.append([eventNumber(i)], at(i));
  });
  afterAll(() => test?.cleanup());

  it("has no seal, verifies as unsigned, and has no signature to check with a public key", async () => {
    const lines = await exportLines(test.store, { key: undefined });
    expect(lines.map((l) => parse(l).kind ?? "event")).toEqual(["header", ...Array(5).fill("event")]);
    expect(verifyExportLines(lines)).toMatchObject({
      ok: true,
      events: 5,
      sealed: false,
      signatures: "not checked",
    });
    expect(verifyExportLines(lines, { publicKey })).toMatchObject({
      ok: false,
      line: 7,
      brokenAt: 5,
      kind: "unsigned",
      problem: expect.stringMatching(/^no signature to check/),
    });
  });
});
