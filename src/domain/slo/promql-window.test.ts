import { describe, expect, it } from "vitest";
import { fillWindow, promqlDuration, UnsupportedQueryError, windowTemplateOf } from "./promql-window.js";

describe("promqlDuration", () => {
  it.each([
    ["28d", "28d"],
    ["2w", "14d"],
    ["PT26H", "1d2h"],
    ["1.5h", "1h30m"],
    ["90m", "1h30m"],
    ["5m", "5m"],
    ["P30D", "30d"],
    ["1500ms", "1s500ms"],
  ])("writes %s as %s", (duration, promql) => {
    expect(promqlDuration(duration)).toBe(promql);
  });

  it("refuses a window of no time", () => {
    expect(() => promqlDuration("0s")).toThrow("a window of 0s holds no time");
  });
});

describe("fillWindow", () => {
  it("replaces every {window} with the window in PromQL's notation", () => {
    expect(fillWindow("sum(rate(a[{window}])) / sum(rate(b[{window}]))", "PT6H")).toBe(
      "sum(rate(a[6h])) / sum(rate(b[6h]))",
    );
  });
});

describe("windowTemplateOf", () => {
  it("keeps a query that already has {window}, and rewrites Sloth's {{.window}}", () => {
    expect(windowTemplateOf("sum(rate(x[{window}]))", true)).toEqual({
      query: "sum(rate(x[{window}]))",
      conversion: "template",
    });
    // Sloth's own example (slok/sloth examples/openslo-getting-started.yml).
    expect(
      windowTemplateOf(
        'sum(rate(http_request_duration_seconds_count{job="myservice",code!~"(5..|429)"}[{{.window}}]))',
        true,
      ).query,
    ).toBe('sum(rate(http_request_duration_seconds_count{job="myservice",code!~"(5..|429)"}[{window}]))');
  });

  it("puts {window} in place of every range duration, keeping a subquery's resolution", () => {
    expect(windowTemplateOf('sum(rate(http_requests_total{code=~"5.."}[1m]))', false)).toEqual({
      query: 'sum(rate(http_requests_total{code=~"5.."}[{window}]))',
      conversion: "range",
    });
    expect(windowTemplateOf("sum(increase(a[5m])) + sum(increase(b[1h30m] offset 5m))", true).query).toBe(
      "sum(increase(a[{window}])) + sum(increase(b[{window}] offset 5m))",
    );
    expect(windowTemplateOf("sum(max_over_time(up[10m:30s]))", true).query).toBe(
      "sum(max_over_time(up[{window}:30s]))",
    );
  });

  it("leaves brackets inside label values and comments alone", () => {
    expect(windowTemplateOf('sum(rate(x{code=~"[45].."}[1m])) # per [minute]', true).query).toBe(
      'sum(rate(x{code=~"[45].."}[{window}])) # per [minute]',
    );
  });

  it("counts a counter selector with increase() over the window", () => {
    // OpenSLO's own ratioMetric example (README, "Ratio Metric").
    expect(
      windowTemplateOf('localhost_server_requests{code="total",host="*",instance="127.0.0.1:9090"}', true),
    ).toEqual({
      query:
        'sum(increase(localhost_server_requests{code="total",host="*",instance="127.0.0.1:9090"}[{window}]))',
      conversion: "selector",
    });
    expect(windowTemplateOf('{__name__="requests_total", code="500"}', true).query).toBe(
      'sum(increase({__name__="requests_total", code="500"}[{window}]))',
    );
  });

  it("counts each series of a summed counter before summing them", () => {
    expect(
      windowTemplateOf(
        'sum(localhost_server_requests{code=~"2xx|3xx",host="*",instance="127.0.0.1:9090"})',
        true,
      ).query,
    ).toBe(
      'sum(increase(localhost_server_requests{code=~"2xx|3xx",host="*",instance="127.0.0.1:9090"}[{window}]))',
    );
    expect(windowTemplateOf('sum by (service) (requests_total{code="500"})', true).query).toBe(
      'sum by (service) (increase(requests_total{code="500"}[{window}]))',
    );
    expect(windowTemplateOf("sum(requests_total) without (instance)", true).query).toBe(
      "sum without (instance) (increase(requests_total[{window}]))",
    );
  });

  it("counts any other counter expression with increase() over a subquery", () => {
    expect(windowTemplateOf("sum(a) - sum(b)", true)).toEqual({
      query: "sum(increase((sum(a) - sum(b))[{window}:]))",
      conversion: "subquery",
    });
    expect(windowTemplateOf("requests_total offset 1m", true).query).toBe(
      "sum(increase((requests_total offset 1m)[{window}:]))",
    );
  });

  it("refuses a gauge without a range, saying how to write it", () => {
    expect(() => windowTemplateOf("sum(queue_length)", false)).toThrow(UnsupportedQueryError);
    expect(() => windowTemplateOf("sum(queue_length)", false)).toThrow(/counter: false reads a gauge/);
    expect(() => windowTemplateOf("   ", true)).toThrow("the query is empty");
  });
});
