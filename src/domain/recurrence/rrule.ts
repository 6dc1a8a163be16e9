/**
 * RFC 5545 recurrence rules (section 3.3.10, the `RECUR` value of an `RRULE` property) as data:
 * {@link parseRRule} validates the text a user wrote and {@link formatRRule} writes the canonical
 * text back, e.g. for the calendar feed. Expansion lives in `expand.ts`.
 */
import { type WallMs, WEEKDAYS, wallFrom } from "./local-time.js";

export type Frequency = "YEARLY" | "MONTHLY" | "WEEKLY" | "DAILY" | "HOURLY" | "MINUTELY" | "SECONDLY";

/** One `BYDAY` entry: `TU` is `{ weekday: 1, ordinal: null }`, `-1FR` is `{ weekday: 4, ordinal: -1 }`. */
export interface ByDay {
  /** 0 = MO … 6 = SU */
  weekday: number;
  /** The n-th such weekday of the month or year (negative: from the end); null for every one. */
  ordinal: number | null;
}

/** The `UNTIL` bound; inclusive in all three forms. */
export type Until =
  /** `UNTIL=20261231T235959Z`: an instant, compared by whoever turns wall times into instants. */
  | { kind: "instant"; epochMs: number }
  /** `UNTIL=20261231T235959`: a wall time. */
  | { kind: "local"; wall: WallMs }
  /** `UNTIL=20261231`: midnight of that date; occurrences through the end of that day are kept. */
  | { kind: "date"; wall: WallMs };

/** A parsed `RRULE`. Empty lists mean the part is absent. */
export interface RecurrenceRule {
  freq: Frequency;
  /** @default 1 */
  interval: number;
  /** @default null (unbounded, unless `until` is set) */
  count: number | null;
  /** @default null */
  until: Until | null;
  bySecond: number[];
  byMinute: number[];
  byHour: number[];
  byDay: ByDay[];
  byMonthDay: number[];
  byYearDay: number[];
  byWeekNo: number[];
  byMonth: number[];
  bySetPos: number[];
  /** The weekday weeks start on, 0 = MO … 6 = SU. @default 0 (MO) */
  wkst: number;
}

/** Thrown by {@link parseRRule} (and `cronToRRule`) for a rule that is malformed or not allowed. */
export class InvalidRecurrenceError extends Error {
  override readonly name = "InvalidRecurrenceError";
}

const FREQUENCIES: readonly Frequency[] = [
  "YEARLY",
  "MONTHLY",
  "WEEKLY",
  "DAILY",
  "HOURLY",
  "MINUTELY",
  "SECONDLY",
];

const PART_NAMES = [
  "FREQ",
  "INTERVAL",
  "COUNT",
  "UNTIL",
  "BYMONTH",
  "BYWEEKNO",
  "BYYEARDAY",
  "BYMONTHDAY",
  "BYDAY",
  "BYHOUR",
  "BYMINUTE",
  "BYSECOND",
  "BYSETPOS",
  "WKST",
] as const;
type PartName = (typeof PART_NAMES)[number];

const WEEKDAY_LIST = "MO, TU, WE, TH, FR, SA, SU";

interface NumberListSpec {
  min: number;
  max: number;
  /** Negative values count from the end (−max … −1); zero is then not allowed. */
  signed: boolean;
  hint?: string;
}

const NUMBER_LISTS = {
  BYSECOND: { min: 0, max: 59, signed: false, hint: " (leap second 60 is not supported)" },
  BYMINUTE: { min: 0, max: 59, signed: false },
  BYHOUR: { min: 0, max: 23, signed: false },
  BYMONTHDAY: { min: 1, max: 31, signed: true },
  BYYEARDAY: { min: 1, max: 366, signed: true },
  BYWEEKNO: { min: 1, max: 53, signed: true },
  BYMONTH: { min: 1, max: 12, signed: false },
  BYSETPOS: { min: 1, max: 366, signed: true },
} satisfies Record<string, NumberListSpec>;

function fail(message: string): never {
  throw new InvalidRecurrenceError(message);
}

function rangeText(spec: NumberListSpec): string {
  return spec.signed
    ? `${spec.min} to ${spec.max} or -${spec.max} to -${spec.min}`
    : `${spec.min}-${spec.max}`;
}

function parseNumberList(name: keyof typeof NUMBER_LISTS, value: string): number[] {
  const spec: NumberListSpec = NUMBER_LISTS[name];
  const out: number[] = [];
  for (const item of value.split(",")) {
    const pattern = spec.signed ? /^[+-]?\d{1,3}$/ : /^\d{1,3}$/;
    if (!pattern.test(item)) {
      fail(
        `${name} "${item}" is not a whole number: write e.g. ${name}=${spec.min}${spec.signed ? `,-${spec.min}` : ""}`,
      );
    }
    const n = Number(item);
    const magnitude = Math.abs(n);
    if (magnitude < spec.min || magnitude > spec.max || (n < 0 && !spec.signed) || (spec.signed && n === 0)) {
      fail(`${name} "${item}" is out of range ${rangeText(spec)}${spec.hint ?? ""}`);
    }
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

function parsePositive(name: "INTERVAL" | "COUNT", value: string): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) {
    fail(`${name} "${value}" must be a whole number of at least 1`);
  }
  return Number(value);
}

function parseWeekday(value: string): number | null {
  const index = (WEEKDAYS as readonly string[]).indexOf(value);
  return index === -1 ? null : index;
}

function parseByDay(value: string): ByDay[] {
  const out: ByDay[] = [];
  for (const item of value.split(",")) {
    const match = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(item);
    const weekday = match ? parseWeekday(match[2]!) : null;
    if (!match || weekday === null) {
      fail(
        `BYDAY "${item}" is not a weekday: use ${WEEKDAY_LIST}, optionally with an ordinal such as 2TU or -1FR`,
      );
    }
    let ordinal: number | null = null;
    if (match[1] !== undefined) {
      ordinal = Number(match[1]);
      if (ordinal === 0 || Math.abs(ordinal) > 53) {
        fail(`BYDAY "${item}" has ordinal ${match[1]}, out of range 1 to 53 or -53 to -1`);
      }
    }
    if (!out.some((d) => d.weekday === weekday && d.ordinal === ordinal)) out.push({ weekday, ordinal });
  }
  return out;
}

const UNTIL_PATTERN = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/;

function parseUntil(value: string): Until {
  const match = UNTIL_PATTERN.exec(value);
  if (!match) {
    fail(
      `UNTIL "${value}" is not a date (20261231) or date-time (20261231T235959Z, or without Z for local time)`,
    );
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const hasTime = match[4] !== undefined;
  const [hour, minute, second] = hasTime ? [Number(match[4]), Number(match[5]), Number(match[6])] : [0, 0, 0];
  const wall = wallFrom(year, month, day, hour, minute, second);
  const check = new Date(wall);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() + 1 !== month ||
    check.getUTCDate() !== day ||
    check.getUTCHours() !== hour ||
    check.getUTCMinutes() !== minute ||
    check.getUTCSeconds() !== second
  ) {
    fail(`UNTIL "${value}" names a date or time that does not exist`);
  }
  if (!hasTime) return { kind: "date", wall };
  // A zone-less wall time read as UTC is the UTC instant.
  return match[7] === "Z" ? { kind: "instant", epochMs: wall } : { kind: "local", wall };
}

/**
 * Parses the text of an RRULE value, e.g. `FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1`. Part names and
 * values are case-insensitive; an optional leading `RRULE:` is accepted.
 *
 * @throws {InvalidRecurrenceError} when the text is not a rule or breaks a constraint of RFC 5545
 *   3.3.10 (unknown or repeated parts, values out of range, parts not allowed with the FREQ, COUNT
 *   together with UNTIL, …). The message names the part and says how to fix it; it does not repeat
 *   the rule text, which the caller adds.
 */
export function parseRRule(text: string): RecurrenceRule {
  if (/DTSTART/i.test(text)) fail("write the RRULE without DTSTART: the start goes in `start`");
  if (/[\r\n]/.test(text)) fail("contains a line break: write the rule on one line");
  let body = text.trim().toUpperCase();
  if (body.startsWith("RRULE:")) body = body.slice("RRULE:".length);
  if (body === "") fail("is empty: write e.g. FREQ=WEEKLY;BYDAY=TU");

  const values = new Map<PartName, string>();
  for (const part of body.split(";")) {
    if (part === "") fail('has an empty part (";;" or a trailing ";"): remove the extra semicolon');
    const eq = part.indexOf("=");
    if (eq <= 0) fail(`part "${part}" is not NAME=VALUE: write e.g. FREQ=WEEKLY`);
    const name = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (!(PART_NAMES as readonly string[]).includes(name)) {
      fail(`unknown part "${name}": use ${PART_NAMES.join(", ")}`);
    }
    if (values.has(name as PartName)) fail(`${name} is given twice: give each part once`);
    if (value === "") fail(`${name} has no value`);
    values.set(name as PartName, value);
  }

  const freqText = values.get("FREQ");
  if (freqText === undefined) fail("has no FREQ: write e.g. FREQ=WEEKLY;BYDAY=TU");
  if (!(FREQUENCIES as readonly string[]).includes(freqText)) {
    fail(`FREQ "${freqText}" is not a frequency: use ${FREQUENCIES.join(", ")}`);
  }
  const freq = freqText as Frequency;

  const list = (name: keyof typeof NUMBER_LISTS) => {
    const value = values.get(name);
    return value === undefined ? [] : parseNumberList(name, value);
  };
  const intervalText = values.get("INTERVAL");
  const countText = values.get("COUNT");
  const untilText = values.get("UNTIL");
  const wkstText = values.get("WKST");
  const byDayText = values.get("BYDAY");

  let wkst = 0;
  if (wkstText !== undefined) {
    const weekday = parseWeekday(wkstText);
    if (weekday === null) fail(`WKST "${wkstText}" is not a weekday: use ${WEEKDAY_LIST}`);
    wkst = weekday;
  }

  const rule: RecurrenceRule = {
    freq,
    interval: intervalText === undefined ? 1 : parsePositive("INTERVAL", intervalText),
    count: countText === undefined ? null : parsePositive("COUNT", countText),
    until: untilText === undefined ? null : parseUntil(untilText),
    bySecond: list("BYSECOND"),
    byMinute: list("BYMINUTE"),
    byHour: list("BYHOUR"),
    byDay: byDayText === undefined ? [] : parseByDay(byDayText),
    byMonthDay: list("BYMONTHDAY"),
    byYearDay: list("BYYEARDAY"),
    byWeekNo: list("BYWEEKNO"),
    byMonth: list("BYMONTH"),
    bySetPos: list("BYSETPOS"),
    wkst,
  };
  checkCombination(rule);
  return rule;
}

function checkCombination(rule: RecurrenceRule): void {
  const { freq } = rule;
  if (rule.count !== null && rule.until !== null) fail("has both COUNT and UNTIL: keep one of them");
  if (rule.byWeekNo.length > 0 && freq !== "YEARLY")
    fail(`BYWEEKNO is only allowed with FREQ=YEARLY, not ${freq}`);
  if (rule.byYearDay.length > 0 && (freq === "DAILY" || freq === "WEEKLY" || freq === "MONTHLY")) {
    fail(`BYYEARDAY is not allowed with FREQ=${freq}: use FREQ=YEARLY`);
  }
  if (rule.byMonthDay.length > 0 && freq === "WEEKLY") {
    fail("BYMONTHDAY is not allowed with FREQ=WEEKLY: use FREQ=MONTHLY or FREQ=DAILY");
  }
  for (const day of rule.byDay) {
    if (day.ordinal === null) continue;
    const text = formatByDay(day);
    const plain = WEEKDAYS[day.weekday]!;
    if (freq !== "MONTHLY" && freq !== "YEARLY") {
      fail(
        `BYDAY "${text}" has an ordinal, which needs FREQ=MONTHLY or FREQ=YEARLY: use ${plain} with FREQ=${freq}`,
      );
    }
    if (freq === "YEARLY" && rule.byWeekNo.length > 0) {
      fail(`BYDAY "${text}" has an ordinal, which is not allowed together with BYWEEKNO: use ${plain}`);
    }
    if ((freq === "MONTHLY" || rule.byMonth.length > 0) && Math.abs(day.ordinal) > 5) {
      fail(
        `BYDAY "${text}" asks for weekday number ${Math.abs(day.ordinal)} of a month, which has at most 5`,
      );
    }
  }
  const hasOtherBy =
    rule.bySecond.length +
      rule.byMinute.length +
      rule.byHour.length +
      rule.byDay.length +
      rule.byMonthDay.length +
      rule.byYearDay.length +
      rule.byWeekNo.length +
      rule.byMonth.length >
    0;
  if (rule.bySetPos.length > 0 && !hasOtherBy) {
    fail(
      "BYSETPOS needs another BYxxx part to pick from: write e.g. FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
    );
  }
}

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

function formatByDay(day: ByDay): string {
  return `${day.ordinal ?? ""}${WEEKDAYS[day.weekday]}`;
}

function formatUntil(until: Until): string {
  const ms = until.kind === "instant" ? until.epochMs : until.wall;
  const date = new Date(ms);
  const ymd = `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}`;
  if (until.kind === "date") return ymd;
  const hms = `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
  return `${ymd}T${hms}${until.kind === "instant" ? "Z" : ""}`;
}

/**
 * The canonical text of a rule: `FREQ` first, then INTERVAL (when not 1), COUNT or UNTIL, the BYxxx
 * parts in the order RFC 5545 applies them, and WKST (when not MO). {@link parseRRule} reads it back
 * to an equal rule.
 */
export function formatRRule(rule: RecurrenceRule): string {
  const parts = [`FREQ=${rule.freq}`];
  if (rule.interval !== 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.count !== null) parts.push(`COUNT=${rule.count}`);
  if (rule.until !== null) parts.push(`UNTIL=${formatUntil(rule.until)}`);
  const lists: [string, readonly (number | string)[]][] = [
    ["BYMONTH", rule.byMonth],
    ["BYWEEKNO", rule.byWeekNo],
    ["BYYEARDAY", rule.byYearDay],
    ["BYMONTHDAY", rule.byMonthDay],
    ["BYDAY", rule.byDay.map(formatByDay)],
    ["BYHOUR", rule.byHour],
    ["BYMINUTE", rule.byMinute],
    ["BYSECOND", rule.bySecond],
    ["BYSETPOS", rule.bySetPos],
  ];
  for (const [name, values] of lists) {
    if (values.length > 0) parts.push(`${name}=${values.join(",")}`);
  }
  if (rule.wkst !== 0) parts.push(`WKST=${WEEKDAYS[rule.wkst]}`);
  return parts.join(";");
}
