/**
 * Opening a store: URL forms, SQLite pragmas, PostgreSQL schemas, and migrations that run once
 * and fail with a message naming the migration.
 */
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "../../src/store/database.js";
import { InvalidStoreOptionError, MigrationError } from "../../src/store/errors.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { migrateToLatest } from "../../src/store/migrate.js";
import {
  InCodeMigrationProvider,
  railyardMigrations,
} from "../../src/store/migrations/migration-provider.js";
import { openStore } from "../../src/store/open-store.js";
import { createTestStore, DIALECTS, type TestStore } from "../support/dialects.js";
import { T0, trainCreated } from "../support/store-fixtures.js";

for (const dialect of DIALECTS) {
  describe(dialect, () => {
    let test: TestStore;
    beforeEach(async () => {
      test = await createTestStore(dialect);
    });
    afterEach(() => test.cleanup());

    it("runs migrations once: a second open finds the schema up to date and the data in it", async () => {
      await test.store.append([trainCreated("web", 1)], T0);
      const logged: object[] = [];
      const again = await openStore({ url: test.url, logger: { info: (obj) => void logged.push(obj) } });
      try {
        expect(again.dialect).toBe(dialect);
        expect(logged).toEqual([expect.objectContaining({ dialect, migrations_applied: [] })]);
        expect((await again.getTrain("web-1"))?.state).toBe("scheduled");
      } finally {
        await again.close();
      }
    });

    it("names the migration that failed and leaves the schema as it was", async () => {
      const db = (test.store as KyselyStore).kysely;
      const provider = new InCodeMigrationProvider({
        ...railyardMigrations(dialect),
        "0099-broken": {
          async up(db: Kysely<unknown>) {
            await sql`alter table no_such_table add column x integer`.execute(db);
          },
        },
      });
      const error = await migrateToLatest(db, { dialect, provider }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).migration).toBe("0099-broken");
      expect((error as Error).message).toMatch(/^migration 0099-broken failed: .*no_such_table/);
      const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        db,
      );
      expect(applied.rows).toEqual([
        { name: "0001-initial" },
        { name: "0002-timetable" },
        { name: "0003-boarding" },
        { name: "0004-gates" },
        { name: "0005-checklists" },
        { name: "0006-rollout" },
        { name: "0007-access" },
        { name: "0008-observability" },
        { name: "0009-dashboard" },
      ]);
      expect(await migrateToLatest(db, { dialect })).toEqual([]);
    });

    it("closes more than once without complaint", async () => {
      await test.store.close();
      await test.store.close();
    });
  });
}

describe.runIf(DIALECTS.includes("sqlite"))("sqlite files", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "railyard-open-"));
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await rm(dir, { recursive: true, force: true });
  });

  const pragmas = async (store: KyselyStore) => {
    const read = async (name: string) =>
      Object.values(
        (await sql<Record<string, unknown>>`pragma ${sql.raw(name)}`.execute(store.kysely)).rows[0]!,
      )[0];
    return {
      journal_mode: await read("journal_mode"),
      synchronous: await read("synchronous"),
      foreign_keys: await read("foreign_keys"),
      busy_timeout: await read("busy_timeout"),
    };
  };

  it("creates the parent directories of a plain path and opens it in WAL mode, synchronous FULL", async () => {
    const path = join(dir, "nested", "deeper", "railyard.db");
    const store = (await openStore({ url: path })) as KyselyStore;
    try {
      expect(store.dialect).toBe("sqlite");
      expect((await stat(path)).isFile()).toBe(true);
      expect(await pragmas(store)).toEqual({
        journal_mode: "wal",
        synchronous: 2,
        foreign_keys: 1,
        busy_timeout: 5000,
      });
    } finally {
      await store.close();
    }
  });

  it("lets RAILYARD_SQLITE_SYNCHRONOUS lower synchronous, and refuses a value SQLite does not know", async () => {
    vi.stubEnv("RAILYARD_SQLITE_SYNCHRONOUS", "normal");
    const store = (await openStore({ url: `sqlite:${join(dir, "a.db")}` })) as KyselyStore;
    try {
      expect((await pragmas(store)).synchronous).toBe(1);
    } finally {
      await store.close();
    }
    vi.stubEnv("RAILYARD_SQLITE_SYNCHRONOUS", "fast");
    await expect(openStore({ url: `sqlite:${join(dir, "b.db")}` })).rejects.toThrow(InvalidStoreOptionError);
    await expect(openStore({ url: `sqlite:${join(dir, "b.db")}` })).rejects.toThrow(
      'RAILYARD_SQLITE_SYNCHRONOUS must be one of OFF, NORMAL, FULL, EXTRA (got "fast")',
    );
  });

  it("opens an in-memory database", async () => {
    const store = await openStore({ url: "sqlite::memory:" });
    try {
      await store.append([trainCreated("web", 1)], T0);
      expect(await store.verifyChain()).toMatchObject({ ok: true, events: 1 });
    } finally {
      await store.close();
    }
  });

  it("uses RAILYARD_DATABASE_URL when no URL is given", async () => {
    vi.stubEnv("RAILYARD_DATABASE_URL", `sqlite:${join(dir, "from-env.db")}`);
    const store = await openStore();
    await store.close();
    expect((await stat(join(dir, "from-env.db"))).isFile()).toBe(true);
  });
});

describe.runIf(DIALECTS.includes("postgres"))("postgres schemas", () => {
  let test: TestStore;
  beforeEach(async () => {
    test = await createTestStore("postgres");
  });
  afterEach(() => test.cleanup());

  it("creates the schema named in the URL and keeps every table in it", async () => {
    const schema = new URL(test.url).searchParams.get("schema")!;
    const db = (test.store as KyselyStore).kysely as Kysely<Database>;
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = ${schema} order by table_name`.execute(
      db,
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual([
      "approvals",
      "artifact_reports",
      "artifacts",
      "audit_checkpoints",
      "calendar_events",
      "chain_head",
      "checklist_ticks",
      "ci_statuses",
      "deployments",
      "events",
      "gate_results",
      "incident_alerts",
      "incidents",
      "kysely_migration",
      "kysely_migration_lock",
      "manifest_items",
      "notifications",
      "pins",
      "report_contents",
      "rollout_marks",
      "sessions",
      "settings",
      "steps",
      "test_reports",
      "tokens",
      "train_exceptions",
      "train_facts",
      "trains",
      "waivers",
      "webhook_deliveries",
    ]);
  });

  it("reads bigint event ids as numbers", async () => {
    await test.store.append([trainCreated("web", 1)], T0);
    const [event] = await test.store.listEvents();
    expect(event?.id).toBe(1);
    const head = await (test.store as KyselyStore).kysely
      .selectFrom("chain_head")
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(head.last_id).toBe(1);
  });
});
