/**
 * The post-release error-rate probe (M5) against a real Prometheus with backfilled history: the
 * line's `measure.errorRate` query, or its `errorBudget` SLO's ratio, over a window ending at a
 * past instant.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RailyardConfig } from "../../src/domain/config/schema.js";
import { createErrorRateProbe } from "../../src/integrations/prometheus/error-rate-probe.js";
import {
  checkoutRequestHistory,
  type RunningPrometheus,
  startBackfilledPrometheus,
} from "../support/prometheus.js";

const HOUR_S = 3_600;
/** Until 3h before the end, 20 of 1000 requests a step fail (2 %); after it, 50 (5 %). */
const HISTORY = checkoutRequestHistory((t, end) => (t > end - 3 * HOUR_S ? 50 : 20));
/** The end of the history, on a 30-second boundary. */
const END = HISTORY.end;
const SWITCH = END - 3 * HOUR_S;

let prometheus: RunningPrometheus;

beforeAll(async () => {
  prometheus = await startBackfilledPrometheus(HISTORY.text);
}, 90_000);

afterAll(async () => {
  await prometheus?.stop();
});

const RATIO =
  'sum(rate(http_requests_total{service="checkout",code="500"}[{window}])) / sum(rate(http_requests_total{service="checkout"}[{window}]))';

function config(line: Record<string, unknown>, url = prometheus.url) {
  return RailyardConfig.parse({
    version: 1,
    environments: { eu: { kind: "production" } },
    prometheus: { default: { url, timeout: "5s", retries: 0 } },
    slos: {
      checkout: {
        objective: 0.99,
        good: 'sum(rate(http_requests_total{service="checkout",code="200"}[{window}]))',
        total: 'sum(rate(http_requests_total{service="checkout"}[{window}]))',
      },
    },
    lines: {
      web: {
        schedule: { rrule: "FREQ=DAILY", start: "2026-01-05T10:00", timezone: "UTC", cutoff: "2h" },
        components: ["api"],
        rollout: { waves: [{ name: "all", environments: ["eu"] }] },
        ...line,
      },
    },
  });
}

const date = (unixS: number) => new Date(unixS * 1000);

describe("the error-rate probe", () => {
  it("asks the line's measure.errorRate over the window ending at the given instant", async () => {
    const probe = createErrorRateProbe({ config: () => config({ measure: { errorRate: RATIO } }) });
    // The hour before the switch: 20 of every 1000 requests failed.
    const before = await probe.errorRate("web", date(SWITCH), "1h");
    expect(before.ratio).toBeCloseTo(0.02, 9);
    // The hour ending 2h after it: 50 of 1000.
    const after = await probe.errorRate("web", date(SWITCH + 2 * HOUR_S), "1h");
    expect(after.ratio).toBeCloseTo(0.05, 9);
    expect(after.detail).toContain("[1h]");
    // Half an hour each side of the switch over one hour: (20 + 50) / 2 per 1000.
    const across = await probe.errorRate("web", date(SWITCH + HOUR_S / 2), "1h");
    expect(across.ratio).toBeCloseTo(0.035, 9);
  });

  it("falls back on the errorBudget SLO's ratio (1 − good / total)", async () => {
    const probe = createErrorRateProbe({ config: () => config({ errorBudget: { slo: "checkout" } }) });
    expect((await probe.errorRate("web", date(SWITCH), "30m")).ratio).toBeCloseTo(0.02, 9);
    const after = await probe.errorRate("web", date(END), "30m");
    expect(after.ratio).toBeCloseTo(0.05, 9);
    expect(after.detail).toMatch(/^SLO checkout error ratio 0\.05 over 30m at /);
  });

  it("answers null with the reason when there is no query or no data", async () => {
    const none = createErrorRateProbe({ config: () => config({}) });
    expect(await none.errorRate("web", date(END), "1h")).toEqual({
      ratio: null,
      detail: "line web has no measure.errorRate and no errorBudget",
    });
    // Before the history began: no samples at all.
    const early = createErrorRateProbe({ config: () => config({ measure: { errorRate: RATIO } }) });
    const answer = await early.errorRate("web", date(END - 8 * HOUR_S), "1h");
    expect(answer.ratio).toBeNull();
    expect(answer.detail).toMatch(/^no data for /);
  });

  it("throws when Prometheus cannot be asked (the measurer then tries again later)", async () => {
    const down = createErrorRateProbe({
      config: () => config({ measure: { errorRate: RATIO } }, "http://127.0.0.1:1"),
    });
    await expect(down.errorRate("web", date(END), "1h")).rejects.toThrow(/unreachable/);
  });
});
