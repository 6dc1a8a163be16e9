import { describe, expect, test } from "vitest";
import { closestMatch, didYouMean, editDistance } from "./suggest.js";

describe("editDistance", () => {
  test.each([
    ["", "", 0],
    ["cutoff", "cutoff", 0],
    ["cutof", "cutoff", 1],
    ["cutfof", "cutoff", 1],
    ["tiemzone", "timezone", 1],
    ["kitten", "sitting", 3],
    ["", "abc", 3],
  ])("%s → %s is %i", (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe("closestMatch", () => {
  const keys = ["rrule", "start", "timezone", "cutoff"];

  test("finds a likely typo, ignoring case", () => {
    expect(closestMatch("cutof", keys)).toBe("cutoff");
    expect(closestMatch("TimeZone", keys)).toBe("timezone");
    expect(closestMatch("strat", keys)).toBe("start");
  });

  test("does not guess when nothing is close", () => {
    expect(closestMatch("region", keys)).toBeUndefined();
    expect(closestMatch("x", keys)).toBeUndefined();
    expect(closestMatch("cutoff", keys)).toBeUndefined();
  });

  test("formats the hint", () => {
    expect(didYouMean("cutof", keys)).toBe(' (did you mean "cutoff"?)');
    expect(didYouMean("region", keys)).toBe("");
  });
});
