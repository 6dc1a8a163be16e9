/**
 * The calendar's data and vocabulary: queries on the timetable, its windows and blackouts, the
 * lines and the configuration; date formats in the viewer's time zone (its days and ranges are in
 * `../api/calendar-range`); each line's colour; schedules, cut-off rules and windows in words.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { LineSummary, Schemas, TimetableDeparture, Train } from "../api/client";
import { configQuery, linesQuery, recentTrainsQuery, spansQuery, timetableQuery } from "../api/queries";

export type { Spans } from "../api/queries";
export type BlackoutSpan = Schemas["BlackoutSpan"];
export type WindowSpan = Schemas["WindowSpan"];

/** The parts of `GET /api/v1/config` the calendar reads (the answer's `config` is untyped). */
export interface PersonConfig {
  name: string;
  email?: string;
  roles?: string[];
}
export interface WindowRangeConfig {
  days?: string[];
  from?: string;
  to?: string;
}
export interface BlackoutConfig {
  name: string;
  reason: string;
  environments?: string[];
  timezone?: string;
  exceptionRoles?: string[];
  from?: string;
  to?: string;
  rrule?: string;
  start?: string;
  duration?: string;
  calendar?: string;
}
export interface LineConfig {
  description?: string;
  components?: string[];
  window?: WindowRangeConfig[];
  blackouts?: BlackoutConfig[];
  onBlackout?: string;
  schedule?: { timezone?: string };
}
export interface ConfigView {
  source: string;
  hash: string;
  teams: Record<string, { description?: string; members?: PersonConfig[] }>;
  users: PersonConfig[];
  components: Record<string, { team?: string; description?: string }>;
  lines: Record<string, LineConfig>;
  blackouts: BlackoutConfig[];
}

function record<T>(value: unknown): Record<string, T> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, T>) : {};
}
function list<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/** The configuration in force (GET /api/v1/config), read defensively into {@link ConfigView}. */
export function useConfig() {
  return useQuery({
    ...configQuery,
    select: (answer): ConfigView => ({
      source: answer.source,
      hash: answer.hash,
      teams: record(answer.config.teams),
      users: list(answer.config.users),
      components: record(answer.config.components),
      lines: record(answer.config.lines),
      blackouts: list(answer.config.blackouts),
    }),
  });
}

/** Lines with their next departures and active trains (GET /api/v1/lines). */
export function useLines() {
  return useQuery(linesQuery);
}

/** Departures of every line in [from, to), the previous range's kept on screen while it loads. */
export function useTimetable(from: string, to: string) {
  return useQuery({ ...timetableQuery(from, to), placeholderData: keepPreviousData });
}

/** Windows and blackout occurrences in [from, to) (`null` from a server without the route). */
export function useSpans(from: string, to: string) {
  return useQuery({ ...spansQuery(from, to), placeholderData: keepPreviousData });
}

/** The newest trains (GET /api/v1/trains), to link departures to the trains that exist. */
export function useRecentTrains() {
  return useQuery(recentTrainsQuery);
}

export type { LineSummary, TimetableDeparture, Train };

export const monthTitle = new Intl.DateTimeFormat(undefined, { month: "long", year: "numeric" });
export const dayTitle = new Intl.DateTimeFormat(undefined, {
  weekday: "long",
  day: "numeric",
  month: "long",
});
export const shortDay = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  day: "numeric",
  month: "short",
});
export const weekdayShort = new Intl.DateTimeFormat(undefined, { weekday: "short" });
export const weekdayLong = new Intl.DateTimeFormat(undefined, { weekday: "long" });
export const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
/** The viewer's IANA time zone, which every time on the page is shown in. */
export const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Whether [start, end) overlaps [from, to). */
export function overlaps(start: number, end: number, from: number, to: number): boolean {
  return start < to && end > from;
}

// Lines ----------------------------------------------------------------------------------------

/** Each line's colour slot (1–4, the chart colours), in configuration order. */
export function lineSlots(names: readonly string[]): Map<string, number> {
  return new Map(names.map((name, index) => [name, (index % 4) + 1]));
}

/** A blackout occurrence with every line it stops (a global blackout is listed once per line). */
export interface MergedBlackout extends Omit<BlackoutSpan, "line"> {
  key: string;
  lines: string[];
  startMs: number;
  endMs: number;
}

/** Blackout occurrences merged across lines, only those stopping one of `shown` lines. */
export function mergeBlackouts(spans: readonly BlackoutSpan[], shown: ReadonlySet<string>): MergedBlackout[] {
  const merged = new Map<string, MergedBlackout>();
  for (const span of spans) {
    if (!shown.has(span.line)) continue;
    const key = `${span.name}|${span.start}|${span.end}`;
    const found = merged.get(key);
    if (found) found.lines.push(span.line);
    else {
      const { line, ...rest } = span;
      merged.set(key, {
        ...rest,
        key,
        lines: [line],
        startMs: Date.parse(span.start),
        endMs: Date.parse(span.end),
      });
    }
  }
  return [...merged.values()].sort((a, b) => a.startMs - b.startMs);
}

// Words --------------------------------------------------------------------------------------

const DAY_NAMES: Record<string, string> = {
  MO: "Monday",
  TU: "Tuesday",
  WE: "Wednesday",
  TH: "Thursday",
  FR: "Friday",
  SA: "Saturday",
  SU: "Sunday",
};
const DAY_ORDER = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
const ORDINALS: Record<string, string> = {
  "1": "first",
  "2": "second",
  "3": "third",
  "4": "fourth",
  "5": "fifth",
  "-1": "last",
  "-2": "second to last",
};
const UNITS: Record<string, [string, string]> = {
  YEARLY: ["year", "years"],
  MONTHLY: ["month", "months"],
  WEEKLY: ["week", "weeks"],
  DAILY: ["day", "days"],
  HOURLY: ["hour", "hours"],
  MINUTELY: ["minute", "minutes"],
};

function joinWords(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** Weekday codes as words, with runs as ranges: MO,TU,WE,TH → "Monday to Thursday". */
export function daysInWords(days: readonly string[] | undefined): string {
  if (!days || days.length === 0 || days.length === 7) return "every day";
  const sorted = [...days].sort((a, b) => DAY_ORDER.indexOf(a) - DAY_ORDER.indexOf(b));
  const indexes = sorted.map((d) => DAY_ORDER.indexOf(d));
  const consecutive = indexes.every((v, i) => i === 0 || v === (indexes[i - 1] ?? -2) + 1);
  if (consecutive && sorted.length >= 3) {
    return `${DAY_NAMES[sorted[0]!] ?? sorted[0]} to ${DAY_NAMES[sorted.at(-1)!] ?? sorted.at(-1)}`;
  }
  return joinWords(sorted.map((d) => DAY_NAMES[d] ?? d));
}

/**
 * An RRULE in words ("every Tuesday", "every 2 weeks on Monday", "every month on the first
 * Monday"), or null when it uses parts this does not describe (then show the rule itself).
 */
export function rruleInWords(rrule: string): string | null {
  const parts = new Map<string, string>();
  for (const part of rrule.replace(/^RRULE:/i, "").split(";")) {
    const [key, value] = part.split("=");
    if (key && value) parts.set(key.toUpperCase(), value.toUpperCase());
  }
  const freq = parts.get("FREQ");
  const unit = freq ? UNITS[freq] : undefined;
  if (!unit) return null;
  const known = new Set(["FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL", "WKST"]);
  if ([...parts.keys()].some((key) => !known.has(key))) return null;
  const interval = Number(parts.get("INTERVAL") ?? "1");
  let text = interval > 1 ? `every ${interval} ${unit[1]}` : `every ${unit[0]}`;
  const byDay = parts.get("BYDAY")?.split(",");
  if (byDay) {
    const plain = byDay.every((d) => DAY_NAMES[d]);
    if (freq === "WEEKLY" && plain && interval === 1) text = `every ${daysInWords(byDay)}`;
    else if (plain) text += ` on ${daysInWords(byDay)}`;
    else {
      const described = byDay.map((d) => {
        const match = /^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$/.exec(d);
        if (!match) return null;
        const ordinal = match[1] ? ORDINALS[match[1].replace("+", "")] : undefined;
        return `${ordinal ? `the ${ordinal} ` : ""}${DAY_NAMES[match[2]!]}`;
      });
      if (described.some((d) => d === null)) return null;
      text += ` on ${joinWords(described as string[])}`;
    }
  }
  const byMonthDay = parts.get("BYMONTHDAY");
  if (byMonthDay) text += ` on day ${byMonthDay.split(",").join(", ")}`;
  const count = parts.get("COUNT");
  if (count) text += `, ${count} times`;
  const until = parts.get("UNTIL");
  if (until) text += `, until ${until.slice(0, 4)}-${until.slice(4, 6)}-${until.slice(6, 8)}`;
  return text;
}

/** "20h before departure" or "2 business days before, at 13:00" (the line's zone). */
export function cutoffInWords(cutoff: LineSummary["schedule"]["cutoff"]): string {
  if (typeof cutoff === "string") return `${cutoff} before each departure`;
  const days = cutoff.businessDays === 1 ? "1 business day" : `${cutoff.businessDays} business days`;
  return `${days} before each departure, at ${cutoff.at}`;
}

/** A line's deployment window in words, or that it has none. */
export function windowInWords(ranges: readonly WindowRangeConfig[] | undefined, zone: string): string {
  if (!ranges || ranges.length === 0) return "any time (no window)";
  return `${ranges
    .map((r) => `${daysInWords(r.days)} ${r.from ?? "00:00"}–${r.to ?? "24:00"}`)
    .join("; ")} (${zone})`;
}

/** When a configured blackout applies, in words (one-off, recurring or a holiday calendar). */
export function blackoutRuleInWords(b: BlackoutConfig): string {
  if (b.rrule) {
    const words = rruleInWords(b.rrule);
    return `${words ?? b.rrule}, from ${(b.start ?? "?").replace("T", " ")}, ${b.duration ?? "?"} each`;
  }
  if (b.calendar) return `every date of the “${b.calendar}” calendar`;
  return `${b.from ?? "?"} to ${b.to ?? "?"}`;
}
