import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../test/support/random.js";
import {
  EXACT_MAX_SIZE,
  erfc,
  type MannWhitneyResult,
  mannWhitney,
  normalCdf,
  normalQuantile,
  sortAscending,
} from "./mann-whitney.js";

/** Standard normal draws (Box–Muller) from a seeded generator. */
function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** +0 for −0, so results can be compared with toBe / toEqual after a negation. */
const plain = (x: number) => (x === 0 ? 0 : x);

/**
 * The test the slow way, from the definitions: U by comparing every pair, the n1·n2 differences
 * built and sorted, the exact null distribution by a memoised recursion over who holds the
 * largest value, ties from a table of the pooled values. The fast code shares none of this.
 */
function bruteForce(baseline: number[], canary: number[], confidence = 0.98): MannWhitneyResult {
  const n1 = baseline.length;
  const n2 = canary.length;
  const pairs = n1 * n2;
  let u = 0;
  const differences = new Float64Array(pairs);
  let at = 0;
  for (const b of baseline) {
    for (const c of canary) {
      u += c > b ? 1 : c === b ? 0.5 : 0;
      differences[at++] = c - b;
    }
  }
  differences.sort();
  const hodgesLehmann =
    pairs % 2 === 1
      ? differences[(pairs - 1) / 2]!
      : (differences[pairs / 2 - 1]! + differences[pairs / 2]!) / 2;
  const table = new Map<number, number>();
  for (const value of [...baseline, ...canary]) table.set(value, (table.get(value) ?? 0) + 1);
  const ties = [...table.values()].some((t) => t > 1);
  const alpha = 1 - confidence;
  let pValue: number;
  let k: number;
  let method: "exact" | "normal";
  if (!ties && n1 < 50 && n2 < 50) {
    method = "exact";
    const memo = new Map<number, number>();
    const ways = (i: number, j: number, w: number): number => {
      if (w < 0) return 0;
      if (i === 0 || j === 0) return w === 0 ? 1 : 0;
      const key = (i * 64 + j) * 4096 + w;
      let value = memo.get(key);
      if (value === undefined) {
        // The largest value is one of the i (it beats all j) or one of the j.
        value = ways(i - 1, j, w - j) + ways(i, j - 1, w);
        memo.set(key, value);
      }
      return value;
    };
    const all = Array.from({ length: pairs + 1 }, (_, w) => ways(n2, n1, w));
    const total = all.reduce((s, x) => s + x, 0);
    const below = (q: number) => all.slice(0, q + 1).reduce((s, x) => s + x, 0) / total;
    const above = (q: number) => all.slice(q).reduce((s, x) => s + x, 0) / total;
    pValue = Math.min(1, 2 * Math.min(below(u), above(u)));
    k = 0;
    while (below(k) < alpha / 2 - 1e-15) k++;
    k = Math.max(1, k);
  } else {
    method = "normal";
    const n = n1 + n2;
    let tieSum = 0;
    for (const t of table.values()) tieSum += t ** 3 - t;
    const sigma = Math.sqrt(Math.max(0, (pairs / 12) * (n + 1 - tieSum / (n * (n - 1)))));
    const centred = u - pairs / 2;
    const z = sigma === 0 ? 0 : (centred - Math.sign(centred) * 0.5) / sigma;
    pValue = sigma === 0 ? 1 : Math.min(1, 2 * Math.min(normalCdf(z), normalCdf(-z)));
    k = Math.max(1, Math.floor(pairs / 2 + 0.5 - normalQuantile(1 - alpha / 2) * sigma + 1e-9));
  }
  return {
    u,
    pValue,
    method,
    hodgesLehmann,
    ci: [differences[k - 1]!, differences[pairs - k]!],
    n1,
    n2,
  };
}

function expectSameResult(fast: MannWhitneyResult, slow: MannWhitneyResult): void {
  expect(fast.u).toBe(slow.u);
  expect(fast.method).toBe(slow.method);
  expect(fast.hodgesLehmann).toBe(slow.hodgesLehmann);
  expect(fast.ci).toEqual(slow.ci);
  expect(fast.pValue).toBeCloseTo(slow.pValue, 12);
  expect(Math.abs(fast.pValue - slow.pValue)).toBeLessThanOrEqual(1e-12 * slow.pValue + 1e-300);
}

describe("mannWhitney: textbook examples", () => {
  // Hollander & Wolfe, Nonparametric Statistical Methods (1973), p. 69: permeability constants of
  // the human chorioamnion at term (x) and at 12 to 26 weeks (y); the example of R's
  // ?wilcox.test. R: wilcox.test(x, y, alternative = "greater") gives W = 35, p = 0.1272, and
  // wilcox.test(x, y, conf.int = TRUE) gives p = 0.2544, the 95% interval [-0.15, 0.76] and the
  // difference in location 0.305.
  const atTerm = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
  const early = [1.15, 0.88, 0.9, 0.74, 1.21];

  it("reproduces R's wilcox.test on Hollander & Wolfe's permeability data", () => {
    const result = mannWhitney(early, atTerm, 0.95);
    expect(result.u).toBe(35);
    expect(result.method).toBe("exact");
    // P(U ≥ 35) = 382 of the C(15, 5) = 3003 equally likely arrangements.
    expect(result.pValue).toBeCloseTo(764 / 3003, 14);
    expect(result.pValue).toBeCloseTo(0.2544, 4);
    expect(result.hodgesLehmann).toBeCloseTo(0.305, 12);
    expect(result.ci[0]).toBeCloseTo(-0.15, 12);
    expect(result.ci[1]).toBeCloseTo(0.76, 12);
    expect([result.n1, result.n2]).toEqual([5, 10]);
  });

  it("counts the same tail by listing all 3003 arrangements of the pooled ranks", () => {
    // Which 5 of the 15 ranks the early sample holds; U of the other 10 for each choice.
    let atLeast35 = 0;
    let total = 0;
    const choose = (start: number, left: number, held: number[]) => {
      if (left === 0) {
        total++;
        let u = 0;
        for (let rank = 0; rank < 15; rank++) {
          if (held.includes(rank)) continue;
          u += held.filter((h) => h < rank).length;
        }
        if (u >= 35) atLeast35++;
        return;
      }
      for (let rank = start; rank <= 15 - left; rank++) choose(rank + 1, left - 1, [...held, rank]);
    };
    choose(0, 5, []);
    expect(total).toBe(3003);
    expect(atLeast35).toBe(382);
    expect(mannWhitney(early, atTerm).pValue).toBeCloseTo((2 * atLeast35) / total, 14);
  });

  it("works a 3-against-3 example by hand", () => {
    // U = 9: every canary value beats every baseline value. Of the C(6, 3) = 20 orderings, U's
    // counts are 1, 1, 2, 3, 3, 3, 3, 2, 1, 1 for U = 0..9: P(U ≥ 9) = 1/20, two-sided 0.1.
    // Differences: 1, 2, 2, 3, 3, 3, 4, 4, 5, median 3.
    const result = mannWhitney([1, 2, 3], [4, 5, 6], 0.7);
    expect(result).toEqual({
      u: 9,
      pValue: 0.1,
      method: "exact",
      hodgesLehmann: 3,
      ci: [2, 4],
      n1: 3,
      n2: 3,
    });
    // α/2 = 0.15: P(U ≤ 2) = 0.2 is the first at least 0.15, so the interval is d(2) to d(8).
    // At 98% no interval reaches the confidence (P(U ≤ 0) = 0.05 > 0.01): R's widest, d(1) to d(9).
    expect(mannWhitney([1, 2, 3], [4, 5, 6]).ci).toEqual([1, 5]);
    // α/2 = 0.1: P(U ≤ 1) = 0.1, so d(1) to d(9) as well.
    expect(mannWhitney([1, 2, 3], [4, 5, 6], 0.8).ci).toEqual([1, 5]);
  });

  it("uses the normal approximation with the tie correction when values repeat", () => {
    // Baseline 1 2 2 3 3 3, canary 3 4 4 5 5 5. U = 4.5 (the 3: three below, three tied) + 2·6
    // + 3·6 = 34.5, against a mean of 18. Tie groups of 2, 4 (the 3s), 2 and 3 values:
    // Σ(t³ − t) = 6 + 60 + 6 + 24 = 96, so σ² = 36/12 · (13 − 96/132) = 36.8181…, and
    // z = (34.5 − 18 − 0.5)/σ = 2.636870573…; p = erfc(z/√2) = 0.0083674750401124
    // (mpmath at 30 digits; scipy's mannwhitneyu and R's wilcox.test(exact = FALSE) agree).
    const result = mannWhitney([1, 2, 2, 3, 3, 3], [3, 4, 4, 5, 5, 5]);
    expect(result.method).toBe("normal");
    expect(result.u).toBe(34.5);
    expect(result.pValue).toBeCloseTo(0.00836747504011242, 15);
    expect(result.hodgesLehmann).toBe(2);
    // The 36 differences: 0 three times, 1 eight times, 2 fourteen, 3 eight, 4 three; their
    // median is 2. k = ⌊18 + 0.5 − 2.3263·6.0678⌋ = 4: the 4th smallest (1) and largest (3).
    expect(result.ci).toEqual([1, 3]);
  });

  it("gives p = 1, a zero shift and the interval [0, 0] for identical constant samples", () => {
    const result = mannWhitney([5, 5, 5], [5, 5, 5, 5]);
    expect(result).toEqual({ u: 6, pValue: 1, method: "normal", hodgesLehmann: 0, ci: [0, 0], n1: 3, n2: 4 });
  });

  it("puts the interval on the one difference of two different constants", () => {
    // U = 12 of 12; tie groups of 3 and 4: σ² = 12/12 · (8 − (24 + 60)/42) = 6, z = 5.5/√6,
    // p = erfc(z/√2) = 0.024744672046398956 (mpmath).
    const result = mannWhitney([2, 2, 2], [3, 3, 3, 3]);
    expect(result.u).toBe(12);
    expect(result.pValue).toBeCloseTo(0.024744672046398956, 15);
    expect(result.hodgesLehmann).toBe(1);
    expect(result.ci).toEqual([1, 1]);
    expect(mannWhitney([3, 3, 3, 3], [2, 2, 2]).ci).toEqual([-1, -1]);
  });

  it("treats identical samples as no shift at all", () => {
    const values = [3.1, 4.1, 5.9, 2.6, 5.3, 5.8, 9.7, 9.3];
    const result = mannWhitney(values, [...values].reverse());
    expect(result.u).toBe(32);
    expect(result.pValue).toBe(1);
    expect(result.hodgesLehmann).toBe(0);
    expect(result.ci[0]).toBeLessThan(0);
    expect(result.ci[1]).toBeGreaterThan(0);
  });
});

describe("mannWhitney: exact or normal", () => {
  const distinct = (n: number, offset: number) => Array.from({ length: n }, (_, i) => 2 * i + offset);

  it(`is exact below ${EXACT_MAX_SIZE} values a side without ties, normal from ${EXACT_MAX_SIZE} on`, () => {
    expect(mannWhitney(distinct(49, 0), distinct(49, 1)).method).toBe("exact");
    expect(mannWhitney(distinct(50, 0), distinct(10, 1)).method).toBe("normal");
    expect(mannWhitney(distinct(10, 0), distinct(50, 1)).method).toBe("normal");
    expect(mannWhitney([1, 2, 3], [3, 4, 5]).method).toBe("normal");
  });

  it("keeps tiny exact p-values (49 against 49, complete separation)", () => {
    // P(U = 49·49) = 1 / C(98, 49).
    let choose = 1;
    for (let i = 1; i <= 49; i++) choose = (choose * (49 + i)) / i;
    const result = mannWhitney(distinct(49, 0), distinct(49, 1000));
    expect(result.pValue / (2 / choose)).toBeCloseTo(1, 10);
    expect(result.pValue).toBeLessThan(1e-27);
  });

  it("refuses empty samples, non-finite values and a confidence outside (0, 1)", () => {
    expect(() => mannWhitney([], [1])).toThrow(RangeError);
    expect(() => mannWhitney([1], [])).toThrow(/canary sample is empty/);
    expect(() => mannWhitney([1, Number.NaN], [1])).toThrow(
      /baseline sample holds a non-finite value at index 1/,
    );
    expect(() => mannWhitney([1], [Number.POSITIVE_INFINITY])).toThrow(RangeError);
    for (const confidence of [0, 1, -0.5, 1.5, Number.NaN]) {
      expect(() => mannWhitney([1, 2], [3, 4], confidence)).toThrow(/confidence must be between 0 and 1/);
    }
  });

  it("takes typed arrays as well as arrays, and leaves its input unsorted", () => {
    const baseline = new Float64Array([3, 1, 2]);
    expect(mannWhitney(baseline, [6, 4, 5])).toEqual(mannWhitney([1, 2, 3], [4, 5, 6]));
    expect([...baseline]).toEqual([3, 1, 2]);
  });
});

describe("mannWhitney against the brute force", () => {
  const distinctSplit = fc
    .uniqueArray(fc.integer({ min: -5000, max: 5000 }), { minLength: 2, maxLength: 36 })
    .chain((values) =>
      fc.integer({ min: 1, max: values.length - 1 }).map((cut) => ({
        baseline: values.slice(0, cut).map((v) => v / 8),
        canary: values.slice(cut).map((v) => v / 8 + 3),
      })),
    );

  it("agrees without ties (exact p-value)", () => {
    fc.assert(
      fc.property(
        distinctSplit,
        fc.constantFrom(0.8, 0.9, 0.95, 0.98, 0.99),
        ({ baseline, canary }, confidence) => {
          expectSameResult(
            mannWhitney(baseline, canary, confidence),
            bruteForce(baseline, canary, confidence),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it("agrees with ties (normal approximation)", () => {
    const tied = fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(tied, tied, (baseline, canary) => {
        expectSameResult(mannWhitney(baseline, canary), bruteForce(baseline, canary));
      }),
      { numRuns: 200 },
    );
  });

  it("agrees on larger samples of doubles of any magnitude (normal approximation)", () => {
    const values = (minLength: number) =>
      fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength, maxLength: 120 });
    fc.assert(
      fc.property(values(EXACT_MAX_SIZE), values(1), (baseline, canary) => {
        expectSameResult(mannWhitney(baseline, canary), bruteForce(baseline, canary));
      }),
      { numRuns: 60 },
    );
  });

  it("agrees on 1,500 against 1,500 values, where the order statistics are found by narrowing", () => {
    const random = seededRandom(20261127);
    const normal = gaussian(random);
    const baseline = Array.from({ length: 1500 }, () => Math.exp(3 + 0.6 * normal()));
    const canary = Array.from({ length: 1500 }, () => 1.05 * Math.exp(3 + 0.6 * normal()));
    expectSameResult(mannWhitney(baseline, canary), bruteForce(baseline, canary));
    // Whole milliseconds: a handful of values repeated thousands of times.
    const rounded = (values: number[]) => values.map((v) => Math.round(v / 10));
    expectSameResult(
      mannWhitney(rounded(baseline), rounded(canary)),
      bruteForce(rounded(baseline), rounded(canary)),
    );
  });

  it("is antisymmetric: swapping the samples negates the shift and its interval, keeps p", () => {
    const sample = fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 70 });
    fc.assert(
      fc.property(sample, sample, (baseline, canary) => {
        const forward = mannWhitney(baseline, canary);
        const backward = mannWhitney(canary, baseline);
        expect(backward.u).toBe(baseline.length * canary.length - forward.u);
        expect(backward.pValue).toBe(forward.pValue);
        expect(backward.method).toBe(forward.method);
        expect(plain(backward.hodgesLehmann)).toBe(plain(-forward.hodgesLehmann));
        expect(backward.ci.map(plain)).toEqual([plain(-forward.ci[1]), plain(-forward.ci[0])]);
      }),
    );
  });
});

describe("mannWhitney on large samples", () => {
  it("finds a known shift of 0.1 between 20,000 normal values a side", () => {
    const normal = gaussian(seededRandom(7));
    const baseline = Array.from({ length: 20_000 }, () => normal());
    const canary = Array.from({ length: 20_000 }, () => normal() + 0.1);
    const result = mannWhitney(baseline, canary);
    expect(result.method).toBe("normal");
    // The shift's standard error is about √(π/3)·√(2/20000) ≈ 0.01.
    expect(Math.abs(result.hodgesLehmann - 0.1)).toBeLessThan(0.04);
    expect(result.ci[0]).toBeLessThan(0.1);
    expect(result.ci[1]).toBeGreaterThan(0.1);
    expect(result.ci[1] - result.ci[0]).toBeLessThan(0.07);
    expect(result.pValue).toBeLessThan(1e-10);
  });

  it("finds no shift between two samples of one lognormal distribution (100,000 a side)", () => {
    const normal = gaussian(seededRandom(11));
    const draw = () => Math.exp(-2 + 0.8 * normal());
    const result = mannWhitney(Array.from({ length: 100_000 }, draw), Array.from({ length: 100_000 }, draw));
    expect(result.ci[0]).toBeLessThan(0);
    expect(result.ci[1]).toBeGreaterThan(0);
    expect(result.pValue).toBeGreaterThan(1e-3);
  });
});

describe("normal distribution functions", () => {
  // Reference values from mpmath at 50 digits (as the nearest doubles).
  it.each([
    [0.1, 0.887537083981715],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [2, 0.004677734981047266],
    [3, 0.00002209049699858544],
    [4.5, 1.9661604415428876e-10],
    [5, 1.537459794428035e-12],
    [10, 2.088487583762545e-45],
    [20, 5.395865611607901e-176],
    [-1, 1.8427007929497148],
  ])("erfc(%s) = %s to 1e-14 relative", (x, expected) => {
    expect(Math.abs(erfc(x) - expected) / expected).toBeLessThan(1e-14);
  });

  it("makes two-sided p-values down to 1e-12 accurate: Φ(−7.034483825301132) = 1e-12", () => {
    expect(Math.abs(normalCdf(-7.034483825301132) - 1e-12) / 1e-12).toBeLessThan(1e-13);
    expect(normalCdf(0)).toBe(0.5);
    expect(erfc(Number.NaN)).toBeNaN();
    expect(erfc(30)).toBe(0);
    expect(erfc(-30)).toBe(2);
  });

  it.each([
    [1e-100, -21.273453560965326],
    [1e-12, -7.034483825301132],
    [0.01, -2.326347874040841],
    [0.025, -1.9599639845400543],
    [0.975, 1.9599639845400538],
    [0.99, 2.3263478740408408],
  ])("normalQuantile(%s) = %s to 1e-14 relative", (p, expected) => {
    expect(Math.abs(normalQuantile(p) - expected) / Math.abs(expected)).toBeLessThan(1e-14);
  });

  it("inverts the distribution function and has infinite ends", () => {
    fc.assert(
      fc.property(fc.double({ min: -30, max: 3, noNaN: true }), (z) => {
        expect(normalQuantile(normalCdf(z))).toBeCloseTo(z, 8);
      }),
    );
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
  });
});

describe("sortAscending", () => {
  it("sorts as the built-in sort does, short and long arrays, negative numbers and −0 included", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true }), { maxLength: 5000 }),
        fc.integer({ min: 0, max: 3000 }),
        (values, padding) => {
          // Padding with copies of one value crosses the radix threshold and makes whole passes skip.
          const input = Float64Array.from([...values, ...Array.from({ length: padding }, () => 1.5)]);
          const expected = Float64Array.from(input).sort();
          const text = (x: number) => (Object.is(x, -0) ? "-0" : String(x));
          expect([...sortAscending(input)].map(text)).toEqual([...expected].map(text));
        },
      ),
      { numRuns: 40 },
    );
    const signed = Float64Array.from({ length: 4096 }, (_, i) => (i % 2 === 0 ? 0 : -0));
    const sorted = sortAscending(signed);
    expect(Object.is(sorted[0], -0)).toBe(true);
    expect(Object.is(sorted[4095], 0)).toBe(true);
  });
});
