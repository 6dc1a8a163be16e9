import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Deployer as DeployerSchema } from "../domain/config/schema.js";
import type { DeployRequest } from "../engine/ports.js";
import { CommandDeployer } from "./command/command-deployer.js";
import { createDeployerFactory } from "./deployer-factory.js";
import { GitopsDeployer } from "./git/gitops-deployer.js";
import { WebhookConfigError, WebhookDeployer } from "./http/webhook-deployer.js";
import { verifyWebhookSignature } from "./http/webhook-signature.js";

const run = promisify(execFile);
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "railyard-factory-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const request: DeployRequest = {
  trainId: "web-42",
  line: "web",
  component: "api",
  version: "1.3.0",
  previousVersion: null,
  environments: ["integration"],
  wave: "integration",
  idempotencyKey: "web-42/integration/api#1",
  signal: new AbortController().signal,
};

describe("createDeployerFactory", () => {
  it("builds a gitops deployer whose relative repository path and work directory follow the configuration file", async () => {
    await run("git", ["init", "-q", "--bare", "-b", "main", join(dir, "gitops.git")]);
    const factory = createDeployerFactory({ baseDir: dir, workDir: ".railyard/work" });
    const deployer = factory("argo", DeployerSchema.parse({ type: "gitops", repository: "gitops.git" }));
    expect(deployer).toBeInstanceOf(GitopsDeployer);
    expect((deployer as GitopsDeployer).cloneDir).toBe(join(dir, ".railyard/work/argo"));
    const result = await deployer.deploy(request);
    expect(result.alreadyDone).toBe(false);
    const { stdout } = await run("git", ["show", "main:environments/integration.yaml"], {
      cwd: join(dir, "gitops.git"),
    });
    expect(stdout).toContain("api:\n  version: 1.3.0\n");
  });

  it("builds a command deployer running in cwd relative to the configuration file", async () => {
    const factory = createDeployerFactory({ baseDir: dir, workDir: "work" });
    const deployer = factory(
      "script",
      DeployerSchema.parse({
        type: "command",
        command: 'pwd > "$MARK"',
        env: { MARK: join(dir, "mark") },
        timeout: "30s",
      }),
    );
    expect(deployer).toBeInstanceOf(CommandDeployer);
    await deployer.deploy(request);
    expect((await readFile(join(dir, "mark"), "utf8")).trim()).toBe(dir);
  });

  it("passes canaryPath and weightPath to a gitops deployer", async () => {
    await run("git", ["init", "-q", "--bare", "-b", "main", join(dir, "gitops.git")]);
    const factory = createDeployerFactory({ baseDir: dir, workDir: "work" });
    const deployer = factory(
      "argo",
      DeployerSchema.parse({
        type: "gitops",
        repository: "gitops.git",
        canaryPath: "canary.{component}",
        weightPath: "traffic.{component}",
      }),
    );
    await deployer.deploy({ ...request, phase: "canary", weight: 10, strategy: "canary" });
    const { stdout } = await run("git", ["show", "main:environments/integration.yaml"], {
      cwd: join(dir, "gitops.git"),
    });
    expect(stdout).toContain("canary:\n  api: 1.3.0\ntraffic:\n  api: 10\n");
  });

  it("builds a webhook deployer whose secret and headers come from the environment", async () => {
    const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"reference":"d-1"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const env = { DEPLOY_HMAC: "hmac-secret-value", DEPLOY_TOKEN: "Bearer t0ken" };
      const factory = createDeployerFactory({ baseDir: dir, workDir: "work", env });
      const config = DeployerSchema.parse({
        type: "webhook",
        url: `http://127.0.0.1:${port}/deploy/{component}`,
        secretEnv: "DEPLOY_HMAC",
        headersFromEnv: { Authorization: "DEPLOY_TOKEN" },
      });
      expect(config).toMatchObject({ timeout: "30s", retries: 3, status: { poll: "10s", timeout: "15m" } });
      const deployer = factory("platform", config);
      expect(deployer).toBeInstanceOf(WebhookDeployer);
      expect(await deployer.deploy(request)).toMatchObject({ reference: "d-1", alreadyDone: false });
      const [delivery] = received;
      expect(delivery!.headers.authorization).toBe("Bearer t0ken");
      expect(
        verifyWebhookSignature(
          "hmac-secret-value",
          delivery!.headers["x-railyard-timestamp"] as string,
          delivery!.body,
          delivery!.headers["x-railyard-signature"] as string,
        ),
      ).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("refuses a webhook deployer whose secret or header variable is not set, naming it", () => {
    const factory = createDeployerFactory({ baseDir: dir, workDir: "work", env: { DEPLOY_HMAC: "s3cret" } });
    const config = (extra: object) =>
      DeployerSchema.parse({ type: "webhook", url: "https://deploy.example/{component}", ...extra });
    expect(() => factory("platform", config({ secretEnv: "MISSING_HMAC" }))).toThrow(WebhookConfigError);
    expect(() => factory("platform", config({ secretEnv: "MISSING_HMAC" }))).toThrow(
      "deployers.platform.secretEnv: environment variable MISSING_HMAC is not set; set it in Railyard's environment",
    );
    expect(() =>
      factory(
        "platform",
        config({ secretEnv: "DEPLOY_HMAC", headersFromEnv: { Authorization: "NO_TOKEN" } }),
      ),
    ).toThrow(/deployers\.platform\.headersFromEnv\.Authorization: environment variable NO_TOKEN is not set/);
  });

  it("refuses a webhook configuration with the secret in it, or without a secret variable", () => {
    expect(() =>
      DeployerSchema.parse({ type: "webhook", url: "https://deploy.example", secret: "inline" }),
    ).toThrow();
    expect(() => DeployerSchema.parse({ type: "webhook", url: "https://deploy.example" })).toThrow();
  });
});
