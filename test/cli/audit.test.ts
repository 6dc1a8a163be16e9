/**
 * `railyard audit verify` and `railyard audit export`, run as an auditor would, on SQLite and
 * PostgreSQL: a chain written by a real server verifies intact; one changed byte in any column
 * of an event (made with raw SQL) or in any line of an export makes verify exit 1 naming that event.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseStoreUrl } from "../../src/store/store-url.js";
import { linesOf, runCli } from "../support/cli.js";
import { DIALECTS, pgBaseUrl } from "../support/dialects.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { createWorld, type World } from "../support/world.js";

const COLUMNS = ["train_id", "type", "actor", "payload", "time", "prev_hash", "hash"] as const;
type Column = (typeof COLUMNS)[number];

/** `text` with the character at `index` replaced by the next printable ASCII character. */
function flip(text: string, index: number): string {
  const code = text.charCodeAt(index);
  const next = code >= 126 || code < 32 ? 33 : code + 1;
  return text.slice(0, index) + String.fromCharCode(next) + text.slice(index + 1);
}

/** Raw access to the events table, as someone with database access would have. */
interface RawEvents {
  count(): Promise<number>;
  get(id: number, column: Column): Promise<string | null>;
  set(id: number, column: Column, value: string | null): Promise<void>;
  /** Ids of events that belong to a train. */
  trainEventIds(): Promise<number[]>;
  close(): Promise<void>;
}

async function openRaw(url: string): Promise<RawEvents> {
  const location = parseStoreUrl(url);
  if (location.dialect === "sqlite") {
    const db = new BetterSqlite3(location.path);
    return {
      count: async () => (db.prepare("select count(*) as n from events").get() as { n: number }).n,
      get: async (id, column) =>
        (db.prepare(`select "${column}" as v from events where id = ?`).get(id) as { v: string | null }).v,
      set: async (id, column, value) => {
        db.prepare(`update events set "${column}" = ? where id = ?`).run(value, id);
      },
      trainEventIds: async () =>
        (
          db.prepare("select id from events where train_id is not null order by id").all() as Array<{
            id: number;
          }>
        ).map((r) => r.id),
      close: async () => {
        db.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: pgBaseUrl() });
  await client.connect();
  const table = `"${location.schema}".events`;
  return {
    count: async () => Number((await client.query(`select count(*) as n from ${table}`)).rows[0].n),
    get: async (id, column) =>
      (await client.query(`select "${column}" as v from ${table} where id = $1`, [id])).rows[0].v,
    set: async (id, column, value) => {
      await client.query(`update ${table} set "${column}" = $1 where id = $2`, [value, id]);
    },
    trainEventIds: async () =>
      (await client.query(`select id from ${table} where train_id is not null order by id`)).rows.map((r) =>
        Number(r.id),
      ),
    close: () => client.end(),
  };
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: railyard audit`, () => {
    let world: World;
    let server: TestServer;
    let raw: RawEvents;
    let url: string;
    let events: number;
    /** An event in the middle of the chain that belongs to a train (so every column has text). */
    let middle: number;

    beforeAll(async () => {
      world = await createWorld();
      server = await startTestServer(world, dialect);
      const ci = await server.token("ci-bot", ["ci"]);
      await server.advance("0s");
      for (const [component, version] of [
        ["db", "1.0.0"],
        ["api", "1.1.0"],
      ] as const) {
        const push = await server.request(
          "POST",
          "/api/v1/artifacts",
          { component, version, commit: "f".repeat(40) },
          ci,
        );
        expect(push.status).toBe(201);
      }
      await server.advance("2h"); // cut-off: freeze, integrate, gate
      await server.stop();
      url = server.database.url;
      raw = await openRaw(url);
      events = await raw.count();
      expect(events).toBeGreaterThan(10);
      const ids = await raw.trainEventIds();
      middle = ids.find((id) => id >= events / 2)!;
      expect(middle).toBeLessThan(events);
    });
    afterAll(async () => {
      await raw?.close();
      await server?.cleanup();
      await world?.cleanup();
    });

    const verify = (...extra: string[]) => runCli(["audit", "verify", "--database", url, ...extra]);

    it("says an untouched chain is intact, as text and --json", async () => {
      const [text, json] = await Promise.all([verify(), verify("--json")]);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toMatch(new RegExp(`^intact: ${events} events, last hash [0-9a-f]{64}\\n$`));
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, events });
    });

    it.each(COLUMNS)("exits 1 naming the event whose %s changed by one byte", async (column) => {
      const original = await raw.get(middle, column);
      expect(original).not.toBeNull();
      await raw.set(middle, column, flip(original!, Math.floor(original!.length / 2)));
      try {
        const result = await verify();
        expect(result.code).toBe(1);
        expect(result.stdout).toMatch(
          new RegExp(
            `^BROKEN at event ${middle}: event ${middle}: .+ \\(${middle - 1} events checked\\)\\n$`,
          ),
        );
        if (column === "payload") {
          const json = await verify("--json");
          expect(json.code).toBe(1);
          expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, brokenAt: middle, events: middle - 1 });
        }
      } finally {
        await raw.set(middle, column, original);
      }
    });

    it("is intact again once every byte is back", async () => {
      const result = await verify();
      expect(result.code, result.stdout).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^intact: ${events} events`));
    });

    it("exports JSON Lines that verify anywhere, and names the event of a changed line", async () => {
      const file = path.join(world.dir, "audit.jsonl");
      const exported = await runCli(["audit", "export", "--database", url, "-o", file]);
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stderr).toBe(`exported ${events} events to ${file}\n`);
      const text = await readFile(file, "utf8");
      const lines = linesOf(text);
      expect(lines).toHaveLength(events);
      expect(lines.map((l) => (JSON.parse(l) as { id: number }).id)).toEqual(
        Array.from({ length: events }, (_, i) => i + 1),
      );
      const toStdout = await runCli(["audit", "export", "--database", url]);
      expect(toStdout.stdout).toBe(text);

      const intact = await runCli(["audit", "verify", "--export", file]);
      expect(intact.code, intact.stderr).toBe(0);
      expect(intact.stdout).toMatch(new RegExp(`^intact: ${events} events, last hash [0-9a-f]{64}\\n$`));

      // One byte of the middle event's actor, inside its JSON string: still valid JSON, wrong hash.
      const index = middle - 1;
      const line = lines[index]!;
      const at = line.indexOf('"actor":"') + '"actor":"'.length;
      const tampered = [...lines];
      tampered[index] = flip(line, at);
      await writeFile(file, `${tampered.join("\n")}\n`);
      const [broken, json] = await Promise.all([
        runCli(["audit", "verify", "--export", file]),
        runCli(["audit", "verify", "--export", file, "--json"]),
      ]);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toMatch(new RegExp(`^BROKEN at event ${middle}: `));
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, brokenAt: middle });

      // A byte that breaks the JSON itself is named by event and line too.
      tampered[index] = line.replace(/}$/, "]");
      await writeFile(file, `${tampered.join("\n")}\n`);
      const unreadable = await runCli(["audit", "verify", "--export", file]);
      expect(unreadable.code).toBe(1);
      expect(unreadable.stdout).toBe(
        `BROKEN at event ${middle}: line ${middle}: not valid JSON (${middle - 1} events checked)\n`,
      );
    });
  });
}

describe("railyard audit without a database", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "railyard-audit-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("refuses a database or export that is not there instead of calling it intact", async () => {
    const missing = path.join(dir, "no-such.db");
    const [database, exportFile] = await Promise.all([
      runCli(["audit", "verify", "--database", missing]),
      runCli(["audit", "verify", "--export", path.join(dir, "no-such.jsonl")]),
    ]);
    expect(database.code).toBe(1);
    expect(database.stdout).toBe("");
    expect(database.stderr).toBe(
      `railyard: no database at ${missing}: pass --database (or set RAILYARD_DATABASE_URL) with the server's database URL or SQLite file\n`,
    );
    expect(exportFile.code).toBe(1);
    expect(exportFile.stderr).toContain("cannot read the export");
    expect(exportFile.stderr).toContain("(no such file)");
    expect(existsSync(missing)).toBe(false);
  });
});
