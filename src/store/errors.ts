/**
 * The store's errors. Each is thrown at one boundary and says exactly what is wrong, so a log
 * line or a CLI message is enough to fix it.
 */

/** Base class of every error the store throws on purpose. */
export class StoreError extends Error {
  override readonly name: string = "StoreError";
}

/**
 * Thrown by `openStore` when the database URL names no database Railyard can open (an unknown
 * scheme, a bad `schema=` parameter).
 */
export class InvalidStoreUrlError extends StoreError {
  override readonly name = "InvalidStoreUrlError";
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`invalid database URL "${url}": ${reason}`);
  }
}

/** Thrown by `openStore` when an environment variable that tunes the store has an invalid value. */
export class InvalidStoreOptionError extends StoreError {
  override readonly name = "InvalidStoreOptionError";
}

/** Thrown when a migration fails; the migrations of that run are rolled back together. */
export class MigrationError extends StoreError {
  override readonly name = "MigrationError";
  constructor(
    /** The failed migration, or null when the migrator failed before running one. */
    readonly migration: string | null,
    cause: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(migration ? `migration ${migration} failed: ${detail}` : `migrations failed: ${detail}`, { cause });
  }
}

/** Thrown by `canonicalJson`; it lives in the domain, where canonical JSON is defined. */
export { NonCanonicalValueError } from "../domain/canonical-json.js";

/** Thrown by `append` when the time is not an ISO 8601 UTC instant with milliseconds. */
export class InvalidInstantError extends StoreError {
  override readonly name = "InvalidInstantError";
  constructor(readonly value: string) {
    super(`"${value}" is not an instant like 2026-01-06T09:00:00.000Z (ISO 8601, UTC, milliseconds)`);
  }
}

/**
 * Thrown by `append` when an event cannot be projected: it names a train, step or token that
 * does not exist, or lacks the train ID its type needs. The transaction is then rolled back.
 */
export class ProjectionError extends StoreError {
  override readonly name = "ProjectionError";
  constructor(
    readonly eventType: string,
    readonly eventId: number,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot project ${eventType} (event ${eventId}): ${reason}`, options);
  }
}

/**
 * Thrown by `append` when the chain head moved under a transaction that already holds it, which
 * only happens when something outside Railyard writes `chain_head`.
 */
export class ChainHeadConflictError extends StoreError {
  override readonly name = "ChainHeadConflictError";
}

/**
 * True when `error`, or an error in its `cause` chain, is a unique or primary-key violation from
 * SQLite or PostgreSQL (a duplicate artifact version, a train number taken by a concurrent writer).
 */
export function isUniqueViolation(error: unknown): boolean {
  for (let current = error; typeof current === "object" && current !== null; ) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
      return true;
    }
    current = cause;
  }
  return false;
}
