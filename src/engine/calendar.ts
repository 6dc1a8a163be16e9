/**
 * The calendar feed as the engine serves it: picks the lines (all, one, or a team's), reads their
 * trains from the store, lets the domain plan the events, keeps each event's SEQUENCE in the store
 * (it rises whenever what a calendar shows of the event changes) and renders the text.
 */
import { type CalendarFeedLine, planCalendarFeed, renderCalendarFeed } from "../domain/calendar-feed.js";
import type { Instant } from "../domain/model.js";
import { DAY_MS } from "../domain/recurrence/local-time.js";
import { InvalidInputError, NotFoundError } from "./errors.js";
import type { Clock, Store } from "./ports.js";
import type { RuntimeConfig } from "./runtime-config.js";

/** Which part of the timetable a feed shows. */
export interface CalendarFeedQuery {
  /** Only this line. @default every line */
  line?: string;
  /** Only lines carrying a component owned by this team. @default every line */
  team?: string;
  /** Start of the range (ISO 8601 instant). @default 30 days before the engine clock's now */
  from?: Instant;
  /** End of the range, exclusive (ISO 8601 instant). @default 180 days after the engine clock's now */
  to?: Instant;
}

/** How far back a feed reaches by default. */
export const CALENDAR_DEFAULT_PAST_MS = 30 * DAY_MS;
/** How far ahead a feed reaches by default. */
export const CALENDAR_DEFAULT_FUTURE_MS = 180 * DAY_MS;
/** The longest range one feed may cover: two years (731 days, so any two calendar years fit). */
export const CALENDAR_MAX_RANGE_MS = 731 * DAY_MS;
/** Trains read per line beyond the departures in range (hotfix trains, trains created ahead). */
const EXTRA_TRAINS = 1000;
/** How far past the range trains may exist: the cut-off look-ahead of the feed and boarding ahead. */
const TRAIN_LOOKAHEAD_MS = 90 * DAY_MS;

export interface CalendarDeps {
  store: Pick<Store, "listTrains" | "calendarSequences">;
  clock: Clock;
  config: RuntimeConfig;
}

function instant(field: "from" | "to", text: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new InvalidInputError(
      `${field}: "${text}" is not an ISO 8601 instant; write e.g. 2026-03-01T00:00:00Z`,
      { field },
    );
  }
  return ms;
}

/**
 * The range a query covers.
 * @throws {InvalidInputError} for a bound that is not an instant, `to` not after `from`, or a range
 *   longer than two years.
 */
export function calendarRange(query: CalendarFeedQuery, nowMs: number): { fromMs: number; toMs: number } {
  const fromMs = query.from === undefined ? nowMs - CALENDAR_DEFAULT_PAST_MS : instant("from", query.from);
  const toMs = query.to === undefined ? nowMs + CALENDAR_DEFAULT_FUTURE_MS : instant("to", query.to);
  if (toMs <= fromMs) {
    const what = query.to === undefined ? "the default `to` (180 days from now)" : "`to`";
    throw new InvalidInputError(
      `${what} (${new Date(toMs).toISOString()}) is not after \`from\` (${new Date(fromMs).toISOString()}): give a later \`to\``,
      { field: query.to === undefined ? "from" : "to" },
    );
  }
  if (toMs - fromMs > CALENDAR_MAX_RANGE_MS) {
    throw new InvalidInputError(
      `the range from ${new Date(fromMs).toISOString()} to ${new Date(toMs).toISOString()} is longer than two years (731 days): ask for a shorter one`,
      { field: "to" },
    );
  }
  return { fromMs, toMs };
}

/**
 * The lines a query selects, in configuration order.
 * @throws {NotFoundError} naming the defined lines or teams when `line` or `team` is not configured.
 */
export function calendarLines(
  config: RuntimeConfig,
  query: Pick<CalendarFeedQuery, "line" | "team">,
): string[] {
  const all = config.lineNames;
  let names = all;
  if (query.line !== undefined) {
    if (!config.hasLine(query.line)) {
      throw new NotFoundError(`no line "${query.line}": configured lines are ${all.join(", ") || "(none)"}`, {
        field: "line",
      });
    }
    names = [query.line];
  }
  if (query.team !== undefined) {
    const teams = Object.keys(config.config.teams);
    if (!Object.hasOwn(config.config.teams, query.team)) {
      throw new NotFoundError(
        `no team "${query.team}": configured teams are ${teams.join(", ") || "(none)"}`,
        { field: "team" },
      );
    }
    const components = config.config.components;
    names = names.filter((name) =>
      config.line(name).components.some((c) => components[c]?.team === query.team),
    );
  }
  return names;
}

function calendarName(query: Pick<CalendarFeedQuery, "line" | "team">): string {
  const parts = [
    ...(query.line === undefined ? [] : [`line ${query.line}`]),
    ...(query.team === undefined ? [] : [`team ${query.team}`]),
  ];
  return parts.length === 0 ? "Railyard" : `Railyard: ${parts.join(", ")}`;
}

/**
 * The iCalendar text of the feed for a query. Records each event's fingerprint in the store, which
 * raises the event's SEQUENCE when it changed since the last fetch.
 * @throws {NotFoundError} for an unknown line or team
 * @throws {InvalidInputError} for a bad range (see {@link calendarRange})
 */
export async function buildCalendarFeed(deps: CalendarDeps, query: CalendarFeedQuery): Promise<string> {
  const now = deps.clock.now();
  const nowMs = now.getTime();
  const names = calendarLines(deps.config, query);
  const { fromMs, toMs } = calendarRange(query, nowMs);
  const lines: CalendarFeedLine[] = await Promise.all(
    names.map(async (name) => {
      const timetable = deps.config.timetable(name);
      // Trains come newest departure first: enough for every departure from the range's start on.
      const reach = Math.max(toMs, nowMs) + TRAIN_LOOKAHEAD_MS;
      const limit = timetable.timesBetween(fromMs - DAY_MS, reach).length + EXTRA_TRAINS;
      const trains = await deps.store.listTrains({ line: name, limit });
      return { timetable, config: deps.config.line(name), trains };
    }),
  );
  const plan = planCalendarFeed({ name: calendarName(query), lines, fromMs, toMs });
  const sequences = await deps.store.calendarSequences(
    plan.events.map((e) => ({ uid: e.uid, fingerprint: e.fingerprint })),
    now.toISOString(),
  );
  return renderCalendarFeed(plan, sequences, nowMs);
}
