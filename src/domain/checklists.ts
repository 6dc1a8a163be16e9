/**
 * Checklist gates: a list of things people confirm before a train goes on, each ticked by someone
 * holding the item's role, on the record. Built-in templates are the release-train practice's
 * pre-production and production-readiness checklists; a line may write its own. A tick counts
 * for the manifest revision it was given on: a changed manifest is confirmed again.
 */
import type { ChecklistGateConfig, RoleName } from "./config/schema.js";
import type { Instant } from "./model.js";

export interface ChecklistItem {
  id: string;
  text: string;
  roles: RoleName[];
}

const byCoordinators: RoleName[] = ["coordinator", "admin"];

/** The built-in checklists. */
export const CHECKLIST_TEMPLATE_ITEMS: Record<
  NonNullable<ChecklistGateConfig["template"]>,
  ChecklistItem[]
> = {
  "pre-production": [
    { id: "artifacts-tagged", text: "All artifacts tagged with the train ID", roles: byCoordinators },
    {
      id: "integration-healthy",
      text: "Integration environment synced and health-checked",
      roles: byCoordinators,
    },
    { id: "security-scans", text: "Required security scans completed", roles: byCoordinators },
    { id: "slo-baselines", text: "SLO baselines recorded and threshold checks set", roles: byCoordinators },
    { id: "rollback-plan", text: "Rollback plan and runbook available", roles: byCoordinators },
  ],
  "production-readiness": [
    { id: "on-call", text: "On-call roster confirmed for the train window", roles: byCoordinators },
    {
      id: "monitoring",
      text: "Monitoring and alerting configured for the deployed versions",
      roles: byCoordinators,
    },
    { id: "feature-flags", text: "Feature flags set for staged exposure, if used", roles: byCoordinators },
    { id: "ramp-plan", text: "Traffic ramp and canary plan defined", roles: byCoordinators },
    {
      id: "communication",
      text: "Communication plan and stakeholder notifications prepared",
      roles: byCoordinators,
    },
  ],
};

/** The items of a checklist gate: its template's, or its own. */
export function checklistItems(gate: Pick<ChecklistGateConfig, "template" | "items">): ChecklistItem[] {
  if (gate.items) return gate.items.map((i) => ({ id: i.id, text: i.text, roles: [...i.roles] }));
  return gate.template ? CHECKLIST_TEMPLATE_ITEMS[gate.template] : [];
}

/** One tick, as recorded. */
export interface ChecklistTick {
  trainId: string;
  gate: string;
  item: string;
  revision: number;
  actor: string;
  note: string | null;
  at: Instant;
}

export interface ChecklistVerdict {
  verdict: "pass" | "fail";
  ticked: Array<ChecklistItem & { by: string; at: Instant; note: string | null }>;
  open: ChecklistItem[];
  output: string;
}

/** Is every item ticked for `revision`? The output lists who ticked what, and what is open. */
export function evaluateChecklist(
  items: readonly ChecklistItem[],
  ticks: readonly ChecklistTick[],
  revision: number,
): ChecklistVerdict {
  const latest = new Map<string, ChecklistTick>();
  for (const t of ticks) if (t.revision === revision) latest.set(t.item, t);
  const ticked: ChecklistVerdict["ticked"] = [];
  const open: ChecklistItem[] = [];
  for (const item of items) {
    const tick = latest.get(item.id);
    if (tick) ticked.push({ ...item, by: tick.actor, at: tick.at, note: tick.note });
    else open.push(item);
  }
  const verdict = open.length === 0 ? "pass" : "fail";
  const lines = [
    verdict === "pass"
      ? `all ${items.length} items ticked`
      : `${ticked.length} of ${items.length} items ticked; open: ${open.map((i) => i.id).join(", ")}`,
  ];
  for (const t of ticked)
    lines.push(`  [x] ${t.id}: ${t.text} (${t.by}, ${t.at}${t.note ? `: ${t.note}` : ""})`);
  for (const o of open) lines.push(`  [ ] ${o.id}: ${o.text} (to be ticked by ${o.roles.join(" or ")})`);
  return { verdict, ticked, open, output: lines.join("\n") };
}
