import { describe, expect, it } from "vitest";
import type { MetricJudgement, MetricVerdict } from "./judge.js";
import { type ScoredMetric, scoreCanary } from "./score.js";

/** A judged metric with just the facts the score reads. */
function metric(
  name: string,
  verdict: MetricVerdict,
  options: { group?: string; critical?: boolean; breach?: boolean } = {},
): ScoredMetric {
  const judgement: MetricJudgement = {
    verdict,
    pValue: verdict === "nodata" ? null : 0.5,
    hodgesLehmann: verdict === "nodata" ? null : 0,
    ci: verdict === "nodata" ? null : [-1, 1],
    effectRatio: verdict === "nodata" ? null : 1,
    method: verdict === "nodata" ? null : "normal",
    criticalBreach: options.breach ?? verdict === "nodata",
    reason: `${name} is ${verdict}`,
    counts: verdict === "nodata" ? { baseline: 0, canary: 0 } : { baseline: 40, canary: 40 },
  };
  return { name, group: options.group ?? name, critical: options.critical ?? false, judgement };
}

const thresholds = { marginal: 50, pass: 75 };

describe("scoreCanary", () => {
  it("scores 100 and passes when every metric passes", () => {
    const score = scoreCanary([metric("latency", "pass"), metric("errors", "pass")], {}, thresholds);
    expect(score).toEqual({
      score: 100,
      classification: "pass",
      criticalFailure: null,
      groups: [
        { name: "latency", weight: 1, score: 100, metrics: ["latency"] },
        { name: "errors", weight: 1, score: 100, metrics: ["errors"] },
      ],
      reason: "2 of 2 metrics with data pass",
    });
  });

  it("scores each group by its share of passing metrics and weighs the groups", () => {
    const metrics = [
      metric("p50", "pass", { group: "latency" }),
      metric("p99", "high", { group: "latency" }),
      metric("5xx", "pass", { group: "errors" }),
    ];
    // latency 50 (weight 2), errors 100 (weight 1): (2·50 + 100) / 3 = 66.67.
    const score = scoreCanary(metrics, { latency: 2 }, thresholds);
    expect(score.groups).toEqual([
      { name: "latency", weight: 2, score: 50, metrics: ["p50", "p99"] },
      { name: "errors", weight: 1, score: 100, metrics: ["5xx"] },
    ]);
    expect(score.score).toBe(66.67);
    expect(score.classification).toBe("marginal");
    expect(score.reason).toBe("2 of 3 metrics with data pass; failing: p99 high; weights latency 2");
    // Equal weights: (50 + 100) / 2 = 75, exactly the pass threshold.
    expect(scoreCanary(metrics, {}, thresholds)).toMatchObject({ score: 75, classification: "pass" });
    // Weighing errors up instead: (50 + 3·100) / 4 = 87.5.
    expect(scoreCanary(metrics, { errors: 3 }, thresholds).score).toBe(87.5);
  });

  it("fails below marginal", () => {
    const score = scoreCanary(
      [metric("a", "high"), metric("b", "low"), metric("c", "pass")],
      {},
      { marginal: 50, pass: 90 },
    );
    expect(score.score).toBe(33.33);
    expect(score.classification).toBe("fail");
    expect(score.reason).toBe("1 of 3 metrics with data pass; failing: a high, b low");
  });

  it("leaves metrics without data out of their group's share", () => {
    const score = scoreCanary(
      [metric("p50", "pass", { group: "latency" }), metric("p99", "nodata", { group: "latency" })],
      {},
      thresholds,
    );
    expect(score.groups).toEqual([{ name: "latency", weight: 1, score: 100, metrics: ["p50", "p99"] }]);
    expect(score.score).toBe(100);
    expect(score.reason).toBe("1 of 1 metrics with data pass; no data: p99");
  });

  it("leaves a group without data out and renormalises the other weights", () => {
    const score = scoreCanary(
      [
        metric("p99", "high", { group: "latency" }),
        metric("5xx", "nodata", { group: "errors" }),
        metric("cpu", "pass", { group: "saturation" }),
      ],
      { errors: 10, latency: 1, saturation: 3 },
      thresholds,
    );
    expect(score.groups.find((g) => g.name === "errors")).toEqual({
      name: "errors",
      weight: 10,
      score: null,
      metrics: ["5xx"],
    });
    // (1·0 + 3·100) / (1 + 3) = 75: errors' weight 10 takes no part.
    expect(score.score).toBe(75);
    expect(score.classification).toBe("pass");
  });

  it("scores 0 and fails when no metric has data", () => {
    const score = scoreCanary([metric("p99", "nodata"), metric("5xx", "nodata")], {}, thresholds);
    expect(score).toMatchObject({
      score: 0,
      classification: "fail",
      criticalFailure: null,
      reason: "no data: no metric has values for both the baseline and the canary",
    });
    expect(score.groups.map((g) => g.score)).toEqual([null, null]);
    expect(scoreCanary([], {}, thresholds)).toMatchObject({
      score: 0,
      classification: "fail",
      groups: [],
      reason: "no data: there are no metrics",
    });
  });

  it("scores 0 when the first critical metric breaches, and names it", () => {
    const metrics = [
      metric("cpu", "pass"),
      metric("p99", "high", { critical: true, breach: true }),
      metric("5xx", "high", { critical: true, breach: true }),
    ];
    const score = scoreCanary(metrics, {}, thresholds);
    expect(score).toMatchObject({ score: 0, classification: "fail", criticalFailure: "p99" });
    expect(score.reason).toBe("critical metric p99 is high: p99 is high");
    // The groups keep their own scores for the charts.
    expect(score.groups.map((g) => g.score)).toEqual([100, 0, 0]);
  });

  it("fails on a critical metric without data", () => {
    const score = scoreCanary(
      [metric("cpu", "pass"), metric("5xx", "nodata", { critical: true })],
      {},
      thresholds,
    );
    expect(score).toMatchObject({ score: 0, classification: "fail", criticalFailure: "5xx" });
    expect(score.reason).toBe("critical metric 5xx: 5xx is nodata");
  });

  it("ignores a breach on a metric that is not critical, and a critical one within its critical size", () => {
    const metrics = [
      metric("cpu", "high", { breach: true }),
      metric("p99", "high", { critical: true, breach: false }),
      metric("5xx", "pass", { critical: true }),
      metric("rps", "pass"),
    ];
    const score = scoreCanary(metrics, {}, thresholds);
    expect(score).toMatchObject({ score: 50, classification: "marginal", criticalFailure: null });
  });

  it("scores 0 when every group with data weighs 0", () => {
    const score = scoreCanary([metric("cpu", "pass")], { cpu: 0 }, thresholds);
    expect(score).toMatchObject({
      score: 0,
      classification: "fail",
      reason: "no score: every group with data weighs 0",
    });
  });

  it("refuses thresholds out of order and weights that are not numbers at least 0", () => {
    expect(() => scoreCanary([], {}, { marginal: 80, pass: 70 })).toThrow(/0 ≤ marginal ≤ pass ≤ 100/);
    expect(() => scoreCanary([], {}, { marginal: -1, pass: 70 })).toThrow(RangeError);
    expect(() => scoreCanary([], {}, { marginal: 50, pass: 101 })).toThrow(RangeError);
    expect(() => scoreCanary([], { latency: -1 }, thresholds)).toThrow(/weight of group "latency"/);
    expect(() => scoreCanary([], { latency: Number.NaN }, thresholds)).toThrow(RangeError);
  });

  it("classifies the rounded score, the one people see", () => {
    // 2 of 3 pass in one group and 1 of 1 in another: (66.666… + 100) / 2 = 83.333… → 83.33.
    const metrics = [
      metric("a", "pass", { group: "g" }),
      metric("b", "pass", { group: "g" }),
      metric("c", "high", { group: "g" }),
      metric("d", "pass", { group: "h" }),
    ];
    const score = scoreCanary(metrics, {}, { marginal: 50, pass: 83.33 });
    expect(score.score).toBe(83.33);
    expect(score.classification).toBe("pass");
    expect(score.groups[0]!.score).toBe(66.67);
  });
});
