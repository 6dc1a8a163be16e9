/**
 * The release metrics' contract: what is asked ({@link MetricsQuery}) and what is answered
 * ({@link ReleaseMetricsReport}). The seed article's M1–M10 and the four DORA keys; their exact
 * definitions are written down in `docs/metrics.md` and in {@link METRIC_DEFINITIONS}.
 */
import type { Instant } from "../model.js";

/** What to compute: a period, optionally narrowed to a line, a team or a component. */
export interface MetricsQuery {
  /** Inclusive start of the period. */
  from: Instant;
  /** Exclusive end of the period. */
  to: Instant;
  line?: string;
  /** Trains carrying at least one component of this team (and that team's components only, where per-component). */
  team?: string;
  /** Trains carrying this component. */
  component?: string;
  /** Also answer per calendar week (ISO, Monday 00:00 UTC) or month (UTC). @default none */
  groupBy?: "week" | "month";
}

/** A share with what it is made of; `value` is null when the denominator is 0. */
export interface Ratio {
  value: number | null;
  numerator: number;
  denominator: number;
}

/** A distribution of durations in milliseconds; the figures are null when `count` is 0. */
export interface DurationStat {
  count: number;
  meanMs: number | null;
  p50Ms: number | null;
  p90Ms: number | null;
}

/** The DORA performance clusters (State of DevOps 2023); null when there is no data. */
export type DoraBucket = "elite" | "high" | "medium" | "low";

/** Every metric over one period. */
export interface MetricsPeriod {
  from: Instant;
  to: Instant;
  /** Counts the metrics are made of. */
  trains: {
    /** Trains that reached a terminal state other than skipped in the period. */
    ended: number;
    released: number;
    rolledBack: number;
    aborted: number;
    /** Trains whose first production wave started in the period. */
    departed: number;
    hotfixes: number;
  };
  /** M1: ended trains released without any rollback (whole, wave or component) / ended trains. */
  m1ReleaseSuccessRate: Ratio;
  /** M2: incident start → recovery (resolved, or its train rolled back), over incidents recovered in the period. */
  m2Mttr: DurationStat;
  /**
   * M3: commit (or push, when CI gave no commit time) → the train released, per component version
   * released in the period; `fromPush` counts the versions whose commit time was unknown.
   */
  m3LeadTime: DurationStat & { fromPush: number };
  /** M4: integration test cases passed / cases run (skipped excluded), over JUnit reports received in the period. */
  m4IntegrationTestPassRate: Ratio;
  /** M5: error ratio after release minus before, over trains measured in the period (`release.measured`). */
  m5ErrorRateDelta: { trains: number; mean: number | null; worst: number | null };
  /** M6: SLO-based gate evaluations (slo, prometheus, canary) that passed / all of them, in the period. */
  m6SloCompliance: Ratio;
  /** M7: trains that departed in the period and then failed (rolled back, or a critical incident attributed, or a hotfix followed) / trains that departed. */
  m7ChangeFailureRate: Ratio;
  /** M8: rollbacks started in the period (whole train, wave or component), and per week. */
  m8Rollbacks: { count: number; perWeek: number };
  /** M9: first production wave started → released, for trains released in the period. */
  m9DeploymentTime: DurationStat;
  /** M10: security gate evaluations that failed / all security gate evaluations, in the period. */
  m10SecurityScanFailureRate: Ratio;
  dora: {
    /** Releases (trains released, hotfixes included) per day of the period. */
    deploymentFrequency: { releases: number; perDay: number; bucket: DoraBucket | null };
    /** Median of M3. */
    leadTime: { medianMs: number | null; bucket: DoraBucket | null };
    /** M7. */
    changeFailureRate: { value: number | null; bucket: DoraBucket | null };
    /** Median of M2. */
    timeToRestore: { medianMs: number | null; bucket: DoraBucket | null };
  };
}

export type MetricId = "M1" | "M2" | "M3" | "M4" | "M5" | "M6" | "M7" | "M8" | "M9" | "M10";

/** The answer to a {@link MetricsQuery}. */
export interface ReleaseMetricsReport {
  query: MetricsQuery;
  /** The last event id the metrics include. */
  asOfEventId: number;
  /** The whole period. */
  total: MetricsPeriod;
  /** One per week or month of the period when `groupBy` was asked, oldest first; else empty. */
  periods: MetricsPeriod[];
}
