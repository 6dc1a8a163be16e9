import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DAY_MS, formatLocalDate, parseLocalDate, weekdayOf } from "../recurrence/local-time.js";
import { holidayDatesFromIcs, InvalidIcsError, icsOccurrences } from "./ics-import.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/icalendar/${name}`, import.meta.url), "utf8");

const calendar = (...events: string[]) =>
  ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Railyard//Tests//EN", ...events, "END:VCALENDAR", ""].join(
    "\r\n",
  );
const event = (...lines: string[]) =>
  ["BEGIN:VEVENT", "DTSTAMP:20260101T000000Z", ...lines, "END:VEVENT"].join("\r\n");

/** Monday to Friday dates from `from` through `to`. */
function weekdaysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let wall = parseLocalDate(from); wall <= parseLocalDate(to); wall += DAY_MS) {
    if (weekdayOf(wall) < 5) out.push(formatLocalDate(wall));
  }
  return out;
}

function icsError(text: string): InvalidIcsError {
  try {
    holidayDatesFromIcs(text);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidIcsError);
    return error as InvalidIcsError;
  }
  throw new Error("expected an InvalidIcsError");
}

describe("holidayDatesFromIcs on files from other projects", () => {
  it("reads Exchange's daily stand-up: quoted TZID with spaces, BYDAY with blanks, UTC UNTIL", () => {
    const text = fixture("issue_165_missing_event.ics");
    // Weekdays from Friday 3 July 2015; UNTIL 08:00 UTC is 10:00 in the file's +02:00 summer time,
    // so the stand-up of Wednesday 22 July is the last.
    expect(holidayDatesFromIcs(text)).toEqual(weekdaysBetween("2015-07-03", "2015-07-22"));
    expect(holidayDatesFromIcs(text)).toHaveLength(14);
    const occurrences = icsOccurrences(text);
    expect(occurrences.at(-1)).toEqual({
      uid: null,
      summary: "Sprint 25 Daily Standup",
      start: "2015-07-22T10:00:00",
      end: "2015-07-22T10:30:00",
      timezone: "GMT +0100 (Standard) / GMT +0200 (Daylight)",
      dates: ["2015-07-22"],
    });
  });

  it("reads the RFC 7265 example: COUNT, an RDATE period and a moved instance", () => {
    const text = fixture("rfc_7265_appendix_example_2_ical.ics");
    expect(holidayDatesFromIcs(text)).toEqual([
      "2006-01-02",
      "2006-01-03",
      "2006-01-04",
      "2006-01-05",
      "2006-01-06",
    ]);
    const occurrences = icsOccurrences(text).map(({ start, end, timezone }) => ({ start, end, timezone }));
    expect(occurrences).toEqual([
      { start: "2006-01-02T12:00:00", end: "2006-01-02T13:00:00", timezone: "US/Eastern" },
      // The RDATE's own period: two hours.
      { start: "2006-01-02T15:00:00", end: "2006-01-02T17:00:00", timezone: "US/Eastern" },
      { start: "2006-01-03T12:00:00", end: "2006-01-03T13:00:00", timezone: "US/Eastern" },
      // RECURRENCE-ID 12:00 on 4 January moved the meeting to 14:00.
      { start: "2006-01-04T14:00:00", end: "2006-01-04T15:00:00", timezone: "US/Eastern" },
      { start: "2006-01-05T12:00:00", end: "2006-01-05T13:00:00", timezone: "US/Eastern" },
      { start: "2006-01-06T12:00:00", end: "2006-01-06T13:00:00", timezone: "US/Eastern" },
    ]);
  });

  it("reads Google Calendar's open-ended weekday series across the DST change", () => {
    const text = fixture("x_location.ics");
    const first = icsOccurrences(text, { toYear: 2016 });
    expect(first.map((o) => o.dates[0])).toEqual(weekdaysBetween("2016-10-28", "2016-12-31"));
    expect(first).toHaveLength(46);
    // 14:00 Europe/Zurich before and after the change of 30 October 2016.
    expect(first.slice(0, 2).map((o) => `${o.start} ${o.end} ${o.timezone}`)).toEqual([
      "2016-10-28T14:00:00 2016-10-28T14:30:00 Europe/Zurich",
      "2016-10-31T14:00:00 2016-10-31T14:30:00 Europe/Zurich",
    ]);
    expect(first[0]!.summary).toBe("Daily Sync");
    // Without an end, it runs to the default last year, 2100.
    const all = holidayDatesFromIcs(text);
    expect(all).toEqual(weekdaysBetween("2016-10-28", "2100-12-31"));
    expect(holidayDatesFromIcs(text, { fromYear: 2030, toYear: 2030 })).toEqual(
      weekdaysBetween("2030-01-01", "2030-12-31"),
    );
  });
});

describe("holidayDatesFromIcs on holiday calendars", () => {
  it("covers an all-day event from DTSTART up to DTEND, exclusive", () => {
    const text = calendar(
      event("UID:christmas", "SUMMARY:Christmas", "DTSTART;VALUE=DATE:20261224", "DTEND;VALUE=DATE:20261227"),
    );
    expect(holidayDatesFromIcs(text)).toEqual(["2026-12-24", "2026-12-25", "2026-12-26"]);
    expect(icsOccurrences(text)).toEqual([
      {
        uid: "christmas",
        summary: "Christmas",
        start: "2026-12-24",
        end: "2026-12-27",
        timezone: null,
        dates: ["2026-12-24", "2026-12-25", "2026-12-26"],
      },
    ]);
  });

  it("covers one day without DTEND, and honours DURATION", () => {
    const text = calendar(
      event("UID:a", "DTSTART;VALUE=DATE:20261003"),
      event("UID:b", "DTSTART;VALUE=DATE:20260525", "DURATION:P2D"),
    );
    expect(holidayDatesFromIcs(text)).toEqual(["2026-05-25", "2026-05-26", "2026-10-03"]);
  });

  it("expands a yearly holiday and leaves out its EXDATE", () => {
    const text = calendar(
      event(
        "UID:labour-day",
        "SUMMARY:Labour Day",
        "DTSTART;VALUE=DATE:20240501",
        "RRULE:FREQ=YEARLY",
        "EXDATE;VALUE=DATE:20250501",
      ),
    );
    expect(holidayDatesFromIcs(text, { toYear: 2027 })).toEqual(["2024-05-01", "2026-05-01", "2027-05-01"]);
  });

  it("moves an instance overridden by RECURRENCE-ID", () => {
    const text = calendar(
      event("UID:team-day", "SUMMARY:Team day", "DTSTART;VALUE=DATE:20260612", "RRULE:FREQ=YEARLY;COUNT=3"),
      event(
        "UID:team-day",
        "SUMMARY:Team day (moved)",
        "RECURRENCE-ID;VALUE=DATE:20270612",
        "DTSTART;VALUE=DATE:20270614",
        "DTEND;VALUE=DATE:20270616",
      ),
    );
    expect(holidayDatesFromIcs(text)).toEqual(["2026-06-12", "2027-06-14", "2027-06-15", "2028-06-12"]);
    expect(icsOccurrences(text).map((o) => o.summary)).toEqual(["Team day", "Team day (moved)", "Team day"]);
  });

  it("leaves out a cancelled instance and a cancelled event", () => {
    const text = calendar(
      event("UID:new-year", "DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=YEARLY;UNTIL=20280101"),
      event(
        "UID:new-year",
        "RECURRENCE-ID;VALUE=DATE:20270101",
        "DTSTART;VALUE=DATE:20270101",
        "STATUS:CANCELLED",
      ),
      event("UID:off-site", "DTSTART;VALUE=DATE:20260715", "STATUS:CANCELLED"),
    );
    expect(holidayDatesFromIcs(text)).toEqual(["2026-01-01", "2028-01-01"]);
  });

  it("applies an override only to the series with its UID", () => {
    const text = calendar(
      event("UID:one", "DTSTART;VALUE=DATE:20260301", "RRULE:FREQ=YEARLY;COUNT=2"),
      event("UID:two", "DTSTART;VALUE=DATE:20260301", "RRULE:FREQ=YEARLY;COUNT=2"),
      event("UID:one", "RECURRENCE-ID;VALUE=DATE:20270301", "DTSTART;VALUE=DATE:20270305"),
    );
    expect(icsOccurrences(text).map((o) => `${o.uid} ${o.start}`)).toEqual([
      "one 2026-03-01",
      "two 2026-03-01",
      "two 2027-03-01",
      "one 2027-03-05",
    ]);
  });

  it("moves this and every later instance with RANGE=THISANDFUTURE", () => {
    const text = calendar(
      event("UID:retro", "DTSTART:20260105T090000", "DTEND:20260105T100000", "RRULE:FREQ=WEEKLY;COUNT=4"),
      event(
        "UID:retro",
        "RECURRENCE-ID;RANGE=THISANDFUTURE:20260119T090000",
        "DTSTART:20260120T090000",
        "DTEND:20260120T100000",
      ),
    );
    expect(holidayDatesFromIcs(text)).toEqual(["2026-01-05", "2026-01-12", "2026-01-20", "2026-01-27"]);
  });

  it("adds RDATE dates", () => {
    const text = calendar(
      event("UID:easter-monday", "DTSTART;VALUE=DATE:20260406", "RDATE;VALUE=DATE:20270329,20280417"),
    );
    expect(holidayDatesFromIcs(text)).toEqual(["2026-04-06", "2027-03-29", "2028-04-17"]);
  });

  it("reads floating times, UTC times, ends at midnight and overnight events", () => {
    const text = calendar(
      event("UID:overnight", "DTSTART:20260612T220000", "DTEND:20260613T020000"),
      event("UID:evening", "DTSTART:20260620T200000", "DTEND:20260621T000000"),
      event("UID:utc", "DTSTART:20261231T230000Z", "DTEND:20270101T010000Z"),
      event("UID:instant", "DTSTART:20260701T120000"),
    );
    expect(holidayDatesFromIcs(text)).toEqual([
      "2026-06-12",
      "2026-06-13",
      "2026-06-20",
      "2026-07-01",
      "2026-12-31",
      "2027-01-01",
    ]);
    expect(icsOccurrences(text).find((o) => o.uid === "utc")?.timezone).toBe("UTC");
  });

  it("reads dates in the event's own time zone, whatever zone its end is written in", () => {
    const zurich = fixture("x_location.ics").match(/BEGIN:VTIMEZONE[\s\S]*?END:VTIMEZONE/)![0];
    const text = calendar(
      zurich,
      // 23:30 in Zurich (CET) is 22:30 UTC; the end, 00:30 UTC, is 01:30 in Zurich the next day.
      event("UID:late", "DTSTART;TZID=Europe/Zurich:20261230T233000", "DTEND:20261231T003000Z"),
    );
    expect(icsOccurrences(text)).toMatchObject([
      { start: "2026-12-30T23:30:00", end: "2026-12-31T01:30:00", dates: ["2026-12-30", "2026-12-31"] },
    ]);
  });

  it("returns every date once, sorted, from several calendars in one text", () => {
    const text =
      calendar(event("UID:a", "DTSTART;VALUE=DATE:20261226", "DTEND;VALUE=DATE:20261228")) +
      calendar(event("UID:b", "DTSTART;VALUE=DATE:20261225", "DTEND;VALUE=DATE:20261227"));
    expect(holidayDatesFromIcs(text)).toEqual(["2026-12-25", "2026-12-26", "2026-12-27"]);
  });

  it("keeps occurrences starting in [fromYear, toYear]", () => {
    const text = calendar(
      event("UID:y", "DTSTART;VALUE=DATE:19901231", "DTEND;VALUE=DATE:19910102", "RRULE:FREQ=YEARLY"),
    );
    const dates = holidayDatesFromIcs(text);
    expect(dates[0]).toBe("2000-12-31");
    // The last occurrence starts in 2100 and runs into 2101.
    expect(dates.slice(-2)).toEqual(["2100-12-31", "2101-01-01"]);
    expect(dates).toHaveLength(202);
    expect(holidayDatesFromIcs(text, { fromYear: 1990, toYear: 1991 })).toEqual([
      "1990-12-31",
      "1991-01-01",
      "1991-12-31",
      "1992-01-01",
    ]);
  });

  it("reads folded lines, CRLF and a byte order mark", () => {
    const text = `\uFEFF${calendar(event("UID:x", "SUMMARY:Tag der Deutschen Ei", " nheit", "DTSTART;VALUE=DATE:20261003"))}`;
    expect(icsOccurrences(text)[0]?.summary).toBe("Tag der Deutschen Einheit");
  });

  it("has nothing for a calendar without events", () => {
    expect(holidayDatesFromIcs(calendar())).toEqual([]);
  });
});

describe("holidayDatesFromIcs errors", () => {
  it("refuses text that is not iCalendar", () => {
    expect(icsError("Christmas: 2026-12-25").message).toMatch(/^not an iCalendar file/);
    expect(icsError("").message).toMatch(/no BEGIN:VCALENDAR/);
    expect(icsError("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada\r\nEND:VCARD\r\n").message).toMatch(
      /no BEGIN:VCALENDAR/,
    );
  });

  it("refuses an event without DTSTART", () => {
    expect(icsError(calendar(event("UID:x", "SUMMARY:Someday"))).message).toBe(
      'event "Someday" (UID x) has no DTSTART: every event needs a start',
    );
  });

  it("stops a rule that repeats every minute instead of hanging", () => {
    const text = calendar(
      event("UID:tick", "SUMMARY:Tick", "DTSTART:20260101T000000", "RRULE:FREQ=MINUTELY"),
    );
    expect(icsError(text).message).toMatch(
      /^event "Tick" \(UID tick\) repeats more than 50000 times by 2100/,
    );
    const bounded = calendar(event("UID:tick", "DTSTART:20260101T000000", "RRULE:FREQ=MINUTELY;COUNT=3000"));
    expect(holidayDatesFromIcs(bounded)).toEqual(["2026-01-01", "2026-01-02", "2026-01-03"]);
  });

  it("refuses fromYear after toYear", () => {
    expect(() => holidayDatesFromIcs(calendar(), { fromYear: 2030, toYear: 2020 })).toThrow(RangeError);
  });
});
