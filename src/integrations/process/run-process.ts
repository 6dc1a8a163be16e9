/**
 * Runs an outside program (a deploy script, a gate check) with a timeout and an `AbortSignal`,
 * keeping the tail of its output (stdout and stderr in the order they were written). The program gets its own process group, so a
 * timeout or an abort ends everything it started, not only the top process.
 */
import { spawn } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { resolve as resolvePath } from "node:path";

/** Default limit of kept output: the last 64 KiB. */
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;

export interface RunProcessOptions {
  /** An argv list (run without a shell) or a string run by `/bin/sh -c`. */
  command: string | string[];
  /** Working directory. @default process.cwd() */
  cwd?: string;
  /** The program's whole environment (nothing is added). @default process.env */
  env?: NodeJS.ProcessEnv;
  /** After this long the process group is terminated and `timedOut` is true. */
  timeoutMs: number;
  /** Aborting terminates the process group; `aborted` is then true. */
  signal?: AbortSignal;
  /** Output beyond this many bytes is dropped from the front. @default 65536 */
  maxOutputBytes?: number;
  /** Time between SIGTERM and SIGKILL when terminating. @default 2000 */
  killGraceMs?: number;
}

export interface ProcessResult {
  /** Exit code, or null when the program was ended by a signal (or never started because aborted). */
  exitCode: number | null;
  /** The signal that ended the program, e.g. `SIGTERM`. */
  signal: string | null;
  /** stdout and stderr interleaved in the order written; the last `maxOutputBytes` bytes. */
  output: string;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
}

/** Thrown by {@link runProcess} when the program cannot be started at all (not found, not executable). */
export class ProcessStartError extends Error {
  override readonly name = "ProcessStartError";
  constructor(
    readonly program: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** How long to keep reading after the program exited while a leftover child still holds its output open. */
const LINGER_AFTER_EXIT_MS = 1000;

/**
 * Runs a program to completion and reports how it ended. Never throws for a non-zero exit, a
 * timeout or an abort: those are in the result.
 * @throws {ProcessStartError} when the working directory is missing or the program cannot be
 *   started (not found, not executable).
 */
export function runProcess(options: RunProcessOptions): Promise<ProcessResult> {
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const killGraceMs = options.killGraceMs ?? 2000;
  const started = performance.now();
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const program = typeof options.command === "string" ? "/bin/sh" : (options.command[0] ?? "");

  if (program.length === 0) {
    return Promise.reject(new ProcessStartError(program, "cannot start a program: the command is empty"));
  }
  if (!isDirectory(cwd)) {
    return Promise.reject(
      new ProcessStartError(
        program,
        `cannot start "${program}": working directory ${cwd} does not exist or is not a directory`,
      ),
    );
  }
  if (typeof options.command !== "string") {
    const problem = findProgram(program, cwd, env.PATH);
    if (problem)
      return Promise.reject(new ProcessStartError(program, `cannot start "${program}": ${problem}`));
  }
  // stderr joins stdout inside the child, so the two stay in the order they were written. The
  // shell only sets up that redirection and then execs the program: arguments of an argv
  // command are passed as "$@" and never interpreted.
  const args =
    typeof options.command === "string"
      ? ["-c", `exec 2>&1\n${options.command}`]
      : ["-c", 'exec "$@" 2>&1', "railyard", ...options.command];
  if (options.signal?.aborted) {
    return Promise.resolve({
      exitCode: null,
      signal: null,
      output: "",
      timedOut: false,
      aborted: true,
      durationMs: 0,
    });
  }

  return new Promise<ProcessResult>((resolve, reject) => {
    const output = new OutputTail(maxOutputBytes);
    const child = spawn("/bin/sh", args, {
      cwd,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let timedOut = false;
    let aborted = false;
    let killRequested = false;
    let exitCode: number | null = null;
    let exitSignal: string | null = null;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    let lingerTimer: NodeJS.Timeout | undefined;

    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // ESRCH: the group is already gone.
      }
    };
    const terminate = () => {
      if (killRequested) return;
      killRequested = true;
      killGroup("SIGTERM");
      killTimer = setTimeout(() => killGroup("SIGKILL"), killGraceMs);
    };
    const onAbort = () => {
      aborted = true;
      terminate();
    };
    const timeoutTimer = setTimeout(() => {
      timedOut = true;
      terminate();
    }, options.timeoutMs);
    options.signal?.addEventListener("abort", onAbort, { once: true });

    const cleanup = () => {
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      clearTimeout(lingerTimer);
      options.signal?.removeEventListener("abort", onAbort);
    };
    const finish = () => {
      if (settled) return;
      settled = true;
      cleanup();
      // Whatever of the group survived the SIGTERM goes now: we are done with it.
      if (killRequested) killGroup("SIGKILL");
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve({
        exitCode,
        signal: exitSignal,
        output: output.text(),
        timedOut,
        aborted,
        durationMs: Math.round(performance.now() - started),
      });
    };

    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk));
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (settled) return;
      if (child.pid === undefined) {
        settled = true;
        cleanup();
        const reason =
          error.code === "ENOENT"
            ? "program not found"
            : error.code === "EACCES"
              ? "permission denied (is it executable?)"
              : error.message;
        reject(new ProcessStartError(program, `cannot start "${program}": ${reason}`, { cause: error }));
      }
    });
    child.on("exit", (code, signal) => {
      if (settled) return;
      exitCode = code;
      exitSignal = signal;
      // A background child may keep stdout open; do not wait for it forever.
      lingerTimer = setTimeout(finish, LINGER_AFTER_EXIT_MS);
    });
    child.on("close", finish);
  });
}

/** Why `program` cannot be run, or null when it can (looked up on PATH like the shell does). */
function findProgram(program: string, cwd: string, path: string | undefined): string | null {
  const candidates = program.includes("/")
    ? [resolvePath(cwd, program)]
    : (path ?? "").split(":").map((dir) => resolvePath(cwd, dir || ".", program));
  let found = false;
  for (const candidate of candidates) {
    try {
      if (!statSync(candidate).isFile()) continue;
      found = true;
      accessSync(candidate, constants.X_OK);
      return null;
    } catch {
      // not here, or not executable: keep looking
    }
  }
  return found
    ? "permission denied (the file is not executable)"
    : program.includes("/")
      ? "program not found"
      : "program not found on PATH";
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Keeps the last `limit` bytes of a byte stream and counts what was dropped. */
class OutputTail {
  private chunks: Buffer[] = [];
  private kept = 0;
  private dropped = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.kept += chunk.length;
    // Compact only now and then, so a chatty program does not make this quadratic.
    if (this.kept > this.limit * 2) this.compact();
  }

  text(): string {
    this.compact();
    let buffer = Buffer.concat(this.chunks);
    let dropped = this.dropped;
    if (dropped > 0) {
      // Do not start inside a multi-byte UTF-8 character.
      let skip = 0;
      while (skip < buffer.length && skip < 3 && (buffer[skip]! & 0xc0) === 0x80) skip++;
      buffer = buffer.subarray(skip);
      dropped += skip;
      return `[… ${dropped} bytes truncated …]\n${buffer.toString("utf8")}`;
    }
    return buffer.toString("utf8");
  }

  private compact(): void {
    if (this.kept <= this.limit) return;
    const all = Buffer.concat(this.chunks);
    const excess = all.length - this.limit;
    this.dropped += excess;
    this.chunks = [all.subarray(excess)];
    this.kept = this.limit;
  }
}
