import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GateContext } from "../../engine/ports.js";
import { type CommandGateConfig, runCommandGate } from "./command-gate.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "railyard-command-gate-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function gate(overrides: Partial<CommandGateConfig> = {}): CommandGateConfig {
  return { name: "smoke", type: "command", command: "true", timeout: "30s", env: {}, ...overrides };
}

function context(overrides: Partial<GateContext> = {}): GateContext {
  return {
    trainId: "web-42",
    line: "web",
    stage: "verify/canary",
    wave: "canary",
    environments: ["eu-west", "us-east"],
    manifest: [
      { component: "api", version: "1.3.0", previousVersion: "1.2.0" },
      { component: "web", version: "2.0.0", previousVersion: null },
    ],
    attempt: 2,
    signal: new AbortController().signal,
    ...overrides,
  };
}

describe("runCommandGate", () => {
  it("passes on exit code 0 and keeps the output with how it ended", async () => {
    const outcome = await runCommandGate(gate({ command: "echo all 12 smoke tests green" }), context(), {
      baseDir: dir,
    });
    expect(outcome.status).toBe("passed");
    expect(outcome.output).toMatch(/^all 12 smoke tests green\nexit code 0 after \d+(ms|\.\ds)$/);
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("fails on a non-zero exit, keeping stderr", async () => {
    const outcome = await runCommandGate(
      gate({ command: "echo checking; echo 'p99 latency 950ms > 500ms' >&2; exit 1" }),
      context(),
      { baseDir: dir },
    );
    expect(outcome.status).toBe("failed");
    expect(outcome.output).toMatch(/^checking\np99 latency 950ms > 500ms\nexit code 1 after /);
  });

  it("fails with the timeout when the program runs too long", async () => {
    const outcome = await runCommandGate(
      gate({ command: "echo started; sleep 30", timeout: "300ms" }),
      context(),
      {
        baseDir: dir,
        killGraceMs: 200,
      },
    );
    expect(outcome.status).toBe("failed");
    expect(outcome.output).toBe("started\ntimed out after 300ms");
  });

  it("gives the program the train's context and the manifest as JSON", async () => {
    const outcome = await runCommandGate(
      gate({
        command: [
          "node",
          "-e",
          "const e = process.env; console.log(JSON.stringify({ train: e.RAILYARD_TRAIN_ID, line: e.RAILYARD_LINE, stage: e.RAILYARD_STAGE, wave: e.RAILYARD_WAVE, envs: e.RAILYARD_ENVIRONMENTS, attempt: e.RAILYARD_ATTEMPT, extra: e.EXTRA, manifest: JSON.parse(e.RAILYARD_MANIFEST) }))",
        ],
        env: { EXTRA: "from config" },
      }),
      context(),
      { baseDir: dir },
    );
    expect(outcome.status).toBe("passed");
    expect(JSON.parse(outcome.output.split("\n")[0]!)).toEqual({
      train: "web-42",
      line: "web",
      stage: "verify/canary",
      wave: "canary",
      envs: "eu-west,us-east",
      attempt: "2",
      extra: "from config",
      manifest: [
        { component: "api", version: "1.3.0", previousVersion: "1.2.0" },
        { component: "web", version: "2.0.0", previousVersion: null },
      ],
    });
    const noWave = await runCommandGate(
      gate({ command: 'test -z "$RAILYARD_WAVE"' }),
      context({ wave: null }),
      {
        baseDir: dir,
      },
    );
    expect(noWave.status).toBe("passed");
  });

  it("keeps only the end of a long output", async () => {
    const outcome = await runCommandGate(
      gate({ command: 'i=0; while [ $i -lt 3000 ]; do echo "line $i"; i=$((i+1)); done; exit 2' }),
      context(),
      { baseDir: dir, maxOutputBytes: 512 },
    );
    expect(outcome.status).toBe("failed");
    expect(outcome.output).toMatch(/^\[… \d+ bytes truncated …\]\n/);
    expect(outcome.output).toMatch(/line 2999\nexit code 2 after /);
    expect(outcome.output).not.toContain("line 0\n");
  });

  it("runs in cwd relative to the configuration's directory", async () => {
    await mkdir(join(dir, "checks"));
    const outcome = await runCommandGate(gate({ command: "pwd", cwd: "checks" }), context(), {
      baseDir: dir,
    });
    expect(outcome.output.split("\n")[0]).toBe(join(dir, "checks"));
  });

  it("fails, not throws, when the program cannot start", async () => {
    const outcome = await runCommandGate(gate({ command: ["no-such-check"] }), context(), { baseDir: dir });
    expect(outcome).toMatchObject({
      status: "failed",
      output: 'cannot start "no-such-check": program not found on PATH',
    });
  });

  it("throws the abort reason when the engine aborts, leaving no verdict", async () => {
    await expect(
      runCommandGate(gate({ command: "sleep 30" }), context({ signal: AbortSignal.timeout(200) }), {
        baseDir: dir,
      }),
    ).rejects.toMatchObject({ name: "TimeoutError" });
  });
});
