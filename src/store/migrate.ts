/**
 * Brings a database to the latest schema with Kysely's `Migrator`, turning its result set into
 * one clear error.
 */
import { type Kysely, type MigrationProvider, type MigrationResult, Migrator } from "kysely";
import type { Database, StoreDialect } from "./database.js";
import { MigrationError } from "./errors.js";
import { InCodeMigrationProvider, railyardMigrations } from "./migrations/migration-provider.js";

/** Options of {@link migrateToLatest}. */
export interface MigrateOptions {
  dialect: StoreDialect;
  /** The migrations to run. @default Railyard's own, for `dialect` */
  provider?: MigrationProvider;
}

/**
 * Runs every migration not yet applied, all in one transaction (both databases have
 * transactional DDL) under Kysely's migration lock, so concurrent opens apply each once.
 * @returns the names of the migrations applied by this call (empty when already up to date)
 * @throws {MigrationError} naming the migration that failed and why; the database is left as it
 *   was before the call.
 */
export async function migrateToLatest(db: Kysely<Database>, options: MigrateOptions): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: options.provider ?? new InCodeMigrationProvider(railyardMigrations(options.dialect)),
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result: MigrationResult) => result.status === "Error");
    throw new MigrationError(failed?.migrationName ?? null, error);
  }
  return results.filter((result) => result.status === "Success").map((result) => result.migrationName);
}
