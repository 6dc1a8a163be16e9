/** `GET /calendar.ics`: the timetable as an iCalendar feed for calendar apps to subscribe to. */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Railyard } from "../../engine/railyard.js";
import { bearerToken } from "../auth.js";
import { ProblemSchema } from "../schemas.js";

const CalendarQuery = z.object({
  line: z.string().min(1).optional().describe("Only this line."),
  team: z.string().min(1).optional().describe("Only lines carrying a component owned by this team."),
  from: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("Start of the range, an ISO 8601 instant. @default 30 days before now"),
  to: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("End of the range (exclusive), at most two years after `from`. @default 180 days after now"),
  token: z
    .string()
    .min(1)
    .optional()
    .describe(
      "An API token (any role, viewer suffices), for calendar apps that cannot send an Authorization header. Optional like on every read; a token given must be valid.",
    ),
});

const CalendarText = z.string().meta({
  description: "The iCalendar feed (RFC 5545).",
  content: {
    "text/calendar": {
      schema: { type: "string", description: "iCalendar text: VTIMEZONEs and VEVENTs" },
    },
  },
});

export function calendarRoutes(app: FastifyInstance, railyard: Railyard): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  /** Reads are open; a token given (header or `?token=`) is checked like on any request. */
  async function authenticateIfGiven(request: FastifyRequest): Promise<void> {
    const query = request.query as { token?: string };
    const token = bearerToken(request) ?? query.token;
    if (token !== undefined) request.principal = await railyard.tokens.authenticate(token);
  }

  r.get(
    "/calendar.ics",
    {
      preHandler: authenticateIfGiven,
      schema: {
        tags: ["lines"],
        summary: "The timetable as an iCalendar feed (subscribe to it in Google, Outlook or Apple Calendar)",
        description: [
          "Per line: a VEVENT per departure (`web-42 departs`, cancelled when skipped or the train was aborted or skipped),",
          "a `boarding closes` VEVENT per cut-off with a reminder an hour before, a recurring VEVENT per deployment",
          "window range, a VEVENT per blackout occurrence and one per hotfix train. Times carry the TZID of the line's",
          "zone with a VTIMEZONE per zone. UIDs stay the same across fetches (a departure's is its line and scheduled",
          "instant, so a shift updates it); SEQUENCE rises whenever an event changes.",
          "Like every read, it needs no token; calendar apps that must authenticate can pass `?token=`.",
        ].join(" "),
        querystring: CalendarQuery,
        response: {
          200: CalendarText,
          400: ProblemSchema,
          401: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const { line, team, from, to } = request.query;
      const text = await railyard.calendarFeed({
        ...(line === undefined ? {} : { line }),
        ...(team === undefined ? {} : { team }),
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
      });
      return reply
        .type("text/calendar; charset=utf-8")
        .header("content-disposition", 'inline; filename="railyard.ics"')
        .header("cache-control", "no-cache")
        .send(text);
    },
  );
}
