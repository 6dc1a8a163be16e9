/**
 * The `StoreWriter` handed to `Store.transaction` callbacks: every read and write goes through
 * the one transaction.
 */
import type { Kysely } from "kysely";
import type { NewEvent, StoredEvent } from "../domain/events.js";
import type { AuditCheckpoint, Instant, SessionRecord, TokenRecord } from "../domain/model.js";
import type {
  NotificationAttemptUpdate,
  NotificationEnqueue,
  StoreWriter,
  TrainFactRecord,
} from "../engine/ports.js";
import type { Database } from "./database.js";
import { StoreError } from "./errors.js";
import type { EventAppender, HeadClaim } from "./event-appender.js";
import {
  claimNotification,
  enqueueNotifications,
  recordNotificationAttempt,
} from "./notifications-outbox.js";
import { fromToken } from "./row-mapping.js";
import { KyselyStoreReader } from "./store-reader.js";
import { putTrainFactsIn } from "./train-facts.js";

/** Implements {@link StoreWriter} inside one Kysely transaction. */
export class KyselyStoreWriter extends KyselyStoreReader implements StoreWriter {
  constructor(
    tx: Kysely<Database>,
    private readonly appender: EventAppender,
    private readonly claim: HeadClaim,
  ) {
    super(tx);
  }

  append(events: NewEvent[], time: Instant): Promise<StoredEvent[]> {
    return this.appender.append(this.db, this.claim, events, time);
  }

  /** @throws {StoreError} when the train does not exist. */
  async setWakeAt(trainId: string, wakeAt: Instant | null): Promise<void> {
    await setWakeAt(this.db, trainId, wakeAt);
  }

  async insertToken(token: TokenRecord & { hash: string }): Promise<void> {
    await this.db.insertInto("tokens").values(fromToken(token)).execute();
  }

  /** @throws {StoreError} when the token does not exist. */
  async touchToken(id: string, at: Instant): Promise<void> {
    const result = await this.db
      .updateTable("tokens")
      .set({ last_used_at: at })
      .where("id", "=", id)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new StoreError(`cannot touch token ${id}: no such token`);
  }

  async insertSession(session: SessionRecord): Promise<void> {
    await this.db
      .insertInto("sessions")
      .values({
        id_hash: session.idHash,
        csrf_hash: session.csrfHash,
        token_id: session.tokenId,
        subject: session.subject,
        roles: JSON.stringify(session.roles),
        created_at: session.createdAt,
        expires_at: session.expiresAt,
        revoked_at: session.revokedAt,
      })
      .execute();
  }

  async revokeSession(idHash: string, at: Instant): Promise<boolean> {
    const result = await this.db
      .updateTable("sessions")
      .set({ revoked_at: at })
      .where("id_hash", "=", idHash)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async claimWebhookDelivery(provider: string, keys: string[], at: Instant): Promise<string | null> {
    if (keys.length === 0) return null;
    const seen = await this.db
      .selectFrom("webhook_deliveries")
      .select("key")
      .where("provider", "=", provider)
      .where("key", "in", keys)
      .executeTakeFirst();
    if (seen) return seen.key;
    const unique = [...new Set(keys)];
    // A concurrent twin may commit the same key between the read and this insert: skip it here
    // and report the replay; the caller's transaction then records nothing.
    const inserted = await this.db
      .insertInto("webhook_deliveries")
      .values(unique.map((key) => ({ provider, key, received_at: at })))
      .onConflict((conflict) => conflict.columns(["provider", "key"]).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? BigInt(unique.length)) < unique.length) return unique[0]!;
    return null;
  }

  async pruneWebhookDeliveries(before: Instant): Promise<number> {
    const result = await this.db
      .deleteFrom("webhook_deliveries")
      .where("received_at", "<", before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async insertCheckpoint(checkpoint: AuditCheckpoint): Promise<void> {
    await this.db
      .insertInto("audit_checkpoints")
      .values({
        event_id: checkpoint.eventId,
        hash: checkpoint.hash,
        signed_at: checkpoint.signedAt,
        key_id: checkpoint.keyId,
        signature: checkpoint.signature,
      })
      .onConflict((conflict) => conflict.column("event_id").doNothing())
      .execute();
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.db
      .insertInto("settings")
      .values({ key, value })
      .onConflict((conflict) => conflict.column("key").doUpdateSet({ value }))
      .execute();
  }

  async putTrainFacts(rows: readonly TrainFactRecord[]): Promise<void> {
    await putTrainFactsIn(this.db, rows);
  }

  enqueueNotifications(rows: NotificationEnqueue[]): Promise<number> {
    return enqueueNotifications(this.db, rows);
  }

  claimNotification(id: string, due: Instant, leaseUntil: Instant): Promise<boolean> {
    return claimNotification(this.db, id, due, leaseUntil);
  }

  /** @throws {StoreError} when the notification does not exist. */
  recordNotificationAttempt(id: string, update: NotificationAttemptUpdate): Promise<void> {
    return recordNotificationAttempt(this.db, id, update);
  }

  async putReportContent(reportId: string, content: string): Promise<void> {
    await this.db
      .insertInto("report_contents")
      .values({ report_id: reportId, content })
      .onConflict((conflict) => conflict.column("report_id").doNothing())
      .execute();
  }
}

/**
 * Sets when the reconciler next looks at a train.
 * @throws {StoreError} when the train does not exist.
 */
export async function setWakeAt(
  db: Kysely<Database>,
  trainId: string,
  wakeAt: Instant | null,
): Promise<void> {
  const result = await db
    .updateTable("trains")
    .set({ wake_at: wakeAt })
    .where("id", "=", trainId)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n)
    throw new StoreError(`cannot set wake-up of train ${trainId}: no such train`);
}
