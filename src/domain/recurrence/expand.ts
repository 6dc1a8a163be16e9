/**
 * RFC 5545 (section 3.3.10) expansion of a {@link RecurrenceRule} on wall-clock time.
 *
 * The rule is expanded one period (FREQ × INTERVAL) at a time. For each period the candidate days
 * are computed with integer day numbers (`floor(wall / DAY_MS)`) — bit masks of a month's days for
 * MONTHLY and most YEARLY rules, precomputed weekday offsets for WEEKLY, a per-day limit check for
 * DAILY — and combined with a precomputed, sorted list of times of day. BYSETPOS picks positions
 * out of that (days × times) product without building it. Nothing is allocated per occurrence.
 *
 * There is no time zone here: the caller turns wall times into instants (and handles DST).
 */
import { civilFromDays, DAY_MS, HOUR_MS, MINUTE_MS, type WallMs } from "./local-time.js";
import type { RecurrenceRule } from "./rrule.js";

/** A cursor over a rule's occurrences. */
export interface Expander {
  /** The next occurrence (wall time), strictly increasing; null when the rule has ended. */
  next(): WallMs | null;
}

const SECOND_MS = 1000;

/** The Gregorian calendar repeats every 400 years: 146,097 days, 20,871 weeks, 4,800 months. */
const CYCLE_DAYS = 146_097;
const CYCLE_WEEKS = 20_871;
const CYCLE_MONTHS = 4_800;
const CYCLE_YEARS = 400;
/** HOURLY and finer give up after this much wall time without an occurrence. */
const SUB_DAILY_GIVE_UP_MS = CYCLE_DAYS * DAY_MS;

const YEARLY = 0;
const MONTHLY = 1;
const WEEKLY = 2;
const DAILY = 3;
const HOURLY = 4;
const MINUTELY = 5;
const SECONDLY = 6;

const FREQ_CODE: Record<RecurrenceRule["freq"], number> = {
  YEARLY,
  MONTHLY,
  WEEKLY,
  DAILY,
  HOURLY,
  MINUTELY,
  SECONDLY,
};

/** Day number (days since 1970-01-01) of a proleptic Gregorian date; H. Hinnant's algorithm. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** 0 = Monday … 6 = Sunday. */
function weekdayOfDay(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** A reusable holder for the calendar fields of a day number. */
class CivilDate {
  year = 0;
  month = 0;
  day = 0;

  set(dayNumber: number): void {
    civilFromDays(dayNumber, this);
  }
}

function flags(size: number, values: readonly number[]): Uint8Array {
  const out = new Uint8Array(size);
  for (const value of values) out[value] = 1;
  return out;
}

/** Flags for a signed list (BYMONTHDAY, …): positive values in `pos[n]`, negative in `neg[-n]`. */
function signedFlags(size: number, values: readonly number[]): [pos: Uint8Array, neg: Uint8Array] {
  const pos = new Uint8Array(size);
  const neg = new Uint8Array(size);
  for (const value of values) {
    if (value > 0) pos[value] = 1;
    else neg[-value] = 1;
  }
  return [pos, neg];
}

function sortedUnique(values: readonly number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

/** Index `len`: bits 0…len−1 set, the days of a month of `len` days (bit i = day i + 1). */
const MONTH_LENGTH_MASK = Int32Array.from({ length: 32 }, (_, len) => 2 ** len - 1);

/** For a limit list on a unit (hour 0–23, …): the next allowed value at or after each value. */
function nextAllowed(allowed: Uint8Array): Int32Array {
  const out = new Int32Array(allowed.length + 1);
  out[allowed.length] = allowed.length;
  for (let i = allowed.length - 1; i >= 0; i--) out[i] = allowed[i] ? i : out[i + 1]!;
  return out;
}

/** Scratch calendar fields; only used within one synchronous call. */
const civil = new CivilDate();

/**
 * What a rule needs for expansion that does not depend on the start: lookup tables for its limits,
 * month masks, sorted time lists. Built once per rule object (rules are treated as immutable).
 */
class RulePlan {
  readonly freq: number;
  readonly interval: number;
  readonly count: number;
  readonly untilWall: number;
  readonly wkst: number;

  /** Sorted BYHOUR/BYMINUTE/BYSECOND, or null where the start's value is used. */
  readonly hours: number[] | null;
  readonly minutes: number[] | null;
  readonly seconds: number[] | null;
  /** The offsets (see {@link RuleExpander}) when they do not depend on the start (whole-second start). */
  readonly fixedOffsets: number[] | null;
  readonly setPos: Int32Array | null;

  // Limits on days (DAILY and finer; BYMONTH also for WEEKLY and MONTHLY).
  readonly monthOk: Uint8Array | null;
  readonly weekdayOk: Uint8Array | null;
  readonly monthDayPos: Uint8Array | null;
  readonly monthDayNeg: Uint8Array | null;
  readonly yearDayPos: Uint8Array | null;
  readonly yearDayNeg: Uint8Array | null;
  readonly needsCivil: boolean;

  /** WEEKLY: the chosen weekdays as days after the week start (WKST), or null for the start's. */
  readonly weekOffsets: number[] | null;

  /** MONTHLY and month-wise YEARLY: masks of a month's days by month length (28–31)… */
  readonly monthDayMasks: Int32Array | null;
  /** …and by weekday of the 1st × month length. */
  readonly byDayMasks: Int32Array | null;
  /** No BYMONTHDAY, BYDAY, BYYEARDAY or BYWEEKNO: the start's day of the month is used. */
  readonly usesStartDay: boolean;

  /** YEARLY with BYWEEKNO, BYYEARDAY or year-relative ordinals: every day of the year is checked. */
  readonly yearByDay: boolean;
  /** YEARLY month-wise: the months to expand, or null for the start's month. */
  readonly yearMonths: number[] | null;
  readonly hasByDay: boolean;
  readonly ordinalInMonth: boolean;
  readonly weekdayAny: Uint8Array;
  readonly ordinalPos: Uint8Array;
  readonly ordinalNeg: Uint8Array;
  readonly weekNoPos: Uint8Array | null;
  readonly weekNoNeg: Uint8Array | null;

  // HOURLY and finer.
  readonly unitMs: number;
  readonly hourOk: Uint8Array | null;
  readonly minuteOk: Uint8Array | null;
  readonly secondOk: Uint8Array | null;
  readonly nextHour: Int32Array | null;
  readonly nextMinute: Int32Array | null;
  readonly nextSecond: Int32Array | null;

  constructor(rule: RecurrenceRule) {
    const freq = FREQ_CODE[rule.freq];
    this.freq = freq;
    this.interval = rule.interval;
    this.count = rule.count ?? Number.POSITIVE_INFINITY;
    const until = rule.until;
    this.untilWall =
      until === null || until.kind === "instant"
        ? Number.POSITIVE_INFINITY
        : until.kind === "local"
          ? until.wall
          : Math.floor(until.wall / DAY_MS) * DAY_MS + DAY_MS - 1;
    this.wkst = rule.wkst;

    this.hours = rule.byHour.length > 0 ? sortedUnique(rule.byHour) : null;
    this.minutes = rule.byMinute.length > 0 ? sortedUnique(rule.byMinute) : null;
    this.seconds = rule.bySecond.length > 0 ? sortedUnique(rule.bySecond) : null;
    const fixed =
      (freq > DAILY || this.hours !== null) &&
      (freq > HOURLY || this.minutes !== null) &&
      (freq > MINUTELY || this.seconds !== null);
    this.fixedOffsets = fixed ? this.offsets(0, 0, 0, 0) : null;
    this.setPos = rule.bySetPos.length > 0 ? Int32Array.from(rule.bySetPos) : null;

    const byDay = rule.byDay;
    const plainDays = byDay.filter((d) => d.ordinal === null).map((d) => d.weekday);
    this.hasByDay = byDay.length > 0;
    this.monthOk = rule.byMonth.length > 0 ? flags(13, rule.byMonth) : null;
    this.weekdayOk = byDay.length > 0 ? flags(7, plainDays) : null;
    [this.monthDayPos, this.monthDayNeg] =
      rule.byMonthDay.length > 0 ? signedFlags(32, rule.byMonthDay) : [null, null];
    [this.yearDayPos, this.yearDayNeg] =
      rule.byYearDay.length > 0 ? signedFlags(367, rule.byYearDay) : [null, null];
    this.needsCivil = this.monthOk !== null || this.monthDayPos !== null || this.yearDayPos !== null;

    this.weekOffsets =
      byDay.length > 0 ? sortedUnique(byDay.map((d) => (d.weekday - rule.wkst + 7) % 7)) : null;

    this.monthDayMasks = null;
    if (rule.byMonthDay.length > 0 && (freq === MONTHLY || freq === YEARLY)) {
      this.monthDayMasks = new Int32Array(4);
      for (let len = 28; len <= 31; len++) {
        let mask = 0;
        for (const n of rule.byMonthDay) {
          const day = n > 0 ? n : len + 1 + n;
          if (day >= 1 && day <= len) mask |= 1 << (day - 1);
        }
        this.monthDayMasks[len - 28] = mask;
      }
    }
    this.byDayMasks = null;
    if (byDay.length > 0 && (freq === MONTHLY || freq === YEARLY)) {
      this.byDayMasks = new Int32Array(28);
      for (let firstWeekday = 0; firstWeekday < 7; firstWeekday++) {
        for (let len = 28; len <= 31; len++) {
          let mask = 0;
          for (const { weekday, ordinal } of byDay) {
            const first = (weekday - firstWeekday + 7) % 7;
            if (ordinal === null) {
              for (let i = first; i < len; i += 7) mask |= 1 << i;
            } else if (ordinal > 0) {
              const i = first + 7 * (ordinal - 1);
              if (i < len) mask |= 1 << i;
            } else {
              const i = first + 7 * Math.floor((len - 1 - first) / 7) + 7 * (ordinal + 1);
              if (i >= 0) mask |= 1 << i;
            }
          }
          this.byDayMasks[firstWeekday * 4 + len - 28] = mask;
        }
      }
    }
    this.usesStartDay =
      rule.byMonthDay.length === 0 &&
      byDay.length === 0 &&
      rule.byYearDay.length === 0 &&
      rule.byWeekNo.length === 0;

    this.ordinalInMonth = rule.byMonth.length > 0;
    const ordinalInYear = !this.ordinalInMonth && byDay.some((d) => d.ordinal !== null);
    this.yearByDay =
      freq === YEARLY && (rule.byWeekNo.length > 0 || rule.byYearDay.length > 0 || ordinalInYear);
    this.yearMonths =
      rule.byMonth.length > 0
        ? sortedUnique(rule.byMonth)
        : rule.byMonthDay.length > 0 || byDay.length > 0
          ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
          : null;
    this.weekdayAny = flags(7, plainDays);
    this.ordinalPos = new Uint8Array(this.yearByDay ? 7 * 54 : 0);
    this.ordinalNeg = new Uint8Array(this.yearByDay ? 7 * 54 : 0);
    if (this.yearByDay) {
      for (const { weekday, ordinal } of byDay) {
        if (ordinal !== null && ordinal > 0) this.ordinalPos[weekday * 54 + ordinal] = 1;
        if (ordinal !== null && ordinal < 0) this.ordinalNeg[weekday * 54 - ordinal] = 1;
      }
    }
    [this.weekNoPos, this.weekNoNeg] =
      rule.byWeekNo.length > 0 ? signedFlags(54, rule.byWeekNo) : [null, null];

    this.unitMs = freq === HOURLY ? HOUR_MS : freq === MINUTELY ? MINUTE_MS : SECOND_MS;
    this.hourOk = freq >= HOURLY && this.hours !== null ? flags(24, this.hours) : null;
    this.minuteOk = freq >= MINUTELY && this.minutes !== null ? flags(60, this.minutes) : null;
    this.secondOk = freq === SECONDLY && this.seconds !== null ? flags(60, this.seconds) : null;
    this.nextHour = this.hourOk && nextAllowed(this.hourOk);
    this.nextMinute = this.minuteOk && nextAllowed(this.minuteOk);
    this.nextSecond = this.secondOk && nextAllowed(this.secondOk);
  }

  /**
   * Sorted times added to each candidate: times of day for DAILY and coarser, times within the
   * period's hour/minute/second for finer frequencies. Missing parts come from the start.
   */
  offsets(startHour: number, startMinute: number, startSecond: number, fraction: number): number[] {
    const hours = this.hours ?? [startHour];
    const minutes = this.minutes ?? [startMinute];
    const seconds = this.seconds ?? [startSecond];
    const out: number[] = [];
    if (this.freq <= DAILY) {
      for (const h of hours) {
        for (const m of minutes) {
          for (const s of seconds) out.push(h * HOUR_MS + m * MINUTE_MS + s * SECOND_MS + fraction);
        }
      }
    } else if (this.freq === HOURLY) {
      for (const m of minutes) for (const s of seconds) out.push(m * MINUTE_MS + s * SECOND_MS + fraction);
    } else if (this.freq === MINUTELY) {
      for (const s of seconds) out.push(s * SECOND_MS + fraction);
    } else {
      out.push(fraction);
    }
    return out;
  }

  /** The limits of DAILY and finer frequencies on a day. */
  dayMatches(day: number): boolean {
    if (this.weekdayOk !== null && this.weekdayOk[weekdayOfDay(day)] === 0) return false;
    if (!this.needsCivil) return true;
    civil.set(day);
    if (this.monthOk !== null && this.monthOk[civil.month] === 0) return false;
    if (this.monthDayPos !== null && this.monthDayNeg !== null) {
      const len = daysInMonth(civil.year, civil.month);
      if (this.monthDayPos[civil.day] === 0 && this.monthDayNeg[len + 1 - civil.day] === 0) return false;
    }
    if (this.yearDayPos !== null && this.yearDayNeg !== null) {
      const yearDay = day - daysFromCivil(civil.year, 1, 1) + 1;
      const len = isLeapYear(civil.year) ? 366 : 365;
      if (this.yearDayPos[yearDay] === 0 && this.yearDayNeg[len + 1 - yearDay] === 0) return false;
    }
    return true;
  }

  /** First day of week 1 of a year: the WKST-week holding at least four days of the year. */
  weekOneStart(year: number): number {
    const day = daysFromCivil(year, 1, 1) + 3;
    return day - ((weekdayOfDay(day) - this.wkst + 7) % 7);
  }
}

const plans = new WeakMap<RecurrenceRule, RulePlan>();

function planOf(rule: RecurrenceRule): RulePlan {
  let plan = plans.get(rule);
  if (plan === undefined) {
    plan = new RulePlan(rule);
    plans.set(rule, plan);
  }
  return plan;
}

/** The cursor: one period's candidates at a time. */
class RuleExpander implements Expander {
  private readonly plan: RulePlan;
  private readonly freq: number;
  private readonly interval: number;
  private readonly start: WallMs;
  private readonly count: number;
  private readonly untilWall: number;
  private readonly setPos: Int32Array | null;

  /** Times within a day (DAILY and coarser) or within the period's unit (HOURLY and finer). */
  private readonly offsets: number[];
  private readonly nOffsets: number;
  /** The current period's candidate days (wall time of their midnight), or the period start. */
  private readonly bases: number[] = [];
  private nBases = 0;
  private bi = 0;
  private oi = 0;
  /** Positions (into bases × offsets) that BYSETPOS selects in the current period, ascending. */
  private readonly sel: number[] = [];
  private nSel = 0;
  private selIndex = 0;

  private emitted = 0;
  private done = false;
  /** Index of the next period to compute. */
  private period = 0;

  private readonly startDay: number;
  private readonly firstWeekStart: number;
  private readonly weekOffsets: number[];
  private readonly firstMonthIndex: number;
  private readonly defaultDayMask: number;
  private readonly startYear: number;
  private readonly yearMonths: number[];

  private readonly periodMs: number;
  private readonly origin: number;
  private lastProductive: number;
  private currentDay = Number.NaN;
  private currentDayOk = false;

  constructor(plan: RulePlan, start: WallMs) {
    this.plan = plan;
    this.freq = plan.freq;
    this.interval = plan.interval;
    this.start = start;
    this.count = plan.count;
    this.untilWall = plan.untilWall;
    this.setPos = plan.setPos;

    const startDay = Math.floor(start / DAY_MS);
    const timeOfDay = start - startDay * DAY_MS;
    const fraction = timeOfDay % SECOND_MS;
    this.offsets =
      fraction === 0 && plan.fixedOffsets !== null
        ? plan.fixedOffsets
        : plan.offsets(
            Math.floor(timeOfDay / HOUR_MS),
            Math.floor((timeOfDay % HOUR_MS) / MINUTE_MS),
            Math.floor((timeOfDay % MINUTE_MS) / SECOND_MS),
            fraction,
          );
    this.nOffsets = this.offsets.length;
    civil.set(startDay);
    this.startDay = startDay;
    this.firstWeekStart = startDay - ((weekdayOfDay(startDay) - plan.wkst + 7) % 7);
    this.weekOffsets = plan.weekOffsets ?? [(weekdayOfDay(startDay) - plan.wkst + 7) % 7];
    this.firstMonthIndex = civil.year * 12 + civil.month - 1;
    this.defaultDayMask = plan.usesStartDay ? 1 << (civil.day - 1) : -1;
    this.startYear = civil.year;
    this.yearMonths = plan.yearMonths ?? [civil.month];

    this.periodMs = plan.unitMs * plan.interval;
    this.origin = Math.floor(start / plan.unitMs) * plan.unitMs;
    this.lastProductive = this.origin;
    if (this.freq >= HOURLY && !this.timeReachable()) this.done = true;
  }

  next(): WallMs | null {
    if (this.done) return null;
    const offsets = this.offsets;
    const nOffsets = this.nOffsets;
    for (;;) {
      let wall: number;
      if (this.setPos === null) {
        if (this.bi >= this.nBases) {
          if (!this.fill()) return null;
          continue;
        }
        wall = this.bases[this.bi]! + offsets[this.oi]!;
        if (++this.oi === nOffsets) {
          this.oi = 0;
          this.bi++;
        }
      } else {
        if (this.selIndex >= this.nSel) {
          if (!this.fill()) return null;
          continue;
        }
        const index = this.sel[this.selIndex++]!;
        const base = Math.floor(index / nOffsets);
        wall = this.bases[base]! + offsets[index - base * nOffsets]!;
      }
      if (wall < this.start) continue;
      if (wall > this.untilWall) {
        this.done = true;
        return null;
      }
      if (++this.emitted >= this.count) this.done = true;
      return wall;
    }
  }

  /** Computes the next period with candidates; false (and done) when the rule has ended. */
  private fill(): boolean {
    if (this.done) return false;
    const found = this.freq >= HOURLY ? this.fillSubDaily() : this.fillCalendar();
    if (!found) {
      this.done = true;
      return false;
    }
    this.bi = 0;
    this.oi = 0;
    this.selIndex = 0;
    return true;
  }

  private fillCalendar(): boolean {
    const plan = this.plan;
    const maxEmpty =
      this.freq === YEARLY
        ? CYCLE_YEARS
        : this.freq === MONTHLY
          ? CYCLE_MONTHS
          : this.freq === WEEKLY
            ? CYCLE_WEEKS
            : CYCLE_DAYS;
    for (let empty = 0; empty < maxEmpty; empty++) {
      const k = this.period++;
      let periodStartDay: number;
      switch (this.freq) {
        case DAILY:
          periodStartDay = this.startDay + k * this.interval;
          this.nBases = plan.dayMatches(periodStartDay) ? 1 : 0;
          this.bases[0] = periodStartDay * DAY_MS;
          break;
        case WEEKLY:
          periodStartDay = this.firstWeekStart + k * 7 * this.interval;
          this.fillWeek(periodStartDay);
          break;
        case MONTHLY: {
          const monthIndex = this.firstMonthIndex + k * this.interval;
          const year = Math.floor(monthIndex / 12);
          const month = monthIndex - year * 12 + 1;
          periodStartDay = daysFromCivil(year, month, 1);
          this.nBases = 0;
          if (plan.monthOk === null || plan.monthOk[month] === 1) this.addMonth(year, month, periodStartDay);
          break;
        }
        default: {
          const year = this.startYear + k * this.interval;
          periodStartDay = daysFromCivil(year, 1, 1);
          this.nBases = 0;
          if (plan.yearByDay) this.fillYearByDay(year, periodStartDay);
          else {
            for (const month of this.yearMonths) this.addMonth(year, month, daysFromCivil(year, month, 1));
          }
        }
      }
      if (periodStartDay * DAY_MS > this.untilWall) return false;
      if (this.nBases > 0 && this.select()) return true;
    }
    return false;
  }

  /** Applies BYSETPOS to the current period; false when it selects nothing. */
  private select(): boolean {
    const setPos = this.setPos;
    if (setPos === null) return true;
    const total = this.nBases * this.nOffsets;
    const sel = this.sel;
    let n = 0;
    for (let i = 0; i < setPos.length; i++) {
      const pos = setPos[i]!;
      const index = pos > 0 ? pos - 1 : total + pos;
      if (index < 0 || index >= total) continue;
      // Insertion into the ascending, duplicate-free selection.
      let j = n;
      while (j > 0 && sel[j - 1]! > index) j--;
      if (j > 0 && sel[j - 1] === index) continue;
      for (let m = n; m > j; m--) sel[m] = sel[m - 1]!;
      sel[j] = index;
      n++;
    }
    this.nSel = n;
    return n > 0;
  }

  private fillWeek(weekStart: number): void {
    const weekOffsets = this.weekOffsets;
    const monthOk = this.plan.monthOk;
    let n = 0;
    for (let i = 0; i < weekOffsets.length; i++) {
      const day = weekStart + weekOffsets[i]!;
      if (monthOk !== null) {
        civil.set(day);
        if (monthOk[civil.month] === 0) continue;
      }
      this.bases[n++] = day * DAY_MS;
    }
    this.nBases = n;
  }

  /** Appends the days of a month that BYMONTHDAY and BYDAY (or the start's day) select. */
  private addMonth(year: number, month: number, firstDay: number): void {
    const plan = this.plan;
    const len = daysInMonth(year, month);
    let mask = MONTH_LENGTH_MASK[len]! & this.defaultDayMask;
    if (plan.monthDayMasks !== null) mask &= plan.monthDayMasks[len - 28]!;
    if (plan.byDayMasks !== null) mask &= plan.byDayMasks[weekdayOfDay(firstDay) * 4 + len - 28]!;
    let n = this.nBases;
    while (mask !== 0) {
      const low = mask & -mask;
      this.bases[n++] = (firstDay + 31 - Math.clz32(low)) * DAY_MS;
      mask ^= low;
    }
    this.nBases = n;
  }

  /** YEARLY with BYWEEKNO, BYYEARDAY or year-relative ordinal BYDAY: checks every day of the year. */
  private fillYearByDay(year: number, firstDay: number): void {
    const plan = this.plan;
    const yearLen = isLeapYear(year) ? 366 : 365;
    const { monthOk, monthDayPos, monthDayNeg, yearDayPos, yearDayNeg, weekNoPos, weekNoNeg } = plan;
    let weekOne = 0;
    let weekOnePrev = 0;
    let weekOneNext = 0;
    let weekOneAfter = 0;
    if (weekNoPos !== null) {
      weekOnePrev = plan.weekOneStart(year - 1);
      weekOne = plan.weekOneStart(year);
      weekOneNext = plan.weekOneStart(year + 1);
      weekOneAfter = plan.weekOneStart(year + 2);
    }
    let month = 1;
    let monthLen = 31;
    let monthDay = 0;
    let n = 0;
    for (let i = 0; i < yearLen; i++) {
      monthDay++;
      if (monthDay > monthLen) {
        month++;
        monthDay = 1;
        monthLen = daysInMonth(year, month);
      }
      const day = firstDay + i;
      if (monthOk !== null && monthOk[month] === 0) continue;
      if (weekNoPos !== null && weekNoNeg !== null) {
        // A day belongs to the week-numbering year that holds most of its week.
        let week: number;
        let weeks: number;
        if (day < weekOne) {
          week = Math.floor((day - weekOnePrev) / 7) + 1;
          weeks = (weekOne - weekOnePrev) / 7;
        } else if (day >= weekOneNext) {
          week = Math.floor((day - weekOneNext) / 7) + 1;
          weeks = (weekOneAfter - weekOneNext) / 7;
        } else {
          week = Math.floor((day - weekOne) / 7) + 1;
          weeks = (weekOneNext - weekOne) / 7;
        }
        if (weekNoPos[week] === 0 && weekNoNeg[weeks + 1 - week] === 0) continue;
      }
      if (
        yearDayPos !== null &&
        yearDayNeg !== null &&
        yearDayPos[i + 1] === 0 &&
        yearDayNeg[yearLen - i] === 0
      ) {
        continue;
      }
      if (
        monthDayPos !== null &&
        monthDayNeg !== null &&
        monthDayPos[monthDay] === 0 &&
        monthDayNeg[monthLen + 1 - monthDay] === 0
      ) {
        continue;
      }
      if (plan.hasByDay) {
        const weekday = weekdayOfDay(day);
        if (plan.weekdayAny[weekday] === 0) {
          // Ordinals count within the month when BYMONTH is given, else within the year.
          const nth = plan.ordinalInMonth ? Math.floor((monthDay - 1) / 7) + 1 : Math.floor(i / 7) + 1;
          const nthFromEnd = plan.ordinalInMonth
            ? Math.floor((monthLen - monthDay) / 7) + 1
            : Math.floor((yearLen - 1 - i) / 7) + 1;
          if (plan.ordinalPos[weekday * 54 + nth] !== 1 && plan.ordinalNeg[weekday * 54 + nthFromEnd] !== 1)
            continue;
        }
      }
      this.bases[n++] = day * DAY_MS;
    }
    this.nBases = n;
  }

  /** HOURLY, MINUTELY, SECONDLY: the next period whose day and time pass the limits. */
  private fillSubDaily(): boolean {
    const plan = this.plan;
    const { origin, periodMs } = this;
    for (;;) {
      const periodStart = origin + this.period * periodMs;
      if (periodStart > this.untilWall) return false;
      if (periodStart - this.lastProductive > SUB_DAILY_GIVE_UP_MS) return false;
      const day = Math.floor(periodStart / DAY_MS);
      if (day !== this.currentDay) {
        this.currentDay = day;
        this.currentDayOk = plan.dayMatches(day);
      }
      const dayStart = day * DAY_MS;
      if (!this.currentDayOk) {
        this.jumpTo(dayStart + DAY_MS);
        continue;
      }
      const timeOfDay = periodStart - dayStart;
      const hour = Math.floor(timeOfDay / HOUR_MS);
      if (plan.hourOk !== null && plan.nextHour !== null && plan.hourOk[hour] === 0) {
        this.jumpTo(dayStart + plan.nextHour[hour]! * HOUR_MS);
        continue;
      }
      const hourStart = dayStart + hour * HOUR_MS;
      const minute = Math.floor((timeOfDay - hour * HOUR_MS) / MINUTE_MS);
      if (plan.minuteOk !== null && plan.nextMinute !== null && plan.minuteOk[minute] === 0) {
        this.jumpTo(hourStart + plan.nextMinute[minute]! * MINUTE_MS);
        continue;
      }
      const minuteStart = hourStart + minute * MINUTE_MS;
      const second = Math.floor((periodStart - minuteStart) / SECOND_MS);
      if (plan.secondOk !== null && plan.nextSecond !== null && plan.secondOk[second] === 0) {
        this.jumpTo(minuteStart + plan.nextSecond[second]! * SECOND_MS);
        continue;
      }
      this.period++;
      this.bases[0] = periodStart;
      this.nBases = 1;
      if (this.select()) {
        this.lastProductive = periodStart;
        return true;
      }
    }
  }

  /** Moves to the first period starting at or after `wall` (at least one period on). */
  private jumpTo(wall: number): void {
    this.period = Math.max(this.period + 1, Math.ceil((wall - this.origin) / this.periodMs));
  }

  /**
   * Whether the periods of an HOURLY/MINUTELY/SECONDLY rule can ever start at a time of day its
   * BYHOUR/BYMINUTE/BYSECOND limits allow: period starts step through one residue class of the day.
   */
  private timeReachable(): boolean {
    const { hourOk, minuteOk, secondOk, unitMs } = this.plan;
    if (hourOk === null && minuteOk === null && secondOk === null) return true;
    const unitsPerDay = DAY_MS / unitMs;
    const step = gcd(this.interval % unitsPerDay, unitsPerDay);
    const originUnit = (((this.origin % DAY_MS) + DAY_MS) % DAY_MS) / unitMs;
    for (let unit = originUnit % step; unit < unitsPerDay; unit += step) {
      const ms = unit * unitMs;
      if (
        (hourOk === null || hourOk[Math.floor(ms / HOUR_MS)] === 1) &&
        (minuteOk === null || minuteOk[Math.floor((ms % HOUR_MS) / MINUTE_MS)] === 1) &&
        (secondOk === null || secondOk[Math.floor((ms % MINUTE_MS) / SECOND_MS)] === 1)
      ) {
        return true;
      }
    }
    return false;
  }
}

/**
 * Expands a rule from a wall-clock start (DTSTART), following RFC 5545 section 3.3.10: periods of
 * FREQ × INTERVAL from the start's period (weeks begin on WKST), BYxxx parts expanding or limiting
 * as its table says, BYSETPOS per period, and parts the rule leaves out taken from the start
 * (FREQ=MONTHLY alone repeats the start's day of the month).
 *
 * - Dates that do not exist (February 30, a 31st in a 30-day month) are skipped, never rolled over.
 * - The start is an occurrence only when the rule produces it (as python-dateutil and rrule.js do);
 *   occurrences before the start are never returned.
 * - COUNT counts the occurrences returned.
 * - UNTIL of kind `local` or `date` is applied here, inclusively (a date keeps its whole day).
 *   UNTIL of kind `instant` is NOT applied: the caller converts occurrences to instants and stops
 *   after the first one later than `until.epochMs`.
 * - A rule that can never produce another occurrence (BYMONTH=2;BYMONTHDAY=30) ends: expansion gives
 *   up after one Gregorian cycle (400 years) of empty periods and returns null. HOURLY and finer
 *   rules give up after 400 years of wall time without an occurrence, or at once when their
 *   INTERVAL never lands on an allowed time of day (FREQ=HOURLY;INTERVAL=2;BYHOUR=1 from 10:00).
 *
 * Wall time has no time zone and no DST; the caller turns occurrences into instants.
 *
 * The rule is treated as immutable: the tables built from it are cached per rule object, so
 * creating further expanders for the same rule costs a few hundred nanoseconds.
 */
export function createExpander(rule: RecurrenceRule, start: WallMs): Expander {
  return new RuleExpander(planOf(rule), start);
}
