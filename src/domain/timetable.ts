/**
 * A line's timetable: its departures, numbered, with their cut-offs, deployment windows and what
 * blackouts did to them.
 *
 * Departures come from the schedule's RRULE (or cron) expanded on wall-clock time from `start`
 * in the schedule's zone, plus `rdates`, minus `exdates`; each wall time becomes an instant by
 * RFC 5545 section 3.3.5 (a time in a spring-forward gap moves forward by the gap, a time in a
 * fall-back fold is the first one). A departure's number is its position counted from `start`,
 * so `<line>-<number>` names the same train in the engine, the calendar feed and
 * `railyard timetable`.
 *
 * Blackouts that stop the whole line move a departure to the next allowed instant (`shifted`) or
 * cancel it (`skipped`), per the line's `onBlackout`; a shift that would reach the next scheduled
 * departure skips instead, so departures stay in order. The cut-off is always counted from the
 * scheduled instant: a blackout stops deployment, not boarding.
 *
 * Pure: the current instant is always a parameter.
 */

import { InvalidBlackoutError } from "./calendar/blackouts.js";
import { compileDeploymentRules, type DeploymentRules } from "./calendar/deploy-permit.js";
import { businessDaysBefore, holidaySet } from "./calendar/holidays.js";
import { windowRangeProblem } from "./calendar/windows.js";
import type { PathSegment } from "./config/config-problem.js";
import type { LineConfig, RailyardConfig } from "./config/schema.js";
import { parseDuration } from "./duration.js";
import type { Instant } from "./model.js";
import { cronToRRule } from "./recurrence/cron.js";
import { createExpander, type Expander } from "./recurrence/expand.js";
import {
  DAY_MS,
  formatInstant,
  isLocalDate,
  parseLocalDate,
  parseLocalDateTime,
  parseTimeOfDay,
  type WallMs,
} from "./recurrence/local-time.js";
import { parseRRule, type RecurrenceRule } from "./recurrence/rrule.js";
import { UnknownTimeZoneError, type ZoneRules, zoneRules } from "./recurrence/zone.js";

export type DepartureStatus = "scheduled" | "shifted" | "skipped";

export interface Departure {
  line: string;
  /** Position in the line's timetable counted from the schedule's `start` (1-based). */
  number: number;
  /** `<line>-<number>`: the ID the engine gives the train. */
  train: string;
  /** The instant the schedule gives. */
  scheduledAt: Instant;
  /** When the train departs: the scheduled instant, or where a blackout shifted it. */
  departureAt: Instant;
  /** When boarding closes (counted from the scheduled instant). */
  cutoffAt: Instant;
  status: DepartureStatus;
  /** For shifted and skipped departures: the blackout that moved it, in words. */
  reason: string | null;
  /** The window range the departure falls in, or the next to open; null when the line has no window. */
  windowStart: Instant | null;
  windowEnd: Instant | null;
}

/** Thrown when a line's timetable cannot be built; `path` locates the key at fault in the file. */
export class InvalidScheduleError extends Error {
  override readonly name = "InvalidScheduleError";
  constructor(
    readonly path: PathSegment[],
    message: string,
  ) {
    super(message);
  }
}

/** A departure's instants as epoch milliseconds (what {@link Departure} shows as ISO text). */
export interface DepartureTimes {
  number: number;
  scheduledAt: number;
  departureAt: number;
  cutoffAt: number;
  status: DepartureStatus;
  reason: string | null;
  windowStart: number | null;
  windowEnd: number | null;
}

/** A compiled timetable. Build one with {@link compileTimetable} and reuse it: it memoises departures. */
export interface Timetable {
  readonly line: string;
  readonly timezone: string;
  /** The window and blackouts the timetable was built with. */
  readonly rules: DeploymentRules;
  /** Departures with `departureAt` in [fromMs, toMs), in order. */
  between(fromMs: number, toMs: number): Departure[];
  /** {@link between} with instants as numbers (no text is built: for bulk work). */
  timesBetween(fromMs: number, toMs: number): DepartureTimes[];
  /** The first `count` departures with `departureAt` after `afterMs`. */
  departuresAfter(afterMs: number, count: number): Departure[];
  /** The first departure that is not skipped and whose cut-off is after `afterMs`: the one boarding. */
  nextBoarding(afterMs: number): Departure | undefined;
}

/** How far ahead the schedule checks that cut-offs come before departures: 400 or two years. */
const CHECKED_DEPARTURES = 400;
const CHECKED_SPAN_MS = 2 * 366 * DAY_MS;
/** How many skipped departures in a row {@link Timetable.nextBoarding} looks past. */
const MAX_SKIPPED_IN_A_ROW = 5000;

const iso = formatInstant;

interface Occurrence {
  wall: WallMs;
  at: number;
}

/** Merges the rule's occurrences with rdates, removes exdates, orders by instant, numbers them. */
class OccurrenceStream {
  private readonly pending: Occurrence[] = [];
  private ruleNext: WallMs | null;
  private rdateIndex = 0;
  private lastAt = Number.NEGATIVE_INFINITY;
  private sourceWall = Number.NEGATIVE_INFINITY;
  private readonly excludes: boolean;
  /** The occurrence {@link next} found (valid after it returned true). */
  wall: WallMs = 0;
  at = 0;

  constructor(
    private readonly expander: Expander,
    private readonly untilInstant: number | null,
    private readonly rdates: readonly WallMs[],
    private readonly exTimes: ReadonlySet<WallMs>,
    private readonly exDays: ReadonlySet<number>,
    private readonly zone: ZoneRules,
  ) {
    this.ruleNext = this.pullRule();
    this.excludes = exTimes.size > 0 || exDays.size > 0;
  }

  private pullRule(): WallMs | null {
    const wall = this.expander.next();
    if (wall === null) return null;
    if (this.untilInstant !== null && this.zone.toInstant(wall) > this.untilInstant) return null;
    return wall;
  }

  /** The next wall time of the rule and rdates merged (duplicates once), or null. */
  private pullSource(): WallMs | null {
    for (;;) {
      const rdate = this.rdateIndex < this.rdates.length ? this.rdates[this.rdateIndex]! : null;
      let wall: WallMs | null;
      if (this.ruleNext !== null && (rdate === null || this.ruleNext <= rdate)) {
        wall = this.ruleNext;
        this.ruleNext = this.pullRule();
        if (rdate === wall) this.rdateIndex++;
      } else if (rdate !== null) {
        wall = rdate;
        this.rdateIndex++;
      } else {
        return null;
      }
      if (this.excludes && (this.exTimes.has(wall) || this.exDays.has(Math.floor(wall / DAY_MS)))) continue;
      return wall;
    }
  }

  /**
   * The next occurrence by instant. Wall times that exist convert to instants in the same order;
   * only a time in a spring-forward gap moves forward (by the gap) and may pass later wall times,
   * so those wait in `pending` until the source has gone past them. The occurrence found is left
   * in {@link wall} and {@link at}; false when the timetable has ended.
   */
  next(): boolean {
    for (;;) {
      const head = this.pending[0];
      if (head && this.sourceWall > head.wall + DAY_MS) {
        this.pending.shift();
        if (head.at <= this.lastAt) continue;
        this.lastAt = head.at;
        this.wall = head.wall;
        this.at = head.at;
        return true;
      }
      const wall = this.pullSource();
      if (wall === null) {
        this.sourceWall = Number.POSITIVE_INFINITY;
        if (this.pending.length === 0) return false;
        continue;
      }
      this.sourceWall = wall;
      const at = this.zone.toInstant(wall);
      if (this.pending.length === 0 && this.zone.toWall(at) === wall) {
        if (at <= this.lastAt) continue;
        this.lastAt = at;
        this.wall = wall;
        this.at = at;
        return true;
      }
      const occurrence = { wall, at };
      let index = this.pending.length;
      while (index > 0 && this.pending[index - 1]!.at > occurrence.at) index--;
      this.pending.splice(index, 0, occurrence);
    }
  }
}

/**
 * Parsed rules by text. The expander keeps its per-rule tables on the rule object, so lines with
 * the same rule (most of them, in a large organisation) share that work. Rules are never mutated.
 */
const parsedRules = new Map<string, RecurrenceRule>();

function parseRuleCached(text: string): RecurrenceRule {
  let rule = parsedRules.get(text);
  if (!rule) {
    rule = parseRRule(text);
    if (parsedRules.size >= 10_000) parsedRules.clear();
    parsedRules.set(text, rule);
  }
  return rule;
}

function compileRule(line: LineConfig, at: PathSegment[]): RecurrenceRule {
  const { rrule, cron } = line.schedule;
  if ((rrule === undefined) === (cron === undefined)) {
    throw new InvalidScheduleError(
      [...at, "schedule"],
      rrule === undefined
        ? 'a schedule needs rrule or cron, e.g. rrule: "FREQ=WEEKLY;BYDAY=TU"'
        : "give rrule or cron, not both",
    );
  }
  if (cron !== undefined) {
    let text: string;
    try {
      text = cronToRRule(cron);
    } catch (error) {
      throw new InvalidScheduleError([...at, "schedule", "cron"], (error as Error).message);
    }
    return parseRuleCached(text);
  }
  try {
    return parseRuleCached(rrule!);
  } catch (error) {
    throw new InvalidScheduleError(
      [...at, "schedule", "rrule"],
      `invalid RRULE "${rrule}": ${(error as Error).message}`,
    );
  }
}

function parseWall(text: string, path: PathSegment[]): WallMs {
  try {
    return isLocalDate(text) ? parseLocalDate(text) : parseLocalDateTime(text);
  } catch (error) {
    throw new InvalidScheduleError(path, (error as Error).message);
  }
}

/** Dates of the calendars named by a line, as loaded (`dates` is filled from .ics files at load). */
export function calendarDates(config: RailyardConfig): Record<string, readonly string[]> {
  return Object.fromEntries(Object.entries(config.calendars).map(([name, c]) => [name, c.dates ?? []]));
}

/** The cut-off of a departure given its wall time and scheduled instant. */
type CutoffOf = (wall: WallMs, scheduled: number) => number;

function compileCutoff(
  line: LineConfig,
  config: RailyardConfig,
  zone: ZoneRules,
  at: PathSegment[],
): CutoffOf {
  const cutoff = line.schedule.cutoff;
  if (typeof cutoff === "string") {
    let ms: number;
    try {
      ms = parseDuration(cutoff);
    } catch (error) {
      throw new InvalidScheduleError([...at, "schedule", "cutoff"], (error as Error).message);
    }
    if (ms <= 0) {
      throw new InvalidScheduleError(
        [...at, "schedule", "cutoff"],
        "the cut-off must come before the departure: give a duration above 0, e.g. 2h",
      );
    }
    return (_wall, scheduled) => scheduled - ms;
  }
  const calendars = calendarDates(config);
  const dates: string[] = [];
  line.holidays.forEach((name) => {
    dates.push(...(calendars[name] ?? []));
  });
  const holidays = holidaySet(dates);
  const timeOfDay = parseTimeOfDay(cutoff.at);
  return (wall) => {
    const day = businessDaysBefore(Math.floor(wall / DAY_MS), cutoff.businessDays, holidays);
    return zone.toInstant(day * DAY_MS + timeOfDay);
  };
}

function checkWindow(line: LineConfig, at: PathSegment[]): void {
  (line.window ?? []).forEach((range, index) => {
    const problem = windowRangeProblem(range);
    if (problem) throw new InvalidScheduleError([...at, "window", index, problem.key], problem.message);
  });
}

function compileRules(name: string, line: LineConfig, config: RailyardConfig): DeploymentRules {
  const at: PathSegment[] = ["lines", name];
  checkWindow(line, at);
  try {
    return compileDeploymentRules(line, config.blackouts, calendarDates(config));
  } catch (error) {
    if (!(error instanceof InvalidBlackoutError) || !error.at) throw error;
    const list: PathSegment[] = error.at.list === "global" ? ["blackouts"] : [...at, "blackouts"];
    throw new InvalidScheduleError([...list, error.at.index, error.key], error.message);
  }
}

/**
 * Compiles the timetable of a configured line.
 * @throws {InvalidScheduleError} locating the key at fault: an unknown zone, a bad RRULE or cron,
 * a start or exdate that is not a date-time, a window range that ends before it starts, a bad
 * blackout, or a cut-off at or after its departure.
 */
export function compileTimetable(name: string, config: RailyardConfig): Timetable {
  const line = config.lines[name];
  if (!line) throw new InvalidScheduleError(["lines", name], `no line "${name}"`);
  const at: PathSegment[] = ["lines", name];
  const schedule = line.schedule;
  let zone: ZoneRules;
  try {
    zone = zoneRules(schedule.timezone);
  } catch (error) {
    if (!(error instanceof UnknownTimeZoneError)) throw error;
    throw new InvalidScheduleError([...at, "schedule", "timezone"], error.message);
  }
  const start = parseWall(schedule.start, [...at, "schedule", "start"]);
  const rule = compileRule(line, at);
  const exTimes = new Set<WallMs>();
  const exDays = new Set<number>();
  schedule.exdates.forEach((text, index) => {
    const wall = parseWall(text, [...at, "schedule", "exdates", index]);
    if (isLocalDate(text)) exDays.add(Math.floor(wall / DAY_MS));
    else exTimes.add(wall);
  });
  const rdates = schedule.rdates
    .map((text, index) => parseWall(text, [...at, "schedule", "rdates", index]))
    .sort((a, b) => a - b);
  const untilInstant = rule.until?.kind === "instant" ? rule.until.epochMs : null;
  const cutoffOf = compileCutoff(line, config, zone, at);
  const rules = compileRules(name, line, config);

  const stream = new OccurrenceStream(
    createExpander(rule, start),
    untilInstant,
    rdates,
    exTimes,
    exDays,
    zone,
  );
  // Memoised as parallel arrays of numbers: ten years of a daily line is thousands of entries,
  // and arrays of doubles cost the garbage collector nothing to keep.
  const occWall: number[] = [];
  const occAt: number[] = [];
  let exhausted = false;
  /** Makes occurrence `index` exist if the timetable has it. */
  const reach = (index: number): boolean => {
    while (!exhausted && occAt.length <= index) {
      if (stream.next()) {
        occWall.push(stream.wall);
        occAt.push(stream.at);
      } else exhausted = true;
    }
    return index < occAt.length;
  };

  const STATUS: readonly DepartureStatus[] = ["scheduled", "shifted", "skipped"];
  const depAt: number[] = [];
  const cutAt: number[] = [];
  const statusOf: number[] = [];
  const winStart: number[] = [];
  const winEnd: number[] = [];
  const reasons = new Map<number, string>();

  /** Makes departure `index` exist if the timetable has it. */
  const departure = (index: number): boolean => {
    if (index < depAt.length) return true;
    if (!reach(index)) return false;
    for (let i = depAt.length; i <= index; i++) build(i);
    return true;
  };

  const build = (index: number): void => {
    const scheduled = occAt[index]!;
    let status = 0;
    let departAt = scheduled;
    const stopping = rules.blackoutsAt(scheduled, null);
    if (stopping.length > 0) {
      const what = stopping.map((b) => `blackout ${b.name}: ${b.reason}`).join("; ");
      if (line.onBlackout === "skip") {
        status = 2;
        reasons.set(index, what);
      } else {
        const next = rules.nextAllowed(scheduled, { environments: null });
        const following = reach(index + 1) ? occAt[index + 1]! : Number.POSITIVE_INFINITY;
        if (next === null || next >= following) {
          status = 2;
          reasons.set(index, `${what}; shifting it would reach the next departure`);
        } else {
          status = 1;
          reasons.set(index, what);
          departAt = next;
        }
      }
    }
    const window = rules.window?.currentOrNext(departAt) ?? null;
    depAt.push(departAt);
    cutAt.push(cutoffOf(occWall[index]!, scheduled));
    statusOf.push(status);
    winStart.push(window ? window.start : Number.NaN);
    winEnd.push(window ? window.end : Number.NaN);
  };

  const times = (index: number): DepartureTimes => ({
    number: index + 1,
    scheduledAt: occAt[index]!,
    departureAt: depAt[index]!,
    cutoffAt: cutAt[index]!,
    status: STATUS[statusOf[index]!]!,
    reason: reasons.get(index) ?? null,
    windowStart: Number.isNaN(winStart[index]!) ? null : winStart[index]!,
    windowEnd: Number.isNaN(winEnd[index]!) ? null : winEnd[index]!,
  });

  const present = (index: number): Departure => {
    const number = index + 1;
    const start = winStart[index]!;
    const end = winEnd[index]!;
    return {
      line: name,
      number,
      train: `${name}-${number}`,
      scheduledAt: iso(occAt[index]!),
      departureAt: iso(depAt[index]!),
      cutoffAt: iso(cutAt[index]!),
      status: STATUS[statusOf[index]!]!,
      reason: reasons.get(index) ?? null,
      windowStart: Number.isNaN(start) ? null : iso(start),
      windowEnd: Number.isNaN(end) ? null : iso(end),
    };
  };

  /** Index of the first departure with departureAt > afterMs (departures are ordered). */
  const firstAfter = (afterMs: number): number => {
    let lo = 0;
    let hi = depAt.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (depAt[mid]! <= afterMs) lo = mid + 1;
      else hi = mid;
    }
    let index = lo;
    while (departure(index) && depAt[index]! <= afterMs) index++;
    return index;
  };

  /** Indexes of the departures with departureAt in [fromMs, toMs). */
  const indexesBetween = (fromMs: number, toMs: number): [number, number] => {
    const first = firstAfter(fromMs - 1);
    let end = first;
    while (departure(end) && depAt[end]! < toMs) end++;
    return [first, end];
  };

  const timesBetween = (fromMs: number, toMs: number): DepartureTimes[] => {
    const [first, end] = indexesBetween(fromMs, toMs);
    const out: DepartureTimes[] = new Array(end - first);
    for (let index = first; index < end; index++) out[index - first] = times(index);
    return out;
  };

  // A cut-off must come before its departure; business-day cut-offs are checked on the first
  // departures (they repeat with the week and the holidays).
  for (let index = 0; index < CHECKED_DEPARTURES; index++) {
    if (!reach(index)) break;
    const scheduled = occAt[index]!;
    if (scheduled - occAt[0]! > CHECKED_SPAN_MS) break;
    const cutoff = cutoffOf(occWall[index]!, scheduled);
    if (cutoff >= scheduled) {
      throw new InvalidScheduleError(
        [...at, "schedule", "cutoff"],
        `the cut-off (${iso(cutoff)}) is not before departure ${name}-${index + 1} (${iso(scheduled)}): boarding must close before the train departs`,
      );
    }
    if (typeof schedule.cutoff === "string") break;
  }

  return {
    line: name,
    timezone: schedule.timezone,
    rules,
    between(fromMs, toMs) {
      const [first, end] = indexesBetween(fromMs, toMs);
      const out: Departure[] = new Array(end - first);
      for (let index = first; index < end; index++) out[index - first] = present(index);
      return out;
    },
    timesBetween,
    departuresAfter(afterMs, count) {
      const out: Departure[] = [];
      for (let index = firstAfter(afterMs); out.length < count && departure(index); index++) {
        out.push(present(index));
      }
      return out;
    },
    nextBoarding(afterMs) {
      // Business-day cut-offs are not ordered like departures (holidays); walk until one is open.
      // Bounded: a line whose every departure is skipped (a blackout without end) has none.
      const first = firstAfter(afterMs);
      for (let index = first; index < first + MAX_SKIPPED_IN_A_ROW; index++) {
        if (!departure(index)) return undefined;
        if (statusOf[index] !== 2 && cutAt[index]! > afterMs) return present(index);
      }
      return undefined;
    },
  };
}

/** A schedule in one line of text: `FREQ=WEEKLY;BYDAY=TU from 2026-01-06T10:00 Europe/Berlin, cut-off 26h before`. */
export function describeSchedule(schedule: LineConfig["schedule"]): string {
  const rule = schedule.rrule ?? `cron "${schedule.cron}"`;
  const cutoff =
    typeof schedule.cutoff === "string"
      ? `${schedule.cutoff} before`
      : `${schedule.cutoff.businessDays} business day${schedule.cutoff.businessDays === 1 ? "" : "s"} before at ${schedule.cutoff.at}`;
  return `${rule} from ${schedule.start} ${schedule.timezone}, cut-off ${cutoff}`;
}
