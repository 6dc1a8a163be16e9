/**
 * A notification in each channel's wire format: a Slack Block Kit message, a CloudEvents 1.0
 * structured-mode JSON event, or an email. Pure: the result is stored in the outbox as it is
 * sent, so a retry sends the same bytes.
 */
import type { NotificationChannelConfig } from "../config/schema.js";
import { cloudEventType, type Notification } from "./notification.js";

/** Slack's documented limits (api.slack.com/reference/block-kit/blocks). */
export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  blocks: 50,
  buttonText: 75,
  url: 3000,
  fallbackText: 4000,
} as const;

/** A Slack text object. */
export interface SlackText {
  type: "plain_text" | "mrkdwn";
  text: string;
  emoji?: boolean;
}

/** The Block Kit blocks Railyard sends. */
export type SlackBlock =
  | { type: "header"; text: SlackText }
  | { type: "section"; text?: SlackText; fields?: SlackText[] }
  | { type: "context"; elements: SlackText[] }
  | {
      type: "actions";
      elements: Array<{ type: "button"; text: SlackText; url: string; action_id: string }>;
    };

/** A message for a Slack incoming webhook: `text` is the notification fallback. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** A CloudEvents 1.0 event in structured JSON mode. */
export interface CloudEvent {
  specversion: "1.0";
  id: string;
  source: string;
  type: string;
  time: string;
  subject?: string;
  datacontenttype: "application/json";
  /** Extension attribute: critical, warning or info. */
  severity: string;
  data: Record<string, unknown>;
}

/** An email: plain text with a simple HTML alternative. */
export interface EmailMessage {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/** What the outbox stores and a sender sends. */
export type NotificationMessage =
  | { format: "slack"; body: SlackMessage }
  | { format: "cloudevents"; body: CloudEvent }
  | { format: "email"; email: EmailMessage };

/** Options of {@link renderMessage}. */
export interface RenderOptions {
  /** The outbox row id: the CloudEvent `id`, stable across retries. */
  id: string;
  /** Railyard's public base URL (`routing.publicUrl`); without it messages carry no links. */
  publicUrl?: string | undefined;
  /** Email channels: the addresses to send to. @default [] */
  recipients?: string[];
}

/** Cuts `text` to `max` characters, ending with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Escapes the three characters Slack's mrkdwn gives meaning to. */
function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** Links to the train page and its API resource, when there is a train and a public URL. */
export function linksOf(n: Notification, publicUrl?: string): { train: string; api: string } | null {
  if (!publicUrl || !n.trainId) return null;
  const base = publicUrl.replace(/\/+$/, "");
  const id = encodeURIComponent(n.trainId);
  return { train: `${base}/trains/${id}`, api: `${base}/api/v1/trains/${id}` };
}

/** The facts shown in every format, label first. */
function factsOf(n: Notification): Array<[string, string]> {
  const facts: Array<[string, string]> = [];
  if (n.trainId) facts.push(["Train", n.trainId]);
  if (n.line) facts.push(["Line", n.line]);
  if (n.state) facts.push(["State", n.state]);
  facts.push(["Severity", n.severity]);
  return facts;
}

/**
 * The Block Kit message for `n`: a header (the title), a section with the fields Train, Line,
 * State and Severity, a section with the reason, a context line (topic and time) and, with a
 * public URL, buttons to the train page and its API. Every text is cut to Slack's limits.
 */
export function renderSlack(n: Notification, publicUrl?: string): SlackMessage {
  const blocks: SlackBlock[] = [
    {
      type: "header",
      text: { type: "plain_text", text: clip(n.title, SLACK_LIMITS.headerText), emoji: true },
    },
    {
      type: "section",
      fields: factsOf(n)
        .slice(0, SLACK_LIMITS.fields)
        .map(([label, value]) => ({
          type: "mrkdwn" as const,
          text: clip(`*${label}*\n${escapeMrkdwn(value)}`, SLACK_LIMITS.fieldText),
        })),
    },
  ];
  if (n.reason) {
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: clip(`*Reason*\n${escapeMrkdwn(n.reason)}`, SLACK_LIMITS.sectionText) },
    });
  }
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `${n.topic} · ${n.time}` }] });
  const links = linksOf(n, publicUrl);
  if (links) {
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          text: { type: "plain_text", text: "Open train" },
          url: clip(links.train, SLACK_LIMITS.url),
          action_id: "railyard-train",
        },
        {
          type: "button",
          text: { type: "plain_text", text: "API" },
          url: clip(links.api, SLACK_LIMITS.url),
          action_id: "railyard-api",
        },
      ],
    });
  }
  const fallback = n.reason ? `${n.title}: ${n.reason}` : n.title;
  return { text: clip(fallback, SLACK_LIMITS.fallbackText), blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
}

/** The CloudEvents `source` of `n`: `/railyard/lines/<line>/trains/<train>` (or a prefix of it). */
export function cloudEventSource(n: Notification): string {
  if (!n.line) return "/railyard";
  const line = `/railyard/lines/${encodeURIComponent(n.line)}`;
  return n.trainId ? `${line}/trains/${encodeURIComponent(n.trainId)}` : line;
}

/**
 * The CloudEvents 1.0 structured event for `n`, with `id` the outbox row id (stable, so
 * receivers deduplicate redeliveries by it), `type` `dev.railyard.<topic>`, `subject` the train.
 */
export function renderCloudEvent(n: Notification, id: string, publicUrl?: string): CloudEvent {
  const links = linksOf(n, publicUrl);
  return {
    specversion: "1.0",
    id,
    source: cloudEventSource(n),
    type: cloudEventType(n.topic),
    time: n.time,
    ...(n.trainId ? { subject: n.trainId } : {}),
    datacontenttype: "application/json",
    severity: n.severity,
    data: {
      topic: n.topic,
      title: n.title,
      severity: n.severity,
      trainId: n.trainId,
      line: n.line,
      state: n.state,
      reason: n.reason,
      links,
      ...(n.kind === "event" ? { event: n.data } : { reminder: n.data }),
    },
  };
}

function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/** The email for `n`: subject `[Railyard] <title>`, the facts, the reason and the link. */
export function renderEmail(n: Notification, to: string[], publicUrl?: string): EmailMessage {
  const links = linksOf(n, publicUrl);
  const facts = factsOf(n);
  const text = [
    n.title,
    "",
    ...facts.map(([label, value]) => `${label}: ${value}`),
    ...(n.reason ? ["", n.reason] : []),
    ...(links ? ["", `Open: ${links.train}`] : []),
    "",
    `(${n.topic}, ${n.time})`,
    "",
  ].join("\n");
  const html = [
    `<h2>${escapeHtml(n.title)}</h2>`,
    `<table>${facts.map(([l, v]) => `<tr><th align="left">${escapeHtml(l)}</th><td>${escapeHtml(v)}</td></tr>`).join("")}</table>`,
    ...(n.reason ? [`<p>${escapeHtml(n.reason)}</p>`] : []),
    ...(links ? [`<p><a href="${escapeHtml(links.train)}">Open ${escapeHtml(n.trainId ?? "")}</a></p>`] : []),
  ].join("\n");
  return { to, subject: clip(`[Railyard] ${n.title}`.replace(/[\r\n]+/g, " "), 200), text, html };
}

/** `n` in the format of `channel`. */
export function renderMessage(
  n: Notification,
  channel: NotificationChannelConfig,
  options: RenderOptions,
): NotificationMessage {
  switch (channel.type) {
    case "slack":
      return { format: "slack", body: renderSlack(n, options.publicUrl) };
    case "webhook":
      return { format: "cloudevents", body: renderCloudEvent(n, options.id, options.publicUrl) };
    case "email":
      return { format: "email", email: renderEmail(n, options.recipients ?? [], options.publicUrl) };
    default: {
      const never: never = channel;
      throw new Error(`unknown channel type ${JSON.stringify(never)}`);
    }
  }
}
