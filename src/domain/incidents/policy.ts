/**
 * What open incidents do to a train, by its line's `incidents` policy. Only incidents whose
 * severity is in `severities` act (default: critical). An acting incident attributed to the
 * train while it deploys or verifies does `duringRollout` to it (rollback, pause or none); any
 * other acting incident of the line (a line-level one, one of another train, or of this train
 * outside its rollout) does `otherwise` (pause or none): the reconciler pauses trains at
 * departure and before their next wave, as the error-budget policy does. Incidents that stop the
 * line (a failed rollback) are not the policy's: the line stop handles them.
 */
import type { IncidentPolicyConfig, LineConfig } from "../config/schema.js";
import type { Incident } from "../model.js";
import type { TrainState } from "../train-state.js";

/** The policy with its defaults, for a line that has none or leaves keys out. */
export function incidentPolicyOf(line: Pick<LineConfig, "incidents">): IncidentPolicyConfig {
  return {
    duringRollout: line.incidents?.duringRollout ?? "pause",
    otherwise: line.incidents?.otherwise ?? "pause",
    severities: line.incidents?.severities ?? ["critical"],
    attributionWindow: line.incidents?.attributionWindow ?? "24h",
    suppress: line.incidents?.suppress ?? [],
  };
}

/** An incident acting on a train: what it does, and whether it is the train's own. */
export interface ActingIncident {
  id: string;
  title: string;
  action: "pause" | "rollback";
  /** `train`: attributed to this train during its rollout; `line`: any other acting incident. */
  scope: "train" | "line";
}

const ROLLOUT: readonly TrainState[] = ["deploying", "verifying"];

/** True when the train deploys or verifies, or is paused on the way. */
export function isRollingOut(train: { state: TrainState; resumeTo: TrainState | null }): boolean {
  return (
    ROLLOUT.includes(train.state) ||
    (train.state === "paused" && train.resumeTo !== null && ROLLOUT.includes(train.resumeTo))
  );
}

/** What one incident does to one train of its line, or null. */
export function incidentAction(
  incident: Pick<Incident, "id" | "title" | "line" | "trainId" | "status" | "severity" | "stopsLine">,
  train: { id: string; line: string; state: TrainState; resumeTo: TrainState | null },
  policy: IncidentPolicyConfig,
): ActingIncident | null {
  if (incident.status !== "open" || incident.stopsLine || incident.line !== train.line) return null;
  if (!policy.severities.includes(incident.severity)) return null;
  if (incident.trainId === train.id && isRollingOut(train)) {
    if (policy.duringRollout === "none") return null;
    return { id: incident.id, title: incident.title, action: policy.duringRollout, scope: "train" };
  }
  if (policy.otherwise === "none") return null;
  return { id: incident.id, title: incident.title, action: "pause", scope: "line" };
}

/**
 * The incident that acts on a train now, or null: a rollback before a pause, the train's own
 * before the line's, then the oldest (incidents are given newest first, as the store lists them).
 */
export function actingIncident(
  incidents: readonly Pick<
    Incident,
    "id" | "title" | "line" | "trainId" | "status" | "severity" | "stopsLine"
  >[],
  train: { id: string; line: string; state: TrainState; resumeTo: TrainState | null },
  policy: IncidentPolicyConfig,
): ActingIncident | null {
  const acting = incidents
    .map((incident) => incidentAction(incident, train, policy))
    .filter((a): a is ActingIncident => a !== null)
    .reverse();
  const rank = (a: ActingIncident) => (a.action === "rollback" ? 0 : 1) * 2 + (a.scope === "train" ? 0 : 1);
  return acting.sort((a, b) => rank(a) - rank(b))[0] ?? null;
}
