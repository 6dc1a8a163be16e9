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
  /** `gating`, `hotfix`, `verify/<wave>` or `analysis/<wave>`. */
  stage: string;
  verdict: "pass" | "fail" | "inconclusive" | "error";
  output: string;
  durationMs: number;
  /** Structured evidence, when the gate gives some (a canary gate: score, metrics, series). */
  detail?: unknown;
}

interface Found {
  gate: GateConfig;
  stage: string;
  wave: string | null;
  environments: string[];
}

/** The gates of a line named `name`, in every stage. */
function findGates(config: RailyardConfig, line: LineConfig, name: string): Found[] {
  const integration = Object.entries(config.environments).find(([, e]) => e.kind === "integration")?.[0];
  const found: Found[] = [];
  for (const gate of line.gates) {
    if (gate.name === name)
      found.push({ gate, stage: "gating", wave: null, environments: integration ? [integration] : [] });
  }
  for (const gate of line.hotfix.gates) {
    if (gate.name === name)
      found.push({ gate, stage: "hotfix", wave: null, environments: integration ? [integration] : [] });
  }
  for (const wave of line.rollout.waves) {
    for (const gate of wave.verify) {
      if (gate.name === name)
        found.push({ gate, stage: `verify/${wave.name}`, wave: wave.name, environments: wave.environments });
    }
    // The gates a wave's strategy runs as analyses (a canary's analysis steps, blue-green's prePromotion).
    for (const gate of wave.gates) {
      if (gate.name === name)
        found.push({
          gate,
          stage: `analysis/${wave.name}`,
          wave: wave.name,
          environments: wave.environments,
        });
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
    .requiredOption("--gate <name>", "the gate's name (in gates, hotfix.gates, or a wave's verify or gates)")
    .option("--wave <name>", "the wave whose gate it is, when several stages have a gate of that name")
    .option(
      "--stage <stage>",
      "gating, hotfix, verify/<wave> or analysis/<wave>, when several stages have a gate of that name",
    )
    .option(
      "--analysis <n/count>",
      "judge a canary gate as analysis n of count (e.g. 1/3: interim, passes at its marginal score)",
    )
    .option("--train <id>", "the train ID placeholders and programs see", "offline")
    .addHelpText(
      "after",
      `
Exit code 0 when the gate passes, 1 when it fails, is inconclusive or errs, 2 for bad usage.
With --json: {"line", "gate", "type", "stage", "verdict", "output", "durationMs"}, verdict one of
pass|fail|inconclusive|error, and "detail" when the gate gives structured evidence (a canary
gate's score, metrics and series). A canary gate is judged as a single analysis (it passes at
its pass threshold) unless --analysis says which of several it is. tests and security gates are judged by the server from the reports
it recorded: see them with railyard train show.

Examples:
  railyard gate eval -c railyard.yaml --line web --gate error-rate
  railyard gate eval --line platform --gate health --wave canary --json
  railyard gate eval --line web --gate latency-canary --wave canary --analysis 1/3`,
    )
    .action(
      async (
        options: {
          config: string;
          line: string;
          gate: string;
          wave?: string;
          stage?: string;
          analysis?: string;
          train: string;
        },
        command: Command,
      ) => {
        const ctx = contextOf(command);
        const fail = (message: string) => {
          if (ctx.json) ctx.out.json({ error: "usage", detail: message });
          else ctx.out.error(`railyard: ${message}`);
          process.exitCode = 2;
        };
        let analysis: { index: number; of: number } | undefined;
        if (options.analysis !== undefined) {
          const match = /^(\d+)\/(\d+)$/.exec(options.analysis.trim());
          const index = Number(match?.[1]);
          const of = Number(match?.[2]);
          if (!match || index < 1 || of < 1 || index > of) {
            return fail(
              `--analysis ${options.analysis}: write which analysis of how many, such as 1/3 (1 ≤ n ≤ count)`,
            );
          }
          analysis = { index, of };
        }
        const { config } = await loadConfigFile(options.config);
        const line = config.lines[options.line];
        if (!line) {
          return fail(
            `no line "${options.line}": ${options.config} defines ${Object.keys(config.lines).join(", ")}`,
          );
        }
        let found = findGates(config, line, options.gate);
        const stage = options.stage;
        if (stage) found = found.filter((f) => f.stage === stage);
        else if (options.wave) found = found.filter((f) => f.wave === options.wave);
        if (found.length === 0) {
          const names = [
            ...line.gates.map((g) => g.name),
            ...line.hotfix.gates.map((g) => g.name),
            ...line.rollout.waves.flatMap((w) => [...w.verify, ...w.gates].map((g) => g.name)),
          ];
          return fail(
            `no gate "${options.gate}"${stage ? ` in stage ${stage}` : options.wave ? ` in wave ${options.wave}` : ""} on line ${options.line}${names.length > 0 ? `: its gates are ${[...new Set(names)].join(", ")}` : ": it has no gates"}`,
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
            wave: target.wave,
            environments: target.environments,
            manifest: [],
            attempt: 1,
            ...(analysis ? { analysis } : {}),
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
          ...(outcome.detail !== undefined ? { detail: outcome.detail } : {}),
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
