/**
 * Charts for every view, on uPlot (canvas, ~50 KB): a time-series chart (lines, optionally bars,
 * over instants) and a bar chart (bars, optionally a line, over categories such as train IDs).
 * Each is a <figure> with a caption that names it, an optional summary sentence, a
 * keyboard-focusable plot (arrow keys walk the tooltip, Escape hides it), an HTML legend, and the
 * same numbers as a visually-hidden table for screen readers (drawn with the plot, one frame after
 * the view). Colours come from the theme
 * (var(--chart-1..4), --border, --muted, …), read from the figure's computed style because a
 * canvas cannot use var(…); the plot is redrawn when the colour scheme changes.
 */
import {
  type KeyboardEvent,
  type ReactNode,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
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
  /**
   * What the caption shows when it should be shorter than the name (e.g. "Over time" inside a
   * panel that names the metric); the figure and the plot keep `title` as their accessible name.
   */
  caption?: ReactNode;
  /** A sentence saying what the chart shows (visible under the caption; the plot's description). */
  summary?: ReactNode;
  /** The id of an element elsewhere on the page that describes the chart (instead of `summary`). */
  describedBy?: string;
  rows: ChartRow[];
  series: ChartSeries[];
  /** Plot height in px (axes included, legend not). @default 260 */
  height?: number;
  /** Smaller caption and legend, for charts side by side in a panel. */
  compact?: boolean;
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
  /** Dots on the lines' data points: always, never, or (default) when they are not crowded. */
  showPoints?: boolean;
  /** Draw lines across missing values instead of leaving a gap. @default false */
  connectNulls?: boolean;
}

const plain = (value: number | null): string =>
  value === null || !Number.isFinite(value) ? "—" : String(Math.round(value * 1000) / 1000);

const colorOf = (series: ChartSeries, index: number): string =>
  series.color ?? `var(--chart-${(index % 4) + 1})`;

function numberAt(row: ChartRow, key: string): number | null {
  const value = row[key];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
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
          {rows.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: two rows may read alike (histogram buckets rounded the same); the rows never reorder.
            <tr key={`${i}:${String(row.x)}`}>
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

/** The HTML legend: a swatch (a line, dashed where the series is, or a block for bars) and the name. */
function ChartLegend({ series, defaultKind }: { series: ChartSeries[]; defaultKind: "line" | "bar" }) {
  return (
    <ul className="chart-legend">
      {series.map((s, i) => {
        const kind = s.kind ?? defaultKind;
        const color = colorOf(s, i);
        return (
          <li key={s.key}>
            <span
              className={`chart-key chart-key-${kind}${s.dashed ? " chart-key-dashed" : ""}`}
              style={kind === "bar" ? { background: color } : { borderColor: color }}
              aria-hidden="true"
            />
            {s.label}
            {s.axis === "right" ? <span className="chart-legend-axis"> (right axis)</span> : null}
          </li>
        );
      })}
    </ul>
  );
}

/** The theme's colours and font as a canvas can use them (computed values, not var(…)). */
interface Theme {
  text: string;
  muted: string;
  border: string;
  surface: string;
  font: string;
  resolve: (color: string) => string;
}

function themeOf(el: Element): Theme {
  const style = getComputedStyle(el);
  const prop = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const resolve = (color: string): string => {
    const match = /^var\(\s*(--[\w-]+)\s*(?:,\s*(.+))?\)$/.exec(color.trim());
    if (!match) return color;
    return prop(match[1] ?? "", match[2]?.trim() ?? "#888888");
  };
  return {
    text: prop("--text", "#16202c"),
    muted: prop("--muted", "#4b5969"),
    border: prop("--border", "#d5dbe3"),
    surface: prop("--surface", "#ffffff"),
    font: `12px ${style.fontFamily || "system-ui, sans-serif"}`,
    resolve,
  };
}

let measurer: CanvasRenderingContext2D | null = null;
/** The width in CSS px of `text` drawn in `font`. */
function textWidth(text: string, font: string): number {
  measurer ??= document.createElement("canvas").getContext("2d");
  if (!measurer) return text.length * 7;
  measurer.font = font;
  return measurer.measureText(text).width;
}

/** Tick steps for value axes: 1, 2, 2.5 and 5 times the powers of ten, smallest first. */
const NUMBER_INCRS = Array.from({ length: 25 }, (_, e) => e - 12).flatMap((e) =>
  [1, 2, 2.5, 5].map((m) => Number((m * 10 ** e).toPrecision(3))),
);
/** Tick steps for axes whose values are whole numbers (counts): never 0.5 of a release. */
const WHOLE_INCRS = NUMBER_INCRS.filter((incr) => incr >= 1 && Number.isInteger(incr));

/**
 * The steps whose ticks read differently in `format` over [min, max]: a format with one decimal
 * must not label 0.10 % and 0.15 % both "0.1 %", so uPlot takes the next coarser step instead.
 */
function readableIncrs(incrs: number[], format: ((value: number) => string) | undefined): uPlot.Axis.Incrs {
  if (!format) return incrs;
  return (_u, _axisIdx, min, max) => {
    const readable = incrs.filter((incr) => {
      const from = Math.ceil(min / incr);
      const to = Math.floor(max / incr);
      if (to - from > 60) return false;
      let previous: string | null = null;
      for (let k = from; k <= to; k++) {
        const label = format(Number((k * incr).toPrecision(12)));
        if (label === previous) return false;
        previous = label;
      }
      return true;
    });
    return readable.length > 0 ? readable : incrs;
  };
}
/** Category steps: label every category, every 2nd, 3rd, … as the plot narrows. */
const CATEGORY_INCRS = [1, 2, 3, 4, 5, 10, 20, 25, 50, 100, 200, 500, 1000];

const TICK = 4;
const GAP = 5;

/**
 * Bars as a path builder: `slot` of `count` bar series side by side around each x, the group at
 * most 80 % of the narrowest spacing between neighbouring x values, each bar at most `maxWidth` px.
 */
function barPaths(slot: number, count: number, maxWidth: number): uPlot.Series.PathBuilder {
  return (u, seriesIdx, idx0, idx1) => {
    const xs = u.data[0];
    const ys = u.data[seriesIdx];
    const scale = u.series[seriesIdx]?.scale ?? "y";
    if (!ys) return null;
    const ratio = uPlot.pxRatio;
    let pitch = Number.POSITIVE_INFINITY;
    for (let i = Math.max(idx0, 1); i <= idx1; i++) {
      const a = xs[i - 1];
      const b = xs[i];
      if (a === undefined || b === undefined) continue;
      pitch = Math.min(pitch, Math.abs(u.valToPos(b, "x", true) - u.valToPos(a, "x", true)));
    }
    if (!Number.isFinite(pitch)) pitch = u.bbox.width / 2;
    const gap = count > 1 ? Math.round(2 * ratio) : 0;
    const group = Math.min(pitch * 0.8, count * maxWidth * ratio + gap * (count - 1));
    const width = Math.max(1, (group - gap * (count - 1)) / count);
    const { min = 0, max = 1 } = u.scales[scale] ?? {};
    const zero = u.valToPos(Math.min(Math.max(0, min), max), scale, true);
    const path = new Path2D();
    for (let i = idx0; i <= idx1; i++) {
      const x = xs[i];
      const v = ys[i];
      if (x === undefined || v === null || v === undefined) continue;
      const left = u.valToPos(x, "x", true) - group / 2 + slot * (width + gap);
      const top = u.valToPos(v, scale, true);
      path.rect(Math.round(left), Math.min(top, zero), Math.round(width), Math.max(1, Math.abs(zero - top)));
    }
    return { stroke: path, fill: path };
  };
}

interface PlotProps extends Omit<FrameProps, "rows" | "caption" | "summary" | "xLabel" | "compact"> {
  rows: ChartRow[];
  /** Each row's position on the x scale: ms since the epoch, or the category's index. */
  xs: number[];
  mode: "time" | "category";
  defaultKind: "line" | "bar";
  /** How an x position reads on the axis and in the tooltip. */
  xFormat: (x: number) => string;
  /** For time axes: tick at each row's instant (thinned to fit) rather than at round times. */
  dataTicks: boolean;
  summaryId: string | undefined;
}

/** The uPlot canvas, its tooltip and its keyboard walk. Built in a layout effect: drawn before paint. */
function ChartPlot(props: PlotProps) {
  const { title, rows, xs, series, height = 260, mode, defaultKind, summaryId } = props;
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // The newest props for uPlot's callbacks (formats are often new functions on every render).
  const latest = useRef(props);
  latest.current = props;
  const [hover, setHover] = useState<{ idx: number; left: number; flip: boolean } | null>(null);
  const [scheme, setScheme] = useState(0);

  useEffect(() => {
    const query = window.matchMedia?.("(prefers-color-scheme: dark)");
    if (!query) return;
    const changed = () => setScheme((n) => n + 1);
    query.addEventListener("change", changed);
    return () => query.removeEventListener("change", changed);
  }, []);

  // What the canvas depends on, as data: the plot is rebuilt only when this changes.
  const shape = JSON.stringify([
    xs,
    series.map((s) => [s.key, s.label, s.kind, s.axis, s.color, s.dashed]),
    series.map((s) => rows.map((r) => numberAt(r, s.key))),
    height,
    mode,
    defaultKind,
    props.leftDomain,
    props.rightDomain,
    props.barSize,
    props.showPoints,
    props.connectNulls,
    props.dataTicks,
    scheme,
  ]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `shape` stands for the plotted data; formats are read through `latest`.
  useLayoutEffect(() => {
    const el = host.current;
    if (!el) return;
    const p = latest.current;
    const theme = themeOf(el);
    const kinds = p.series.map((s) => s.kind ?? p.defaultKind);
    const bars = kinds.flatMap((k, i) => (k === "bar" ? [i] : []));
    const values = p.series.map((s) => p.rows.map((r) => numberAt(r, s.key)));
    const onAxis = (axis: "left" | "right") =>
      p.series.flatMap((s, i) => ((s.axis ?? "left") === axis ? [values[i] ?? []] : []));
    const whole = (axis: "left" | "right") => {
      const lists = onAxis(axis);
      return lists.length > 0 && lists.every((list) => list.every((v) => v === null || Number.isInteger(v)));
    };
    const hasRight = p.series.some((s) => s.axis === "right");
    const hasLeft = p.series.some((s) => (s.axis ?? "left") === "left") || !hasRight;
    const n = p.xs.length;
    const first = p.xs[0] ?? 0;
    const last = p.xs[n - 1] ?? 0;

    // x: categories sit on whole numbers with half a step either side; instants get room for bars or dots.
    const xRange: uPlot.Range.Function = () => {
      if (p.mode === "category") return [-0.5, Math.max(0, n - 1) + 0.5];
      if (n < 2 || last === first) return [first - 86_400_000, last + 86_400_000];
      let step = Number.POSITIVE_INFINITY;
      for (let i = 1; i < n; i++) step = Math.min(step, (p.xs[i] ?? 0) - (p.xs[i - 1] ?? 0) || step);
      const pad = bars.length > 0 && Number.isFinite(step) ? step / 2 : (last - first) * 0.02;
      return [first - pad, last + pad];
    };
    // y: from zero (like the bars' base) unless a domain is fixed.
    const yRange = (domain: [number, number] | undefined): uPlot.Range.Function | uPlot.Range.MinMax =>
      domain
        ? [domain[0], domain[1]]
        : (_u, min, max) => {
            if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
            const lo = Math.min(0, min);
            const hi = Math.max(0, max);
            return hi === lo ? [lo, lo + 1] : uPlot.rangeNum(lo, hi, 0.1, true);
          };

    const labelWidth = (texts: string[]) => texts.reduce((w, t) => Math.max(w, textWidth(t, theme.font)), 0);
    const xLabels = p.xs.map((x) => p.xFormat(x));
    const xSpace = labelWidth(xLabels) + 14;
    const ySize: uPlot.Axis.Size = (_u, ticks) => Math.ceil(TICK + GAP + labelWidth(ticks ?? []) + 4);
    const grid = { stroke: theme.border, width: 1, dash: [3, 3] };
    const ticks = { stroke: theme.border, width: 1, size: TICK };

    const xAxis: uPlot.Axis = {
      scale: "x",
      stroke: theme.muted,
      font: theme.font,
      gap: GAP,
      size: 12 + TICK + GAP + 8,
      grid: { show: false },
      ticks,
      border: { show: true, stroke: theme.border, width: 1 },
      space: xSpace,
      values: (_u, splits) =>
        splits.map((x) => (p.mode === "category" && !Number.isInteger(x) ? "" : latest.current.xFormat(x))),
      ...(p.mode === "category" ? { incrs: CATEGORY_INCRS } : {}),
      ...(p.mode === "time" && p.dataTicks
        ? {
            // A tick at each row's instant, every k-th (counting back from the newest) when labels would collide.
            splits: (u: uPlot) => {
              const room = u.bbox.width / uPlot.pxRatio;
              const every = Math.max(1, Math.ceil((n * xSpace) / Math.max(room, 1)));
              return p.xs.filter((_, i) => (n - 1 - i) % every === 0);
            },
          }
        : {}),
    };
    const yAxis = (axis: "left" | "right"): uPlot.Axis => {
      const format = axis === "left" ? p.leftFormat : p.rightFormat;
      const domain = axis === "left" ? p.leftDomain : p.rightDomain;
      return {
        scale: axis === "left" ? "y" : "y2",
        side: axis === "left" ? 3 : 1,
        stroke: theme.muted,
        font: theme.font,
        gap: GAP,
        size: ySize,
        space: 32,
        grid: axis === "left" || !hasLeft ? grid : { show: false },
        ticks,
        incrs: readableIncrs(whole(axis) && !domain ? WHOLE_INCRS : NUMBER_INCRS, format),
        ...(format
          ? {
              values: (_u: uPlot, splits: number[]) =>
                splits.map(
                  (v) =>
                    (axis === "left" ? latest.current.leftFormat : latest.current.rightFormat)?.(v) ??
                    String(v),
                ),
            }
          : {}),
      };
    };

    const seriesOpts: uPlot.Series[] = p.series.map((s, i) => {
      const color = theme.resolve(colorOf(s, i));
      const scale = s.axis === "right" ? "y2" : "y";
      if (kinds[i] === "bar") {
        return {
          label: s.label,
          scale,
          fill: color,
          stroke: color,
          width: 0,
          class: "chart-bar-series",
          paths: barPaths(bars.indexOf(i), bars.length, p.barSize ?? 48),
          points: { show: false },
        };
      }
      return {
        label: s.label,
        scale,
        stroke: color,
        width: 2,
        spanGaps: p.connectNulls ?? false,
        ...(s.dashed ? { dash: [6, 4] } : {}),
        points: {
          ...(p.showPoints !== undefined ? { show: p.showPoints } : {}),
          size: 6,
          width: 1,
          fill: color,
          stroke: color,
        },
      };
    });

    const data: uPlot.AlignedData = [p.xs, ...values];
    const showTip = (u: uPlot) => {
      const idx = u.cursor.idx;
      const x = idx === null || idx === undefined ? undefined : p.xs[idx];
      if (idx === null || idx === undefined || x === undefined) {
        setHover(null);
        return;
      }
      const left = u.over.offsetLeft + u.valToPos(x, "x");
      setHover({ idx, left, flip: left > u.width / 2 });
    };
    const u = new uPlot(
      {
        width: Math.max(el.clientWidth, 120),
        height: p.height ?? 260,
        ms: 1,
        legend: { show: false },
        padding: [12, hasRight ? 4 : 14, 0, 4],
        cursor: {
          y: false,
          drag: { x: false, y: false, setScale: false },
          points: { size: 9, width: 2, fill: theme.surface },
        },
        scales: {
          x: { time: p.mode === "time", range: xRange },
          y: { range: yRange(p.leftDomain) },
          ...(hasRight ? { y2: { range: yRange(p.rightDomain) } } : {}),
        },
        axes: [xAxis, ...(hasLeft ? [yAxis("left")] : []), ...(hasRight ? [yAxis("right")] : [])],
        series: [{}, ...seriesOpts],
        hooks: { setCursor: [showTip] },
      },
      data,
      el,
    );
    plot.current = u;
    setHover(null);

    // Width follows the container; the height is the prop's.
    let width = u.width;
    const observer = new ResizeObserver(() => {
      const next = Math.max(el.clientWidth, 120);
      if (next === width) return;
      width = next;
      u.setSize({ width: next, height: u.height });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [shape]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const u = plot.current;
    if (!u || xs.length === 0) return;
    const idx = u.cursor.idx ?? null;
    let next: number | null;
    switch (event.key) {
      case "ArrowRight":
        next = idx === null ? 0 : Math.min(xs.length - 1, idx + 1);
        break;
      case "ArrowLeft":
        next = idx === null ? xs.length - 1 : Math.max(0, idx - 1);
        break;
      case "Home":
        next = 0;
        break;
      case "End":
        next = xs.length - 1;
        break;
      case "Escape":
        if (idx === null) return;
        u.setCursor({ left: -10, top: -10 });
        event.preventDefault();
        return;
      default:
        return;
    }
    event.preventDefault();
    const x = xs[next];
    if (x === undefined) return;
    u.setCursor({ left: u.valToPos(x, "x"), top: u.bbox.height / uPlot.pxRatio / 2 });
  };

  const row = hover ? rows[hover.idx] : undefined;
  return (
    <div
      className="chart-plot"
      role="img"
      aria-label={title}
      {...(summaryId ? { "aria-describedby": summaryId } : {})}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the plot takes focus so arrow keys can walk its data points.
      tabIndex={0}
      onKeyDown={onKeyDown}
      onBlur={() => plot.current?.setCursor({ left: -10, top: -10 })}
      style={{ minHeight: height }}
    >
      <div ref={host} className="chart-canvas" />
      {hover && row ? (
        <div
          className="chart-tooltip"
          aria-hidden="true"
          style={hover.flip ? { right: `calc(100% - ${hover.left - 12}px)` } : { left: hover.left + 12 }}
        >
          <div className="chart-tooltip-label">{props.xFormat(xs[hover.idx] ?? 0)}</div>
          <ul>
            {series.map((s, i) => (
              <li key={s.key}>
                <span className="chart-swatch" style={{ background: colorOf(s, i) }} aria-hidden="true" />
                {s.label}: <strong>{(s.format ?? plain)(numberAt(row, s.key))}</strong>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

function ChartFrame(
  props: FrameProps & {
    defaultKind: "line" | "bar";
    mode: "time" | "category";
    xs: number[];
    /** The x value of a row as it reads in the table. */
    rowFormat: (x: string | number) => string;
    /** The x position as it reads on the axis and in the tooltip. */
    xFormat: (x: number) => string;
    dataTicks: boolean;
  },
) {
  const {
    title,
    caption,
    summary,
    describedBy,
    rows,
    series,
    height = 260,
    compact,
    xLabel,
    rowFormat,
  } = props;
  const captionId = useId();
  const summaryId = useId();
  const described = summary ? summaryId : describedBy;
  return (
    <figure
      className={compact ? "chart chart-compact" : "chart"}
      {...(caption === undefined ? { "aria-labelledby": captionId } : { "aria-label": title })}
    >
      <figcaption id={captionId} className="chart-caption">
        {caption ?? title}
      </figcaption>
      {summary ? (
        <p id={summaryId} className="chart-summary">
          {summary}
        </p>
      ) : null}
      {/* The table (hidden but for screen readers) comes with the plot, a frame after the view:
          a canary chart's is ~170 elements, which the first paint need not lay out. */}
      <AfterPaint height={height + (compact ? 24 : 30)}>
        <ChartPlot {...props} height={height} summaryId={described} />
        <ChartLegend series={series} defaultKind={props.defaultKind} />
        <ChartTable title={title} rows={rows} series={series} xLabel={xLabel} xFormat={rowFormat} />
      </AfterPaint>
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
  const rows = props.rows.filter((row) => Number.isFinite(toMs(row.x))).sort((a, b) => toMs(a.x) - toMs(b.x));
  const xs = rows.map((row) => toMs(row.x));
  const span = xs.length > 1 ? (xs[xs.length - 1] ?? 0) - (xs[0] ?? 0) : 0;
  const defaultFormat = (ms: number) =>
    span < 2 * 86_400_000 ? minuteFormat.format(new Date(ms)) : dayFormat.format(new Date(ms));
  const format = props.xFormat ?? defaultFormat;
  return (
    <ChartFrame
      {...props}
      rows={rows}
      xs={xs}
      mode="time"
      defaultKind="line"
      dataTicks={xs.length <= 16}
      xFormat={format}
      rowFormat={(x) => format(toMs(x))}
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
  const names = props.rows.map((row) => String(row.x));
  return (
    <ChartFrame
      {...props}
      xs={names.map((_, i) => i)}
      mode="category"
      defaultKind="bar"
      dataTicks={false}
      xFormat={(i) => {
        const name = names[Math.round(i)];
        return name === undefined ? "" : format(name);
      }}
      rowFormat={(x) => format(String(x))}
    />
  );
}
