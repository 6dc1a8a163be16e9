/** `railyard checklist show|tick`: a train's checklists, and ticking their items on the record. */
import type { Command } from "commander";
import type { ChecklistView } from "../../engine/checklists.js";
import { contextOf } from "../context.js";
import { type Output, paint, when } from "../output.js";

function render(out: Output, checklist: ChecklistView): void {
  const state = checklist.complete ? paint(out, "green", "complete") : paint(out, "yellow", "open");
  out.line(
    `${paint(out, "bold", checklist.gate)} (${checklist.stage}, manifest revision ${checklist.revision}): ${state}`,
  );
  for (const item of checklist.items) {
    out.line(
      item.ticked
        ? `  [x] ${item.id}: ${item.text} ${paint(out, "dim", `(${item.ticked.by}, ${when(item.ticked.at)}${item.ticked.note ? `: ${item.ticked.note}` : ""})`)}`
        : `  [ ] ${item.id}: ${item.text} ${paint(out, "dim", `(${item.roles.join(" or ")})`)}`,
    );
  }
}

export function registerChecklistCommands(program: Command): void {
  const checklist = program.command("checklist").description("a train's checklists and ticking their items");

  checklist
    .command("show")
    .description("the train's checklists and what is ticked for its current manifest")
    .argument("<train>", "train ID, e.g. web-42")
    .action(async (train: string, _options, command: Command) => {
      const ctx = contextOf(command);
      const lists = await ctx
        .client()
        .request<ChecklistView[]>("GET", `/api/v1/trains/${encodeURIComponent(train)}/checklists`);
      if (ctx.json) return ctx.out.json(lists);
      if (lists.length === 0) return ctx.out.line(`${train}'s line has no checklist gates`);
      for (const list of lists) render(ctx.out, list);
    });

  checklist
    .command("tick")
    .description("tick an item of a train's checklist (audited; needs the item's role)")
    .argument("<train>", "train ID, e.g. web-42")
    .argument("<gate>", "the checklist gate's name")
    .argument("<item>", "the item's id (railyard checklist show TRAIN)")
    .option("--note <text>", "what was checked, e.g. a link to the runbook")
    .addHelpText(
      "after",
      `
The tick counts for the train's current manifest. The tick that completes a checklist whose gate
blocked the train retries it.

Example:
  railyard checklist tick web-42 readiness on-call --note "rota: https://oncall.example.com/web"`,
    )
    .action(
      async (train: string, gate: string, item: string, options: { note?: string }, command: Command) => {
        const ctx = contextOf(command);
        const result = await ctx
          .client()
          .request<{ checklist: ChecklistView; retried: boolean }>(
            "POST",
            `/api/v1/trains/${encodeURIComponent(train)}/checklists/${encodeURIComponent(gate)}/items/${encodeURIComponent(item)}`,
            { note: options.note ?? null },
          );
        if (ctx.json) return ctx.out.json(result);
        render(ctx.out, result.checklist);
        if (result.retried) ctx.out.line(`${train} retried: the checklist is complete`);
      },
    );
}
