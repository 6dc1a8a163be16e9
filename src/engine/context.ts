/**
 * What the engine's parts share: the ports, the current configuration, per-train locks and a
 * way to ask for another reconciliation pass.
 */
import type { KeyedMutex } from "./keyed-mutex.js";
import type { BudgetProbe, Clock, Failpoint, GateRunner, Logger, Store } from "./ports.js";
import type { RuntimeConfig } from "./runtime-config.js";

export interface EngineContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly gates: GateRunner;
  /** Measures error-budget burn for lines with an `errorBudget` (absent: the policy is off). */
  readonly budget?: BudgetProbe;
  readonly failpoint: Failpoint;
  readonly locks: KeyedMutex;
  /** The configuration in force now (swapped atomically on reload). */
  config(): RuntimeConfig;
  /** Asks the reconciler for a pass soon. */
  wake(): void;
}

/** Now as a stored instant. */
export function nowInstant(ctx: Pick<EngineContext, "clock">): string {
  return ctx.clock.now().toISOString();
}
