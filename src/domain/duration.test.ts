import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDuration, InvalidDurationError, isDuration, parseDuration } from "./duration.js";

describe("parseDuration", () => {
  it.each([
    ["26h", 26 * 3_600_000],
    ["90m", 90 * 60_000],
    ["2d", 2 * 86_400_000],
    ["45s", 45_000],
    ["250ms", 250],
    ["1h30m", 90 * 60_000],
    ["1w", 7 * 86_400_000],
    ["PT26H", 26 * 3_600_000],
    ["P2D", 2 * 86_400_000],
    ["P1DT2H", 26 * 3_600_000],
    ["PT1M30S", 90_000],
    ["PT0.5S", 500],
    [" 5m ", 300_000],
  ])("%s is %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "26", "h", "26x", "P1M", "P1Y", "PT", "P", "P1DT", "-5m", "5 m", "1h 30m"])(
    "refuses %j with a message showing the accepted forms",
    (text) => {
      expect(() => parseDuration(text)).toThrow(InvalidDurationError);
      expect(() => parseDuration(text)).toThrow(/90m, 26h, 2d/);
      expect(isDuration(text)).toBe(false);
    },
  );

  it("reads back what formatDuration writes (to the precision it shows)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 59 }), fc.constantFrom("s", "m", "h", "d"), (n, unit) => {
        const limit = { s: 59, m: 59, h: 23, d: 1000 }[unit];
        const text = `${Math.min(n, limit)}${unit}`;
        expect(formatDuration(parseDuration(text))).toBe(text);
      }),
    );
  });

  it("formats for people", () => {
    expect(formatDuration(26 * 3_600_000)).toBe("1d2h");
    expect(formatDuration(90 * 60_000)).toBe("1h30m");
    expect(formatDuration(1500)).toBe("1s");
    expect(formatDuration(999)).toBe("999ms");
    expect(formatDuration(-60_000)).toBe("-1m");
  });
});
