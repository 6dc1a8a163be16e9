/**
 * Child process of `bench/run.js`: a real Railyard server (`startServer`, the code `railyard
 * serve` runs) on a SQLite file, with a simulated clock standing still inside the boarding
 * window, the background reconciler running, and info-level logs written to a file as in
 * production. It counts the new artifacts the engine accepted and the 201 answers it sent (so
 * the parent can check them against the events in the store) and answers the parent's
 * questions over IPC.
 *
 * With `BENCH_PROFILE=1` it can also profile a window of the run (`profile:start`,
 * `profile:stop`): a V8 CPU profile, the wall time spent in each kind of SQL statement
 * (better-sqlite3 is synchronous, so a COMMIT's fsync blocks the event loop and shows here),
 * and the event loop's utilisation.
 *
 * argv: <config file> <database file> <work dir> <log file>
 */
import { Session } from "node:inspector/promises";
import { performance } from "node:perf_hooks";
import BetterSqlite3 from "better-sqlite3";
import { summarizeProfile } from "./cpu-profile.js";
import { startIngestServer } from "./ingest-setup.js";

const [configFile, databaseFile, workDir, logFile] = process.argv.slice(2);
const profiling = process.env.BENCH_PROFILE === "1";
/** Wall time per kind of SQL statement while profiling. */
const sqlTimes = new Map();
/** The kind of each statement (its SQL up to the first parenthesis), computed once. */
const kinds = new WeakMap();
let timingSql = false;
if (profiling) {
  const probe = new BetterSqlite3(":memory:");
  const statement = Object.getPrototypeOf(probe.prepare("select 1"));
  probe.close();
  for (const method of ["all", "get", "run", "iterate"]) {
    const original = statement[method];
    statement[method] = function timed(...args) {
      if (!timingSql) return original.apply(this, args);
      const started = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        let kind = kinds.get(this);
        if (kind === undefined) {
          kind = this.source.replace(/\s+/g, " ").split(" (")[0].slice(0, 48);
          kinds.set(this, kind);
        }
        const entry = sqlTimes.get(kind) ?? { count: 0, ms: 0 };
        entry.count++;
        entry.ms += performance.now() - started;
        sqlTimes.set(kind, entry);
      }
    };
  }
}

// Counted twice: pushes the engine accepted as new artifacts, and 201 answers fully written to a
// socket (fewer when autocannon closes connections with requests in flight as it stops).
const { server, token, counters } = await startIngestServer({ configFile, databaseFile, workDir, logFile });
let answered201 = 0;
server.app.server.on("request", (_request, response) => {
  response.on("finish", () => {
    if (response.statusCode === 201) answered201++;
  });
});

const session = new Session();
let window = null;

process.on("message", async (message) => {
  try {
    switch (message.type) {
      case "profile:start":
        session.connect();
        await session.post("Profiler.enable");
        await session.post("Profiler.setSamplingInterval", { interval: 200 });
        await session.post("Profiler.start");
        sqlTimes.clear();
        timingSql = true;
        window = { started: performance.now(), elu: performance.eventLoopUtilization() };
        process.send({ type: "profile:started" });
        return;
      case "profile:stop": {
        const { profile } = await session.post("Profiler.stop");
        timingSql = false;
        const wallMs = performance.now() - window.started;
        const elu = performance.eventLoopUtilization(window.elu);
        session.disconnect();
        const sql = [...sqlTimes.entries()]
          .map(([kind, { count, ms }]) => ({ kind, count, ms, share: ms / wallMs }))
          .sort((a, b) => b.ms - a.ms);
        const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
        process.send({
          type: "profile",
          profile: {
            wallMs,
            eventLoopUtilization: elu.utilization,
            sql,
            cpu: summarizeProfile(profile, root),
          },
        });
        return;
      }
      case "created":
        process.send({
          type: "created",
          created: counters.created,
          answered201,
          inFlight: counters.inFlight,
        });
        return;
      case "verify": {
        const chain = await server.store.verifyChain();
        process.send({ type: "verify", chain });
        return;
      }
      case "close":
        await server.close();
        process.send({ type: "closed" }, () => process.exit(0));
        return;
      default:
        throw new Error(`unknown message ${JSON.stringify(message)}`);
    }
  } catch (error) {
    process.send({ type: "error", error: String(error?.stack ?? error) });
  }
});

process.send({ type: "ready", url: server.url, token });
