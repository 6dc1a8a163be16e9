import { describe, expect, it } from "vitest";
import { Line } from "../domain/config/schema.js";
import { BudgetWatch } from "./budget-watch.js";
import type { EngineContext } from "./context.js";
import type { BudgetProbe, BurnReading } from "./ports.js";

const line = Line.parse({
  schedule: { rrule: "FREQ=DAILY", start: "2026-01-05T10:00", timezone: "UTC", cutoff: "2h" },
  components: ["api"],
  rollout: { waves: [{ name: "all", environments: ["eu"] }] },
  errorBudget: { slo: "checkout", pauseAbove: 2, over: "1h", checkEvery: "1m" },
});

/** A probe answering from a list, counting its calls. */
function probe(readings: Array<BurnReading | Error>): BudgetProbe & { calls: number } {
  const p = {
    calls: 0,
    async burn(): Promise<BurnReading> {
      const next = readings[Math.min(p.calls++, readings.length - 1)]!;
      if (next instanceof Error) throw next;
      return next;
    },
  };
  return p;
}

function watch(budget: BudgetProbe, warnings: unknown[] = []): BudgetWatch {
  const ctx = {
    budget,
    config: () => ({ line: () => line }),
    logger: { warn: (obj: unknown) => warnings.push(obj) },
  } as unknown as EngineContext;
  return new BudgetWatch(ctx);
}

describe("BudgetWatch", () => {
  it("stops trains above pauseAbove, with the reading, and looks again after checkEvery", async () => {
    const p = probe([
      { burnRate: 3, detail: "error ratio 0.003 against a budget of 0.001" },
      { burnRate: 1.5, detail: "error ratio 0.0015 against a budget of 0.001" },
    ]);
    const w = watch(p);
    expect(await w.status("web", 0)).toEqual({
      ok: false,
      reason:
        "error budget of SLO checkout burning 3.0x over 1h (pauses above 2x): error ratio 0.003 against a budget of 0.001",
      recheckAt: 60_000,
    });
    expect((await w.status("web", 59_999))?.ok).toBe(false);
    expect(p.calls).toBe(1);
    expect(await w.status("web", 60_000)).toEqual({ ok: true });
    expect(p.calls).toBe(2);
  });

  it("pauses nothing when the burn cannot be measured or there is no data", async () => {
    const warnings: unknown[] = [];
    expect(await watch(probe([new Error("Prometheus unreachable")]), warnings).status("web", 0)).toEqual({
      ok: true,
    });
    expect(warnings).toHaveLength(1);
    expect(await watch(probe([{ burnRate: null, detail: "no events" }])).status("web", 0)).toEqual({
      ok: true,
    });
  });
});
