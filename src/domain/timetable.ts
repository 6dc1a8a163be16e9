/**
 * Departures of a line: RFC 5545 RRULE + local DTSTART + IANA zone, evaluated with
 * `rrule-temporal` on Temporal (wall-clock time is kept across DST changes: a 10:00 train stays
 * at 10:00 local). The cut-off of a departure is the departure minus the line's `cutoff`.
 *
 * Pure: the current instant is always a parameter.
 */
import { RRuleTemporal } from "rrule-temporal";
import { Temporal } from "temporal-polyfill";
import type { ScheduleConfig } from "./config/schema.js";
import { parseDuration } from "./duration.js";
import type { Instant } from "./model.js";

export interface Departure {
  departureAt: Instant;
  cutoffAt: Instant;
}

/** Thrown when a schedule cannot be evaluated; the message names the offending key. */
export class InvalidScheduleError extends Error {
  override readonly name = "InvalidScheduleError";
  constructor(
    readonly key: "rrule" | "start" | "timezone" | "cutoff",
    message: string,
  ) {
    super(message);
  }
}

const toInstant = (epochMs: number): Instant => new Date(epochMs).toISOString();

/**
 * A compiled schedule. Build one with {@link compileSchedule} and reuse it: parsing the rule
 * is the expensive part.
 */
export interface Timetable {
  readonly cutoffMs: number;
  /** The first `count` departures strictly after `afterMs`. */
  departuresAfter(afterMs: number, count: number): Departure[];
  /** The first departure whose cut-off is strictly after `afterMs`, i.e. the one still boarding. */
  nextBoarding(afterMs: number): Departure | undefined;
}

function checkTimezone(timezone: string): void {
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(timezone);
  } catch {
    throw new InvalidScheduleError(
      "timezone",
      `unknown time zone "${timezone}": use an IANA name such as Europe/Berlin`,
    );
  }
}

/**
 * Validates and compiles a line's schedule.
 * @throws {InvalidScheduleError} naming the key at fault.
 */
export function compileSchedule(schedule: ScheduleConfig): Timetable {
  checkTimezone(schedule.timezone);
  let cutoffMs: number;
  try {
    cutoffMs = parseDuration(schedule.cutoff);
  } catch (error) {
    throw new InvalidScheduleError("cutoff", (error as Error).message);
  }
  let dtstart: Temporal.ZonedDateTime;
  try {
    dtstart = Temporal.PlainDateTime.from(schedule.start).toZonedDateTime(schedule.timezone, {
      disambiguation: "compatible",
    });
  } catch {
    throw new InvalidScheduleError(
      "start",
      `"${schedule.start}" is not a local date-time such as 2026-01-06T10:00`,
    );
  }
  const text = schedule.rrule.trim().replace(/^RRULE:/i, "");
  if (/DTSTART/i.test(text) || text.includes("\n")) {
    throw new InvalidScheduleError("rrule", "write the RRULE without DTSTART: the start goes in `start`");
  }
  if (!/(^|;)FREQ=/i.test(text)) {
    throw new InvalidScheduleError(
      "rrule",
      `"${schedule.rrule}" has no FREQ: write e.g. FREQ=WEEKLY;BYDAY=TU`,
    );
  }
  let rule: RRuleTemporal;
  try {
    rule = new RRuleTemporal({ rruleString: text, dtstart });
    // Evaluating once surfaces rules that parse but cannot produce dates.
    rule.next(new Date(Number(dtstart.epochMilliseconds) - 1));
  } catch (error) {
    throw new InvalidScheduleError("rrule", `invalid RRULE "${schedule.rrule}": ${(error as Error).message}`);
  }

  const departuresAfter = (afterMs: number, count: number): Departure[] => {
    const out: Departure[] = [];
    let cursor = afterMs;
    while (out.length < count) {
      const next = rule.next(new Date(cursor), false);
      if (!next) break;
      const at = Number(next.epochMilliseconds);
      out.push({ departureAt: toInstant(at), cutoffAt: toInstant(at - cutoffMs) });
      cursor = at;
    }
    return out;
  };

  return {
    cutoffMs,
    departuresAfter,
    nextBoarding(afterMs: number): Departure | undefined {
      // Departures whose cut-off is after `afterMs` are those departing after afterMs + cutoff.
      return departuresAfter(afterMs + cutoffMs, 1)[0];
    },
  };
}
