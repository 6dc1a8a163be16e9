/**
 * Progressive rollout (issue 6): `trains.rollback_scope` (a wave rollback's scope, JSON),
 * `gate_results.detail` (structured evidence such as a canary analysis, JSON), `rollout_marks`
 * (people promoting, approving or rejecting a rollout step) and `incidents` (a failed rollback
 * opens one and stops its line). Only additions.
 */
import type { Kysely, Migration } from "kysely";
import type { StoreDialect } from "../database.js";

/** Builds migration `0006-rollout` for `dialect`. */
export function rolloutMigration(dialect: StoreDialect): Migration {
  const eventId = dialect === "sqlite" ? "integer" : "bigint";
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("trains").addColumn("rollback_scope", "text").execute();
      await db.schema.alterTable("gate_results").addColumn("detail", "text").execute();
      await db.schema
        .createTable("rollout_marks")
        .addColumn("train_id", "text", (c) => c.notNull().references("trains.id"))
        .addColumn("wave", "text", (c) => c.notNull())
        .addColumn("step", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("comment", "text")
        .addColumn("marked_at", "text", (c) => c.notNull())
        .addColumn("event_id", eventId, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("rollout_marks_train").on("rollout_marks").column("train_id").execute();
      await db.schema
        .createTable("incidents")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("line", "text", (c) => c.notNull())
        .addColumn("train_id", "text")
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("detail", "text")
        .addColumn("stops_line", "integer", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("opened_at", "text", (c) => c.notNull())
        .addColumn("opened_by", "text", (c) => c.notNull())
        .addColumn("resolved_at", "text")
        .addColumn("resolved_by", "text")
        .addColumn("resolution", "text")
        .addColumn("event_id", eventId, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("incidents_line").on("incidents").columns(["line", "status"]).execute();
    },
  };
}
