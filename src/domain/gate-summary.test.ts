import { describe, expect, it } from "vitest";
import { gateFailureSummary } from "./gate-summary.js";

describe("gateFailureSummary", () => {
  it("picks the line a program marked as failing, with how it exited", () => {
    const output = [
      "integration tests for web-3: api 3.0.0, search 1.5.1",
      "ok   api-contract: 148/148 passed",
      "FAIL checkout-flow: 34/36 passed — timeout waiting for payment sandbox (flaky)",
      "ok   search-relevance: 52/52 passed",
      "234/236 tests passed",
      "exit code 1 after 1.2s",
    ].join("\n");
    expect(gateFailureSummary("command", output)).toBe(
      "FAIL checkout-flow: 34/36 passed — timeout waiting for payment sandbox (flaky) (exit code 1 after 1.2s)",
    );
  });

  it("falls back to the last line before the exit line", () => {
    expect(gateFailureSummary("command", "step 1\nstep 2: 3 warnings\nexit code 2 after 40ms")).toBe(
      "step 2: 3 warnings (exit code 2 after 40ms)",
    );
    expect(gateFailureSummary("command", "timed out after 5m")).toBe("timed out after 5m");
    expect(gateFailureSummary("command", "")).toBe("no output");
  });

  it("leads with the status line of an HTTP gate", () => {
    expect(
      gateFailureSummary("http", 'GET http://x/health → 503 Service Unavailable in 9 ms\n{"status":"down"}'),
    ).toBe("GET http://x/health → 503 Service Unavailable in 9 ms");
  });

  it("keeps reasons short", () => {
    expect(gateFailureSummary("command", `ERROR ${"x".repeat(500)}`)).toHaveLength(240);
  });

  it("gives a tests gate's pass rate and its first failure", () => {
    const output = [
      "pass rate 88.89% (8 of 9), minimum 95%: failed",
      "suites:",
      "  unit: 8 passed, 2 failed, 0 errored, 0 skipped, 0 flaky (10 tests)",
      "failures (1):",
      "  checkout.Cart.case 0: expected 2, got 3",
    ].join("\n");
    expect(gateFailureSummary("tests", output)).toBe(
      "pass rate 88.89% (8 of 9), minimum 95%: failed; checkout.Cart.case 0: expected 2, got 3",
    );
    expect(gateFailureSummary("tests", "waiting for suites: e2e")).toBe("waiting for suites: e2e");
  });
});
