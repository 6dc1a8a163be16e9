/**
 * The iCalendar feed (`/calendar.ics`) that calendar apps subscribe to: per line, a VEVENT per
 * departure and per cut-off (with a reminder), one recurring VEVENT per deployment window range,
 * a VEVENT per blackout occurrence, and one per hotfix train.
 *
 * Built in two steps so the engine can keep SEQUENCE numbers between fetches:
 * {@link planCalendarFeed} decides every event and its fingerprint (a hash of what a calendar
 * shows: start, end, status, summary, description, recurrence), the engine asks the store for each
 * UID's sequence, and {@link renderCalendarFeed} writes the text with `ical-generator`.
 *
 * Times are exact: events carry the TZID of their line's zone, and the feed holds one VTIMEZONE per
 * zone used, written here from the same offset table the timetable uses (`zoneRules`), with one
 * observance per UTC-offset transition over the span the feed's events need. A local time that is
 * ambiguous (a fall-back fold) or does not exist is written in UTC instead, so no client can read
 * it as the other instant. UIDs never change with anything that can change: a departure's is its
 * line and *scheduled* instant, so a blackout shifting it updates the event instead of adding one.
 *
 * Pure: the current instant and the sequences are parameters.
 */
import ical, {
  ICalAlarmType,
  ICalCalendarMethod,
  type ICalDayJsStub,
  ICalEventStatus,
  ICalEventTransparency,
} from "ical-generator";
import type { LineConfig, WindowRangeConfig } from "./config/schema.js";
import type { Train } from "./model.js";
import { DAY_MS, MINUTE_MS, parseLocalDateTime, parseTimeOfDay, WEEKDAYS } from "./recurrence/local-time.js";
import { formatInstantIn, type ZoneRules, zoneRules } from "./recurrence/zone.js";
import type { DepartureTimes, Timetable } from "./timetable.js";

/** How long a departure event lasts in a calendar. */
export const DEPARTURE_EVENT_MS = 30 * MINUTE_MS;
/** How long a cut-off ("boarding closes") event lasts in a calendar. */
export const CUTOFF_EVENT_MS = 15 * MINUTE_MS;
/** How long before a cut-off its reminder goes off. */
export const CUTOFF_ALARM_BEFORE_MS = 60 * MINUTE_MS;
/**
 * How far past the feed's end departures are looked at, so a cut-off inside the range is shown
 * even when its departure is after it (business-day cut-offs reach up to 60 business days back).
 */
const CUTOFF_LOOKAHEAD_MS = 90 * DAY_MS;
/** How far back the VTIMEZONE looks for the transition in force where the feed's events begin. */
const ZONE_LOOKBACK_MS = 2 * 366 * DAY_MS;

/** What the feed needs of a train. */
export type FeedTrain = Pick<Train, "id" | "kind" | "state" | "reason" | "departureAt">;

/** One line of the feed. */
export interface CalendarFeedLine {
  /** The line's compiled timetable: departures, window and blackouts, zone. */
  timetable: Timetable;
  /** The line's configuration (components, window ranges, schedule start). */
  config: Pick<LineConfig, "components" | "window" | "schedule">;
  /** The line's trains, regular and hotfix, as the store has them (any order). */
  trains: readonly FeedTrain[];
}

export interface CalendarFeedInput {
  /** The calendar's name (`X-WR-CALNAME`), e.g. `Railyard` or `Railyard: web`. */
  name: string;
  lines: readonly CalendarFeedLine[];
  /** The feed covers events overlapping [fromMs, toMs). */
  fromMs: number;
  toMs: number;
}

export type FeedEventKind = "departure" | "cutoff" | "window" | "blackout" | "hotfix";

/** An event of the feed, decided but not written yet. */
export interface FeedEvent {
  uid: string;
  line: string;
  kind: FeedEventKind;
  /** Epoch milliseconds; for a recurring event, its first occurrence. */
  start: number;
  end: number;
  /** The TZID its times are written in; null writes them in UTC. */
  timezone: string | null;
  summary: string;
  description: string;
  status: "CONFIRMED" | "CANCELLED" | null;
  /** True for events that do not make anyone busy (windows, blackouts). */
  transparent: boolean;
  /** RRULE value (without `RRULE:`) of a recurring event, else null. */
  rrule: string | null;
  /** A display reminder this long before the start, else null. */
  alarmBeforeMs: number | null;
  /** Changes exactly when what a calendar shows of the event changes; the store raises SEQUENCE on it. */
  fingerprint: string;
}

/** The events of a feed and the span of time each zone's VTIMEZONE must cover. */
export interface CalendarFeedPlan {
  name: string;
  fromMs: number;
  toMs: number;
  /** In the order they are written; UIDs are unique. */
  events: FeedEvent[];
}

const UTC_NAMES = /^(Etc\/)?(UTC|UCT|GMT|Zulu|Universal)$/;

const pad = (value: number, width = 2) => String(Math.abs(value)).padStart(width, "0");

/** `20260324T090000Z` */
export function utcStamp(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/**
 * A 64-bit FNV-1a hash of the text as 16 hex digits: a fingerprint, not a security measure.
 * Pure JavaScript so the domain needs no `node:crypto`.
 */
export function fingerprintOf(text: string): string {
  // Two 32-bit halves of the 64-bit state; prime 2^40 + 2^8 + 0xb3.
  let high = 0xcbf29ce4;
  let low = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    low = (low ^ text.charCodeAt(i)) >>> 0;
    const lowTimes = low * 0x1b3;
    const newLow = lowTimes >>> 0;
    const carry = Math.floor(lowTimes / 0x1_0000_0000);
    high = (Math.imul(high, 0x1b3) + Math.imul(low, 0x100) + carry) >>> 0;
    low = newLow;
  }
  return high.toString(16).padStart(8, "0") + low.toString(16).padStart(8, "0");
}

/** `2026-03-24 10:00 (UTC+01:00)`: an instant as the line's local time, with its offset. */
function localText(zone: ZoneRules, epochMs: number): string {
  const text = formatInstantIn(zone, epochMs);
  const seconds = text.slice(17, 19) === "00" ? "" : text.slice(16, 19);
  return `${text.slice(0, 10)} ${text.slice(11, 16)}${seconds} (UTC${text.slice(19)})`;
}

/** `2026-03-24 10:00–16:00 (UTC+01:00)`, or both ends in full when they differ in day or offset. */
function spanText(zone: ZoneRules, startMs: number, endMs: number): string {
  const start = localText(zone, startMs);
  const end = localText(zone, endMs);
  const offset = (text: string) => text.slice(text.indexOf("("));
  if (start.slice(0, 10) === end.slice(0, 10) && offset(start) === offset(end)) {
    return `${start.slice(0, start.indexOf(" ("))}–${end.slice(11)}`;
  }
  return `${start} – ${end}`;
}

/**
 * True when the instant's local time names only this instant: not the first or second pass of a
 * fall-back fold. Such times are written with a TZID; others in UTC.
 */
function hasUniqueWall(zone: ZoneRules, epochMs: number): boolean {
  const wall = zone.toWall(epochMs);
  if (zone.toInstant(wall) !== epochMs) return false;
  for (const offset of [zone.offsetMs(epochMs - DAY_MS), zone.offsetMs(epochMs + DAY_MS)]) {
    const other = wall - offset;
    if (other !== epochMs && zone.toWall(other) === wall) return false;
  }
  return true;
}

/** The TZID to write an event's times in: the line's zone unless UTC is the only exact form. */
function timezoneFor(name: string, zone: ZoneRules, startMs: number, endMs: number): string | null {
  if (UTC_NAMES.test(name)) return null;
  return hasUniqueWall(zone, startMs) && hasUniqueWall(zone, endMs) ? name : null;
}

const words = (state: string) => state.replaceAll("_", " ");

/** Windows first, then blackouts, then train events by time. */
const KIND_ORDER: Record<FeedEventKind, number> = {
  window: 0,
  blackout: 1,
  departure: 2,
  cutoff: 2,
  hotfix: 2,
};

/** Builds the feed's events; see {@link renderCalendarFeed} for the text. */
export function planCalendarFeed(input: CalendarFeedInput): CalendarFeedPlan {
  const events: FeedEvent[] = [];
  const seen = new Set<string>();
  const add = (event: Omit<FeedEvent, "fingerprint">) => {
    if (seen.has(event.uid)) return;
    seen.add(event.uid);
    events.push({ ...event, fingerprint: fingerprint(event) });
  };
  for (const line of input.lines) {
    const lineEvents: Array<Omit<FeedEvent, "fingerprint">> = [];
    lineEvents.push(...windowEvents(line, input.toMs));
    lineEvents.push(...blackoutEvents(line, input.fromMs, input.toMs));
    lineEvents.push(...departureEvents(line, input.fromMs, input.toMs));
    lineEvents.push(...hotfixEvents(line, input.fromMs, input.toMs));
    lineEvents
      .sort(
        (a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.start - b.start || (a.uid < b.uid ? -1 : 1),
      )
      .forEach(add);
  }
  return { name: input.name, fromMs: input.fromMs, toMs: input.toMs, events };
}

function fingerprint(event: Omit<FeedEvent, "fingerprint">): string {
  // UNTIL follows the feed's range, which moves with the clock; the rest of the rule is content.
  const rule = event.rrule?.replace(/;?UNTIL=[^;]*/, "") ?? "";
  return fingerprintOf(
    [
      new Date(event.start).toISOString(),
      new Date(event.end).toISOString(),
      event.status ?? "",
      event.summary,
      event.description,
      rule,
    ].join("\u0000"),
  );
}

function departureEvents(
  line: CalendarFeedLine,
  fromMs: number,
  toMs: number,
): Array<Omit<FeedEvent, "fingerprint">> {
  const { timetable } = line;
  const name = timetable.line;
  const zone = zoneRules(timetable.timezone);
  const regular = new Map(line.trains.filter((t) => t.kind === "scheduled").map((t) => [t.id, t]));
  const components = [...line.config.components].join(", ");
  const out: Array<Omit<FeedEvent, "fingerprint">> = [];
  for (const departure of timetable.timesBetween(fromMs, toMs + CUTOFF_LOOKAHEAD_MS)) {
    const inRange = departure.departureAt < toMs;
    const cutoffInRange = departure.cutoffAt < toMs && departure.cutoffAt + CUTOFF_EVENT_MS > fromMs;
    if (!inRange && !cutoffInRange) continue;
    const id = `${name}-${departure.number}`;
    const train = regular.get(id);
    const cancelled =
      departure.status === "skipped" || train?.state === "skipped" || train?.state === "aborted";
    const status = cancelled ? "CANCELLED" : "CONFIRMED";
    const uid = `${name}-${utcStamp(departure.scheduledAt)}`;
    const details = departureDetails(departure, zone, timetable, train, components);
    if (inRange) {
      const end = departure.departureAt + DEPARTURE_EVENT_MS;
      out.push({
        uid: `${uid}@railyard`,
        line: name,
        kind: "departure",
        start: departure.departureAt,
        end,
        timezone: timezoneFor(timetable.timezone, zone, departure.departureAt, end),
        summary:
          departure.status === "scheduled"
            ? `${id} departs`
            : `${id} departs (${departure.status}: ${departure.reason ?? "blackout"})`,
        description: [`Train ${id} of line ${name} departs.`, ...details].join("\n"),
        status,
        transparent: false,
        rrule: null,
        alarmBeforeMs: null,
      });
    }
    const cutoffEnd = departure.cutoffAt + CUTOFF_EVENT_MS;
    out.push({
      uid: `${uid}-cutoff@railyard`,
      line: name,
      kind: "cutoff",
      start: departure.cutoffAt,
      end: cutoffEnd,
      timezone: timezoneFor(timetable.timezone, zone, departure.cutoffAt, cutoffEnd),
      summary: `${id} boarding closes`,
      description: [
        `Boarding of train ${id} (line ${name}) closes: artifacts pushed later ride the next train.`,
        ...details,
      ].join("\n"),
      status,
      transparent: false,
      rrule: null,
      alarmBeforeMs: cancelled ? null : CUTOFF_ALARM_BEFORE_MS,
    });
  }
  return out;
}

function departureDetails(
  departure: DepartureTimes,
  zone: ZoneRules,
  timetable: Timetable,
  train: FeedTrain | undefined,
  components: string,
): string[] {
  const lines: string[] = [];
  switch (departure.status) {
    case "scheduled":
      lines.push(`Departure: ${localText(zone, departure.departureAt)}, ${timetable.timezone}.`);
      break;
    case "shifted":
      lines.push(
        `Departure: ${localText(zone, departure.departureAt)}, ${timetable.timezone}; shifted from ${localText(zone, departure.scheduledAt)} by ${departure.reason ?? "a blackout"}.`,
      );
      break;
    case "skipped":
      lines.push(
        `Skipped (was ${localText(zone, departure.scheduledAt)}, ${timetable.timezone}): ${departure.reason ?? "a blackout"}.`,
      );
      break;
    default: {
      const unknown: never = departure.status;
      throw new Error(`unknown departure status ${String(unknown)}`);
    }
  }
  lines.push(`Cut-off: ${localText(zone, departure.cutoffAt)}.`);
  if (departure.windowStart !== null && departure.windowEnd !== null) {
    lines.push(`Window: ${spanText(zone, departure.windowStart, departure.windowEnd)}.`);
  } else if (timetable.rules.window === null) {
    lines.push("Window: none (production deployments may start any time).");
  } else {
    lines.push("Window: none opens within 370 days.");
  }
  lines.push(`Components: ${components}.`);
  if (train) {
    lines.push(`Train state: ${words(train.state)}${train.reason ? ` (${train.reason})` : ""}.`);
  }
  return lines;
}

function hotfixEvents(
  line: CalendarFeedLine,
  fromMs: number,
  toMs: number,
): Array<Omit<FeedEvent, "fingerprint">> {
  const { timetable } = line;
  const zone = zoneRules(timetable.timezone);
  const components = [...line.config.components].join(", ");
  const out: Array<Omit<FeedEvent, "fingerprint">> = [];
  for (const train of line.trains) {
    if (train.kind !== "hotfix") continue;
    const start = Date.parse(train.departureAt);
    if (!(start >= fromMs && start < toMs)) continue;
    const end = start + DEPARTURE_EVENT_MS;
    out.push({
      uid: `${train.id}@railyard`,
      line: timetable.line,
      kind: "hotfix",
      start,
      end,
      timezone: timezoneFor(timetable.timezone, zone, start, end),
      summary: `${train.id} departs (hotfix)`,
      description: [
        `Hotfix train ${train.id} of line ${timetable.line} departs.`,
        `Departure: ${localText(zone, start)}, ${timetable.timezone}.`,
        `Components: ${components}.`,
        `Train state: ${words(train.state)}${train.reason ? ` (${train.reason})` : ""}.`,
      ].join("\n"),
      status: train.state === "skipped" || train.state === "aborted" ? "CANCELLED" : "CONFIRMED",
      transparent: false,
      rrule: null,
      alarmBeforeMs: null,
    });
  }
  return out;
}

function blackoutEvents(
  line: CalendarFeedLine,
  fromMs: number,
  toMs: number,
): Array<Omit<FeedEvent, "fingerprint">> {
  const { timetable } = line;
  const zone = zoneRules(timetable.timezone);
  return timetable.rules.blackoutsBetween(fromMs, toMs).map((blackout) => {
    const what =
      blackout.environments === null
        ? `Deployments of line ${timetable.line} may not start.`
        : `Deployments of line ${timetable.line} to ${blackout.environments.join(", ")} may not start.`;
    return {
      uid: `${timetable.line}-blackout-${blackout.name}-${utcStamp(blackout.start)}@railyard`,
      line: timetable.line,
      kind: "blackout" as const,
      start: blackout.start,
      end: blackout.end,
      timezone: timezoneFor(timetable.timezone, zone, blackout.start, blackout.end),
      summary: `Blackout ${blackout.name}: ${blackout.reason}`,
      description: [
        what,
        `From ${localText(zone, blackout.start)} to ${localText(zone, blackout.end)}, ${timetable.timezone}.`,
        `Exceptions may be granted by: ${blackout.exceptionRoles.join(", ")}.`,
      ].join("\n"),
      status: "CONFIRMED" as const,
      transparent: true,
      rrule: null,
      alarmBeforeMs: null,
    };
  });
}

/**
 * One recurring event per window range, from the first day on or after the schedule's start that
 * the range applies to (a fixed anchor, so the event does not change from one fetch to the next)
 * until the feed's end.
 */
function windowEvents(line: CalendarFeedLine, toMs: number): Array<Omit<FeedEvent, "fingerprint">> {
  const { timetable } = line;
  const ranges = line.config.window;
  if (!ranges) return [];
  const name = timetable.timezone;
  const zone = zoneRules(name);
  const anchorDay = Math.floor(parseLocalDateTime(line.config.schedule.start) / DAY_MS);
  const out: Array<Omit<FeedEvent, "fingerprint">> = [];
  ranges.forEach((range, index) => {
    const first = firstWindowOccurrence(range, zone, anchorDay);
    if (!first || first.start >= toMs) return;
    const days = range.days
      ? [...range.days].sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b))
      : null;
    const fromText = range.from ?? "00:00";
    const toText = range.to ?? "24:00";
    const rrule = `${days ? `FREQ=WEEKLY;BYDAY=${days.join(",")}` : "FREQ=DAILY"};UNTIL=${utcStamp(toMs)}`;
    const when = `${days ? days.join(", ") : "every day"}, ${fromText}–${toText} ${name}`;
    out.push({
      uid: `${timetable.line}-window-${index}@railyard`,
      line: timetable.line,
      kind: "window",
      start: first.start,
      end: first.end,
      timezone: UTC_NAMES.test(name) ? null : name,
      summary: `${timetable.line} deployment window`,
      description: [
        `Production deployments of line ${timetable.line} may start ${when}.`,
        "A train outside its window waits, paused with reason `outside window`, until the next range opens.",
      ].join("\n"),
      status: "CONFIRMED",
      transparent: true,
      rrule,
      alarmBeforeMs: null,
    });
  });
  return out;
}

/** The range's first occurrence on or after the day whose local times exist once and are in order. */
function firstWindowOccurrence(
  range: WindowRangeConfig,
  zone: ZoneRules,
  anchorDay: number,
): { start: number; end: number } | null {
  const from = parseTimeOfDay(range.from ?? "00:00");
  const to = parseTimeOfDay(range.to ?? "24:00");
  // A year of days always contains a plain one: DST changes are twice a year at most.
  for (let day = anchorDay; day < anchorDay + 366; day++) {
    const weekday = WEEKDAYS[(((day + 3) % 7) + 7) % 7]!;
    if (range.days && !range.days.includes(weekday)) continue;
    const start = zone.toInstant(day * DAY_MS + from);
    const end = zone.toInstant(day * DAY_MS + to);
    if (end > start && hasUniqueWall(zone, start) && hasUniqueWall(zone, end)) return { start, end };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// VTIMEZONE

/** `+0100`, `-0500`, or `+005328` for offsets with seconds. */
function offsetText(offsetMs: number): string {
  const sign = offsetMs < 0 ? "-" : "+";
  const total = Math.abs(Math.round(offsetMs / 1000));
  const seconds = total % 60;
  return `${sign}${pad(Math.floor(total / 3600))}${pad(Math.floor(total / 60) % 60)}${seconds ? pad(seconds) : ""}`;
}

/** `20260329T020000`: a wall time as an iCalendar local date-time. */
function wallStamp(wall: number): string {
  return utcStamp(wall).slice(0, -1);
}

const abbreviations = new Map<string, string | null>();
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The zone's abbreviation at an instant (`CET`, `EDT`) when Intl knows a real one; `GMT+1`-style
 * names are left out, as RFC 5545 allows.
 */
function abbreviation(zone: string, epochMs: number): string | null {
  const key = `${zone}@${epochMs}`;
  if (abbreviations.has(key)) return abbreviations.get(key)!;
  let found: string | null = null;
  for (const locale of ["en-US", "en-GB"]) {
    let formatter = formatters.get(`${locale}/${zone}`);
    if (!formatter) {
      formatter = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: "short" });
      formatters.set(`${locale}/${zone}`, formatter);
    }
    const part = formatter.formatToParts(new Date(epochMs)).find((p) => p.type === "timeZoneName")?.value;
    if (part && /^[A-Z]{2,5}$/.test(part) && part !== "GMT") {
      found = part;
      break;
    }
  }
  abbreviations.set(key, found);
  return found;
}

/**
 * A VTIMEZONE for `name` that is exact over [fromMs, toMs]: the observance in force at `fromMs`,
 * then one STANDARD or DAYLIGHT observance (DTSTART as local time before the change,
 * TZOFFSETFROM, TZOFFSETTO, TZNAME when known) per UTC-offset transition up to `toMs`.
 * An observance that raises the offset is DAYLIGHT, one that lowers it STANDARD.
 */
export function vtimezone(name: string, fromMs: number, toMs: number): string {
  const zone = zoneRules(name);
  const lines = ["BEGIN:VTIMEZONE", `TZID:${name}`, `X-LIC-LOCATION:${name}`];
  const observance = (
    kind: "STANDARD" | "DAYLIGHT",
    onsetWall: number,
    before: number,
    after: number,
    at: number,
  ) => {
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${wallStamp(onsetWall)}`,
      `TZOFFSETFROM:${offsetText(before)}`,
      `TZOFFSETTO:${offsetText(after)}`,
    );
    const abbreviated = abbreviation(name, at);
    if (abbreviated) lines.push(`TZNAME:${abbreviated}`);
    lines.push(`END:${kind}`);
  };
  const kindOf = (before: number, after: number) => (after > before ? "DAYLIGHT" : "STANDARD");
  const inRange = zone.transitions(fromMs + 1, toMs + 1);
  const previous = zone.transitions(fromMs - ZONE_LOOKBACK_MS, fromMs + 1).at(-1);
  if (previous) {
    observance(
      kindOf(previous.offsetBeforeMs, previous.offsetAfterMs),
      previous.at + previous.offsetBeforeMs,
      previous.offsetBeforeMs,
      previous.offsetAfterMs,
      previous.at,
    );
  } else {
    // No change in the last two years: one observance in force from a day before the feed needs it.
    const offset = zone.offsetMs(fromMs);
    const next = inRange[0];
    const kind = next && next.offsetAfterMs < offset ? "DAYLIGHT" : "STANDARD";
    observance(kind, Math.floor((fromMs + offset) / DAY_MS - 1) * DAY_MS, offset, offset, fromMs);
  }
  for (const t of inRange) {
    observance(
      kindOf(t.offsetBeforeMs, t.offsetAfterMs),
      t.at + t.offsetBeforeMs,
      t.offsetBeforeMs,
      t.offsetAfterMs,
      t.at,
    );
  }
  lines.push("END:VTIMEZONE");
  return lines.join("\r\n");
}

/** The span each zone's VTIMEZONE must cover: every event time written in it, and the feed's range. */
function zoneSpans(plan: CalendarFeedPlan): Map<string, { from: number; to: number }> {
  const spans = new Map<string, { from: number; to: number }>();
  for (const event of plan.events) {
    if (event.timezone === null) continue;
    const span = spans.get(event.timezone) ?? { from: plan.fromMs, to: plan.toMs };
    span.from = Math.min(span.from, event.start);
    span.to = Math.max(span.to, event.end);
    spans.set(event.timezone, span);
  }
  return spans;
}

// ---------------------------------------------------------------------------------------------
// Text

const END = "END:VCALENDAR";

/**
 * An instant as the day.js-style value ical-generator accepts, read in the zone by the same offset
 * table the VTIMEZONE is written from (ical-generator itself would read a `Date` in the server's
 * own zone, and Temporal's polyfill costs a millisecond per conversion).
 */
function zonedValue(zone: ZoneRules, epochMs: number): ICalDayJsStub {
  const stamp = wallStamp(zone.toWall(epochMs));
  const value: ICalDayJsStub = {
    format(pattern) {
      if (pattern === "YYYYMMDD") return stamp.slice(0, 8);
      if (pattern === "HHmmss") return stamp.slice(9);
      throw new Error(`unexpected date format ${pattern} asked by ical-generator`);
    },
    isValid: () => true,
    toDate: () => new Date(epochMs),
    toJSON: () => new Date(epochMs).toISOString(),
    tz: () => value,
  };
  return value;
}

/** UTF-8 length of a code point. */
const octets = (codePoint: number) =>
  codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;

/**
 * Folds content lines longer than 75 octets (RFC 5545 section 3.1) without splitting a character.
 * ical-generator's own folding encodes every character separately, which costs seconds on a large
 * feed; this one passes short ASCII lines through untouched.
 */
export function foldContentLines(text: string): string {
  return text
    .split("\r\n")
    .map((line) => {
      if (line.length <= 75 && !/[\u0080-\uffff]/.test(line)) return line;
      let out = "";
      let used = 0;
      for (const char of line) {
        const size = octets(char.codePointAt(0)!);
        if (used + size > 75) {
          out += "\r\n ";
          used = 1;
        }
        out += char;
        used += size;
      }
      return out;
    })
    .join("\r\n");
}

/**
 * Writes the feed as iCalendar text: the calendar's properties and VEVENTs by ical-generator, one
 * VTIMEZONE per TZID the events use by {@link vtimezone}.
 * @param sequences each event's SEQUENCE by UID (missing: 0).
 * @param nowMs DTSTAMP and LAST-MODIFIED of every event.
 */
export function renderCalendarFeed(
  plan: CalendarFeedPlan,
  sequences: ReadonlyMap<string, number>,
  nowMs: number,
): string {
  // No calendar-wide zone: X-WR-TIMEZONE would make some clients re-read the UTC times.
  const calendar = ical({
    name: plan.name,
    prodId: { company: "railyard", product: "calendar-feed", language: "EN" },
    method: ICalCalendarMethod.PUBLISH,
    ttl: 60 * 60,
  });
  // The envelope is written before any event is added, so ical-generator folds only its few lines.
  const envelope = calendar.toString();
  if (!envelope.endsWith(END)) throw new Error(`ical-generator wrote no ${END}`);
  const now = new Date(nowMs);
  const time = (epochMs: number, timezone: string | null) =>
    timezone === null ? new Date(epochMs) : zonedValue(zoneRules(timezone), epochMs);
  const parts: string[] = [];
  for (const [zone, span] of zoneSpans(plan)) parts.push(`${vtimezone(zone, span.from, span.to)}\r\n`);
  for (const event of plan.events) {
    const created = calendar.createEvent({
      id: event.uid,
      sequence: sequences.get(event.uid) ?? 0,
      stamp: now,
      lastModified: now,
      start: time(event.start, event.timezone),
      end: time(event.end, event.timezone),
      timezone: event.timezone,
      summary: event.summary,
      description: event.description,
      ...(event.status === null
        ? {}
        : { status: event.status === "CANCELLED" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED }),
      ...(event.transparent ? { transparency: ICalEventTransparency.TRANSPARENT } : {}),
      ...(event.rrule === null ? {} : { repeating: `RRULE:${event.rrule}` }),
      ...(event.alarmBeforeMs === null
        ? {}
        : {
            alarms: [
              {
                type: ICalAlarmType.display,
                triggerBefore: event.alarmBeforeMs / 1000,
                description: event.summary,
              },
            ],
          }),
    });
    parts.push(created.toString());
  }
  return `${envelope.slice(0, -END.length)}${foldContentLines(parts.join(""))}${END}\r\n`;
}
