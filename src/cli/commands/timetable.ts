/**
 * `railyard timetable`: the departures a configuration gives, without a server. Its `--json`
 * output is a fixed interface (used to check the timetable against other implementations):
 * an array ordered by departure of
 * `{line, train, departure, cutoff, window_start, window_end, status}`, instants in ISO 8601 with
 * the line's UTC offset.
 */
import type { Command } from "commander";
import { isLocalDate, parseLocalDate, parseLocalDateTime } from "../../domain/recurrence/local-time.js";
import { formatInstantIn, type ZoneRules, zoneRules } from "../../domain/recurrence/zone.js";
import { compileTimetable, type DepartureTimes } from "../../domain/timetable.js";
import { DEFAULT_CONFIG, loadConfigFile } from "../config-file.js";
import { contextOf } from "../context.js";
import { paint, table } from "../output.js";

/** One row of `railyard timetable --json`. */
export interface TimetableRow {
  line: string;
  train: string;
  departure: string;
  cutoff: string;
  window_start: string | null;
  window_end: string | null;
  status: "scheduled" | "shifted" | "skipped";
}

const OFFSET_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Reads `--from`/`--to`: an ISO 8601 instant with Z or an offset, or a date / local date-time
 * read in `zone` (the line's with --line, else UTC).
 */
function parseBound(text: string, option: string, zone: ZoneRules): number {
  if (OFFSET_INSTANT.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
  }
  try {
    return zone.toInstant(isLocalDate(text) ? parseLocalDate(text) : parseLocalDateTime(text));
  } catch {
    throw new UsageError(
      `${option} "${text}" is not a date or instant: write 2026-01-01, 2026-01-01T10:00 or 2026-01-01T09:00:00Z`,
    );
  }
}

class UsageError extends Error {}

const WEEKDAY = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** `Tue 2026-03-24 10:00` in the zone. */
function local(zone: ZoneRules, epochMs: number): string {
  const text = formatInstantIn(zone, epochMs);
  const weekday = WEEKDAY[(new Date(`${text.slice(0, 10)}T00:00:00Z`).getUTCDay() + 6) % 7];
  return `${weekday} ${text.slice(0, 10)} ${text.slice(11, 16)}`;
}

export function registerTimetableCommand(program: Command): void {
  program
    .command("timetable")
    .description("list the departures a configuration gives between two instants (no server needed)")
    .option("-c, --config <file>", "configuration file", DEFAULT_CONFIG)
    .option("--line <name>", "only this line")
    .requiredOption("--from <instant>", "start (inclusive): 2026-01-01, 2026-01-01T10:00 or an ISO instant")
    .requiredOption("--to <instant>", "end (exclusive)")
    .addHelpText(
      "after",
      `
Dates and local times without an offset are read in the --line's time zone, else in UTC.
With --json: an array ordered by departure of
  {"line", "train", "departure", "cutoff", "window_start", "window_end", "status"}
with instants in ISO 8601 and the line's UTC offset, status scheduled|shifted|skipped.

Examples:
  railyard timetable -c railyard.yaml --from 2026-12-01 --to 2027-01-31
  railyard timetable --line web --from 2027-03-01 --to 2027-04-01 --json`,
    )
    .action(
      async (options: { config: string; line?: string; from: string; to: string }, command: Command) => {
        const ctx = contextOf(command);
        const fail = (message: string) => {
          if (ctx.json) ctx.out.json({ error: "usage", detail: message });
          else ctx.out.error(`railyard: ${message}`);
          process.exitCode = 2;
        };
        const { config } = await loadConfigFile(options.config);
        const names = Object.keys(config.lines);
        if (options.line !== undefined && !names.includes(options.line)) {
          return fail(`no line "${options.line}": ${options.config} defines ${names.join(", ")}`);
        }
        const lines = options.line !== undefined ? [options.line] : names;
        const boundZone = zoneRules(options.line ? config.lines[options.line]!.schedule.timezone : "UTC");
        let from: number;
        let to: number;
        try {
          from = parseBound(options.from, "--from", boundZone);
          to = parseBound(options.to, "--to", boundZone);
        } catch (error) {
          if (error instanceof UsageError) return fail(error.message);
          throw error;
        }
        if (to <= from) return fail("--to must be after --from");

        const rows: Array<{ at: number; row: TimetableRow; times: DepartureTimes; zone: ZoneRules }> = [];
        for (const name of lines) {
          const timetable = compileTimetable(name, config);
          const zone = zoneRules(timetable.timezone);
          const at = (ms: number) => formatInstantIn(zone, ms);
          for (const d of timetable.timesBetween(from, to)) {
            rows.push({
              at: d.departureAt,
              times: d,
              zone,
              row: {
                line: name,
                train: `${name}-${d.number}`,
                departure: at(d.departureAt),
                cutoff: at(d.cutoffAt),
                window_start: d.windowStart === null ? null : at(d.windowStart),
                window_end: d.windowEnd === null ? null : at(d.windowEnd),
                status: d.status,
              },
            });
          }
        }
        rows.sort((a, b) => a.at - b.at || a.row.line.localeCompare(b.row.line));
        if (ctx.json) return ctx.out.json(rows.map((r) => r.row));
        if (rows.length === 0) {
          ctx.out.line(`no departures between ${options.from} and ${options.to}`);
          return;
        }
        const status = (r: (typeof rows)[number]) => {
          const word =
            r.row.status === "scheduled"
              ? r.row.status
              : paint(ctx.out, r.row.status === "skipped" ? "gray" : "yellow", r.row.status);
          return r.times.reason ? `${word} (${r.times.reason})` : word;
        };
        ctx.out.line(
          table(
            ctx.out,
            ["TRAIN", "DEPARTS", "CUT-OFF", "WINDOW", "ZONE", "STATUS"],
            rows.map((r) => [
              r.row.train,
              local(r.zone, r.times.departureAt),
              local(r.zone, r.times.cutoffAt),
              r.times.windowStart === null || r.times.windowEnd === null
                ? "any time"
                : `${local(r.zone, r.times.windowStart).slice(4)}–${formatInstantIn(r.zone, r.times.windowEnd).slice(11, 16)}`,
              r.zone.name,
              status(r),
            ]),
          ),
        );
      },
    );
}
