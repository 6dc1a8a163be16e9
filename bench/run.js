/**
 * Railyard's benchmarks, run by `npm run bench` (which builds `dist/` first):
 *
 * - **bare**: a bare Fastify route validating the artifact push body and storing nothing
 *   (`bench/bare-server.js`): the ceiling for this machine;
 * - **ingest**: `POST /api/v1/artifacts` on a real Railyard server on a fresh SQLite file
 *   (`bench/ingest-server.js`), every request a new artifact (a unique component version), so
 *   every 201 appended one event to the hash chain, updated the projections and committed;
 * - **tick**: the engine's reconciliation pass with 1,000 active trains (`bench/tick.js`).
 *
 * Servers run in child processes and autocannon (50 connections) in this one, so the load
 * generator and the server each get one of the machine's cores. Results are printed as Markdown
 * and written to `BENCHMARKS.md` (the latest run replaced, a row added to the history).
 *
 * Options: `--duration <s>` (10), `--warmup <s>` (2), `--connections <n>` (50), `--label <text>`
 * (a name for the history row), `--profile` (profile the ingest server during the measured
 * window: top self-time functions, wall time per kind of SQL statement, event-loop utilisation), `--only bare,ingest,tick`, `--no-write` (print only).
 * `RAILYARD_SQLITE_SYNCHRONOUS` is passed to the ingest server; runs not in the default `FULL`
 * mode only add a history row.
 */
import { execFileSync, fork } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import BetterSqlite3 from "better-sqlite3";
import { benchConfig, componentNames } from "./config.js";
import { writeReport } from "./report.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..");

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "2" },
    connections: { type: "string", default: "50" },
    label: { type: "string", default: "run" },
    profile: { type: "boolean", default: false },
    only: { type: "string", default: "bare,ingest,tick" },
    "no-write": { type: "boolean", default: false },
  },
});
const settings = {
  duration: Number(args.duration),
  warmup: Number(args.warmup),
  connections: Number(args.connections),
};
const only = new Set(args.only.split(","));
const synchronous = (process.env.RAILYARD_SQLITE_SYNCHRONOUS ?? "FULL").toUpperCase();
const COMPONENTS = componentNames(50);

/** Starts a child server and waits for its `ready` message. */
function startChild(script, argv, env = {}) {
  const child = fork(path.join(HERE, script), argv, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const replies = [];
  const waiters = [];
  let exit = null;
  child.on("message", (message) => {
    const waiter = waiters.shift();
    if (waiter) waiter.resolve(message);
    else replies.push(message);
  });
  const exited = new Promise((resolve) =>
    child.once("exit", (code) => {
      exit = new Error(`${script} exited with ${code}`);
      for (const waiter of waiters.splice(0)) waiter.reject(exit);
      resolve(code);
    }),
  );
  const next = () =>
    new Promise((resolve, reject) => {
      if (replies.length > 0) return resolve(replies.shift());
      if (exit) return reject(exit);
      waiters.push({ resolve, reject });
    });
  const ask = async (type) => {
    child.send({ type });
    const answer = await next();
    if (answer.type === "error") throw new Error(`${script}: ${answer.error}`);
    return answer;
  };
  return {
    ready: next(),
    ask,
    async close() {
      await ask("close");
      await exited;
    },
  };
}

/** A request per call with the next unique artifact: 50 components, versions 1.0.0, 1.0.1, … */
let pushed = 0;
function nextPush() {
  const n = pushed++;
  const component = COMPONENTS[n % COMPONENTS.length];
  const version = `1.0.${Math.floor(n / COMPONENTS.length)}`;
  return JSON.stringify({
    component,
    version,
    commit: n.toString(16).padStart(40, "0"),
    buildUrl: `https://ci.example.com/${component}/builds/${n}`,
    digest: `sha256:${n.toString(16).padStart(64, "0")}`,
  });
}

/** Runs autocannon against `url` with the benchmark's settings for `duration` seconds. */
function cannon(url, token, duration) {
  return autocannon({
    url: `${url}/api/v1/artifacts`,
    connections: settings.connections,
    pipelining: 1,
    duration,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        setupRequest: (request) => ({ ...request, body: nextPush() }),
      },
    ],
  });
}

function httpResult(result) {
  const codes = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
  );
  return {
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    seconds: result.duration,
    latency: {
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.average,
    },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes: codes,
  };
}

async function runBare() {
  const child = startChild("bare-server.js", []);
  const { url } = await child.ready;
  await cannon(url, "unused", settings.warmup);
  const result = httpResult(await cannon(url, "unused", settings.duration));
  await child.close();
  return result;
}

function countPushes(databaseFile) {
  const db = new BetterSqlite3(databaseFile, { readonly: true });
  try {
    const events = db.prepare("select count(*) as n from events where type = 'artifact.pushed'").get().n;
    const artifacts = db.prepare("select count(*) as n from artifacts").get().n;
    return { events, artifacts };
  } finally {
    db.close();
  }
}

async function runIngest(dir) {
  const configFile = path.join(dir, "railyard.yaml");
  const databaseFile = path.join(dir, "railyard.db");
  await writeFile(configFile, benchConfig({ lines: 1, componentsPerLine: COMPONENTS.length }));
  const child = startChild(
    "ingest-server.js",
    [configFile, databaseFile, path.join(dir, "work"), path.join(dir, "server.log")],
    args.profile ? { BENCH_PROFILE: "1" } : {},
  );
  const { url, token } = await child.ready;

  // Requests in flight when autocannon stops still finish on the server: wait until the server
  // is quiet before counting, so its answers and the stored events can be compared exactly.
  const settled = async () => {
    let last = await child.ask("created");
    for (let stable = 0; stable < 3; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const answer = await child.ask("created");
      stable = answer.inFlight === 0 && answer.created === last.created ? stable + 1 : 0;
      last = answer;
    }
    return last;
  };
  await cannon(url, token, settings.warmup);
  const countedBefore = await settled();
  const before = countPushes(databaseFile);
  if (args.profile) await child.ask("profile:start");
  const measured = await cannon(url, token, settings.duration);
  const profile = args.profile ? (await child.ask("profile:stop")).profile : undefined;
  const countedAfter = await settled();
  const after = countPushes(databaseFile);
  const { chain } = await child.ask("verify");
  await child.close();

  const result = httpResult(measured);
  const check = {
    clientSaw201: result.statusCodes["201"] ?? 0,
    serverSent201: countedAfter.answered201 - countedBefore.answered201,
    engineCreated: countedAfter.created - countedBefore.created,
    newEvents: after.events - before.events,
    newArtifacts: after.artifacts - before.artifacts,
    totalEvents: after.events,
    chain: chain.ok ? `valid (${chain.events} events)` : `BROKEN at ${chain.brokenAt}: ${chain.problem}`,
  };
  check.ok =
    chain.ok &&
    check.engineCreated === check.newEvents &&
    check.newEvents === check.newArtifacts &&
    check.clientSaw201 <= check.serverSent201 &&
    check.serverSent201 <= check.engineCreated &&
    check.engineCreated - check.clientSaw201 <= settings.connections &&
    Object.keys(result.statusCodes).every((code) => code === "201") &&
    result.errors === 0;
  return { ...result, check, ...(profile ? { profile } : {}) };
}

async function runTick(dir) {
  const output = execFileSync(process.execPath, [path.join(HERE, "tick.js"), dir], { encoding: "utf8" });
  return JSON.parse(output.trim().split("\n").pop());
}

function machine() {
  const sh = (cmd, argv) => {
    try {
      return execFileSync(cmd, argv, { encoding: "utf8", cwd: ROOT }).trim();
    } catch {
      return "";
    }
  };
  const dirty = sh("git", ["status", "--porcelain", "--untracked-files=no"]) !== "";
  return {
    date: sh("date", ["-u", "+%Y-%m-%d %H:%M:%S UTC"]),
    cpus: Number(sh("nproc", [])) || cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    sqliteSynchronous: synchronous,
    commit: `${sh("git", ["rev-parse", "--short", "HEAD"])}${dirty ? "+changes" : ""}`,
    /** Other work on the machine skews results: the 1-minute load average when the run began. */
    loadAverage: Math.round(loadavg()[0] * 100) / 100,
  };
}

/** An argument as a shell would need it. */
function quote(arg) {
  return /^[\w./=,:-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

const dir = await mkdtemp(path.join(tmpdir(), "railyard-bench-"));
try {
  const results = { machine: machine(), settings, label: args.label };
  if (only.has("bare")) results.bare = await runBare();
  if (only.has("ingest")) results.ingest = await runIngest(dir);
  if (only.has("tick")) results.tick = await runTick(dir);
  const markdown = await writeReport(results, {
    file: path.join(ROOT, "BENCHMARKS.md"),
    write: !args["no-write"],
    latest: synchronous === "FULL" && only.has("bare") && only.has("ingest") && only.has("tick"),
    command: `${synchronous === "FULL" ? "" : `RAILYARD_SQLITE_SYNCHRONOUS=${synchronous} `}npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).map(quote).join(" ")}` : ""}`,
  });
  process.stdout.write(`${markdown}\n`);
  if (results.ingest && !results.ingest.check.ok) {
    process.stderr.write("ingest check FAILED: the 201 answers and the stored events do not agree\n");
    process.exitCode = 1;
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
