/**
 * The store over Kysely, for SQLite and PostgreSQL alike: reads through the root handle,
 * writes through transactions, the event log as the source of truth.
 */
import type { Kysely } from "kysely";
import type { NewEvent, StoredEvent } from "../domain/events.js";
import type { Instant } from "../domain/model.js";
import { TERMINAL_STATES } from "../domain/train-state.js";
import type {
  ArtifactAppend,
  ArtifactAppendResult,
  ChainVerification,
  EventFilter,
  Store,
  StoreWriter,
} from "../engine/ports.js";
import { appendArtifactsIn } from "./append-artifacts.js";
import { calendarSequencesIn } from "./calendar-sequences.js";
import type { Database, StoreDialect } from "./database.js";
import { EventAppender, HeadClaim } from "./event-appender.js";
import { Projector } from "./projector.js";
import type { SqliteWriterThread } from "./sqlite-writer-thread.js";
import { KyselyStoreReader } from "./store-reader.js";
import { KyselyStoreWriter, setWakeAt } from "./store-writer.js";
import { verifyChainInDatabase } from "./verify-chain.js";

/**
 * Implements {@link Store} over a migrated Kysely database. Create it with `openStore`, which
 * opens the database and runs the migrations; this class assumes both were done.
 */
export class KyselyStore extends KyselyStoreReader implements Store {
  readonly #appender: EventAppender;
  readonly #writer: SqliteWriterThread | undefined;
  #closed: Promise<void> | undefined;

  /** @param writer a SQLite writer thread for `appendArtifacts` (else batches run here) */
  constructor(
    db: Kysely<Database>,
    readonly dialect: StoreDialect,
    writer?: SqliteWriterThread,
  ) {
    super(db);
    this.#writer = writer;
    this.#appender = new EventAppender(db, dialect, new Projector(db));
  }

  /**
   * The Kysely handle, for tests and tools that need SQL the store does not offer. Writing
   * `events` or `chain_head` through it breaks the audit chain.
   */
  get kysely(): Kysely<Database> {
    return this.db;
  }

  /**
   * Runs `fn` in one transaction. Inside `fn`, read and write only through `tx`: on SQLite the
   * store has one connection, so a call on the store itself would wait for `fn` to end. On
   * SQLite the transaction takes the write lock when it begins (`BEGIN IMMEDIATE`).
   * @throws whatever `fn` throws, after rolling back.
   */
  async transaction<T>(fn: (tx: StoreWriter) => Promise<T>): Promise<T> {
    const claim = new HeadClaim();
    try {
      const result = await this.db
        .transaction()
        .execute((tx) => fn(new KyselyStoreWriter(tx, this.#appender, claim)));
      this.#appender.committed(claim);
      return result;
    } catch (error) {
      this.#appender.rolledBack(claim);
      throw error;
    }
  }

  appendArtifacts(items: ArtifactAppend[], time: Instant): Promise<ArtifactAppendResult[]> {
    // A writer thread that died leaves the batches to this thread's connection.
    if (this.#writer?.alive) return this.#writer.appendArtifacts(items, time);
    return appendArtifactsIn(this, items, time);
  }

  append(events: NewEvent[], time: Instant): Promise<StoredEvent[]> {
    if (events.length === 0) return Promise.resolve([]);
    return this.transaction((tx) => tx.append(events, time));
  }

  /** @throws {StoreError} when the train does not exist. */
  setWakeAt(trainId: string, wakeAt: Instant | null): Promise<void> {
    return setWakeAt(this.db, trainId, wakeAt);
  }

  async wakeAllActive(now: Instant): Promise<number> {
    const result = await this.db
      .updateTable("trains")
      .set({ wake_at: now })
      .where("state", "not in", [...TERMINAL_STATES])
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  verifyChain(): Promise<ChainVerification> {
    return verifyChainInDatabase(this.db);
  }

  calendarSequences(
    entries: ReadonlyArray<{ uid: string; fingerprint: string }>,
    at: Instant,
  ): Promise<Map<string, number>> {
    if (entries.length === 0) return Promise.resolve(new Map());
    return this.db.transaction().execute((tx) => calendarSequencesIn(tx, entries, at));
  }

  /**
   * Streams events matching `filter`, oldest first, reading `pageSize` per query (keyset paging
   * on id, so a long export neither holds a transaction nor skips events).
   * @param pageSize @default 500
   */
  async *streamEvents(filter: Omit<EventFilter, "limit"> = {}, pageSize = 500): AsyncIterable<StoredEvent> {
    let afterId = filter.afterId ?? 0;
    for (;;) {
      const page = await this.listEvents({ ...filter, afterId, limit: pageSize });
      yield* page;
      if (page.length < pageSize) return;
      afterId = page[page.length - 1]!.id;
    }
  }

  /** Closes the database (ends the PostgreSQL pool). Calling it again does nothing. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.#writer?.close();
      await this.db.destroy();
    })();
    return this.#closed;
  }
}
