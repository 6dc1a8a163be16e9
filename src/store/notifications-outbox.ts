/**
 * The notification outbox (`notifications` table): rows are inserted once per deduplication key
 * (INSERT … ON CONFLICT DO NOTHING), taken for one attempt at a time with a lease, and carry
 * their delivery record. Same SQL on SQLite and PostgreSQL.
 */
import type { Kysely, Selectable } from "kysely";
import type {
  NotificationAttemptUpdate,
  NotificationEnqueue,
  NotificationFilter,
  NotificationRecord,
  NotificationStatus,
} from "../engine/ports.js";
import type { Database, NotificationsTable } from "./database.js";
import { StoreError } from "./errors.js";

function toRecord(row: Selectable<NotificationsTable>): NotificationRecord {
  return {
    id: row.id,
    channel: row.channel,
    kind: row.kind as NotificationRecord["kind"],
    topic: row.topic,
    trainId: row.train_id,
    line: row.line,
    severity: row.severity,
    message: JSON.parse(row.payload) as NotificationRecord["message"],
    status: row.status as NotificationStatus,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
    lastError: row.last_error,
    eventId: row.event_id === null ? null : Number(row.event_id),
  };
}

/** Inserts the rows whose id is new; returns how many were inserted. */
export async function enqueueNotifications(
  db: Kysely<Database>,
  rows: NotificationEnqueue[],
): Promise<number> {
  let inserted = 0;
  for (const row of rows) {
    const result = await db
      .insertInto("notifications")
      .values({
        id: row.id,
        channel: row.channel,
        kind: row.kind,
        topic: row.topic,
        train_id: row.trainId,
        line: row.line,
        severity: row.severity,
        payload: JSON.stringify(row.message),
        status: "pending",
        attempts: 0,
        next_attempt_at: row.nextAttemptAt,
        created_at: row.createdAt,
        delivered_at: null,
        last_error: null,
        event_id: row.eventId,
      })
      .onConflict((conflict) => conflict.column("id").doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return inserted;
}

/** Pending rows with `next_attempt_at ≤ now`, oldest due first. */
export async function dueNotifications(
  db: Kysely<Database>,
  now: string,
  limit: number,
): Promise<NotificationRecord[]> {
  const rows = await db
    .selectFrom("notifications")
    .selectAll()
    .where("status", "=", "pending")
    .where("next_attempt_at", "<=", now)
    .orderBy("next_attempt_at")
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}

/** Rows matching `filter`, newest first. */
export async function listNotifications(
  db: Kysely<Database>,
  filter: NotificationFilter = {},
): Promise<NotificationRecord[]> {
  let query = db.selectFrom("notifications").selectAll();
  if (filter.status) query = query.where("status", "=", filter.status);
  if (filter.channel) query = query.where("channel", "=", filter.channel);
  if (filter.trainId) query = query.where("train_id", "=", filter.trainId);
  const rows = await query
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(filter.limit ?? 100)
    .execute();
  return rows.map(toRecord);
}

/** One row by id. */
export async function getNotification(
  db: Kysely<Database>,
  id: string,
): Promise<NotificationRecord | undefined> {
  const row = await db.selectFrom("notifications").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toRecord(row);
}

/** Moves a pending row's `next_attempt_at` from `due` to `leaseUntil`; false when it was taken meanwhile. */
export async function claimNotification(
  db: Kysely<Database>,
  id: string,
  due: string,
  leaseUntil: string,
): Promise<boolean> {
  const result = await db
    .updateTable("notifications")
    .set({ next_attempt_at: leaseUntil })
    .where("id", "=", id)
    .where("status", "=", "pending")
    .where("next_attempt_at", "=", due)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Records an attempt (or a retry by a person) on a row.
 * @throws {StoreError} when there is no such row.
 */
export async function recordNotificationAttempt(
  db: Kysely<Database>,
  id: string,
  update: NotificationAttemptUpdate,
): Promise<void> {
  const result = await db
    .updateTable("notifications")
    .set({
      status: update.status,
      attempts: update.attempts,
      next_attempt_at: update.nextAttemptAt,
      ...(update.deliveredAt !== undefined ? { delivered_at: update.deliveredAt } : {}),
      ...(update.lastError !== undefined ? { last_error: update.lastError } : {}),
    })
    .where("id", "=", id)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) {
    throw new StoreError(`cannot record a delivery attempt of notification ${id}: no such notification`);
  }
}
