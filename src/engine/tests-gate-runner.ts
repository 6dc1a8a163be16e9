/**
 * The `tests` gate, judged by the engine from the JUnit reports recorded for the train's current
 * manifest revision (`src/domain/test-reports/tests-gate.ts` holds the rule). It waits for the
 * suites it lists, looking again as reports arrive, and fails at its timeout naming the suites
 * that never reported. Other gate types go to the integrations' runner.
 */
import { parseDuration } from "../domain/duration.js";
import type { TestReport } from "../domain/model.js";
import type { JunitReport } from "../domain/test-reports/junit.js";
import { evaluateTestsGate, formatWaiting } from "../domain/test-reports/tests-gate.js";
import type { GateRunner, StoreReader } from "./ports.js";

/** A recorded test report as the rule reads it. */
export function junitOf(report: TestReport): JunitReport {
  return { suite: report.suite, ...report.summary, cases: report.cases };
}

export interface TestsGateOptions {
  /** How often a waiting gate looks for new reports. @default 500 ms */
  pollMs?: number;
}

/** Wraps `inner` so that `tests` gates are judged from the store. */
export function withTestsGates(
  inner: GateRunner,
  store: Pick<StoreReader, "getTrain" | "listTestReports">,
  options: TestsGateOptions = {},
): GateRunner {
  const pollMs = options.pollMs ?? 500;
  return {
    async run(gate, context) {
      if (gate.type !== "tests") return inner.run(gate, context);
      const started = performance.now();
      const timeoutMs = parseDuration(gate.timeout);
      for (;;) {
        const train = await store.getTrain(context.trainId);
        if (!train) {
          return {
            status: "failed",
            output: `no train ${context.trainId}`,
            durationMs: Math.round(performance.now() - started),
          };
        }
        const reports = await store.listTestReports(train.id, train.manifestRevision);
        const verdict = evaluateTestsGate(gate, reports.map(junitOf));
        const elapsed = Math.round(performance.now() - started);
        if (verdict.status !== "waiting") {
          return { status: verdict.status, output: verdict.output, durationMs: elapsed };
        }
        if (elapsed >= timeoutMs || context.signal.aborted) {
          return {
            status: "failed",
            output: `${formatWaiting(verdict)}; gave up after ${gate.timeout} (manifest revision ${train.manifestRevision}; push reports with railyard report push --junit FILE --train ${train.id})`,
            durationMs: elapsed,
          };
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, timeoutMs - elapsed)));
      }
    },
  };
}
