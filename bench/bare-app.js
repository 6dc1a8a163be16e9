/**
 * The baseline route: a bare Fastify 5 server with one route that validates the same body as
 * `POST /api/v1/artifacts` (the same zod schema and validator compiler), stores nothing, and
 * answers 201 with a push result of the same shape and about the same size, written with
 * `JSON.stringify` as Railyard's push route writes its answers.
 */
import { randomBytes } from "node:crypto";
import Fastify from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { ArtifactPushSchema, PushResultSchema } from "../dist/api/schemas.js";

/** Starts the bare server on a free loopback port; resolves with its URL and a close function. */
export async function startBare() {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.post(
    "/api/v1/artifacts",
    {
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: { body: ArtifactPushSchema, response: { 201: PushResultSchema } },
    },
    async (request, reply) => {
      const body = request.body;
      const now = "2026-03-02T05:00:00.000Z";
      return reply.code(201).send({
        artifact: {
          id: `art_${randomBytes(9).toString("base64url")}`,
          component: body.component,
          version: body.version,
          commit: body.commit.toLowerCase(),
          buildUrl: body.buildUrl ?? null,
          digest: body.digest ?? null,
          dependsOn: body.dependsOn ?? [],
          trainId: "line0-1",
          dropped: false,
          pushedBy: "ci-bot",
          pushedAt: now,
        },
        train: {
          id: "line0-1",
          state: "boarding",
          cutoffAt: "2026-03-02T08:00:00.000Z",
          departureAt: "2026-03-02T10:00:00.000Z",
        },
        late: false,
        replay: false,
        message: `${body.component} ${body.version} boarded line0-1 (cut-off 2026-03-02T08:00:00.000Z, departs 2026-03-02T10:00:00.000Z)`,
      });
    },
  );
  await app.listen({ host: "127.0.0.1", port: 0 });
  return { url: `http://127.0.0.1:${app.server.address().port}`, close: () => app.close() };
}
