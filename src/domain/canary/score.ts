/**
 * The score of a canary analysis from its metrics' verdicts, as Kayenta scores a canary: each
 * group scores the share of its metrics that pass, the analysis the weighted mean of its
 * groups, and a critical metric that fails sets it to 0. Pure.
 */
import type { MetricJudgement } from "./judge.js";

/** One judged metric, with where it scores. */
export interface ScoredMetric {
  name: string;
  /** The group it scores in. */
  group: string;
  /** Whether its critical breach (see {@link MetricJudgement.criticalBreach}) fails the analysis. */
  critical: boolean;
  judgement: MetricJudgement;
}

/** The scores (0–100) that classify an analysis; marginal ≤ pass. */
export interface CanaryThresholds {
  marginal: number;
  pass: number;
}

/** One group's part of the score. */
export interface GroupScore {
  name: string;
  weight: number;
  /** 100 × passing / metrics with data, rounded to 2 decimals; null when no metric of the group has data. */
  score: number | null;
  /** Its metrics' names, in the order given. */
  metrics: string[];
}

/** The score of an analysis. */
export interface CanaryScore {
  /** 0..100, rounded to 2 decimals. */
  score: number;
  classification: "pass" | "marginal" | "fail";
  /** The first critical metric that failed (its name), when one did: the score is then 0. */
  criticalFailure: string | null;
  /** The groups in the order their first metric appears. */
  groups: GroupScore[];
  /** One line for people: what passed and what did not. */
  reason: string;
}

/**
 * Scores an analysis:
 *
 * - a group's score is 100 × its passing metrics / its metrics whose verdict is not `nodata`;
 *   a group whose metrics all lack data has no score and is left out, the other groups' weights
 *   renormalised;
 * - the score is the weighted mean of the groups' scores, rounded to 2 decimals, or 0 when no
 *   group has data;
 * - a critical metric with a critical breach (high or low beyond its critical effect size, or
 *   no data) sets the score to 0 and the classification to `fail`;
 * - the classification compares the rounded score (the one shown): at least `pass` is `pass`,
 *   at least `marginal` is `marginal`, below is `fail`; no data at all is `fail`.
 *
 * @param weights group name → weight; groups of metrics not named weigh 1. A weight of 0 leaves
 *   its group out; when every group with data weighs 0 the analysis has no score (0, fail).
 * @throws RangeError when a weight is negative or not finite, or the thresholds are not
 *   0 ≤ marginal ≤ pass ≤ 100.
 */
export function scoreCanary(
  metrics: readonly ScoredMetric[],
  weights: Readonly<Record<string, number>>,
  thresholds: CanaryThresholds,
): CanaryScore {
  const { marginal, pass } = thresholds;
  if (!(marginal >= 0 && marginal <= pass && pass <= 100)) {
    throw new RangeError(
      `thresholds must satisfy 0 ≤ marginal ≤ pass ≤ 100, got marginal ${marginal} and pass ${pass}`,
    );
  }
  for (const [group, weight] of Object.entries(weights)) {
    if (!(weight >= 0 && Number.isFinite(weight))) {
      throw new RangeError(
        `the weight of group "${group}" must be a finite number at least 0, got ${weight}`,
      );
    }
  }

  const byGroup = new Map<string, ScoredMetric[]>();
  for (const metric of metrics) {
    const members = byGroup.get(metric.group);
    if (members) members.push(metric);
    else byGroup.set(metric.group, [metric]);
  }

  const groups: GroupScore[] = [];
  let weighted = 0;
  let totalWeight = 0;
  for (const [name, members] of byGroup) {
    const weight = Object.hasOwn(weights, name) ? weights[name]! : 1;
    const judged = members.filter((m) => m.judgement.verdict !== "nodata");
    let score: number | null = null;
    if (judged.length > 0) {
      const raw = (100 * judged.filter((m) => m.judgement.verdict === "pass").length) / judged.length;
      score = round2(raw);
      weighted += weight * raw;
      totalWeight += weight;
    }
    groups.push({ name, weight, score, metrics: members.map((m) => m.name) });
  }

  const critical = metrics.find((m) => m.critical && m.judgement.criticalBreach);
  if (critical) {
    return {
      score: 0,
      classification: "fail",
      criticalFailure: critical.name,
      groups,
      reason:
        critical.judgement.verdict === "nodata"
          ? `critical metric ${critical.name}: ${critical.judgement.reason}`
          : `critical metric ${critical.name} is ${critical.judgement.verdict}: ${critical.judgement.reason}`,
    };
  }

  const judged = metrics.filter((m) => m.judgement.verdict !== "nodata");
  if (judged.length === 0) {
    return {
      score: 0,
      classification: "fail",
      criticalFailure: null,
      groups,
      reason:
        metrics.length === 0
          ? "no data: there are no metrics"
          : "no data: no metric has values for both the baseline and the canary",
    };
  }
  if (totalWeight === 0) {
    return {
      score: 0,
      classification: "fail",
      criticalFailure: null,
      groups,
      reason: "no score: every group with data weighs 0",
    };
  }

  const score = round2(weighted / totalWeight);
  const classification = score >= pass ? "pass" : score >= marginal ? "marginal" : "fail";
  const passing = judged.filter((m) => m.judgement.verdict === "pass").length;
  const parts = [`${passing} of ${judged.length} metrics with data pass`];
  const failing = judged.filter((m) => m.judgement.verdict !== "pass");
  if (failing.length > 0)
    parts.push(`failing: ${failing.map((m) => `${m.name} ${m.judgement.verdict}`).join(", ")}`);
  const empty = metrics.filter((m) => m.judgement.verdict === "nodata");
  if (empty.length > 0) parts.push(`no data: ${empty.map((m) => m.name).join(", ")}`);
  const weightedGroups = groups.filter((g) => g.score !== null && g.weight !== 1);
  if (weightedGroups.length > 0) {
    parts.push(`weights ${weightedGroups.map((g) => `${g.name} ${g.weight}`).join(", ")}`);
  }
  return { score, classification, criticalFailure: null, groups, reason: parts.join("; ") };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
