/**
 * Timetable expansion benchmark (issue 3): ten years of departures for 1,000 lines — a mix of
 * daily, weekly, biweekly, monthly (2nd Tuesday, last Friday) rules in eight zones, a third of
 * them with a business-day cut-off and a quarter with a window and a year-end blackout. Measures
 * compiling every line's timetable and expanding 2027-01-01 … 2037-01-01 (`timesBetween`: numbers,
 * what the engine and the offline command compute) and, separately, the same as ISO text
 * (`between`, what the API shows). Target: under 1 s in total for the expansion.
 *
 * Run: `npm run bench -- --only timetable` or `node bench/timetable.js` after `npm run build`.
 * Writes the section between `<!-- bench:timetable:start -->` and `…:end -->` of BENCHMARKS.md
 * unless `--no-write`.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { RailyardConfig } from "../dist/domain/config/schema.js";
import { compileTimetable } from "../dist/domain/timetable.js";
import { machineLine, utcNow, writeSection } from "./report.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const LINES = 1000;
const RUNS = 5;
const FROM = Date.parse("2027-01-01T00:00:00Z");
const TO = Date.parse("2037-01-01T00:00:00Z");
const TARGET_MS = 1000;

const ZONES = [
  "Europe/Berlin",
  "America/New_York",
  "Asia/Kolkata",
  "Australia/Sydney",
  "America/Sao_Paulo",
  "Europe/London",
  "Asia/Tokyo",
  "UTC",
];
const RULES = [
  ["daily", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"],
  ["daily", "FREQ=DAILY"],
  ["weekly", "FREQ=WEEKLY;BYDAY=TU"],
  ["weekly", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"],
  ["monthly", "FREQ=MONTHLY;BYDAY=2TU"],
  ["monthly", "FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1"],
];

function config() {
  const lines = {};
  const components = {};
  for (let i = 0; i < LINES; i++) {
    const name = `line-${i}`;
    components[`c-${i}`] = { team: "t", deployer: "d" };
    lines[name] = {
      schedule: {
        rrule: RULES[i % RULES.length][1],
        start: "2026-01-06T10:00",
        timezone: ZONES[i % ZONES.length],
        cutoff: i % 3 === 0 ? { businessDays: 2, at: "17:00" } : "2h",
      },
      components: [`c-${i}`],
      rollout: { waves: [{ name: "all", environments: ["prod"] }] },
      holidays: i % 3 === 0 ? ["holidays"] : [],
      ...(i % 4 === 0
        ? {
            window: [{ days: ["MO", "TU", "WE", "TH"], from: "10:00", to: "16:00" }],
            blackouts: [
              { name: "year-end", reason: "Year-end freeze", from: "2027-12-20", to: "2028-01-04" },
            ],
          }
        : {}),
    };
  }
  return RailyardConfig.parse({
    version: 1,
    teams: { t: {} },
    deployers: { d: { type: "command", command: "true" } },
    components,
    environments: { staging: { kind: "integration" }, prod: { kind: "production" } },
    calendars: { holidays: { dates: ["2027-12-24", "2027-12-25", "2027-12-26", "2028-01-01"] } },
    lines,
  });
}

function measure(parsed, present) {
  const started = performance.now();
  let departures = 0;
  const mix = { daily: 0, weekly: 0, monthly: 0 };
  for (const [index, name] of Object.keys(parsed.lines).entries()) {
    const timetable = compileTimetable(name, parsed);
    const n = (present ? timetable.between(FROM, TO) : timetable.timesBetween(FROM, TO)).length;
    departures += n;
    mix[RULES[index % RULES.length][0]] += n;
  }
  return { ms: performance.now() - started, departures, mix };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const parsed = config();
// Each variant runs in a fresh process (one left a heap that made the other's garbage collection
// several times slower); each run compiles afresh (timetables memoise), zone tables stay cached
// as in a server.
if (process.argv.includes("--child")) {
  const present = process.argv.includes("--text");
  const runs = [];
  let last;
  for (let run = 0; run < RUNS; run++) {
    last = measure(parsed, present);
    runs.push(last.ms);
  }
  process.stdout.write(JSON.stringify({ runs, departures: last.departures, mix: last.mix }));
  process.exit(0);
}
const variant = (text) =>
  JSON.parse(
    execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--child", ...(text ? ["--text"] : [])], {
      cwd: ROOT,
    }).toString(),
  );
const numeric = variant(false);
const result = { departures: numeric.departures, mix: numeric.mix };
const numbers = numeric.runs;
const texts = variant(true).runs;
const first = numbers[0];
const best = Math.min(...numbers);
const med = median(numbers);
const date = utcNow();
const int = (n) => Math.round(n).toLocaleString("en-US");
const section = [
  `### Timetable expansion: ${date} UTC`,
  "",
  machineLine(ROOT),
  `- Command: \`node bench/timetable.js\` (each measure: ${RUNS} runs in a fresh process; the first run includes JIT warm-up and building the zones' offset tables)`,
  `- Work: ${int(LINES)} lines (daily, weekdays, weekly, biweekly, 2nd Tuesday, last Friday; 8 zones; a third with business-day cut-offs over a holiday calendar; a quarter with a window and a year-end blackout), departures from 2027-01-01 to 2037-01-01: ${int(result.departures)} departures (daily ${int(result.mix.daily)}, weekly ${int(result.mix.weekly)}, monthly ${int(result.mix.monthly)}), each with its number, cut-off, window and blackout status`,
  "",
  "| measure | first run ms (cold process) | median ms | best ms | target < 1000 ms |",
  "| --- | ---: | ---: | ---: | --- |",
  `| compile + expand, instants as numbers (\`timesBetween\`) | ${first.toFixed(0)} | ${med.toFixed(0)} | ${best.toFixed(0)} | median ${med < TARGET_MS ? "met" : "**missed**"}; cold ${first < TARGET_MS ? "met" : "**missed**"} |`,
  `| compile + expand, as ISO text (\`between\`) | ${texts[0].toFixed(0)} | ${median(texts).toFixed(0)} | ${Math.min(...texts).toFixed(0)} | (for comparison) |`,
  "",
].join("\n");
process.stdout.write(`${section}\n`);

if (!process.argv.includes("--no-write")) {
  await writeSection(path.join(ROOT, "BENCHMARKS.md"), "timetable", "Timetable", section);
}
