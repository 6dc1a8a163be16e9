/** `railyard waiver add|list|revoke`: findings accepted on the record until an expiry. */
import type { Command } from "commander";
import type { Waiver } from "../../domain/model.js";
import { contextOf } from "../context.js";
import { paint, table, when } from "../output.js";

export function registerWaiverCommands(program: Command): void {
  const waiver = program
    .command("waiver")
    .description("waive a finding for a component until an expiry, list and revoke waivers");

  waiver
    .command("add")
    .description("waive a finding for a component (approvers, coordinators, admins)")
    .argument("<component>", "the component the finding is in")
    .argument("<finding>", "the finding's id, e.g. CVE-2024-1234")
    .requiredOption("--justification <text>", "why the risk is accepted (recorded in the audit trail)")
    .requiredOption("--expires <when>", "a duration (30d), a date (2027-01-31) or an instant; a year at most")
    .addHelpText(
      "after",
      `
The security gate stops counting the finding for that component until the waiver expires or is
revoked, and lists it as waived, by whom and why.

Example:
  railyard waiver add api CVE-2024-3094 --expires 14d --justification "xz not in the runtime image; rebuild planned"`,
    )
    .action(
      async (
        component: string,
        finding: string,
        options: { justification: string; expires: string },
        command: Command,
      ) => {
        const ctx = contextOf(command);
        const granted = await ctx.client().request<Waiver>("POST", "/api/v1/waivers", {
          component,
          finding,
          justification: options.justification,
          expires: options.expires,
        });
        if (ctx.json) return ctx.out.json(granted);
        ctx.out.line(
          `${paint(ctx.out, "yellow", "waived")} ${granted.finding} for ${granted.component} until ${when(granted.expiresAt)} (${granted.id}): ${granted.justification}`,
        );
      },
    );

  waiver
    .command("list")
    .description("waivers in force (with --all: expired and revoked ones too)")
    .option("--component <name>", "only this component's")
    .option("--all", "include expired and revoked waivers")
    .action(async (options: { component?: string; all?: boolean }, command: Command) => {
      const ctx = contextOf(command);
      const query = new URLSearchParams();
      if (options.component) query.set("component", options.component);
      if (options.all) query.set("all", "true");
      const waivers = await ctx.client().request<Waiver[]>("GET", `/api/v1/waivers?${query}`);
      if (ctx.json) return ctx.out.json(waivers);
      if (waivers.length === 0) return ctx.out.line("no waivers in force");
      ctx.out.line(
        table(
          ctx.out,
          ["ID", "COMPONENT", "FINDING", "BY", "UNTIL", "STATE", "JUSTIFICATION"],
          waivers.map((w) => [
            w.id,
            w.component,
            w.finding,
            w.approver,
            when(w.expiresAt),
            w.revokedAt
              ? `revoked by ${w.revokedBy}`
              : Date.parse(w.expiresAt) <= Date.now()
                ? "expired"
                : "in force",
            w.justification,
          ]),
        ),
      );
    });

  waiver
    .command("revoke")
    .description("revoke a waiver: the finding counts again at once")
    .argument("<id>", "the waiver's id (railyard waiver list)")
    .requiredOption("--reason <text>", "why (recorded in the audit trail)")
    .action(async (id: string, options: { reason: string }, command: Command) => {
      const ctx = contextOf(command);
      const revoked = await ctx
        .client()
        .request<Waiver>("POST", `/api/v1/waivers/${encodeURIComponent(id)}/revoke`, {
          reason: options.reason,
        });
      if (ctx.json) return ctx.out.json(revoked);
      ctx.out.line(
        `${paint(ctx.out, "green", "revoked")} ${revoked.id}: ${revoked.finding} counts again for ${revoked.component}`,
      );
    });
}
