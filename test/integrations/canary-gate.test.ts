/**
 * The canary gate against a real Prometheus (Debian's /usr/bin/prometheus) holding half an hour of
 * baseline and canary series, backfilled with promtool before it starts: real range queries, real
 * rate() windows over request counters, real gauges of latency, Prometheus's own error messages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CanaryGateConfig,
  type CanaryMetricConfig,
  Gate,
  type PrometheusSourceConfig,
} from "../../src/domain/config/schema.js";
import type { GateContext } from "../../src/engine/ports.js";
import { createGateRunner } from "../../src/integrations/gate-runner.js";
import { type CanaryDetail, runCanaryGate } from "../../src/integrations/prometheus/canary-gate.js";
import { closedPort } from "../support/cli.js";
import { type RunningPrometheus, startBackfilledPrometheus } from "../support/prometheus.js";
import { seededRandom } from "../support/random.js";

const STEP_S = 15;
const HISTORY_S = 30 * 60;
/** Requests per 15-second step, of each variant of every service. */
const REQUESTS = 1_000;

interface Variant {
  /** Latency in seconds around which the gauge varies by ±10%. */
  latency: number;
  /** 5xx responses per step, around which the count varies by ±3. */
  errors: number;
}

/** Each service's baseline and canary; a variant left out has no series at all. */
const SERVICES: Record<string, { baseline: Variant; canary?: Variant }> = {
  // The canary behaves as the baseline does.
  healthy: { baseline: { latency: 0.2, errors: 10 }, canary: { latency: 0.2, errors: 10 } },
  // The canary is 40% slower.
  slow: { baseline: { latency: 0.2, errors: 10 }, canary: { latency: 0.28, errors: 10 } },
  // The canary fails three times as often, at the same latency.
  flaky: { baseline: { latency: 0.2, errors: 10 }, canary: { latency: 0.2, errors: 30 } },
  // The canary never reported anything.
  lonely: { baseline: { latency: 0.2, errors: 10 } },
};

/**
 * OpenMetrics: a gauge `request_latency_seconds{service, version}` and counters
 * `http_requests_total{service, version, code}` every 15 s over 30 minutes ending at `end`.
 */
function history(end: number): string {
  const latency = ["# TYPE request_latency_seconds gauge"];
  const requests = ["# TYPE http_requests counter"];
  let seed = 1;
  for (const [service, variants] of Object.entries(SERVICES)) {
    for (const version of ["baseline", "canary"] as const) {
      const variant = variants[version];
      if (!variant) continue;
      const noise = seededRandom(seed++);
      const labels = `service="${service}",version="${version}"`;
      const errorsAt: number[] = [];
      for (let t = end - HISTORY_S; t <= end; t += STEP_S) {
        const value = variant.latency * (0.9 + 0.2 * noise());
        latency.push(`request_latency_seconds{${labels}} ${value.toFixed(6)} ${t}`);
        errorsAt.push(Math.max(0, Math.round(variant.errors + 6 * noise() - 3)));
      }
      for (const code of ["200", "500"]) {
        let total = 0;
        errorsAt.forEach((errors, i) => {
          if (i > 0) total += code === "500" ? errors : REQUESTS - errors;
          requests.push(
            `http_requests_total{${labels},code="${code}"} ${total} ${end - HISTORY_S + i * STEP_S}`,
          );
        });
      }
    }
  }
  return `${[...latency, ...requests, "# EOF"].join("\n")}\n`;
}

/** The end of the history, on a 15-second boundary: the end of every analysed range. */
const END = Math.floor(Date.now() / 1000 / STEP_S) * STEP_S - STEP_S;
const at = () => new Date(END * 1000);

let prometheus: RunningPrometheus;
let sources: Record<string, PrometheusSourceConfig>;

beforeAll(async () => {
  prometheus = await startBackfilledPrometheus(history(END));
  sources = { default: { url: prometheus.url, timeout: "10s", retries: 1, headersFromEnv: {} } };
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
});

function latency(service: string, overrides: Partial<CanaryMetricConfig> = {}): CanaryMetricConfig {
  return {
    name: "latency",
    query: `max(request_latency_seconds{service="${service}",version="{variant}"})`,
    direction: "increase",
    critical: true,
    effectSize: { allowedIncrease: 1.1, criticalIncrease: 1.3 },
    nanStrategy: "remove",
    ...overrides,
  };
}

function errors(service: string, overrides: Partial<CanaryMetricConfig> = {}): CanaryMetricConfig {
  const selector = `service="${service}",version="{variant}"`;
  return {
    name: "error ratio",
    group: "errors",
    query: `sum(rate(http_requests_total{${selector},code="500"}[1m])) / sum(rate(http_requests_total{${selector}}[1m]))`,
    direction: "increase",
    critical: false,
    nanStrategy: "remove",
    ...overrides,
  };
}

function gate(metrics: CanaryMetricConfig[], overrides: Partial<CanaryGateConfig> = {}): CanaryGateConfig {
  return {
    name: "canary-analysis",
    type: "canary",
    timeout: "1m",
    source: "default",
    lookback: "10m",
    step: "15s",
    confidence: 0.98,
    tolerance: 0.25,
    thresholds: { marginal: 75, pass: 95 },
    groups: {},
    variants: { baseline: "baseline", canary: "canary" },
    metrics,
    ...overrides,
  };
}

const context: GateContext = {
  trainId: "web-42",
  line: "web",
  stage: "analysis/canary",
  wave: "canary",
  environments: ["prod-eu"],
  manifest: [],
  attempt: 1,
  signal: new AbortController().signal,
};

function lines(output: string): string[] {
  return output.split("\n");
}

function detailOf(detail: unknown): CanaryDetail {
  expect(detail).toMatchObject({ kind: "canary" });
  // What the gate result stores: it must survive JSON unchanged.
  expect(JSON.parse(JSON.stringify(detail))).toEqual(detail);
  return detail as CanaryDetail;
}

/** Samples in a 10-minute range every 15 s, both ends included. */
const SAMPLES = 41;

describe("canary gate on a real Prometheus with half an hour of baseline and canary series", () => {
  it("passes a healthy canary with score 100, through the gate runner", async () => {
    const configured = Gate.parse({
      name: "canary-analysis",
      type: "canary",
      metrics: [latency("healthy"), errors("healthy")],
    });
    const runner = createGateRunner({ baseDir: process.cwd(), prometheus: () => sources });
    const outcome = await runner.run(configured, context);
    expect(outcome, `${outcome.output}\n${prometheus.diagnostics()}`).toMatchObject({
      status: "passed",
      verdict: "pass",
    });
    expect(lines(outcome.output)[0]).toBe("score 100, at least pass 95: pass");
    const detail = detailOf(outcome.detail);
    expect(detail).toMatchObject({
      score: 100,
      classification: "pass",
      thresholds: { marginal: 75, pass: 95 },
      interim: false,
      criticalFailure: null,
    });
    expect(detail.analysis).toBeUndefined();
    expect(detail.metrics.map((m) => [m.name, m.verdict])).toEqual([
      ["latency", "pass"],
      ["error ratio", "pass"],
    ]);
  });

  it("shows the score, the thresholds, every metric and the queries as sent", async () => {
    const outcome = await runCanaryGate(gate([latency("healthy"), errors("healthy")]), context, {
      sources,
      now: at,
    });
    expect(outcome.verdict).toBe("pass");
    const output = lines(outcome.output);
    const from = new Date((END - 600) * 1000).toISOString();
    expect(output[1]).toBe(
      `canary analysis (source default, ${prometheus.url}) of 10m from ${from} to ${at().toISOString()}, step 15s; confidence 0.98, tolerance 0.25`,
    );
    expect(output[2]).toBe("thresholds: marginal 75, pass 95; a single analysis: it passes at 95");
    expect(output).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^ {2}latency \\(critical, increase\\): pass; p [\\d.]+, HL -?[\\d.e-]+, CI \\[-?[\\d.e-]+, -?[\\d.e-]+\\], ratio [\\d.]+, baseline ${SAMPLES} / canary ${SAMPLES} samples; `,
        ),
      ),
    );
    expect(output).toContainEqual(
      expect.stringMatching(/^ {2}error ratio \(group errors, increase\): pass; /),
    );
    expect(output).toContain(
      `  latency canary: max(request_latency_seconds{service="healthy",version="canary"}) (1 series, ${SAMPLES} samples)`,
    );
    const detail = detailOf(outcome.detail);
    expect(detail.range).toEqual({ start: END - 600, end: END, step: 15 });
    const [first] = detail.metrics;
    expect(first).toMatchObject({
      name: "latency",
      group: "latency",
      critical: true,
      direction: "increase",
      counts: { baseline: SAMPLES, canary: SAMPLES },
      baseline: { query: 'max(request_latency_seconds{service="healthy",version="baseline"})', series: 1 },
    });
    expect(first!.canary.points).toHaveLength(SAMPLES);
    expect(first!.canary.points[0]![0]).toBe(END - 600);
    expect(first!.canary.points.at(-1)![0]).toBe(END);
    expect(first!.canary.points.every(([, v]) => v >= 0.18 && v <= 0.22)).toBe(true);
  });

  it("keeps at most maxPoints points per series for the charts, evenly spread", async () => {
    const outcome = await runCanaryGate(gate([latency("healthy")]), context, {
      sources,
      now: at,
      maxPoints: 5,
    });
    const [metric] = detailOf(outcome.detail).metrics;
    expect(metric!.counts).toEqual({ baseline: SAMPLES, canary: SAMPLES });
    expect(metric!.baseline.points.map(([t]) => t)).toEqual([
      END - 600,
      END - 450,
      END - 300,
      END - 150,
      END,
    ]);
  });

  it("fails a canary 40% slower on a critical metric with score 0, naming the metric first", async () => {
    const outcome = await runCanaryGate(gate([errors("slow"), latency("slow")]), context, {
      sources,
      now: at,
    });
    expect(outcome).toMatchObject({ status: "failed", verdict: "fail" });
    const output = lines(outcome.output);
    expect(output[0]).toMatch(/^critical metric "latency" is high \(mean ratio 1\.[34]\d*\): score 0: fail$/);
    const metricLines = output.slice(output.indexOf("metrics:") + 1, output.indexOf("queries:"));
    expect(metricLines[0]).toMatch(
      /^ {2}latency \(critical, increase\): high \(critical failure\); p < 0\.0001, .*ratio 1\.[34]\d*/,
    );
    const detail = detailOf(outcome.detail);
    expect(detail).toMatchObject({ score: 0, classification: "fail" });
    expect(detail.criticalFailure).toMatch(/latency/);
    const slow = detail.metrics.find((m) => m.name === "latency")!;
    expect(slow.verdict).toBe("high");
    expect(slow.effectRatio).toBeGreaterThan(1.3);
    expect(slow.effectRatio).toBeLessThan(1.5);
    expect(slow.hodgesLehmann).toBeGreaterThan(0.05);
  });

  describe("a regression of a non-critical metric: one of two groups fails, score 50", () => {
    const judged = gate([latency("flaky"), errors("flaky")], { thresholds: { marginal: 40, pass: 95 } });

    it("is inconclusive as the only analysis: a person decides", async () => {
      const outcome = await runCanaryGate(judged, context, { sources, now: at });
      expect(outcome).toMatchObject({ status: "failed", verdict: "inconclusive" });
      expect(lines(outcome.output)[0]).toBe("score 50, below pass 95 but at least marginal 40: inconclusive");
      const detail = detailOf(outcome.detail);
      expect(detail).toMatchObject({
        score: 50,
        classification: "marginal",
        interim: false,
        criticalFailure: null,
      });
      expect(detail.metrics.map((m) => [m.name, m.verdict])).toEqual([
        ["latency", "pass"],
        ["error ratio", "high"],
      ]);
    });

    it("passes as an interim analysis (1 of 3), judged at the marginal threshold", async () => {
      const outcome = await runCanaryGate(
        judged,
        { ...context, analysis: { index: 1, of: 3 } },
        { sources, now: at },
      );
      expect(outcome).toMatchObject({ status: "passed", verdict: "pass" });
      const output = lines(outcome.output);
      expect(output[0]).toBe("score 50, at least marginal 40 (interim analysis 1 of 3): pass");
      expect(output[2]).toBe(
        "thresholds: marginal 40, pass 95; interim analysis 1 of 3: it passes at marginal 40",
      );
      expect(detailOf(outcome.detail)).toMatchObject({ interim: true, analysis: { index: 1, of: 3 } });
    });

    it("is inconclusive as the last analysis (3 of 3)", async () => {
      const outcome = await runCanaryGate(
        judged,
        { ...context, analysis: { index: 3, of: 3 } },
        { sources, now: at },
      );
      expect(outcome.verdict).toBe("inconclusive");
      expect(lines(outcome.output)[0]).toBe(
        "score 50, below pass 95 but at least marginal 40 (last analysis 3 of 3): inconclusive",
      );
      expect(detailOf(outcome.detail)).toMatchObject({ interim: false, analysis: { index: 3, of: 3 } });
    });

    it("fails an interim analysis below the marginal threshold", async () => {
      const strict = { ...judged, thresholds: { marginal: 75, pass: 95 } };
      const outcome = await runCanaryGate(
        strict,
        { ...context, analysis: { index: 1, of: 3 } },
        { sources, now: at },
      );
      expect(outcome).toMatchObject({ status: "failed", verdict: "fail" });
      expect(lines(outcome.output)[0]).toBe("score 50, below marginal 75 (interim analysis 1 of 3): fail");
    });

    it("weighs the groups: the failing errors group at 3 against latency at 1 scores 25", async () => {
      const outcome = await runCanaryGate({ ...judged, groups: { latency: 1, errors: 3 } }, context, {
        sources,
        now: at,
      });
      expect(outcome.verdict).toBe("fail");
      expect(lines(outcome.output)[0]).toBe("score 25, below marginal 40: fail");
    });
  });

  describe("without data on one side", () => {
    it("fails with score 0 when a critical metric has no canary series", async () => {
      const outcome = await runCanaryGate(gate([latency("lonely"), errors("healthy")]), context, {
        sources,
        now: at,
      });
      expect(outcome).toMatchObject({ status: "failed", verdict: "fail" });
      expect(lines(outcome.output)[0]).toBe('critical metric "latency" has no data: score 0: fail');
      expect(outcome.output).toContain(
        '  latency canary: max(request_latency_seconds{service="lonely",version="canary"}) (0 series, 0 samples)',
      );
      const detail = detailOf(outcome.detail);
      expect(detail.metrics[0]).toMatchObject({
        verdict: "nodata",
        counts: { baseline: SAMPLES, canary: 0 },
        canary: { series: 0, points: [] },
      });
    });

    it("leaves a non-critical metric without data out of the score", async () => {
      const outcome = await runCanaryGate(
        gate([latency("healthy"), errors("lonely", { name: "lonely errors", group: "lonely" })]),
        context,
        { sources, now: at },
      );
      expect(outcome, outcome.output).toMatchObject({ status: "passed", verdict: "pass" });
      const detail = detailOf(outcome.detail);
      expect(detail.score).toBe(100);
      expect(detail.groups.find((g) => g.name === "lonely")?.score).toBeNull();
      expect(detail.metrics[1]!.verdict).toBe("nodata");
    });

    it("is inconclusive when no metric has data on both sides", async () => {
      const outcome = await runCanaryGate(
        gate([latency("lonely", { critical: false }), errors("lonely")]),
        context,
        { sources, now: at },
      );
      expect(outcome).toMatchObject({ status: "failed", verdict: "inconclusive" });
      expect(lines(outcome.output)[0]).toBe(
        "no data: no metric has samples for both the baseline and the canary: inconclusive",
      );
    });
  });

  it("compares a baseline and a canary given as two queries", async () => {
    const split: CanaryMetricConfig = {
      name: "latency",
      baseline: 'max(request_latency_seconds{service="slow",version="baseline"})',
      canary: 'max(request_latency_seconds{service="healthy",version="canary"})',
      direction: "increase",
      critical: true,
      nanStrategy: "remove",
    };
    const outcome = await runCanaryGate(gate([split]), context, { sources, now: at });
    expect(outcome, outcome.output).toMatchObject({ status: "passed", verdict: "pass" });
    expect(outcome.output).toContain(
      '  latency baseline: max(request_latency_seconds{service="slow",version="baseline"}) (1 series, 41 samples)',
    );
  });

  describe("that cannot be judged", () => {
    it("ends in error with Prometheus's message for a PromQL syntax error", async () => {
      const broken = errors("healthy", { query: 'sum(rate(http_requests_total{version="{variant}"}[1m])' });
      const outcome = await runCanaryGate(gate([latency("healthy"), broken]), context, { sources, now: at });
      expect(outcome).toMatchObject({ status: "failed", verdict: "error" });
      expect(outcome.detail).toBeUndefined();
      expect(lines(outcome.output)[0]).toMatch(
        new RegExp(
          `^the (baseline|canary) query of metric "error ratio" failed: Prometheus at ${prometheus.url}/api/v1/query_range answered 400 Bad Request: bad_data: .*parse error.*: error$`,
        ),
      );
    });

    it("ends in error when Prometheus cannot be reached", async () => {
      const port = await closedPort();
      const down = {
        default: { url: `http://127.0.0.1:${port}`, timeout: "2s", retries: 0, headersFromEnv: {} },
      };
      const outcome = await runCanaryGate(gate([latency("healthy")]), context, { sources: down, now: at });
      expect(outcome).toMatchObject({ status: "failed", verdict: "error" });
      expect(lines(outcome.output)[0]).toMatch(
        new RegExp(
          `^the (baseline|canary) query of metric "latency" failed: Prometheus at http://127\\.0\\.0\\.1:${port}/api/v1/query_range is unreachable: .*: error$`,
        ),
      );
    });

    it("ends in error naming the configured sources when the gate's source is unknown", async () => {
      const outcome = await runCanaryGate(gate([latency("healthy")], { source: "eu" }), context, { sources });
      expect(outcome.output).toBe('no Prometheus source "eu" is configured (known: default): error');
    });
  });
});
