import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseLocalDate, parseLocalDateTime } from "./local-time.js";
import {
  type Frequency,
  formatRRule,
  InvalidRecurrenceError,
  parseRRule,
  type RecurrenceRule,
} from "./rrule.js";

const base: RecurrenceRule = {
  freq: "WEEKLY",
  interval: 1,
  count: null,
  until: null,
  bySecond: [],
  byMinute: [],
  byHour: [],
  byDay: [],
  byMonthDay: [],
  byYearDay: [],
  byWeekNo: [],
  byMonth: [],
  bySetPos: [],
  wkst: 0,
};

describe("parseRRule", () => {
  it("reads every part", () => {
    expect(
      parseRRule(
        "FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,3;BYYEARDAY=1,-366;BYMONTHDAY=-31,15;" +
          "BYDAY=MO,+2TU,-1FR;BYHOUR=0,23;BYMINUTE=0,59;BYSECOND=0,59;BYSETPOS=1,-366;WKST=SU",
      ),
    ).toEqual({
      freq: "YEARLY",
      interval: 2,
      count: 10,
      until: null,
      bySecond: [0, 59],
      byMinute: [0, 59],
      byHour: [0, 23],
      byDay: [
        { weekday: 0, ordinal: null },
        { weekday: 1, ordinal: 2 },
        { weekday: 4, ordinal: -1 },
      ],
      byMonthDay: [-31, 15],
      byYearDay: [1, -366],
      byWeekNo: [],
      byMonth: [1, 3],
      bySetPos: [1, -366],
      wkst: 6,
    } satisfies RecurrenceRule);
    expect(parseRRule("FREQ=YEARLY;BYWEEKNO=-1,20;BYDAY=SU").byWeekNo).toEqual([-1, 20]);
  });

  it("accepts a leading RRULE:, any case and any part order", () => {
    const rule = parseRRule("rrule:byday=tu;freq=weekly;wkst=su");
    expect(rule).toEqual({ ...base, byDay: [{ weekday: 1, ordinal: null }], wkst: 6 });
  });

  it("reads the three forms of UNTIL", () => {
    expect(parseRRule("FREQ=DAILY;UNTIL=20261231T235959Z").until).toEqual({
      kind: "instant",
      epochMs: Date.parse("2026-12-31T23:59:59Z"),
    });
    expect(parseRRule("FREQ=DAILY;UNTIL=20261231T235959").until).toEqual({
      kind: "local",
      wall: parseLocalDateTime("2026-12-31T23:59:59"),
    });
    expect(parseRRule("FREQ=DAILY;UNTIL=20261231").until).toEqual({
      kind: "date",
      wall: parseLocalDate("2026-12-31"),
    });
  });

  it("drops repeated values in a list", () => {
    expect(parseRRule("FREQ=DAILY;BYHOUR=9,9,10;BYDAY=MO,MO").byHour).toEqual([9, 10]);
    expect(parseRRule("FREQ=DAILY;BYDAY=MO,MO").byDay).toHaveLength(1);
  });

  const rejections: [string, RegExp][] = [
    ["", /is empty: write e\.g\. FREQ=WEEKLY;BYDAY=TU/],
    ["BYDAY=TU", /^has no FREQ: write e\.g\. FREQ=WEEKLY;BYDAY=TU$/],
    [
      "FREQ=FORTNIGHTLY",
      /^FREQ "FORTNIGHTLY" is not a frequency: use YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY/,
    ],
    [
      "FREQ=WEEKLY;BYDAY=XX",
      /^BYDAY "XX" is not a weekday: use MO, TU, WE, TH, FR, SA, SU, optionally with an ordinal such as 2TU or -1FR$/,
    ],
    ["FREQ=WEEKLY;BYDAY=MO,", /^BYDAY "" is not a weekday/],
    ["FREQ=WEEKLY;FOO=1", /^unknown part "FOO": use FREQ, INTERVAL, COUNT, UNTIL, BYMONTH/],
    ["FREQ=WEEKLY;X-NAME=1", /^unknown part "X-NAME"/],
    ["FREQ=WEEKLY;FREQ=DAILY", /^FREQ is given twice: give each part once$/],
    ["FREQ=WEEKLY;BYDAY=MO;BYDAY=TU", /^BYDAY is given twice/],
    [
      "DTSTART:20260106T100000\nRRULE:FREQ=WEEKLY",
      /^write the RRULE without DTSTART: the start goes in `start`$/,
    ],
    ["FREQ=WEEKLY;DTSTART=20260106T100000", /without DTSTART/],
    ["FREQ=WEEKLY\nBYDAY=TU", /^contains a line break: write the rule on one line$/],
    ["FREQ=WEEKLY;;BYDAY=TU", /empty part/],
    ["FREQ=WEEKLY;BYDAY", /^part "BYDAY" is not NAME=VALUE/],
    ["FREQ=WEEKLY;BYDAY=", /^BYDAY has no value$/],
    ["FREQ=MONTHLY;BYMONTHDAY=32", /^BYMONTHDAY "32" is out of range 1 to 31 or -31 to -1$/],
    ["FREQ=MONTHLY;BYMONTHDAY=0", /^BYMONTHDAY "0" is out of range/],
    ["FREQ=MONTHLY;BYMONTHDAY=-32", /^BYMONTHDAY "-32" is out of range/],
    ["FREQ=YEARLY;BYYEARDAY=367", /^BYYEARDAY "367" is out of range 1 to 366 or -366 to -1$/],
    ["FREQ=YEARLY;BYYEARDAY=-367", /^BYYEARDAY "-367" is out of range/],
    ["FREQ=YEARLY;BYWEEKNO=54", /^BYWEEKNO "54" is out of range 1 to 53 or -53 to -1$/],
    ["FREQ=YEARLY;BYWEEKNO=0", /^BYWEEKNO "0" is out of range/],
    ["FREQ=YEARLY;BYMONTH=13", /^BYMONTH "13" is out of range 1-12$/],
    ["FREQ=YEARLY;BYMONTH=0", /^BYMONTH "0" is out of range 1-12$/],
    ["FREQ=YEARLY;BYMONTH=-1", /^BYMONTH "-1" is not a whole number/],
    ["FREQ=DAILY;BYHOUR=24", /^BYHOUR "24" is out of range 0-23$/],
    ["FREQ=DAILY;BYMINUTE=60", /^BYMINUTE "60" is out of range 0-59$/],
    ["FREQ=DAILY;BYSECOND=60", /^BYSECOND "60" is out of range 0-59 \(leap second 60 is not supported\)$/],
    ["FREQ=DAILY;BYHOUR=9am", /^BYHOUR "9AM" is not a whole number/],
    ["FREQ=MONTHLY;BYDAY=MO;BYSETPOS=367", /^BYSETPOS "367" is out of range 1 to 366 or -366 to -1$/],
    ["FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0", /^BYSETPOS "0" is out of range/],
    ["FREQ=WEEKLY;INTERVAL=0", /^INTERVAL "0" must be a whole number of at least 1$/],
    ["FREQ=WEEKLY;INTERVAL=-2", /^INTERVAL "-2" must be a whole number/],
    ["FREQ=WEEKLY;COUNT=0", /^COUNT "0" must be a whole number of at least 1$/],
    ["FREQ=WEEKLY;COUNT=1.5", /^COUNT "1\.5" must be a whole number/],
    ["FREQ=WEEKLY;COUNT=5;UNTIL=20261231", /^has both COUNT and UNTIL: keep one of them$/],
    ["FREQ=WEEKLY;UNTIL=2026-12-31", /^UNTIL "2026-12-31" is not a date \(20261231\) or date-time/],
    ["FREQ=WEEKLY;UNTIL=20260230", /^UNTIL "20260230" names a date or time that does not exist$/],
    ["FREQ=WEEKLY;UNTIL=20260101T250000Z", /does not exist/],
    ["FREQ=WEEKLY;WKST=XX", /^WKST "XX" is not a weekday: use MO, TU/],
    [
      "FREQ=MONTHLY;BYSETPOS=-1",
      /^BYSETPOS needs another BYxxx part to pick from: write e\.g\. FREQ=MONTHLY;BYDAY=/,
    ],
    ["FREQ=MONTHLY;BYWEEKNO=20", /^BYWEEKNO is only allowed with FREQ=YEARLY, not MONTHLY$/],
    ["FREQ=DAILY;BYYEARDAY=1", /^BYYEARDAY is not allowed with FREQ=DAILY: use FREQ=YEARLY$/],
    ["FREQ=WEEKLY;BYYEARDAY=1", /^BYYEARDAY is not allowed with FREQ=WEEKLY/],
    ["FREQ=MONTHLY;BYYEARDAY=1", /^BYYEARDAY is not allowed with FREQ=MONTHLY/],
    [
      "FREQ=WEEKLY;BYMONTHDAY=1",
      /^BYMONTHDAY is not allowed with FREQ=WEEKLY: use FREQ=MONTHLY or FREQ=DAILY$/,
    ],
    [
      "FREQ=WEEKLY;BYDAY=2TU",
      /^BYDAY "2TU" has an ordinal, which needs FREQ=MONTHLY or FREQ=YEARLY: use TU with FREQ=WEEKLY$/,
    ],
    ["FREQ=DAILY;BYDAY=-1FR", /^BYDAY "-1FR" has an ordinal, which needs FREQ=MONTHLY or FREQ=YEARLY/],
    [
      "FREQ=YEARLY;BYWEEKNO=20;BYDAY=1MO",
      /^BYDAY "1MO" has an ordinal, which is not allowed together with BYWEEKNO: use MO$/,
    ],
    ["FREQ=MONTHLY;BYDAY=6MO", /^BYDAY "6MO" asks for weekday number 6 of a month, which has at most 5$/],
    ["FREQ=YEARLY;BYMONTH=3;BYDAY=-6MO", /at most 5/],
    ["FREQ=YEARLY;BYDAY=54MO", /^BYDAY "54MO" has ordinal 54, out of range 1 to 53 or -53 to -1$/],
    ["FREQ=MONTHLY;BYDAY=0MO", /has ordinal 0/],
  ];

  it.each(rejections)("rejects %j", (text, message) => {
    expect(() => parseRRule(text)).toThrow(InvalidRecurrenceError);
    expect(() => parseRRule(text)).toThrow(message);
  });

  it("accepts what the rejections above are close to", () => {
    for (const text of [
      "FREQ=YEARLY;BYDAY=20MO",
      "FREQ=YEARLY;BYDAY=-53FR",
      "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO",
      "FREQ=MONTHLY;BYDAY=5MO,-5FR",
      "FREQ=HOURLY;BYYEARDAY=1",
      "FREQ=DAILY;BYMONTHDAY=1",
      "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=366",
      "FREQ=DAILY;BYHOUR=9;BYSETPOS=1",
      "FREQ=WEEKLY;COUNT=1",
      "FREQ=DAILY;BYSECOND=0,59",
    ]) {
      expect(() => parseRRule(text), text).not.toThrow();
    }
  });

  it("names its error class", () => {
    expect(() => parseRRule("FREQ=WEEKLY;BYDAY=XX")).toThrow(
      expect.objectContaining({ name: "InvalidRecurrenceError" }),
    );
  });
});

describe("formatRRule", () => {
  it("writes FREQ first and the parts that are set, in RFC order", () => {
    expect(
      formatRRule(
        parseRRule("BYSETPOS=-1;WKST=SU;BYDAY=MO,TU,WE,TH,FR;UNTIL=20261231T235959Z;INTERVAL=2;FREQ=MONTHLY"),
      ),
    ).toBe("FREQ=MONTHLY;INTERVAL=2;UNTIL=20261231T235959Z;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;WKST=SU");
    // Defaults (INTERVAL=1, WKST=MO) and "+" are left out.
    expect(formatRRule(parseRRule("RRULE:FREQ=MONTHLY;INTERVAL=1;WKST=MO;BYDAY=+2TU,-1FR"))).toBe(
      "FREQ=MONTHLY;BYDAY=2TU,-1FR",
    );
  });

  it("writes the three forms of UNTIL back as they were", () => {
    for (const until of ["20261231T235959Z", "20261231T235959", "20261231"]) {
      expect(formatRRule(parseRRule(`FREQ=DAILY;UNTIL=${until}`))).toBe(`FREQ=DAILY;UNTIL=${until}`);
    }
  });

  const freqArb = fc.constantFrom<Frequency>(
    "YEARLY",
    "MONTHLY",
    "WEEKLY",
    "DAILY",
    "HOURLY",
    "MINUTELY",
    "SECONDLY",
  );
  const signed = (max: number) =>
    fc.uniqueArray(
      fc.integer({ min: -max, max }).filter((n) => n !== 0),
      { maxLength: 4 },
    );
  const unsigned = (min: number, max: number) => fc.uniqueArray(fc.integer({ min, max }), { maxLength: 4 });
  const ruleArb: fc.Arbitrary<RecurrenceRule> = fc
    .record({
      freq: freqArb,
      interval: fc.integer({ min: 1, max: 1000 }),
      end: fc.oneof(
        fc.constant(null),
        fc.integer({ min: 1, max: 10_000 }),
        fc.record({
          kind: fc.constantFrom("instant", "local", "date"),
          seconds: fc.integer({ min: 0, max: 4_102_444_800 }),
        }),
      ),
      bySecond: unsigned(0, 59),
      byMinute: unsigned(0, 59),
      byHour: unsigned(0, 23),
      byDay: fc.uniqueArray(
        fc.record({
          weekday: fc.integer({ min: 0, max: 6 }),
          ordinal: fc.option(
            fc.integer({ min: -5, max: 5 }).filter((n) => n !== 0),
            { nil: null },
          ),
        }),
        { maxLength: 4, selector: (d) => `${d.ordinal}${d.weekday}` },
      ),
      byMonthDay: signed(31),
      byYearDay: signed(366),
      byWeekNo: signed(53),
      byMonth: unsigned(1, 12),
      bySetPos: signed(366),
      wkst: fc.integer({ min: 0, max: 6 }),
    })
    .map(({ end, ...parts }) => {
      const rule: RecurrenceRule = { ...parts, count: null, until: null };
      if (typeof end === "number") rule.count = end;
      if (end !== null && typeof end === "object") {
        const ms = end.seconds * 1000;
        rule.until =
          end.kind === "instant"
            ? { kind: "instant", epochMs: ms }
            : end.kind === "local"
              ? { kind: "local", wall: ms }
              : { kind: "date", wall: Math.floor(ms / 86_400_000) * 86_400_000 };
      }
      return rule;
    });

  it("round-trips every rule parseRRule accepts", () => {
    let accepted = 0;
    fc.assert(
      fc.property(ruleArb, (rule) => {
        let text: string;
        try {
          text = formatRRule(rule);
          expect(parseRRule(text)).toEqual(rule);
          accepted++;
        } catch (error) {
          // Random parts often break a constraint; then the rejection must be InvalidRecurrenceError.
          expect(error).toBeInstanceOf(InvalidRecurrenceError);
          return;
        }
        expect(formatRRule(parseRRule(text))).toBe(text);
      }),
      { numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(100);
  });
});
