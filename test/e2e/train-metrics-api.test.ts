/**
 * `GET /api/v1/metrics/trains` on a real server, on both databases: shop-1 released with db
 * (commit time known), api and web 1.0.0 and a JUnit report; shop-2 carries api 1.1.0 and rolls
 * back when its eu verification fails. Every figure is computed by hand from the world's
 * timetable (cut-off 07:00 UTC, departure 09:00 UTC, eu bakes 30 minutes).
 */
import { describe, expect, it } from "vitest";
import type { Incident } from "../../src/domain/model.js";
import { DIALECTS } from "../support/dialects.js";
import { commitOf, useWorldScenario } from "../support/scenario.js";
import type { TestServer } from "../support/server.js";

const COMMITTED = "2026-03-01T09:00:00.000Z";
const RANGE = "from=2026-02-23T00:00:00Z&to=2026-03-09T00:00:00Z";
const HOUR = 3_600_000;

interface Row {
  trainId: string;
  state: string | null;
  outcome: string | null;
  createdAt: string;
  departedAt: string | null;
  releasedAt: string | null;
  endedAt: string | null;
  versions: Array<Record<string, unknown>>;
  leadTimeMs: number | null;
  deploymentTimeMs: number | null;
  tests: { passed: number; run: number };
  gates: Record<string, number>;
  canaryScore: number | null;
  errorRate: unknown;
  rollbacks: Array<{ at: string; scope: string; components: string[] }>;
  incidents: Array<Record<string, unknown>>;
  changeFailed: boolean | null;
  failures?: {
    reason: string | null;
    gates: Array<{ trainId: string; gate: string; verdict: string; output: string }>;
    steps: Array<{ key: string; status: string }>;
  };
}
interface Answer {
  query: Record<string, unknown>;
  matched: number;
  trains: Row[];
  detail?: string;
}

const ask = (s: TestServer, query: string) => s.request<Answer>("GET", `/api/v1/metrics/trains?${query}`);

const JUNIT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="e2e" tests="4" failures="1" skipped="1">
  <testcase classname="checkout" name="pays"/>
  <testcase classname="checkout" name="refunds"/>
  <testcase classname="checkout" name="ships"><failure message="timeout">timed out after 5s</failure></testcase>
  <testcase classname="checkout" name="gifts"><skipped/></testcase>
</testsuite>`;

for (const dialect of DIALECTS) {
  describe(`${dialect}: per-train metrics API`, () => {
    const { setup, board } = useWorldScenario(dialect);

    it("answers each train's versions, times, gates, tests, rollbacks and incidents", async () => {
      const { world, server: s } = await setup();
      for (const component of ["db", "api", "web"]) {
        const answer = await s.request("POST", "/api/v1/artifacts", {
          component,
          version: "1.0.0",
          commit: commitOf(component, "1.0.0"),
          ...(component === "db" ? { committedAt: COMMITTED } : {}),
        });
        expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      }
      await s.advance("2h"); // 07:00 UTC: cut-off, integration and gates
      const junit = await s.send("POST", "/api/v1/trains/shop-1/test-reports?suite=e2e", JUNIT, {
        "content-type": "application/xml",
        authorization: "Bearer test-admin-token",
      });
      expect(junit.status, JSON.stringify(junit.body)).toBe(201);
      await s.advance("2h"); // 09:00: departure, eu deploys and bakes
      await s.advance("30m"); // 09:30: released
      const warning = await s.request<Incident>("POST", "/api/v1/incidents", {
        line: "shop",
        trainId: "shop-1",
        title: "checkout slower in eu",
        severity: "warning",
      });
      expect(warning.status, JSON.stringify(warning.body)).toBe(201);

      // shop-2: api 1.1.0 boards; its eu verification fails, so it rolls back.
      await board(s, { api: "1.1.0" });
      await world.fail("verify-eu");
      await s.advance("21h30m"); // 3 March 07:00: cut-off
      await s.advance("2h"); // 09:00: departure
      await s.advance("30m"); // 09:30: verification fails, rolled back

      const all = await ask(s, RANGE);
      expect(all.status, JSON.stringify(all.body)).toBe(200);
      expect(all.body.query).toEqual({
        from: "2026-02-23T00:00:00.000Z",
        to: "2026-03-09T00:00:00.000Z",
        limit: 50,
      });
      // Newest first by creation: shop-4 (created at shop-2's cut-off), shop-3, then shop-2 and
      // shop-1 (both created at the world's start, ordered by id).
      expect(all.body.trains.map((t) => [t.trainId, t.state])).toEqual([
        ["shop-4", "scheduled"],
        ["shop-3", "boarding"],
        ["shop-2", "rolled_back"],
        ["shop-1", "released"],
      ]);
      expect(all.body.matched).toBe(4);
      const [shop4, , shop2, shop1] = all.body.trains as [Row, Row, Row, Row];

      // shop-1: departed 09:00, released 09:30 on 2 March.
      const released1 = Date.parse("2026-03-02T09:30:00.000Z");
      expect(shop1).toMatchObject({
        outcome: "released",
        createdAt: "2026-03-02T05:00:00.000Z",
        departedAt: "2026-03-02T09:00:00.000Z",
        releasedAt: "2026-03-02T09:30:00.000Z",
        endedAt: "2026-03-02T09:30:00.000Z",
        deploymentTimeMs: 30 * 60_000,
        // Two of four cases passed; the skipped one does not count as run.
        tests: { passed: 2, run: 3 },
        // Two evaluations: the gating `tests` command and eu's `health` verification.
        gates: { evaluations: 2, pass: 2, fail: 0, inconclusive: 0, error: 0 },
        canaryScore: null,
        errorRate: null,
        rollbacks: [],
        // A warning is not a failed change.
        changeFailed: false,
      });
      expect(shop1.incidents).toEqual([
        {
          id: warning.body.id,
          severity: "warning",
          title: "checkout slower in eu",
          status: "open",
          startedAt: "2026-03-02T09:30:00.000Z",
        },
      ]);
      // db counts from its commit the day before; api and web from their push at 05:00.
      const fromPush = released1 - Date.parse("2026-03-02T05:00:00.000Z");
      const fromCommit = released1 - Date.parse(COMMITTED);
      expect(fromPush).toBe(4.5 * HOUR);
      expect(fromCommit).toBe(24.5 * HOUR);
      expect(
        shop1.versions.map((v) => [v.component, v.version, v.previousVersion, v.leadTimeMs, v.leadTimeFrom]),
      ).toEqual([
        ["api", "1.0.0", null, fromPush, "push"],
        ["db", "1.0.0", null, fromCommit, "commit"],
        ["web", "1.0.0", null, fromPush, "push"],
      ]);
      expect(shop1.versions[1]).toMatchObject({
        committedAt: COMMITTED,
        pushedAt: "2026-03-02T05:00:00.000Z",
      });
      // The median (nearest rank) of 4.5 h, 4.5 h and 24.5 h.
      expect(shop1.leadTimeMs).toBe(fromPush);

      // shop-2: departed 09:00 on 3 March, rolled back at 09:30; never released.
      expect(shop2).toMatchObject({
        outcome: "rolled_back",
        departedAt: "2026-03-03T09:00:00.000Z",
        releasedAt: null,
        endedAt: "2026-03-03T09:30:00.000Z",
        leadTimeMs: null,
        deploymentTimeMs: null,
        tests: { passed: 0, run: 0 },
        gates: { evaluations: 2, pass: 1, fail: 1, inconclusive: 0, error: 0 },
        rollbacks: [{ at: "2026-03-03T09:30:00.000Z", scope: "train", components: [] }],
        incidents: [],
        changeFailed: true,
      });
      expect(shop2.versions).toEqual([
        {
          component: "api",
          version: "1.1.0",
          previousVersion: "1.0.0",
          artifactId: expect.any(String),
          pushedAt: "2026-03-02T09:30:00.000Z",
          committedAt: null,
          leadTimeMs: null,
          leadTimeFrom: "push",
        },
      ]);
      // A train that has not departed has no change to fail yet.
      expect(shop4).toMatchObject({ departedAt: null, versions: [], changeFailed: null, outcome: null });

      // include=failures adds each train's failed gates and steps, with their evidence.
      expect(all.body.trains.some((t) => "failures" in t)).toBe(false);
      const withFailures = await ask(s, `${RANGE}&include=failures`);
      expect(withFailures.status, JSON.stringify(withFailures.body)).toBe(200);
      const failuresOf = (id: string) => withFailures.body.trains.find((t) => t.trainId === id)?.failures;
      expect(failuresOf("shop-1")).toEqual({ reason: null, gates: [], steps: [] });
      const failed2 = failuresOf("shop-2");
      expect(failed2?.gates.map((g) => [g.trainId, g.gate, g.verdict])).toEqual([
        ["shop-2", "health", "fail"],
      ]);
      expect(failed2?.gates[0]?.output).toContain("exit code 1");
      expect(failed2?.reason).toContain("health");
      expect(failed2?.steps.every((step) => step.status === "failed")).toBe(true);

      // Gate results across trains, newest first: shop-2's failed verification, then its gating
      // tests, then shop-1's verification and tests.
      const results = await s.request<
        Array<{ trainId: string; gate: string; type: string; verdict: string }>
      >("GET", "/api/v1/gate-results");
      expect(results.status, JSON.stringify(results.body)).toBe(200);
      const seen = (list: typeof results.body) => list.map((r) => [r.trainId, r.gate, r.verdict]);
      expect(seen(results.body)).toEqual([
        ["shop-2", "health", "fail"],
        ["shop-2", "tests", "pass"],
        ["shop-1", "health", "pass"],
        ["shop-1", "tests", "pass"],
      ]);
      const gateResults = (query: string) =>
        s.request<typeof results.body & { detail?: string }>("GET", `/api/v1/gate-results?${query}`);
      expect(seen((await gateResults("type=command&line=shop")).body)).toEqual(seen(results.body));
      expect((await gateResults("type=canary,slo")).body).toEqual([]);
      expect(seen((await gateResults("limit=1")).body)).toEqual([["shop-2", "health", "fail"]]);
      for (const [query, field] of [
        ["type=canry", "type canry"],
        ["line=nope", "line nope"],
        ["limit=0", "limit"],
      ] as const) {
        const refused = await gateResults(query);
        expect(refused.status, query).toBe(400);
        expect(refused.body.detail, query).toContain(field);
      }

      // Filters: a component keeps the trains carrying it; limit cuts after counting.
      const db = await ask(s, `${RANGE}&component=db`);
      expect(db.body.trains.map((t) => t.trainId)).toEqual(["shop-1"]);
      const api = await ask(s, `${RANGE}&component=api&line=shop`);
      expect(api.body.trains.map((t) => t.trainId)).toEqual(["shop-2", "shop-1"]);
      expect(api.body.query).toMatchObject({ component: "api", line: "shop" });
      const one = await ask(s, `${RANGE}&limit=1`);
      expect([one.body.matched, one.body.trains.map((t) => t.trainId)]).toEqual([4, ["shop-4"]]);
      // The period: trains alive in it (created before `to`, not ended before `from`).
      const later = await ask(s, "from=2026-03-03T00:00:00Z&to=2026-03-09T00:00:00Z");
      expect(later.body.trains.map((t) => t.trainId)).toEqual(["shop-4", "shop-3", "shop-2"]);
      const early = await ask(s, "from=2026-02-23T00:00:00Z&to=2026-03-02T06:00:00Z");
      expect(early.body.trains.map((t) => t.trainId)).toEqual(["shop-2", "shop-1"]);
      // Defaults: the 30 days before now on the engine's clock (3 March 09:30).
      const recent = await ask(s, "");
      expect(recent.body.query).toEqual({
        from: "2026-02-01T09:30:00.000Z",
        to: "2026-03-03T09:30:00.000Z",
        limit: 50,
      });
      expect(recent.body.matched).toBe(4);

      // A critical incident attributed to shop-1 makes it a failed change (M7).
      const critical = await s.request<Incident>("POST", "/api/v1/incidents", {
        line: "shop",
        trainId: "shop-1",
        title: "checkout down",
        severity: "critical",
      });
      expect(critical.status, JSON.stringify(critical.body)).toBe(201);
      const after = await ask(s, `${RANGE}&line=shop`);
      const again = after.body.trains.find((t) => t.trainId === "shop-1") as Row;
      expect(again.changeFailed).toBe(true);
      expect(again.incidents.map((i) => i.severity)).toEqual(["warning", "critical"]);

      for (const [query, field] of [
        [`${RANGE}&line=nope`, "line nope"],
        [`${RANGE}&component=nope`, "component nope"],
        ["from=2026-03-09T00:00:00Z&to=2026-03-01T00:00:00Z", "from"],
        ["from=yesterday", "from"],
        ["limit=0", "limit"],
        ["include=everything", "include"],
      ] as const) {
        const refused = await ask(s, query);
        expect(refused.status, query).toBe(400);
        expect(refused.contentType).toContain("application/problem+json");
        expect(refused.body.detail, query).toContain(field);
      }
    });
  });
}
