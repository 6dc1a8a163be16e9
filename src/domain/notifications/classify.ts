/**
 * Which events are worth announcing, and how urgently: {@link classifyEvent} maps an event of
 * the log to a {@link Notification}, or null for the many events nobody needs to hear about.
 */
import type { StoredEvent } from "../events.js";
import type { Notification, NotificationSeverity } from "./notification.js";

/** What classification needs to know besides the event. */
export interface ClassifyContext {
  /** The line of the event's train (or the incident's line); null when unknown. */
  line: string | null;
  /** Teams owning a component of that line. @default [] */
  teams?: string[];
}

interface Topic {
  topic: string;
  severity: NotificationSeverity;
  title: string;
  reason: string | null;
  state: string | null;
}

function topicOf(event: StoredEvent): Topic | null {
  const train = event.trainId ?? "";
  switch (event.type) {
    case "train.transitioned": {
      const p = event.payload;
      const base = { reason: p.reason, state: p.to };
      if (p.to === "released")
        return { ...base, topic: "train.released", severity: "info", title: `${train} released` };
      if (p.to === "rolled_back")
        return { ...base, topic: "train.rolled_back", severity: "warning", title: `${train} rolled back` };
      if (p.to === "rolling_back")
        return { ...base, topic: "train.rolling_back", severity: "warning", title: `${train} rolling back` };
      if (p.to === "blocked")
        return { ...base, topic: "train.blocked", severity: "warning", title: `${train} blocked` };
      if (p.to === "aborted")
        return { ...base, topic: "train.aborted", severity: "info", title: `${train} aborted` };
      if (p.to === "paused") {
        // Pausing for an error-budget burn means a critical SLO is burning: that pages.
        const critical = p.cause === "budget";
        return {
          ...base,
          topic: "train.paused",
          severity: critical ? "critical" : "info",
          title: `${train} paused${p.cause ? ` (${p.cause})` : ""}`,
        };
      }
      if (p.event === "depart")
        return { ...base, topic: "train.departed", severity: "info", title: `${train} departed` };
      return null;
    }
    case "incident.opened": {
      const severity = event.payload.severity ?? "critical";
      return {
        topic: "incident.opened",
        severity,
        title: `${severity} incident on ${event.payload.line}: ${event.payload.title}`,
        reason: event.payload.detail,
        state: "open",
      };
    }
    case "incident.resolved":
      return {
        topic: "incident.resolved",
        severity: "info",
        title: `incident ${event.payload.incidentId} resolved`,
        reason: event.payload.resolution,
        state: "resolved",
      };
    case "gate.evaluated":
      if (event.payload.status !== "failed") return null;
      return {
        topic: "gate.failed",
        severity: "warning",
        title: `${train}: gate ${event.payload.gate} failed (${event.payload.stage})`,
        reason: event.payload.output,
        state: null,
      };
    case "approval.recorded":
      return {
        topic: "approval.recorded",
        severity: "info",
        title: `${train} ${event.payload.decision === "approve" ? "approved" : "rejected"} by ${event.payload.approver}`,
        reason: event.payload.comment,
        state: null,
      };
    default:
      return null;
  }
}

/**
 * The notification announcing `event`, or null when the event is not announced. Announced:
 * train transitions to released (info), rolling_back / rolled_back / blocked (warning), aborted
 * (info), paused (critical when the cause is an error-budget burn, else info) and departures
 * (info); incidents opened (their severity, critical when absent) and resolved (info); failed
 * gates (warning); approval decisions (info).
 */
export function classifyEvent(event: StoredEvent, context: ClassifyContext): Notification | null {
  const topic = topicOf(event);
  if (!topic) return null;
  return {
    key: `event/${event.id}`,
    kind: "event",
    topic: topic.topic,
    severity: topic.severity,
    eventType: event.type,
    eventId: event.id,
    time: event.time,
    trainId: event.trainId,
    line: context.line,
    teams: context.teams ?? [],
    state: topic.state,
    title: topic.title,
    reason: topic.reason,
    data: { type: event.type, id: event.id, actor: event.actor, ...(event.payload as object) },
  };
}
