/**
 * Charts for every view, on recharts: a time-series chart (lines, optionally bars, over instants)
 * and a bar chart (bars, optionally a line, over categories such as train IDs). Each is a
 * <figure> with a caption that names it, an optional summary sentence, a keyboard-focusable plot
 * (arrow keys walk the tooltip), and the same numbers as a visually-hidden table for screen
 * readers. Colours come from the theme (var(--chart-1..4)), so both colour schemes read well.
 */
import { type ReactNode, useId } from "react";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from "recharts";
import "./charts.css";
import { AfterPaint } from "./ui";

/** One plotted quantity: a key of the data rows, its name, and how its values read. */
export interface ChartSeries {
  key: string;
  label: string;
  /** `line` (default for time series) or `bar` (default for bar charts). */
  kind?: "line" | "bar";
  /** Which y axis: `left` (default) or `right` (a second unit, e.g. counts beside ratios). */
  axis?: "left" | "right";
  /** A CSS colour; default var(--chart-n) in series order. */
  color?: string;
  /** How a value reads in the tooltip and the table. @default the number as is, "—" for null */
  format?: (value: number | null) => string;
  /** Dashed line (e.g. a baseline). */
  dashed?: boolean;
}

/** A data row: the x value under `x`, the series' values under their keys (null: no value). */
export type ChartRow = { x: string | number } & Record<string, string | number | null>;

interface FrameProps {
  /** The chart's name (caption and accessible name). */
  title: string;
  /** A sentence saying what the chart shows (visible under the caption; the plot's description). */
  summary?: ReactNode;
  rows: ChartRow[];
  series: ChartSeries[];
  /** Plot height in px. @default 260 */
  height?: number;
  /** The x axis' name in the text table. */
  xLabel: string;
  /** Left and right y axes' tick format. */
  leftFormat?: (value: number) => string;
  rightFormat?: (value: number) => string;
  /** Fixed y domains, e.g. [0, 1] for ratios. */
  leftDomain?: [number, number];
  rightDomain?: [number, number];
  /** Maximum bar thickness in px (bars are narrower when the plot is). */
  barSize?: number;
}

const plain = (value: number | null): string =>
  value === null || !Number.isFinite(value) ? "—" : String(Math.round(value * 1000) / 1000);

const colorOf = (series: ChartSeries, index: number): string =>
  series.color ?? `var(--chart-${(index % 4) + 1})`;

function numberAt(row: ChartRow, key: string): number | null {
  const value = row[key];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** The tooltip: the x value, then each series in its own words (theme colours, readable in dark mode). */
function ChartTooltip({
  active,
  label,
  payload,
  series,
  xFormat,
}: {
  active?: boolean | undefined;
  label?: unknown;
  payload?: ReadonlyArray<{ dataKey?: unknown; value?: unknown }> | undefined;
  series: ChartSeries[];
  xFormat: (x: string | number) => string;
}) {
  if (!active || !payload || payload.length === 0 || label === undefined) return null;
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-label">{xFormat(label as string | number)}</div>
      <ul>
        {series.map((s, i) => {
          const entry = payload.find((p) => p.dataKey === s.key);
          if (!entry) return null;
          const raw = entry.value;
          const value = typeof raw === "number" ? raw : null;
          return (
            <li key={s.key}>
              <span className="chart-swatch" style={{ background: colorOf(s, i) }} aria-hidden="true" />
              {s.label}: <strong>{(s.format ?? plain)(value)}</strong>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** The numbers behind a chart as a table only screen readers see. */
function ChartTable({
  title,
  rows,
  series,
  xLabel,
  xFormat,
}: {
  title: string;
  rows: ChartRow[];
  series: ChartSeries[];
  xLabel: string;
  xFormat: (x: string | number) => string;
}) {
  return (
    <div className="visually-hidden">
      <table>
        <caption>{title}: the data</caption>
        <thead>
          <tr>
            <th scope="col">{xLabel}</th>
            {series.map((s) => (
              <th scope="col" key={s.key}>
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={String(row.x)}>
              <th scope="row">{xFormat(row.x)}</th>
              {series.map((s) => (
                <td key={s.key}>{(s.format ?? plain)(numberAt(row, s.key))}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ChartFrame({
  title,
  summary,
  rows,
  series,
  height = 260,
  xLabel,
  leftFormat,
  rightFormat,
  leftDomain,
  rightDomain,
  barSize,
  defaultKind,
  xAxis,
  xFormat,
}: FrameProps & {
  defaultKind: "line" | "bar";
  xAxis: ReactNode;
  xFormat: (x: string | number) => string;
}) {
  const captionId = useId();
  const summaryId = useId();
  const hasRight = series.some((s) => s.axis === "right");
  const tick = { fill: "var(--muted)", fontSize: 12 };
  return (
    <figure className="chart" aria-labelledby={captionId}>
      <figcaption id={captionId} className="chart-caption">
        {title}
      </figcaption>
      {summary ? (
        <p id={summaryId} className="chart-summary">
          {summary}
        </p>
      ) : null}
      <AfterPaint height={height}>
        <ComposedChart
          responsive
          style={{ width: "100%", height }}
          data={rows}
          margin={{ top: 8, right: hasRight ? 4 : 12, bottom: 4, left: 4 }}
          aria-label={title}
          {...(summary ? { "aria-describedby": summaryId } : {})}
        >
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
          {xAxis}
          <YAxis
            yAxisId="left"
            tick={tick}
            stroke="var(--border)"
            width={56}
            {...(leftFormat ? { tickFormatter: leftFormat } : {})}
            {...(leftDomain ? { domain: leftDomain } : {})}
          />
          {hasRight ? (
            <YAxis
              yAxisId="right"
              orientation="right"
              tick={tick}
              stroke="var(--border)"
              width={48}
              allowDecimals={false}
              {...(rightFormat ? { tickFormatter: rightFormat } : {})}
              {...(rightDomain ? { domain: rightDomain } : {})}
            />
          ) : null}
          <Tooltip
            content={(props) => (
              <ChartTooltip
                active={props.active}
                label={props.label}
                payload={props.payload}
                series={series}
                xFormat={xFormat}
              />
            )}
            cursor={{ fill: "var(--surface-2)", stroke: "var(--border)" }}
          />
          <Legend
            wrapperStyle={{ fontSize: 13 }}
            formatter={(value: string) => <span className="chart-legend-text">{value}</span>}
          />
          {series.map((s, i) => {
            const kind = s.kind ?? defaultKind;
            const color = colorOf(s, i);
            const axis = s.axis ?? "left";
            return kind === "bar" ? (
              <Bar
                key={s.key}
                dataKey={s.key}
                name={s.label}
                yAxisId={axis}
                fill={color}
                isAnimationActive={false}
                {...(barSize ? { maxBarSize: barSize } : {})}
              />
            ) : (
              <Line
                key={s.key}
                dataKey={s.key}
                name={s.label}
                yAxisId={axis}
                stroke={color}
                strokeWidth={2}
                strokeDasharray={s.dashed ? "6 4" : undefined}
                dot={{ r: 3, fill: color, stroke: color }}
                connectNulls={false}
                isAnimationActive={false}
              />
            );
          })}
        </ComposedChart>
      </AfterPaint>
      <ChartTable title={title} rows={rows} series={series} xLabel={xLabel} xFormat={xFormat} />
    </figure>
  );
}

const dayFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const minuteFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

const toMs = (x: string | number): number => (typeof x === "number" ? x : Date.parse(x));

/**
 * Lines (and optional bars) over time: `x` of each row is an instant (ISO string or ms). The x
 * axis is a time scale; ticks read as dates, or as times when the span is under two days.
 */
export function TimeSeriesChart(
  props: FrameProps & {
    /** How an instant reads on the axis and in the tooltip; default by span. */
    xFormat?: (ms: number) => string;
  },
) {
  const times = props.rows.map((row) => toMs(row.x));
  const span = times.length > 1 ? Math.max(...times) - Math.min(...times) : 0;
  const defaultFormat = (ms: number) =>
    span < 2 * 86_400_000 ? minuteFormat.format(new Date(ms)) : dayFormat.format(new Date(ms));
  const format = props.xFormat ?? defaultFormat;
  const rows = props.rows.map((row) => ({ ...row, x: toMs(row.x) }));
  const hasBars = props.series.some((s) => s.kind === "bar");
  return (
    <ChartFrame
      {...props}
      rows={rows}
      defaultKind="line"
      xFormat={(x) => format(toMs(x))}
      xAxis={
        <XAxis
          dataKey="x"
          type="number"
          scale="time"
          domain={["dataMin", "dataMax"]}
          ticks={times.length <= 16 ? times : undefined}
          tickFormatter={(x: number) => format(x)}
          tick={{ fill: "var(--muted)", fontSize: 12 }}
          stroke="var(--border)"
          padding={hasBars ? { left: 24, right: 24 } : { left: 8, right: 8 }}
          minTickGap={12}
        />
      }
    />
  );
}

/** Bars (and optional lines) over categories: `x` of each row is the category's name (a train ID). */
export function BarChart(
  props: FrameProps & {
    /** How a category reads on the axis. @default as is */
    xFormat?: (x: string) => string;
  },
) {
  const format = props.xFormat ?? ((x: string) => x);
  return (
    <ChartFrame
      {...props}
      defaultKind="bar"
      xFormat={(x) => format(String(x))}
      xAxis={
        <XAxis
          dataKey="x"
          type="category"
          tickFormatter={(x: string) => format(String(x))}
          tick={{ fill: "var(--muted)", fontSize: 12 }}
          stroke="var(--border)"
          interval="preserveStartEnd"
          minTickGap={8}
        />
      }
    />
  );
}
