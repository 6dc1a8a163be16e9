/**
 * Reminders due now, computed from the trains' state and the engine's clock: cut-off
 * approaching (once per train, lead time and team), approval needed and train blocked (after
 * `after`, then every `every`). Each reminder's key names its occurrence, so enqueueing it again
 * on the next tick inserts nothing.
 */
import { approvalGroups } from "../approval.js";
import type { RailyardConfig } from "../config/schema.js";
import { parseDuration } from "../duration.js";
import type { Train } from "../model.js";
import type { Notification } from "./notification.js";
import { emailsOf } from "./route.js";

/** An active train, with what reminders need to know about it. */
export interface ReminderTrain {
  train: Train;
  /** When it entered its current state (its last transition); null when unknown. */
  since: string | null;
  /** Components with an artifact on it (for the cut-off reminder of a boarding train). */
  boarded: string[];
}

function teamsOfLine(config: RailyardConfig, line: string): Map<string, string[]> {
  const teams = new Map<string, string[]>();
  for (const component of config.lines[line]?.components ?? []) {
    const team = config.components[component]?.team;
    if (!team) continue;
    teams.set(team, [...(teams.get(team) ?? []), component]);
  }
  return teams;
}

/** People (login names) holding `role`, in teams or users. */
function peopleWithRole(config: RailyardConfig, role: "coordinator"): string[] {
  const names = [...Object.values(config.teams).flatMap((t) => t.members), ...config.users]
    .filter((p) => p.roles.includes(role))
    .map((p) => p.name);
  return [...new Set(names)];
}

/** The occurrence number (1, 2, …) of a repeating reminder at `now`, or 0 before the first. */
export function occurrence(now: number, since: number, afterMs: number, everyMs: number): number {
  if (now < since + afterMs) return 0;
  return Math.floor((now - since - afterMs) / Math.max(1, everyMs)) + 1;
}

/**
 * The reminders due at `now` (epoch ms) for `trains`. Cut-off: for each boarding train with
 * `cutoffAt − lead ≤ now < cutoffAt`, one per team owning a component of the line, to the
 * reminder's `to`, else the team's `notify`, else the line's `notify`; it names the team's
 * components and whether each has boarded. Approval: a train awaiting approval for at least
 * `after`, the latest occurrence (every `every`), to the approving groups' members. Blocked: the
 * same for blocked trains, to the coordinators.
 */
export function dueReminders(
  config: RailyardConfig,
  trains: readonly ReminderTrain[],
  now: number,
): Notification[] {
  const reminders = config.routing.reminders;
  const out: Notification[] = [];
  for (const { train, since, boarded: onBoard } of trains) {
    const line = config.lines[train.line];
    if (!line) continue;
    const teams = teamsOfLine(config, train.line);
    const base = {
      kind: "reminder" as const,
      eventType: null,
      eventId: null,
      trainId: train.id,
      line: train.line,
      state: train.state,
      reason: null,
    };
    if (train.state === "boarding") {
      const cutoff = Date.parse(train.cutoffAt);
      for (const lead of reminders.cutoff.before) {
        const at = cutoff - parseDuration(lead);
        if (!(at <= now && now < cutoff)) continue;
        for (const [team, components] of teams) {
          const boarded = new Set(onBoard);
          const status = components.map((c) => ({ component: c, boarded: boarded.has(c) }));
          const missing = status.filter((s) => !s.boarded).map((s) => s.component);
          const members = (config.teams[team]?.members ?? []).map((m) => m.name);
          out.push({
            ...base,
            key: `reminder/cutoff/${train.id}/${lead}/${team}`,
            topic: "reminder.cutoff",
            severity: "info",
            time: new Date(at).toISOString(),
            teams: [team],
            title: `${train.id}: boarding closes at ${train.cutoffAt} (team ${team})`,
            reason:
              missing.length === 0
                ? `every component of team ${team} has boarded (${components.join(", ")})`
                : `not boarded yet: ${missing.join(", ")}${
                    status.some((s) => s.boarded)
                      ? `; boarded: ${status
                          .filter((s) => s.boarded)
                          .map((s) => s.component)
                          .join(", ")}`
                      : ""
                  }`,
            channels: reminders.cutoff.to ?? config.teams[team]?.notify ?? line.notify,
            recipients: emailsOf(config, members),
            data: { reminder: "cutoff", team, lead, cutoffAt: train.cutoffAt, components: status },
          });
        }
      }
    }
    if (since === null) continue;
    const sinceMs = Date.parse(since);
    if (train.state === "awaiting_approval" && line.approval.mode === "manual") {
      const rule = reminders.approval;
      const n = occurrence(now, sinceMs, parseDuration(rule.after), parseDuration(rule.every));
      if (n > 0) {
        const groups = approvalGroups(line.approval);
        const approvers = groups.flatMap((g) => (config.teams[g.team]?.members ?? []).map((m) => m.name));
        out.push({
          ...base,
          key: `reminder/approval/${train.id}/${train.manifestRevision}/${n}`,
          topic: "reminder.approval",
          severity: "info",
          time: new Date(
            sinceMs + parseDuration(rule.after) + (n - 1) * parseDuration(rule.every),
          ).toISOString(),
          teams: [...teams.keys()],
          title: `${train.id} needs approval (waiting since ${since})`,
          reason: `approvers: ${groups.map((g) => `${g.required} of team ${g.team}`).join(", ")}`,
          channels: rule.to ?? line.notify,
          recipients: emailsOf(config, [...new Set(approvers)]),
          data: { reminder: "approval", since, occurrence: n, groups },
        });
      }
    }
    if (train.state === "blocked") {
      const rule = reminders.blocked;
      const n = occurrence(now, sinceMs, parseDuration(rule.after), parseDuration(rule.every));
      if (n > 0) {
        out.push({
          ...base,
          key: `reminder/blocked/${train.id}/${since}/${n}`,
          topic: "reminder.blocked",
          severity: "info",
          time: new Date(
            sinceMs + parseDuration(rule.after) + (n - 1) * parseDuration(rule.every),
          ).toISOString(),
          teams: [...teams.keys()],
          title: `${train.id} is blocked (since ${since})`,
          reason: train.reason,
          channels: rule.to ?? line.notify,
          recipients: emailsOf(config, peopleWithRole(config, "coordinator")),
          data: { reminder: "blocked", since, occurrence: n, reason: train.reason },
        });
      }
    }
  }
  return out;
}
