/**
 * `GET /calendar.ics` on SQLite and PostgreSQL: a calendar app subscribed to the feed sees every
 * departure at its exact instant, the same UIDs and SEQUENCEs on every fetch, and a higher SEQUENCE
 * (with STATUS:CANCELLED where it applies) on exactly the events that changed — when a train is
 * aborted, or when a configuration reload adds a blackout.
 */
import { readFile, writeFile } from "node:fs/promises";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../support/dialects.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { createWorld, SHOP_1, type World } from "../support/world.js";

interface FeedEvent {
  uid: string;
  sequence: number;
  status: string;
  summary: string;
  description: string;
  start: number;
  transparent: boolean;
}

interface Feed {
  status: number;
  contentType: string | null;
  disposition: string | null;
  text: string;
  events: Map<string, FeedEvent>;
}

/** Parses a feed the way a calendar app does: its own VTIMEZONEs registered, times converted by them. */
function parseFeed(text: string): Map<string, FeedEvent> {
  ICAL.TimezoneService.reset();
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(vtimezone);
  const events = new Map<string, FeedEvent>();
  for (const component of calendar.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(component);
    expect(events.has(event.uid), `UID ${event.uid} twice`).toBe(false);
    events.set(event.uid, {
      uid: event.uid,
      sequence: event.sequence,
      status: String(component.getFirstPropertyValue("status")),
      summary: event.summary,
      description: event.description,
      start: event.startDate.toUnixTime() * 1000,
      transparent: component.getFirstPropertyValue("transp") === "TRANSPARENT",
    });
  }
  return events;
}

const sequences = (feed: Feed) => new Map([...feed.events.values()].map((e) => [e.uid, e.sequence]));
const departureUid = (instant: string) =>
  `shop-${instant.replace(/[-:]/g, "").replace(/\.\d{3}/, "")}@railyard`;

for (const dialect of DIALECTS) {
  describe(`${dialect}: GET /calendar.ics`, () => {
    let world: World;
    let server: TestServer;

    const fetchFeed = async (query = "", headers: Record<string, string> = {}): Promise<Feed> => {
      const response = await fetch(`${server.url}/calendar.ics${query}`, { headers });
      const text = await response.text();
      return {
        status: response.status,
        contentType: response.headers.get("content-type"),
        disposition: response.headers.get("content-disposition"),
        text,
        events: response.status === 200 ? parseFeed(text) : new Map(),
      };
    };

    beforeAll(async () => {
      world = await createWorld();
      server = await startTestServer(world, dialect);
      await server.advance("0s");
    });
    afterAll(async () => {
      await server?.cleanup();
      await world?.cleanup();
    });

    it("serves every departure at its exact instant, with the same UIDs and SEQUENCEs on every fetch", async () => {
      const first = await fetchFeed();
      expect(first.status, first.text).toBe(200);
      expect(first.contentType).toBe("text/calendar; charset=utf-8");
      expect(first.disposition).toBe('inline; filename="railyard.ics"');
      expect(first.text).toMatch(/^BEGIN:VCALENDAR\r\n/);
      expect(first.text).toContain("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n");

      const shop1 = first.events.get(departureUid(SHOP_1.departureAt))!;
      expect(shop1).toMatchObject({ summary: "shop-1 departs", status: "CONFIRMED", sequence: 0 });
      expect(shop1.start).toBe(Date.parse(SHOP_1.departureAt));
      expect(shop1.description).toContain("Train state: boarding.");
      expect(shop1.description).toContain("Components: db, api, web.");
      const cutoff = first.events.get(departureUid(SHOP_1.departureAt).replace("@", "-cutoff@"))!;
      expect(cutoff).toMatchObject({ summary: "shop-1 boarding closes", status: "CONFIRMED" });
      expect(cutoff.start).toBe(Date.parse(SHOP_1.cutoffAt));

      // By default from 30 days before now (the line starts today) to 180 days after: shop-1 … shop-180,
      // 10:00 Berlin across the change to summer time on March 29.
      const departures = [...first.events.values()].filter((e) => e.summary.endsWith(" departs"));
      expect(departures.map((e) => e.summary)).toEqual(
        Array.from({ length: 180 }, (_, i) => `shop-${i + 1} departs`),
      );
      const summer = first.events.get(departureUid("2026-03-30T08:00:00.000Z"))!;
      expect(summer.summary).toBe("shop-29 departs");

      const second = await fetchFeed();
      expect(second.status).toBe(200);
      expect(sequences(second)).toEqual(sequences(first));
      expect([...sequences(second).values()].every((s) => s === 0)).toBe(true);
    });

    it("raises the SEQUENCE of an aborted train's events, once, and cancels them", async () => {
      const before = await fetchFeed();
      const abort = await server.request("POST", "/api/v1/trains/shop-2/abort", {
        reason: "nothing to ship",
      });
      expect(abort.status, JSON.stringify(abort.body)).toBe(200);

      const after = await fetchFeed();
      const uid = departureUid("2026-03-03T09:00:00.000Z");
      const cutoffUid = uid.replace("@", "-cutoff@");
      expect(after.events.get(uid)).toMatchObject({
        sequence: 1,
        status: "CANCELLED",
        summary: "shop-2 departs",
      });
      expect(after.events.get(uid)!.description).toMatch(/^Train state: aborted \(.*nothing to ship\)\.$/m);
      expect(after.events.get(cutoffUid)).toMatchObject({ sequence: 1, status: "CANCELLED" });
      const changed = [...after.events.values()].filter(
        (e) => e.sequence !== before.events.get(e.uid)?.sequence,
      );
      expect(changed.map((e) => e.uid).sort()).toEqual([uid, cutoffUid].sort());

      const again = await fetchFeed();
      expect(sequences(again)).toEqual(sequences(after));
    });

    it("follows a configuration reload: a new blackout appears and the departure it skips is cancelled", async () => {
      const before = await fetchFeed();
      const text = await readFile(world.configFile, "utf8");
      const anchor = "    components: [db, api, web]\n";
      expect(text).toContain(anchor);
      await writeFile(
        world.configFile,
        text.replace(
          anchor,
          `${anchor}    onBlackout: skip\n    blackouts:\n      - { name: freeze, reason: "quarter close", from: "2026-03-10", to: "2026-03-10" }\n`,
        ),
      );
      const reload = await server.request("POST", "/api/v1/config/reload");
      expect(reload.status, JSON.stringify(reload.body)).toBe(200);

      const after = await fetchFeed();
      const uid = departureUid("2026-03-10T09:00:00.000Z");
      expect(after.events.get(uid)).toMatchObject({
        sequence: before.events.get(uid)!.sequence + 1,
        status: "CANCELLED",
        summary: "shop-9 departs (skipped: blackout freeze: quarter close)",
      });
      const blackout = after.events.get("shop-blackout-freeze-20260309T230000Z@railyard");
      expect(blackout).toMatchObject({
        sequence: 0,
        summary: "Blackout freeze: quarter close",
        transparent: true,
      });
      expect(blackout!.start).toBe(Date.parse("2026-03-09T23:00:00Z"));
      const changed = [...after.events.values()]
        .filter((e) => before.events.has(e.uid) && e.sequence !== before.events.get(e.uid)!.sequence)
        .map((e) => e.uid);
      expect(changed.sort()).toEqual([uid, uid.replace("@", "-cutoff@")].sort());
    });

    it("filters by line and by team, and names the defined ones for an unknown name", async () => {
      const all = await fetchFeed();
      expect([...(await fetchFeed("?line=shop")).events.keys()]).toEqual([...all.events.keys()]);
      expect([...(await fetchFeed("?team=core")).events.keys()]).toEqual([...all.events.keys()]);
      const board = await fetchFeed("?team=board");
      expect(board.status).toBe(200);
      expect(board.events.size).toBe(0);
      expect(board.text).toContain("X-WR-CALNAME:Railyard: team board");

      for (const [query, detail] of [
        ["?line=cart", 'no line "cart": configured lines are shop'],
        ["?team=ops", 'no team "ops": configured teams are core, board'],
      ] as const) {
        const response = await fetch(`${server.url}/calendar.ics${query}`);
        expect(response.status).toBe(404);
        expect(response.headers.get("content-type")).toContain("application/problem+json");
        expect(await response.json()).toMatchObject({ status: 404, code: "not-found", detail });
      }
    });

    it("covers the range asked for, at most two years", async () => {
      const feed = await fetchFeed("?from=2026-03-05T00:00:00Z&to=2026-03-07T00:00:00Z");
      expect([...feed.events.values()].map((e) => e.summary)).toEqual([
        "shop-4 boarding closes",
        "shop-4 departs",
        "shop-5 boarding closes",
        "shop-5 departs",
      ]);
      for (const query of [
        "?from=2026-03-05T00:00:00Z&to=2028-03-07T00:00:00Z",
        "?from=2026-03-07T00:00:00Z&to=2026-03-05T00:00:00Z",
        "?from=yesterday",
      ]) {
        const response = await fetch(`${server.url}/calendar.ics${query}`);
        expect(response.status, query).toBe(400);
        expect(response.headers.get("content-type")).toContain("application/problem+json");
      }
    });

    it("accepts a token in the query for calendar apps that cannot send a header", async () => {
      const viewer = await server.token("vera", ["viewer"]);
      expect((await fetchFeed(`?token=${encodeURIComponent(viewer)}`)).status).toBe(200);
      expect((await fetchFeed("", { authorization: `Bearer ${viewer}` })).status).toBe(200);
      const bad = await fetch(`${server.url}/calendar.ics?token=ry_not-a-token`);
      expect(bad.status).toBe(401);
      expect(bad.headers.get("content-type")).toContain("application/problem+json");
    });

    it("is documented in the OpenAPI document with its parameters and a text/calendar answer", async () => {
      const answer = await server.request<{
        paths: Record<
          string,
          Record<
            string,
            {
              parameters: Array<{ name: string; in: string }>;
              responses: Record<string, { content?: object }>;
            }
          >
        >;
      }>("GET", "/api/openapi.json");
      const operation = answer.body.paths["/calendar.ics"]?.get;
      expect(operation).toBeDefined();
      expect(operation!.parameters.filter((p) => p.in === "query").map((p) => p.name)).toEqual(
        expect.arrayContaining(["line", "team", "from", "to", "token"]),
      );
      expect(Object.keys(operation!.responses["200"]!.content ?? {})).toEqual(["text/calendar"]);
      expect(Object.keys(operation!.responses)).toEqual(expect.arrayContaining(["400", "401", "404"]));
    });
  });
}
