/**
 * The canary gate: range-queries each metric's baseline and canary series over the gate's
 * `lookback`, judges every metric with a Mann-Whitney U test (`judgeMetric`) and scores the
 * analysis (`scoreCanary`), as Kayenta's judge does. The score decides the verdict: an interim
 * analysis of a canary's analysis step passes at the marginal threshold, the last (or only) one
 * needs the pass threshold. The sentence, the metrics' verdicts and the queries as sent are the
 * output; the same with the series behind them is the result's `detail`, for the dashboard.
 */

import { type JudgeOptions, judgeMetric, type MetricJudgement } from "../../domain/canary/judge.js";
import { type CanaryScore, type ScoredMetric, scoreCanary } from "../../domain/canary/score.js";
import type {
  CanaryGateConfig,
  CanaryMetricConfig,
  PrometheusSourceConfig,
} from "../../domain/config/schema.js";
import { parseDuration } from "../../domain/duration.js";
import { formatValue } from "../../domain/gates/prometheus-analysis.js";
import type { GateContext, GateOutcome } from "../../engine/ports.js";
import { fillPlaceholders } from "../placeholders.js";
import { PrometheusError, type PrometheusResult } from "./client.js";
import { clientForSource, gateTimer, unknownSourceMessage } from "./source.js";

export interface CanaryGateOptions {
  /** The configuration's `prometheus` map: sources by name. */
  sources: Record<string, PrometheusSourceConfig>;
  /** Where a source's `headersFromEnv` values are read. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** The end of the analysed range (its start is `lookback` earlier). @default () => new Date() */
  now?: () => Date;
  /** The fetch implementation the client uses. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Points kept per variant and metric in `detail` (evenly downsampled beyond). @default 1000 */
  maxPoints?: number;
}

/** One variant's series of a metric, as the gate read them. */
export interface CanaryVariantDetail {
  /** The query as sent, placeholders filled. */
  query: string;
  /** How many series the query returned (their samples are pooled). */
  series: number;
  /** The samples judged, `[unix seconds, value]` in time order, at most `maxPoints` of them. */
  points: Array<[number, number]>;
}

/** One metric of {@link CanaryDetail}. */
export interface CanaryMetricDetail {
  name: string;
  group: string;
  critical: boolean;
  direction: CanaryMetricConfig["direction"];
  verdict: MetricJudgement["verdict"];
  pValue: number | null;
  hodgesLehmann: number | null;
  ci: [number, number] | null;
  effectRatio: number | null;
  reason: string;
  counts: { baseline: number; canary: number };
  baseline: CanaryVariantDetail;
  canary: CanaryVariantDetail;
}

/** The `detail` of a canary gate's outcome: what the dashboard charts. JSON-serialisable. */
export interface CanaryDetail {
  kind: "canary";
  score: number;
  classification: CanaryScore["classification"];
  thresholds: { marginal: number; pass: number };
  /** True for an interim analysis (judged at the marginal threshold). */
  interim: boolean;
  analysis?: { index: number; of: number };
  criticalFailure: string | null;
  groups: CanaryScore["groups"];
  /** The range queried: unix seconds, step in seconds. */
  range: { start: number; end: number; step: number };
  metrics: CanaryMetricDetail[];
}

/** What one variant's query gave, pooled. */
interface Read {
  query: string;
  series: number;
  values: number[];
  points: Array<[number, number]>;
  /** Samples left out: NaN under `nanStrategy: remove`, and ±Inf always. */
  nan: number;
  infinite: number;
  warnings: string[];
}

interface Asked {
  metric: CanaryMetricConfig;
  variant: "baseline" | "canary";
  query: string;
  read?: Read;
}

const REDACTED = "[redacted]";

/**
 * Runs a canary gate. For every metric it sends two range queries (`/api/v1/query_range`, from
 * `now − lookback` to `now` every `step`), one per variant: the metric's `query` with `{variant}`
 * set to the gate's `variants.baseline` and then `variants.canary`, or its own `baseline` and
 * `canary` queries; `{train}`, `{line}`, `{stage}`, `{wave}` and `{environment}` are filled in
 * too, every value escaped for a PromQL string. The queries run concurrently within the gate's
 * `timeout`.
 *
 * The samples of all series a query returns are pooled into one sample of that variant (a query
 * should select one series per variant, e.g. `sum by (le)` before `histogram_quantile`); NaN
 * samples are removed, or replaced by 0 under `nanStrategy: replace`; ±Inf samples are always left
 * out (a rank test cannot weigh them) and counted in the output.
 *
 * Verdict: a critical failure fails; otherwise the last (or only) analysis passes at
 * `thresholds.pass`, is `inconclusive` from `thresholds.marginal` up, and fails below; an interim
 * one (`context.analysis.index < of`) passes from `thresholds.marginal` up. When no metric has
 * data on both sides there is no evidence: `inconclusive`.
 *
 * Never throws for a gate that cannot be judged: an unknown source, a missing header variable or
 * a failing query (Prometheus unreachable, bad PromQL) end it with `verdict: "error"` and the
 * reason as the output's first line.
 * @throws the context signal's reason when it aborts (no verdict to record).
 */
export async function runCanaryGate(
  gate: CanaryGateConfig,
  context: GateContext,
  options: CanaryGateOptions,
): Promise<GateOutcome> {
  const { elapsed, errored } = gateTimer();
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  const maxPoints = Math.max(2, options.maxPoints ?? 1000);

  const source = options.sources[gate.source];
  if (!source) return errored(unknownSourceMessage(gate.source, Object.keys(options.sources)));

  let lookbackMs: number;
  let stepMs: number;
  let timeoutMs: number;
  let queryTimeoutMs: number;
  try {
    lookbackMs = parseDuration(gate.lookback);
    stepMs = parseDuration(gate.step);
    timeoutMs = parseDuration(gate.timeout);
    queryTimeoutMs = parseDuration(source.timeout);
  } catch (error) {
    return errored((error as Error).message);
  }
  if (stepMs <= 0 || lookbackMs < stepMs) {
    return errored(
      `step ${gate.step} must be more than 0 and at most lookback ${gate.lookback}: lower step or raise lookback`,
    );
  }

  const made = clientForSource(gate.source, source, env, queryTimeoutMs, options.fetch);
  if ("problem" in made) return errored(made.problem);
  const { client, secrets } = made;

  const end = now();
  const start = new Date(end.getTime() - lookbackMs);
  const stepSeconds = stepMs / 1000;
  const asked: Asked[] = gate.metrics.flatMap((metric) =>
    (["baseline", "canary"] as const).map((variant) => ({
      metric,
      variant,
      query: queryOf(metric, variant, gate.variants[variant], context),
    })),
  );
  const interim = context.analysis !== undefined && context.analysis.index < context.analysis.of;
  const header = [
    `canary analysis (source ${gate.source}, ${client.url}) of ${gate.lookback} from ${start.toISOString()} to ${end.toISOString()}, step ${gate.step}; confidence ${gate.confidence}, tolerance ${gate.tolerance}`,
    `thresholds: marginal ${gate.thresholds.marginal}, pass ${gate.thresholds.pass}; ${describeAnalysis(context.analysis, interim, gate.thresholds)}`,
  ];
  const queryLines = () => [
    "queries:",
    ...asked.flatMap((q) => [
      `  ${q.metric.name} ${q.variant}: ${q.query}${q.read ? ` (${describeRead(q.read)})` : ""}`,
      ...(q.read?.warnings ?? []).map((w) => `    warning: ${w}`),
    ]),
  ];

  // The gate's timeout stops the queries in flight; the caller's signal aborts the gate; the first
  // failed query stops the others (one error decides the verdict).
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error("gate timeout")), timeoutMs);
  timer.unref?.();
  const failed = new AbortController();
  const signal = AbortSignal.any([context.signal, deadline.signal, failed.signal]);
  let culprit: Asked | undefined;
  try {
    await Promise.all(
      asked.map(async (q) => {
        try {
          const result = await client.queryRange(q.query, start, end, stepSeconds, { signal });
          q.read = pool(result, q.query, q.metric.nanStrategy);
        } catch (error) {
          // The others then reject with this same error: the first to fail is the one to name.
          if (!failed.signal.aborted) {
            culprit = q;
            failed.abort(error);
          }
          throw error;
        }
      }),
    );
  } catch (error) {
    context.signal.throwIfAborted();
    if (deadline.signal.aborted) {
      return errored(
        `gave up after the gate's timeout ${gate.timeout} with ${asked.filter((q) => q.read).length} of ${asked.length} queries answered`,
        redact([...header, ...queryLines()], secrets),
      );
    }
    if (error instanceof PrometheusError) {
      const which = culprit ? `the ${culprit.variant} query of metric "${culprit.metric.name}" failed: ` : "";
      return errored(
        redactText(`${which}${error.message}`, secrets),
        redact([...header, ...queryLines()], secrets),
      );
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }

  let scored: ScoredMetric[];
  let score: CanaryScore;
  try {
    scored = gate.metrics.map((metric) => ({
      name: metric.name,
      group: metric.group ?? metric.name,
      critical: metric.critical,
      judgement: judgeMetric(
        readOf(asked, metric, "baseline").values,
        readOf(asked, metric, "canary").values,
        judgeOptions(gate, metric),
      ),
    }));
    score = scoreCanary(scored, gate.groups, gate.thresholds);
  } catch (error) {
    // Options the configuration's schema would have refused (a gate built in code): no verdict.
    if (!(error instanceof RangeError)) throw error;
    return errored(error.message, redact([...header, ...queryLines()], secrets));
  }
  const { verdict, sentence } = decide(score, scored, gate.thresholds, context.analysis, interim);

  const detail: CanaryDetail = {
    kind: "canary",
    score: score.score,
    classification: score.classification,
    thresholds: { marginal: gate.thresholds.marginal, pass: gate.thresholds.pass },
    interim,
    ...(context.analysis ? { analysis: { index: context.analysis.index, of: context.analysis.of } } : {}),
    criticalFailure: score.criticalFailure,
    groups: score.groups,
    range: { start: start.getTime() / 1000, end: end.getTime() / 1000, step: stepSeconds },
    metrics: gate.metrics.map((metric, index) => {
      const { judgement } = scored[index]!;
      const variant = (which: "baseline" | "canary"): CanaryVariantDetail => {
        const read = readOf(asked, metric, which);
        return { query: read.query, series: read.series, points: downsample(read.points, maxPoints) };
      };
      return {
        name: metric.name,
        group: metric.group ?? metric.name,
        critical: metric.critical,
        direction: metric.direction,
        verdict: judgement.verdict,
        pValue: finiteOrNull(judgement.pValue),
        hodgesLehmann: finiteOrNull(judgement.hodgesLehmann),
        ci: finitePair(judgement.ci),
        effectRatio: finiteOrNull(judgement.effectRatio),
        reason: judgement.reason,
        counts: { baseline: judgement.counts.baseline, canary: judgement.counts.canary },
        baseline: variant("baseline"),
        canary: variant("canary"),
      };
    }),
  };

  return {
    status: verdict === "pass" ? "passed" : "failed",
    verdict,
    output: redact(
      [
        sentence,
        ...header,
        ...describeScore(score),
        ...describeMetrics(scored, gate, score),
        ...queryLines(),
      ],
      secrets,
    ).join("\n"),
    durationMs: elapsed(),
    detail: redactDetail(detail, secrets),
  };
}

/** The query of one variant of a metric, placeholders filled and escaped for a PromQL string. */
function queryOf(
  metric: CanaryMetricConfig,
  variant: "baseline" | "canary",
  label: string,
  context: GateContext,
): string {
  const inString = (value: string) => JSON.stringify(value).slice(1, -1);
  const template = metric.query ?? metric[variant] ?? "";
  return fillPlaceholders(template.replaceAll("{variant}", inString(label)), context, inString);
}

/** Pools the samples of every series of a range query's result. */
function pool(result: PrometheusResult, query: string, nanStrategy: CanaryMetricConfig["nanStrategy"]): Read {
  const points: Array<[number, number]> = [];
  let nan = 0;
  let infinite = 0;
  for (const series of result.series) {
    for (const [time, raw] of series.values) {
      let value = raw;
      if (Number.isNaN(value)) {
        nan++;
        if (nanStrategy === "remove") continue;
        value = 0;
      } else if (!Number.isFinite(value)) {
        infinite++;
        continue;
      }
      points.push([time, value]);
    }
  }
  // Stable: samples of one instant keep their series' order.
  points.sort((a, b) => a[0] - b[0]);
  return {
    query,
    series: result.series.length,
    values: points.map(([, value]) => value),
    points,
    nan: nanStrategy === "remove" ? nan : 0,
    infinite,
    warnings: result.warnings,
  };
}

function readOf(asked: readonly Asked[], metric: CanaryMetricConfig, variant: "baseline" | "canary"): Read {
  const read = asked.find((q) => q.metric === metric && q.variant === variant)?.read;
  if (!read) throw new Error(`no answer for the ${variant} query of metric "${metric.name}"`);
  return read;
}

function judgeOptions(gate: CanaryGateConfig, metric: CanaryMetricConfig): JudgeOptions {
  return {
    direction: metric.direction,
    confidence: gate.confidence,
    tolerance: gate.tolerance,
    ...(metric.effectSize ? { effectSize: metric.effectSize } : {}),
  };
}

/** The verdict and the sentence that says why, from the score and where the analysis stands. */
function decide(
  score: CanaryScore,
  scored: readonly ScoredMetric[],
  thresholds: { marginal: number; pass: number },
  analysis: GateContext["analysis"],
  interim: boolean,
): { verdict: "pass" | "fail" | "inconclusive"; sentence: string } {
  const shown = formatScore(score.score);
  const which = analysis
    ? ` (${interim ? "interim " : "last "}analysis ${analysis.index} of ${analysis.of})`
    : "";
  if (score.criticalFailure !== null) {
    const failed = scored.find((m) => m.name === score.criticalFailure);
    const what = !failed
      ? "failed"
      : failed.judgement.verdict === "nodata"
        ? "has no data"
        : `is ${failed.judgement.verdict}${failed.judgement.effectRatio === null ? "" : ` (mean ratio ${formatNumber(failed.judgement.effectRatio)})`}`;
    return {
      verdict: "fail",
      sentence: `critical metric "${score.criticalFailure}" ${what}: score ${shown}${which}: fail`,
    };
  }
  if (scored.every((m) => m.judgement.verdict === "nodata")) {
    return {
      verdict: "inconclusive",
      sentence: `no data: no metric has samples for both the baseline and the canary${which}: inconclusive`,
    };
  }
  if (interim) {
    return score.score >= thresholds.marginal
      ? {
          verdict: "pass",
          sentence: `score ${shown}, at least marginal ${thresholds.marginal}${which}: pass`,
        }
      : { verdict: "fail", sentence: `score ${shown}, below marginal ${thresholds.marginal}${which}: fail` };
  }
  if (score.score >= thresholds.pass) {
    return { verdict: "pass", sentence: `score ${shown}, at least pass ${thresholds.pass}${which}: pass` };
  }
  if (score.score >= thresholds.marginal) {
    return {
      verdict: "inconclusive",
      sentence: `score ${shown}, below pass ${thresholds.pass} but at least marginal ${thresholds.marginal}${which}: inconclusive`,
    };
  }
  return { verdict: "fail", sentence: `score ${shown}, below marginal ${thresholds.marginal}${which}: fail` };
}

function describeAnalysis(
  analysis: GateContext["analysis"],
  interim: boolean,
  thresholds: { marginal: number; pass: number },
): string {
  if (!analysis) return `a single analysis: it passes at ${thresholds.pass}`;
  return interim
    ? `interim analysis ${analysis.index} of ${analysis.of}: it passes at marginal ${thresholds.marginal}`
    : `last analysis ${analysis.index} of ${analysis.of}: it passes at ${thresholds.pass}`;
}

function describeScore(score: CanaryScore): string[] {
  const groups = score.groups.map(
    (g) => `${g.name} ${g.score === null ? "no data" : formatScore(g.score)} (weight ${g.weight})`,
  );
  return [
    `score ${formatScore(score.score)} (${score.classification}): ${score.reason}`,
    `groups: ${groups.join(", ")}`,
  ];
}

/** One line per metric, the critical failure first. */
function describeMetrics(
  scored: readonly ScoredMetric[],
  gate: CanaryGateConfig,
  score: CanaryScore,
): string[] {
  const directions = new Map(gate.metrics.map((m) => [m.name, m.direction]));
  const failing = scored.findIndex((m) => m.name === score.criticalFailure);
  const ordered = failing >= 0 ? [scored[failing]!, ...scored.filter((_, i) => i !== failing)] : [...scored];
  return [
    "metrics:",
    ...ordered.map((m) => {
      const j = m.judgement;
      const tags = [
        m.group !== m.name ? `group ${m.group}` : null,
        m.critical ? "critical" : null,
        directions.get(m.name),
      ]
        .filter(Boolean)
        .join(", ");
      const facts = [
        `p ${j.pValue === null ? "-" : formatP(j.pValue)}`,
        `HL ${formatNumber(j.hodgesLehmann)}`,
        `CI ${j.ci ? `[${formatNumber(j.ci[0])}, ${formatNumber(j.ci[1])}]` : "-"}`,
        `ratio ${formatNumber(j.effectRatio)}`,
        `baseline ${j.counts.baseline} / canary ${j.counts.canary} samples`,
      ];
      const breach = m.critical && j.criticalBreach ? " (critical failure)" : "";
      return `  ${m.name} (${tags}): ${j.verdict}${breach}; ${facts.join(", ")}; ${j.reason}`;
    }),
  ];
}

function describeRead(read: Read): string {
  const parts = [`${read.series} series, ${read.values.length} samples`];
  if (read.nan > 0) parts.push(`${read.nan} NaN removed`);
  if (read.infinite > 0) parts.push(`${read.infinite} infinite left out`);
  return parts.join(", ");
}

/** Evenly keeps `max` of `points`, the first and the last among them. */
export function downsample<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const kept: T[] = [];
  for (let i = 0; i < max; i++) kept.push(points[Math.round((i * (points.length - 1)) / (max - 1))]!);
  return kept;
}

/** A score as `scoreCanary` rounds it (2 decimals): the number its classification compared. */
function formatScore(score: number): string {
  return String(score);
}

function formatP(p: number): string {
  return p < 0.0001 ? "< 0.0001" : formatValue(Number(p.toPrecision(2)));
}

function formatNumber(value: number | null): string {
  if (value === null) return "-";
  return formatValue(Number.isFinite(value) ? Number(value.toPrecision(3)) : value);
}

function finitePair(pair: readonly [number, number] | null): [number, number] | null {
  return pair && Number.isFinite(pair[0]) && Number.isFinite(pair[1]) ? [pair[0], pair[1]] : null;
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

function redact(lines: string[], secrets: string[]): string[] {
  return lines.map((line) => redactText(line, secrets));
}

function redactText(text: string, secrets: string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join(REDACTED);
  }
  return result;
}

/** The detail with secret header values taken out of its queries (a query never needs one). */
function redactDetail(detail: CanaryDetail, secrets: string[]): CanaryDetail {
  if (secrets.length === 0) return detail;
  return {
    ...detail,
    metrics: detail.metrics.map((m) => ({
      ...m,
      baseline: { ...m.baseline, query: redactText(m.baseline.query, secrets) },
      canary: { ...m.canary, query: redactText(m.canary.query, secrets) },
    })),
  };
}
