import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type OpenSloResult, parseOpenSlo } from "./openslo.js";

function fixture(name: string): string {
  return readFileSync(new URL(`../../../test/fixtures/openslo/${name}`, import.meta.url), "utf8");
}

function problemsOf(result: OpenSloResult): string[] {
  return result.ok ? [] : result.problems.map((p) => `${p.line}:${p.column}: ${p.message}`);
}

/** An SLO over Prometheus as a team would write it: the SLI in its own document, rates over 1m. */
const CHECKOUT = `apiVersion: openslo/v1
kind: SLI
metadata:
  name: checkout-errors
spec:
  ratioMetric:
    counter: true
    bad:
      metricSource:
        type: Prometheus
        metricSourceRef: eu
        spec:
          query: sum(rate(http_requests_total{service="checkout",code=~"5.."}[1m]))
    total:
      metricSource:
        type: Prometheus
        metricSourceRef: eu
        spec:
          query: sum(rate(http_requests_total{service="checkout"}[1m]))
---
apiVersion: openslo/v1
kind: DataSource
metadata:
  name: eu
spec:
  type: Prometheus
  connectionDetails:
    url: http://prometheus-eu:9090
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
  displayName: Checkout availability
spec:
  service: checkout
  indicatorRef: checkout-errors
  timeWindow:
    - duration: 4w
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: Good
      targetPercent: 99.9
`;

/** The README's inline ratioMetric over raw counters (OpenSLO, "Ratio Metric"), in a full SLO. */
function inline(overrides: { method?: string; good?: string; type?: string; window?: string } = {}): string {
  return `apiVersion: openslo/v1
kind: SLO
metadata:
  name: foo-slo
spec:
  service: foo
  indicator:
    metadata:
      name: foo-error
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: ${overrides.type ?? "Prometheus"}
            spec:
              query: ${overrides.good ?? 'sum(localhost_server_requests{code=~"2xx|3xx",host="*",instance="127.0.0.1:9090"})'}
        total:
          metricSource:
            type: Prometheus
            spec:
              query: localhost_server_requests{code="total",host="*",instance="127.0.0.1:9090"}
  timeWindow:
    - duration: ${overrides.window ?? "28d"}
      isRolling: true
  budgetingMethod: ${overrides.method ?? "Occurrences"}
  objectives:
    - target: 0.98
`;
}

describe("parseOpenSlo reads", () => {
  it("an SLO whose SLI is another document, with rates turned into {window} templates", () => {
    const result = parseOpenSlo(CHECKOUT);
    expect(result).toEqual({
      ok: true,
      slos: [
        {
          name: "checkout-availability",
          slo: {
            description: "Checkout availability",
            source: "eu",
            objective: 0.999,
            window: "28d",
            bad: 'sum(rate(http_requests_total{service="checkout",code=~"5.."}[{window}]))',
            total: 'sum(rate(http_requests_total{service="checkout"}[{window}]))',
          },
        },
      ],
    });
  });

  it("an inline SLI over raw counters, counted with increase() per series", () => {
    const result = parseOpenSlo(inline());
    expect(result.ok && result.slos[0]).toEqual({
      name: "foo-slo",
      slo: {
        source: "default",
        objective: 0.98,
        window: "28d",
        good: 'sum(increase(localhost_server_requests{code=~"2xx|3xx",host="*",instance="127.0.0.1:9090"}[{window}]))',
        total:
          'sum(increase(localhost_server_requests{code="total",host="*",instance="127.0.0.1:9090"}[{window}]))',
      },
    });
  });

  it("spec.promql as well as spec.query, a type in any case, and no time window (Railyard's 28d)", () => {
    const text = inline({ type: "prometheus" })
      .replace("query: sum(", "promql: sum(")
      .replace(/ {2}timeWindow:\n.*\n.*\n/, "");
    const result = parseOpenSlo(text);
    expect(problemsOf(result)).toEqual([]);
    expect(result.ok && result.slos[0]!.slo.window).toBe("28d");
  });

  it("several SLOs of one file, and a list of objects as one document", () => {
    const second = inline().replace("name: foo-slo", "name: bar-slo");
    const asList = `- ${inline().trimEnd().split("\n").join("\n  ")}\n- ${second.trimEnd().split("\n").join("\n  ")}\n`;
    const result = parseOpenSlo(asList);
    expect(problemsOf(result)).toEqual([]);
    expect(result.ok && result.slos.map((s) => s.name)).toEqual(["foo-slo", "bar-slo"]);
  });
});

describe("parseOpenSlo refuses the OpenSLO examples, naming the document and the field", () => {
  it("a threshold metric (budgeting-method/occurences-slo.yaml)", () => {
    expect(problemsOf(parseOpenSlo(fixture("budgeting-method-occurences-slo.yaml")))).toEqual([
      '15:7: SLO "search-slo": spec.indicator.spec.thresholdMetric: threshold metrics are not supported yet: Railyard judges ratio metrics (ratioMetric with good or bad, and total)',
    ]);
  });

  it("RatioTimeslices budgeting (budgeting-method/ratio-timeslices.yaml)", () => {
    expect(problemsOf(parseOpenSlo(fixture("budgeting-method-ratio-timeslices.yaml")))).toEqual([
      '29:20: SLO "main-page": spec.budgetingMethod: RatioTimeslices is not supported yet: Railyard judges Occurrences SLOs (good or bad events among all events over the window), not time slices',
    ]);
  });

  it.each([
    ["budgeting-method-timeslices-slo.yaml", "32:20"],
    ["treat-low-traffic-as-equally-important-timeslices-slo.yaml", "30:20"],
  ])("Timeslices budgeting (%s)", (file, position) => {
    expect(problemsOf(parseOpenSlo(fixture(file)))).toEqual([
      `${position}: SLO "service-availability": spec.budgetingMethod: Timeslices is not supported yet: Railyard judges Occurrences SLOs (good or bad events among all events over the window), not time slices`,
    ]);
  });
});

describe("parseOpenSlo refuses", () => {
  it("a metric source that is not Prometheus", () => {
    expect(problemsOf(parseOpenSlo(inline({ type: "Datadog" })))).toEqual([
      '15:19: SLO "foo-slo": spec.indicator.spec.ratioMetric.good.metricSource.type: metric source type "Datadog" is not supported: Railyard queries Prometheus (type: Prometheus)',
    ]);
  });

  it("a calendar-aligned window and a calendar unit", () => {
    const calendar = inline().replace(
      "      isRolling: true",
      "      calendar:\n        startTime: 2022-01-01 12:00:00\n        timeZone: America/New_York",
    );
    expect(problemsOf(parseOpenSlo(calendar))).toEqual([
      '25:7: SLO "foo-slo": spec.timeWindow[0].calendar: calendar-aligned windows are not supported yet: Railyard measures rolling windows (isRolling: true, no calendar)',
    ]);
    expect(problemsOf(parseOpenSlo(inline({ window: "1M" })))).toEqual([
      '24:17: SLO "foo-slo": spec.timeWindow[0].duration: 1M is a calendar unit, whose length varies: write the rolling window in days or weeks (e.g. 30d, 4w)',
    ]);
  });

  it("an indicatorRef that names no SLI of the file", () => {
    const text = CHECKOUT.replace("indicatorRef: checkout-errors", "indicatorRef: checkout-error");
    expect(problemsOf(parseOpenSlo(text))).toEqual([
      '37:17: SLO "checkout-availability": spec.indicatorRef: "checkout-error" names no kind: SLI document of this file (SLIs here: "checkout-errors"): Railyard reads SLIs from the same file only',
    ]);
  });

  it("a problem of a referenced SLI at the SLI's own document", () => {
    const text = CHECKOUT.replace(
      "    bad:\n",
      "    good:\n      metricSource: {type: Prometheus, spec: {query: x}}\n    bad:\n",
    );
    expect(problemsOf(parseOpenSlo(text))).toEqual([
      '10:5: SLI "checkout-errors" (the SLI of SLO "checkout-availability"): spec.ratioMetric.bad: give good or bad, not both',
    ]);
  });

  it("good and total on different sources", () => {
    const text = CHECKOUT.replace(
      'metricSourceRef: eu\n        spec:\n          query: sum(rate(http_requests_total{service="checkout"}',
      'metricSourceRef: us\n        spec:\n          query: sum(rate(http_requests_total{service="checkout"}',
    );
    expect(problemsOf(parseOpenSlo(text))).toEqual([
      '17:26: SLI "checkout-errors" (the SLI of SLO "checkout-availability"): spec.ratioMetric.total.metricSource.metricSourceRef: bad and total name different metric sources (eu, us): Railyard queries one Prometheus per SLO',
    ]);
  });

  it("a DataSource of another type, reached through metricSourceRef without a type", () => {
    const text = CHECKOUT.replaceAll(
      "        type: Prometheus\n        metricSourceRef: eu",
      "        metricSourceRef: eu",
    ).replace("  type: Prometheus\n  connectionDetails", "  type: CloudWatch\n  connectionDetails");
    expect(problemsOf(parseOpenSlo(text))[0]).toBe(
      '10:26: SLI "checkout-errors" (the SLI of SLO "checkout-availability"): spec.ratioMetric.bad.metricSource.metricSourceRef: names DataSource "eu" of type "CloudWatch": Railyard queries Prometheus only',
    );
  });

  it("several objectives, and a target out of range", () => {
    const two = inline().replace("    - target: 0.98\n", "    - target: 0.98\n    - target: 0.95\n");
    expect(problemsOf(parseOpenSlo(two))).toEqual([
      '29:7: SLO "foo-slo": spec.objectives[1]: the SLO has 2 objectives: Railyard imports one per SLO, split it into one SLO document per objective',
    ]);
    expect(problemsOf(parseOpenSlo(inline().replace("target: 0.98", "target: 98")))).toEqual([
      '28:15: SLO "foo-slo": spec.objectives[0].target: 98 is not a target: write a share above 0 and below 1, e.g. 0.999',
    ]);
  });

  it("a gauge without a range, at its query", () => {
    const text = inline({ good: "sum(healthy_pods)" }).replace("counter: true", "counter: false");
    expect(problemsOf(parseOpenSlo(text))[0]).toMatch(
      /^17:22: SLO "foo-slo": spec\.indicator\.spec\.ratioMetric\.good\.metricSource\.spec\.query: a query without a range selector and counter: false reads a gauge/,
    );
  });

  it("a name Railyard cannot use, and the same name twice", () => {
    expect(problemsOf(parseOpenSlo(inline().replace("name: foo-slo", "name: foo.slo")))).toEqual([
      `4:9: SLO "foo.slo": metadata.name: "foo.slo" cannot name a Railyard SLO: use lowercase letters, digits, '-' and '_', starting with a letter`,
    ]);
    expect(problemsOf(parseOpenSlo(`${inline()}---\n${inline()}`))).toEqual([
      '33:9: SLO "foo-slo": metadata.name: another SLO of this file has the same name',
    ]);
  });

  it("another OpenSLO version, and a document that is not OpenSLO", () => {
    const v1alpha = "apiVersion: openslo/v1alpha\nkind: SLO\nmetadata:\n  name: x\n";
    expect(problemsOf(parseOpenSlo(v1alpha))).toEqual([
      "1:13: document 1: apiVersion openslo/v1alpha is not supported: Railyard reads openslo/v1 (convert the file, e.g. with `oslo convert`)",
    ]);
    expect(problemsOf(parseOpenSlo("apiVersion: v1\nkind: ConfigMap\n"))).toEqual([
      '1:13: document 1: apiVersion "v1" is not OpenSLO: expected openslo/v1',
    ]);
  });

  it("YAML it cannot read, at the error", () => {
    const result = parseOpenSlo("apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: [x\n");
    expect(problemsOf(result)[0]).toMatch(/^5:1: YAML syntax error: flow sequence/);
  });

  it("a file without an SLO", () => {
    const sliOnly = CHECKOUT.split("---")[0]!;
    expect(problemsOf(parseOpenSlo(sliOnly))).toEqual([
      "1:1: the file holds no kind: SLO document (openslo/v1) to import",
    ]);
    expect(problemsOf(parseOpenSlo(""))).toEqual([
      "1:1: the file holds no kind: SLO document (openslo/v1) to import",
    ]);
  });
});
