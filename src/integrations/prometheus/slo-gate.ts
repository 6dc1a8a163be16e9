/**
 * The slo gate: measures an SLO's error ratio over its window and over each burn-rate window with
 * instant queries (`{window}` filled in), then judges the budget left and the multi-window burn-rate
 * alerts (`evaluateSlo`). The sentence, the facts and every query as sent with its value are the
 * gate's evidence.
 */

import type { PrometheusSourceConfig, SloConfig, SloGateConfig } from "../../domain/config/schema.js";
import { parseDuration } from "../../domain/duration.js";
import { formatLabels, formatValue } from "../../domain/gates/prometheus-analysis.js";
import {
  type BurnRateAlert,
  DEFAULT_BURN_RATES,
  describeBurnRateTable,
  errorRatioOf,
  evaluateSlo,
  type MeasuredRatio,
} from "../../domain/slo/burn.js";
import { fillWindow, promqlDuration } from "../../domain/slo/promql-window.js";
import type { GateContext, GateOutcome } from "../../engine/ports.js";
import { PrometheusError, type PrometheusResult } from "./client.js";
import { clientForSource, gateTimer, unknownSourceMessage } from "./source.js";

export interface SloGateOptions {
  /** The configuration's `prometheus` map: sources by name. */
  sources: Record<string, PrometheusSourceConfig>;
  /** The configuration's `slos` map (inline and imported from OpenSLO files). */
  slos: Record<string, SloConfig>;
  /** Where a source's `headersFromEnv` values are read. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** The evaluation time sent with every query, so that all windows end at the same instant. @default () => new Date() */
  now?: () => Date;
  /** The fetch implementation the client uses. @default globalThis.fetch */
  fetch?: typeof fetch;
}

const REDACTED = "[redacted]";

/** One instant query of the gate and what it returned. */
interface Asked {
  window: string;
  role: "bad" | "good" | "total";
  query: string;
  /** The value of its one series; null without series; undefined until answered. */
  value?: number | null;
  labels?: Record<string, string>;
  warnings?: string[];
}

/** Thrown inside the gate when an answer cannot be read as one number. */
class UnusableAnswer extends Error {}

/**
 * Runs an slo gate against the SLO it names. Sends, at one evaluation time, the SLO's numerator
 * (`bad`, or `good`) and `total` with `{window}` set to the SLO's window and, unless the gate's
 * `burnRates` is false, to each long and short window of the SLO's burn-rate alerts (its
 * `burnRates`, else {@link DEFAULT_BURN_RATES}); each window's error ratio is `bad / total` or
 * `1 − good / total`. The queries run concurrently, within the gate's `timeout`.
 *
 * Never throws for a gate that cannot be judged: an unknown SLO or source, a missing header
 * variable, a failing query or an answer of several series end it with `verdict: "error"` and the
 * reason as the output's first line.
 * @throws the context signal's reason when it aborts (no verdict to record).
 */
export async function runSloGate(
  gate: SloGateConfig,
  context: GateContext,
  options: SloGateOptions,
): Promise<GateOutcome> {
  const { elapsed, errored } = gateTimer();
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());

  const slo = options.slos[gate.slo];
  if (!slo) {
    const known = Object.keys(options.slos).sort();
    return errored(
      known.length > 0
        ? `no SLO "${gate.slo}" is configured (known: ${known.join(", ")})`
        : `no SLO "${gate.slo}" is configured (none are: add it under \`slos:\` or import an OpenSLO file with \`openslo:\`)`,
    );
  }
  const source = options.sources[slo.source];
  if (!source)
    return errored(unknownSourceMessage(slo.source, Object.keys(options.sources), `for SLO "${gate.slo}"`));
  const numeratorOf =
    slo.bad !== undefined
      ? { role: "bad" as const, query: slo.bad }
      : slo.good !== undefined
        ? { role: "good" as const, query: slo.good }
        : undefined;
  if (!numeratorOf) return errored(`SLO "${gate.slo}" gives neither good nor bad`);

  const alerts: readonly BurnRateAlert[] = slo.burnRates ?? DEFAULT_BURN_RATES;
  let timeoutMs: number;
  let queryTimeoutMs: number;
  const windows = new Map<string, string>();
  try {
    timeoutMs = parseDuration(gate.timeout);
    queryTimeoutMs = parseDuration(source.timeout);
    const spans = [slo.window, ...(gate.burnRates ? alerts.flatMap((a) => [a.long, a.short]) : [])];
    // Windows written differently (6h, PT6H) are measured once.
    for (const span of spans) {
      const key = promqlDuration(span);
      if (!windows.has(key)) windows.set(key, span);
    }
  } catch (error) {
    return errored((error as Error).message);
  }

  const made = clientForSource(slo.source, source, env, queryTimeoutMs, options.fetch);
  if ("problem" in made) return errored(made.problem);
  const { client, secrets } = made;

  const at = now();
  const asked: Asked[] = [];
  for (const span of windows.values()) {
    asked.push({ window: span, role: numeratorOf.role, query: fillWindow(numeratorOf.query, span) });
    asked.push({ window: span, role: "total", query: fillWindow(slo.total, span) });
  }
  const header = [
    `SLO ${gate.slo} (source ${slo.source}, ${client.url}), evaluated at ${at.toISOString()}`,
    ...(gate.burnRates ? [describeBurnRateTable(slo.window, slo.burnRates)] : []),
  ];
  const queryLines = () => [
    "queries:",
    ...asked.flatMap((q) => [
      `  ${q.window} ${q.role}: ${q.query} = ${describeValue(q)}`,
      ...(q.warnings ?? []).map((w) => `    warning: ${w}`),
    ]),
  ];

  // The gate's timeout stops the queries in flight; the caller's signal aborts the gate.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error("gate timeout")), timeoutMs);
  timer.unref?.();
  const failed = new AbortController();
  const signal = AbortSignal.any([context.signal, deadline.signal, failed.signal]);
  try {
    await Promise.all(
      asked.map(async (q) => {
        try {
          const result = await client.query(q.query, at, { signal });
          Object.assign(q, readOne(result, q));
        } catch (error) {
          failed.abort(error);
          throw error;
        }
      }),
    );
  } catch (error) {
    context.signal.throwIfAborted();
    if (deadline.signal.aborted) {
      return errored(
        `gave up after the gate's timeout ${gate.timeout} with ${asked.filter((q) => q.value !== undefined).length} of ${asked.length} queries answered`,
        redact([...header, ...queryLines()], secrets),
      );
    }
    if (error instanceof PrometheusError || error instanceof UnusableAnswer) {
      return errored(error.message, redact([...header, ...queryLines()], secrets));
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }

  const ratioOf = (span: string): MeasuredRatio => {
    const key = promqlDuration(span);
    const find = (role: Asked["role"]) =>
      asked.find((q) => q.role === role && promqlDuration(q.window) === key)?.value ?? null;
    return errorRatioOf({ kind: numeratorOf.role, value: find(numeratorOf.role) }, find("total"));
  };
  const evaluation = evaluateSlo(
    {
      objective: slo.objective,
      window: slo.window,
      budgetRatio: ratioOf(slo.window),
      windows: gate.burnRates
        ? alerts.map((a) => ({ ...a, longRatio: ratioOf(a.long), shortRatio: ratioOf(a.short) }))
        : [],
    },
    { minBudgetRemaining: gate.minBudgetRemaining, burnRates: gate.burnRates },
  );
  return {
    status: evaluation.verdict === "pass" ? "passed" : "failed",
    verdict: evaluation.verdict,
    output: redact([evaluation.sentence, ...header, ...evaluation.evidence, ...queryLines()], secrets).join(
      "\n",
    ),
    durationMs: elapsed(),
  };
}

/** The one number of an answer; null for no series. */
function readOne(result: PrometheusResult, q: Asked): Pick<Asked, "value" | "labels" | "warnings"> {
  if (result.series.length > 1) {
    const shown = result.series
      .slice(0, 3)
      .map((s) => formatLabels(s.labels))
      .join(", ");
    throw new UnusableAnswer(
      `the ${q.role} query over ${q.window} returned ${result.series.length} series (${shown}${result.series.length > 3 ? ", …" : ""}): an SLI is one number, aggregate it (e.g. sum(...) without by)`,
    );
  }
  const series = result.series[0];
  if (!series) return { value: null, warnings: result.warnings };
  const value = series.values.at(-1)?.[1] ?? Number.NaN;
  return { value, labels: series.labels, warnings: result.warnings };
}

function describeValue(q: Asked): string {
  if (q.value === undefined) return "(not answered)";
  if (q.value === null) return q.role === "total" ? "no series" : "no series (0 events)";
  const labels = q.labels && Object.keys(q.labels).length > 0 ? ` ${formatLabels(q.labels)}` : "";
  return `${formatValue(q.value)}${labels}`;
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
