/**
 * What the executive and debug views read: the release metrics (GET /api/v1/metrics/releases),
 * per-train metrics (GET /api/v1/metrics/trains), the lines, and the weeks and days measured on
 * the server's clock (which may be simulated), rounded so query keys do not change every second.
 */
import { useQuery } from "@tanstack/react-query";
import { useServerClockReading, useServerNow } from "../api/clock";
import { linesQuery, recentMetricsQuery, weeklyMetricsQuery } from "../api/queries";
import type { paths } from "../api/schema";

export type ReleaseMetrics =
  paths["/api/v1/metrics/releases"]["get"]["responses"][200]["content"]["application/json"];
export type MetricsPeriod = ReleaseMetrics["total"];
export type DoraBucket = NonNullable<MetricsPeriod["dora"]["leadTime"]["bucket"]>;
export type TrainMetrics =
  paths["/api/v1/metrics/trains"]["get"]["responses"][200]["content"]["application/json"];
export type TrainMetricsRow = TrainMetrics["trains"][number];

export { DAY, TREND_WEEKS, trendFrom, WEEK } from "../api/queries";

/**
 * The server's clock: `now` (ms, re-rendered every `tickMs`), and `ready` once it was read (before
 * that `now` is the browser's clock, which may be months away from a simulated one).
 */
export function useServerTime(tickMs = 5000): { now: number; ready: boolean } {
  const reading = useServerClockReading();
  const now = useServerNow(tickMs);
  return { now, ready: reading !== null };
}

/** The release metrics of the last 30 days on the server's clock (its default period). */
export function useRecentMetrics() {
  return useQuery(recentMetricsQuery);
}

/**
 * The release metrics per ISO week for the last {@link TREND_WEEKS} weeks up to now, all lines
 * together and each line (`byLine`): the trend chart and the SLO heatmap share this one request.
 * `from` is the Monday of the first week (it changes once a week).
 */
export function useWeeklyMetrics(from: string | null) {
  return useQuery({ ...weeklyMetricsQuery(from ?? ""), enabled: from !== null });
}

/** The lines with their next departures and active trains (GET /api/v1/lines). */
export function useLines() {
  return useQuery(linesQuery);
}

/** Tone of a DORA performance cluster: elite and high read good, medium watch, low bad. */
export function bucketTone(bucket: DoraBucket | null | undefined): "good" | "warn" | "bad" | "neutral" {
  if (bucket === "elite" || bucket === "high") return "good";
  if (bucket === "medium") return "warn";
  if (bucket === "low") return "bad";
  return "neutral";
}
