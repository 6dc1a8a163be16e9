/**
 * The release metrics M1–M10 and the four DORA keys from train facts and incidents, over a
 * period and optionally per ISO week or UTC month. Pure and one pass: every fact's timed items
 * (its end, its departure, each rollback, report, gate evaluation) are added to the period they
 * fall in, found by comparing instants as strings (ISO instants sort as the times they name).
 * The definitions are in {@link METRIC_DEFINITIONS} and `docs/metrics.md`.
 */
import type { Incident, Instant } from "../model.js";
import {
  changeFailureRateBucket,
  deploymentFrequencyBucket,
  leadTimeBucket,
  timeToRestoreBucket,
} from "./dora.js";
import type { TrainFact } from "./train-fact.js";
import type {
  DurationStat,
  MetricId,
  MetricsPeriod,
  MetricsQuery,
  Ratio,
  ReleaseMetricsReport,
} from "./types.js";

const DAY = 86_400_000;
const WEEK = 7 * DAY;

/** One sentence per metric: what it counts and when; shown by the API, the CLI and the docs. */
export const METRIC_DEFINITIONS: Readonly<Record<MetricId | "DF" | "LT" | "CFR" | "TTR", string>> = {
  M1: "Release success rate: trains that ended released without any rollback (whole train, wave or component) / trains that ended (released, rolled back or aborted; skipped ones excluded), counted when they ended.",
  M2: "MTTR: mean and percentiles of critical incidents' start (first alert) → recovery (resolved, or its train finished rolling back if earlier), over incidents recovered in the period.",
  M3: "Pipeline lead time: each component version's commit time (its push time when CI gave none) → its train released, over versions released in the period.",
  M4: "Integration test pass rate: test cases passed (flaky included) / cases run (skipped excluded), over JUnit reports received in the period.",
  M5: "Post-release error-rate delta: the line's error ratio over the window after release minus over the window before the first wave, over trains measured in the period (mean and worst).",
  M6: "SLO compliance during release: SLO-based gate evaluations (slo, prometheus, canary) that passed / all of them, evaluated in the period.",
  M7: "Change failure rate: trains that departed in the period and then failed (any rollback, a critical incident attributed to them, or a hotfix train following them) / trains that departed.",
  M8: "Rollback frequency: rollbacks started in the period (whole train, wave or component), in total and per week.",
  M9: "Deployment time per train: first production wave started → released, over trains released in the period.",
  M10: "Security scan failure rate: security gate evaluations that failed / all security gate evaluations, in the period.",
  DF: "DORA deployment frequency: trains released (hotfixes included) per day; elite ≥ 1/day, high ≥ 1/week, medium ≥ 1/month, else low.",
  LT: "DORA lead time for changes: the median of M3; elite < 1 day, high < 1 week, medium < 1 month, else low.",
  CFR: "DORA change failure rate: M7; elite ≤ 5 %, high ≤ 10 %, medium ≤ 15 %, else low.",
  TTR: "DORA time to restore service: the median of M2; elite < 1 hour, high < 1 day, medium < 1 week, else low.",
};

/** What the computation looks up in the configuration and the log. */
export interface MetricsContext {
  /** The team owning a component (undefined: unknown component). */
  teamOf(component: string): string | undefined;
  /** The last event the facts include (reported as `asOfEventId`). */
  asOfEventId: number;
}

interface Acc {
  from: Instant;
  to: Instant;
  ms: number;
  ended: number;
  released: number;
  rolledBack: number;
  aborted: number;
  departed: number;
  hotfixes: number;
  cleanReleases: number;
  mttr: number[];
  lead: number[];
  leadFromPush: number;
  testsPassed: number;
  testsRun: number;
  m5: number[];
  sloPassed: number;
  sloAll: number;
  securityFailed: number;
  securityAll: number;
  failedChanges: number;
  rollbacks: number;
  deployTime: number[];
}

function newAcc(from: Instant, to: Instant): Acc {
  return {
    from,
    to,
    ms: Date.parse(to) - Date.parse(from),
    ended: 0,
    released: 0,
    rolledBack: 0,
    aborted: 0,
    departed: 0,
    hotfixes: 0,
    cleanReleases: 0,
    mttr: [],
    lead: [],
    leadFromPush: 0,
    testsPassed: 0,
    testsRun: 0,
    m5: [],
    sloPassed: 0,
    sloAll: 0,
    securityFailed: 0,
    securityAll: 0,
    failedChanges: 0,
    rollbacks: 0,
    deployTime: [],
  };
}

/**
 * The start of each week (ISO: Monday 00:00 UTC) or UTC month that overlaps [from, to), clipped
 * to it: `[from, b1, b2, …]`; each period runs to the next start, the last to `to`.
 */
export function periodStarts(from: Instant, to: Instant, groupBy: "week" | "month"): Instant[] {
  const starts: Instant[] = [from];
  const start = new Date(from);
  let next: Date;
  if (groupBy === "week") {
    const midnight = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
    const sinceMonday = (start.getUTCDay() + 6) % 7;
    next = new Date(midnight - sinceMonday * DAY + WEEK);
  } else {
    next = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  }
  const end = Date.parse(to);
  while (next.getTime() < end) {
    starts.push(next.toISOString());
    next =
      groupBy === "week"
        ? new Date(next.getTime() + WEEK)
        : new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 1));
  }
  return starts;
}

/**
 * Computes the report for `query` from every train's fact and the incidents.
 * Facts and incidents outside the query's line, team or component are left out here, so callers
 * may pass everything they have.
 */
export function computeReleaseMetrics(
  facts: Iterable<TrainFact>,
  incidents: readonly Incident[],
  query: MetricsQuery,
  context: MetricsContext,
): ReleaseMetricsReport {
  const total = newAcc(query.from, query.to);
  const starts = query.groupBy ? periodStarts(query.from, query.to, query.groupBy) : [];
  const periods = starts.map((s, i) => newAcc(s, starts[i + 1] ?? query.to));

  /** The period `at` falls in (`at` within [from, to)); undefined when not grouped. */
  const periodOf = (at: Instant): Acc | undefined => {
    if (periods.length === 0) return undefined;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as string) <= at) lo = mid;
      else hi = mid - 1;
    }
    return periods[lo];
  };
  const inRange = (at: Instant | null): at is Instant => at !== null && at >= query.from && at < query.to;
  /** Adds to the total and to the period `at` falls in; nothing when outside [from, to). */
  const add = (at: Instant | null, fn: (acc: Acc) => void): void => {
    if (!inRange(at)) return;
    fn(total);
    const period = periodOf(at);
    if (period) fn(period);
  };

  const componentMatches = (component: string): boolean =>
    (query.component === undefined || component === query.component) &&
    (query.team === undefined || context.teamOf(component) === query.team);
  const trainMatches = (fact: TrainFact): boolean => {
    if (query.line !== undefined && fact.line !== query.line) return false;
    if (query.component === undefined && query.team === undefined) return true;
    for (const component in fact.components) if (componentMatches(component)) return true;
    return false;
  };

  // Attribution, over every fact and incident (a hotfix of another team still fails the train).
  const byId = new Map<string, TrainFact>();
  const hotfixesOf = new Map<string, Instant[]>();
  for (const fact of facts) {
    byId.set(fact.trainId, fact);
    if (fact.kind === "hotfix" && fact.hotfixOf !== null) {
      const key = `${fact.line}#${fact.hotfixOf}`;
      const list = hotfixesOf.get(key);
      if (list) list.push(fact.createdAt);
      else hotfixesOf.set(key, [fact.createdAt]);
    }
  }
  const criticalTrains = new Set<string>();
  for (const incident of incidents) {
    if (incident.severity === "critical" && incident.trainId !== null) criticalTrains.add(incident.trainId);
  }

  for (const fact of byId.values()) {
    if (!trainMatches(fact)) continue;
    const released = fact.releasedAt;
    if (fact.outcome !== null && fact.outcome !== "skipped") {
      const clean = fact.outcome === "released" && fact.rollbacks.length === 0;
      const outcome = fact.outcome;
      const hotfix = fact.kind === "hotfix";
      add(fact.endedAt, (acc) => {
        acc.ended += 1;
        if (outcome === "released") acc.released += 1;
        else if (outcome === "rolled_back") acc.rolledBack += 1;
        else acc.aborted += 1;
        if (hotfix) acc.hotfixes += 1;
        if (clean) acc.cleanReleases += 1;
      });
    }
    if (fact.departedAt !== null) {
      const departedAt = fact.departedAt;
      const followed =
        fact.kind === "scheduled" &&
        (hotfixesOf.get(`${fact.line}#${fact.number}`) ?? []).some((created) => created >= departedAt);
      const failed = fact.rollbacks.length > 0 || criticalTrains.has(fact.trainId) || followed;
      add(departedAt, (acc) => {
        acc.departed += 1;
        if (failed) acc.failedChanges += 1;
      });
      if (released !== null) {
        const ms = Date.parse(released) - Date.parse(departedAt);
        add(released, (acc) => acc.deployTime.push(ms));
      }
    }
    if (inRange(released)) {
      // Thousands of versions per period: the period is found once per train, not per version.
      const releasedMs = Date.parse(released);
      const period = periodOf(released);
      for (const component in fact.components) {
        if (!componentMatches(component)) continue;
        const version = fact.components[component];
        if (!version) continue;
        const ms = releasedMs - Date.parse(version.committedAt ?? version.pushedAt);
        total.lead.push(ms);
        period?.lead.push(ms);
        if (version.committedAt === null) {
          total.leadFromPush += 1;
          if (period) period.leadFromPush += 1;
        }
      }
    }
    for (const rollback of fact.rollbacks) {
      if (rollback.scope === "component" && !rollback.components.some(componentMatches)) continue;
      add(rollback.at, (acc) => {
        acc.rollbacks += 1;
      });
    }
    for (const report of fact.tests) {
      add(report.at, (acc) => {
        acc.testsPassed += report.passed;
        acc.testsRun += report.run;
      });
    }
    for (const gate of fact.gates) {
      add(gate.at, (acc) => {
        if (gate.kind === "slo") {
          acc.sloAll += gate.passed + gate.failed;
          acc.sloPassed += gate.passed;
        } else {
          acc.securityAll += gate.passed + gate.failed;
          acc.securityFailed += gate.failed;
        }
      });
    }
    const m = fact.measurement;
    if (m !== null && m.before !== null && m.after !== null) {
      const delta = m.after - m.before;
      add(m.at, (acc) => acc.m5.push(delta));
    }
  }

  for (const incident of incidents) {
    if (incident.severity !== "critical") continue;
    if (query.line !== undefined && incident.line !== query.line) continue;
    const train = incident.trainId === null ? undefined : byId.get(incident.trainId);
    if (query.component !== undefined || query.team !== undefined) {
      if (
        incident.component !== null ? !componentMatches(incident.component) : !train || !trainMatches(train)
      ) {
        continue;
      }
    }
    let recovered = incident.resolvedAt;
    const rolledBack = train?.rolledBackAt ?? null;
    if (
      rolledBack !== null &&
      rolledBack >= incident.startedAt &&
      (recovered === null || rolledBack < recovered)
    ) {
      recovered = rolledBack;
    }
    if (recovered === null) continue;
    const ms = Math.max(0, Date.parse(recovered) - Date.parse(incident.startedAt));
    add(recovered, (acc) => acc.mttr.push(ms));
  }

  return {
    query,
    asOfEventId: context.asOfEventId,
    total: finish(total),
    periods: periods.map(finish),
  };
}

function ratio(numerator: number, denominator: number): Ratio {
  return { value: denominator === 0 ? null : numerator / denominator, numerator, denominator };
}

/** Nearest-rank percentile of sorted values (p in (0, 1]). */
function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] as number;
}

function durationStat(values: number[]): DurationStat {
  if (values.length === 0) return { count: 0, meanMs: null, p50Ms: null, p90Ms: null };
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    meanMs: sum / sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
  };
}

function finish(acc: Acc): MetricsPeriod {
  const lead = durationStat(acc.lead);
  const mttr = durationStat(acc.mttr);
  const cfr = ratio(acc.failedChanges, acc.departed);
  const days = acc.ms / DAY;
  const perDay = days > 0 ? acc.released / days : 0;
  let worst: number | null = null;
  let sum = 0;
  for (const d of acc.m5) {
    sum += d;
    if (worst === null || d > worst) worst = d;
  }
  return {
    from: acc.from,
    to: acc.to,
    trains: {
      ended: acc.ended,
      released: acc.released,
      rolledBack: acc.rolledBack,
      aborted: acc.aborted,
      departed: acc.departed,
      hotfixes: acc.hotfixes,
    },
    m1ReleaseSuccessRate: ratio(acc.cleanReleases, acc.ended),
    m2Mttr: mttr,
    m3LeadTime: { ...lead, fromPush: acc.leadFromPush },
    m4IntegrationTestPassRate: ratio(acc.testsPassed, acc.testsRun),
    m5ErrorRateDelta: {
      trains: acc.m5.length,
      mean: acc.m5.length === 0 ? null : sum / acc.m5.length,
      worst,
    },
    m6SloCompliance: ratio(acc.sloPassed, acc.sloAll),
    m7ChangeFailureRate: cfr,
    m8Rollbacks: { count: acc.rollbacks, perWeek: acc.ms > 0 ? acc.rollbacks / (acc.ms / WEEK) : 0 },
    m9DeploymentTime: durationStat(acc.deployTime),
    m10SecurityScanFailureRate: ratio(acc.securityFailed, acc.securityAll),
    dora: {
      deploymentFrequency: {
        releases: acc.released,
        perDay,
        bucket: acc.ended === 0 && acc.departed === 0 ? null : deploymentFrequencyBucket(perDay),
      },
      leadTime: { medianMs: lead.p50Ms, bucket: lead.p50Ms === null ? null : leadTimeBucket(lead.p50Ms) },
      changeFailureRate: {
        value: cfr.value,
        bucket: cfr.value === null ? null : changeFailureRateBucket(cfr.value),
      },
      timeToRestore: {
        medianMs: mttr.p50Ms,
        bucket: mttr.p50Ms === null ? null : timeToRestoreBucket(mttr.p50Ms),
      },
    },
  };
}
