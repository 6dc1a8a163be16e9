/** `railyard incident list|resolve`: what stopped a line (a failed rollback), and resolving it. */
import type { Command } from "commander";
import type { Incident } from "../../domain/model.js";
import { contextOf } from "../context.js";
import { paint, table, when } from "../output.js";

export function registerIncidentCommands(program: Command): void {
  const incident = program.command("incident").description("incidents: failed rollbacks that stopped a line");

  incident
    .command("list")
    .description("incidents, newest first")
    .option("--line <name>", "only this line's")
    .option("--open", "only open incidents")
    .action(async (options: { line?: string; open?: boolean }, command: Command) => {
      const ctx = contextOf(command);
      const query = new URLSearchParams();
      if (options.line) query.set("line", options.line);
      if (options.open) query.set("status", "open");
      const incidents = await ctx.client().request<Incident[]>("GET", `/api/v1/incidents?${query}`);
      if (ctx.json) return ctx.out.json(incidents);
      if (incidents.length === 0) return ctx.out.line(options.open ? "no open incidents" : "no incidents");
      ctx.out.line(
        table(
          ctx.out,
          ["ID", "LINE", "TRAIN", "OPENED", "STATE", "TITLE"],
          incidents.map((i) => [
            i.id,
            i.line,
            i.trainId ?? "",
            when(i.openedAt),
            i.status === "open"
              ? paint(ctx.out, "red", i.stopsLine ? "open, line stopped" : "open")
              : `resolved by ${i.resolvedBy}`,
            i.title,
          ]),
        ),
      );
    });

  incident
    .command("resolve")
    .description("resolve an incident (coordinators, admins); a line it stopped goes on")
    .argument("<id>", "incident ID (railyard incident list)")
    .requiredOption("--resolution <text>", "what was done (required; kept in the audit trail)")
    .addHelpText(
      "after",
      `
Example:
  railyard incident resolve inc-shop-12-5f0c2a91 --resolution "reverted by hand in Argo CD"`,
    )
    .action(async (id: string, options: { resolution: string }, command: Command) => {
      const ctx = contextOf(command);
      const resolved = await ctx
        .client()
        .request<Incident>("POST", `/api/v1/incidents/${encodeURIComponent(id)}/resolve`, {
          resolution: options.resolution,
        });
      if (ctx.json) return ctx.out.json(resolved);
      ctx.out.line(`${paint(ctx.out, "green", "resolved")} ${resolved.id}: line ${resolved.line} goes on`);
    });
}
