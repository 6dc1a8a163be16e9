/**
 * `railyard artifact push`, `approve`, `reject`, `pause`, `resume`, `abort`, `rollback`, `retry`,
 * `drop`, `exception`.
 */
import type { Command } from "commander";
import type { Train, TrainException } from "../../domain/model.js";
import type { PushResult } from "../../engine/boarding-desk.js";
import { contextOf } from "../context.js";
import { paint, state } from "../output.js";

function parseDependency(text: string, previous: Array<{ component: string; version: string }> = []) {
  const at = text.indexOf("@");
  if (at <= 0 || at === text.length - 1) {
    throw new Error(`--depends-on "${text}": write COMPONENT@RANGE, e.g. db@">=42.0.0 <50.0.0"`);
  }
  return [...previous, { component: text.slice(0, at), version: text.slice(at + 1) }];
}

const trainPath = (id: string, action: string) => `/api/v1/trains/${encodeURIComponent(id)}/${action}`;

export function registerActionCommands(program: Command): void {
  const artifact = program.command("artifact").description("artifacts pushed by CI");
  artifact
    .command("push")
    .description("record an artifact; it boards the open train, or the next one after the cut-off")
    .requiredOption("--component <name>", "component name")
    .requiredOption("--version <version>", "semantic version, e.g. 1.4.2")
    .requiredOption("--commit <sha>", "Git commit it was built from")
    .option("--train <id>", "board this train (e.g. web-42) instead of the open one")
    .option("--build-url <url>", "link to the CI build")
    .option("--digest <digest>", "image or package digest")
    .option(
      "--depends-on <component@range>",
      "this version's constraint (repeatable); default: the configured depends_on",
      parseDependency,
    )
    .action(
      async (
        options: {
          component: string;
          version: string;
          commit: string;
          train?: string;
          buildUrl?: string;
          digest?: string;
          dependsOn?: Array<{ component: string; version: string }>;
        },
        command: Command,
      ) => {
        const ctx = contextOf(command);
        const result = await ctx.client().request<PushResult>("POST", "/api/v1/artifacts", {
          component: options.component,
          version: options.version,
          commit: options.commit,
          ...(options.train ? { train: options.train } : {}),
          ...(options.buildUrl ? { buildUrl: options.buildUrl } : {}),
          ...(options.digest ? { digest: options.digest } : {}),
          ...(options.dependsOn ? { dependsOn: options.dependsOn } : {}),
        });
        if (ctx.json) return ctx.out.json(result);
        const mark = result.late
          ? paint(ctx.out, "yellow", "late")
          : result.replay
            ? paint(ctx.out, "dim", "unchanged")
            : paint(ctx.out, "green", "boarded");
        ctx.out.line(`${mark}  ${result.message}`);
        ctx.out.line(paint(ctx.out, "dim", `artifact ${result.artifact.id}`));
      },
    );

  program
    .command("approve")
    .description("approve a train awaiting approval")
    .argument("<train>", "train ID")
    .option("--comment <text>", "why")
    .action(async (id: string, options: { comment?: string }, command: Command) => {
      const ctx = contextOf(command);
      const result = await ctx.client().request<{
        train: Train;
        approvers: string[];
        required: number;
        satisfied: boolean;
        duplicate: boolean;
      }>("POST", trainPath(id, "approvals"), {
        decision: "approve",
        ...(options.comment ? { comment: options.comment } : {}),
      });
      if (ctx.json) return ctx.out.json(result);
      const count = `${result.approvers.length} of ${result.required}`;
      if (result.duplicate)
        ctx.out.line(`${paint(ctx.out, "yellow", "already approved")}: your approval counts once (${count})`);
      else
        ctx.out.line(
          `${paint(ctx.out, "green", "approved")} ${id}: ${count}${result.satisfied ? " — approval complete" : ""}`,
        );
    });

  program
    .command("reject")
    .description("reject a train awaiting approval (it becomes blocked)")
    .argument("<train>", "train ID")
    .requiredOption("--comment <text>", "why (required)")
    .action(async (id: string, options: { comment: string }, command: Command) => {
      const ctx = contextOf(command);
      const result = await ctx.client().request<{ train: Train }>("POST", trainPath(id, "approvals"), {
        decision: "reject",
        comment: options.comment,
      });
      if (ctx.json) return ctx.out.json(result);
      ctx.out.line(`${paint(ctx.out, "red", "rejected")} ${id}: now ${state(ctx.out, result.train.state)}`);
    });

  const simple: Array<[string, string, "optional" | "required" | "none"]> = [
    ["pause", "pause a train where it is", "optional"],
    ["resume", "resume a paused train", "none"],
    ["abort", "abort a train that has not changed production", "required"],
    ["rollback", "roll a train back (every wave it reached, newest first)", "optional"],
    ["retry", "retry the failed stage of a blocked train", "none"],
  ];
  for (const [name, description, reason] of simple) {
    const cmd = program.command(name).description(description).argument("<train>", "train ID");
    if (reason === "required") cmd.requiredOption("--reason <text>", "why (required)");
    if (reason === "optional") cmd.option("--reason <text>", "why");
    cmd.action(async (id: string, options: { reason?: string }, command: Command) => {
      const ctx = contextOf(command);
      const train = await ctx
        .client()
        .request<Train>("POST", trainPath(id, name), options.reason ? { reason: options.reason } : {});
      if (ctx.json) return ctx.out.json(train);
      ctx.out.line(`${id}: ${state(ctx.out, train.state)}${train.reason ? ` — ${train.reason}` : ""}`);
    });
  }

  program
    .command("exception")
    .description("let a train deploy through a blackout (audited, with a reason)")
    .argument("<train>", "train ID")
    .requiredOption("--reason <text>", "why the train may go (required; recorded in the audit trail)")
    .option("--blackout <name>", "the blackout to let it through (default: every blackout stopping it now)")
    .addHelpText(
      "after",
      `
Needs one of the blackout's exceptionRoles (default: admin). A train the blackout paused resumes
on the next pass.

Example:
  railyard exception shop-12 --reason "fixes the checkout outage, approved by the CTO" --blackout year-end`,
    )
    .action(async (id: string, options: { reason: string; blackout?: string }, command: Command) => {
      const ctx = contextOf(command);
      const result = await ctx.client().request<{
        train: Train & { statusText?: string };
        granted: string[];
        exceptions: TrainException[];
      }>("POST", trainPath(id, "exceptions"), {
        reason: options.reason,
        ...(options.blackout ? { blackout: options.blackout } : {}),
      });
      if (ctx.json) return ctx.out.json(result);
      ctx.out.line(
        `${paint(ctx.out, "green", "exception granted")}: ${id} may deploy through ${result.granted.map((b) => `blackout ${b}`).join(", ")}`,
      );
      ctx.out.line(`${id}: ${result.train.statusText ?? state(ctx.out, result.train.state)}`);
    });

  program
    .command("drop")
    .description("drop a component from a train so it can leave on time")
    .argument("<train>", "train ID")
    .argument("<component>", "component to drop")
    .option("--reason <text>", "why")
    .action(async (id: string, component: string, options: { reason?: string }, command: Command) => {
      const ctx = contextOf(command);
      const train = await ctx.client().request<Train>("POST", trainPath(id, "drop"), {
        component,
        ...(options.reason ? { reason: options.reason } : {}),
      });
      if (ctx.json) return ctx.out.json(train);
      ctx.out.line(
        `${component} dropped from ${id}: now ${state(ctx.out, train.state)}${train.reason ? ` — ${train.reason}` : ""}`,
      );
    });
}
