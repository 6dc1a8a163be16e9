/**
 * `GET /api/v1/metrics/releases` on a real server: a train released through the whole engine,
 * filters, weekly periods, and the 400s for what is not in the configuration.
 */
import { describe, expect, it } from "vitest";
import type { ReleaseMetricsReport } from "../../src/domain/metrics/types.js";
import type { TrainDetail } from "../../src/engine/railyard.js";
import { commitOf, useWorldScenario } from "../support/scenario.js";
import type { TestServer } from "../support/server.js";

const COMMITTED = "2026-03-01T09:00:00.000Z";
const RANGE = "from=2026-02-23T00:00:00Z&to=2026-03-09T00:00:00Z";

async function metrics(s: TestServer, query: string) {
  return s.request<
    ReleaseMetricsReport & {
      byLine?: Array<Pick<ReleaseMetricsReport, "total" | "periods"> & { line: string }>;
      detail?: string;
    }
  >("GET", `/api/v1/metrics/releases?${query}`);
}

describe("sqlite: release metrics API", () => {
  const { setup } = useWorldScenario("sqlite");

  it("answers the metrics of a released train, per filter and week, and refuses unknown names", async () => {
    const { server: s } = await setup();
    for (const component of ["db", "api", "web"]) {
      const answer = await s.request("POST", "/api/v1/artifacts", {
        component,
        version: "1.0.0",
        commit: commitOf(component, "1.0.0"),
        // Only db's CI gave the commit time; the others' lead time counts from the push.
        ...(component === "db" ? { committedAt: COMMITTED } : {}),
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    }
    await s.advance("2h");
    await s.advance("2h");
    await s.advance("30m");
    const shop1 = await s.request<TrainDetail>("GET", "/api/v1/trains/shop-1");
    expect(shop1.body.train.state).toBe("released");
    const released = shop1.body.train.endedAt as string;
    const departed = shop1.body.events.find(
      (e) => e.type === "train.transitioned" && e.payload.event === "depart",
    )?.time as string;

    const all = await metrics(s, `${RANGE}&groupBy=week`);
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    const total = all.body.total;
    expect(total.trains).toEqual({
      ended: 1,
      released: 1,
      rolledBack: 0,
      aborted: 0,
      departed: 1,
      hotfixes: 0,
    });
    expect(total.m1ReleaseSuccessRate).toEqual({ value: 1, numerator: 1, denominator: 1 });
    expect(total.m3LeadTime.count).toBe(3);
    expect(total.m3LeadTime.fromPush).toBe(2);
    // The longest lead time is db's, from its commit the day before.
    expect(total.m3LeadTime.p90Ms).toBe(Date.parse(released) - Date.parse(COMMITTED));
    expect(total.m9DeploymentTime.meanMs).toBe(Date.parse(released) - Date.parse(departed));
    expect(total.m7ChangeFailureRate).toEqual({ value: 0, numerator: 0, denominator: 1 });
    expect(all.body.periods.map((p) => [p.from, p.trains.released])).toEqual([
      ["2026-02-23T00:00:00.000Z", 0],
      ["2026-03-02T00:00:00.000Z", 1],
    ]);
    expect(all.body.asOfEventId).toBeGreaterThan(0);

    // breakdown=line adds each line's report (one line here), the same as asking for it.
    expect(all.body.byLine).toBeUndefined();
    const split = await metrics(s, `${RANGE}&groupBy=week&breakdown=line`);
    expect(split.status, JSON.stringify(split.body)).toBe(200);
    const shop = await metrics(s, `${RANGE}&groupBy=week&line=shop`);
    expect(split.body.byLine).toEqual([{ line: "shop", total: shop.body.total, periods: shop.body.periods }]);
    expect(split.body.total).toEqual(all.body.total);

    const db = await metrics(s, `${RANGE}&component=db`);
    expect(db.body.total.m3LeadTime).toMatchObject({ count: 1, fromPush: 0 });
    const core = await metrics(s, `${RANGE}&team=core&line=shop`);
    expect(core.body.total.m3LeadTime.count).toBe(3);
    const board = await metrics(s, `${RANGE}&team=board`);
    expect(board.body.total.trains.ended).toBe(0);
    // Defaults: the last 30 days on the engine's clock, which include the release.
    // (`to` is exclusive: a minute after the release, which happened at the clock's instant.)
    await s.advance("1m");
    const recent = await metrics(s, "");
    expect(recent.body.total.trains.released).toBe(1);
    expect(Date.parse(recent.body.query.to) - Date.parse(recent.body.query.from)).toBe(30 * 86_400_000);

    for (const [query, field] of [
      [`${RANGE}&line=nope`, "line nope"],
      [`${RANGE}&team=nope`, "team nope"],
      [`${RANGE}&component=nope`, "component nope"],
      ["from=2026-03-09T00:00:00Z&to=2026-03-01T00:00:00Z", "from"],
      ["from=yesterday", "from"],
      ["breakdown=team", "breakdown"],
    ] as const) {
      const refused = await metrics(s, query);
      expect(refused.status, query).toBe(400);
      expect(refused.contentType).toContain("application/problem+json");
      expect(refused.body.detail, query).toContain(field);
    }
  });
});
