/**
 * `railyard canary judge --baseline FILE --canary FILE [--direction either|increase|decrease]
 * [--confidence P] [--tolerance T] [--json]`: the canary judge (`src/domain/canary/judge.ts`) on
 * two JSON arrays of numbers, without a server or Prometheus. Its `--json` output is a fixed
 * interface: `{"verdict", "p_value", "hodges_lehmann", "ci": [lo, hi], "effect_ratio"}`.
 */
import { readFile } from "node:fs/promises";
import { type Command, CommanderError } from "commander";
import {
  DEFAULT_TOLERANCE,
  type Direction,
  judgeMetric,
  type MetricJudgement,
} from "../../domain/canary/judge.js";
import { DEFAULT_CONFIDENCE, EXACT_MAX_SIZE } from "../../domain/canary/mann-whitney.js";
import { contextOf } from "../context.js";
import { type Output, paint } from "../output.js";

/** `railyard canary judge --json`: null where a number is undefined (no data). */
export interface CanaryJudgeOutput {
  verdict: MetricJudgement["verdict"];
  p_value: number | null;
  hodges_lehmann: number | null;
  ci: [number, number] | null;
  effect_ratio: number | null;
}

/** The `--json` document of a judgement: only the fields of the fixed interface, in its order. */
export function canaryJudgeOutput(judgement: MetricJudgement): CanaryJudgeOutput {
  return {
    verdict: judgement.verdict,
    p_value: judgement.pValue,
    hodges_lehmann: judgement.hodgesLehmann,
    ci: judgement.ci,
    effect_ratio: judgement.effectRatio,
  };
}

const DIRECTIONS: readonly Direction[] = ["either", "increase", "decrease"];

type Fail = (message: string) => never;

/** The samples of `option`'s file: a JSON array of numbers. */
async function readSamples(option: string, file: string, fail: Fail): Promise<number[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(
      code === "ENOENT"
        ? `${option} ${file}: no such file`
        : code === "EISDIR"
          ? `${option} ${file}: is a directory, not a file`
          : `${option} ${file}: cannot read it (${(error as Error).message})`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail(`${option} ${file}: not JSON (${(error as Error).message}); expected an array of numbers`);
  }
  if (!Array.isArray(value)) {
    const found = value === null ? "null" : typeof value === "object" ? "an object" : `a ${typeof value}`;
    return fail(`${option} ${file}: expected a JSON array of numbers, found ${found}`);
  }
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item !== "number") {
      const found = item === null ? "null" : Array.isArray(item) ? "an array" : `a ${typeof item}`;
      return fail(`${option} ${file}: element [${i}] is ${found}, expected a number`);
    }
  }
  return value as number[];
}

/** A number option in an open or half-open range. */
function numberOption(
  name: string,
  raw: string | undefined,
  fallback: number,
  valid: (n: number) => boolean,
  range: string,
  fail: Fail,
): number {
  if (raw === undefined) return fallback;
  const value = raw.trim() === "" ? Number.NaN : Number(raw);
  if (!valid(value)) return fail(`${name} must be ${range}, got "${raw}"`);
  return value;
}

function show(value: number | null, digits = 4): string {
  if (value === null) return "-";
  if (value === 0) return "0";
  return String(Number(value.toPrecision(digits)));
}

function render(out: Output, judgement: MetricJudgement, confidence: number): void {
  const style = judgement.verdict === "pass" ? "green" : judgement.verdict === "nodata" ? "yellow" : "red";
  out.line(`Verdict: ${paint(out, style, judgement.verdict)} (${judgement.reason})`);
  if (judgement.verdict === "nodata") {
    out.line(`Values: baseline ${judgement.counts.baseline}, canary ${judgement.counts.canary}`);
    return;
  }
  const method =
    judgement.method === "exact"
      ? "exact distribution of U"
      : "normal approximation with tie and continuity correction";
  out.line(`p-value: ${show(judgement.pValue, 3)} (two-sided, ${method})`);
  out.line(`Shift (Hodges-Lehmann, canary - baseline): ${show(judgement.hodgesLehmann)}`);
  const ci = judgement.ci;
  out.line(
    `${Math.round(confidence * 1e4) / 100}% CI of the shift: [${show(ci?.[0] ?? null)}, ${show(ci?.[1] ?? null)}]`,
  );
  out.line(
    `Mean ratio (canary / baseline): ${judgement.effectRatio === null ? "- (the baseline's mean is 0)" : show(judgement.effectRatio)}`,
  );
  out.line(`Values: baseline ${judgement.counts.baseline}, canary ${judgement.counts.canary}`);
}

/** Adds `canary judge`. */
export function registerCanaryCommands(program: Command): void {
  const canary = program
    .command("canary")
    .description("canary analysis offline: judge a metric's samples (no server needed)");
  canary
    .command("judge")
    .description(
      "judge one metric of a canary against its baseline with a Mann-Whitney U test (no server needed)",
    )
    .requiredOption("--baseline <file>", "JSON array of the baseline's samples, e.g. [0.21, 0.19, 0.25]")
    .requiredOption("--canary <file>", "JSON array of the canary's samples")
    .option("--direction <direction>", "which change fails: either, increase or decrease (default: either)")
    .option(
      "--confidence <p>",
      `confidence of the interval of the shift, between 0 and 1 (default: ${DEFAULT_CONFIDENCE})`,
    )
    .option(
      "--tolerance <t>",
      `the interval must clear ±tolerance × |shift| to count, at least 0 (default: ${DEFAULT_TOLERANCE})`,
    )
    .option("--json", 'print {"verdict", "p_value", "hodges_lehmann", "ci": [lo, hi], "effect_ratio"}')
    .addHelpText(
      "after",
      `
How it judges (Kayenta's Mann-Whitney classifier). Non-finite values are dropped; an empty side
gives nodata; identical samples, or one value everywhere, pass. Otherwise the two-sided
Mann-Whitney U test compares the samples, the shift is estimated by Hodges-Lehmann (the median of
all canary - baseline differences) with its confidence interval at --confidence (as R's
wilcox.test(canary, baseline, conf.int = TRUE)), and with band = tolerance x |shift|:
  high  the interval's lower end is above +band (direction either or increase)
  low   the interval's upper end is below -band (direction either or decrease)
  pass  otherwise
As with the gate's default effectSize, a high also needs the mean ratio (canary / baseline) at
least 1, and a low at most 1.

The p-value is exact (the exact null distribution of U) when both samples have fewer than
${EXACT_MAX_SIZE} values and no value occurs twice; otherwise it is the normal approximation with
tie correction and continuity correction. The interval's ends are order statistics of the
differences at the matching critical value of U, exact or from the normal quantile.

With --json: {"verdict", "p_value", "hodges_lehmann", "ci": [lo, hi], "effect_ratio"}, verdict
one of pass|high|low|nodata, null where there is no number (nodata; effect_ratio when the
baseline's mean is 0). Exit code 0 with any verdict; 2 for bad input (an unreadable file, not a
JSON array of numbers, a bad option), with the reason on stderr and nothing on stdout.

Examples:
  railyard canary judge --baseline baseline.json --canary canary.json
  railyard canary judge --baseline b.json --canary c.json --direction increase --json`,
    )
    .action(
      async (
        options: {
          baseline: string;
          canary: string;
          direction?: string;
          confidence?: string;
          tolerance?: string;
        },
        command: Command,
      ) => {
        const ctx = contextOf(command);
        // Errors go to stderr only, with or without --json: stdout carries nothing but the verdict.
        const fail: Fail = (message) => {
          ctx.out.error(`railyard: ${message}`);
          throw new CommanderError(2, "railyard.usage", message);
        };
        const direction = (options.direction ?? "either") as Direction;
        if (!DIRECTIONS.includes(direction)) {
          fail(`--direction must be one of ${DIRECTIONS.join(", ")}, got "${options.direction}"`);
        }
        const confidence = numberOption(
          "--confidence",
          options.confidence,
          DEFAULT_CONFIDENCE,
          (n) => n > 0 && n < 1,
          "a number between 0 and 1 (exclusive), e.g. 0.98",
          fail,
        );
        const tolerance = numberOption(
          "--tolerance",
          options.tolerance,
          DEFAULT_TOLERANCE,
          (n) => n >= 0 && Number.isFinite(n),
          "a number at least 0, e.g. 0.25",
          fail,
        );
        const baseline = await readSamples("--baseline", options.baseline, fail);
        const canarySamples = await readSamples("--canary", options.canary, fail);
        const judgement = judgeMetric(baseline, canarySamples, { direction, confidence, tolerance });
        if (ctx.json) return ctx.out.json(canaryJudgeOutput(judgement));
        render(ctx.out, judgement, confidence);
      },
    );
}
