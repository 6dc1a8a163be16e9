/** Health, configuration, lines, deployments, events, audit, tokens and the simulated clock. */
import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { auditLine } from "../../domain/audit-line.js";
import { parseDuration } from "../../domain/duration.js";
import { SimulatedClock } from "../../engine/clock.js";
import { InvalidConfigError, InvalidInputError } from "../../engine/errors.js";
import type { Logger } from "../../engine/ports.js";
import type { Railyard } from "../../engine/railyard.js";
import { principalOf, requireAuth } from "../auth.js";
import {
  ChainVerificationSchema,
  DeploymentSchema,
  EventSchema,
  Instant,
  LineSummarySchema,
  MUTATION_ERRORS,
  ProblemSchema,
  TimetableDeparture,
  TokenCreateSchema,
  TokenRecordSchema,
} from "../schemas.js";

const VERSION = "0.1.0";

function duration(field: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (error) {
    throw new InvalidInputError(`${field}: ${(error as Error).message}`, { field });
  }
}

export function systemRoutes(app: FastifyInstance, railyard: Railyard, logger?: Logger): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAuth(railyard);
  const errors = MUTATION_ERRORS;

  r.get(
    "/api/v1/health",
    {
      schema: {
        tags: ["system"],
        summary: "Liveness and what this server runs on",
        response: {
          200: z.object({
            status: z.literal("ok"),
            version: z.string(),
            store: z.enum(["sqlite", "postgres"]),
            clock: z.object({ now: Instant, simulated: z.boolean(), rate: z.number() }),
            stepsInFlight: z.number().int(),
            config: z.object({ source: z.string(), hash: z.string() }),
          }),
        },
      },
    },
    async () => {
      const clock = railyard.clock;
      return {
        status: "ok" as const,
        version: VERSION,
        store: railyard.store.dialect,
        clock: {
          now: clock.now().toISOString(),
          simulated: clock instanceof SimulatedClock,
          rate: clock instanceof SimulatedClock ? clock.rate : 1,
        },
        stepsInFlight: railyard.stepsInFlight,
        config: { source: railyard.configSource.source, hash: railyard.configSource.hash },
      };
    },
  );

  r.get(
    "/api/v1/config",
    {
      schema: {
        tags: ["config"],
        summary: "The configuration in force (secrets never live in it)",
        response: {
          200: z.object({ source: z.string(), hash: z.string(), config: z.record(z.string(), z.unknown()) }),
        },
      },
    },
    async () => ({
      source: railyard.configSource.source,
      hash: railyard.configSource.hash,
      config: railyard.config,
    }),
  );

  r.post(
    "/api/v1/config/reload",
    {
      preHandler: auth,
      schema: {
        tags: ["config"],
        summary: "Read the configuration file again and swap it in whole",
        description:
          "A valid file replaces the running configuration atomically. An invalid one is rejected whole (422 with every problem as FILE:LINE:COLUMN) and the old one keeps running.",
        security: [{ bearer: [] }],
        response: {
          200: z.object({ hash: z.string(), changed: z.boolean(), lines: z.array(z.string()) }),
          ...errors,
          422: ProblemSchema,
        },
      },
    },
    async (request) => {
      const who = principalOf(request);
      try {
        return await railyard.reload(who);
      } catch (error) {
        // The answer tells the caller; the log tells whoever runs the server.
        if (error instanceof InvalidConfigError) {
          logger?.warn(
            { actor: who.subject, problems: error.details.problems, reason: error.message },
            "configuration reload rejected; the old configuration keeps running",
          );
        }
        throw error;
      }
    },
  );

  r.get(
    "/api/v1/lines",
    {
      schema: {
        tags: ["lines"],
        summary: "Lines with their next departures and active trains",
        response: { 200: z.array(LineSummarySchema) },
      },
    },
    async () => railyard.lines(),
  );

  r.get(
    "/api/v1/lines/:line",
    {
      schema: {
        tags: ["lines"],
        summary: "One line",
        params: z.object({ line: z.string() }),
        response: { 200: LineSummarySchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const line = (await railyard.lines()).find((l) => l.name === request.params.line);
      if (!line) return railyard.trains({ line: request.params.line }).then(() => undefined as never);
      return line;
    },
  );

  r.get(
    "/api/v1/timetable",
    {
      schema: {
        tags: ["lines"],
        summary: "Departures between two instants, ordered by departure (like `railyard timetable`)",
        description:
          "Each departure with its train ID (`<line>-<number>`), scheduled and actual departure, cut-off, deployment window and status (`scheduled`, `shifted` or `skipped` by a blackout, with the reason).",
        querystring: z.object({
          line: z.string().min(1).optional().describe("Only this line."),
          from: z.iso.datetime({ offset: true }).optional().describe("Start (inclusive). @default now"),
          to: z.iso
            .datetime({ offset: true })
            .optional()
            .describe("End (exclusive), at most two years after `from`. @default 30 days after `from`"),
        }),
        response: { 200: z.array(TimetableDeparture), 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => railyard.timetable(request.query),
  );

  r.get(
    "/api/v1/deployments",
    {
      schema: {
        tags: ["deployments"],
        summary: "What version of each component runs in each environment",
        querystring: z.object({ environment: z.string().optional(), component: z.string().optional() }),
        response: { 200: z.array(DeploymentSchema) },
      },
    },
    async (request) => {
      const { environment, component } = request.query;
      return railyard.deployments({
        ...(environment ? { environment } : {}),
        ...(component ? { component } : {}),
      });
    },
  );

  r.get(
    "/api/v1/events",
    {
      schema: {
        tags: ["audit"],
        summary: "Events of the audit log, oldest first",
        querystring: z.object({
          afterId: z.coerce.number().int().min(0).optional(),
          train: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(5000).default(500),
        }),
        response: { 200: z.array(EventSchema) },
      },
    },
    async (request) => {
      const { afterId, train, limit } = request.query;
      return railyard.events({
        ...(afterId === undefined ? {} : { afterId }),
        ...(train ? { trainId: train } : {}),
        limit,
      });
    },
  );

  r.get(
    "/api/v1/audit/verify",
    {
      preHandler: auth,
      schema: {
        tags: ["audit"],
        summary: "Recompute the hash chain and name the first broken event",
        security: [{ bearer: [] }],
        response: { 200: ChainVerificationSchema, 401: ProblemSchema },
      },
    },
    async () => railyard.store.verifyChain(),
  );

  r.get(
    "/api/v1/audit/export",
    {
      preHandler: auth,
      schema: {
        tags: ["audit"],
        summary: "The audit log as JSON Lines (application/x-ndjson)",
        security: [{ bearer: [] }],
        querystring: z.object({
          from: Instant.optional().describe("Inclusive lower bound on event time"),
          to: Instant.optional().describe("Exclusive upper bound on event time"),
          train: z.string().optional(),
          actor: z.string().optional(),
        }),
        response: { 401: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { from, to, train, actor } = request.query;
      const events = railyard.store.streamEvents({
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(train ? { trainId: train } : {}),
        ...(actor ? { actor } : {}),
      });
      async function* lines() {
        for await (const event of events) yield `${auditLine(event)}\n`;
      }
      return reply.type("application/x-ndjson").send(Readable.from(lines()) as never);
    },
  );

  r.get(
    "/api/v1/tokens",
    {
      preHandler: auth,
      schema: {
        tags: ["tokens"],
        summary: "API tokens (never their secrets)",
        security: [{ bearer: [] }],
        response: { 200: z.array(TokenRecordSchema), 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request) => {
      railyard.authorize(principalOf(request), "token.manage");
      return railyard.tokens.list();
    },
  );

  r.post(
    "/api/v1/tokens",
    {
      preHandler: auth,
      schema: {
        tags: ["tokens"],
        summary: "Create an API token; its secret is shown in this answer only",
        security: [{ bearer: [] }],
        body: TokenCreateSchema,
        response: { 201: z.object({ token: z.string(), record: TokenRecordSchema }), ...errors },
      },
    },
    async (request, reply) => {
      const who = principalOf(request);
      railyard.authorize(who, "token.manage");
      const { name, subject, roles, expiresIn } = request.body;
      const created = await railyard.tokens.create(
        { name, subject, roles, expiresInMs: expiresIn ? duration("expiresIn", expiresIn) : null },
        who.subject,
      );
      return reply.code(201).send(created);
    },
  );

  r.delete(
    "/api/v1/tokens/:id",
    {
      preHandler: auth,
      schema: {
        tags: ["tokens"],
        summary: "Revoke a token",
        security: [{ bearer: [] }],
        params: z.object({ id: z.string() }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const who = principalOf(request);
      railyard.authorize(who, "token.manage");
      await railyard.tokens.revoke(request.params.id, who.subject);
      return reply.code(204).send(null);
    },
  );

  r.post(
    "/api/v1/clock/advance",
    {
      preHandler: auth,
      schema: {
        tags: ["system"],
        summary: "Move a simulated clock forward and let trains catch up (demo and tests)",
        security: [{ bearer: [] }],
        body: z.strictObject({ by: z.string().describe("How far, e.g. 1h, 30m, PT2H, 0s") }),
        response: { 200: z.object({ now: Instant }), ...errors },
      },
    },
    async (request) => {
      railyard.authorize(principalOf(request), "clock.advance");
      const now = await railyard.advanceClock(duration("by", request.body.by));
      return { now: now.toISOString() };
    },
  );
}
