/**
 * Measures how fast a line's error-budget SLO burns, for the error-budget policy: the SLI's error
 * ratio over the policy's window (`bad / total`, or `1 − good / total`), divided by the budget
 * `1 − objective`. Two instant queries at the same evaluation time.
 */
import type { RailyardConfig } from "../../domain/config/schema.js";
import { parseDuration } from "../../domain/duration.js";
import { burnRate, errorRatioOf, formatRatio } from "../../domain/slo/burn.js";
import { fillWindow } from "../../domain/slo/promql-window.js";
import type { BudgetProbe, BurnReading, SloBurnProbe } from "../../engine/ports.js";
import { clientForSource } from "./source.js";

export interface BudgetProbeOptions {
  /** The configuration in force (read on every measurement, so reloads apply). */
  config: () => RailyardConfig;
  /** Where `headersFromEnv` are read. @default process.env */
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
}

/** The single value of an instant query, or null without series. */
function single(
  result: { series: Array<{ values: Array<[number, number]> }> },
  query: string,
): number | null {
  if (result.series.length === 0) return null;
  if (result.series.length > 1) {
    throw new Error(`${query} returned ${result.series.length} series: aggregate the SLI with sum(...)`);
  }
  return result.series[0]!.values.at(-1)?.[1] ?? null;
}

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
  const source = config.prometheus[slo.source];
  if (!source) throw new Error(`no Prometheus "${slo.source}"`);
  const made = clientForSource(
    slo.source,
    source,
    options.env ?? process.env,
    parseDuration(source.timeout),
    options.fetch,
  );
  if ("problem" in made) throw new Error(made.problem);
  const kind = slo.bad !== undefined ? "bad" : "good";
  const numeratorQuery = fillWindow((slo.bad ?? slo.good)!, window);
  const totalQuery = fillWindow(slo.total, window);
  const [numerator, total] = await Promise.all([
    made.client.query(numeratorQuery, at),
    made.client.query(totalQuery, at),
  ]);
  const ratio = errorRatioOf({ kind, value: single(numerator, numeratorQuery) }, single(total, totalQuery));
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
