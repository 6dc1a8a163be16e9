import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../test/support/random.js";
import { type JudgeOptions, judgeMetric } from "./judge.js";
import { mannWhitney } from "./mann-whitney.js";

/** `n` latencies around `median` seconds (lognormal), from a seeded generator. */
function latencies(n: number, median: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from(
    { length: n },
    () => median * Math.exp(0.3 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())),
  );
}

const either: JudgeOptions = { direction: "either" };
const baseline = latencies(120, 0.2, 1);
const slower = latencies(120, 0.3, 2);
const faster = latencies(120, 0.13, 3);

describe("judgeMetric: nodata", () => {
  it("is nodata, with no numbers and a critical breach, when a side has no values", () => {
    for (const [b, c, says] of [
      [[], [1, 2], "the baseline has no values"],
      [[1, 2], [], "the canary has no values"],
      [[], [], "the baseline and the canary have no values"],
    ] as const) {
      const judgement = judgeMetric(b, c, either);
      expect(judgement).toMatchObject({
        verdict: "nodata",
        pValue: null,
        hodgesLehmann: null,
        ci: null,
        effectRatio: null,
        method: null,
        criticalBreach: true,
        counts: { baseline: b.length, canary: c.length },
      });
      expect(judgement.reason).toBe(`no data: ${says}`);
    }
  });

  it("removes NaN and infinite values first: a side of only NaN has no data", () => {
    const judgement = judgeMetric([Number.NaN, Number.NaN], [1, 2, 3], either);
    expect(judgement.verdict).toBe("nodata");
    expect(judgement.counts).toEqual({ baseline: 0, canary: 3 });
    expect(judgement.reason).toBe(
      "no data: the baseline has no values (non-finite values removed: 2 from the baseline)",
    );
  });

  it("judges what is left after removing non-finite values as if they had never been there", () => {
    const noisy = [...slower, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    const judgement = judgeMetric([Number.NaN, ...baseline], noisy, either);
    expect(judgement).toEqual(judgeMetric(baseline, slower, either));
    expect(judgement.counts).toEqual({ baseline: 120, canary: 120 });
  });
});

describe("judgeMetric: samples that trivially pass", () => {
  it("passes identical samples, in any order", () => {
    const judgement = judgeMetric(baseline, [...baseline].reverse(), either);
    expect(judgement.verdict).toBe("pass");
    expect(judgement.reason).toBe("the baseline and the canary hold the same values");
    expect(judgement.pValue).toBe(1);
    expect(judgement.hodgesLehmann).toBe(0);
    expect(judgement.effectRatio).toBeCloseTo(1, 12);
    expect(judgement.criticalBreach).toBe(false);
  });

  it("passes one value everywhere, whatever the sizes", () => {
    const judgement = judgeMetric([0.5, 0.5, 0.5], [0.5, 0.5], { direction: "increase" });
    expect(judgement).toMatchObject({
      verdict: "pass",
      pValue: 1,
      hodgesLehmann: 0,
      ci: [0, 0],
      effectRatio: 1,
      criticalBreach: false,
      reason: "every value of the baseline and the canary is 0.5",
    });
  });

  it("judges two different constants on their one difference: the interval is [d, d]", () => {
    const up = judgeMetric(Array(30).fill(1), Array(30).fill(2), either);
    expect(up).toMatchObject({
      verdict: "high",
      hodgesLehmann: 1,
      ci: [1, 1],
      effectRatio: 2,
      method: "normal",
    });
    expect(up.reason).toBe("canary higher: CI [1, 1] above +0.25 (25% of |HL| 1), mean ratio 2");
    const down = judgeMetric(Array(30).fill(2), Array(30).fill(1), either);
    expect(down).toMatchObject({ verdict: "low", hodgesLehmann: -1, ci: [-1, -1], effectRatio: 0.5 });
    expect(judgeMetric(Array(30).fill(1), Array(30).fill(2), { direction: "decrease" }).verdict).toBe("pass");
  });
});

describe("judgeMetric: the classifier", () => {
  it("calls a slower canary high, with the numbers of the Mann-Whitney test", () => {
    const judgement = judgeMetric(baseline, slower, either);
    const test = mannWhitney(baseline, slower);
    expect(judgement.verdict).toBe("high");
    expect(judgement).toMatchObject({
      pValue: test.pValue,
      hodgesLehmann: test.hodgesLehmann,
      ci: test.ci,
      method: "normal",
      counts: { baseline: 120, canary: 120 },
    });
    expect(judgement.ci![0]).toBeGreaterThan(0.25 * Math.abs(judgement.hodgesLehmann!));
    expect(judgement.effectRatio).toBeGreaterThan(1.3);
    expect(judgement.reason).toMatch(
      /^canary higher: CI \[0\.\d+, 0\.\d+\] above \+0\.0\d+ \(25% of \|HL\| 0\.\d+\), mean ratio 1\.\d+$/,
    );
  });

  it("calls a faster canary low", () => {
    const judgement = judgeMetric(baseline, faster, either);
    expect(judgement.verdict).toBe("low");
    expect(judgement.ci![1]).toBeLessThan(-0.25 * Math.abs(judgement.hodgesLehmann!));
    expect(judgement.reason).toMatch(/^canary lower: CI \[-0\.\d+, -0\.\d+\] below -0\.\d+/);
  });

  it("passes a change to the side the direction does not fail", () => {
    expect(judgeMetric(baseline, slower, { direction: "increase" }).verdict).toBe("high");
    const higher = judgeMetric(baseline, slower, { direction: "decrease" });
    expect(higher.verdict).toBe("pass");
    expect(higher.reason).toMatch(/^canary higher, but direction decrease fails only a decrease: /);
    expect(judgeMetric(baseline, faster, { direction: "decrease" }).verdict).toBe("low");
    const lower = judgeMetric(baseline, faster, { direction: "increase" });
    expect(lower.verdict).toBe("pass");
    expect(lower.reason).toMatch(/^canary lower, but direction increase fails only an increase: /);
  });

  it("passes a significant change smaller than the allowed effect size", () => {
    const judgement = judgeMetric(baseline, slower, {
      direction: "either",
      effectSize: { allowedIncrease: 2 },
    });
    expect(judgement.verdict).toBe("pass");
    expect(judgement.reason).toMatch(/^canary higher but under the allowed effect size: .* below 2$/);
    expect(
      judgeMetric(baseline, slower, { direction: "either", effectSize: { allowedIncrease: 1.2 } }).verdict,
    ).toBe("high");
    expect(
      judgeMetric(baseline, faster, { direction: "either", effectSize: { allowedDecrease: 0.5 } }).verdict,
    ).toBe("pass");
    expect(
      judgeMetric(baseline, faster, { direction: "either", effectSize: { allowedDecrease: 0.8 } }).verdict,
    ).toBe("low");
  });

  it("needs the interval to clear tolerance × |HL|, not only zero", () => {
    // 200 values spread over 0..1000 against the same shifted by 50: the interval [8, 92]
    // clears zero but not 25% of the shift's estimate 50.
    const wide = Array.from({ length: 200 }, (_, i) => (i * 997) % 1000);
    const shifted = wide.map((v) => v + 50);
    const test = mannWhitney(wide, shifted);
    expect(test.ci[0]).toBeGreaterThan(0);
    expect(test.ci[0]).toBeLessThan(0.25 * Math.abs(test.hodgesLehmann));
    expect(judgeMetric(wide, shifted, either).verdict).toBe("pass");
    expect(judgeMetric(wide, shifted, either).reason).toMatch(/^no significant difference: CI \[/);
    expect(judgeMetric(wide, shifted, { direction: "either", tolerance: 0 }).verdict).toBe("high");
  });

  it("uses the confidence asked for: a wider interval at 99.9% than at 80%", () => {
    const narrow = judgeMetric(baseline, slower, { direction: "either", confidence: 0.8 }).ci!;
    const wide = judgeMetric(baseline, slower, { direction: "either", confidence: 0.999 }).ci!;
    expect(wide[0]).toBeLessThan(narrow[0]);
    expect(wide[1]).toBeGreaterThan(narrow[1]);
  });

  it("passes samples drawn from one distribution", () => {
    const same = judgeMetric(latencies(200, 0.2, 5), latencies(200, 0.2, 6), either);
    expect(same.verdict).toBe("pass");
    expect(same.ci![0]).toBeLessThanOrEqual(0);
    expect(same.ci![1]).toBeGreaterThanOrEqual(0);
  });

  it("is high exactly when swapping the samples makes it low", () => {
    const sample = fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(sample, sample, (b, c) => {
        const forward = judgeMetric(b, c, either).verdict;
        const backward = judgeMetric(c, b, either).verdict;
        const mirrored = { high: "low", low: "high", pass: "pass", nodata: "nodata" } as const;
        expect(backward).toBe(mirrored[forward]);
      }),
    );
  });
});

describe("judgeMetric: critical breaches and the mean ratio", () => {
  it("breaches when the ratio reaches the critical effect size, which defaults to the allowed one", () => {
    const high = judgeMetric(baseline, slower, either);
    expect(high.criticalBreach).toBe(true);
    expect(high.reason).toMatch(/mean ratio 1\.\d+$/);
    const allowed = { direction: "either", effectSize: { allowedIncrease: 1.2 } } as const;
    expect(judgeMetric(baseline, slower, allowed).criticalBreach).toBe(true);
    const above = { direction: "either", effectSize: { allowedIncrease: 1.2, criticalIncrease: 3 } } as const;
    const ordinary = judgeMetric(baseline, slower, above);
    expect(ordinary.verdict).toBe("high");
    expect(ordinary.criticalBreach).toBe(false);
    expect(ordinary.reason).toMatch(/mean ratio 1\.\d+ \(within the critical effect size 3\)$/);
    // The faster canary's mean ratio is about 0.65.
    const low = { direction: "either", effectSize: { criticalDecrease: 0.8 } } as const;
    expect(judgeMetric(baseline, faster, low).verdict).toBe("low");
    expect(judgeMetric(baseline, faster, low).criticalBreach).toBe(true);
    expect(judgeMetric(baseline, faster, low).reason).toMatch(
      /\(at or beyond the critical effect size 0\.8\)$/,
    );
    expect(
      judgeMetric(baseline, faster, { ...low, effectSize: { criticalDecrease: 0.1 } }).criticalBreach,
    ).toBe(false);
  });

  it("never breaches on a pass", () => {
    expect(judgeMetric(baseline, baseline, either).criticalBreach).toBe(false);
    expect(judgeMetric(baseline, slower, { direction: "decrease" }).criticalBreach).toBe(false);
  });

  it("has no mean ratio when the baseline's mean is 0, and then lets the test alone decide", () => {
    // Errors per second: none on the baseline, some on the canary.
    const zeros = Array(40).fill(0);
    const errors = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 0 : 0.5 + (i % 3)));
    const judgement = judgeMetric(zeros, errors, {
      direction: "increase",
      effectSize: { allowedIncrease: 1.5, criticalIncrease: 2 },
    });
    expect(judgement.effectRatio).toBeNull();
    expect(judgement.verdict).toBe("high");
    expect(judgement.criticalBreach).toBe(true);
    expect(judgement.reason).toMatch(
      /no mean ratio \(baseline mean 0\) \(taken as beyond the critical effect size\)$/,
    );
  });

  it("refuses options it cannot judge with", () => {
    expect(() => judgeMetric([1], [2], { direction: "either", confidence: 1 })).toThrow(RangeError);
    expect(() => judgeMetric([1], [2], { direction: "either", tolerance: -0.1 })).toThrow(/tolerance/);
    expect(() => judgeMetric([1], [2], { direction: "either", tolerance: Number.NaN })).toThrow(/tolerance/);
    expect(() =>
      judgeMetric([1], [2], { direction: "either", effectSize: { allowedIncrease: Number.NaN } }),
    ).toThrow(/effectSize.allowedIncrease/);
  });
});
