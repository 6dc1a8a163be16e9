/**
 * The dashboard's login, over real HTTP on both databases: a token exchanged for an httpOnly,
 * SameSite=Strict cookie and a CSRF token; reads with the cookie; mutations with the cookie only
 * with the CSRF token; the session ends at logout, when its token is revoked or expires, and at
 * its ttl on the engine's clock. No secret (token, session id, CSRF token) reaches the audit log
 * or the server's log.
 */
import path from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../src/cli/start-server.js";
import type { Logger } from "../../src/engine/ports.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../support/dialects.js";
import { ADMIN_TOKEN } from "../support/server.js";
import { createWorld, WORLD_START, type World } from "../support/world.js";

interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  contentType: string | null;
  setCookie: string[];
}

/** Parses one `Set-Cookie` line into its value and attributes (names as sent). */
function parseSetCookie(line: string): { name: string; value: string; attributes: string[] } {
  const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
  const eq = pair.indexOf("=");
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes };
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: dashboard sessions`, () => {
    let world: World;
    let database: TestDatabase;
    let server: RunningServer;
    const logLines: string[] = [];
    /** Every secret handed out in these tests: none may show up in the audit log or the log. */
    const secrets: string[] = [ADMIN_TOKEN];

    beforeAll(async () => {
      world = await createWorld({ top: "access:\n  session: { ttl: 1h }\n" });
      database = await createTestDatabase(dialect);
      const sink = new Writable({
        write(chunk, _encoding, done) {
          logLines.push(String(chunk));
          done();
        },
      });
      server = await startServer({
        configFile: world.configFile,
        databaseUrl: database.url,
        port: 0,
        clock: { kind: "simulated", start: WORLD_START, rate: 0 },
        workDir: path.join(world.dir, "work"),
        logger: pino({ level: "trace" }, sink) as unknown as Logger,
        adminToken: ADMIN_TOKEN,
        manualTicks: true,
      });
    });
    afterAll(async () => {
      await server.close();
      await database.cleanup();
      await world.cleanup();
    });

    async function call<T = Record<string, unknown>>(
      method: string,
      p: string,
      options: { body?: unknown; token?: string; cookie?: string; csrf?: string } = {},
    ): Promise<Answer<T>> {
      const headers: Record<string, string> = {};
      if (options.body !== undefined) headers["content-type"] = "application/json";
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      if (options.cookie) headers.cookie = `theme=dark; railyard_session=${options.cookie}`;
      if (options.csrf !== undefined) headers["x-csrf-token"] = options.csrf;
      const response = await fetch(`${server.url}${p}`, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // ndjson (audit export): keep the text
      }
      return {
        status: response.status,
        body: body as T,
        contentType: response.headers.get("content-type"),
        setCookie: response.headers.getSetCookie(),
      };
    }

    async function createToken(subject: string, roles: string[], expiresIn?: string) {
      const answer = await call<{ token: string; record: { id: string } }>("POST", "/api/v1/tokens", {
        token: ADMIN_TOKEN,
        body: { name: `session test ${subject}`, subject, roles, ...(expiresIn ? { expiresIn } : {}) },
      });
      expect(answer.status).toBe(201);
      secrets.push(answer.body.token);
      return { token: answer.body.token, id: answer.body.record.id };
    }

    async function login(token: string) {
      const answer = await call<{ subject: string; roles: string[]; expiresAt: string; csrfToken: string }>(
        "POST",
        "/api/v1/session",
        { body: { token } },
      );
      expect(answer.status).toBe(201);
      expect(answer.setCookie).toHaveLength(1);
      const cookie = parseSetCookie(answer.setCookie[0] ?? "");
      secrets.push(cookie.value, answer.body.csrfToken);
      return { answer, cookie: cookie.value, csrf: answer.body.csrfToken, setCookie: cookie };
    }

    const advance = async (by: string) =>
      expect((await call("POST", "/api/v1/clock/advance", { token: ADMIN_TOKEN, body: { by } })).status).toBe(
        200,
      );

    it("logs in with a token: an httpOnly, SameSite=Strict cookie for the session's ttl and a CSRF token", async () => {
      const { token } = await createToken("cora", ["coordinator"]);
      const { answer, setCookie } = await login(token);
      expect(answer.body).toMatchObject({ subject: "cora", roles: ["coordinator"] });
      expect(Date.parse(answer.body.expiresAt) - server.clock.now().getTime()).toBe(3_600_000);
      expect(answer.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(setCookie.name).toBe("railyard_session");
      expect(setCookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(setCookie.value).not.toBe(answer.body.csrfToken);
      // Over plain HTTP: no Secure (a browser would drop the cookie on http://localhost).
      expect([...setCookie.attributes].sort()).toEqual([
        "HttpOnly",
        "Max-Age=3600",
        "Path=/",
        "SameSite=Strict",
      ]);
    });

    it("reads with the cookie, and nothing without it", async () => {
      const { token } = await createToken("cora", ["coordinator"]);
      const { cookie } = await login(token);
      const withCookie = await call("GET", "/api/v1/trains", { cookie });
      expect(withCookie.status).toBe(200);
      expect(Array.isArray(withCookie.body)).toBe(true);
      const who = await call("GET", "/api/v1/session", { cookie });
      expect(who.body).toMatchObject({ subject: "cora", roles: ["coordinator"], via: "session" });

      const without = await call("GET", "/api/v1/trains");
      expect(without.status).toBe(401);
      expect(without.contentType).toContain("application/problem+json");
      const forged = await call("GET", "/api/v1/trains", { cookie: "not-a-session" });
      expect(forged.status).toBe(401);
    });

    it("holds mutations made with the cookie to the session's CSRF token; bearer tokens need none", async () => {
      const { token } = await createToken("cora", ["coordinator"]);
      const { cookie, csrf } = await login(token);
      const pin = (options: { cookie?: string; csrf?: string; token?: string }) =>
        call("POST", "/api/v1/components/db/pin", { ...options, body: { reason: "schema migration" } });

      const missing = await pin({ cookie });
      expect(missing.status).toBe(403);
      expect(missing.contentType).toContain("application/problem+json");
      expect(missing.body).toMatchObject({ code: "csrf", type: "https://railyard.dev/problems/csrf" });
      const wrong = await pin({ cookie, csrf: `${csrf.slice(0, -1)}${csrf.endsWith("A") ? "B" : "A"}` });
      expect(wrong.status).toBe(403);
      expect(wrong.body).toMatchObject({ code: "csrf" });
      // Another session's CSRF token does not do either.
      const other = await login(token);
      expect((await pin({ cookie, csrf: other.csrf })).status).toBe(403);
      expect((await call("GET", "/api/v1/pins", { token: ADMIN_TOKEN })).body).toEqual([]);

      const pinned = await pin({ cookie, csrf });
      expect(pinned.status).toBe(201);
      const pins = await call<Array<{ component: string; actor: string }>>("GET", "/api/v1/pins", { cookie });
      expect(pins.body).toEqual([expect.objectContaining({ component: "db", actor: "cora" })]);

      const unpinned = await call("DELETE", "/api/v1/components/db/pin", {
        token,
        body: { reason: "migration done" },
      });
      expect(unpinned.status).toBe(204);
    });

    it("logs out: the cookie is cleared and the old one no longer works", async () => {
      const { token } = await createToken("cora", ["coordinator"]);
      const { cookie, csrf } = await login(token);
      expect((await call("DELETE", "/api/v1/session", { cookie })).status).toBe(403);
      const out = await call("DELETE", "/api/v1/session", { cookie, csrf });
      expect(out.status).toBe(204);
      expect(out.setCookie).toHaveLength(1);
      const cleared = parseSetCookie(out.setCookie[0] ?? "");
      expect(cleared).toMatchObject({ name: "railyard_session", value: "" });
      expect(cleared.attributes).toContain("Max-Age=0");
      expect(cleared.attributes).toContain("Path=/");
      expect((await call("GET", "/api/v1/trains", { cookie })).status).toBe(401);
      expect((await call("GET", "/api/v1/session", { cookie })).status).toBe(401);
      // The token itself still works: logging out ends the session, not the token.
      expect((await call("GET", "/api/v1/trains", { token })).status).toBe(200);
    });

    it("ends the session when its token is revoked", async () => {
      const { token, id } = await createToken("cora", ["coordinator"]);
      const { cookie } = await login(token);
      expect((await call("GET", "/api/v1/trains", { cookie })).status).toBe(200);
      expect((await call("DELETE", `/api/v1/tokens/${id}`, { token: ADMIN_TOKEN })).status).toBe(204);
      const after = await call("GET", "/api/v1/trains", { cookie });
      expect(after.status).toBe(401);
      expect(after.contentType).toContain("application/problem+json");
      // The browser is told to forget the dead cookie.
      expect(after.setCookie.map((line) => parseSetCookie(line).attributes)).toEqual([
        expect.arrayContaining(["Max-Age=0"]),
      ]);
    });

    it("refuses a wrong token at login and sets no cookie", async () => {
      const wrong = await call("POST", "/api/v1/session", { body: { token: "ry_not-a-real-token" } });
      expect(wrong.status).toBe(401);
      expect(wrong.contentType).toContain("application/problem+json");
      expect(wrong.setCookie).toEqual([]);
      expect(wrong.body).not.toHaveProperty("csrfToken");

      const ci = await call<{ token: string }>("POST", "/api/v1/tokens", {
        token: ADMIN_TOKEN,
        body: { name: "session test ci", subject: "ci-bot", kind: "ci", components: ["db"], roles: [] },
      });
      expect(ci.status).toBe(201);
      secrets.push(ci.body.token);
      const bot = await call("POST", "/api/v1/session", { body: { token: ci.body.token } });
      expect(bot.status).toBe(403);
      expect(bot.setCookie).toEqual([]);
    });

    it("ends the session at its ttl, and never later than its token", async () => {
      const { token } = await createToken("cora", ["coordinator"]);
      const { cookie } = await login(token);
      const short = await createToken("cora", ["coordinator"], "30m");
      const capped = await login(short.token);
      expect(Date.parse(capped.answer.body.expiresAt) - server.clock.now().getTime()).toBe(1_800_000);
      expect(capped.setCookie.attributes).toContain("Max-Age=1800");

      await advance("31m");
      expect((await call("GET", "/api/v1/trains", { cookie: capped.cookie })).status).toBe(401);
      expect((await call("GET", "/api/v1/trains", { cookie })).status).toBe(200);
      await advance("30m");
      expect((await call("GET", "/api/v1/trains", { cookie })).status).toBe(401);
      // The token outlives the session.
      expect((await call("GET", "/api/v1/trains", { token })).status).toBe(200);
    });

    it("records logins and logouts in the audit log, without any secret; the log has none either", async () => {
      const answer = await call<string>("GET", "/api/v1/audit/export", { token: ADMIN_TOKEN });
      expect(answer.status).toBe(200);
      const events = answer.body
        .split("\n")
        .filter((line) => line.trim())
        .map(
          (line) => JSON.parse(line) as { type?: string; actor?: string; payload?: Record<string, unknown> },
        );
      const opened = events.filter((e) => e.type === "session.opened");
      const closed = events.filter((e) => e.type === "session.closed");
      expect(opened.length).toBeGreaterThanOrEqual(7);
      expect(opened[0]).toMatchObject({
        actor: "cora",
        payload: { tokenId: expect.stringMatching(/^tok_/) },
      });
      // The capped session and the ttl one expired; one was logged out; one lost its token.
      expect(closed.map((e) => e.payload?.reason).sort()).toEqual([
        "expired",
        "expired",
        "logout",
        "token-revoked",
      ]);

      expect(secrets.length).toBeGreaterThan(10);
      expect(logLines.length).toBeGreaterThan(0);
      const log = logLines.join("");
      for (const secret of secrets) {
        expect(answer.body).not.toContain(secret);
        expect(log).not.toContain(secret);
      }
    });
  });
}
