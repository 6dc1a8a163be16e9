/**
 * Turns a train event into the `train.transitioned` event to append, or refuses it with the
 * state machine's reason.
 */
import type { NewEvent } from "../domain/events.js";
import type { Instant, PauseCause, RollbackScope, Train } from "../domain/model.js";
import { availableActions } from "../domain/train-actions.js";
import { isTerminal, type TrainEventType, transition } from "../domain/train-state.js";
import { ConflictError } from "./errors.js";

export interface TransitionInput {
  event: TrainEventType;
  actor: string;
  reason?: string | null;
  wave?: number;
  /** For `pause`: why (@default manual). */
  cause?: PauseCause;
  /** For a pause by the engine: when it resumes the train. */
  resumeAt?: Instant | null;
  /** For `rollback`: one wave only (absent: the whole train). */
  scope?: RollbackScope | null;
}

/**
 * Builds the event for a legal transition.
 * @throws {ConflictError} when the train's state does not allow the event.
 */
export function transitionEvent(train: Train, input: TransitionInput): NewEvent {
  const result = transition({ state: train.state, resumeTo: train.resumeTo }, input.event);
  if (!result.ok) {
    const where = train.resumeTo ? `${train.state} (from ${train.resumeTo})` : train.state;
    const actions = availableActions(train);
    const hint =
      actions.length > 0
        ? `you can: ${actions.join(", ")}`
        : isTerminal(train.state)
          ? "the train has ended"
          : "nothing can be done to it by hand now";
    throw new ConflictError(
      `${train.id}: cannot ${input.event.replaceAll("_", " ")} a train that is ${where}; ${hint}`,
      {
        train: train.id,
        state: train.state,
        allowed: actions,
      },
    );
  }
  return {
    type: "train.transitioned",
    trainId: train.id,
    actor: input.actor,
    payload: {
      from: train.state,
      to: result.status.state,
      event: input.event,
      resumeTo: result.status.resumeTo,
      reason: input.reason ?? null,
      ...(input.wave === undefined ? {} : { wave: input.wave }),
      ...(input.event === "rollback" && input.scope ? { scope: input.scope } : {}),
      ...(input.event === "pause"
        ? {
            cause: input.cause ?? "manual",
            ...(input.resumeAt === undefined ? {} : { resumeAt: input.resumeAt }),
          }
        : {}),
    },
  };
}
