/**
 * The canary judge (`judgeMetric`: Kayenta's Mann-Whitney classifier) end to end, as the `canary`
 * gate runs it on one metric: removing non-finite values, sorting both samples, the U test, the
 * Hodges–Lehmann shift and its 98% confidence interval (order statistics of the n1·n2 pairwise
 * differences, found without building them), the mean ratio. Samples come from a fixed seed:
 * lognormal latencies (median 120 ms, σ 0.5 on the log scale) with the canary 5% slower; the
 * same rounded to whole milliseconds (a few hundred distinct values, each repeated hundreds of
 * times: the tie-heavy case); and the small samples of a 10-minute analysis at 15 s steps, where
 * the p-value is exact. Target: 2 × 100,000 samples in under 100 ms.
 *
 * `node bench/canary.js [--no-write]` (after `npm run build`), or `npm run bench -- --only canary`;
 * writes the `canary` section of BENCHMARKS.md unless `--no-write`.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { judgeMetric } from "../dist/domain/canary/judge.js";
import { machineLine, utcNow, writeSection } from "./report.js";
import { seededRandom } from "./stats.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SIZE = 100_000;
const RUNS = 15;
const SMALL_CALLS = 2000;
const TARGET_MS = 100;
const SEED = 20261127;
const OPTIONS = { direction: "increase", confidence: 0.98, tolerance: 0.25 };

/** `n` lognormal latencies in seconds around `median`, times `factor`. */
function latencies(rand, n, median, factor) {
  const values = new Array(n);
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    values[i] = factor * median * Math.exp(0.5 * z);
  }
  return values;
}

/** Times `fn` RUNS times: the first run (cold) alone, median, max and best of the others. */
function measure(fn, runs = RUNS) {
  const times = [];
  let result;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    result = fn();
    times.push(performance.now() - started);
  }
  const sorted = times.slice(1).sort((a, b) => a - b);
  return {
    first: times[0],
    median: sorted[Math.floor(sorted.length / 2)],
    max: sorted[sorted.length - 1],
    best: sorted[0],
    result,
  };
}

const rand = seededRandom(SEED);
const baseline = latencies(rand, SIZE, 0.12, 1);
const canary = latencies(rand, SIZE, 0.12, 1.05);
const toMs = (values) => values.map((v) => Math.round(v * 1000));
const baselineMs = toMs(baseline);
const canaryMs = toMs(canary);
const distinct = new Set([...baselineMs, ...canaryMs]).size;
// A 10-minute analysis at 15 s steps: 40 samples a side (distinct: the exact p-value).
const small = Array.from({ length: SMALL_CALLS }, () => [
  latencies(rand, 40, 0.12, 1),
  latencies(rand, 40, 0.12, 1.05),
]);
const worst = Array.from({ length: 200 }, () => [
  latencies(rand, 49, 0.12, 1),
  latencies(rand, 49, 0.12, 1.05),
]);

const large = measure(() => judgeMetric(baseline, canary, OPTIONS));
const tied = measure(() => judgeMetric(baselineMs, canaryMs, OPTIONS));
let exactCount = 0;
const smallRuns = measure(() => {
  exactCount = 0;
  for (const [b, c] of small) if (judgeMetric(b, c, OPTIONS).method === "exact") exactCount++;
}, 5);
const worstRuns = measure(() => {
  for (const [b, c] of worst) judgeMetric(b, c, OPTIONS);
}, 5);

const int = (n) => Math.round(n).toLocaleString("en-US");
const ms = (n) => (n >= 10 ? n.toFixed(1) : n.toFixed(2));
const us = (n) => n.toFixed(0);
const met = (value) => (value < TARGET_MS ? "met" : "**missed**");
const num = (n) => Number(n.toPrecision(4));
const describe = (j) =>
  `${j.verdict}, p ${j.pValue.toPrecision(3)} (${j.method}), HL ${num(j.hodgesLehmann)}, CI [${num(j.ci[0])}, ${num(j.ci[1])}], mean ratio ${num(j.effectRatio)}`;
const row = (name, m) =>
  `| ${name} | ${ms(m.first)} | ${ms(m.median)} | ${ms(m.max)} | ${ms(m.best)} | median ${met(m.median)}; max ${met(m.max)}; cold ${met(m.first)} |`;
const section = [
  `### Canary judge: ${utcNow()} UTC`,
  "",
  machineLine(ROOT),
  `- Command: \`node bench/canary.js\` (${RUNS} runs of each large case in one process on the same samples; the first includes JIT warm-up and is reported alone, median and max are over the other ${RUNS - 1})`,
  `- Work: \`judgeMetric\` (direction increase, confidence 0.98, tolerance 0.25) on ${int(SIZE)} baseline and ${int(SIZE)} canary latencies, lognormal (median 120 ms, σ 0.5 on the log scale), the canary 5% slower; ${int(SIZE)} × ${int(SIZE)} = ${(SIZE * SIZE).toExponential(0)} pairwise differences never built. Results: ${describe(large.result)}; in whole milliseconds (${int(distinct)} distinct values): ${describe(tied.result)}`,
  "",
  `| measure | first run ms (cold) | median ms | max ms | best ms | target < ${TARGET_MS} ms |`,
  "| --- | ---: | ---: | ---: | ---: | --- |",
  row(`2 × ${int(SIZE)} latencies, 5% shift`, large),
  row(`2 × ${int(SIZE)} whole-millisecond latencies (ties)`, tied),
  "",
  `Small samples (5 runs each, median): ${int(SMALL_CALLS)} metrics of 40 against 40 samples (the exact p-value for ${int(exactCount)} of them) in ${ms(smallRuns.median)} ms, ${us((smallRuns.median * 1000) / SMALL_CALLS)} µs a metric; ${int(worst.length)} of 49 against 49 (the largest exact distribution) in ${ms(worstRuns.median)} ms, ${us((worstRuns.median * 1000) / worst.length)} µs a metric.`,
  "",
].join("\n");
process.stdout.write(`${section}\n`);

if (!process.argv.includes("--no-write")) {
  await writeSection(path.join(ROOT, "BENCHMARKS.md"), "canary", "Canary judge", section);
}
