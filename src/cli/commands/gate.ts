/**
 * `railyard gate eval --config FILE --line NAME --gate NAME [--json]`: evaluates one gate of a
 * line now, against its live sources (Prometheus, HTTP endpoints, programs), without a server.
 * The offline interface other implementations are checked against. Gates judged from what the
 * server recorded (`tests`, `security`) need its database: they are refused with that reason.
 */
import path from "node:path";
import type { Command } from "commander";
import type { GateConfig, LineConfig, RailyardConfig } from "../../domain/config/schema.js";
import type { GateOutcome } from "../../engine/ports.js";
import { createGateRunner } from "../../integrations/gate-runner.js";
import { DEFAULT_CONFIG, loadConfigFile } from "../config-file.js";
import { contextOf } from "../context.js";
import { paint } from "../output.js";

/** What `gate eval --json` prints. */
export interface GateEvalReport {
  line: string;
  gate: string;
  type: GateConfig["type"];
  /** `gating`, `hotfix` or `verify/<wave>`. */
  stage: string;
  verdict: "pass" | "fail" | "inconclusive" | "error";
  output: string;
  durationMs: number;
}

interface Found {
  gate: GateConfig;
  stage: string;
  environments: string[];
}

/** The gates of a line named `name`, in every stage. */
function findGates(config: RailyardConfig, line: LineConfig, name: string): Found[] {
  const integration = Object.entries(config.environments).find(([, e]) => e.kind === "integration")?.[0];
  const found: Found[] = [];
  for (const gate of line.gates) {
    if (gate.name === name)
      found.push({ gate, stage: "gating", environments: integration ? [integration] : [] });
  }
  for (const gate of line.hotfix.gates) {
    if (gate.name === name)
      found.push({ gate, stage: "hotfix", environments: integration ? [integration] : [] });
  }
  for (const wave of line.rollout.waves) {
    for (const gate of wave.verify) {
      if (gate.name === name)
        found.push({ gate, stage: `verify/${wave.name}`, environments: wave.environments });
    }
  }
  return found;
}

export function registerGateCommands(program: Command): void {
  const gate = program.command("gate").description("evaluate a gate now, without a server");
  gate
    .command("eval")
    .description("evaluate one gate of a line now against its live sources (no server needed)")
    .option("-c, --config <file>", "configuration file", DEFAULT_CONFIG)
    .requiredOption("--line <name>", "the line")
    .requiredOption("--gate <name>", "the gate's name (in gates, hotfix.gates or a wave's verify)")
    .option("--wave <name>", "the wave whose verify gate it is, when several stages have a gate of that name")
    .option(
      "--stage <stage>",
      "gating, hotfix or verify/<wave>, when several stages have a gate of that name",
    )
    .option("--train <id>", "the train ID placeholders and programs see", "offline")
    .addHelpText(
      "after",
      `
Exit code 0 when the gate passes, 1 when it fails, is inconclusive or errs, 2 for bad usage.
With --json: {"line", "gate", "type", "stage", "verdict", "output", "durationMs"}, verdict one of
pass|fail|inconclusive|error. tests and security gates are judged by the server from the reports
it recorded: see them with railyard train show.

Examples:
  railyard gate eval -c railyard.yaml --line web --gate error-rate
  railyard gate eval --line platform --gate health --wave canary --json`,
    )
    .action(
      async (
        options: { config: string; line: string; gate: string; wave?: string; stage?: string; train: string },
        command: Command,
      ) => {
        const ctx = contextOf(command);
        const fail = (message: string) => {
          if (ctx.json) ctx.out.json({ error: "usage", detail: message });
          else ctx.out.error(`railyard: ${message}`);
          process.exitCode = 2;
        };
        const { config } = await loadConfigFile(options.config);
        const line = config.lines[options.line];
        if (!line) {
          return fail(
            `no line "${options.line}": ${options.config} defines ${Object.keys(config.lines).join(", ")}`,
          );
        }
        let found = findGates(config, line, options.gate);
        const stage = options.stage ?? (options.wave ? `verify/${options.wave}` : undefined);
        if (stage) found = found.filter((f) => f.stage === stage);
        if (found.length === 0) {
          const names = [
            ...line.gates.map((g) => g.name),
            ...line.hotfix.gates.map((g) => g.name),
            ...line.rollout.waves.flatMap((w) => w.verify.map((g) => g.name)),
          ];
          return fail(
            `no gate "${options.gate}"${stage ? ` in stage ${stage}` : ""} on line ${options.line}${names.length > 0 ? `: its gates are ${[...new Set(names)].join(", ")}` : ": it has no gates"}`,
          );
        }
        if (found.length > 1) {
          return fail(
            `line ${options.line} has ${found.length} gates named "${options.gate}" (${found.map((f) => f.stage).join(", ")}): choose one with --stage`,
          );
        }
        const target = found[0]!;
        if (target.gate.type === "tests" || target.gate.type === "security") {
          return fail(
            `${target.gate.type} gates are judged by the server from the reports it recorded for a train; see the result with railyard train show TRAIN`,
          );
        }
        const runner = createGateRunner({
          baseDir: path.dirname(path.resolve(options.config)),
          prometheus: config.prometheus,
          slos: config.slos,
        });
        const abort = new AbortController();
        const stop = () => abort.abort(new Error("interrupted"));
        process.once("SIGINT", stop);
        let outcome: GateOutcome;
        try {
          outcome = await runner.run(target.gate, {
            trainId: options.train,
            line: options.line,
            stage: target.stage === "hotfix" ? "gating" : target.stage,
            wave: target.stage.startsWith("verify/") ? target.stage.slice("verify/".length) : null,
            environments: target.environments,
            manifest: [],
            attempt: 1,
            signal: abort.signal,
          });
        } finally {
          process.off("SIGINT", stop);
        }
        const report: GateEvalReport = {
          line: options.line,
          gate: target.gate.name,
          type: target.gate.type,
          stage: target.stage,
          verdict: outcome.verdict ?? (outcome.status === "passed" ? "pass" : "fail"),
          output: outcome.output,
          durationMs: outcome.durationMs,
        };
        process.exitCode = report.verdict === "pass" ? 0 : 1;
        if (ctx.json) return ctx.out.json(report);
        const colour = report.verdict === "pass" ? "green" : report.verdict === "fail" ? "red" : "yellow";
        ctx.out.line(
          `${paint(ctx.out, "bold", `${report.line}/${report.gate}`)} (${report.type}, ${report.stage}): ${paint(ctx.out, colour, report.verdict)} in ${report.durationMs} ms`,
        );
        ctx.out.line(report.output);
      },
    );
}
