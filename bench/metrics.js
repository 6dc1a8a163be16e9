/**
 * Release metrics over one million events (issue 8): five years of weekly trains on 10 lines of
 * 50 components (500 components), with pushes, steps, gates, test reports, rollbacks, incidents
 * and measurements, written straight through the store's append into a SQLite file (cached under
 * bench/.cache, keyed by GENERATOR_VERSION). Then, over the built `dist/`:
 * - first fold: a MetricsBook on the database with no cursor folds the whole log (no target);
 * - cold: a new store and MetricsBook over the persisted facts, first `report` of the five years
 *   grouped by week (target < 1 s);
 * - warm: the same query again, and another query (a line, by month) (target < 50 ms).
 * Prints the section and one JSON line; writes the `metrics` section of BENCHMARKS.md unless
 * `--no-write`. Usage: node bench/metrics.js [work dir] [--no-write]; `npm run bench -- --only metrics`.
 * The work dir (default: a new temporary one, removed at the end) receives a ~600 MB copy.
 */
import { copyFile, mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { MetricsBook } from "../dist/engine/metrics-book.js";
import { openStore } from "../dist/store/open-store.js";
import { machineLine, utcNow, writeSection } from "./report.js";

const GENERATOR_VERSION = 1;
const HERE = path.dirname(fileURLToPath(import.meta.url));
const LINES = 10;
const COMPONENTS = 50;
const WEEKS = 261;
const START = Date.UTC(2021, 0, 4); // a Monday
const HOUR = 3_600_000;
const logger = pino({ level: "silent" });

const ROOT = path.resolve(HERE, "..");
const write = !process.argv.includes("--no-write");
const given = process.argv.slice(2).find((arg) => !arg.startsWith("--"));
const dir = given ?? (await mkdtemp(path.join(tmpdir(), "railyard-bench-metrics-")));
const loadBefore = loadavg()[0];
const cacheDir = path.join(HERE, ".cache");
const cached = path.join(cacheDir, `metrics-v${GENERATOR_VERSION}.db`);
const file = path.join(dir, "metrics.db");

const exists = (p) =>
  stat(p).then(
    () => true,
    () => false,
  );

/** Every event of train (week, line), in groups appended at one instant each. */
function trainEvents(week, line) {
  const id = `l${line}-${week + 1}`;
  const base = START + week * 7 * 24 * HOUR + line * 12 * HOUR;
  const at = (h) => new Date(base + h * HOUR).toISOString();
  const ev = (type, payload) => ({ type, trainId: id, actor: "system", payload });
  const moved = (from, to, event) =>
    ev("train.transitioned", { from, to, event, resumeTo: null, reason: null });
  const components = Array.from({ length: COMPONENTS }, (_, i) => `c${line}-${i}`);
  const version = `${week + 1}.0.0`;
  const groups = [];
  groups.push([
    at(0),
    [
      ev("train.created", {
        line: `line${line}`,
        number: week + 1,
        kind: "scheduled",
        cutoffAt: at(2),
        departureAt: at(4),
        scheduledAt: at(4),
      }),
      moved("scheduled", "boarding", "open"),
    ],
  ]);
  groups.push([
    at(1),
    components.map((component, i) =>
      ev("artifact.pushed", {
        artifactId: `art-${component}-${version}`,
        component,
        version,
        commit: "0123456789abcdef0123456789abcdef01234567",
        buildUrl: null,
        digest: null,
        dependsOn: [],
        boardedTrain: id,
        late: false,
        requestedTrain: null,
        ...(i % 2 === 0 ? { committedAt: at(-20) } : {}),
      }),
    ),
  ]);
  groups.push([
    at(2),
    [
      moved("boarding", "frozen", "freeze"),
      ev("manifest.frozen", {
        revision: 1,
        items: components.map((component) => ({
          component,
          version,
          artifactId: `art-${component}-${version}`,
          previousVersion: null,
          dependsOn: [],
          status: "boarded",
          reason: null,
        })),
      }),
      moved("frozen", "integrating", "integrate"),
    ],
  ]);
  const steps = (phase, hour) => {
    const events = [];
    for (const component of components) {
      const key = `${phase}/${component}`;
      const stepId = `${id}/${key}#1`;
      events.push(
        ev("step.started", {
          stepId,
          key,
          kind: phase.startsWith("deploy") ? "deploy" : "integrate",
          attempt: 1,
          idempotencyKey: stepId,
        }),
      );
      events.push(
        ev("step.finished", {
          stepId,
          key,
          status: "succeeded",
          output: null,
          error: null,
          durationMs: 1000,
        }),
      );
    }
    return [at(hour), events];
  };
  groups.push(steps("integrate", 2.5));
  const tests = [];
  for (let i = 0; i < 10; i++) {
    tests.push(
      ev("tests.reported", {
        reportId: `${id}-t${i}`,
        revision: 1,
        suite: `s${i}`,
        cases: [],
        summary: {
          tests: 100,
          passed: 97 - (week % 3),
          failed: 1 + (week % 3),
          errored: 0,
          skipped: 2,
          flaky: 0,
          durationMs: 0,
          truncated: false,
        },
      }),
    );
  }
  groups.push([at(3), tests]);
  const gates = [];
  for (let i = 0; i < 20; i++) {
    const type = ["slo", "security", "canary", "prometheus"][i % 4];
    gates.push(
      ev("gate.evaluated", {
        resultId: `${id}-g${i}`,
        stage: "gating",
        gate: `g${i}`,
        type,
        attempt: 1,
        status: (week + i) % 9 === 0 ? "failed" : "passed",
        output: "",
        durationMs: 5,
      }),
    );
  }
  groups.push([
    at(3.5),
    [
      ...gates,
      moved("integrating", "gating", "integrated"),
      moved("gating", "awaiting_approval", "gates_passed"),
    ],
  ]);
  groups.push([at(4), [moved("awaiting_approval", "deploying", "depart")]]);
  groups.push(steps("deploy/eu", 4.5));
  groups.push([
    at(5),
    [moved("deploying", "verifying", "wave_deployed"), moved("verifying", "deploying", "next_wave")],
  ]);
  groups.push(steps("deploy/us", 5.5));
  const rollback = (week * LINES + line) % 10 === 3;
  if (rollback) {
    groups.push([
      at(6),
      [
        moved("deploying", "rolling_back", "rollback"),
        ev("incident.opened", {
          incidentId: `inc-${id}`,
          line: `line${line}`,
          title: "errors",
          detail: null,
          stopsLine: false,
          severity: "critical",
          source: "alertmanager",
          startedAt: at(5.8),
        }),
      ],
    ]);
    groups.push([at(7), [moved("rolling_back", "rolled_back", "rolled_back")]]);
    groups.push([at(9), [ev("incident.resolved", { incidentId: `inc-${id}`, resolution: "rolled back" })]]);
  } else {
    if ((week + line) % 20 === 0) {
      groups.push([
        at(5.7),
        [ev("component.rolled_back", { component: components[0], reason: "5xx", with: [] })],
      ]);
    }
    groups.push([
      at(6),
      [moved("deploying", "verifying", "wave_deployed"), moved("verifying", "released", "release")],
    ]);
    groups.push([
      at(7),
      [
        ev("release.measured", {
          window: "1h",
          before: 0.01,
          after: 0.01 + ((week % 5) - 2) / 1000,
          detail: "bench",
        }),
      ],
    ]);
  }
  return groups;
}

async function generate(target) {
  const store = await openStore({ url: `sqlite:${target}` });
  let events = 0;
  const started = performance.now();
  for (let week = 0; week < WEEKS; week++) {
    await store.transaction(async (tx) => {
      for (let line = 0; line < LINES; line++) {
        for (const [time, batch] of trainEvents(week, line)) {
          await tx.append(batch, time);
          events += batch.length;
        }
      }
    });
  }
  await store.close();
  return { events, seconds: (performance.now() - started) / 1000 };
}

let generated = null;
if (!(await exists(cached))) {
  await mkdir(cacheDir, { recursive: true });
  generated = await generate(cached);
}
await copyFile(cached, file);

const FIVE_YEARS = {
  from: new Date(START).toISOString(),
  to: new Date(START + WEEKS * 7 * 24 * HOUR).toISOString(),
};
const teamOf = () => undefined;
let result;
try {
  // First fold of the whole log.
  let store = await openStore({ url: `sqlite:${file}` });
  const events = (await store.verifyChain()).events;
  let book = new MetricsBook({ store, logger, teamOf });
  let t0 = performance.now();
  await book.catchUp();
  const firstFoldMs = performance.now() - t0;
  await store.close();

  // Cold: a new store and book over the persisted facts.
  store = await openStore({ url: `sqlite:${file}` });
  book = new MetricsBook({ store, logger, teamOf });
  t0 = performance.now();
  const cold = await book.report({ ...FIVE_YEARS, groupBy: "week" });
  const coldMs = performance.now() - t0;

  // Warm: the same query, then another one the book has not answered.
  t0 = performance.now();
  await book.report({ ...FIVE_YEARS, groupBy: "week" });
  const warmMs = performance.now() - t0;
  t0 = performance.now();
  await book.report({ ...FIVE_YEARS, line: "line3", groupBy: "month" });
  const warmOtherMs = performance.now() - t0;
  await store.close();
  result = {
    events,
    trains: cold.total.trains,
    periods: cold.periods.length,
    generated,
    firstFoldMs: Math.round(firstFoldMs),
    coldMs: Math.round(coldMs),
    warmMs: Math.round(warmMs * 100) / 100,
    warmOtherQueryMs: Math.round(warmOtherMs * 100) / 100,
    targets: { coldMs: 1000, warmMs: 50 },
    loadAverage: { before: loadBefore, after: loadavg()[0] },
  };
} finally {
  if (given === undefined) await rm(dir, { recursive: true, force: true });
}

const ok = (ms, target) => (ms < target ? "met" : "**missed**");
const section = [
  `### Release metrics over one million events: ${utcNow()} UTC`,
  "",
  machineLine(ROOT),
  `- Command: \`node bench/metrics.js\` (or \`npm run bench -- --only metrics\`); 1-minute load average ${loadBefore.toFixed(2)} before, ${result.loadAverage.after.toFixed(2)} after${loadBefore > cpus().length / 2 ? " (other processes were loading the machine before it started: figures are high)" : " (the bench itself loads one core)"}`,
  `- Work: ${result.events.toLocaleString("en")} events: five years (${WEEKS} weeks) of weekly trains on ${LINES} lines × ${COMPONENTS} components, each with ${COMPONENTS} pushes, ${COMPONENTS * 3} steps, 10 JUnit reports, 20 gate evaluations, rollbacks (10 %) with critical incidents, component rollbacks, measurements; SQLite file generated once${generated ? ` (${generated.seconds.toFixed(0)} s)` : ""} and cached under \`bench/.cache\``,
  "",
  "| measure | ms | target |",
  "| --- | ---: | --- |",
  `| first fold of the whole log (cursor 0 → ${result.events.toLocaleString("en")}; ${result.trains.ended.toLocaleString("en")} facts) | ${result.firstFoldMs} | — |`,
  `| cold: new store + MetricsBook, 5 years grouped by week (${result.periods} periods) | ${result.coldMs} | < 1000 (${ok(result.coldMs, 1000)}) |`,
  `| warm: the same query again (cached per cursor) | ${result.warmMs} | < 50 (${ok(result.warmMs, 50)}) |`,
  `| warm: another query (one line, by month), computed | ${result.warmOtherQueryMs} | < 50 (${ok(result.warmOtherQueryMs, 50)}) |`,
  "",
].join("\n");
process.stdout.write(`${section}\n`);
console.log(JSON.stringify(result));
if (result.coldMs >= 1000 || result.warmMs >= 50 || result.warmOtherQueryMs >= 50) process.exitCode = 1;
if (write)
  await writeSection(path.join(ROOT, "BENCHMARKS.md"), "metrics", "Release metrics (issue 8)", section);
