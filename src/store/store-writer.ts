/**
 * The `StoreWriter` handed to `Store.transaction` callbacks: every read and write goes through
 * the one transaction.
 */
import type { Kysely } from "kysely";
import type { NewEvent, StoredEvent } from "../domain/events.js";
import type { Instant, TokenRecord } from "../domain/model.js";
import type { StoreWriter } from "../engine/ports.js";
import type { Database } from "./database.js";
import { StoreError } from "./errors.js";
import type { EventAppender, HeadClaim } from "./event-appender.js";
import { fromToken } from "./row-mapping.js";
import { KyselyStoreReader } from "./store-reader.js";

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

  async setSetting(key: string, value: string): Promise<void> {
    await this.db
      .insertInto("settings")
      .values({ key, value })
      .onConflict((conflict) => conflict.column("key").doUpdateSet({ value }))
      .execute();
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
