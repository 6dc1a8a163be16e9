import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AnalysisLimits,
  analysisStatus,
  type Condition,
  InvalidConditionError,
  type JudgedMeasurement,
  type MeasurementOutcome,
  measure,
  type PrometheusResult,
  parseCondition,
  summarizeAnalysis,
} from "./prometheus-analysis.js";

function vector(...samples: Array<[Record<string, string>, number]>): PrometheusResult {
  return {
    resultType: "vector",
    series: samples.map(([labels, value]) => ({ labels, values: [[1700000000, value]] })),
    warnings: [],
  };
}

const empty: PrometheusResult = { resultType: "vector", series: [], warnings: [] };
const below = parseCondition("< 0.01");

function outcomes(...list: MeasurementOutcome[]) {
  return list.map((outcome) => ({ outcome }));
}

describe("parseCondition", () => {
  it.each([
    ["< 0.01", { op: "<", threshold: 0.01 }],
    ["<=1", { op: "<=", threshold: 1 }],
    ["  >= 0.95 ", { op: ">=", threshold: 0.95 }],
    ["> -5", { op: ">", threshold: -5 }],
    ["== 0", { op: "==", threshold: 0 }],
    ["!= 1e-3", { op: "!=", threshold: 0.001 }],
    ["< .5", { op: "<", threshold: 0.5 }],
  ])("reads %j", (text, expected) => {
    expect(parseCondition(text)).toEqual(expected);
  });

  it.each(["0.01", "< ", "< abc", "=< 1", "result < 0.01", "< 0.01 and > 0", "< NaN", "< +Inf", ""])(
    "refuses %j saying how to write one",
    (text) => {
      expect(() => parseCondition(text)).toThrow(InvalidConditionError);
      expect(() => parseCondition(text)).toThrow(
        `"${text}" is not a condition: write a comparison operator (<, <=, >, >=, ==, !=) and a number, such as < 0.01 or >= 0.95`,
      );
    },
  );
});

describe("measure", () => {
  it("succeeds when the one value satisfies the condition", () => {
    expect(measure(vector([{}, 0.004]), below, "inconclusive")).toEqual({
      outcome: "success",
      values: [0.004],
      worst: 0.004,
      sentence: "0.004 < 0.01",
    });
  });

  it("needs every value to satisfy it: one failing series fails the measurement and is named", () => {
    const verdict = measure(
      vector([{ code: "200" }, 0.001], [{ code: "500" }, 0.07], [{ code: "503" }, 0.02]),
      below,
      "inconclusive",
    );
    expect(verdict).toEqual({
      outcome: "failure",
      values: [0.001, 0.07, 0.02],
      worst: 0.07,
      sentence: '0.07 {code="500"} is not < 0.01 (2 of 3 values)',
    });
  });

  it("names the lowest value as the worst for a lower bound", () => {
    const verdict = measure(
      vector([{ pod: "a" }, 0.97], [{ pod: "b" }, 0.9]),
      parseCondition(">= 0.95"),
      "fail",
    );
    expect(verdict.outcome).toBe("failure");
    expect(verdict.sentence).toBe('0.9 {pod="b"} is not >= 0.95 (1 of 2 values)');
  });

  it("reports the value closest to the threshold when all pass", () => {
    const verdict = measure(vector([{ pod: "a" }, 0.001], [{ pod: "b" }, 0.009]), below, "inconclusive");
    expect(verdict).toMatchObject({
      outcome: "success",
      worst: 0.009,
      sentence: 'all 2 values < 0.01 (worst 0.009 {pod="b"})',
    });
  });

  it("is inconclusive for NaN (as Argo Rollouts is), not a success or a failure", () => {
    const verdict = measure(vector([{}, Number.NaN]), below, "pass");
    expect(verdict.outcome).toBe("inconclusive");
    expect(verdict.sentence).toBe("NaN cannot be compared with < 0.01");
  });

  it("lets a definite failure win over a NaN in another series", () => {
    const verdict = measure(vector([{ a: "1" }, Number.NaN], [{ a: "2" }, 0.5]), below, "inconclusive");
    expect(verdict.outcome).toBe("failure");
  });

  it("compares infinities as numbers", () => {
    expect(measure(vector([{}, Number.POSITIVE_INFINITY]), below, "inconclusive")).toMatchObject({
      outcome: "failure",
      sentence: "+Inf is not < 0.01",
    });
    expect(measure(vector([{}, Number.NEGATIVE_INFINITY]), below, "inconclusive").outcome).toBe("success");
  });

  it.each([
    ["pass", "success"],
    ["fail", "failure"],
    ["inconclusive", "inconclusive"],
  ] as const)("counts an empty result as noData says: %s → %s", (noData, outcome) => {
    expect(measure(empty, below, noData)).toEqual({
      outcome,
      values: [],
      worst: null,
      sentence: `no data (the query returned no series; noData: ${noData})`,
    });
  });

  it("judges every sample of a matrix and a scalar's single value", () => {
    const matrix: PrometheusResult = {
      resultType: "matrix",
      series: [
        {
          labels: {},
          values: [
            [1, 0.001],
            [2, 0.5],
          ],
        },
      ],
      warnings: [],
    };
    expect(measure(matrix, below, "inconclusive").outcome).toBe("failure");
    const scalar: PrometheusResult = {
      resultType: "scalar",
      series: [{ labels: {}, values: [[1, 0]] }],
      warnings: [],
    };
    expect(measure(scalar, below, "inconclusive")).toMatchObject({
      outcome: "success",
      sentence: "0 < 0.01",
    });
  });

  it("is inconclusive for a string result, which has no number to compare", () => {
    const text: PrometheusResult = {
      resultType: "string",
      series: [{ labels: {}, values: [[1, Number.NaN]] }],
      warnings: [],
    };
    expect(measure(text, below, "pass").outcome).toBe("inconclusive");
  });

  it("never rounds a value onto the other side of the threshold in its sentence", () => {
    expect(measure(vector([{}, 0.0099999996]), below, "fail").sentence).toBe("0.0099999996 < 0.01");
    expect(measure(vector([{}, 0.004166666667]), below, "fail").sentence).toBe("0.00416667 < 0.01");
  });

  it("succeeds exactly when every value satisfies the condition (property)", () => {
    const op = fc.constantFrom<Condition["op"]>("<", "<=", ">", ">=", "==", "!=");
    const value = fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(0, 1, -1));
    fc.assert(
      fc.property(
        op,
        fc.constantFrom(0, 1, -1, 0.5),
        fc.array(value, { minLength: 1, maxLength: 6 }),
        (o, t, vs) => {
          const condition: Condition = { op: o, threshold: t };
          const verdict = measure(
            vector(...vs.map((v, i): [Record<string, string>, number] => [{ i: String(i) }, v])),
            condition,
            "fail",
          );
          const all = vs.every((v) =>
            o === "<"
              ? v < t
              : o === "<="
                ? v <= t
                : o === ">"
                  ? v > t
                  : o === ">="
                    ? v >= t
                    : o === "=="
                      ? v === t
                      : v !== t,
          );
          expect(verdict.outcome).toBe(all ? "success" : "failure");
        },
      ),
    );
  });
});

/** The rows of the table in docs/design/gates.md, one test or more each. */
describe("analysisStatus", () => {
  const limits = (overrides: Partial<AnalysisLimits> = {}): AnalysisLimits => ({
    count: 3,
    failureLimit: 0,
    inconclusiveLimit: 0,
    ...overrides,
  });

  it("is running before the first measurement and until `count` measurements (count, interval)", () => {
    expect(analysisStatus([], limits())).toBe("running");
    expect(analysisStatus(outcomes("success", "success"), limits())).toBe("running");
    expect(analysisStatus(outcomes("success", "success", "success"), limits())).toBe("pass");
    expect(analysisStatus(outcomes("success"), limits({ count: 1 }))).toBe("pass");
  });

  it("fails as soon as failures exceed failureLimit (failureLimit: failed > limit → fail)", () => {
    expect(analysisStatus(outcomes("failure"), limits())).toBe("fail");
    expect(analysisStatus(outcomes("failure"), limits({ failureLimit: 1 }))).toBe("running");
    expect(analysisStatus(outcomes("failure", "success", "failure"), limits({ failureLimit: 1 }))).toBe(
      "fail",
    );
  });

  it("passes after count with failures within failureLimit (failureCondition is not separate)", () => {
    expect(analysisStatus(outcomes("success", "failure", "success"), limits({ failureLimit: 1 }))).toBe(
      "pass",
    );
  });

  it("is inconclusive once inconclusive measurements exceed inconclusiveLimit (NaN, no data)", () => {
    expect(analysisStatus(outcomes("inconclusive"), limits())).toBe("inconclusive");
    expect(analysisStatus(outcomes("inconclusive", "success"), limits({ inconclusiveLimit: 1 }))).toBe(
      "running",
    );
    expect(
      analysisStatus(outcomes("inconclusive", "success", "success"), limits({ inconclusiveLimit: 1 })),
    ).toBe("pass");
    expect(analysisStatus(outcomes("inconclusive", "inconclusive"), limits({ inconclusiveLimit: 1 }))).toBe(
      "inconclusive",
    );
  });

  it("ends in error once query errors exceed inconclusiveLimit (consecutiveErrorLimit)", () => {
    expect(analysisStatus(outcomes("error"), limits())).toBe("error");
    expect(analysisStatus(outcomes("error"), limits({ inconclusiveLimit: 1 }))).toBe("running");
    // Counted over the whole analysis, not only consecutive ones as Argo does.
    expect(analysisStatus(outcomes("error", "success", "error"), limits({ inconclusiveLimit: 1 }))).toBe(
      "error",
    );
  });

  it("does not count an error toward `count`: the gate measures again instead", () => {
    expect(analysisStatus(outcomes("success", "error", "success"), limits({ inconclusiveLimit: 1 }))).toBe(
      "running",
    );
    expect(
      analysisStatus(outcomes("success", "error", "success", "success"), limits({ inconclusiveLimit: 1 })),
    ).toBe("pass");
  });

  it("checks failure before inconclusive before error, as Argo's assessMetricStatus does", () => {
    expect(analysisStatus(outcomes("inconclusive", "failure"), limits())).toBe("fail");
    expect(analysisStatus(outcomes("error", "inconclusive"), limits())).toBe("inconclusive");
  });

  it("is decided early and never changes its mind once decided (property)", () => {
    const outcome = fc.constantFrom<MeasurementOutcome>("success", "failure", "inconclusive", "error");
    fc.assert(
      fc.property(
        fc.array(outcome, { maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 2 }),
        (list, count, failureLimit, inconclusiveLimit) => {
          const l = { count, failureLimit, inconclusiveLimit };
          // Replay as the gate does: stop at the first decided status.
          let taken = 0;
          let status = analysisStatus([], l);
          while (status === "running" && taken < list.length) {
            taken += 1;
            status = analysisStatus(outcomes(...list.slice(0, taken)), l);
          }
          // Bounded: errors stop at inconclusiveLimit + 1, the rest at count.
          expect(taken).toBeLessThanOrEqual(count + inconclusiveLimit);
          if (status === "pass") {
            const judged = list.slice(0, taken).filter((o) => o !== "error").length;
            expect(judged).toBe(count);
          }
        },
      ),
    );
  });
});

describe("summarizeAnalysis", () => {
  const limits: AnalysisLimits = { count: 3, failureLimit: 0, inconclusiveLimit: 0 };
  const m = (outcome: MeasurementOutcome, worst: number | null, sentence = ""): JudgedMeasurement => ({
    outcome,
    worst,
    sentence,
  });

  it("says the worst value, how many measurements and the verdict on one line", () => {
    expect(
      summarizeAnalysis(
        [m("success", 0.003), m("success", 0.004), m("success", 0.001)],
        "pass",
        below,
        limits,
      ),
    ).toBe("0.004 < 0.01 in 3 of 3 measurements: pass");
    expect(summarizeAnalysis([m("failure", 0.07)], "fail", below, limits)).toBe(
      "0.07 is not < 0.01 in 1 of 1 measurement (failureLimit 0): fail",
    );
  });

  it("names what a pass tolerated", () => {
    const line = summarizeAnalysis(
      [
        m("success", 0.001),
        m("failure", 0.5),
        m("error", null, "Prometheus at x unreachable"),
        m("success", 0.002),
        m("success", 0.003),
      ],
      "pass",
      below,
      { count: 4, failureLimit: 1, inconclusiveLimit: 1 },
    );
    expect(line).toBe(
      "0.003 < 0.01 in 3 of 5 measurements; tolerated 1 failed (failureLimit 1), 1 query error (inconclusiveLimit 1): pass",
    );
  });

  it("explains an inconclusive verdict with the measurement's reason", () => {
    expect(
      summarizeAnalysis(
        [m("inconclusive", null, "no data (the query returned no series; noData: inconclusive)")],
        "inconclusive",
        below,
        limits,
      ),
    ).toBe(
      "no data (the query returned no series; noData: inconclusive) in 1 of 1 measurement (inconclusiveLimit 0): inconclusive",
    );
  });

  it("gives the query's error for an error verdict", () => {
    expect(
      summarizeAnalysis(
        [
          m(
            "error",
            null,
            "Prometheus at http://p/api/v1/query answered 400 Bad Request: bad_data: parse error",
          ),
        ],
        "error",
        below,
        limits,
      ),
    ).toBe(
      "query failed in 1 of 1 measurement (inconclusiveLimit 0): Prometheus at http://p/api/v1/query answered 400 Bad Request: bad_data: parse error: error",
    );
  });

  it("uses the no-data sentence when a pass or fail came from noData", () => {
    expect(
      summarizeAnalysis(
        [m("failure", null, "no data (the query returned no series; noData: fail)")],
        "fail",
        below,
        limits,
      ),
    ).toBe(
      "no data (the query returned no series; noData: fail) in 1 of 1 measurement (failureLimit 0): fail",
    );
  });
});
