/**
 * A train record for pure tests of decisions and messages: `web-7`, scheduled, boarding, cut-off
 * at 2026-03-02 08:00 UTC and departure two hours later, with `overrides` applied.
 */
import type { Train } from "../../src/domain/model.js";

/** The instant `minutes` after 2026-03-02 08:00 UTC (the default train's cut-off). */
export const trainTime = (minutes: number): string =>
  new Date(Date.parse("2026-03-02T08:00:00.000Z") + minutes * 60_000).toISOString();

/** A boarding train `web-7` (see the module comment), with `overrides`. */
export function makeTrain(overrides: Partial<Train> = {}): Train {
  return {
    id: "web-7",
    line: "web",
    number: 7,
    kind: "scheduled",
    state: "boarding",
    resumeTo: null,
    reason: null,
    cutoffAt: trainTime(0),
    departureAt: trainTime(120),
    scheduledAt: trainTime(120),
    pauseCause: null,
    resumeAt: null,
    manifestRevision: 1,
    currentWave: -1,
    waveDeployedAt: null,
    wakeAt: null,
    createdAt: trainTime(-1440),
    updatedAt: trainTime(-1440),
    endedAt: null,
    rollbackScope: null,
    ...overrides,
  };
}
