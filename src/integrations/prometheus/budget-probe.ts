/**
 * Measures how fast a line's error-budget SLO burns, for the error-budget policy: the SLI's error
 * ratio over the policy's window (`bad / total`, or `1 − good / total`), divided by the budget
 * `1 − objective`. Two instant queries at the same evaluation time.
 */
import type { RailyardConfig } from "../../domain/config/schema.js";
import { parseDuration } from "../../domain/duration.js";
import { burnRate, errorRatioOf, formatRatio } from "../../domain/slo/burn.js";
import { fillWindow } from "../../domain/slo/promql-window.js";
import type { BudgetProbe, BurnReading } from "../../engine/ports.js";
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

export function createBudgetProbe(options: BudgetProbeOptions): BudgetProbe {
  return {
    async burn(line: string): Promise<BurnReading> {
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
      const numeratorQuery = fillWindow((slo.bad ?? slo.good)!, policy.over);
      const totalQuery = fillWindow(slo.total, policy.over);
      const at = new Date();
      const [numerator, total] = await Promise.all([
        made.client.query(numeratorQuery, at),
        made.client.query(totalQuery, at),
      ]);
      const ratio = errorRatioOf(
        { kind, value: single(numerator, numeratorQuery) },
        single(total, totalQuery),
      );
      if (ratio === null || Number.isNaN(ratio)) {
        return { burnRate: null, detail: `no events of SLO ${policy.slo} over ${policy.over}` };
      }
      return {
        burnRate: burnRate(slo.objective, ratio),
        detail: `error ratio ${formatRatio(ratio)} against a budget of ${formatRatio(1 - slo.objective)}`,
      };
    },
  };
}
