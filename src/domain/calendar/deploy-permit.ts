/**
 * "May a deployment to these environments start now? If not, why, and from when?" — a line's
 * deployment window and blackouts (the configuration's global ones and the line's) put together.
 *
 * A blackout stops the deployments it applies to: one naming `environments` applies when the
 * deployment targets one of them; one naming none applies to every deployment. A question about
 * the line as a whole (`environments: null`, e.g. "is this departure inside a blackout?") counts
 * only blackouts that name no environments. A train may hold exceptions for named blackouts, and a
 * hotfix train ignores the window.
 */
import type { BlackoutConfig, LineConfig } from "../config/schema.js";
import { DAY_MS } from "../recurrence/local-time.js";
import { UnknownTimeZoneError, type ZoneRules, zoneRules } from "../recurrence/zone.js";
import {
  type BlackoutInterval,
  type CompiledBlackout,
  compileBlackout,
  InvalidBlackoutError,
} from "./blackouts.js";
import { compileWindow, type DeploymentWindow } from "./windows.js";

/** The answer to "may a deployment start at this instant?". */
export type Permit =
  | { ok: true }
  | {
      ok: false;
      cause: "window";
      /** Exactly `outside window`: the engine pauses trains with this reason. */
      reason: string;
      /** The next instant a deployment may start, or null when none within the horizon. */
      resumesAt: number | null;
    }
  | {
      ok: false;
      cause: "blackout";
      /** `blackout <name>: <reason>` for each blackout in force, joined with `; `. */
      reason: string;
      /** The blackout occurrences in force (without those the train holds exceptions for). */
      blackouts: BlackoutInterval[];
      /** The next instant a deployment may start, or null when none within the horizon. */
      resumesAt: number | null;
    };

/** What a deployment is, for {@link DeploymentRules.permit}. */
export interface PermitQuery {
  /** Production environments the deployment targets; null = the line as a whole (only blackouts that name no environments count). */
  environments: readonly string[] | null;
  /** Names of blackouts this train holds an exception for. @default none */
  exceptions?: ReadonlySet<string>;
  /** Hotfix trains ignore the window. @default false */
  ignoreWindow?: boolean;
}

/** A line's compiled window and blackouts; see {@link compileDeploymentRules}. */
export interface DeploymentRules {
  /** The line's window; null when the line has none (deployments may start any time). */
  readonly window: DeploymentWindow | null;
  /** Blackouts (global and the line's) in force at the instant for the query's environments, ignoring exceptions. */
  blackoutsAt(epochMs: number, environments: readonly string[] | null): BlackoutInterval[];
  /** Blackout occurrences of the line overlapping [fromMs, toMs) (for the calendar feed), in order of their starts. */
  blackoutsBetween(fromMs: number, toMs: number): BlackoutInterval[];
  /** May a deployment start at the instant? A blackout is reported before the window. resumesAt = nextAllowed(…). */
  permit(epochMs: number, query: PermitQuery): Permit;
  /** The first instant >= epochMs at which permit() is ok, looking at most `horizonMs` ahead (@default 400 days); null if none. */
  nextAllowed(epochMs: number, query: PermitQuery, horizonMs?: number): number | null;
}

/** The reason a train outside its window is paused with. */
export const OUTSIDE_WINDOW = "outside window";

const DEFAULT_HORIZON_MS = 400 * DAY_MS;

/** True when a blackout stops deployments to `environments` (null: the line as a whole). */
function applies(blackout: CompiledBlackout, environments: readonly string[] | null): boolean {
  if (blackout.environments === null) return true;
  if (environments === null) return false;
  return environments.some((environment) => blackout.environments!.includes(environment));
}

/**
 * Compiles the line's window and blackouts (the configuration's global `blackouts` plus the
 * line's), in the line's schedule time zone unless a blackout names its own.
 * @param calendars calendar names to their dates (`config.calendars[name].dates`).
 * @throws {InvalidBlackoutError} when a blackout cannot be compiled (key `timezone` for a time zone
 *   that does not exist), saying which one in `at`.
 * @throws {UnknownTimeZoneError} when the line's schedule time zone does not exist.
 * @throws {RangeError} when a window range is invalid: check each first with `windowRangeProblem`.
 */
export function compileDeploymentRules(
  line: LineConfig,
  global: readonly BlackoutConfig[],
  calendars: Readonly<Record<string, readonly string[]>>,
): DeploymentRules {
  const lineZone = zoneRules(line.schedule.timezone);
  const window = line.window ? compileWindow(line.window, lineZone) : null;
  const compile = (list: "global" | "line") => (config: BlackoutConfig, index: number) => {
    try {
      return compileBlackout(config, blackoutZone(config, lineZone), calendars);
    } catch (error) {
      if (!(error instanceof InvalidBlackoutError)) throw error;
      throw new InvalidBlackoutError(error.key, error.message, { list, index });
    }
  };
  const blackouts = [...global.map(compile("global")), ...(line.blackouts ?? []).map(compile("line"))];

  function blackoutsAt(epochMs: number, environments: readonly string[] | null): BlackoutInterval[] {
    if (blackouts.length === 0) return [];
    const out: BlackoutInterval[] = [];
    for (const blackout of blackouts) {
      if (!applies(blackout, environments)) continue;
      const occurrence = blackout.at(epochMs);
      if (occurrence) out.push(occurrence);
    }
    return out;
  }

  function blocking(epochMs: number, query: PermitQuery): BlackoutInterval[] {
    const inForce = blackoutsAt(epochMs, query.environments);
    const exceptions = query.exceptions;
    return exceptions && exceptions.size > 0 ? inForce.filter((b) => !exceptions.has(b.name)) : inForce;
  }

  function nextAllowed(epochMs: number, query: PermitQuery, horizonMs = DEFAULT_HORIZON_MS): number | null {
    const limit = epochMs + horizonMs;
    let at = epochMs;
    // Every step moves `at` strictly forward to the end of a blackout or the start of a window
    // interval, so the loop ends; the horizon bounds it when blackouts follow each other closely.
    while (at <= limit) {
      const stopping = blocking(at, query);
      if (stopping.length > 0) {
        at = Math.max(...stopping.map((b) => b.end));
        continue;
      }
      if (window && !query.ignoreWindow) {
        const open = window.currentOrNext(at);
        if (!open) return null;
        if (open.start > at) {
          at = open.start;
          continue;
        }
      }
      return at;
    }
    return null;
  }

  function permit(epochMs: number, query: PermitQuery): Permit {
    const stopping = blocking(epochMs, query);
    if (stopping.length > 0) {
      return {
        ok: false,
        cause: "blackout",
        reason: stopping.map((b) => `blackout ${b.name}: ${b.reason}`).join("; "),
        blackouts: stopping,
        resumesAt: nextAllowed(epochMs, query),
      };
    }
    if (window && !query.ignoreWindow && !window.at(epochMs)) {
      return { ok: false, cause: "window", reason: OUTSIDE_WINDOW, resumesAt: nextAllowed(epochMs, query) };
    }
    return { ok: true };
  }

  return {
    window,
    blackoutsAt,
    blackoutsBetween(fromMs, toMs) {
      return blackouts
        .flatMap((b) => b.between(fromMs, toMs))
        .sort((a, b) => a.start - b.start || a.end - b.end);
    },
    permit,
    nextAllowed,
  };
}

function blackoutZone(config: BlackoutConfig, lineZone: ZoneRules): ZoneRules {
  if (config.timezone === undefined) return lineZone;
  try {
    return zoneRules(config.timezone);
  } catch (error) {
    if (error instanceof UnknownTimeZoneError) throw new InvalidBlackoutError("timezone", error.message);
    throw error;
  }
}
