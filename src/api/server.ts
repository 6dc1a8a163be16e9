/**
 * The HTTP API: Fastify 5 with zod schemas shared by validation and the OpenAPI 3.1 document
 * (served at `/api/docs`, raw at `/api/openapi.json`). Errors are `application/problem+json`.
 */
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from "fastify-type-provider-zod";
import { parseDuration } from "../domain/duration.js";
import type { Logger } from "../engine/ports.js";
import type { Railyard } from "../engine/railyard.js";
import { Sessions } from "../engine/sessions.js";
import { accessHook, bearerToken, cookieValue, SESSION_COOKIE } from "./auth.js";
import { problem, problemHandler, sendProblem } from "./problem.js";
import { TokenBucketLimiter } from "./rate-limit.js";
import { alertmanagerRoutes } from "./routes/alertmanager.js";
import { artifactRoutes } from "./routes/artifacts.js";
import { calendarRoutes } from "./routes/calendar.js";
import { checklistRoutes } from "./routes/checklists.js";
import { gateResultRoutes } from "./routes/gate-results.js";
import { hotfixRoutes } from "./routes/hotfixes.js";
import { incidentRoutes } from "./routes/incidents.js";
import { metricsRoutes } from "./routes/metrics.js";
import { notificationRoutes } from "./routes/notifications.js";
import { pinRoutes } from "./routes/pins.js";
import { prometheusRoutes } from "./routes/prometheus.js";
import { reportRoutes } from "./routes/reports.js";
import { sessionRoutes } from "./routes/session.js";
import { streamRoutes } from "./routes/stream.js";
import { systemRoutes } from "./routes/system.js";
import { timetableSpanRoutes } from "./routes/timetable-spans.js";
import { trainMetricsRoutes } from "./routes/train-metrics.js";
import { trainRoutes } from "./routes/trains.js";
import { waiverRoutes } from "./routes/waivers.js";
import { webhookRoutes } from "./routes/webhooks.js";
import { webAppRoutes } from "./web-app.js";

export interface ServerOptions {
  railyard: Railyard;
  logger: Logger;
  /** Largest request body accepted. @default the configuration's `access.maxRequestBytes` */
  bodyLimit?: number;
  /** Counts mutations per token or address (tests inject one with their own time source). */
  rateLimiter?: TokenBucketLimiter;
  /** The dashboard's build folder (null: none). @default dist/web when built */
  webRoot?: string | null;
  /** How often the live event stream reads the log. @default 250 ms */
  streamIntervalMs?: number;
  /** A session's life on the engine's clock. @default the configuration's `access.session.ttl` */
  sessionTtlMs?: number;
}

/** Builds the API server (not listening yet); `await app.ready()` before `inject` or `listen`. */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { railyard, logger } = options;
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? railyard.config.access.maxRequestBytes,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest("principal", null);
  app.decorateRequest("session", null);
  const sessions = new Sessions({
    store: railyard.store,
    clock: railyard.clock,
    tokens: railyard.tokens,
    ttlMs: () => options.sessionTtlMs ?? parseDuration(railyard.config.access.session.ttl),
  });
  // One place decides who asks: every route below sees `request.principal` resolved.
  app.addHook(
    "onRequest",
    accessHook({ railyard, sessions, logger, limiter: options.rateLimiter ?? new TokenBucketLimiter() }),
  );
  app.setErrorHandler(problemHandler(options.logger));
  // Filled in once the dashboard's routes are known: a browser navigating to /trains/web-4 gets the app.
  let servePage: (request: FastifyRequest, reply: FastifyReply) => boolean = () => false;
  app.setNotFoundHandler((request, reply) => {
    if (servePage(request, reply)) return;
    sendProblem(reply, problem(404, "not-found", `no route ${request.method} ${request.url}; see /api/docs`));
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Railyard API",
        description:
          "Release-train orchestration: lines, trains, artifacts, gates, approvals, rollout and audit. Requests authenticate with `Authorization: Bearer <token>` or the dashboard's session cookie (mutations made with the cookie also send `X-CSRF-Token`); reads need credentials unless `access.anonymousRead`. Mutations are rate-limited per token (429 with Retry-After). Errors are RFC 9457 problem details.",
        version: "0.1.0",
      },
      tags: [
        { name: "trains", description: "Departures of lines and their progress" },
        { name: "actions", description: "What people do to trains" },
        { name: "approvals" },
        { name: "artifacts", description: "Built versions pushed by CI, their reports and CI statuses" },
        { name: "security", description: "Waivers of findings the security gate would count" },
        {
          name: "webhooks",
          description:
            "CI status from GitHub, GitLab or any CI signing Railyard's way, verified by signature or token and accepted once",
        },
        { name: "lines" },
        { name: "deployments" },
        { name: "incidents", description: "Failed rollbacks and what stopped a line" },
        { name: "audit", description: "The hash-chained event log" },
        { name: "config" },
        { name: "tokens" },
        {
          name: "session",
          description: "Dashboard login: a token exchanged for an httpOnly session cookie and a CSRF token",
        },
        { name: "system" },
      ],
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer" },
          session: {
            type: "apiKey",
            in: "cookie",
            name: "railyard_session",
            description:
              "Set by POST /api/v1/session; mutations made with it must send the session's CSRF token as X-CSRF-Token",
          },
          githubSignature: {
            type: "apiKey",
            in: "header",
            name: "X-Hub-Signature-256",
            description: "sha256=<HMAC-SHA256 of the exact body, keyed with the webhook secret>",
          },
          gitlabToken: {
            type: "apiKey",
            in: "header",
            name: "X-Gitlab-Token",
            description: "The webhook's secret token",
          },
          railyardSignature: {
            type: "apiKey",
            in: "header",
            name: "X-Railyard-Signature",
            description:
              'sha256=<HMAC-SHA256 of "<X-Railyard-Timestamp>.<exact body>", keyed with the shared secret>; with X-Railyard-Timestamp (Unix seconds) and X-Railyard-Delivery',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/api/docs" });
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  trainRoutes(app, options.railyard);
  artifactRoutes(app, options.railyard);
  await reportRoutes(app, options.railyard);
  await webhookRoutes(app, options.railyard, options.logger);
  pinRoutes(app, options.railyard);
  waiverRoutes(app, options.railyard);
  checklistRoutes(app, options.railyard);
  hotfixRoutes(app, options.railyard);
  incidentRoutes(app, options.railyard);
  notificationRoutes(app, options.railyard);
  alertmanagerRoutes(app, options.railyard, options.logger);
  metricsRoutes(app, options.railyard);
  trainMetricsRoutes(app, options.railyard);
  gateResultRoutes(app, options.railyard);
  systemRoutes(app, options.railyard, options.logger);
  calendarRoutes(app, options.railyard);
  timetableSpanRoutes(app, options.railyard);
  await prometheusRoutes(app, options.railyard, options.logger);
  sessionRoutes(app, sessions, logger);
  streamRoutes(app, railyard, logger, {
    ...(options.streamIntervalMs === undefined ? {} : { intervalMs: options.streamIntervalMs }),
    stillAllowed: async (request) => {
      try {
        const token = bearerToken(request);
        if (token !== undefined) await railyard.tokens.authenticate(token);
        else {
          const id = cookieValue(request, SESSION_COOKIE);
          if (id !== undefined) await sessions.resolve(id);
          else return railyard.config.access.anonymousRead;
        }
        return true;
      } catch {
        return false;
      }
    },
  });
  servePage = webAppRoutes(app, options.webRoot);
  return app;
}
