/**
 * A canary analysis as the judge saw it: the score against its thresholds, and per metric the
 * baseline and canary samples over time and as a distribution, with the metric's verdict. The data
 * is the `detail` of a canary gate result (GET /api/v1/trains/{id}, `gates[].detail` with
 * `kind: canary`). Every chart has a name and a text alternative (a summary sentence and a table).
 */
import { memo, useId } from "react";
import type { GateResult } from "../api/client";
import { BarChart, type ChartSeries, TimeSeriesChart } from "./charts";
import { StateBadge } from "./ui";
import "./canary.css";

/** One variant's series of a metric: `[unix seconds, value]` in time order. */
export interface CanaryVariant {
  query: string;
  series: number;
  points: Array<[number, number]>;
}

/** One judged metric of a canary analysis. */
export interface CanaryMetric {
  name: string;
  group: string;
  critical: boolean;
  direction: string;
  verdict: "pass" | "high" | "low" | "nodata" | string;
  pValue: number | null;
  hodgesLehmann: number | null;
  ci: [number, number] | null;
  effectRatio: number | null;
  reason: string;
  counts: { baseline: number; canary: number };
  baseline: CanaryVariant;
  canary: CanaryVariant;
}

/** The `detail` a canary gate keeps (see src/integrations/prometheus/canary-gate.ts). */
export interface CanaryDetail {
  kind: "canary";
  score: number;
  classification: "pass" | "marginal" | "fail";
  thresholds: { marginal: number; pass: number };
  interim: boolean;
  analysis?: { index: number; of: number };
  criticalFailure: string | null;
  groups: Array<{ name: string; weight: number; score: number | null; metrics: string[] }>;
  range?: { start: number; end: number; step: number };
  metrics: CanaryMetric[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isVariant = (value: unknown): value is CanaryVariant => isObject(value) && Array.isArray(value.points);

/** The gate result's detail as a canary analysis, or null when it is something else. */
export function canaryDetailOf(detail: unknown): CanaryDetail | null {
  if (!isObject(detail) || detail.kind !== "canary") return null;
  if (typeof detail.score !== "number" || !Array.isArray(detail.metrics) || !isObject(detail.thresholds))
    return null;
  const metrics = detail.metrics.filter(
    (m): m is CanaryMetric =>
      isObject(m) && typeof m.name === "string" && isVariant(m.baseline) && isVariant(m.canary),
  );
  return {
    ...(detail as unknown as CanaryDetail),
    groups: Array.isArray(detail.groups) ? (detail.groups as CanaryDetail["groups"]) : [],
    metrics,
  };
}

/** The newest gate result of the list that holds a canary analysis (gates come oldest first). */
export function latestCanary(gates: GateResult[]): { gate: GateResult; detail: CanaryDetail } | null {
  for (let i = gates.length - 1; i >= 0; i--) {
    const gate = gates[i]!;
    const detail = canaryDetailOf(gate.detail);
    if (detail) return { gate, detail };
  }
  return null;
}

/** What kind of signal a metric is, in words people search for: "Error rate", "Latency". */
export function metricKind(name: string): string | null {
  if (/err|fail|5xx/i.test(name)) return "Error rate";
  if (/latenc|duration|response.?time|p9\d|p50|slow/i.test(name)) return "Latency";
  if (/cpu|memory|mem_|saturation/i.test(name)) return "Saturation";
  if (/throughput|rps|requests|traffic/i.test(name)) return "Traffic";
  return null;
}

/** The metric's heading: "Latency" for `latency`, "Error rate (errors_5xx)" otherwise. */
export function metricTitle(name: string): string {
  const kind = metricKind(name);
  if (!kind) return name;
  const plain = (text: string) => text.toLowerCase().replace(/[^a-z]/g, "");
  return plain(kind).startsWith(plain(name)) || plain(name) === plain(kind) ? kind : `${kind} (${name})`;
}

/** 0.000123 → "0.000123", 1234.5 → "1,235", 0.2 → "0.2". */
export function formatValue(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 0.001 || abs >= 1e6)) return value.toExponential(2);
  if (abs >= 100) return Math.round(value).toLocaleString();
  return Number(value.toPrecision(3)).toString();
}

const clockTick = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const tickOf = (ms: number) => clockTick.format(new Date(ms));

interface Stats {
  count: number;
  min: number | null;
  median: number | null;
  max: number | null;
  mean: number | null;
}

function stats(points: Array<[number, number]>): Stats {
  const values = points.map(([, v]) => v).sort((a, b) => a - b);
  const n = values.length;
  if (n === 0) return { count: 0, min: null, median: null, max: null, mean: null };
  const mid = Math.floor(n / 2);
  const median = n % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
  return {
    count: n,
    min: values[0]!,
    median,
    max: values[n - 1]!,
    mean: values.reduce((sum, v) => sum + v, 0) / n,
  };
}

/** Rows of {x: ms, baseline, canary} by timestamp, for the line chart (null: no sample then). */
function overTime(
  metric: CanaryMetric,
): Array<{ x: number; baseline: number | null; canary: number | null }> {
  const rows = new Map<number, { x: number; baseline: number | null; canary: number | null }>();
  const at = (t: number) => rows.get(t) ?? { x: t * 1000, baseline: null, canary: null };
  for (const [t, v] of metric.baseline.points) rows.set(t, { ...at(t), baseline: v });
  for (const [t, v] of metric.canary.points) rows.set(t, { ...at(t), canary: v });
  return [...rows.values()].sort((a, b) => a.x - b.x);
}

/** The samples of both variants counted into `bins` equal buckets over their common range. */
function histogram(metric: CanaryMetric, bins = 12): Array<{ x: string; baseline: number; canary: number }> {
  const all = [...metric.baseline.points, ...metric.canary.points].map(([, v]) => v);
  if (all.length === 0) return [];
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const width = hi > lo ? (hi - lo) / bins : 1;
  const count = hi > lo ? bins : 1;
  const rows = Array.from({ length: count }, (_, i) => ({
    x: formatValue(lo + width * (i + 0.5)),
    baseline: 0,
    canary: 0,
  }));
  const place = (v: number) => Math.min(count - 1, Math.floor((v - lo) / width));
  for (const [, v] of metric.baseline.points) rows[place(v)]!.baseline++;
  for (const [, v] of metric.canary.points) rows[place(v)]!.canary++;
  return rows;
}

const VERDICT_BADGE: Record<string, { state: string; label: string }> = {
  pass: { state: "pass", label: "pass" },
  high: { state: "fail", label: "canary higher" },
  low: { state: "fail", label: "canary lower" },
  nodata: { state: "skipped", label: "no data" },
};

/** The judge's verdict on one metric as a badge. */
export function MetricVerdict({ verdict }: { verdict: string }) {
  const badge = VERDICT_BADGE[verdict] ?? { state: verdict, label: verdict };
  return <StateBadge state={badge.state} label={badge.label} />;
}

/** A sentence describing the metric's comparison, for the caption and screen readers. */
function summarise(metric: CanaryMetric, base: Stats, canary: Stats): string {
  const parts = [
    `${metricTitle(metric.name)}: canary median ${formatValue(canary.median)} over ${canary.count} samples against baseline median ${formatValue(base.median)} over ${base.count}`,
  ];
  if (metric.effectRatio !== null) parts.push(`effect ratio ${formatValue(metric.effectRatio)}`);
  if (metric.pValue !== null) parts.push(`p = ${formatValue(metric.pValue)}`);
  return `${parts.join(", ")}. Verdict: ${VERDICT_BADGE[metric.verdict]?.label ?? metric.verdict}.`;
}

const countOf = (v: number | null) => (v === null ? "—" : String(v));

/** Baseline solid, canary dashed: the same two series in both charts of a metric. */
const VARIANTS: ChartSeries[] = [
  { key: "baseline", label: "Baseline", color: "var(--chart-1)" },
  { key: "canary", label: "Canary", color: "var(--chart-2)", dashed: true },
];

/**
 * One metric: verdict, numbers, baseline vs canary over time and as a distribution. Memoised:
 * a gate result never changes, so live refreshes and clock ticks do not redraw its charts.
 */
export const CanaryMetricPanel = memo(function CanaryMetricPanel({
  metric,
  trainId,
}: {
  metric: CanaryMetric;
  trainId: string;
}) {
  const headingId = useId();
  const summaryId = useId();
  const base = stats(metric.baseline.points);
  const canary = stats(metric.canary.points);
  const rows = overTime(metric);
  const bins = histogram(metric);
  const title = metricTitle(metric.name);
  const sentence = summarise(metric, base, canary);
  const hasData = base.count > 0 || canary.count > 0;
  return (
    <section className="canary-metric" aria-labelledby={headingId}>
      <header className="canary-metric-header">
        <h4 id={headingId}>
          {title}
          {metric.critical ? <span className="canary-critical"> · critical</span> : null}
        </h4>
        <MetricVerdict verdict={metric.verdict} />
      </header>
      <p className="canary-reason">{metric.reason}</p>
      <dl className="canary-numbers">
        <div>
          <dt>p-value</dt>
          <dd>{formatValue(metric.pValue)}</dd>
        </div>
        <div>
          <dt>Effect ratio</dt>
          <dd>{formatValue(metric.effectRatio)}</dd>
        </div>
        <div>
          <dt>Shift (Hodges–Lehmann)</dt>
          <dd>
            {formatValue(metric.hodgesLehmann)}
            {metric.ci ? ` [${formatValue(metric.ci[0])}, ${formatValue(metric.ci[1])}]` : ""}
          </dd>
        </div>
        <div>
          <dt>Worse when</dt>
          <dd>{metric.direction === "either" ? "it changes" : `it ${metric.direction}s`}</dd>
        </div>
      </dl>
      {hasData ? (
        <div className="canary-charts">
          <TimeSeriesChart
            title={`${title} of ${trainId}: baseline and canary over time`}
            caption="Over time (baseline solid, canary dashed)"
            describedBy={summaryId}
            compact
            height={190}
            xLabel="Time"
            xFormat={tickOf}
            rows={rows}
            series={VARIANTS.map((s) => ({ ...s, format: formatValue }))}
            leftFormat={formatValue}
            showPoints={false}
            connectNulls
          />
          <BarChart
            title={`${title} of ${trainId}: distribution of baseline and canary samples`}
            caption="Distribution (samples per value bucket)"
            describedBy={summaryId}
            compact
            height={190}
            xLabel="Value bucket (midpoint)"
            rows={bins}
            series={VARIANTS.map(({ dashed: _, ...s }) => ({ ...s, format: countOf }))}
          />
        </div>
      ) : (
        <p className="muted">Neither query returned samples, so there is nothing to chart.</p>
      )}
      <p id={summaryId} className="canary-summary">
        {sentence}
      </p>
      {/* In a clipped box: a table ignores the width of .visually-hidden and would widen a phone's page. */}
      <div className="visually-hidden">
        <table>
          <caption>{title}: baseline and canary samples</caption>
          <thead>
            <tr>
              <th scope="col">Variant</th>
              <th scope="col">Samples</th>
              <th scope="col">Minimum</th>
              <th scope="col">Median</th>
              <th scope="col">Mean</th>
              <th scope="col">Maximum</th>
            </tr>
          </thead>
          <tbody>
            {(
              [
                ["Baseline", base],
                ["Canary", canary],
              ] as const
            ).map(([name, s]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>{s.count}</td>
                <td>{formatValue(s.min)}</td>
                <td>{formatValue(s.median)}</td>
                <td>{formatValue(s.mean)}</td>
                <td>{formatValue(s.max)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details className="canary-queries">
        <summary>Queries</summary>
        <dl>
          <dt>Baseline ({metric.baseline.series} series)</dt>
          <dd>
            <code>{metric.baseline.query}</code>
          </dd>
          <dt>Canary ({metric.canary.series} series)</dt>
          <dd>
            <code>{metric.canary.query}</code>
          </dd>
        </dl>
      </details>
    </section>
  );
});

/** The score on a 0–100 bar with the marginal and pass thresholds marked. */
export function CanaryScore({ detail }: { detail: CanaryDetail }) {
  const { score, thresholds, classification } = detail;
  const clamp = (v: number) => Math.max(0, Math.min(100, v));
  return (
    <div className="canary-score">
      <p className="canary-score-text">
        Score <strong>{formatValue(score)}</strong> of 100 ·{" "}
        <StateBadge
          state={classification === "pass" ? "pass" : classification === "marginal" ? "inconclusive" : "fail"}
          label={classification}
        />{" "}
        <span className="muted">
          (pass from {thresholds.pass}, marginal from {thresholds.marginal}
          {detail.interim ? "; interim analysis judged at the marginal threshold" : ""})
        </span>
      </p>
      <div className="canary-bar" aria-hidden="true">
        <span className={`canary-bar-fill tone-${classification}`} style={{ width: `${clamp(score)}%` }} />
        <span className="canary-mark" style={{ left: `${clamp(thresholds.marginal)}%` }} />
        <span className="canary-mark canary-mark-pass" style={{ left: `${clamp(thresholds.pass)}%` }} />
      </div>
    </div>
  );
}

/**
 * A whole canary analysis of a gate result: verdict, score, groups, critical failure, then one
 * panel per metric (error rate and latency labelled as such).
 */
export const CanaryAnalysis = memo(
  function CanaryAnalysis({
    gate,
    detail,
    trainId,
    withHeading = true,
  }: {
    gate: GateResult;
    detail: CanaryDetail;
    trainId: string;
    /** Show the gate's name and verdict as an h3 (off where the gate is already named). */
    withHeading?: boolean;
  }) {
    return (
      <div className="canary">
        {withHeading ? (
          <div className="canary-head">
            <h3 className="canary-title">
              {trainId}: {gate.gate} <span className="muted">({gate.stage})</span>
            </h3>
            <StateBadge state={gate.verdict} />
            {detail.analysis ? (
              <span className="muted">
                analysis {detail.analysis.index} of {detail.analysis.of}
              </span>
            ) : null}
          </div>
        ) : detail.analysis ? (
          <p className="muted">
            Analysis {detail.analysis.index} of {detail.analysis.of}
          </p>
        ) : null}
        <CanaryScore detail={detail} />
        {detail.criticalFailure ? (
          <p className="canary-critical-failure" role="note">
            Critical metric <strong>{detail.criticalFailure}</strong> failed: the score is 0.
          </p>
        ) : null}
        {detail.groups.length > 1 ? (
          <p className="muted canary-groups">
            Groups:{" "}
            {detail.groups
              .map(
                (g) =>
                  `${g.name} ${g.score === null ? "no data" : formatValue(g.score)} (weight ${g.weight})`,
              )
              .join(" · ")}
          </p>
        ) : null}
        {detail.metrics.length === 0 ? (
          <p className="muted">The analysis kept no metrics.</p>
        ) : (
          <div className="canary-metrics">
            {detail.metrics.map((metric) => (
              <CanaryMetricPanel key={metric.name} metric={metric} trainId={trainId} />
            ))}
          </div>
        )}
      </div>
    );
  },
  // A gate result is immutable: the same id shows the same analysis.
  (a, b) => a.gate.id === b.gate.id && a.trainId === b.trainId && a.withHeading === b.withHeading,
);
