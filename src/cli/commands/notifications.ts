/** `railyard notifications list|retry`: what was sent to Slack, webhooks and email, and resending. */
import type { Command } from "commander";
import type { NotificationRecord } from "../../engine/ports.js";
import { contextOf } from "../context.js";
import { paint, table, when } from "../output.js";

/** Registers `railyard notifications list` and `railyard notifications retry <id>`. */
export function registerNotificationCommands(program: Command): void {
  const notifications = program
    .command("notifications")
    .description("notifications to Slack, CloudEvents webhooks and email: delivery and retries");

  notifications
    .command("list")
    .description("notifications, newest first, with their delivery attempts")
    .option("--failed", "only those that gave up (retry them with `railyard notifications retry`)")
    .option("--pending", "only those waiting to be sent (again)")
    .option("--channel <name>", "only this channel's")
    .option("--train <id>", "only this train's")
    .addHelpText(
      "after",
      `
Example:
  railyard notifications list --failed --channel releases`,
    )
    .action(
      async (
        options: { failed?: boolean; pending?: boolean; channel?: string; train?: string },
        command: Command,
      ) => {
        const ctx = contextOf(command);
        const query = new URLSearchParams();
        if (options.failed) query.set("status", "failed");
        else if (options.pending) query.set("status", "pending");
        if (options.channel) query.set("channel", options.channel);
        if (options.train) query.set("train", options.train);
        const rows = await ctx
          .client()
          .request<NotificationRecord[]>("GET", `/api/v1/notifications?${query}`);
        if (ctx.json) return ctx.out.json(rows);
        if (rows.length === 0) return ctx.out.line("no notifications");
        ctx.out.line(
          table(
            ctx.out,
            ["ID", "CHANNEL", "TOPIC", "TRAIN", "STATUS", "ATTEMPTS", "CREATED", "LAST ERROR"],
            rows.map((n) => [
              n.id,
              n.channel,
              n.topic,
              n.trainId ?? "",
              n.status === "delivered"
                ? paint(ctx.out, "green", "delivered")
                : n.status === "failed"
                  ? paint(ctx.out, "red", "failed")
                  : paint(ctx.out, "yellow", `pending (next ${when(n.nextAttemptAt)})`),
              String(n.attempts),
              when(n.createdAt),
              n.lastError ?? "",
            ]),
          ),
        );
      },
    );

  notifications
    .command("retry")
    .description("send a failed notification again (coordinators, admins)")
    .argument("<id>", "notification ID (railyard notifications list --failed)")
    .addHelpText(
      "after",
      `
Example:
  railyard notifications retry event/812/releases`,
    )
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command);
      const row = await ctx
        .client()
        .request<NotificationRecord>("POST", `/api/v1/notifications/${encodeURIComponent(id)}/retry`);
      if (ctx.json) return ctx.out.json(row);
      ctx.out.line(`${paint(ctx.out, "green", "queued")} ${row.id}: sent again at the next beat`);
    });
}
