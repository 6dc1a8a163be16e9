/**
 * The error-budget policy's burn measurement against a real Prometheus scraping steady traffic
 * with a known error share: the burn rate is the error ratio over the policy's window divided by
 * the budget `1 − objective`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RailyardConfig } from "../../src/domain/config/schema.js";
import { createBudgetProbe } from "../../src/integrations/prometheus/budget-probe.js";
import { type RunningPrometheus, startPrometheus } from "../support/prometheus.js";

let prometheus: RunningPrometheus;

beforeAll(async () => {
  prometheus = await startPrometheus();
  // 95 good and 5 bad requests per scrape: an error ratio of 5 %.
  prometheus.exporter.traffic("http_requests_total", { service: "checkout", code: "200" }, 95);
  prometheus.exporter.traffic("http_requests_total", { service: "checkout", code: "500" }, 5);
  await prometheus.waitFor(
    'sum(rate(http_requests_total{service="checkout",code="500"}[30s])) / sum(rate(http_requests_total{service="checkout"}[30s]))',
    (r) => r.series.length === 1 && Math.abs(r.series[0]!.values[0]![1] - 0.05) < 1e-9,
    "an error ratio of 5 %",
    30_000,
  );
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
});

function config(slo: Record<string, unknown>) {
  return RailyardConfig.parse({
    version: 1,
    environments: { staging: { kind: "integration" }, eu: { kind: "production" } },
    prometheus: { default: { url: prometheus.url, timeout: "5s", retries: 0 } },
    slos: {
      checkout: {
        objective: 0.99,
        total: 'sum(rate(http_requests_total{service="checkout"}[{window}]))',
        ...slo,
      },
    },
    lines: {
      web: {
        schedule: { rrule: "FREQ=DAILY", start: "2026-01-05T10:00", timezone: "UTC", cutoff: "2h" },
        components: ["api"],
        rollout: { waves: [{ name: "all", environments: ["eu"] }] },
        errorBudget: { slo: "checkout", over: "30s" },
      },
    },
  });
}

describe("the error-budget probe", () => {
  it("measures the burn rate from bad events over total", async () => {
    const probe = createBudgetProbe({
      config: () =>
        config({ bad: 'sum(rate(http_requests_total{service="checkout",code="500"}[{window}]))' }),
    });
    const reading = await probe.burn("web");
    expect(reading.burnRate).toBeCloseTo(5, 6);
    expect(reading.detail).toBe("error ratio 0.05 against a budget of 0.01");
  });

  it("measures it from good events too, and reads no data as no burn", async () => {
    const good = createBudgetProbe({
      config: () =>
        config({ good: 'sum(rate(http_requests_total{service="checkout",code="200"}[{window}]))' }),
    });
    expect((await good.burn("web")).burnRate).toBeCloseTo(5, 6);
    const nothing = createBudgetProbe({
      config: () =>
        config({
          bad: 'sum(rate(http_requests_total{service="none",code="500"}[{window}]))',
          total: 'sum(rate(http_requests_total{service="none"}[{window}]))',
        }),
    });
    expect(await nothing.burn("web")).toEqual({
      burnRate: null,
      detail: "no events of SLO checkout over 30s",
    });
  });

  it("fails loudly when Prometheus cannot be asked (the policy then pauses nothing)", async () => {
    const down = createBudgetProbe({
      config: () => {
        const c = config({ bad: 'sum(rate(http_requests_total{code="500"}[{window}]))' });
        c.prometheus.default = { ...c.prometheus.default!, url: "http://127.0.0.1:1" };
        return c;
      },
    });
    await expect(down.burn("web")).rejects.toThrow(/unreachable/);
  });
});
