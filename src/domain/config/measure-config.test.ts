/** A line's `measure` key (the post-release error-rate comparison, M5): defaults and references. */
import { describe, expect, test } from "vitest";
import { formatProblem, parseConfig } from "./load.js";

const BASE = [
  "version: 1",
  "teams:",
  "  core:",
  "    members: [{name: ann}]",
  "deployers:",
  "  argo: {type: gitops, repository: deploy.git}",
  "components:",
  "  api: {team: core, deployer: argo}",
  "environments:",
  "  staging: {kind: integration}",
  "  prod: {kind: production}",
  "prometheus:",
  "  default: {url: http://prometheus:9090}",
  "lines:",
  "  web:",
  "    schedule: {rrule: FREQ=WEEKLY;BYDAY=TU, start: 2026-01-06T10:00, timezone: UTC, cutoff: 1d}",
  "    components: [api]",
  "    rollout:",
  "      waves:",
  "        - name: all",
  "          environments: [prod]",
];

const parse = (...extra: string[]) => parseConfig([...BASE, ...extra, ""].join("\n"), "railyard.yaml");

describe("a line's measure", () => {
  test("takes an error-rate query, a window (1h by default) and a source (default by default)", () => {
    const result = parse(
      '    measure: {errorRate: "sum(rate(errors[{window}])) / sum(rate(requests[{window}]))"}',
    );
    if (!result.ok) expect.fail(result.problems.map(formatProblem).join("\n"));
    expect(result.config.lines.web?.measure).toEqual({
      errorRate: "sum(rate(errors[{window}])) / sum(rate(requests[{window}]))",
      window: "1h",
      source: "default",
    });
    const absent = parse();
    if (!absent.ok) expect.fail(absent.problems.map(formatProblem).join("\n"));
    expect(absent.config.lines.web?.measure).toBeUndefined();
  });

  test("refuses a source that is not under prometheus, and a window that is not a duration", () => {
    const result = parse('    measure: {errorRate: "errors[{window}]", source: metrics, window: soon}');
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems.map(formatProblem).join("\n");
    expect(problems).toMatch(/lines\.web\.measure\.window.*not a duration/s);
    const unknownSource = parse('    measure: {errorRate: "errors[{window}]", source: metrics}');
    expect(unknownSource.ok).toBe(false);
    expect(unknownSource.ok ? "" : unknownSource.problems.map(formatProblem).join("\n")).toMatch(
      /lines\.web\.measure\.source.*Prometheus "metrics"/s,
    );
  });
});
