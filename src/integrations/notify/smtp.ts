/**
 * Email through SMTP (nodemailer): the rendered subject, text and HTML to the message's
 * recipients, from `smtp.from`. Credentials are read from the environment at send time and
 * never appear in errors. SMTP 5xx answers (other than to AUTH) are permanent; the rest retry.
 */
import nodemailer from "nodemailer";
import type { SmtpConfig } from "../../domain/config/schema.js";
import type { NotificationMessage } from "../../domain/notifications/render.js";
import type { NotificationSender, SendResult } from "../../engine/ports.js";

/** Options of {@link SmtpSender}. */
export interface SmtpSenderOptions {
  smtp: SmtpConfig;
  /** Where `userFromEnv` and `passwordFromEnv` are read. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** Sends email through the configured SMTP server. */
export class SmtpSender implements NotificationSender {
  constructor(private readonly options: SmtpSenderOptions) {}

  async send(channel: string, message: NotificationMessage, signal: AbortSignal): Promise<SendResult> {
    if (message.format !== "email") {
      return {
        ok: false,
        permanent: true,
        error: `channel ${channel} is an email channel but the message is ${message.format}`,
      };
    }
    const { smtp } = this.options;
    const env = this.options.env ?? process.env;
    let auth: { user: string; pass: string } | undefined;
    if (smtp.userFromEnv) {
      const user = env[smtp.userFromEnv];
      const pass = smtp.passwordFromEnv ? env[smtp.passwordFromEnv] : "";
      if (!user || pass === undefined) {
        const missing = !user ? smtp.userFromEnv : smtp.passwordFromEnv;
        return {
          ok: false,
          error: `smtp: environment variable ${missing} is not set; set it in Railyard's environment`,
        };
      }
      auth = { user, pass };
    }
    const transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      ...(auth ? { auth } : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    const onAbort = () => transport.close();
    signal.addEventListener("abort", onAbort, { once: true });
    const redact = (text: string) => {
      let out = text;
      if (auth?.pass) out = out.split(auth.pass).join("<password>");
      return out;
    };
    try {
      await transport.sendMail({
        from: smtp.from,
        to: message.email.to,
        subject: message.email.subject,
        text: message.email.text,
        html: message.email.html,
      });
      return { ok: true };
    } catch (error) {
      const e = error as { message?: string; code?: string; responseCode?: number };
      if (signal.aborted) {
        return {
          ok: false,
          error: `email channel ${channel}: no answer from ${smtp.host}:${smtp.port} before the delivery timeout`,
        };
      }
      const permanent = typeof e.responseCode === "number" && e.responseCode >= 500 && e.code !== "EAUTH";
      return {
        ok: false,
        ...(permanent ? { permanent } : {}),
        error: redact(
          `email channel ${channel}: SMTP ${smtp.host}:${smtp.port} ${e.code ? `(${e.code}) ` : ""}${e.message ?? String(error)}`,
        ),
      };
    } finally {
      signal.removeEventListener("abort", onAbort);
      transport.close();
    }
  }
}
