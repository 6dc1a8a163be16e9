import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { type ConfigFiles, formatProblem, parseConfig } from "./load.js";

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
  /* 23 */ "            - {name: budget, type: slo, slo: availability, minBudgetRemaining: 0.25}",
];

/** An inline SLO, lines 24-29 when appended to BASE. */
const INLINE_SLO = [
  /* 24 */ "slos:",
  /* 25 */ "  availability:",
  /* 26 */ "    objective: 0.999",
  /* 27 */ '    bad: sum(rate(http_requests_total{code=~"5.."}[{window}]))',
  /* 28 */ "    total: sum(rate(http_requests_total[{window}]))",
];

function config(...extra: string[]): string {
  return [...BASE, ...extra, ""].join("\n");
}

/** Reads the files of `texts` (by name as written); any other name is missing. */
function filesOf(texts: Record<string, string>): ConfigFiles {
  return {
    readFile: (name) => {
      const text = texts[name];
      if (text === undefined) throw new Error("no such file");
      return text;
    },
    pathOf: (name) => `deploy/${name}`,
  };
}

function problemsOf(text: string, files?: ConfigFiles): string[] {
  const result = parseConfig(text, "railyard.yaml", files);
  return result.ok ? [] : result.problems.map(formatProblem);
}

const OPENSLO = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout
spec:
  service: checkout
  indicator:
    metadata:
      name: checkout-errors
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_requests_total{service="checkout",code!~"5.."}[1m]))
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_requests_total{service="checkout"}[1m]))
  timeWindow:
    - duration: 4w
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.995
`;

describe("slos in the configuration", () => {
  test("an inline SLO with defaults, and an slo gate naming it", () => {
    const result = parseConfig(config(...INLINE_SLO), "railyard.yaml");
    if (!result.ok) expect.fail(result.problems.map(formatProblem).join("\n"));
    expect(result.config.slos.availability).toEqual({
      source: "default",
      objective: 0.999,
      window: "28d",
      bad: 'sum(rate(http_requests_total{code=~"5.."}[{window}]))',
      total: "sum(rate(http_requests_total[{window}]))",
    });
    expect(result.config.lines.web?.rollout.waves[0]?.verify[0]).toEqual({
      name: "budget",
      type: "slo",
      slo: "availability",
      timeout: "5m",
      minBudgetRemaining: 0.25,
      burnRates: true,
    });
  });

  test("an slo gate naming an unknown SLO, with the likely one", () => {
    expect(problemsOf(config(...INLINE_SLO).replace("slo: availability", "slo: availabilty"))).toEqual([
      'railyard.yaml:23:46: lines.web.rollout.waves[0].verify[0].slo: unknown SLO "availabilty" (did you mean "availability"?)',
    ]);
    expect(problemsOf(config())).toEqual([
      'railyard.yaml:23:46: lines.web.rollout.waves[0].verify[0].slo: unknown SLO "availability": no SLOs are defined (add it under `slos:`, or import an OpenSLO file with `openslo:`)',
    ]);
  });

  test("an SLO on an unknown Prometheus", () => {
    expect(problemsOf(config(...INLINE_SLO, "    source: defualt"))).toEqual([
      'railyard.yaml:29:13: slos.availability.source: unknown Prometheus "defualt" (did you mean "default"?)',
    ]);
  });

  test("an SLO with both good and bad, or neither", () => {
    const both = config(...INLINE_SLO, '    good: sum(rate(http_requests_total{code!~"5.."}[{window}]))');
    expect(problemsOf(both)).toEqual(["railyard.yaml:25:3: slos.availability: give good or bad, not both"]);
    const neither = config(...INLINE_SLO.filter((line) => !line.includes("bad:")));
    expect(problemsOf(neither)).toEqual([
      'railyard.yaml:25:3: slos.availability: needs good or bad: PromQL counting the good events (e.g. sum(rate(http_requests_total{code!~"5.."}[{window}]))) or the bad ones',
    ]);
  });

  test("a query without {window}", () => {
    const fixed = config(...INLINE_SLO.map((line) => line.replace("[{window}]))", "[5m]))")));
    expect(problemsOf(fixed)).toEqual([
      'railyard.yaml:27:10: slos.availability.bad: has no {window}: the gate measures the SLO over its window and each burn-rate window by filling {window} in, e.g. sum(rate(http_requests_total{code=~"5.."}[{window}]))',
      "railyard.yaml:28:12: slos.availability.total: has no {window}: the gate measures the SLO over its window and each burn-rate window by filling {window} in, e.g. sum(rate(http_requests_total[{window}]))",
    ]);
  });

  test("a burn-rate alert whose short window is not shorter", () => {
    expect(problemsOf(config(...INLINE_SLO, "    burnRates: [{long: 1h, short: 2h, factor: 14.4}]"))).toEqual(
      [
        "railyard.yaml:29:35: slos.availability.burnRates[0].short: 2h is not shorter than the long window 1h: the short window tells that the burn still goes on (the workbook uses 1/12 of the long one)",
      ],
    );
  });
});

describe("openslo files", () => {
  test("add their SLOs to slos under metadata.name", () => {
    const text = config("openslo: [slos/checkout.yaml]").replace("slo: availability", "slo: checkout");
    const result = parseConfig(text, "railyard.yaml", filesOf({ "slos/checkout.yaml": OPENSLO }));
    if (!result.ok) expect.fail(result.problems.map(formatProblem).join("\n"));
    expect(result.config.slos).toEqual({
      checkout: {
        source: "default",
        objective: 0.995,
        window: "28d",
        good: 'sum(rate(http_requests_total{service="checkout",code!~"5.."}[{window}]))',
        total: 'sum(rate(http_requests_total{service="checkout"}[{window}]))',
      },
    });
    expect(result.config.openslo).toEqual(["slos/checkout.yaml"]);
  });

  test("a file that cannot be read is a problem at its entry", () => {
    expect(problemsOf(config(...INLINE_SLO, "openslo: [slos/missing.yaml]"), filesOf({}))).toEqual([
      'railyard.yaml:29:11: openslo[0]: cannot read "slos/missing.yaml": no such file',
    ]);
    expect(problemsOf(config(...INLINE_SLO, "openslo: [slos/checkout.yaml]"))).toEqual([
      "railyard.yaml:29:11: openslo[0]: OpenSLO files cannot be read here",
    ]);
  });

  test("what is wrong inside a file is shown at its own line and column", () => {
    const timeslices = readFileSync(
      new URL("../../../test/fixtures/openslo/budgeting-method-timeslices-slo.yaml", import.meta.url),
      "utf8",
    );
    const text = config(...INLINE_SLO, "openslo:", "  - slos/checkout.yaml", "  - slos/availability.yaml");
    expect(
      problemsOf(text, filesOf({ "slos/checkout.yaml": OPENSLO, "slos/availability.yaml": timeslices })),
    ).toEqual([
      'deploy/slos/availability.yaml:32:20: SLO "service-availability": spec.budgetingMethod: Timeslices is not supported yet: Railyard judges Occurrences SLOs (good or bad events among all events over the window), not time slices',
    ]);
  });

  test("a name already under slos, or in an earlier file, is a problem at the entry", () => {
    const clash = OPENSLO.replace("name: checkout\n", "name: availability\n");
    expect(
      problemsOf(config(...INLINE_SLO, "openslo: [slos/a.yaml]"), filesOf({ "slos/a.yaml": clash })),
    ).toEqual([
      'railyard.yaml:29:11: openslo[0]: "slos/a.yaml" defines SLO "availability", which slos already defines: rename one of them (an SLO\'s name is its metadata.name)',
    ]);
    const twice = config(...INLINE_SLO, "openslo: [slos/checkout.yaml, slos/copy.yaml]");
    expect(problemsOf(twice, filesOf({ "slos/checkout.yaml": OPENSLO, "slos/copy.yaml": OPENSLO }))).toEqual([
      'railyard.yaml:29:31: openslo[1]: "slos/copy.yaml" defines SLO "checkout", which "slos/checkout.yaml" already defines: rename one of them (an SLO\'s name is its metadata.name)',
    ]);
  });

  test("an imported SLO's own references are checked at its entry", () => {
    const elsewhere = OPENSLO.replaceAll(
      "type: Prometheus\n",
      "type: Prometheus\n            metricSourceRef: eu\n",
    );
    expect(
      problemsOf(
        config(...INLINE_SLO, "openslo: [slos/checkout.yaml]"),
        filesOf({ "slos/checkout.yaml": elsewhere }),
      ),
    ).toEqual([
      'railyard.yaml:29:11: openslo[0]: SLO "checkout" (from "slos/checkout.yaml"): source: unknown Prometheus "eu": defined prometheus are "default"',
    ]);
  });
});
