/**
 * `railyard audit export` and `railyard audit verify --export`: an export verifies on its own,
 * and any edit to it is named. (Signed exports and the full tamper table: export-tamper.test.ts.)
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/domain/canonical-json.js";
import { GENESIS_HASH } from "../../src/domain/events.js";
import type { Store } from "../../src/engine/ports.js";
import { exportAudit, verifyAudit, verifyExportLines, verifyExportStream } from "../../src/store/audit.js";
import { createTestStore, DIALECTS, type TestStore } from "../support/dialects.js";
import { at, smallChain } from "../support/store-fixtures.js";

const EXPORTED_AT = "2026-01-07T00:00:00.000Z";

for (const dialect of DIALECTS) {
  describe(dialect, () => {
    let test: TestStore;
    let store: Store;
    let lines: string[];
    beforeEach(async () => {
      test = await createTestStore(dialect);
      store = test.store;
      for (const [i, batch] of smallChain(12).entries()) await store.append(batch, at(i));
      lines = [];
      expect(await exportAudit(store, { exportedAt: EXPORTED_AT }, (line) => void lines.push(line))).toEqual({
        events: 12,
        omitted: 0,
        checkpoints: 0,
        lines: 13,
        sealed: false,
      });
    });
    afterEach(() => test.cleanup());

    it("exports a header, then one canonical JSON object per event, oldest first", async () => {
      const events = await store.listEvents();
      expect(lines).toEqual([
        `{"exportedAt":"${EXPORTED_AT}","filter":{},"kind":"header","version":1}`,
        ...events.map(({ id, trainId, type, actor, payload, time, prevHash, hash }) =>
          canonicalJson({ id, trainId, type, actor, payload, time, prevHash, hash }),
        ),
      ]);
      expect(lines.every((line) => !line.includes("\n"))).toBe(true);
    });

    it("verifies the export on its own, with the same last hash as the database", async () => {
      const database = await verifyAudit(store);
      expect(database).toMatchObject({
        ok: true,
        events: 12,
        checkpoints: { count: 0, signatures: "not checked", unsigned: 12 },
      });
      const expected = {
        ok: true,
        events: 12,
        omitted: 0,
        checkpoints: 0,
        signatures: "not checked",
        lastHash: database.ok ? database.lastHash : "",
        sealed: false,
        keyId: null,
        anchored: true,
        filter: {},
      };
      expect(verifyExportLines(lines)).toEqual(expected);
      expect(verifyExportLines([...lines, "", "  "])).toEqual(expected);
      async function* streamed() {
        yield* lines;
      }
      expect(await verifyExportStream(streamed())).toEqual(expected);
    });

    it("waits for an asynchronous sink before writing the next line", async () => {
      const written: string[] = [];
      let pending = 0;
      await exportAudit(store, { exportedAt: EXPORTED_AT, filter: { from: at(6) } }, async (line) => {
        expect(pending).toBe(0);
        pending++;
        await Promise.resolve();
        written.push(line);
        pending--;
      });
      expect(written.slice(1).map((line) => JSON.parse(line).id)).toEqual([7, 8, 9, 10, 11, 12]);
    });

    it("verifies an export of event lines only (an older Railyard's) that starts after a known event", () => {
      const events = lines.slice(1);
      expect(verifyExportLines(events)).toMatchObject({ ok: true, events: 12, filter: null });
      const tail = events.slice(6);
      const sixth = JSON.parse(events[5]!) as { id: number; hash: string };
      expect(verifyExportLines(tail, { after: { id: sixth.id, hash: sixth.hash } })).toMatchObject({
        ok: true,
        events: 6,
        anchored: true,
      });
      expect(verifyExportLines(tail)).toMatchObject({
        ok: false,
        line: 1,
        brokenAt: 7,
        kind: "removed",
        problem: "line 1: event 7 is the first event: events 1–6 are missing",
      });
    });

    it("names the edited, removed or garbled line", () => {
      // Line 6 holds event 5.
      const edited = lines.map((line, i) => (i === 5 ? line.replace('"ci-bot"', '"mallory"') : line));
      expect(verifyExportLines(edited)).toMatchObject({
        ok: false,
        events: 4,
        line: 6,
        brokenAt: 5,
        kind: "changed",
        problem: "line 6: event 5: stored hash does not match its content",
      });
      expect(verifyExportLines(lines.filter((_, i) => i !== 9))).toMatchObject({
        line: 10,
        brokenAt: 10,
        kind: "removed",
        problem: "line 10: event 10 follows event 8: event 9 is missing",
      });
      expect(verifyExportLines([...lines.slice(0, 4), "{not json", ...lines.slice(4)])).toMatchObject({
        line: 5,
        brokenAt: 4,
        kind: "malformed",
        problem: "line 5: not valid JSON",
      });
      const noHash = JSON.stringify({ ...JSON.parse(lines[3]!), hash: 7 });
      expect(verifyExportLines([...lines.slice(0, 3), noHash, ...lines.slice(4)])).toMatchObject({
        line: 4,
        brokenAt: 3,
        problem: "line 4: hash is not a string",
      });
      expect(verifyExportLines([...lines.slice(0, 3), '{"kind":"footer"}'])).toMatchObject({
        problem: 'line 4: kind "footer" is not header, checkpoint or seal',
      });
      expect(verifyExportLines([...lines, lines[0]!])).toMatchObject({
        line: 14,
        kind: "reordered",
        problem: "line 14: a header in the middle of the export (the header is the first line)",
      });
      expect(verifyExportLines([])).toMatchObject({ ok: true, events: 0, lastHash: GENESIS_HASH });
    });
  });
}
