/**
 * Appends events to the hash chain: assigns ids after the chain head, computes the hashes,
 * moves the head, inserts the events and applies their projections, all in the caller's
 * transaction.
 *
 * The head (last id and hash) is cached per store so an append normally costs no read: the
 * `chain_head` update is a compare-and-set on the cached head. When it matches no row, another
 * transaction or another process appended since; the head is then read under a lock (`FOR UPDATE`
 * on PostgreSQL; SQLite transactions hold the write lock from `BEGIN IMMEDIATE`) and the batch
 * is chained again. On PostgreSQL the compare-and-set itself waits for a concurrent appender to
 * commit, so appenders queue on the head row and ids stay consecutive.
 */
import type { Kysely } from "kysely";
import { canonicalJson } from "../domain/canonical-json.js";
import type { NewEvent, StoredEvent } from "../domain/events.js";
import type { Instant } from "../domain/model.js";
import type { Database, EventsTable, StoreDialect } from "./database.js";
import { ChainHeadConflictError, InvalidInstantError, ProjectionError, StoreError } from "./errors.js";
import { eventHashFromPayloadJson } from "./event-hash.js";
import type { Projector } from "./projector.js";
import { QueryTemplate } from "./query-template.js";

/** The last event of the chain. */
export interface ChainHead {
  lastId: number;
  lastHash: string;
}

/** What one transaction did to the chain head, so the store can update its cache after it ends. */
export class HeadClaim {
  /** The head as this transaction found it, before its first append. */
  before: ChainHead | undefined;
  /** The head after this transaction's last append; the transaction holds the head row. */
  after: ChainHead | undefined;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Rows per multi-row insert, well under both databases' limits on bound parameters. */
const INSERT_BATCH = 500;

interface HeadSwap {
  lastId: number;
  lastHash: string;
  expectedId: number;
  expectedHash: string;
}

/** Appends events for one store; holds the cached head and precompiled queries. */
export class EventAppender {
  #cachedHead: ChainHead | undefined;
  readonly #swapHead: QueryTemplate<HeadSwap>;
  readonly #insertEvent: QueryTemplate<EventsTable>;

  /** @param db the store's root handle, used to compile queries. */
  constructor(
    db: Kysely<Database>,
    private readonly dialect: StoreDialect,
    private readonly projector: Projector,
  ) {
    this.#swapHead = new QueryTemplate((slot) =>
      db
        .updateTable("chain_head")
        .set({ last_id: slot("lastId"), last_hash: slot("lastHash") })
        .where("id", "=", 1)
        .where("last_id", "=", slot("expectedId"))
        .where("last_hash", "=", slot("expectedHash")),
    );
    this.#insertEvent = new QueryTemplate((slot) =>
      db.insertInto("events").values({
        id: slot("id"),
        train_id: slot("train_id"),
        type: slot("type"),
        actor: slot("actor"),
        payload: slot("payload"),
        time: slot("time"),
        prev_hash: slot("prev_hash"),
        hash: slot("hash"),
      }),
    );
  }

  /**
   * Appends `events` at `time` in the transaction `tx`; `claim` carries the head between the
   * appends of one transaction.
   * @throws {InvalidInstantError} when `time` is not like `2026-01-06T09:00:00.000Z`.
   * @throws {NonCanonicalValueError} when a payload holds a value JSON cannot carry.
   * @throws {ProjectionError} when an event cannot be projected (see `Projector.apply`).
   */
  async append(
    tx: Kysely<Database>,
    claim: HeadClaim,
    events: NewEvent[],
    time: Instant,
  ): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    if (!INSTANT.test(time)) throw new InvalidInstantError(time);
    const payloads = events.map((event) => canonicalJson(event.payload));

    let head = claim.after ?? this.#cachedHead ?? (await this.#readHead(tx));
    let chained = chain(events, payloads, head, time);
    if (!(await this.#swap(tx, head, chained.head))) {
      if (claim.after !== undefined) {
        throw new ChainHeadConflictError(
          `chain_head changed inside a transaction that holds it (expected event ${head.lastId}): ` +
            "something outside Railyard writes the chain_head table",
        );
      }
      head = await this.#readHead(tx);
      chained = chain(events, payloads, head, time);
      if (!(await this.#swap(tx, head, chained.head))) {
        throw new ChainHeadConflictError(`chain_head changed while locked (expected event ${head.lastId})`);
      }
    }
    claim.before ??= head;
    claim.after = chained.head;

    if (chained.rows.length === 1) {
      await this.#insertEvent.run(tx, chained.rows[0]!);
    } else {
      for (let start = 0; start < chained.rows.length; start += INSERT_BATCH) {
        await tx
          .insertInto("events")
          .values(chained.rows.slice(start, start + INSERT_BATCH))
          .execute();
      }
    }
    for (const event of chained.events) {
      try {
        await this.projector.apply(tx, event);
      } catch (error) {
        if (error instanceof StoreError) throw error;
        const detail = error instanceof Error ? error.message : String(error);
        throw new ProjectionError(event.type, event.id, detail, { cause: error });
      }
    }
    return chained.events;
  }

  /** Called when a transaction committed: its head is now the chain's. */
  committed(claim: HeadClaim): void {
    if (claim.after !== undefined) this.#cachedHead = claim.after;
  }

  /** Called when a transaction rolled back: the head is back where the transaction found it. */
  rolledBack(claim: HeadClaim): void {
    if (claim.before !== undefined) this.#cachedHead = claim.before;
  }

  async #swap(tx: Kysely<Database>, from: ChainHead, to: ChainHead): Promise<boolean> {
    const result = await this.#swapHead.run(tx, {
      lastId: to.lastId,
      lastHash: to.lastHash,
      expectedId: from.lastId,
      expectedHash: from.lastHash,
    });
    return result.numAffectedRows === 1n;
  }

  async #readHead(tx: Kysely<Database>): Promise<ChainHead> {
    let query = tx.selectFrom("chain_head").select(["last_id", "last_hash"]).where("id", "=", 1);
    if (this.dialect === "postgres") query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (row === undefined) {
      throw new StoreError(
        "the chain_head row is missing: the database was not created by Railyard's migrations",
      );
    }
    return { lastId: Number(row.last_id), lastHash: row.last_hash };
  }
}

function chain(
  events: NewEvent[],
  payloads: string[],
  head: ChainHead,
  time: Instant,
): { events: StoredEvent[]; rows: EventsTable[]; head: ChainHead } {
  const stored: StoredEvent[] = [];
  const rows: EventsTable[] = [];
  let { lastId, lastHash } = head;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    const payload = payloads[i]!;
    const id = lastId + 1;
    const hash = eventHashFromPayloadJson({
      id,
      trainId: event.trainId,
      type: event.type,
      actor: event.actor,
      payloadJson: payload,
      time,
      prevHash: lastHash,
    });
    rows.push({
      id,
      train_id: event.trainId,
      type: event.type,
      actor: event.actor,
      payload,
      time,
      prev_hash: lastHash,
      hash,
    });
    stored.push({
      id,
      trainId: event.trainId,
      type: event.type,
      actor: event.actor,
      payload: event.payload,
      time,
      prevHash: lastHash,
      hash,
    } as StoredEvent);
    lastId = id;
    lastHash = hash;
  }
  return { events: stored, rows, head: { lastId, lastHash } };
}
