/**
 * 5-field cron expressions (`minute hour day-of-month month day-of-week`, as in Vixie cron and
 * crontab(5)) turned into RRULE text, so a line's schedule has one meaning and one expander.
 */
import { type Frequency, formatRRule, InvalidRecurrenceError, type RecurrenceRule } from "./rrule.js";

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  /** Names accepted instead of numbers (index + `min`… see `nameBase`). */
  names?: readonly string[];
  nameBase?: number;
}

const MINUTE: FieldSpec = { name: "minute", min: 0, max: 59 };
const HOUR: FieldSpec = { name: "hour", min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { name: "day-of-month", min: 1, max: 31 };
const MONTH: FieldSpec = {
  name: "month",
  min: 1,
  max: 12,
  names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
  nameBase: 1,
};
/** 0 and 7 are both Sunday. */
const DAY_OF_WEEK: FieldSpec = {
  name: "day-of-week",
  min: 0,
  max: 7,
  names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
  nameBase: 0,
};

const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

/** Most days each month can have (February: 29). */
const MONTH_MAX_DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

class CronFieldError extends Error {}

function parseValue(text: string, spec: FieldSpec): number {
  if (/^\d{1,2}$/.test(text)) {
    const value = Number(text);
    if (value < spec.min || value > spec.max) {
      throw new CronFieldError(`${spec.name} "${text}" is out of range ${spec.min}-${spec.max}`);
    }
    return value;
  }
  const index = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index === -1 || spec.names === undefined) {
    const names = spec.names ? ` or a name ${spec.names[0]}–${spec.names[spec.names.length - 1]}` : "";
    throw new CronFieldError(`${spec.name} "${text}" is not a number ${spec.min}-${spec.max}${names}`);
  }
  return index + (spec.nameBase ?? 0);
}

/** The sorted values a field allows. */
function parseField(text: string, spec: FieldSpec): number[] {
  if (text.split(",").some((item) => /[?#]/.test(item) || /^(\d*L|\d*W|LW|L-\d+)$/i.test(item))) {
    throw new CronFieldError(
      `${spec.name} "${text}" uses a Quartz extension (?, L, W or #) that 5-field cron does not have: ` +
        "write an RRULE instead, e.g. FREQ=MONTHLY;BYDAY=2FR or FREQ=MONTHLY;BYMONTHDAY=-1",
    );
  }
  const values = new Set<number>();
  for (const item of text.split(",")) {
    if (item === "") throw new CronFieldError(`${spec.name} "${text}" has an empty list item`);
    const match = /^([^/]+)(?:\/(.*))?$/.exec(item);
    if (!match) throw new CronFieldError(`${spec.name} "${item}" is not a value, range or step`);
    const [, range = "", stepText] = match;
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d{1,3}$/.test(stepText) || Number(stepText) < 1) {
        throw new CronFieldError(
          `${spec.name} "${item}" has step "${stepText}": use a whole number of at least 1`,
        );
      }
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (range === "*") {
      from = spec.min;
      to = spec.max;
    } else {
      const dash = range.indexOf("-");
      if (dash === -1) {
        from = parseValue(range, spec);
        // `5/15` means 5, 20, 35, 50 (from 5 to the end in steps of 15).
        to = stepText === undefined ? from : spec.max;
      } else {
        from = parseValue(range.slice(0, dash), spec);
        to = parseValue(range.slice(dash + 1), spec);
        if (to < from) {
          throw new CronFieldError(
            `${spec.name} "${range}" is a reversed range: write the smaller value first, or a list`,
          );
        }
      }
    }
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

function failCron(expression: string, message: string): never {
  throw new InvalidRecurrenceError(`cron "${expression}": ${message}`);
}

function isFull(values: readonly number[], min: number, max: number): boolean {
  return values.length === max - min + 1;
}

/**
 * Converts a 5-field cron expression (`minute hour day-of-month month day-of-week`) to the text of
 * an equivalent RRULE, e.g. `0 10 * * 2` → `FREQ=DAILY;BYDAY=TU;BYHOUR=10;BYMINUTE=0;BYSECOND=0`.
 *
 * Supported: `*`, lists, ranges, steps (`10-20/5`; `5/15` is 5-59/15; `*` then `/15` is every 15),
 * month names JAN–DEC and weekday names SUN–SAT (any case), 0 and 7 for Sunday, and the macros
 * @yearly, @annually, @monthly, @weekly, @daily, @midnight and @hourly. The FREQ is the one that expands with the least work:
 * MINUTELY or HOURLY when every hour is allowed, MONTHLY/YEARLY for days of the month, DAILY else.
 *
 * @throws {InvalidRecurrenceError} naming the field at fault: out-of-range values, unknown names,
 *   reversed ranges, zero steps, Quartz extensions (`?`, `L`, `W`, `#`), a day-of-month that none of
 *   the months has, and both day-of-month and day-of-week restricted — cron then means "either",
 *   which one RRULE cannot express. The message starts with `cron "<expression>": `.
 */
export function cronToRRule(expression: string): string {
  const fail = (message: string) => failCron(expression, message);
  const trimmed = expression.trim();
  let body = trimmed;
  if (trimmed.startsWith("@")) {
    const macro = MACROS[trimmed.toLowerCase()];
    if (macro === undefined) {
      failCron(
        expression,
        `"${trimmed}" is not a schedule macro: use ${Object.keys(MACROS).join(", ")}, or 5 fields`,
      );
    }
    body = macro;
  }
  const fields = body.split(/\s+/).filter((field) => field !== "");
  if (fields.length !== 5) {
    fail(
      `has ${fields.length} field${fields.length === 1 ? "" : "s"}; write 5: ` +
        "minute hour day-of-month month day-of-week (or a macro such as @daily)",
    );
  }
  const [minuteText, hourText, domText, monthText, dowText] = fields as [
    string,
    string,
    string,
    string,
    string,
  ];

  let minutes: number[] = [];
  let hours: number[] = [];
  let monthDays: number[] = [];
  let months: number[] = [];
  let weekdays: number[] = [];
  try {
    minutes = parseField(minuteText, MINUTE);
    hours = parseField(hourText, HOUR);
    monthDays = parseField(domText, DAY_OF_MONTH);
    months = parseField(monthText, MONTH);
    // cron 0 = Sunday … 6 = Saturday, 7 = Sunday; RRULE weekdays 0 = MO … 6 = SU.
    weekdays = [...new Set(parseField(dowText, DAY_OF_WEEK).map((d) => (d + 6) % 7))].sort((a, b) => a - b);
  } catch (error) {
    if (error instanceof CronFieldError) fail(error.message);
    throw error;
  }

  const allMinutes = isFull(minutes, 0, 59);
  const allHours = isFull(hours, 0, 23);
  const allMonths = isFull(months, 1, 12);
  const allMonthDays = isFull(monthDays, 1, 31);
  const allWeekdays = weekdays.length === 7;
  // Vixie cron: when neither day field starts with "*", a day matches if EITHER field matches.
  const either = !domText.startsWith("*") && !dowText.startsWith("*");
  let useMonthDays = !allMonthDays;
  let useWeekdays = !allWeekdays;
  if (either) {
    if (allMonthDays || allWeekdays) {
      // One of the two allows every day, so their union does too.
      useMonthDays = false;
      useWeekdays = false;
    } else {
      fail(
        "day-of-month and day-of-week are both restricted, which cron reads as either one matching; " +
          "one RRULE cannot say that: restrict only one of the two (or start the other with *), " +
          "or write an RRULE",
      );
    }
  }
  if (useMonthDays && !months.some((month) => monthDays.some((day) => day <= MONTH_MAX_DAYS[month]!))) {
    fail(`day-of-month "${domText}" never occurs in month "${monthText}": the schedule would never run`);
  }

  let freq: Frequency;
  if (allHours && allMinutes) freq = "MINUTELY";
  else if (allHours) freq = "HOURLY";
  else if (useMonthDays) freq = allMonths ? "MONTHLY" : "YEARLY";
  else freq = "DAILY";

  const rule: RecurrenceRule = {
    freq,
    interval: 1,
    count: null,
    until: null,
    bySecond: [0],
    byMinute: freq === "MINUTELY" ? [] : minutes,
    byHour: freq === "MINUTELY" || freq === "HOURLY" ? [] : hours,
    byDay: useWeekdays ? weekdays.map((weekday) => ({ weekday, ordinal: null })) : [],
    byMonthDay: useMonthDays ? monthDays : [],
    byYearDay: [],
    byWeekNo: [],
    byMonth: allMonths ? [] : months,
    bySetPos: [],
    wkst: 0,
  };
  return formatRRule(rule);
}
