/**
 * Runs the built CLI as a user would: `node bin/railyard.js …` in a child process, on `dist/`
 * (built once per run by build-once.ts), with its own environment, exit code, stdout and stderr.
 * Waits are on process events and output, each with a deadline; never on the wall clock.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createServer } from "node:net";

import { RAILYARD_BIN, REPO_ROOT } from "./serve-process.js";

/** The repository root. */
export const ROOT = REPO_ROOT;
/** The CLI entry point users run. */
export const BIN = RAILYARD_BIN;

/** How a CLI run ended. */
export interface CliResult {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Added to the child's environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** @default the repository root */
  cwd?: string;
  /** The run is killed and the promise rejected after this long. @default 30 s */
  timeoutMs?: number;
}

/**
 * The environment of a CLI child: the test process's, without any `RAILYARD_*` variable (so a
 * developer's own server or token never leaks in), without colour, plus `extra`.
 */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("RAILYARD_") && key !== "FORCE_COLOR") env[key] = value;
  }
  env.NO_COLOR = "1";
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** A running CLI process. */
export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /**
   * Resolves with the first match of `pattern` in the stream's text after offset `since`;
   * rejects when the process exits first or after `timeoutMs` (default 20 s).
   */
  waitFor(
    stream: "stdout" | "stderr",
    pattern: RegExp,
    options?: { since?: number; timeoutMs?: number },
  ): Promise<RegExpMatchArray>;
  /** Resolves when the process has exited (it is never rejected). */
  exited: Promise<CliResult>;
  /** Waits for the exit, killing the process after `timeoutMs` (default 30 s) and rejecting. */
  finished(timeoutMs?: number): Promise<CliResult>;
}

/** Starts `node bin/railyard.js ...args`. */
export function spawnCli(args: string[], options: CliOptions = {}): CliProcess {
  return spawnProcess(process.execPath, [BIN, ...args], args, options);
}

function spawnProcess(file: string, argv: string[], args: string[], options: CliOptions): CliProcess {
  const child = spawn(file, argv, {
    cwd: options.cwd ?? ROOT,
    env: cliEnv(options.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const text = { stdout: "", stderr: "" };
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    text.stdout += chunk;
    notify();
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    text.stderr += chunk;
    notify();
  });
  let done: CliResult | null = null;
  const exited = new Promise<CliResult>((resolve) => {
    child.on("close", (code, signal) => {
      done = { code, signal, stdout: text.stdout, stderr: text.stderr };
      notify();
      resolve(done);
    });
    child.on("error", (error) => {
      text.stderr += `spawn failed: ${error.message}`;
    });
  });
  const describe = () => `\n--- stdout ---\n${text.stdout}\n--- stderr ---\n${text.stderr}`;

  return {
    child,
    stdout: () => text.stdout,
    stderr: () => text.stderr,
    exited,
    waitFor(stream, pattern, { since = 0, timeoutMs = 20_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = text[stream].slice(since).match(pattern);
          if (match) {
            cleanup();
            resolve(match);
          } else if (done) {
            cleanup();
            reject(
              new Error(`railyard ${args.join(" ")} exited (${done.code}) before ${pattern}${describe()}`),
            );
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `no ${pattern} on ${stream} of railyard ${args.join(" ")} in ${timeoutMs} ms${describe()}`,
            ),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async finished(timeoutMs = 30_000) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill("SIGKILL");
          reject(new Error(`railyard ${args.join(" ")} did not exit within ${timeoutMs} ms${describe()}`));
        }, timeoutMs);
      });
      try {
        return await Promise.race([exited, deadline]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Runs `node bin/railyard.js ...args` to the end. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return spawnCli(args, options).finished(options.timeoutMs);
}

/** Whether `script` (util-linux) is installed, to give the CLI a pseudo-terminal. */
export function canRunInTerminal(): boolean {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `node bin/railyard.js ...args` on a pseudo-terminal (under `script`), as from a person's
 * shell; `stdout` is what the terminal showed (with `\r\n` line ends).
 */
export function runCliInTerminal(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;
  const command = [process.execPath, BIN, ...args].map(quote).join(" ");
  return spawnProcess("script", ["-qfec", command, "/dev/null"], args, options).finished(options.timeoutMs);
}

/** A loopback port nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return address.port;
}

/** The non-empty lines of a text. */
export function linesOf(text: string): string[] {
  return text.split("\n").filter((line) => line.trim() !== "");
}
