/**
 * `GET /api/v1/timetable`: the running configuration's departures, the same as the offline
 * `railyard timetable`, on SQLite and PostgreSQL.
 */
import { describe, expect, it } from "vitest";
import type { Departure } from "../../src/domain/timetable.js";
import { DIALECTS } from "../support/dialects.js";
import { useWorldScenario } from "../support/scenario.js";

for (const dialect of DIALECTS) {
  describe(`${dialect}: GET /api/v1/timetable`, () => {
    const { setup } = useWorldScenario(dialect);

    it("lists departures in a range with train IDs, windows and blackout status", async () => {
      const { server } = await setup({
        line: `    window: [{ days: [MO, TU, WE, TH, FR], from: "09:00", to: "17:00" }]
    blackouts:
      - { name: freeze, reason: Quarter close, from: 2026-03-04, to: 2026-03-04 }
`,
      });
      const answer = await server.request<Departure[]>(
        "GET",
        "/api/v1/timetable?line=shop&from=2026-03-02T00:00:00Z&to=2026-03-06T00:00:00Z",
      );
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.map((d) => [d.train, d.departureAt, d.cutoffAt, d.status, d.windowEnd])).toEqual([
        [
          "shop-1",
          "2026-03-02T09:00:00.000Z",
          "2026-03-02T07:00:00.000Z",
          "scheduled",
          "2026-03-02T16:00:00.000Z",
        ],
        [
          "shop-2",
          "2026-03-03T09:00:00.000Z",
          "2026-03-03T07:00:00.000Z",
          "scheduled",
          "2026-03-03T16:00:00.000Z",
        ],
        // 4 March is frozen all day: the departure would move to the 5th 09:00 (the window's
        // opening), before the next departure at 10:00, so it is shifted.
        [
          "shop-3",
          "2026-03-05T08:00:00.000Z",
          "2026-03-04T07:00:00.000Z",
          "shifted",
          "2026-03-05T16:00:00.000Z",
        ],
        [
          "shop-4",
          "2026-03-05T09:00:00.000Z",
          "2026-03-05T07:00:00.000Z",
          "scheduled",
          "2026-03-05T16:00:00.000Z",
        ],
      ]);
      expect(answer.body[2]!.reason).toBe("blackout freeze: Quarter close");
      // The defaults: 30 days from now; every line.
      const all = await server.request<Departure[]>("GET", "/api/v1/timetable");
      expect(all.status).toBe(200);
      expect(all.body).toHaveLength(30);
    });

    it("refuses a bad range and an unknown line", async () => {
      const { server } = await setup();
      const reversed = await server.request(
        "GET",
        "/api/v1/timetable?from=2026-04-01T00:00:00Z&to=2026-03-01T00:00:00Z",
      );
      expect(reversed.status).toBe(400);
      expect((reversed.body as { detail: string }).detail).toBe("to must be after from");
      const unknown = await server.request("GET", "/api/v1/timetable?line=shopp");
      expect(unknown.status).toBe(404);
      expect((unknown.body as { detail: string }).detail).toBe('no line "shopp": configured lines are shop');
    });
  });
}
