/** Artifacts: CI pushes them; they board trains. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Railyard } from "../../engine/railyard.js";
import { principalOf, requireAuth } from "../auth.js";
import {
  ArtifactPushSchema,
  ArtifactSchema,
  CiStatusSchema,
  ProblemSchema,
  PushResultSchema,
} from "../schemas.js";

export function artifactRoutes(app: FastifyInstance, railyard: Railyard): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    "/api/v1/artifacts",
    {
      preHandler: requireAuth(railyard),
      // The hot path of CI: the answer is built by the engine in the documented shape, so it is
      // written with JSON.stringify instead of being parsed again by its zod schema.
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        tags: ["artifacts"],
        summary: "Push an artifact; it boards the open train (or the next one after the cut-off)",
        description:
          "Answers 201 with the train it boarded. After the cut-off of the train it asked for (or the open one) it boards the next train, and `late` and `message` say so. Pushing the same component version with the same commit again answers 200 and changes nothing; with another commit, 409.",
        security: [{ bearer: [] }],
        body: ArtifactPushSchema,
        response: {
          200: PushResultSchema,
          201: PushResultSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
          409: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const result = await railyard.pushArtifact(request.body, principalOf(request));
      return reply.code(result.replay ? 200 : 201).send(result);
    },
  );

  r.get(
    "/api/v1/artifacts",
    {
      schema: {
        tags: ["artifacts"],
        summary: "List artifacts, newest first",
        querystring: z.object({
          component: z.string().optional(),
          train: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: { 200: z.array(ArtifactSchema) },
      },
    },
    async (request) => {
      const { component, train, limit } = request.query;
      return railyard.artifacts({
        ...(component ? { component } : {}),
        ...(train ? { trainId: train } : {}),
        limit,
      });
    },
  );

  r.get(
    "/api/v1/artifacts/:id",
    {
      schema: {
        tags: ["artifacts"],
        summary: "One artifact",
        params: z.object({ id: z.string() }),
        response: { 200: ArtifactSchema, 404: ProblemSchema },
      },
    },
    async (request) => railyard.artifact(request.params.id),
  );

  r.get(
    "/api/v1/artifacts/:id/ci",
    {
      schema: {
        tags: ["artifacts"],
        summary: "CI statuses recorded for an artifact's commit",
        description:
          "The latest status of each CI source (GitHub workflow or check suite, GitLab pipeline) for the commit the artifact was built from, in its component's `repository`; empty when the component names no repository or nothing reported. The status the push itself carried is the artifact's `ci`.",
        params: z.object({ id: z.string() }),
        response: { 200: z.array(CiStatusSchema), 404: ProblemSchema },
      },
    },
    async (request) => railyard.artifactCi(request.params.id),
  );
}
