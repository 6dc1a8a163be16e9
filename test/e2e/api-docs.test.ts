/**
 * The API documents itself: an OpenAPI 3.1 document generated from the same zod schemas that
 * validate requests, an interactive page at /api/docs, and problem+json for every error.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../support/dialects.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { createWorld, type World } from "../support/world.js";

for (const dialect of DIALECTS) {
  describe(`API documentation (${dialect})`, () => {
    let world: World;
    let server: TestServer;

    beforeAll(async () => {
      world = await createWorld();
      server = await startTestServer(world, dialect);
    });
    afterAll(async () => {
      await server.cleanup();
      await world.cleanup();
    });

    it("serves an OpenAPI 3.1 document covering every endpoint the issue names", async () => {
      const answer = await server.request<{
        openapi: string;
        paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>>;
        components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
      }>("GET", "/api/openapi.json");
      expect(answer.status).toBe(200);
      const doc = answer.body;
      expect(doc.openapi).toBe("3.1.0");
      const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
      );
      expect(operations).toEqual(
        expect.arrayContaining([
          "GET /api/v1/health",
          "GET /api/v1/config",
          "POST /api/v1/config/reload",
          "GET /api/v1/lines",
          "GET /api/v1/trains",
          "GET /api/v1/trains/{id}",
          "GET /api/v1/trains/{id}/events",
          "POST /api/v1/artifacts",
          "GET /api/v1/artifacts",
          "POST /api/v1/trains/{id}/approvals",
          "POST /api/v1/trains/{id}/pause",
          "POST /api/v1/trains/{id}/resume",
          "POST /api/v1/trains/{id}/abort",
          "POST /api/v1/trains/{id}/rollback",
          "POST /api/v1/trains/{id}/retry",
          "POST /api/v1/trains/{id}/drop",
          "GET /api/v1/trains/{id}/exceptions",
          "POST /api/v1/trains/{id}/exceptions",
          "POST /api/v1/lines/{line}/hotfixes",
          "GET /api/v1/audit/verify",
          "GET /api/v1/audit/export",
          "POST /api/v1/tokens",
          "POST /api/v1/webhooks/github",
          "POST /api/v1/webhooks/gitlab",
          "POST /api/v1/webhooks/generic",
          "POST /api/v1/artifacts/{id}/reports",
          "GET /api/v1/artifacts/{id}/reports",
          "GET /api/v1/artifacts/{id}/reports/{reportId}",
          "GET /api/v1/artifacts/{id}/ci",
          "POST /api/v1/trains/{id}/test-reports",
          "GET /api/v1/trains/{id}/test-reports",
          "GET /api/v1/trains/{id}/diff",
          "GET /api/v1/pins",
          "POST /api/v1/components/{component}/pin",
          "DELETE /api/v1/components/{component}/pin",
          "GET /api/v1/waivers",
          "POST /api/v1/waivers",
          "POST /api/v1/waivers/{id}/revoke",
          "GET /api/v1/trains/{id}/checklists",
          "POST /api/v1/trains/{id}/checklists/{gate}/items/{item}",
          "POST /api/v1/trains/{id}/promote",
          "GET /api/v1/incidents",
          "POST /api/v1/incidents/{id}/resolve",
          "POST /api/v1/session",
          "GET /api/v1/session",
          "DELETE /api/v1/session",
        ]),
      );
      // every mutation declares how it is authenticated (webhooks by their sender's signature or
      // token, everything else by bearer token) and documents its problem answers
      const webhookSecurity: Record<string, unknown> = {
        "/api/v1/webhooks/github": [{ githubSignature: [] }],
        "/api/v1/webhooks/gitlab": [{ gitlabToken: [] }],
        "/api/v1/webhooks/generic": [{ railyardSignature: [] }],
      };
      // the dashboard's login takes the token in its body; its logout ends the cookie's session
      const sessionSecurity: Record<string, unknown> = {
        "post /api/v1/session": [],
        "delete /api/v1/session": [{ session: [] }, { bearer: [] }],
      };
      for (const [path, methods] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(methods)) {
          if (method === "get" || path.startsWith("/api/docs")) continue;
          expect(operation.security, `${method} ${path}`).toEqual(
            sessionSecurity[`${method} ${path}`] ?? webhookSecurity[path] ?? [{ bearer: [] }],
          );
          expect(Object.keys(operation.responses), `${method} ${path}`).toContain("401");
        }
      }
      expect(Object.keys(doc.components.securitySchemes)).toEqual(
        expect.arrayContaining(["bearer", "githubSignature", "gitlabToken", "railyardSignature"]),
      );
      expect(Object.keys(doc.components.schemas)).toEqual(
        expect.arrayContaining([
          "Train",
          "TrainDetail",
          "Artifact",
          "ArtifactPush",
          "Problem",
          "Event",
          "TrainException",
          "HotfixRequest",
          "ManifestDiff",
          "TestReport",
          "ArtifactReport",
          "CiStatus",
          "WebhookResult",
          "DropResult",
          "Pin",
          "PinResult",
        ]),
      );
    });

    it("serves the interactive documentation page", async () => {
      const response = await fetch(`${server.url}/api/docs`, { redirect: "follow" });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/html");
      expect(await response.text()).toContain("swagger");
    });

    it("answers unknown routes and malformed bodies with problem+json", async () => {
      const missing = await server.request<{ type: string; status: number; detail: string }>(
        "GET",
        "/api/v1/nope",
      );
      expect(missing.status).toBe(404);
      expect(missing.contentType).toContain("application/problem+json");
      expect(missing.body).toMatchObject({ type: "https://railyard.dev/problems/not-found", status: 404 });
      const response = await fetch(`${server.url}/api/v1/artifacts`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer test-admin-token" },
        body: "{not json",
      });
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      const unknownTrain = await server.request<{ detail: string }>("GET", "/api/v1/trains/shop-99");
      expect(unknownTrain.status).toBe(404);
      expect(unknownTrain.body.detail).toBe('no train "shop-99"');
    });
  });
}
