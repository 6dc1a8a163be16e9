/**
 * `GET /api/v1/timetable/spans`: the deployment windows and blackout occurrences of the lines
 * between two instants, exactly as the engine computes them (recurring and calendar blackouts
 * expanded, each in its own or the line's time zone), for calendars to draw.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { InvalidInputError } from "../../engine/errors.js";
import type { Railyard } from "../../engine/railyard.js";
import { Instant, ProblemSchema } from "../schemas.js";
import { TimetableRangeQuery } from "./system.js";

const DAY = 86_400_000;
/** The range asked for when the query gives no `to`. */
const DEFAULT_DAYS = 30;
/** The longest range one answer may cover (as the timetable's). */
const MAX_DAYS = 731;
/** Guards the window walk against a window that would never move on. */
const MAX_WINDOWS_PER_LINE = 5000;

const WindowSpan = z
  .object({
    line: z.string(),
    start: Instant,
    end: Instant.describe("Exclusive."),
  })
  .meta({ id: "WindowSpan", description: "A span in which the line's production deployments may start." });

const BlackoutSpan = z
  .object({
    line: z.string().describe("The line it stops (a global blackout is listed once per line)."),
    name: z.string(),
    reason: z.string(),
    scope: z
      .enum(["global", "line"])
      .describe("global: the configuration's `blackouts`; line: the line's own."),
    start: Instant,
    end: Instant.describe("Exclusive."),
    environments: z
      .array(z.string())
      .nullable()
      .describe("The environments it stops; null for every production environment."),
    exceptionRoles: z.array(z.string()).describe("Roles that may let one train through it, with a reason."),
  })
  .meta({ id: "BlackoutSpan", description: "One occurrence of a blackout on a line." });

const TimetableSpansSchema = z
  .object({
    from: Instant,
    to: Instant,
    windows: z
      .array(WindowSpan)
      .describe(
        "Deployment windows overlapping the range; a line without a window has none (it may deploy any time).",
      ),
    linesWithoutWindow: z
      .array(z.string())
      .describe("Lines that configure no window: they may deploy at any time."),
    blackouts: z.array(BlackoutSpan).describe("Blackout occurrences overlapping the range, by start."),
  })
  .meta({ id: "TimetableSpans" });

function instant(field: "from" | "to", text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new InvalidInputError(`${field} must be an ISO 8601 instant`, { field });
  return ms;
}

/** Registers `GET /api/v1/timetable/spans`. */
export function timetableSpanRoutes(app: FastifyInstance, railyard: Railyard): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    "/api/v1/timetable/spans",
    {
      schema: {
        tags: ["lines"],
        summary: "Deployment windows and blackout occurrences between two instants (for calendars)",
        description:
          "The spans the engine gates production deployments with: each line's window ranges and every occurrence of its blackouts (the configuration's global ones and the line's; one-off, recurring and holiday-calendar blackouts expanded in their time zone). Spans overlapping [from, to) are listed whole. `from` defaults to now on the engine's clock, `to` to 30 days after `from`; the range may span at most two years.",
        querystring: TimetableRangeQuery,
        response: { 200: TimetableSpansSchema, 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const q = request.query;
      const fromMs = instant("from", q.from, railyard.clock.now().getTime());
      const toMs = instant("to", q.to, fromMs + DEFAULT_DAYS * DAY);
      if (toMs <= fromMs) throw new InvalidInputError("to must be after from", { field: "to" });
      if (toMs - fromMs > MAX_DAYS * DAY) {
        throw new InvalidInputError("the range may span at most two years (731 days)", { field: "to" });
      }
      const config = railyard.config;
      const names = q.line === undefined ? Object.keys(config.lines) : [q.line];
      const windows: z.infer<typeof WindowSpan>[] = [];
      const linesWithoutWindow: string[] = [];
      const blackouts: z.infer<typeof BlackoutSpan>[] = [];
      for (const line of names) {
        // Throws NotFoundError (404) naming the configured lines.
        const rules = railyard.deploymentRules(line);
        const own = new Set((config.lines[line]?.blackouts ?? []).map((b) => b.name));
        if (rules.window === null) linesWithoutWindow.push(line);
        else {
          let at = fromMs;
          for (let n = 0; n < MAX_WINDOWS_PER_LINE; n++) {
            const span = rules.window.currentOrNext(at);
            if (span === null || span.start >= toMs) break;
            windows.push({
              line,
              start: new Date(span.start).toISOString(),
              end: new Date(span.end).toISOString(),
            });
            at = Math.max(span.end, at + 1);
          }
        }
        for (const b of rules.blackoutsBetween(fromMs, toMs)) {
          blackouts.push({
            line,
            name: b.name,
            reason: b.reason,
            scope: own.has(b.name) ? "line" : "global",
            start: new Date(b.start).toISOString(),
            end: new Date(b.end).toISOString(),
            environments: b.environments === null ? null : [...b.environments],
            exceptionRoles: [...b.exceptionRoles],
          });
        }
      }
      windows.sort((a, b) => a.start.localeCompare(b.start) || a.line.localeCompare(b.line));
      blackouts.sort((a, b) => a.start.localeCompare(b.start) || a.line.localeCompare(b.line));
      return {
        from: new Date(fromMs).toISOString(),
        to: new Date(toMs).toISOString(),
        windows,
        linesWithoutWindow,
        blackouts,
      };
    },
  );
}
