/**
 * The gate runner the engine uses: evaluates each configured gate with its integration.
 */
import type { GateConfig, PrometheusSourceConfig, SloConfig } from "../domain/config/schema.js";
import type { GateContext, GateOutcome, GateRunner } from "../engine/ports.js";
import { runCommandGate } from "./command/command-gate.js";
import { runHttpGate } from "./http/http-gate.js";
import { runCanaryGate } from "./prometheus/canary-gate.js";
import { runPrometheusGate } from "./prometheus/prometheus-gate.js";
import { runSloGate } from "./prometheus/slo-gate.js";

export interface GateRunnerOptions {
  /** The configuration file's directory: a command gate's relative `cwd` is resolved against it. */
  baseDir: string;
  /** Where http gates and Prometheus sources read `headersFromEnv`. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Output a command gate keeps. @default 65536 */
  maxOutputBytes?: number;
  /**
   * The configuration's `prometheus` map (sources by name), or a getter for it that each gate
   * run calls, so that a configuration reload applies to the next gate. @default {}
   */
  prometheus?: Record<string, PrometheusSourceConfig> | (() => Record<string, PrometheusSourceConfig>);
  /**
   * The configuration's `slos` map (inline and imported from OpenSLO files), or a getter for it
   * that each gate run calls, so that a configuration reload applies to the next gate. @default {}
   */
  slos?: Record<string, SloConfig> | (() => Record<string, SloConfig>);
}

/** Creates the {@link GateRunner} for `command`, `http`, `prometheus`, `canary` and `slo` gates. */
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
        case "prometheus": {
          const sources =
            typeof options.prometheus === "function" ? options.prometheus() : options.prometheus;
          return runPrometheusGate(gate, context, { sources: sources ?? {}, env: options.env });
        }
        case "canary": {
          const sources =
            typeof options.prometheus === "function" ? options.prometheus() : options.prometheus;
          return runCanaryGate(gate, context, { sources: sources ?? {}, env: options.env });
        }
        case "slo": {
          const sources =
            typeof options.prometheus === "function" ? options.prometheus() : options.prometheus;
          const slos = typeof options.slos === "function" ? options.slos() : options.slos;
          return runSloGate(gate, context, { sources: sources ?? {}, slos: slos ?? {}, env: options.env });
        }
        case "tests":
          // The engine judges tests gates from the reports it recorded (withTestsGates).
          return Promise.resolve({
            status: "failed",
            output: "tests gates are judged by the engine from recorded JUnit reports, not by this runner",
            durationMs: 0,
          });
        case "security":
          // The engine judges security gates from the reports it recorded.
          return Promise.resolve({
            status: "failed",
            output: "security gates are judged by the engine from recorded reports",
            durationMs: 0,
          });
        case "checklist":
        case "policy":
          // The engine judges these from what it recorded (withChecklistGates, withPolicyGates).
          return Promise.resolve({
            status: "failed",
            verdict: "error",
            output: `${gate.type} gates are judged by the engine, not by this runner`,
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
