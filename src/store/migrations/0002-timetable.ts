/**
 * Timetables, windows, blackouts and hotfix trains (issue 3):
 * - `trains` gains `scheduled_at` (the timetable's instant; null for hotfix trains), `pause_cause`
 *   and `resume_at` (why a train is paused and when the engine resumes it);
 * - a train's number and scheduled instant are unique among the line's *regular* trains only: a
 *   hotfix train shares the number of the train it follows and departs whenever it is started;
 * - `train_exceptions` (a person let a train deploy through a blackout);
 * - `calendar_events` (the iCalendar feed's SEQUENCE per event).
 *
 * Existing trains were all regular and numbered by the timetable's departures, so their
 * `scheduled_at` is their `departure_at`; a train paused before this migration was paused by a
 * person. SQLite cannot drop a table's unique constraint, so it rebuilds `trains` (the documented
 * twelve steps of https://www.sqlite.org/lang_altertable.html, in one transaction with foreign
 * keys off); PostgreSQL alters it in the migrator's transaction.
 *
 * There is no `down`: once hotfix trains exist, the old constraints cannot hold again.
 */
import { type Kysely, type Migration, sql } from "kysely";
import type { StoreDialect } from "../database.js";

const TRAIN_COLUMNS = [
  "id",
  "line",
  "number",
  "kind",
  "state",
  "resume_to",
  "reason",
  "cutoff_at",
  "departure_at",
  "manifest_revision",
  "current_wave",
  "wave_deployed_at",
  "wake_at",
  "created_at",
  "updated_at",
  "ended_at",
] as const;

/** Builds migration `0002-timetable` for `dialect`. */
export function timetableMigration(dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect === "sqlite") await rebuildSqliteTrains(db);
      else await alterPostgresTrains(db);
      await createNewTables(db);
    },
  };
}

async function trainIndexes(db: Kysely<unknown>): Promise<void> {
  await sql`create unique index trains_regular_number on trains (line, number) where kind = 'scheduled'`.execute(
    db,
  );
  // NULL (hotfix trains) never equals NULL in a unique index, on both databases.
  await sql`create unique index trains_regular_scheduled_at on trains (line, scheduled_at)`.execute(db);
  await sql`create index trains_line_departure_at_idx on trains (line, departure_at)`.execute(db);
}

async function alterPostgresTrains(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("trains")
    .addColumn("scheduled_at", "text")
    .addColumn("pause_cause", "text")
    .addColumn("resume_at", "text")
    .execute();
  await sql`update trains set scheduled_at = departure_at where kind = 'scheduled'`.execute(db);
  await sql`update trains set pause_cause = 'manual' where state = 'paused'`.execute(db);
  await db.schema.alterTable("trains").dropConstraint("trains_line_departure_at").execute();
  await db.schema.alterTable("trains").dropConstraint("trains_line_number").execute();
  await trainIndexes(db);
}

async function rebuildSqliteTrains(db: Kysely<unknown>): Promise<void> {
  // Kysely runs SQLite migrations outside a transaction on one connection; foreign keys can only
  // be switched off outside a transaction, so the rebuild opens its own.
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin immediate`.execute(db);
    try {
      await db.schema
        .createTable("trains_0002")
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
        .addColumn("scheduled_at", "text")
        .addColumn("pause_cause", "text")
        .addColumn("resume_at", "text")
        .execute();
      const columns = sql.join(TRAIN_COLUMNS.map((c) => sql.ref(c)));
      await sql`insert into trains_0002 (${columns}, scheduled_at, pause_cause, resume_at)
        select ${columns},
          case when kind = 'scheduled' then departure_at else null end,
          case when state = 'paused' then 'manual' else null end,
          null
        from trains`.execute(db);
      await sql`drop table trains`.execute(db);
      await sql`alter table trains_0002 rename to trains`.execute(db);
      await db.schema.createIndex("trains_wake_at").on("trains").column("wake_at").execute();
      await db.schema.createIndex("trains_state").on("trains").column("state").execute();
      await trainIndexes(db);
      const broken = await sql<Record<string, unknown>>`pragma foreign_key_check`.execute(db);
      if (broken.rows.length > 0) {
        throw new Error(
          `rebuilding trains would break ${broken.rows.length} foreign key(s), e.g. ${JSON.stringify(broken.rows[0])}`,
        );
      }
      await sql`commit`.execute(db);
    } catch (error) {
      await sql`rollback`.execute(db);
      throw error;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

async function createNewTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("train_exceptions")
    .addColumn("train_id", "text", (c) => c.notNull().references("trains.id"))
    .addColumn("blackout", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("granted_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("train_exceptions_pk", ["train_id", "blackout"])
    .execute();
  await db.schema
    .createTable("calendar_events")
    .addColumn("uid", "text", (c) => c.primaryKey())
    .addColumn("fingerprint", "text", (c) => c.notNull())
    .addColumn("sequence", "integer", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
}
