/** Checklists: items people confirm before a train goes on, each tick audited. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Railyard } from "../../engine/railyard.js";
import { principalOf, requireAuth } from "../auth.js";
import { ChecklistTickSchema, ChecklistViewSchema, MUTATION_ERRORS, ProblemSchema } from "../schemas.js";

const TrainParams = z.object({ id: z.string().min(1).describe("Train ID, e.g. web-42") });

/** Registers `GET /api/v1/trains/:id/checklists` and the tick route. */
export function checklistRoutes(app: FastifyInstance, railyard: Railyard): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/v1/trains/:id/checklists",
    {
      schema: {
        tags: ["actions"],
        summary: "The train's checklists, with what is ticked for its current manifest revision",
        params: TrainParams,
        response: { 200: z.array(ChecklistViewSchema), 404: ProblemSchema },
      },
    },
    async (request) => railyard.trainChecklists(request.params.id),
  );

  r.post(
    "/api/v1/trains/:id/checklists/:gate/items/:item",
    {
      preHandler: requireAuth(railyard),
      schema: {
        tags: ["actions"],
        summary: "Tick a checklist item (by someone holding the item's role; audited)",
        description:
          "The tick counts for the train's current manifest revision. When it completes a checklist whose gate blocked the train, the train is retried at once (`retried: true`). Ticking an item twice is 409; without the item's role, 403.",
        security: [{ bearer: [] }],
        params: TrainParams.extend({ gate: z.string().min(1), item: z.string().min(1) }),
        body: z.strictObject({ note: z.string().max(2000).nullish() }).default({}),
        response: { 201: ChecklistTickSchema, ...MUTATION_ERRORS },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await railyard.tickChecklist(
            request.params.id,
            request.params.gate,
            request.params.item,
            principalOf(request),
            request.body?.note ?? null,
          ),
        ),
  );
}
