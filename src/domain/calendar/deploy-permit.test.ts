import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Blackout, type BlackoutConfig, type LineConfig, type WindowRangeConfig } from "../config/schema.js";
import { DAY_MS, HOUR_MS } from "../recurrence/local-time.js";
import { type BlackoutInterval, InvalidBlackoutError } from "./blackouts.js";
import { compileDeploymentRules, type Permit, type PermitQuery } from "./deploy-permit.js";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The parts of a line the deployment rules read. */
function line(options: {
  window?: WindowRangeConfig[];
  blackouts?: BlackoutConfig[];
  timezone?: string;
}): LineConfig {
  const partial: Partial<LineConfig> = {
    schedule: {
      rrule: "FREQ=WEEKLY;BYDAY=TU",
      start: "2026-01-06T10:00",
      timezone: options.timezone ?? "Europe/Berlin",
      cutoff: "26h",
      exdates: [],
      rdates: [],
    },
    window: options.window,
    blackouts: options.blackouts ?? [],
  };
  return partial as LineConfig;
}

const blackout = (config: Record<string, unknown>): BlackoutConfig => Blackout.parse(config);

const weekdays: WindowRangeConfig = { days: ["MO", "TU", "WE", "TH", "FR"], from: "10:00", to: "16:00" };
const yearEnd = blackout({
  name: "year-end",
  reason: "Year-end freeze",
  from: "2026-12-20",
  to: "2027-01-04",
});
const weekend = blackout({
  name: "weekend",
  reason: "Nobody on call",
  rrule: "FREQ=WEEKLY;BYDAY=FR",
  start: "2026-01-02T18:00",
  duration: "62h",
});
const euMaintenance = blackout({
  name: "eu-maintenance",
  reason: "Datacenter maintenance",
  environments: ["prod-eu"],
  from: "2026-06-10T08:00",
  to: "2026-06-10T20:00",
});
const holidays = blackout({ name: "holidays", reason: "Public holiday", calendar: "de" });
const calendars = { de: ["2026-05-01", "2026-10-03", "2026-12-25", "2026-12-26"] };

const lineWide: PermitQuery = { environments: null };
const eu: PermitQuery = { environments: ["prod-eu"] };
const us: PermitQuery = { environments: ["prod-us"] };

describe("permit", () => {
  const rules = compileDeploymentRules(
    line({ window: [weekdays], blackouts: [weekend, euMaintenance] }),
    [yearEnd],
    calendars,
  );

  it("allows a start inside the window with no blackout", () => {
    expect(rules.permit(at("2026-06-09T09:00:00Z"), eu)).toEqual({ ok: true });
  });

  it("stops a start outside the window until the next range opens", () => {
    // Tuesday 9 June 2026, 17:00 CEST.
    expect(rules.permit(at("2026-06-09T15:00:00Z"), us)).toEqual({
      ok: false,
      cause: "window",
      reason: "outside window",
      resumesAt: at("2026-06-10T08:00:00Z"),
    });
  });

  it("lets a hotfix ignore the window but not a blackout", () => {
    expect(
      rules.permit(at("2026-06-09T15:00:00Z"), { environments: ["prod-eu"], ignoreWindow: true }),
    ).toEqual({
      ok: true,
    });
    const permit = rules.permit(at("2026-12-22T03:00:00Z"), {
      environments: ["prod-eu"],
      ignoreWindow: true,
    });
    expect(permit).toMatchObject({ ok: false, cause: "blackout", resumesAt: at("2027-01-04T23:00:00Z") });
  });

  it("reports a blackout before the window", () => {
    // Saturday: outside the window and inside the weekend blackout.
    const permit = rules.permit(at("2026-06-13T12:00:00Z"), lineWide);
    expect(permit).toMatchObject({
      ok: false,
      cause: "blackout",
      reason: "blackout weekend: Nobody on call",
      resumesAt: at("2026-06-15T08:00:00Z"),
    });
  });

  it("names every blackout in force", () => {
    // Friday 25 December 2026, 20:00 CET: year-end and weekend.
    const permit = rules.permit(at("2026-12-25T19:00:00Z"), eu) as Extract<Permit, { cause: "blackout" }>;
    expect(permit.reason).toBe("blackout year-end: Year-end freeze; blackout weekend: Nobody on call");
    expect(permit.blackouts.map((b) => b.name)).toEqual(["year-end", "weekend"]);
    // Monday 4 January 2027 is in the freeze; the weekend ended at 08:00; Tuesday 10:00 is next.
    expect(iso(permit.resumesAt)).toBe("2027-01-05T09:00:00.000Z");
  });

  it("scopes environment blackouts", () => {
    const during = at("2026-06-10T09:00:00Z"); // Wednesday 11:00 CEST
    expect(rules.permit(during, eu)).toMatchObject({
      ok: false,
      cause: "blackout",
      reason: "blackout eu-maintenance: Datacenter maintenance",
      // It ends at 20:00 CEST, outside the window: Thursday 10:00.
      resumesAt: at("2026-06-11T08:00:00Z"),
    });
    expect(rules.permit(during, us)).toEqual({ ok: true });
    expect(rules.permit(during, { environments: ["prod-us", "prod-eu"] })).toMatchObject({
      cause: "blackout",
    });
    // The line as a whole is stopped only by blackouts that name no environment.
    expect(rules.permit(during, lineWide)).toEqual({ ok: true });
    expect(rules.blackoutsAt(during, null)).toEqual([]);
    expect(rules.blackoutsAt(during, ["prod-eu"]).map((b) => b.name)).toEqual(["eu-maintenance"]);
    expect(iso(rules.nextAllowed(during, us))).toBe("2026-06-10T09:00:00.000Z");
  });

  it("lets a train with an exception through that blackout only", () => {
    const friday = at("2026-12-25T19:00:00Z");
    const query = { environments: ["prod-eu"], exceptions: new Set(["year-end"]), ignoreWindow: true };
    const permit = rules.permit(friday, query);
    expect(permit).toMatchObject({
      ok: false,
      cause: "blackout",
      reason: "blackout weekend: Nobody on call",
    });
    // Monday 28 December 08:00 CET, inside the freeze the train is excepted from.
    expect(iso(rules.nextAllowed(friday, query))).toBe("2026-12-28T07:00:00.000Z");
    expect(rules.permit(at("2026-12-22T09:00:00Z"), { ...query, ignoreWindow: false })).toEqual({ ok: true });
    // blackoutsAt ignores exceptions.
    expect(rules.blackoutsAt(at("2026-12-22T09:00:00Z"), ["prod-eu"]).map((b) => b.name)).toEqual([
      "year-end",
    ]);
  });
});

describe("nextAllowed", () => {
  it("combines the window, a weekly blackout, a freeze and a holiday calendar", () => {
    const rules = compileDeploymentRules(
      line({ window: [weekdays], blackouts: [weekend, holidays] }),
      [yearEnd],
      calendars,
    );
    // Friday 18 December 2026 15:00 CET: open.
    expect(iso(rules.nextAllowed(at("2026-12-18T14:00:00Z"), lineWide))).toBe("2026-12-18T14:00:00.000Z");
    // 16:00: the window closed; the weekend and the freeze follow; Tuesday 5 January 10:00.
    expect(iso(rules.nextAllowed(at("2026-12-18T15:00:00Z"), lineWide))).toBe("2027-01-05T09:00:00.000Z");
    // Friday 2 October 16:30: Saturday 3 October is a holiday anyway; Monday 10:00.
    expect(iso(rules.nextAllowed(at("2026-10-02T14:30:00Z"), lineWide))).toBe("2026-10-05T08:00:00.000Z");
    // Thursday 30 April 2026 16:00 CEST: Friday 1 May is a holiday, then the weekend.
    expect(iso(rules.nextAllowed(at("2026-04-30T14:00:00Z"), lineWide))).toBe("2026-05-04T08:00:00.000Z");
  });

  it("jumps to the end of a blackout inside the window", () => {
    const morning = blackout({
      name: "db",
      reason: "Migration",
      from: "2026-06-09T09:00",
      to: "2026-06-09T12:30",
    });
    const rules = compileDeploymentRules(line({ window: [weekdays], blackouts: [morning] }), [], {});
    expect(iso(rules.nextAllowed(at("2026-06-09T07:30:00Z"), lineWide))).toBe("2026-06-09T10:30:00.000Z");
  });

  it("moves across the March change with the window in local time", () => {
    const rules = compileDeploymentRules(line({ window: [weekdays], blackouts: [weekend] }), [], {});
    // Friday 27 March 2026 16:00 CET → Monday 30 March 10:00 CEST.
    expect(iso(rules.nextAllowed(at("2026-03-27T15:00:00Z"), lineWide))).toBe("2026-03-30T08:00:00.000Z");
    expect(rules.permit(at("2026-03-30T07:30:00Z"), lineWide)).toMatchObject({ cause: "window" });
    // Friday 23 October 16:00 CEST → Monday 26 October 10:00 CET.
    expect(iso(rules.nextAllowed(at("2026-10-23T14:00:00Z"), lineWide))).toBe("2026-10-26T09:00:00.000Z");
  });

  it("reads a global blackout in its own time zone", () => {
    const newYork = blackout({
      name: "us-freeze",
      reason: "US launch",
      timezone: "America/New_York",
      from: "2026-06-09T00:00",
      to: "2026-06-09T12:00",
    });
    const rules = compileDeploymentRules(line({ window: [weekdays] }), [newYork], {});
    // Midnight to noon in New York is 04:00–16:00 UTC; the window ends 14:00 UTC.
    expect(iso(rules.nextAllowed(at("2026-06-09T08:00:00Z"), lineWide))).toBe("2026-06-10T08:00:00.000Z");
  });

  it("is null when nothing opens within the horizon", () => {
    const long = blackout({ name: "long", reason: "Migration", from: "2026-01-01", to: "2027-12-31" });
    const rules = compileDeploymentRules(line({ blackouts: [long] }), [], {});
    expect(rules.nextAllowed(at("2026-02-01T00:00:00Z"), lineWide)).toBeNull();
    expect(iso(rules.nextAllowed(at("2026-02-01T00:00:00Z"), lineWide, 800 * DAY_MS))).toBe(
      "2027-12-31T23:00:00.000Z",
    );
    expect(rules.permit(at("2026-02-01T00:00:00Z"), lineWide)).toMatchObject({
      cause: "blackout",
      resumesAt: null,
    });
  });

  it("walks blackouts that follow each other without a gap", () => {
    const daily = blackout({
      name: "daily",
      reason: "Batch",
      rrule: "FREQ=DAILY",
      start: "2026-01-01T00:00",
      duration: "24h",
    });
    const inUtc = compileDeploymentRules(line({ blackouts: [daily], timezone: "UTC" }), [], {});
    expect(inUtc.nextAllowed(at("2026-02-01T00:00:00Z"), lineWide)).toBeNull();
    // In Berlin, the 25-hour day of the October change leaves its last hour free.
    const rules = compileDeploymentRules(line({ blackouts: [daily] }), [], {});
    expect(iso(rules.nextAllowed(at("2026-02-01T00:00:00Z"), lineWide))).toBe("2026-10-25T22:00:00.000Z");
    const bounded = blackout({
      name: "daily",
      reason: "Batch",
      rrule: "FREQ=DAILY;UNTIL=20260301",
      start: "2026-01-01T00:00",
      duration: "24h",
    });
    const ends = compileDeploymentRules(line({ blackouts: [bounded] }), [], {});
    expect(iso(ends.nextAllowed(at("2026-02-01T00:00:00Z"), lineWide))).toBe("2026-03-01T23:00:00.000Z");
  });
});

describe("compileDeploymentRules", () => {
  it("has no window when the line sets none", () => {
    const rules = compileDeploymentRules(line({}), [], {});
    expect(rules.window).toBeNull();
    expect(rules.permit(at("2026-06-13T03:00:00Z"), lineWide)).toEqual({ ok: true });
  });

  it("lists every blackout occurrence of the line for the calendar feed, in order", () => {
    const rules = compileDeploymentRules(
      line({ blackouts: [weekend, euMaintenance, holidays] }),
      [yearEnd],
      calendars,
    );
    const listed = rules.blackoutsBetween(at("2026-06-01T00:00:00Z"), at("2026-06-15T00:00:00Z"));
    expect(listed.map((b) => `${b.name} ${iso(b.start)}`)).toEqual([
      // 29 May 18:00 CEST + 62 h runs into 1 June.
      "weekend 2026-05-29T16:00:00.000Z",
      "weekend 2026-06-05T16:00:00.000Z",
      "eu-maintenance 2026-06-10T06:00:00.000Z",
      "weekend 2026-06-12T16:00:00.000Z",
    ]);
  });

  it("refuses a blackout time zone that does not exist", () => {
    const lost = blackout({
      name: "lost",
      reason: "x",
      timezone: "Europe/Atlantis",
      from: "2026-01-01",
      to: "2026-01-02",
    });
    expect(() => compileDeploymentRules(line({ blackouts: [lost] }), [], {})).toThrow(InvalidBlackoutError);
    try {
      compileDeploymentRules(line({}), [lost], {});
    } catch (error) {
      expect(error).toMatchObject({ key: "timezone", message: /Europe\/Atlantis/ });
    }
  });

  it("refuses an unknown calendar", () => {
    expect(() => compileDeploymentRules(line({ blackouts: [holidays] }), [], {})).toThrow(
      /unknown calendar "de"/,
    );
  });
});

describe("nextAllowed properties", () => {
  const environments = ["prod-eu", "prod-us"] as const;
  const instant = fc.integer({ min: at("2026-01-01T00:00:00Z"), max: at("2027-12-31T00:00:00Z") });
  const hhmm = fc
    .integer({ min: 0, max: 47 })
    .map((n) => `${String(n >> 1).padStart(2, "0")}:${n & 1 ? "30" : "00"}`);
  const scope = fc.option(fc.subarray([...environments], { minLength: 1 }), { nil: undefined });
  const day = fc
    .integer({ min: 0, max: 729 })
    .map((n) => new Date(at("2026-01-01T00:00:00Z") + n * DAY_MS).toISOString().slice(0, 10));

  const range: fc.Arbitrary<WindowRangeConfig> = fc
    .record({
      days: fc.option(
        fc.uniqueArray(fc.constantFrom("MO", "TU", "WE", "TH", "FR", "SA", "SU" as const), { minLength: 1 }),
        {
          nil: undefined,
        },
      ),
      from: hhmm,
      to: hhmm,
    })
    .filter((r) => r.from < r.to);

  const oneOff = fc
    .record({ from: instant, hours: fc.integer({ min: 1, max: 24 * 20 }), environments: scope })
    .map(({ from, hours, environments }) => ({
      reason: "r",
      from: new Date(from).toISOString().slice(0, 16),
      to: new Date(from + hours * HOUR_MS).toISOString().slice(0, 16),
      environments,
    }));
  const recurring = fc
    .record({
      byDay: fc.constantFrom("MO", "TU", "WE", "TH", "FR", "SA", "SU"),
      start: hhmm,
      hours: fc.integer({ min: 1, max: 80 }),
      environments: scope,
    })
    .map(({ byDay, start, hours, environments }) => ({
      reason: "r",
      rrule: `FREQ=WEEKLY;BYDAY=${byDay}`,
      start: `2026-01-01T${start}`,
      duration: `${hours}h`,
      environments,
    }));
  const fromCalendar = fc.record({ environments: scope }).map(({ environments }) => ({
    reason: "r",
    calendar: "random",
    environments,
  }));
  const blackouts = fc
    .array(fc.oneof(oneOff, recurring, fromCalendar), { maxLength: 5 })
    .map((list) => list.map((b, i) => blackout({ name: `b${i}`, ...b })));

  const query: fc.Arbitrary<PermitQuery> = fc.record({
    environments: fc.option(fc.subarray([...environments], { minLength: 1 }), { nil: null }),
    exceptions: fc
      .uniqueArray(fc.constantFrom("b0", "b1", "b2", "b3", "b4"), { maxLength: 2 })
      .map((n) => new Set(n)),
    ignoreWindow: fc.boolean(),
  });

  function applies(b: BlackoutInterval, q: PermitQuery): boolean {
    if (q.exceptions?.has(b.name)) return false;
    if (b.environments === null) return true;
    return (q.environments ?? []).some((e) => b.environments!.includes(e));
  }

  it("returns a permitted instant with nothing permitted before it, never inside an applying blackout", () => {
    fc.assert(
      fc.property(
        fc.option(fc.array(range, { minLength: 1, maxLength: 3 }), { nil: undefined }),
        blackouts,
        fc.uniqueArray(day, { maxLength: 30 }),
        query,
        instant,
        fc.constantFrom("Europe/Berlin", "America/New_York", "UTC"),
        (window, list, dates, q, t, timezone) => {
          const rules = compileDeploymentRules(
            line({ window, blackouts: list.slice(0, 3), timezone }),
            list.slice(3),
            {
              random: dates,
            },
          );
          const next = rules.nextAllowed(t, q);
          const permit = rules.permit(t, q);
          if (permit.ok) expect(next).toBe(t);
          else expect(permit.resumesAt).toBe(next);
          if (next === null) {
            for (let i = 0; i <= 20; i++) expect(rules.permit(t + (i * 400 * DAY_MS) / 20, q).ok).toBe(false);
            return;
          }
          expect(next).toBeGreaterThanOrEqual(t);
          expect(next - t).toBeLessThanOrEqual(400 * DAY_MS);
          expect(rules.permit(next, q)).toEqual({ ok: true });
          const occurrences = rules.blackoutsBetween(next - 30 * DAY_MS, next + 1);
          for (const b of occurrences) {
            if (applies(b, q)) expect(b.start <= next && next < b.end).toBe(false);
          }
          if (!q.ignoreWindow && rules.window) expect(rules.window.at(next)).not.toBeNull();
          for (let i = 0; i < 24; i++) {
            const sample = t + Math.floor(((next - t) * i) / 24);
            if (sample < next) expect(rules.permit(sample, q).ok).toBe(false);
          }
          if (next > t) expect(rules.permit(next - 1, q).ok).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  });
});
