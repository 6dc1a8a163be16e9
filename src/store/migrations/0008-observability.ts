/**
 * Metrics, incidents and notifications (issue 8). Only additions:
 * - `incidents` gains `severity`, `source`, `started_at` (the alert's start; MTTR counts from it),
 *   `component`, `environment` and `labels` (JSON); `incident_alerts` holds the alerts grouped
 *   into an incident (one row per Alertmanager fingerprint), projected from `incident.alert`.
 * - `train_facts`: one row per train, the facts the release metrics (M1–M10, DORA) are computed
 *   from, folded from the event log up to `last_event_id` (see `docs/design/metrics.md`). Not a
 *   projection written with the events: the metrics book folds new events after a cursor
 *   (`settings.metrics.cursor`), so ingest pays nothing for it.
 * - `notifications`: the outbox of messages to channels (Slack, CloudEvents webhooks, email),
 *   keyed by a deduplication key; delivery attempts are recorded on the row.
 */
import type { Kysely, Migration } from "kysely";
import type { StoreDialect } from "../database.js";

/** Builds migration `0008-observability` for `dialect`. */
export function observabilityMigration(dialect: StoreDialect): Migration {
  const eventId = dialect === "sqlite" ? "integer" : "bigint";
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable("incidents")
        .addColumn("severity", "text", (c) => c.notNull().defaultTo("critical"))
        .execute();
      await db.schema
        .alterTable("incidents")
        .addColumn("source", "text", (c) => c.notNull().defaultTo("rollback"))
        .execute();
      await db.schema.alterTable("incidents").addColumn("started_at", "text").execute();
      await db.schema.alterTable("incidents").addColumn("component", "text").execute();
      await db.schema.alterTable("incidents").addColumn("environment", "text").execute();
      await db.schema.alterTable("incidents").addColumn("labels", "text").execute();
      await db.schema
        .createTable("incident_alerts")
        .addColumn("incident_id", "text", (c) => c.notNull())
        .addColumn("fingerprint", "text", (c) => c.notNull())
        .addColumn("alertname", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("severity", "text", (c) => c.notNull())
        .addColumn("labels", "text", (c) => c.notNull())
        .addColumn("starts_at", "text", (c) => c.notNull())
        .addColumn("ends_at", "text")
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("event_id", eventId, (c) => c.notNull())
        .addPrimaryKeyConstraint("incident_alerts_pk", ["incident_id", "fingerprint"])
        .execute();
      await db.schema
        .createIndex("incident_alerts_fingerprint")
        .on("incident_alerts")
        .columns(["fingerprint", "status"])
        .execute();
      await db.schema
        .createTable("train_facts")
        .addColumn("train_id", "text", (c) => c.primaryKey())
        .addColumn("line", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("ended_at", "text")
        .addColumn("last_event_id", eventId, (c) => c.notNull())
        .addColumn("fact", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("train_facts_line")
        .on("train_facts")
        .columns(["line", "created_at"])
        .execute();
      await db.schema
        .createTable("notifications")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("channel", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("topic", "text", (c) => c.notNull())
        .addColumn("train_id", "text")
        .addColumn("line", "text")
        .addColumn("severity", "text", (c) => c.notNull())
        .addColumn("payload", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("next_attempt_at", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("delivered_at", "text")
        .addColumn("last_error", "text")
        .addColumn("event_id", eventId)
        .execute();
      await db.schema
        .createIndex("notifications_due")
        .on("notifications")
        .columns(["status", "next_attempt_at"])
        .execute();
    },
  };
}
