import { describe, expect, it } from "vitest";
import type { CanaryGateConfig, CanaryMetricConfig } from "../../domain/config/schema.js";
import type { GateContext } from "../../engine/ports.js";
import { type CanaryDetail, downsample, runCanaryGate } from "./canary-gate.js";

const END = 1_767_225_600; // 2026-01-01T00:00:00Z
const now = () => new Date(END * 1000);

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

function metric(overrides: Partial<CanaryMetricConfig> = {}): CanaryMetricConfig {
  return {
    name: "latency",
    query: 'latency{version="{variant}"}',
    direction: "increase",
    critical: false,
    nanStrategy: "remove",
    ...overrides,
  };
}

function gate(overrides: Partial<CanaryGateConfig> = {}): CanaryGateConfig {
  return {
    name: "canary",
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
    metrics: [metric()],
    ...overrides,
  };
}

type Values = Array<number | "NaN" | "+Inf" | "-Inf">;

/**
 * A fake Prometheus answering every range query with the series `answer` gives for its PromQL,
 * one sample every 15 s ending at END, and recording the forms it received.
 */
function fakePrometheus(answer: (query: string) => Values[] | { status: number; body: unknown }) {
  const received: URLSearchParams[] = [];
  const headers: Array<Record<string, string>> = [];
  const fetch = (async (url: URL | string, init?: RequestInit) => {
    expect(String(url)).toBe("http://prometheus:9090/api/v1/query_range");
    const form = new URLSearchParams(String(init?.body));
    received.push(form);
    headers.push(init?.headers as Record<string, string>);
    const given = answer(form.get("query") ?? "");
    if (!Array.isArray(given)) return new Response(JSON.stringify(given.body), { status: given.status });
    const result = given.map((values, i) => ({
      metric: { pod: `p${i}` },
      values: values.map((v, j) => [END - (values.length - 1 - j) * 15, String(v)]),
    }));
    return new Response(JSON.stringify({ status: "success", data: { resultType: "matrix", result } }));
  }) as typeof globalThis.fetch;
  return { fetch, received, headers };
}

const sources = {
  default: { url: "http://prometheus:9090", timeout: "5s", retries: 0, headersFromEnv: {} },
};

const SAME = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

describe("runCanaryGate", () => {
  it("sends one range query per variant over the lookback, with {variant} and the placeholders filled", async () => {
    const prometheus = fakePrometheus(() => [SAME]);
    const configured = gate({
      variants: { baseline: "stable", canary: 'can"ary' },
      metrics: [metric({ query: 'latency{version="{variant}", train="{train}", env="{environment}"}' })],
    });
    const outcome = await runCanaryGate(configured, context, { sources, now, fetch: prometheus.fetch });
    expect(outcome.verdict).toBe("pass");
    expect(prometheus.received.map((form) => Object.fromEntries(form))).toEqual([
      {
        query: 'latency{version="stable", train="web-42", env="prod-eu"}',
        start: String((END - 600).toFixed(3)),
        end: String(END.toFixed(3)),
        step: "15",
        timeout: "5s",
      },
      {
        query: 'latency{version="can\\"ary", train="web-42", env="prod-eu"}',
        start: String((END - 600).toFixed(3)),
        end: String(END.toFixed(3)),
        step: "15",
        timeout: "5s",
      },
    ]);
  });

  it("pools the samples of every series, removing NaN and leaving ±Inf out", async () => {
    const prometheus = fakePrometheus(() => [
      [1, 2, "NaN", 3],
      [4, "+Inf", 5, "-Inf"],
    ]);
    const outcome = await runCanaryGate(gate(), context, { sources, now, fetch: prometheus.fetch });
    const detail = outcome.detail as CanaryDetail;
    expect(detail.metrics[0]!.counts).toEqual({ baseline: 5, canary: 5 });
    expect(detail.metrics[0]!.baseline.series).toBe(2);
    // In time order; samples of one instant in series order.
    expect(detail.metrics[0]!.baseline.points).toEqual([
      [END - 45, 1],
      [END - 45, 4],
      [END - 30, 2],
      [END - 15, 5],
      [END, 3],
    ]);
    expect(outcome.output).toContain(
      '  latency baseline: latency{version="baseline"} (2 series, 5 samples, 1 NaN removed, 2 infinite left out)',
    );
  });

  it("replaces NaN by 0 with nanStrategy replace", async () => {
    const prometheus = fakePrometheus(() => [[1, "NaN", 3]]);
    const outcome = await runCanaryGate(gate({ metrics: [metric({ nanStrategy: "replace" })] }), context, {
      sources,
      now,
      fetch: prometheus.fetch,
    });
    const detail = outcome.detail as CanaryDetail;
    expect(detail.metrics[0]!.canary.points.map(([, v]) => v)).toEqual([1, 0, 3]);
    expect(outcome.output).toContain('  latency canary: latency{version="canary"} (1 series, 3 samples)');
  });

  it("judges the canary against the baseline: a clear increase fails a critical metric", async () => {
    const prometheus = fakePrometheus((query) =>
      query.includes('"canary"') ? [SAME.map((v) => v * 2 + 10)] : [SAME],
    );
    const outcome = await runCanaryGate(gate({ metrics: [metric({ critical: true })] }), context, {
      sources,
      now,
      fetch: prometheus.fetch,
    });
    expect(outcome).toMatchObject({ status: "failed", verdict: "fail" });
    expect(outcome.output.split("\n")[0]).toMatch(
      /^critical metric "latency" is high \(mean ratio 3\.82\): score 0: fail$/,
    );
    expect(outcome.detail).toMatchObject({
      score: 0,
      classification: "fail",
      metrics: [{ verdict: "high" }],
    });
  });

  it("sends the source's headers from the environment and never shows them", async () => {
    const prometheus = fakePrometheus(() => ({
      status: 400,
      body: { status: "error", errorType: "bad_data", error: "token s3cr3t-token is not welcome" },
    }));
    const outcome = await runCanaryGate(gate(), context, {
      sources: { default: { ...sources.default, headersFromEnv: { Authorization: "PROM_TOKEN" } } },
      env: { PROM_TOKEN: "s3cr3t-token" },
      now,
      fetch: prometheus.fetch,
    });
    expect(prometheus.headers[0]?.authorization).toBe("s3cr3t-token");
    expect(outcome).toMatchObject({ status: "failed", verdict: "error" });
    expect(outcome.output).not.toContain("s3cr3t-token");
    expect(outcome.output.split("\n")[0]).toMatch(
      /^the (baseline|canary) query of metric "latency" failed: .*bad_data: token \[redacted\] is not welcome: error$/,
    );
  });

  it("ends in error without querying when a header's variable is unset", async () => {
    const prometheus = fakePrometheus(() => [SAME]);
    const outcome = await runCanaryGate(gate(), context, {
      sources: { default: { ...sources.default, headersFromEnv: { Authorization: "PROM_TOKEN" } } },
      env: {},
      now,
      fetch: prometheus.fetch,
    });
    expect(outcome.output).toBe(
      'not queried: environment variable PROM_TOKEN is not set (header Authorization of Prometheus source "default"): error',
    );
    expect(prometheus.received).toHaveLength(0);
  });

  it("ends in error when the step is longer than the lookback", async () => {
    const prometheus = fakePrometheus(() => [SAME]);
    const outcome = await runCanaryGate(gate({ lookback: "1m", step: "5m" }), context, {
      sources,
      now,
      fetch: prometheus.fetch,
    });
    expect(outcome.output).toBe(
      "step 5m must be more than 0 and at most lookback 1m: lower step or raise lookback: error",
    );
  });

  it("ends in error for thresholds the configuration would refuse (a gate built in code)", async () => {
    const prometheus = fakePrometheus(() => [SAME]);
    const outcome = await runCanaryGate(gate({ thresholds: { marginal: 96, pass: 95 } }), context, {
      sources,
      now,
      fetch: prometheus.fetch,
    });
    expect(outcome).toMatchObject({ status: "failed", verdict: "error" });
    expect(outcome.output.split("\n")[0]).toBe(
      "thresholds must satisfy 0 ≤ marginal ≤ pass ≤ 100, got marginal 96 and pass 95: error",
    );
  });

  it("gives up at the gate's timeout, saying how many queries answered", async () => {
    const hanging = ((_url: URL | string, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      })) as typeof globalThis.fetch;
    const outcome = await runCanaryGate(gate({ timeout: "50ms" }), context, { sources, now, fetch: hanging });
    expect(outcome).toMatchObject({ status: "failed", verdict: "error" });
    expect(outcome.output.split("\n")[0]).toBe(
      "gave up after the gate's timeout 50ms with 0 of 2 queries answered: error",
    );
  });

  it("rethrows the caller's abort instead of recording a verdict", async () => {
    const controller = new AbortController();
    const hanging = ((_url: URL | string, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
        controller.abort(new Error("shutting down"));
      })) as typeof globalThis.fetch;
    await expect(
      runCanaryGate(gate(), { ...context, signal: controller.signal }, { sources, now, fetch: hanging }),
    ).rejects.toThrow("shutting down");
  });
});

describe("downsample", () => {
  it("keeps every point up to the limit", () => {
    expect(downsample([1, 2, 3], 3)).toEqual([1, 2, 3]);
  });

  it("keeps the first, the last and evenly spaced points between", () => {
    expect(downsample([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3)).toEqual([0, 5, 10]);
    expect(downsample([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4)).toEqual([0, 3, 6, 9]);
    expect(
      downsample(
        Array.from({ length: 5000 }, (_, i) => i),
        1000,
      ),
    ).toHaveLength(1000);
  });
});
