/**
 * A line's deployment window: ranges of weekdays × local times, in the line's time zone, in which
 * production deployments may start.
 *
 * Each day's ranges are turned into instants with that day's UTC offset (`zone.toInstant`), so
 * 10:00–16:00 stays 10:00–16:00 on the wall clock across DST changes; a local time in a
 * spring-forward gap is read as RFC 5545 says (02:30 becomes 03:30). Ranges that touch or overlap,
 * on one day (MO 10–16 and MO 16–18) or across midnight (whole consecutive days), form one interval.
 */
import type { WindowRangeConfig } from "../config/schema.js";
import { DAY_MS, parseTimeOfDay, WEEKDAYS, type Weekday } from "../recurrence/local-time.js";
import type { ZoneRules } from "../recurrence/zone.js";

/** A span of time: epoch milliseconds, `end` exclusive. */
export interface Interval {
  start: number;
  end: number;
}

/** A compiled deployment window; see {@link compileWindow}. */
export interface DeploymentWindow {
  /**
   * The window interval containing the instant (adjacent or overlapping ranges merged, e.g.
   * MO 10–16 and MO 16–18, or whole consecutive days), or null when the window is closed then.
   * A window open for more than 370 days in a row (every day, all day) is cut 370 days either side.
   */
  at(epochMs: number): Interval | null;
  /** The interval containing the instant, else the next one to open; null if none opens within 370 days. */
  currentOrNext(epochMs: number): Interval | null;
}

/** How far a search for the next opening, or a merge of consecutive days, reaches. */
const REACH_DAYS = 370;
/** Days whose instants are kept; a window is queried around a few instants at a time. */
const CACHE_DAYS = 4096;

const DEFAULT_FROM = "00:00";
const DEFAULT_TO = "24:00";

/**
 * Null when the window range is valid, else what is wrong and the key at fault: `to` not after
 * `from` (a range cannot cross midnight), a time that is not `HH:MM` from 00:00 to 24:00, a range
 * starting at 24:00, or a weekday listed twice.
 */
export function windowRangeProblem(
  range: WindowRangeConfig,
): { key: "to" | "from" | "days"; message: string } | null {
  const fromText = range.from ?? DEFAULT_FROM;
  const toText = range.to ?? DEFAULT_TO;
  let from: number;
  let to: number;
  try {
    from = parseTimeOfDay(fromText);
  } catch (error) {
    return { key: "from", message: (error as Error).message };
  }
  try {
    to = parseTimeOfDay(toText);
  } catch (error) {
    return { key: "to", message: (error as Error).message };
  }
  if (from === DAY_MS) {
    return {
      key: "from",
      message: `the window cannot start at 24:00, the end of the day: start at 00:00 of the next day instead`,
    };
  }
  if (to < from) {
    return {
      key: "to",
      message: `the window ends (${toText}) before it starts (${fromText}): a range cannot cross midnight; split it into two ranges`,
    };
  }
  if (to === from) {
    return {
      key: "to",
      message: `the window ends (${toText}) when it starts (${fromText}), so it is never open: make \`to\` later than \`from\``,
    };
  }
  const seen = new Set<string>();
  for (const day of range.days ?? []) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) {
      return { key: "days", message: `"${day}" is not a weekday: use MO, TU, WE, TH, FR, SA or SU` };
    }
    if (seen.has(day)) return { key: "days", message: `${day} is listed twice: list each weekday once` };
    seen.add(day);
  }
  return null;
}

/** Sorted, merged [from, to) pairs of milliseconds after midnight, one list per weekday (0 = Monday). */
function weeklyPattern(ranges: readonly WindowRangeConfig[]): Array<Array<[number, number]>> {
  const week: Array<Array<[number, number]>> = WEEKDAYS.map(() => []);
  for (const range of ranges) {
    const problem = windowRangeProblem(range);
    if (problem) throw new RangeError(`window.${problem.key}: ${problem.message}`);
    const from = parseTimeOfDay(range.from ?? DEFAULT_FROM);
    const to = parseTimeOfDay(range.to ?? DEFAULT_TO);
    const days: readonly Weekday[] = range.days ?? WEEKDAYS;
    for (const day of days) week[WEEKDAYS.indexOf(day)]!.push([from, to]);
  }
  return week.map((pairs) => {
    pairs.sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const [from, to] of pairs) {
      const last = merged.at(-1);
      if (last && from <= last[1]) last[1] = Math.max(last[1], to);
      else merged.push([from, to]);
    }
    return merged;
  });
}

/** Merges sorted-by-start intervals that touch or overlap. */
function mergeTouching(intervals: Interval[]): Interval[] {
  intervals.sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const interval of intervals) {
    const last = out.at(-1);
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else out.push({ ...interval });
  }
  return out;
}

/**
 * Compiles a line's `window` entries, read in `zone`: `days` default to the whole week, `from` to
 * 00:00, `to` to 24:00 (the next day's 00:00). An empty list is a window that never opens.
 * @throws {RangeError} when a range has a problem {@link windowRangeProblem} reports; check each
 *   range with it first to tell the user where.
 */
export function compileWindow(ranges: readonly WindowRangeConfig[], zone: ZoneRules): DeploymentWindow {
  const week = weeklyPattern(ranges);
  // Days are looked up by number, mostly in order: a flat array over a sliding range of days is
  // much cheaper than a Map here (the timetable asks for every departure's window).
  let cacheBase = 0;
  let cache: Array<Interval[] | undefined> = [];

  /** The instants of one local day's ranges (a day number is days since 1970-01-01). */
  function day(number: number): Interval[] {
    let slot = number - cacheBase;
    if (slot < 0 || slot >= CACHE_DAYS) {
      cacheBase = number - (CACHE_DAYS >> 3);
      cache = [];
      slot = number - cacheBase;
    }
    let intervals = cache[slot];
    if (intervals) return intervals;
    const midnight = number * DAY_MS;
    // 1970-01-01 was a Thursday (3 with Monday = 0).
    const pairs = week[(((number + 3) % 7) + 7) % 7]!;
    const converted: Interval[] = [];
    for (const [from, to] of pairs) {
      const start = zone.toInstant(midnight + from);
      const end = zone.toInstant(midnight + to);
      // A range inside a spring-forward gap does not exist on that day.
      if (end > start) converted.push({ start, end });
    }
    intervals = converted.length > 1 ? mergeTouching(converted) : converted;
    cache[slot] = intervals;
    return intervals;
  }

  const dayOf = (epochMs: number) => Math.floor(zone.toWall(epochMs) / DAY_MS);

  function at(epochMs: number): Interval | null {
    const today = dayOf(epochMs);
    for (let d = today - 1; d <= today + 1; d++) {
      for (const interval of day(d)) {
        if (interval.start <= epochMs && epochMs < interval.end) return extend(interval, d);
      }
    }
    return null;
  }

  /** Grows an interval of day `d` over the ranges of the days before and after that touch it. */
  function extend(interval: Interval, d: number): Interval {
    let { start, end } = interval;
    for (let back = d - 1; back >= d - REACH_DAYS; back--) {
      const last = day(back).at(-1);
      if (!last || last.end < start || last.start >= start) break;
      start = last.start;
    }
    for (let ahead = d + 1; ahead <= d + REACH_DAYS; ahead++) {
      const first = day(ahead)[0];
      if (!first || first.start > end || first.end <= end) break;
      end = first.end;
    }
    return { start, end };
  }

  function currentOrNext(epochMs: number): Interval | null {
    const current = at(epochMs);
    if (current) return current;
    const limit = epochMs + REACH_DAYS * DAY_MS;
    const today = dayOf(epochMs);
    for (let d = today - 1; d <= today + REACH_DAYS + 1; d++) {
      for (const interval of day(d)) {
        if (interval.start > limit) return null;
        if (interval.start > epochMs) return extend(interval, d);
      }
    }
    return null;
  }

  return { at, currentOrNext };
}
