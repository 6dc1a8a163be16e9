/**
 * Serves the dashboard (the Vite build in `dist/web`) at `/`: hashed assets under `/assets/` are
 * cached for a year, and any other GET that asks for HTML outside `/api/` answers the app's
 * `index.html`, so `/trains/web-4` can be bookmarked and reloaded. The page holds no data (the app
 * reads the API with the session cookie), so it needs no credentials; its Content-Security-Policy
 * allows only this origin.
 *
 * Without a build (a checkout that ran `tsc` only), `/` says how to build it instead of a 404.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** Where `vite build` writes the dashboard, from dist/api or src/api. */
export const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "dist", "web");
const BUILT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "web");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".woff2": "font/woff2",
  ".map": "application/json",
  ".txt": "text/plain; charset=utf-8",
};

const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
};

interface WebFile {
  body: Buffer;
  type: string;
}

/** The dashboard's files by URL path, read once. */
function loadBuild(root: string): Map<string, WebFile> {
  const files = new Map<string, WebFile>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) {
        walk(full);
        continue;
      }
      const url = `/${path.relative(root, full).split(path.sep).join("/")}`;
      files.set(url, {
        body: readFileSync(full),
        type: TYPES[path.extname(name)] ?? "application/octet-stream",
      });
    }
  };
  walk(root);
  return files;
}

/** The built dashboard's folder: next to the compiled server, else the repository's `dist/web`. */
export function webRoot(): string | null {
  for (const candidate of [BUILT_ROOT, WEB_ROOT]) {
    if (existsSync(path.join(candidate, "index.html"))) return candidate;
  }
  return null;
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Railyard</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>Railyard</h1><p>The API is running, but the dashboard has not been built.</p>
<p>Run <code>npm run build</code> and restart the server. Meanwhile the API is documented at <a href="/api/docs">/api/docs</a>.</p>
</body></html>`;

/** Whether a request is a browser navigation the app should answer. */
function wantsPage(request: FastifyRequest): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  const url = request.url.split("?", 1)[0] ?? "/";
  if (url.startsWith("/api/") || url === "/metrics" || url.endsWith(".ics")) return false;
  return (request.headers.accept ?? "").includes("text/html");
}

/**
 * Registers `/`, `/assets/*` and the other files of the build. Returns the handler the server's
 * not-found handler calls for paths it does not know: true when it answered with the app.
 */
export function webAppRoutes(
  app: FastifyInstance,
  root: string | null = webRoot(),
): (request: FastifyRequest, reply: FastifyReply) => boolean {
  const files = root === null ? new Map<string, WebFile>() : loadBuild(root);
  const index = files.get("/index.html");
  const sendIndex = (reply: FastifyReply) =>
    reply
      .code(200)
      .headers({
        ...SECURITY_HEADERS,
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-cache",
      })
      .send(index?.body ?? NOT_BUILT);

  app.get("/", { schema: { hide: true } }, async (_request, reply) => sendIndex(reply));
  for (const [url, file] of files) {
    if (url === "/index.html") continue;
    const immutable = url.startsWith("/assets/");
    app.get(url, { schema: { hide: true } }, async (_request, reply) =>
      reply
        .headers({
          ...SECURITY_HEADERS,
          "content-type": file.type,
          "cache-control": immutable ? "public, max-age=31536000, immutable" : "public, max-age=300",
        })
        .send(file.body),
    );
  }
  return (request, reply) => {
    if (!wantsPage(request)) return false;
    void sendIndex(reply);
    return true;
  };
}
