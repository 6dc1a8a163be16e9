/**
 * What Railyard announces: a {@link Notification} is one thing worth telling people (a train
 * released, an incident opened, a cut-off approaching), before it is routed to channels and
 * rendered in each channel's format. See `docs/design/notifications.md`.
 */
import type { Instant } from "../model.js";

/** How urgent a notification is; the default routing pages on critical and tickets on warning. */
export type NotificationSeverity = "critical" | "warning" | "info";

/** One thing to announce, channel-independent. */
export interface Notification {
  /**
   * The stable deduplication key of the notification, without the channel: `event/<eventId>` or
   * `reminder/<kind>/...`. The outbox row is `<key>/<channel>`.
   */
  key: string;
  kind: "event" | "reminder";
  /** e.g. `train.released`, `incident.opened`, `reminder.cutoff`. */
  topic: string;
  severity: NotificationSeverity;
  /** The event type it announces (`train.transitioned`); null for reminders. */
  eventType: string | null;
  eventId: number | null;
  /** When it happened (the event's time, or when the reminder fell due). */
  time: Instant;
  trainId: string | null;
  line: string | null;
  /** Teams owning a component of the line (what routes match `teams` against). */
  teams: string[];
  /** The train's state after the event, when it is about a train. */
  state: string | null;
  /** One line for people, e.g. `shop-1 released`. */
  title: string;
  /** Why, in words (the transition's reason, the incident's detail). */
  reason: string | null;
  /** Channels it goes to besides its routes (reminders name theirs). @default [] */
  channels?: string[];
  /** Email addresses of the people it is addressed to (approvers, coordinators, a team's members). @default [] */
  recipients?: string[];
  /** The announced event's payload, or the reminder's facts (CloudEvents `data`). */
  data: Record<string, unknown>;
}

/** The CloudEvents `type` of a topic: `dev.railyard.<topic>`. */
export function cloudEventType(topic: string): string {
  return `dev.railyard.${topic}`;
}
