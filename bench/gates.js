/**
 * Gate benchmark (issue 5): 200 `prometheus` gates of one train evaluated at once against a real
 * Prometheus (Debian's /usr/bin/prometheus, scraping a small exporter started here every second),
 * through the same gate runner the engine uses. Each gate is a different PromQL query over the
 * exporter's 50 series (rates, ratios, quantiles, aggregations). Measures the wall time of the
 * whole batch and each gate's own duration. Target: the batch well within a gate's 10 s timeout.
 *
 * Run: `npm run bench -- --only gates` or `node bench/gates.js` after `npm run build`.
 * Writes the `gates` section of BENCHMARKS.md unless `--no-write`.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Gate } from "../dist/domain/config/schema.js";
import { createGateRunner } from "../dist/integrations/gate-runner.js";
import { machineLine, utcNow, writeSection } from "./report.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PROMETHEUS = process.env.PROMETHEUS_BIN ?? "/usr/bin/prometheus";
const GATES = 200;
const RUNS = 5;
const SERVICES = 25;

const listen = (server) =>
  new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port)));

async function freePort() {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An exporter whose counters grow every scrape: 25 services × 2 status codes, and a histogram. */
async function startExporter() {
  let tick = 0;
  const server = createServer((_req, res) => {
    tick++;
    const lines = ["# TYPE http_requests_total counter"];
    for (let s = 0; s < SERVICES; s++) {
      lines.push(`http_requests_total{service="s${s}",code="200"} ${tick * (100 + s)}`);
      lines.push(`http_requests_total{service="s${s}",code="500"} ${tick * (s % 3)}`);
    }
    lines.push("# TYPE latency_seconds histogram");
    for (const [le, share] of [
      ["0.1", 0.6],
      ["0.5", 0.9],
      ["1", 0.99],
      ["+Inf", 1],
    ]) {
      lines.push(`latency_seconds_bucket{le="${le}"} ${Math.round(tick * 1000 * share)}`);
    }
    lines.push(`latency_seconds_count ${tick * 1000}`, `latency_seconds_sum ${tick * 180}`);
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    res.end(`${lines.join("\n")}\n`);
  });
  const port = await listen(server);
  return { port, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function waitFor(check, what, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > until) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const QUERIES = [
  (s) =>
    `sum(rate(http_requests_total{service="s${s}",code="500"}[30s])) / sum(rate(http_requests_total{service="s${s}"}[30s]))`,
  (s) => `sum(rate(http_requests_total{service="s${s}"}[1m]))`,
  () => "histogram_quantile(0.99, sum(rate(latency_seconds_bucket[1m])) by (le))",
  () => "sum by (code) (rate(http_requests_total[1m]))",
  (s) => `max_over_time(http_requests_total{service="s${s}",code="200"}[1m])`,
  () => "count(http_requests_total)",
  () => "sum(rate(latency_seconds_sum[1m])) / sum(rate(latency_seconds_count[1m]))",
  (s) => `increase(http_requests_total{service="s${s}",code="500"}[1m])`,
];

const gates = Array.from({ length: GATES }, (_, i) =>
  Gate.parse({
    name: `g${i}`,
    type: "prometheus",
    query: QUERIES[i % QUERIES.length](i % SERVICES),
    condition: ">= 0",
    timeout: "10s",
  }),
);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];

const dir = await mkdtemp(path.join(tmpdir(), "railyard-bench-gates-"));
const exporter = await startExporter();
const port = await freePort();
await writeFile(
  path.join(dir, "prometheus.yml"),
  `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: bench\n    static_configs: [{ targets: ["127.0.0.1:${exporter.port}"] }]\n`,
);
const prometheus = spawn(
  PROMETHEUS,
  [
    `--config.file=${path.join(dir, "prometheus.yml")}`,
    `--storage.tsdb.path=${path.join(dir, "data")}`,
    `--web.listen-address=127.0.0.1:${port}`,
    "--log.level=error",
  ],
  { stdio: "ignore" },
);
const url = `http://127.0.0.1:${port}`;
try {
  await waitFor(async () => (await fetch(`${url}/-/ready`)).ok, "Prometheus ready");
  await waitFor(async () => {
    const body = await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent(QUERIES[0](0))}`)).json();
    return body.data?.result?.length === 1;
  }, "two scrapes of the exporter");

  const runner = createGateRunner({
    baseDir: ROOT,
    prometheus: { default: { url, timeout: "10s", retries: 2, headersFromEnv: {} } },
  });
  const context = () => ({
    trainId: "bench-1",
    line: "bench",
    stage: "gating",
    wave: null,
    environments: ["staging"],
    manifest: [],
    attempt: 1,
    signal: new AbortController().signal,
  });
  const batches = [];
  const each = [];
  let failures = 0;
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const outcomes = await Promise.all(
      gates.map(async (gate) => {
        const t = performance.now();
        const outcome = await runner.run(gate, context());
        each.push(performance.now() - t);
        return outcome;
      }),
    );
    batches.push(performance.now() - started);
    failures += outcomes.filter((o) => o.status !== "passed").length;
  }
  const section = [
    `### Gates against a real Prometheus: ${utcNow()} UTC`,
    "",
    machineLine(ROOT),
    `- Command: \`node bench/gates.js\` (${RUNS} batches; Prometheus ${PROMETHEUS} on loopback scraping a ${SERVICES * 2 + 6}-series exporter every second)`,
    `- Work: ${GATES} \`prometheus\` gates of one train evaluated at once through the engine's gate runner (8 query shapes: error ratios, rates, a histogram quantile, aggregations), each one instant query; ${failures} of ${GATES * RUNS} evaluations did not pass`,
    "",
    "| measure | first batch ms | median batch ms | max batch ms | per-gate p50 ms | per-gate p99 ms |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    `| ${GATES} gates at once | ${batches[0].toFixed(0)} | ${median(batches).toFixed(0)} | ${Math.max(...batches).toFixed(0)} | ${quantile(each, 0.5).toFixed(0)} | ${quantile(each, 0.99).toFixed(0)} |`,
    "",
  ].join("\n");
  process.stdout.write(`${section}\n`);
  if (failures > 0) process.exitCode = 1;
  if (!process.argv.includes("--no-write")) {
    await writeSection(path.join(ROOT, "BENCHMARKS.md"), "gates", "Gates", section);
  }
} finally {
  prometheus.kill("SIGTERM");
  await new Promise((resolve) => prometheus.once("exit", resolve));
  await exporter.close();
  await rm(dir, { recursive: true, force: true });
}
