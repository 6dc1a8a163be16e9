/**
 * Generic webhooks carrying CloudEvents 1.0 in structured JSON mode (`Content-Type:
 * application/cloudevents+json`), optionally signed with the webhook deployer's HMAC scheme
 * (`X-Railyard-Timestamp`, `X-Railyard-Signature`). The event's `id` is stable across retries, so
 * a receiver deduplicates redeliveries by it.
 */
import type { NotificationMessage } from "../../domain/notifications/render.js";
import type { NotificationSender, SendResult } from "../../engine/ports.js";
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from "../http/webhook-signature.js";
import { postNotification } from "./http-post.js";

/** The media type of a structured-mode CloudEvent in JSON. */
export const CLOUDEVENTS_CONTENT_TYPE = "application/cloudevents+json; charset=utf-8";

/** Options of {@link CloudEventsWebhookSender}. */
export interface CloudEventsWebhookOptions {
  /** Environment variable holding the URL (`urlFromEnv`). */
  urlFromEnv: string;
  /** Environment variable holding the HMAC secret (`secretFromEnv`); absent: unsigned. */
  secretFromEnv?: string | undefined;
  /** Where the variables are read. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** The clock of `X-Railyard-Timestamp`. @default () => new Date() */
  now?: () => Date;
}

/** POSTs CloudEvents to a webhook. */
export class CloudEventsWebhookSender implements NotificationSender {
  constructor(private readonly options: CloudEventsWebhookOptions) {}

  async send(channel: string, message: NotificationMessage, signal: AbortSignal): Promise<SendResult> {
    if (message.format !== "cloudevents") {
      return {
        ok: false,
        permanent: true,
        error: `channel ${channel} is a webhook channel but the message is ${message.format}`,
      };
    }
    const env = this.options.env ?? process.env;
    const url = env[this.options.urlFromEnv];
    if (!url) {
      return {
        ok: false,
        error: `notifications.${channel}.urlFromEnv: environment variable ${this.options.urlFromEnv} is not set; set it in Railyard's environment`,
      };
    }
    const body = JSON.stringify(message.body);
    const headers: Record<string, string> = { "content-type": CLOUDEVENTS_CONTENT_TYPE };
    if (this.options.secretFromEnv) {
      const secret = env[this.options.secretFromEnv];
      if (!secret) {
        return {
          ok: false,
          error: `notifications.${channel}.secretFromEnv: environment variable ${this.options.secretFromEnv} is not set; set it in Railyard's environment`,
        };
      }
      const timestamp = Math.floor((this.options.now?.() ?? new Date()).getTime() / 1000);
      headers[TIMESTAMP_HEADER] = String(timestamp);
      headers[SIGNATURE_HEADER] = signWebhook(secret, timestamp, body);
    }
    return postNotification({
      what: `webhook channel ${channel}`,
      url,
      body,
      headers,
      signal,
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
    });
  }
}
