/**
 * The post-release error-rate comparison (M5), background job `measure`. For each released train
 * of a line with an error-rate query (`measure.errorRate`, or its `errorBudget` SLO's ratio), once
 * `releasedAt + window` has passed on the engine's clock, it asks the line's error ratio over
 * `window` ending when the first production wave started ("before") and over `window` ending at
 * `releasedAt + window` ("after"), and appends `release.measured` (actor system) once per train:
 * the check that none exists is made in the same transaction as the append, so two replicas
 * measuring at once record one.
 *
 * A query that fails, or answers no data, is tried again on later beats (at most once a
 * {@link RETRY_EVERY_MS}) until `releasedAt + window` + {@link GIVE_UP_AFTER_MS}, so a brief
 * Prometheus outage loses nothing; then the train is recorded with null values and the reason.
 * The work list comes from the metrics book (released trains whose facts have no measurement).
 */
import type { RailyardConfig } from "../domain/config/schema.js";
import { parseDuration } from "../domain/duration.js";
import { SYSTEM_ACTOR } from "../domain/events.js";
import type { BackgroundJob } from "./background-jobs.js";
import type { UnmeasuredRelease } from "./metrics-book.js";
import type { Clock, ErrorRateProbe, Logger, Store } from "./ports.js";

/** How long after `releasedAt + window` a measurement without data is still tried again (1 hour). */
export const GIVE_UP_AFTER_MS = 3_600_000;
/** The least time between two attempts at one train's measurement (1 minute). */
export const RETRY_EVERY_MS = 60_000;
/** Trains measured at most per run, so a line that gains a query does not flood Prometheus. @default 20 */
const PER_RUN = 20;

export interface ReleaseMeasurerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  probe: ErrorRateProbe;
  /** The configuration in force. */
  config: () => RailyardConfig;
  /** The released trains not measured yet, after folding what is new (the metrics book). */
  releases: () => Promise<UnmeasuredRelease[]>;
}

/** Another replica recorded the measurement first (rolls this one's append back). */
class AlreadyMeasured extends Error {}

/** What one measurement came to: both ratios, or null and why. */
interface Reading {
  ratio: number | null;
  detail: string;
}

export class ReleaseMeasurer implements BackgroundJob {
  readonly name = "measure";
  /** Per train: not before this (epoch ms, engine clock), after a failed or empty attempt. */
  readonly #nextAttempt = new Map<string, number>();

  constructor(private readonly options: ReleaseMeasurerOptions) {}

  /** The window a line's trains are measured over; undefined: the line has no error-rate query. */
  windowOf(line: string): string | undefined {
    const config = this.options.config().lines[line];
    if (!config) return undefined;
    if (config.measure?.errorRate !== undefined) return config.measure.window;
    if (config.errorBudget) return config.measure?.window ?? "1h";
    return undefined;
  }

  /** Measures every train that is due; see the module comment. Never throws for one train's failure. */
  async run(): Promise<void> {
    const now = this.options.clock.now().getTime();
    let done = 0;
    for (const release of await this.options.releases()) {
      if (done >= PER_RUN) break;
      const window = this.windowOf(release.line);
      if (window === undefined) continue;
      const windowMs = parseDuration(window);
      const releasedMs = Date.parse(release.releasedAt);
      if (now < releasedMs + windowMs) continue;
      if (now < (this.#nextAttempt.get(release.trainId) ?? 0)) continue;
      done += 1;
      await this.#measure(release, window, windowMs, now);
    }
  }

  async #measure(release: UnmeasuredRelease, window: string, windowMs: number, now: number): Promise<void> {
    const { probe, logger } = this.options;
    const releasedMs = Date.parse(release.releasedAt);
    const giveUpAt = releasedMs + windowMs + GIVE_UP_AFTER_MS;
    const giveUp = now >= giveUpAt;
    const ask = async (at: Date): Promise<Reading> => {
      try {
        return await probe.errorRate(release.line, at, window);
      } catch (error) {
        return { ratio: null, detail: error instanceof Error ? error.message : String(error) };
      }
    };
    if (release.departedAt === null) {
      await this.#record(release, window, null, null, "the train never started a production wave");
      return;
    }
    const [before, after] = await Promise.all([
      ask(new Date(release.departedAt)),
      ask(new Date(releasedMs + windowMs)),
    ]);
    if ((before.ratio === null || after.ratio === null) && !giveUp) {
      // The last attempt is made at the limit itself, however recent the one before.
      this.#nextAttempt.set(release.trainId, Math.min(now + RETRY_EVERY_MS, giveUpAt));
      logger.warn(
        { trainId: release.trainId, line: release.line, before: before.detail, after: after.detail },
        "post-release error rate not measured yet; trying again later",
      );
      return;
    }
    const detail = `before (${window} to ${release.departedAt}): ${before.detail}; after (${window} to ${new Date(releasedMs + windowMs).toISOString()}): ${after.detail}`;
    await this.#record(release, window, before.ratio, after.ratio, detail);
  }

  async #record(
    release: UnmeasuredRelease,
    window: string,
    before: number | null,
    after: number | null,
    detail: string,
  ): Promise<void> {
    const at = this.options.clock.now().toISOString();
    const measured = { trainId: release.trainId, types: ["release.measured" as const] };
    try {
      await this.options.store.transaction(async (tx) => {
        if ((await tx.listEvents({ ...measured, limit: 1 })).length > 0) return;
        await tx.append(
          [
            {
              type: "release.measured",
              trainId: release.trainId,
              actor: SYSTEM_ACTOR,
              payload: { window, before, after, detail },
            },
          ],
          at,
        );
        // Appending holds the chain's head until commit, so a replica that appended first has
        // committed by now and its event is visible: then this one is rolled back.
        if ((await tx.listEvents({ ...measured, limit: 2 })).length > 1) throw new AlreadyMeasured();
      });
    } catch (error) {
      if (!(error instanceof AlreadyMeasured)) throw error;
    }
    this.#nextAttempt.delete(release.trainId);
  }
}
