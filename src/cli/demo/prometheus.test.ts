import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigOrThrow } from "../../domain/config/load.js";
import type { CanaryGateConfig, RailyardConfig } from "../../domain/config/schema.js";
import type { GateContext } from "../../engine/ports.js";
import { type CanaryDetail, runCanaryGate } from "../../integrations/prometheus/canary-gate.js";
import { createPrometheusClient, PrometheusError } from "../../integrations/prometheus/client.js";
import { createErrorRateProbe } from "../../integrations/prometheus/error-rate-probe.js";
import { runSloGate } from "../../integrations/prometheus/slo-gate.js";
import { createDemoPrometheus } from "./prometheus.js";
import { BAD_IN_PRODUCTION, SLOW_IN_CANARY } from "./service.js";

/** What the demo's trains carry, as Railyard's API would tell the stand-in. */
const TRAINS: Record<string, Record<string, string>> = {
  "web-2": { search: "1.5.0" },
  "web-6": { checkout: "2.1.1", storefront: "4.0.1" },
};
const versionsOf = (train: string) =>
  TRAINS[train] ?? { notifications: `0.9.${Number(train.replace(/\D/g, "")) || 0}` };

const stand = createDemoPrometheus({
  trainVersions: async (train) => (train === "unknown-1" ? null : versionsOf(train)),
  badInProduction: BAD_IN_PRODUCTION,
  slowInCanary: SLOW_IN_CANARY,
  now: () => Date.parse("2026-03-03T10:00:00Z"),
});

let server: http.Server;
let base: string;
/** The example configuration, its Prometheus pointed at this test's stand-in. */
let config: RailyardConfig;
let canaryGate: CanaryGateConfig;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const { pathname } = new URL(request.url ?? "/", "http://localhost");
    if (!stand.handle(request, response, pathname)) {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prom`;
  const file = new URL("../../../examples/railyard.yaml", import.meta.url);
  const example = parseConfigOrThrow(readFileSync(file, "utf8"), "examples/railyard.yaml").config;
  config = { ...example, prometheus: { demo: { ...example.prometheus.demo!, url: base } } };
  const gate = config.lines.web!.rollout.waves[0]!.verify.find((g) => g.type === "canary");
  if (gate?.type !== "canary")
    throw new Error("the example's web line has no canary gate in its canary wave");
  canaryGate = gate;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function context(train: string, environment = "eu-west"): GateContext {
  return {
    trainId: train,
    line: "web",
    stage: "verify/canary",
    wave: "canary",
    environments: [environment],
    manifest: [],
    attempt: 1,
    signal: new AbortController().signal,
  };
}

async function canary(train: string, now = new Date("2025-11-27T12:00:00Z"), environment = "eu-west") {
  const outcome = await runCanaryGate(canaryGate, context(train, environment), {
    sources: config.prometheus,
    now: () => now,
  });
  return { outcome, detail: outcome.detail as CanaryDetail };
}

const mean = (points: Array<[number, number]>) => points.reduce((s, [, v]) => s + v, 0) / points.length;

describe("the demo's stand-in Prometheus", () => {
  it("answers range queries at exactly start + k·step up to end, with noise that repeats", async () => {
    const client = createPrometheusClient({ url: base });
    const query = 'demo:error_ratio{train="web-5", environment="eu-west", variant="canary"}';
    const start = new Date("2026-03-05T09:00:00.250Z");
    const end = new Date("2026-03-05T09:10:00Z");
    const first = await client.queryRange(query, start, end, 15);
    expect(first.resultType).toBe("matrix");
    expect(first.series).toHaveLength(1);
    expect(first.series[0]!.labels).toEqual({
      __name__: "demo:error_ratio",
      train: "web-5",
      environment: "eu-west",
      variant: "canary",
    });
    const times = first.series[0]!.values.map(([t]) => t);
    expect(times).toHaveLength(40);
    expect(times[0]).toBe(start.getTime() / 1000);
    expect(times.every((t, i) => t === start.getTime() / 1000 + 15 * i)).toBe(true);
    expect(times.at(-1)!).toBeLessThanOrEqual(end.getTime() / 1000);
    const values = first.series[0]!.values.map(([, v]) => v);
    expect(new Set(values).size).toBeGreaterThan(30);
    expect(Math.min(...values)).toBeGreaterThan(0);
    expect(Math.max(...values)).toBeLessThan(0.01);
    expect(await client.queryRange(query, start, end, 15)).toEqual(first);
  });

  it("answers GET as POST, instant queries at `time` or at its own now, in the API's JSON", async () => {
    const query = 'sum(increase(demo_http_requests_total{line="web", code=~"5.."}[28d]))';
    const get = await fetch(`${base}/api/v1/query?${new URLSearchParams({ query, time: "1772528400" })}`);
    const post = await fetch(`${base}/api/v1/query`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ query, time: "2026-03-03T09:00:00Z" }).toString(),
    });
    expect(get.headers.get("content-type")).toBe("application/json");
    const body = await get.json();
    expect(await post.json()).toEqual(body);
    expect(body).toMatchObject({
      status: "success",
      data: { resultType: "vector", result: [{ metric: {}, value: [1772528400, expect.any(String)] }] },
    });
    const now = (await stand.answer("query", new URLSearchParams({ query }))).body as {
      data: { result: Array<{ value: [number, string] }> };
    };
    expect(now.data.result[0]!.value[0]).toBe(Date.parse("2026-03-03T10:00:00Z") / 1000);
  });

  it("groups and divides as PromQL does, and knows no other metric", async () => {
    const client = createPrometheusClient({ url: base });
    const at = new Date("2026-03-03T09:00:00Z");
    const byCode = await client.query("sum by (code) (rate(demo_http_requests_total[5m]))", at);
    expect(byCode.series.map((s) => s.labels).sort((a, b) => a.code!.localeCompare(b.code!))).toEqual([
      { code: "200" },
      { code: "500" },
    ]);
    const ratio = await client.query(
      'sum(rate(demo_http_requests_total{line="web", code=~"5.."}[1h])) / sum(rate(demo_http_requests_total{line="web"}[1h]))',
      at,
    );
    expect(ratio.series).toHaveLength(1);
    expect(ratio.series[0]!.values[0]![1]).toBeGreaterThan(0.001);
    expect(ratio.series[0]!.values[0]![1]).toBeLessThan(0.003);
    const baselines = await client.query('demo:latency_p99_seconds{train="web-3", variant!="canary"}', at);
    expect(baselines.series.map((s) => s.labels.variant)).toEqual(["baseline"]);
    for (const query of [
      "up",
      'demo:error_ratio{train=~"web-.*"}',
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{version="canary"}[1m])))',
      'demo:error_ratio{team="web"}',
    ]) {
      expect((await client.query(query, at)).series, query).toEqual([]);
    }
  });

  it("refuses what Prometheus refuses, with its status and words", async () => {
    const ask = (endpoint: "query" | "query_range", params: Record<string, string>) =>
      stand.answer(endpoint, new URLSearchParams(params));
    const refusals: Array<[Awaited<ReturnType<typeof ask>>, string]> = [
      [await ask("query", {}), 'invalid parameter "query": 1:1: parse error: no expression found in input'],
      [
        await ask("query", { query: "sum(rate(x[5m])" }),
        'invalid parameter "query": 1:16: parse error: unclosed left parenthesis',
      ],
      [
        await ask("query", { query: 'foo{a="b"' }),
        'invalid parameter "query": 1:10: parse error: unexpected end of input inside braces',
      ],
      [
        await ask("query", { query: '"abc' }),
        'invalid parameter "query": 1:1: parse error: unterminated quoted string',
      ],
      [
        await ask("query_range", { query: "up", start: "10", end: "5", step: "1" }),
        'invalid parameter "end": end timestamp must not be before start time',
      ],
      [
        await ask("query_range", { query: "up", start: "0", end: "100000", step: "1" }),
        "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)",
      ],
      [
        await ask("query_range", { query: "up", start: "0", end: "10", step: "0" }),
        'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
      ],
      [
        await ask("query_range", { query: "up", start: "abc", end: "10", step: "1" }),
        'invalid parameter "start": cannot parse "abc" to a valid timestamp',
      ],
    ];
    for (const [answer, error] of refusals) {
      expect(answer).toEqual({ status: 400, body: { status: "error", errorType: "bad_data", error } });
    }
    const client = createPrometheusClient({ url: base, retries: 0 });
    const refused = await client.query("sum(rate(x[5m])").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PrometheusError);
    expect((refused as PrometheusError).details).toMatchObject({ kind: "query", errorType: "bad_data" });
    const put = await fetch(`${base}/api/v1/query?query=up`, { method: "PUT" });
    expect(put.status).toBe(405);
  });
});

describe("the example's web gates against the stand-in", () => {
  it("passes every ordinary train's canary analysis, with points for both variants", async () => {
    for (const hour of [0, 7, 13, 22]) {
      for (let n = 1; n <= 40; n++) {
        if (`web-${n}` === "web-6") continue;
        const { outcome, detail } = await canary(`web-${n}`, new Date(Date.UTC(2025, 10, 27, hour, n, 7)));
        expect(outcome.verdict, `web-${n} at ${hour}h: ${outcome.output}`).toBe("pass");
        expect(detail.kind).toBe("canary");
        expect(detail.score).toBe(100);
        for (const metric of detail.metrics) {
          expect(metric.baseline.points).toHaveLength(41);
          expect(metric.canary.points).toHaveLength(41);
        }
      }
    }
  });

  it("fails web-6's canary on its critical p99 latency (storefront 4.0.1 is slower)", async () => {
    const { outcome, detail } = await canary("web-6");
    expect(outcome.status).toBe("failed");
    expect(outcome.verdict).toBe("fail");
    expect(outcome.output.split("\n")[0]).toMatch(
      /^critical metric "p99 latency" is high \(mean ratio 1\.[6-9]\d*\): score 0: fail$/,
    );
    expect(detail.criticalFailure).toBe("p99 latency");
    const latency = detail.metrics.find((m) => m.name === "p99 latency")!;
    expect(mean(latency.canary.points) / mean(latency.baseline.points)).toBeGreaterThan(1.6);
    expect(detail.metrics.find((m) => m.name === "error ratio")!.verdict).toBe("pass");
  });

  it("shows web-2's search 1.5.0 failing for baseline and canary alike in production, so the judge passes", async () => {
    const production = await canary("web-2");
    expect(production.outcome.verdict).toBe("pass");
    const errors = production.detail.metrics.find((m) => m.name === "error ratio")!;
    expect(mean(errors.baseline.points)).toBeGreaterThan(0.1);
    expect(mean(errors.canary.points)).toBeGreaterThan(0.1);
    const staging = await canary("web-2", undefined, "staging");
    const calm = staging.detail.metrics.find((m) => m.name === "error ratio")!;
    expect(mean(calm.canary.points)).toBeLessThan(0.01);
    // A train the stand-in cannot look up looks like any other.
    expect((await canary("unknown-1")).outcome.verdict).toBe("pass");
  });

  it("passes the error-budget SLO gate and measures the error ratio M5 compares", async () => {
    const gate = config.lines.web!.gates.find((g) => g.type === "slo");
    if (gate?.type !== "slo") throw new Error("the example's web line has no slo gate");
    const slo = await runSloGate(gate, context("web-3"), {
      sources: config.prometheus,
      slos: config.slos,
      now: () => new Date("2025-11-27T12:00:00Z"),
    });
    expect(slo.status, slo.output).toBe("passed");
    const probe = createErrorRateProbe({ config: () => config });
    const before = await probe.errorRate("web", new Date("2026-03-02T09:00:00Z"), "1h");
    const after = await probe.errorRate("web", new Date("2026-03-02T11:59:00Z"), "1h");
    for (const reading of [before, after]) {
      expect(reading.ratio, reading.detail).toBeGreaterThan(0.001);
      expect(reading.ratio!).toBeLessThan(0.003);
    }
    expect(after.ratio).not.toBe(before.ratio);
  });
});
