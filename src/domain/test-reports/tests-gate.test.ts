import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type JunitCase, type JunitReport, type JunitStatus, parseJunit } from "./junit.js";
import { evaluateTestsGate, formatWaiting, quarantineMatcher, type TestsGateInput } from "./tests-gate.js";

type CaseSpec = [classname: string, name: string, status: JunitStatus, message?: string];

function report(suite: string, specs: readonly CaseSpec[]): JunitReport {
  const cases: JunitCase[] = specs.map(([classname, name, status, message]) => ({
    suite,
    classname,
    name,
    status,
    durationMs: 1,
    message: message ?? null,
    reruns: status === "flaky" ? 1 : 0,
  }));
  const count = (status: JunitStatus) => cases.filter((c) => c.status === status).length;
  return {
    suite,
    tests: cases.length,
    passed: count("passed"),
    failed: count("failed"),
    errored: count("errored"),
    skipped: count("skipped"),
    flaky: count("flaky"),
    durationMs: cases.length,
    cases,
    truncated: false,
  };
}

function many(n: number, status: JunitStatus, classname = "com.x.OrderTest"): CaseSpec[] {
  return Array.from(
    { length: n },
    (_, i): CaseSpec => [classname, `${status}${i}`, status, `${status} ${i}`],
  );
}

const gate = (over: Partial<TestsGateInput> = {}): TestsGateInput => ({
  minPassRate: 1,
  suites: [],
  quarantine: [],
  ...over,
});

describe("evaluateTestsGate: the pass rate", () => {
  it("passes at exactly the minimum and fails just under it", () => {
    const at = evaluateTestsGate(gate({ minPassRate: 0.98 }), [
      report("unit", [...many(49, "passed"), ...many(1, "failed")]),
    ]);
    expect(at).toMatchObject({
      status: "passed",
      passRate: 0.98,
      counted: { passed: 49, failed: 1, errored: 0 },
    });

    const under = evaluateTestsGate(gate({ minPassRate: 0.98 }), [
      report("unit", [...many(97, "passed"), ...many(2, "errored")]),
    ]);
    expect(under.status).toBe("failed");
    expect(under.passRate).toBeCloseTo(97 / 99);
    expect(under.output.split("\n")[0]).toBe("pass rate 97.98% (97 of 99), minimum 98%: failed");
  });

  it("never shows a failing rate rounded up to the minimum", () => {
    const verdict = evaluateTestsGate(gate({ minPassRate: 0.98 }), [
      report("unit", [...many(24_499, "passed"), ...many(501, "failed")]),
    ]);
    expect(verdict.status).toBe("failed");
    // 97.996% would print as 98.00% with two decimals.
    expect(verdict.output).toMatch(/^pass rate 97\.996% \(24499 of 25000\), minimum 98%: failed\n/);
  });

  it("leaves skipped tests out of the rate", () => {
    const verdict = evaluateTestsGate(gate(), [
      report("unit", [...many(3, "passed"), ...many(5, "skipped")]),
    ]);
    expect(verdict).toMatchObject({ status: "passed", passRate: 1, skipped: 5 });
  });

  it("counts a flaky test as passed and lists it", () => {
    const verdict = evaluateTestsGate(gate(), [
      report("unit", [...many(3, "passed"), ["com.x.PaymentIT", "retries", "flaky", "Connection reset"]]),
    ]);
    expect(verdict).toMatchObject({
      status: "passed",
      passRate: 1,
      counted: { passed: 4, failed: 0, errored: 0 },
    });
    expect(verdict.flaky.map((c) => c.name)).toEqual(["retries"]);
    expect(verdict.output).toContain(
      "flaky, counted as passed (1):\n  com.x.PaymentIT.retries: passed after 1 failed run — Connection reset",
    );
  });

  it("fails when no test ran, unless the minimum is 0", () => {
    const skippedOnly = [report("unit", many(4, "skipped"))];
    const verdict = evaluateTestsGate(gate({ minPassRate: 0.5 }), skippedOnly);
    expect(verdict).toMatchObject({
      status: "failed",
      passRate: null,
      counted: { passed: 0, failed: 0, errored: 0 },
    });
    expect(verdict.output).toMatch(/^no test ran/);
    expect(evaluateTestsGate(gate({ minPassRate: 0 }), skippedOnly).status).toBe("passed");
    expect(evaluateTestsGate(gate({ minPassRate: 0.5 }), [report("unit", [])]).status).toBe("failed");
  });

  it("lists each failure as classname.name: message, at most 50", () => {
    const verdict = evaluateTestsGate(gate({ minPassRate: 0.5 }), [
      report("unit", [
        ...many(100, "passed"),
        ["com.x.CartTest", "total", "failed", "expected:<20>\n but was:<10>"],
        ["com.x.CartTest", "tax", "errored", "/ by zero"],
        ...many(58, "failed", "com.x.BulkTest"),
      ]),
    ]);
    expect(verdict.failures).toHaveLength(60);
    const lines = verdict.output.split("\n");
    expect(lines).toContain("failures (60):");
    expect(lines).toContain("  com.x.CartTest.total: expected:<20> but was:<10>");
    expect(lines).toContain("  com.x.CartTest.tax: error: / by zero");
    expect(lines).toContain("  com.x.BulkTest.failed47: failed 47");
    expect(lines).not.toContain("  com.x.BulkTest.failed48: failed 48");
    expect(lines).toContain("  and 10 more");
    expect(lines).toContain("  unit: 100 passed, 59 failed, 1 errored, 0 skipped, 0 flaky (160 tests)");
  });
});

describe("evaluateTestsGate: quarantine", () => {
  it("keeps a quarantined failure out of the rate but lists it with its status", () => {
    const verdict = evaluateTestsGate(gate({ quarantine: ["com.x.SearchIT.*"] }), [
      report("e2e", [
        ...many(10, "passed"),
        ["com.x.SearchIT", "reindexes", "failed", "timed out after 30 s"],
        ["com.x.SearchIT", "suggests", "passed"],
      ]),
    ]);
    expect(verdict).toMatchObject({
      status: "passed",
      passRate: 1,
      counted: { passed: 10, failed: 0, errored: 0 },
      failures: [],
    });
    expect(verdict.quarantined.map((c) => `${c.name} ${c.status}`)).toEqual([
      "reindexes failed",
      "suggests passed",
    ]);
    expect(verdict.output).toContain(
      "quarantined, not counted (2):\n  com.x.SearchIT.reindexes: failed — timed out after 30 s\n  com.x.SearchIT.suggests: passed",
    );
  });

  it("matches classname.name, classname.*, a bare name and * anywhere; exactly otherwise", () => {
    const c = (classname: string, name: string): JunitCase => ({
      suite: "s",
      classname,
      name,
      status: "failed",
      durationMs: 0,
      message: null,
      reruns: 0,
    });
    const matches = (pattern: string, testCase: JunitCase) => quarantineMatcher([pattern])(testCase);
    expect(matches("com.x.SearchIT.reindexes", c("com.x.SearchIT", "reindexes"))).toBe(true);
    expect(matches("com.x.SearchIT.*", c("com.x.SearchIT", "anything at all"))).toBe(true);
    expect(matches("reindexes", c("com.x.SearchIT", "reindexes"))).toBe(true);
    expect(matches("com.x.*IT.re*", c("com.x.SearchIT", "reindexes"))).toBe(true);
    expect(matches("test_api[*]", c("tests.test_api", "test_api[post-v2.1]"))).toBe(true);
    // Exact otherwise: no prefixes, no suffixes, dots are dots.
    expect(matches("com.x.Search", c("com.x.SearchIT", "reindexes"))).toBe(false);
    expect(matches("com.x.SearchIT.reindex", c("com.x.SearchIT", "reindexes"))).toBe(false);
    expect(matches("comx.SearchIT.*", c("com.x.SearchIT", "reindexes"))).toBe(false);
    expect(matches("com.x.SearchIT", c("com.x.SearchIT", "reindexes"))).toBe(false);
    expect(matches("index", c("com.x.SearchIT", "reindexes"))).toBe(false);
  });
});

describe("evaluateTestsGate: which reports count", () => {
  it("waits for listed suites that have not reported and names them", () => {
    const verdict = evaluateTestsGate(gate({ suites: ["unit", "e2e", "smoke"] }), [
      report("unit", many(5, "passed")),
      report("lint", many(1, "failed")),
    ]);
    expect(verdict).toMatchObject({ status: "waiting", missingSuites: ["e2e", "smoke"] });
    expect(formatWaiting(verdict)).toBe("waiting for test reports from 2 suites: e2e, smoke");
    expect(verdict.output.split("\n")[0]).toBe("waiting for test reports from 2 suites: e2e, smoke");
  });

  it("judges only the listed suites once they all reported", () => {
    const verdict = evaluateTestsGate(gate({ suites: ["unit", "e2e"] }), [
      report("e2e", many(2, "passed")),
      report("lint", many(1, "failed")),
      report("unit", many(5, "passed")),
    ]);
    expect(verdict).toMatchObject({ status: "passed", missingSuites: [], counted: { passed: 7, failed: 0 } });
    expect(verdict.output).not.toContain("lint");
  });

  it("with no suites listed, counts every report but waits for at least one", () => {
    const none = evaluateTestsGate(gate(), []);
    expect(none).toMatchObject({ status: "waiting", missingSuites: [], passRate: null });
    expect(formatWaiting(none)).toBe("waiting for a test report: none has been pushed yet");
    const two = evaluateTestsGate(gate({ minPassRate: 0.5 }), [
      report("unit", many(3, "passed")),
      report("e2e", many(1, "failed")),
    ]);
    expect(two).toMatchObject({ status: "passed", passRate: 0.75 });
  });

  it("uses the latest report of a suite", () => {
    const red = report("unit", [...many(3, "passed"), ...many(1, "failed")]);
    const green = report("unit", many(4, "passed"));
    expect(evaluateTestsGate(gate(), [red, green])).toMatchObject({ status: "passed", failures: [] });
    expect(evaluateTestsGate(gate(), [green, red])).toMatchObject({ status: "failed", passRate: 0.75 });
  });
});

describe("evaluateTestsGate on real reports", () => {
  const fixture = (name: string) =>
    readFileSync(new URL(`../../../test/fixtures/junit/${name}`, import.meta.url), "utf8");

  it("passes Surefire's flaky test and fails on its always-failing one unless quarantined", () => {
    const reports = [
      parseJunit(fixture("TEST-io.olamy.FlakyTest.xml"), { suite: "it" }),
      parseJunit(fixture("TEST-com.shape.CircleTest.xml"), { suite: "unit" }),
      parseJunit(fixture("TEST-io.olamy.AlwaysFailTest.xml"), { suite: "it-always" }),
    ];
    const verdict = evaluateTestsGate(
      gate({ minPassRate: 0.7, quarantine: ["io.olamy.AlwaysFailTest.*"] }),
      reports,
    );
    expect(verdict).toMatchObject({ status: "passed", counted: { passed: 7, failed: 1, errored: 1 } });
    expect(verdict.passRate).toBeCloseTo(7 / 9);
    expect(verdict.output).toBe(
      [
        "pass rate 77.78% (7 of 9), minimum 70%: passed",
        "suites:",
        "  it: 0 passed, 0 failed, 0 errored, 0 skipped, 1 flaky (1 test)",
        "  unit: 6 passed, 1 failed, 1 errored, 0 skipped, 0 flaky (8 tests)",
        "  it-always: 0 passed, 1 failed, 0 errored, 0 skipped, 0 flaky (1 test)",
        "failures (2):",
        "  com.shape.CircleTest.testRadius: expected:<20> but was:<10>",
        "  com.shape.CircleTest.testProperties: error: / by zero",
        "quarantined, not counted (1):",
        "  io.olamy.AlwaysFailTest.testApp: failed — built to fail",
        "flaky, counted as passed (1):",
        "  io.olamy.FlakyTest.testApp: passed after 2 failed runs — obvious fail",
      ].join("\n"),
    );
  });
});
