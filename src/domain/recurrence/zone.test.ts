import fc from "fast-check";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { formatLocalDateTime, parseLocalDateTime } from "./local-time.js";
import { UnknownTimeZoneError, zoneRules } from "./zone.js";

const iso = (ms: number) => new Date(ms).toISOString();

describe("zoneRules", () => {
  it("reads a spring-forward gap with the offset before the gap", () => {
    const berlin = zoneRules("Europe/Berlin");
    // 2027-03-28: 02:00 CET jumps to 03:00 CEST.
    const wall = parseLocalDateTime("2027-03-28T02:30");
    expect(berlin.inGap(wall)).toBe(true);
    expect(iso(berlin.toInstant(wall))).toBe("2027-03-28T01:30:00.000Z");
    expect(formatLocalDateTime(berlin.toWall(berlin.toInstant(wall)))).toBe("2027-03-28T03:30:00");
  });

  it("takes the first of two wall times in a fall-back fold", () => {
    const berlin = zoneRules("Europe/Berlin");
    // 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
    expect(iso(berlin.toInstant(parseLocalDateTime("2026-10-25T02:30")))).toBe("2026-10-25T00:30:00.000Z");
  });

  it("handles zones with half-hour offsets and southern-hemisphere DST", () => {
    const adelaide = zoneRules("Australia/Adelaide");
    // 2026-10-04 02:00 ACST (+9:30) jumps to 03:00 ACDT (+10:30).
    expect(iso(adelaide.toInstant(parseLocalDateTime("2026-10-04T02:15")))).toBe("2026-10-03T16:45:00.000Z");
    expect(
      adelaide.transitions(Date.parse("2026-01-01T00:00Z"), Date.parse("2027-01-01T00:00Z")),
    ).toHaveLength(2);
  });

  it("rejects names that are not IANA zones", () => {
    expect(() => zoneRules("Europe/Berlni")).toThrow(UnknownTimeZoneError);
    expect(() => zoneRules("+02:00")).toThrow(/IANA/);
  });

  it("agrees with Temporal's compatible disambiguation everywhere", () => {
    const names = [
      "Europe/Berlin",
      "America/New_York",
      "Australia/Lord_Howe",
      "Asia/Kolkata",
      "America/Santiago",
      "UTC",
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.integer({ min: Date.parse("1990-01-01T00:00Z"), max: Date.parse("2060-01-01T00:00Z") }),
        (name, raw) => {
          const wall = Math.floor(raw / 60_000) * 60_000;
          const local = formatLocalDateTime(wall);
          const expected = Temporal.PlainDateTime.from(local).toZonedDateTime(name, {
            disambiguation: "compatible",
          }).epochMilliseconds;
          const zone = zoneRules(name);
          expect(zone.toInstant(wall)).toBe(expected);
          expect(zone.offsetMs(expected)).toBe(
            Temporal.Instant.fromEpochMilliseconds(expected).toZonedDateTimeISO(name).offsetNanoseconds / 1e6,
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("formatInstant", () => {
  it("writes what Date.prototype.toISOString writes", async () => {
    const { formatInstant } = await import("./local-time.js");
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse("0000-01-01T00:00:00Z"), max: Date.parse("9999-12-31T23:59:59.999Z") }),
        (ms) => {
          expect(formatInstant(ms)).toBe(new Date(ms).toISOString());
        },
      ),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: -1_036_120_320, max: 4_223_371_679 }), (minutes) => {
        const ms = Math.trunc(minutes) * 60_000;
        expect(formatInstant(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 5000 },
    );
    expect(formatInstant(Date.parse("-000001-12-31T23:59:00Z"))).toBe("-000001-12-31T23:59:00.000Z");
  });
});
