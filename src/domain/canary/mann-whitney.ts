/**
 * The Mann-Whitney U test (Wilcoxon rank-sum test) of a canary against its baseline, with the
 * Hodges–Lehmann estimate of the shift and its confidence interval, as R's
 * `wilcox.test(canary, baseline, conf.int = TRUE, conf.level = confidence)` computes them. Pure.
 *
 * Which p-value:
 * - **exact** when both samples have fewer than {@link EXACT_MAX_SIZE} (50) values and no value
 *   occurs twice in the pooled sample (R's rule): the null distribution of U is counted exactly
 *   (the rank-sum recurrence, at most 49·49·1,200 additions);
 * - **normal** otherwise: the normal approximation `z = (U − n1·n2/2 ∓ 0.5) / σ`, continuity
 *   corrected towards the mean, with the tie correction
 *   `σ² = n1·n2/12 · ((n + 1) − Σ(t³ − t) / (n·(n − 1)))` over the groups of `t` tied values.
 *   When every value is tied (σ = 0) the p-value is 1.
 *
 * The p-value is two-sided: `2·min(P(U ≤ u), P(U ≥ u))`, at most 1.
 *
 * The shift is estimated from the n1·n2 differences `canary_j − baseline_i` without building
 * them: both samples are sorted, the differences at most `t` are counted in one merge-like walk
 * (O(n1 + n2)), and an order statistic is found by narrowing a value bracket until it holds few
 * enough differences to list and select from. The Hodges–Lehmann estimate is their median (the
 * mean of the two middle ones for an even count); the confidence interval is
 * `[d(k), d(n1·n2 − k + 1)]`, the k-th smallest and k-th largest difference, where k is the
 * α/2 quantile of U (α = 1 − confidence): from the exact distribution when the p-value is exact
 * (R's `qwilcox`, at least 1), else `round(n1·n2/2 − z(1−α/2)·σ)` (at least 1), which is where
 * the continuity-corrected normal statistic crosses its critical value — the order statistic R's
 * root search converges to. With very small samples no interval reaches the confidence asked for
 * (R warns then); the widest one, from the smallest to the largest difference, is given. With
 * the normal approximation R's estimate is a root of the centred statistic (within its tolerance
 * of the median); here the estimate is always the median of the differences.
 *
 * Pure, but the exact distributions of the last few pairs of sample sizes are kept between
 * calls: they depend on the sizes only.
 */

/** The test's result; `u`, `hodgesLehmann` and `ci` describe the canary against the baseline. */
export interface MannWhitneyResult {
  /** U of the canary sample: pairs (baseline_i, canary_j) with canary_j > baseline_i, ties counting 1/2. */
  u: number;
  /** Two-sided p-value. */
  pValue: number;
  /**
   * `exact`: the exact null distribution of U (both samples under {@link EXACT_MAX_SIZE} values,
   * no ties); `normal`: the normal approximation with tie and continuity correction.
   */
  method: "exact" | "normal";
  /** Hodges–Lehmann estimate of the shift: median of canary_j − baseline_i. */
  hodgesLehmann: number;
  /**
   * Confidence interval of the shift at `confidence`: order statistics of the pairwise
   * differences at the U critical values, as R's `wilcox.test(conf.int = TRUE)`.
   */
  ci: [number, number];
  /** Baseline size. */
  n1: number;
  /** Canary size. */
  n2: number;
}

/** The exact p-value is used when both samples have fewer values than this and there are no ties (R's bound). */
export const EXACT_MAX_SIZE = 50;

/** The default confidence of the interval (Kayenta's). */
export const DEFAULT_CONFIDENCE = 0.98;

/**
 * Runs the two-sided Mann-Whitney U test of `canary` against `baseline` and estimates the shift
 * of the canary (Hodges–Lehmann) with its confidence interval. See the module's comment for
 * which p-value (exact or normal) is used when.
 *
 * @param confidence confidence of the interval, in (0, 1). @default 0.98
 * @throws RangeError when either sample is empty or holds a non-finite number, or confidence
 *   is outside (0, 1).
 */
export function mannWhitney(
  baseline: ArrayLike<number>,
  canary: ArrayLike<number>,
  confidence: number = DEFAULT_CONFIDENCE,
): MannWhitneyResult {
  checkConfidence(confidence);
  const a = sortedSample(baseline, "baseline");
  const c = sortedSample(canary, "canary");
  return mannWhitneySorted(a, c, confidence);
}

/**
 * {@link mannWhitney} on samples already sorted ascending, finite and non-empty (not checked),
 * for callers that sorted them anyway. The arrays are read, never changed.
 *
 * @throws RangeError when confidence is outside (0, 1).
 */
export function mannWhitneySorted(a: Float64Array, c: Float64Array, confidence: number): MannWhitneyResult {
  checkConfidence(confidence);
  const n1 = a.length;
  const n2 = c.length;
  const pairs = n1 * n2;
  const ranks = rankSums(a, c);
  const u = ranks.u;
  const alpha = 1 - confidence;
  const differences = new PairwiseDifferences(a, c);
  // U counts the pairs with canary > baseline (ties 1/2): the differences above 0.
  differences.hint(0, pairs - (ranks.u - ranks.equalPairs / 2));

  let pValue: number;
  let method: MannWhitneyResult["method"];
  let k: number;
  if (!ranks.ties && n1 < EXACT_MAX_SIZE && n2 < EXACT_MAX_SIZE) {
    method = "exact";
    const lower = lowerTailOfU(n1, n2);
    pValue = Math.min(1, 2 * lower.cdf(Math.min(u, pairs - u)));
    k = Math.max(1, lower.quantile(alpha / 2));
  } else {
    method = "normal";
    const n = n1 + n2;
    const variance = (pairs / 12) * (n + 1 - ranks.tieSum / (n * (n - 1)));
    const sigma = variance > 0 ? Math.sqrt(variance) : 0;
    const centred = u - pairs / 2;
    if (sigma === 0) {
      pValue = 1;
    } else {
      const z = (Math.abs(centred) - (centred === 0 ? 0 : 0.5)) / sigma;
      pValue = Math.min(1, erfc(z / Math.SQRT2));
    }
    const zq = normalQuantile(1 - alpha / 2);
    // Rounding with a small allowance, so a bound landing on an integer in exact arithmetic
    // does not move by one from rounding noise.
    k = Math.max(1, Math.floor(pairs / 2 + 0.5 - zq * sigma + 1e-9));
  }
  k = Math.min(k, Math.ceil(pairs / 2));

  const middle = Math.floor((pairs + 1) / 2);
  // The difference of the medians is usually close to the median of the differences.
  const low = differences.kth(middle, c[(n2 - 1) >> 1]! - a[(n1 - 1) >> 1]!);
  const hodgesLehmann = pairs % 2 === 1 ? low : midpoint(low, differences.next(low, middle));
  const ci: [number, number] = [differences.kth(k), differences.kth(pairs - k + 1)];
  return { u, pValue, method, hodgesLehmann, ci, n1, n2 };
}

function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be between 0 and 1 (exclusive), got ${confidence}`);
  }
}

/** A sample copied into a Float64Array and sorted ascending; refused when empty or non-finite. */
function sortedSample(values: ArrayLike<number>, name: string): Float64Array {
  const length = values.length;
  if (length === 0) throw new RangeError(`the ${name} sample is empty`);
  const sorted = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const value = values[i]!;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new RangeError(`the ${name} sample holds a non-finite value at index ${i}: ${value}`);
    }
    sorted[i] = value;
  }
  return sortAscending(sorted);
}

/** From this length on, {@link sortAscending} sorts by radix rather than by comparison. */
const RADIX_FROM = 2048;

/**
 * Sorts finite numbers ascending in place and returns the array. Long arrays are sorted by an
 * LSD radix sort on the bits of the doubles (four passes of 16 bits, a pass skipped when all
 * share its digit), several times faster than the built-in comparison sort; −0 comes before 0
 * as in the built-in one. NaN is not expected.
 */
export function sortAscending(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < RADIX_FROM) return values.sort();
  // Little-endian words: words[2i] is the low half of values[i], words[2i + 1] the high half.
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  // Keys whose unsigned order is the numbers' order: negative numbers have every bit flipped,
  // others only the sign bit.
  for (let i = 0; i < 2 * n; i += 2) {
    const high = words[i + 1]!;
    if (high >>> 31 === 1) {
      words[i + 1] = ~high;
      words[i] = ~words[i]!;
    } else {
      words[i + 1] = high | 0x80000000;
    }
  }
  const counts = new Uint32Array(4 * 65536);
  for (let i = 0; i < 2 * n; i += 2) {
    const low = words[i]!;
    const high = words[i + 1]!;
    counts[low & 0xffff]!++;
    counts[65536 + (low >>> 16)]!++;
    counts[131072 + (high & 0xffff)]!++;
    counts[196608 + (high >>> 16)]!++;
  }
  let from: Uint32Array = words;
  let to: Uint32Array = new Uint32Array(2 * n);
  for (let pass = 0; pass < 4; pass++) {
    const offset = pass * 65536;
    let sum = 0;
    let single = false;
    for (let digit = 0; digit < 65536; digit++) {
      const count = counts[offset + digit]!;
      if (count === n) single = true;
      counts[offset + digit] = sum;
      sum += count;
    }
    if (single) continue;
    const word = pass >> 1;
    const shift = (pass & 1) * 16;
    for (let i = 0; i < 2 * n; i += 2) {
      const at = 2 * counts[offset + ((from[i + word]! >>> shift) & 0xffff)]!++;
      to[at] = from[i]!;
      to[at + 1] = from[i + 1]!;
    }
    const swap = from;
    from = to;
    to = swap;
  }
  if (from !== words) words.set(from);
  for (let i = 0; i < 2 * n; i += 2) {
    const high = words[i + 1]!;
    if (high >>> 31 === 1) {
      words[i + 1] = high & 0x7fffffff;
    } else {
      words[i + 1] = ~high;
      words[i] = ~words[i]!;
    }
  }
  return values;
}

/** The mean of two numbers, halving first only when their sum overflows. */
function midpoint(x: number, y: number): number {
  const sum = x + y;
  return Number.isFinite(sum) ? sum / 2 : x / 2 + y / 2;
}

interface RankSums {
  /** U of the canary: Σ over canary values of (baseline values below + half the equal ones). */
  u: number;
  /** Whether a value occurs more than once in the pooled sample. */
  ties: boolean;
  /** Σ(t³ − t) over the groups of tied values of the pooled sample. */
  tieSum: number;
  /** How many (baseline, canary) pairs are equal. */
  equalPairs: number;
}

/** U of the canary and the tie groups, from one walk over the runs of equal canary values. */
function rankSums(a: Float64Array, c: Float64Array): RankSums {
  const n1 = a.length;
  const n2 = c.length;
  const cube = (t: number) => (t - 1) * t * (t + 1);
  // The baseline's own runs first; a run the canary shares is corrected below.
  let tieSum = 0;
  let run = 1;
  for (let i = 1; i <= n1; i++) {
    if (i < n1 && a[i] === a[i - 1]) {
      run++;
    } else {
      if (run > 1) tieSum += cube(run);
      run = 1;
    }
  }
  let u = 0;
  let equalPairs = 0;
  let i = 0;
  let j = 0;
  while (j < n2) {
    const value = c[j]!;
    const start = j;
    while (j < n2 && c[j] === value) j++;
    while (i < n1 && a[i]! < value) i++;
    let equal = 0;
    while (i + equal < n1 && a[i + equal] === value) equal++;
    const inCanary = j - start;
    u += inCanary * (i + equal / 2);
    equalPairs += inCanary * equal;
    // The pooled group of `value` holds both runs; the baseline's run alone was counted above.
    const group = inCanary + equal;
    if (group > 1) tieSum += cube(group) - (equal > 1 ? cube(equal) : 0);
  }
  return { u, ties: tieSum > 0, tieSum, equalPairs };
}

interface LowerTail {
  /** P(U ≤ q) under the null hypothesis, for q ≤ n1·n2/2. */
  cdf(q: number): number;
  /** The smallest q with P(U ≤ q) ≥ p (R's `qwilcox`), for p ≤ 1/2. */
  quantile(p: number): number;
}

/** Lower halves of exact distributions already counted, by sample sizes (the most recent few). */
const exactTails = new Map<number, Float64Array>();
const EXACT_TAILS_KEPT = 64;

/**
 * The lower half of the exact null distribution of U for samples of n1 and n2 values without
 * ties. Counts f(i, j, u), the orderings of i and j values with U = u, by the recurrence
 * f(i, j, u) = f(i − 1, j, u − j) + f(i, j − 1, u) (is the largest value one of the i or one of
 * the j?), adding j one at a time: only additions of positive numbers, so the counts (up to
 * C(98, 49) ≈ 2.5e28) keep their relative precision. The result depends on the sizes only, so
 * the last few are kept (as R keeps its counts): an analysis judges many metrics of one size.
 */
function lowerTailOfU(n1: number, n2: number): LowerTail {
  const m = Math.min(n1, n2);
  const n = Math.max(n1, n2);
  const half = Math.floor((m * n) / 2);
  const key = m * EXACT_MAX_SIZE + n;
  let cdf = exactTails.get(key);
  if (cdf === undefined) {
    cdf = countLowerTail(m, n, half);
    if (exactTails.size >= EXACT_TAILS_KEPT) exactTails.delete(exactTails.keys().next().value!);
    exactTails.set(key, cdf);
  }
  const tail = cdf;
  return {
    cdf: (q) => (q < 0 ? 0 : tail[Math.min(half, Math.floor(q))]!),
    quantile(p) {
      // R's allowance for rounding in the summed probabilities.
      const target = p - 10 * Number.EPSILON;
      for (let q = 0; q <= half; q++) if (tail[q]! >= target) return q;
      return half;
    },
  };
}

/** P(U ≤ u) for u = 0..half, samples of m ≤ n values. */
function countLowerTail(m: number, n: number, half: number): Float64Array {
  const width = half + 1;
  // Row i holds f(i, j, 0..half) for the current j.
  const table = new Float64Array((m + 1) * width);
  for (let i = 0; i <= m; i++) table[i * width] = 1;
  for (let j = 1; j <= n; j++) {
    for (let i = 1; i <= m; i++) {
      const row = i * width;
      const previous = (i - 1) * width;
      const top = Math.min(half, i * j);
      for (let u = top; u >= j; u--) table[row + u]! += table[previous + u - j]!;
    }
  }
  const counts = table.subarray(m * width, m * width + width);
  const cumulative = new Float64Array(width);
  let sum = 0;
  for (let u = 0; u < width; u++) {
    sum += counts[u]!;
    cumulative[u] = sum;
  }
  // The distribution is symmetric about m·n/2: the total is twice the lower half, less the
  // middle count when m·n is even (it was counted once).
  const total = (m * n) % 2 === 0 ? 2 * cumulative[half]! - counts[half]! : 2 * cumulative[half]!;
  for (let u = 0; u < width; u++) cumulative[u] = cumulative[u]! / total;
  return cumulative;
}

/**
 * Order statistics of the n1·n2 differences `c[j] − a[i]` of two sorted samples, without
 * building them. Every comparison uses the computed difference, so the counts and the listed
 * candidates agree exactly.
 *
 * An order statistic is found by counting the differences at most a pivot (one O(n1 + n2)
 * walk) and narrowing the bracket (lo, hi] that holds it until it holds few enough differences
 * to list and select from, or only copies of one value. Pivots come from the secant through the
 * two counts known nearest to the target (the differences' distribution is smooth), kept inside
 * the bracket, with bisection when that stalls; every count is remembered for the next order
 * statistic. Typically two to four walks per order statistic.
 */
class PairwiseDifferences {
  readonly #a: Float64Array;
  readonly #c: Float64Array;
  /** Space to list the differences of a narrow bracket; its size bounds what is listed. */
  readonly #scratch: Float64Array;
  /** After {@link count}: the largest difference at most t (−∞ when none). */
  #below = Number.NEGATIVE_INFINITY;
  /** After {@link count}: the smallest difference above t (+∞ when none). */
  #above = Number.POSITIVE_INFINITY;
  /** Every count so far, for brackets: a difference, how many are at most it, the next difference. */
  readonly #known: Array<{ value: number; count: number; next: number }> = [];
  /** Every count so far, for secants: a value and how many differences are at most it. */
  readonly #points: Array<{ value: number; count: number }> = [];
  /** After {@link kth}: the next order statistic when it came for free, else NaN. */
  #after = Number.NaN;

  constructor(a: Float64Array, c: Float64Array) {
    this.#a = a;
    this.#c = c;
    this.#scratch = new Float64Array(Math.min(a.length * c.length, Math.max(1024, a.length + c.length)));
  }

  /** Remembers how many differences are at most `value`, known otherwise (from U). */
  hint(value: number, count: number): void {
    if (count > 0 && count < this.#a.length * this.#c.length) this.#points.push({ value, count });
  }

  /**
   * How many differences are at most `t`, in one walk over both samples; also notes the
   * differences on either side of t (the nearest in each row are where the walk stops).
   */
  count(t: number): number {
    const a = this.#a;
    const c = this.#c;
    const n1 = a.length;
    const n2 = c.length;
    let total = 0;
    let below = Number.NEGATIVE_INFINITY;
    let above = Number.POSITIVE_INFINITY;
    let i = 0;
    // As c[j] grows, the first a[i] with c[j] − a[i] ≤ t moves right (or stays).
    for (let j = 0; j < n2; j++) {
      const cj = c[j]!;
      while (i < n1 && cj - a[i]! > t) i++;
      if (i > 0) {
        const over = cj - a[i - 1]!;
        if (over < above) above = over;
      }
      // Every later row lies above t too, and its smallest difference is larger than this one's.
      if (i === n1) break;
      const under = cj - a[i]!;
      if (under > below) below = under;
      total += n1 - i;
    }
    this.#below = below;
    this.#above = above;
    if (total > 0) this.#known.push({ value: below, count: total, next: above });
    this.hint(t, total);
    return total;
  }

  /**
   * The k-th smallest difference, 1 ≤ k ≤ n1·n2. `guess`, a value thought to be near it,
   * is counted first.
   */
  kth(k: number, guess?: number): number {
    const a = this.#a;
    const c = this.#c;
    const n1 = a.length;
    const n2 = c.length;
    this.#after = Number.NaN;
    // The bracket (lo, hi]: at most k − 1 differences up to lo (−∞ at first), at least k up to
    // hi; hi is a difference, and aboveLo is the first difference after lo.
    let lo = Number.NEGATIVE_INFINITY;
    let countLo = 0;
    let aboveLo = c[0]! - a[n1 - 1]!;
    let hi = c[n2 - 1]! - a[0]!;
    let countHi = n1 * n2;
    for (const point of this.#known) {
      if (point.count >= k) {
        if (point.count < countHi) {
          hi = point.value;
          countHi = point.count;
        }
      } else if (point.count > countLo) {
        lo = point.value;
        countLo = point.count;
        aboveLo = point.next;
      }
    }
    const capacity = this.#scratch.length;
    // Aiming a little past k on the side still far away leaves a bracket of about
    // capacity / 4 differences to list.
    const offset = Math.max(1, Math.floor(capacity / 8));
    // Secant steps that stop closing in on their target (flat stretches of the distribution)
    // make way for a bisection.
    let slow = 0;
    let miss = Number.POSITIVE_INFINITY;
    let pivot = guess;
    while (aboveLo < hi && countHi - countLo > capacity) {
      let target = k - 0.5;
      if (pivot === undefined) {
        if (countHi - k <= 2 * offset) target = k - offset;
        else if (k - countLo <= 2 * offset) target = k + offset;
        pivot = slow >= 2 ? Number.NaN : this.#secant(target);
      }
      if (!(pivot >= aboveLo && pivot < hi)) {
        // Bisection (from the first difference when there is no lower end yet).
        slow = 0;
        const from = lo === Number.NEGATIVE_INFINITY ? aboveLo : lo;
        pivot = from / 2 + hi / 2;
        if (!(pivot >= aboveLo && pivot < hi)) pivot = aboveLo;
      }
      const counted = this.count(pivot);
      pivot = undefined;
      if (counted >= k) {
        hi = this.#below;
        countHi = counted;
      } else {
        lo = this.#below;
        countLo = counted;
        aboveLo = this.#above;
      }
      const missed = Math.abs(counted - target);
      slow = missed > miss / 2 ? slow + 1 : 0;
      miss = missed;
    }
    if (aboveLo >= hi) {
      if (countHi > k) this.#after = hi;
      return hi;
    }
    return this.#select(lo, hi, k - countLo, countHi - countLo);
  }

  /** The difference after `value`, the k-th smallest of the last {@link kth}: the (k + 1)-th smallest. */
  next(value: number, k: number): number {
    if (!Number.isNaN(this.#after)) return this.#after;
    return this.count(value) > k ? value : this.#above;
  }

  /** Where the line through the two known counts nearest to `target` reaches it (NaN without two). */
  #secant(target: number): number {
    let first: { value: number; count: number } | undefined;
    let second: { value: number; count: number } | undefined;
    for (const point of this.#points) {
      const distance = Math.abs(point.count - target);
      if (first === undefined || distance < Math.abs(first.count - target)) {
        if (first !== undefined && first.count !== point.count && first.value !== point.value) second = first;
        first = point;
      } else if (
        point.count !== first.count &&
        point.value !== first.value &&
        (second === undefined || distance < Math.abs(second.count - target))
      ) {
        second = point;
      }
    }
    if (first === undefined || second === undefined) return Number.NaN;
    return (
      first.value + ((target - first.count) * (second.value - first.value)) / (second.count - first.count)
    );
  }

  /**
   * The r-th smallest of the `size` differences in (lo, hi], listed into the scratch space;
   * notes the (r + 1)-th when it is among them.
   */
  #select(lo: number, hi: number, r: number, size: number): number {
    const a = this.#a;
    const c = this.#c;
    const n1 = a.length;
    const list = this.#scratch;
    let listed = 0;
    let iHi = 0;
    let iLo = 0;
    for (let j = 0; j < c.length; j++) {
      const cj = c[j]!;
      while (iHi < n1 && cj - a[iHi]! > hi) iHi++;
      while (iLo < n1 && cj - a[iLo]! > lo) iLo++;
      for (let i = iHi; i < iLo; i++) list[listed++] = cj - a[i]!;
    }
    const value = quickselect(list, size, r - 1);
    // Selection leaves every later position at least the value: the next is their minimum.
    if (r < size) {
      let after = list[r]!;
      for (let i = r + 1; i < size; i++) if (list[i]! < after) after = list[i]!;
      this.#after = after;
    }
    return value;
  }
}

/** The element of rank `index` (0-based) among `list[0..size)`, reordering them (Hoare's selection). */
function quickselect(list: Float64Array, size: number, index: number): number {
  let left = 0;
  let right = size - 1;
  while (right > left) {
    // Median of three as the pivot: sorted input stays linear.
    const middle = (left + right) >>> 1;
    const x = list[left]!;
    const y = list[middle]!;
    const z = list[right]!;
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    let i = left;
    let j = right;
    while (i <= j) {
      while (list[i]! < pivot) i++;
      while (list[j]! > pivot) j--;
      if (i <= j) {
        const swap = list[i]!;
        list[i] = list[j]!;
        list[j] = swap;
        i++;
        j--;
      }
    }
    if (index <= j) right = j;
    else if (index >= i) left = i;
    else return list[index]!;
  }
  return list[index]!;
}

// W. J. Cody, "Rational Chebyshev approximations for the error function", Mathematics of
// Computation 23 (1969), 631–637: the coefficients of Netlib's SPECFUN CALERF, each published
// with 18 digits and written here as the shortest decimal of the double it rounds to (the same
// value at run time). Likewise the coefficients of AS 241 in normalQuantile.
const ERF_A = [
  3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315,
];
const ERF_B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
const ERFC_C = [
  0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769,
  1712.0476126340707, 2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8,
];
const ERFC_D = [
  15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597,
  4362.619090143247, 3439.3676741437216, 1230.3393548037495,
];
const ERFC_P = [
  0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275, 0.0006587491615298378,
  0.016315387137302097,
];
const ERFC_Q = [
  2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918,
];
const ONE_OVER_SQRT_PI = 0.5641895835477563;

/**
 * The complementary error function, erfc(x) = 1 − erf(x), by Cody's rational Chebyshev
 * approximations (relative error about 1e-15 over the whole range; 0 beyond x ≈ 26.5, where it
 * underflows). exp(−x²) is computed in two factors so its relative error stays at a few ulps in
 * the far tail.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y <= 0.46875) {
    const z = y > 1.11e-16 ? y * y : 0;
    let num = ERF_A[4]! * z;
    let den = z;
    for (let i = 0; i < 3; i++) {
      num = (num + ERF_A[i]!) * z;
      den = (den + ERF_B[i]!) * z;
    }
    return 1 - (x * (num + ERF_A[3]!)) / (den + ERF_B[3]!);
  }
  let scaled: number;
  if (y <= 4) {
    let num = ERFC_C[8]! * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + ERFC_C[i]!) * y;
      den = (den + ERFC_D[i]!) * y;
    }
    scaled = (num + ERFC_C[7]!) / (den + ERFC_D[7]!);
  } else if (y >= 26.543) {
    scaled = 0;
  } else {
    const z = 1 / (y * y);
    let num = ERFC_P[5]! * z;
    let den = z;
    for (let i = 0; i < 4; i++) {
      num = (num + ERFC_P[i]!) * z;
      den = (den + ERFC_Q[i]!) * z;
    }
    scaled = (ONE_OVER_SQRT_PI - (z * (num + ERFC_P[4]!)) / (den + ERFC_Q[4]!)) / y;
  }
  // y = whole + rest with whole a multiple of 1/16: whole² is exact and exp(−y²) keeps its precision.
  const whole = Math.trunc(y * 16) / 16;
  const rest = (y - whole) * (y + whole);
  const result = Math.exp(-whole * whole) * Math.exp(-rest) * scaled;
  return x < 0 ? 2 - result : result;
}

/** The standard normal distribution function Φ(z) = P(Z ≤ z), accurate in both tails. */
export function normalCdf(z: number): number {
  return erfc(-z / Math.SQRT2) / 2;
}

/**
 * The standard normal quantile Φ⁻¹(p), by M. J. Wichura's algorithm AS 241 (PPND16, Applied
 * Statistics 37 (1988), 477–484; relative error about 1e-16). −∞ at 0 and +∞ at 1.
 *
 * @throws RangeError when p is not in [0, 1].
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`a probability must be between 0 and 1, got ${p}`);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((2509.0809287301227 * r + 33430.57558358813) * r + 67265.7709270087) * r + 45921.95393154987) *
          r +
          13731.69376550946) *
          r +
          1971.5909503065513) *
          r +
          133.14166789178438) *
          r +
          3.3871328727963665)) /
      (((((((5226.495278852854 * r + 28729.085735721943) * r + 39307.89580009271) * r + 21213.794301586597) *
        r +
        5394.196021424751) *
        r +
        687.1870074920579) *
        r +
        42.31333070160091) *
        r +
        1)
    );
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value =
      (((((((0.0007745450142783414 * r + 0.022723844989269184) * r + 0.2417807251774506) * r +
        1.2704582524523684) *
        r +
        3.6478483247632045) *
        r +
        5.769497221460691) *
        r +
        4.630337846156546) *
        r +
        1.4234371107496835) /
      (((((((1.0507500716444169e-9 * r + 0.0005475938084995345) * r + 0.015198666563616457) * r +
        0.14810397642748008) *
        r +
        0.6897673349851) *
        r +
        1.6763848301838038) *
        r +
        2.053191626637759) *
        r +
        1);
  } else {
    r -= 5;
    value =
      (((((((2.0103343992922881e-7 * r + 0.000027115555687434876) * r + 0.0012426609473880784) * r +
        0.026532189526576124) *
        r +
        0.29656057182850487) *
        r +
        1.7848265399172913) *
        r +
        5.463784911164114) *
        r +
        6.657904643501103) /
      (((((((2.0442631033899397e-15 * r + 1.421511758316446e-7) * r + 0.000018463183175100548) * r +
        0.0007868691311456133) *
        r +
        0.014875361290850615) *
        r +
        0.1369298809227358) *
        r +
        0.599832206555888) *
        r +
        1);
  }
  return q < 0 ? -value : value;
}
