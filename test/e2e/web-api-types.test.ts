/**
 * The dashboard's API types are generated from the server's own OpenAPI document
 * (openapi-typescript), so a route or schema change that the dashboard does not follow fails
 * `npm run typecheck`. This test keeps the committed `web/src/api/schema.d.ts` in step.
 */
import { readFileSync, writeFileSync } from "node:fs";
import openapiTS, { astToString } from "openapi-typescript";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "../support/server.js";
import { createWorld, type World } from "../support/world.js";

const COMMITTED = new URL("../../web/src/api/schema.d.ts", import.meta.url);
const HEADER =
  "/**\n * The Railyard API's types, generated from /api/openapi.json by openapi-typescript.\n * Do not edit: run `UPDATE_SNAPSHOTS=1 npx vitest run test/e2e/web-api-types.test.ts`.\n */\n\n";

let world: World;
let server: TestServer;

beforeAll(async () => {
  world = await createWorld();
  server = await startTestServer(world, "sqlite");
});
afterAll(async () => {
  await server.cleanup();
  await world.cleanup();
});

test("web/src/api/schema.d.ts is generated from the running server's OpenAPI document", async () => {
  const answer = await server.request<Record<string, unknown>>("GET", "/api/openapi.json");
  expect(answer.status).toBe(200);
  const fresh = HEADER + astToString(await openapiTS(answer.body as never, { alphabetize: true }));
  expect(fresh).toContain('"/api/v1/trains/{id}"');
  expect(fresh).toContain('"/api/v1/events/stream"');
  if (process.env.UPDATE_SNAPSHOTS === "1") {
    writeFileSync(COMMITTED, fresh);
    return;
  }
  let committed: string | undefined;
  try {
    committed = readFileSync(COMMITTED, "utf8");
  } catch {
    committed = undefined;
  }
  expect(
    committed === fresh,
    "web/src/api/schema.d.ts is stale: run `UPDATE_SNAPSHOTS=1 npx vitest run test/e2e/web-api-types.test.ts`",
  ).toBe(true);
});
