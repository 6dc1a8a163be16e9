/**
 * What a person can do to a train in a given status: the state machine's events, as the actions
 * the API and CLI offer (approve, reject, pause, resume, abort, rollback, retry, drop). Internal
 * events such as `freeze` are the reconciler's and never offered.
 */
import { allowedEvents, hasTouchedProduction, isTerminal, type TrainStatus } from "./train-state.js";

export const TRAIN_ACTIONS = [
  "approve",
  "reject",
  "pause",
  "resume",
  "abort",
  "rollback",
  "retry",
  "drop",
  "promote",
] as const;
export type TrainAction = (typeof TRAIN_ACTIONS)[number];

const BEFORE_DEPARTURE = ["scheduled", "boarding", "frozen", "integrating", "gating", "awaiting_approval"];

/** The actions available to people for a train in `status` on a line approving `approvalMode`. */
export function availableActions(
  status: TrainStatus,
  approvalMode: "auto" | "manual" = "manual",
): TrainAction[] {
  const events = new Set(allowedEvents(status));
  const actions: TrainAction[] = [];
  if (status.state === "awaiting_approval") {
    if (approvalMode === "manual") actions.push("approve");
    actions.push("reject");
  }
  for (const a of ["pause", "resume", "retry", "rollback"] as const) if (events.has(a)) actions.push(a);
  if (events.has("abort") && !hasTouchedProduction(status)) actions.push("abort");
  const stage = status.state === "paused" || status.state === "blocked" ? status.resumeTo : status.state;
  if (stage && BEFORE_DEPARTURE.includes(stage) && !isTerminal(status.state)) actions.push("drop");
  return actions;
}
