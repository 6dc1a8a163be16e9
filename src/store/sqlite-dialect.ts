/**
 * Kysely's SQLite dialect, with transactions that start with `BEGIN IMMEDIATE`: a transaction
 * takes the write lock when it starts, so a transaction that reads before it appends can never
 * fail with SQLITE_BUSY halfway when another process (the CLI) writes to the same file; it waits
 * up to `busy_timeout` instead.
 */
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from "kysely";

/** A SQLite driver whose transactions begin with `BEGIN IMMEDIATE`. */
export class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

/** `SqliteDialect` using {@link ImmediateSqliteDriver}. */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}
