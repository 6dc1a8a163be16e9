/**
 * Runs an outside server the tests need (Prometheus, Alertmanager) as a child process on a free
 * loopback port: starts it, waits until its `/-/ready` answers, keeps its recent output for
 * failure messages, and stops it (SIGTERM, then SIGKILL after 10 s). A port found free can be
 * taken before the server binds it: then it tries another one, up to three times.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { DeadlineError } from "./deadline.js";

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Calls `attempt` every `everyMs` until it returns a value other than `undefined`.
 * @throws {DeadlineError} saying `what` did not happen within `timeoutMs`, with the last error.
 */
export async function pollUntil<T>(
  what: string,
  timeoutMs: number,
  attempt: () => Promise<T | undefined>,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) {
      const why = last instanceof Error ? ` (last error: ${last.message})` : "";
      throw new DeadlineError(`${what}: not within ${timeoutMs} ms${why}`);
    }
    await delay(everyMs);
  }
}

export interface DaemonOptions {
  /** For messages, e.g. `Prometheus`. */
  name: string;
  bin: string;
  /** The arguments for a start on `port`; `attempt` counts from 1 (a fresh data directory each). */
  args(port: number, attempt: number): Promise<string[]> | string[];
  /** How long to wait for `/-/ready`. */
  startTimeoutMs: number;
}

/** A server started by {@link startDaemon}. */
export interface Daemon {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** The process's recent output (64 KiB at most). */
  output(): string;
  /** Stops the process (SIGTERM, then SIGKILL after 10 s); again does nothing. */
  stop(): Promise<void>;
}

/**
 * Starts the server and waits until it is ready.
 * @throws when it does not become ready in time (with its output), after stopping it
 */
export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child: ChildProcess = spawn(options.bin, await options.args(port, attempt), {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let exited = false;
    const exit = new Promise<void>((resolve) => {
      child.once("exit", () => {
        exited = true;
        resolve();
      });
      child.once("error", (error) => {
        output += `\n${error.message}`;
        exited = true;
        resolve();
      });
    });
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => {
        output = (output + chunk).slice(-64 * 1024);
      });
    }
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      if (exited) return;
      child.kill("SIGTERM");
      const timer = new AbortController();
      const done = await Promise.race([
        exit.then(() => true),
        delay(10_000, false, { signal: timer.signal }).catch(() => false),
      ]);
      timer.abort();
      if (!done) {
        child.kill("SIGKILL");
        await exit;
      }
    };
    const url = `http://127.0.0.1:${port}`;
    try {
      await pollUntil(`${options.name} at ${url} ready`, options.startTimeoutMs, async () => {
        if (exited) throw new Error("exited");
        const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
        await response.body?.cancel();
        return response.ok ? true : undefined;
      });
    } catch (error) {
      await stop();
      if (exited && attempt < 3 && /address already in use/.test(output)) continue;
      throw new Error(`${(error as Error).message}\n--- ${options.name.toLowerCase()} output ---\n${output}`);
    }
    return { url, output: () => output, stop };
  }
}
