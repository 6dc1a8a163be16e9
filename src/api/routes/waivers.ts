/** Waivers: findings accepted on the record for one component until an expiry. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Railyard } from "../../engine/railyard.js";
import { principalOf, requireAuth } from "../auth.js";
import { MUTATION_ERRORS, PinRequestSchema, WaiverRequestSchema, WaiverSchema } from "../schemas.js";

/** Registers `GET|POST /api/v1/waivers` and `POST /api/v1/waivers/:id/revoke`. */
export function waiverRoutes(app: FastifyInstance, railyard: Railyard): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAuth(railyard);

  r.get(
    "/api/v1/waivers",
    {
      schema: {
        tags: ["security"],
        summary: "Waivers in force (or every one with all=true), oldest first",
        querystring: z.object({
          component: z.string().optional(),
          all: z.enum(["true", "false"]).default("false").describe("Include expired and revoked waivers"),
        }),
        response: { 200: z.array(WaiverSchema) },
      },
    },
    async (request) =>
      railyard.waivers({
        ...(request.query.component ? { component: request.query.component } : {}),
        all: request.query.all === "true",
      }),
  );

  r.post(
    "/api/v1/waivers",
    {
      preHandler: auth,
      schema: {
        tags: ["security"],
        summary: "Waive a finding for a component until an expiry (approvers, coordinators, admins)",
        description:
          "The security gate stops counting the finding for that component until `expires` (a year at most) or until the waiver is revoked; the gate's output lists it as waived, by whom and why. A waiver in force for the same finding and component is 409.",
        security: [{ bearer: [] }],
        body: WaiverRequestSchema,
        response: { 201: WaiverSchema, ...MUTATION_ERRORS },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await railyard.grantWaiver(principalOf(request), request.body)),
  );

  r.post(
    "/api/v1/waivers/:id/revoke",
    {
      preHandler: auth,
      schema: {
        tags: ["security"],
        summary: "Revoke a waiver: the finding counts again at once",
        security: [{ bearer: [] }],
        params: z.object({ id: z.string().min(1) }),
        body: PinRequestSchema,
        response: { 200: WaiverSchema, ...MUTATION_ERRORS },
      },
    },
    async (request) => railyard.revokeWaiver(request.params.id, principalOf(request), request.body.reason),
  );
}
