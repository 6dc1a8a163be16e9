/** `railyard hotfix`: start an unscheduled train on a line with versions CI already pushed. */
import type { Command } from "commander";
import type { Train } from "../../domain/model.js";
import { contextOf } from "../context.js";
import { paint, state } from "../output.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Pairs the repeated `--component`/`--version` options in the order given. */
export function componentVersions(
  components: readonly string[],
  versions: readonly string[],
): Array<{ component: string; version: string }> {
  if (components.length === 0) throw new Error("give at least one --component NAME --version VERSION pair");
  if (components.length !== versions.length) {
    throw new Error(
      `--component and --version come in pairs (one --version after each --component); got ${components.length} component(s) and ${versions.length} version(s)`,
    );
  }
  return components.map((component, i) => ({ component, version: versions[i]! }));
}

/** Registers `railyard hotfix`. */
export function registerHotfixCommand(program: Command): void {
  program
    .command("hotfix")
    .description("start a hotfix train on a line (fast-track gates, audited reason)")
    .argument("<line>", "line name")
    .option("--component <name>", "component to ship (repeatable, each followed by --version)", collect)
    .option("--version <version>", "its version, already pushed as an artifact (repeatable)", collect)
    .requiredOption("--reason <text>", "why it cannot wait for the next train (required; audited)")
    .option(
      "--exception-reason <text>",
      "when a blackout stops the line now: why the hotfix may go through it (needs one of the blackout's exceptionRoles)",
    )
    .addHelpText(
      "after",
      `
The train is <line>-<n>-hotfix-<k>; it runs the line's hotfix gates, its approval and rollout, and
ignores the line's window (not its blackouts). Needs one of the line's hotfix.roles (default:
coordinator, admin).

Example:
  railyard hotfix shop --component api --version 1.4.3 --reason "checkout returns 500 for EU cards"`,
    )
    .action(
      async (
        line: string,
        options: { component?: string[]; version?: string[]; reason: string; exceptionReason?: string },
        command: Command,
      ) => {
        const ctx = contextOf(command);
        const components = componentVersions(options.component ?? [], options.version ?? []);
        const train = await ctx
          .client()
          .request<Train & { statusText?: string }>(
            "POST",
            `/api/v1/lines/${encodeURIComponent(line)}/hotfixes`,
            {
              components,
              reason: options.reason,
              ...(options.exceptionReason ? { exceptionReason: options.exceptionReason } : {}),
            },
          );
        if (ctx.json) return ctx.out.json(train);
        ctx.out.line(
          `${paint(ctx.out, "green", "hotfix train started")}: ${paint(ctx.out, "bold", train.id)} ${state(ctx.out, train.state)}`,
        );
        if (train.reason) ctx.out.line(`  ${train.reason}`);
        ctx.out.line(paint(ctx.out, "dim", `  follow it: railyard train watch ${train.id}`));
      },
    );
}
