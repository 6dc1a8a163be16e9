/**
 * Gate results across trains (`GET /api/v1/gate-results`): the latest canary analyses, SLO
 * verdicts or security scans without reading every train. The on-call dashboard shows the latest
 * canary analysis from here when no train in flight has one.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { Gate } from "../../domain/config/schema.js";
import { InvalidInputError } from "../../engine/errors.js";
import type { Railyard } from "../../engine/railyard.js";
import { GateResultSchema, ProblemSchema } from "../schemas.js";

/** Every gate type the configuration knows (`tests`, `canary`, `slo`, …). */
export const GATE_TYPES: readonly string[] = Gate.options.map((option) => option.shape.type.value);

/** Registers `GET /api/v1/gate-results`. */
export function gateResultRoutes(app: FastifyInstance, railyard: Railyard): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    "/api/v1/gate-results",
    {
      schema: {
        tags: ["trains"],
        summary: "Gate results across trains, newest first (e.g. the latest canary analyses)",
        description:
          "Each result as the train's detail shows it (GET /api/v1/trains/{id}, `gates`), newest first by the event that recorded it. `type` keeps the given gate types (comma-separated); `line` keeps one line's trains.",
        querystring: z.object({
          type: z
            .string()
            .min(1)
            .optional()
            .describe("Comma-separated gate types, e.g. canary or slo,prometheus"),
          line: z.string().min(1).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(20),
        }),
        response: { 200: z.array(GateResultSchema), 400: ProblemSchema },
      },
    },
    async (request) => {
      const q = request.query;
      const types = q.type?.split(",").map((t) => t.trim());
      const unknown = types?.filter((t) => !GATE_TYPES.includes(t)) ?? [];
      if (unknown.length > 0) {
        throw new InvalidInputError(
          `gate results: type ${unknown.join(", ")} is not a gate type; known: ${GATE_TYPES.join(", ")}`,
          { field: "type" },
        );
      }
      if (q.line !== undefined && !(q.line in railyard.config.lines)) {
        throw new InvalidInputError(
          `gate results: line ${q.line} is not in the configuration; known: ${Object.keys(railyard.config.lines).join(", ") || "none"}`,
          { field: "line" },
        );
      }
      return railyard.store.recentGateResults({
        ...(types ? { types } : {}),
        ...(q.line ? { line: q.line } : {}),
        limit: q.limit,
      });
    },
  );
}
