/**
 * The examples of RFC 5545 section 3.8.5.3 ("Recurrence Rule"), plus the one of section 3.3.10.
 * Their DTSTART is in America/New_York and the RFC lists local (wall) times, so occurrences are
 * compared as wall times. An UNTIL in UTC is applied the way the timetable applies it: each wall time
 * is converted with the zone's rules and the expansion stops after the first one later than UNTIL.
 */
import { describe, expect, it } from "vitest";
import { createExpander } from "./expand.js";
import { formatLocalDateTime, parseLocalDateTime } from "./local-time.js";
import { parseRRule } from "./rrule.js";
import { zoneRules } from "./zone.js";

const newYork = zoneRules("America/New_York");

/** The rule's occurrences from a New York DTSTART, as local date-times, at most `limit`. */
function occurrences(rrule: string, dtstart: string, limit = 500): string[] {
  const rule = parseRRule(rrule);
  const expander = createExpander(rule, parseLocalDateTime(dtstart));
  const out: string[] = [];
  while (out.length < limit) {
    const wall = expander.next();
    if (wall === null) break;
    if (rule.until?.kind === "instant" && newYork.toInstant(wall) > rule.until.epochMs) break;
    out.push(formatLocalDateTime(wall));
  }
  return out;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** Local date-times on the given days of one month, at `time` (default 09:00:00). */
function on(year: number, month: number, days: number[], time = "09:00:00"): string[] {
  return days.map((day) => `${year}-${pad(month)}-${pad(day)}T${time}`);
}

function range(from: number, to: number, step = 1): number[] {
  const out: number[] = [];
  for (let n = from; n <= to; n += step) out.push(n);
  return out;
}

/** Times on one day every `stepMinutes` from `from` to `to` (both "HH:MM"). */
function times(date: string, from: string, to: string, stepMinutes: number): string[] {
  const minutes = (text: string) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3));
  return range(minutes(from), minutes(to), stepMinutes).map(
    (m) => `${date}T${pad(Math.floor(m / 60))}:${pad(m % 60)}:00`,
  );
}

describe("RFC 5545 3.8.5.3 examples (America/New_York wall time)", () => {
  it("daily for 10 occurrences", () => {
    expect(occurrences("FREQ=DAILY;COUNT=10", "1997-09-02T09:00")).toEqual(on(1997, 9, range(2, 11)));
  });

  it("daily until December 24, 1997 (UNTIL in UTC)", () => {
    expect(occurrences("FREQ=DAILY;UNTIL=19971224T000000Z", "1997-09-02T09:00")).toEqual([
      ...on(1997, 9, range(2, 30)),
      ...on(1997, 10, range(1, 31)),
      ...on(1997, 11, range(1, 30)),
      ...on(1997, 12, range(1, 23)),
    ]);
  });

  it("every other day, forever", () => {
    expect(occurrences("FREQ=DAILY;INTERVAL=2", "1997-09-02T09:00", 47)).toEqual([
      ...on(1997, 9, range(2, 30, 2)),
      ...on(1997, 10, range(2, 30, 2)),
      ...on(1997, 11, range(1, 29, 2)),
      ...on(1997, 12, [1, 3]),
    ]);
  });

  it("every 10 days, 5 occurrences", () => {
    expect(occurrences("FREQ=DAILY;INTERVAL=10;COUNT=5", "1997-09-02T09:00")).toEqual([
      ...on(1997, 9, [2, 12, 22]),
      ...on(1997, 10, [2, 12]),
    ]);
  });

  it.each([
    "FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA",
    "FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1",
  ])("every day in January, for 3 years: %s", (rrule) => {
    expect(occurrences(rrule, "1998-01-01T09:00")).toEqual([
      ...on(1998, 1, range(1, 31)),
      ...on(1999, 1, range(1, 31)),
      ...on(2000, 1, range(1, 31)),
    ]);
  });

  it("weekly for 10 occurrences", () => {
    expect(occurrences("FREQ=WEEKLY;COUNT=10", "1997-09-02T09:00")).toEqual([
      ...on(1997, 9, [2, 9, 16, 23, 30]),
      ...on(1997, 10, [7, 14, 21, 28]),
      ...on(1997, 11, [4]),
    ]);
  });

  it("weekly until December 24, 1997", () => {
    expect(occurrences("FREQ=WEEKLY;UNTIL=19971224T000000Z", "1997-09-02T09:00")).toEqual([
      ...on(1997, 9, [2, 9, 16, 23, 30]),
      ...on(1997, 10, [7, 14, 21, 28]),
      ...on(1997, 11, [4, 11, 18, 25]),
      ...on(1997, 12, [2, 9, 16, 23]),
    ]);
  });

  it("every other week, forever", () => {
    expect(occurrences("FREQ=WEEKLY;INTERVAL=2;WKST=SU", "1997-09-02T09:00", 13)).toEqual([
      ...on(1997, 9, [2, 16, 30]),
      ...on(1997, 10, [14, 28]),
      ...on(1997, 11, [11, 25]),
      ...on(1997, 12, [9, 23]),
      ...on(1998, 1, [6, 20]),
      ...on(1998, 2, [3, 17]),
    ]);
  });

  it.each([
    "FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH",
    "FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH",
  ])("weekly on Tuesday and Thursday for five weeks: %s", (rrule) => {
    expect(occurrences(rrule, "1997-09-02T09:00")).toEqual([
      ...on(1997, 9, [2, 4, 9, 11, 16, 18, 23, 25, 30]),
      ...on(1997, 10, [2]),
    ]);
  });

  it("every other week on Monday, Wednesday and Friday until December 24, 1997", () => {
    expect(
      occurrences("FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR", "1997-09-01T09:00"),
    ).toEqual([
      ...on(1997, 9, [1, 3, 5, 15, 17, 19, 29]),
      ...on(1997, 10, [1, 3, 13, 15, 17, 27, 29, 31]),
      ...on(1997, 11, [10, 12, 14, 24, 26, 28]),
      ...on(1997, 12, [8, 10, 12, 22]),
    ]);
  });

  it("every other week on Tuesday and Thursday, for 8 occurrences", () => {
    expect(occurrences("FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH", "1997-09-02T09:00")).toEqual([
      ...on(1997, 9, [2, 4, 16, 18, 30]),
      ...on(1997, 10, [2, 14, 16]),
    ]);
  });

  it("monthly on the first Friday for 10 occurrences", () => {
    expect(occurrences("FREQ=MONTHLY;COUNT=10;BYDAY=1FR", "1997-09-05T09:00")).toEqual([
      ...on(1997, 9, [5]),
      ...on(1997, 10, [3]),
      ...on(1997, 11, [7]),
      ...on(1997, 12, [5]),
      ...on(1998, 1, [2]),
      ...on(1998, 2, [6]),
      ...on(1998, 3, [6]),
      ...on(1998, 4, [3]),
      ...on(1998, 5, [1]),
      ...on(1998, 6, [5]),
    ]);
  });

  it("monthly on the first Friday until December 24, 1997", () => {
    expect(occurrences("FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR", "1997-09-05T09:00")).toEqual([
      ...on(1997, 9, [5]),
      ...on(1997, 10, [3]),
      ...on(1997, 11, [7]),
      ...on(1997, 12, [5]),
    ]);
  });

  it("every other month on the first and last Sunday of the month for 10 occurrences", () => {
    expect(occurrences("FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU", "1997-09-07T09:00")).toEqual([
      ...on(1997, 9, [7, 28]),
      ...on(1997, 11, [2, 30]),
      ...on(1998, 1, [4, 25]),
      ...on(1998, 3, [1, 29]),
      ...on(1998, 5, [3, 31]),
    ]);
  });

  it("monthly on the second-to-last Monday of the month for 6 months", () => {
    expect(occurrences("FREQ=MONTHLY;COUNT=6;BYDAY=-2MO", "1997-09-22T09:00")).toEqual([
      ...on(1997, 9, [22]),
      ...on(1997, 10, [20]),
      ...on(1997, 11, [17]),
      ...on(1997, 12, [22]),
      ...on(1998, 1, [19]),
      ...on(1998, 2, [16]),
    ]);
  });

  it("monthly on the third-to-the-last day of the month, forever", () => {
    expect(occurrences("FREQ=MONTHLY;BYMONTHDAY=-3", "1997-09-28T09:00", 6)).toEqual([
      ...on(1997, 9, [28]),
      ...on(1997, 10, [29]),
      ...on(1997, 11, [28]),
      ...on(1997, 12, [29]),
      ...on(1998, 1, [29]),
      ...on(1998, 2, [26]),
    ]);
  });

  it("monthly on the 2nd and 15th of the month for 10 occurrences", () => {
    expect(occurrences("FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15", "1997-09-02T09:00")).toEqual([
      ...on(1997, 9, [2, 15]),
      ...on(1997, 10, [2, 15]),
      ...on(1997, 11, [2, 15]),
      ...on(1997, 12, [2, 15]),
      ...on(1998, 1, [2, 15]),
    ]);
  });

  it("monthly on the first and last day of the month for 10 occurrences", () => {
    expect(occurrences("FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1", "1997-09-30T09:00")).toEqual([
      ...on(1997, 9, [30]),
      ...on(1997, 10, [1, 31]),
      ...on(1997, 11, [1, 30]),
      ...on(1997, 12, [1, 31]),
      ...on(1998, 1, [1, 31]),
      ...on(1998, 2, [1]),
    ]);
  });

  it("every 18 months on the 10th thru 15th of the month for 10 occurrences", () => {
    expect(
      occurrences("FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15", "1997-09-10T09:00"),
    ).toEqual([...on(1997, 9, range(10, 15)), ...on(1999, 3, range(10, 13))]);
  });

  it("every Tuesday, every other month", () => {
    expect(occurrences("FREQ=MONTHLY;INTERVAL=2;BYDAY=TU", "1997-09-02T09:00", 18)).toEqual([
      ...on(1997, 9, [2, 9, 16, 23, 30]),
      ...on(1997, 11, [4, 11, 18, 25]),
      ...on(1998, 1, [6, 13, 20, 27]),
      ...on(1998, 3, [3, 10, 17, 24, 31]),
    ]);
  });

  it("yearly in June and July for 10 occurrences", () => {
    expect(occurrences("FREQ=YEARLY;COUNT=10;BYMONTH=6,7", "1997-06-10T09:00")).toEqual(
      range(1997, 2001).flatMap((year) => [...on(year, 6, [10]), ...on(year, 7, [10])]),
    );
  });

  it("every other year on January, February, and March for 10 occurrences", () => {
    expect(occurrences("FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3", "1997-03-10T09:00")).toEqual([
      ...on(1997, 3, [10]),
      ...[1999, 2001, 2003].flatMap((year) => [
        ...on(year, 1, [10]),
        ...on(year, 2, [10]),
        ...on(year, 3, [10]),
      ]),
    ]);
  });

  it("every third year on the 1st, 100th, and 200th day for 10 occurrences", () => {
    expect(occurrences("FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200", "1997-01-01T09:00")).toEqual([
      ...on(1997, 1, [1]),
      ...on(1997, 4, [10]),
      ...on(1997, 7, [19]),
      ...on(2000, 1, [1]),
      ...on(2000, 4, [9]),
      ...on(2000, 7, [18]),
      ...on(2003, 1, [1]),
      ...on(2003, 4, [10]),
      ...on(2003, 7, [19]),
      ...on(2006, 1, [1]),
    ]);
  });

  it("every 20th Monday of the year, forever", () => {
    expect(occurrences("FREQ=YEARLY;BYDAY=20MO", "1997-05-19T09:00", 3)).toEqual([
      ...on(1997, 5, [19]),
      ...on(1998, 5, [18]),
      ...on(1999, 5, [17]),
    ]);
  });

  it("Monday of week number 20 (week starting Monday), forever", () => {
    expect(occurrences("FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "1997-05-12T09:00", 3)).toEqual([
      ...on(1997, 5, [12]),
      ...on(1998, 5, [11]),
      ...on(1999, 5, [17]),
    ]);
  });

  it("every Thursday in March, forever", () => {
    expect(occurrences("FREQ=YEARLY;BYMONTH=3;BYDAY=TH", "1997-03-13T09:00", 11)).toEqual([
      ...on(1997, 3, [13, 20, 27]),
      ...on(1998, 3, [5, 12, 19, 26]),
      ...on(1999, 3, [4, 11, 18, 25]),
    ]);
  });

  it("every Thursday, but only during June, July, and August, forever", () => {
    expect(occurrences("FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8", "1997-06-05T09:00", 39)).toEqual([
      ...on(1997, 6, [5, 12, 19, 26]),
      ...on(1997, 7, [3, 10, 17, 24, 31]),
      ...on(1997, 8, [7, 14, 21, 28]),
      ...on(1998, 6, [4, 11, 18, 25]),
      ...on(1998, 7, [2, 9, 16, 23, 30]),
      ...on(1998, 8, [6, 13, 20, 27]),
      ...on(1999, 6, [3, 10, 17, 24]),
      ...on(1999, 7, [1, 8, 15, 22, 29]),
      ...on(1999, 8, [5, 12, 19, 26]),
    ]);
  });

  it("every Friday the 13th, forever (the unsynchronised DTSTART is not an occurrence)", () => {
    // The RFC removes DTSTART with an EXDATE; here a start the rule does not produce is not returned.
    expect(occurrences("FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", "1997-09-02T09:00", 5)).toEqual([
      ...on(1998, 2, [13]),
      ...on(1998, 3, [13]),
      ...on(1998, 11, [13]),
      ...on(1999, 8, [13]),
      ...on(2000, 10, [13]),
    ]);
  });

  it("the first Saturday that follows the first Sunday of the month, forever", () => {
    expect(occurrences("FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13", "1997-09-13T09:00", 10)).toEqual(
      [
        ...on(1997, 9, [13]),
        ...on(1997, 10, [11]),
        ...on(1997, 11, [8]),
        ...on(1997, 12, [13]),
        ...on(1998, 1, [10]),
        ...on(1998, 2, [7]),
        ...on(1998, 3, [7]),
        ...on(1998, 4, [11]),
        ...on(1998, 5, [9]),
        ...on(1998, 6, [13]),
      ],
    );
  });

  it("every 4 years, the first Tuesday after a Monday in November (U.S. Presidential Election day)", () => {
    expect(
      occurrences(
        "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8",
        "1996-11-05T09:00",
        3,
      ),
    ).toEqual([...on(1996, 11, [5]), ...on(2000, 11, [7]), ...on(2004, 11, [2])]);
  });

  it("the third instance into the month of one of Tuesday, Wednesday, or Thursday, for the next 3 months", () => {
    expect(occurrences("FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3", "1997-09-04T09:00")).toEqual([
      ...on(1997, 9, [4]),
      ...on(1997, 10, [7]),
      ...on(1997, 11, [6]),
    ]);
  });

  it("the second-to-last weekday of the month", () => {
    expect(occurrences("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2", "1997-09-29T09:00", 7)).toEqual([
      ...on(1997, 9, [29]),
      ...on(1997, 10, [30]),
      ...on(1997, 11, [27]),
      ...on(1997, 12, [30]),
      ...on(1998, 1, [29]),
      ...on(1998, 2, [26]),
      ...on(1998, 3, [30]),
    ]);
  });

  it("every 3 hours from 9:00 AM to 5:00 PM on a specific day", () => {
    // The RFC lists 09:00, 12:00, 15:00, but its UNTIL=19970902T170000Z is 13:00 EDT, which cuts
    // after 12:00 (a known erratum of the example). The list as intended, with a local UNTIL:
    expect(occurrences("FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000", "1997-09-02T09:00")).toEqual(
      times("1997-09-02", "09:00", "15:00", 180),
    );
    expect(occurrences("FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z", "1997-09-02T09:00")).toEqual([
      "1997-09-02T09:00:00",
      "1997-09-02T12:00:00",
    ]);
  });

  it("every 15 minutes for 6 occurrences", () => {
    expect(occurrences("FREQ=MINUTELY;INTERVAL=15;COUNT=6", "1997-09-02T09:00")).toEqual(
      times("1997-09-02", "09:00", "10:15", 15),
    );
  });

  it("every hour and a half for 4 occurrences", () => {
    expect(occurrences("FREQ=MINUTELY;INTERVAL=90;COUNT=4", "1997-09-02T09:00")).toEqual([
      "1997-09-02T09:00:00",
      "1997-09-02T10:30:00",
      "1997-09-02T12:00:00",
      "1997-09-02T13:30:00",
    ]);
  });

  it.each([
    "FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40",
    "FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16",
  ])("every 20 minutes from 9:00 AM to 4:40 PM every day: %s", (rrule) => {
    expect(occurrences(rrule, "1997-09-02T09:00", 72)).toEqual([
      ...times("1997-09-02", "09:00", "16:40", 20),
      ...times("1997-09-03", "09:00", "16:40", 20),
      ...times("1997-09-04", "09:00", "16:40", 20),
    ]);
  });

  it("WKST makes a difference: MO", () => {
    expect(occurrences("FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO", "1997-08-05T09:00")).toEqual(
      on(1997, 8, [5, 10, 19, 24]),
    );
  });

  it("WKST makes a difference: SU", () => {
    expect(occurrences("FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU", "1997-08-05T09:00")).toEqual(
      on(1997, 8, [5, 17, 19, 31]),
    );
  });

  it("an invalid date (February 30) is ignored", () => {
    expect(occurrences("FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5", "2007-01-15T09:00")).toEqual([
      ...on(2007, 1, [15, 30]),
      ...on(2007, 2, [15]),
      ...on(2007, 3, [15, 30]),
    ]);
  });
});

describe("RFC 5545 3.3.10 example of evaluating multiple BYxxx rule parts", () => {
  it("every Sunday in January at 8:30 AM and 9:30 AM, every other year", () => {
    const sundays = (year: number, days: number[]) =>
      days.flatMap((day) => [...on(year, 1, [day], "08:30:00"), ...on(year, 1, [day], "09:30:00")]);
    expect(
      occurrences("FREQ=YEARLY;INTERVAL=2;BYMONTH=1;BYDAY=SU;BYHOUR=8,9;BYMINUTE=30", "1997-01-05T08:30", 18),
    ).toEqual([...sundays(1997, [5, 12, 19, 26]), ...sundays(1999, [3, 10, 17, 24, 31])]);
  });
});
