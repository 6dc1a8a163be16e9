/**
 * The slo gate against a real Prometheus (Debian's /usr/bin/prometheus) holding four days of
 * request counters, backfilled with promtool before it starts: real rate() windows from 5m to
 * 28d, real burn rates, real OpenSLO queries turned into {window} templates.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFiles } from "../../src/cli/config-file.js";
import { formatProblem, parseConfig } from "../../src/domain/config/load.js";
import type { PrometheusSourceConfig, SloConfig, SloGateConfig } from "../../src/domain/config/schema.js";
import type { GateContext } from "../../src/engine/ports.js";
import { createGateRunner } from "../../src/integrations/gate-runner.js";
import { runSloGate } from "../../src/integrations/prometheus/slo-gate.js";
import { type RunningPrometheus, startBackfilledPrometheus } from "../support/prometheus.js";

const STEP_S = 30;
const HISTORY_S = 4 * 86_400;
const HOUR_S = 3_600;
/** Requests per 30-second step, for every service. */
const REQUESTS = 1_000;

/**
 * Errors per step of each service, by how long before the end of the history the step ends.
 * Every SLO below has a 99% objective: an error ratio of 1% burns at 1x.
 */
const SERVICES: Record<string, (secondsBeforeEnd: number) => number> = {
  // 0.2% errors: 80% of the budget left, burning at 0.2x everywhere.
  healthy: () => 2,
  // 0.9% errors: 10% of the budget left, burning at 0.9x (no alert).
  spent: () => 9,
  // 0.2% errors, then 16% over the last hour: 16x over 1h and 5m fires the 14.4x alert; 6h
  // burns at 2.8x only (the spike is younger than the 6h window).
  fast: (ago) => (ago < HOUR_S ? 160 : 2),
  // No errors on the first day, then 1.2% for three days: 1.2x over 3d and 6h fires the 1x
  // alert only, with 10% of the budget left.
  slow: (ago) => (ago < 3 * 86_400 ? 12 : 0),
  // Counters that never move: no events at all.
  idle: () => 0,
};

/** OpenMetrics counters `http_requests_total{service, code}` every 30 s, ending at `end` (unix s). */
function history(end: number): string {
  const lines = ["# HELP http_requests Requests served.", "# TYPE http_requests counter"];
  for (const [service, errorsPerStep] of Object.entries(SERVICES)) {
    const idle = service === "idle";
    for (const code of ["200", "500"]) {
      let value = 0;
      for (let t = end - HISTORY_S; t <= end; t += STEP_S) {
        if (t > end - HISTORY_S) {
          const errors = errorsPerStep(end - t);
          value += code === "500" ? errors : idle ? 0 : REQUESTS - errors;
        }
        lines.push(`http_requests_total{code="${code}",service="${service}"} ${value} ${t}`);
      }
    }
  }
  lines.push("# EOF");
  return `${lines.join("\n")}\n`;
}

/** The end of the history, on a 30-second boundary: the time every query is evaluated at. */
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

function slo(service: string, overrides: Partial<SloConfig> = {}): SloConfig {
  return {
    source: "default",
    objective: 0.99,
    window: "28d",
    bad: `sum(rate(http_requests_total{service="${service}",code="500"}[{window}]))`,
    total: `sum(rate(http_requests_total{service="${service}"}[{window}]))`,
    ...overrides,
  };
}

const SLOS: Record<string, SloConfig> = Object.fromEntries(
  [...Object.keys(SERVICES), "ghost"].map((service) => [service, slo(service)]),
);

function gate(name: string, overrides: Partial<SloGateConfig> = {}): SloGateConfig {
  return {
    name: `${name}-budget`,
    type: "slo",
    timeout: "1m",
    slo: name,
    minBudgetRemaining: 0.25,
    burnRates: true,
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

function lines(output: string): string[] {
  return output.split("\n");
}

describe("slo gate on a real Prometheus with four days of history", () => {
  it("passes with 80% of the budget left and no alert, showing each query as sent with its value", async () => {
    const outcome = await runSloGate(gate("healthy"), context, { sources, slos: SLOS, now: at });
    expect(outcome, prometheus.diagnostics()).toMatchObject({ status: "passed", verdict: "pass" });
    const output = lines(outcome.output);
    expect(output[0]).toBe("budget 80% left (floor 25%), no burn-rate alert: pass");
    expect(output[1]).toBe(
      `SLO healthy (source default, ${prometheus.url}), evaluated at ${new Date(END * 1000).toISOString()}`,
    );
    expect(output[2]).toMatch(
      /^burn-rate alerts: the Google SRE workbook's defaults for a 30-day window .*, used as is for this 28d window/,
    );
    expect(output).toContain("error ratio over 28d: 0.002 (burn rate 0.2x); budget 80% left (floor 25%)");
    expect(output).toContain("alert 14.4x over 1h and 5m: 0.2x and 0.2x, not firing");
    expect(output).toContain("queries:");
    // 2 errors per 30 s: 0.0667/s over every window; 1000 requests per 30 s: 33.3/s.
    expect(output).toContainEqual(
      expect.stringMatching(
        /^ {2}5m bad: sum\(rate\(http_requests_total\{service="healthy",code="500"\}\[5m\]\)\) = 0\.0666666666\d*$/,
      ),
    );
    expect(output).toContainEqual(
      expect.stringMatching(
        /^ {2}28d total: sum\(rate\(http_requests_total\{service="healthy"\}\[28d\]\)\) = 4\.76\d*$/,
      ),
    );
    // The SLO's window and 5 distinct burn-rate windows (6h serves two alerts), 2 queries each.
    expect(output.filter((line) => /^ {2}\S+ (bad|total): /.test(line))).toHaveLength(12);
  });

  it("fails below the budget floor: 0.9% errors against 99% leave 10%", async () => {
    const outcome = await runSloGate(gate("spent"), context, { sources, slos: SLOS, now: at });
    expect(outcome).toMatchObject({ status: "failed", verdict: "fail" });
    expect(lines(outcome.output)[0]).toBe("budget 10% left, below the floor 25%: fail");
    expect(outcome.output).toContain("alert 1x over 3d and 6h: 0.9x and 0.9x, not firing");
  });

  it("passes the same SLO with a lower floor", async () => {
    const outcome = await runSloGate(gate("spent", { minBudgetRemaining: 0.05 }), context, {
      sources,
      slos: SLOS,
      now: at,
    });
    expect(lines(outcome.output)[0]).toBe("budget 10% left (floor 5%), no burn-rate alert: pass");
  });

  it("fails on a fast burn: 16x over 1h and 5m fires the 14.4x alert, while budget is left", async () => {
    const outcome = await runSloGate(gate("fast"), context, { sources, slos: SLOS, now: at });
    expect(outcome).toMatchObject({ status: "failed", verdict: "fail" });
    const output = lines(outcome.output);
    expect(output[0]).toBe("burning 16.0x over 1h and 16.0x over 5m (alert at 14.4x): fail");
    expect(output).toContain(
      "error ratio over 28d: 0.00365 (burn rate 0.36x); budget 63.5% left (floor 25%)",
    );
    expect(output).toContain("alert 14.4x over 1h and 5m: 16.0x and 16.0x, firing");
    expect(output).toContain("alert 6x over 6h and 30m: 2.8x and 16.0x, not firing");
  });

  it("fails on a slow burn that fires only the 1x alert over 3d and 6h", async () => {
    const outcome = await runSloGate(gate("slow", { minBudgetRemaining: 0 }), context, {
      sources,
      slos: SLOS,
      now: at,
    });
    expect(outcome.verdict).toBe("fail");
    const output = lines(outcome.output);
    expect(output[0]).toBe("burning 1.2x over 3d and 1.2x over 6h (alert at 1x): fail");
    expect(output).toContain("error ratio over 28d: 0.009 (burn rate 0.9x); budget 10% left (floor 0%)");
    expect(output.filter((line) => line.endsWith(", firing"))).toEqual([
      "alert 1x over 3d and 6h: 1.2x and 1.2x, firing",
    ]);
  });

  it("ignores the alerts when the gate says burnRates: false", async () => {
    const outcome = await runSloGate(gate("fast", { burnRates: false }), context, {
      sources,
      slos: SLOS,
      now: at,
    });
    expect(lines(outcome.output)[0]).toBe("budget 63.5% left (floor 25%), burn rates not checked: pass");
    expect(outcome.output).not.toMatch(/ 1h bad: /);
  });

  describe("without evidence", () => {
    it("is inconclusive when the SLI's series do not exist", async () => {
      const outcome = await runSloGate(gate("ghost"), context, { sources, slos: SLOS, now: at });
      expect(outcome).toMatchObject({ status: "failed", verdict: "inconclusive" });
      expect(lines(outcome.output)[0]).toBe(
        "no data over any window (the SLI's queries returned no series over 28d, 1h, 5m, 6h, 30m and 3d): inconclusive",
      );
      expect(outcome.output).toContain(
        '  28d total: sum(rate(http_requests_total{service="ghost"}[28d])) = no series',
      );
    });

    it("is inconclusive when the counters never moved (total is 0)", async () => {
      const outcome = await runSloGate(gate("idle"), context, { sources, slos: SLOS, now: at });
      expect(outcome.verdict).toBe("inconclusive");
      expect(lines(outcome.output)[0]).toBe("no events over 28d (total is 0): inconclusive");
    });

    it("is inconclusive when the history is over: the 5m window has no series", async () => {
      // Ten minutes after the last sample the short windows hold nothing (staleness), the long ones do.
      const later = () => new Date((END + 600) * 1000);
      const outcome = await runSloGate(gate("healthy"), context, { sources, slos: SLOS, now: later });
      expect(lines(outcome.output)[0]).toBe(
        "no data over 5m (the SLI's queries returned no series): inconclusive",
      );
    });
  });

  describe("that cannot be judged", () => {
    it("ends in error with Prometheus's message for a PromQL syntax error", async () => {
      const broken = { broken: slo("healthy", { total: "sum(rate(http_requests_total[{window}])" }) };
      const outcome = await runSloGate(gate("broken"), context, { sources, slos: broken, now: at });
      expect(outcome).toMatchObject({ status: "failed", verdict: "error" });
      expect(lines(outcome.output)[0]).toMatch(
        new RegExp(
          `^Prometheus at ${prometheus.url}/api/v1/query answered 400 Bad Request: bad_data: .*: error$`,
        ),
      );
    });

    it("ends in error when a query returns several series", async () => {
      const grouped = {
        grouped: slo("healthy", {
          total: "sum by (code) (rate(http_requests_total{service='healthy'}[{window}]))",
        }),
      };
      const outcome = await runSloGate(gate("grouped"), context, { sources, slos: grouped, now: at });
      expect(outcome.verdict).toBe("error");
      expect(lines(outcome.output)[0]).toMatch(
        /^the total query over \S+ returned 2 series \(\{code="200"\}, \{code="500"\}\): an SLI is one number, aggregate it \(e\.g\. sum\(\.\.\.\) without by\): error$/,
      );
    });

    it("ends in error naming the SLOs it knows when the gate's SLO is unknown", async () => {
      const outcome = await runSloGate(gate("healty"), context, {
        sources,
        slos: { healthy: SLOS.healthy! },
      });
      expect(outcome.output).toBe('no SLO "healty" is configured (known: healthy): error');
    });
  });

  describe("imported from an OpenSLO file", () => {
    const dir = fileURLToPath(new URL("../fixtures/slo/", import.meta.url));

    function load() {
      const file = path.join(dir, "railyard.yaml");
      const text = [
        "version: 1",
        "environments: {staging: {kind: integration}, prod: {kind: production}}",
        "lines: {}",
        `prometheus: {default: {url: "${prometheus.url}"}}`,
        "openslo: [services.openslo.yaml]",
        "",
      ].join("\n");
      const result = parseConfig(text, file, configFiles(file));
      if (!result.ok) expect.fail(result.problems.map(formatProblem).join("\n"));
      return result.config;
    }

    it("judges an SLO over instant rates, through the gate runner at Prometheus's own time", async () => {
      const config = load();
      expect(config.slos["healthy-availability"]).toMatchObject({
        objective: 0.99,
        window: "28d",
        good: 'sum(rate(http_requests_total{service="healthy",code!~"5.."}[{window}]))',
      });
      const runner = createGateRunner({
        baseDir: dir,
        prometheus: () => config.prometheus,
        slos: () => config.slos,
      });
      const outcome = await runner.run(gate("healthy-availability"), context);
      expect(outcome, outcome.output).toMatchObject({ status: "passed", verdict: "pass" });
      expect(lines(outcome.output)[0]).toBe("budget 80% left (floor 25%), no burn-rate alert: pass");
      expect(outcome.output).toContain(
        `  1h good: sum(rate(http_requests_total{service="healthy",code!~"5.."}[1h])) = `,
      );
    });

    it("judges an SLO over raw counters, counted with increase() per series", async () => {
      const config = load();
      const outcome = await runSloGate(gate("fast-availability"), context, {
        sources: config.prometheus,
        slos: config.slos,
        now: at,
      });
      expect(lines(outcome.output)[0]).toBe("burning 16.0x over 1h and 16.0x over 5m (alert at 14.4x): fail");
      // 160 errors per 30 s over the last hour, extrapolated to the window's edges.
      expect(outcome.output).toMatch(
        /\n {2}1h bad: sum\(increase\(http_requests_total\{service="fast",code="500"\}\[1h\]\)\) = 19200\n/,
      );
    });
  });
});
