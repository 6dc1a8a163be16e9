/**
 * Turns a train event into the `train.transitioned` event to append, or refuses it with the
 * state machine's reason.
 */
import type { NewEvent } from "../domain/events.js";
import type { Train } from "../domain/model.js";
import { type TrainEventType, transition } from "../domain/train-state.js";
import { ConflictError } from "./errors.js";

export interface TransitionInput {
  event: TrainEventType;
  actor: string;
  reason?: string | null;
  wave?: number;
}

/**
 * Builds the event for a legal transition.
 * @throws {ConflictError} when the train's state does not allow the event.
 */
export function transitionEvent(train: Train, input: TransitionInput): NewEvent {
  const result = transition({ state: train.state, resumeTo: train.resumeTo }, input.event);
  if (!result.ok) {
    throw new ConflictError(`${train.id}: ${result.error.message}`, {
      train: train.id,
      state: train.state,
      allowed: result.error.allowed,
    });
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
    },
  };
}
