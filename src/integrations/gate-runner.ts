/**
 * The gate runner the engine uses: evaluates each configured gate with its integration.
 */
import type { GateConfig } from "../domain/config/schema.js";
import type { GateContext, GateOutcome, GateRunner } from "../engine/ports.js";
import { runCommandGate } from "./command/command-gate.js";
import { runHttpGate } from "./http/http-gate.js";

export interface GateRunnerOptions {
  /** The configuration file's directory: a command gate's relative `cwd` is resolved against it. */
  baseDir: string;
  /** Where http gates read `headersFromEnv`. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Output a command gate keeps. @default 65536 */
  maxOutputBytes?: number;
}

/** Creates the {@link GateRunner} for `command` and `http` gates. */
export function createGateRunner(options: GateRunnerOptions): GateRunner {
  return {
    run: function runGate(gate: GateConfig, context: GateContext): Promise<GateOutcome> {
      switch (gate.type) {
        case "command":
          return runCommandGate(gate, context, {
            baseDir: options.baseDir,
            maxOutputBytes: options.maxOutputBytes,
          });
        case "http":
          return runHttpGate(gate, context, { env: options.env });
        case "tests":
          // The engine judges tests gates from the reports it recorded (withTestsGates).
          return Promise.resolve({
            status: "failed",
            output: "tests gates are judged by the engine from recorded JUnit reports, not by this runner",
            durationMs: 0,
          });
        default: {
          const unknown: never = gate;
          throw new Error(`unknown gate type ${JSON.stringify((unknown as { type: unknown }).type)}`);
        }
      }
    },
  };
}
