/**
 * `railyard artifact push`, `approve`, `reject`, `pause`, `resume`, `abort`, `rollback`, `retry`,
 * `drop`, `exception`.
 */
import { type Command, CommanderError, InvalidArgumentError, Option } from "commander";
import type { Train, TrainException } from "../../domain/model.js";
import type { DropResult } from "../../engine/actions.js";
import type { PushResult } from "../../engine/boarding-desk.js";
import { contextOf } from "../context.js";
import { type Output, paint, state } from "../output.js";

/** A `--depends-on` constraint as the API takes it. */
interface Dependency {
  component: string;
  version: string;
  sameTrain?: boolean;
}

const SAME_TRAIN = "!same-train";

/** Parses `COMPONENT@RANGE[!same-train]` (repeatable option). */
export function parseDependency(text: string, previous: Dependency[] = []): Dependency[] {
  const sameTrain = text.endsWith(SAME_TRAIN);
  const spec = sameTrain ? text.slice(0, -SAME_TRAIN.length) : text;
  const at = spec.indexOf("@");
  if (at <= 0 || at === spec.length - 1) {
    throw new InvalidArgumentError(
      `--depends-on "${text}": write COMPONENT@RANGE, optionally followed by ${SAME_TRAIN}, e.g. db@">=42.0.0 <50.0.0" or db@^42.0.0${SAME_TRAIN}`,
    );
  }
  return [
    ...previous,
    { component: spec.slice(0, at), version: spec.slice(at + 1), ...(sameTrain ? { sameTrain: true } : {}) },
  ];
}

/**
 * Reports a usage mistake the way `railyard timetable` does (`railyard: …` on stderr, or
 * `{"error": "usage", "detail"}` with --json) and ends the command with exit code 2.
 * @throws {CommanderError} always, which the CLI's main turns into the exit code
 */
export function usageError(command: Command, message: string): never {
  const ctx = contextOf(command);
  if (ctx.json) ctx.out.json({ error: "usage", detail: message });
  else ctx.out.error(`railyard: ${message}`);
  throw new CommanderError(2, "railyard.usage", message);
}

/** What `POST /trains/{id}/approvals` answers to an approval (the parts the CLI shows). */
interface ApprovalAnswer {
  train: Train;
  approvers: string[];
  required: number;
  satisfied: boolean;
  duplicate: boolean;
  /** Absent from servers older than approval groups. */
  groups?: Array<{ team: string; required: number; approvers: string[]; satisfied: boolean }>;
}

/** `2/3: release-managers 2/2, qa 0/1`: seats filled, then per group. */
export function approvalCount(result: Pick<ApprovalAnswer, "approvers" | "required" | "groups">): string {
  const groups = (result.groups ?? []).map((g) => `${g.team} ${g.approvers.length}/${g.required}`);
  return `${result.approvers.length}/${result.required}${groups.length > 0 ? `: ${groups.join(", ")}` : ""}`;
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
      `this version's constraint, COMPONENT@RANGE, with ${SAME_TRAIN} when both must ship on one train (repeatable); default: the configured depends_on`,
      parseDependency,
    )
    .addOption(
      new Option(
        "--ci-status <state>",
        "CI status of the build; failure or pending holds it at the cut-off",
      ).choices(["success", "failure", "pending"]),
    )
    .option("--ci-url <url>", "link to the CI run (with --ci-status)")
    .option("--ci-name <name>", "what ran, e.g. the workflow's name (with --ci-status; default: ci)")
    .option(
      "--author <login>",
      "login name of an author of the commits it was built from (repeatable); authors may not approve its train",
      (login: string, previous: string[] = []) => [...previous, login],
    )
    .option(
      "--committed-at <instant>",
      "when the commit was made (ISO 8601, e.g. 2026-03-02T08:15:00Z); lead time (M3) counts from it, else from the push",
    )
    .addHelpText(
      "after",
      `
Examples:
  railyard artifact push --component api --version 1.4.2 --commit 3f2a9c1 \\
    --depends-on 'db@>=42.0.0 <50.0.0' --ci-status success --ci-url https://ci.example.com/run/7
  railyard artifact push --component api --version 2.0.0 --commit 9b8e7d6 --depends-on 'db@^3.0.0${SAME_TRAIN}'
  railyard artifact push --component web --version 1.3.0 --commit 5e4d3c2 --author alice --author bob`,
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
          dependsOn?: Dependency[];
          ciStatus?: "success" | "failure" | "pending";
          ciUrl?: string;
          ciName?: string;
          author?: string[];
          committedAt?: string;
        },
        command: Command,
      ) => {
        if (!options.ciStatus && (options.ciUrl || options.ciName)) {
          usageError(command, "--ci-url and --ci-name describe a CI status: give --ci-status too");
        }
        const ctx = contextOf(command);
        const result = await ctx.client().request<PushResult>("POST", "/api/v1/artifacts", {
          component: options.component,
          version: options.version,
          commit: options.commit,
          ...(options.train ? { train: options.train } : {}),
          ...(options.buildUrl ? { buildUrl: options.buildUrl } : {}),
          ...(options.digest ? { digest: options.digest } : {}),
          ...(options.dependsOn ? { dependsOn: options.dependsOn } : {}),
          ...(options.author ? { authors: options.author } : {}),
          ...(options.committedAt ? { committedAt: options.committedAt } : {}),
          ...(options.ciStatus
            ? {
                ci: {
                  state: options.ciStatus,
                  ...(options.ciUrl ? { url: options.ciUrl } : {}),
                  ...(options.ciName ? { name: options.ciName } : {}),
                },
              }
            : {}),
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
      const result = await ctx.client().request<ApprovalAnswer>("POST", trainPath(id, "approvals"), {
        decision: "approve",
        ...(options.comment ? { comment: options.comment } : {}),
      });
      if (ctx.json) return ctx.out.json(result);
      const count = approvalCount(result);
      const complete = result.satisfied ? " — approval complete" : "";
      if (result.duplicate)
        ctx.out.line(
          `${paint(ctx.out, "yellow", "already approved")} ${id}: your approval counts once (${count})${complete}`,
        );
      else ctx.out.line(`${paint(ctx.out, "green", "approved")} ${id} (${count})${complete}`);
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
    .command("rollback")
    .description("roll a train back: whole, one component, or the wave it is in")
    .argument("<train>", "train ID")
    .option("--reason <text>", "why")
    .option("--component <name>", "roll back only this component, in every wave it reached; the rest goes on")
    .option(
      "--wave <name>",
      "roll back only this wave (the one the train is in); the train then blocks there",
    )
    .addHelpText(
      "after",
      `
Without --component or --wave every wave the train reached is undone, newest first, dependents
before dependencies. A component that another riding component needs at its new version is not
rolled back alone (the answer names who needs it) unless the line sets rollback.dependents: include.
After a wave rollback, \`railyard retry\` deploys the wave again.

Examples:
  railyard rollback shop-12 --reason "p99 latency doubled"
  railyard rollback shop-12 --component web --reason "checkout errors"
  railyard rollback shop-12 --wave eu`,
    )
    .action(
      async (
        id: string,
        options: { reason?: string; component?: string; wave?: string },
        command: Command,
      ) => {
        const ctx = contextOf(command);
        const train = await ctx.client().request<Train>("POST", trainPath(id, "rollback"), {
          ...(options.reason ? { reason: options.reason } : {}),
          ...(options.component ? { component: options.component } : {}),
          ...(options.wave ? { wave: options.wave } : {}),
        });
        if (ctx.json) return ctx.out.json(train);
        const what = options.component
          ? `${options.component} is rolling back; the rest of ${id} goes on`
          : `${state(ctx.out, train.state)}${train.reason ? ` — ${train.reason}` : ""}`;
        ctx.out.line(`${id}: ${what}`);
      },
    );

  program
    .command("promote")
    .description("promote a train past the rollout step waiting for a person")
    .argument("<train>", "train ID")
    .option("--comment <text>", "why (kept in the audit trail)")
    .addHelpText(
      "after",
      `
Promotes a canary pause without a duration, a blue-green switch without autoPromote, or accepts
an inconclusive canary analysis (the train paused with cause analysis resumes). Step approvals
are given with \`railyard approve\`.`,
    )
    .action(async (id: string, options: { comment?: string }, command: Command) => {
      const ctx = contextOf(command);
      const train = await ctx
        .client()
        .request<Train>(
          "POST",
          trainPath(id, "promote"),
          options.comment ? { comment: options.comment } : {},
        );
      if (ctx.json) return ctx.out.json(train);
      ctx.out.line(`${paint(ctx.out, "green", "promoted")} ${id}: ${state(ctx.out, train.state)}`);
    });

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
    .description("drop a component from a train so it can leave on time (reason required)")
    .argument("<train>", "train ID")
    .argument("<component>", "component to drop")
    .requiredOption("--reason <text>", "why (required; the component's team reads it in the audit trail)")
    .addHelpText(
      "after",
      `
Before the cut-off its artifacts ride the next train. After the cut-off the train gets a new
manifest without it and boards again: riders that need it are held too, each with its reasons.

Example:
  railyard drop shop-12 web --reason "checkout regression found in staging"`,
    )
    .action(async (id: string, component: string, options: { reason: string }, command: Command) => {
      const ctx = contextOf(command);
      const result = await ctx
        .client()
        .request<DropResult & { train: { statusText?: string } }>("POST", trainPath(id, "drop"), {
          component,
          reason: options.reason,
        });
      if (ctx.json) return ctx.out.json(result);
      renderDrop(ctx.out, id, result);
    });
}

/** What a drop did, for people: the train's state, where the artifact rides, who else is held. */
export function renderDrop(out: Output, id: string, result: DropResult): void {
  const t = result.train;
  out.line(
    // The train's own reason repeats what the lines below say in full.
    `${result.component} dropped from ${id}: now ${state(out, t.state)}`,
  );
  out.line(
    result.carriedTo
      ? `its artifact rides ${result.carriedTo}`
      : "no next train in the timetable: push it again when one boards",
  );
  if (result.nowHeld.length === 0) {
    out.line("nobody else is held");
    return;
  }
  out.line(
    `now held${result.carriedTo ? ` (they ride ${result.carriedTo} too)` : ""}: ${result.nowHeld.map((h) => `${h.component} ${h.version}`).join(", ")}`,
  );
  for (const held of result.nowHeld)
    renderReasons(out, held.reasons.length > 0 ? held.reasons : [held.reason]);
}

/** A reason chain: the component's own sentence, then those it waits for, each on its own line. */
export function renderReasons(out: Output, reasons: readonly string[], indent = "  "): void {
  reasons.forEach((reason, index) => {
    out.line(
      index === 0
        ? `${indent}${paint(out, "red", reason)}`
        : `${indent}  ${paint(out, "dim", "←")} ${reason}`,
    );
  });
}
