/**
 * Holiday calendars as sets of days, and business-day arithmetic for cut-offs such as
 * "2 business days before the departure, at 17:00".
 *
 * A day is a {@link DayNumber}: the local date's days since 1970-01-01, the same number
 * `Math.floor(wall / DAY_MS)` gives for any wall time on that date, so no time zone is involved.
 */
import { DAY_MS, parseLocalDate, weekdayOf } from "../recurrence/local-time.js";

/** Days since 1970-01-01 of a local date (floor(wall / DAY_MS)). */
export type DayNumber = number;

/** A set of holidays. */
export interface HolidaySet {
  /** True when the day is a holiday. */
  has(day: DayNumber): boolean;
  /** How many distinct holidays the set holds. */
  readonly size: number;
}

/** The most business days a cut-off may count back; the schema allows 60. */
const MAX_BUSINESS_DAYS = 10_000;

/**
 * The set of the given dates.
 * @param dates local dates `YYYY-MM-DD`; duplicates are ignored.
 * @throws {RangeError} when a date is not such a date or names a day that does not exist.
 */
export function holidaySet(dates: readonly string[]): HolidaySet {
  const days = new Set<DayNumber>();
  for (const date of dates) days.add(Math.floor(parseLocalDate(date) / DAY_MS));
  return {
    has: (day) => days.has(day),
    size: days.size,
  };
}

/** True when the day is Monday to Friday and not a holiday. */
export function isBusinessDay(day: DayNumber, holidays: HolidaySet): boolean {
  return weekdayOf(day * DAY_MS) < 5 && !holidays.has(day);
}

/**
 * The day `count` business days before `day`: count 0 is `day` itself (whatever day it is);
 * count 2 before a Tuesday is the previous Friday, and further back when holidays intervene.
 * @throws {RangeError} when `count` is not a whole number from 0 to 10,000, or when every day for
 *   years before `day` is a holiday (no business day can be found).
 */
export function businessDaysBefore(day: DayNumber, count: number, holidays: HolidaySet): DayNumber {
  if (!Number.isInteger(count) || count < 0 || count > MAX_BUSINESS_DAYS) {
    throw new RangeError(`business days must be a whole number from 0 to ${MAX_BUSINESS_DAYS}, not ${count}`);
  }
  let result = day;
  // A calendar cannot hold more holidays than it has entries, so this bound is never reached by a
  // real calendar; it only stops a set that claims every day.
  const limit = day - count * 7 - holidays.size - 7;
  for (let left = count; left > 0; ) {
    result--;
    if (result < limit)
      throw new RangeError(`no ${count} business days before day ${day}: every day is a holiday`);
    if (isBusinessDay(result, holidays)) left--;
  }
  return result;
}
