import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileSchedule, InvalidScheduleError } from "./timetable.js";

const weekly = {
  rrule: "FREQ=WEEKLY;BYDAY=TU",
  start: "2026-01-06T10:00",
  timezone: "Europe/Berlin",
  cutoff: "26h",
};

describe("compileSchedule", () => {
  it("keeps the local departure time across a DST change and puts the cut-off a fixed duration before", () => {
    const timetable = compileSchedule(weekly);
    const departures = timetable.departuresAfter(Date.parse("2026-03-20T00:00:00Z"), 3);
    expect(departures).toEqual([
      { departureAt: "2026-03-24T09:00:00.000Z", cutoffAt: "2026-03-23T07:00:00.000Z" }, // CET, UTC+1
      { departureAt: "2026-03-31T08:00:00.000Z", cutoffAt: "2026-03-30T06:00:00.000Z" }, // CEST, UTC+2
      { departureAt: "2026-04-07T08:00:00.000Z", cutoffAt: "2026-04-06T06:00:00.000Z" },
    ]);
  });

  it("starts at DTSTART and honours COUNT", () => {
    const timetable = compileSchedule({ ...weekly, rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=2" });
    expect(
      timetable.departuresAfter(Date.parse("2025-01-01T00:00:00Z"), 5).map((d) => d.departureAt),
    ).toEqual(["2026-01-06T09:00:00.000Z", "2026-01-13T09:00:00.000Z"]);
    expect(timetable.nextBoarding(Date.parse("2026-01-20T00:00:00Z"))).toBeUndefined();
  });

  it("names the departure still boarding: its cut-off is strictly ahead", () => {
    const timetable = compileSchedule(weekly);
    const atCutoff = Date.parse("2026-03-23T07:00:00Z");
    expect(timetable.nextBoarding(atCutoff - 1)?.departureAt).toBe("2026-03-24T09:00:00.000Z");
    expect(timetable.nextBoarding(atCutoff)?.departureAt).toBe("2026-03-31T08:00:00.000Z");
  });

  it("follows biweekly and monthly rules in other zones", () => {
    const biweekly = compileSchedule({
      rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
      start: "2026-01-06T10:00",
      timezone: "America/New_York",
      cutoff: "PT2H",
    });
    expect(biweekly.departuresAfter(Date.parse("2026-01-01T00:00:00Z"), 3).map((d) => d.departureAt)).toEqual(
      ["2026-01-06T15:00:00.000Z", "2026-01-20T15:00:00.000Z", "2026-02-03T15:00:00.000Z"],
    );
    const lastFriday = compileSchedule({
      rrule: "FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1",
      start: "2026-01-30T16:00",
      timezone: "UTC",
      cutoff: "2d",
    });
    expect(lastFriday.departuresAfter(Date.parse("2026-01-01T00:00:00Z"), 3)).toEqual([
      { departureAt: "2026-01-30T16:00:00.000Z", cutoffAt: "2026-01-28T16:00:00.000Z" },
      { departureAt: "2026-02-27T16:00:00.000Z", cutoffAt: "2026-02-25T16:00:00.000Z" },
      { departureAt: "2026-03-27T16:00:00.000Z", cutoffAt: "2026-03-25T16:00:00.000Z" },
    ]);
  });

  it.each([
    [{ timezone: "Mars/Olympus" }, "timezone", /unknown time zone "Mars\/Olympus"/],
    [{ cutoff: "26x" }, "cutoff", /not a duration/],
    [{ start: "next tuesday" }, "start", /not a local date-time/],
    [{ rrule: "DTSTART:20260106T100000\nRRULE:FREQ=WEEKLY" }, "rrule", /without DTSTART/],
    [{ rrule: "BYDAY=TU" }, "rrule", /has no FREQ/],
    [{ rrule: "FREQ=FORTNIGHTLY" }, "rrule", /invalid RRULE/],
  ] as const)("refuses %j, naming the key", (change, key, message) => {
    try {
      compileSchedule({ ...weekly, ...change });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidScheduleError);
      expect((error as InvalidScheduleError).key).toBe(key);
      expect((error as Error).message).toMatch(message);
    }
  });

  it("gives strictly increasing departures, each on the rule's weekday at 10:00 local time", () => {
    const timetable = compileSchedule(weekly);
    const local = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Berlin",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hour12: false,
    });
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("2026-01-01T00:00:00Z"),
          max: new Date("2035-12-31T00:00:00Z"),
          noInvalidDate: true,
        }),
        (from) => {
          const departures = timetable.departuresAfter(from.getTime(), 4);
          expect(departures).toHaveLength(4);
          let previous = from.getTime();
          for (const d of departures) {
            const at = Date.parse(d.departureAt);
            expect(at).toBeGreaterThan(previous);
            expect(at - Date.parse(d.cutoffAt)).toBe(26 * 3_600_000);
            expect(local.format(new Date(at))).toBe("Tue 10:00");
            previous = at;
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
