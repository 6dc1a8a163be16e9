/** `railyard lines`, `railyard trains`, `railyard train show|watch`. */

import type { Command } from "commander";
import { describeTally } from "../../domain/approval.js";
import type { StoredEvent } from "../../domain/events.js";
import type { Train } from "../../domain/model.js";
import { describeSchedule } from "../../domain/timetable.js";
import { isTerminal } from "../../domain/train-state.js";
import type { DiffItem, ManifestDiff } from "../../engine/evidence.js";
import type { LineSummary, TrainDetail } from "../../engine/railyard.js";
import { type CliContext, contextOf } from "../context.js";
import { type Output, paint, relative, state, table, when } from "../output.js";

interface Health {
  clock: { now: string; simulated: boolean };
}

async function serverNow(ctx: CliContext): Promise<number> {
  try {
    const health = await ctx.client().request<Health>("GET", "/api/v1/health");
    return Date.parse(health.clock.now);
  } catch {
    return ctx.now();
  }
}

export function registerTrainCommands(program: Command): void {
  program
    .command("lines")
    .description("list lines with their next departures and active trains")
    .action(async (_options, command: Command) => {
      const ctx = contextOf(command);
      const lines = await ctx.client().request<LineSummary[]>("GET", "/api/v1/lines");
      if (ctx.json) return ctx.out.json(lines);
      const now = await serverNow(ctx);
      for (const line of lines) {
        ctx.out.line(`${paint(ctx.out, "bold", line.name)}  ${describeSchedule(line.schedule)}`);
        if (line.description) ctx.out.line(`  ${paint(ctx.out, "dim", line.description)}`);
        ctx.out.line(`  components: ${line.components.join(", ")}`);
        ctx.out.line(`  approval: ${line.approval}; waves: ${line.waves.join(" → ")}`);
        const next = line.nextDepartures[0];
        if (next)
          ctx.out.line(
            `  next departure ${when(next.departureAt)} (${relative(next.departureAt, now)}), cut-off ${when(next.cutoffAt)} (${relative(next.cutoffAt, now)})`,
          );
        for (const t of line.activeTrains) {
          ctx.out.line(
            `  ${t.id.padEnd(12)} ${state(ctx.out, t.state)}${t.reason ? paint(ctx.out, "dim", `  ${t.reason}`) : ""}`,
          );
        }
        ctx.out.line();
      }
    });

  program
    .command("trains")
    .description("list trains, newest first")
    .option("--line <line>", "only this line")
    .option("--state <states>", "only these states, comma-separated (e.g. deploying,verifying)")
    .option("--active", "only trains that have not ended")
    .option("--limit <n>", "at most this many", "30")
    .action(
      async (
        options: { line?: string; state?: string; active?: boolean; limit: string },
        command: Command,
      ) => {
        const ctx = contextOf(command);
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
          throw new Error(`--limit "${options.limit}" must be a whole number from 1 to 1000`);
        const query = new URLSearchParams({ limit: String(limit) });
        if (options.line) query.set("line", options.line);
        if (options.state) query.set("state", options.state);
        if (options.active) query.set("active", "true");
        const trains = await ctx.client().request<ListedTrain[]>("GET", `/api/v1/trains?${query}`);
        if (ctx.json) return ctx.out.json(trains);
        if (trains.length === 0)
          return ctx.out.line(
            options.line || options.state || options.active
              ? "no trains match"
              : "no trains yet (the reconciler creates them from each line's timetable)",
          );
        const now = await serverNow(ctx);
        ctx.out.line(
          table(
            ctx.out,
            ["TRAIN", "STATE", "CUT-OFF", "DEPARTS", "NOTE"],
            trains.map((t) => [
              t.id,
              state(ctx.out, t.state),
              `${when(t.cutoffAt)} ${paint(ctx.out, "dim", `(${relative(t.cutoffAt, now)})`)}`,
              when(t.departureAt),
              truncate(noteOf(t), 90),
            ]),
          ),
        );
      },
    );

  const train = program.command("train").description("one train");
  train
    .command("show")
    .description("show a train: manifest, gates, approvals, waves, steps")
    .argument("<id>", "train ID, e.g. web-42")
    .action(async (id: string, _options, command: Command) => {
      const ctx = contextOf(command);
      const detail = await ctx
        .client()
        .request<TrainDetail>("GET", `/api/v1/trains/${encodeURIComponent(id)}`);
      if (ctx.json) return ctx.out.json(detail);
      renderTrain(ctx.out, detail, await serverNow(ctx));
    });

  train
    .command("diff")
    .description("compare a train's manifest with production: versions, commits, compare links")
    .argument("<id>", "train ID, e.g. web-42")
    .addHelpText(
      "after",
      `
Before the cut-off the diff is provisional: the latest artifact per component so far.

Example:
  railyard train diff shop-12`,
    )
    .action(async (id: string, _options, command: Command) => {
      const ctx = contextOf(command);
      const diff = await ctx
        .client()
        .request<ManifestDiff>("GET", `/api/v1/trains/${encodeURIComponent(id)}/diff`);
      if (ctx.json) return ctx.out.json(diff);
      renderDiff(ctx.out, diff);
    });

  train
    .command("watch")
    .description("follow a train live until it ends (waves, steps, events)")
    .argument("<id>", "train ID, e.g. web-42")
    .option("--interval <ms>", "poll interval in milliseconds", "1000")
    .action(async (id: string, options: { interval: string }, command: Command) => {
      const ctx = contextOf(command);
      const client = ctx.client();
      const path = `/api/v1/trains/${encodeURIComponent(id)}`;
      let lastEvent = 0;
      const interval = Math.max(100, Number(options.interval) || 1000);
      for (;;) {
        const detail = await client.request<TrainDetail>("GET", path);
        const fresh = detail.events.filter((e) => e.id > lastEvent);
        lastEvent = Math.max(lastEvent, ...detail.events.map((e) => e.id));
        if (ctx.json) {
          for (const e of fresh) ctx.out.line(JSON.stringify(e));
        } else if (ctx.out.tty) {
          process.stdout.write("\u001b[2J\u001b[H");
          renderTrain(ctx.out, detail, await serverNow(ctx), { events: 12 });
        } else {
          for (const e of fresh.filter(isTimelineEvent)) ctx.out.line(describeEvent(e));
        }
        if (isTerminal(detail.train.state)) {
          if (!ctx.json && ctx.out.tty) ctx.out.line(`\n${detail.train.id} ended: ${detail.train.state}`);
          process.exitCode = detail.train.state === "released" ? 0 : 1;
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, interval));
      }
    });
}

/** A train as the API lists it (older servers send no statusText). */
type ListedTrain = Train & { statusText?: string };

/** What to say of a train besides its state: the server's words (when it resumes), else its reason. */
function noteOf(t: ListedTrain): string {
  const prefix = `${t.state}: `;
  if (t.statusText?.startsWith(prefix)) return t.statusText.slice(prefix.length);
  return t.reason ?? "";
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Whether an event belongs on a train's timeline for people: the audit record of an action
 * (`action.audited`) restates the action's own events and stays in `--json` and the audit export.
 */
export function isTimelineEvent(e: StoredEvent): boolean {
  return e.type !== "action.audited";
}

/** One line per event, for logs and non-TTY watching. */
export function describeEvent(e: StoredEvent): string {
  const p = e.payload as unknown as Record<string, unknown>;
  const head = `${e.time} ${e.trainId ?? "-"}`;
  switch (e.type) {
    case "train.transitioned":
      return `${head} ${p.from} → ${p.to}${p.reason ? ` (${p.reason})` : ""}${p.resumeAt ? ` until ${p.resumeAt}` : ""} [${e.actor}]`;
    case "train.created":
      if (p.kind === "hotfix") return `${head} hotfix train started: ${p.reason} [${e.actor}]`;
      return `${head} ${e.type}${p.status === "shifted" ? ` (departs ${p.departureAt}, shifted by a blackout from ${p.scheduledAt})` : ""} [${e.actor}]`;
    case "exception.granted":
      return `${head} exception for blackout ${p.blackout} granted by ${e.actor}: ${p.reason}`;
    case "step.started":
      return `${head} step ${p.key} attempt ${p.attempt} started`;
    case "step.finished":
      return `${head} step ${p.key} ${p.status}${p.error ? `: ${p.error}` : ""}`;
    case "gate.evaluated":
      return `${head} gate ${p.gate} (${p.stage}) ${p.status}`;
    case "artifact.pushed":
      return `${head} ${p.component} ${p.version} boarded${p.late ? " (late)" : ""} [${e.actor}]`;
    case "approval.recorded":
      return `${head} ${p.decision} by ${p.approver}${p.comment ? `: ${p.comment}` : ""}`;
    case "deployment.recorded":
      return `${head} ${p.action} ${p.component} ${p.version ?? "(removed)"} in ${p.environment}`;
    case "manifest.frozen":
      return `${head} manifest r${p.revision}: ${(p.items as Array<{ component: string; version: string; status: string }>).map((i) => `${i.component} ${i.version}${i.status === "boarded" ? "" : ` (${i.status})`}`).join(", ")}`;
    case "component.dropped":
      return `${head} ${p.component} dropped: ${p.reason} [${e.actor}]`;
    case "access.denied":
      return `${head} refused: ${p.reason} [${e.actor}]`;
    case "action.audited":
      return `${head} ${p.action} by ${e.actor} [audit]`;
    default:
      return `${head} ${e.type} [${e.actor}]`;
  }
}

/** Renders a train for people. */
export function renderTrain(
  out: Output,
  d: TrainDetail,
  now: number,
  limits: { events?: number } = {},
): void {
  const t = d.train;
  out.line(
    `${paint(out, "bold", t.id)}  ${state(out, t.state)}${t.resumeTo ? paint(out, "dim", ` (from ${t.resumeTo})`) : ""}`,
  );
  // A paused train says who paused it and when it resumes; others say why they are where they are.
  if (t.state === "paused" && t.statusText) out.line(`  ${t.statusText}`);
  else if (t.reason) out.line(`  ${t.reason}`);
  if (t.kind === "hotfix") out.line(paint(out, "dim", "  hotfix train: the line's hotfix gates, no window"));
  if (d.waitingFor) out.line(`  waiting for ${paint(out, "yellow", d.waitingFor)}`);
  out.line(
    `  cut-off ${when(t.cutoffAt)} (${relative(t.cutoffAt, now)}), departs ${when(t.departureAt)} (${relative(t.departureAt, now)})`,
  );
  if (d.allowedActions.length > 0) out.line(paint(out, "dim", `  you can: ${d.allowedActions.join(", ")}`));
  out.line();
  if (d.manifest.length > 0) {
    out.line(paint(out, "bold", `Manifest (revision ${t.manifestRevision})`));
    out.line(
      table(
        out,
        ["COMPONENT", "VERSION", "PRODUCTION", "STATUS", "REASON"],
        d.manifest.map((i) => [
          i.component,
          i.version,
          i.previousVersion ?? "-",
          i.status === "boarded" ? paint(out, "green", i.status) : paint(out, "red", i.status),
          i.reason ?? "",
        ]),
      ),
    );
    out.line();
  } else if (d.artifacts.length > 0) {
    out.line(paint(out, "bold", "Boarded so far"));
    out.line(
      table(
        out,
        ["COMPONENT", "VERSION", "COMMIT", "PUSHED BY", "AT"],
        d.artifacts.map((a) => [a.component, a.version, a.commit.slice(0, 12), a.pushedBy, when(a.pushedAt)]),
      ),
    );
    out.line();
  }
  if (d.gates.length > 0) {
    out.line(paint(out, "bold", "Gates"));
    out.line(
      table(
        out,
        ["STAGE", "GATE", "ATTEMPT", "RESULT", "TIME"],
        d.gates.map((g) => [
          g.stage,
          g.gate,
          String(g.attempt),
          g.status === "passed" ? paint(out, "green", "passed") : paint(out, "red", "failed"),
          `${g.durationMs} ms`,
        ]),
      ),
    );
    out.line();
  }
  if (d.approval.mode === "manual") {
    out.line(`${paint(out, "bold", "Approval")}: ${describeTally(d.approval)}`);
    const excluded = d.approval.excluded;
    if (excluded.length > 0) {
      out.line(
        paint(out, "dim", `  not counted: ${excluded.map((e) => `${e.approver} (${e.reason})`).join(", ")}`),
      );
    }
  } else {
    out.line(`${paint(out, "bold", "Approval")}: automatic when gates pass`);
  }
  if (d.waves.length > 0) {
    out.line(
      `${paint(out, "bold", "Waves")}: ${d.waves.map((w) => `${w.name} [${w.environments.join(", ")}] ${waveStatus(out, w.status)}`).join("  →  ")}`,
    );
  }
  out.line();
  const events = d.events.filter(isTimelineEvent).slice(-(limits.events ?? 20));
  if (events.length > 0) {
    out.line(paint(out, "bold", "Recent events"));
    for (const e of events) out.line(`  ${describeEvent(e).replace(`${e.trainId ?? "-"} `, "")}`);
  }
}

function waveStatus(out: Output, status: string): string {
  const style =
    status === "done"
      ? "green"
      : status === "pending"
        ? "gray"
        : status === "failed" || status === "rolled_back"
          ? "red"
          : "magenta";
  return paint(out, style, status);
}

/** A commit for people: its first 7 characters. */
const short = (commit: string | null) => (commit ? commit.slice(0, 7) : "?");

function changeCell(out: Output, change: DiffItem["change"]): string {
  switch (change) {
    case "new":
      return paint(out, "cyan", change);
    case "upgrade":
      return paint(out, "green", change);
    case "downgrade":
      return paint(out, "yellow", change);
    case "same":
      return paint(out, "dim", change);
    default: {
      const unreachable: never = change;
      return String(unreachable);
    }
  }
}

function statusCell(out: Output, status: DiffItem["status"]): string {
  if (status === null) return paint(out, "dim", "boarding");
  return status === "boarded" ? paint(out, "green", status) : paint(out, "red", status);
}

/** Renders a manifest diff: one row per component, then compare links and why some do not ride. */
export function renderDiff(out: Output, diff: ManifestDiff): void {
  out.line(
    `${paint(out, "bold", diff.train)} against production${diff.provisional ? paint(out, "yellow", " (provisional: before the cut-off, the latest artifact per component)") : ` (manifest revision ${diff.revision})`}`,
  );
  if (diff.items.length === 0) {
    out.line(diff.provisional ? "nothing has boarded yet" : "the manifest is empty");
    return;
  }
  out.line(
    table(
      out,
      ["COMPONENT", "FROM → TO", "CHANGE", "STATUS", "COMMITS"],
      diff.items.map((i) => [
        i.component,
        `${i.from ?? "-"} → ${i.to}`,
        changeCell(out, i.change),
        statusCell(out, i.status),
        i.fromCommit ? `${short(i.fromCommit)}..${short(i.toCommit)}` : short(i.toCommit),
      ]),
    ),
  );
  const links = diff.items.filter((i) => i.compareUrl);
  if (links.length > 0) {
    out.line();
    for (const i of links) out.line(`${i.component}: ${i.compareUrl}`);
  }
  const notRiding = diff.items.filter((i) => i.status === "held" || i.status === "dropped");
  if (notRiding.length > 0) {
    out.line();
    for (const i of notRiding) {
      // Held reasons are sentences that name the component already ("web 1.1.0 held: needs …").
      const reason = i.reason ?? "no reason recorded";
      out.line(reason.startsWith(`${i.component} `) ? reason : `${i.component} ${i.status}: ${reason}`);
    }
  }
}
