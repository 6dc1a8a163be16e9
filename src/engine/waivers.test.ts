import { describe, expect, it } from "vitest";
import { expiryOf } from "./waivers.js";

const NOW = Date.parse("2026-03-02T07:00:00.000Z");

describe("expiryOf", () => {
  it("reads a duration, a date (its end, UTC) and an instant", () => {
    expect(expiryOf("30d", NOW)).toBe("2026-04-01T07:00:00.000Z");
    expect(expiryOf("2026-03-31", NOW)).toBe("2026-03-31T23:59:59.999Z");
    expect(expiryOf("2026-03-10T12:00:00+01:00", NOW)).toBe("2026-03-10T11:00:00.000Z");
  });

  it("refuses the past, more than a year, and what it cannot read", () => {
    expect(() => expiryOf("2026-03-01", NOW)).toThrow(/has passed/);
    expect(() => expiryOf("400d", NOW)).toThrow(/a year at most/);
    expect(() => expiryOf("next friday", NOW)).toThrow(/neither a duration/);
  });
});
