/**
 * Signs the head of the audit log's hash chain (its latest event id and hash) every
 * `audit.checkpointEvery` of the engine's clock, when events were appended since the last
 * checkpoint, and once more on a clean shutdown. Checkpoints go to `audit_checkpoints`; someone
 * who later rewrites the events (and recomputes their hashes) cannot re-sign them without the key.
 * Without a key the signer does nothing.
 */
import { checkpointDue } from "../domain/audit-checkpoint.js";
import type { StoredEvent } from "../domain/events.js";
import type { AuditCheckpoint, Instant } from "../domain/model.js";
import { type AuditPublicKey, type AuditSigningKey, signCheckpoint } from "./audit-keys.js";
import type { Clock, Logger, Store, StoreReader } from "./ports.js";

export interface AuditSignerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** The signing key; without one no checkpoint is signed. */
  key?: AuditSigningKey | undefined;
  /** Engine-clock milliseconds between checkpoints, read at every tick so a reload applies. */
  every: () => number;
}

/** Signs checkpoints of the chain head on the engine's clock. */
export class AuditSigner {
  readonly #options: AuditSignerOptions;
  /** The last checkpoint: loaded from the store on first use. */
  #last: { eventId: number; signedAt: Instant } | null | undefined;
  /** When signing started (the cadence counts from here until there is a checkpoint). */
  #since: Instant | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | null = null;

  constructor(options: AuditSignerOptions) {
    this.#options = options;
  }

  /** Whether a key is configured (else checkpoints are off). */
  get enabled(): boolean {
    return this.#options.key !== undefined;
  }

  /** The public half of the signing key, to check signatures with; undefined when checkpoints are off. */
  get publicKey(): AuditPublicKey | undefined {
    const key = this.#options.key;
    return key && { keyId: key.keyId, publicKey: key.publicKey };
  }

  /** The signing key (the export route seals with it); undefined when checkpoints are off. */
  get key(): AuditSigningKey | undefined {
    return this.#options.key;
  }

  /**
   * Signs the chain head when a checkpoint is due on the engine's clock and events were appended
   * since the last one. Calls never overlap.
   * @returns the new checkpoint, or null when none was due (or checkpoints are off)
   */
  tick(): Promise<AuditCheckpoint | null> {
    return this.#serial(() => this.#sign(false));
  }

  /** Signs the chain head now if events were appended since the last checkpoint (shutdown). */
  flush(): Promise<AuditCheckpoint | null> {
    return this.#serial(() => this.#sign(true));
  }

  /** Checks every `intervalMs` real milliseconds whether a checkpoint is due (the background tick). */
  start(intervalMs: number): void {
    if (this.#timer) return;
    const key = this.#options.key;
    if (!key) {
      this.#options.logger.info({}, "audit checkpoints are off: no signing key (audit.signingKeyFromEnv)");
      return;
    }
    this.#options.logger.info(
      { key_id: key.keyId, every_ms: this.#options.every() },
      "audit checkpoints on: the chain head is signed on the engine's clock",
    );
    this.#timer = setInterval(() => {
      this.tick().catch((error: unknown) =>
        this.#options.logger.error({ err: error }, "audit checkpoint failed; retrying at the next tick"),
      );
    }, intervalMs);
    this.#timer.unref?.();
  }

  /** Stops the background tick and signs the events appended since the last checkpoint. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    if (!this.enabled) return;
    try {
      await this.flush();
    } catch (error) {
      this.#options.logger.error({ err: error }, "audit checkpoint at shutdown failed");
    }
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(fn, fn);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #sign(force: boolean): Promise<AuditCheckpoint | null> {
    const key = this.#options.key;
    if (!key) return null;
    const { store, clock, logger } = this.#options;
    const now = clock.now();
    if (this.#last === undefined) {
      const checkpoints = await store.listCheckpoints();
      const last = checkpoints.at(-1);
      this.#last = last ? { eventId: last.eventId, signedAt: last.signedAt } : null;
      this.#since = now.toISOString();
    }
    const lastSignedId = this.#last?.eventId ?? 0;
    // Cheap test first: the head is only looked up when the cadence has come round.
    if (
      !force &&
      !checkpointDue({
        now: now.getTime(),
        lastSignedAt: this.#last?.signedAt ?? null,
        since: this.#since!,
        every: this.#options.every(),
      })
    ) {
      return null;
    }
    const head = await chainHead(store, lastSignedId);
    if (head === undefined) return null; // nothing appended since the last checkpoint
    const checkpoint = signCheckpoint(key, {
      eventId: head.id,
      hash: head.hash,
      signedAt: now.toISOString(),
    });
    await store.transaction((tx) => tx.insertCheckpoint(checkpoint));
    this.#last = { eventId: checkpoint.eventId, signedAt: checkpoint.signedAt };
    logger.info(
      { event_id: checkpoint.eventId, key_id: checkpoint.keyId, signed_at: checkpoint.signedAt },
      "audit checkpoint signed",
    );
    return checkpoint;
  }
}

/**
 * The newest event after `afterId`, or undefined when there is none: found with a galloping
 * then binary search over "is there an event with id ≥ n", so it costs O(log n) small queries
 * instead of reading every event since `afterId`.
 */
export async function chainHead(store: StoreReader, afterId = 0): Promise<StoredEvent | undefined> {
  const atLeast = async (id: number) => (await store.listEvents({ afterId: id - 1, limit: 1 })).length > 0;
  if (!(await atLeast(afterId + 1))) return undefined;
  let low = afterId + 1; // some event has an id ≥ low
  let step = 1;
  let high: number; // no event has an id ≥ high
  for (;;) {
    const probe = low + step;
    if (await atLeast(probe)) {
      low = probe;
      step *= 2;
    } else {
      high = probe;
      break;
    }
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (await atLeast(middle)) low = middle;
    else high = middle;
  }
  const [head] = await store.listEvents({ afterId: low - 1, limit: 1 });
  return head;
}
