/**
 * Counting approvals. An approval counts when it was given for the train's current manifest
 * revision, after the latest rejection, by a distinct member of the approving team. The same
 * person approving twice counts once.
 */
import type { LineConfig, TeamConfig } from "./config/schema.js";
import type { Approval } from "./model.js";

export interface ApprovalTally {
  mode: "auto" | "manual";
  required: number;
  /** Distinct approvers whose approval counts, in the order they approved. */
  approvers: string[];
  satisfied: boolean;
}

/** Tallies a train's approvals (in the order recorded) under its line's approval rule. */
export function tallyApprovals(
  line: LineConfig,
  teams: Record<string, TeamConfig>,
  approvals: readonly Approval[],
  manifestRevision: number,
): ApprovalTally {
  if (line.approval.mode === "auto") {
    return { mode: "auto", required: 0, approvers: [], satisfied: true };
  }
  const members = new Set((teams[line.approval.team]?.members ?? []).map((m) => m.name));
  // In the order they were recorded: two decisions can carry the same instant.
  const sorted = approvals;
  let lastRejection = -1;
  sorted.forEach((a, i) => {
    if (a.decision === "reject") lastRejection = i;
  });
  const approvers: string[] = [];
  sorted.forEach((a, i) => {
    if (i <= lastRejection || a.decision !== "approve") return;
    if (a.manifestRevision !== manifestRevision) return;
    if (!members.has(a.approver) || approvers.includes(a.approver)) return;
    approvers.push(a.approver);
  });
  const required = line.approval.required;
  return { mode: "manual", required, approvers, satisfied: approvers.length >= required };
}
