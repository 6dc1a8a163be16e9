import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  budgetRemaining,
  burnRate,
  DEFAULT_BURN_RATES,
  describeBurnRateTable,
  errorRatioOf,
  evaluateSlo,
  formatBurn,
  formatPercent,
  type MeasuredBurnRateAlert,
  type MeasuredRatio,
} from "./burn.js";

/** The default table with the same error ratio measured over every window. */
function everywhere(ratio: MeasuredRatio): MeasuredBurnRateAlert[] {
  return DEFAULT_BURN_RATES.map((alert) => ({ ...alert, longRatio: ratio, shortRatio: ratio }));
}

/** The default table with ratios per window, by window name. */
function byWindow(ratios: Record<string, MeasuredRatio>): MeasuredBurnRateAlert[] {
  return DEFAULT_BURN_RATES.map((alert) => ({
    ...alert,
    longRatio: alert.long in ratios ? (ratios[alert.long] as MeasuredRatio) : 0,
    shortRatio: alert.short in ratios ? (ratios[alert.short] as MeasuredRatio) : 0,
  }));
}

const strict = { minBudgetRemaining: 0.25, burnRates: true };

describe("burn rate and budget", () => {
  it("reads the Google SRE workbook's numbers: a 99.9% objective allows 0.1% errors", () => {
    expect(burnRate(0.999, 0.001)).toBeCloseTo(1, 12);
    // 1.44% errors against 99.9% spend 2% of a 30-day budget in one hour: 14.4 × 1h / 720h.
    expect(burnRate(0.999, 0.0144)).toBeCloseTo(14.4, 9);
    expect((burnRate(0.999, 0.0144) * 1) / (30 * 24)).toBeCloseTo(0.02, 9);
  });

  it("leaves 62% of the budget after 0.038% errors against 99.9%", () => {
    expect(budgetRemaining(0.999, 0.00038)).toBeCloseTo(0.62, 9);
  });

  it("goes negative when the window spent more than its budget", () => {
    expect(budgetRemaining(0.99, 0.012)).toBeCloseTo(-0.2, 9);
    expect(budgetRemaining(0.99, 0)).toBe(1);
  });

  it("is 1 − the burn rate over the same window, for any objective and ratio", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 0.99999, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (objective, ratio) => {
          expect(budgetRemaining(objective, ratio) + burnRate(objective, ratio)).toBeCloseTo(1, 6);
        },
      ),
    );
  });

  it("keeps the workbook's table: 14.4x over 1h/5m, 6x over 6h/30m, 1x over 3d/6h", () => {
    expect(DEFAULT_BURN_RATES).toEqual([
      { long: "1h", short: "5m", factor: 14.4 },
      { long: "6h", short: "30m", factor: 6 },
      { long: "3d", short: "6h", factor: 1 },
    ]);
    expect(Object.isFrozen(DEFAULT_BURN_RATES)).toBe(true);
  });
});

describe("errorRatioOf", () => {
  it("divides bad by total, and subtracts good / total from 1", () => {
    expect(errorRatioOf({ kind: "bad", value: 3 }, 1000)).toBe(0.003);
    expect(errorRatioOf({ kind: "good", value: 997 }, 1000)).toBeCloseTo(0.003, 12);
  });

  it("is no data without a total series, and no events (NaN) when total is 0 or NaN", () => {
    expect(errorRatioOf({ kind: "bad", value: 1 }, null)).toBeNull();
    expect(errorRatioOf({ kind: "bad", value: 0 }, 0)).toBeNaN();
    expect(errorRatioOf({ kind: "good", value: Number.NaN }, Number.NaN)).toBeNaN();
  });

  it("counts a numerator without series as no events: no errors at all, or nothing good", () => {
    expect(errorRatioOf({ kind: "bad", value: null }, 50)).toBe(0);
    expect(errorRatioOf({ kind: "good", value: null }, 50)).toBe(1);
  });

  it("clamps floating-point noise just outside 0..1 and keeps real excess", () => {
    expect(errorRatioOf({ kind: "good", value: 1000.0000000001 }, 1000)).toBe(0);
    expect(errorRatioOf({ kind: "bad", value: 1300 }, 1000)).toBe(1.3);
  });
});

describe("evaluateSlo", () => {
  it("passes with budget above the floor and no alert firing", () => {
    const result = evaluateSlo(
      { objective: 0.999, window: "28d", budgetRatio: 0.00038, windows: everywhere(0.0005) },
      strict,
    );
    expect(result.verdict).toBe("pass");
    expect(result.sentence).toBe("budget 62% left (floor 25%), no burn-rate alert: pass");
    expect(result.budgetRemaining).toBeCloseTo(0.62, 9);
    expect(result.firing).toEqual([]);
    expect(result.evidence).toEqual([
      "objective 99.9% over 28d: the error budget is 0.1% of the events",
      "error ratio over 28d: 0.00038 (burn rate 0.38x); budget 62% left (floor 25%)",
      "alert 14.4x over 1h and 5m: 0.5x and 0.5x, not firing",
      "alert 6x over 6h and 30m: 0.5x and 0.5x, not firing",
      "alert 1x over 3d and 6h: 0.5x and 0.5x, not firing",
    ]);
  });

  it("fails on a fast burn: 16.2x over 1h and 15x over 5m against 14.4x", () => {
    const result = evaluateSlo(
      {
        objective: 0.999,
        window: "28d",
        budgetRatio: 0.0003,
        windows: byWindow({ "1h": 0.0162, "5m": 0.015, "6h": 0.003, "30m": 0.015, "3d": 0.0004 }),
      },
      strict,
    );
    expect(result.verdict).toBe("fail");
    expect(result.sentence).toBe("burning 16.2x over 1h and 15.0x over 5m (alert at 14.4x): fail");
    expect(result.firing).toHaveLength(1);
    expect(result.firing[0]).toMatchObject({ long: "1h", short: "5m", factor: 14.4 });
    expect(result.firing[0]!.longBurn).toBeCloseTo(16.2, 9);
    expect(result.evidence).toContain("alert 14.4x over 1h and 5m: 16.2x and 15.0x, firing");
    // 6h burns at 3x only: a fast burn that started less than an hour ago.
    expect(result.evidence).toContain("alert 6x over 6h and 30m: 3.0x and 15.0x, not firing");
  });

  it("does not fire while only one window of a pair burns (the burn has stopped)", () => {
    const result = evaluateSlo(
      {
        objective: 0.999,
        window: "28d",
        budgetRatio: 0.0003,
        windows: byWindow({ "1h": 0.02, "5m": 0.0001 }),
      },
      strict,
    );
    expect(result.verdict).toBe("pass");
    expect(result.evidence).toContain("alert 14.4x over 1h and 5m: 20.0x and 0.1x, not firing");
  });

  it("fires only above the factor, never at it", () => {
    const at = { long: "1h", short: "5m", factor: 2, longRatio: 0.02, shortRatio: 0.02 };
    const equal = evaluateSlo({ objective: 0.99, window: "30d", budgetRatio: 0, windows: [at] }, strict);
    expect(equal.firing).toEqual([]);
    const above = evaluateSlo(
      {
        objective: 0.99,
        window: "30d",
        budgetRatio: 0,
        windows: [{ ...at, longRatio: 0.0201, shortRatio: 0.0201 }],
      },
      strict,
    );
    expect(above.sentence).toBe("burning 2.01x over 1h and 2.01x over 5m (alert at 2x): fail");
  });

  it("fails below the budget floor: 0.9% errors against 99% leave 10%", () => {
    const result = evaluateSlo(
      { objective: 0.99, window: "28d", budgetRatio: 0.009, windows: everywhere(0.009) },
      strict,
    );
    expect(result.verdict).toBe("fail");
    expect(result.sentence).toBe("budget 10% left, below the floor 25%: fail");
    expect(result.budgetRemaining).toBeCloseTo(0.1, 9);
  });

  it("says overspent when the budget is below 0", () => {
    const result = evaluateSlo(
      { objective: 0.99, window: "28d", budgetRatio: 0.012, windows: [] },
      { minBudgetRemaining: 0, burnRates: true },
    );
    expect(result.sentence).toBe("budget -20% left (overspent), below the floor 0%: fail");
  });

  it("never rounds a budget just under the floor to the floor", () => {
    const result = evaluateSlo(
      { objective: 0.99, window: "28d", budgetRatio: 0.0075004, windows: [] },
      strict,
    );
    expect(result.sentence).toBe("budget 24.996% left, below the floor 25%: fail");
  });

  it("fires only the 1x alert on a slow, steady burn of 1.2x", () => {
    const result = evaluateSlo(
      { objective: 0.99, window: "28d", budgetRatio: 0.009, windows: everywhere(0.012) },
      { minBudgetRemaining: 0, burnRates: true },
    );
    expect(result.firing.map((f) => f.factor)).toEqual([1]);
    expect(result.sentence).toBe("burning 1.2x over 3d and 1.2x over 6h (alert at 1x): fail");
  });

  it("names every reason when the budget is low and alerts fire", () => {
    const result = evaluateSlo(
      { objective: 0.99, window: "28d", budgetRatio: 0.009, windows: everywhere(0.07) },
      strict,
    );
    expect(result.sentence).toBe(
      "budget 10% left, below the floor 25%; burning 7.0x over 6h and 7.0x over 30m (alert at 6x); burning 7.0x over 3d and 7.0x over 6h (alert at 1x): fail",
    );
  });

  it("ignores burn rates when the gate says burnRates: false", () => {
    const result = evaluateSlo(
      { objective: 0.999, window: "28d", budgetRatio: 0.00038, windows: everywhere(0.5) },
      { minBudgetRemaining: 0.25, burnRates: false },
    );
    expect(result.sentence).toBe("budget 62% left (floor 25%), burn rates not checked: pass");
    expect(result.evidence).toContain("burn-rate alerts not checked (burnRates: false)");
  });

  describe("without evidence", () => {
    it("is inconclusive when no window returned series", () => {
      const result = evaluateSlo(
        { objective: 0.999, window: "28d", budgetRatio: null, windows: everywhere(null) },
        strict,
      );
      expect(result.verdict).toBe("inconclusive");
      expect(result.sentence).toBe(
        "no data over any window (the SLI's queries returned no series over 28d, 1h, 5m, 6h, 30m and 3d): inconclusive",
      );
      expect(result.budgetRemaining).toBeNull();
    });

    it("is inconclusive when the series are missing over a short window only", () => {
      const result = evaluateSlo(
        { objective: 0.999, window: "28d", budgetRatio: 0.0001, windows: byWindow({ "5m": null }) },
        strict,
      );
      expect(result.sentence).toBe("no data over 5m (the SLI's queries returned no series): inconclusive");
      expect(result.evidence).toContain(
        "alert 14.4x over 1h and 5m: 0x and no data over 5m, cannot be judged",
      );
    });

    it("is inconclusive without events over the SLO's window (total is 0)", () => {
      const result = evaluateSlo(
        { objective: 0.999, window: "28d", budgetRatio: Number.NaN, windows: everywhere(Number.NaN) },
        strict,
      );
      expect(result.sentence).toBe("no events over 28d (total is 0): inconclusive");
    });

    it("lets a burn-rate window without events burn nothing", () => {
      const result = evaluateSlo(
        { objective: 0.999, window: "28d", budgetRatio: 0.0001, windows: byWindow({ "5m": Number.NaN }) },
        strict,
      );
      expect(result.verdict).toBe("pass");
      expect(result.evidence).toContain("alert 14.4x over 1h and 5m: 0x and no events over 5m, not firing");
    });

    it("still fails on a firing alert when another window has no data", () => {
      const result = evaluateSlo(
        { objective: 0.999, window: "28d", budgetRatio: null, windows: byWindow({ "1h": 0.02, "5m": 0.02 }) },
        strict,
      );
      expect(result.verdict).toBe("fail");
    });

    it("is inconclusive when a ratio is outside 0..1 (bad counts more than total)", () => {
      const result = evaluateSlo({ objective: 0.999, window: "28d", budgetRatio: 1.3, windows: [] }, strict);
      expect(result.sentence).toBe(
        "error ratio 1.3 over 28d is not between 0 and 1 (the good or bad query does not count the same events as total): inconclusive",
      );
    });
  });

  it("fails exactly when the budget is under the floor or a pair of windows both exceed the factor", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0.99, 0.995, 0.999, 0.9995),
        fc.double({ min: 0, max: 0.05, noNaN: true }),
        fc.double({ min: 0, max: 0.05, noNaN: true }),
        fc.double({ min: 0, max: 0.05, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (objective, budgetRatio, longRatio, shortRatio, floor) => {
          const alert = { long: "1h", short: "5m", factor: 14.4, longRatio, shortRatio };
          const result = evaluateSlo(
            { objective, window: "30d", budgetRatio, windows: [alert] },
            { minBudgetRemaining: floor, burnRates: true },
          );
          const limit = 14.4 * (1 - objective);
          const fires = longRatio / (1 - objective) > 14.4 && shortRatio / (1 - objective) > 14.4;
          expect(result.firing.length === 1).toBe(fires);
          expect(result.verdict === "fail").toBe(fires || 1 - budgetRatio / (1 - objective) < floor);
          expect(limit).toBeGreaterThan(0);
        },
      ),
    );
  });
});

describe("describeBurnRateTable", () => {
  it("says the default table is for 30 days and is used as is for another window", () => {
    expect(describeBurnRateTable("28d")).toBe(
      "burn-rate alerts: the Google SRE workbook's defaults for a 30-day window (14.4x over 1h and 5m, 6x over 6h and 30m, 1x over 3d and 6h), used as is for this 28d window (set burnRates on the SLO to tune them)",
    );
    expect(describeBurnRateTable("P30D")).toBe(
      "burn-rate alerts: the Google SRE workbook's defaults for a 30-day window (14.4x over 1h and 5m, 6x over 6h and 30m, 1x over 3d and 6h)",
    );
  });

  it("lists configured alerts", () => {
    expect(describeBurnRateTable("7d", [{ long: "2h", short: "10m", factor: 10 }])).toBe(
      "burn-rate alerts (configured): 10x over 2h and 10m",
    );
  });
});

describe("formatting", () => {
  it.each([
    [0.62, "62%"],
    [0.734, "73.4%"],
    [-0.2, "-20%"],
    [0, "0%"],
  ])("shows the share %d as %s", (share, text) => {
    expect(formatPercent(share)).toBe(text);
  });

  it.each([
    [16.2, "16.2x"],
    [15, "15.0x"],
    [1.2, "1.2x"],
    [0.38, "0.38x"],
    [0.0021, "0.0021x"],
    [0, "0x"],
  ])("shows the burn rate %d as %s", (burn, text) => {
    expect(formatBurn(burn)).toBe(text);
  });
});
