/**
 * Group commit for the writes CI sends in bursts (artifact pushes).
 *
 * A durable commit costs an fsync, and on SQLite that fsync blocks the only thread: one
 * transaction per push caps ingest at the disk's fsync rate (a few thousand per second at best,
 * a few hundred on a busy virtual disk). So units of work that arrive while a transaction is
 * being written wait, and the next transaction writes all of them: one `BEGIN`, one `COMMIT`,
 * one fsync. Each unit still runs its own reads and checks and appends its own events, in
 * arrival order, seeing the writes of the units before it exactly as if they had run one after
 * another.
 *
 * Failure stays per unit:
 * - a unit that rejects its input (throws a {@link RailyardError}) before writing anything fails
 *   alone with that error, and the batch goes on;
 * - any other error, or a user error thrown after the unit wrote, rolls the whole transaction
 *   back; every unit of the batch is then run again alone, in its own transaction, so only the
 *   unit at fault fails.
 */
import { RailyardError } from "./errors.js";
import type { KeyedMutex } from "./keyed-mutex.js";
import type { Store, StoreReader, StoreWriter } from "./ports.js";

/** One unit of work: reads, checks and appends through `tx`, a transaction it may share. */
export type BatchWork<T> = (tx: StoreWriter) => Promise<T>;

/** Options of {@link IngestBatcher}. */
export interface IngestBatcherOptions {
  /**
   * Most units written in one transaction; the rest wait for the next one. Bounds how long a
   * transaction holds the write lock (and, on SQLite, the event loop).
   * @default 128
   */
  maxBatch?: number;
  /**
   * Called with the lock keys of a transaction that wrote and then rolled back, so callers can
   * drop what they cached from its writes. What it throws is ignored.
   * @default does nothing
   */
  onRollback?: (keys: readonly string[]) => void;
}

interface Unit {
  key: string;
  work: BatchWork<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** The methods of {@link StoreWriter} that write; the compiler insists every one is listed. */
const WRITES: Record<Exclude<keyof StoreWriter, keyof StoreReader>, true> = {
  append: true,
  setWakeAt: true,
  insertToken: true,
  touchToken: true,
  setSetting: true,
};

/** `tx`, telling `onWrite` when one of its writing methods is called. */
function watchWrites(tx: StoreWriter, onWrite: () => void): StoreWriter {
  return new Proxy(tx, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      if (Object.hasOwn(WRITES, property)) onWrite();
      return value.bind(target);
    },
  });
}

/**
 * Writes units of work in shared transactions (group commit), each under its lock key of the
 * engine's {@link KeyedMutex}: a batch holds the keys of all its units (taken in sorted order),
 * so work under one of those keys never interleaves with a unit holding it, just as if each unit
 * had taken its key for its own transaction. One batch is written at a time.
 */
export class IngestBatcher {
  readonly #maxBatch: number;
  readonly #onRollback: (keys: readonly string[]) => void;
  #queue: Unit[] = [];
  /** True while a batch is scheduled or being written. */
  #draining = false;

  constructor(
    private readonly store: Store,
    private readonly locks: KeyedMutex,
    options: IngestBatcherOptions = {},
  ) {
    this.#maxBatch = options.maxBatch ?? 128;
    this.#onRollback = options.onRollback ?? (() => {});
  }

  /**
   * Runs `work` under the lock `key` in the next transaction and resolves with what it
   * returned once that transaction committed.
   *
   * A {@link RailyardError} that `work` throws before its first write is its own answer and does
   * not touch the other units of the batch. Any other error, or one thrown after a write, rolls
   * the batch back, and every unit of it runs again alone in its own transaction.
   * @throws what `work` throws, or the store's error when its transaction cannot commit
   */
  submit<T>(key: string, work: BatchWork<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ key, work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#draining) {
        this.#draining = true;
        // After the I/O of this turn of the event loop, so requests read together batch together.
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      await this.#write(batch);
      // Let the requests that arrived during the write reach `submit` and join the next batch.
      if (this.#queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
    }
    this.#draining = false;
  }

  /** Writes one batch and settles each unit; never throws. */
  async #write(batch: Unit[]): Promise<void> {
    const keys = [...new Set(batch.map((unit) => unit.key))].sort();
    let outcomes: Outcome[];
    try {
      outcomes = await this.#locked(keys, () => this.store.transaction((tx) => this.#runAll(tx, batch)));
    } catch (error) {
      this.#rolledBack(keys);
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // Something failed that a unit's own checks did not catch: find it by running each alone.
      for (const unit of batch) await this.#writeAlone(unit);
      return;
    }
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.ok) batch[i]!.resolve(outcome.value);
      else batch[i]!.reject(outcome.error);
    }
  }

  async #runAll(tx: StoreWriter, batch: Unit[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    for (const unit of batch) {
      let wrote = false;
      try {
        const value = await unit.work(
          watchWrites(tx, () => {
            wrote = true;
          }),
        );
        outcomes.push({ ok: true, value });
      } catch (error) {
        // A rejected unit that wrote nothing leaves the transaction as it found it.
        if (wrote || !(error instanceof RailyardError)) throw error;
        outcomes.push({ ok: false, error });
      }
    }
    return outcomes;
  }

  async #writeAlone(unit: Unit): Promise<void> {
    let wrote = false;
    try {
      const value = await this.locks.run(unit.key, () =>
        this.store.transaction((tx) =>
          unit.work(
            watchWrites(tx, () => {
              wrote = true;
            }),
          ),
        ),
      );
      unit.resolve(value);
    } catch (error) {
      if (wrote) this.#rolledBack([unit.key]);
      unit.reject(error);
    }
  }

  #rolledBack(keys: readonly string[]): void {
    try {
      this.#onRollback(keys);
    } catch {
      // A failing listener must not leave the batch's units unanswered.
    }
  }

  /**
   * Runs `fn` holding every key, taken in the order given. Keys are sorted, one batch is written
   * at a time, and nothing else in the engine holds two of these keys at once, so this never
   * deadlocks.
   */
  #locked<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    return keys.reduceRight<() => Promise<T>>((inner, key) => () => this.locks.run(key, inner), fn)();
  }
}
