/**
 * The verdict on one metric of a canary analysis: Kayenta's Mann-Whitney classifier, re-derived.
 * A metric is `high` (or `low`) when the confidence interval of the canary's shift against the
 * baseline clears a band of ±tolerance·|shift| around zero on that side, the metric's direction
 * counts that side, and the ratio of the means is at least the allowed effect size; `nodata`
 * when a side has no values; `pass` otherwise. Deterministic: where Kayenta adds random noise
 * to two constant series, the differences are all equal and the interval is that one value.
 * Pure; the `canary` gate reads the series from Prometheus.
 */
import { DEFAULT_CONFIDENCE, mannWhitneySorted, sortAscending } from "./mann-whitney.js";

/** Which change fails a metric: a rise (latency, errors), a fall (throughput) or either. */
export type Direction = "increase" | "decrease" | "either";

/** A metric's verdict: no significant change, significantly higher or lower, or a side without values. */
export type MetricVerdict = "pass" | "high" | "low" | "nodata";

/** How a metric is judged. */
export interface JudgeOptions {
  /** Which side fails the metric; a change to the other side passes. */
  direction: Direction;
  /** Confidence of the interval of the shift, in (0, 1). @default 0.98 */
  confidence?: number;
  /** Allowed band around zero: ±tolerance·|HL|; at least 0. @default 0.25 */
  tolerance?: number;
  /** How large a change must be, as the ratio of the means, besides being significant. */
  effectSize?: {
    /** Mean ratio canary/baseline at or above which an increase counts (with the test). @default 1 */
    allowedIncrease?: number;
    /** Mean ratio at or below which a decrease counts. @default 1 */
    allowedDecrease?: number;
    /** For critical metrics: ratio at or above which a `high` is a critical failure. @default allowedIncrease */
    criticalIncrease?: number;
    /** For critical metrics: ratio at or below which a `low` is a critical failure. @default allowedDecrease */
    criticalDecrease?: number;
  };
}

/** The verdict on one metric, with the numbers behind it. */
export interface MetricJudgement {
  verdict: MetricVerdict;
  /** Two-sided p-value of the Mann-Whitney test; null without data. */
  pValue: number | null;
  /** Hodges–Lehmann shift of the canary (median of canary − baseline differences); null without data. */
  hodgesLehmann: number | null;
  /** Confidence interval of the shift; null without data. */
  ci: [number, number] | null;
  /** mean(canary)/mean(baseline); null when the baseline mean is 0 or there is no data. */
  effectRatio: number | null;
  /** How the p-value was computed; null without data. */
  method: "exact" | "normal" | null;
  /** True when the verdict, for a critical metric, is beyond the critical effect size (or nodata). */
  criticalBreach: boolean;
  /** In words, e.g. "canary higher: CI [0.031, 0.052] above +0.009 (25% of |HL| 0.04), mean ratio 1.42". */
  reason: string;
  /** How many values of each side were judged (after removing non-finite ones). */
  counts: { baseline: number; canary: number };
}

/** The default tolerance: the interval must clear 25% of the shift (Kayenta's). */
export const DEFAULT_TOLERANCE = 0.25;

/**
 * Judges one metric of a canary against its baseline. NaN and infinite values are removed
 * first. Then:
 *
 * - **nodata** when either side has no value left;
 * - **pass** when both sides hold the same values (as multisets), or every value is the same;
 * - otherwise the Mann-Whitney test ({@link mannWhitneySorted}) gives the Hodges–Lehmann shift
 *   HL and its confidence interval [lo, hi]; with band = tolerance·|HL|:
 *   **high** when the direction is `increase` or `either`, lo > band and the mean ratio
 *   (canary/baseline) is at least `allowedIncrease`; **low** when the direction is `decrease`
 *   or `either`, hi < −band and the mean ratio is at most `allowedDecrease`; else **pass**.
 *   Without a mean ratio (the baseline's mean is 0) the effect size does not hold a change back.
 *
 * `criticalBreach` is computed for every metric; the caller applies it to critical ones. It is
 * true for `nodata`, for `high` with a mean ratio at or above `criticalIncrease` and for `low`
 * with one at or below `criticalDecrease`; a high or low without a mean ratio breaches too (a
 * baseline of zeros against a canary that is significantly higher is the case to catch).
 *
 * @throws RangeError when confidence is outside (0, 1), tolerance is negative or not finite, or
 *   an effect size is not a finite number.
 */
export function judgeMetric(
  baseline: readonly number[],
  canary: readonly number[],
  options: JudgeOptions,
): MetricJudgement {
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be between 0 and 1 (exclusive), got ${confidence}`);
  }
  if (!(tolerance >= 0 && Number.isFinite(tolerance))) {
    throw new RangeError(`tolerance must be a finite number at least 0, got ${tolerance}`);
  }
  const allowedIncrease = effectSize(options, "allowedIncrease", 1);
  const allowedDecrease = effectSize(options, "allowedDecrease", 1);
  const criticalIncrease = effectSize(options, "criticalIncrease", allowedIncrease);
  const criticalDecrease = effectSize(options, "criticalDecrease", allowedDecrease);

  const a = finiteSorted(baseline);
  const c = finiteSorted(canary);
  const counts = { baseline: a.length, canary: c.length };
  if (a.length === 0 || c.length === 0) {
    const empty =
      a.length === 0 && c.length === 0
        ? "the baseline and the canary have"
        : a.length === 0
          ? "the baseline has"
          : "the canary has";
    return {
      verdict: "nodata",
      pValue: null,
      hodgesLehmann: null,
      ci: null,
      effectRatio: null,
      method: null,
      criticalBreach: true,
      reason: `no data: ${empty} no values${removedNote(baseline.length - a.length, canary.length - c.length)}`,
      counts,
    };
  }

  const result = mannWhitneySorted(a, c, confidence);
  const meanBaseline = mean(a);
  const effectRatio = meanBaseline === 0 ? null : mean(c) / meanBaseline;
  const numbers = {
    pValue: result.pValue,
    hodgesLehmann: result.hodgesLehmann,
    ci: result.ci,
    effectRatio,
    method: result.method,
    counts,
  };
  const ratioText =
    effectRatio === null ? "no mean ratio (baseline mean 0)" : `mean ratio ${fmt(effectRatio)}`;

  const same = sameValues(a, c);
  if (same !== null) {
    return { verdict: "pass", criticalBreach: false, reason: same, ...numbers };
  }

  const hl = result.hodgesLehmann;
  const [lo, hi] = result.ci;
  const band = tolerance * Math.abs(hl);
  const bandText = `${Math.round(tolerance * 1e4) / 100}% of |HL| ${fmt(Math.abs(hl))}`;
  const ciText = `CI [${fmt(lo)}, ${fmt(hi)}]`;
  const upward = options.direction === "increase" || options.direction === "either";
  const downward = options.direction === "decrease" || options.direction === "either";

  if (lo > band) {
    if (!upward) {
      return {
        verdict: "pass",
        criticalBreach: false,
        reason: `canary higher, but direction ${options.direction} fails only a decrease: ${ciText} above +${fmt(band)} (${bandText}), ${ratioText}`,
        ...numbers,
      };
    }
    if (effectRatio !== null && effectRatio < allowedIncrease) {
      return {
        verdict: "pass",
        criticalBreach: false,
        reason: `canary higher but under the allowed effect size: ${ciText} above +${fmt(band)} (${bandText}), ${ratioText} below ${fmt(allowedIncrease)}`,
        ...numbers,
      };
    }
    const critical = effectRatio === null || effectRatio >= criticalIncrease;
    return {
      verdict: "high",
      criticalBreach: critical,
      reason: `canary higher: ${ciText} above +${fmt(band)} (${bandText}), ${ratioText}${criticalNote(critical, effectRatio, criticalIncrease, allowedIncrease)}`,
      ...numbers,
    };
  }
  if (hi < -band) {
    if (!downward) {
      return {
        verdict: "pass",
        criticalBreach: false,
        reason: `canary lower, but direction ${options.direction} fails only an increase: ${ciText} below -${fmt(band)} (${bandText}), ${ratioText}`,
        ...numbers,
      };
    }
    if (effectRatio !== null && effectRatio > allowedDecrease) {
      return {
        verdict: "pass",
        criticalBreach: false,
        reason: `canary lower but under the allowed effect size: ${ciText} below -${fmt(band)} (${bandText}), ${ratioText} above ${fmt(allowedDecrease)}`,
        ...numbers,
      };
    }
    const critical = effectRatio === null || effectRatio <= criticalDecrease;
    return {
      verdict: "low",
      criticalBreach: critical,
      reason: `canary lower: ${ciText} below -${fmt(band)} (${bandText}), ${ratioText}${criticalNote(critical, effectRatio, criticalDecrease, allowedDecrease)}`,
      ...numbers,
    };
  }
  return {
    verdict: "pass",
    criticalBreach: false,
    reason: `no significant difference: ${ciText} not beyond ±${fmt(band)} (${bandText}), ${ratioText}`,
    ...numbers,
  };
}

type EffectSizeKey = keyof NonNullable<JudgeOptions["effectSize"]>;

function effectSize(options: JudgeOptions, key: EffectSizeKey, fallback: number): number {
  const value = options.effectSize?.[key];
  if (value === undefined) return fallback;
  if (!Number.isFinite(value))
    throw new RangeError(`effectSize.${key} must be a finite number, got ${value}`);
  return value;
}

/** The finite values of a series, sorted ascending. */
function finiteSorted(values: readonly number[]): Float64Array {
  let finite = 0;
  for (const value of values) if (Number.isFinite(value)) finite++;
  const sorted = new Float64Array(finite);
  if (finite === values.length) {
    sorted.set(values);
  } else {
    let at = 0;
    for (const value of values) if (Number.isFinite(value)) sorted[at++] = value;
  }
  return sortAscending(sorted);
}

/** The mean, with Neumaier's compensated sum (long series of similar values lose no digits). */
function mean(values: Float64Array): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    const next = sum + value;
    compensation += Math.abs(sum) >= Math.abs(value) ? sum - next + value : value - next + sum;
    sum = next;
  }
  return (sum + compensation) / values.length;
}

/** Why two sorted samples trivially pass, or null: the same multiset, or one value everywhere. */
function sameValues(a: Float64Array, c: Float64Array): string | null {
  if (a[0] === a[a.length - 1] && c[0] === c[c.length - 1] && a[0] === c[0]) {
    return `every value of the baseline and the canary is ${fmt(a[0]!)}`;
  }
  if (a.length !== c.length) return null;
  for (let i = 0; i < a.length; i++) if (a[i] !== c[i]) return null;
  return "the baseline and the canary hold the same values";
}

function removedNote(baseline: number, canary: number): string {
  const parts: string[] = [];
  if (baseline > 0) parts.push(`${baseline} from the baseline`);
  if (canary > 0) parts.push(`${canary} from the canary`);
  return parts.length === 0 ? "" : ` (non-finite values removed: ${parts.join(", ")})`;
}

/** Says where a high or low stands against the critical effect size, when one is set apart from the allowed one. */
function criticalNote(critical: boolean, ratio: number | null, threshold: number, allowed: number): string {
  if (threshold === allowed) return "";
  if (ratio === null) return " (taken as beyond the critical effect size)";
  return critical
    ? ` (at or beyond the critical effect size ${fmt(threshold)})`
    : ` (within the critical effect size ${fmt(threshold)})`;
}

/** A number for a sentence: three significant digits, no trailing zeros. */
function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  return String(Number(value.toPrecision(3)));
}
