/**
 * `GET /api/v1/events/stream`: Server-Sent Events for the dashboard's live updates. Each event of
 * the log is sent as `event: railyard` with its id, so a browser's `EventSource` resumes after a
 * dropped connection with `Last-Event-ID` and misses nothing. Reads need credentials like every
 * read (the dashboard's session cookie travels with `EventSource`).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Logger } from "../../engine/ports.js";
import type { Railyard } from "../../engine/railyard.js";
import { EventFeed, type LiveEvent } from "../event-feed.js";
import { ProblemSchema } from "../schemas.js";

/** A comment line every so often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

export interface StreamOptions {
  /** How often the log is read while anyone listens. @default 250 ms */
  intervalMs?: number;
  /**
   * Whether the request's credentials still hold (a session not ended, a token not revoked or
   * expired), asked before each batch of events is sent: a logout or a revocation (itself an
   * event) ends the streams it opened. @default always
   */
  stillAllowed?: (request: FastifyRequest) => Promise<boolean>;
}

/** Registers the stream; its open connections end when the server closes. */
export function streamRoutes(
  app: FastifyInstance,
  railyard: Railyard,
  logger: Logger,
  options: StreamOptions = {},
): void {
  const feed = new EventFeed(railyard, {
    ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
    onError: (error) => logger.warn({ err: error.message }, "live event feed: reading the log failed"),
  });
  const open = new Set<() => void>();
  app.addHook("preClose", async () => {
    for (const end of [...open]) end();
    feed.close();
  });

  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    "/api/v1/events/stream",
    {
      schema: {
        tags: ["audit"],
        summary: "Live events (Server-Sent Events) for dashboards",
        description:
          "A `text/event-stream` that first sends `event: ready` (data `{head}`: the newest event's id), then one `event: railyard` per event appended to the log (data `{id, type, trainId, actor, time}`, SSE id = event id), oldest first, and a comment every 15 s. Reconnecting with `Last-Event-ID` (or `?after=`) first sends what was missed; more than 1000 events behind, `event: reset` tells the client to reload instead. When the credentials that opened it stop holding (logout, session expiry, a revoked or expired token), the next batch is not sent: `event: expired`, and the stream ends. Payloads are not sent: read them from `/api/v1/events` or the train.",
        querystring: z.object({
          after: z.coerce
            .number()
            .int()
            .min(0)
            .optional()
            .describe("Start after this event id (as Last-Event-ID does); default: from now on"),
        }),
        response: {
          200: z.string().describe("text/event-stream"),
          401: ProblemSchema,
          403: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const header = request.headers["last-event-id"];
      const lastEventId = Number.parseInt(Array.isArray(header) ? (header[0] ?? "") : (header ?? ""), 10);
      const after =
        Number.isFinite(lastEventId) && lastEventId >= 0 ? lastEventId : (request.query.after ?? null);

      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      raw.write("retry: 2000\n\n");
      const send = (chunk: string) => {
        if (!raw.writableEnded) raw.write(chunk);
      };
      let unsubscribe = () => {};
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), HEARTBEAT_MS);
      heartbeat.unref();
      const end = () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(end);
        if (!raw.writableEnded) raw.end();
      };
      open.add(end);
      request.raw.on("close", end);
      try {
        // Batches are checked and written one after another, so order holds across the awaits.
        let queue = Promise.resolve();
        const stillAllowed = options.stillAllowed ?? (async () => true);
        const subscription = await feed.subscribe(after, {
          events: (events: LiveEvent[]) => {
            queue = queue.then(async () => {
              if (raw.writableEnded) return;
              if (!(await stillAllowed(request))) {
                send(
                  `event: expired\ndata: ${JSON.stringify({ reason: "credentials no longer valid" })}\n\n`,
                );
                end();
                return;
              }
              for (const event of events)
                send(`id: ${event.id}\nevent: railyard\ndata: ${JSON.stringify(event)}\n\n`);
            });
          },
          reset: (head) => {
            queue = queue.then(() =>
              send(`id: ${head}\nevent: reset\ndata: ${JSON.stringify({ head })}\n\n`),
            );
          },
        });
        unsubscribe = subscription.unsubscribe;
        if (raw.writableEnded) {
          unsubscribe();
          return;
        }
        // After the catch-up it may have queued, in the order the client reads them.
        queue = queue.then(() =>
          send(`event: ready\ndata: ${JSON.stringify({ head: subscription.head })}\n\n`),
        );
      } catch (error) {
        // Ended already: the server closed while the stream was starting (nothing went wrong).
        if (!raw.writableEnded)
          logger.warn({ err: (error as Error).message }, "live event stream could not start");
        end();
      }
    },
  );
}
