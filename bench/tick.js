/**
 * Child process of `bench/run.js`: times the engine's reconciliation pass (`Railyard.tick`)
 * with 1,000 active trains on a SQLite file, first when nothing is due, then when ten trains
 * are due. Prints one JSON line with the results.
 *
 * argv: <work dir>
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import pino from "pino";
import { loadConfigFile } from "../dist/cli/config-file.js";
import { SimulatedClock } from "../dist/engine/clock.js";
import { Railyard } from "../dist/engine/railyard.js";
import { openStore } from "../dist/store/open-store.js";
import { BENCH_NOW, benchConfig } from "./config.js";
import { summarize } from "./stats.js";

const [dir] = process.argv.slice(2);
const LINES = 5;
/** The engine keeps each line's boarding train and the one after it: 2 per line. */
const INSERTED = 1_000 - 2 * LINES;
const QUIET_TICKS = 200;
const DUE_TICKS = 50;
const DUE_PER_TICK = 10;

const configFile = path.join(dir, "tick.yaml");
await writeFile(configFile, benchConfig({ lines: LINES, componentsPerLine: 10, approval: "manual" }));
const store = await openStore({ url: `sqlite:${path.join(dir, "tick.db")}` });

// Trains of the lines departing at hours the timetable does not use (the timetable departs at
// 10:00), all in the future, in the non-terminal states a quiet engine holds most.
const STATES = [
  { to: "scheduled", events: [] },
  { to: "boarding", events: [["scheduled", "boarding", "open"]] },
  {
    to: "awaiting_approval",
    events: [
      ["scheduled", "boarding", "open"],
      ["boarding", "frozen", "freeze"],
      ["frozen", "integrating", "integrate"],
      ["integrating", "gating", "integrated"],
      ["gating", "awaiting_approval", "gates_passed"],
    ],
  },
  {
    to: "paused",
    events: [
      ["scheduled", "boarding", "open"],
      ["boarding", "paused", "pause", "boarding"],
    ],
  },
];
const at = BENCH_NOW.toISOString();
const boarding = [];
for (let start = 0; start < INSERTED; start += 50) {
  await store.transaction(async (tx) => {
    for (let i = start; i < Math.min(INSERTED, start + 50); i++) {
      const line = `line${i % LINES}`;
      const number = 1000 + Math.floor(i / LINES);
      const id = `${line}-${number}`;
      const departureAt = new Date(Date.parse("2026-04-01T13:00:00.000Z") + i * 3_600_000).toISOString();
      const cutoffAt = new Date(Date.parse(departureAt) - 2 * 3_600_000).toISOString();
      const shape = STATES[i % STATES.length];
      const events = [
        {
          type: "train.created",
          trainId: id,
          actor: "system",
          payload: { line, number, kind: "scheduled", cutoffAt, departureAt },
        },
        ...shape.events.map(([from, to, event, resumeTo]) => ({
          type: "train.transitioned",
          trainId: id,
          actor: "system",
          payload: { from, to, event, resumeTo: resumeTo ?? null, reason: null },
        })),
      ];
      await tx.append(events, at);
      await tx.setWakeAt(id, cutoffAt);
      if (shape.to === "boarding") boarding.push({ id, cutoffAt });
    }
  });
}

const railyard = await Railyard.create({
  store,
  clock: new SimulatedClock({ start: BENCH_NOW, speed: 0 }),
  logger: pino({ level: "silent" }),
  config: await loadConfigFile(configFile),
  deployerFactory: () => {
    throw new Error("no deployment happens in this benchmark");
  },
  gates: {
    run() {
      throw new Error("no gate runs in this benchmark");
    },
  },
});

// The first passes create each line's boarding train and the one after it.
for (let i = 0; i < 20; i++) await railyard.tick();
const active = (await store.listTrains({ active: true, limit: 100_000 })).length;

const quiet = [];
for (let i = 0; i < QUIET_TICKS; i++) {
  const started = performance.now();
  const summary = await railyard.tick();
  quiet.push(performance.now() - started);
  if (summary.due !== 0) throw new Error(`expected nothing due, ${summary.due} trains were`);
}

const due = [];
for (let i = 0; i < DUE_TICKS; i++) {
  const trains = boarding.slice((i * DUE_PER_TICK) % (boarding.length - DUE_PER_TICK)).slice(0, DUE_PER_TICK);
  await store.transaction(async (tx) => {
    for (const train of trains) await tx.setWakeAt(train.id, at);
  });
  const started = performance.now();
  const summary = await railyard.tick();
  due.push(performance.now() - started);
  if (summary.due !== DUE_PER_TICK) throw new Error(`expected ${DUE_PER_TICK} due, ${summary.due} were`);
}

await store.close();
process.stdout.write(
  `${JSON.stringify({
    activeTrains: active,
    lines: LINES,
    quiet: { ticks: QUIET_TICKS, ...summarize(quiet) },
    due: { ticks: DUE_TICKS, duePerTick: DUE_PER_TICK, ...summarize(due) },
  })}\n`,
);
