/**
 * Runs a real Railyard server in the test process: real store (SQLite or PostgreSQL), real
 * GitOps repository, real HTTP on a loopback port, and a simulated clock that moves only when
 * a test calls `advance` (through the API, which waits until the trains have caught up).
 */
import path from "node:path";
import pino from "pino";
import { type RunningServer, startServer } from "../../src/cli/start-server.js";
import type { SimulatedClock } from "../../src/engine/clock.js";
import type { Logger } from "../../src/engine/ports.js";
import { createTestDatabase, type TestDatabase, type TestDialect } from "./dialects.js";
import { WORLD_START, type World } from "./world.js";

export const ADMIN_TOKEN = "test-admin-token";

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
  contentType: string | null;
  /** Every header of the answer (Retry-After, Set-Cookie, …). */
  headers: Headers;
}

export interface TestServer {
  url: string;
  server: RunningServer;
  clock: SimulatedClock;
  database: TestDatabase;
  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<ApiAnswer<T>>;
  /** A request with a raw body and exactly these headers (webhooks, reports). */
  send<T = Record<string, unknown>>(
    method: string,
    path: string,
    body: Buffer | string | undefined,
    headers: Record<string, string>,
  ): Promise<ApiAnswer<T>>;
  /** Creates a token for a subject (through the API, as an admin would). */
  token(subject: string, roles?: string[]): Promise<string>;
  /** Creates a CI token that may push artifacts and reports for `components`. */
  ciToken(subject: string, components: string[]): Promise<string>;
  /** Moves the simulated clock and waits for the trains to settle. */
  advance(by: string): Promise<void>;
  /** Stops the server; the database stays until `cleanup`. */
  stop(): Promise<void>;
  cleanup(): Promise<void>;
}

/** What else a test server may be started with. */
export interface TestServerOptions {
  /** The server's logger, e.g. pino writing to an array a test reads. @default silent (TEST_LOG sets the level) */
  logger?: Logger;
  /** The dashboard's build folder (null: none, so `/` says how to build it). @default dist/web when built */
  webRoot?: string | null;
}

/** Starts a server for `world` on a fresh database (or `database`, to restart on the same one). */
export async function startTestServer(
  world: World,
  dialect: TestDialect,
  existing?: TestDatabase,
  options: TestServerOptions = {},
): Promise<TestServer> {
  const database = existing ?? (await createTestDatabase(dialect));
  const server = await startServer({
    configFile: world.configFile,
    databaseUrl: database.url,
    port: 0,
    clock: { kind: "simulated", start: WORLD_START, rate: 0 },
    workDir: path.join(world.dir, "work"),
    logger: options.logger ?? (pino({ level: process.env.TEST_LOG ?? "silent" }) as unknown as Logger),
    adminToken: ADMIN_TOKEN,
    manualTicks: true,
    ...(options.webRoot === undefined ? {} : { webRoot: options.webRoot }),
  });
  const send = async <T>(
    method: string,
    p: string,
    body: Buffer | string | undefined,
    headers: Record<string, string>,
  ): Promise<ApiAnswer<T>> => {
    const response = await fetch(`${server.url}${p}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (e.g. ndjson export, a report's bytes): keep the text
    }
    return {
      status: response.status,
      body: parsed as T,
      contentType: response.headers.get("content-type"),
      headers: response.headers,
    };
  };
  const request = async <T>(
    method: string,
    p: string,
    body?: unknown,
    token = ADMIN_TOKEN,
  ): Promise<ApiAnswer<T>> => {
    // A string body is sent as it is (XML reports, raw documents); anything else as JSON.
    const raw = typeof body === "string";
    const contentType = raw
      ? body.trimStart().startsWith("<")
        ? "application/xml"
        : "text/plain"
      : "application/json";
    return send<T>(method, p, body === undefined ? undefined : raw ? body : JSON.stringify(body), {
      ...(body === undefined ? {} : { "content-type": contentType }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    });
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.close();
  };
  return {
    url: server.url,
    server,
    clock: server.clock as SimulatedClock,
    database,
    request,
    send,
    async token(subject, roles = ["member"]) {
      const answer = await request<{ token: string }>("POST", "/api/v1/tokens", {
        name: `test ${subject}`,
        subject,
        roles,
      });
      if (answer.status !== 201)
        throw new Error(`token for ${subject}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body.token;
    },
    async ciToken(subject, components) {
      const answer = await request<{ token: string }>("POST", "/api/v1/tokens", {
        name: `test ${subject}`,
        subject,
        kind: "ci",
        components,
      });
      if (answer.status !== 201)
        throw new Error(`CI token for ${subject}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body.token;
    },
    async advance(by) {
      const answer = await request("POST", "/api/v1/clock/advance", { by });
      if (answer.status !== 200)
        throw new Error(`advance ${by}: ${answer.status} ${JSON.stringify(answer.body)}`);
    },
    stop,
    async cleanup() {
      await stop();
      await database.cleanup();
    },
  };
}
