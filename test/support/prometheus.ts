/**
 * A real Prometheus for integration tests: `/usr/bin/prometheus` (Debian's `prometheus` package,
 * which `.ci/run` installs) as a child process on a free loopback port with a temporary TSDB,
 * scraping every second a small exporter whose counters and gauges the test sets. History that
 * scraping cannot give a test (days of samples, for SLO windows) is backfilled with
 * `promtool tsdb create-blocks-from openmetrics` ({@link createBlocks}) before Prometheus starts.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import {
  createPrometheusClient,
  type PrometheusClient,
  type PrometheusResult,
} from "../../src/integrations/prometheus/client.js";
import { type Daemon, pollUntil, startDaemon } from "./daemon.js";

export { pollUntil } from "./daemon.js";

/** The Prometheus binary the tests run. @default /usr/bin/prometheus (or `$PROMETHEUS_BIN`) */
export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? "/usr/bin/prometheus";

/** The promtool binary that backfills history. @default /usr/bin/promtool (or `$PROMTOOL_BIN`) */
export const PROMTOOL_BIN = process.env.PROMTOOL_BIN ?? "/usr/bin/promtool";

/**
 * Turns OpenMetrics text (samples with timestamps in seconds, each series' samples in time order,
 * ending with `# EOF`) into TSDB blocks with `promtool tsdb create-blocks-from openmetrics`, in a
 * new temporary directory it returns: pass it as {@link StartPrometheusOptions.tsdb}, and delete
 * it (`rm -r`) when done. promtool cuts the samples into blocks of 2 hours aligned on the epoch.
 * @throws when promtool is missing (saying which package has it) or refuses the text (with its
 *   output).
 */
export async function createBlocks(openMetrics: string): Promise<string> {
  if (!existsSync(PROMTOOL_BIN)) {
    throw new Error(
      `${PROMTOOL_BIN} is missing: backfilling Prometheus history needs promtool, from Debian's prometheus package (apt-get install prometheus)`,
    );
  }
  const dir = await mkdtemp(path.join(tmpdir(), "railyard-blocks-"));
  const input = path.join(dir, "history.om.txt");
  await writeFile(input, openMetrics);
  const blocks = path.join(dir, "blocks");
  try {
    await promisify(execFile)(
      PROMTOOL_BIN,
      ["tsdb", "create-blocks-from", "openmetrics", "--quiet", input, blocks],
      {
        timeout: 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    await rm(dir, { recursive: true, force: true });
    throw new Error(
      `promtool could not backfill the history: ${(error as Error).message}\n${stdout}${stderr}`,
    );
  }
  await rm(input);
  return dir;
}

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

/** One more target for Prometheus to scrape, besides the test exporter. */
export interface ScrapeTarget {
  /** The `job` label of its series. */
  job: string;
  /** `host:port`. */
  target: string;
  /** @default "/metrics" */
  metricsPath?: string;
  /** Sent as `Authorization: Bearer <token>` (the scrape config's `authorization.credentials`). */
  bearerToken?: string;
}

export interface StartPrometheusOptions {
  /** Prometheus's `scrape_interval` (also the scrape timeout). @default "1s" */
  scrapeInterval?: string;
  /** More scrape jobs (e.g. a Railyard server's `/metrics`). @default none */
  targets?: ScrapeTarget[];
  /** How long to wait for readiness and the exporter's first scrape. @default 30_000 */
  startTimeoutMs?: number;
  /**
   * A directory holding TSDB blocks (what {@link createBlocks} returns: its `blocks/`
   * subdirectory is used when present), copied into Prometheus's empty data directory before it
   * starts, so that queries see days of history at once. The directory itself is left as it is.
   *
   * How Prometheus (2.42, Debian's) takes backfilled blocks, as found out for this helper:
   * - Blocks in the data directory are loaded at start-up and queried with the head block at once;
   *   no restart, reload or waiting for compaction is needed.
   * - Blocks may reach up to the present: since Prometheus 2.39 overlapping blocks are always
   *   allowed (vertical compaction), so the old `--storage.tsdb.allow-overlapping-blocks` flag is
   *   not needed (2.42 keeps it as deprecated, "has no effect"), and the samples need not end before
   *   now − 2h. What the head accepts afterwards are samples newer than the newest block's end
   *   (out-of-order ingestion is off): scraping goes on from now, with the exporter's own series
   *   (which carry `job="exporter"`), so it never collides with the backfilled ones.
   * - Retention (15 days by default) counts back from the newest block: keep the history shorter.
   */
  tsdb?: string;
}

/**
 * Starts the exporter and Prometheus (on the blocks of `options.tsdb`, if given), and resolves
 * once Prometheus is ready (`/-/ready`) and has scraped the exporter (`up{job="exporter"} == 1`),
 * so queries see its series.
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
      ...(options.targets ?? []).flatMap((t) => [
        `  - job_name: ${JSON.stringify(t.job)}`,
        `    metrics_path: ${JSON.stringify(t.metricsPath ?? "/metrics")}`,
        ...(t.bearerToken
          ? [
              "    authorization:",
              "      type: Bearer",
              `      credentials: ${JSON.stringify(t.bearerToken)}`,
            ]
          : []),
        "    static_configs:",
        `      - targets: [${JSON.stringify(t.target)}]`,
      ]),
      "",
    ].join("\n"),
  );

  let daemon: Daemon | undefined;
  const cleanup = async () => {
    await daemon?.stop();
    await exporter.close();
    await rm(dir, { recursive: true, force: true });
  };

  try {
    daemon = await startDaemon({
      name: "Prometheus",
      bin: PROMETHEUS_BIN,
      startTimeoutMs,
      async args(port, attempt) {
        const dataDir = path.join(dir, `data-${attempt}`);
        if (options.tsdb) {
          const blocks = path.join(options.tsdb, "blocks");
          await cp(existsSync(blocks) ? blocks : options.tsdb, dataDir, { recursive: true });
        }
        return [
          `--config.file=${configFile}`,
          `--storage.tsdb.path=${dataDir}`,
          `--web.listen-address=127.0.0.1:${port}`,
        ];
      },
    });
    const { url } = daemon;
    const output = daemon.output;
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
      throw new Error(`${error.message}\n--- prometheus output ---\n${output()}`);
    });
    let stopped = false;
    return {
      url,
      exporter,
      client,
      waitFor,
      diagnostics: output,
      async stop() {
        if (stopped) return;
        stopped = true;
        await cleanup();
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/**
 * A Prometheus whose history is backfilled from `openMetrics` (with promtool) before it starts;
 * its `stop` also removes the blocks.
 */
export async function startBackfilledPrometheus(
  openMetrics: string,
  options: Omit<StartPrometheusOptions, "tsdb"> = {},
): Promise<RunningPrometheus> {
  const blocks = await createBlocks(openMetrics);
  const prometheus = await startPrometheus({ ...options, tsdb: blocks });
  return {
    ...prometheus,
    async stop() {
      await prometheus.stop();
      await rm(blocks, { recursive: true, force: true });
    },
  };
}

/** Six hours of backfilled checkout traffic, for probes that measure past windows. */
export interface RequestHistory {
  /** The last sample's time (epoch seconds, on a 30-second boundary, in the past). */
  end: number;
  /** OpenMetrics text for {@link startBackfilledPrometheus}. */
  text: string;
}

/**
 * `http_requests_total{code="200"|"500",service="checkout"}` every 30 s over the six hours before
 * the last 30-second boundary, 1,000 requests a step, of which `errors(t)` fail in the step ending
 * at `t` (epoch seconds).
 */
export function checkoutRequestHistory(errors: (t: number, end: number) => number): RequestHistory {
  const step = 30;
  const end = Math.floor(Date.now() / 1000 / step) * step - step;
  const start = end - 6 * 3_600;
  const lines = ["# HELP http_requests Requests served.", "# TYPE http_requests counter"];
  for (const code of ["200", "500"]) {
    let value = 0;
    for (let t = start; t <= end; t += step) {
      if (t > start) value += code === "500" ? errors(t, end) : 1_000 - errors(t, end);
      lines.push(`http_requests_total{code="${code}",service="checkout"} ${value} ${t}`);
    }
  }
  lines.push("# EOF");
  return { end, text: `${lines.join("\n")}\n` };
}
