/**
 * The calendar's days in the viewer's time zone (weeks start on Monday) and the range of time a
 * calendar URL shows: the view reads it to draw, the route prefetcher to ask for the same
 * timetable before the view's code has arrived. Kept apart from the calendar's other helpers so
 * the app's shell carries only these.
 */

/** Local midnight of the day holding `at`. */
export function startOfDay(at: number | Date): Date {
  const d = new Date(at);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}
/** The same local day `n` days later (DST-safe: by calendar, not by 24 h). */
export function addDays(d: Date, n: number): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);
}
/** The Monday of the week holding `d`. */
export function startOfWeek(d: Date): Date {
  return addDays(startOfDay(d), -((d.getDay() + 6) % 7));
}
const pad = (n: number) => String(n).padStart(2, "0");
/** `2026-03-09` for the local day of `d`. */
export function dayKey(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
/** The local day a `YYYY-MM-DD` key names, or null. */
export function parseDayKey(text: string | null): Date | null {
  const match = text ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null;
  if (!match) return null;
  const d = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(d.getTime()) ? null : d;
}

export type CalendarMode = "month" | "week";

/** The days a view shows: whole weeks around the month, or the week of `anchor`. */
export function viewRange(mode: CalendarMode, anchor: Date): { start: Date; end: Date; days: Date[] } {
  let start: Date;
  let end: Date;
  if (mode === "week") {
    start = startOfWeek(anchor);
    end = addDays(start, 7);
  } else {
    start = startOfWeek(new Date(anchor.getFullYear(), anchor.getMonth(), 1));
    end = addDays(startOfWeek(new Date(anchor.getFullYear(), anchor.getMonth() + 1, 0)), 7);
  }
  const days: Date[] = [];
  for (let d = start; d < end; d = addDays(d, 1)) days.push(d);
  return { start, end, days };
}

/** How far past the shown range departures are read, so a cut-off days before its departure shows. */
export const CUTOFF_REACH_DAYS = 14;

/** The days a calendar view shows, and the instants its queries ask for. */
export interface CalendarWindow {
  range: { start: Date; end: Date; days: Date[] };
  /** The timetable's spans are read over [from, to). */
  from: string;
  to: string;
  /** Departures are read up to here: {@link CUTOFF_REACH_DAYS} past `to`. */
  readTo: string;
}

/** The calendar's mode and anchor day from its URL's `view` and `date`, `now` on the server's clock. */
export function calendarAnchor(params: URLSearchParams, now: number): { mode: CalendarMode; anchor: Date } {
  return {
    mode: params.get("view") === "week" ? "week" : "month",
    anchor: parseDayKey(params.get("date")) ?? startOfDay(now),
  };
}

/** The range `mode` shows around `anchor`, with the instants its queries ask for. */
export function calendarWindow(mode: CalendarMode, anchor: Date): CalendarWindow {
  const range = viewRange(mode, anchor);
  return {
    range,
    from: range.start.toISOString(),
    to: range.end.toISOString(),
    readTo: addDays(range.end, CUTOFF_REACH_DAYS).toISOString(),
  };
}
