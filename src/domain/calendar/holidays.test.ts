import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DAY_MS, formatLocalDate, parseLocalDate } from "../recurrence/local-time.js";
import { businessDaysBefore, holidaySet, isBusinessDay } from "./holidays.js";

const day = (date: string) => Math.floor(parseLocalDate(date) / DAY_MS);
const date = (dayNumber: number) => formatLocalDate(dayNumber * DAY_MS);
const none = holidaySet([]);

describe("holidaySet", () => {
  it("holds each date once", () => {
    const set = holidaySet(["2026-12-25", "2026-12-26", "2026-12-25"]);
    expect(set.size).toBe(2);
    expect(set.has(day("2026-12-25"))).toBe(true);
    expect(set.has(day("2026-12-26"))).toBe(true);
    expect(set.has(day("2026-12-24"))).toBe(false);
  });

  it("refuses a date that does not exist", () => {
    expect(() => holidaySet(["2026-02-30"])).toThrow(RangeError);
    expect(() => holidaySet(["25.12.2026"])).toThrow(/not a date/);
  });
});

describe("isBusinessDay", () => {
  const christmas = holidaySet(["2026-12-25"]);
  it("is Monday to Friday unless a holiday", () => {
    expect(isBusinessDay(day("2026-12-21"), christmas)).toBe(true); // Monday
    expect(isBusinessDay(day("2026-12-24"), christmas)).toBe(true); // Thursday
    expect(isBusinessDay(day("2026-12-25"), christmas)).toBe(false); // Friday, holiday
    expect(isBusinessDay(day("2026-12-26"), christmas)).toBe(false); // Saturday
    expect(isBusinessDay(day("2026-12-27"), christmas)).toBe(false); // Sunday
  });

  it("handles days before 1970", () => {
    expect(isBusinessDay(day("1969-12-31"), none)).toBe(true); // Wednesday
    expect(isBusinessDay(day("1969-12-28"), none)).toBe(false); // Sunday
  });
});

describe("businessDaysBefore", () => {
  it("counts 0 as the day itself, even on a weekend", () => {
    expect(date(businessDaysBefore(day("2026-01-13"), 0, none))).toBe("2026-01-13");
    expect(date(businessDaysBefore(day("2026-01-11"), 0, none))).toBe("2026-01-11");
  });

  it("skips weekends: 2 before a Tuesday is the previous Friday", () => {
    expect(date(businessDaysBefore(day("2026-01-13"), 2, none))).toBe("2026-01-09");
    expect(date(businessDaysBefore(day("2026-01-12"), 1, none))).toBe("2026-01-09");
    expect(date(businessDaysBefore(day("2026-01-15"), 2, none))).toBe("2026-01-13");
    expect(date(businessDaysBefore(day("2026-01-13"), 10, none))).toBe("2025-12-30");
  });

  it("skips holidays", () => {
    const easter = holidaySet(["2026-04-03", "2026-04-06"]); // Good Friday, Easter Monday
    expect(date(businessDaysBefore(day("2026-04-07"), 1, easter))).toBe("2026-04-02");
    expect(date(businessDaysBefore(day("2026-04-07"), 2, easter))).toBe("2026-04-01");
    const christmas = holidaySet(["2026-12-24", "2026-12-25", "2026-12-31", "2027-01-01"]);
    expect(date(businessDaysBefore(day("2027-01-04"), 1, christmas))).toBe("2026-12-30");
    expect(date(businessDaysBefore(day("2027-01-04"), 4, christmas))).toBe("2026-12-23");
  });

  it("refuses a count that is not a whole number from 0", () => {
    expect(() => businessDaysBefore(day("2026-01-13"), -1, none)).toThrow(RangeError);
    expect(() => businessDaysBefore(day("2026-01-13"), 1.5, none)).toThrow(RangeError);
  });

  it("gives up on a set that claims every day", () => {
    const everything = { has: () => true, size: 0 };
    expect(() => businessDaysBefore(day("2026-01-13"), 1, everything)).toThrow(/every day is a holiday/);
  });

  it("lands on a business day with exactly `count` business days from it up to the day", () => {
    const start = day("2020-01-01");
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3650 }),
        fc.integer({ min: 0, max: 60 }),
        fc.uniqueArray(fc.integer({ min: -200, max: 3650 }), { maxLength: 80 }),
        (offset, count, holidayOffsets) => {
          const target = start + offset;
          const holidays = holidaySet(holidayOffsets.map((o) => date(start + o)));
          const result = businessDaysBefore(target, count, holidays);
          expect(result).toBeLessThanOrEqual(target);
          let between = 0;
          for (let d = result; d < target; d++) if (isBusinessDay(d, holidays)) between++;
          expect(between).toBe(count);
          if (count > 0) expect(isBusinessDay(result, holidays)).toBe(true);
        },
      ),
    );
  });
});
