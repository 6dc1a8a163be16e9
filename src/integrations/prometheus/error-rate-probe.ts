/**
 * Measures a line's error ratio for the post-release comparison (M5): the line's
 * `measure.errorRate` query, or else the ratio of its `errorBudget` SLO (`bad / total`, or
 * `1 − good / total`), with `{window}` filled in, as instant queries at a past time.
 */
import { formatRatio } from "../../domain/slo/burn.js";
import { fillWindow } from "../../domain/slo/promql-window.js";
import type { ErrorRateProbe } from "../../engine/ports.js";
import { type ProbeOptions, probeClient, singleValue, sloErrorRatio } from "./source.js";

/** What {@link createErrorRateProbe} is built with. */
export type ErrorRateProbeOptions = ProbeOptions;

/**
 * The error-rate probe. `errorRate(line, at, window)` answers null (with the reason) when the line
 * has neither `measure.errorRate` nor `errorBudget`, or the query returned no data (no series, or
 * no requests: 0 / 0).
 * @throws (from `errorRate`) when the Prometheus source is not configured or cannot be queried,
 *   or a query returns several series
 */
export function createErrorRateProbe(options: ErrorRateProbeOptions): ErrorRateProbe {
  return {
    async errorRate(line, at, window) {
      const config = options.config();
      const lineConfig = config.lines[line];
      const measure = lineConfig?.measure;
      if (measure?.errorRate !== undefined) {
        const query = fillWindow(measure.errorRate, window);
        const ratio = singleValue(await probeClient(options, config, measure.source).query(query, at), query);
        if (ratio === null || Number.isNaN(ratio)) {
          return { ratio: null, detail: `no data for ${query} at ${at.toISOString()}` };
        }
        return { ratio, detail: `${query} = ${formatRatio(ratio)} at ${at.toISOString()}` };
      }
      const policy = lineConfig?.errorBudget;
      if (!policy) return { ratio: null, detail: `line ${line} has no measure.errorRate and no errorBudget` };
      const slo = config.slos[policy.slo];
      if (!slo) throw new Error(`no SLO "${policy.slo}" (line ${line} errorBudget.slo)`);
      const ratio = await sloErrorRatio(probeClient(options, config, slo.source), slo, window, at);
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
