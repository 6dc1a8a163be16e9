import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cronToRRule } from "./cron.js";
import { createExpander } from "./expand.js";
import {
  DAY_MS,
  formatLocalDateTime,
  HOUR_MS,
  MINUTE_MS,
  parseLocalDateTime,
  type WallMs,
} from "./local-time.js";
import { InvalidRecurrenceError, parseRRule } from "./rrule.js";

/** The cron expression's runs from `start` (inclusive) to `end` (exclusive), via its RRULE. */
function runs(expression: string, start: WallMs, end: WallMs, limit = 50_000): WallMs[] {
  const expander = createExpander(parseRRule(cronToRRule(expression)), start);
  const out: WallMs[] = [];
  for (
    let wall = expander.next();
    wall !== null && wall < end && out.length < limit;
    wall = expander.next()
  ) {
    out.push(wall);
  }
  return out;
}

describe("cronToRRule", () => {
  it.each([
    ["0 10 * * 2", "FREQ=DAILY;BYDAY=TU;BYHOUR=10;BYMINUTE=0;BYSECOND=0"],
    [
      "*/15 9-17 * * 1-5",
      "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9,10,11,12,13,14,15,16,17;BYMINUTE=0,15,30,45;BYSECOND=0",
    ],
    ["30 2 * jan,Jul sun", "FREQ=DAILY;BYMONTH=1,7;BYDAY=SU;BYHOUR=2;BYMINUTE=30;BYSECOND=0"],
    ["0 0 * * 7", "FREQ=DAILY;BYDAY=SU;BYHOUR=0;BYMINUTE=0;BYSECOND=0"],
    ["0 0 * * 0,7", "FREQ=DAILY;BYDAY=SU;BYHOUR=0;BYMINUTE=0;BYSECOND=0"],
    ["0 6 * * mon-FRI", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=6;BYMINUTE=0;BYSECOND=0"],
    ["10-20/5 8 * * *", "FREQ=DAILY;BYHOUR=8;BYMINUTE=10,15,20;BYSECOND=0"],
    ["5/20 8 * * *", "FREQ=DAILY;BYHOUR=8;BYMINUTE=5,25,45;BYSECOND=0"],
    ["0 12 1,15 * *", "FREQ=MONTHLY;BYMONTHDAY=1,15;BYHOUR=12;BYMINUTE=0;BYSECOND=0"],
    ["0 12 31 jan-mar,dec *", "FREQ=YEARLY;BYMONTH=1,2,3,12;BYMONTHDAY=31;BYHOUR=12;BYMINUTE=0;BYSECOND=0"],
    // A day-of-month starting with "*" combines with the day-of-week as "both" (Vixie cron).
    ["0 12 */10 * 1", "FREQ=MONTHLY;BYMONTHDAY=1,11,21,31;BYDAY=MO;BYHOUR=12;BYMINUTE=0;BYSECOND=0"],
    // Both restricted, but the day-of-week allows every day: "either" is every day.
    ["0 3 1 * 0-6", "FREQ=DAILY;BYHOUR=3;BYMINUTE=0;BYSECOND=0"],
    ["15 * * * *", "FREQ=HOURLY;BYMINUTE=15;BYSECOND=0"],
    ["0,30 * 1 * *", "FREQ=HOURLY;BYMONTHDAY=1;BYMINUTE=0,30;BYSECOND=0"],
    ["* * * * *", "FREQ=MINUTELY;BYSECOND=0"],
    ["* * * * sat", "FREQ=MINUTELY;BYDAY=SA;BYSECOND=0"],
    ["@yearly", "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1;BYHOUR=0;BYMINUTE=0;BYSECOND=0"],
    ["@annually", "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1;BYHOUR=0;BYMINUTE=0;BYSECOND=0"],
    ["@monthly", "FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=0;BYMINUTE=0;BYSECOND=0"],
    ["@weekly", "FREQ=DAILY;BYDAY=SU;BYHOUR=0;BYMINUTE=0;BYSECOND=0"],
    ["@daily", "FREQ=DAILY;BYHOUR=0;BYMINUTE=0;BYSECOND=0"],
    ["@MIDNIGHT", "FREQ=DAILY;BYHOUR=0;BYMINUTE=0;BYSECOND=0"],
    ["@hourly", "FREQ=HOURLY;BYMINUTE=0;BYSECOND=0"],
    ["  0  10 * * 2 ", "FREQ=DAILY;BYDAY=TU;BYHOUR=10;BYMINUTE=0;BYSECOND=0"],
  ])("%s → %s", (expression, rrule) => {
    expect(cronToRRule(expression)).toBe(rrule);
  });

  it.each([
    ["0 25 * * *", 'cron "0 25 * * *": hour "25" is out of range 0-23'],
    ["60 * * * *", 'cron "60 * * * *": minute "60" is out of range 0-59'],
    ["0 0 0 * *", 'cron "0 0 0 * *": day-of-month "0" is out of range 1-31'],
    ["0 0 * 13 *", 'cron "0 0 * 13 *": month "13" is out of range 1-12'],
    ["0 0 * * 8", 'cron "0 0 * * 8": day-of-week "8" is out of range 0-7'],
    ["0 0 * FOO *", 'cron "0 0 * FOO *": month "FOO" is not a number 1-12 or a name JAN–DEC'],
    ["0 0 * * MON-FOO", 'cron "0 0 * * MON-FOO": day-of-week "FOO" is not a number 0-7 or a name SUN–SAT'],
    ["0 MON * * *", 'cron "0 MON * * *": hour "MON" is not a number 0-23'],
    [
      "0 10 13 * 5",
      /day-of-month and day-of-week are both restricted, which cron reads as either one matching/,
    ],
    ["0 10 *", /^cron "0 10 \*": has 3 fields; write 5: minute hour day-of-month month day-of-week/],
    ["0 0 10 * * *", /has 6 fields; write 5/],
    ["", /has 0 fields/],
    ["*/0 * * * *", 'cron "*/0 * * * *": minute "*/0" has step "0": use a whole number of at least 1'],
    ["0 17-9 * * *", /^cron "0 17-9 \* \* \*": hour "17-9" is a reversed range/],
    ["0 0 1,,2 * *", /day-of-month "1,,2" has an empty list item/],
    ["0 0 30 2 *", /day-of-month "30" never occurs in month "2": the schedule would never run/],
    ["0 0 31 apr,jun *", /never occurs/],
    ["0 0 L * *", /day-of-month "L" uses a Quartz extension/],
    ["0 0 15W * *", /Quartz extension/],
    ["0 0 * * 5#2", /day-of-week "5#2" uses a Quartz extension .* FREQ=MONTHLY;BYDAY=2FR/],
    ["0 0 ? * 1", /Quartz extension/],
    ["@reboot", /"@reboot" is not a schedule macro: use @yearly, @annually, @monthly, @weekly, @daily/],
  ])("rejects %j", (expression, message) => {
    expect(() => cronToRRule(expression)).toThrow(InvalidRecurrenceError);
    expect(() => cronToRRule(expression)).toThrow(message);
  });

  it("accepts 29 February (it runs in leap years)", () => {
    const start = parseLocalDateTime("2025-01-01T00:00");
    expect(runs("0 9 29 2 *", start, start + 3000 * DAY_MS).map(formatLocalDateTime)).toEqual([
      "2028-02-29T09:00:00",
      "2032-02-29T09:00:00",
    ]);
  });

  it("expands to the times cron runs", () => {
    const start = parseLocalDateTime("2026-01-01T00:00"); // a Thursday
    expect(runs("0 10 * * 2", start, start + 21 * DAY_MS).map(formatLocalDateTime)).toEqual([
      "2026-01-06T10:00:00",
      "2026-01-13T10:00:00",
      "2026-01-20T10:00:00",
    ]);
    const weekday = runs("*/15 9-17 * * 1-5", start, start + 7 * DAY_MS);
    expect(weekday).toHaveLength(5 * 9 * 4);
    expect(formatLocalDateTime(weekday[0]!)).toBe("2026-01-01T09:00:00");
    expect(formatLocalDateTime(weekday[35]!)).toBe("2026-01-01T17:45:00");
    expect(formatLocalDateTime(weekday[36]!)).toBe("2026-01-02T09:00:00");
    expect(formatLocalDateTime(weekday[72]!)).toBe("2026-01-05T09:00:00");
    expect(runs("@hourly", start + 30 * MINUTE_MS, start + 3 * HOUR_MS).map(formatLocalDateTime)).toEqual([
      "2026-01-01T01:00:00",
      "2026-01-01T02:00:00",
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: the RRULE runs exactly when a straightforward cron matcher says cron would.

interface Field {
  min: number;
  max: number;
  names?: string[];
}
const FIELDS: Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  {
    min: 1,
    max: 12,
    names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
  },
  { min: 0, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
];

/** The values a cron field allows, read independently of cron.ts. */
function allowed(text: string, field: Field): Set<number> {
  const out = new Set<number>();
  const value = (token: string) => {
    const index = field.names?.indexOf(token.toUpperCase()) ?? -1;
    return index >= 0 ? index + (field.min === 1 ? 1 : 0) : Number(token);
  };
  for (const item of text.split(",")) {
    const [range = "", step = "1"] = item.split("/");
    const [from, to] =
      range === "*"
        ? [field.min, field.max]
        : range.includes("-")
          ? range.split("-").map(value)
          : [value(range), item.includes("/") ? field.max : value(range)];
    for (let v = from!; v <= to!; v += Number(step)) out.add(field.max === 7 && v === 7 ? 0 : v);
  }
  return out;
}

/** Every minute cron would run in [start, end), enumerated day by day (Vixie cron day rules). */
function cronRuns(expression: string, start: WallMs, end: WallMs): WallMs[] {
  const texts = expression.split(" ");
  const [minutes, hours, monthDays, months, weekdays] = texts.map((text, i) => allowed(text, FIELDS[i]!));
  const either = !texts[2]!.startsWith("*") && !texts[4]!.startsWith("*");
  const out: WallMs[] = [];
  for (let day = Math.floor(start / DAY_MS) * DAY_MS; day < end; day += DAY_MS) {
    const date = new Date(day);
    const domOk = monthDays!.has(date.getUTCDate());
    const dowOk = weekdays!.has(date.getUTCDay());
    if (!months!.has(date.getUTCMonth() + 1) || !(either ? domOk || dowOk : domOk && dowOk)) continue;
    for (const hour of [...hours!].sort((a, b) => a - b)) {
      for (const minute of [...minutes!].sort((a, b) => a - b)) {
        const wall = day + hour * HOUR_MS + minute * MINUTE_MS;
        if (wall >= start && wall < end) out.push(wall);
      }
    }
  }
  return out;
}

function fieldArb(field: Field): fc.Arbitrary<string> {
  const number = fc.integer({ min: field.min, max: field.max });
  const token = field.names
    ? fc.oneof(
        number.map(String),
        number
          .filter((n) => n - (field.min === 1 ? 1 : 0) < field.names!.length)
          .map((n) => field.names![n - (field.min === 1 ? 1 : 0)]!.toLowerCase()),
      )
    : number.map(String);
  const step = fc.integer({ min: 1, max: Math.ceil((field.max - field.min + 1) / 2) });
  const range = fc
    .tuple(number, number)
    .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const)
    .map(([a, b]) => `${a}-${b}`);
  const item = fc.oneof(
    token,
    range,
    fc.tuple(range, step).map(([r, s]) => `${r}/${s}`),
    fc.tuple(number, step).map(([n, s]) => `${n}/${s}`),
  );
  return fc.oneof(
    { arbitrary: fc.constant("*"), weight: 3 },
    { arbitrary: step.map((s) => `*/${s}`), weight: 1 },
    { arbitrary: item, weight: 2 },
    { arbitrary: fc.array(item, { minLength: 2, maxLength: 3 }).map((items) => items.join(",")), weight: 1 },
  );
}

describe("cronToRRule expands to what cron means", () => {
  it("for random expressions over 120 days", () => {
    fc.assert(
      fc.property(
        fc.tuple(...FIELDS.map(fieldArb)),
        fc.integer({
          min: Date.parse("2020-01-01T00:00Z") / MINUTE_MS,
          max: Date.parse("2040-01-01T00:00Z") / MINUTE_MS,
        }),
        (fields, startMinute) => {
          const expression = fields.join(" ");
          const start = startMinute * MINUTE_MS;
          const end = start + 120 * DAY_MS;
          let converted: string;
          try {
            converted = cronToRRule(expression);
          } catch (error) {
            // Only "either day field" schedules and schedules that never run are refused.
            expect((error as Error).message).toMatch(/both restricted|never occurs/);
            return;
          }
          const expected = cronRuns(expression, start, end).slice(0, 20_000);
          const actual = runs(expression, start, end, 20_000);
          // Compare the numbers (fast), and show dates where they first differ.
          const differ = actual.findIndex((wall, i) => wall !== expected[i]);
          if (differ !== -1 || actual.length !== expected.length) {
            const at = differ === -1 ? Math.min(actual.length, expected.length) : differ;
            expect(actual.slice(at, at + 3).map(formatLocalDateTime), `${expression} → ${converted}`).toEqual(
              expected.slice(at, at + 3).map(formatLocalDateTime),
            );
          }
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});
