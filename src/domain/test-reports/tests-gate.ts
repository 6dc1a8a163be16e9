/**
 * The `tests` gate: judges the JUnit reports recorded for a train's current manifest revision.
 *
 * It waits until every listed suite reported (the engine fails it at the gate's timeout, naming
 * the missing suites), then passes when `(passed + flaky) / (passed + flaky + failed + errored)`
 * reaches `minPassRate`. Quarantined tests (by pattern) and skipped tests stay out of the rate;
 * the output lists failures, quarantined results and flaky tests for the person who acts on it.
 */
import type { JunitCase, JunitReport } from "./junit.js";

/** The gate's settings (`TestsGate` in the configuration schema, without its common fields). */
export interface TestsGateInput {
  /** Least share of passed tests among those counted, 0..1. */
  minPassRate: number;
  /** Suites that must have reported; empty: any report counts, but one must exist. */
  suites: readonly string[];
  /** `classname.name`, `classname.*` or a bare test name; `*` matches any run of characters. */
  quarantine: readonly string[];
}

export type TestsGateStatus = "passed" | "failed" | "waiting";

/** What the gate decided and why. */
export interface TestsGateVerdict {
  /** `waiting` while a listed suite (or, with no suites listed, any report) is missing. */
  status: TestsGateStatus;
  /** Listed suites without a report, in the order listed. */
  missingSuites: string[];
  /** `counted.passed / (counted.passed + counted.failed + counted.errored)`; null when nothing counted. */
  passRate: number | null;
  /** Cases in the rate: `passed` includes flaky cases; quarantined and skipped cases are left out. */
  counted: { passed: number; failed: number; errored: number };
  /** Skipped cases that are not quarantined. */
  skipped: number;
  /** Flaky cases (passed on a rerun) that are not quarantined; counted as passed. */
  flaky: JunitCase[];
  /** Every case matching a quarantine pattern, whatever its status; none is counted. */
  quarantined: JunitCase[];
  /** Failed and errored cases that are not quarantined. */
  failures: JunitCase[];
  /** A readable summary: pass rate against the minimum, per-suite counts, failures, quarantine, flaky. */
  output: string;
}

/** Most failures, quarantined and flaky tests listed by name in `output`. */
export const MAX_LISTED = 50;

function patternToRegExp(pattern: string): RegExp {
  const body = pattern
    .split("*")
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}$`, "s");
}

/** A case's full name, `classname.name`, or the bare name when it has no class. */
export function caseId(c: Pick<JunitCase, "classname" | "name">): string {
  return c.classname ? `${c.classname}.${c.name}` : c.name;
}

/**
 * A predicate telling whether a case is quarantined: a pattern matches either the case's
 * `classname.name` or its bare name, exactly except where it has `*`.
 */
export function quarantineMatcher(patterns: readonly string[]): (c: JunitCase) => boolean {
  const regexps = patterns.map(patternToRegExp);
  if (regexps.length === 0) return () => false;
  return (c) => {
    const id = caseId(c);
    return regexps.some((r) => r.test(id) || r.test(c.name));
  };
}

/** The reports the gate judges: the last report of each suite, only listed suites when some are. */
function latestPerSuite(gate: TestsGateInput, reports: readonly JunitReport[]): JunitReport[] {
  const latest = new Map<string, JunitReport>();
  for (const report of reports) {
    latest.delete(report.suite);
    latest.set(report.suite, report);
  }
  if (gate.suites.length === 0) return [...latest.values()];
  return gate.suites.flatMap((suite) => {
    const report = latest.get(suite);
    return report ? [report] : [];
  });
}

function percent(rate: number, digits: number): string {
  return `${(rate * 100).toFixed(digits)}%`;
}

/** The pass rate with enough decimals that a rate just under the minimum never reads as equal. */
function formatRate(rate: number, min: number): string {
  let digits = 2;
  while (digits < 6 && rate < min && percent(rate, digits) === percent(min, digits)) digits++;
  return percent(rate, digits);
}

function formatMinimum(min: number): string {
  return `${Number((min * 100).toFixed(4))}%`;
}

function oneLine(message: string | null): string {
  return message === null ? "no message" : message.replace(/\s+/g, " ").trim();
}

function listed<T>(items: readonly T[], line: (item: T) => string): string[] {
  const lines = items.slice(0, MAX_LISTED).map((item) => `  ${line(item)}`);
  if (items.length > MAX_LISTED) lines.push(`  and ${items.length - MAX_LISTED} more`);
  return lines;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Why the gate still waits, naming the missing suites; the engine uses it as the failure reason
 * when the gate's timeout passes.
 */
export function formatWaiting(verdict: Pick<TestsGateVerdict, "missingSuites">): string {
  const missing = verdict.missingSuites;
  if (missing.length === 0) return "waiting for a test report: none has been pushed yet";
  return `waiting for test reports from ${plural(missing.length, "suite")}: ${missing.join(", ")}`;
}

/**
 * Judges the gate on the reports recorded for the train's current manifest revision, in the order
 * they arrived (a later report of a suite replaces an earlier one). Pure.
 */
export function evaluateTestsGate(gate: TestsGateInput, reports: readonly JunitReport[]): TestsGateVerdict {
  const judged = latestPerSuite(gate, reports);
  const present = new Set(judged.map((r) => r.suite));
  const missingSuites = [...new Set(gate.suites)].filter((suite) => !present.has(suite));
  const isQuarantined = quarantineMatcher(gate.quarantine);

  const quarantined: JunitCase[] = [];
  const failures: JunitCase[] = [];
  const flaky: JunitCase[] = [];
  const counted = { passed: 0, failed: 0, errored: 0 };
  let skipped = 0;
  let truncated = false;
  for (const report of judged) {
    // Counts are exact even when a huge report kept only some cases; quarantine applies to the kept ones.
    counted.passed += report.passed + report.flaky;
    counted.failed += report.failed;
    counted.errored += report.errored;
    skipped += report.skipped;
    truncated ||= report.truncated;
    for (const c of report.cases) {
      if (isQuarantined(c)) {
        quarantined.push(c);
        if (c.status === "passed" || c.status === "flaky") counted.passed--;
        else if (c.status === "failed") counted.failed--;
        else if (c.status === "errored") counted.errored--;
        else skipped--;
      } else if (c.status === "failed" || c.status === "errored") failures.push(c);
      else if (c.status === "flaky") flaky.push(c);
    }
  }

  const total = counted.passed + counted.failed + counted.errored;
  const passRate = total === 0 ? null : counted.passed / total;
  const waiting = missingSuites.length > 0 || judged.length === 0;
  const status: TestsGateStatus = waiting
    ? "waiting"
    : passRate === null
      ? gate.minPassRate === 0
        ? "passed"
        : "failed"
      : passRate >= gate.minPassRate
        ? "passed"
        : "failed";

  const lines: string[] = [];
  if (waiting) lines.push(formatWaiting({ missingSuites }));
  const minimum = formatMinimum(gate.minPassRate);
  if (passRate === null) {
    if (judged.length > 0)
      lines.push(`no test ran (nothing passed, failed or errored; minimum pass rate ${minimum})`);
  } else {
    const verdict = waiting ? "so far" : status;
    lines.push(
      `pass rate ${formatRate(passRate, gate.minPassRate)} (${counted.passed} of ${total}), minimum ${minimum}: ${verdict}`,
    );
  }
  if (judged.length > 0) {
    lines.push("suites:");
    for (const r of judged) {
      const more = r.truncated ? `; only ${r.cases.length} of its cases kept` : "";
      lines.push(
        `  ${r.suite}: ${r.passed} passed, ${r.failed} failed, ${r.errored} errored, ${r.skipped} skipped, ${r.flaky} flaky (${plural(r.tests, "test")}${more})`,
      );
    }
  }
  if (failures.length > 0) {
    lines.push(`failures (${failures.length}):`);
    lines.push(
      ...listed(
        failures,
        (c) => `${caseId(c)}: ${c.status === "errored" ? "error: " : ""}${oneLine(c.message)}`,
      ),
    );
  }
  if (quarantined.length > 0) {
    lines.push(`quarantined, not counted (${quarantined.length}):`);
    lines.push(
      ...listed(
        quarantined,
        (c) => `${caseId(c)}: ${c.status}${c.message === null ? "" : ` — ${oneLine(c.message)}`}`,
      ),
    );
  }
  if (flaky.length > 0) {
    lines.push(`flaky, counted as passed (${flaky.length}):`);
    lines.push(
      ...listed(
        flaky,
        (c) =>
          `${caseId(c)}: passed after ${plural(c.reruns, "failed run")}${c.message === null ? "" : ` — ${oneLine(c.message)}`}`,
      ),
    );
  }
  if (truncated && gate.quarantine.length > 0) {
    lines.push("note: quarantine applies only to the cases kept from truncated reports");
  }

  return {
    status,
    missingSuites,
    passRate,
    counted,
    skipped,
    flaky,
    quarantined,
    failures,
    output: lines.join("\n"),
  };
}
