/**
 * The judgement of a `prometheus` gate, with the semantics of Argo Rollouts' AnalysisTemplate
 * metrics: a condition every returned value must satisfy, measurements that succeed, fail, are
 * inconclusive or hit an error, and an analysis that stops as soon as its outcome is decided.
 * Pure: the gate runner (`src/integrations/prometheus/prometheus-gate.ts`) queries and waits.
 */

/** One series of a query result: its labels and its samples as `[unix seconds, value]`. */
export interface PrometheusSeries {
  labels: Record<string, string>;
  values: Array<[number, number]>;
}

/**
 * A Prometheus query result, normalised: an instant vector has one value per series, a matrix
 * several, a scalar is one series without labels. `NaN`, `+Inf` and `-Inf` are JavaScript numbers.
 * A `string` result (a PromQL string literal) carries `Number(text)` and never satisfies a condition.
 */
export interface PrometheusResult {
  resultType: "vector" | "matrix" | "scalar" | "string";
  series: PrometheusSeries[];
  /** Warnings Prometheus attached to the answer (e.g. a partial result). */
  warnings: string[];
}

export type ComparisonOperator = "<" | "<=" | ">" | ">=" | "==" | "!=";

/** What every value must satisfy, e.g. `{op: "<", threshold: 0.01}` for `< 0.01`. */
export interface Condition {
  op: ComparisonOperator;
  threshold: number;
}

/** What an empty result counts as (the gate's `noData`). */
export type NoData = "pass" | "fail" | "inconclusive";

/** How one measurement ended; `error` is a query that failed even after the client's retries. */
export type MeasurementOutcome = "success" | "failure" | "inconclusive" | "error";

/** One measurement as {@link measure} judged it. */
export interface MeasurementVerdict {
  outcome: Exclude<MeasurementOutcome, "error">;
  /** Every value of the result, in series order. */
  values: number[];
  /**
   * The telling value: the one furthest on the wrong side of the threshold (`failure`), the first
   * NaN (`inconclusive`), the closest to the threshold (`success`); null without values.
   */
  worst: number | null;
  /** For people: `0.004 < 0.01`, `0.07 {code="500"} is not < 0.01`, `no data …`. */
  sentence: string;
}

/** Where an analysis stands; anything but `running` is final. */
export type AnalysisStatus = "running" | "pass" | "fail" | "inconclusive" | "error";

/** The gate's `count`, `failureLimit` and `inconclusiveLimit`. */
export interface AnalysisLimits {
  /** Measurements (not counting errors) after which the analysis passes. */
  count: number;
  /** Failed measurements tolerated; one more fails the analysis. */
  failureLimit: number;
  /** Inconclusive measurements tolerated, and separately query errors tolerated. */
  inconclusiveLimit: number;
}

/** Thrown by {@link parseCondition} for text that is not a comparison with a number. */
export class InvalidConditionError extends Error {
  override readonly name = "InvalidConditionError";
  constructor(readonly input: string) {
    super(
      `"${input}" is not a condition: write a comparison operator (<, <=, >, >=, ==, !=) and a number, such as < 0.01 or >= 0.95`,
    );
  }
}

const CONDITION = /^\s*(<=|>=|==|!=|<|>)\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*$/;

/**
 * Parses a gate's `condition`, such as `< 0.01` or `>= 0.95`.
 * @throws {InvalidConditionError} when the text is not an operator followed by a finite number.
 */
export function parseCondition(text: string): Condition {
  const match = CONDITION.exec(text);
  if (!match) throw new InvalidConditionError(text);
  return { op: match[1] as ComparisonOperator, threshold: Number(match[2]) };
}

/** Writes a condition back as `< 0.01`. */
export function formatCondition(condition: Condition): string {
  return `${condition.op} ${formatValue(condition.threshold)}`;
}

/** Whether `value` satisfies the condition; NaN satisfies none (not even `!=`). */
export function satisfies(value: number, condition: Condition): boolean {
  if (Number.isNaN(value)) return false;
  const t = condition.threshold;
  switch (condition.op) {
    case "<":
      return value < t;
    case "<=":
      return value <= t;
    case ">":
      return value > t;
    case ">=":
      return value >= t;
    case "==":
      return value === t;
    case "!=":
      return value !== t;
    default: {
      const unknown: never = condition.op;
      throw new Error(`unknown operator ${String(unknown)}`);
    }
  }
}

/** A sample value as Prometheus writes it: `NaN`, `+Inf`, `-Inf`, else JavaScript's shortest form. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

/** Labels as PromQL writes them: `{code="500", job="api"}`; `{}` for none. */
export function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(", ")}}`;
}

/**
 * A value rounded to 6 significant digits for a sentence, unless rounding would flip its
 * comparison with the threshold (`0.0099999996` must not read `0.01 < 0.01`).
 */
function shortValue(value: number, condition: Condition): string {
  if (!Number.isFinite(value)) return formatValue(value);
  const rounded = Number(value.toPrecision(6));
  return satisfies(rounded, condition) === satisfies(value, condition)
    ? formatValue(rounded)
    : formatValue(value);
}

/** How far `value` sits on the wrong (or least safe) side of the threshold; larger is worse. */
function badness(value: number, condition: Condition): number {
  switch (condition.op) {
    case "<":
    case "<=":
      return value - condition.threshold;
    case ">":
    case ">=":
      return condition.threshold - value;
    case "==":
    case "!=":
      return 0;
    default: {
      const unknown: never = condition.op;
      throw new Error(`unknown operator ${String(unknown)}`);
    }
  }
}

interface Sample {
  value: number;
  labels: Record<string, string>;
}

function worstOf(samples: Sample[], condition: Condition): Sample {
  let worst = samples[0]!;
  for (const sample of samples.slice(1)) {
    if (badness(sample.value, condition) > badness(worst.value, condition)) worst = sample;
  }
  return worst;
}

function labelled(sample: Sample, all: number): string {
  return all > 1 || Object.keys(sample.labels).length > 0 ? ` ${formatLabels(sample.labels)}` : "";
}

/**
 * Judges one measurement. It succeeds when every value of the result satisfies the condition
 * and fails when one does not; otherwise a NaN makes it inconclusive (a definite failure wins over
 * a NaN elsewhere in the result). An empty result counts as `noData` says; a `string` result is
 * inconclusive, as it cannot be compared.
 */
export function measure(result: PrometheusResult, condition: Condition, noData: NoData): MeasurementVerdict {
  const wanted = formatCondition(condition);
  const samples: Sample[] = result.series.flatMap((series) =>
    series.values.map(([, value]) => ({ value, labels: series.labels })),
  );
  const values = samples.map((s) => s.value);
  if (result.resultType === "string") {
    return {
      outcome: "inconclusive",
      values,
      worst: null,
      sentence: `the query returned a string, which cannot be compared with ${wanted}`,
    };
  }
  if (samples.length === 0) {
    const outcome = noData === "pass" ? "success" : noData === "fail" ? "failure" : "inconclusive";
    return {
      outcome,
      values,
      worst: null,
      sentence: `no data (the query returned no series; noData: ${noData})`,
    };
  }
  const of = (n: number) => (samples.length > 1 ? ` (${n} of ${samples.length} values)` : "");
  const failing = samples.filter((s) => !Number.isNaN(s.value) && !satisfies(s.value, condition));
  if (failing.length > 0) {
    const worst = worstOf(failing, condition);
    return {
      outcome: "failure",
      values,
      worst: worst.value,
      sentence: `${shortValue(worst.value, condition)}${labelled(worst, samples.length)} is not ${wanted}${of(failing.length)}`,
    };
  }
  const nans = samples.filter((s) => Number.isNaN(s.value));
  if (nans.length > 0) {
    const first = nans[0]!;
    return {
      outcome: "inconclusive",
      values,
      worst: first.value,
      sentence: `NaN${labelled(first, samples.length)} cannot be compared with ${wanted}${of(nans.length)}`,
    };
  }
  const worst = worstOf(samples, condition);
  return {
    outcome: "success",
    values,
    worst: worst.value,
    sentence:
      samples.length > 1
        ? `all ${samples.length} values ${wanted} (worst ${shortValue(worst.value, condition)}${labelled(worst, samples.length)})`
        : `${shortValue(worst.value, condition)} ${wanted}`,
  };
}

/** How many measurements ended each way. */
export function tally(
  measurements: ReadonlyArray<{ outcome: MeasurementOutcome }>,
): Record<MeasurementOutcome, number> {
  const counts: Record<MeasurementOutcome, number> = { success: 0, failure: 0, inconclusive: 0, error: 0 };
  for (const m of measurements) counts[m.outcome] += 1;
  return counts;
}

/**
 * Where an analysis stands after these measurements, as Argo Rollouts' `assessMetricStatus`
 * decides, in the same order:
 * 1. more failures than `failureLimit` → `fail`;
 * 2. more inconclusive measurements than `inconclusiveLimit` → `inconclusive`;
 * 3. more errors than `inconclusiveLimit` → `error`. Here Railyard differs from Argo, which
 *    counts *consecutive* errors against a separate `consecutiveErrorLimit` (default 4) and resets
 *    the count on any non-error measurement: Railyard counts *all* errors of the analysis and
 *    uses `inconclusiveLimit` as their limit, so with the defaults one query error (after the
 *    client's own retries) ends the gate `error` at once;
 * 4. `count` measurements that are not errors → `pass`. As in Argo, an error does not count
 *    toward `count`: the gate measures again instead, so an analysis takes at most
 *    `count + inconclusiveLimit` measurements;
 * 5. otherwise `running`: take another measurement.
 */
export function analysisStatus(
  measurements: ReadonlyArray<{ outcome: MeasurementOutcome }>,
  limits: AnalysisLimits,
): AnalysisStatus {
  const counts = tally(measurements);
  if (counts.failure > limits.failureLimit) return "fail";
  if (counts.inconclusive > limits.inconclusiveLimit) return "inconclusive";
  if (counts.error > limits.inconclusiveLimit) return "error";
  if (counts.success + counts.failure + counts.inconclusive >= limits.count) return "pass";
  return "running";
}

/** A measurement as the gate keeps it, for {@link summarizeAnalysis}. */
export interface JudgedMeasurement {
  outcome: MeasurementOutcome;
  /** See {@link MeasurementVerdict.worst}; null for errors and empty results. */
  worst: number | null;
  /** The measurement's sentence, or the query error's message. */
  sentence: string;
}

/**
 * The first line of a gate's evidence: what decided, in how many of the measurements, against
 * which limit, ending with the verdict, e.g. `0.004 < 0.01 in 3 of 3 measurements: pass` or
 * `0.07 is not < 0.01 in 2 of 3 measurements (failureLimit 1): fail`.
 */
export function summarizeAnalysis(
  measurements: readonly JudgedMeasurement[],
  status: Exclude<AnalysisStatus, "running">,
  condition: Condition,
  limits: AnalysisLimits,
): string {
  const counts = tally(measurements);
  const taken = measurements.length;
  const inN = (n: number) => `in ${n} of ${taken} measurement${taken === 1 ? "" : "s"}`;
  const wanted = formatCondition(condition);
  const worstSentence = (outcome: MeasurementOutcome, verb: string): string => {
    const judged = measurements.filter((m) => m.outcome === outcome && m.worst !== null);
    if (judged.length > 0) {
      return `${shortValue(worstOf(judged.map(toSample), condition).value, condition)} ${verb}${wanted}`;
    }
    return measurements.find((m) => m.outcome === outcome)?.sentence ?? wanted;
  };
  switch (status) {
    case "pass": {
      const tolerated: string[] = [];
      if (counts.failure > 0)
        tolerated.push(`${counts.failure} failed (failureLimit ${limits.failureLimit})`);
      if (counts.inconclusive > 0) {
        tolerated.push(`${counts.inconclusive} inconclusive (inconclusiveLimit ${limits.inconclusiveLimit})`);
      }
      if (counts.error > 0) {
        tolerated.push(
          `${counts.error} query error${counts.error === 1 ? "" : "s"} (inconclusiveLimit ${limits.inconclusiveLimit})`,
        );
      }
      const extra = tolerated.length > 0 ? `; tolerated ${tolerated.join(", ")}` : "";
      return `${worstSentence("success", "")} ${inN(counts.success)}${extra}: pass`;
    }
    case "fail":
      return `${worstSentence("failure", "is not ")} ${inN(counts.failure)} (failureLimit ${limits.failureLimit}): fail`;
    case "inconclusive": {
      const first = measurements.find((m) => m.outcome === "inconclusive");
      return `${first?.sentence ?? "inconclusive"} ${inN(counts.inconclusive)} (inconclusiveLimit ${limits.inconclusiveLimit}): inconclusive`;
    }
    case "error": {
      const last = measurements.findLast((m) => m.outcome === "error");
      const reason = clip(last?.sentence.split("\n")[0] ?? "the query failed", 180);
      return `query failed ${inN(counts.error)} (inconclusiveLimit ${limits.inconclusiveLimit}): ${reason}: error`;
    }
    default: {
      const unknown: never = status;
      throw new Error(`unknown status ${String(unknown)}`);
    }
  }
}

function toSample(m: JudgedMeasurement): Sample {
  return { value: m.worst!, labels: {} };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
