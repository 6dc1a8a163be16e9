/**
 * Access and audit (issue 7): token kinds and component scopes (`tokens.kind`,
 * `tokens.components`), dashboard sessions (`sessions`, keyed by the hash of the cookie's value),
 * inbound webhook deliveries already accepted (`webhook_deliveries`, for replay refusal) and the
 * signed checkpoints of the hash chain (`audit_checkpoints`), and the authors of an artifact's
 * commits (`artifacts.authors`, for separation of duties in approvals). Only additions.
 */
import type { Kysely, Migration } from "kysely";
import type { StoreDialect } from "../database.js";

/** Builds migration `0007-access` for `dialect`. */
export function accessMigration(dialect: StoreDialect): Migration {
  const eventId = dialect === "sqlite" ? "integer" : "bigint";
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable("tokens")
        .addColumn("kind", "text", (c) => c.notNull().defaultTo("user"))
        .execute();
      await db.schema.alterTable("tokens").addColumn("components", "text").execute();
      // JSON array of login names; null for artifacts pushed before authors were recorded.
      await db.schema.alterTable("artifacts").addColumn("authors", "text").execute();
      await db.schema
        .createTable("sessions")
        .addColumn("id_hash", "text", (c) => c.primaryKey())
        .addColumn("csrf_hash", "text", (c) => c.notNull())
        .addColumn("token_id", "text")
        .addColumn("subject", "text", (c) => c.notNull())
        .addColumn("roles", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("revoked_at", "text")
        .execute();
      await db.schema
        .createTable("webhook_deliveries")
        .addColumn("provider", "text", (c) => c.notNull())
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("received_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("webhook_deliveries_pk", ["provider", "key"])
        .execute();
      await db.schema
        .createIndex("webhook_deliveries_received")
        .on("webhook_deliveries")
        .column("received_at")
        .execute();
      await db.schema
        .createTable("audit_checkpoints")
        .addColumn("event_id", eventId, (c) => c.primaryKey())
        .addColumn("hash", "text", (c) => c.notNull())
        .addColumn("signed_at", "text", (c) => c.notNull())
        .addColumn("key_id", "text", (c) => c.notNull())
        .addColumn("signature", "text", (c) => c.notNull())
        .execute();
    },
  };
}
