/**
 * The command gate: runs a program; exit code 0 passes. Its output is the gate's evidence.
 */
import { isAbsolute, resolve } from "node:path";
import type { GateConfig } from "../../domain/config/schema.js";
import { parseDuration } from "../../domain/duration.js";
import type { GateContext, GateOutcome } from "../../engine/ports.js";
import { childEnvironment } from "../process/child-env.js";
import { describeExit } from "../process/describe-exit.js";
import { runProcess } from "../process/run-process.js";

/** A `type: command` gate as configured. */
export type CommandGateConfig = Extract<GateConfig, { type: "command" }>;

export interface CommandGateOptions {
  /** Directory a relative `cwd` is resolved against, and the default `cwd` (the configuration file's directory). */
  baseDir: string;
  /** Output kept. @default 65536 */
  maxOutputBytes?: number;
  /** Time between SIGTERM and SIGKILL on timeout. @default 2000 */
  killGraceMs?: number;
}

/**
 * Runs a command gate with `RAILYARD_TRAIN_ID`, `RAILYARD_LINE`, `RAILYARD_STAGE`,
 * `RAILYARD_WAVE` (empty when none), `RAILYARD_ENVIRONMENTS` (comma-separated),
 * `RAILYARD_ATTEMPT` and `RAILYARD_MANIFEST` (JSON array of {component, version,
 * previousVersion}), plus the gate's `env`. Passes on exit code 0; a timeout, a kill or a
 * program that cannot start fails with the reason. The output ends with a line such as
 * `exit code 1 after 1.2s`.
 * @throws the context signal's reason when it aborts (the gate was not evaluated, so there is
 *   no verdict to record).
 */
export async function runCommandGate(
  gate: CommandGateConfig,
  context: GateContext,
  options: CommandGateOptions,
): Promise<GateOutcome> {
  const timeoutMs = parseDuration(gate.timeout);
  const cwd = gate.cwd === undefined ? options.baseDir : resolve(options.baseDir, gate.cwd);
  const env = childEnvironment(
    {
      RAILYARD_TRAIN_ID: context.trainId,
      RAILYARD_LINE: context.line,
      RAILYARD_STAGE: context.stage,
      RAILYARD_WAVE: context.wave ?? "",
      RAILYARD_ENVIRONMENTS: context.environments.join(","),
      RAILYARD_ATTEMPT: String(context.attempt),
      RAILYARD_MANIFEST: JSON.stringify(
        context.manifest.map((item) => ({
          component: item.component,
          version: item.version,
          previousVersion: item.previousVersion,
        })),
      ),
    },
    gate.env,
  );
  const started = performance.now();
  let result: Awaited<ReturnType<typeof runProcess>>;
  try {
    result = await runProcess({
      command: gate.command,
      cwd: isAbsolute(cwd) ? cwd : resolve(cwd),
      env,
      timeoutMs,
      signal: context.signal,
      maxOutputBytes: options.maxOutputBytes,
      killGraceMs: options.killGraceMs,
    });
  } catch (error) {
    return {
      status: "failed",
      output: (error as Error).message,
      durationMs: Math.round(performance.now() - started),
    };
  }
  if (result.aborted) context.signal.throwIfAborted();
  const output = result.output;
  const separator = output.length === 0 || output.endsWith("\n") ? "" : "\n";
  return {
    status: result.exitCode === 0 && !result.timedOut ? "passed" : "failed",
    output: `${output}${separator}${describeExit(result, timeoutMs)}`,
    durationMs: result.durationMs,
  };
}
