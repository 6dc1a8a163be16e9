/**
 * `railyard audit export` and `railyard audit verify --export`: an export verifies on its own,
 * and any edit to it is named.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/domain/canonical-json.js";
import { GENESIS_HASH } from "../../src/domain/events.js";
import type { Store } from "../../src/engine/ports.js";
import { exportEvents, verifyAudit, verifyExportLines } from "../../src/store/audit.js";
import { createTestStore, DIALECTS, type TestStore } from "../support/dialects.js";
import { at, smallChain } from "../support/store-fixtures.js";

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
      expect(await exportEvents(store, {}, (line) => void lines.push(line))).toBe(12);
    });
    afterEach(() => test.cleanup());

    it("exports one canonical JSON object per event, oldest first", async () => {
      const events = await store.listEvents();
      expect(lines).toEqual(
        events.map(({ id, trainId, type, actor, payload, time, prevHash, hash }) =>
          canonicalJson({ id, trainId, type, actor, payload, time, prevHash, hash }),
        ),
      );
      expect(lines.every((line) => !line.includes("\n"))).toBe(true);
    });

    it("verifies the export on its own, with the same last hash as the database", async () => {
      const database = await verifyAudit(store);
      expect(database).toMatchObject({ ok: true, events: 12 });
      expect(verifyExportLines(lines)).toEqual(database);
      expect(verifyExportLines([...lines, "", "  "])).toEqual(database);
    });

    it("waits for an asynchronous sink before writing the next line", async () => {
      const written: string[] = [];
      let pending = 0;
      await exportEvents(store, { trainId: "web-1", afterId: 6 }, async (line) => {
        expect(pending).toBe(0);
        pending++;
        await Promise.resolve();
        written.push(line);
        pending--;
      });
      expect(written.map((line) => JSON.parse(line).id)).toEqual([7, 8, 9, 10, 11, 12]);
    });

    it("verifies an export that starts after a known event", async () => {
      const tail = lines.slice(6);
      const sixth = JSON.parse(lines[5]!) as { id: number; hash: string };
      expect(verifyExportLines(tail, { after: { id: sixth.id, hash: sixth.hash } })).toMatchObject({
        ok: true,
        events: 6,
      });
      expect(verifyExportLines(tail)).toMatchObject({
        ok: false,
        brokenAt: 7,
        problem: "event 7 is the first event: events 1–6 are missing",
      });
    });

    it("names the edited, removed or garbled line", () => {
      const edited = lines.map((line, i) => (i === 4 ? line.replace('"ci-bot"', '"mallory"') : line));
      expect(verifyExportLines(edited)).toEqual({
        ok: false,
        events: 4,
        brokenAt: 5,
        problem: "event 5: stored hash does not match its content",
      });
      expect(verifyExportLines(lines.filter((_, i) => i !== 8))).toMatchObject({
        brokenAt: 10,
        problem: "event 10 follows event 8: event 9 is missing",
      });
      expect(verifyExportLines([...lines.slice(0, 3), "{not json", ...lines.slice(3)])).toMatchObject({
        brokenAt: 4,
        problem: "line 4: not valid JSON",
      });
      const noHash = JSON.stringify({ ...JSON.parse(lines[2]!), hash: 7 });
      expect(verifyExportLines([...lines.slice(0, 2), noHash])).toMatchObject({
        brokenAt: 3,
        problem: "line 3: hash is not a string",
      });
      expect(verifyExportLines([])).toEqual({ ok: true, events: 0, lastHash: GENESIS_HASH });
    });
  });
}
