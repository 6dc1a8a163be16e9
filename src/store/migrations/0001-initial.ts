/**
 * The first schema: the hash-chained event log, its head, the projections and the token and
 * settings tables. The same code runs on SQLite and PostgreSQL; the only difference is the type
 * of event ids (SQLite's `integer primary key` is the rowid, the fastest key it has).
 */
import { type Kysely, type Migration, sql } from "kysely";
import { GENESIS_HASH } from "../../domain/events.js";
import type { StoreDialect } from "../database.js";

/** Builds migration `0001-initial` for `dialect`. */
export function initialMigration(dialect: StoreDialect): Migration {
  const eventId = dialect === "sqlite" ? "integer" : "bigint";
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("events")
        .addColumn("id", eventId, (c) => c.primaryKey())
        .addColumn("train_id", "text")
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("payload", "text", (c) => c.notNull())
        .addColumn("time", "text", (c) => c.notNull())
        .addColumn("prev_hash", "text", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("events_train_id").on("events").column("train_id").execute();
      await db.schema.createIndex("events_time").on("events").column("time").execute();

      await db.schema
        .createTable("chain_head")
        .addColumn("id", "integer", (c) => c.primaryKey())
        .addColumn("last_id", eventId, (c) => c.notNull())
        .addColumn("last_hash", "text", (c) => c.notNull())
        .addCheckConstraint("chain_head_single_row", sql`id = 1`)
        .execute();
      await sql`insert into chain_head (id, last_id, last_hash) values (1, 0, ${GENESIS_HASH})`.execute(db);

      await db.schema
        .createTable("trains")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("line", "text", (c) => c.notNull())
        .addColumn("number", "integer", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("resume_to", "text")
        .addColumn("reason", "text")
        .addColumn("cutoff_at", "text", (c) => c.notNull())
        .addColumn("departure_at", "text", (c) => c.notNull())
        .addColumn("manifest_revision", "integer", (c) => c.notNull())
        .addColumn("current_wave", "integer", (c) => c.notNull())
        .addColumn("wave_deployed_at", "text")
        .addColumn("wake_at", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("ended_at", "text")
        .addUniqueConstraint("trains_line_departure_at", ["line", "departure_at"])
        .addUniqueConstraint("trains_line_number", ["line", "number"])
        .execute();
      await db.schema.createIndex("trains_wake_at").on("trains").column("wake_at").execute();
      await db.schema.createIndex("trains_state").on("trains").column("state").execute();

      await db.schema
        .createTable("artifacts")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("component", "text", (c) => c.notNull())
        .addColumn("version", "text", (c) => c.notNull())
        .addColumn("commit_sha", "text", (c) => c.notNull())
        .addColumn("build_url", "text")
        .addColumn("digest", "text")
        .addColumn("depends_on", "text", (c) => c.notNull())
        .addColumn("train_id", "text", (c) => c.references("trains.id"))
        .addColumn("dropped", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("pushed_by", "text", (c) => c.notNull())
        .addColumn("pushed_at", "text", (c) => c.notNull())
        .addColumn("event_id", eventId, (c) => c.notNull())
        .addUniqueConstraint("artifacts_component_version", ["component", "version"])
        .addCheckConstraint("artifacts_dropped_boolean", sql`dropped in (0, 1)`)
        .execute();
      await db.schema.createIndex("artifacts_train_id").on("artifacts").column("train_id").execute();

      await db.schema
        .createTable("manifest_items")
        .addColumn("train_id", "text", (c) => c.notNull().references("trains.id"))
        .addColumn("component", "text", (c) => c.notNull())
        .addColumn("version", "text", (c) => c.notNull())
        .addColumn("artifact_id", "text", (c) => c.notNull())
        .addColumn("previous_version", "text")
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("reason", "text")
        .addColumn("revision", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("manifest_items_pk", ["train_id", "component"])
        .execute();

      await db.schema
        .createTable("steps")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("train_id", "text", (c) => c.notNull().references("trains.id"))
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("attempt", "integer", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("idempotency_key", "text", (c) => c.notNull())
        .addColumn("started_at", "text", (c) => c.notNull())
        .addColumn("finished_at", "text")
        .addColumn("output", "text")
        .addColumn("error", "text")
        .addColumn("duration_ms", "integer")
        .addColumn("event_id", eventId, (c) => c.notNull())
        .addUniqueConstraint("steps_train_id_key_attempt", ["train_id", "key", "attempt"])
        .execute();
      await db.schema.createIndex("steps_status").on("steps").column("status").execute();

      await db.schema
        .createTable("gate_results")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("train_id", "text", (c) => c.notNull().references("trains.id"))
        .addColumn("stage", "text", (c) => c.notNull())
        .addColumn("gate", "text", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("attempt", "integer", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("output", "text", (c) => c.notNull())
        .addColumn("duration_ms", "integer", (c) => c.notNull())
        .addColumn("evaluated_at", "text", (c) => c.notNull())
        .addColumn("event_id", eventId, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("gate_results_train_id").on("gate_results").column("train_id").execute();

      await db.schema
        .createTable("approvals")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("train_id", "text", (c) => c.notNull().references("trains.id"))
        .addColumn("approver", "text", (c) => c.notNull())
        .addColumn("decision", "text", (c) => c.notNull())
        .addColumn("comment", "text")
        .addColumn("manifest_revision", "integer", (c) => c.notNull())
        .addColumn("decided_at", "text", (c) => c.notNull())
        .addColumn("event_id", eventId, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("approvals_train_id").on("approvals").column("train_id").execute();

      await db.schema
        .createTable("deployments")
        .addColumn("environment", "text", (c) => c.notNull())
        .addColumn("component", "text", (c) => c.notNull())
        .addColumn("version", "text", (c) => c.notNull())
        .addColumn("train_id", "text", (c) => c.notNull().references("trains.id"))
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("deployments_pk", ["environment", "component"])
        .execute();

      await db.schema
        .createTable("tokens")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("hash", "text", (c) => c.notNull().unique())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("subject", "text", (c) => c.notNull())
        .addColumn("roles", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text")
        .addColumn("revoked_at", "text")
        .addColumn("last_used_at", "text")
        .execute();

      await db.schema
        .createTable("settings")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "text", (c) => c.notNull())
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of [
        "settings",
        "tokens",
        "deployments",
        "approvals",
        "gate_results",
        "steps",
        "manifest_items",
        "artifacts",
        "trains",
        "chain_head",
        "events",
      ]) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
