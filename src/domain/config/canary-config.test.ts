import { describe, expect, test } from "vitest";
import { formatProblem, parseConfig } from "./load.js";
import { CanaryGate } from "./schema.js";

/** Line numbers, for reading the expectations below. */
const BASE = [
  /*  1 */ "version: 1",
  /*  2 */ "teams:",
  /*  3 */ "  core:",
  /*  4 */ "    members: [{name: ann}]",
  /*  5 */ "deployers:",
  /*  6 */ "  argo: {type: gitops, repository: deploy.git}",
  /*  7 */ "components:",
  /*  8 */ "  api: {team: core, deployer: argo}",
  /*  9 */ "environments:",
  /* 10 */ "  staging: {kind: integration}",
  /* 11 */ "  prod: {kind: production}",
  /* 12 */ "prometheus:",
  /* 13 */ "  default: {url: http://prometheus:9090}",
  /* 14 */ "lines:",
  /* 15 */ "  web:",
  /* 16 */ "    schedule: {rrule: FREQ=WEEKLY;BYDAY=TU, start: 2026-01-06T10:00, timezone: UTC, cutoff: 1d}",
  /* 17 */ "    components: [api]",
  /* 18 */ "    rollout:",
  /* 19 */ "      waves:",
  /* 20 */ "        - name: all",
  /* 21 */ "          environments: [prod]",
  /* 22 */ "          verify:",
];

/** The gate of the design note (docs/design/rollout.md), lines 23-38 when appended to BASE. */
const EXAMPLE = [
  /* 23 */ "            - name: latency-canary",
  /* 24 */ "              type: canary",
  /* 25 */ "              source: default",
  /* 26 */ "              lookback: 10m",
  /* 27 */ "              step: 15s",
  /* 28 */ "              confidence: 0.98",
  /* 29 */ "              tolerance: 0.25",
  /* 30 */ "              thresholds: {marginal: 75, pass: 95}",
  /* 31 */ "              groups: {latency: 2, errors: 1}",
  /* 32 */ "              metrics:",
  /* 33 */ "                - name: p99 latency",
  /* 34 */ "                  group: latency",
  /* 35 */ `                  query: 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{version="{variant}"}[1m])))'`,
  /* 36 */ "                  direction: increase",
  /* 37 */ "                  critical: false",
  /* 38 */ "                  effectSize: {allowedIncrease: 1.1, criticalIncrease: 1.5}",
  /* 39 */ "                  nanStrategy: remove",
  /* 40 */ "                - name: errors",
  /* 41 */ `                  baseline: 'sum(rate(http_requests_total{code=~"5..", version="stable"}[1m]))'`,
  /* 42 */ `                  canary: 'sum(rate(http_requests_total{code=~"5..", version="canary"}[1m]))'`,
];

function config(...lines: string[]): string {
  return [...BASE, ...lines, ""].join("\n");
}

function problemsOf(text: string): string[] {
  const result = parseConfig(text, "railyard.yaml");
  return result.ok ? [] : result.problems.map(formatProblem);
}

/** A minimal canary gate object with `overrides`, for schema-level checks. */
function gate(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "canary",
    type: "canary",
    metrics: [{ name: "latency", query: 'latency{version="{variant}"}' }],
    ...overrides,
  };
}

function messagesOf(input: unknown): string[] {
  const result = CanaryGate.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("canary gates in the configuration", () => {
  test("the design note's example, with the defaults filled in", () => {
    const result = parseConfig(config(...EXAMPLE), "railyard.yaml");
    if (!result.ok) expect.fail(result.problems.map(formatProblem).join("\n"));
    expect(result.config.lines.web?.rollout.waves[0]?.verify[0]).toEqual({
      name: "latency-canary",
      type: "canary",
      timeout: "5m",
      source: "default",
      lookback: "10m",
      step: "15s",
      confidence: 0.98,
      tolerance: 0.25,
      thresholds: { marginal: 75, pass: 95 },
      groups: { latency: 2, errors: 1 },
      variants: { baseline: "baseline", canary: "canary" },
      metrics: [
        {
          name: "p99 latency",
          group: "latency",
          query:
            'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{version="{variant}"}[1m])))',
          direction: "increase",
          critical: false,
          effectSize: { allowedIncrease: 1.1, criticalIncrease: 1.5 },
          nanStrategy: "remove",
        },
        {
          name: "errors",
          baseline: 'sum(rate(http_requests_total{code=~"5..", version="stable"}[1m]))',
          canary: 'sum(rate(http_requests_total{code=~"5..", version="canary"}[1m]))',
          direction: "either",
          critical: false,
          nanStrategy: "remove",
        },
      ],
    });
  });

  test("the shortest canary gate takes every default", () => {
    const parsed = CanaryGate.parse(gate());
    expect(parsed).toEqual({
      name: "canary",
      type: "canary",
      timeout: "5m",
      source: "default",
      lookback: "10m",
      step: "15s",
      confidence: 0.98,
      tolerance: 0.25,
      thresholds: { marginal: 75, pass: 95 },
      groups: {},
      variants: { baseline: "baseline", canary: "canary" },
      metrics: [
        {
          name: "latency",
          query: 'latency{version="{variant}"}',
          direction: "either",
          critical: false,
          nanStrategy: "remove",
        },
      ],
    });
  });

  test("a metric with both query and baseline/canary is refused at the file's position", () => {
    const both = [...EXAMPLE.slice(0, 13), "                  baseline: latency_p99", ...EXAMPLE.slice(13)];
    expect(problemsOf(config(...both))).toEqual([
      'railyard.yaml:36:29: lines.web.rollout.waves[0].verify[0].metrics[0].baseline: invalid value "latency_p99": a canary metric takes query (with {variant}) or baseline and canary, not both: remove query or the other two',
    ]);
  });

  test("a metric with neither query nor baseline/canary, or only one side, is refused", () => {
    expect(messagesOf(gate({ metrics: [{ name: "latency" }] }))).toEqual([
      'metrics.0: metric "latency" needs query (with {variant}, e.g. version="{variant}") or baseline and canary',
    ]);
    expect(messagesOf(gate({ metrics: [{ name: "latency", baseline: "latency_stable" }] }))).toEqual([
      'metrics.0.baseline: metric "latency" needs canary too: give both baseline and canary, or query with {variant}',
    ]);
  });

  test("a query without {variant} is refused: both sides would read the same series", () => {
    expect(messagesOf(gate({ metrics: [{ name: "latency", query: "latency_p99" }] }))).toEqual([
      'metrics.0.query: has no {variant}: the baseline and the canary would read the same series; select them with a label matcher such as version="{variant}", or give baseline and canary',
    ]);
  });

  test("a marginal threshold above the pass threshold is refused", () => {
    const inverted = EXAMPLE.map((line) =>
      line.replace("{marginal: 75, pass: 95}", "{marginal: 96, pass: 95}"),
    );
    expect(problemsOf(config(...inverted))).toEqual([
      "railyard.yaml:30:38: lines.web.rollout.waves[0].verify[0].thresholds.marginal: 96 is above the pass threshold 95: marginal must be at most pass",
    ]);
    expect(messagesOf(gate({ thresholds: { marginal: 95, pass: 95 } }))).toEqual([]);
    expect(messagesOf(gate({ thresholds: { marginal: 50, pass: 101 } }))).toEqual([
      "thresholds.pass: Too big: expected number to be <=100",
    ]);
  });

  test("duplicate metric names, unknown groups and inverted effect sizes are refused", () => {
    const metric = { name: "latency", query: 'latency{version="{variant}"}' };
    expect(
      messagesOf(
        gate({
          groups: { latncy: 2 },
          metrics: [metric, { ...metric, effectSize: { allowedIncrease: 1.5, criticalIncrease: 1.2 } }],
        }),
      ),
    ).toEqual([
      'metrics.1.name: duplicate metric name "latency": metric names must be unique within a canary gate',
      "metrics.1.effectSize.criticalIncrease: is below allowedIncrease 1.5: criticalIncrease must be at least allowedIncrease",
      'groups.latncy: no metric is in group "latncy" (the metrics\' groups are "latency")',
    ]);
    expect(
      messagesOf(
        gate({ metrics: [{ ...metric, effectSize: { allowedDecrease: 0.8, criticalDecrease: 0.9 } }] }),
      ),
    ).toEqual([
      "metrics.0.effectSize.criticalDecrease: is above allowedDecrease 0.8: criticalDecrease must be at most allowedDecrease",
    ]);
    expect(messagesOf(gate({ metrics: [{ ...metric, effectSize: { allowedIncrease: 0.9 } }] }))).toEqual([
      "metrics.0.effectSize.allowedIncrease: Too small: expected number to be >=1",
    ]);
  });

  test("a canary gate naming an unknown Prometheus source is refused", () => {
    const elsewhere = EXAMPLE.map((line) => line.replace("source: default", "source: defualt"));
    expect(problemsOf(config(...elsewhere))).toEqual([
      'railyard.yaml:25:23: lines.web.rollout.waves[0].verify[0].source: unknown Prometheus "defualt" (did you mean "default"?)',
    ]);
  });
});
