import fc from "fast-check";
import { RRuleTemporal } from "rrule-temporal";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { createExpander } from "./expand.js";
import {
  DAY_MS,
  formatLocalDateTime,
  MINUTE_MS,
  parseLocalDate,
  parseLocalDateTime,
  type WallMs,
} from "./local-time.js";
import { type ByDay, formatRRule, parseRRule, type RecurrenceRule } from "./rrule.js";

/** Up to `limit` occurrences, as wall times. */
function take(rule: RecurrenceRule | string, start: WallMs | string, limit = 1000): WallMs[] {
  const parsed = typeof rule === "string" ? parseRRule(rule) : rule;
  const expander = createExpander(parsed, typeof start === "string" ? parseLocalDateTime(start) : start);
  const out: WallMs[] = [];
  while (out.length < limit) {
    const wall = expander.next();
    if (wall === null) break;
    out.push(wall);
  }
  return out;
}

const local = (walls: WallMs[]) => walls.map(formatLocalDateTime);

/** The same rule text, parsed to a fresh object (rules are cached per object). */
const withParts = (rule: RecurrenceRule, parts: Partial<RecurrenceRule>): RecurrenceRule => ({
  ...rule,
  ...parts,
});

describe("createExpander", () => {
  it("defaults missing parts from the start and skips months without the start's day", () => {
    expect(local(take("FREQ=MONTHLY;COUNT=4", "2026-01-31T10:00"))).toEqual([
      "2026-01-31T10:00:00",
      "2026-03-31T10:00:00",
      "2026-05-31T10:00:00",
      "2026-07-31T10:00:00",
    ]);
  });

  it("repeats a February 29 start only in leap years", () => {
    expect(local(take("FREQ=YEARLY;COUNT=3", "2024-02-29T08:00"))).toEqual([
      "2024-02-29T08:00:00",
      "2028-02-29T08:00:00",
      "2032-02-29T08:00:00",
    ]);
  });

  it("returns the start only when the rule produces it", () => {
    // 2026-01-07 is a Wednesday; the rule wants Tuesdays.
    expect(local(take("FREQ=WEEKLY;BYDAY=TU;COUNT=2", "2026-01-07T10:00"))).toEqual([
      "2026-01-13T10:00:00",
      "2026-01-20T10:00:00",
    ]);
    // An earlier time than the start on the start's day is not returned either.
    expect(local(take("FREQ=DAILY;BYHOUR=9,11;COUNT=3", "2026-01-07T10:00"))).toEqual([
      "2026-01-07T11:00:00",
      "2026-01-08T09:00:00",
      "2026-01-08T11:00:00",
    ]);
  });

  it("applies BYSETPOS to the whole period, before dropping what lies before the start", () => {
    // The last weekday of January 2026 is Friday the 30th; a start on the 29th keeps it.
    expect(local(take("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=2", "2026-01-29T10:00"))).toEqual([
      "2026-01-30T10:00:00",
      "2026-02-27T10:00:00",
    ]);
    // BYSETPOS counts days × times: the 2nd of (Mon 9:00, Mon 17:00, Tue 9:00, …) is Monday 17:00.
    expect(
      local(take("FREQ=WEEKLY;BYDAY=MO,TU;BYHOUR=9,17;BYMINUTE=0;BYSETPOS=2,-1;COUNT=4", "2026-01-05T00:00")),
    ).toEqual(["2026-01-05T17:00:00", "2026-01-06T17:00:00", "2026-01-12T17:00:00", "2026-01-13T17:00:00"]);
  });

  it("applies a local UNTIL inclusively and a date UNTIL through the end of its day", () => {
    expect(local(take("FREQ=DAILY;UNTIL=20260105T100000", "2026-01-03T10:00"))).toEqual([
      "2026-01-03T10:00:00",
      "2026-01-04T10:00:00",
      "2026-01-05T10:00:00",
    ]);
    expect(local(take("FREQ=DAILY;UNTIL=20260105T095959", "2026-01-03T10:00"))).toHaveLength(2);
    expect(local(take("FREQ=DAILY;BYHOUR=0,23;BYMINUTE=59;UNTIL=20260104", "2026-01-03T00:00"))).toEqual([
      "2026-01-03T00:59:00",
      "2026-01-03T23:59:00",
      "2026-01-04T00:59:00",
      "2026-01-04T23:59:00",
    ]);
  });

  it("does not apply an UNTIL in UTC: the caller compares instants", () => {
    expect(take("FREQ=DAILY;UNTIL=20260105T000000Z", "2026-01-03T10:00", 10)).toHaveLength(10);
  });

  it("ends rules that can never produce an occurrence", () => {
    for (const text of [
      "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
      "FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=31",
      "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31",
      "FREQ=YEARLY;BYWEEKNO=53;BYMONTH=6",
      "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30",
      "FREQ=HOURLY;INTERVAL=2;BYHOUR=1,3,5",
      "FREQ=MINUTELY;INTERVAL=60;BYMINUTE=30",
      "FREQ=SECONDLY;INTERVAL=60;BYSECOND=30",
      "FREQ=HOURLY;INTERVAL=168;BYDAY=MO",
    ]) {
      expect(take(text, "2026-01-06T10:00"), text).toEqual([]);
    }
  });

  it("keeps occurrences that are centuries apart", () => {
    // February 29 on a Monday: 2016, 2044, 2072, 2112 (2100 is not a leap year).
    expect(local(take("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;COUNT=4", "2016-01-01T09:00"))).toEqual([
      "2016-02-29T09:00:00",
      "2044-02-29T09:00:00",
      "2072-02-29T09:00:00",
      "2112-02-29T09:00:00",
    ]);
  });

  it("keeps the start's sub-second part", () => {
    expect(take("FREQ=DAILY;COUNT=2", parseLocalDateTime("2026-01-03T10:00") + 250)).toEqual([
      parseLocalDateTime("2026-01-03T10:00") + 250,
      parseLocalDateTime("2026-01-04T10:00") + 250,
    ]);
  });

  it("expands HOURLY, MINUTELY and SECONDLY with limits and expansions", () => {
    expect(local(take("FREQ=HOURLY;INTERVAL=5;BYMINUTE=0,30;COUNT=5", "2026-01-03T22:10"))).toEqual([
      "2026-01-03T22:30:00",
      "2026-01-04T03:00:00",
      "2026-01-04T03:30:00",
      "2026-01-04T08:00:00",
      "2026-01-04T08:30:00",
    ]);
    expect(local(take("FREQ=MINUTELY;INTERVAL=7;BYHOUR=10;BYDAY=SA;COUNT=3", "2026-01-02T09:57"))).toEqual([
      // Friday is skipped; periods stay on the 7-minute grid from Friday 09:57 (Saturday 09:59 is
      // 206 periods later).
      "2026-01-03T10:06:00",
      "2026-01-03T10:13:00",
      "2026-01-03T10:20:00",
    ]);
    expect(
      local(take("FREQ=SECONDLY;INTERVAL=20;BYSECOND=40;BYMINUTE=1;COUNT=2", "2026-01-02T09:58:00")),
    ).toEqual(["2026-01-02T10:01:40", "2026-01-02T11:01:40"]);
    expect(local(take("FREQ=HOURLY;BYYEARDAY=-1;BYHOUR=23;COUNT=2", "2026-06-01T00:15"))).toEqual([
      "2026-12-31T23:15:00",
      "2027-12-31T23:15:00",
    ]);
  });

  it("numbers weeks from WKST for BYWEEKNO, including days in the neighbouring years", () => {
    // ISO week 1 of 2026 runs from Monday 2025-12-29 to Sunday 2026-01-04.
    expect(local(take("FREQ=YEARLY;BYWEEKNO=1;COUNT=7", "2025-06-01T09:00"))).toEqual(
      ["2025-12-29", "2025-12-30", "2025-12-31", "2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"].map(
        (day) => `${day}T09:00:00`,
      ),
    );
    // 2026 has 53 ISO weeks; week 53 (= -1) is 2026-12-28 to 2027-01-03.
    expect(local(take("FREQ=YEARLY;BYWEEKNO=-1;BYDAY=SU;COUNT=2", "2026-01-01T09:00"))).toEqual([
      "2027-01-03T09:00:00",
      "2028-01-02T09:00:00",
    ]);
    // Week 1 of 2025 starts Monday 2024-12-30 (WKST=MO) but Sunday 2024-12-29 with WKST=SU.
    expect(local(take("FREQ=YEARLY;BYWEEKNO=1;BYDAY=SU;COUNT=1", "2024-06-01T09:00"))).toEqual([
      "2025-01-05T09:00:00",
    ]);
    expect(local(take("FREQ=YEARLY;BYWEEKNO=1;BYDAY=SU;WKST=SU;COUNT=1", "2024-06-01T09:00"))).toEqual([
      "2024-12-29T09:00:00",
    ]);
  });

  it("agrees with ISO week numbers for BYWEEKNO with WKST=MO", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 53 }), fc.integer({ min: 1990, max: 2060 }), (week, year) => {
        const start = parseLocalDate(`${year}-06-01`);
        const walls = take(`FREQ=YEARLY;BYWEEKNO=${week}`, start, 21);
        expect(walls.length).toBe(21);
        for (const wall of walls) {
          const date = Temporal.PlainDate.from(formatLocalDateTime(wall).slice(0, 10));
          expect(date.weekOfYear).toBe(week);
        }
        // Every day of ISO week 1 of the next year is returned, also those in December.
        if (week === 1)
          expect(walls.slice(0, 7).map((w) => Math.floor(w / DAY_MS))).toEqual(
            Array.from({ length: 7 }, (_, i) => Math.floor(walls[0]! / DAY_MS) + i),
          );
      }),
      { numRuns: 200 },
    );
  });

  it("mixes plain and year-relative ordinal weekdays: every Monday plus the first Tuesday", () => {
    expect(local(take("FREQ=YEARLY;BYDAY=MO,1TU;COUNT=4", "2025-12-22T09:00"))).toEqual([
      "2025-12-22T09:00:00",
      "2025-12-29T09:00:00",
      "2026-01-05T09:00:00",
      "2026-01-06T09:00:00",
    ]);
  });

  it("limits year-relative ordinal weekdays by BYMONTHDAY: the last Friday of the year on a 31st", () => {
    expect(local(take("FREQ=YEARLY;BYDAY=-1FR;BYMONTHDAY=-1;COUNT=3", "2026-01-01T09:00"))).toEqual([
      "2027-12-31T09:00:00",
      "2032-12-31T09:00:00",
      "2038-12-31T09:00:00",
    ]);
  });

  it("finds year-relative ordinals: the last Friday of the year and the 53rd Monday", () => {
    expect(local(take("FREQ=YEARLY;BYDAY=-1FR;COUNT=2", "2026-01-01T09:00"))).toEqual([
      "2026-12-25T09:00:00",
      "2027-12-31T09:00:00",
    ]);
    // Years with 53 Mondays start on a Monday (or are leap years starting on Sunday).
    expect(local(take("FREQ=YEARLY;BYDAY=53MO;COUNT=2", "2026-01-01T09:00"))).toEqual([
      "2029-12-31T09:00:00",
      "2035-12-31T09:00:00",
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Differential test against rrule-temporal, in UTC (where both must agree).

const FREQS = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"] as const;
const START_MIN = Date.parse("1990-01-01T00:00Z");
const START_MAX = Date.parse("2040-01-01T00:00Z");

const weekdayArb = fc.integer({ min: 0, max: 6 });
/** A BYxxx list that is absent two times out of three, so that most rules are not too sparse. */
const sometimes = <T>(list: fc.Arbitrary<T[]>): fc.Arbitrary<T[]> =>
  fc.oneof({ arbitrary: fc.constant<T[]>([]), weight: 2 }, { arbitrary: list, weight: 1 });
const ruleInputArb = fc.record({
  freq: fc.constantFrom(...FREQS),
  interval: fc.integer({ min: 1, max: 4 }),
  plainDays: sometimes(fc.uniqueArray(weekdayArb, { minLength: 1, maxLength: 4 })),
  ordinalDays: sometimes(
    fc.uniqueArray(fc.record({ weekday: weekdayArb, ordinal: fc.constantFrom(1, 2, 3, 4, 5, -1, -2, -5) }), {
      minLength: 1,
      maxLength: 2,
      selector: (d) => `${d.ordinal}${d.weekday}`,
    }),
  ),
  byMonthDay: sometimes(
    fc.uniqueArray(
      fc.integer({ min: -31, max: 31 }).filter((n) => n !== 0),
      { minLength: 1, maxLength: 4 },
    ),
  ),
  byMonth: sometimes(fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 4 })),
  bySetPos: sometimes(fc.uniqueArray(fc.constantFrom(1, 2, 3, -1, -2), { minLength: 1, maxLength: 2 })),
  byHour: sometimes(fc.uniqueArray(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 2 })),
  byMinute: sometimes(fc.uniqueArray(fc.constantFrom(0, 15, 30, 45, 59), { minLength: 1, maxLength: 2 })),
  wkst: weekdayArb,
  end: fc.oneof(
    fc.constant<null>(null),
    fc.record({ count: fc.integer({ min: 1, max: 60 }) }),
    fc.record({
      untilDays: fc.integer({ min: 0, max: 4000 }),
      untilMinute: fc.integer({ min: 0, max: 1439 }),
    }),
  ),
  start: fc.integer({ min: START_MIN / MINUTE_MS, max: START_MAX / MINUTE_MS }).map((m) => m * MINUTE_MS),
});

type RuleInput = typeof ruleInputArb extends fc.Arbitrary<infer T> ? T : never;

/** A rule RFC 5545 allows, built from random parts (parts the FREQ forbids are dropped). */
function buildRule(input: RuleInput): RecurrenceRule {
  const { freq } = input;
  const ordinals = freq === "MONTHLY" || freq === "YEARLY" ? input.ordinalDays : [];
  // rrule-temporal 2.2.8 gets YEARLY rules without BYMONTH wrong once BYDAY has an ordinal (these
  // shapes are tested against fixed dates in `createExpander` instead):
  //  - it drops the plain weekdays (BYDAY=MO,1TU gives only the first Tuesday of the year), while
  //    RFC 5545 3.3.10 says "If an integer modifier is not present, it means all days of this type
  //    within the specified frequency";
  //  - it ignores BYMONTHDAY (BYMONTHDAY=-1;BYDAY=1MO gives every first Monday of the year), while
  //    the RFC's Note 2 says BYDAY is a "Limit if BYYEARDAY or BYMONTHDAY is present".
  const oracleBug = freq === "YEARLY" && input.byMonth.length === 0 && ordinals.length > 0;
  const byDay: ByDay[] = [
    ...(oracleBug ? [] : input.plainDays.map((weekday) => ({ weekday, ordinal: null }))),
    ...ordinals,
  ];
  const rule: RecurrenceRule = {
    freq,
    interval: input.interval,
    count: null,
    until: null,
    bySecond: [],
    byMinute: input.byMinute,
    byHour: input.byHour,
    byDay,
    byMonthDay: freq === "WEEKLY" || oracleBug ? [] : input.byMonthDay,
    byYearDay: [],
    byWeekNo: [],
    byMonth: input.byMonth,
    bySetPos: [],
    wkst: input.wkst,
  };
  if (byDay.length + rule.byMonthDay.length + rule.byMonth.length + rule.byHour.length > 0) {
    // Positions beyond the candidates a DAILY or WEEKLY period can have make rules that never match.
    const times = Math.max(1, rule.byHour.length) * Math.max(1, rule.byMinute.length);
    const dayParts = byDay.length + rule.byMonthDay.length > 0;
    const most =
      freq === "DAILY"
        ? times
        : freq === "WEEKLY"
          ? Math.max(1, byDay.length) * times
          : dayParts
            ? 366
            : (freq === "YEARLY" ? Math.max(1, rule.byMonth.length) : 1) * times;
    rule.bySetPos = input.bySetPos.filter((pos) => Math.abs(pos) <= most);
  }
  if (input.end !== null && "count" in input.end) rule.count = input.end.count;
  if (input.end !== null && "untilDays" in input.end) {
    const wall = input.start + input.end.untilDays * DAY_MS + input.end.untilMinute * MINUTE_MS;
    rule.until = { kind: "local", wall: Math.floor(wall / MINUTE_MS) * MINUTE_MS };
  }
  return rule;
}

function oracle(
  rule: RecurrenceRule,
  start: WallMs,
  limit: number,
  maxIterations = 50_000,
): WallMs[] | "gave up" {
  const dtstart = Temporal.Instant.fromEpochMilliseconds(start).toZonedDateTimeISO("UTC");
  // rrule-temporal wants UNTIL in UTC with a zoned DTSTART; in UTC the two are the same.
  const until =
    rule.until?.kind === "local" ? { kind: "instant" as const, epochMs: rule.until.wall } : rule.until;
  try {
    const expected = new RRuleTemporal({
      rruleString: formatRRule({ ...rule, until }),
      dtstart,
      maxIterations,
    });
    return expected.all((_, i) => i < limit).map((zdt) => zdt.epochMilliseconds);
  } catch (error) {
    // rrule-temporal throws instead of ending rules that never match (BYMONTH=2;BYMONTHDAY=30), or
    // that match too rarely for its iteration budget.
    if (/Maximum iterations/.test((error as Error).message)) return "gave up";
    throw error;
  }
}

describe("createExpander agrees with rrule-temporal (UTC)", () => {
  it("on the first 50 occurrences of random DAILY/WEEKLY/MONTHLY/YEARLY rules", () => {
    fc.assert(
      fc.property(ruleInputArb, (input) => {
        const rule = parseRRule(formatRRule(buildRule(input)));
        const actual = take(rule, input.start, 50);
        // rrule-temporal needs seconds to give up on a rule that (almost) never matches; our own
        // expansion tells which rules are sparse, and those get a small budget. Where the oracle
        // gives up on them, the other tests here cover termination.
        const dense = actual.length === 50;
        const expected = oracle(rule, input.start, 50, dense ? 200_000 : 2_000);
        if (expected === "gave up") expect(dense).toBe(false);
        else expect(local(actual), formatRRule(rule)).toEqual(local(expected));
      }),
      { numRuns: 250 },
    );
  });

  it("on the documented RFC shapes with unsynchronised starts", () => {
    const shapes = [
      "FREQ=DAILY;INTERVAL=3",
      "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=SU",
      "FREQ=MONTHLY;BYDAY=2TU",
      "FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1",
      "FREQ=MONTHLY;BYMONTHDAY=-3,10",
      "FREQ=YEARLY;BYMONTH=3,11;BYDAY=-1SU;BYHOUR=1,2",
      "FREQ=YEARLY;BYYEARDAY=1,-1,100",
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...shapes),
        fc.integer({ min: START_MIN / MINUTE_MS, max: START_MAX / MINUTE_MS }),
        (text, minutes) => {
          const start = minutes * MINUTE_MS;
          const rule = parseRRule(text);
          expect(local(take(rule, start, 40)), text).toEqual(local(oracle(rule, start, 40) as WallMs[]));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("expansion properties", () => {
  it("is strictly increasing and never before the start", () => {
    fc.assert(
      fc.property(ruleInputArb, (input) => {
        const walls = take(buildRule(input), input.start, 200);
        for (let i = 0; i < walls.length; i++) {
          expect(walls[i]!).toBeGreaterThanOrEqual(input.start);
          if (i > 0) expect(walls[i]!).toBeGreaterThan(walls[i - 1]!);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("honours COUNT exactly: the first COUNT occurrences of the unbounded rule", () => {
    fc.assert(
      fc.property(ruleInputArb, fc.integer({ min: 1, max: 80 }), (input, count) => {
        const unbounded = withParts(buildRule(input), { count: null, until: null });
        const bounded = withParts(unbounded, { count });
        expect(take(bounded, input.start, 10_000)).toEqual(take(unbounded, input.start, count));
      }),
      { numRuns: 300 },
    );
  });

  it("returns nothing after a local UNTIL, and everything up to it", () => {
    fc.assert(
      fc.property(ruleInputArb, fc.integer({ min: 0, max: 3000 * 1440 }), (input, minutes) => {
        const unbounded = withParts(buildRule(input), { count: null, until: null });
        const until = input.start + minutes * MINUTE_MS;
        const bounded = withParts(unbounded, { until: { kind: "local", wall: until } });
        const expected = take(unbounded, input.start, 400).filter((wall) => wall <= until);
        expect(take(bounded, input.start, 400)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
