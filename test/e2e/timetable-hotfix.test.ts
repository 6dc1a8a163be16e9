/**
 * Hotfix trains through the HTTP API on both databases: who may start one, what it carries, the
 * ID it gets, the fast-track gates it runs instead of the line's, the window it ignores, the
 * blackouts it respects (an exception given with the request), and the regular timetable it
 * leaves alone.
 */
import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../src/domain/events.js";
import type { Train } from "../../src/domain/model.js";
import { DIALECTS } from "../support/dialects.js";
import { useWorldScenario } from "../support/scenario.js";
import type { TestServer } from "../support/server.js";

type ApiTrain = Train & { statusText: string; detail?: string };

for (const dialect of DIALECTS) {
  describe(`${dialect}: hotfix trains`, () => {
    const { setup, board, detail } = useWorldScenario(dialect);

    const start = (s: TestServer, body: unknown, token?: string, line = "shop") =>
      s.request<ApiTrain>("POST", `/api/v1/lines/${line}/hotfixes`, body, token);

    it("starts <line>-<n>-hotfix-<k> for permitted roles with pushed versions, runs the hotfix gates, ignores the window", async () => {
      const { world: w, server: s } = await setup({
        line: `    window:
      - { from: "09:00", to: "12:00" }
    hotfix:
      gates:
        - { name: smoke, type: command, command: "true", timeout: 30s }
      roles: [coordinator]
`,
      });
      const ann = await s.token("ann", ["member"]);
      const cora = await s.token("cora", ["coordinator"]);
      const api101 = {
        components: [{ component: "api", version: "1.0.1" }],
        reason: "api leaks connections",
      };

      const notPushed = await start(s, api101, cora);
      expect(notPushed.status).toBe(404);
      expect(notPushed.body.detail).toBe(
        "components[0]: api 1.0.1 has not been pushed; push it first (railyard artifact push --component api --version 1.0.1 --commit <sha>)",
      );
      for (const [token, who, has] of [
        [ann, "ann", "member"],
        [undefined, "admin", "admin"],
      ] as const) {
        const forbidden = await start(s, api101, token);
        expect(forbidden.status).toBe(403);
        // ann fails the role matrix; the admin holds the action but not the line's hotfix roles.
        expect(forbidden.body.detail).toBe(
          who === "ann"
            ? "ann may not start hotfix trains: it needs one of the roles coordinator, admin (ann has member)"
            : `${who} may not start a hotfix train on line shop: it needs one of the roles coordinator (${who} has ${has})`,
        );
      }
      const stranger = await start(
        s,
        { ...api101, components: [{ component: "billing", version: "1.0.0" }] },
        cora,
      );
      expect(stranger.status).toBe(400);
      expect(stranger.body.detail).toBe(
        "components[0].component: billing rides no line, not shop; line shop carries db, api, web",
      );
      expect((await start(s, { components: api101.components }, cora)).status).toBe(400);
      expect((await start(s, { ...api101, components: [] }, cora)).status).toBe(400);
      expect((await start(s, api101, cora, "nope")).status).toBe(404);
      expect((await s.request<Train[]>("GET", "/api/v1/trains?line=shop")).body.map((t) => t.id)).toEqual([
        "shop-2",
        "shop-1",
      ]);

      // shop-1 reaches production and is released inside the window (09:00–12:00 Berlin).
      await board(s, { db: "1.0.0", api: "1.0.0", web: "1.0.0" });
      await s.advance("2h");
      await s.advance("2h");
      await s.advance("30m");
      expect((await detail(s, "shop-1")).train.state).toBe("released");
      await s.advance("1h30m"); // 12:00 Berlin: the window has closed
      await board(s, { api: "1.0.1" }); // boards shop-2, as every push does
      await w.fail("gating"); // the line's own gate fails: a hotfix does not run it

      const started = await start(s, api101, cora);
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      expect(started.body).toMatchObject({
        id: "shop-1-hotfix-1",
        line: "shop",
        number: 1,
        kind: "hotfix",
        state: "frozen",
        scheduledAt: null,
        cutoffAt: "2026-03-02T11:00:00.000Z",
        departureAt: "2026-03-02T11:00:00.000Z",
        reason: "hotfix: api leaks connections (api 1.0.1)",
      });
      let d = await detail(s, "shop-1-hotfix-1");
      expect(d.manifest).toMatchObject([
        { component: "api", version: "1.0.1", previousVersion: "1.0.0", status: "boarded" },
      ]);
      expect(d.events[0]).toMatchObject({
        type: "train.created",
        actor: "cora",
        payload: { kind: "hotfix", hotfixOf: 1, reason: "api leaks connections", scheduledAt: null },
      });

      await s.advance("0s");
      d = await detail(s, "shop-1-hotfix-1");
      expect(d.train).toMatchObject({ state: "verifying", currentWave: 0 });
      expect(d.steps.filter((st) => st.kind === "gate").map((st) => st.key)).toEqual([
        "r1/gate/gating/smoke",
      ]);
      await s.advance("30m");
      d = await detail(s, "shop-1-hotfix-1");
      expect(d.train.state).toBe("released");
      expect(await w.show("env/us.yaml")).toContain("api:\n  version: 1.0.1");

      const second = await start(
        s,
        { components: [{ component: "web", version: "1.0.0" }], reason: "again" },
        cora,
      );
      expect(second.body.id).toBe("shop-1-hotfix-2");
      // The timetable is untouched: shop-2 is still the boarding train, numbered 2, shop-3 next.
      const regular = (await s.request<ApiTrain[]>("GET", "/api/v1/trains?line=shop&limit=10")).body;
      expect(regular.filter((t) => t.kind === "scheduled").map((t) => [t.id, t.number, t.state])).toEqual([
        ["shop-3", 3, "scheduled"],
        ["shop-2", 2, "boarding"],
        ["shop-1", 1, "released"],
      ]);
      expect((await detail(s, "shop-2")).artifacts.map((a) => `${a.component} ${a.version}`)).toEqual([
        "api 1.0.1",
      ]);
    });

    it("needs an exception to start inside a blackout, from a role the blackout names", async () => {
      const { server: s } = await setup({
        line: `    blackouts:
      - { name: year-end, reason: Year-end freeze, from: "2026-03-02T11:00", to: "2026-03-02T18:00" }
`,
      });
      const cora = await s.token("cora", ["coordinator"]);
      await board(s, { db: "1.0.0", api: "1.0.0" });
      await s.advance("2h");
      await s.advance("2h");
      await s.advance("30m");
      expect((await detail(s, "shop-1")).train.state).toBe("released");
      await s.advance("1h"); // 11:30 Berlin, inside the blackout
      const body = { components: [{ component: "api", version: "1.0.0" }], reason: "payment outage" };

      const refused = await start(s, body, cora);
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toBe(
        "blackout year-end (Year-end freeze) stops deployments of line shop until 2026-03-02T17:00:00.000Z; to start the hotfix through it, give an exception reason (exceptionReason, railyard hotfix --exception-reason) as someone holding one of the roles admin",
      );
      const forbidden = await start(s, { ...body, exceptionReason: "customers cannot pay" }, cora);
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.detail).toBe(
        "cora may not start a hotfix train through blackout year-end: it needs one of the roles admin (cora has coordinator)",
      );
      const trains = (await s.request<Train[]>("GET", "/api/v1/trains?line=shop")).body;
      expect(trains.filter((t) => t.kind === "hotfix")).toEqual([]);

      const started = await start(s, { ...body, exceptionReason: "customers cannot pay" });
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      const id = started.body.id;
      expect(id).toBe("shop-1-hotfix-1");
      const granted = (await detail(s, id)).events.filter((e) => e.type === "exception.granted");
      expect(granted).toEqual([
        expect.objectContaining({
          actor: "admin",
          payload: { blackout: "year-end", reason: "customers cannot pay" },
        }) as StoredEvent,
      ]);
      expect((await s.request("GET", `/api/v1/trains/${id}/exceptions`)).body).toMatchObject([
        { blackout: "year-end", actor: "admin", reason: "customers cannot pay" },
      ]);
      await s.advance("0s");
      expect((await detail(s, id)).train).toMatchObject({ state: "verifying", currentWave: 0 });
    });
  });
}
