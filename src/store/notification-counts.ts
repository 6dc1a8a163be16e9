/**
 * Counts of the notification outbox and of trains, grouped the way `/metrics` reports them:
 * one small `GROUP BY` each, so a scrape costs two queries however long the history is.
 */
import type { Kysely } from "kysely";
import type { NotificationCount, TrainCount } from "../engine/ports.js";
import type { Database } from "./database.js";

/**
 * Rows of the `notifications` outbox per channel and status (`pending`, `delivered`, `failed`),
 * ordered by channel then status. Read-only; pairs without rows are absent.
 */
export async function countNotifications(db: Kysely<Database>): Promise<NotificationCount[]> {
  const rows = await db
    .selectFrom("notifications")
    .select(["channel", "status", (eb) => eb.fn.countAll<number | string | bigint>().as("count")])
    .groupBy(["channel", "status"])
    .orderBy("channel")
    .orderBy("status")
    .execute();
  return rows.map((row) => ({ channel: row.channel, status: row.status, count: Number(row.count) }));
}

/**
 * Trains per line and state (terminal states included), ordered by line then state. Read-only;
 * pairs without trains are absent.
 */
export async function countTrains(db: Kysely<Database>): Promise<TrainCount[]> {
  const rows = await db
    .selectFrom("trains")
    .select(["line", "state", (eb) => eb.fn.countAll<number | string | bigint>().as("count")])
    .groupBy(["line", "state"])
    .orderBy("line")
    .orderBy("state")
    .execute();
  return rows.map((row) => ({
    line: row.line,
    state: row.state as TrainCount["state"],
    count: Number(row.count),
  }));
}
