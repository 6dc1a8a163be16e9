/**
 * The `railyard` command line. Most commands talk to a running server over HTTP (`--server`,
 * RAILYARD_SERVER; token from `--token`, RAILYARD_TOKEN); `serve`, `demo`, `validate`, `schema`
 * and `audit` work locally.
 */
import { Command, CommanderError } from "commander";
import { ApiError } from "./client.js";
import { registerActionCommands } from "./commands/actions.js";
import { registerAdminCommands } from "./commands/admin.js";
import { registerAuditCommands } from "./commands/audit.js";
import { registerBoardCommand } from "./commands/board.js";
import { registerCanaryCommands } from "./commands/canary.js";
import { registerChecklistCommands } from "./commands/checklists.js";
import { registerDemoCommand } from "./commands/demo.js";
import { registerGateCommands } from "./commands/gate.js";
import { registerHotfixCommand } from "./commands/hotfix.js";
import { registerIncidentCommands } from "./commands/incidents.js";
import { registerMetricsCommand } from "./commands/metrics.js";
import { registerNotificationCommands } from "./commands/notifications.js";
import { registerPinCommands } from "./commands/pins.js";
import { registerReportCommands } from "./commands/reports.js";
import { registerServeCommand } from "./commands/serve.js";
import { registerTimetableCommand } from "./commands/timetable.js";
import { registerTrainCommands } from "./commands/trains.js";
import { registerWaiverCommands } from "./commands/waivers.js";
import { addGlobalOptions, DEFAULT_SERVER } from "./context.js";
import { processOutput } from "./output.js";

/** Builds the program (exported for tests). */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name("railyard")
    .description(
      "Release trains from one YAML file: timetable, boarding, gates, approval, rollout, rollback, audit.",
    )
    .version("0.1.0")
    // Root options end at the command name, so `artifact push --version 1.4.2` is the artifact's
    // version, not `railyard --version`; addGlobalOptions repeats them on every command.
    .enablePositionalOptions()
    // No defaults here: commander prints defaults in --help, and a token must never be printed.
    .option("--server <url>", `Railyard server (default: RAILYARD_SERVER, else ${DEFAULT_SERVER})`)
    .option("--token <token>", "API token (default: RAILYARD_TOKEN)")
    .option("--json", "print JSON instead of text")
    .showHelpAfterError("(add --help for usage)")
    .configureHelp({ sortSubcommands: false });
  registerServeCommand(program);
  registerDemoCommand(program);
  registerAdminCommands(program);
  registerTimetableCommand(program);
  registerBoardCommand(program);
  registerTrainCommands(program);
  registerActionCommands(program);
  registerPinCommands(program);
  registerReportCommands(program);
  registerHotfixCommand(program);
  registerIncidentCommands(program);
  registerNotificationCommands(program);
  registerMetricsCommand(program);
  registerWaiverCommands(program);
  registerChecklistCommands(program);
  registerGateCommands(program);
  registerCanaryCommands(program);
  registerAuditCommands(program);
  addGlobalOptions(program);
  program.addHelpText(
    "after",
    `
Examples:
  railyard validate railyard.yaml          check a configuration
  railyard timetable --from 2026-12-01 --to 2027-01-31   departures, offline
  railyard serve -c railyard.yaml          run the server on the real clock
  railyard trains --active                 what is moving
  railyard train watch web-42              follow a train live
  railyard artifact push --component api --version 1.4.2 --commit 3f2a9c1
  railyard report push --junit results.xml --train web-42
  railyard train diff web-42               what the train changes against production
  railyard approve platform-7 --comment "release board OK"`,
  );
  return program;
}

/** Runs the CLI; resolves when the command is done (servers keep the process alive). */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  const out = processOutput(process.stderr);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    const json = argv.includes("--json");
    if (error instanceof ApiError) {
      if (json)
        process.stdout.write(
          `${JSON.stringify({ error: error.code, status: error.status, detail: error.message, problem: error.problem }, null, 2)}\n`,
        );
      else {
        out.line(`railyard: ${error.message}`);
        const problems = error.problem?.problems;
        if (Array.isArray(problems)) {
          for (const p of problems as Array<Record<string, unknown>>) {
            const text = p.file
              ? `${p.file}:${p.line}:${p.column}: ${p.message}`
              : p.path
                ? `${p.path}: ${p.message}`
                : null;
            // The detail often lists the problems already (a rejected configuration does).
            if (text && !error.message.includes(text)) out.line(`  ${text}`);
          }
        }
      }
      process.exitCode = error.status === 0 ? 3 : 1;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (json) process.stdout.write(`${JSON.stringify({ error: "failed", detail: message }, null, 2)}\n`);
    else out.line(`railyard: ${message}`);
    process.exitCode = 1;
  }
}
