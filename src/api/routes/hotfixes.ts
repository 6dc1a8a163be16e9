/** Hotfix trains: unscheduled trains on a line, with the line's fast-track gates and an audited reason. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Railyard } from "../../engine/railyard.js";
import { principalOf, requireAuth } from "../auth.js";
import { HotfixRequestSchema, ProblemSchema, TrainSchema } from "../schemas.js";

/** Registers `POST /api/v1/lines/:line/hotfixes`. */
export function hotfixRoutes(app: FastifyInstance, railyard: Railyard): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAuth(railyard);

  r.post(
    "/api/v1/lines/:line/hotfixes",
    {
      preHandler: auth,
      schema: {
        tags: ["lines", "actions"],
        summary: "Start a hotfix train on a line",
        description:
          "Creates `<line>-<n>-hotfix-<k>` (n: the line's latest regular train that reached production, else its latest; k counts hotfixes on n), departing now, opened and frozen with the given versions (each must have been pushed as an artifact and ride the line). It runs the line's `hotfix.gates` instead of its gates, then its approval and rollout; it ignores the line's window but not blackouts. Only the roles in the line's `hotfix.roles` may start one (403). When a blackout stops the line now, the request needs `exceptionReason` and a caller holding one of the blackout's `exceptionRoles` (409 without it, naming the blackout); the exception is recorded with the hotfix.",
        security: [{ bearer: [] }],
        params: z.object({ line: z.string().min(1).describe("Line name, e.g. shop") }),
        body: HotfixRequestSchema,
        response: {
          201: TrainSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
          409: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const train = await railyard.startHotfix(
        request.params.line,
        {
          components: request.body.components,
          reason: request.body.reason,
          exceptionReason: request.body.exceptionReason ?? null,
        },
        principalOf(request),
      );
      return reply.code(201).send(railyard.present(train));
    },
  );
}
