import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  allowedEvents,
  IllegalTransition,
  isTerminal,
  TRAIN_EVENT_TYPES,
  TRAIN_STATES,
  type TrainEventType,
  type TrainState,
  type TrainStatus,
  transition,
} from "./train-state.js";

/**
 * The whole lifecycle, written out by hand: for each status, the events it accepts and where
 * each leads. Every (status × event) pair not listed here must be refused.
 */
type Row = { from: TrainStatus; to: Partial<Record<TrainEventType, TrainStatus>> };

const s = (state: TrainState, resumeTo: TrainState | null = null): TrainStatus => ({ state, resumeTo });

const ROWS: Row[] = [
  {
    from: s("scheduled"),
    to: { open: s("boarding"), skip: s("skipped"), pause: s("paused", "scheduled"), abort: s("aborted") },
  },
  {
    from: s("boarding"),
    to: { freeze: s("frozen"), skip: s("skipped"), pause: s("paused", "boarding"), abort: s("aborted") },
  },
  {
    from: s("frozen"),
    to: {
      integrate: s("integrating"),
      skip: s("skipped"),
      remanifest: s("integrating"),
      pause: s("paused", "frozen"),
      abort: s("aborted"),
    },
  },
  {
    from: s("integrating"),
    to: {
      integrated: s("gating"),
      fail: s("blocked", "integrating"),
      skip: s("skipped"),
      remanifest: s("integrating"),
      pause: s("paused", "integrating"),
      abort: s("aborted"),
    },
  },
  {
    from: s("gating"),
    to: {
      gates_passed: s("awaiting_approval"),
      fail: s("blocked", "gating"),
      skip: s("skipped"),
      remanifest: s("integrating"),
      pause: s("paused", "gating"),
      abort: s("aborted"),
    },
  },
  {
    from: s("awaiting_approval"),
    to: {
      depart: s("deploying"),
      fail: s("blocked", "awaiting_approval"),
      reject: s("blocked", "awaiting_approval"),
      skip: s("skipped"),
      remanifest: s("integrating"),
      pause: s("paused", "awaiting_approval"),
      abort: s("aborted"),
    },
  },
  {
    from: s("deploying"),
    to: {
      wave_deployed: s("verifying"),
      fail: s("blocked", "deploying"),
      pause: s("paused", "deploying"),
      rollback: s("rolling_back"),
    },
  },
  {
    from: s("verifying"),
    to: {
      next_wave: s("deploying"),
      release: s("released"),
      fail: s("blocked", "verifying"),
      pause: s("paused", "verifying"),
      rollback: s("rolling_back"),
    },
  },
  { from: s("released"), to: { rollback: s("rolling_back") } },
  // blocked before production: retry, drop (remanifest/skip), pause, abort
  {
    from: s("blocked", "integrating"),
    to: {
      retry: s("integrating"),
      remanifest: s("integrating"),
      skip: s("skipped"),
      abort: s("aborted"),
    },
  },
  {
    from: s("blocked", "gating"),
    to: {
      retry: s("gating"),
      remanifest: s("integrating"),
      skip: s("skipped"),
      abort: s("aborted"),
    },
  },
  {
    from: s("blocked", "awaiting_approval"),
    to: {
      retry: s("awaiting_approval"),
      remanifest: s("integrating"),
      skip: s("skipped"),
      abort: s("aborted"),
    },
  },
  // blocked in production: retry or roll back, never abort
  {
    from: s("blocked", "deploying"),
    to: { retry: s("deploying"), rollback: s("rolling_back") },
  },
  {
    from: s("blocked", "verifying"),
    to: { retry: s("verifying"), rollback: s("rolling_back") },
  },
  { from: s("paused", "boarding"), to: { resume: s("boarding"), abort: s("aborted") } },
  { from: s("paused", "gating"), to: { resume: s("gating"), abort: s("aborted") } },
  { from: s("paused", "deploying"), to: { resume: s("deploying"), rollback: s("rolling_back") } },
  { from: s("paused", "verifying"), to: { resume: s("verifying"), rollback: s("rolling_back") } },
  {
    from: s("rolling_back"),
    to: {
      rolled_back: s("rolled_back"),
      // a wave rollback ends blocked at the wave; a rollback failing maxAttempts times blocks
      wave_rolled_back: s("blocked", "deploying"),
      fail: s("blocked", "rolling_back"),
    },
  },
  // a failed rollback waits for a person: retry it, never abort
  { from: s("blocked", "rolling_back"), to: { retry: s("rolling_back") } },
  { from: s("rolled_back"), to: {} },
  { from: s("aborted"), to: {} },
  { from: s("skipped"), to: {} },
];

describe("train state machine", () => {
  it("covers every state at least once", () => {
    const covered = new Set(ROWS.map((r) => r.from.state));
    expect([...covered].sort()).toEqual([...TRAIN_STATES].sort());
  });

  for (const row of ROWS) {
    const label = row.from.resumeTo ? `${row.from.state} (from ${row.from.resumeTo})` : row.from.state;
    describe(label, () => {
      for (const event of TRAIN_EVENT_TYPES) {
        const expected = row.to[event];
        it(expected ? `${event} → ${expected.state}` : `refuses ${event}`, () => {
          const result = transition(row.from, event);
          if (expected) {
            expect(result).toEqual({ ok: true, status: expected });
          } else {
            expect(result.ok).toBe(false);
            if (!result.ok) {
              expect(result.error).toBeInstanceOf(IllegalTransition);
              expect(result.error.message).toContain(`cannot ${event.replaceAll("_", " ")}`);
              expect(result.error.message).toContain(row.from.state);
            }
          }
        });
      }
      it("lists exactly its accepted events", () => {
        expect(allowedEvents(row.from).sort()).toEqual(Object.keys(row.to).sort());
      });
    });
  }

  it("explains a refused transition with what is allowed instead", () => {
    const result = transition(s("deploying"), "abort");
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.message).toBe(
        "cannot abort a train that is deploying; allowed here: wave_deployed, fail, pause, rollback",
      );
    }
    const ended = transition(s("released"), "freeze");
    if (!ended.ok)
      expect(ended.error.message).toBe("cannot freeze a train that is released; allowed here: rollback");
    const done = transition(s("aborted"), "resume");
    if (!done.ok)
      expect(done.error.message).toBe("cannot resume a train that is aborted; the train has ended");
  });

  it("never leaves a terminal state except to roll back a release, whatever events arrive", () => {
    const status = fc.constantFrom(...ROWS.map((r) => r.from));
    const events = fc.array(fc.constantFrom(...TRAIN_EVENT_TYPES), { maxLength: 40 });
    fc.assert(
      fc.property(status, events, (start, sequence) => {
        let current = start;
        for (const event of sequence) {
          const result = transition(current, event);
          if (!result.ok) continue;
          if (isTerminal(current.state)) {
            expect(current.state).toBe("released");
            expect(result.status.state).toBe("rolling_back");
          }
          // blocked and paused always remember where they came from
          if (result.status.state === "blocked" || result.status.state === "paused") {
            expect(result.status.resumeTo).not.toBeNull();
          }
          current = result.status;
        }
      }),
      { numRuns: 500 },
    );
  });
});
