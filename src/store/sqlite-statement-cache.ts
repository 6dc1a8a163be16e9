/**
 * Kysely's SQLite driver prepares every statement again on each query. Preparing costs about as
 * much as running a small insert, so this wrapper keeps prepared statements by SQL text.
 */
import type BetterSqlite3 from "better-sqlite3";
import type { SqliteDatabase, SqliteStatement } from "kysely";

/**
 * Wraps a better-sqlite3 database so `prepare` returns a cached statement for SQL it has seen.
 * A statement still being iterated (a streamed query) is never handed out twice: a fresh one is
 * prepared instead.
 * @param capacity statements kept; the oldest is forgotten first @default 256
 */
export function cachingSqliteDatabase(database: BetterSqlite3.Database, capacity = 256): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close(): void {
      statements.clear();
      database.close();
    },
    prepare(sql: string): SqliteStatement {
      const cached = statements.get(sql);
      if (cached !== undefined && !cached.busy) return cached as unknown as SqliteStatement;
      const statement = database.prepare(sql);
      if (cached === undefined) {
        if (statements.size >= capacity) statements.delete(statements.keys().next().value as string);
        statements.set(sql, statement);
      }
      return statement as unknown as SqliteStatement;
    },
  };
}
