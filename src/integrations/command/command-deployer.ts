/**
 * The command deployer: runs a program once per environment to deploy or roll back a component.
 */
import type { Deployer, DeployRequest, DeployResult } from "../../engine/ports.js";
import { childEnvironment } from "../process/child-env.js";
import { describeExit, tail } from "../process/describe-exit.js";
import { type ProcessResult, runProcess } from "../process/run-process.js";

export interface CommandDeployerOptions {
  /** The `deployers:` entry name, shown in messages. */
  name: string;
  /** An argv list (run without a shell) or a string run by `/bin/sh -c`. */
  command: string | string[];
  /** Absolute working directory. @default process.cwd() */
  cwd?: string;
  /** Extra environment variables from the configuration (not secrets). @default {} */
  env?: Record<string, string>;
  /** Limit for one run (one environment). */
  timeoutMs: number;
  /** Output kept per environment. @default 65536 */
  maxOutputBytes?: number;
  /** Time between SIGTERM and SIGKILL on timeout or abort. @default 2000 */
  killGraceMs?: number;
}

/** How one environment's run went. */
export interface EnvironmentRun {
  environment: string;
  result: ProcessResult;
}

/** Characters of output a {@link DeployError} message carries. */
const MESSAGE_OUTPUT_CHARS = 2000;

/**
 * Thrown when the program fails for an environment: non-zero exit, killed, timed out, aborted
 * or not startable. Environments before it in the request were deployed; later ones were not
 * tried.
 */
export class DeployError extends Error {
  override readonly name = "DeployError";
  /** The environment whose run failed. */
  readonly environment: string;
  /** That run's exit code (null: killed, timed out, aborted or not started). */
  readonly exitCode: number | null;
  /** Every run of the request so far; the failed one last, unless it could not start. */
  readonly runs: EnvironmentRun[];
  /** True when the run was stopped by the request's signal. */
  readonly aborted: boolean;
  private readonly timeoutMs: number;

  constructor(
    message: string,
    details: {
      environment: string;
      exitCode: number | null;
      runs: EnvironmentRun[];
      aborted: boolean;
      timeoutMs: number;
      cause?: unknown;
    },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.environment = details.environment;
    this.exitCode = details.exitCode;
    this.runs = details.runs;
    this.aborted = details.aborted;
    this.timeoutMs = details.timeoutMs;
  }

  /** Every run's output, one section per environment (what the engine keeps as the step's output). */
  get output(): string {
    const sections = this.runs.map((run) => section(run, this.timeoutMs));
    if (this.runs.at(-1)?.environment !== this.environment)
      sections.push(`== ${this.environment} ==\n${this.message}`);
    return sections.join("\n");
  }
}

/**
 * Runs the configured program once per environment, in order, with these variables:
 * `RAILYARD_TRAIN_ID`, `RAILYARD_LINE`, `RAILYARD_COMPONENT`, `RAILYARD_VERSION`,
 * `RAILYARD_PREVIOUS_VERSION` (empty when none), `RAILYARD_ENVIRONMENT`, `RAILYARD_WAVE`,
 * `RAILYARD_ACTION` (`deploy` or `rollback`), `RAILYARD_WEIGHT` (share of traffic, 0–100, for
 * `RAILYARD_VERSION`: the request's weight, 100 for a plain deployment and for a rollback),
 * `RAILYARD_PHASE` (`canary`, `preview`, `promote`, `retire`; empty for a plain deployment and
 * for a rollback),
 * `RAILYARD_STRATEGY` (`allAtOnce`, `canary` or `blueGreen`) and `RAILYARD_IDEMPOTENCY_KEY`
 * (`<request key>@<environment>`), plus the configured `env`.
 *
 * Railyard cannot see what a program did, so it never reports `alreadyDone`: the program must be
 * idempotent on `RAILYARD_IDEMPOTENCY_KEY`. After a crash the same key is run again, and a
 * program that already acted under it should succeed without acting twice.
 */
export class CommandDeployer implements Deployer {
  constructor(private readonly options: CommandDeployerOptions) {}

  /**
   * Deploys `request.version` to each environment.
   * @throws {DeployError} when the program fails for an environment.
   */
  deploy(request: DeployRequest): Promise<DeployResult> {
    return this.runAll(request, "deploy");
  }

  /**
   * Rolls back to `request.version` (the version to return to; empty when none) in each environment.
   * @throws {DeployError} when the program fails for an environment.
   */
  rollback(request: DeployRequest): Promise<DeployResult> {
    return this.runAll(request, "rollback");
  }

  private async runAll(request: DeployRequest, action: "deploy" | "rollback"): Promise<DeployResult> {
    const runs: EnvironmentRun[] = [];
    const sections: string[] = [];
    for (const environment of request.environments) {
      const env = childEnvironment(
        {
          RAILYARD_TRAIN_ID: request.trainId,
          RAILYARD_LINE: request.line,
          RAILYARD_COMPONENT: request.component,
          RAILYARD_VERSION: request.version ?? "",
          RAILYARD_PREVIOUS_VERSION: request.previousVersion ?? "",
          RAILYARD_ENVIRONMENT: environment,
          RAILYARD_WAVE: request.wave,
          RAILYARD_ACTION: action,
          // A rollback is a plain deployment of the version it restores, with all traffic.
          RAILYARD_WEIGHT: String(action === "rollback" ? 100 : (request.weight ?? 100)),
          RAILYARD_PHASE: action === "rollback" ? "" : (request.phase ?? ""),
          RAILYARD_STRATEGY: request.strategy ?? "allAtOnce",
          RAILYARD_IDEMPOTENCY_KEY: `${request.idempotencyKey}@${environment}`,
        },
        this.options.env,
      );
      const what = `${action} of ${request.component} ${request.version ?? "(none)"} to ${environment}`;
      let result: ProcessResult;
      try {
        result = await runProcess({
          command: this.options.command,
          cwd: this.options.cwd,
          env,
          timeoutMs: this.options.timeoutMs,
          signal: request.signal,
          maxOutputBytes: this.options.maxOutputBytes,
          killGraceMs: this.options.killGraceMs,
        });
      } catch (error) {
        throw new DeployError(
          `deployer "${this.options.name}": ${what} failed: ${(error as Error).message}`,
          {
            environment,
            exitCode: null,
            runs,
            aborted: false,
            timeoutMs: this.options.timeoutMs,
            cause: error,
          },
        );
      }
      runs.push({ environment, result });
      const ending = describeExit(result, this.options.timeoutMs);
      sections.push(section({ environment, result }, this.options.timeoutMs));
      if (result.exitCode !== 0 || result.timedOut || result.aborted) {
        const done = runs.slice(0, -1).map((run) => run.environment);
        const before = done.length > 0 ? ` (already done: ${done.join(", ")})` : "";
        throw new DeployError(
          `deployer "${this.options.name}": ${what} failed: ${ending}${before}\n${tail(result.output, MESSAGE_OUTPUT_CHARS)}`.trimEnd(),
          {
            environment,
            exitCode: result.exitCode,
            runs,
            aborted: result.aborted,
            timeoutMs: this.options.timeoutMs,
          },
        );
      }
    }
    return { alreadyDone: false, reference: null, output: sections.join("\n") };
  }
}

function section(run: EnvironmentRun, timeoutMs: number): string {
  return `== ${run.environment} ==\n${withNewline(run.result.output)}${describeExit(run.result, timeoutMs)}`;
}

function withNewline(text: string): string {
  return text.length === 0 || text.endsWith("\n") ? text : `${text}\n`;
}
