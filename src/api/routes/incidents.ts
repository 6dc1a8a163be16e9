/** Incidents: a failed rollback opens one and stops its line until a person resolves it. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Railyard } from "../../engine/railyard.js";
import { principalOf, requireAuth } from "../auth.js";
import { IncidentSchema, MUTATION_ERRORS, ResolveIncidentSchema } from "../schemas.js";

/** Registers `GET /api/v1/incidents` and `POST /api/v1/incidents/:id/resolve`. */
export function incidentRoutes(app: FastifyInstance, railyard: Railyard): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAuth(railyard);

  r.get(
    "/api/v1/incidents",
    {
      schema: {
        tags: ["incidents"],
        summary: "Incidents, newest first",
        querystring: z.object({
          line: z.string().optional(),
          status: z.enum(["open", "resolved"]).optional(),
        }),
        response: { 200: z.array(IncidentSchema) },
      },
    },
    async (request) =>
      railyard.incidents({
        ...(request.query.line ? { line: request.query.line } : {}),
        ...(request.query.status ? { status: request.query.status } : {}),
      }),
  );

  r.post(
    "/api/v1/incidents/:id/resolve",
    {
      preHandler: auth,
      schema: {
        tags: ["incidents"],
        summary: "Resolve an incident (coordinators, admins); a line it stopped goes on",
        security: [{ bearer: [] }],
        params: z.object({ id: z.string() }),
        body: ResolveIncidentSchema,
        response: { 200: IncidentSchema, ...MUTATION_ERRORS },
      },
    },
    async (request) =>
      railyard.resolveIncident(request.params.id, principalOf(request), request.body.resolution),
  );
}
