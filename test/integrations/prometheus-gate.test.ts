/**
 * The prometheus gate against a real Prometheus (Debian's /usr/bin/prometheus) scraping a small
 * exporter every second: real PromQL, real rate() windows, Prometheus's own error messages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Gate,
  type PrometheusGateConfig,
  type PrometheusSourceConfig,
} from "../../src/domain/config/schema.js";
import type { GateContext } from "../../src/engine/ports.js";
import { abortableDelay } from "../../src/integrations/backoff.js";
import { createGateRunner } from "../../src/integrations/gate-runner.js";
import { runPrometheusGate } from "../../src/integrations/prometheus/prometheus-gate.js";
import { type RunningPrometheus, startPrometheus } from "../support/prometheus.js";

const ERROR_RATIO = 'sum(rate(http_requests_total{code="500"}[30s])) / sum(rate(http_requests_total[30s]))';

let prometheus: RunningPrometheus;
let sources: Record<string, PrometheusSourceConfig>;

beforeAll(async () => {
  prometheus = await startPrometheus();
  // Steady traffic: 50 successful requests per scrape (one a second), no errors yet.
  prometheus.exporter.traffic("http_requests_total", { code: "200" }, 50);
  prometheus.exporter.add("http_requests_total", { code: "500" }, 0);
  sources = { default: { url: prometheus.url, timeout: "5s", retries: 1, headersFromEnv: {} } };
  // A rate needs two samples in its window.
  await prometheus.waitFor(
    ERROR_RATIO,
    (r) => r.series.length === 1 && r.series[0]!.values[0]![1] === 0,
    "an error ratio of 0 over the exporter's traffic",
  );
}, 45_000);

afterAll(async () => {
  await prometheus?.stop();
});

function gate(overrides: Partial<PrometheusGateConfig> = {}): PrometheusGateConfig {
  return {
    name: "error-rate",
    type: "prometheus",
    timeout: "1m",
    query: ERROR_RATIO,
    condition: "< 0.05",
    count: 1,
    interval: "1s",
    failureLimit: 0,
    inconclusiveLimit: 0,
    noData: "inconclusive",
    source: "default",
    ...overrides,
  };
}

const context: GateContext = {
  trainId: "web-42",
  line: "web",
  stage: "verify/canary",
  wave: "canary",
  environments: ["prod-eu"],
  manifest: [],
  attempt: 1,
  signal: new AbortController().signal,
};

/** The real sleep, recording the waits the gate asked for. */
function recordingSleep() {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms: number, signal: AbortSignal) => {
      waits.push(ms);
      return abortableDelay(ms, signal);
    },
  };
}

describe("prometheus gate on a real Prometheus", () => {
  it("passes while the error ratio is low, through the gate runner with the configured sources", async () => {
    const runner = createGateRunner({ baseDir: process.cwd(), prometheus: () => sources });
    const outcome = await runner.run(gate(), context);
    expect(outcome, prometheus.diagnostics()).toMatchObject({ status: "passed", verdict: "pass" });
    const lines = outcome.output.split("\n");
    expect(lines[0]).toBe("0 < 0.05 in 1 of 1 measurement: pass");
    expect(lines[1]).toBe(`query (source default, ${prometheus.url}): ${ERROR_RATIO}`);
    expect(lines[3]).toMatch(/^#1 \d{4}-\d\d-\d\dT\S+Z success: 0 < 0\.05$/);
    expect(lines[4]).toBe("  0 {}");
  });

  it("takes count measurements interval apart (1 s, real time) before passing", async () => {
    const { waits, sleep } = recordingSleep();
    const outcome = await runPrometheusGate(gate({ count: 3, interval: "1s" }), context, { sources, sleep });
    expect(outcome.verdict).toBe("pass");
    expect(outcome.output.split("\n")[0]).toBe("0 < 0.05 in 3 of 3 measurements: pass");
    expect(waits).toEqual([1000, 1000]);
  });

  it("fills placeholders into real label matchers", async () => {
    prometheus.exporter.set("deploy_info", { environment: "prod-eu", wave: "canary" }, 1);
    await prometheus.waitFor("deploy_info", (r) => r.series.length === 1, "the deploy_info gauge scraped");
    const outcome = await runPrometheusGate(
      gate({
        query: 'deploy_info{environment="{environment}", wave="{wave}"}',
        condition: "== 1",
        noData: "fail",
      }),
      context,
      { sources },
    );
    expect(outcome.verdict).toBe("pass");
    expect(outcome.output).toContain('  1 {__name__="deploy_info", environment="prod-eu", instance=');
  });

  describe("a query with no series", () => {
    const query = 'sum(rate(http_requests_total{code="404"}[30s]))';

    it.each([
      ["pass", "passed", "pass"],
      ["fail", "failed", "fail"],
      ["inconclusive", "failed", "inconclusive"],
    ] as const)("counts as noData says: %s", async (noData, status, verdict) => {
      const outcome = await runPrometheusGate(gate({ query, noData }), context, { sources });
      expect(outcome).toMatchObject({ status, verdict });
      expect(outcome.output.split("\n")[0]).toMatch(
        new RegExp(
          `^no data \\(the query returned no series; noData: ${noData}\\) in 1 of 1 measurement.*: ${verdict}$`,
        ),
      );
    });

    it("is inconclusive when the configuration does not say", async () => {
      const configured = Gate.parse({ name: "no-404s", type: "prometheus", query, condition: "< 1" });
      const outcome = await createGateRunner({ baseDir: process.cwd(), prometheus: sources }).run(
        configured,
        context,
      );
      expect(outcome.verdict).toBe("inconclusive");
    });
  });

  it("ends in error naming the configured sources when the gate's source is unknown", async () => {
    const outcome = await runPrometheusGate(gate({ source: "eu" }), context, { sources });
    expect(outcome).toMatchObject({ status: "failed", verdict: "error" });
    expect(outcome.output).toBe('no Prometheus source "eu" is configured (known: default): error');
  });

  it("ends in error with Prometheus's own message for a PromQL syntax error, without retrying it", async () => {
    const outcome = await runPrometheusGate(gate({ query: "sum(rate(http_requests_total[30s])" }), context, {
      sources,
    });
    expect(outcome).toMatchObject({ status: "failed", verdict: "error" });
    const first = outcome.output.split("\n")[0]!;
    expect(first).toContain(
      `Prometheus at ${prometheus.url}/api/v1/query answered 400 Bad Request: bad_data:`,
    );
    expect(first).toMatch(/parse error/);
    expect(first).not.toMatch(/attempts/);
    expect(first).toMatch(/: error$/);
  });

  describe("after errors rise", () => {
    beforeAll(async () => {
      // A burst of 500s, well above 5% of the traffic in the 30 s window.
      prometheus.exporter.add("http_requests_total", { code: "500" }, 10_000);
      await prometheus.waitFor(
        ERROR_RATIO,
        (r) => (r.series[0]?.values[0]?.[1] ?? 0) > 0.5,
        "the burst of 500s visible in the error ratio",
      );
    }, 30_000);

    it("fails, showing the value that broke the condition", async () => {
      const outcome = await runPrometheusGate(gate(), context, { sources });
      expect(outcome).toMatchObject({ status: "failed", verdict: "fail" });
      expect(outcome.output.split("\n")[0]).toMatch(
        /^0\.\d+ is not < 0\.05 in 1 of 1 measurement \(failureLimit 0\): fail$/,
      );
    });

    it("stops at the first failure instead of taking all of count", async () => {
      const { waits, sleep } = recordingSleep();
      const outcome = await runPrometheusGate(gate({ count: 5, interval: "1s" }), context, {
        sources,
        sleep,
      });
      expect(outcome.verdict).toBe("fail");
      expect(waits).toEqual([]);
      expect(outcome.output.split("\n").filter((l) => l.startsWith("#"))).toHaveLength(1);
    });

    it("tolerates failureLimit failures, then stops at the next one", async () => {
      const { waits, sleep } = recordingSleep();
      const outcome = await runPrometheusGate(gate({ count: 5, interval: "1s", failureLimit: 1 }), context, {
        sources,
        sleep,
      });
      expect(outcome.verdict).toBe("fail");
      expect(waits).toEqual([1000]);
      expect(outcome.output.split("\n")[0]).toMatch(/ in 2 of 2 measurements \(failureLimit 1\): fail$/);
    });
  });
});
