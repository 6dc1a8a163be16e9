/**
 * Where a notification goes: {@link routeNotification} picks the channels from the line's
 * `notify`, the configured routes (or the page-vs-ticket default) and the notification's own
 * channels (reminders), each filtered by the channel's `events`.
 */
import type { RailyardConfig } from "../config/schema.js";
import type { Notification } from "./notification.js";

/**
 * True when `value` matches `pattern`: exact, `*` (anything), or a glob where `*` stands for
 * any run of characters (`train.*` matches `train.released`).
 */
export function matchesGlob(pattern: string, value: string): boolean {
  if (pattern === "*" || pattern === value) return true;
  if (!pattern.includes("*")) return false;
  const source = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`).test(value);
}

/** True when one of `patterns` matches the notification's topic or the event type it announces. */
function matchesEvents(patterns: readonly string[], n: Notification): boolean {
  return patterns.some(
    (pattern) => matchesGlob(pattern, n.topic) || (n.eventType !== null && matchesGlob(pattern, n.eventType)),
  );
}

/**
 * The channel names `n` goes to, deduplicated, in configuration order of discovery:
 * 1. the notify channels of its line;
 * 2. the channels of every route in `routing.routes` whose `match` matches (events by glob on the
 *    topic or event type, lines, teams owning a component of the line, severities); when
 *    `routing.routes` is absent, the page-vs-ticket default: critical to every channel with
 *    purpose page, warning to every channel with purpose ticket;
 * 3. the notification's own `channels` (reminders).
 * Every channel keeps only what its `events` filter admits; unknown channel names are dropped.
 */
export function routeNotification(n: Notification, config: RailyardConfig): string[] {
  const candidates: string[] = [];
  if (n.line !== null) candidates.push(...(config.lines[n.line]?.notify ?? []));
  const routes = config.routing.routes;
  if (routes === undefined) {
    const purpose = n.severity === "critical" ? "page" : n.severity === "warning" ? "ticket" : null;
    if (purpose) {
      for (const [name, channel] of Object.entries(config.notifications)) {
        if (channel.purpose === purpose) candidates.push(name);
      }
    }
  } else {
    for (const route of routes) {
      const m = route.match;
      if (m.events && !matchesEvents(m.events, n)) continue;
      if (m.lines && (n.line === null || !m.lines.includes(n.line))) continue;
      if (m.teams && !m.teams.some((team) => n.teams.includes(team))) continue;
      if (m.severities && !m.severities.includes(n.severity)) continue;
      candidates.push(...route.to);
    }
  }
  candidates.push(...(n.channels ?? []));
  const chosen: string[] = [];
  for (const name of candidates) {
    if (chosen.includes(name)) continue;
    const channel = config.notifications[name];
    if (!channel || !matchesEvents(channel.events, n)) continue;
    chosen.push(name);
  }
  return chosen;
}

/** Email addresses of the people named, looked up in teams' members and users (unknown names and people without email are skipped). */
export function emailsOf(config: RailyardConfig, people: readonly string[]): string[] {
  const emails = new Map<string, string>();
  for (const person of [...Object.values(config.teams).flatMap((t) => t.members), ...config.users]) {
    if (person.email && !emails.has(person.name)) emails.set(person.name, person.email);
  }
  return people.flatMap((name) => {
    const email = emails.get(name);
    return email ? [email] : [];
  });
}

/**
 * The addresses an email channel sends `n` to: the channel's `to`, the members of its `teams`
 * who have an email, and the notification's own recipients; deduplicated, in that order.
 */
export function emailRecipients(n: Notification, channelName: string, config: RailyardConfig): string[] {
  const channel = config.notifications[channelName];
  if (channel?.type !== "email") return [];
  const members = channel.teams.flatMap((team) => (config.teams[team]?.members ?? []).map((m) => m.name));
  return [...new Set([...channel.to, ...emailsOf(config, members), ...(n.recipients ?? [])])];
}
