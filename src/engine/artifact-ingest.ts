/**
 * Group commit for artifact pushes, the writes CI sends in bursts.
 *
 * A durable commit costs an fsync; one transaction per push caps ingest at the disk's fsync rate.
 * So pushes that arrive while a batch is being written wait, and the next batch records all of
 * them with one `Store.appendArtifacts` call: one transaction, one COMMIT. On a SQLite file that
 * call runs on the store's writer thread, so the main thread keeps serving HTTP meanwhile.
 *
 * Each push is planned first, on the main thread, holding its lock key (the line's): it checks
 * what it asked for, picks its train (creating trains in their own transaction if the timetable
 * needs new ones) and builds its event. A push that fails its own checks fails alone. The store
 * then appends the batch in order, skipping component versions that exist (also ones recorded
 * earlier in the same batch), and each push builds its answer from what the store did, which may
 * still refuse it alone (the same version with another commit). If the batch's transaction fails
 * as a whole, every push of it is planned and written again alone, so only the one at fault fails.
 */
import type { Instant } from "../domain/model.js";
import type { KeyedMutex } from "./keyed-mutex.js";
import type { ArtifactAppend, ArtifactAppendResult, Clock, Store } from "./ports.js";

/** A push ready to be recorded, and how to answer once the store has recorded (or skipped) it. */
export interface PlannedPush<T> extends ArtifactAppend {
  /** Builds the answer; may throw to refuse the push (e.g. the version exists with another commit). */
  answer(result: ArtifactAppendResult): T;
}

/** Plans a push at the batch's instant; throws to refuse it before anything is written. */
export type PushPlan<T> = (now: Date) => Promise<PlannedPush<T>>;

export interface ArtifactIngestOptions {
  /** Most pushes recorded in one transaction. @default 128 */
  maxBatch?: number;
  /** Called with the keys of a batch whose transaction failed, so callers drop their caches. */
  onFailure?: (keys: readonly string[]) => void;
}

interface Unit {
  key: string;
  plan: PushPlan<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class ArtifactIngest {
  readonly #maxBatch: number;
  readonly #onFailure: (keys: readonly string[]) => void;
  #queue: Unit[] = [];
  #draining = false;

  constructor(
    private readonly store: Store,
    private readonly locks: KeyedMutex,
    private readonly clock: Clock,
    options: ArtifactIngestOptions = {},
  ) {
    this.#maxBatch = options.maxBatch ?? 128;
    this.#onFailure = options.onFailure ?? (() => {});
  }

  /**
   * Plans and records a push under the lock `key` in the next batch; resolves with its answer
   * once the batch committed.
   * @throws what the plan or the answer throws, or the store's error when the push's own
   *   transaction fails
   */
  submit<T>(key: string, plan: PushPlan<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ key, plan, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#draining) {
        this.#draining = true;
        // After the I/O of this turn of the event loop, so requests read together batch together.
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      // One batch at a time: pipelining batches was measured to make them smaller and slower.
      await this.#write(this.#queue.splice(0, this.#maxBatch));
      // Let the requests that arrived during the write reach `submit` and join the next batch.
      if (this.#queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
    }
    this.#draining = false;
  }

  /** Plans, records and answers one batch, holding its lines' keys. Never throws. */
  async #write(batch: Unit[]): Promise<void> {
    const keys = [...new Set(batch.map((unit) => unit.key))].sort();
    let retry: Unit[] = [];
    await this.#locked(keys, async () => {
      const now = this.clock.now();
      const plans: Array<{ unit: Unit; push: PlannedPush<unknown> }> = [];
      for (const unit of batch) {
        try {
          plans.push({ unit, push: await unit.plan(now) });
        } catch (error) {
          unit.reject(error);
        }
      }
      if (plans.length === 0) return;
      let results: ArtifactAppendResult[];
      try {
        results = await this.store.appendArtifacts(
          plans.map(({ push }) => ({
            component: push.component,
            version: push.version,
            events: push.events,
          })),
          now.toISOString() as Instant,
        );
      } catch (error) {
        this.#failed(keys);
        if (plans.length === 1) plans[0]!.unit.reject(error);
        else retry = plans.map((p) => p.unit);
        return;
      }
      for (const [i, { unit, push }] of plans.entries()) {
        try {
          unit.resolve(push.answer(results[i]!));
        } catch (error) {
          unit.reject(error);
        }
      }
    });
    // The batch failed as a whole: find the push at fault by recording each alone.
    for (const unit of retry) await this.#write([unit]);
  }

  #failed(keys: readonly string[]): void {
    try {
      this.#onFailure(keys);
    } catch {
      // A failing listener must not leave the batch's pushes unanswered.
    }
  }

  /** Runs `fn` holding every key, taken in sorted order (one batch at a time: no deadlock). */
  #locked<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    return keys.reduceRight<() => Promise<T>>((inner, key) => () => this.locks.run(key, inner), fn)();
  }
}
