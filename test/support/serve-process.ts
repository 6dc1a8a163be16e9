/**
 * `railyard serve` and other CLI commands as real child processes, for tests that must kill the
 * server (crash recovery) or run the CLI as a person would.
 *
 * The child runs `node bin/railyard.js`, that is the compiled `dist/`. A child process cannot use
 * Vite's TypeScript transform, so the vitest global setup (`test/support/build-once.ts`) compiles
 * `src/` into `dist/` once per `vitest run`, before any test file starts: the child always runs the
 * sources under test, never a stale build, and the ~5 s compile is paid once, not per restart.
 * A test that restarts the server many times can run from a {@link snapshotCli} copy, so that a
 * rebuild of `dist/` by a concurrent run in the same checkout cannot change it halfway.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { cp, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { withDeadline } from "./deadline.js";
import type { ApiAnswer } from "./server.js";

/** The repository checkout the tests run in. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The CLI entry point (runs `dist/cli/main.js`). */
export const RAILYARD_BIN = path.join(REPO_ROOT, "bin", "railyard.js");

/** A private copy of the compiled CLI. */
export interface CliSnapshot {
  /** Its `bin/railyard.js`. */
  bin: string;
  /** Deletes the copy. */
  cleanup(): Promise<void>;
}

/**
 * Copies the compiled CLI (`bin/`, `dist/`, `package.json`) into a temp folder whose
 * `node_modules` links to the checkout's, and returns its entry point. Take it after the global
 * setup has built `dist/` (in `beforeAll`); it costs a few milliseconds.
 * @throws when `dist/` has not been built.
 */
export async function snapshotCli(): Promise<CliSnapshot> {
  const dir = await mkdtemp(path.join(tmpdir(), "railyard-cli-"));
  try {
    for (const entry of ["bin", "dist", "package.json"]) {
      await cp(path.join(REPO_ROOT, entry), path.join(dir, entry), { recursive: true });
    }
    await symlink(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`cannot copy the compiled CLI (is dist/ built?): ${(error as Error).message}`);
  }
  return {
    bin: path.join(dir, "bin", "railyard.js"),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Output kept per stream: the newest part, enough for logs of a whole train. */
const KEEP_CHARS = 1024 * 1024;

export interface ServeProcessOptions {
  /** The CLI entry point to run. @default RAILYARD_BIN */
  bin?: string;
  configFile: string;
  databaseUrl: string;
  /** Where deployers keep working copies (`--work-dir`). */
  workDir: string;
  /** Start of the simulated clock (`--clock-start`); a later stored time wins, so restarts continue. */
  clockStart: Date;
  /** `RAILYARD_ADMIN_TOKEN` of the server. */
  adminToken: string;
  /** `RAILYARD_FAILPOINT`: the server SIGKILLs itself on reaching this point. */
  failpoint?: string | undefined;
  /** Real time between reconciliation passes (`--tick`). @default "50ms" */
  tick?: string;
  /** How long to wait for the "listening" line on stderr. @default 30_000 */
  startTimeoutMs?: number;
  /** Limit on each HTTP request to the server. @default 60_000 */
  requestTimeoutMs?: number;
}

/** How a child process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running (or ended) `railyard serve` process. */
export interface ServeProcess {
  readonly pid: number;
  /** `http://127.0.0.1:PORT`, or null when the process exited before it listened. */
  readonly url: string | null;
  /** Settles once the process has exited. */
  readonly exit: Promise<ProcessExit>;
  /** The exit, once it happened. */
  exited(): ProcessExit | null;
  stderr(): string;
  stdout(): string;
  /** The process's stderr and the end of its logs, for failure messages. */
  diagnostics(): string;
  /** One HTTP request with the admin token unless `token` is given ("" for none). */
  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<ApiAnswer<T>>;
  /**
   * Stops the process with SIGTERM (a graceful stop, which also flushes its logs) and waits for
   * the exit. @throws when it has not exited within 10 s (it is then killed).
   */
  stop(): Promise<ProcessExit>;
  /** SIGKILLs the process unless it has exited, and waits for the exit. */
  kill(): Promise<ProcessExit>;
}

function collector(child: ChildProcess, stream: "stdout" | "stderr", onText?: (all: string) => void) {
  let text = "";
  child[stream]?.setEncoding("utf8");
  child[stream]?.on("data", (chunk: string) => {
    text += chunk;
    if (text.length > 2 * KEEP_CHARS) text = text.slice(-KEEP_CHARS);
    onText?.(text);
  });
  return () => text;
}

function describeExit(exit: ProcessExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

/**
 * Starts `railyard serve` on a simulated clock that moves only through the API, and resolves
 * once it listens, or once it exited if it died first (a failpoint reached at startup).
 * @throws when it neither listens nor exits within `startTimeoutMs` (the process is killed and
 *   the error carries its stderr), or when it cannot be spawned.
 */
export async function spawnServe(options: ServeProcessOptions): Promise<ServeProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, RAILYARD_ADMIN_TOKEN: options.adminToken, NO_COLOR: "1" };
  delete env.RAILYARD_FAILPOINT;
  delete env.RAILYARD_DATABASE_URL;
  if (options.failpoint) env.RAILYARD_FAILPOINT = options.failpoint;
  const args = [
    options.bin ?? RAILYARD_BIN,
    "serve",
    "--config",
    options.configFile,
    "--database",
    options.databaseUrl,
    "--port",
    "0",
    "--clock",
    "simulated",
    "--clock-start",
    options.clockStart.toISOString(),
    "--clock-rate",
    "0",
    "--work-dir",
    options.workDir,
    "--tick",
    options.tick ?? "50ms",
  ];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let exitedWith: ProcessExit | null = null;
  // "close", not "exit": it comes after stdio has been read to the end, so a failpoint's last
  // words on stderr are in hand when the exit is.
  const exit = new Promise<ProcessExit>((resolve) => {
    child.once("close", (code, signal) => {
      exitedWith = { code, signal };
      resolve(exitedWith);
    });
  });
  let onListening: (url: string) => void = () => {};
  const listening = new Promise<string>((resolve) => {
    onListening = resolve;
  });
  const stdout = collector(child, "stdout");
  const stderr = collector(child, "stderr", (all) => {
    const match = /railyard listening on (http:\/\/[^\s]+)/.exec(all);
    if (match?.[1]) onListening(match[1]);
  });
  const spawnFailed = new Promise<never>((_, reject) => {
    child.once("error", (error) => reject(new Error(`cannot start railyard serve: ${error.message}`)));
  });
  const diagnostics = () => {
    const logs = stdout();
    return [
      `railyard serve (pid ${child.pid}${options.failpoint ? `, RAILYARD_FAILPOINT=${options.failpoint}` : ""})`,
      exitedWith ? describeExit(exitedWith) : "still running",
      `--- stderr ---\n${stderr()}`,
      `--- stdout (last 8000 characters) ---\n${logs.slice(-8000)}`,
    ].join("\n");
  };
  const kill = async () => {
    if (exitedWith) return exitedWith;
    child.kill("SIGKILL");
    return withDeadline(exit, 10_000, `railyard serve pid ${child.pid} to exit after SIGKILL`);
  };
  const stop = async () => {
    if (exitedWith) return exitedWith;
    child.kill("SIGTERM");
    try {
      return await withDeadline(exit, 10_000, `railyard serve pid ${child.pid} to stop on SIGTERM`);
    } catch (error) {
      await kill();
      throw new Error(`${(error as Error).message}\n${diagnostics()}`);
    }
  };
  let url: string | null;
  try {
    url = await withDeadline(
      Promise.race([listening, exit.then(() => null), spawnFailed]),
      options.startTimeoutMs ?? 30_000,
      "railyard serve to print its listening line",
    );
  } catch (error) {
    await kill().catch(() => undefined);
    throw new Error(`${(error as Error).message}\n${diagnostics()}`);
  }
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  return {
    pid: child.pid ?? -1,
    url,
    exit,
    exited: () => exitedWith,
    stderr,
    stdout,
    diagnostics,
    stop,
    kill,
    async request<T>(method: string, p: string, body?: unknown, token = options.adminToken) {
      if (url === null) throw new Error(`railyard serve exited before listening\n${diagnostics()}`);
      const response = await fetch(`${url}${p}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: keep the text
      }
      return {
        status: response.status,
        body: parsed as T,
        contentType: response.headers.get("content-type"),
        headers: response.headers,
      };
    },
  };
}

/** What a finished CLI command printed. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  /** The CLI entry point to run. @default RAILYARD_BIN */
  bin?: string;
  /** Added to the test's environment. */
  env?: NodeJS.ProcessEnv;
  /** @default 30_000 */
  timeoutMs?: number;
}

/**
 * Runs `node bin/railyard.js <args>` to completion.
 * @throws when it does not finish within `timeoutMs` (it is killed) or cannot be spawned.
 */
export async function runCli(args: string[], options: RunCliOptions = {}): Promise<CliRun> {
  const child = spawn(process.execPath, [options.bin ?? RAILYARD_BIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout = collector(child, "stdout");
  const stderr = collector(child, "stderr");
  const done = new Promise<CliRun>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, stdout: stdout(), stderr: stderr() }));
  });
  try {
    return await withDeadline(done, options.timeoutMs ?? 30_000, `railyard ${args.join(" ")} to finish`);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
}
