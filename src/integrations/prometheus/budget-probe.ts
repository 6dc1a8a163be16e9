/**
 * Measures how fast a line's error-budget SLO burns, for the error-budget policy: the SLI's error
 * ratio over the policy's window (`bad / total`, or `1 − good / total`), divided by the budget
 * `1 − objective`. Two instant queries at the same evaluation time.
 */
import { burnRate, formatRatio } from "../../domain/slo/burn.js";
import type { BudgetProbe, BurnReading, SloBurnProbe } from "../../engine/ports.js";
import { type ProbeOptions, probeClient, sloErrorRatio } from "./source.js";

/** What {@link createBudgetProbe} is built with. */
export type BudgetProbeOptions = ProbeOptions;

/** The error ratio of the line's errorBudget SLO over `window`, asked at `at`. */
async function measure(
  options: BudgetProbeOptions,
  line: string,
  window: string,
  at: Date,
): Promise<BurnReading & { slo: string }> {
  const config = options.config();
  const policy = config.lines[line]?.errorBudget;
  if (!policy) throw new Error(`line ${line} has no errorBudget`);
  const slo = config.slos[policy.slo];
  if (!slo) throw new Error(`no SLO "${policy.slo}"`);
  const ratio = await sloErrorRatio(probeClient(options, config, slo.source), slo, window, at);
  if (ratio === null || Number.isNaN(ratio)) {
    return { slo: policy.slo, burnRate: null, detail: `no events of SLO ${policy.slo} over ${window}` };
  }
  return {
    slo: policy.slo,
    burnRate: burnRate(slo.objective, ratio),
    detail: `error ratio ${formatRatio(ratio)} against a budget of ${formatRatio(1 - slo.objective)}`,
  };
}

/**
 * The error-budget probe: `burn` measures over the policy's window now; `burnBetween` over a past
 * stretch (postmortems: an incident's start to its recovery), one instant query at its end with a
 * window of its length (whole seconds, at least 1s).
 */
export function createBudgetProbe(options: BudgetProbeOptions): BudgetProbe & SloBurnProbe {
  return {
    async burn(line: string): Promise<BurnReading> {
      const policy = options.config().lines[line]?.errorBudget;
      if (!policy) throw new Error(`line ${line} has no errorBudget`);
      const { slo: _slo, ...reading } = await measure(options, line, policy.over, new Date());
      return reading;
    },
    async burnBetween(line: string, from: Date, to: Date) {
      const seconds = Math.max(1, Math.round((to.getTime() - from.getTime()) / 1000));
      return measure(options, line, `${seconds}s`, to);
    },
  };
}
