/**
 * Boarding and dependencies (issue 4):
 * - `manifest_items.depends_on`: the constraints of the version each item carries, so a released
 *   manifest keeps the constraints of every version it shipped (items frozen earlier get `[]`:
 *   their constraints were not recorded);
 * - `artifacts.ci`: the CI status a push carried, if any;
 * - `ci_statuses`: the latest CI status per repository, commit and source (webhooks);
 * - `pins`: components held at their production version until unpinned;
 * - `artifact_reports` and `report_contents`: reports pushed for an artifact (kind detected by
 *   content) and their bytes, which the event log names by SHA-256 but does not carry;
 * - `test_reports`: JUnit results CI posted for a train's integration stage.
 *
 * Only additions: the same statements run on SQLite and PostgreSQL.
 */
import type { Kysely, Migration } from "kysely";
import type { StoreDialect } from "../database.js";

/** Builds migration `0003-boarding` for `dialect`. */
export function boardingMigration(dialect: StoreDialect): Migration {
  const eventId = dialect === "sqlite" ? "integer" : "bigint";
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable("manifest_items")
        .addColumn("depends_on", "text", (c) => c.notNull().defaultTo("[]"))
        .execute();
      await db.schema.alterTable("artifacts").addColumn("ci", "text").execute();

      await db.schema
        .createTable("ci_statuses")
        .addColumn("repository", "text", (c) => c.notNull())
        .addColumn("commit_sha", "text", (c) => c.notNull())
        .addColumn("provider", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("conclusion", "text")
        .addColumn("url", "text")
        .addColumn("ref", "text")
        .addColumn("reported_at", "text", (c) => c.notNull())
        .addColumn("event_id", eventId, (c) => c.notNull())
        .addPrimaryKeyConstraint("ci_statuses_pk", ["repository", "commit_sha", "provider", "name"])
        .execute();

      await db.schema
        .createTable("pins")
        .addColumn("component", "text", (c) => c.primaryKey())
        .addColumn("line", "text", (c) => c.notNull())
        .addColumn("version", "text")
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("pinned_at", "text", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("artifact_reports")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("artifact_id", "text", (c) => c.notNull().references("artifacts.id"))
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("format", "text", (c) => c.notNull())
        .addColumn("name", "text")
        .addColumn("sha256", "text", (c) => c.notNull())
        .addColumn("size", "integer", (c) => c.notNull())
        .addColumn("received_at", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("event_id", eventId, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("artifact_reports_artifact")
        .on("artifact_reports")
        .column("artifact_id")
        .execute();
      await db.schema
        .createTable("report_contents")
        .addColumn("report_id", "text", (c) => c.primaryKey())
        .addColumn("content", "text", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("test_reports")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("train_id", "text", (c) => c.notNull().references("trains.id"))
        .addColumn("revision", "integer", (c) => c.notNull())
        .addColumn("suite", "text", (c) => c.notNull())
        .addColumn("summary", "text", (c) => c.notNull())
        .addColumn("cases", "text", (c) => c.notNull())
        .addColumn("received_at", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("event_id", eventId, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("test_reports_train")
        .on("test_reports")
        .columns(["train_id", "revision"])
        .execute();
    },
  };
}
