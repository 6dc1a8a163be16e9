/**
 * Opens the store a URL names, brings its schema up to date and returns it.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, sql } from "kysely";
import type { Store } from "../engine/ports.js";
import type { Database } from "./database.js";
import { InvalidStoreOptionError } from "./errors.js";
import { KyselyStore } from "./kysely-store.js";
import { migrateToLatest } from "./migrate.js";
import { createPostgresDialect } from "./postgres-dialect.js";
import { ImmediateSqliteDialect } from "./sqlite-dialect.js";
import { cachingSqliteDatabase } from "./sqlite-statement-cache.js";
import { SqliteWriterThread } from "./sqlite-writer-thread.js";
import { DEFAULT_SQLITE_PATH, parseStoreUrl, redactUrl, type StoreLocation } from "./store-url.js";

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /**
   * `postgres://user@host:5432/db` or `postgresql://…` (add `?schema=<name>` to use, and create,
   * a schema), `sqlite:<path>`, `sqlite::memory:`, or a plain file path. Parent directories of a
   * SQLite file are created.
   * @default process.env.RAILYARD_DATABASE_URL, else `.railyard/railyard.db`
   */
  url?: string;
  /** Told which database was opened and which migrations ran (a pino logger fits). */
  logger?: { info(obj: object, msg?: string): void; warn?(obj: object, msg?: string): void };
  /**
   * Run `appendArtifacts` on the calling thread even for a SQLite file. By default a SQLite file
   * gets a writer thread when the compiled build is running (see `sqlite-writer-thread.ts`);
   * `RAILYARD_SQLITE_WRITER=inline` turns it off too.
   * @default false
   */
  inlineWriter?: boolean;
  /**
   * The compiled writer thread's file (tests running from TypeScript sources point it at
   * `dist/store/sqlite-writer-worker.js`). Giving it starts the thread whenever a SQLite file is
   * opened. @default the `.js` file next to this module, if the build is running
   */
  writerWorkerFile?: string;
}

const SYNCHRONOUS_MODES = ["OFF", "NORMAL", "FULL", "EXTRA"] as const;

/**
 * Opens the store and runs pending migrations.
 *
 * SQLite runs with `journal_mode=WAL`, `synchronous=FULL` (override with the environment
 * variable `RAILYARD_SQLITE_SYNCHRONOUS=NORMAL` to trade durability of the last commits on
 * power loss for speed), `foreign_keys=ON` and `busy_timeout=5000`.
 * @throws {InvalidStoreUrlError} when the URL names nothing Railyard can open.
 * @throws {InvalidStoreOptionError} when `RAILYARD_SQLITE_SYNCHRONOUS` is not a SQLite mode.
 * @throws {MigrationError} when a migration fails.
 * @throws the driver's error when the database cannot be reached.
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const url = options.url ?? process.env.RAILYARD_DATABASE_URL ?? DEFAULT_SQLITE_PATH;
  const location = parseStoreUrl(url);
  const db =
    location.dialect === "sqlite" ? openSqlite(location.path) : openPostgres(location, options.logger);
  try {
    if (location.dialect === "postgres" && location.schema !== null) await createSchema(db, location.schema);
    const applied = await migrateToLatest(db, { dialect: location.dialect });
    options.logger?.info(
      { dialect: location.dialect, database: redactUrl(url), migrations_applied: applied },
      "store opened",
    );
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const threaded =
    location.dialect === "sqlite" &&
    location.path !== ":memory:" &&
    !options.inlineWriter &&
    process.env.RAILYARD_SQLITE_WRITER !== "inline" &&
    SqliteWriterThread.available(options.writerWorkerFile);
  if (!threaded) return new KyselyStore(db, location.dialect);
  const writer = new SqliteWriterThread(`sqlite:${location.path}`, options.writerWorkerFile);
  try {
    await writer.ready();
  } catch (error) {
    await writer.close().catch(() => undefined);
    await db.destroy();
    throw error;
  }
  return new KyselyStore(db, location.dialect, writer);
}

function openSqlite(path: string): Kysely<Database> {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const synchronous = sqliteSynchronous();
  const database = new BetterSqlite3(path);
  try {
    database.pragma("journal_mode = WAL");
    database.pragma(`synchronous = ${synchronous}`);
    database.pragma("foreign_keys = ON");
    database.pragma("busy_timeout = 5000");
  } catch (error) {
    database.close();
    throw error;
  }
  return new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: cachingSqliteDatabase(database) }),
  });
}

function sqliteSynchronous(): string {
  const value = (process.env.RAILYARD_SQLITE_SYNCHRONOUS ?? "FULL").toUpperCase();
  if (!(SYNCHRONOUS_MODES as readonly string[]).includes(value)) {
    throw new InvalidStoreOptionError(
      `RAILYARD_SQLITE_SYNCHRONOUS must be one of ${SYNCHRONOUS_MODES.join(", ")} (got "${process.env.RAILYARD_SQLITE_SYNCHRONOUS}")`,
    );
  }
  return value;
}

function openPostgres(
  location: Extract<StoreLocation, { dialect: "postgres" }>,
  logger: OpenStoreOptions["logger"],
): Kysely<Database> {
  const dialect = createPostgresDialect({
    connectionString: location.connectionString,
    schema: location.schema,
    onIdleError: (error) =>
      (logger?.warn ?? logger?.info)?.call(logger, { err: error }, "idle PostgreSQL connection failed"),
  });
  return new Kysely<Database>({ dialect });
}

async function createSchema(db: Kysely<Database>, schema: string): Promise<void> {
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (error) {
    // Two processes creating the schema at once: one wins, the other sees a duplicate.
    const exists = await sql<{
      n: number;
    }>`select count(*) as n from pg_namespace where nspname = ${schema}`.execute(db);
    if (Number(exists.rows[0]?.n) !== 1) throw error;
  }
}
