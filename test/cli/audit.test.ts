/**
 * `railyard audit verify` and `railyard audit export`, run as an auditor would, on SQLite and
 * PostgreSQL: a chain written by a real server verifies intact; one changed byte in any column
 * of an event (made with raw SQL) or in any line of an export makes verify exit 1 naming that event.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../src/cli/start-server.js";
import type { Logger } from "../../src/engine/ports.js";
import { parseStoreUrl } from "../../src/store/store-url.js";
import { linesOf, runCli } from "../support/cli.js";
import { createTestDatabase, DIALECTS, pgBaseUrl, type TestDatabase } from "../support/dialects.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { createWorld, WORLD_START, type World } from "../support/world.js";

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
      const ci = await server.ciToken("ci-bot", ["db", "api", "web"]);
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
      expect(text.stdout).toMatch(
        new RegExp(
          `^intact: ${events} events, last hash [0-9a-f]{64}\\ncheckpoints: none \\(checkpoints are off unless the server has a signing key: audit.signingKeyFromEnv\\)\\n$`,
        ),
      );
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toMatchObject({
        ok: true,
        events,
        checkpoints: { count: 0, signatures: "not checked" },
      });
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
      expect(exported.stderr).toBe(
        `exported ${events} events and 0 checkpoints to ${file}, unsealed\n` +
          "note: the export has no seal: RAILYARD_AUDIT_SIGNING_KEY is not set (its checkpoints still verify; the end of the export is not signed)\n",
      );
      const text = await readFile(file, "utf8");
      const lines = linesOf(text);
      expect(lines).toHaveLength(1 + events);
      expect(JSON.parse(lines[0]!)).toMatchObject({ kind: "header", version: 1, filter: {} });
      expect(lines.slice(1).map((l) => (JSON.parse(l) as { id: number }).id)).toEqual(
        Array.from({ length: events }, (_, i) => i + 1),
      );
      const toStdout = await runCli(["audit", "export", "--database", url]);
      // The same export but for the header's export time.
      expect(linesOf(toStdout.stdout).slice(1)).toEqual(lines.slice(1));

      const intact = await runCli(["audit", "verify", "--export", file]);
      expect(intact.code, intact.stderr).toBe(0);
      expect(intact.stdout).toMatch(
        new RegExp(
          `^intact: ${events} events, last hash [0-9a-f]{64}\\nunsigned: the export holds no signature \\(no checkpoint, no seal\\); only the chain was verified\\n$`,
        ),
      );

      // One byte of the middle event's actor, inside its JSON string: still valid JSON, wrong hash.
      // Line 1 is the header, so event n is on line n + 1.
      const index = middle;
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
      expect(broken.stdout).toBe(
        `BROKEN at line ${middle + 1}, event ${middle} (changed): event ${middle}: stored hash does not match its content (${middle - 1} events checked)\n`,
      );
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({
        ok: false,
        brokenAt: middle,
        line: middle + 1,
        kind: "changed",
      });

      // A byte that breaks the JSON itself is named by event and line too.
      tampered[index] = line.replace(/}$/, "]");
      await writeFile(file, `${tampered.join("\n")}\n`);
      const unreadable = await runCli(["audit", "verify", "--export", file]);
      expect(unreadable.code).toBe(1);
      expect(unreadable.stdout).toBe(
        `BROKEN at line ${middle + 1}, event ${middle} (malformed): not valid JSON (${middle - 1} events checked)\n`,
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

describe("railyard audit keygen", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "railyard-keygen-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("writes a private key only its owner can read and a public key, then refuses to overwrite them", async () => {
    const privateKey = path.join(dir, "audit.key");
    const publicKey = path.join(dir, "audit.pub");
    const made = await runCli([
      "audit",
      "keygen",
      "--private-key",
      privateKey,
      "--public-key",
      publicKey,
      "--json",
    ]);
    expect(made.code, made.stderr).toBe(0);
    const { keyId } = JSON.parse(made.stdout) as { keyId: string };
    expect(keyId).toMatch(/^[0-9a-f]{16}$/);
    expect((await stat(privateKey)).mode & 0o777).toBe(0o600);
    expect(await readFile(privateKey, "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(await readFile(publicKey, "utf8")).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(made.stdout).not.toContain("PRIVATE KEY");

    const before = await readFile(privateKey, "utf8");
    const again = await runCli([
      "audit",
      "keygen",
      "--private-key",
      privateKey,
      "--public-key",
      path.join(dir, "new.pub"),
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      `railyard: ${privateKey} exists; keygen never overwrites a key (move it away or choose another file)\n`,
    );
    const publicExists = await runCli([
      "audit",
      "keygen",
      "--private-key",
      path.join(dir, "new.key"),
      "--public-key",
      publicKey,
    ]);
    expect(publicExists.code).toBe(1);
    expect(publicExists.stderr).toContain(`${publicKey} exists`);
    expect(existsSync(path.join(dir, "new.key"))).toBe(false);
    expect(existsSync(path.join(dir, "new.pub"))).toBe(false);
    expect(await readFile(privateKey, "utf8")).toBe(before);

    const text = await runCli([
      "audit",
      "keygen",
      "--private-key",
      path.join(dir, "b.key"),
      "--public-key",
      path.join(dir, "b.pub"),
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^key [0-9a-f]{16}\n/);
    expect(text.stdout).toContain(`export RAILYARD_AUDIT_SIGNING_KEY="$(cat ${path.join(dir, "b.key")})"`);
  });
});

describe("railyard audit with a signing key", () => {
  let world: World;
  let database: TestDatabase;
  let server: RunningServer | undefined;
  let privateKey: string;
  let publicKey: string;
  let signingEnv: Record<string, string>;
  let keyId: string;
  let url: string;

  beforeAll(async () => {
    world = await createWorld({ top: "audit: { checkpointEvery: 1h }\n" });
    database = await createTestDatabase("sqlite");
    url = database.url;
    privateKey = path.join(world.dir, "audit.key");
    publicKey = path.join(world.dir, "audit.pub");
    const made = await runCli([
      "audit",
      "keygen",
      "--private-key",
      privateKey,
      "--public-key",
      publicKey,
      "--json",
    ]);
    expect(made.code, made.stderr).toBe(0);
    keyId = (JSON.parse(made.stdout) as { keyId: string }).keyId;
    signingEnv = { RAILYARD_AUDIT_SIGNING_KEY: await readFile(privateKey, "utf8") };
    server = await startServer({
      configFile: world.configFile,
      databaseUrl: url,
      port: 0,
      clock: { kind: "simulated", start: WORLD_START, rate: 0 },
      workDir: path.join(world.dir, "work"),
      logger: pino({ level: "silent" }) as unknown as Logger,
      manualTicks: true,
      env: signingEnv,
    });
    // Hourly checkpoints on the simulated clock while the line's train is cut off, then one at shutdown.
    for (let hour = 0; hour < 4; hour++) await server.railyard.advanceClock(3_600_000);
    await server.railyard.store.append(
      [
        {
          type: "config.loaded",
          trainId: null,
          actor: "ops",
          payload: { hash: "x", source: "x", lines: [] },
        },
      ],
      server.railyard.clock.now().toISOString(),
    );
    await server.close();
    server = undefined;
  });
  afterAll(async () => {
    await server?.close();
    await database?.cleanup();
    await world?.cleanup();
  });

  it("refuses to start the server with a malformed key, naming the variable and not the key", async () => {
    const garbled = signingEnv.RAILYARD_AUDIT_SIGNING_KEY!.replace(/[A-Za-z0-9+/]{24}/, "*");
    await expect(
      startServer({
        configFile: world.configFile,
        databaseUrl: url,
        port: 0,
        logger: pino({ level: "silent" }) as unknown as Logger,
        manualTicks: true,
        env: { RAILYARD_AUDIT_SIGNING_KEY: garbled },
      }),
    ).rejects.toThrow(/^the environment variable RAILYARD_AUDIT_SIGNING_KEY does not hold a PEM private key/);
    const exported = await runCli(["audit", "export", "--database", url], {
      env: { RAILYARD_AUDIT_SIGNING_KEY: garbled },
    });
    expect(exported.code).toBe(1);
    expect(exported.stdout).toBe("");
    expect(exported.stderr).toMatch(
      /^railyard: the environment variable RAILYARD_AUDIT_SIGNING_KEY does not hold/,
    );
    expect(exported.stderr).not.toContain(garbled.split("\n")[1]!);
  });

  it("verifies the database's checkpoints with the public key or the configured key", async () => {
    const [withFile, withEnv, unchecked] = await Promise.all([
      runCli(["audit", "verify", "--database", url, "--public-key", publicKey, "--json"]),
      runCli(["audit", "verify", "--database", url], { env: signingEnv }),
      runCli(["audit", "verify", "--database", url]),
    ]);
    expect(withFile.code, withFile.stderr).toBe(0);
    const result = JSON.parse(withFile.stdout) as {
      events: number;
      checkpoints: { count: number; unsigned: number };
    };
    expect(result).toMatchObject({ ok: true, checkpoints: { signatures: "verified", keyId, unsigned: 0 } });
    expect(result.checkpoints.count).toBeGreaterThanOrEqual(2);
    expect(withEnv.code, withEnv.stderr).toBe(0);
    expect(withEnv.stdout).toContain(
      `checkpoints: ${result.checkpoints.count} signed with key ${keyId}, newest at event ${result.events}`,
    );
    expect(unchecked.code).toBe(0);
    expect(unchecked.stdout).toContain(
      `checkpoints: ${result.checkpoints.count} match the chain; signatures were not checked (unsigned: pass --public-key FILE, or set RAILYARD_AUDIT_SIGNING_KEY)`,
    );
  });

  it("exports a sealed file that verifies with the public key alone, and names a forged or cut-off one", async () => {
    const file = path.join(world.dir, "signed.jsonl");
    const exported = await runCli(["audit", "export", "--database", url, "-o", file], { env: signingEnv });
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toMatch(
      new RegExp(
        `^exported \\d+ events and \\d+ checkpoints to ${file.replaceAll("/", "\\/")}, sealed with key ${keyId}\\n$`,
      ),
    );
    const lines = linesOf(await readFile(file, "utf8"));
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ kind: "seal", keyId });

    const [signed, unsigned] = await Promise.all([
      runCli(["audit", "verify", "--export", file, "--public-key", publicKey]),
      runCli(["audit", "verify", "--export", file]),
    ]);
    expect(signed.code, signed.stderr + signed.stdout).toBe(0);
    expect(signed.stdout).toMatch(
      new RegExp(
        `^intact: \\d+ events, last hash [0-9a-f]{64}\\nsigned: \\d+ checkpoints and the seal verified with key ${keyId}\\n$`,
      ),
    );
    expect(unsigned.code).toBe(0);
    expect(unsigned.stdout).toMatch(
      /\nunsigned: signatures were not checked \(pass --public-key FILE to check \d+ checkpoints and the seal\)/,
    );

    // Another key's public key: the first checkpoint is named as forged.
    const other = path.join(world.dir, "other");
    await runCli(["audit", "keygen", "--private-key", `${other}.key`, "--public-key", `${other}.pub`]);
    const wrongKey = await runCli([
      "audit",
      "verify",
      "--export",
      file,
      "--public-key",
      `${other}.pub`,
      "--json",
    ]);
    expect(wrongKey.code).toBe(1);
    const firstCheckpoint = lines.findIndex((l) => l.includes('"kind":"checkpoint"'));
    expect(JSON.parse(wrongKey.stdout)).toMatchObject({
      ok: false,
      kind: "forged",
      line: firstCheckpoint + 1,
    });

    // The seal removed: the end is no longer proven.
    await writeFile(file, `${lines.slice(0, -1).join("\n")}\n`);
    const cut = await runCli(["audit", "verify", "--export", file, "--public-key", publicKey]);
    expect(cut.code).toBe(1);
    expect(cut.stdout).toMatch(
      new RegExp(
        `^BROKEN at line ${lines.length}, event \\d+ \\(truncated\\): the export ends without its seal`,
      ),
    );
  });

  it("exports one train with the rest as stubs, still verifiable with the public key", async () => {
    const file = path.join(world.dir, "train.jsonl");
    const exported = await runCli(
      ["audit", "export", "--database", url, "--train", "shop-1", "-o", file, "--json"],
      {
        env: signingEnv,
      },
    );
    expect(exported.code, exported.stderr).toBe(0);
    const summary = JSON.parse(exported.stdout) as { events: number; omitted: number; sealed: boolean };
    expect(summary).toMatchObject({ sealed: true });
    expect(summary.events).toBeGreaterThan(0);
    expect(summary.omitted).toBeGreaterThan(0);
    const lines = linesOf(await readFile(file, "utf8")).map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const line of lines.filter((l) => l.omitted === true)) expect(line.payload).toBeUndefined();
    for (const line of lines.filter((l) => l.kind === undefined && l.omitted === undefined))
      expect(line.trainId).toBe("shop-1");
    const verified = await runCli(["audit", "verify", "--export", file, "--public-key", publicKey]);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toMatch(
      new RegExp(`^intact: ${summary.events} events, ${summary.omitted} omitted, `),
    );
  });

  it("exports without the key as unsealed, which a verify with the public key refuses", async () => {
    const file = path.join(world.dir, "unsealed.jsonl");
    const exported = await runCli(["audit", "export", "--database", url, "-o", file]);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain("note: the export has no seal: RAILYARD_AUDIT_SIGNING_KEY is not set");
    const verified = await runCli(["audit", "verify", "--export", file, "--public-key", publicKey]);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain("(truncated): the export ends without its seal");
  });
});
