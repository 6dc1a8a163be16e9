/**
 * The HTTP API: Fastify 5 with zod schemas shared by validation and the OpenAPI 3.1 document
 * (served at `/api/docs`, raw at `/api/openapi.json`). Errors are `application/problem+json`.
 */
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from "fastify-type-provider-zod";
import type { Logger } from "../engine/ports.js";
import type { Railyard } from "../engine/railyard.js";
import { problem, problemHandler, sendProblem } from "./problem.js";
import { artifactRoutes } from "./routes/artifacts.js";
import { calendarRoutes } from "./routes/calendar.js";
import { checklistRoutes } from "./routes/checklists.js";
import { hotfixRoutes } from "./routes/hotfixes.js";
import { incidentRoutes } from "./routes/incidents.js";
import { pinRoutes } from "./routes/pins.js";
import { reportRoutes } from "./routes/reports.js";
import { systemRoutes } from "./routes/system.js";
import { trainRoutes } from "./routes/trains.js";
import { waiverRoutes } from "./routes/waivers.js";
import { webhookRoutes } from "./routes/webhooks.js";

export interface ServerOptions {
  railyard: Railyard;
  logger: Logger;
  /** Largest request body accepted. @default 1 MiB */
  bodyLimit?: number;
}

/** Builds the API server (not listening yet); `await app.ready()` before `inject` or `listen`. */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest("principal", null);
  app.setErrorHandler(problemHandler(options.logger));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problem(404, "not-found", `no route ${request.method} ${request.url}; see /api/docs`)),
  );

  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Railyard API",
        description:
          "Release-train orchestration: lines, trains, artifacts, gates, approvals, rollout and audit. Mutations need `Authorization: Bearer <token>`; errors are RFC 9457 problem details.",
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
          description: "CI status from GitHub and GitLab, verified by their signature or token",
        },
        { name: "lines" },
        { name: "deployments" },
        { name: "incidents", description: "Failed rollbacks and what stopped a line" },
        { name: "audit", description: "The hash-chained event log" },
        { name: "config" },
        { name: "tokens" },
        { name: "system" },
      ],
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer" },
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
  systemRoutes(app, options.railyard, options.logger);
  calendarRoutes(app, options.railyard);
  return app;
}
