/**
 * A real Prometheus scrapes a real Railyard's `/metrics` with a viewer token, after one train of
 * the world's `shop` line was released and the next rolled back automatically on the simulated
 * clock; the series it stored are then read back with PromQL.
 *
 * What the world's trains do (see test/support/world.ts): shop-1 passes its gating gate `tests`
 * and wave eu's verify gate `health` (both `command` gates) and is released; shop-2 passes
 * `tests`, fails `health` in wave eu, and is rolled back as a whole (the line's automatic policy).
 */
import { afterEach, describe, expect, it } from "vitest";
import type { PrometheusResult } from "../../src/integrations/prometheus/client.js";
import { type RunningPrometheus, startPrometheus } from "../support/prometheus.js";
import { useWorldScenario } from "../support/scenario.js";
import type { TestServer } from "../support/server.js";

/** The single value of an instant query, or undefined when it has no series. */
const single = (result: PrometheusResult): number | undefined =>
  result.series.length === 1 ? result.series[0]!.values[0]![1] : undefined;

describe("sqlite: Prometheus scrapes /metrics", () => {
  const { setup, board, detail, releaseFirst } = useWorldScenario("sqlite");
  let prometheus: RunningPrometheus | undefined;

  afterEach(async () => {
    await prometheus?.stop();
    prometheus = undefined;
  });

  /** Releases shop-1 and rolls shop-2 back (its verify gate fails). */
  async function releaseThenRollBack(s: TestServer, fail: () => Promise<void>): Promise<void> {
    await releaseFirst(s);
    await board(s, { api: "1.1.0", web: "1.1.0" });
    await fail();
    await s.advance("21h30m"); // shop-2's cut-off
    await s.advance("2h"); // departure: wave eu deploys
    await s.advance("30m"); // bake over: verification fails, automatic rollback
    expect((await detail(s, "shop-2")).train.state).toBe("rolled_back");
  }

  it("refuses scrapes without a token or with a CI token, and answers a viewer", async () => {
    const { server: s } = await setup();
    const anonymous = await s.send("GET", "/metrics", undefined, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.contentType).toMatch(/application\/problem\+json/);
    const ci = await s.ciToken("ci-bot", ["api"]);
    expect((await s.send("GET", "/metrics", undefined, { authorization: `Bearer ${ci}` })).status).toBe(403);
    const viewer = await s.token("prometheus", ["viewer"]);
    const text = await s.send<string>("GET", "/metrics", undefined, { authorization: `Bearer ${viewer}` });
    expect(text.status).toBe(200);
    expect(text.contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(text.body).toContain('railyard_trains{line="shop",state="boarding"} 1');
    const open = await s.send<string>("GET", "/metrics", undefined, {
      authorization: `Bearer ${viewer}`,
      accept: "application/openmetrics-text; version=1.0.0",
    });
    expect(open.contentType).toBe("application/openmetrics-text; version=1.0.0; charset=utf-8");
    expect(open.body.trimEnd().endsWith("# EOF")).toBe(true);
  });

  it("is scraped by a real Prometheus: train states, gate verdicts, a rollback, histograms", async () => {
    const { world, server: s } = await setup();
    await releaseThenRollBack(s, () => world.fail("verify-eu"));
    const viewer = await s.token("prometheus", ["viewer"]);
    prometheus = await startPrometheus({
      targets: [{ job: "railyard", target: new URL(s.url).host, bearerToken: viewer }],
    });
    const p = prometheus;
    const value = async (query: string, what: string): Promise<number> =>
      single(await p.waitFor(query, (r) => r.series.length === 1, what))!;

    await p.waitFor(
      'up{job="railyard"} == 1',
      (r) => r.series.length === 1,
      "Prometheus scraped Railyard",
      30_000,
    );
    expect(await value('railyard_trains{job="railyard",line="shop",state="released"}', "released")).toBe(1);
    expect(await value('railyard_trains{line="shop",state="rolled_back"}', "rolled back")).toBe(1);
    // Every state has a series, 0 when no train is in it.
    expect(await value('railyard_trains{line="shop",state="aborted"}', "aborted")).toBe(0);
    const states = await p.client.query('count(railyard_trains{line="shop"})');
    expect(single(states)).toBe(15);

    // Ended trains are not listed one by one; the train boarding next is.
    const info = await p.client.query('railyard_train_info{line="shop"}');
    const listed = info.series.map((series) => series.labels.train);
    expect(listed).not.toContain("shop-1");
    expect(listed).not.toContain("shop-2");
    expect(listed).toContain("shop-3");

    // Gates: `tests` passed twice (shop-1, shop-2); `health` passed once (shop-1), failed once (shop-2).
    const gates = 'railyard_gate_evaluations_total{line="shop",type="command"';
    expect(await value(`${gates},stage_kind="gating",verdict="pass"}`, "gating passes")).toBe(2);
    expect(await value(`${gates},stage_kind="verify",verdict="pass"}`, "verify passes")).toBe(1);
    expect(await value(`${gates},stage_kind="verify",verdict="fail"}`, "verify failures")).toBe(1);
    expect(
      await value('railyard_gate_duration_seconds_count{line="shop",type="command"}', "gate count"),
    ).toBe(4);

    expect(await value('railyard_rollbacks_total{line="shop",scope="train"}', "rollbacks")).toBe(1);
    expect(await value('railyard_trains_ended_total{line="shop",outcome="released"}', "released")).toBe(1);
    expect(await value('railyard_trains_ended_total{line="shop",outcome="rolled_back"}', "rolled back")).toBe(
      1,
    );
    // shop-1 deploys db, api and web to eu, then to us; shop-2 deploys api and web to eu, then undoes both.
    expect(await value('railyard_deployments_total{environment="eu",action="deploy"}', "eu deploys")).toBe(5);
    expect(await value('railyard_deployments_total{environment="us",action="deploy"}', "us deploys")).toBe(3);
    expect(
      await value('railyard_deployments_total{environment="eu",action="rollback"}', "eu rollbacks"),
    ).toBe(2);
    // 3 pushes for shop-1, 2 for shop-2.
    expect(await value('railyard_artifacts_pushed_total{line="shop"}', "pushes")).toBe(5);

    // A histogram: every finished deploy step falls in the +Inf bucket, and the count agrees.
    const deploys = await value(
      'sum(railyard_step_duration_seconds_bucket{line="shop",kind="deploy",le="+Inf"})',
      "deploy step bucket",
    );
    expect(deploys).toBeGreaterThanOrEqual(8);
    expect(await value('sum(railyard_step_duration_seconds_count{line="shop",kind="deploy"})', "count")).toBe(
      deploys,
    );

    // The calendar: shop-3 departs at 09:00 UTC on 4 March, its cut-off two hours before.
    expect(await value('railyard_next_departure_timestamp_seconds{line="shop"}', "departure")).toBe(
      Date.parse("2026-03-04T09:00:00Z") / 1000,
    );
    expect(await value('railyard_next_cutoff_timestamp_seconds{line="shop"}', "cut-off")).toBe(
      Date.parse("2026-03-04T07:00:00Z") / 1000,
    );
    // Release KPIs: the engine's release metrics over the 30 days up to now (inclusive), republished.
    const to = new Date(s.clock.now().getTime() + 1);
    const m1 = (
      await s.server.railyard.releaseMetrics({
        from: new Date(to.getTime() - 30 * 86_400_000).toISOString(),
        to: to.toISOString(),
        line: "shop",
      })
    ).total.m1ReleaseSuccessRate;
    // shop-1 released cleanly, shop-2 rolled back: one of two ended trains succeeded.
    expect(m1).toEqual({ value: 0.5, numerator: 1, denominator: 2 });
    expect(await value('railyard_release_success_ratio{line="shop"}', "M1")).toBe(m1.value);
    // Process metrics carry the prefix.
    expect(await value('railyard_process_cpu_seconds_total{job="railyard"}', "process cpu")).toBeGreaterThan(
      0,
    );
  });
});
