/**
 * The notification sender factory the engine uses: builds the sender of a configured channel
 * (`notifications.<name>`) by its type. Secrets are read from the environment at send time.
 */
import type { RailyardConfig } from "../../domain/config/schema.js";
import type { NotificationSender, NotificationSenderFactory } from "../../engine/ports.js";
import { CloudEventsWebhookSender } from "./cloudevents-webhook.js";
import { SlackSender } from "./slack.js";
import { SmtpSender } from "./smtp.js";

/** Options of {@link createNotificationSenderFactory}. */
export interface NotificationSenderFactoryOptions {
  /** Where URLs, secrets and SMTP credentials are read. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/**
 * Creates the {@link NotificationSenderFactory} for `slack`, `webhook` (CloudEvents) and `email`
 * channels. The factory throws when the channel is not configured, or is an email channel and
 * `smtp` is not configured (the configuration check refuses that).
 */
export function createNotificationSenderFactory(
  options: NotificationSenderFactoryOptions = {},
): NotificationSenderFactory {
  return function createNotificationSender(channel: string, config: RailyardConfig): NotificationSender {
    const def = config.notifications[channel];
    if (!def)
      throw new Error(`no notification channel ${channel} in the configuration (notifications.${channel})`);
    const env = options.env ?? process.env;
    switch (def.type) {
      case "slack":
        return new SlackSender({ urlFromEnv: def.webhookUrlFromEnv, env });
      case "webhook":
        return new CloudEventsWebhookSender({
          urlFromEnv: def.urlFromEnv,
          secretFromEnv: def.secretFromEnv,
          env,
        });
      case "email":
        if (!config.smtp)
          throw new Error(`notifications.${channel} is an email channel but smtp is not configured`);
        return new SmtpSender({ smtp: config.smtp, env });
      default: {
        const never: never = def;
        throw new Error(`unknown channel type ${JSON.stringify(never)}`);
      }
    }
  };
}
