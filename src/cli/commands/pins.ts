/** `railyard pin`, `railyard unpin`, `railyard pins`: components held at their production version. */
import type { Command } from "commander";
import type { Pin } from "../../domain/model.js";
import type { PinResult } from "../../engine/actions.js";
import { contextOf } from "../context.js";
import { paint, table, when } from "../output.js";
import { renderReasons } from "./actions.js";

const pinPath = (component: string) => `/api/v1/components/${encodeURIComponent(component)}/pin`;

export function registerPinCommands(program: Command): void {
  program
    .command("pin")
    .description("keep a component at its production version on every train until unpinned")
    .argument("<component>", "component to pin")
    .requiredOption("--reason <text>", "why (required; recorded in the audit trail)")
    .addHelpText(
      "after",
      `
Needs the coordinator or admin role. Trains that freeze while it is pinned hold its new versions;
a train past its cut-off that carries one gets a new manifest, like a drop.

Example:
  railyard pin payments --reason "card processor migration until Friday"`,
    )
    .action(async (component: string, options: { reason: string }, command: Command) => {
      const ctx = contextOf(command);
      const result = await ctx
        .client()
        .request<PinResult>("POST", pinPath(component), { reason: options.reason });
      if (ctx.json) return ctx.out.json(result);
      const { pin } = result;
      ctx.out.line(
        `${paint(ctx.out, "yellow", "pinned")} ${pin.component} on line ${pin.line} ${pin.version ? `at ${pin.version}` : "(never released: none of its versions boards)"}: ${pin.reason}`,
      );
      for (const train of result.remanifested) {
        ctx.out.line(
          `${train.train}: new manifest without ${pin.component}${train.nowHeld.length > 0 ? `; now held: ${train.nowHeld.map((h) => `${h.component} ${h.version}`).join(", ")}` : ""}`,
        );
        for (const held of train.nowHeld)
          renderReasons(ctx.out, held.reasons.length > 0 ? held.reasons : [held.reason]);
      }
    });

  program
    .command("unpin")
    .description("lift a component's pin: trains that freeze from now on take its new versions")
    .argument("<component>", "pinned component")
    .requiredOption("--reason <text>", "why (required; recorded in the audit trail)")
    .addHelpText(
      "after",
      `
Needs the coordinator or admin role.

Example:
  railyard unpin payments --reason "migration done"`,
    )
    .action(async (component: string, options: { reason: string }, command: Command) => {
      const ctx = contextOf(command);
      await ctx.client().request<null>("DELETE", pinPath(component), { reason: options.reason });
      if (ctx.json) return ctx.out.json({ component, unpinned: true });
      ctx.out.line(
        `${paint(ctx.out, "green", "unpinned")} ${component}: trains that freeze from now on take its new versions`,
      );
    });

  program
    .command("pins")
    .description("list pinned components")
    .addHelpText("after", "\nExample:\n  railyard pins --json")
    .action(async (_options, command: Command) => {
      const ctx = contextOf(command);
      const pins = await ctx.client().request<Pin[]>("GET", "/api/v1/pins");
      if (ctx.json) return ctx.out.json(pins);
      if (pins.length === 0) return ctx.out.line("no pinned components");
      ctx.out.line(
        table(
          ctx.out,
          ["COMPONENT", "LINE", "HELD AT", "PINNED BY", "SINCE", "REASON"],
          pins.map((p) => [p.component, p.line, p.version ?? "-", p.actor, when(p.pinnedAt), p.reason]),
        ),
      );
    });
}
