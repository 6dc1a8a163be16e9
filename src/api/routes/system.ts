/** Health, configuration, lines, deployments, events, audit, tokens and the simulated clock. */
import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { parseDuration } from "../../domain/duration.js";
import type { EventType } from "../../domain/events.js";
import { SimulatedClock } from "../../engine/clock.js";
import { InvalidConfigError, InvalidInputError } from "../../engine/errors.js";
import type { Logger } from "../../engine/ports.js";
import type { Railyard } from "../../engine/railyard.js";
import { exportAuditLines, verifyAudit } from "../../store/audit.js";
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
  WebhookCountsSchema,
} from "../schemas.js";
import { webhookCountersOf } from "../webhook-counters.js";

const VERSION = "0.1.0";

function duration(field: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (error) {
    throw new InvalidInputError(`${field}: ${(error as Error).message}`, { field });
  }
}

/** The range a timetable read covers: a line, and [from, to) of at most two years. */
export const TimetableRangeQuery = z.object({
  line: z.string().min(1).optional().describe("Only this line."),
  from: z.iso.datetime({ offset: true }).optional().describe("Start (inclusive). @default now"),
  to: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("End (exclusive), at most two years after `from`. @default 30 days after `from`"),
});

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
            webhooks: WebhookCountsSchema,
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
        webhooks: webhookCountersOf(railyard).snapshot(),
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
        querystring: TimetableRangeQuery,
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
          actor: z.string().optional().describe("Only this actor's events"),
          type: z
            .string()
            .optional()
            .describe("Only events of these types, comma-separated (e.g. access.denied,action.audited)"),
          limit: z.coerce.number().int().min(1).max(5000).default(500),
        }),
        response: { 200: z.array(EventSchema) },
      },
    },
    async (request) => {
      const { afterId, train, actor, type, limit } = request.query;
      return railyard.events({
        ...(afterId === undefined ? {} : { afterId }),
        ...(train ? { trainId: train } : {}),
        ...(actor ? { actor } : {}),
        ...(type ? { types: type.split(",").map((t) => t.trim()) as EventType[] } : {}),
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
        summary: "Recompute the hash chain, check the signed checkpoints and name the first broken event",
        description:
          "Every stored checkpoint must still match its event's hash, and its signature must verify with the server's key. `checkpoints.signing` is `off` when the server has no signing key (`audit.signingKeyFromEnv` unset): then no checkpoints are made and signatures are not checked.",
        security: [{ bearer: [] }],
        response: {
          200: ChainVerificationSchema.and(
            z.object({
              checkpoints: z.object({
                count: z.number().int(),
                signatures: z.enum(["verified", "not checked"]),
                keyId: z.string().nullable(),
                last: z.object({ eventId: z.number().int(), signedAt: Instant }).nullable(),
                unsigned: z.number().int().describe("Events after the newest checkpoint"),
                signing: z.enum(["on", "off"]).optional(),
              }),
            }),
          ),
          401: ProblemSchema,
        },
      },
    },
    async () => {
      const signer = railyard.auditSigner;
      return verifyAudit(railyard.store, {
        publicKey: signer.publicKey,
        signing: signer.enabled ? "on" : "off",
      });
    },
  );

  r.get(
    "/api/v1/audit/export",
    {
      preHandler: auth,
      schema: {
        tags: ["audit"],
        summary: "The audit log as JSON Lines (application/x-ndjson), verifiable without the server",
        description:
          "A header line, the events (train and actor filters leave the others in as stubs without their content, so the chain still links), each signed checkpoint after its event, and, when the server holds the signing key, a signed seal. `railyard audit verify --export FILE --public-key FILE` checks it.",
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
      const exported = exportAuditLines(railyard.store, {
        filter: {
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
          ...(train ? { trainId: train } : {}),
          ...(actor ? { actor } : {}),
        },
        exportedAt: railyard.clock.now().toISOString(),
        key: railyard.auditSigner.key,
      });
      async function* lines() {
        for await (const line of exported) yield `${line}\n`;
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
        summary: "API tokens (never their secrets): every token for admins, your own for anyone else",
        security: [{ bearer: [] }],
        response: { 200: z.array(TokenRecordSchema), 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request) => {
      return railyard.listTokens(principalOf(request));
    },
  );

  r.post(
    "/api/v1/tokens",
    {
      preHandler: auth,
      schema: {
        tags: ["tokens"],
        summary: "Create an API token; its secret is shown in this answer only",
        description:
          "Anyone may create a token for themselves with a subset of their own roles (roles are narrowed to the person's configured roles when used). Admins create tokens for anyone, CI tokens (`kind: ci`, pushing artifacts and reports for `components` only) and tokens that never expire. Tokens are stored as SHA-256 hashes; creation is audited.",
        security: [{ bearer: [] }],
        body: TokenCreateSchema,
        response: { 201: z.object({ token: z.string(), record: TokenRecordSchema }), ...errors },
      },
    },
    async (request, reply) => {
      const who = principalOf(request);
      const { name, subject, kind, roles, components, expiresIn } = request.body;
      if (expiresIn === "never") railyard.authorize(who, "token.manage");
      const created = await railyard.createToken(
        {
          name,
          subject: subject ?? who.subject,
          kind,
          roles: kind === "ci" ? [] : roles,
          components: components ?? null,
          expiresInMs: expiresIn === "never" ? null : duration("expiresIn", expiresIn),
        },
        who,
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
        summary: "Revoke a token (admins: any; others: their own)",
        security: [{ bearer: [] }],
        params: z.object({ id: z.string() }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await railyard.revokeToken(request.params.id, principalOf(request));
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
      const now = await railyard.advanceClock(duration("by", request.body.by), principalOf(request));
      return { now: now.toISOString() };
    },
  );
}
