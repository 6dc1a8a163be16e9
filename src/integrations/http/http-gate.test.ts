import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GateContext } from "../../engine/ports.js";
import { type HttpGateConfig, runHttpGate } from "./http-gate.js";

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

let server: Server;
let base: string;
let received: Received[];
let handler: (request: IncomingMessage, response: ServerResponse) => void;

beforeEach(async () => {
  received = [];
  handler = (_request, response) => response.end("ok");
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      });
      handler(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function gate(overrides: Partial<HttpGateConfig> = {}): HttpGateConfig {
  return {
    name: "health",
    type: "http",
    url: `${base}/health`,
    method: "GET",
    timeout: "10s",
    headers: {},
    headersFromEnv: {},
    ...overrides,
  };
}

function context(overrides: Partial<GateContext> = {}): GateContext {
  return {
    trainId: "web-42",
    line: "web",
    stage: "verify/canary",
    wave: "canary",
    environments: ["eu west", "us-east"],
    manifest: [],
    attempt: 1,
    signal: new AbortController().signal,
    ...overrides,
  };
}

describe("runHttpGate", () => {
  it("passes on 200 and shows the status line and the body", async () => {
    handler = (_request, response) => {
      response.setHeader("content-type", "application/json");
      response.end('{"status":"green"}');
    };
    const outcome = await runHttpGate(gate(), context());
    expect(outcome.status).toBe("passed");
    expect(outcome.output).toMatch(
      new RegExp(`^GET ${base}/health → 200 OK in \\d+ ms\\n\\{"status":"green"\\}$`),
    );
  });

  it("fails on 500 with an excerpt of the body, cut at 2 KiB", async () => {
    handler = (_request, response) => {
      response.statusCode = 500;
      response.end(`database unavailable ${"x".repeat(5000)}`);
    };
    const outcome = await runHttpGate(gate(), context());
    expect(outcome.status).toBe("failed");
    expect(outcome.output).toMatch(
      /→ 500 Internal Server Error in \d+ ms\ndatabase unavailable x+\n\[… body truncated …\]$/,
    );
    const body = outcome.output.split("\n")[1]!;
    expect(body.length).toBe(2048);
  });

  it("fails with 'timed out' when the server never answers", async () => {
    handler = () => {
      // never answers
    };
    const outcome = await runHttpGate(gate({ timeout: "300ms" }), context());
    expect(outcome.status).toBe("failed");
    expect(outcome.output).toBe(`GET ${base}/health → timed out after 300ms`);
  });

  it("fails with 'connection refused' when nothing listens", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const outcome = await runHttpGate(gate({ url: `http://127.0.0.1:${port}/health` }), context());
    expect(outcome.status).toBe("failed");
    expect(outcome.output).toBe(
      `GET http://127.0.0.1:${port}/health → connection refused (nothing listens there)`,
    );
  });

  it("fills placeholders URL-encoded and sends method, headers and body", async () => {
    const outcome = await runHttpGate(
      gate({
        url: `${base}/check/{train}/{stage}?line={line}&wave={wave}&env={environment}`,
        method: "POST",
        headers: { "x-team": "web" },
        body: '{"check":"smoke"}',
      }),
      context(),
    );
    expect(outcome.status).toBe("passed");
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      method: "POST",
      url: "/check/web-42/verify%2Fcanary?line=web&wave=canary&env=eu%20west",
      body: '{"check":"smoke"}',
    });
    expect(received[0]!.headers["x-team"]).toBe("web");
    const noWave = await runHttpGate(gate({ url: `${base}/w?wave={wave}` }), context({ wave: null }));
    expect(noWave.status).toBe("passed");
    expect(received[1]!.url).toBe("/w?wave=");
  });

  it("sends headers from environment variables and never shows their values", async () => {
    const token = "Bearer s3cr3t-smoke-token";
    handler = (request, response) => {
      response.statusCode = 403;
      response.end(`rejected credentials: ${request.headers.authorization}`);
    };
    const outcome = await runHttpGate(gate({ headersFromEnv: { Authorization: "SMOKE_TOKEN" } }), context(), {
      env: { SMOKE_TOKEN: token },
    });
    expect(received[0]!.headers.authorization).toBe(token);
    expect(outcome.status).toBe("failed");
    expect(outcome.output).toContain("rejected credentials: [redacted]");
    expect(outcome.output).not.toContain("s3cr3t");
  });

  it("fails without calling when a header's environment variable is not set", async () => {
    const outcome = await runHttpGate(gate({ headersFromEnv: { Authorization: "SMOKE_TOKEN" } }), context(), {
      env: {},
    });
    expect(outcome.status).toBe("failed");
    expect(outcome.output).toBe(
      `GET ${base}/health not sent: environment variable SMOKE_TOKEN is not set (header Authorization)`,
    );
    expect(received).toHaveLength(0);
  });

  it("sends URL credentials as Basic authentication and strips them from the output", async () => {
    const outcome = await runHttpGate(
      gate({ url: `${base.replace("http://", "http://bot:hunter22@")}/health` }),
      context(),
    );
    expect(outcome.status).toBe("passed");
    expect(received[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from("bot:hunter22").toString("base64")}`,
    );
    expect(outcome.output).not.toContain("hunter22");
    expect(outcome.output.startsWith(`GET ${base}/health → 200`)).toBe(true);
  });

  it("fails on an invalid URL and throws the abort reason when the engine aborts", async () => {
    expect(await runHttpGate(gate({ url: "not a url" }), context())).toMatchObject({
      status: "failed",
      output: '"not a url" is not a valid URL',
    });
    handler = () => {
      // never answers
    };
    const controller = new AbortController();
    const pending = runHttpGate(gate(), context({ signal: controller.signal }));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });
});
