/**
 * The error-budget policy (a line's `errorBudget`): while the line's SLO burns faster than
 * `pauseAbove`, its trains do not start production waves (`decide` pauses them with cause
 * `budget`), and they resume by themselves once it burns slower. Readings are kept per line for
 * `checkEvery`, so a pass over many trains queries Prometheus once per line. A burn that cannot
 * be measured pauses nothing: the policy stops trains on evidence, never on its absence.
 */
import { formatDuration, parseDuration } from "../domain/duration.js";
import type { BudgetStatus } from "../domain/reconcile.js";
import type { EngineContext } from "./context.js";

interface Reading {
  status: BudgetStatus;
  /** Until when it holds (epoch ms, the engine's clock). */
  until: number;
}

export class BudgetWatch {
  readonly #readings = new Map<string, Reading>();

  constructor(private readonly ctx: EngineContext) {}

  /** The policy's answer for `line` now; undefined when the line has no `errorBudget`. */
  async status(line: string, now: number): Promise<BudgetStatus | undefined> {
    const policy = this.ctx.config().line(line).errorBudget;
    const probe = this.ctx.budget;
    if (!policy || !probe) return undefined;
    const cached = this.#readings.get(line);
    if (cached && now < cached.until) return cached.status;
    const every = parseDuration(policy.checkEvery);
    let status: BudgetStatus = { ok: true };
    try {
      const reading = await probe.burn(line);
      if (reading.burnRate !== null && reading.burnRate > policy.pauseAbove) {
        status = {
          ok: false,
          reason: `error budget of SLO ${policy.slo} burning ${reading.burnRate.toFixed(1)}x over ${formatDuration(parseDuration(policy.over))} (pauses above ${policy.pauseAbove}x): ${reading.detail}`,
          recheckAt: now + every,
        };
      }
    } catch (error) {
      this.ctx.logger.warn(
        { line, slo: policy.slo, err: error },
        "error budget burn could not be measured; the budget policy pauses nothing",
      );
    }
    this.#readings.set(line, { status, until: now + every });
    return status;
  }

  /** Forgets every reading (after a configuration reload). */
  clear(): void {
    this.#readings.clear();
  }
}
