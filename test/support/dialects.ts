/**
 * The database matrix every store test runs against, after Kysely's own suite:
 * `for (const dialect of DIALECTS) describe(dialect, () => { ... })`.
 *
 * PostgreSQL comes from `RAILYARD_TEST_PG_URL` (default `postgres://postgres@127.0.0.1:5432/test`);
 * each test store lives in a fresh schema `rytest_<random>` dropped by `cleanup()`. Set
 * `RAILYARD_TEST_PG_URL=skip` to run SQLite only.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Store } from "../../src/engine/ports.js";
import { openStore } from "../../src/store/open-store.js";

/** A database the store runs on. */
export type TestDialect = "sqlite" | "postgres";

/** The dialects to run store tests against: both, unless `RAILYARD_TEST_PG_URL=skip`. */
export const DIALECTS: readonly TestDialect[] =
  process.env.RAILYARD_TEST_PG_URL === "skip" ? ["sqlite"] : (["sqlite", "postgres"] as const);

/** The PostgreSQL database tests use. @default postgres://postgres@127.0.0.1:5432/test */
export function pgBaseUrl(): string {
  const url = process.env.RAILYARD_TEST_PG_URL;
  return url && url !== "skip" ? url : "postgres://postgres@127.0.0.1:5432/test";
}

/** A store opened for one test, and how to throw it away. */
export interface TestStore {
  store: Store;
  /** The URL it was opened with: open it again to get a second store on the same database. */
  url: string;
  /** Closes the store and deletes its database (the temp dir, or the PostgreSQL schema). */
  cleanup(): Promise<void>;
}

/** Opens a store on a fresh, empty database of `dialect`. */
export async function createTestStore(dialect: TestDialect): Promise<TestStore> {
  if (dialect === "sqlite") {
    const dir = await mkdtemp(join(tmpdir(), "railyard-store-"));
    const url = `sqlite:${join(dir, "railyard.db")}`;
    const store = await openStore({ url });
    return {
      store,
      url,
      async cleanup() {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `rytest_${randomBytes(6).toString("hex")}`;
  const parsed = new URL(pgBaseUrl());
  parsed.searchParams.set("schema", schema);
  const url = parsed.toString();
  let store: Store;
  try {
    store = await openStore({ url });
  } catch (error) {
    await dropSchema(schema);
    throw error;
  }
  return {
    store,
    url,
    async cleanup() {
      await store.close();
      await dropSchema(schema);
    },
  };
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgBaseUrl() });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database for a process to open (a server under test), and how to drop it. */
export interface TestDatabase {
  url: string;
  cleanup(): Promise<void>;
}

/** Creates an empty database of `dialect` without opening it: a temp SQLite path, or a new PostgreSQL schema. */
export async function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  if (dialect === "sqlite") {
    const dir = await mkdtemp(join(tmpdir(), "railyard-db-"));
    return {
      url: `sqlite:${join(dir, "railyard.db")}`,
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const schema = `rytest_${randomBytes(6).toString("hex")}`;
  const parsed = new URL(pgBaseUrl());
  parsed.searchParams.set("schema", schema);
  return { url: parsed.toString(), cleanup: () => dropSchema(schema) };
}
