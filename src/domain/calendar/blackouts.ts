/**
 * Blackouts: spans of time in which deployments must not start. Three kinds, all read in a local
 * time zone (the blackout's own `timezone`, else the line's):
 *  - one-off: `from`/`to` local date-times (`to` exclusive) or dates (both days whole, so
 *    "from 2026-12-20 to 2027-01-04" includes January 4);
 *  - recurring: an RRULE of local starts from `start`, each lasting `duration` (an absolute
 *    duration: 62h is 62 hours even across a DST change);
 *  - calendar: every date of a holiday calendar, from its local midnight to the next (consecutive
 *    dates form one interval).
 */
import type { BlackoutConfig } from "../config/schema.js";
import { formatDuration, parseDuration } from "../duration.js";
import { createExpander, type Expander } from "../recurrence/expand.js";
import {
  DAY_MS,
  isLocalDate,
  parseLocalDate,
  parseLocalDateTime,
  type WallMs,
} from "../recurrence/local-time.js";
import { parseRRule, type RecurrenceRule } from "../recurrence/rrule.js";
import type { ZoneRules } from "../recurrence/zone.js";

/** One occurrence of a blackout: epoch milliseconds, `end` exclusive. */
export interface BlackoutInterval {
  name: string;
  reason: string;
  start: number;
  end: number;
  /** The environments it stops; null for every environment. */
  environments: readonly string[] | null;
  /** Roles that may grant a train an exception. */
  exceptionRoles: readonly string[];
}

/** A blackout ready to be asked about instants; see {@link compileBlackout}. */
export interface CompiledBlackout {
  readonly name: string;
  readonly reason: string;
  /** The environments it stops; null for every environment. */
  readonly environments: readonly string[] | null;
  readonly exceptionRoles: readonly string[];
  /** The occurrence containing the instant (of several overlapping ones, the one that ends last), or null. */
  at(epochMs: number): BlackoutInterval | null;
  /** Occurrences overlapping [fromMs, toMs), in order of their starts. */
  between(fromMs: number, toMs: number): BlackoutInterval[];
}

/** The configuration keys an {@link InvalidBlackoutError} can point at. */
export type BlackoutKey = "from" | "to" | "rrule" | "start" | "duration" | "calendar" | "timezone";

/** Thrown by {@link compileBlackout} when a blackout cannot be compiled; `key` names the field at fault. */
export class InvalidBlackoutError extends Error {
  override readonly name = "InvalidBlackoutError";
  constructor(
    readonly key: BlackoutKey,
    message: string,
    /**
     * Set by `compileDeploymentRules`: which blackout it was, as `global` (the configuration's
     * `blackouts`) or `line` (the line's) and its index there.
     */
    readonly at?: { list: "global" | "line"; index: number },
  ) {
    super(message);
  }
}

/** How many occurrence starts a recurring blackout keeps before it drops the oldest. */
const MAX_CACHED = 100_000;

/**
 * Compiles one blackout.
 * @param zone the blackout's own `timezone`, else the line's.
 * @param calendars calendar names to their dates (`config.calendars[name].dates`, already filled
 *   from .ics files at load).
 * @throws {InvalidBlackoutError} for a `from`/`to` that is not a date or local date-time, a `to`
 *   not after `from`, an RRULE that cannot be parsed, a `start` that is not a local date-time, a
 *   `duration` that is not a positive duration, or a calendar that is not defined or holds a bad date.
 */
export function compileBlackout(
  config: BlackoutConfig,
  zone: ZoneRules,
  calendars: Readonly<Record<string, readonly string[]>>,
): CompiledBlackout {
  if ("rrule" in config) return recurringBlackout(config, zone);
  if ("calendar" in config) return calendarBlackout(config, zone, calendars);
  return oneOffBlackout(config, zone);
}

type OneOffConfig = Extract<BlackoutConfig, { from: string }>;
type RecurringConfig = Extract<BlackoutConfig, { rrule: string }>;
type CalendarConfig = Extract<BlackoutConfig, { calendar: string }>;

interface Described {
  name: string;
  reason: string;
  environments: readonly string[] | null;
  exceptionRoles: readonly string[];
}

function describe(config: BlackoutConfig): Described {
  return {
    name: config.name,
    reason: config.reason,
    environments: config.environments ?? null,
    exceptionRoles: config.exceptionRoles ?? ["admin"],
  };
}

function interval(described: Described, start: number, end: number): BlackoutInterval {
  return { ...described, start, end };
}

/** A local date (its start, or with `endOfDay` the next midnight) or local date-time, as wall time. */
function parseBound(text: string, key: "from" | "to", endOfDay: boolean): WallMs {
  try {
    if (isLocalDate(text)) return parseLocalDate(text) + (endOfDay ? DAY_MS : 0);
    return parseLocalDateTime(text);
  } catch (error) {
    throw new InvalidBlackoutError(
      key,
      `${(error as RangeError).message}: write a date (2026-12-24) or local date-time (2026-12-24T18:00)`,
    );
  }
}

function oneOffBlackout(config: OneOffConfig, zone: ZoneRules): CompiledBlackout {
  const described = describe(config);
  const fromWall = parseBound(config.from, "from", false);
  const toWall = parseBound(config.to, "to", true);
  const start = zone.toInstant(fromWall);
  const end = zone.toInstant(toWall);
  if (toWall <= fromWall || end <= start) {
    const how = isLocalDate(config.to) ? "through the end of that day" : "exclusive";
    const when = end === start ? "when" : "before";
    throw new InvalidBlackoutError(
      "to",
      `the blackout ends (${config.to}, ${how}) ${when} it starts (${config.from}): make \`to\` later than \`from\``,
    );
  }
  return fromIntervals(described, [interval(described, start, end)]);
}

function calendarBlackout(
  config: CalendarConfig,
  zone: ZoneRules,
  calendars: Readonly<Record<string, readonly string[]>>,
): CompiledBlackout {
  const described = describe(config);
  const dates = Object.hasOwn(calendars, config.calendar) ? calendars[config.calendar] : undefined;
  if (!dates) {
    const defined = Object.keys(calendars).sort();
    const known =
      defined.length === 0 ? "no calendars are defined" : `defined calendars: ${defined.join(", ")}`;
    throw new InvalidBlackoutError(
      "calendar",
      `unknown calendar "${config.calendar}" (${known}): name an entry under \`calendars\``,
    );
  }
  const days = new Set<number>();
  for (const date of dates) {
    try {
      days.add(Math.floor(parseLocalDate(date) / DAY_MS));
    } catch (error) {
      throw new InvalidBlackoutError(
        "calendar",
        `calendar "${config.calendar}": ${(error as RangeError).message}`,
      );
    }
  }
  const sorted = [...days].sort((a, b) => a - b);
  const intervals: BlackoutInterval[] = [];
  for (let i = 0; i < sorted.length; ) {
    const first = sorted[i]!;
    let last = first;
    while (i + 1 < sorted.length && sorted[i + 1] === last + 1) last = sorted[++i]!;
    i++;
    const start = zone.toInstant(first * DAY_MS);
    const end = zone.toInstant((last + 1) * DAY_MS);
    if (end > start) intervals.push(interval(described, start, end));
  }
  return fromIntervals(described, intervals);
}

/** Index of the first interval with `end > epochMs` in intervals sorted by start and by end. */
function firstEndingAfter(intervals: readonly BlackoutInterval[], epochMs: number): number {
  let lo = 0;
  let hi = intervals.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (intervals[mid]!.end <= epochMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A blackout of a fixed list of disjoint intervals, sorted. */
function fromIntervals(described: Described, intervals: readonly BlackoutInterval[]): CompiledBlackout {
  return {
    ...described,
    at(epochMs) {
      const found = intervals[firstEndingAfter(intervals, epochMs)];
      return found && found.start <= epochMs ? { ...found } : null;
    },
    between(fromMs, toMs) {
      const out: BlackoutInterval[] = [];
      for (
        let i = firstEndingAfter(intervals, fromMs);
        i < intervals.length && intervals[i]!.start < toMs;
        i++
      ) {
        out.push({ ...intervals[i]! });
      }
      return out;
    },
  };
}

function recurringBlackout(config: RecurringConfig, zone: ZoneRules): CompiledBlackout {
  const described = describe(config);
  let rule: RecurrenceRule;
  try {
    rule = parseRRule(config.rrule);
  } catch (error) {
    throw new InvalidBlackoutError("rrule", (error as Error).message);
  }
  let startWall: WallMs;
  try {
    startWall = parseLocalDateTime(config.start);
  } catch (error) {
    throw new InvalidBlackoutError("start", (error as RangeError).message);
  }
  let duration: number;
  try {
    duration = parseDuration(config.duration);
  } catch (error) {
    throw new InvalidBlackoutError("duration", (error as Error).message);
  }
  if (duration <= 0) {
    throw new InvalidBlackoutError(
      "duration",
      `a blackout must last longer than ${formatDuration(duration)}: write a duration such as 14h`,
    );
  }
  const occurrences = new Occurrences(rule, startWall, zone);
  return {
    ...described,
    at(epochMs) {
      // Occurrences that started up to `duration` before the instant may still be running; all
      // last as long, so the latest start at or before the instant is the one that ends last.
      occurrences.expand(epochMs - duration, epochMs);
      const i = occurrences.lastStartingAtOrBefore(epochMs);
      const start = occurrences.starts[i];
      return start !== undefined && start + duration > epochMs
        ? interval(described, start, start + duration)
        : null;
    },
    between(fromMs, toMs) {
      if (toMs <= fromMs) return [];
      occurrences.expand(fromMs - duration, toMs);
      const out: BlackoutInterval[] = [];
      const starts = occurrences.starts;
      for (let i = occurrences.lastStartingAtOrBefore(fromMs - duration) + 1; i < starts.length; i++) {
        const start = starts[i]!;
        if (start >= toMs) break;
        out.push(interval(described, start, start + duration));
      }
      return out;
    },
  };
}

/**
 * The instants a recurrence rule starts at, expanded lazily, in order. Queries usually move
 * forward, so when many are kept the oldest are dropped; a query before them expands again from
 * the rule's start.
 */
class Occurrences {
  /** Sorted and unique; complete for every instant at or after `completeFrom`, up to the last. */
  starts: number[] = [];
  private completeFrom = Number.NEGATIVE_INFINITY;
  private expander: Expander;
  private readonly until: number | null;
  private done = false;

  constructor(
    private readonly rule: RecurrenceRule,
    private readonly startWall: WallMs,
    private readonly zone: ZoneRules,
  ) {
    this.expander = createExpander(rule, startWall);
    this.until = rule.until?.kind === "instant" ? rule.until.epochMs : null;
  }

  /** Makes `starts` hold every start in [fromMs, toMs] and the first one after, unless the rule ends. */
  expand(fromMs: number, toMs: number): void {
    if (fromMs < this.completeFrom) {
      this.expander = createExpander(this.rule, this.startWall);
      this.starts = [];
      this.completeFrom = Number.NEGATIVE_INFINITY;
      this.done = false;
    }
    const starts = this.starts;
    while (!this.done && (starts.length === 0 || starts[starts.length - 1]! <= toMs)) {
      const wall = this.expander.next();
      if (wall === null) {
        this.done = true;
        break;
      }
      const start = this.zone.toInstant(wall);
      // The expander honours COUNT and local UNTIL; a UTC UNTIL compares instants.
      if (this.until !== null && start > this.until) {
        this.done = true;
        break;
      }
      this.insert(start);
    }
    if (starts.length > MAX_CACHED) {
      const drop = this.lastStartingAtOrBefore(fromMs - 1) + 1;
      if (drop > 0) {
        this.starts = starts.slice(drop);
        this.completeFrom = fromMs;
      }
    }
  }

  /**
   * Keeps starts sorted and unique: wall times just after a spring-forward gap can map to instants
   * at or before those of wall times inside it (02:30 → 03:30 while 03:00 → 03:00).
   */
  private insert(start: number): void {
    const starts = this.starts;
    let i = starts.length;
    while (i > 0 && starts[i - 1]! > start) i--;
    if (i > 0 && starts[i - 1] === start) return;
    if (i === starts.length) starts.push(start);
    else starts.splice(i, 0, start);
  }

  /** Index of the last start <= the instant, or -1. */
  lastStartingAtOrBefore(epochMs: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= epochMs) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }
}
