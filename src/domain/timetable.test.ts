import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatProblem, parseConfig } from "./config/load.js";
import { type RailyardConfig, RailyardConfig as RailyardConfigSchema } from "./config/schema.js";
import { formatLocalDateTime } from "./recurrence/local-time.js";
import { zoneRules } from "./recurrence/zone.js";
import { compileTimetable, type Departure, InvalidScheduleError } from "./timetable.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A valid configuration with one line `web` whose line block is merged with `line`. */
function configWith(line: Record<string, unknown>, extra: Record<string, unknown> = {}): RailyardConfig {
  return RailyardConfigSchema.parse({
    version: 1,
    teams: { shop: { members: [{ name: "ada", roles: ["coordinator"] }] } },
    deployers: { cmd: { type: "command", command: "true" } },
    components: { web: { team: "shop", deployer: "cmd" } },
    environments: {
      staging: { kind: "integration" },
      eu: { kind: "production" },
      us: { kind: "production" },
    },
    lines: {
      web: {
        schedule: {
          rrule: "FREQ=WEEKLY;BYDAY=TU",
          start: "2026-01-06T10:00",
          timezone: "Europe/Berlin",
          cutoff: "26h",
        },
        components: ["web"],
        rollout: { waves: [{ name: "all", environments: ["eu", "us"] }] },
        ...line,
      },
    },
    ...extra,
  });
}

const schedule = (change: Record<string, unknown>) => ({
  schedule: {
    rrule: "FREQ=WEEKLY;BYDAY=TU",
    start: "2026-01-06T10:00",
    timezone: "Europe/Berlin",
    cutoff: "26h",
    ...change,
  },
});

const at = (iso: string) => Date.parse(iso);
const pick = (d: Departure) => [d.train, d.departureAt, d.cutoffAt, d.status];

describe("compileTimetable: cadence", () => {
  it("keeps 10:00 local across DST and numbers departures from the start", () => {
    const timetable = compileTimetable("web", configWith({}));
    expect(timetable.departuresAfter(at("2026-03-20T00:00Z"), 3).map(pick)).toEqual([
      ["web-12", "2026-03-24T09:00:00.000Z", "2026-03-23T07:00:00.000Z", "scheduled"], // CET
      ["web-13", "2026-03-31T08:00:00.000Z", "2026-03-30T06:00:00.000Z", "scheduled"], // CEST
      ["web-14", "2026-04-07T08:00:00.000Z", "2026-04-06T06:00:00.000Z", "scheduled"],
    ]);
  });

  it("moves a departure in a spring-forward gap forward by the gap, and takes the first of a fold", () => {
    const gap = compileTimetable(
      "web",
      configWith(schedule({ rrule: "FREQ=DAILY", start: "2027-03-27T02:30", cutoff: "1h" })),
    );
    expect(gap.departuresAfter(at("2027-03-26T00:00Z"), 3).map((d) => d.departureAt)).toEqual([
      "2027-03-27T01:30:00.000Z", // 02:30 CET
      "2027-03-28T01:30:00.000Z", // 02:30 does not exist: 03:30 CEST
      "2027-03-29T00:30:00.000Z", // 02:30 CEST
    ]);
    const fold = compileTimetable(
      "web",
      configWith(schedule({ rrule: "FREQ=DAILY", start: "2026-10-24T02:30", cutoff: "1h" })),
    );
    expect(fold.departuresAfter(at("2026-10-24T12:00Z"), 1)[0]!.departureAt).toBe("2026-10-25T00:30:00.000Z");
  });

  it("follows biweekly, monthly 2nd Tuesday and last-Friday rules", () => {
    const biweekly = compileTimetable(
      "web",
      configWith(
        schedule({ rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", timezone: "America/New_York", cutoff: "PT2H" }),
      ),
    );
    expect(biweekly.departuresAfter(at("2026-01-01T00:00Z"), 3).map((d) => d.departureAt)).toEqual([
      "2026-01-06T15:00:00.000Z",
      "2026-01-20T15:00:00.000Z",
      "2026-02-03T15:00:00.000Z",
    ]);
    const second = compileTimetable(
      "web",
      configWith(schedule({ rrule: "FREQ=MONTHLY;BYDAY=2TU", start: "2026-01-13T10:00" })),
    );
    expect(second.departuresAfter(at("2026-01-01T00:00Z"), 3).map((d) => d.departureAt.slice(0, 10))).toEqual(
      ["2026-01-13", "2026-02-10", "2026-03-10"],
    );
    const lastFriday = compileTimetable(
      "web",
      configWith(
        schedule({
          rrule: "FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1",
          start: "2026-01-30T16:00",
          timezone: "UTC",
          cutoff: "2d",
        }),
      ),
    );
    expect(lastFriday.departuresAfter(at("2026-01-01T00:00Z"), 3).map((d) => d.departureAt)).toEqual([
      "2026-01-30T16:00:00.000Z",
      "2026-02-27T16:00:00.000Z",
      "2026-03-27T16:00:00.000Z",
    ]);
  });

  it("honours COUNT and UNTIL, exdates and rdates", () => {
    const counted = compileTimetable("web", configWith(schedule({ rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=2" })));
    expect(counted.departuresAfter(at("2025-01-01T00:00Z"), 5).map((d) => d.departureAt)).toEqual([
      "2026-01-06T09:00:00.000Z",
      "2026-01-13T09:00:00.000Z",
    ]);
    expect(counted.nextBoarding(at("2026-01-20T00:00Z"))).toBeUndefined();
    const until = compileTimetable(
      "web",
      configWith(schedule({ rrule: "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260120T090000Z" })),
    );
    expect(until.departuresAfter(at("2025-01-01T00:00Z"), 5)).toHaveLength(3);
    const moved = compileTimetable(
      "web",
      configWith(schedule({ exdates: ["2026-01-13T10:00", "2026-01-20"], rdates: ["2026-01-14T10:00"] })),
    );
    expect(moved.departuresAfter(at("2026-01-01T00:00Z"), 4).map(pick)).toEqual([
      ["web-1", "2026-01-06T09:00:00.000Z", "2026-01-05T07:00:00.000Z", "scheduled"],
      ["web-2", "2026-01-14T09:00:00.000Z", "2026-01-13T07:00:00.000Z", "scheduled"],
      ["web-3", "2026-01-27T09:00:00.000Z", "2026-01-26T07:00:00.000Z", "scheduled"],
      ["web-4", "2026-02-03T09:00:00.000Z", "2026-02-02T07:00:00.000Z", "scheduled"],
    ]);
  });

  it("accepts a 5-field cron expression as the same model", () => {
    const cron = compileTimetable("web", configWith(schedule({ rrule: undefined, cron: "0 10 * * 2" })));
    const rrule = compileTimetable("web", configWith({}));
    const from = at("2026-02-01T00:00Z");
    expect(cron.departuresAfter(from, 10)).toEqual(rrule.departuresAfter(from, 10));
  });

  it("names the departure still boarding: its cut-off is strictly ahead", () => {
    const timetable = compileTimetable("web", configWith({}));
    const cutoff = at("2026-03-23T07:00:00Z");
    expect(timetable.nextBoarding(cutoff - 1)?.departureAt).toBe("2026-03-24T09:00:00.000Z");
    expect(timetable.nextBoarding(cutoff)?.departureAt).toBe("2026-03-31T08:00:00.000Z");
  });
});

describe("compileTimetable: cut-offs, windows, blackouts", () => {
  it("counts business-day cut-offs back over weekends and the line's holidays", () => {
    const config = configWith(
      { ...schedule({ cutoff: { businessDays: 2, at: "17:00" } }), holidays: ["de"] },
      { calendars: { de: { dates: ["2026-12-24", "2026-12-25"] } } },
    );
    const timetable = compileTimetable("web", config);
    const [jan13, dec29] = [
      timetable.departuresAfter(at("2026-01-12T00:00Z"), 1)[0]!,
      timetable.departuresAfter(at("2026-12-28T00:00Z"), 1)[0]!,
    ];
    // Tuesday 13 Jan: two business days before is Friday 9 Jan, 17:00 CET.
    expect(jan13.cutoffAt).toBe("2026-01-09T16:00:00.000Z");
    // Tuesday 29 Dec: Monday 28 is one, Fri 25 and Thu 24 are holidays, Wed 23 is two.
    expect(dec29.cutoffAt).toBe("2026-12-23T16:00:00.000Z");
  });

  it("shows the window each departure deploys in", () => {
    const timetable = compileTimetable(
      "web",
      configWith({
        ...schedule({ start: "2026-01-06T08:00" }),
        window: [{ days: ["TU", "WE"], from: "10:00", to: "16:00" }],
      }),
    );
    const [d] = timetable.departuresAfter(at("2026-03-01T00:00Z"), 1);
    expect([d!.departureAt, d!.windowStart, d!.windowEnd]).toEqual([
      "2026-03-03T07:00:00.000Z",
      "2026-03-03T09:00:00.000Z",
      "2026-03-03T15:00:00.000Z",
    ]);
    const noWindow = compileTimetable("web", configWith({})).departuresAfter(0, 1)[0]!;
    expect([noWindow.windowStart, noWindow.windowEnd]).toEqual([null, null]);
  });

  it("shifts a departure out of a blackout, or skips it, per onBlackout", () => {
    const freeze = [{ name: "year-end", reason: "Year-end freeze", from: "2026-12-20", to: "2027-01-04" }];
    const shifted = compileTimetable(
      "web",
      configWith(
        { ...schedule({ rrule: "FREQ=MONTHLY;BYMONTHDAY=22", start: "2026-01-22T10:00" }) },
        { blackouts: freeze },
      ),
    );
    const dec = shifted.departuresAfter(at("2026-12-01T00:00Z"), 1)[0]!;
    expect([dec.scheduledAt, dec.departureAt, dec.status, dec.reason]).toEqual([
      "2026-12-22T09:00:00.000Z",
      "2027-01-04T23:00:00.000Z", // the end of 4 January, local midnight
      "shifted",
      "blackout year-end: Year-end freeze",
    ]);
    const skipped = compileTimetable("web", configWith({ onBlackout: "skip", blackouts: freeze }));
    const inFreeze = skipped.between(at("2026-12-20T00:00Z"), at("2027-01-06T00:00Z"));
    expect(inFreeze.map((d) => [d.departureAt.slice(0, 10), d.status])).toEqual([
      ["2026-12-22", "skipped"],
      ["2026-12-29", "skipped"],
      ["2027-01-05", "scheduled"],
    ]);
    expect(skipped.nextBoarding(at("2026-12-15T00:00Z"))?.departureAt.slice(0, 10)).toBe("2027-01-05");
    // Weekly trains in a two-week freeze: the first would be shifted past the next departure, so
    // it is skipped; the last one before the end moves to the end (midnight: no window).
    const weekly = compileTimetable("web", configWith({ blackouts: freeze }));
    expect(
      weekly.between(at("2026-12-20T00:00Z"), at("2027-01-06T00:00Z")).map((d) => [d.departureAt, d.status]),
    ).toEqual([
      ["2026-12-22T09:00:00.000Z", "skipped"],
      ["2027-01-04T23:00:00.000Z", "shifted"],
      ["2027-01-05T09:00:00.000Z", "scheduled"],
    ]);
  });

  it("does not move departures for blackouts of single environments", () => {
    const timetable = compileTimetable(
      "web",
      configWith({
        blackouts: [
          {
            name: "us-freeze",
            reason: "US holiday",
            environments: ["us"],
            from: "2026-01-13",
            to: "2026-01-13",
          },
        ],
      }),
    );
    expect(timetable.departuresAfter(at("2026-01-12T00:00Z"), 1)[0]!.status).toBe("scheduled");
  });
});

describe("compileTimetable: properties", () => {
  const zones = [
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "America/Santiago",
    "UTC",
  ];
  const rules = [
    "FREQ=DAILY",
    "FREQ=DAILY;INTERVAL=3",
    "FREQ=WEEKLY;BYDAY=TU",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
    "FREQ=MONTHLY;BYDAY=2TU",
    "FREQ=MONTHLY;BYMONTHDAY=1,15",
    "FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1",
    "FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU",
  ];
  const arbitrary = fc.record({
    rule: fc.constantFrom(...rules),
    zone: fc.constantFrom(...zones),
    day: fc.integer({ min: 0, max: 3650 }),
    minutes: fc.integer({ min: 0, max: 24 * 60 - 1 }),
    count: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
    untilDays: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
    blackout: fc.option(
      fc.record({ offset: fc.integer({ min: 0, max: 400 }), days: fc.integer({ min: 0, max: 20 }) }),
      {
        nil: undefined,
      },
    ),
    onBlackout: fc.constantFrom("shift" as const, "skip" as const),
  });

  it("departures increase strictly, keep wall time except in gaps, avoid blackouts, honour COUNT, close boarding first", () => {
    fc.assert(
      fc.property(arbitrary, (p) => {
        const startWall = Date.UTC(2020, 0, 1) + p.day * DAY + p.minutes * 60_000;
        const start = formatLocalDateTime(startWall).slice(0, 16);
        const blackouts = p.blackout
          ? [
              {
                name: "freeze",
                reason: "frozen",
                from: formatLocalDateTime(startWall + p.blackout.offset * DAY).slice(0, 10),
                to: formatLocalDateTime(startWall + (p.blackout.offset + p.blackout.days) * DAY).slice(0, 10),
              },
            ]
          : [];
        // COUNT and UNTIL may not be combined (RFC 5545): UNTIL only when there is no COUNT.
        const until =
          p.count === undefined && p.untilDays !== undefined
            ? Date.UTC(2020, 0, 1) + (p.day + p.untilDays) * DAY
            : null;
        const untilText =
          until === null ? "" : `;UNTIL=${new Date(until).toISOString().replace(/[-:]/g, "").slice(0, 15)}Z`;
        const rrule = p.count ? `${p.rule};COUNT=${p.count}` : `${p.rule}${untilText}`;
        const timetable = compileTimetable(
          "web",
          configWith({
            ...schedule({ rrule, start, timezone: p.zone, cutoff: "90m" }),
            blackouts,
            onBlackout: p.onBlackout,
          }),
        );
        const zone = zoneRules(p.zone);
        const horizon = (p.count ? 30 * 366 : 400) * DAY;
        const departures = timetable.between(
          zone.toInstant(startWall) - DAY,
          zone.toInstant(startWall) + horizon,
        );
        if (p.count) expect(departures.length).toBe(p.count);
        if (until !== null) {
          for (const d of departures) expect(Date.parse(d.scheduledAt)).toBeLessThanOrEqual(until);
          // Nothing the rule gives up to UNTIL is missing: the next departure without UNTIL is after it.
          const open = compileTimetable(
            "web",
            configWith({
              ...schedule({ rrule: p.rule, start, timezone: p.zone, cutoff: "90m" }),
              blackouts,
              onBlackout: p.onBlackout,
            }),
          );
          const beyond = open.departuresAfter(
            departures.length > 0
              ? Date.parse(departures.at(-1)!.departureAt)
              : zone.toInstant(startWall) - 1,
            1,
          )[0];
          if (beyond) expect(Date.parse(beyond.scheduledAt)).toBeGreaterThan(until);
        }
        const wallTime = startWall % DAY;
        let previous = Number.NEGATIVE_INFINITY;
        departures.forEach((d, index) => {
          const departure = Date.parse(d.departureAt);
          const scheduled = Date.parse(d.scheduledAt);
          expect(d.number).toBe(index + 1);
          expect(departure).toBeGreaterThan(previous);
          previous = departure;
          expect(Date.parse(d.cutoffAt)).toBeLessThan(scheduled);
          const wall = zone.toWall(scheduled);
          if (zone.inGap(Math.floor(wall / DAY) * DAY + wallTime)) {
            expect(wall % DAY).toBeGreaterThan(wallTime);
          } else {
            expect(wall % DAY).toBe(wallTime);
          }
          const inBlackout = timetable.rules.blackoutsAt(departure, null).length > 0;
          if (d.status === "skipped") expect(inBlackout).toBe(true);
          else expect(inBlackout).toBe(false);
          if (d.status === "shifted") expect(p.onBlackout).toBe("shift");
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe("schedule errors are configuration errors at FILE:LINE:COLUMN", () => {
  const text = (schedule: string, more = "") => `version: 1
teams: { shop: {} }
deployers: { cmd: { type: command, command: "true" } }
components: { web: { team: shop, deployer: cmd } }
environments: { staging: { kind: integration }, eu: { kind: production } }
lines:
  web:
    schedule:
${schedule}
    components: [web]
    rollout: { waves: [{ name: all, environments: [eu] }] }
${more}`;
  const base = {
    rrule: '      rrule: "FREQ=WEEKLY;BYDAY=TU"',
    start: "      start: 2026-01-06T10:00",
    timezone: "      timezone: Europe/Berlin",
    cutoff: "      cutoff: 2h",
  };
  const problemsOf = (yaml: string) => {
    const result = parseConfig(yaml, "railyard.yaml");
    return result.ok ? [] : result.problems.map(formatProblem);
  };
  const scheduleText = (change: Partial<typeof base>) => Object.values({ ...base, ...change }).join("\n");

  it.each([
    [
      "a bad RRULE",
      { rrule: '      rrule: "FREQ=FORTNIGHTLY"' },
      /^railyard\.yaml:9:14: lines\.web\.schedule\.rrule: invalid RRULE "FREQ=FORTNIGHTLY"/,
    ],
    [
      "an unknown zone",
      { timezone: "      timezone: Europe/Berlni" },
      /^railyard\.yaml:11:17: .*unknown time zone "Europe\/Berlni"/,
    ],
    [
      "a cut-off after its departure",
      { cutoff: '      cutoff: { businessDays: 0, at: "17:00" }' },
      /^railyard\.yaml:12:7: lines\.web\.schedule\.cutoff: the cut-off .* is not before departure web-1/,
    ],
    [
      "a bad cron",
      { rrule: '      cron: "0 25 * * *"' },
      /^railyard\.yaml:9:13: lines\.web\.schedule\.cron: .*hour/,
    ],
  ])("%s", (_name, change, expected) => {
    const problems = problemsOf(text(scheduleText(change)));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it("a window that ends before it starts", () => {
    const problems = problemsOf(
      text(scheduleText({}), '    window: [{ days: [MO], from: "16:00", to: "10:00" }]\n'),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^railyard\.yaml:15:47: lines\.web\.window\[0\]\.to: the window ends \(10:00\) before it starts \(16:00\)/,
    );
  });

  it("a blackout that ends before it starts, global or the line's", () => {
    const global = problemsOf(
      `${text(scheduleText({}))}blackouts:\n  - { name: freeze, reason: x, from: 2026-12-20, to: 2026-12-01 }\n`,
    );
    expect(global).toHaveLength(1);
    expect(global[0]).toMatch(
      /^railyard\.yaml:16:54: blackouts\[0\]\.to: the blackout ends \(2026-12-01, through the end of that day\) before it starts/,
    );
    const own = problemsOf(
      text(
        scheduleText({}),
        "    blackouts:\n      - { name: ok, reason: x, from: 2026-12-01, to: 2026-12-02 }\n      - { name: bad, reason: x, from: 2026-12-20, to: 2026-12-01 }\n",
      ),
    );
    expect(own).toHaveLength(1);
    expect(own[0]).toMatch(/^railyard\.yaml:17:\d+: lines\.web\.blackouts\[1\]\.to: /);
  });

  it("refuses a schedule with neither or both of rrule and cron", () => {
    expect(
      problemsOf(text(scheduleText({ rrule: '      cron: "0 10 * * 2"\n      rrule: FREQ=DAILY' })))[0],
    ).toMatch(/lines\.web\.schedule: give rrule or cron, not both/);
  });

  it("throws InvalidScheduleError with the path for direct callers", () => {
    try {
      compileTimetable("web", configWith(schedule({ timezone: "Mars/Olympus" })));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidScheduleError);
      expect((error as InvalidScheduleError).path).toEqual(["lines", "web", "schedule", "timezone"]);
    }
  });
});
