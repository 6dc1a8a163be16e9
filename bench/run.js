/**
 * Railyard's benchmarks, run by `npm run bench` (which builds `dist/` first):
 *
 * - **bare**: a bare Fastify route validating the artifact push body and storing nothing
 *   (`bench/bare-server.js`): the ceiling for this machine;
 * - **ingest**: `POST /api/v1/artifacts` on a real Railyard server on a fresh SQLite file
 *   (`bench/ingest-server.js`), every request a new artifact (a unique component version), so
 *   every 201 appended one event to the hash chain, updated the projections and committed;
 * - **tick**: the engine's reconciliation pass with 1,000 active trains (`bench/tick.js`);
 * - **timetable**: ten years of departures for 1,000 lines (`bench/timetable.js`);
 * - **boarding**: resolving one train of 10,000 components and 50,000 dependency edges, with
 *   reasons and deploy order (`bench/boarding.js`);
 * - **security**: reading and summarising a ~50 MB Trivy JSON report (`bench/security.js`);
 * - **gates**: 200 `prometheus` gates at once against a real Prometheus (`bench/gates.js`);
 * - **canary**: the canary judge (Mann-Whitney U test, Hodges–Lehmann shift and its interval) on
 *   2 × 100,000 latencies (`bench/canary.js`);
 * - **dashboard** (not in the default set): first meaningful paint of each dashboard view on the
 *   demo's data in Debian's Chromium (`bench/dashboard.js`).
 *
 * Servers run in child processes and autocannon (50 connections) in this one, so the load
 * generator and the server each get one of the machine's cores. Results are printed as Markdown
 * and written to `BENCHMARKS.md` (the latest run replaced, a row added to the history).
 *
 * Two layouts, both reported: **split** (each server in a child process, autocannon in this one:
 * one core each) and **shared** (`bench/shared-process.js`: the server and autocannon in one
 * process, the layout in which the issue's reference figures were measured — its bare route
 * does ~26,000 requests/s here as the issue says — leaving the second core to what the server
 * does off its event loop). `--layout split|shared|both` (both).
 *
 * Options: `--duration <s>` (10), `--warmup <s>` (2), `--connections <n>` (50), `--label <text>`
 * (a name for the history row), `--profile` (profile the ingest server during the measured
 * window: top self-time functions, wall time per kind of SQL statement, event-loop utilisation), `--only bare,ingest,tick,timetable,boarding,security,gates,canary` (also `metrics`, not in the default set: its first run generates a ~600 MB history, cached under `bench/.cache`; and `dashboard`: the dashboard's first paint in Chromium on the demo, which needs ports 7300/7301), `--no-write` (print only).
 * `RAILYARD_SQLITE_SYNCHRONOUS` is passed to the ingest server; runs not in the default `FULL`
 * mode only add a history row.
 */
import { execFileSync, fork } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import BetterSqlite3 from "better-sqlite3";
import { benchConfig, componentNames } from "./config.js";
import { cannon, httpResult, pushBodies } from "./load.js";
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
    only: { type: "string", default: "bare,ingest,tick,timetable,boarding,security,gates,canary" },
    "no-write": { type: "boolean", default: false },
    layout: { type: "string", default: "both" },
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

const nextPush = pushBodies(COMPONENTS);
const load = (url, token, duration) => cannon(url, token, duration, settings, nextPush);

async function runBare() {
  const child = startChild("bare-server.js", []);
  const { url } = await child.ready;
  await load(url, "unused", settings.warmup);
  const result = httpResult(await load(url, "unused", settings.duration));
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
  await load(url, token, settings.warmup);
  const countedBefore = await settled();
  const before = countPushes(databaseFile);
  if (args.profile) await child.ask("profile:start");
  const measured = await load(url, token, settings.duration);
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

/** Runs one shared-layout measurement (server and autocannon in one child process). */
function runShared(kind, extra = []) {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(HERE, "shared-process.js"), [kind, JSON.stringify(settings), ...extra], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let result;
    child.on("message", (message) => {
      if (message.type === "result") result = message.result;
    });
    child.once("exit", (code) =>
      result ? resolve(result) : reject(new Error(`shared-process.js ${kind} exited with ${code}`)),
    );
  });
}

async function runSharedLayout(dir) {
  const shared = {};
  if (only.has("bare")) shared.bare = await runShared("bare");
  if (only.has("ingest")) {
    const configFile = path.join(dir, "shared.yaml");
    await writeFile(configFile, benchConfig({ lines: 1, componentsPerLine: COMPONENTS.length }));
    shared.ingest = await runShared("ingest", [
      configFile,
      path.join(dir, "shared.db"),
      path.join(dir, "shared-work"),
      path.join(dir, "shared.log"),
    ]);
  }
  return shared;
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

if (only.has("timetable")) {
  // Pure CPU work: run it first, alone, in its own process (it writes its own section).
  execFileSync(
    process.execPath,
    [path.join(HERE, "timetable.js"), ...(args["no-write"] ? ["--no-write"] : [])],
    {
      stdio: "inherit",
    },
  );
}
// Each alone in its own process; each writes its own section.
for (const name of ["boarding", "security", "gates", "canary", "metrics", "dashboard"]) {
  if (!only.has(name)) continue;
  execFileSync(
    process.execPath,
    [path.join(HERE, `${name}.js`), ...(args["no-write"] ? ["--no-write"] : [])],
    {
      stdio: "inherit",
    },
  );
}
const runsServers = ["bare", "ingest", "tick"].some((name) => only.has(name));
/** The server and engine benchmarks, in a temporary directory. */
async function runServerBenchmarks() {
  const dir = await mkdtemp(path.join(tmpdir(), "railyard-bench-"));
  try {
    const results = { machine: machine(), settings, label: args.label };
    if (args.layout !== "shared") {
      if (only.has("bare")) results.bare = await runBare();
      if (only.has("ingest")) results.ingest = await runIngest(dir);
    }
    if (args.layout !== "split" && (only.has("bare") || only.has("ingest"))) {
      results.shared = await runSharedLayout(dir);
    }
    if (only.has("tick")) results.tick = await runTick(dir);
    const markdown = await writeReport(results, {
      file: path.join(ROOT, "BENCHMARKS.md"),
      write: !args["no-write"],
      latest:
        synchronous === "FULL" &&
        args.layout === "both" &&
        only.has("bare") &&
        only.has("ingest") &&
        only.has("tick"),
      command: `${synchronous === "FULL" ? "" : `RAILYARD_SQLITE_SYNCHRONOUS=${synchronous} `}npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).map(quote).join(" ")}` : ""}`,
    });
    process.stdout.write(`${markdown}\n`);
    if (
      (results.ingest && !results.ingest.check.ok) ||
      (results.shared?.ingest && !results.shared.ingest.check.ok)
    ) {
      process.stderr.write("ingest check FAILED: the 201 answers and the stored events do not agree\n");
      process.exitCode = 1;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (runsServers) await runServerBenchmarks();
