import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ProcessStartError, runProcess } from "./run-process.js";

let dir: string;
const leftovers: number[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "railyard-process-"));
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

/** True when the process has exited (gone, or a zombie nobody reaped yet). */
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

describe("runProcess", () => {
  it("runs a string through /bin/sh and keeps stdout and stderr interleaved", async () => {
    const result = await runProcess({
      command: "echo one; echo two >&2; echo three; exit 3",
      cwd: dir,
      timeoutMs: 10_000,
    });
    expect(result).toMatchObject({ exitCode: 3, signal: null, timedOut: false, aborted: false });
    expect(result.output).toBe("one\ntwo\nthree\n");
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("runs an argv list without a shell, in the given directory and environment", async () => {
    const result = await runProcess({
      command: ["/bin/sh", "-c", 'printf "%s|%s|%s" "$1" "$GREETING" "$(pwd)"', "sh", "$HOME; rm -rf /"],
      cwd: dir,
      env: { GREETING: "hello", PATH: process.env.PATH },
      timeoutMs: 10_000,
    });
    expect(result.exitCode).toBe(0);
    expect(result.output).toBe(`$HOME; rm -rf /|hello|${dir}`);
  });

  it("keeps the last bytes of a long output and says how much was cut", async () => {
    const result = await runProcess({
      command: ["node", "-e", "for (let i = 0; i < 20000; i++) console.log('line ' + i)"],
      timeoutMs: 30_000,
      maxOutputBytes: 1024,
    });
    expect(result.exitCode).toBe(0);
    const total = Array.from({ length: 20000 }, (_, i) => `line ${i}\n`).join("").length;
    expect(result.output).toMatch(new RegExp(`^\\[… ${total - 1024} bytes truncated …\\]\\n`));
    expect(result.output.endsWith("line 19998\nline 19999\n")).toBe(true);
    expect(result.output.length).toBeLessThan(1100);
  });

  it("kills the whole process group on timeout", async () => {
    const pidFile = join(dir, "child.pid");
    const result = await runProcess({
      command: `sleep 30 & echo $! > "${pidFile}"; echo started; wait`,
      timeoutMs: 500,
    });
    const child = Number(await readFile(pidFile, "utf8"));
    leftovers.push(child);
    expect(result).toMatchObject({ timedOut: true, aborted: false, exitCode: null, signal: "SIGTERM" });
    expect(result.output).toBe("started\n");
    expect(isGone(child)).toBe(true);
  });

  it("escalates to SIGKILL when the program ignores SIGTERM", async () => {
    const result = await runProcess({
      command: [
        "node",
        "-e",
        "process.on('SIGTERM', () => {}); console.log('stubborn'); setInterval(() => {}, 1000)",
      ],
      timeoutMs: 500,
      killGraceMs: 200,
    });
    expect(result).toMatchObject({ timedOut: true, signal: "SIGKILL" });
  });

  it("kills the process group when aborted, and does not start when already aborted", async () => {
    const pidFile = join(dir, "child.pid");
    const result = await runProcess({
      command: `sleep 30 & echo $! > "${pidFile}"; wait`,
      timeoutMs: 30_000,
      signal: AbortSignal.timeout(300),
    });
    const child = Number(await readFile(pidFile, "utf8"));
    leftovers.push(child);
    expect(result).toMatchObject({ aborted: true, timedOut: false });
    expect(isGone(child)).toBe(true);

    const marker = join(dir, "ran");
    const never = await runProcess({
      command: `touch "${marker}"`,
      timeoutMs: 1000,
      signal: AbortSignal.abort(),
    });
    expect(never).toMatchObject({ aborted: true, exitCode: null });
    await expect(readFile(marker)).rejects.toThrow();
  });

  it("returns when the program exits even if a background child keeps its output open", async () => {
    const pidFile = join(dir, "child.pid");
    const result = await runProcess({
      command: `sleep 30 & echo $! > "${pidFile}"; echo done`,
      timeoutMs: 20_000,
    });
    leftovers.push(Number(await readFile(pidFile, "utf8")));
    expect(result).toMatchObject({ exitCode: 0, timedOut: false });
    expect(result.output).toBe("done\n");
  });

  it("throws ProcessStartError naming a program that does not exist or a missing directory", async () => {
    const missing = await runProcess({ command: ["no-such-program-xyz", "--flag"], timeoutMs: 1000 }).catch(
      (error: unknown) => error,
    );
    expect(missing).toBeInstanceOf(ProcessStartError);
    expect((missing as Error).message).toBe('cannot start "no-such-program-xyz": program not found on PATH');
    const script = join(dir, "deploy.sh");
    await writeFile(script, "#!/bin/sh\necho hi\n", { mode: 0o644 });
    await expect(runProcess({ command: [script], timeoutMs: 1000 })).rejects.toThrow(/not executable/);
    await expect(runProcess({ command: "true", cwd: join(dir, "missing"), timeoutMs: 1000 })).rejects.toThrow(
      /working directory .*missing does not exist/,
    );
  });

  it("reports a missing program under a shell as exit code 127", async () => {
    const result = await runProcess({ command: "no-such-program-xyz", timeoutMs: 5000 });
    expect(result.exitCode).toBe(127);
    expect(result.output).toContain("no-such-program-xyz");
  });
});
