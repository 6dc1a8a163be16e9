/**
 * `railyard incident list|show|open|resolve|postmortem`: incidents from Alertmanager's webhook,
 * from people and from failed rollbacks; opening and resolving them; their postmortem drafts.
 */
import { writeFile } from "node:fs/promises";
import { type Command, Option } from "commander";
import type { Incident, IncidentAlert } from "../../domain/model.js";
import { contextOf } from "../context.js";
import { type Output, paint, table, when } from "../output.js";

const SEVERITIES = ["critical", "warning", "info"] as const;

/** An incident's state in a few words (red while open). */
function stateOf(out: Output, i: Incident): string {
  if (i.status === "open") return paint(out, "red", i.stopsLine ? "open, line stopped" : "open");
  return `resolved by ${i.resolvedBy}`;
}

/** Severity, red for critical, yellow for warning. */
function severityOf(out: Output, severity: Incident["severity"]): string {
  if (severity === "critical") return paint(out, "red", severity);
  return severity === "warning" ? paint(out, "yellow", severity) : severity;
}

const path = (id: string) => `/api/v1/incidents/${encodeURIComponent(id)}`;

/** Registers the `incident` command group. */
export function registerIncidentCommands(program: Command): void {
  const incident = program
    .command("incident")
    .description(
      "incidents: from Alertmanager alerts, opened by people, or failed rollbacks that stopped a line",
    );

  incident
    .command("list")
    .description("incidents, newest first, with their severity, source and train")
    .option("--line <name>", "only this line's")
    .option("--open", "only open incidents")
    .addHelpText(
      "after",
      `
Example:
  railyard incident list --line shop --open`,
    )
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
          ["ID", "LINE", "TRAIN", "SEVERITY", "SOURCE", "OPENED", "STATE", "TITLE"],
          incidents.map((i) => [
            i.id,
            i.line,
            i.trainId ?? "",
            severityOf(ctx.out, i.severity),
            i.source,
            when(i.openedAt),
            stateOf(ctx.out, i),
            i.title,
          ]),
        ),
      );
    });

  incident
    .command("show")
    .description("an incident and the alerts grouped into it")
    .argument("<id>", "incident ID (railyard incident list)")
    .addHelpText(
      "after",
      `
Example:
  railyard incident show inc-shop-12-5f0c2a91`,
    )
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command);
      const shown = await ctx
        .client()
        .request<{ incident: Incident; alerts: IncidentAlert[] }>("GET", path(id));
      if (ctx.json) return ctx.out.json(shown);
      const i = shown.incident;
      const rows: Array<[string, string]> = [
        ["Incident", i.id],
        ["Title", i.title],
        ["Line", i.line],
        ["Train", i.trainId ?? "(none: line-level)"],
        ["Severity", severityOf(ctx.out, i.severity)],
        ["Source", i.source],
        ["Started", when(i.startedAt)],
        ["Opened", `${when(i.openedAt)} by ${i.openedBy}`],
        ["State", stateOf(ctx.out, i)],
      ];
      if (i.component) rows.push(["Component", i.component]);
      if (i.environment) rows.push(["Environment", i.environment]);
      if (i.detail) rows.push(["Detail", i.detail]);
      if (i.resolvedAt) rows.push(["Resolved", `${when(i.resolvedAt)}: ${i.resolution ?? ""}`]);
      const width = Math.max(...rows.map(([k]) => k.length));
      for (const [k, v] of rows) ctx.out.line(`${paint(ctx.out, "bold", k.padEnd(width))}  ${v}`);
      ctx.out.line();
      if (shown.alerts.length === 0) return ctx.out.line("no alerts grouped into it");
      ctx.out.line(
        table(
          ctx.out,
          ["ALERT", "SEVERITY", "STATUS", "STARTED", "ENDED", "FINGERPRINT"],
          shown.alerts.map((a) => [
            a.alertname,
            severityOf(ctx.out, a.severity),
            a.status === "firing" ? paint(ctx.out, "red", "firing") : "resolved",
            when(a.startsAt),
            a.endsAt ? when(a.endsAt) : "",
            a.fingerprint,
          ]),
        ),
      );
    });

  incident
    .command("open")
    .description(
      "open an incident (coordinators, admins); a critical one pauses or rolls back trains by the line's incident policy",
    )
    .requiredOption("--line <name>", "the line it affects (required)")
    .option("--train <id>", "the train it is about, if one")
    .requiredOption("--title <text>", "what is wrong (required)")
    .option("--detail <text>", "more detail")
    .addOption(
      new Option("--severity <level>", "critical acts on trains; warning and info do not")
        .choices(SEVERITIES)
        .default("critical"),
    )
    .option("--component <name>", "the component affected")
    .option("--environment <name>", "the environment affected")
    .addHelpText(
      "after",
      `
Example:
  railyard incident open --line shop --train shop-12 --title "checkout 5xx in eu" --component api --environment eu`,
    )
    .action(
      async (
        options: {
          line: string;
          train?: string;
          title: string;
          detail?: string;
          severity: (typeof SEVERITIES)[number];
          component?: string;
          environment?: string;
        },
        command: Command,
      ) => {
        const ctx = contextOf(command);
        const opened = await ctx.client().request<Incident>("POST", "/api/v1/incidents", {
          line: options.line,
          title: options.title,
          severity: options.severity,
          ...(options.train ? { trainId: options.train } : {}),
          ...(options.detail ? { detail: options.detail } : {}),
          ...(options.component ? { component: options.component } : {}),
          ...(options.environment ? { environment: options.environment } : {}),
        });
        if (ctx.json) return ctx.out.json(opened);
        ctx.out.line(
          `${paint(ctx.out, "red", "opened")} ${opened.id} (${opened.severity}) on line ${opened.line}` +
            (opened.trainId ? `, train ${opened.trainId}` : "") +
            (opened.severity === "critical" ? ": trains act on it by the line's incident policy" : ""),
        );
      },
    );

  incident
    .command("resolve")
    .description(
      "resolve an incident (coordinators, admins); trains it paused resume, a line it stopped goes on",
    )
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
      const resolved = await ctx.client().request<Incident>("POST", `${path(id)}/resolve`, {
        resolution: options.resolution,
      });
      if (ctx.json) return ctx.out.json(resolved);
      ctx.out.line(`${paint(ctx.out, "green", "resolved")} ${resolved.id}: line ${resolved.line} goes on`);
    });

  incident
    .command("postmortem")
    .description(
      "the incident's postmortem draft (Markdown): summary, train timeline, SLO burn, review questions, checklist",
    )
    .argument("<id>", "incident ID (railyard incident list)")
    .option("-o, --output <file>", "write it to this file instead of standard output")
    .addHelpText(
      "after",
      `
With --json it prints {"id", "markdown"}.

Example:
  railyard incident postmortem inc-shop-12-5f0c2a91 -o postmortems/shop-12.md`,
    )
    .action(async (id: string, options: { output?: string }, command: Command) => {
      const ctx = contextOf(command);
      const lines: string[] = [];
      for await (const line of ctx.client().lines(`${path(id)}/postmortem`)) lines.push(line);
      const markdown = `${lines.join("\n")}\n`;
      if (options.output) {
        try {
          await writeFile(options.output, markdown, "utf8");
        } catch (error) {
          throw new Error(`cannot write the postmortem to ${options.output}: ${(error as Error).message}`);
        }
        if (ctx.json) return ctx.out.json({ id, file: options.output });
        return ctx.out.line(`wrote the postmortem draft of ${id} to ${options.output}`);
      }
      if (ctx.json) return ctx.out.json({ id, markdown });
      process.stdout.write(markdown);
    });
}
