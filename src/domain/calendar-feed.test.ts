import fc from "fast-check";
import ICAL from "ical.js";
import { beforeEach, describe, expect, it } from "vitest";
import {
  type CalendarFeedLine,
  fingerprintOf,
  foldContentLines,
  planCalendarFeed,
  renderCalendarFeed,
  utcStamp,
} from "./calendar-feed.js";
import { type RailyardConfig, RailyardConfig as RailyardConfigSchema } from "./config/schema.js";
import type { Train } from "./model.js";
import { zoneRules } from "./recurrence/zone.js";
import { compileTimetable } from "./timetable.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);

/** A configuration with lines `web` (team shop) and `api` (team core) merged with the given blocks. */
function configWith(
  web: Record<string, unknown>,
  extra: { api?: Record<string, unknown>; blackouts?: unknown[] } = {},
): RailyardConfig {
  const line = (component: string, block: Record<string, unknown>) => ({
    components: [component],
    rollout: { waves: [{ name: "all", environments: ["eu", "us"] }] },
    ...block,
    schedule: {
      rrule: "FREQ=WEEKLY;BYDAY=TU",
      start: "2026-01-06T10:00",
      timezone: "Europe/Berlin",
      cutoff: "26h",
      ...((block.schedule as object | undefined) ?? {}),
    },
  });
  return RailyardConfigSchema.parse({
    version: 1,
    teams: { shop: {}, core: {} },
    deployers: { cmd: { type: "command", command: "true" } },
    components: { web: { team: "shop", deployer: "cmd" }, api: { team: "core", deployer: "cmd" } },
    environments: {
      staging: { kind: "integration" },
      eu: { kind: "production" },
      us: { kind: "production" },
    },
    lines: { web: line("web", web), ...(extra.api ? { api: line("api", extra.api) } : {}) },
    blackouts: extra.blackouts ?? [],
  });
}

type FeedTrain = CalendarFeedLine["trains"][number];

function feedLine(config: RailyardConfig, name: string, trains: FeedTrain[] = []): CalendarFeedLine {
  return { timetable: compileTimetable(name, config), config: config.lines[name]!, trains };
}

interface Range {
  from: string;
  to: string;
}

function render(lines: CalendarFeedLine[], range: Range, sequences = new Map<string, number>()): string {
  const plan = planCalendarFeed({ name: "Railyard", lines, fromMs: at(range.from), toMs: at(range.to) });
  return renderCalendarFeed(plan, sequences, at(range.from));
}

interface Parsed {
  calendar: ICAL.Component;
  events: ICAL.Event[];
  byUid: Map<string, ICAL.Event>;
}

/** Parses a feed with ical.js, its VTIMEZONEs registered with the timezone service. */
function parse(text: string): Parsed {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(vtimezone);
  }
  const events = calendar.getAllSubcomponents("vevent").map((c) => new ICAL.Event(c));
  return { calendar, events, byUid: new Map(events.map((e) => [e.uid, e])) };
}

const ms = (time: ICAL.Time) => time.toUnixTime() * 1000;
const prop = (event: ICAL.Event, name: string) => event.component.getFirstPropertyValue(name);
/** The raw DTSTART line of each event by UID, e.g. `DTSTART;TZID=Europe/Berlin:20260324T100000`. */
function dtstartLines(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let uid = "";
  for (const line of text.replace(/\r\n /g, "").split("\r\n")) {
    if (line.startsWith("UID:")) uid = line.slice(4);
    else if (line.startsWith("DTSTART") && uid) {
      out.set(uid, line);
      uid = "";
    }
  }
  return out;
}

beforeEach(() => {
  ICAL.TimezoneService.reset();
});

describe("calendar feed: departures keep their exact instants", () => {
  const cases = [
    {
      zone: "Europe/Berlin",
      schedule: { rrule: "FREQ=WEEKLY;BYDAY=TU", start: "2026-01-06T10:00", timezone: "Europe/Berlin" },
    },
    {
      zone: "America/New_York",
      schedule: {
        rrule: "FREQ=DAILY",
        start: "2026-01-05T09:15",
        timezone: "America/New_York",
        cutoff: "90m",
      },
    },
  ];
  it.each(cases)("in $zone across both DST changes of the year", ({ zone, schedule }) => {
    const config = configWith({ schedule });
    const line = feedLine(config, "web");
    const range = { from: "2026-01-01T00:00:00Z", to: "2026-12-31T00:00:00Z" };
    const text = render([line], range);
    const feed = parse(text);
    const starts = dtstartLines(text);
    const departures = line.timetable.timesBetween(at(range.from), at(range.to));
    expect(departures.length).toBeGreaterThan(40);
    for (const d of departures) {
      const uid = `web-${utcStamp(d.scheduledAt)}@railyard`;
      const event = feed.byUid.get(uid);
      expect(event, uid).toBeDefined();
      expect(starts.get(uid)).toMatch(new RegExp(`^DTSTART;TZID=${zone}:\\d{8}T\\d{6}$`));
      expect(ms(event!.startDate)).toBe(d.departureAt);
      expect(ms(event!.endDate)).toBe(d.departureAt + 30 * MINUTE);
      expect(event!.summary).toBe(`web-${d.number} departs`);
      const cutoff = feed.byUid.get(`web-${utcStamp(d.scheduledAt)}-cutoff@railyard`)!;
      expect(ms(cutoff.startDate)).toBe(d.cutoffAt);
      expect(cutoff.summary).toBe(`web-${d.number} boarding closes`);
    }
    // The feed's own VTIMEZONE, with a DAYLIGHT and a STANDARD observance in 2026.
    const vtimezones = feed.calendar.getAllSubcomponents("vtimezone");
    expect(vtimezones.map((v) => v.getFirstPropertyValue("tzid"))).toEqual([zone]);
    const kinds = vtimezones[0]!.getAllSubcomponents().map((c) => c.name);
    expect(kinds).toEqual(expect.arrayContaining(["daylight", "standard"]));
  });

  it("writes a departure moved by a spring-forward gap at its real local time (02:30 → 03:30)", () => {
    for (const [zone, start, day, instant, local] of [
      ["Europe/Berlin", "2027-03-26T02:30", "2027-03-28", "2027-03-28T01:30:00.000Z", "20270328T033000"],
      ["America/New_York", "2026-03-06T02:30", "2026-03-08", "2026-03-08T07:30:00.000Z", "20260308T033000"],
    ] as const) {
      ICAL.TimezoneService.reset();
      const config = configWith({
        schedule: { rrule: "FREQ=DAILY", start, timezone: zone, cutoff: "1h" },
      });
      const line = feedLine(config, "web");
      const range = { from: `${start.slice(0, 10)}T00:00:00Z`, to: `${day}T23:00:00Z` };
      const text = render([line], range);
      const moved = line.timetable
        .timesBetween(at(range.from), at(range.to))
        .find((d) => d.departureAt === at(instant));
      expect(moved, zone).toBeDefined();
      const uid = `web-${utcStamp(moved!.scheduledAt)}@railyard`;
      expect(dtstartLines(text).get(uid)).toBe(`DTSTART;TZID=${zone}:${local}`);
      const feed = parse(text);
      expect(ms(feed.byUid.get(uid)!.startDate)).toBe(at(instant));
      for (const d of line.timetable.timesBetween(at(range.from), at(range.to))) {
        expect(ms(feed.byUid.get(`web-${utcStamp(d.scheduledAt)}@railyard`)!.startDate)).toBe(d.departureAt);
      }
    }
  });

  it("writes a time that occurs twice (fall-back fold) in UTC, so no client can pick the other one", () => {
    const config = configWith({
      schedule: { rrule: "FREQ=DAILY", start: "2026-10-24T02:30", timezone: "Europe/Berlin", cutoff: "1h" },
    });
    const line = feedLine(config, "web");
    const range = { from: "2026-10-24T00:00:00Z", to: "2026-10-27T00:00:00Z" };
    const text = render([line], range);
    const fold = line.timetable
      .timesBetween(at(range.from), at(range.to))
      .find((d) => d.departureAt === at("2026-10-25T00:30:00Z"))!;
    const uid = `web-${utcStamp(fold.scheduledAt)}@railyard`;
    expect(dtstartLines(text).get(uid)).toBe("DTSTART:20261025T003000Z");
    const feed = parse(text);
    for (const d of line.timetable.timesBetween(at(range.from), at(range.to))) {
      expect(ms(feed.byUid.get(`web-${utcStamp(d.scheduledAt)}@railyard`)!.startDate)).toBe(d.departureAt);
    }
  });

  it("holds for any daily local time and start in several zones (property)", () => {
    const zones = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom(0, 15, 30, 45),
        fc.integer({ min: 0, max: 700 }),
        (zone, hour, minute, dayOffset) => {
          ICAL.TimezoneService.reset();
          const startDay = new Date(at("2025-06-01T00:00:00Z") + dayOffset * DAY).toISOString().slice(0, 10);
          const time = `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
          const config = configWith({
            schedule: { rrule: "FREQ=DAILY", start: `${startDay}T${time}`, timezone: zone, cutoff: "3h" },
          });
          const line = feedLine(config, "web");
          const fromMs = at(`${startDay}T00:00:00Z`);
          const range = {
            from: new Date(fromMs).toISOString(),
            to: new Date(fromMs + 200 * DAY).toISOString(),
          };
          const feed = parse(render([line], range));
          for (const d of line.timetable.timesBetween(at(range.from), at(range.to))) {
            const stamp = utcStamp(d.scheduledAt);
            expect(ms(feed.byUid.get(`web-${stamp}@railyard`)!.startDate)).toBe(d.departureAt);
            expect(ms(feed.byUid.get(`web-${stamp}-cutoff@railyard`)!.startDate)).toBe(d.cutoffAt);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe("calendar feed: windows, blackouts, status", () => {
  it("writes each window range as a weekly rule that expands to the window's local hours", () => {
    const config = configWith({
      window: [
        { days: ["WE", "TU"], from: "10:00", to: "16:00" },
        { days: ["FR"], from: "08:00", to: "09:30" },
      ],
    });
    const line = feedLine(config, "web");
    const range = { from: "2026-02-01T00:00:00Z", to: "2026-11-30T00:00:00Z" };
    const text = render([line], range);
    const feed = parse(text);
    const windows = feed.events.filter((e) => e.uid.startsWith("web-window-"));
    expect(windows.map((e) => [e.uid, e.component.getFirstPropertyValue("rrule")?.toString()])).toEqual([
      ["web-window-0@railyard", "FREQ=WEEKLY;BYDAY=TU,WE;UNTIL=20261130T000000Z"],
      ["web-window-1@railyard", "FREQ=WEEKLY;BYDAY=FR;UNTIL=20261130T000000Z"],
    ]);
    for (const w of windows) expect(prop(w, "transp")).toBe("TRANSPARENT");

    const zone = zoneRules("Europe/Berlin");
    const expanded: Array<[number, number]> = [];
    for (const w of windows) {
      const iterator = w.iterator();
      for (let next = iterator.next(); next; next = iterator.next()) {
        const start = ms(next);
        const end = next.clone();
        end.addDuration(w.duration);
        if (start >= at(range.from) && start < at(range.to)) expanded.push([start, ms(end)]);
      }
    }
    expanded.sort((a, b) => a[0] - b[0]);
    // Exactly the window's intervals, as the engine computes them, across the DST changes.
    const expected: Array<[number, number]> = [];
    for (
      let open = line.timetable.rules.window!.currentOrNext(at(range.from));
      open && open.start < at(range.to);
    ) {
      if (open.start >= at(range.from)) expected.push([open.start, open.end]);
      open = line.timetable.rules.window!.currentOrNext(open.end);
    }
    expect(expanded).toEqual(expected);
    expect(expanded.length).toBeGreaterThan(100);
    const localHours = new Set(
      expanded.map(([s, e]) => {
        const wall = (t: number) => new Date(zone.toWall(t)).toISOString().slice(11, 16);
        return `${wall(s)}-${wall(e)}`;
      }),
    );
    expect([...localHours].sort()).toEqual(["08:00-09:30", "10:00-16:00"]);
  });

  it("writes a range without days as a daily rule", () => {
    const config = configWith({ window: [{ from: "09:00", to: "17:00" }] });
    const text = render([feedLine(config, "web")], {
      from: "2026-03-01T00:00:00Z",
      to: "2026-04-01T00:00:00Z",
    });
    const window = parse(text).byUid.get("web-window-0@railyard")!;
    expect(window.component.getFirstPropertyValue("rrule")?.toString()).toBe(
      "FREQ=DAILY;UNTIL=20260401T000000Z",
    );
  });

  it("cancels skipped departures, names shifts, and keeps the UID of a shifted departure", () => {
    const freeze = { name: "freeze", reason: "quarter close", from: "2026-03-17", to: "2026-03-17" };
    const range = { from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z" };
    const uid = `web-${utcStamp(at("2026-03-17T09:00:00Z"))}@railyard`;

    const plain = parse(render([feedLine(configWith({}), "web")], range)).byUid.get(uid)!;
    expect([plain.summary, prop(plain, "status")]).toEqual(["web-11 departs", "CONFIRMED"]);

    const shifted = parse(render([feedLine(configWith({ blackouts: [freeze] }), "web")], range));
    const moved = shifted.byUid.get(uid)!;
    expect(moved.summary).toBe("web-11 departs (shifted: blackout freeze: quarter close)");
    expect(prop(moved, "status")).toBe("CONFIRMED");
    expect(ms(moved.startDate)).toBeGreaterThanOrEqual(at("2026-03-17T23:00:00Z"));

    const skipping = configWith({ blackouts: [freeze], onBlackout: "skip" });
    const skipped = parse(render([feedLine(skipping, "web")], range));
    const event = skipped.byUid.get(uid)!;
    expect(prop(event, "status")).toBe("CANCELLED");
    expect(event.description).toContain("Skipped");
    expect(prop(skipped.byUid.get(uid.replace("@", "-cutoff@"))!, "status")).toBe("CANCELLED");
    const blackout = skipped.events.find((e) => e.summary === "Blackout freeze: quarter close")!;
    expect(blackout.uid).toBe(`web-blackout-freeze-${utcStamp(at("2026-03-16T23:00:00Z"))}@railyard`);
    expect([ms(blackout.startDate), ms(blackout.endDate)]).toEqual([
      at("2026-03-16T23:00:00Z"),
      at("2026-03-17T23:00:00Z"),
    ]);
    expect(prop(blackout, "transp")).toBe("TRANSPARENT");
  });

  it("shows the train's state, cancels aborted and skipped trains, and lists hotfix trains", () => {
    const config = configWith({});
    const train = (id: string, state: Train["state"], extra: Partial<FeedTrain> = {}): FeedTrain => ({
      id,
      kind: "scheduled",
      state,
      reason: null,
      departureAt: "2026-03-03T09:00:00.000Z",
      ...extra,
    });
    const trains = [
      train("web-9", "released"),
      train("web-10", "aborted", { reason: "bad build" }),
      train("web-11", "skipped"),
      train("web-12", "boarding"),
      train("web-10-hotfix-1", "deploying", {
        kind: "hotfix",
        reason: "CVE-2026-1",
        departureAt: "2026-03-12T14:05:00.000Z",
      }),
    ];
    const range = { from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z" };
    const feed = parse(render([feedLine(config, "web", trains)], range));
    const departure = (n: number) => feed.events.find((e) => e.summary === `web-${n} departs`)!;
    expect([9, 10, 11, 12, 13].map((n) => prop(departure(n), "status"))).toEqual([
      "CONFIRMED",
      "CANCELLED",
      "CANCELLED",
      "CONFIRMED",
      "CONFIRMED",
    ]);
    expect(departure(10).description).toContain("Train state: aborted (bad build).");
    expect(departure(12).description).toContain("Train state: boarding.");
    expect(departure(13).description).not.toContain("Train state");
    const hotfix = feed.byUid.get("web-10-hotfix-1@railyard")!;
    expect(hotfix.summary).toBe("web-10-hotfix-1 departs (hotfix)");
    expect(ms(hotfix.startDate)).toBe(at("2026-03-12T14:05:00Z"));
    expect(hotfix.description).toContain("Train state: deploying (CVE-2026-1).");
  });

  it("gives each cut-off a display reminder an hour before, and every event a unique UID", () => {
    const global = [
      {
        name: "summer",
        reason: "holidays",
        rrule: "FREQ=YEARLY",
        start: "2026-08-01T00:00",
        duration: "14d",
      },
    ];
    const config = configWith(
      { window: [{ days: ["TU"], from: "09:00", to: "12:00" }] },
      {
        api: {
          schedule: {
            rrule: "FREQ=DAILY",
            start: "2026-01-01T08:00",
            timezone: "America/New_York",
            cutoff: "2h",
          },
        },
        blackouts: global,
      },
    );
    const range = { from: "2026-06-01T00:00:00Z", to: "2026-10-01T00:00:00Z" };
    const text = render([feedLine(config, "web"), feedLine(config, "api")], range);
    const feed = parse(text);
    const uids = feed.events.map((e) => e.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(uids.filter((u) => u.includes("-blackout-summer-"))).toHaveLength(2);
    expect(
      feed.calendar.getAllSubcomponents("vtimezone").map((v) => v.getFirstPropertyValue("tzid")),
    ).toEqual(["Europe/Berlin", "America/New_York"]);
    const cutoff = feed.events.find((e) => e.summary === "api-200 boarding closes")!;
    const alarm = cutoff.component.getFirstSubcomponent("valarm")!;
    expect(alarm.getFirstPropertyValue("action")).toBe("DISPLAY");
    expect(alarm.getFirstPropertyValue("trigger")?.toString()).toBe("-PT1H");
    expect(ms(cutoff.endDate) - ms(cutoff.startDate)).toBe(15 * MINUTE);
  });
});

describe("calendar feed: sequences", () => {
  it("fingerprints an event by what a calendar shows, and writes the sequences it is given", () => {
    const range = { fromMs: at("2026-03-01T00:00:00Z"), toMs: at("2026-04-01T00:00:00Z") };
    const plan = (config: RailyardConfig, trains: FeedTrain[] = []) =>
      planCalendarFeed({ name: "Railyard", lines: [feedLine(config, "web", trains)], ...range });
    const first = plan(configWith({}));
    const again = plan(configWith({}));
    expect(again.events.map((e) => [e.uid, e.fingerprint])).toEqual(
      first.events.map((e) => [e.uid, e.fingerprint]),
    );
    // A later range end moves the window's UNTIL but not its fingerprint.
    const windowed = (toMs: number) =>
      planCalendarFeed({
        name: "Railyard",
        lines: [feedLine(configWith({ window: [{ days: ["TU"], from: "09:00" }] }), "web")],
        fromMs: range.fromMs,
        toMs,
      }).events.find((e) => e.kind === "window")!;
    expect(windowed(range.toMs).rrule).not.toBe(windowed(range.toMs + DAY).rrule);
    expect(windowed(range.toMs).fingerprint).toBe(windowed(range.toMs + DAY).fingerprint);

    const aborted = plan(configWith({}), [
      {
        id: "web-10",
        kind: "scheduled",
        state: "aborted",
        reason: "no",
        departureAt: "2026-03-10T09:00:00.000Z",
      },
    ]);
    const changed = aborted.events.filter(
      (e, i) => e.fingerprint !== first.events[i]!.fingerprint || e.uid !== first.events[i]!.uid,
    );
    expect(changed.map((e) => e.uid)).toEqual([
      `web-${utcStamp(at("2026-03-10T09:00:00Z"))}-cutoff@railyard`,
      `web-${utcStamp(at("2026-03-10T09:00:00Z"))}@railyard`,
    ]);

    const sequences = new Map(first.events.map((e, i) => [e.uid, i]));
    const feed = parse(renderCalendarFeed(first, sequences, range.fromMs));
    for (const [uid, sequence] of sequences) expect(feed.byUid.get(uid)!.sequence).toBe(sequence);
    expect(prop(feed.events[0]!, "dtstamp")?.toString()).toBe("2026-03-01T00:00:00Z");
  });

  it("folds long lines at 75 octets without splitting a character", () => {
    const long = `DESCRIPTION:${"Zürich 🚆 ".repeat(20)}`;
    const folded = foldContentLines(`SHORT:ok\r\n${long}`);
    const lines = folded.split("\r\n");
    expect(lines[0]).toBe("SHORT:ok");
    for (const line of lines) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(lines.slice(2).every((l) => l.startsWith(" "))).toBe(true);
    expect(folded.replace(/\r\n /g, "")).toBe(`SHORT:ok\r\n${long}`);
  });

  it("hashes with 64-bit FNV-1a", () => {
    expect(fingerprintOf("")).toBe("cbf29ce484222325");
    expect(fingerprintOf("a")).toBe("af63dc4c8601ec8c");
    expect(fingerprintOf("foobar")).toBe("85944171f73967e8");
  });
});
