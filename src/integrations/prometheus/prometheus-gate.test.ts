import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PrometheusGateConfig, PrometheusSourceConfig } from "../../domain/config/schema.js";
import type { GateContext } from "../../engine/ports.js";
import { runPrometheusGate } from "./prometheus-gate.js";

// A stand-in Prometheus that answers what each test scripts; the real one is exercised in
// test/integrations/prometheus-gate.test.ts.
let server: Server;
let base: string;
let queries: Array<{ query: string; headers: IncomingMessage["headers"] }>;
let answers: Array<(response: ServerResponse) => void>;

function value(v: string, labels: Record<string, string> = {}) {
  return { metric: labels, value: [1700000000, v] };
}

function vectorAnswer(...result: unknown[]) {
  return (response: ServerResponse) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ status: "success", data: { resultType: "vector", result } }));
  };
}

beforeEach(async () => {
  queries = [];
  answers = [];
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      queries.push({ query: form.get("query") ?? "", headers: request.headers });
      const next = answers.length > 1 ? answers.shift()! : answers[0];
      if (next) next(response);
      else vectorAnswer(value("0"))(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function gate(overrides: Partial<PrometheusGateConfig> = {}): PrometheusGateConfig {
  return {
    name: "error-rate",
    type: "prometheus",
    timeout: "5m",
    query: "x",
    condition: "< 0.01",
    count: 1,
    interval: "1m",
    failureLimit: 0,
    inconclusiveLimit: 0,
    noData: "inconclusive",
    source: "default",
    ...overrides,
  };
}

function source(overrides: Partial<PrometheusSourceConfig> = {}): PrometheusSourceConfig {
  return { url: base, timeout: "5s", retries: 0, headersFromEnv: {}, ...overrides };
}

function context(overrides: Partial<GateContext> = {}): GateContext {
  return {
    trainId: "web-42",
    line: "web",
    stage: "verify/canary",
    wave: "canary",
    environments: ["prod-eu", "prod-us"],
    manifest: [],
    attempt: 1,
    signal: new AbortController().signal,
    ...overrides,
  };
}

/** A sleep that returns at once and records how long the gate wanted to wait. */
function instantSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe("runPrometheusGate", () => {
  it("fills the placeholders into the PromQL, escaped for a string, and passes with the evidence", async () => {
    answers = [vectorAnswer(value("0.004", { code: "500" }))];
    const outcome = await runPrometheusGate(
      gate({
        query:
          'rate(errors{env="{environment}", train="{train}", stage="{stage}", wave="{wave}", line="{line}"}[5m])',
      }),
      context({ trainId: 'we"b-42' }),
      { sources: { default: source() }, now: () => new Date("2030-01-01T00:00:00Z") },
    );
    expect(queries[0]!.query).toBe(
      'rate(errors{env="prod-eu", train="we\\"b-42", stage="verify/canary", wave="canary", line="web"}[5m])',
    );
    expect(outcome.status).toBe("passed");
    expect(outcome.verdict).toBe("pass");
    expect(outcome.output.split("\n")).toEqual([
      "0.004 < 0.01 in 1 of 1 measurement: pass",
      `query (source default, ${base}): ${queries[0]!.query}`,
      "condition: < 0.01; count 1, interval 1m, failureLimit 0, inconclusiveLimit 0, noData inconclusive",
      "#1 2030-01-01T00:00:00.000Z success: 0.004 < 0.01",
      '  0.004 {code="500"}',
    ]);
  });

  it("takes count measurements interval apart, then passes", async () => {
    const { waits, sleep } = instantSleep();
    const outcome = await runPrometheusGate(gate({ count: 3, interval: "30s" }), context(), {
      sources: { default: source() },
      sleep,
    });
    expect(queries).toHaveLength(3);
    expect(waits).toEqual([30_000, 30_000]);
    expect(outcome.verdict).toBe("pass");
    expect(outcome.output.split("\n")[0]).toBe("0 < 0.01 in 3 of 3 measurements: pass");
  });

  it("stops at the first failure beyond failureLimit instead of taking every measurement", async () => {
    answers = [vectorAnswer(value("0.001")), vectorAnswer(value("0.2")), vectorAnswer(value("0.3"))];
    const { waits, sleep } = instantSleep();
    const outcome = await runPrometheusGate(gate({ count: 5, failureLimit: 1 }), context(), {
      sources: { default: source() },
      sleep,
    });
    expect(queries).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(outcome).toMatchObject({ status: "failed", verdict: "fail" });
    expect(outcome.output.split("\n")[0]).toBe(
      "0.3 is not < 0.01 in 2 of 3 measurements (failureLimit 1): fail",
    );
  });

  it("measures again after a query error within inconclusiveLimit, and ends in error beyond it", async () => {
    const broken = (response: ServerResponse) => {
      response.writeHead(422, { "content-type": "application/json" });
      response.end(
        '{"status":"error","errorType":"execution","error":"query processing would load too many samples"}',
      );
    };
    answers = [vectorAnswer(value("0")), broken, vectorAnswer(value("0")), broken];
    const { sleep } = instantSleep();
    const outcome = await runPrometheusGate(gate({ count: 3, inconclusiveLimit: 1 }), context(), {
      sources: { default: source() },
      sleep,
    });
    expect(queries).toHaveLength(4);
    expect(outcome).toMatchObject({ status: "failed", verdict: "error" });
    expect(outcome.output.split("\n")[0]).toBe(
      `query failed in 2 of 4 measurements (inconclusiveLimit 1): Prometheus at ${base}/api/v1/query answered 422 Unprocessable Entity: execution: query processing would load too many samples: error`,
    );
  });

  it("rides over a 5xx with the source's retries", async () => {
    answers = [
      (response) => {
        response.writeHead(503);
        response.end();
      },
      vectorAnswer(value("0")),
    ];
    const outcome = await runPrometheusGate(gate(), context(), {
      sources: { default: source({ retries: 1 }) },
    });
    expect(queries).toHaveLength(2);
    expect(outcome.verdict).toBe("pass");
  });

  it("ends in error naming the known sources when the gate's source is not configured", async () => {
    const outcome = await runPrometheusGate(gate({ source: "eu" }), context(), {
      sources: { default: source(), us: source() },
    });
    expect(outcome).toMatchObject({ status: "failed", verdict: "error" });
    expect(outcome.output).toBe('no Prometheus source "eu" is configured (known: default, us): error');
    expect(queries).toHaveLength(0);
  });

  it("sends headers from the environment and never shows their values", async () => {
    answers = [
      (response) => {
        response.writeHead(401, { "content-type": "application/json" });
        response.end(
          '{"status":"error","errorType":"unauthorized","error":"token Bearer tok-12345 expired"}',
        );
      },
    ];
    const outcome = await runPrometheusGate(gate(), context(), {
      sources: { default: source({ headersFromEnv: { Authorization: "PROM_TOKEN" } }) },
      env: { PROM_TOKEN: "Bearer tok-12345" },
    });
    expect(queries[0]!.headers.authorization).toBe("Bearer tok-12345");
    expect(outcome.verdict).toBe("error");
    expect(outcome.output).toContain("unauthorized: token [redacted] expired");
    expect(outcome.output).not.toContain("tok-12345");
  });

  it("ends in error without querying when a header's environment variable is not set", async () => {
    const outcome = await runPrometheusGate(gate(), context(), {
      sources: { default: source({ headersFromEnv: { Authorization: "PROM_TOKEN" } }) },
      env: {},
    });
    expect(outcome.output).toBe(
      'not queried: environment variable PROM_TOKEN is not set (header Authorization of Prometheus source "default"): error',
    );
    expect(queries).toHaveLength(0);
  });

  it("refuses a count and interval that cannot fit in the gate's timeout", async () => {
    const outcome = await runPrometheusGate(gate({ count: 10, interval: "1m", timeout: "5m" }), context(), {
      sources: { default: source() },
    });
    expect(outcome.verdict).toBe("error");
    expect(outcome.output).toBe(
      "count 10 with interval 1m needs more than 9m, longer than the gate's timeout 5m: raise timeout or lower count or interval: error",
    );
    expect(queries).toHaveLength(0);
  });

  it("gives up at the gate's timeout, keeping the measurements taken", async () => {
    const outcome = await runPrometheusGate(
      gate({ count: 2, interval: "1s", timeout: "1500ms" }),
      context(),
      {
        sources: { default: source() },
        // Waits longer than the timeout leaves: the timeout must cut it short.
        sleep: (_ms, signal) =>
          new Promise((_, reject) =>
            signal.addEventListener("abort", () => reject(signal.reason), { once: true }),
          ),
      },
    );
    expect(outcome.verdict).toBe("error");
    const lines = outcome.output.split("\n");
    expect(lines[0]).toBe("gave up after the gate's timeout 1500ms with 1 of 2 measurements taken: error");
    expect(lines[3]).toMatch(/^#1 \S+ success: 0 < 0\.01$/);
  });

  it("rejects with the caller's reason when the context aborts between measurements", async () => {
    const controller = new AbortController();
    const reason = new Error("train cancelled");
    const pending = runPrometheusGate(
      gate({ count: 3, interval: "1s" }),
      context({ signal: controller.signal }),
      {
        sources: { default: source() },
        sleep: (_ms, signal) => {
          controller.abort(reason);
          return Promise.reject(signal.reason);
        },
      },
    );
    await expect(pending).rejects.toBe(reason);
    expect(queries).toHaveLength(1);
  });

  it("lists at most 20 series per measurement in the evidence", async () => {
    answers = [vectorAnswer(...Array.from({ length: 25 }, (_, i) => value("0", { pod: `p${i}` })))];
    const outcome = await runPrometheusGate(gate(), context(), { sources: { default: source() } });
    const lines = outcome.output.split("\n");
    expect(lines[3]).toMatch(/success: all 25 values < 0\.01 \(worst 0 \{pod="p0"\}\)$/);
    expect(lines.filter((l) => l.startsWith("  0 {pod="))).toHaveLength(20);
    expect(lines.at(-1)).toBe("  … 5 more series");
  });
});
