/**
 * Slack incoming webhooks: the Block Kit message rendered by `src/domain/notifications/render.ts`
 * POSTed as JSON to the channel's webhook URL (read from the environment at send time).
 */
import type { NotificationMessage } from "../../domain/notifications/render.js";
import type { NotificationSender, SendResult } from "../../engine/ports.js";
import { postNotification } from "./http-post.js";

/** Options of {@link SlackSender}. */
export interface SlackSenderOptions {
  /** Environment variable holding the webhook URL (`webhookUrlFromEnv`). */
  urlFromEnv: string;
  /** Where the variable is read. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** Sends Slack messages through an incoming webhook. */
export class SlackSender implements NotificationSender {
  constructor(private readonly options: SlackSenderOptions) {}

  async send(channel: string, message: NotificationMessage, signal: AbortSignal): Promise<SendResult> {
    if (message.format !== "slack") {
      return {
        ok: false,
        permanent: true,
        error: `channel ${channel} is a Slack channel but the message is ${message.format}`,
      };
    }
    const url = (this.options.env ?? process.env)[this.options.urlFromEnv];
    if (!url) {
      return {
        ok: false,
        error: `notifications.${channel}.webhookUrlFromEnv: environment variable ${this.options.urlFromEnv} is not set; set it in Railyard's environment`,
      };
    }
    return postNotification({
      what: `slack channel ${channel}`,
      url,
      body: JSON.stringify(message.body),
      headers: { "content-type": "application/json; charset=utf-8" },
      signal,
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
    });
  }
}
