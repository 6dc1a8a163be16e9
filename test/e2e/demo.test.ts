/**
 * The README's run command works: `railyard demo` (what `npm start` runs) plays its whole
 * scenario on a fast simulated clock and exits 0 with `--stop-when-done`. Uses the demo's fixed
 * ports (7300, 7301) and its folder `.railyard/demo/` in the checkout.
 */
import { execFile, spawn } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { RAILYARD_BIN, REPO_ROOT } from "../support/serve-process.js";

const run = promisify(execFile);

describe("the demo", () => {
  it("shows trains boarding, held, approved, released, rolled back and retried", async () => {
    const child = spawn(
      process.execPath,
      [RAILYARD_BIN, "demo", "--stop-when-done", "--rate", "7200", "--timeout", "150"],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, NO_COLOR: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(code, out).toBe(0);
    for (const line of [
      /web-1 +held api 3\.0\.0 → rides web-2 +api 3\.0\.0 held: needs db >=42\.0\.0, db has never been released and did not board/,
      /web-1 +released/,
      /alice approved platform-1 again \(counts once\): 1 of 2/,
      /platform-1 +deploying +approved by alice, bob/,
      /platform-1 +released/,
      /web-2 +rolling_back +gate health failed in wave canary/,
      /web-2 +reverted search in eu-west to 1\.4\.0/,
      /web-2 +rolled_back/,
      /notifications 0\.9\.1 boarded web-3 \(.*\) instead/,
      /CI posted integration results for web-3: 234\/236 passed/,
      /web-3 +blocked +gate integration-tests failed: pass rate 99\.15% \(234 of 236\), minimum 100%: failed; checkout-flow\.checkout-flow case 1: timeout waiting for payment sandbox/,
      /web-3 +gating +retried by ci-bot/,
      /web-3 +released/,
    ]) {
      expect(out).toMatch(line);
    }
    const gitops = path.join(REPO_ROOT, ".railyard", "demo", "gitops.git");
    const { stdout } = await run("git", ["--git-dir", gitops, "log", "--format=%s"]);
    expect(stdout).toContain("rollback search in eu-west (train web-2, wave canary)");
    const verify = await run(process.execPath, [
      RAILYARD_BIN,
      "audit",
      "verify",
      "--database",
      path.join(REPO_ROOT, ".railyard", "demo", "railyard.db"),
    ]);
    expect(verify.stdout).toMatch(/^intact: \d+ events/);
  }, 180_000);
});
