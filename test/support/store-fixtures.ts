/**
 * Builders for realistic events, so store tests read like a train's life rather than payload
 * literals.
 */
import type { EventPayloads, NewEvent } from "../../src/domain/events.js";
import type { Instant } from "../../src/domain/model.js";
import type { TrainEventType, TrainState } from "../../src/domain/train-state.js";

/** Tuesday 6 January 2026, 09:00 UTC: the instant tests start from. */
export const T0: Instant = "2026-01-06T09:00:00.000Z";

/** `T0` plus `minutes`. */
export function at(minutes: number): Instant {
  return new Date(Date.parse(T0) + minutes * 60_000).toISOString();
}

/** `train.created` for `<line>-<number>`, departing `departureAt` with the cut-off an hour before. */
export function trainCreated(
  line: string,
  number: number,
  departureAt: Instant = at(24 * 60),
  kind: "scheduled" | "hotfix" = "scheduled",
): NewEvent {
  const cutoffAt = new Date(Date.parse(departureAt) - 3_600_000).toISOString();
  return {
    type: "train.created",
    trainId: `${line}-${number}`,
    actor: "system",
    payload: { line, number, kind, cutoffAt, departureAt },
  };
}

/** `train.transitioned` of `trainId` from `from` to `to` on `event`. */
export function transitioned(
  trainId: string,
  from: TrainState,
  to: TrainState,
  event: TrainEventType,
  extra: Partial<EventPayloads["train.transitioned"]> = {},
  actor = "system",
): NewEvent {
  return {
    type: "train.transitioned",
    trainId,
    actor,
    payload: { from, to, event, resumeTo: null, reason: null, ...extra },
  };
}

/** `artifact.pushed` of `component@version` by the CI bot, boarding `boardedTrain`. */
export function artifactPushed(
  component: string,
  version: string,
  boardedTrain: string | null,
  dependsOn: Array<{ component: string; version: string }> = [],
): NewEvent {
  return {
    type: "artifact.pushed",
    trainId: boardedTrain,
    actor: "ci-bot",
    payload: {
      artifactId: `${component}@${version}`,
      component,
      version,
      commit: `c0ffee${version.replaceAll(".", "")}`,
      buildUrl: `https://ci.example.com/${component}/${version}`,
      digest: `sha256:${component}${version}`,
      dependsOn,
      boardedTrain,
      late: false,
      requestedTrain: boardedTrain,
    },
  };
}

/** `step.started` of `<trainId>/<key>#<attempt>`. */
export function stepStarted(
  trainId: string,
  key: string,
  kind: "integrate" | "gate" | "deploy" | "rollback",
  attempt = 1,
): NewEvent {
  const stepId = `${trainId}/${key}#${attempt}`;
  return {
    type: "step.started",
    trainId,
    actor: "system",
    payload: { stepId, key, kind, attempt, idempotencyKey: stepId },
  };
}

/** `step.finished` of `<trainId>/<key>#<attempt>`. */
export function stepFinished(
  trainId: string,
  key: string,
  status: "succeeded" | "failed",
  attempt = 1,
  durationMs = 1200,
): NewEvent {
  return {
    type: "step.finished",
    trainId,
    actor: "system",
    payload: {
      stepId: `${trainId}/${key}#${attempt}`,
      key,
      status,
      output: status === "succeeded" ? "ok" : null,
      error: status === "failed" ? "exit code 1" : null,
      durationMs,
    },
  };
}

/** `deployment.recorded` of `component` at `version` in `environment`. */
export function deploymentRecorded(
  trainId: string,
  environment: string,
  component: string,
  version: string | null,
  previousVersion: string | null = null,
): NewEvent {
  return {
    type: "deployment.recorded",
    trainId,
    actor: "system",
    payload: {
      environment,
      component,
      version,
      previousVersion,
      action: version === null ? "rollback" : "deploy",
      wave: "canary",
      reference: "a1b2c3d",
    },
  };
}

/**
 * A small chain of `count` events of one train (created, then artifact pushes), appended one
 * per call, for tests that only need a chain.
 */
export function smallChain(count: number, line = "web"): NewEvent[][] {
  const batches: NewEvent[][] = [[trainCreated(line, 1)]];
  for (let i = 1; i < count; i++) batches.push([artifactPushed(`svc${i % 3}`, `1.${i}.0`, `${line}-1`)]);
  return batches;
}
