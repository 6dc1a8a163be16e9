/**
 * The postmortem draft of an incident, in Markdown: a summary (train, line, severity, started,
 * opened, recovered, duration, time to restore), the timeline of its train from the event log
 * (boarding, gates, approvals, waves, alerts, pauses, rollback, resolution) as a table of UTC
 * times, the SLO burn during the incident, the alerts grouped into it, and the release-train
 * article's postmortem review questions as headings with empty answers, followed by its incident
 * checklist. Pure: the engine gathers the events and measures the burn.
 */
import type { StoredEvent } from "../events.js";
import type { Incident, IncidentAlert, Instant } from "../model.js";

/** The SLO burn during the incident, as the engine could (or could not) measure it. */
export type PostmortemBurn =
  /** Measured: the line's error-budget SLO over [from, to]. */
  | { kind: "measured"; slo: string; from: Instant; to: Instant; burnRate: number | null; detail: string }
  /** Not measured, and why (no SLO configured, Prometheus unreachable, ...). */
  | { kind: "unmeasured"; reason: string };

/** What a postmortem draft is rendered from. */
export interface PostmortemInput {
  incident: Incident;
  /** The alerts grouped into it (one row per fingerprint and start). */
  alerts: readonly IncidentAlert[];
  /**
   * The events of its train, oldest first; for an incident without a train, the line's events in
   * the incident's window.
   */
  events: readonly StoredEvent[];
  burn: PostmortemBurn;
  /** When the draft is made (an open incident's duration counts to here). */
  now: Instant;
}

/** One row of the timeline. */
export interface TimelineRow {
  time: Instant;
  /** A short kind: boarding, gate, approval, wave, deploy, alert, pause, rollback, incident, train. */
  kind: string;
  what: string;
}

/** The review questions of the article, as the draft's headings. */
export const REVIEW_QUESTIONS = [
  "Timeline of train actions and gates",
  "SLO burn and incidents correlated to train",
  "Root causes and mitigation actions tied to train process",
  "Process improvements and automation opportunities",
] as const;

/** `2026-03-02 09:00:00` (UTC) for an instant; the text as given when it is not one. */
export function utc(instant: Instant): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return instant;
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/** `1h 5m`, `45s`, `2d 3h` for a span of milliseconds (negative spans read as 0s). */
export function span(ms: number): string {
  let rest = Math.max(0, Math.round(ms / 1000));
  const parts: string[] = [];
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * size;
  }
  return parts.length === 0 ? "0s" : parts.slice(0, 2).join(" ");
}

/** Table cells must not break the table. */
const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll(/\r?\n/g, " ");

/** The timeline rows one event gives (none for events a postmortem does not tell). */
function rowsOf(event: StoredEvent): TimelineRow[] {
  const at = event.time;
  const row = (kind: string, what: string, time: Instant = at): TimelineRow[] => [{ time, kind, what }];
  switch (event.type) {
    case "train.created":
      return row("train", `train ${event.trainId} scheduled to depart ${utc(event.payload.departureAt)}`);
    case "artifact.pushed":
      if (event.payload.boardedTrain === null) return [];
      return row(
        "boarding",
        `boarded ${event.payload.component} ${event.payload.version}${event.payload.late ? " (late)" : ""}`,
      );
    case "artifact.carried":
      return row(
        "boarding",
        `held ${event.payload.component} ${event.payload.version}: rides ${event.payload.toTrain} (${event.payload.reason})`,
      );
    case "manifest.frozen": {
      const boarded = event.payload.items.filter((i) => i.status === "boarded");
      const held = event.payload.items.filter((i) => i.status === "held");
      const list = (items: typeof boarded) => items.map((i) => `${i.component} ${i.version}`).join(", ");
      return row(
        "boarding",
        `manifest frozen (revision ${event.payload.revision}): ${list(boarded) || "nothing boarded"}` +
          (held.length > 0 ? `; held: ${list(held)}` : ""),
      );
    }
    case "component.dropped":
      return row("boarding", `dropped ${event.payload.component}: ${event.payload.reason}`);
    case "gate.evaluated": {
      const verdict = event.payload.verdict ?? (event.payload.status === "passed" ? "pass" : "fail");
      return row(
        "gate",
        `gate ${event.payload.stage}/${event.payload.gate} (${event.payload.type}): ${verdict}`,
      );
    }
    case "approval.recorded":
      return row(
        "approval",
        `${event.payload.decision === "approve" ? "approved" : "rejected"} by ${event.payload.approver}` +
          (event.payload.comment ? `: ${event.payload.comment}` : ""),
      );
    case "exception.granted":
      return row("approval", `blackout exception ${event.payload.blackout} granted by ${event.actor}`);
    case "rollout.marked":
      return row(
        "wave",
        `${event.payload.kind} ${event.payload.wave}/${event.payload.step} by ${event.actor}` +
          (event.payload.comment ? `: ${event.payload.comment}` : ""),
      );
    case "deployment.recorded":
      return row(
        event.payload.action === "rollback" ? "rollback" : "deploy",
        `${event.payload.action === "rollback" ? "rolled back" : "deployed"} ${event.payload.component} ` +
          `${event.payload.version ?? "(removed)"} to ${event.payload.environment} (wave ${event.payload.wave})`,
      );
    case "component.rolled_back":
      return row("rollback", `rolled back ${event.payload.component} alone: ${event.payload.reason}`);
    case "train.transitioned":
      return transitionRows(event);
    case "incident.opened":
      return row(
        "incident",
        `incident ${event.payload.incidentId} opened by ${event.actor} (${event.payload.severity ?? "critical"}): ${event.payload.title}`,
      );
    case "incident.alert": {
      const p = event.payload;
      if (p.status === "firing")
        return row("alert", `alert ${p.alertname} fired (${p.severity}; received ${utc(at)})`, p.startsAt);
      return row("alert", `alert ${p.alertname} resolved (received ${utc(at)})`, p.endsAt ?? at);
    }
    case "alert.suppressed":
      return row(
        "alert",
        `alert ${event.payload.alertname} suppressed by window ${event.payload.window} (received ${utc(at)})`,
        event.payload.startsAt,
      );
    case "incident.resolved":
      return row(
        "incident",
        `incident ${event.payload.incidentId} resolved by ${event.actor}` +
          `${event.payload.automatic ? " (automatically)" : ""}: ${event.payload.resolution}`,
      );
    default:
      return [];
  }
}

function transitionRows(event: Extract<StoredEvent, { type: "train.transitioned" }>): TimelineRow[] {
  const p = event.payload;
  const why = p.reason ? `: ${p.reason}` : "";
  const wave = p.wave !== undefined ? ` ${p.wave + 1}` : "";
  const kinds: Partial<Record<typeof p.event, [string, string]>> = {
    open: ["boarding", "boarding opened"],
    freeze: ["boarding", "boarding closed (cut-off)"],
    gates_passed: ["gate", "all gates passed"],
    depart: ["wave", `departed: wave${wave} started`],
    next_wave: ["wave", `wave${wave} started`],
    wave_deployed: ["wave", `wave${wave} deployed`],
    release: ["train", "released"],
    fail: ["train", `failed${why}`],
    reject: ["approval", `rejected${why}`],
    abort: ["train", `aborted${why}`],
    pause: ["pause", `paused${p.cause ? ` (${p.cause})` : ""}${why}`],
    resume: ["pause", `resumed${why}`],
    rollback: ["rollback", `rollback started${why}`],
    rolled_back: ["rollback", `rollback done${why}`],
    wave_rolled_back: ["rollback", `wave${wave} rolled back${why}`],
  };
  const found = kinds[p.event];
  return found ? [{ time: event.time, kind: found[0], what: found[1] }] : [];
}

/** The timeline of the incident's events, in time order (stable for equal times). */
export function postmortemTimeline(events: readonly StoredEvent[]): TimelineRow[] {
  return events
    .flatMap(rowsOf)
    .map((row, index) => ({ row, index, ms: Date.parse(row.time) }))
    .sort((a, b) => a.ms - b.ms || a.index - b.index)
    .map(({ row }) => row);
}

/** The sentence on the SLO burn during the incident. */
export function burnSentence(burn: PostmortemBurn): string {
  if (burn.kind === "unmeasured") return `SLO burn not measured: ${burn.reason}.`;
  const stretch = `from ${utc(burn.from)} to ${utc(burn.to)} UTC`;
  if (burn.burnRate === null) return `SLO ${burn.slo} ${stretch}: no data (${burn.detail}).`;
  const rate = Number(burn.burnRate.toPrecision(3));
  return `SLO ${burn.slo} burned its error budget at ${rate}× the sustainable rate ${stretch} (${burn.detail}).`;
}

/** Renders the postmortem draft of an incident as Markdown. */
export function renderPostmortem(input: PostmortemInput): string {
  const { incident, alerts, burn } = input;
  const timeline = postmortemTimeline(input.events);
  const started = Date.parse(incident.startedAt);
  const opened = Date.parse(incident.openedAt);
  const endMs = incident.resolvedAt ? Date.parse(incident.resolvedAt) : Date.parse(input.now);
  const ongoing = incident.resolvedAt === null;
  const rolledBack = timeline.find((r) => r.kind === "rollback");
  const components = [
    ...new Set(
      [incident.component, ...alerts.map((a) => a.labels.component)].filter(
        (c): c is string => typeof c === "string" && c !== "",
      ),
    ),
  ];
  const out: string[] = [];
  out.push(`# Postmortem draft: ${incident.title}`, "");
  out.push(
    `Incident ${incident.id}. A draft from Railyard's event log: answer the questions below and keep the facts.`,
    "",
  );
  out.push("## Summary", "");
  const summary: Array<[string, string]> = [
    ["Train", incident.trainId ?? `none (line-level incident of ${incident.line})`],
    ["Line", incident.line],
    ["Severity", incident.severity],
    ["Source", incident.source],
    ["Status", ongoing ? "open" : `resolved by ${incident.resolvedBy}`],
    ["Started", `${utc(incident.startedAt)} UTC`],
    ["Detected (opened)", `${utc(incident.openedAt)} UTC, ${span(opened - started)} after it started`],
    [
      "Recovered",
      ongoing ? `not yet (draft made ${utc(input.now)} UTC)` : `${utc(incident.resolvedAt!)} UTC`,
    ],
    ["Duration", `${span(endMs - started)}${ongoing ? " so far" : ""}`],
    ["Time to restore (MTTR)", ongoing ? "open" : span(endMs - started)],
  ];
  if (incident.component) summary.push(["Component", incident.component]);
  if (incident.environment) summary.push(["Environment", incident.environment]);
  if (incident.resolution) summary.push(["Resolution", incident.resolution]);
  out.push("| | |", "|---|---|", ...summary.map(([k, v]) => `| ${k} | ${cell(v)} |`), "");
  if (incident.detail) out.push(incident.detail, "");

  out.push(`## ${REVIEW_QUESTIONS[0]}`, "");
  if (timeline.length === 0) out.push("_No train events were recorded._", "");
  else
    out.push(
      "| Time (UTC) | Kind | What |",
      "|---|---|---|",
      ...timeline.map((r) => `| ${utc(r.time)} | ${r.kind} | ${cell(r.what)} |`),
      "",
    );

  out.push(`## ${REVIEW_QUESTIONS[1]}`, "", burnSentence(burn), "");
  if (alerts.length === 0) out.push("No alerts were grouped into this incident.", "");
  else
    out.push(
      "| Alert | Severity | Status | Started (UTC) | Ended (UTC) | Fingerprint |",
      "|---|---|---|---|---|---|",
      ...alerts.map(
        (a) =>
          `| ${cell(a.alertname)} | ${a.severity} | ${a.status} | ${utc(a.startsAt)} | ${a.endsAt ? utc(a.endsAt) : ""} | ${cell(a.fingerprint)} |`,
      ),
      "",
    );

  out.push(`## ${REVIEW_QUESTIONS[2]}`, "", "_To be written._", "");
  out.push(`## ${REVIEW_QUESTIONS[3]}`, "", "_To be written._", "");

  out.push("## Incident checklist", "");
  out.push(
    `- [ ] Identify affected train ID and services: ${incident.trainId ?? "no train"}` +
      `${components.length > 0 ? `; ${components.join(", ")}` : ""}` +
      `${incident.environment ? ` in ${incident.environment}` : ""}`,
    `- [ ] Check SLO burn rate and escalation thresholds: ${burnSentence(burn)}`,
    `- [ ] Evaluate automatic rollback condition: ${
      rolledBack ? `rollback started ${utc(rolledBack.time)} UTC` : "the train was not rolled back"
    }`,
    "- [ ] Execute runbook and notify stakeholders",
    "- [ ] Post-incident: capture timeline and start postmortem",
    "",
  );
  return out.join("\n");
}
