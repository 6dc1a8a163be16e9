/**
 * The reconciler. Each tick it keeps every line's next trains in existence, then takes every
 * train whose `wakeAt` has come, asks the pure {@link decide} what to do, and does it: a
 * transition is one appended event; a step is recorded as started, performed through a port
 * (deployer or gate runner) in the background, and recorded as finished together with its
 * consequences (deployments, gate results, a failure transition) in one transaction.
 *
 * Crash safety: a step is recorded before its side effect and again after it. A step a crash left
 * `running` is performed again with the same idempotency key (`<train>/<key>#<attempt>`), which
 * deployers use to find work already done; nothing is recorded twice.
 */

import { createHash } from "node:crypto";
import { type NewEvent, SYSTEM_ACTOR } from "../domain/events.js";
import { gateFailureSummary } from "../domain/gate-summary.js";
import { actingIncident, incidentPolicyOf } from "../domain/incidents/policy.js";
import type { GateVerdict, Instant, Train } from "../domain/model.js";
import {
  type Decision,
  decide,
  failureTransition,
  type PlannedTransition,
  permitOf,
  type StepPlan,
  type TrainView,
} from "../domain/reconcile.js";
import { hasTouchedProduction, isTerminal } from "../domain/train-state.js";
import type { BoardingDesk } from "./boarding-desk.js";
import { BudgetWatch } from "./budget-watch.js";
import { type EngineContext, nowInstant } from "./context.js";
import type { DeployResult } from "./ports.js";
import { shippedArtifactsOf } from "./shipped-artifacts.js";
import { transitionEvent } from "./transitions.js";

export interface TickSummary {
  /** Trains whose wake-up time had come. */
  due: number;
  transitions: number;
  stepsStarted: number;
  inFlight: number;
}

interface StepOutcome {
  ok: boolean;
  output: string | null;
  error: string | null;
  durationMs: number;
  reference: string | null;
  gateStatus?: "passed" | "failed";
  gateVerdict?: GateVerdict;
  gateDetail?: unknown;
}

const MAX_DECISIONS_PER_TRAIN = 25;
const OUTPUT_LIMIT = 64 * 1024;

function firstLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim().length > 0) ?? text;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function clip(text: string | null): string | null {
  if (text === null || text.length <= OUTPUT_LIMIT) return text;
  return `[… ${text.length - OUTPUT_LIMIT} characters truncated …]\n${text.slice(-OUTPUT_LIMIT)}`;
}

export class Reconciler {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly lineCheckAt = new Map<string, number>();
  private tickChain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private wakePending = false;
  private stopping = false;
  private abort = new AbortController();

  /** The error-budget policy's readings, per line. */
  readonly budget: BudgetWatch;

  constructor(
    private readonly ctx: EngineContext,
    private readonly desk: BoardingDesk,
    private readonly intervalMs: number,
  ) {
    this.budget = new BudgetWatch(ctx);
  }

  /** Number of steps running in this process. */
  get stepsInFlight(): number {
    return this.inFlight.size;
  }

  /** Step ids running in this process. */
  inFlightIds(): ReadonlySet<string> {
    return new Set(this.inFlight.keys());
  }

  /** Forgets when lines were last checked (after a reload, or when a line's trains changed by hand). */
  recheckLines(): void {
    this.lineCheckAt.clear();
  }

  /** Starts ticking in the background; wakes every active train first so crashed work resumes. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.abort = new AbortController();
    const woken = await this.ctx.store.wakeAllActive(nowInstant(this.ctx));
    this.ctx.logger.info({ active_trains: woken }, "reconciler started");
    this.schedule(0);
  }

  /**
   * Stops ticking and aborts steps in flight. An aborted step is left recorded as running and
   * resumes (with the same idempotency key) when the engine starts again.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort(new Error("Railyard is shutting down"));
    await Promise.allSettled([...this.inFlight.values()]);
    await this.tickChain.catch(() => undefined);
  }

  /** Asks for a tick soon (after an action, a step completion, a push). */
  wake(): void {
    if (!this.running || this.wakePending) return;
    this.wakePending = true;
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.wakePending = false;
      this.tick()
        .catch((error: unknown) => this.ctx.logger.error({ err: error }, "tick failed"))
        .finally(() => {
          if (this.running && !this.timer) this.schedule(this.intervalMs);
        });
    }, delayMs);
    this.timer.unref?.();
  }

  /** One reconciliation pass. Ticks never overlap: a call waits for the one running. */
  tick(): Promise<TickSummary> {
    const next = this.tickChain.then(
      () => this.tickOnce(),
      () => this.tickOnce(),
    );
    this.tickChain = next.catch(() => undefined);
    return next;
  }

  /**
   * Ticks and waits for steps until nothing more happens at the current time (tests, the demo's
   * clock endpoint). @throws when the trains keep changing after `maxRounds` passes.
   */
  async settle(maxRounds = 500): Promise<void> {
    for (let round = 0; round < maxRounds; round++) {
      const summary = await this.tick();
      if (this.inFlight.size > 0) {
        await Promise.allSettled([...this.inFlight.values()]);
        continue;
      }
      if (summary.transitions === 0 && summary.stepsStarted === 0) return;
    }
    throw new Error(`trains did not settle after ${maxRounds} reconciliation passes`);
  }

  private async tickOnce(): Promise<TickSummary> {
    const now = this.ctx.clock.now();
    const nowMs = now.getTime();
    const config = this.ctx.config();
    for (const line of config.lineNames) {
      if ((this.lineCheckAt.get(line) ?? Number.NEGATIVE_INFINITY) <= nowMs) {
        const nextCheck = await this.desk.ensureTrains(line, now);
        this.lineCheckAt.set(line, nextCheck ?? Number.POSITIVE_INFINITY);
      }
    }
    const due = await this.ctx.store.dueTrains(now.toISOString(), 500);
    const summary: TickSummary = { due: due.length, transitions: 0, stepsStarted: 0, inFlight: 0 };
    for (const train of due) {
      const result = await this.reconcileTrain(train.id);
      summary.transitions += result.transitions;
      summary.stepsStarted += result.stepsStarted;
    }
    summary.inFlight = this.inFlight.size;
    return summary;
  }

  /** Loads what {@link decide} needs about a train. */
  async view(train: Train): Promise<TrainView | null> {
    const config = this.ctx.config();
    if (!config.hasLine(train.line)) return null;
    const line = config.line(train.line);
    const store = this.ctx.store;
    // Only trains about to start a production wave (or paused before one) ask for a permit.
    const asksPermit =
      train.state === "awaiting_approval" || train.state === "verifying" || train.state === "paused";
    const inProduction = ["deploying", "verifying", "paused", "blocked"].includes(train.state);
    const asksLineStop = train.state === "awaiting_approval" || train.state === "verifying";
    // The incident policy acts at departure, during the rollout and before each wave.
    const asksIncidents =
      asksLineStop ||
      train.state === "deploying" ||
      (train.state === "paused" && train.pauseCause === "incident");
    const [manifest, steps, approvals, exceptions, marks, incidents] = await Promise.all([
      store.getManifest(train.id),
      store.listSteps(train.id),
      store.listApprovals(train.id),
      asksPermit ? store.listExceptions(train.id) : Promise.resolve([]),
      inProduction ? store.listRolloutMarks(train.id) : Promise.resolve([]),
      asksIncidents ? store.listIncidents({ line: train.line, status: "open" }) : Promise.resolve([]),
    ]);
    const stop = incidents.find((i) => i.stopsLine);
    // Who pushed or authored what the train carries matters only while people approve it.
    const asksApproval = train.state === "awaiting_approval" && line.approval.mode === "manual";
    const shipped = asksApproval ? await shippedArtifactsOf(store, manifest) : [];
    // Only a train about to start a production wave (or paused by the budget) asks the policy.
    const asksBudget =
      train.state === "awaiting_approval" ||
      train.state === "verifying" ||
      (train.state === "paused" && train.pauseCause === "budget");
    const budget = asksBudget
      ? await this.budget.status(train.line, this.ctx.clock.now().getTime())
      : undefined;
    let productionHeldBy: string | null = null;
    if (train.state === "awaiting_approval" && line.overlap !== "allow") {
      const others = await store.listTrains({ line: train.line, active: true, limit: 1000 });
      productionHeldBy =
        others.find(
          (o) =>
            o.id !== train.id &&
            o.state !== "released" &&
            hasTouchedProduction({ state: o.state, resumeTo: o.resumeTo }),
        )?.id ?? null;
    }
    return {
      train,
      line,
      teams: config.config.teams,
      dependsOn: config.dependsOn,
      kindOf: config.kindOf,
      integrationEnvironment: config.integrationEnvironment,
      manifest,
      steps,
      approvals,
      shipped,
      inFlight: this.inFlightIds(),
      productionHeldBy,
      permit: permitOf(config.deploymentRules(train.line), train, exceptions),
      ...(budget ? { budget } : {}),
      marks,
      lineStop: stop ? { id: stop.id, title: stop.title } : null,
      incident: actingIncident(incidents, train, incidentPolicyOf(line)),
    };
  }

  /** What the train would do now, without doing it (for people: "waiting for …"). */
  async explain(train: Train): Promise<Decision | null> {
    const view = await this.view(train);
    return view ? decide(view, this.ctx.clock.now().getTime()) : null;
  }

  private reconcileTrain(trainId: string): Promise<{ transitions: number; stepsStarted: number }> {
    return this.ctx.locks.run(trainId, async () => {
      let transitions = 0;
      let stepsStarted = 0;
      for (let i = 0; i < MAX_DECISIONS_PER_TRAIN; i++) {
        const train = await this.ctx.store.getTrain(trainId);
        if (!train || isTerminal(train.state)) return { transitions, stepsStarted };
        const view = await this.view(train);
        if (!view) {
          this.ctx.logger.warn(
            { train_id: train.id, line: train.line },
            "train's line is no longer configured",
          );
          await this.ctx.store.setWakeAt(train.id, null);
          return { transitions, stepsStarted };
        }
        const decision = decide(view, this.ctx.clock.now().getTime());
        if (decision.transition) {
          if (decision.transition.event === "freeze") {
            await this.desk.freeze(train);
          } else {
            await this.transition(train, decision.transition, decision.followedBy);
          }
          transitions++;
          continue;
        }
        for (const plan of decision.start) {
          await this.startStep(train, plan);
          stepsStarted++;
        }
        await this.ctx.store.setWakeAt(train.id, decision.start.length > 0 ? null : decision.wakeAt);
        return { transitions, stepsStarted };
      }
      // A train that keeps changing within one pass is looked at again next pass.
      return { transitions, stepsStarted };
    });
  }

  private async transition(
    train: Train,
    t: PlannedTransition,
    followedBy: PlannedTransition | undefined,
  ): Promise<void> {
    const events: NewEvent[] = [];
    let current = train;
    for (const planned of followedBy ? [t, followedBy] : [t]) {
      const event = transitionEvent(current, {
        event: planned.event,
        actor: SYSTEM_ACTOR,
        reason: planned.reason,
        wave: planned.wave,
        ...(planned.cause === undefined ? {} : { cause: planned.cause }),
        ...(planned.resumeAt === undefined ? {} : { resumeAt: planned.resumeAt }),
      });
      events.push(event);
      if (event.type === "train.transitioned")
        current = { ...current, state: event.payload.to, resumeTo: event.payload.resumeTo };
    }
    this.ctx.failpoint(`before-transition:${train.id}:${t.event}`);
    const at = nowInstant(this.ctx);
    const ended = isTerminal(current.state);
    await this.ctx.store.transaction(async (tx) => {
      await tx.append(events, at);
      await tx.setWakeAt(train.id, at);
      // A train that ends gives production back: trains of its line queued behind it look again.
      if (ended) {
        const queued = await tx.listTrains({ line: train.line, states: ["awaiting_approval"], limit: 1000 });
        for (const other of queued) await tx.setWakeAt(other.id, at);
      }
    });
    this.desk.invalidate(train.id);
    for (const event of events) {
      if (event.type !== "train.transitioned") continue;
      this.ctx.logger.info(
        {
          train_id: train.id,
          line: train.line,
          from: event.payload.from,
          to: event.payload.to,
          reason: event.payload.reason,
          ...(event.payload.resumeAt ? { resume_at: event.payload.resumeAt } : {}),
        },
        `train ${event.payload.to}`,
      );
    }
    this.ctx.failpoint(`after-transition:${train.id}:${t.event}`);
  }

  private async startStep(train: Train, plan: StepPlan): Promise<void> {
    const stepId = `${train.id}/${plan.key}#${plan.attempt}`;
    if (this.inFlight.has(stepId)) return;
    if (!plan.resume) {
      this.ctx.failpoint(`before-start:${stepId}`);
      await this.ctx.store.append(
        [
          {
            type: "step.started",
            trainId: train.id,
            actor: SYSTEM_ACTOR,
            payload: {
              stepId,
              key: plan.key,
              kind: plan.kind,
              attempt: plan.attempt,
              idempotencyKey: stepId,
            },
          },
        ],
        nowInstant(this.ctx),
      );
    } else {
      this.ctx.logger.info(
        { train_id: train.id, line: train.line, step: stepId },
        "resuming step left running",
      );
    }
    this.ctx.failpoint(`after-start:${stepId}`);
    const run = this.execute(train, plan, stepId)
      .catch((error: unknown) =>
        this.ctx.logger.error({ err: error, train_id: train.id, step: stepId }, "recording a step failed"),
      )
      .finally(() => {
        this.inFlight.delete(stepId);
        this.wake();
      });
    this.inFlight.set(stepId, run);
  }

  private async perform(train: Train, plan: StepPlan, stepId: string): Promise<StepOutcome> {
    const config = this.ctx.config();
    const signal = this.abort.signal;
    const started = performance.now();
    const deployOutcome = (result: DeployResult): StepOutcome => ({
      ok: true,
      output: result.alreadyDone
        ? `already done (idempotency key ${stepId}); ${result.output}`
        : result.output,
      error: null,
      durationMs: Math.round(performance.now() - started),
      reference: result.reference,
    });
    switch (plan.kind) {
      case "gate": {
        const manifest = (await this.ctx.store.getManifest(train.id))
          .filter((i) => i.status === "boarded")
          .map((i) => ({ component: i.component, version: i.version, previousVersion: i.previousVersion }));
        const outcome = await this.ctx.gates.run(plan.gate!, {
          trainId: train.id,
          line: train.line,
          stage: plan.stage!,
          wave: plan.wave === "gating" ? null : plan.wave,
          environments: plan.environments,
          manifest,
          attempt: plan.attempt,
          ...(plan.analysis ? { analysis: plan.analysis } : {}),
          signal,
        });
        const passed = outcome.status === "passed";
        const where = plan.stage === "gating" ? "" : ` in wave ${plan.wave}`;
        return {
          ok: passed,
          output: outcome.output,
          error: passed
            ? null
            : `gate ${plan.gate!.name} failed${where}: ${gateFailureSummary(plan.gate!.type, outcome.output)}`,
          durationMs: outcome.durationMs,
          reference: null,
          gateStatus: outcome.status,
          gateVerdict: outcome.verdict ?? (outcome.status === "passed" ? "pass" : "fail"),
          ...(outcome.detail === undefined ? {} : { gateDetail: outcome.detail }),
        };
      }
      case "runbook": {
        // Runbook steps are command or HTTP calls, run by the gate runner; their output is kept.
        const outcome = await this.ctx.gates.run(plan.gate!, {
          trainId: train.id,
          line: train.line,
          stage: plan.stage!,
          wave: plan.wave,
          environments: plan.environments,
          manifest: [],
          attempt: plan.attempt,
          signal,
        });
        const ok = outcome.status === "passed";
        return {
          ok,
          output: outcome.output,
          error: ok ? null : `runbook step ${plan.gate!.name} failed: ${firstLine(outcome.output)}`,
          durationMs: outcome.durationMs,
          reference: null,
        };
      }
      case "integrate":
      case "deploy":
      case "rollback": {
        const deployer = config.deployerFor(plan.component!);
        const request = {
          trainId: train.id,
          line: train.line,
          component: plan.component!,
          version: plan.version ?? null,
          previousVersion: plan.previousVersion ?? null,
          environments: plan.environments,
          wave: plan.wave,
          idempotencyKey: stepId,
          signal,
          ...(plan.undoStepKey ? { undoStepKey: plan.undoStepKey } : {}),
          ...(plan.undoStepKeys ? { undoStepKeys: plan.undoStepKeys } : {}),
          ...(plan.weight === undefined ? {} : { weight: plan.weight }),
          ...(plan.phase ? { phase: plan.phase } : {}),
          ...(plan.strategy ? { strategy: plan.strategy } : {}),
        };
        const undo = plan.kind === "rollback" || plan.undoStepKey !== undefined;
        return deployOutcome(undo ? await deployer.rollback(request) : await deployer.deploy(request));
      }
      default: {
        const unreachable: never = plan.kind;
        throw new Error(`unknown step kind ${String(unreachable)}`);
      }
    }
  }

  private describeFailure(plan: StepPlan, error: string): string {
    const what = `${plan.component} ${plan.version ?? "(previous)"}`;
    switch (plan.kind) {
      case "integrate":
        return `integration of ${what} failed: ${firstLine(error)}`;
      case "deploy":
        return `deployment of ${what} to ${plan.environments.join(", ")} failed: ${firstLine(error)}`;
      case "rollback":
        return `rollback of ${plan.component} in ${plan.environments.join(", ")} failed: ${firstLine(error)}`;
      case "gate":
      case "runbook":
        return error;
      default: {
        const unreachable: never = plan.kind;
        return String(unreachable);
      }
    }
  }

  private async execute(train: Train, plan: StepPlan, stepId: string): Promise<void> {
    const started = performance.now();
    let outcome: StepOutcome;
    try {
      outcome = await this.perform(train, plan, stepId);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const output = (error as { output?: unknown }).output;
      outcome = {
        ok: false,
        output: typeof output === "string" ? output : message,
        error: this.describeFailure(plan, message),
        durationMs: Math.round(performance.now() - started),
        reference: null,
      };
    }
    if (this.stopping) {
      this.ctx.logger.info(
        { train_id: train.id, step: stepId },
        "step interrupted by shutdown; it resumes on restart",
      );
      return;
    }
    this.ctx.failpoint(`after-effect:${stepId}`);
    await this.ctx.locks.run(train.id, () => this.recordOutcome(train.id, plan, stepId, outcome));
    this.ctx.failpoint(`after-finish:${stepId}`);
  }

  private async recordOutcome(
    trainId: string,
    plan: StepPlan,
    stepId: string,
    outcome: StepOutcome,
  ): Promise<void> {
    const at: Instant = nowInstant(this.ctx);
    const log = this.ctx.logger.child({ train_id: trainId, step: stepId, component: plan.component });
    await this.ctx.store.transaction(async (tx) => {
      const train = await tx.getTrain(trainId);
      if (!train) return;
      const events: NewEvent[] = [
        {
          type: "step.finished",
          trainId,
          actor: SYSTEM_ACTOR,
          payload: {
            stepId,
            key: plan.key,
            status: outcome.ok ? "succeeded" : "failed",
            output: clip(outcome.output),
            error: outcome.error,
            durationMs: outcome.durationMs,
          },
        },
      ];
      if (plan.kind === "gate" && outcome.gateStatus) {
        events.push({
          type: "gate.evaluated",
          trainId,
          actor: SYSTEM_ACTOR,
          payload: {
            resultId: stepId,
            stage: plan.stage!,
            gate: plan.gate!.name,
            type: plan.gate!.type,
            attempt: plan.attempt,
            status: outcome.gateStatus,
            verdict: outcome.gateVerdict ?? (outcome.gateStatus === "passed" ? "pass" : "fail"),
            output: clip(outcome.output) ?? "",
            durationMs: outcome.durationMs,
            ...(outcome.gateDetail === undefined ? {} : { detail: outcome.gateDetail }),
          },
        });
      }
      if (outcome.ok && plan.kind !== "gate" && plan.kind !== "runbook") {
        const undo = plan.kind === "rollback" || plan.undoStepKey !== undefined;
        for (const environment of plan.environments) {
          events.push({
            type: "deployment.recorded",
            trainId,
            actor: SYSTEM_ACTOR,
            payload: {
              environment,
              component: plan.component!,
              version: plan.version ?? null,
              previousVersion: plan.previousVersion ?? null,
              action: undo ? "rollback" : "deploy",
              wave: plan.wave,
              reference: outcome.reference,
            },
          });
        }
      }
      if (!outcome.ok) {
        const failure = failureTransition(
          train,
          plan,
          this.ctx.config().line(train.line),
          outcome.error ?? "failed",
          outcome.gateVerdict,
        );
        if (failure) {
          events.push(
            transitionEvent(train, {
              event: failure.event,
              actor: SYSTEM_ACTOR,
              reason: failure.reason,
              ...(failure.cause ? { cause: failure.cause, resumeAt: null } : {}),
            }),
          );
          if (failure.incident) {
            events.push({
              type: "incident.opened",
              trainId,
              actor: SYSTEM_ACTOR,
              payload: {
                // Named after the step attempt, so the same failure never opens two incidents.
                incidentId: `inc-${trainId}-${createHash("sha256").update(stepId).digest("hex").slice(0, 8)}`,
                line: train.line,
                title: failure.incident.title,
                detail: outcome.error,
                stopsLine: true,
              },
            });
          }
        }
      }
      await tx.append(events, at);
      await tx.setWakeAt(trainId, at);
    });
    this.desk.invalidate(trainId);
    if (outcome.ok) log.info({ duration_ms: outcome.durationMs }, `${plan.kind} step succeeded`);
    else log.warn({ duration_ms: outcome.durationMs, error: outcome.error }, `${plan.kind} step failed`);
  }
}
