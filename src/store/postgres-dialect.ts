/**
 * Kysely's PostgreSQL dialect over a `pg` pool set up for Railyard: `bigint` columns (event ids,
 * counts) come back as JavaScript numbers instead of strings, every pooled connection uses the
 * configured schema, and introspection (which Kysely's `Migrator` relies on) sees only it.
 */
import { CompiledQuery, type DatabaseIntrospector, type Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { StoreError } from "./errors.js";
import { CurrentSchemaIntrospector } from "./postgres-introspector.js";

const INT8_OID = 20;

function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new StoreError(`bigint ${text} does not fit a JavaScript number`);
  return value;
}

const getTypeParser = ((oid: number, format?: "text" | "binary") =>
  oid === INT8_OID && format !== "binary"
    ? parseInt8
    : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser;

/** Options of {@link createPostgresDialect}. */
export interface PostgresDialectOptions {
  connectionString: string;
  /** Schema set as `search_path` on every connection; null keeps the server default. */
  schema: string | null;
  /** Connections in the pool. @default 10 */
  maxConnections?: number;
  /** Told about errors of idle connections (which would otherwise crash the process). */
  onIdleError?: (error: Error) => void;
}

/** Creates the pool and the dialect over it. The caller ends the pool through `Kysely.destroy()`. */
export function createPostgresDialect(options: PostgresDialectOptions): PostgresDialect {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    types: { getTypeParser },
  });
  pool.on("error", (error) => options.onIdleError?.(error));
  const searchPath =
    options.schema === null
      ? null
      : CompiledQuery.raw(`set search_path to "${options.schema.replaceAll('"', '""')}"`);
  return new CurrentSchemaPostgresDialect({
    pool,
    onCreateConnection: async (connection) => {
      if (searchPath) await connection.executeQuery(searchPath);
    },
  });
}

/** `PostgresDialect` whose introspector sees only the current schema. */
export class CurrentSchemaPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}
