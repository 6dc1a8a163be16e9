/**
 * The SLO burn during an incident, for postmortem drafts, against a real Prometheus with
 * backfilled history: the line's error-budget SLO over [start, recovery] is one instant query at
 * the recovery with a window of the incident's length.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RailyardConfig } from "../../src/domain/config/schema.js";
import { burnSentence } from "../../src/domain/incidents/postmortem.js";
import { createBudgetProbe } from "../../src/integrations/prometheus/budget-probe.js";
import {
  checkoutRequestHistory,
  type RunningPrometheus,
  startBackfilledPrometheus,
} from "../support/prometheus.js";

const HOUR_S = 3_600;
/**
 * The incident: from 3h to 2h before the end, 100 of 1000 requests a step fail (10 %); else 10
 * (1 %). The step ending at t is inside the incident when it ends after its start.
 */
const HISTORY = checkoutRequestHistory((t, end) =>
  t > end - 3 * HOUR_S && t <= end - 2 * HOUR_S ? 100 : 10,
);
/** The end of the history, on a 30-second boundary. */
const END = HISTORY.end;
const INCIDENT_FROM = END - 3 * HOUR_S;
const INCIDENT_TO = END - 2 * HOUR_S;

let prometheus: RunningPrometheus;

beforeAll(async () => {
  prometheus = await startBackfilledPrometheus(HISTORY.text);
}, 90_000);

afterAll(async () => {
  await prometheus?.stop();
});

function config(url = prometheus.url, errorBudget = true) {
  return RailyardConfig.parse({
    version: 1,
    environments: { eu: { kind: "production" } },
    prometheus: { default: { url, timeout: "5s", retries: 0 } },
    slos: {
      checkout: {
        objective: 0.99,
        bad: 'sum(rate(http_requests_total{service="checkout",code="500"}[{window}]))',
        total: 'sum(rate(http_requests_total{service="checkout"}[{window}]))',
      },
    },
    lines: {
      web: {
        schedule: { rrule: "FREQ=DAILY", start: "2026-01-05T10:00", timezone: "UTC", cutoff: "2h" },
        components: ["api"],
        rollout: { waves: [{ name: "all", environments: ["eu"] }] },
        ...(errorBudget ? { errorBudget: { slo: "checkout", over: "1h" } } : {}),
      },
    },
  });
}

const date = (unixS: number) => new Date(unixS * 1000);

describe("the SLO burn during an incident", () => {
  it("measures the error-budget burn over the incident's own stretch of time", async () => {
    const probe = createBudgetProbe({ config: () => config() });
    // 100 of 1000 requests failed in every step of the incident: 10% against a 1% budget.
    const during = await probe.burnBetween("web", date(INCIDENT_FROM), date(INCIDENT_TO));
    expect(during.slo).toBe("checkout");
    expect(during.burnRate).toBeCloseTo(10, 6);
    expect(during.detail).toBe("error ratio 0.1 against a budget of 0.01");
    // An hour before it: 1%, burning at exactly the sustainable rate.
    const before = await probe.burnBetween("web", date(END - 5 * HOUR_S), date(END - 4 * HOUR_S));
    expect(before.burnRate).toBeCloseTo(1, 6);
    // Half an hour of the incident and half an hour after it: (50 + 5) / 1000 per step on average.
    const straddling = await probe.burnBetween(
      "web",
      date(INCIDENT_TO - HOUR_S / 2),
      date(INCIDENT_TO + HOUR_S / 2),
    );
    expect(straddling.burnRate).toBeCloseTo(5.5, 6);
    expect(
      burnSentence({
        kind: "measured",
        from: date(INCIDENT_FROM).toISOString(),
        to: date(INCIDENT_TO).toISOString(),
        ...during,
      }),
    ).toMatch(/^SLO checkout burned its error budget at 10× the sustainable rate from /);
  });

  it("reads a stretch without samples as no data, and refuses a line without an errorBudget", async () => {
    const probe = createBudgetProbe({ config: () => config() });
    const longAgo = await probe.burnBetween("web", date(END - 30 * HOUR_S), date(END - 29 * HOUR_S));
    expect(longAgo).toEqual({
      slo: "checkout",
      burnRate: null,
      detail: "no events of SLO checkout over 3600s",
    });
    const none = createBudgetProbe({ config: () => config(prometheus.url, false) });
    await expect(none.burnBetween("web", date(INCIDENT_FROM), date(INCIDENT_TO))).rejects.toThrow(
      "line web has no errorBudget",
    );
  });

  it("fails loudly when Prometheus is down (the draft then says it could not be measured)", async () => {
    const down = createBudgetProbe({ config: () => config("http://127.0.0.1:1") });
    await expect(down.burnBetween("web", date(INCIDENT_FROM), date(INCIDENT_TO))).rejects.toThrow(
      /unreachable/,
    );
  });
});
