/** The notification outbox: what was sent to which channel, and resending a failed one. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Railyard } from "../../engine/railyard.js";
import { principalOf, requireAuth } from "../auth.js";
import { MUTATION_ERRORS } from "../schemas.js";

const Status = z.enum(["pending", "delivered", "failed"]);

/** One row of the outbox as the API shows it. */
export const NotificationSchema = z
  .object({
    id: z
      .string()
      .describe("The deduplication key: event/<eventId>/<channel> or reminder/<kind>/…/<channel>"),
    channel: z.string(),
    kind: z.enum(["event", "reminder"]),
    topic: z.string().describe("e.g. train.released, incident.opened, reminder.cutoff"),
    trainId: z.string().nullable(),
    line: z.string().nullable(),
    severity: z.string(),
    status: Status,
    attempts: z.number().int(),
    nextAttemptAt: z.string(),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
    lastError: z.string().nullable().describe("Why the last attempt failed (never the channel's URL)"),
    eventId: z.number().int().nullable(),
    message: z.unknown().describe("What is sent: a Slack message, a CloudEvent or an email"),
  })
  .describe("A message to one channel, with its delivery record.");

/** Registers `GET /api/v1/notifications` and `POST /api/v1/notifications/:id/retry`. */
export function notificationRoutes(app: FastifyInstance, railyard: Railyard): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAuth(railyard);

  r.get(
    "/api/v1/notifications",
    {
      schema: {
        tags: ["notifications"],
        summary: "Notifications sent or queued, newest first",
        querystring: z.object({
          status: Status.optional(),
          channel: z.string().optional(),
          train: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(1000).optional(),
        }),
        response: { 200: z.array(NotificationSchema) },
      },
    },
    async (request) =>
      railyard.notifications({
        ...(request.query.status ? { status: request.query.status } : {}),
        ...(request.query.channel ? { channel: request.query.channel } : {}),
        ...(request.query.train ? { trainId: request.query.train } : {}),
        ...(request.query.limit ? { limit: request.query.limit } : {}),
      }),
  );

  r.post(
    "/api/v1/notifications/:id/retry",
    {
      preHandler: auth,
      schema: {
        tags: ["notifications"],
        summary: "Send a failed notification again (coordinators, admins)",
        security: [{ bearer: [] }],
        params: z.object({ id: z.string() }),
        response: { 200: NotificationSchema, ...MUTATION_ERRORS },
      },
    },
    async (request) => railyard.retryNotification(request.params.id, principalOf(request)),
  );
}
