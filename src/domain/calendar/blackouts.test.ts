import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Blackout, type BlackoutConfig } from "../config/schema.js";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../recurrence/local-time.js";
import { zoneRules } from "../recurrence/zone.js";
import { type BlackoutInterval, compileBlackout, InvalidBlackoutError } from "./blackouts.js";

const berlin = zoneRules("Europe/Berlin");
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const span = (b: BlackoutInterval | null) => b && `${iso(b.start)} – ${iso(b.end)}`;
const blackout = (config: Record<string, unknown>): BlackoutConfig =>
  Blackout.parse({ name: "freeze", reason: "Freeze", ...config });
const compile = (config: Record<string, unknown>, calendars: Record<string, string[]> = {}) =>
  compileBlackout(blackout(config), berlin, calendars);

function invalid(
  config: Record<string, unknown>,
  calendars: Record<string, string[]> = {},
): InvalidBlackoutError {
  try {
    compile(config, calendars);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidBlackoutError);
    return error as InvalidBlackoutError;
  }
  throw new Error("expected an InvalidBlackoutError");
}

describe("one-off blackouts", () => {
  const yearEnd = compile({
    name: "year-end",
    reason: "Year-end freeze",
    from: "2026-12-20",
    to: "2027-01-04",
  });

  it("runs from the start of the first date through the end of the last", () => {
    // Midnight CET is 23:00 UTC the day before.
    expect(span(yearEnd.at(at("2026-12-19T23:00:00Z")))).toBe(
      "2026-12-19T23:00:00.000Z – 2027-01-04T23:00:00.000Z",
    );
    expect(yearEnd.at(at("2026-12-19T22:59:59.999Z"))).toBeNull();
    // Monday January 4 is blacked out all day, Tuesday is not.
    expect(yearEnd.at(at("2027-01-04T22:59:00Z"))).not.toBeNull();
    expect(yearEnd.at(at("2027-01-04T23:00:00Z"))).toBeNull();
  });

  it("describes its occurrences", () => {
    expect(yearEnd.at(at("2026-12-25T12:00:00Z"))).toEqual({
      name: "year-end",
      reason: "Year-end freeze",
      start: at("2026-12-19T23:00:00Z"),
      end: at("2027-01-04T23:00:00Z"),
      environments: null,
      exceptionRoles: ["admin"],
    });
    expect(yearEnd.name).toBe("year-end");
    expect(yearEnd.environments).toBeNull();
  });

  it("lists itself when it overlaps a span", () => {
    expect(yearEnd.between(at("2026-12-01T00:00:00Z"), at("2026-12-19T23:00:00Z"))).toEqual([]);
    expect(yearEnd.between(at("2026-12-01T00:00:00Z"), at("2026-12-19T23:00:01Z"))).toHaveLength(1);
    expect(yearEnd.between(at("2027-01-04T22:59:59Z"), at("2027-02-01T00:00:00Z"))).toHaveLength(1);
    expect(yearEnd.between(at("2027-01-04T23:00:00Z"), at("2027-02-01T00:00:00Z"))).toEqual([]);
  });

  it("ends at a local date-time, exclusive", () => {
    const release = compile({ from: "2026-03-28T18:00", to: "2026-03-30T06:00" });
    // 18:00 CET Saturday to 06:00 CEST Monday.
    expect(span(release.at(at("2026-03-29T12:00:00Z")))).toBe(
      "2026-03-28T17:00:00.000Z – 2026-03-30T04:00:00.000Z",
    );
    expect(release.at(at("2026-03-30T04:00:00Z"))).toBeNull();
  });

  it("mixes a date and a date-time", () => {
    const b = compile({ from: "2026-07-01", to: "2026-07-01T12:00" });
    expect(span(b.at(at("2026-07-01T08:00:00Z")))).toBe(
      "2026-06-30T22:00:00.000Z – 2026-07-01T10:00:00.000Z",
    );
  });

  it("covers one whole day when from and to are the same date", () => {
    const b = compile({ from: "2026-10-25", to: "2026-10-25" });
    // The day the clocks go back has 25 hours.
    const whole = b.at(at("2026-10-25T12:00:00Z"))!;
    expect(whole.end - whole.start).toBe(25 * HOUR_MS);
  });

  it("refuses a `to` that is not after `from`", () => {
    const error = invalid({ from: "2027-01-04", to: "2026-12-20" });
    expect(error.key).toBe("to");
    expect(error.message).toMatch(
      /ends \(2026-12-20, through the end of that day\) before it starts \(2027-01-04\)/,
    );
    expect(invalid({ from: "2026-12-20T10:00", to: "2026-12-20T10:00" })).toMatchObject({
      key: "to",
      message: /ends \(2026-12-20T10:00, exclusive\) when it starts \(2026-12-20T10:00\)/,
    });
  });

  it("refuses a date that does not exist", () => {
    const error = invalid({ from: "2026-02-30", to: "2026-03-02" });
    expect(error.key).toBe("from");
    expect(error.message).toMatch(/2026-02-30/);
    expect(invalid({ from: "2026-02-01", to: "2026-02-29T10:00" }).key).toBe("to");
  });
});

describe("recurring blackouts", () => {
  // Every Friday 18:00 for 62 hours: to Monday 08:00.
  const weekend = compile({
    name: "weekend",
    reason: "Nobody on call",
    rrule: "FREQ=WEEKLY;BYDAY=FR",
    start: "2026-01-02T18:00",
    duration: "62h",
    environments: ["prod-eu"],
    exceptionRoles: ["coordinator", "admin"],
  });

  it("runs from Friday evening to Monday morning", () => {
    expect(span(weekend.at(at("2026-01-10T12:00:00Z")))).toBe(
      "2026-01-09T17:00:00.000Z – 2026-01-12T07:00:00.000Z",
    );
    expect(weekend.at(at("2026-01-09T16:59:59Z"))).toBeNull();
    expect(weekend.at(at("2026-01-12T06:59:59Z"))).not.toBeNull();
    expect(weekend.at(at("2026-01-12T07:00:00Z"))).toBeNull();
    expect(weekend.at(at("2026-01-14T12:00:00Z"))).toBeNull();
    expect(weekend.at(at("2026-01-02T12:00:00Z"))).toBeNull();
    expect(weekend.at(at("2025-12-27T12:00:00Z"))).toBeNull();
  });

  it("keeps the start local and the duration absolute across DST", () => {
    // Friday 27 March 18:00 CET + 62 h = Monday 30 March 07:00 UTC, which is 09:00 CEST.
    expect(span(weekend.at(at("2026-03-28T12:00:00Z")))).toBe(
      "2026-03-27T17:00:00.000Z – 2026-03-30T07:00:00.000Z",
    );
    // After the change the Friday start is 18:00 CEST.
    expect(span(weekend.at(at("2026-04-04T12:00:00Z")))).toBe(
      "2026-04-03T16:00:00.000Z – 2026-04-06T06:00:00.000Z",
    );
  });

  it("carries its environments and exception roles", () => {
    const occurrence = weekend.at(at("2026-01-10T12:00:00Z"))!;
    expect(occurrence).toMatchObject({
      name: "weekend",
      reason: "Nobody on call",
      environments: ["prod-eu"],
    });
    expect(occurrence.exceptionRoles).toEqual(["coordinator", "admin"]);
  });

  it("lists the occurrences overlapping a span, in order", () => {
    const list = weekend.between(at("2026-01-12T06:00:00Z"), at("2026-01-23T17:00:00Z"));
    expect(list.map(span)).toEqual([
      "2026-01-09T17:00:00.000Z – 2026-01-12T07:00:00.000Z",
      "2026-01-16T17:00:00.000Z – 2026-01-19T07:00:00.000Z",
    ]);
    expect(weekend.between(at("2026-01-12T07:00:00Z"), at("2026-01-16T17:00:00Z"))).toEqual([]);
    expect(weekend.between(at("2026-02-01T00:00:00Z"), at("2026-01-01T00:00:00Z"))).toEqual([]);
  });

  it("answers the same whether asked in order, backwards or far ahead", () => {
    const hourly: string[] = [];
    for (let t = at("2026-01-01T00:00:00Z"); t < at("2028-01-01T00:00:00Z"); t += HOUR_MS) {
      const found = weekend.at(t);
      if (found) hourly.push(iso(t));
    }
    // 62 of every 168 hours, over 104 or 105 weekends.
    expect(hourly.length).toBeGreaterThan(104 * 62 - 62);
    expect(hourly.length).toBeLessThan(106 * 62);
    const fresh = compile({ rrule: "FREQ=WEEKLY;BYDAY=FR", start: "2026-01-02T18:00", duration: "62h" });
    expect(span(fresh.at(at("2030-06-08T12:00:00Z")))).toBe(
      "2030-06-07T16:00:00.000Z – 2030-06-10T06:00:00.000Z",
    );
    expect(span(fresh.at(at("2026-01-03T12:00:00Z")))).toBe(
      "2026-01-02T17:00:00.000Z – 2026-01-05T07:00:00.000Z",
    );
  });

  it("stops at a UTC UNTIL compared as an instant", () => {
    // 18:00 CET on Friday 16 January is 17:00 UTC: inclusive.
    const through = compile({
      rrule: "FREQ=WEEKLY;BYDAY=FR;UNTIL=20260116T170000Z",
      start: "2026-01-02T18:00",
      duration: "2h",
    });
    expect(
      through.between(at("2026-01-01T00:00:00Z"), at("2026-03-01T00:00:00Z")).map((b) => iso(b.start)),
    ).toEqual(["2026-01-02T17:00:00.000Z", "2026-01-09T17:00:00.000Z", "2026-01-16T17:00:00.000Z"]);
    const before = compile({
      rrule: "FREQ=WEEKLY;BYDAY=FR;UNTIL=20260116T165959Z",
      start: "2026-01-02T18:00",
      duration: "2h",
    });
    expect(before.between(at("2026-01-01T00:00:00Z"), at("2026-03-01T00:00:00Z"))).toHaveLength(2);
    expect(before.at(at("2026-01-16T18:00:00Z"))).toBeNull();
  });

  it("honours COUNT", () => {
    const twice = compile({ rrule: "FREQ=DAILY;COUNT=2", start: "2026-05-01T22:00", duration: "4h" });
    expect(twice.between(at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z")).map(span)).toEqual([
      "2026-05-01T20:00:00.000Z – 2026-05-02T00:00:00.000Z",
      "2026-05-02T20:00:00.000Z – 2026-05-03T00:00:00.000Z",
    ]);
    expect(twice.at(at("2026-05-03T21:00:00Z"))).toBeNull();
  });

  it("returns the occurrence that ends last when occurrences overlap", () => {
    const daily = compile({ rrule: "FREQ=DAILY", start: "2026-05-01T00:00", duration: "36h" });
    // 2 May 11:00 CEST is inside the occurrences of 1 May (to 12:00) and 2 May.
    expect(span(daily.at(at("2026-05-02T09:00:00Z")))).toBe(
      "2026-05-01T22:00:00.000Z – 2026-05-03T10:00:00.000Z",
    );
    expect(daily.between(at("2026-05-02T09:00:00Z"), at("2026-05-02T09:00:01Z"))).toHaveLength(2);
    expect(daily.between(at("2026-05-02T10:00:00Z"), at("2026-05-02T10:00:01Z"))).toHaveLength(1);
  });

  it("stays correct when a rule repeats often enough for old occurrences to be dropped", () => {
    const minutely = compile({ rrule: "FREQ=MINUTELY", start: "2026-01-01T00:00", duration: "30s" });
    const start = at("2025-12-31T23:00:00Z");
    const late = start + 250_000 * MINUTE_MS;
    expect(minutely.at(late + 10_000)).toMatchObject({ start: late, end: late + 30_000 });
    expect(minutely.at(late + 40_000)).toBeNull();
    expect(minutely.at(start + 10_000)).toMatchObject({ start, end: start + 30_000 });
    expect(minutely.at(start - 1)).toBeNull();
    expect(minutely.between(start + 5 * MINUTE_MS, start + 7 * MINUTE_MS)).toHaveLength(2);
  });

  it("refuses a bad rule, start or duration", () => {
    const rrule = invalid({ rrule: "FREQ=FORTNIGHTLY", start: "2026-01-02T18:00", duration: "2h" });
    expect(rrule.key).toBe("rrule");
    expect(rrule.message).toMatch(/FORTNIGHTLY/);
    expect(invalid({ rrule: "FREQ=WEEKLY", start: "2026-02-30T18:00", duration: "2h" }).key).toBe("start");
    expect(invalid({ rrule: "FREQ=WEEKLY", start: "2026-01-02T18:00", duration: "0s" })).toMatchObject({
      key: "duration",
      message: /longer than 0ms/,
    });
    const unparsed = compileBlackoutUnchecked({
      rrule: "FREQ=WEEKLY",
      start: "2026-01-02T18:00",
      duration: "a week",
    });
    expect(unparsed).toMatchObject({ key: "duration", message: /"a week" is not a duration/ });
  });
});

/** Compiles a blackout the schema would refuse, as code that skips validation might pass. */
function compileBlackoutUnchecked(config: Record<string, unknown>): unknown {
  try {
    compileBlackout(
      { name: "x", reason: "x", exceptionRoles: ["admin"], ...config } as BlackoutConfig,
      berlin,
      {},
    );
  } catch (error) {
    return error;
  }
  return null;
}

describe("calendar blackouts", () => {
  const calendars = {
    "de-holidays": ["2026-12-26", "2026-12-24", "2026-12-25", "2027-01-01", "2026-12-25"],
    empty: [],
  };
  const holidays = compile(
    { name: "holidays", reason: "Public holiday", calendar: "de-holidays" },
    calendars,
  );

  it("blacks out each date from local midnight to local midnight, consecutive dates as one", () => {
    expect(span(holidays.at(at("2026-12-25T12:00:00Z")))).toBe(
      "2026-12-23T23:00:00.000Z – 2026-12-26T23:00:00.000Z",
    );
    expect(span(holidays.at(at("2027-01-01T00:00:00Z")))).toBe(
      "2026-12-31T23:00:00.000Z – 2027-01-01T23:00:00.000Z",
    );
    expect(holidays.at(at("2026-12-23T22:59:59Z"))).toBeNull();
    expect(holidays.at(at("2026-12-26T23:00:00Z"))).toBeNull();
    expect(holidays.at(at("2026-12-31T12:00:00Z"))).toBeNull();
  });

  it("lists the intervals overlapping a span", () => {
    expect(holidays.between(at("2026-01-01T00:00:00Z"), at("2028-01-01T00:00:00Z"))).toHaveLength(2);
    expect(holidays.between(at("2026-12-27T00:00:00Z"), at("2026-12-31T23:00:00Z"))).toEqual([]);
  });

  it("is never in force for an empty calendar", () => {
    const none = compile({ calendar: "empty" }, calendars);
    expect(none.at(at("2026-12-25T12:00:00Z"))).toBeNull();
    expect(none.between(0, at("2100-01-01T00:00:00Z"))).toEqual([]);
  });

  it("refuses an unknown calendar, naming the defined ones", () => {
    const error = invalid({ calendar: "fr-holidays" }, calendars);
    expect(error.key).toBe("calendar");
    expect(error.message).toBe(
      'unknown calendar "fr-holidays" (defined calendars: de-holidays, empty): name an entry under `calendars`',
    );
    expect(invalid({ calendar: "constructor" }).message).toMatch(/no calendars are defined/);
  });

  it("refuses a calendar date that does not exist", () => {
    expect(invalid({ calendar: "bad" }, { bad: ["2026-13-01"] })).toMatchObject({
      key: "calendar",
      message: /bad/,
    });
  });
});

describe("blackout properties", () => {
  it("at() finds exactly the occurrences between() lists", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("MO", "TU", "WE", "TH", "FR", "SA", "SU"),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: at("2026-01-01T00:00:00Z"), max: at("2027-12-31T00:00:00Z") }),
        (day, hour, hours, t) => {
          const b = compile({
            rrule: `FREQ=WEEKLY;BYDAY=${day}`,
            start: `2026-01-01T${String(hour).padStart(2, "0")}:00`,
            duration: `${hours}h`,
          });
          const listed = b.between(t - 10 * DAY_MS, t + 10 * DAY_MS);
          const covering = listed.filter((o) => o.start <= t && t < o.end);
          const found = b.at(t);
          if (covering.length === 0) expect(found).toBeNull();
          else expect(found).toEqual(covering.reduce((a, o) => (o.end > a.end ? o : a)));
        },
      ),
    );
  });
});
