/**
 * Wall-clock (local, "floating") date-times as plain numbers: milliseconds since
 * 1970-01-01T00:00 of a calendar that has no time zone. Recurrence rules are expanded on wall
 * time (RFC 5545 expands in the start's local time), and a {@link ZoneRules} turns the result into
 * instants. Integer arithmetic only: expanding ten years of departures must not allocate per day.
 *
 * `Date.UTC` and `getUTC*` are used purely as a proleptic Gregorian calendar; no clock is read.
 */

/** Milliseconds since 1970-01-01T00:00 on the wall clock (no zone). */
export type WallMs = number;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Weekdays in RFC 5545 order of `WKST` default: MO = 0 … SU = 6. */
export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface CivilDateTime {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Monday … 6 = Sunday */
  weekday: number;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The wall time of a calendar date and time. Months and days out of range roll over. */
export function wallFrom(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): WallMs {
  const ms = Date.UTC(2000, month - 1, day, hour, minute, second);
  // Date.UTC maps years 0–99 to 1900–1999; set the year separately.
  const date = new Date(ms);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

function checkedWall(parts: number[], text: string): WallMs {
  const [year, month, day, hour = 0, minute = 0, second = 0] = parts as [number, number, number, ...number[]];
  const wall = wallFrom(year, month, day, hour, minute, second);
  const back = civil(wall);
  if (
    back.year !== year ||
    back.month !== month ||
    back.day !== day ||
    back.hour !== hour ||
    back.minute !== minute ||
    back.second !== second
  ) {
    throw new RangeError(`"${text}" names a day or time that does not exist`);
  }
  return wall;
}

/**
 * Parses `2026-01-06T10:00` or `2026-01-06T10:00:30`.
 * @throws {RangeError} when the text is not such a date-time or names a day that does not exist.
 */
export function parseLocalDateTime(text: string): WallMs {
  const match = LOCAL_DATE_TIME.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a local date-time such as 2026-01-06T10:00`);
  return checkedWall(
    match
      .slice(1)
      .filter((p) => p !== undefined)
      .map(Number),
    text,
  );
}

/**
 * Parses `2026-01-06` to its midnight.
 * @throws {RangeError} when the text is not such a date or names a day that does not exist.
 */
export function parseLocalDate(text: string): WallMs {
  const match = LOCAL_DATE.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a date such as 2026-12-24`);
  return checkedWall(match.slice(1).map(Number), text);
}

/** True for text {@link parseLocalDate} accepts. */
export function isLocalDate(text: string): boolean {
  return LOCAL_DATE.test(text);
}

/** The calendar fields of a wall time. */
export function civil(wall: WallMs): CivilDateTime {
  const date = new Date(wall);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    weekday: (date.getUTCDay() + 6) % 7,
  };
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayOf(wall: WallMs): number {
  // 1970-01-01 was a Thursday (3).
  return (((Math.floor(wall / DAY_MS) + 3) % 7) + 7) % 7;
}

/** Midnight of the wall time's day. */
export function startOfDay(wall: WallMs): WallMs {
  return Math.floor(wall / DAY_MS) * DAY_MS;
}

/** Milliseconds since the wall time's midnight. */
export function timeOfDay(wall: WallMs): number {
  return wall - startOfDay(wall);
}

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** `2026-01-06T10:00:00` */
export function formatLocalDateTime(wall: WallMs): string {
  const c = civil(wall);
  return `${pad(c.year, 4)}-${pad(c.month)}-${pad(c.day)}T${pad(c.hour)}:${pad(c.minute)}:${pad(c.second)}`;
}

/** `2026-01-06` */
export function formatLocalDate(wall: WallMs): string {
  const c = civil(wall);
  return `${pad(c.year, 4)}-${pad(c.month)}-${pad(c.day)}`;
}

/**
 * Parses a time of day `HH:MM` (00:00–24:00) to milliseconds after midnight.
 * @throws {RangeError} for anything else.
 */
export function parseTimeOfDay(text: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  const hour = match ? Number(match[1]) : Number.NaN;
  const minute = match ? Number(match[2]) : Number.NaN;
  if (!match || hour > 24 || minute > 59 || (hour === 24 && minute !== 0)) {
    throw new RangeError(`"${text}" is not a time of day such as 09:30 (00:00 to 24:00)`);
  }
  return hour * HOUR_MS + minute * MINUTE_MS;
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));

const MIN_FORMATTED = Date.parse("0000-01-01T00:00:00.000Z");
const MAX_FORMATTED = Date.parse("9999-12-31T23:59:59.999Z");

/** `YYYY-MM-DDT` of recent day numbers, and `HH:MM:00.000Z` of each minute of a day. */
const dayPrefixes = new Map<number, string>();
const minuteSuffixes: string[] = [];

/** A calendar date's fields, filled in place by {@link civilFromDays}. */
export interface CivilDateFields {
  year: number;
  month: number;
  day: number;
}

/**
 * Writes the calendar date of a day number (days since 1970-01-01) into `out`, without
 * allocating (H. Hinnant's civil-from-days algorithm).
 */
export function civilFromDays(days: number, out: CivilDateFields): void {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  out.day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  out.month = mp < 10 ? mp + 3 : mp - 9;
  out.year = yoe + era * 400 + (out.month <= 2 ? 1 : 0);
}

const scratch: CivilDateFields = { year: 0, month: 0, day: 0 };

function dayPrefix(days: number): string {
  let prefix = dayPrefixes.get(days);
  if (prefix === undefined) {
    civilFromDays(days, scratch);
    const { year, month, day } = scratch;
    prefix = `${TWO_DIGITS[Math.floor(year / 100)]}${TWO_DIGITS[year % 100]}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T`;
    if (dayPrefixes.size >= 20_000) dayPrefixes.clear();
    dayPrefixes.set(days, prefix);
  }
  return prefix;
}

/**
 * An instant as `Date.prototype.toISOString` writes it (`2026-01-06T09:00:00.000Z`), for years
 * 0000–9999, several times faster and as two flat strings (timetables format millions of
 * instants; a string built from many pieces costs the garbage collector one object per piece).
 */
export function formatInstant(epochMs: number): string {
  if (epochMs < MIN_FORMATTED || epochMs > MAX_FORMATTED) return new Date(epochMs).toISOString();
  const days = Math.floor(epochMs / DAY_MS);
  let rest = epochMs - days * DAY_MS;
  if (rest % MINUTE_MS === 0) {
    const minute = rest / MINUTE_MS;
    let suffix = minuteSuffixes[minute];
    if (suffix === undefined) {
      suffix = `${TWO_DIGITS[Math.floor(minute / 60)]}:${TWO_DIGITS[minute % 60]}:00.000Z`;
      minuteSuffixes[minute] = suffix;
    }
    return dayPrefix(days) + suffix;
  }
  const hour = Math.floor(rest / HOUR_MS);
  rest -= hour * HOUR_MS;
  const minute = Math.floor(rest / MINUTE_MS);
  rest -= minute * MINUTE_MS;
  const second = Math.floor(rest / 1000);
  const ms = rest - second * 1000;
  return `${dayPrefix(days)}${TWO_DIGITS[hour]}:${TWO_DIGITS[minute]}:${TWO_DIGITS[second]}.${THREE_DIGITS[ms]}Z`;
}
