import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { WindowRangeConfig } from "../config/schema.js";
import { DAY_MS, HOUR_MS, WEEKDAYS } from "../recurrence/local-time.js";
import { zoneRules } from "../recurrence/zone.js";
import { compileWindow, type Interval, windowRangeProblem } from "./windows.js";

const berlin = zoneRules("Europe/Berlin");
const utc = zoneRules("UTC");
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const show = (interval: Interval | null) =>
  interval && { start: iso(interval.start), end: iso(interval.end) };

const weekdays: WindowRangeConfig = { days: ["MO", "TU", "WE", "TH", "FR"], from: "10:00", to: "16:00" };

describe("compileWindow across DST (Europe/Berlin, MO–FR 10:00–16:00)", () => {
  const window = compileWindow([weekdays], berlin);

  it("keeps 10:00–16:00 local before and after the March change", () => {
    // Friday 27 March 2026 is CET (+01:00), Monday 30 March CEST (+02:00).
    expect(show(window.at(at("2026-03-27T12:00:00Z")))).toEqual({
      start: "2026-03-27T09:00:00.000Z",
      end: "2026-03-27T15:00:00.000Z",
    });
    expect(show(window.at(at("2026-03-30T12:00:00Z")))).toEqual({
      start: "2026-03-30T08:00:00.000Z",
      end: "2026-03-30T14:00:00.000Z",
    });
    // 14:30 UTC is 16:30 CEST on Monday, but 15:30 CET on the Friday before.
    expect(window.at(at("2026-03-30T14:30:00Z"))).toBeNull();
    expect(window.at(at("2026-03-27T14:30:00Z"))).not.toBeNull();
  });

  it("opens on Monday 10:00 CEST after a Friday in CET", () => {
    expect(show(window.currentOrNext(at("2026-03-27T15:00:00Z")))).toEqual({
      start: "2026-03-30T08:00:00.000Z",
      end: "2026-03-30T14:00:00.000Z",
    });
  });

  it("keeps 10:00–16:00 local before and after the October change", () => {
    expect(show(window.at(at("2026-10-23T08:00:00Z")))).toEqual({
      start: "2026-10-23T08:00:00.000Z",
      end: "2026-10-23T14:00:00.000Z",
    });
    expect(show(window.currentOrNext(at("2026-10-23T14:00:00Z")))).toEqual({
      start: "2026-10-26T09:00:00.000Z",
      end: "2026-10-26T15:00:00.000Z",
    });
    // 08:30 UTC on that Monday is 09:30 CET: not open yet.
    expect(window.at(at("2026-10-26T08:30:00Z"))).toBeNull();
  });

  it("treats the start as inside and the end as outside", () => {
    expect(window.at(at("2026-03-30T08:00:00Z"))).not.toBeNull();
    expect(window.at(at("2026-03-30T14:00:00Z"))).toBeNull();
    expect(window.at(at("2026-03-30T13:59:59.999Z"))).not.toBeNull();
  });

  it("is closed on weekends", () => {
    expect(window.at(at("2026-03-28T12:00:00Z"))).toBeNull();
    expect(window.at(at("2026-03-29T12:00:00Z"))).toBeNull();
  });
});

describe("compileWindow on the days of the change", () => {
  it("has a 5-hour night on the spring Sunday and a 7-hour one in autumn", () => {
    const window = compileWindow([{ days: ["SU"], from: "00:00", to: "06:00" }], berlin);
    const spring = window.at(at("2026-03-29T02:00:00Z"))!;
    expect(show(spring)).toEqual({ start: "2026-03-28T23:00:00.000Z", end: "2026-03-29T04:00:00.000Z" });
    expect(spring.end - spring.start).toBe(5 * HOUR_MS);
    const autumn = window.at(at("2026-10-25T02:00:00Z"))!;
    expect(show(autumn)).toEqual({ start: "2026-10-24T22:00:00.000Z", end: "2026-10-25T05:00:00.000Z" });
    expect(autumn.end - autumn.start).toBe(7 * HOUR_MS);
  });

  it("has no range on the spring Sunday when it lies inside the gap", () => {
    const window = compileWindow([{ days: ["SU"], from: "02:00", to: "03:00" }], berlin);
    expect(window.at(at("2026-03-29T01:00:00Z"))).toBeNull();
    // The next one is a week later, 02:00 CEST.
    expect(show(window.currentOrNext(at("2026-03-29T00:00:00Z")))).toEqual({
      start: "2026-04-05T00:00:00.000Z",
      end: "2026-04-05T01:00:00.000Z",
    });
  });

  it("reads a start inside the gap as the time after it", () => {
    const window = compileWindow([{ days: ["SU"], from: "02:30", to: "05:00" }], berlin);
    expect(show(window.at(at("2026-03-29T02:00:00Z")))).toEqual({
      start: "2026-03-29T01:30:00.000Z",
      end: "2026-03-29T03:00:00.000Z",
    });
  });
});

describe("compileWindow merging", () => {
  it("merges ranges that touch on one day", () => {
    const window = compileWindow(
      [
        { days: ["MO"], from: "10:00", to: "16:00" },
        { days: ["MO"], from: "16:00", to: "18:00" },
      ],
      utc,
    );
    expect(show(window.at(at("2026-01-05T11:00:00Z")))).toEqual({
      start: "2026-01-05T10:00:00.000Z",
      end: "2026-01-05T18:00:00.000Z",
    });
  });

  it("merges overlapping ranges and keeps separate ones apart", () => {
    const window = compileWindow(
      [
        { days: ["TU"], from: "09:00", to: "12:00" },
        { days: ["TU"], from: "11:00", to: "13:00" },
        { days: ["TU"], from: "15:00", to: "16:00" },
      ],
      utc,
    );
    expect(show(window.at(at("2026-01-06T12:30:00Z")))).toEqual({
      start: "2026-01-06T09:00:00.000Z",
      end: "2026-01-06T13:00:00.000Z",
    });
    expect(window.at(at("2026-01-06T14:00:00Z"))).toBeNull();
    expect(show(window.currentOrNext(at("2026-01-06T14:00:00Z")))).toEqual({
      start: "2026-01-06T15:00:00.000Z",
      end: "2026-01-06T16:00:00.000Z",
    });
  });

  it("merges whole consecutive days, and ranges that meet at midnight", () => {
    const window = compileWindow(
      [{ days: ["FR"], from: "18:00" }, { days: ["SA", "SU"] }, { days: ["MO"], to: "06:00" }],
      berlin,
    );
    // Friday 27 March 18:00 CET to Monday 30 March 06:00 CEST.
    const expected = { start: "2026-03-27T17:00:00.000Z", end: "2026-03-30T04:00:00.000Z" };
    expect(show(window.at(at("2026-03-28T12:00:00Z")))).toEqual(expected);
    expect(show(window.at(at("2026-03-27T17:00:00Z")))).toEqual(expected);
    expect(show(window.at(at("2026-03-30T03:59:00Z")))).toEqual(expected);
    expect(show(window.currentOrNext(at("2026-03-25T00:00:00Z")))).toEqual(expected);
  });

  it("gives a window open every day all day a long interval around the instant", () => {
    const window = compileWindow([{}], berlin);
    const now = at("2026-06-01T12:00:00Z");
    const open = window.at(now)!;
    expect(open.start).toBeLessThan(now - 300 * DAY_MS);
    expect(open.end).toBeGreaterThan(now + 300 * DAY_MS);
    expect(window.currentOrNext(now)).toEqual(open);
  });
});

describe("compileWindow.currentOrNext", () => {
  it("is the current interval inside the window", () => {
    const window = compileWindow([weekdays], utc);
    expect(show(window.currentOrNext(at("2026-01-07T11:00:00Z")))).toEqual({
      start: "2026-01-07T10:00:00.000Z",
      end: "2026-01-07T16:00:00.000Z",
    });
  });

  it("finds a range once a week", () => {
    const window = compileWindow([{ days: ["WE"], from: "20:00", to: "21:00" }], utc);
    expect(show(window.currentOrNext(at("2026-01-07T21:00:00Z")))).toEqual({
      start: "2026-01-14T20:00:00.000Z",
      end: "2026-01-14T21:00:00.000Z",
    });
  });

  it("is null for a window that never opens", () => {
    const window = compileWindow([], utc);
    expect(window.at(at("2026-01-07T21:00:00Z"))).toBeNull();
    expect(window.currentOrNext(at("2026-01-07T21:00:00Z"))).toBeNull();
  });
});

describe("windowRangeProblem", () => {
  it("accepts valid ranges and the defaults", () => {
    expect(windowRangeProblem(weekdays)).toBeNull();
    expect(windowRangeProblem({})).toBeNull();
    expect(windowRangeProblem({ from: "18:00" })).toBeNull();
    expect(windowRangeProblem({ to: "24:00", from: "23:59" })).toBeNull();
  });

  it("refuses a range that ends before it starts", () => {
    expect(windowRangeProblem({ from: "10:00", to: "09:00" })).toEqual({
      key: "to",
      message:
        "the window ends (09:00) before it starts (10:00): a range cannot cross midnight; split it into two ranges",
    });
  });

  it("refuses an empty range", () => {
    expect(windowRangeProblem({ from: "10:00", to: "10:00" })).toMatchObject({ key: "to" });
    expect(windowRangeProblem({ to: "00:00" })).toMatchObject({ key: "to" });
  });

  it("refuses a start at 24:00 and malformed times", () => {
    expect(windowRangeProblem({ from: "24:00" })).toMatchObject({ key: "from", message: /24:00/ });
    expect(windowRangeProblem({ from: "9:00" })).toMatchObject({ key: "from" });
    expect(windowRangeProblem({ to: "25:00" })).toMatchObject({ key: "to" });
  });

  it("refuses a weekday listed twice", () => {
    expect(windowRangeProblem({ days: ["MO", "TU", "MO"] })).toEqual({
      key: "days",
      message: "MO is listed twice: list each weekday once",
    });
  });

  it("is what compileWindow refuses", () => {
    expect(() => compileWindow([{ from: "10:00", to: "09:00" }], utc)).toThrow(/cannot cross midnight/);
  });
});

const time = fc
  .tuple(fc.integer({ min: 0, max: 24 }), fc.constantFrom(0, 30))
  .filter(([h, m]) => h < 24 || m === 0)
  .map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`);
const range: fc.Arbitrary<WindowRangeConfig> = fc
  .record({
    days: fc.option(fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1 }), { nil: undefined }),
    from: fc.option(time, { nil: undefined }),
    to: fc.option(time, { nil: undefined }),
  })
  .filter((r) => windowRangeProblem(r) === null);
// 2026-01-01 to 2027-12-31, so both DST changes of two years are in reach.
const instant = fc.integer({ min: at("2026-01-01T00:00:00Z"), max: at("2027-12-31T00:00:00Z") });

describe("compileWindow properties", () => {
  it("in UTC, an instant is inside exactly when its weekday and time of day are in a range", () => {
    fc.assert(
      fc.property(fc.array(range, { maxLength: 4 }), instant, (ranges, t) => {
        const window = compileWindow(ranges, utc);
        const weekday = WEEKDAYS[(Math.floor(t / DAY_MS) + 3) % 7]!;
        const minutes = (t % DAY_MS) / 60_000;
        const minute = (text: string) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3));
        const expected = ranges.some(
          (r) =>
            (r.days ?? WEEKDAYS).includes(weekday) &&
            minute(r.from ?? "00:00") <= minutes &&
            minutes < minute(r.to ?? "24:00"),
        );
        const found = window.at(t);
        expect(found !== null).toBe(expected);
        if (found) expect(found.start <= t && t < found.end).toBe(true);
      }),
    );
  });

  it("in Berlin, currentOrNext is the first open instant and intervals are maximal", () => {
    fc.assert(
      fc.property(fc.array(range, { minLength: 1, maxLength: 4 }), instant, (ranges, t) => {
        const window = compileWindow(ranges, berlin);
        const next = window.currentOrNext(t);
        expect(next).not.toBeNull();
        const { start, end } = next!;
        expect(end).toBeGreaterThan(start);
        expect(end).toBeGreaterThan(t);
        if (start > t) {
          expect(window.at(t)).toBeNull();
          for (let i = 1; i < 16; i++) expect(window.at(t + ((start - t) * i) / 16)).toBeNull();
          expect(window.at(start - 1)).toBeNull();
        } else {
          expect(window.at(t)).toEqual(next);
        }
        // A window open for more than 370 days in a row is cut around the instant asked about.
        if (end - start < 300 * DAY_MS) {
          expect(window.at(start)).toEqual(next);
          expect(window.at(end - 1)).toEqual(next);
          expect(window.at(end)).toBeNull();
          expect(window.at(start - 1)).toBeNull();
        }
      }),
    );
  });
});
