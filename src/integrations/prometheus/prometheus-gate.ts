/**
 * The prometheus gate: evaluates a PromQL instant query `count` times `interval` apart and judges
 * each answer against the gate's condition, as an Argo Rollouts AnalysisTemplate metric does. The
 * query as sent, every measurement (time, values with their labels, outcome) and the verdict are
 * the gate's evidence.
 */

import type { PrometheusGateConfig, PrometheusSourceConfig } from "../../domain/config/schema.js";
import { formatDuration, parseDuration } from "../../domain/duration.js";
import {
  type AnalysisLimits,
  type AnalysisStatus,
  analysisStatus,
  type Condition,
  formatLabels,
  formatValue,
  type JudgedMeasurement,
  measure,
  parseCondition,
  summarizeAnalysis,
} from "../../domain/gates/prometheus-analysis.js";
import type { GateContext, GateOutcome } from "../../engine/ports.js";
import { abortableDelay } from "../backoff.js";
import { fillPlaceholders } from "../placeholders.js";
import { PrometheusError, type PrometheusSeries } from "./client.js";
import { clientForSource, gateTimer, unknownSourceMessage } from "./source.js";

export interface PrometheusGateOptions {
  /** The configuration's `prometheus` map: sources by name. */
  sources: Record<string, PrometheusSourceConfig>;
  /** Where a source's `headersFromEnv` values are read. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Waits between measurements; rejects with the signal's reason when it aborts. @default abortableDelay */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The time recorded for each measurement. @default () => new Date() */
  now?: () => Date;
  /** The fetch implementation the client uses. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Series listed per measurement in the evidence. @default 20 */
  maxSeries?: number;
}

/** A measurement as the gate records it. */
interface Taken extends JudgedMeasurement {
  at: Date;
  series: PrometheusSeries[];
  warnings: string[];
}

const REDACTED = "[redacted]";

/**
 * Runs a prometheus gate. The query's placeholders `{train}`, `{line}`, `{stage}`, `{wave}` and
 * `{environment}` (the first environment) are filled in, escaped for a PromQL string. Takes a
 * measurement, then another `interval` after each one ends, until the analysis is decided (see
 * `analysisStatus`): it stops early on too many failures, inconclusive measurements or query
 * errors, and passes after `count` measurements. The gate's `timeout` bounds the whole analysis:
 * a `count` and `interval` that cannot fit in it are refused before the first query.
 *
 * Never throws for a gate that cannot be judged: an unknown source, a missing header variable or
 * a failing query end it with `verdict: "error"` and the reason as the output's first line.
 * @throws the context signal's reason when it aborts (no verdict to record).
 */
export async function runPrometheusGate(
  gate: PrometheusGateConfig,
  context: GateContext,
  options: PrometheusGateOptions,
): Promise<GateOutcome> {
  const { elapsed, errored } = gateTimer();
  const env = options.env ?? process.env;
  const sleep = options.sleep ?? abortableDelay;
  const now = options.now ?? (() => new Date());
  const maxSeries = options.maxSeries ?? 20;

  const source = options.sources[gate.source];
  if (!source) return errored(unknownSourceMessage(gate.source, Object.keys(options.sources)));

  let condition: Condition;
  let intervalMs: number;
  let timeoutMs: number;
  let queryTimeoutMs: number;
  try {
    condition = parseCondition(gate.condition);
    intervalMs = parseDuration(gate.interval);
    timeoutMs = parseDuration(gate.timeout);
    queryTimeoutMs = parseDuration(source.timeout);
  } catch (error) {
    return errored((error as Error).message);
  }
  const limits: AnalysisLimits = {
    count: gate.count,
    failureLimit: gate.failureLimit,
    inconclusiveLimit: gate.inconclusiveLimit,
  };
  const waiting = (gate.count - 1) * intervalMs;
  if (waiting >= timeoutMs) {
    return errored(
      `count ${gate.count} with interval ${gate.interval} needs more than ${formatDuration(waiting)}, longer than the gate's timeout ${gate.timeout}: raise timeout or lower count or interval`,
    );
  }

  const made = clientForSource(gate.source, source, env, queryTimeoutMs, options.fetch);
  if ("problem" in made) return errored(made.problem);
  const { client, secrets } = made;

  const query = fillQuery(gate.query, context);
  const header = [
    `query (source ${gate.source}, ${client.url}): ${query}`,
    `condition: ${gate.condition.trim()}; count ${gate.count}, interval ${gate.interval}, failureLimit ${gate.failureLimit}, inconclusiveLimit ${gate.inconclusiveLimit}, noData ${gate.noData}`,
  ];

  // The gate's timeout stops a query or wait in flight; the caller's signal aborts the gate.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error("gate timeout")), timeoutMs);
  timer.unref?.();
  const signal = AbortSignal.any([context.signal, deadline.signal]);
  const taken: Taken[] = [];
  let status: AnalysisStatus = "running";
  try {
    while (status === "running") {
      if (taken.length > 0) await sleep(intervalMs, signal);
      const at = now();
      try {
        const result = await client.query(query, undefined, { signal });
        const verdict = measure(result, condition, gate.noData);
        taken.push({ ...verdict, at, series: result.series, warnings: result.warnings });
      } catch (error) {
        if (!(error instanceof PrometheusError)) throw error;
        taken.push({ outcome: "error", worst: null, sentence: error.message, at, series: [], warnings: [] });
      }
      status = analysisStatus(taken, limits);
    }
  } catch (error) {
    context.signal.throwIfAborted();
    if (!deadline.signal.aborted) throw error;
    return errored(
      `gave up after the gate's timeout ${gate.timeout} with ${taken.length} of ${gate.count} measurements taken`,
      redact([...header, ...describeMeasurements(taken, maxSeries)], secrets),
    );
  } finally {
    clearTimeout(timer);
  }

  const verdict = status;
  const first = summarizeAnalysis(taken, verdict, condition, limits);
  return {
    status: verdict === "pass" ? "passed" : "failed",
    verdict,
    output: redact([first, ...header, ...describeMeasurements(taken, maxSeries)], secrets).join("\n"),
    durationMs: elapsed(),
  };
}

/** Fills the placeholders, escaped so that a value inside a PromQL string stays in it. */
function fillQuery(template: string, context: GateContext): string {
  return fillPlaceholders(template, context, (value) => JSON.stringify(value).slice(1, -1));
}

function describeMeasurements(taken: Taken[], maxSeries: number): string[] {
  const lines: string[] = [];
  taken.forEach((m, i) => {
    lines.push(`#${i + 1} ${m.at.toISOString()} ${m.outcome}: ${m.sentence.split("\n").join(" ")}`);
    for (const series of m.series.slice(0, maxSeries)) {
      const values = series.values.map(([, v]) => formatValue(v)).join(", ");
      lines.push(`  ${values} ${formatLabels(series.labels)}`);
    }
    if (m.series.length > maxSeries) lines.push(`  … ${m.series.length - maxSeries} more series`);
    for (const warning of m.warnings) lines.push(`  warning: ${warning}`);
  });
  return lines;
}

function redact(lines: string[], secrets: string[]): string[] {
  return lines.map((line) => {
    let result = line;
    for (const secret of secrets) {
      if (secret.length >= 4) result = result.split(secret).join(REDACTED);
    }
    return result;
  });
}
