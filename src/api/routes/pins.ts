/** Pins: a component held at its production version on every train of its line until unpinned. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Railyard } from "../../engine/railyard.js";
import { principalOf, requireAuth } from "../auth.js";
import { MUTATION_ERRORS, PinRequestSchema, PinResultSchema, PinSchema } from "../schemas.js";

const ComponentParams = z.object({ component: z.string().min(1).describe("Component name, e.g. api") });
const errors = MUTATION_ERRORS;

/** Registers `GET /api/v1/pins` and `POST|DELETE /api/v1/components/:component/pin`. */
export function pinRoutes(app: FastifyInstance, railyard: Railyard): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAuth(railyard);

  r.get(
    "/api/v1/pins",
    {
      schema: {
        tags: ["actions"],
        summary: "Pinned components, by name",
        response: { 200: z.array(PinSchema) },
      },
    },
    async () => railyard.pins(),
  );

  r.post(
    "/api/v1/components/:component/pin",
    {
      preHandler: auth,
      schema: {
        tags: ["actions"],
        summary: "Pin a component at its production version (coordinators and admins)",
        description:
          "Until unpinned, the component stays at its production version on every train of its line that freezes: its new versions are held with the pin's reason. A train past its cut-off carrying a new version of it (not yet in production) gets a new manifest revision, like a drop; `remanifested` names those trains and who is held there now. Needs the coordinator or admin role (403) and a reason (400); a component pinned already is 409.",
        security: [{ bearer: [] }],
        params: ComponentParams,
        body: PinRequestSchema,
        response: { 201: PinResultSchema, ...errors },
      },
    },
    async (request, reply) => {
      const result = await railyard.pin(request.params.component, principalOf(request), request.body.reason);
      return reply.code(201).send(result);
    },
  );

  r.delete(
    "/api/v1/components/:component/pin",
    {
      preHandler: auth,
      schema: {
        tags: ["actions"],
        summary: "Lift a component's pin (coordinators and admins)",
        description:
          "Trains that freeze from now on take its new versions again; trains already frozen keep their manifest. Needs the coordinator or admin role (403) and a reason (400); 404 when it is not pinned.",
        security: [{ bearer: [] }],
        params: ComponentParams,
        body: PinRequestSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await railyard.unpin(request.params.component, principalOf(request), request.body.reason);
      return reply.code(204).send(null);
    },
  );
}
