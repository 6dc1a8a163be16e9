import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Deployer as DeployerSchema } from "../domain/config/schema.js";
import type { DeployRequest } from "../engine/ports.js";
import { CommandDeployer } from "./command/command-deployer.js";
import { createDeployerFactory } from "./deployer-factory.js";
import { GitopsDeployer } from "./git/gitops-deployer.js";

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
});
