/**
 * Measures a line's error ratio for the post-release comparison (M5): the line's
 * `measure.errorRate` query, or else the ratio of its `errorBudget` SLO (`bad / total`, or
 * `1 − good / total`), with `{window}` filled in, as instant queries at a past time.
 */
import type { RailyardConfig } from "../../domain/config/schema.js";
import { parseDuration } from "../../domain/duration.js";
import { errorRatioOf, formatRatio } from "../../domain/slo/burn.js";
import { fillWindow } from "../../domain/slo/promql-window.js";
import type { ErrorRateProbe } from "../../engine/ports.js";
import type { PrometheusClient } from "./client.js";
import { clientForSource } from "./source.js";

export interface ErrorRateProbeOptions {
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
    throw new Error(`${query} returned ${result.series.length} series: aggregate it with sum(...)`);
  }
  return result.series[0]?.values.at(-1)?.[1] ?? null;
}

/**
 * The error-rate probe. `errorRate(line, at, window)` answers null (with the reason) when the line
 * has neither `measure.errorRate` nor `errorBudget`, or the query returned no data (no series, or
 * no requests: 0 / 0).
 * @throws (from `errorRate`) when the Prometheus source is not configured or cannot be queried,
 *   or a query returns several series
 */
export function createErrorRateProbe(options: ErrorRateProbeOptions): ErrorRateProbe {
  const clientOf = (config: RailyardConfig, sourceName: string): PrometheusClient => {
    const source = config.prometheus[sourceName];
    if (!source) throw new Error(`no Prometheus "${sourceName}": add it under \`prometheus:\``);
    const made = clientForSource(
      sourceName,
      source,
      options.env ?? process.env,
      parseDuration(source.timeout),
      options.fetch,
    );
    if ("problem" in made) throw new Error(made.problem);
    return made.client;
  };
  return {
    async errorRate(line, at, window) {
      const config = options.config();
      const lineConfig = config.lines[line];
      const measure = lineConfig?.measure;
      if (measure?.errorRate !== undefined) {
        const query = fillWindow(measure.errorRate, window);
        const ratio = single(await clientOf(config, measure.source).query(query, at), query);
        if (ratio === null || Number.isNaN(ratio)) {
          return { ratio: null, detail: `no data for ${query} at ${at.toISOString()}` };
        }
        return { ratio, detail: `${query} = ${formatRatio(ratio)} at ${at.toISOString()}` };
      }
      const policy = lineConfig?.errorBudget;
      if (!policy) return { ratio: null, detail: `line ${line} has no measure.errorRate and no errorBudget` };
      const slo = config.slos[policy.slo];
      if (!slo) throw new Error(`no SLO "${policy.slo}" (line ${line} errorBudget.slo)`);
      const client = clientOf(config, slo.source);
      const kind = slo.bad !== undefined ? "bad" : "good";
      const numeratorQuery = fillWindow((slo.bad ?? slo.good) as string, window);
      const totalQuery = fillWindow(slo.total, window);
      const [numerator, total] = await Promise.all([
        client.query(numeratorQuery, at),
        client.query(totalQuery, at),
      ]);
      const ratio = errorRatioOf(
        { kind, value: single(numerator, numeratorQuery) },
        single(total, totalQuery),
      );
      if (ratio === null || Number.isNaN(ratio)) {
        return {
          ratio: null,
          detail: `no events of SLO ${policy.slo} over ${window} at ${at.toISOString()}`,
        };
      }
      return {
        ratio,
        detail: `SLO ${policy.slo} error ratio ${formatRatio(ratio)} over ${window} at ${at.toISOString()}`,
      };
    },
  };
}
