/**
 * The train lifecycle of DESIGN.md as a pure state machine.
 *
 * scheduled → boarding → frozen → integrating → gating → awaiting_approval → deploying ⇄ verifying → released
 *
 * Side states: `blocked` (a stage failed; it remembers the stage in `resumeTo` so `retry` returns
 * there), `paused` (remembers the state it paused in), `rolling_back → rolled_back`, `aborted`,
 * `skipped`. Deploying and verifying alternate once per wave: `wave_deployed` moves a wave from
 * deploying to verifying, `next_wave` moves on to deploying the next wave, `release` ends the last.
 *
 * {@link transition} is total over (state × event): it returns the next state or a
 * {@link IllegalTransition} that says what was attempted, from where, and what is allowed there.
 */

export const TRAIN_STATES = [
  "scheduled",
  "boarding",
  "frozen",
  "integrating",
  "gating",
  "awaiting_approval",
  "deploying",
  "verifying",
  "released",
  "blocked",
  "paused",
  "rolling_back",
  "rolled_back",
  "aborted",
  "skipped",
] as const;

export type TrainState = (typeof TRAIN_STATES)[number];

/** States a train never leaves. */
export const TERMINAL_STATES: readonly TrainState[] = ["released", "rolled_back", "aborted", "skipped"];

/** States in which production has (possibly) been changed by this train. */
export const PRODUCTION_STATES: readonly TrainState[] = ["deploying", "verifying"];

/** States from which a train can be paused (a blocked train already waits for a person). */
const PAUSABLE: readonly TrainState[] = [
  "scheduled",
  "boarding",
  "frozen",
  "integrating",
  "gating",
  "awaiting_approval",
  "deploying",
  "verifying",
];

/** Stages that can fail into `blocked` and be retried. */
const BLOCKABLE: readonly TrainState[] = [
  "integrating",
  "gating",
  "awaiting_approval",
  "deploying",
  "verifying",
  "rolling_back",
];

/** Pre-production states in which the manifest may still change (a component dropped). */
const REMANIFESTABLE: readonly TrainState[] = ["frozen", "integrating", "gating", "awaiting_approval"];

export const TRAIN_EVENT_TYPES = [
  "open",
  "freeze",
  "skip",
  "integrate",
  "integrated",
  "gates_passed",
  "depart",
  "wave_deployed",
  "next_wave",
  "release",
  "fail",
  "reject",
  "retry",
  "remanifest",
  "pause",
  "resume",
  "abort",
  "rollback",
  "rolled_back",
  "wave_rolled_back",
] as const;

export type TrainEventType = (typeof TRAIN_EVENT_TYPES)[number];

/** What the state machine needs to know about a train besides its state. */
export interface TrainStatus {
  state: TrainState;
  /** For `blocked` and `paused`: the state the train returns to on retry / resume. */
  resumeTo: TrainState | null;
}

export type TransitionResult = { ok: true; status: TrainStatus } | { ok: false; error: IllegalTransition };

/** The reason a transition was refused, in words a person can act on. */
export class IllegalTransition extends Error {
  override readonly name = "IllegalTransition";
  constructor(
    readonly from: TrainStatus,
    readonly event: TrainEventType,
    readonly allowed: readonly TrainEventType[],
  ) {
    const where = from.resumeTo ? `${from.state} (from ${from.resumeTo})` : from.state;
    const hint = allowed.length > 0 ? `; allowed here: ${allowed.join(", ")}` : "; the train has ended";
    super(`cannot ${event.replaceAll("_", " ")} a train that is ${where}${hint}`);
  }
}

const ok = (state: TrainState, resumeTo: TrainState | null = null): TransitionResult => ({
  ok: true,
  status: { state, resumeTo },
});

/** True when a train is `state`, or is paused/blocked on the way out of `state`. */
function isOrWas(status: TrainStatus, states: readonly TrainState[]): boolean {
  if (states.includes(status.state)) return true;
  return (
    (status.state === "paused" || status.state === "blocked") &&
    status.resumeTo !== null &&
    states.includes(status.resumeTo)
  );
}

function step(status: TrainStatus, event: TrainEventType): TransitionResult | null {
  const { state, resumeTo } = status;
  switch (event) {
    case "open":
      return state === "scheduled" ? ok("boarding") : null;
    case "freeze":
      return state === "boarding" ? ok("frozen") : null;
    case "skip":
      return state === "scheduled" || state === "boarding" || REMANIFESTABLE.includes(state)
        ? ok("skipped")
        : state === "blocked" && resumeTo !== null && REMANIFESTABLE.includes(resumeTo)
          ? ok("skipped")
          : null;
    case "integrate":
      return state === "frozen" ? ok("integrating") : null;
    case "integrated":
      return state === "integrating" ? ok("gating") : null;
    case "gates_passed":
      return state === "gating" ? ok("awaiting_approval") : null;
    case "depart":
      return state === "awaiting_approval" ? ok("deploying") : null;
    case "wave_deployed":
      return state === "deploying" ? ok("verifying") : null;
    case "next_wave":
      return state === "verifying" ? ok("deploying") : null;
    case "release":
      return state === "verifying" ? ok("released") : null;
    case "fail":
      return BLOCKABLE.includes(state) ? ok("blocked", state) : null;
    case "reject":
      return state === "awaiting_approval" ? ok("blocked", "awaiting_approval") : null;
    case "retry":
      return state === "blocked" && resumeTo !== null ? ok(resumeTo) : null;
    case "remanifest":
      // A changed manifest is integrated and gated again.
      if (REMANIFESTABLE.includes(state)) return ok("integrating");
      if (state === "blocked" && resumeTo !== null && REMANIFESTABLE.includes(resumeTo))
        return ok("integrating");
      return null;
    case "pause":
      return PAUSABLE.includes(state) ? ok("paused", state) : null;
    case "resume":
      return state === "paused" && resumeTo !== null ? ok(resumeTo) : null;
    case "abort":
      // Once production has changed, the way out is a rollback, not an abort.
      if (TERMINAL_STATES.includes(state) || isOrWas(status, ["rolling_back"])) return null;
      return isOrWas(status, PRODUCTION_STATES) ? null : ok("aborted");
    case "rollback":
      return isOrWas(status, PRODUCTION_STATES) || state === "released" ? ok("rolling_back") : null;
    case "rolled_back":
      return state === "rolling_back" ? ok("rolled_back") : null;
    case "wave_rolled_back":
      // A wave rollback ends with the train blocked at that wave; retry deploys it again.
      return state === "rolling_back" ? ok("blocked", "deploying") : null;
    default: {
      const unreachable: never = event;
      throw new Error(`unknown train event ${String(unreachable)}`);
    }
  }
}

/** The events a train in this status accepts. */
export function allowedEvents(status: TrainStatus): TrainEventType[] {
  return TRAIN_EVENT_TYPES.filter((event) => step(status, event) !== null);
}

/** Applies one event to a train's status. Never throws; an illegal move is returned as an error. */
export function transition(status: TrainStatus, event: TrainEventType): TransitionResult {
  const next = step(status, event);
  if (next) return next;
  return { ok: false, error: new IllegalTransition(status, event, allowedEvents(status)) };
}

/** True for released, rolled_back, aborted and skipped. */
export function isTerminal(state: TrainState): boolean {
  return TERMINAL_STATES.includes(state);
}

/** True when the train (or the stage it is paused/blocked in) may have changed production. */
export function hasTouchedProduction(status: TrainStatus): boolean {
  return isOrWas(status, PRODUCTION_STATES) || status.state === "rolling_back" || status.state === "released";
}
