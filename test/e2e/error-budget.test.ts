/**
 * The error-budget policy end to end against a real Prometheus: a train ready to depart pauses
 * (cause `budget`) while the line's SLO burns faster than `pauseAbove`, and resumes by itself once
 * the burn recovers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredEvent } from "../../src/domain/events.js";
import { type RunningPrometheus, startPrometheus } from "../support/prometheus.js";
import { useWorldScenario } from "../support/scenario.js";

const ERRORS = 'sum(rate(http_requests_total{code="500"}[30s]))';

let prometheus: RunningPrometheus;

beforeAll(async () => {
  prometheus = await startPrometheus();
  // 5 % errors: 5x the 1 % budget of a 99 % objective.
  prometheus.exporter.traffic("http_requests_total", { code: "200" }, 95);
  prometheus.exporter.traffic("http_requests_total", { code: "500" }, 5);
  await prometheus.waitFor(
    `${ERRORS} / sum(rate(http_requests_total[30s]))`,
    (r) => r.series.length === 1 && Math.abs(r.series[0]!.values[0]![1] - 0.05) < 1e-9,
    "an error ratio of 5 %",
    30_000,
  );
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
});

describe("sqlite: the error-budget policy", () => {
  const { setup, board, detail } = useWorldScenario("sqlite");

  it("pauses a train while the SLO burns too fast and resumes it when the burn recovers", async () => {
    const { server: s } = await setup({
      line: "    errorBudget: { slo: checkout, pauseAbove: 2, over: 30s, checkEvery: 1m }\n",
      top: `prometheus: { default: { url: "${prometheus.url}", timeout: 5s, retries: 0 } }
slos:
  checkout:
    objective: 0.99
    bad: 'sum(rate(http_requests_total{code="500"}[{window}]))'
    total: 'sum(rate(http_requests_total[{window}]))'
`,
    });
    await board(s, { db: "1.0.0" });
    await s.advance("2h");
    await s.advance("2h"); // departure: the burn stops it
    let d = await detail(s, "shop-1");
    expect(d.train).toMatchObject({ state: "paused", pauseCause: "budget", resumeTo: "awaiting_approval" });
    expect(d.train.reason).toMatch(
      /^error budget of SLO checkout burning 5\.0x over 30s \(pauses above 2x\): error ratio 0\.05 against a budget of 0\.01$/,
    );
    expect(d.waitingFor).toMatch(/^the error budget burn to fall/);

    // The errors stop; once the 30 s window holds none, the next look resumes the train.
    prometheus.exporter.traffic("http_requests_total", { code: "500" }, 0);
    await prometheus.waitFor(
      ERRORS,
      (r) => r.series.length === 1 && r.series[0]!.values[0]![1] === 0,
      "no errors",
      45_000,
    );
    await s.advance("1m");
    d = await detail(s, "shop-1");
    expect(d.train.state).not.toBe("paused");
    const events = await s.request<StoredEvent[]>("GET", "/api/v1/events?train=shop-1&limit=5000");
    const reasons = events.body
      .filter((e) => e.type === "train.transitioned")
      .map((e) => (e.payload as { event: string; reason: string | null }).reason);
    expect(reasons).toContain("error budget burn back under its limit");
  }, 90_000);
});
