import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { DeployRequest } from "../../engine/ports.js";
import {
  WebhookConfigError,
  WebhookDeployError,
  WebhookDeployer,
  type WebhookDeployerOptions,
} from "./webhook-deployer.js";
import { verifyWebhookSignature } from "./webhook-signature.js";

const SECRET = "whsec-test-0123456789";
const TOKEN = "Bearer deploy-token-abc";

/** A request the test's deploy service received. */
interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Handler = (request: Received, response: ServerResponse, index: number) => void;

interface Receiver {
  url: string;
  received: Received[];
}

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A deploy service on 127.0.0.1; `handle` answers each request (the index counts from 0). */
async function receiver(handle: Handler): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const entry = {
        method: request.method ?? "",
        path: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(entry);
      handle(entry, response, received.length - 1);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received };
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

function deployer(url: string, overrides: Partial<WebhookDeployerOptions> = {}): WebhookDeployer {
  return new WebhookDeployer({
    name: "platform",
    url,
    secret: SECRET,
    headers: { Authorization: TOKEN },
    timeoutMs: 2000,
    retries: 3,
    backoff: { baseMs: 5, capMs: 20 },
    status: { pollMs: 10, timeoutMs: 1000 },
    ...overrides,
  });
}

function request(overrides: Partial<DeployRequest> = {}): DeployRequest {
  return {
    trainId: "web-42",
    line: "web",
    component: "api",
    version: "1.3.0",
    previousVersion: "1.2.0",
    environments: ["prod-eu"],
    wave: "eu",
    idempotencyKey: "web-42/deploy/eu/s2/api#1",
    signal: new AbortController().signal,
    ...overrides,
  };
}

/** True when the request carries a valid signature of its body under the test secret. */
function signed(received: Received): boolean {
  return verifyWebhookSignature(
    SECRET,
    received.headers["x-railyard-timestamp"] as string,
    received.body,
    received.headers["x-railyard-signature"] as string,
    { toleranceSeconds: 60 },
  );
}

async function failure(promise: Promise<unknown>): Promise<WebhookDeployError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WebhookDeployError);
  return error as WebhookDeployError;
}

describe("WebhookDeployer.deploy", () => {
  it("POSTs one signed request per environment with weight, phase and a per-environment key", async () => {
    const service = await receiver((_, response, index) =>
      json(response, 200, { reference: `deploy-${index + 70}`, message: "rolled out" }),
    );
    const result = await deployer(`${service.url}/deploy/{component}/{environment}?line={line}`).deploy(
      request({ environments: ["prod-eu", "prod us"], weight: 25, phase: "canary", strategy: "canary" }),
    );

    expect(service.received.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /deploy/api/prod-eu?line=web",
      "POST /deploy/api/prod%20us?line=web",
    ]);
    const [first, second] = service.received;
    expect(signed(first!)).toBe(true);
    expect(signed(second!)).toBe(true);
    expect(first!.headers["x-railyard-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(first!.headers["content-type"]).toBe("application/json");
    expect(first!.headers.authorization).toBe(TOKEN);
    expect(first!.headers["idempotency-key"]).toBe("web-42/deploy/eu/s2/api#1@prod-eu");
    expect(JSON.parse(first!.body)).toEqual({
      train: "web-42",
      line: "web",
      component: "api",
      version: "1.3.0",
      previous_version: "1.2.0",
      environment: "prod-eu",
      wave: "eu",
      weight: 25,
      phase: "canary",
      strategy: "canary",
      action: "deploy",
      idempotency_key: "web-42/deploy/eu/s2/api#1@prod-eu",
    });
    expect(JSON.parse(second!.body)).toMatchObject({
      environment: "prod us",
      idempotency_key: "web-42/deploy/eu/s2/api#1@prod us",
    });
    // A signature made for one body does not fit another.
    expect(signed({ ...first!, body: first!.body.replace('"weight":25', '"weight":100') })).toBe(false);

    expect(result).toEqual({
      alreadyDone: false,
      reference: "deploy-70, deploy-71",
      output: [
        `prod-eu: POST ${service.url}/deploy/api/prod-eu?line=web → 200 OK after 1 attempt (reference deploy-70): rolled out`,
        `prod us: POST ${service.url}/deploy/api/prod%20us?line=web → 200 OK after 1 attempt (reference deploy-71): rolled out`,
      ].join("\n"),
    });
  });

  it("sends a plain deployment as weight 100, phase null, strategy allAtOnce; any 2xx is done", async () => {
    const service = await receiver((_, response) => {
      response.writeHead(204);
      response.end();
    });
    const result = await deployer(service.url).deploy(request());
    expect(JSON.parse(service.received[0]!.body)).toMatchObject({
      weight: 100,
      phase: null,
      strategy: "allAtOnce",
    });
    expect(result).toMatchObject({ alreadyDone: false, reference: null });
    expect(result.output).toBe(`prod-eu: POST ${service.url}/ → 204 No Content after 1 attempt`);
  });

  it("keeps a text answer on the environment's one line", async () => {
    const service = await receiver((_, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      response.end(`deployed\n  to 3 clusters\ntoken ${SECRET}\n`);
    });
    const result = await deployer(service.url).deploy(request());
    expect(result.output).toBe(
      `prod-eu: POST ${service.url}/ → 200 OK after 1 attempt: deployed to 3 clusters token [redacted]`,
    );
  });

  it("retries 5xx with the same body and idempotency key, and succeeds when the service recovers", async () => {
    const service = await receiver((_, response, index) =>
      index < 2
        ? json(response, 500, { message: "database busy" })
        : json(response, 200, { reference: "r-1" }),
    );
    const result = await deployer(service.url).deploy(request());
    expect(service.received).toHaveLength(3);
    expect(new Set(service.received.map((r) => r.headers["idempotency-key"]))).toEqual(
      new Set(["web-42/deploy/eu/s2/api#1@prod-eu"]),
    );
    expect(new Set(service.received.map((r) => r.body)).size).toBe(1);
    expect(service.received.every(signed)).toBe(true);
    expect(result).toMatchObject({ alreadyDone: false, reference: "r-1" });
    expect(result.output).toContain("→ 200 OK after 3 attempts");
  });

  it("fails at once on a 400, with the status and the start of the body, never the secrets", async () => {
    const service = await receiver((received, response) =>
      json(response, 400, {
        message: `unknown component; you sent ${received.headers.authorization} signed with ${SECRET}`,
      }),
    );
    const error = await failure(
      deployer(service.url).deploy(request({ environments: ["prod-eu", "prod-us"] })),
    );
    expect(service.received).toHaveLength(1);
    expect(error.details).toMatchObject({ environment: "prod-eu", status: 400, attempts: 1 });
    expect(error.message).toBe(
      `deployer "platform": deploy of api 1.3.0 to prod-eu failed: POST ${service.url}/ → 400 Bad Request after 1 attempt (refused, not retried): unknown component; you sent [redacted] signed with [redacted]`,
    );
    expect(error.output).toContain("prod-eu: POST");
    for (const text of [error.message, error.output]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain("deploy-token-abc");
    }
  });

  it("keeps only a bounded excerpt of a large error body", async () => {
    const service = await receiver((_, response) => {
      response.writeHead(422, { "content-type": "text/plain" });
      response.end(`${"x".repeat(10_000)}END`);
    });
    const error = await failure(deployer(service.url, { maxBodyBytes: 500 }).deploy(request()));
    expect(error.message).toContain("422 Unprocessable Entity");
    expect(error.message.length).toBeLessThan(1200);
    expect(error.output.length).toBeLessThan(800);
    expect(error.output).toContain("[…]");
    expect(error.output).not.toContain("END");
  });

  it("gives up after the last retry of a service that never answers, saying it timed out", async () => {
    const service = await receiver(() => {
      // Never answers.
    });
    const error = await failure(deployer(service.url, { timeoutMs: 200, retries: 2 }).deploy(request()));
    expect(service.received).toHaveLength(3);
    expect(error.details).toMatchObject({ status: null, attempts: 3 });
    expect(error.message).toContain(
      `POST ${service.url}/ → timed out after 200ms (3 attempts, no more retries)`,
    );
  });

  it("gives up after the last retry when nothing listens, in plain words", async () => {
    const service = await receiver(() => undefined);
    const closed = servers.pop()!;
    closed.closeAllConnections();
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(deployer(service.url, { retries: 1 }).deploy(request()));
    expect(error.message).toContain(
      "connection refused (nothing listens there) (2 attempts, no more retries)",
    );
  });

  it("retries 408 and 429, honouring Retry-After up to its cap", async () => {
    const service = await receiver((_, response, index) => {
      if (index === 0) return json(response, 408, {});
      if (index === 1) return json(response, 429, { message: "slow down" }, { "retry-after": "3600" });
      return json(response, 201, { reference: "created" });
    });
    const result = await deployer(service.url, { maxRetryAfterMs: 10 }).deploy(request());
    expect(service.received).toHaveLength(3);
    expect(result.reference).toBe("created");
  });

  it("reports the last reason when 5xx persist", async () => {
    const service = await receiver((_, response) => json(response, 503, { message: "maintenance" }));
    const error = await failure(deployer(service.url, { retries: 2 }).deploy(request()));
    expect(service.received).toHaveLength(3);
    expect(error.details).toMatchObject({ status: 503, attempts: 3 });
    expect(error.message).toContain("→ 503 Service Unavailable: maintenance (3 attempts, no more retries)");
  });

  it("does not follow redirects, which would carry the signed request elsewhere", async () => {
    const service = await receiver((_, response) => {
      response.writeHead(307, { location: "http://elsewhere.invalid/deploy" });
      response.end();
    });
    const error = await failure(deployer(service.url).deploy(request()));
    expect(service.received).toHaveLength(1);
    expect(error.message).toContain("307 Temporary Redirect after 1 attempt (redirects are not followed");
  });

  it("treats a 409 for a key the service already processed as already done", async () => {
    const seen = new Set<string>();
    const service = await receiver((received, response) => {
      const key = received.headers["idempotency-key"] as string;
      if (seen.has(key)) return json(response, 409, { message: "already processed", reference: "d-1" });
      seen.add(key);
      return json(response, 200, { reference: "d-1" });
    });
    const deploying = deployer(service.url);
    const first = await deploying.deploy(request());
    const second = await deploying.deploy(request());
    expect(service.received.map((r) => r.headers["idempotency-key"])).toEqual([
      "web-42/deploy/eu/s2/api#1@prod-eu",
      "web-42/deploy/eu/s2/api#1@prod-eu",
    ]);
    expect(first).toMatchObject({ alreadyDone: false, reference: "d-1" });
    expect(second).toMatchObject({ alreadyDone: true, reference: "d-1" });
    expect(second.output).toContain(
      "→ 409 Conflict after 1 attempt: already done under idempotency key web-42/deploy/eu/s2/api#1@prod-eu (reference d-1): already processed",
    );
  });

  it("is already done only when every environment says so", async () => {
    const service = await receiver((received, response) =>
      JSON.parse(received.body).environment === "prod-eu" ? json(response, 409, {}) : json(response, 200, {}),
    );
    const result = await deployer(service.url).deploy(request({ environments: ["prod-eu", "prod-us"] }));
    expect(result.alreadyDone).toBe(false);
  });

  it("accepts a service that dedupes by answering 200 with the same reference again", async () => {
    const references = new Map<string, string>();
    const service = await receiver((received, response) => {
      const key = received.headers["idempotency-key"] as string;
      if (!references.has(key)) references.set(key, `deploy-${references.size + 1}`);
      json(response, 200, { reference: references.get(key) });
    });
    const deploying = deployer(service.url);
    const first = await deploying.deploy(request());
    const second = await deploying.deploy(request());
    expect(service.received).toHaveLength(2);
    expect(first).toMatchObject({ alreadyDone: false, reference: "deploy-1" });
    expect(second).toMatchObject({ alreadyDone: false, reference: "deploy-1" });
  });
});

describe("WebhookDeployer status polling", () => {
  /** A service that accepts with 202 and answers polls of /status/7 from `states`, in order. */
  async function accepting(
    states: Array<Record<string, unknown>>,
    accept: (response: ServerResponse) => void = (response) =>
      json(response, 202, { statusUrl: "/status/7" }),
  ): Promise<Receiver> {
    let polls = 0;
    return receiver((received, response) => {
      if (received.method === "POST") return accept(response);
      const state = states[Math.min(polls, states.length - 1)]!;
      polls++;
      json(response, 200, state);
    });
  }

  it("follows a 202's status URL with signed GETs until it succeeds", async () => {
    const service = await accepting([
      { status: "running", message: "2/10 pods" },
      { status: "running", message: "7/10 pods" },
      { status: "succeeded", message: "10/10 pods", reference: "rollout-9" },
    ]);
    const result = await deployer(service.url).deploy(request());
    const polls = service.received.filter((r) => r.method === "GET");
    expect(polls.map((r) => r.path)).toEqual(["/status/7", "/status/7", "/status/7"]);
    expect(polls.every((r) => r.body === "" && signed(r))).toBe(true);
    expect(polls.every((r) => r.headers["idempotency-key"] === "web-42/deploy/eu/s2/api#1@prod-eu")).toBe(
      true,
    );
    expect(polls[0]!.headers.authorization).toBe(TOKEN);
    expect(result).toEqual({
      alreadyDone: false,
      reference: "rollout-9",
      output: `prod-eu: POST ${service.url}/ → 202 Accepted after 1 attempt; GET ${service.url}/status/7 → succeeded after 3 polls (reference rollout-9): 10/10 pods`,
    });
  });

  it("fails with the service's message when the status says failed (Location header)", async () => {
    const service = await accepting(
      [{ status: "running" }, { status: "failed", message: "image pull failed" }],
      (response) => {
        response.writeHead(202, { location: `/status/7` });
        response.end();
      },
    );
    const error = await failure(deployer(service.url).deploy(request()));
    expect(error.message).toBe(
      `deployer "platform": deploy of api 1.3.0 to prod-eu failed: POST ${service.url}/ → 202 Accepted after 1 attempt; GET ${service.url}/status/7 → failed: image pull failed`,
    );
    expect(error.details).toMatchObject({ status: 200, attempts: 3 });
  });

  it("fails when the deployment is still running at the status timeout", async () => {
    const service = await accepting([{ status: "running", message: "waiting for capacity" }]);
    const error = await failure(
      deployer(service.url, { status: { pollMs: 20, timeoutMs: 150 } }).deploy(request()),
    );
    expect(error.message).toMatch(
      new RegExp(
        `timed out after 150ms waiting for GET ${service.url}/status/7 to report succeeded or failed \\(\\d+ polls, last: running: waiting for capacity\\)`,
      ),
    );
  });

  it("fails on a status answer outside the contract, and on a refused poll", async () => {
    const odd = await accepting([{ state: "done" }]);
    expect((await failure(deployer(odd.url).deploy(request()))).message).toContain(
      '200 OK, which is not {"status": "succeeded" | "failed" | "running"}: {"state":"done"}',
    );
    const gone = await receiver((received, response) =>
      received.method === "POST" ? json(response, 202, { statusUrl: "/status/7" }) : json(response, 404, {}),
    );
    expect((await failure(deployer(gone.url).deploy(request()))).message).toContain(
      `GET ${gone.url}/status/7 → 404 Not Found (refused, not retried)`,
    );
  });

  it("sends configured headers only to the deploy URL's origin", async () => {
    const status = await receiver((_, response) => json(response, 200, { status: "succeeded" }));
    const service = await receiver((_, response) =>
      json(response, 202, { statusUrl: `${status.url}/jobs/1` }),
    );
    await deployer(service.url).deploy(request());
    expect(service.received[0]!.headers.authorization).toBe(TOKEN);
    expect(status.received[0]!.headers.authorization).toBeUndefined();
    expect(signed(status.received[0]!)).toBe(true);
  });

  it("is done on a 202 without a status URL", async () => {
    const service = await receiver((_, response) => json(response, 202, { message: "queued" }));
    const result = await deployer(service.url).deploy(request());
    expect(service.received).toHaveLength(1);
    expect(result.output).toBe(`prod-eu: POST ${service.url}/ → 202 Accepted after 1 attempt: queued`);
  });
});

describe("WebhookDeployer.rollback", () => {
  it("POSTs the version to return to with action rollback, all traffic and no phase", async () => {
    const service = await receiver((_, response) => json(response, 200, { message: "back on 1.2.0" }));
    const result = await deployer(service.url).rollback(
      request({
        version: "1.2.0",
        previousVersion: "1.3.0",
        idempotencyKey: "web-42/rollback/eu/api#1",
        weight: 25,
        phase: "canary",
        strategy: "canary",
        undoStepKeys: ["deploy/eu/s1/api", "deploy/eu/s2/api"],
      }),
    );
    expect(signed(service.received[0]!)).toBe(true);
    expect(JSON.parse(service.received[0]!.body)).toEqual({
      train: "web-42",
      line: "web",
      component: "api",
      version: "1.2.0",
      previous_version: "1.3.0",
      environment: "prod-eu",
      wave: "eu",
      weight: 100,
      phase: null,
      strategy: "canary",
      action: "rollback",
      idempotency_key: "web-42/rollback/eu/api#1@prod-eu",
    });
    expect(result.output).toContain("back on 1.2.0");
  });

  it("sends a null version when there is none to return to", async () => {
    const service = await receiver((_, response) => json(response, 200, {}));
    await deployer(service.url).rollback(
      request({ version: null, idempotencyKey: "web-42/rollback/eu/api#1" }),
    );
    expect(JSON.parse(service.received[0]!.body)).toMatchObject({ version: null, action: "rollback" });
  });
});

describe("WebhookDeployer and its signal", () => {
  it("sends nothing when already aborted", async () => {
    const service = await receiver((_, response) => json(response, 200, {}));
    const controller = new AbortController();
    controller.abort();
    await expect(deployer(service.url).deploy(request({ signal: controller.signal }))).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(service.received).toHaveLength(0);
  });

  it("stops waiting for an answer, a retry or a poll when aborted", async () => {
    const controller = new AbortController();
    const hanging = await receiver(() => controller.abort());
    await expect(
      deployer(hanging.url, { timeoutMs: 30_000 }).deploy(request({ signal: controller.signal })),
    ).rejects.toMatchObject({ name: "AbortError" });

    const polling = new AbortController();
    const running = await receiver((received, response) => {
      if (received.method === "POST") return json(response, 202, { statusUrl: "/status/7" });
      polling.abort();
      json(response, 200, { status: "running" });
    });
    await expect(
      deployer(running.url, { status: { pollMs: 10, timeoutMs: 60_000 } }).deploy(
        request({ signal: polling.signal }),
      ),
    ).rejects.toMatchObject({ name: "AbortError" });
    expect(running.received.filter((r) => r.method === "GET")).toHaveLength(1);

    const retrying = new AbortController();
    const failing = await receiver((_, response) => {
      json(response, 503, {}, { "retry-after": "30" });
      retrying.abort();
    });
    await expect(
      deployer(failing.url, { maxRetryAfterMs: 60_000 }).deploy(request({ signal: retrying.signal })),
    ).rejects.toMatchObject({ name: "AbortError" });
    expect(failing.received).toHaveLength(1);
  });
});

describe("WebhookDeployer configuration", () => {
  it("refuses a URL that is not http(s) or holds credentials, and an empty secret", () => {
    expect(() => deployer("ftp://host/{component}")).toThrow(WebhookConfigError);
    expect(() => deployer("not a url")).toThrow(
      /deployers\.platform\.url: "not a url" is not an http\(s\) URL/,
    );
    expect(() => deployer("https://user:pw@host/deploy")).toThrow(/credentials do not belong in the URL/);
    expect(() => deployer("https://host/deploy", { secret: "" })).toThrow(/HMAC secret is empty/);
  });
});
