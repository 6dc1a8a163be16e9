import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Gate } from "../domain/config/schema.js";
import type { GateContext } from "../engine/ports.js";
import { createGateRunner } from "./gate-runner.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "railyard-gate-runner-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const context: GateContext = {
  trainId: "web-42",
  line: "web",
  stage: "gating",
  wave: null,
  environments: ["integration"],
  manifest: [],
  attempt: 1,
  signal: new AbortController().signal,
};

describe("createGateRunner", () => {
  it("runs a configured command gate in its cwd under the configuration's directory", async () => {
    await mkdir(join(dir, "checks"));
    const runner = createGateRunner({ baseDir: dir });
    const gate = Gate.parse({ name: "where", type: "command", command: "pwd", cwd: "checks" });
    const outcome = await runner.run(gate, context);
    expect(outcome.status).toBe("passed");
    expect(outcome.output.split("\n")[0]).toBe(join(dir, "checks"));
  });

  it("runs a configured http gate with headers from its environment", async () => {
    const server = createServer((request, response) => {
      response.statusCode = request.headers["x-token"] === "abc123" ? 204 : 401;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const runner = createGateRunner({ baseDir: dir, env: { TOKEN: "abc123" } });
      const gate = Gate.parse({
        name: "smoke",
        type: "http",
        url: `http://127.0.0.1:${port}/{train}`,
        headersFromEnv: { "x-token": "TOKEN" },
      });
      const outcome = await runner.run(gate, context);
      expect(outcome.status).toBe("passed");
      expect(outcome.output).toMatch(/→ 204 No Content in \d+ ms$/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
