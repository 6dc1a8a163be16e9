/**
 * The dashboard's files served by the Railyard server (SQLite only: serving pages does not touch
 * the database): `/` and any page a browser navigates to answer the built `index.html` with the
 * Content-Security-Policy and no caching, hashed assets are cached for good, the API and
 * `/metrics` keep their own answers, and a server without a build says how to make one.
 *
 * `dist/web` is built by the global setup (`vite build`); for a run with `vnb.config.ts`, build it
 * first: `npx vite build --config web/vite.config.ts`.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEB_ROOT } from "../../src/api/web-app.js";
import { ADMIN_TOKEN, startTestServer, type TestServer } from "../support/server.js";
import { createWorld, type World } from "../support/world.js";

const HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

async function get(s: TestServer, p: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${s.url}${p}`, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The built index.html, or a failure saying how to build it. */
function builtIndex(): string {
  const file = path.join(WEB_ROOT, "index.html");
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: run \`npx vite build --config web/vite.config.ts\` first`);
  }
  return readFileSync(file, "utf8");
}

function expectSecurityHeaders(answer: Answer): void {
  const csp = answer.headers.get("content-security-policy") ?? "";
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("connect-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("unsafe-eval");
  expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
}

describe("the dashboard's pages and files", () => {
  let world: World;
  let server: TestServer;
  let index: string;

  beforeAll(async () => {
    index = builtIndex();
    world = await createWorld();
    server = await startTestServer(world, "sqlite");
  });
  afterAll(async () => {
    await server?.cleanup();
    await world?.cleanup();
  });

  it("answers / with the built index.html, its CSP and no caching, without credentials", async () => {
    const answer = await get(server, "/", { accept: HTML });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(answer.headers.get("cache-control")).toBe("no-cache");
    expectSecurityHeaders(answer);
    expect(answer.text).toBe(index);
    expect(answer.text).toContain('<div id="root">');
    // Whatever the browser sends as Accept, `/` is the app.
    expect((await get(server, "/")).text).toBe(index);
  });

  it("serves the hashed assets with immutable caching and their content types", async () => {
    const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(index)?.[1];
    const style = /<link[^>]+href="(\/assets\/[^"]+\.css)"/.exec(index)?.[1];
    expect(script, "index.html names its entry script").toBeDefined();
    expect(style, "index.html names its stylesheet").toBeDefined();

    const js = await get(server, script as string);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/^(text|application)\/javascript/);
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(js.text).toBe(readFileSync(path.join(WEB_ROOT, script as string), "utf8"));

    const css = await get(server, style as string);
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
    expect(css.headers.get("cache-control")).toContain("immutable");

    const icon = await get(server, "/favicon.svg");
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toBe("image/svg+xml");
    // Not hashed: it may change under the same name, so it is cached briefly only.
    expect(icon.headers.get("cache-control")).not.toContain("immutable");

    const missing = await get(server, "/assets/index-00000000.js", {
      authorization: `Bearer ${ADMIN_TOKEN}`,
    });
    expect(missing.status).toBe(404);
  });

  it("answers a page the browser navigates to (a bookmark, a reload) with the app", async () => {
    for (const page of ["/trains/web-4", "/on-call", "/trains/web-4?tab=timeline", "/no/such/page"]) {
      const answer = await get(server, page, { accept: HTML });
      expect(answer.status, page).toBe(200);
      expect(answer.headers.get("content-type"), page).toBe("text/html; charset=utf-8");
      expect(answer.headers.get("cache-control"), page).toBe("no-cache");
      expectSecurityHeaders(answer);
      expect(answer.text, page).toBe(index);
    }
    // A script asking for JSON at the same path is told there is no such route.
    const json = await get(server, "/trains/web-4", { accept: "application/json" });
    expect(json.status).toBe(404);
    expect(json.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    // A path that climbs out of the build is not a file of it.
    const climb = await get(server, "/assets/..%2f..%2fpackage.json", { accept: "*/*" });
    expect(climb.status).toBe(404);
    expect(climb.text).not.toContain('"name": "railyard"');
  });

  it("keeps the API's own answers: an unknown API route is problem+json 404, even for a browser", async () => {
    for (const accept of [HTML, "application/json"]) {
      const answer = await get(server, "/api/v1/nope", { accept, authorization: `Bearer ${ADMIN_TOKEN}` });
      expect(answer.status, accept).toBe(404);
      expect(answer.headers.get("content-type"), accept).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(answer.text)).toMatchObject({ status: 404 });
    }
    // And an API read still needs credentials (the page does not).
    const anonymous = await get(server, "/api/v1/trains", { accept: HTML });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const trains = await get(server, "/api/v1/trains", {
      accept: HTML,
      authorization: `Bearer ${ADMIN_TOKEN}`,
    });
    expect(trains.status).toBe(200);
    expect(trains.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("does not swallow /metrics, the calendar feed or the API docs", async () => {
    const metrics = await get(server, "/metrics", { accept: HTML, authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(metrics.text).toContain("# TYPE");
    const anonymous = await get(server, "/metrics", { accept: HTML });
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).not.toBe(index);

    const calendar = await get(server, "/calendar.ics", { accept: HTML });
    expect(calendar.status).toBe(200);
    expect(calendar.headers.get("content-type")).toMatch(/^text\/calendar/);

    const docs = await get(server, "/api/openapi.json", { accept: HTML });
    expect(docs.status).toBe(200);
    expect(JSON.parse(docs.text)).toHaveProperty("openapi");
  });
});

describe("a server without a dashboard build", () => {
  let world: World;
  let server: TestServer;

  beforeAll(async () => {
    world = await createWorld();
    server = await startTestServer(world, "sqlite", undefined, { webRoot: null });
  });
  afterAll(async () => {
    await server?.cleanup();
    await world?.cleanup();
  });

  it("says at / (and at any page) how to build the dashboard, and the API still works", async () => {
    for (const page of ["/", "/trains/web-4"]) {
      const answer = await get(server, page, { accept: HTML });
      expect(answer.status, page).toBe(200);
      expect(answer.headers.get("content-type"), page).toBe("text/html; charset=utf-8");
      expect(answer.text, page).toContain("has not been built");
      expect(answer.text, page).toContain("npm run build");
      expect(answer.text, page).toContain('href="/api/docs"');
    }
    const assets = await get(server, "/assets/index.js", { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(assets.status).toBe(404);
    const health = await get(server, "/api/v1/health");
    expect(health.status).toBe(200);
  });
});
