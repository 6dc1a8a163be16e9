/**
 * `railyard timetable --config FILE [--line NAME] --from ISO --to ISO [--json]`: the offline
 * interface other implementations are checked against. Runs the built CLI on files in a temp
 * folder, with no server.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TimetableRow } from "../../src/cli/commands/timetable.js";
import { runCli } from "../support/cli.js";

const CONFIG = `version: 1
teams: { web: { members: [{ name: ada, roles: [coordinator] }] } }
deployers: { cmd: { type: command, command: "true" } }
components:
  api: { team: web, deployer: cmd }
  db: { team: web, deployer: cmd }
environments: { staging: { kind: integration }, eu: { kind: production } }
calendars:
  de: { file: holidays.ics }
blackouts:
  - { name: year-end, reason: Year-end freeze, from: 2026-12-20, to: 2027-01-04 }
lines:
  # Every second Tuesday at 10:00 Berlin; boarding closes two business days before at 17:00;
  # deploy only 10:00-16:00 Monday to Thursday; no deploys from Dec 20 to Jan 4.
  web:
    schedule:
      rrule: FREQ=WEEKLY;INTERVAL=2;BYDAY=TU
      start: 2026-01-06T10:00
      timezone: Europe/Berlin
      cutoff: { businessDays: 2, at: "17:00" }
    holidays: [de]
    window: [{ days: [MO, TU, WE, TH], from: "10:00", to: "16:00" }]
    components: [api]
    rollout: { waves: [{ name: all, environments: [eu] }] }
  nightly:
    schedule: { cron: "30 2 * * *", start: 2027-03-27T00:00, timezone: Europe/Berlin, cutoff: 1h }
    onBlackout: skip
    components: [db]
    rollout: { waves: [{ name: all, environments: [eu] }] }
`;

/** A holiday calendar as Google exports it: a yearly all-day event with one year excluded. */
const HOLIDAYS = `BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Google Inc//Google Calendar 70.9054//EN
BEGIN:VEVENT
DTSTART;VALUE=DATE:20261012
DTEND;VALUE=DATE:20261013
RRULE:FREQ=YEARLY
UID:company-day@example.com
SUMMARY:Company day
END:VEVENT
END:VCALENDAR
`;

let dir: string;
let config: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "railyard-timetable-"));
  config = path.join(dir, "railyard.yaml");
  await writeFile(config, CONFIG);
  await writeFile(path.join(dir, "holidays.ics"), HOLIDAYS);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const json = async (...args: string[]): Promise<TimetableRow[]> => {
  const result = await runCli(["timetable", "--config", config, ...args, "--json"]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as TimetableRow[];
};

describe("railyard timetable (offline)", () => {
  it("prints exactly the issue's interface, ordered by departure, instants with their offset", async () => {
    const rows = await json(
      "--line",
      "web",
      "--from",
      "2026-03-01T00:00:00Z",
      "--to",
      "2026-04-15T00:00:00Z",
    );
    expect(rows).toEqual([
      {
        line: "web",
        train: "web-5",
        departure: "2026-03-03T10:00:00+01:00",
        cutoff: "2026-02-27T17:00:00+01:00",
        window_start: "2026-03-03T10:00:00+01:00",
        window_end: "2026-03-03T16:00:00+01:00",
        status: "scheduled",
      },
      {
        line: "web",
        train: "web-6",
        departure: "2026-03-17T10:00:00+01:00",
        cutoff: "2026-03-13T17:00:00+01:00",
        window_start: "2026-03-17T10:00:00+01:00",
        window_end: "2026-03-17T16:00:00+01:00",
        status: "scheduled",
      },
      {
        // Across the DST change: still 10:00 local, now +02:00.
        line: "web",
        train: "web-7",
        departure: "2026-03-31T10:00:00+02:00",
        cutoff: "2026-03-27T17:00:00+01:00",
        window_start: "2026-03-31T10:00:00+02:00",
        window_end: "2026-03-31T16:00:00+02:00",
        status: "scheduled",
      },
      {
        line: "web",
        train: "web-8",
        departure: "2026-04-14T10:00:00+02:00",
        cutoff: "2026-04-10T17:00:00+02:00",
        window_start: "2026-04-14T10:00:00+02:00",
        window_end: "2026-04-14T16:00:00+02:00",
        status: "scheduled",
      },
    ]);
  });

  it("counts business days back over holidays from an .ics file", async () => {
    // Tuesday 13 October 2026: Monday 12 is the company day (a yearly event in holidays.ics), so
    // the two business days before are Friday 9 and Thursday 8.
    const rows = await json("--line", "web", "--from", "2026-10-01", "--to", "2026-10-31");
    expect(rows.map((r) => [r.departure, r.cutoff])).toEqual([
      ["2026-10-13T10:00:00+02:00", "2026-10-08T17:00:00+02:00"],
      ["2026-10-27T10:00:00+01:00", "2026-10-23T17:00:00+02:00"],
    ]);
    // The yearly event recurs: 12 October 2027 is a Tuesday departure, its cut-off counts Monday
    // 11 and Friday 8 (the departure's own day being a holiday does not matter).
    const later = await json("--line", "web", "--from", "2027-10-01", "--to", "2027-10-20");
    expect(later.map((r) => [r.departure, r.cutoff])).toEqual([
      ["2027-10-12T10:00:00+02:00", "2027-10-08T17:00:00+02:00"],
    ]);
  });

  it("shows departures shifted or skipped by a blackout", async () => {
    const rows = await json("--line", "web", "--from", "2026-12-01", "--to", "2027-01-10");
    expect(rows.map((r) => [r.train, r.departure, r.status])).toEqual([
      ["web-25", "2026-12-08T10:00:00+01:00", "scheduled"],
      // 22 December is in the freeze; the first instant after it inside the window is Tuesday
      // 5 January 10:00, the next departure's own slot: so it is skipped, not shifted.
      ["web-26", "2026-12-22T10:00:00+01:00", "skipped"],
      ["web-27", "2027-01-05T10:00:00+01:00", "scheduled"],
    ]);
  });

  it("keeps a departure in a spring-forward gap, moved by the gap, and skips per onBlackout", async () => {
    const rows = await json("--line", "nightly", "--from", "2027-03-27", "--to", "2027-03-30");
    expect(rows.map((r) => [r.train, r.departure, r.cutoff, r.window_start, r.status])).toEqual([
      ["nightly-1", "2027-03-27T02:30:00+01:00", "2027-03-27T01:30:00+01:00", null, "scheduled"],
      ["nightly-2", "2027-03-28T03:30:00+02:00", "2027-03-28T01:30:00+01:00", null, "scheduled"],
      ["nightly-3", "2027-03-29T02:30:00+02:00", "2027-03-29T01:30:00+02:00", null, "scheduled"],
    ]);
  });

  it("prints a table in each line's zone without --json", async () => {
    const result = await runCli(["timetable", "-c", config, "--from", "2026-12-15", "--to", "2027-01-10"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^TRAIN\s+DEPARTS\s+CUT-OFF\s+WINDOW\s+ZONE\s+STATUS$/);
    expect(lines[1]).toMatch(
      /^web-26\s+Tue 2026-12-22 10:00\s+Fri 2026-12-18 17:00\s+2026-12-22 10:00–16:00\s+Europe\/Berlin\s+skipped \(blackout year-end: Year-end freeze; shifting it would reach the next departure\)$/,
    );
    expect(lines[2]).toMatch(/^web-27\s+Tue 2027-01-05 10:00\s+Fri 2027-01-01 17:00\s+.*scheduled$/);
  });

  it("refuses bad input clearly and changes nothing", async () => {
    const badFrom = await runCli(["timetable", "-c", config, "--from", "yesterday", "--to", "2027-01-01"]);
    expect(badFrom.code).toBe(2);
    expect(badFrom.stderr).toMatch(/--from "yesterday" is not a date or instant/);
    const unknownLine = await runCli([
      "timetable",
      "-c",
      config,
      "--line",
      "webb",
      "--from",
      "2027-01-01",
      "--to",
      "2027-02-01",
    ]);
    expect(unknownLine.code).toBe(2);
    expect(unknownLine.stderr).toMatch(/no line "webb".*web, nightly/);
    const reversed = await runCli(["timetable", "-c", config, "--from", "2027-02-01", "--to", "2027-01-01"]);
    expect(reversed.stderr).toMatch(/--to must be after --from/);
    const broken = path.join(dir, "broken.yaml");
    await writeFile(
      broken,
      CONFIG.replace(
        "timezone: Europe/Berlin\n      cutoff: { businessDays",
        "timezone: Europe/Berlni\n      cutoff: { businessDays",
      ),
    );
    const invalid = await runCli(["timetable", "-c", broken, "--from", "2027-01-01", "--to", "2027-02-01"]);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout + invalid.stderr).toMatch(
      /broken\.yaml:19:17: lines\.web\.schedule\.timezone: unknown time zone "Europe\/Berlni"/,
    );
  });
});
