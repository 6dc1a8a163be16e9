/**
 * Gates on real signals (issue 5):
 * - `gate_results.verdict`: pass, fail, inconclusive or error (rows written before stay null and
 *   read as pass/fail from their status);
 * - `waivers`: findings a person accepted for a component until an expiry, and their revocation.
 *
 * Only additions: the same statements run on SQLite and PostgreSQL.
 */
import type { Kysely, Migration } from "kysely";
import type { StoreDialect } from "../database.js";

/** Builds migration `0004-gates` for `dialect`. */
export function gatesMigration(dialect: StoreDialect): Migration {
  const eventId = dialect === "sqlite" ? "integer" : "bigint";
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("gate_results").addColumn("verdict", "text").execute();
      await db.schema
        .createTable("waivers")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("component", "text", (c) => c.notNull())
        .addColumn("finding", "text", (c) => c.notNull())
        .addColumn("justification", "text", (c) => c.notNull())
        .addColumn("approver", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("revoked_at", "text")
        .addColumn("revoked_by", "text")
        .addColumn("revoke_reason", "text")
        .addColumn("event_id", eventId, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("waivers_component")
        .on("waivers")
        .columns(["component", "finding"])
        .execute();
    },
  };
}
