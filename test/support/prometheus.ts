/**
 * A real Prometheus for integration tests: `/usr/bin/prometheus` (Debian's `prometheus` package,
 * which `.ci/run` installs) as a child process on a free loopback port with a temporary TSDB,
 * scraping every second a small exporter whose counters and gauges the test sets.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import {
  createPrometheusClient,
  type PrometheusClient,
  type PrometheusResult,
} from "../../src/integrations/prometheus/client.js";
import { DeadlineError } from "./deadline.js";

/** The Prometheus binary the tests run. @default /usr/bin/prometheus (or `$PROMETHEUS_BIN`) */
export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? "/usr/bin/prometheus";

type Labels = Record<string, string>;

/** The `/metrics` endpoint Prometheus scrapes, in the text exposition format. */
export interface MetricsExporter {
  /** `127.0.0.1:PORT`, the scrape target. */
  readonly target: string;
  /** Adds `delta` to a counter (created at 0 when new). */
  add(name: string, labels: Labels, delta: number): void;
  /** Makes a counter grow by `perScrape` at every scrape (created at 0 when new): steady traffic. */
  traffic(name: string, labels: Labels, perScrape: number): void;
  /** Sets a gauge. */
  set(name: string, labels: Labels, value: number): void;
  /** The value the exporter serves for a series. */
  value(name: string, labels: Labels): number | undefined;
  close(): Promise<void>;
}

interface Series {
  name: string;
  labels: Labels;
  type: "counter" | "gauge";
  value: number;
  perScrape: number;
}

function seriesKey(name: string, labels: Labels): string {
  return `${name}${formatLabels(labels)}`;
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return "";
  const escaped = (v: string) => v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
  return `{${entries.map(([k, v]) => `${k}="${escaped(v)}"`).join(",")}}`;
}

/** Starts the exporter on a free loopback port. */
export async function startExporter(): Promise<MetricsExporter> {
  const series = new Map<string, Series>();
  const upsert = (name: string, labels: Labels, type: Series["type"]): Series => {
    const key = seriesKey(name, labels);
    let entry = series.get(key);
    if (!entry) {
      entry = { name, labels, type, value: 0, perScrape: 0 };
      series.set(key, entry);
    }
    return entry;
  };
  const server: Server = createServer((request, response) => {
    if (request.url !== "/metrics") {
      response.writeHead(404).end();
      return;
    }
    for (const entry of series.values()) entry.value += entry.perScrape;
    const byName = new Map<string, Series[]>();
    for (const entry of series.values()) byName.set(entry.name, [...(byName.get(entry.name) ?? []), entry]);
    const lines: string[] = [];
    for (const [name, entries] of byName) {
      lines.push(`# TYPE ${name} ${entries[0]!.type}`);
      for (const entry of entries) lines.push(`${name}${formatLabels(entry.labels)} ${entry.value}`);
    }
    response.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
    response.end(`${lines.join("\n")}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    target: `127.0.0.1:${port}`,
    add(name, labels, delta) {
      upsert(name, labels, "counter").value += delta;
    },
    traffic(name, labels, perScrape) {
      upsert(name, labels, "counter").perScrape = perScrape;
    },
    set(name, labels, value) {
      upsert(name, labels, "gauge").value = value;
    },
    value(name, labels) {
      return series.get(seriesKey(name, labels))?.value;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
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

/** A running Prometheus scraping a {@link MetricsExporter}. */
export interface RunningPrometheus {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly exporter: MetricsExporter;
  /** A client of it (no retries). */
  readonly client: PrometheusClient;
  /**
   * Waits until an instant query's result satisfies `accept`.
   * @throws {DeadlineError} when it does not within `timeoutMs` (default 15 s).
   */
  waitFor(
    query: string,
    accept: (result: PrometheusResult) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<PrometheusResult>;
  /** The process's recent output, for failure messages. */
  diagnostics(): string;
  /** Stops Prometheus (SIGTERM, then SIGKILL after 10 s), the exporter, and deletes the TSDB. */
  stop(): Promise<void>;
}

export interface StartPrometheusOptions {
  /** Prometheus's `scrape_interval` (also the scrape timeout). @default "1s" */
  scrapeInterval?: string;
  /** How long to wait for readiness and the exporter's first scrape. @default 30_000 */
  startTimeoutMs?: number;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts the exporter and Prometheus, and resolves once Prometheus is ready (`/-/ready`) and has
 * scraped the exporter (`up{job="exporter"} == 1`), so queries see its series.
 * @throws when `/usr/bin/prometheus` is missing (saying `.ci/run` should install it), or when
 *   Prometheus exits or is not ready in time (with its output).
 */
export async function startPrometheus(options: StartPrometheusOptions = {}): Promise<RunningPrometheus> {
  if (!existsSync(PROMETHEUS_BIN)) {
    throw new Error(
      `${PROMETHEUS_BIN} is missing: the Prometheus integration tests need Debian's prometheus package, which .ci/run should install (apt-get install prometheus)`,
    );
  }
  const interval = options.scrapeInterval ?? "1s";
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const exporter = await startExporter();
  const dir = await mkdtemp(path.join(tmpdir(), "railyard-prometheus-"));
  const configFile = path.join(dir, "prometheus.yml");
  await writeFile(
    configFile,
    [
      "global:",
      `  scrape_interval: ${interval}`,
      `  scrape_timeout: ${interval}`,
      `  evaluation_interval: ${interval}`,
      "scrape_configs:",
      "  - job_name: exporter",
      "    static_configs:",
      `      - targets: ["${exporter.target}"]`,
      "",
    ].join("\n"),
  );

  let child: ChildProcess | undefined;
  let output = "";
  let exit: Promise<void> = Promise.resolve();
  let exited = false;
  const cleanup = async () => {
    if (child && !exited) {
      child.kill("SIGTERM");
      const timer = new AbortController();
      const stopped = await Promise.race([
        exit.then(() => true),
        delay(10_000, false, { signal: timer.signal }).catch(() => false),
      ]);
      timer.abort();
      if (!stopped) {
        child.kill("SIGKILL");
        await exit;
      }
    }
    await exporter.close();
    await rm(dir, { recursive: true, force: true });
  };

  try {
    // A port found free can be taken before Prometheus binds it: try another one then.
    for (let tries = 1; ; tries++) {
      const port = await freePort();
      exited = false;
      output = "";
      const started = spawn(
        PROMETHEUS_BIN,
        [
          `--config.file=${configFile}`,
          `--storage.tsdb.path=${path.join(dir, `data-${tries}`)}`,
          `--web.listen-address=127.0.0.1:${port}`,
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      child = started;
      exit = new Promise<void>((resolve) => {
        started.once("exit", () => {
          exited = true;
          resolve();
        });
        started.once("error", (error) => {
          output += `\n${error.message}`;
          exited = true;
          resolve();
        });
      });
      for (const stream of [started.stdout, started.stderr]) {
        stream?.setEncoding("utf8");
        stream?.on("data", (chunk: string) => {
          output = (output + chunk).slice(-64 * 1024);
        });
      }
      const url = `http://127.0.0.1:${port}`;
      try {
        await pollUntil(`Prometheus at ${url} ready`, startTimeoutMs, async () => {
          if (exited) throw new Error("exited");
          const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
          await response.body?.cancel();
          return response.ok ? true : undefined;
        });
      } catch (error) {
        if (exited && tries < 3 && /address already in use/.test(output)) continue;
        throw new Error(`${(error as Error).message}\n--- prometheus output ---\n${output}`);
      }
      const client = createPrometheusClient({ url, retries: 0, timeoutMs: 5000 });
      const waitFor: RunningPrometheus["waitFor"] = (query, accept, what, timeoutMs = 15_000) =>
        pollUntil(what, timeoutMs, async () => {
          const result = await client.query(query);
          return accept(result) ? result : undefined;
        });
      await waitFor(
        'up{job="exporter"} == 1',
        (r) => r.series.length === 1,
        `Prometheus scraped the exporter at ${exporter.target}`,
        startTimeoutMs,
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n--- prometheus output ---\n${output}`);
      });
      let stopped = false;
      return {
        url,
        exporter,
        client,
        waitFor,
        diagnostics: () => output,
        async stop() {
          if (stopped) return;
          stopped = true;
          await cleanup();
        },
      };
    }
  } catch (error) {
    await cleanup();
    throw error;
  }
}
