/**
 * Holiday calendars from iCalendar (.ics) files, as exported by Exchange/Outlook, Google
 * Calendar, Apple Calendar and public holiday feeds: every local date an event covers is a holiday.
 *
 * Parsing and recurrence rules are ical.js's; this module decides which occurrences exist
 * (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides, STATUS:CANCELLED) and which dates each covers.
 * Dates are read in the event's own time zone (its TZID as the file defines it, UTC for `Z`
 * times, the wall clock for floating times), never in the reader's.
 */
import ICAL from "ical.js";
import { DAY_MS, formatLocalDate, formatLocalDateTime } from "../recurrence/local-time.js";

type Component = InstanceType<typeof ICAL.Component>;
type IcalEvent = InstanceType<typeof ICAL.Event>;
type Time = InstanceType<typeof ICAL.Time>;
type Period = InstanceType<typeof ICAL.Period>;
type Recur = InstanceType<typeof ICAL.Recur>;
type RecurIterator = InstanceType<typeof ICAL.RecurIterator>;
type Timezone = InstanceType<typeof ICAL.Timezone>;

/** Thrown when a text is not an iCalendar file Railyard can read holidays from. */
export class InvalidIcsError extends Error {
  override readonly name = "InvalidIcsError";
}

/** Which occurrences to expand. */
export interface IcsOptions {
  /** Occurrences starting before this year are left out. @default 2000 */
  fromYear?: number;
  /** Occurrences starting after this year are left out. @default 2100 */
  toYear?: number;
}

/** One occurrence of an event, as the file means it. */
export interface IcsOccurrence {
  uid: string | null;
  summary: string | null;
  /** `YYYY-MM-DD` for an all-day occurrence, else the local `YYYY-MM-DDTHH:MM:SS` in `timezone`. */
  start: string;
  /** Exclusive, in the same form and zone as `start`. */
  end: string;
  /** The TZID of the start, `UTC`, or null for all-day and floating times. */
  timezone: string | null;
  /** The local dates the occurrence covers, in order. */
  dates: string[];
}

/**
 * The most occurrences one recurring event may produce up to `toYear`: far more than a daily
 * holiday from 1970 to 2100, far fewer than a rule repeating every minute.
 */
export const MAX_OCCURRENCES_PER_EVENT = 50_000;

const DEFAULT_FROM_YEAR = 2000;
const DEFAULT_TO_YEAR = 2100;

/**
 * Every local date covered by the VEVENTs of an .ics text, sorted and unique (`YYYY-MM-DD`).
 *
 * An all-day event covers [DTSTART, DTEND) (one day without DTEND; DURATION honoured); a timed
 * event covers the dates from its start to its end in its own time zone (an end exactly at
 * midnight does not cover the next day). Recurring events are expanded for occurrences starting
 * in [fromYear, toYear]; cancelled events and cancelled instances are left out.
 * @throws {InvalidIcsError} when the text is not iCalendar, holds no VCALENDAR, has an event
 *   without DTSTART or a recurrence rule that cannot be expanded, or an event that repeats more
 *   than {@link MAX_OCCURRENCES_PER_EVENT} times.
 * @throws {RangeError} when fromYear or toYear is not a whole year, or toYear is before fromYear.
 */
export function holidayDatesFromIcs(text: string, options: IcsOptions = {}): string[] {
  const dates = new Set<string>();
  for (const occurrence of icsOccurrences(text, options)) {
    for (const date of occurrence.dates) dates.add(date);
  }
  return [...dates].sort();
}

/**
 * The occurrences of the VEVENTs of an .ics text starting in [fromYear, toYear], in order of their
 * local start times; see {@link holidayDatesFromIcs}.
 * @throws {InvalidIcsError} as {@link holidayDatesFromIcs} does.
 * @throws {RangeError} when fromYear or toYear is not a whole year, or toYear is before fromYear.
 */
export function icsOccurrences(text: string, options: IcsOptions = {}): IcsOccurrence[] {
  const fromYear = options.fromYear ?? DEFAULT_FROM_YEAR;
  const toYear = options.toYear ?? DEFAULT_TO_YEAR;
  if (!Number.isInteger(fromYear) || !Number.isInteger(toYear) || toYear < fromYear) {
    throw new RangeError(`fromYear (${fromYear}) and toYear (${toYear}) must be whole years, fromYear first`);
  }
  const out: Array<IcsOccurrence & { sortKey: number }> = [];
  for (const calendar of parseCalendars(text)) {
    for (const group of eventGroups(calendar)) {
      for (const occurrence of expandGroup(group, fromYear, toYear)) out.push(occurrence);
    }
  }
  // Stable: occurrences starting together stay in the order of the file.
  out.sort((a, b) => a.sortKey - b.sortKey);
  return out.map(({ sortKey: _, ...occurrence }) => occurrence);
}

/**
 * Unfolds lines and drops the blanks some exporters (Exchange: `BYDAY=MO, TU, WE`) put into RRULE
 * values, which ical.js refuses; an RRULE value never contains a meaningful blank.
 */
function normalise(text: string): string {
  return text
    .replace(/^\uFEFF/, "")
    .replace(/\r?\n[ \t]/g, "")
    .replace(/^((?:RRULE|EXRULE)[;:].*)$/gim, (line) => line.replace(/[ \t]+/g, ""));
}

function parseCalendars(text: string): Component[] {
  let parsed: unknown;
  try {
    parsed = ICAL.parse(normalise(text));
  } catch (error) {
    throw new InvalidIcsError(`not an iCalendar file: ${(error as Error).message}`);
  }
  // One component parses to its jCal array; several to an array of them.
  const roots = Array.isArray(parsed) && typeof parsed[0] === "string" ? [parsed] : parsed;
  const calendars: Component[] = [];
  for (const root of Array.isArray(roots) ? roots : []) {
    const component = new ICAL.Component(root as unknown[]);
    if (component.name === "vcalendar") calendars.push(component);
  }
  if (calendars.length === 0) {
    throw new InvalidIcsError("not an iCalendar file: there is no BEGIN:VCALENDAR … END:VCALENDAR");
  }
  return calendars;
}

interface EventGroup {
  master: Component | null;
  exceptions: Component[];
}

/** VEVENTs grouped by UID: the series (the one without RECURRENCE-ID) and its overridden instances. */
function eventGroups(calendar: Component): EventGroup[] {
  const byUid = new Map<string, EventGroup>();
  const groups: EventGroup[] = [];
  for (const vevent of calendar.getAllSubcomponents("vevent")) {
    const uid = vevent.getFirstPropertyValue("uid");
    const key = typeof uid === "string" && uid !== "" ? uid : null;
    let group = key === null ? undefined : byUid.get(key);
    if (!group) {
      group = { master: null, exceptions: [] };
      groups.push(group);
      if (key !== null) byUid.set(key, group);
    }
    if (vevent.hasProperty("recurrence-id") && key !== null) group.exceptions.push(vevent);
    else if (group.master === null) group.master = vevent;
    // A second series with the same UID is a broken export; keep it as an event of its own.
    else groups.push({ master: vevent, exceptions: [] });
  }
  return groups;
}

const isCancelled = (component: Component) =>
  String(component.getFirstPropertyValue("status") ?? "").toUpperCase() === "CANCELLED";

function describeEvent(component: Component): string {
  const summary = component.getFirstPropertyValue("summary");
  const uid = component.getFirstPropertyValue("uid");
  const name = typeof summary === "string" && summary !== "" ? `"${summary}"` : "without SUMMARY";
  return typeof uid === "string" ? `event ${name} (UID ${uid})` : `event ${name}`;
}

function requireStart(component: Component): void {
  if (!component.hasProperty("dtstart")) {
    throw new InvalidIcsError(`${describeEvent(component)} has no DTSTART: every event needs a start`);
  }
}

function* expandGroup(
  group: EventGroup,
  fromYear: number,
  toYear: number,
): Generator<IcsOccurrence & { sortKey: number }> {
  if (group.master === null) {
    // Overridden instances whose series is not in the file (e.g. one invitation): plain events.
    for (const exception of group.exceptions) {
      if (isCancelled(exception)) continue;
      requireStart(exception);
      const event = new ICAL.Event(exception, { exceptions: [] });
      const occurrence = occurrenceOf(event, event.startDate, event.endDate, fromYear, toYear);
      if (occurrence) yield occurrence;
    }
    return;
  }
  const master = group.master;
  if (isCancelled(master)) return;
  requireStart(master);
  let event: IcalEvent;
  try {
    event = new ICAL.Event(master, { exceptions: group.exceptions, strictExceptions: true });
  } catch (error) {
    throw new InvalidIcsError(`${describeEvent(master)}: ${(error as Error).message}`);
  }
  const durationMs = event.duration.toSeconds() * 1000;
  // Without overrides, an occurrence's start year is its rule start's: skip earlier ones unread.
  const firstYear = group.exceptions.length === 0 ? fromYear : Number.NEGATIVE_INFINITY;
  for (const { start, periodEnd } of starts(event, master, firstYear, toYear)) {
    let occurrence: (IcsOccurrence & { sortKey: number }) | null;
    if (group.exceptions.length === 0) {
      // ical.js adds a duration to the wall clock too.
      occurrence = occurrenceOf(event, start, periodEnd ?? wallOf(start) + durationMs, fromYear, toYear);
    } else {
      const details = event.getOccurrenceDetails(start);
      if (details.item !== event && isCancelled(details.item.component)) continue;
      const end = details.item === event && periodEnd ? periodEnd : details.endDate;
      occurrence = occurrenceOf(details.item, details.startDate, end, fromYear, toYear);
    }
    if (occurrence) yield occurrence;
  }
}

interface Start {
  start: Time;
  /** For an RDATE given as a PERIOD, that period's end. */
  periodEnd: Time | null;
}

/**
 * The starts of a series' instances (RRULE and RDATE, less EXDATE) in [firstYear, toYear], the
 * years of their own wall clock.
 */
function starts(event: IcalEvent, master: Component, firstYear: number, toYear: number): Start[] {
  const dtstart = event.startDate;
  const rules = master.getAllProperties("rrule");
  const rdates = master.getAllProperties("rdate");
  // One rule alone yields each start once; only several sources can repeat one.
  const seen = rules.length === 1 && rdates.length === 0 ? null : new Set<string>();
  const out: Start[] = [];
  const excluded = exclusions(master);
  const add = (start: Time, periodEnd: Time | null) => {
    if (excluded(start)) return;
    if (seen) {
      const key = instantKey(start);
      if (seen.has(key)) return;
      seen.add(key);
    }
    out.push({ start, periodEnd });
  };

  if (rules.length === 0) add(dtstart, null);
  let produced = 0;
  for (const property of rules) {
    try {
      const { iterator, zone } = wallClockIterator(property.getFirstValue() as Recur, dtstart);
      for (let next = iterator.next(); next; next = iterator.next()) {
        if (next.year > toYear) break;
        if (++produced > MAX_OCCURRENCES_PER_EVENT) {
          throw new InvalidIcsError(
            `${describeEvent(master)} repeats more than ${MAX_OCCURRENCES_PER_EVENT} times by ${toYear}: ` +
              "a holiday calendar's events repeat at most daily; remove the event or give its RRULE an end",
          );
        }
        if (next.year < firstYear) continue;
        const start = next.clone();
        start.zone = zone;
        add(start, null);
      }
    } catch (error) {
      if (error instanceof InvalidIcsError) throw error;
      throw new InvalidIcsError(
        `${describeEvent(master)} has an RRULE that cannot be expanded: ${(error as Error).message}`,
      );
    }
  }
  for (const property of rdates) {
    for (const value of property.getValues() as Array<Time | Period>) {
      if (value instanceof ICAL.Period) add(value.start, value.getEnd());
      else add(value, null);
    }
  }
  return out;
}

/**
 * An iterator over a rule's starts on the wall clock of `dtstart`'s zone (RFC 5545 expands in
 * local time), with a UTC UNTIL moved to that wall clock. ical.js iterates about ten times faster
 * without a zone; the caller puts the zone back on each start.
 */
function wallClockIterator(rule: Recur, dtstart: Time): { iterator: RecurIterator; zone: Timezone } {
  const local = ICAL.Timezone.localTimezone;
  const zone = dtstart.zone;
  const start = dtstart.clone();
  start.zone = local;
  let wallRule = rule;
  if (rule.until && !rule.until.isDate) {
    wallRule = rule.clone();
    const until = rule.until.convertToZone(zone);
    until.zone = local;
    wallRule.until = until;
  }
  return { iterator: wallRule.iterator(start), zone };
}

/** A test for the starts an event's EXDATEs remove: a date removes every start on that day. */
function exclusions(master: Component): (start: Time) => boolean {
  const instants = new Set<string>();
  const days = new Set<string>();
  for (const property of master.getAllProperties("exdate")) {
    for (const value of property.getValues() as Time[]) {
      if (value.isDate) days.add(dateKey(value));
      else instants.add(instantKey(value));
    }
  }
  if (instants.size === 0 && days.size === 0) return () => false;
  return (start) => instants.has(instantKey(start)) || days.has(dateKey(start));
}

function dateKey(time: Time): string {
  return `${time.year}-${time.month}-${time.day}`;
}

/** Identifies an instant; floating times (no zone) are read as UTC, as ical.js compares them. */
function instantKey(time: Time): string {
  return time.isDate ? `D${dateKey(time)}` : String(time.toUnixTime());
}

/** Days since 1970-01-01 of a proleptic Gregorian date (integer arithmetic, no Date objects). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Wall time of a Time's own fields (its local date and time in its own zone). */
function wallOf(time: Time): number {
  const midnight = daysFromCivil(time.year, time.month, time.day) * DAY_MS;
  return time.isDate ? midnight : midnight + ((time.hour * 60 + time.minute) * 60 + time.second) * 1000;
}

function zoneName(time: Time): string | null {
  if (time.isDate) return null;
  const tzid = time.zone?.tzid;
  if (!tzid || tzid === "floating") return null;
  return tzid === "Z" || tzid === "GMT" ? "UTC" : tzid;
}

/** The occurrence from `start` to `end` (a Time, or a wall time on the start's clock), if it starts in the years. */
function occurrenceOf(
  event: IcalEvent,
  start: Time,
  end: Time | number,
  fromYear: number,
  toYear: number,
): (IcsOccurrence & { sortKey: number }) | null {
  if (start.year < fromYear || start.year > toYear) return null;
  const startWall = wallOf(start);
  const timezone = zoneName(start);
  let endWall: number;
  if (typeof end === "number") endWall = end;
  else if (
    !start.isDate &&
    !end.isDate &&
    timezone !== null &&
    zoneName(end) !== null &&
    zoneName(end) !== timezone
  ) {
    endWall = wallOf(end.convertToZone(start.zone));
  } else {
    endWall = wallOf(end);
  }
  const first = Math.floor(startWall / DAY_MS);
  // The end is exclusive: an all-day DTEND, or a timed end at midnight, does not cover its day.
  const last = endWall > startWall ? Math.ceil(endWall / DAY_MS) - 1 : first;
  const dates: string[] = [];
  for (let day = first; day <= last; day++) dates.push(formatLocalDate(day * DAY_MS));
  const format = start.isDate ? formatLocalDate : formatLocalDateTime;
  const summary = event.summary;
  return {
    uid: event.uid ?? null,
    summary: typeof summary === "string" && summary !== "" ? summary : null,
    start: format(startWall),
    end: format(Math.max(endWall, startWall)),
    timezone,
    dates,
    sortKey: startWall,
  };
}
