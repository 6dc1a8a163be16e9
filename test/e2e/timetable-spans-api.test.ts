/**
 * `GET /api/v1/timetable/spans` on a real server: a line's window ranges and its blackout
 * occurrences (a one-off line blackout and a recurring global one), the defaults, and the 400s and
 * 404 for a bad range or an unknown line. SQLite only: the spans come from the configuration.
 */
import { describe, expect, it } from "vitest";
import { useWorldScenario } from "../support/scenario.js";

interface Spans {
  from: string;
  to: string;
  windows: Array<{ line: string; start: string; end: string }>;
  linesWithoutWindow: string[];
  blackouts: Array<{
    line: string;
    name: string;
    reason: string;
    scope: "global" | "line";
    start: string;
    end: string;
    environments: string[] | null;
    exceptionRoles: string[];
  }>;
  detail?: string;
}

const LINE = `    window: [{ days: [MO, TU, WE, TH, FR], from: "09:00", to: "17:00" }]
    blackouts:
      - { name: freeze, reason: Quarter close, from: 2026-03-04, to: 2026-03-04 }
`;
const TOP = `blackouts:
  - name: weekend
    reason: Nobody on call
    rrule: "FREQ=WEEKLY;BYDAY=FR"
    start: "2026-03-06T18:00"
    duration: 62h
    environments: [eu]
    exceptionRoles: [coordinator, admin]
`;

describe("sqlite: GET /api/v1/timetable/spans", () => {
  const { setup } = useWorldScenario("sqlite");

  it("lists window ranges and blackout occurrences in their time zone", async () => {
    const { server } = await setup({ line: LINE, top: TOP });
    const answer = await server.request<Spans>(
      "GET",
      "/api/v1/timetable/spans?from=2026-03-02T00:00:00Z&to=2026-03-09T00:00:00Z",
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.from).toBe("2026-03-02T00:00:00.000Z");
    expect(answer.body.to).toBe("2026-03-09T00:00:00.000Z");
    expect(answer.body.linesWithoutWindow).toEqual([]);
    // 09:00–17:00 Berlin is 08:00–16:00 UTC before the DST change; Monday to Friday.
    expect(answer.body.windows.map((w) => [w.line, w.start, w.end])).toEqual(
      ["02", "03", "04", "05", "06"].map((day) => [
        "shop",
        `2026-03-${day}T08:00:00.000Z`,
        `2026-03-${day}T16:00:00.000Z`,
      ]),
    );
    expect(answer.body.blackouts).toEqual([
      {
        line: "shop",
        name: "freeze",
        reason: "Quarter close",
        scope: "line",
        // The whole of 4 March in Berlin.
        start: "2026-03-03T23:00:00.000Z",
        end: "2026-03-04T23:00:00.000Z",
        environments: null,
        exceptionRoles: ["admin"],
      },
      {
        line: "shop",
        name: "weekend",
        reason: "Nobody on call",
        scope: "global",
        // Friday 18:00 Berlin for 62 hours, listed whole although the range ends before it does.
        start: "2026-03-06T17:00:00.000Z",
        end: "2026-03-09T07:00:00.000Z",
        environments: ["eu"],
        exceptionRoles: ["coordinator", "admin"],
      },
    ]);

    // One line, and the defaults: from now on the engine's clock, 30 days.
    const defaults = await server.request<Spans>("GET", "/api/v1/timetable/spans?line=shop");
    expect(defaults.status, JSON.stringify(defaults.body)).toBe(200);
    expect(defaults.body.from).toBe("2026-03-02T05:00:00.000Z");
    expect(Date.parse(defaults.body.to) - Date.parse(defaults.body.from)).toBe(30 * 86_400_000);
    // The window open at 05:00 UTC is the one opening at 08:00; weekdays only, 22 in 30 days.
    expect(defaults.body.windows[0]?.start).toBe("2026-03-02T08:00:00.000Z");
    expect(defaults.body.windows).toHaveLength(22);
    // Fridays 6, 13, 20 and 27 March.
    expect(defaults.body.blackouts.filter((b) => b.name === "weekend")).toHaveLength(4);
  });

  it("says when a line has no window", async () => {
    const { server } = await setup();
    const answer = await server.request<Spans>("GET", "/api/v1/timetable/spans");
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.windows).toEqual([]);
    expect(answer.body.linesWithoutWindow).toEqual(["shop"]);
    expect(answer.body.blackouts).toEqual([]);
  });

  it("refuses a bad range and an unknown line", async () => {
    const { server } = await setup();
    const reversed = await server.request<Spans>(
      "GET",
      "/api/v1/timetable/spans?from=2026-04-01T00:00:00Z&to=2026-03-01T00:00:00Z",
    );
    expect(reversed.status).toBe(400);
    expect(reversed.body.detail).toBe("to must be after from");
    const long = await server.request<Spans>(
      "GET",
      "/api/v1/timetable/spans?from=2026-01-01T00:00:00Z&to=2029-01-01T00:00:00Z",
    );
    expect(long.status).toBe(400);
    expect(long.body.detail).toContain("at most two years");
    const notInstant = await server.request<Spans>("GET", "/api/v1/timetable/spans?from=tomorrow");
    expect(notInstant.status).toBe(400);
    const unknown = await server.request<Spans>("GET", "/api/v1/timetable/spans?line=shopp");
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe('no line "shopp": configured lines are shop');
  });
});
