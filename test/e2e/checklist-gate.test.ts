/**
 * Checklist gates end to end, on both databases: the gate blocks until every item is ticked by
 * someone holding its role, each tick is audited, and the tick that completes the checklist
 * retries the blocked train.
 */
import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../src/domain/events.js";
import type { ChecklistView } from "../../src/engine/checklists.js";
import { DIALECTS } from "../support/dialects.js";
import { useWorldScenario } from "../support/scenario.js";

for (const dialect of DIALECTS) {
  describe(`${dialect}: the checklist gate`, () => {
    const { setup, board, detail } = useWorldScenario(dialect);

    it("blocks until every item is ticked by its role, then the last tick retries the train", async () => {
      const { server: s } = await setup({
        gates: `      - name: readiness
        type: checklist
        items:
          - { id: on-call, text: "On-call roster confirmed", roles: [coordinator] }
          - { id: comms, text: "Stakeholders told" }`,
      });
      await board(s, { db: "1.0.0" });
      await s.advance("2h");
      let d = await detail(s, "shop-1");
      expect(d.train).toMatchObject({ state: "blocked", resumeTo: "gating" });
      expect(d.gates.at(-1)).toMatchObject({ gate: "readiness", verdict: "fail" });
      expect(d.train.reason).toContain("0 of 2 items ticked; open: on-call, comms");

      const cora = await s.token("cora", ["coordinator"]);
      const ann = await s.token("ann", ["member"]);
      const path = (item: string) => `/api/v1/trains/shop-1/checklists/readiness/items/${item}`;
      expect((await s.request("POST", path("on-call"), {}, ann)).status).toBe(403);
      expect((await s.request("POST", path("nope"), {}, cora)).status).toBe(404);
      const first = await s.request<{ retried: boolean }>(
        "POST",
        path("on-call"),
        { note: "rota checked" },
        cora,
      );
      expect(first.status).toBe(201);
      expect(first.body.retried).toBe(false);
      expect((await s.request("POST", path("on-call"), {}, cora)).status).toBe(409);
      const last = await s.request<{ checklist: ChecklistView; retried: boolean }>(
        "POST",
        path("comms"),
        {},
        cora,
      );
      expect(last.body).toMatchObject({ retried: true, checklist: { complete: true } });

      await s.advance("0s");
      d = await detail(s, "shop-1");
      expect(d.train.state).toBe("awaiting_approval");
      expect(d.gates.at(-1)).toMatchObject({ gate: "readiness", verdict: "pass" });
      const lists = await s.request<ChecklistView[]>("GET", "/api/v1/trains/shop-1/checklists");
      expect(lists.body[0]?.items.map((i) => [i.id, i.ticked?.by, i.ticked?.note])).toEqual([
        ["on-call", "cora", "rota checked"],
        ["comms", "cora", null],
      ]);
      const events = await s.request<StoredEvent[]>("GET", "/api/v1/events?train=shop-1&limit=5000");
      expect(events.body.filter((e) => e.type === "checklist.ticked").map((e) => e.actor)).toEqual([
        "cora",
        "cora",
      ]);
    });
  });
}
