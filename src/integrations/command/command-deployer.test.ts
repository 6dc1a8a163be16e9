import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DeployRequest } from "../../engine/ports.js";
import { CommandDeployer, type CommandDeployerOptions, DeployError } from "./command-deployer.js";

let dir: string;
const leftovers: number[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "railyard-command-deployer-"));
});

afterEach(async () => {
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await rm(dir, { recursive: true, force: true });
});

function deployer(overrides: Partial<CommandDeployerOptions> = {}): CommandDeployer {
  return new CommandDeployer({
    name: "script",
    command:
      'env | grep "^RAILYARD_" | sort > "$OUT/$RAILYARD_ACTION-$RAILYARD_ENVIRONMENT.env"; echo "deployed to $RAILYARD_ENVIRONMENT"',
    cwd: dir,
    env: { OUT: dir },
    timeoutMs: 10_000,
    ...overrides,
  });
}

function request(overrides: Partial<DeployRequest> = {}): DeployRequest {
  return {
    trainId: "web-42",
    line: "web",
    component: "api",
    version: "1.3.0",
    previousVersion: null,
    environments: ["eu-west", "us-east"],
    wave: "wave-1",
    idempotencyKey: "web-42/deploy/wave-1/api#1",
    signal: new AbortController().signal,
    ...overrides,
  };
}

async function envFile(name: string): Promise<Record<string, string>> {
  const text = await readFile(join(dir, name), "utf8");
  return Object.fromEntries(
    text
      .trim()
      .split("\n")
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.startsWith("Z") ?? false;
  } catch {
    return true;
  }
}

describe("CommandDeployer", () => {
  it("runs once per environment with the train's variables and a per-environment idempotency key", async () => {
    const previous = process.env.RAILYARD_DATABASE_URL;
    process.env.RAILYARD_DATABASE_URL = "postgres://railyard:secret@db/railyard";
    try {
      const result = await deployer().deploy(request());
      expect(result).toMatchObject({ alreadyDone: false, reference: null });
      expect(result.output).toMatch(/^== eu-west ==\ndeployed to eu-west\nexit code 0 after \d/);
      expect(result.output).toContain("== us-east ==\ndeployed to us-east\n");
    } finally {
      if (previous === undefined) delete process.env.RAILYARD_DATABASE_URL;
      else process.env.RAILYARD_DATABASE_URL = previous;
    }
    expect(await envFile("deploy-eu-west.env")).toEqual({
      RAILYARD_ACTION: "deploy",
      RAILYARD_COMPONENT: "api",
      RAILYARD_ENVIRONMENT: "eu-west",
      RAILYARD_IDEMPOTENCY_KEY: "web-42/deploy/wave-1/api#1@eu-west",
      RAILYARD_LINE: "web",
      RAILYARD_PHASE: "",
      RAILYARD_PREVIOUS_VERSION: "",
      RAILYARD_STRATEGY: "allAtOnce",
      RAILYARD_TRAIN_ID: "web-42",
      RAILYARD_VERSION: "1.3.0",
      RAILYARD_WAVE: "wave-1",
      RAILYARD_WEIGHT: "100",
    });
    expect((await envFile("deploy-us-east.env")).RAILYARD_IDEMPOTENCY_KEY).toBe(
      "web-42/deploy/wave-1/api#1@us-east",
    );
  });

  it("passes a canary step's weight, phase and strategy", async () => {
    await deployer().deploy(
      request({ environments: ["eu-west"], weight: 25, phase: "canary", strategy: "canary" }),
    );
    expect(await envFile("deploy-eu-west.env")).toMatchObject({
      RAILYARD_WEIGHT: "25",
      RAILYARD_PHASE: "canary",
      RAILYARD_STRATEGY: "canary",
    });
    await deployer().deploy(
      request({ environments: ["eu-west"], weight: 0, phase: "preview", strategy: "blueGreen" }),
    );
    expect(await envFile("deploy-eu-west.env")).toMatchObject({
      RAILYARD_WEIGHT: "0",
      RAILYARD_PHASE: "preview",
      RAILYARD_STRATEGY: "blueGreen",
    });
  });

  it("rolls back with the version to return to", async () => {
    await deployer().rollback(
      request({
        version: "1.2.0",
        previousVersion: "1.3.0",
        environments: ["eu-west"],
        idempotencyKey: "web-42/rollback/wave-1/api#1",
        // Undoing a canary at 25%: the version returned to takes all traffic again.
        weight: 25,
        phase: "canary",
        strategy: "canary",
      }),
    );
    expect(await envFile("rollback-eu-west.env")).toMatchObject({
      RAILYARD_ACTION: "rollback",
      RAILYARD_VERSION: "1.2.0",
      RAILYARD_PREVIOUS_VERSION: "1.3.0",
      RAILYARD_IDEMPOTENCY_KEY: "web-42/rollback/wave-1/api#1@eu-west",
      RAILYARD_WEIGHT: "100",
      RAILYARD_PHASE: "",
      RAILYARD_STRATEGY: "canary",
    });
  });

  it("stops at the first failing environment with a DeployError carrying its output", async () => {
    const failing = deployer({
      command:
        'echo "applying to $RAILYARD_ENVIRONMENT"; echo "quota exceeded" >&2; touch "$OUT/ran-$RAILYARD_ENVIRONMENT"; exit 4',
    });
    const error = (await failing.deploy(request()).catch((e: unknown) => e)) as DeployError;
    expect(error).toBeInstanceOf(DeployError);
    expect(error.environment).toBe("eu-west");
    expect(error.exitCode).toBe(4);
    expect(error.message).toContain('deployer "script": deploy of api 1.3.0 to eu-west failed: exit code 4');
    expect(error.message).toContain("applying to eu-west\nquota exceeded");
    expect(error.runs.map((run) => run.environment)).toEqual(["eu-west"]);
    expect(error.output).toMatch(/^== eu-west ==\napplying to eu-west\nquota exceeded\nexit code 4 after /);
    expect(existsSync(join(dir, "ran-us-east"))).toBe(false);
  });

  it("names the environments already done when a later one fails", async () => {
    const failing = deployer({ command: '[ "$RAILYARD_ENVIRONMENT" = eu-west ]' });
    await expect(failing.deploy(request())).rejects.toThrow(
      /to us-east failed: exit code 1 .*\(already done: eu-west\)/,
    );
  });

  it("kills the command's whole process group on timeout", async () => {
    const pidFile = join(dir, "sleep.pid");
    const slow = deployer({
      command: `sleep 30 & echo $! > "${pidFile}"; echo waiting; wait`,
      timeoutMs: 500,
      killGraceMs: 500,
    });
    const error = (await slow.deploy(request()).catch((e: unknown) => e)) as DeployError;
    const child = Number(await readFile(pidFile, "utf8"));
    leftovers.push(child);
    expect(error).toBeInstanceOf(DeployError);
    expect(error.exitCode).toBeNull();
    expect(error.message).toMatch(/to eu-west failed: timed out after 500ms\nwaiting/);
    expect(isGone(child)).toBe(true);
  });

  it("stops the command when the request is aborted", async () => {
    const slow = deployer({ command: "sleep 30" });
    const error = (await slow
      .deploy(request({ signal: AbortSignal.timeout(200) }))
      .catch((e: unknown) => e)) as DeployError;
    expect(error).toBeInstanceOf(DeployError);
    expect(error.aborted).toBe(true);
    expect(error.message).toMatch(/failed: aborted after/);
  });

  it("runs an argv command without a shell and reports a missing program", async () => {
    const argv = deployer({ command: ["/bin/echo", "$RAILYARD_VERSION"] });
    expect((await argv.deploy(request({ environments: ["eu-west"] }))).output).toContain(
      "$RAILYARD_VERSION\n",
    );
    const missing = deployer({ command: ["no-such-deploy-tool"] });
    await expect(missing.deploy(request())).rejects.toThrow(
      /deploy of api 1.3.0 to eu-west failed: cannot start "no-such-deploy-tool": program not found/,
    );
    const error = (await missing.deploy(request()).catch((e: unknown) => e)) as DeployError;
    expect(error.output).toMatch(
      /^== eu-west ==\ndeployer "script": deploy of api 1.3.0 to eu-west failed: cannot start/,
    );
  });
});
