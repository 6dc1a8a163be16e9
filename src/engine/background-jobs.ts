/**
 * Work the engine does besides reconciling trains, on the same beat: folding new events into
 * the release metrics, matching alerts to trains, routing and delivering notifications,
 * measuring released trains. Each job is idempotent and durable on its own (it keeps a cursor or
 * keys in the store), so running it twice, or on two replicas, repeats nothing.
 *
 * Jobs run one after another, in the order they were added, after each reconciler tick (tests
 * and the simulated clock call {@link BackgroundJobs.runAll}); on the real clock they also run
 * on a timer. A job that throws is logged and tried again on the next beat; it never stops the
 * others.
 */
import type { Logger } from "./ports.js";

/** One piece of background work; `run` does whatever is due now and returns. */
export interface BackgroundJob {
  /** For logs, e.g. `notifications`. */
  readonly name: string;
  run(): Promise<void>;
}

export class BackgroundJobs {
  readonly #jobs: BackgroundJob[] = [];
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #stopped = true;

  constructor(private readonly logger: Logger) {}

  /** Adds a job; jobs run in the order they were added. */
  add(job: BackgroundJob): void {
    this.#jobs.push(job);
  }

  /** Runs every job once, in order; a second call while one runs waits for it and runs again. */
  async runAll(): Promise<void> {
    while (this.#running) await this.#running;
    const round = this.#round();
    this.#running = round;
    try {
      await round;
    } finally {
      this.#running = null;
    }
  }

  async #round(): Promise<void> {
    for (const job of this.#jobs) {
      try {
        await job.run();
      } catch (error) {
        this.logger.error(
          { err: error, job: job.name },
          `background job ${job.name} failed; retrying at the next beat`,
        );
      }
    }
  }

  /** Runs the jobs every `intervalMs` of real time until {@link stop}. */
  start(intervalMs: number): void {
    this.#stopped = false;
    const beat = () => {
      this.#timer = null;
      if (this.#stopped) return;
      this.runAll().finally(() => {
        if (!this.#stopped) this.#timer = setTimeout(beat, intervalMs).unref();
      });
    };
    this.#timer = setTimeout(beat, intervalMs).unref();
  }

  /** Stops the timer and waits for a round in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    while (this.#running) await this.#running;
  }
}
