/**
 * The API's limits, over real HTTP on both databases: mutations per token (and per address for
 * the unauthenticated and for webhooks) in a token bucket, 429 with Retry-After past it; reads
 * unlimited; request bodies beyond `access.maxRequestBytes` refused with 413; reads without
 * credentials refused unless `access.anonymousRead`.
 *
 * The window is an hour and the bucket holds 3, so the 4th mutation is refused however slow the
 * machine is: no test waits on the wall clock.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../support/dialects.js";
import { ADMIN_TOKEN, startTestServer, type TestServer } from "../support/server.js";
import { createWorld, type World } from "../support/world.js";

interface Answer {
  status: number;
  body: Record<string, unknown>;
  contentType: string | null;
  retryAfter: string | null;
}

/** A request through the test server's client, with its Retry-After header. */
async function call(
  server: TestServer,
  method: string,
  p: string,
  options: { body?: string | object; token?: string; contentType?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers["content-type"] = options.contentType ?? "application/json";
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const body =
    options.body === undefined || typeof options.body === "string"
      ? options.body
      : JSON.stringify(options.body);
  const answer = await server.send<Record<string, unknown>>(method, p, body, headers);
  return { ...answer, retryAfter: answer.headers.get("retry-after") };
}

function expectProblem(answer: Answer, status: number, code: string): void {
  expect(answer.status).toBe(status);
  expect(answer.contentType).toContain("application/problem+json");
  expect(answer.body).toMatchObject({ status, code, type: `https://railyard.dev/problems/${code}` });
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: limits (3 mutations per hour, 2 KiB bodies, no anonymous reads)`, () => {
    let world: World;
    let server: TestServer;
    let cora: string;
    let carl: string;
    let vera: string;

    beforeAll(async () => {
      world = await createWorld({
        top: "access:\n  rateLimit: { mutations: 3, per: 1h }\n  maxRequestBytes: 2048\n",
      });
      server = await startTestServer(world, dialect);
      // The admin's three mutations of the hour.
      cora = await server.token("cora", ["coordinator"]);
      carl = await server.token("carl", ["coordinator"]);
      vera = await server.token("vera", ["coordinator"]);
    });
    afterAll(async () => {
      await server.cleanup();
      await world.cleanup();
    });

    const pin = (token: string) =>
      call(server, "POST", "/api/v1/components/db/pin", { token, body: { reason: "schema migration" } });
    const unpin = (token: string) =>
      call(server, "DELETE", "/api/v1/components/db/pin", { token, body: { reason: "done" } });

    it("refuses a token's 4th mutation in the window with 429 and Retry-After; other tokens and reads go on", async () => {
      expect((await pin(cora)).status).toBe(201);
      expect((await unpin(cora)).status).toBe(204);
      expect((await pin(cora)).status).toBe(201);
      const refused = await unpin(cora);
      expectProblem(refused, 429, "rate-limited");
      // One request every 20 minutes refills the bucket.
      const retryAfter = Number(refused.retryAfter);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThan(1150);
      expect(retryAfter).toBeLessThanOrEqual(1200);
      expect(refused.body.detail).toBe(`cora may make 3 mutations per 1h; retry in ${retryAfter} s`);
      // The refused request changed nothing.
      const pins = await call(server, "GET", "/api/v1/pins", { token: cora });
      expect(pins.body).toEqual([expect.objectContaining({ component: "db", actor: "cora" })]);

      // Reads are not limited.
      for (let i = 0; i < 10; i++)
        expect((await call(server, "GET", "/api/v1/pins", { token: cora })).status).toBe(200);
      // Another token has its own bucket.
      expect((await unpin(carl)).status).toBe(204);
      expectProblem(await pin(cora), 429, "rate-limited");
    });

    it("refuses a body over access.maxRequestBytes with 413, and a content type it does not take with 415", async () => {
      const tooLarge = await call(server, "POST", "/api/v1/components/web/pin", {
        token: vera,
        body: { reason: "x".repeat(3000) },
      });
      expectProblem(tooLarge, 413, "payload-too-large");
      expect(tooLarge.body.detail).toContain("2048 bytes");
      const form = await call(server, "POST", "/api/v1/components/web/pin", {
        token: vera,
        body: "reason=maintenance",
        contentType: "application/x-www-form-urlencoded",
      });
      expectProblem(form, 415, "unsupported-media-type");
      expect((await call(server, "GET", "/api/v1/pins", { token: vera })).body).toEqual([]);
    });

    it("refuses reads without credentials; health, docs and the calendar feed stay public", async () => {
      const anonymous = await call(server, "GET", "/api/v1/trains");
      expectProblem(anonymous, 401, "unauthorized");
      expectProblem(
        await call(server, "GET", "/api/v1/trains", { token: "ry_not-a-real-token" }),
        401,
        "unauthorized",
      );
      expect((await call(server, "GET", "/api/v1/trains", { token: cora })).status).toBe(200);
      expect((await call(server, "GET", "/api/v1/health")).status).toBe(200);
      // Credentials on public routes are ignored, good or bad.
      expect((await call(server, "GET", "/api/v1/health", { token: "ry_not-a-real-token" })).status).toBe(
        200,
      );
      expect((await call(server, "GET", "/api/openapi.json")).status).toBe(200);
      const feed = await call(server, "GET", "/calendar.ics");
      expect(feed.status).toBe(200);
      expect(feed.contentType).toContain("text/calendar");
    });

    it("limits unauthenticated mutations per address", async () => {
      for (let i = 0; i < 3; i++) {
        expectProblem(
          await call(server, "POST", "/api/v1/trains/shop-1/pause", { body: { reason: "stop" } }),
          401,
          "unauthorized",
        );
      }
      const refused = await call(server, "POST", "/api/v1/trains/shop-1/pause", { body: { reason: "stop" } });
      expectProblem(refused, 429, "rate-limited");
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      // Tokens have their own buckets.
      expect((await pin(carl)).status).toBe(201);
    });
  });

  describe(`${dialect}: limits (anonymous reads allowed, webhooks per address)`, () => {
    let world: World;
    let server: TestServer;

    beforeAll(async () => {
      world = await createWorld({
        top: "access:\n  anonymousRead: true\n  rateLimit: { mutations: 3, per: 1h }\n",
      });
      server = await startTestServer(world, dialect);
    });
    afterAll(async () => {
      await server.cleanup();
      await world.cleanup();
    });

    it("lets anyone read, but still refuses a wrong token, anonymous mutations and token lists", async () => {
      const anonymous = await call(server, "GET", "/api/v1/trains");
      expect(anonymous.status).toBe(200);
      expect(Array.isArray(anonymous.body)).toBe(true);
      expectProblem(
        await call(server, "GET", "/api/v1/trains", { token: "ry_not-a-real-token" }),
        401,
        "unauthorized",
      );
      expectProblem(await call(server, "GET", "/api/v1/tokens"), 401, "unauthorized");
      expectProblem(
        await call(server, "POST", "/api/v1/trains/shop-1/pause", { body: { reason: "stop" } }),
        401,
        "unauthorized",
      );
      expect((await call(server, "GET", "/api/v1/tokens", { token: ADMIN_TOKEN })).status).toBe(200);
    });

    it("limits webhook deliveries per address", async () => {
      // The anonymous mutation above took one of this address's three.
      const deliver = () =>
        call(server, "POST", "/api/v1/webhooks/github", {
          body: { zen: "hi" },
        });
      for (let i = 0; i < 2; i++) expect((await deliver()).status).not.toBe(429);
      expectProblem(await deliver(), 429, "rate-limited");
    });
  });
}
