/**
 * `GET /metrics`: Railyard's metrics in the Prometheus text format (or OpenMetrics when the
 * `Accept` header asks for `application/openmetrics-text`), for Prometheus to scrape.
 *
 * Like every read it needs credentials unless `access.anonymousRead`: Prometheus sends a viewer
 * token (`authorization: { credentials_file: … }` in its scrape config). It is left out of the
 * OpenAPI document, as `/api/openapi.json` is: it is not part of the JSON API, and its format is
 * Prometheus's (see docs/design/prometheus.md).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { ForbiddenError, UnauthorizedError } from "../../engine/errors.js";
import type { Logger } from "../../engine/ports.js";
import { type ExpositionFormat, PrometheusExporter } from "../../engine/prometheus-exporter.js";
import type { Railyard } from "../../engine/railyard.js";
import { bearerToken } from "../auth.js";

/** The format an `Accept` header asks for: OpenMetrics only when it names it. */
export function expositionFormat(accept: string | undefined): ExpositionFormat {
  return accept?.toLowerCase().includes("application/openmetrics-text") ? "openmetrics" : "prometheus";
}

/**
 * Registers `GET /metrics` with an exporter of its own, whose event counters start now.
 * @throws when the store cannot be read to find the event log's head
 */
export async function prometheusRoutes(
  app: FastifyInstance,
  railyard: Railyard,
  logger: Logger,
): Promise<PrometheusExporter> {
  const exporter = await PrometheusExporter.create(railyard, {
    logger,
    releaseMetrics: (query) => railyard.releaseMetrics(query),
  });

  /** Reads need credentials (unless anonymous reads are allowed) and a role that may read. */
  async function mayScrape(request: FastifyRequest): Promise<void> {
    const token = bearerToken(request);
    if (token === undefined) {
      if (railyard.config.access.anonymousRead) return;
      throw new UnauthorizedError(
        "reading /metrics needs credentials: send `Authorization: Bearer <token>` (in Prometheus: `authorization: { credentials_file: <file with a viewer token> }` in the scrape config)",
      );
    }
    const principal = await railyard.tokens.authenticate(token);
    const decision = railyard.mayRead(principal);
    if (!decision.allowed) {
      await railyard.recordDenied(principal, "read", null, decision.reason);
      throw new ForbiddenError(decision.reason, { action: "read" });
    }
    request.principal = principal;
  }

  app.get("/metrics", { preHandler: mayScrape, schema: { hide: true } }, async (request, reply) => {
    const { contentType, body } = await exporter.render(expositionFormat(request.headers.accept));
    return reply.header("content-type", contentType).send(body);
  });
  return exporter;
}
