/**
 * The reconciler's decisions, as a pure function of a train's recorded state and the time.
 *
 * For each state the train is in, {@link decide} says which steps to start (or resume after a
 * crash), which transition to take when a stage is complete, and when to look again. The engine
 * performs the decision and records every step before and after it runs; failures are turned
 * into transitions by {@link failureTransition} in the same transaction that records them.
 *
 * Step keys (stable, they become idempotency keys `<train>/<key>#<attempt>`):
 *  - `r<rev>/integrate/<component>`   deploy the manifest version to the integration environment
 *  - `r<rev>/unintegrate/<component>` return a component dropped after integration to its production version
 *  - `r<rev>/gate/gating/<gate>`      the line's gates
 *  - `deploy/<wave>/<component>`      deploy to the wave's production environments
 *  - `gate/verify/<wave>/<gate>`      the wave's verification gates, after its bake time
 *  - `rollback/<wave>/<component>`    undo `deploy/<wave>/<component>`
 */
import { describeTally, type ShippedArtifact, tallyApprovals } from "./approval.js";
import type { DeploymentRules } from "./calendar/deploy-permit.js";
import type { GateConfig, LineConfig, TeamConfig } from "./config/schema.js";
import { dependencyOrder } from "./dependency-order.js";
import { formatDuration, parseDuration } from "./duration.js";
import type { ActingIncident } from "./incidents/policy.js";
import type {
  Approval,
  GateVerdict,
  Incident,
  Instant,
  ManifestItem,
  RolloutMark,
  Step,
  StepKind,
  Train,
  TrainException,
} from "./model.js";
import { deployWave, retirePlans, switchedAt, waveRollbackPlans } from "./rollout.js";
import type { TrainEventType, TrainStatus } from "./train-state.js";

export interface TrainView {
  train: Train;
  line: LineConfig;
  teams: Record<string, TeamConfig>;
  /**
   * Names of the components a component depends on (from the configuration); used for manifest
   * items that carry no recorded constraints.
   */
  dependsOn: (component: string) => readonly string[];
  /** A component's kind: migrations deploy before services. @default every component a service */
  kindOf?: (component: string) => "service" | "migration";
  integrationEnvironment: string;
  manifest: readonly ManifestItem[];
  steps: readonly Step[];
  approvals: readonly Approval[];
  /**
   * The artifacts of the manifest's boarded items (see `shippedArtifacts`): who pushed and
   * authored them may not approve unless the line allows self-approval. @default none
   */
  shipped?: readonly ShippedArtifact[];
  /** Ids of steps running in this process right now. */
  inFlight: ReadonlySet<string>;
  /** Another train of the same line that holds production (deploying, verifying, rolling back). */
  productionHeldBy: string | null;
  /**
   * May a production wave to `environments` start at `epochMs` (the line's window and blackouts)?
   * The engine builds it with the train's exceptions already applied, and without the window for
   * hotfix trains.
   */
  permit: (epochMs: number, environments: readonly string[]) => PermitAnswer;
  /**
   * The line's error-budget policy now (absent: the line has none, or the engine did not look):
   * while its SLO burns too fast, a production wave may not start.
   */
  budget?: BudgetStatus;
  /** People's marks on rollout steps (promote, approve, reject), in order. @default none */
  marks?: readonly RolloutMark[];
  /** An open incident that stops the line: no train of it departs or starts a wave. */
  lineStop?: Pick<Incident, "id" | "title"> | null;
  /**
   * The open incident acting on this train by its line's `incidents` policy (see
   * `incidents/policy.ts`): `scope: train` rolls back or pauses it during its rollout; `scope:
   * line` pauses it at departure and before its next wave. Absent or null: none.
   */
  incident?: ActingIncident | null;
}

/** What the error-budget policy says now: go, or why not and when to look again. */
export type BudgetStatus = { ok: true } | { ok: false; reason: string; recheckAt: number };

/** The answer of {@link TrainView.permit}: yes, or why not and until when. */
export type PermitAnswer =
  | { ok: true }
  | {
      ok: false;
      cause: "window" | "blackout";
      /** In words: `outside window`, or the blackouts' names and reasons. */
      reason: string;
      /** When the deployment may start (epoch ms); null when nothing ahead allows it. */
      resumesAt: number | null;
    };

/**
 * The permit {@link decide} asks a train about: the line's window and blackouts, with the train's
 * exceptions applied; hotfix trains ignore the window.
 */
export function permitOf(
  rules: Pick<DeploymentRules, "permit">,
  train: Pick<Train, "kind">,
  exceptions: readonly Pick<TrainException, "blackout">[],
): TrainView["permit"] {
  const excepted = new Set(exceptions.map((e) => e.blackout));
  const ignoreWindow = train.kind === "hotfix";
  return (epochMs, environments) =>
    rules.permit(epochMs, { environments: [...environments], exceptions: excepted, ignoreWindow });
}

/** A transition {@link decide} asks for. */
export interface PlannedTransition {
  event: TrainEventType;
  reason: string | null;
  wave?: number;
  /** For pauses: what stopped the train (the window, a blackout, the error budget, an incident). */
  cause?: "window" | "blackout" | "budget" | "analysis" | "incident";
  /** For pauses: when the engine resumes the train (null: it cannot tell). */
  resumeAt?: Instant | null;
}

export interface StepPlan {
  key: string;
  kind: StepKind;
  attempt: number;
  /** True when re-running an attempt a crash left `running`: no new start is recorded. */
  resume: boolean;
  /** `integration` or the wave's name. */
  wave: string;
  environments: string[];
  component?: string;
  /** Version to deploy (for rollbacks and unintegrate: the version to return to). */
  version?: string | null;
  previousVersion?: string | null;
  gate?: GateConfig;
  /** `gating` or `verify/<wave>` for gates. */
  stage?: string;
  /** For rollbacks: the deploy step to undo. */
  undoStepKey?: string;
  /** For rollbacks: every deploy step of the component in the wave (canary steps, batches, phases). */
  undoStepKeys?: string[];
  /** Deploys: the share of traffic the new version takes (absent: 100). */
  weight?: number;
  /** Deploys: the progressive-delivery phase (absent: a plain deployment). */
  phase?: "canary" | "preview" | "promote" | "retire";
  /** The wave's strategy. */
  strategy?: "allAtOnce" | "canary" | "blueGreen";
  /** Gates run as analyses of a canary step: which of how many. */
  analysis?: { index: number; of: number };
  /**
   * The id of a step: when this plan's latest attempt succeeded but started before that step,
   * it counts as undone and runs again (a deploy after its wave was rolled back and retried; a
   * rollback after the wave was deployed again). Steps are ordered by when they started.
   */
  redoAfter?: string;
}

/** A step to run, before its attempt is known. */
export type PlanBase = Omit<StepPlan, "attempt" | "resume">;

export interface Decision {
  transition: PlannedTransition | null;
  /**
   * A second transition recorded in the same transaction as the first: when the time of an
   * engine pause has come but the permit still refuses, the train resumes and pauses again with
   * the new reason and time, so what it says stays true without ever looping.
   */
  followedBy?: PlannedTransition;
  start: StepPlan[];
  wakeAt: Instant | null;
  /** What the train is waiting for, in words; null when it is working or has ended. */
  waitingFor: string | null;
  /** A rollout step waiting for a person: promote (a pause, a blue-green switch) or approve. */
  awaiting?: { wave: string; step: string; kind: "promote" | "approval" };
}

const iso = (ms: number): Instant => new Date(ms).toISOString();

/** Delay before re-attempting a failed rollback step: 30s, 1m, 2m, … capped at 10m. */
export function rollbackBackoffMs(attempt: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 600_000);
}

/** The manifest items that ride the train (boarded, not held or dropped). */
export function boardedItems(manifest: readonly ManifestItem[]): ManifestItem[] {
  return manifest.filter((item) => item.status === "boarded");
}

/** Latest attempt per step key. */
export function latestAttempts(steps: readonly Step[]): Map<string, Step> {
  const latest = new Map<string, Step>();
  for (const step of steps) {
    const seen = latest.get(step.key);
    if (!seen || step.attempt > seen.attempt) latest.set(step.key, step);
  }
  return latest;
}

type Progress = { done: true } | { done: false; start: StepPlan[]; wakeAt: Instant | null };

const positions = new WeakMap<readonly Step[], Map<string, number>>();

/** True when step `a` started before step `b` (steps are listed in the order they started). */
function startedBefore(steps: readonly Step[], a: string, b: string): boolean {
  let order = positions.get(steps);
  if (!order) {
    order = new Map(steps.map((step, i) => [step.id, i]));
    positions.set(steps, order);
  }
  const pa = order.get(a);
  const pb = order.get(b);
  return pa !== undefined && pb !== undefined && pa < pb;
}

/** What to do with one planned step given its latest attempt. */
export function nextAttempt(
  plan: PlanBase,
  latest: Step | undefined,
  view: TrainView,
  now: number,
):
  | { state: "done" }
  | { state: "busy" }
  | { state: "start"; plan: StepPlan }
  | { state: "later"; at: number } {
  if (!latest) return { state: "start", plan: { ...plan, attempt: 1, resume: false } };
  switch (latest.status) {
    case "succeeded":
      if (plan.redoAfter && startedBefore(view.steps, latest.id, plan.redoAfter))
        return { state: "start", plan: { ...plan, attempt: latest.attempt + 1, resume: false } };
      return { state: "done" };
    case "running":
      if (view.inFlight.has(latest.id)) return { state: "busy" };
      return { state: "start", plan: { ...plan, attempt: latest.attempt, resume: true } };
    case "failed": {
      // A failed attempt is only seen in an active stage after a retry (failure blocks the
      // train in the same transaction that records it), or while rolling back, which retries
      // by itself with backoff.
      if ((plan.kind === "rollback" || isRollbackRunbook(plan)) && latest.finishedAt) {
        const at = Date.parse(latest.finishedAt) + rollbackBackoffMs(latest.attempt);
        if (now < at) return { state: "later", at };
      }
      return { state: "start", plan: { ...plan, attempt: latest.attempt + 1, resume: false } };
    }
    default: {
      const unreachable: never = latest.status;
      throw new Error(`unknown step status ${String(unreachable)}`);
    }
  }
}

/** Runs planned steps one after another (integration, deployment, rollback). */
function sequential(plans: Omit<StepPlan, "attempt" | "resume">[], view: TrainView, now: number): Progress {
  const latest = latestAttempts(view.steps);
  for (const plan of plans) {
    const next = nextAttempt(plan, latest.get(plan.key), view, now);
    if (next.state === "done") continue;
    if (next.state === "busy") return { done: false, start: [], wakeAt: null };
    if (next.state === "later") return { done: false, start: [], wakeAt: iso(next.at) };
    return { done: false, start: [next.plan], wakeAt: null };
  }
  return { done: true };
}

const isRollbackRunbook = (plan: Pick<StepPlan, "key" | "kind">) =>
  plan.kind === "runbook" && plan.key.startsWith("runbook/rollback/");

/** A planned step and the keys of the steps that must succeed before it starts. */
export type OrderedPlan = PlanBase & { after: readonly string[] };

/**
 * Runs planned steps in dependency order, at most `concurrency` at once: a step starts once every
 * step it waits for has succeeded. `plans` are in a deterministic topological order, which is
 * also the order free slots are given in.
 */
export function inDependencyOrder(
  plans: readonly OrderedPlan[],
  view: TrainView,
  now: number,
  concurrency: number,
): Progress {
  const latest = latestAttempts(view.steps);
  const succeeded = new Set<string>();
  const startable: StepPlan[] = [];
  let running = 0;
  let pending = false;
  let wakeAt: number | null = null;
  for (const { after, ...plan } of plans) {
    const next = nextAttempt(plan, latest.get(plan.key), view, now);
    if (next.state === "done") {
      succeeded.add(plan.key);
      continue;
    }
    // A step that must run again (redo) keeps its successors waiting for it.
    pending = true;
    if (next.state === "busy") running++;
    else if (next.state === "later") wakeAt = wakeAt === null ? next.at : Math.min(wakeAt, next.at);
    else if (next.plan.resume || after.every((key) => succeeded.has(key))) startable.push(next.plan);
  }
  if (!pending) return { done: true };
  // Steps a crash left running go first: they hold a slot already in the deployer's eyes.
  startable.sort((a, b) => Number(b.resume) - Number(a.resume));
  const start = startable.slice(0, Math.max(0, concurrency - running));
  return { done: false, start, wakeAt: start.length === 0 && wakeAt !== null ? iso(wakeAt) : null };
}

/**
 * The order components deploy in, and what each waits for: the components it depends on (its
 * recorded constraints, else the configuration's `depends_on`) that ride along, and — for a
 * service — every riding migration it is not itself a dependency of (migrations first).
 */
export function deploymentOrder(
  view: Pick<TrainView, "dependsOn" | "kindOf">,
  items: readonly ManifestItem[],
): { order: ManifestItem[]; waitsFor: Map<string, string[]> } {
  const byComponent = new Map(items.map((i) => [i.component, i]));
  const depsOf = (c: string): string[] => {
    const item = byComponent.get(c)!;
    const names = item.dependsOn.length > 0 ? item.dependsOn.map((d) => d.component) : view.dependsOn(c);
    return [...new Set(names)].filter((d) => d !== c && byComponent.has(d));
  };
  const kind = (c: string) => view.kindOf?.(c) ?? "service";
  // Components some riding migration needs, directly or not, may not wait for migrations.
  const neededByMigrations = new Set<string>();
  const stack = [...byComponent.keys()].filter((c) => kind(c) === "migration");
  while (stack.length > 0) {
    for (const d of depsOf(stack.pop()!)) {
      if (!neededByMigrations.has(d)) {
        neededByMigrations.add(d);
        stack.push(d);
      }
    }
  }
  const migrations = [...byComponent.keys()].filter((c) => kind(c) === "migration");
  const waitsFor = new Map<string, string[]>();
  for (const c of byComponent.keys()) {
    const barrier = kind(c) === "service" && !neededByMigrations.has(c) ? migrations : [];
    waitsFor.set(c, [...new Set([...depsOf(c), ...barrier])].sort());
  }
  const order = dependencyOrder([...byComponent.keys()], (c) => waitsFor.get(c) ?? []).map(
    (c) => byComponent.get(c)!,
  );
  return { order, waitsFor };
}

/** Runs planned steps side by side (gates). */
export function parallel(plans: readonly PlanBase[], view: TrainView, now: number): Progress {
  const latest = latestAttempts(view.steps);
  const start: StepPlan[] = [];
  let pending = false;
  for (const plan of plans) {
    const next = nextAttempt(plan, latest.get(plan.key), view, now);
    if (next.state === "done") continue;
    pending = true;
    if (next.state === "start") start.push(next.plan);
  }
  return pending ? { done: false, start, wakeAt: null } : { done: true };
}

function ordered(view: TrainView, items: readonly ManifestItem[]): ManifestItem[] {
  return deploymentOrder(view, items).order;
}

/** Deployment plans of `items` in dependency order, each waiting for its predecessors' keys. */
function orderedPlans(
  view: TrainView,
  items: readonly ManifestItem[],
  keyOf: (component: string) => string,
  plan: (item: ManifestItem) => Omit<StepPlan, "attempt" | "resume" | "key">,
  before: readonly string[] = [],
): OrderedPlan[] {
  const { order, waitsFor } = deploymentOrder(view, items);
  return order.map((item) => ({
    ...plan(item),
    key: keyOf(item.component),
    after: [...before, ...(waitsFor.get(item.component) ?? []).map(keyOf)],
  }));
}

/**
 * Integration steps of the current manifest revision: components dropped after integrating go
 * back to production's version first, one after another; then the riders, in dependency order.
 */
export function integrationPlans(view: TrainView): OrderedPlan[] {
  const rev = view.train.manifestRevision;
  const env = [view.integrationEnvironment];
  const undo = view.manifest.filter(
    (item) =>
      item.status !== "boarded" &&
      item.revision === rev &&
      rev > 1 &&
      view.steps.some((s) => s.kind === "integrate" && s.key.endsWith(`/integrate/${item.component}`)),
  );
  // A hotfix train runs its line's hotfix runbook first, one step after another.
  const hotfixRunbooks: OrderedPlan[] = [];
  if (view.train.kind === "hotfix") {
    for (const step of view.line.runbooks.hotfix) {
      const previous = hotfixRunbooks[hotfixRunbooks.length - 1];
      hotfixRunbooks.push({
        key: `r1/runbook/hotfix/${step.name}`,
        kind: "runbook",
        wave: "integration",
        environments: env,
        gate: step,
        stage: "runbook/hotfix",
        after: previous ? [previous.key] : [],
      });
    }
  }
  const unintegrate: OrderedPlan[] = [];
  for (const item of ordered(view, undo).reverse()) {
    const previous = unintegrate[unintegrate.length - 1];
    // A component production never ran has no version to return to: its integration is undone
    // (the deployer's rollback of the step that integrated it) instead.
    const integratedBy =
      item.previousVersion === null
        ? view.steps
            .filter((s) => s.kind === "integrate" && s.key.endsWith(`/integrate/${item.component}`))
            .sort(
              (a, b) =>
                Number(a.key.slice(1, a.key.indexOf("/"))) - Number(b.key.slice(1, b.key.indexOf("/"))),
            )
            .at(-1)?.key
        : undefined;
    unintegrate.push({
      key: `r${rev}/unintegrate/${item.component}`,
      kind: "integrate" as const,
      wave: "integration",
      environments: env,
      component: item.component,
      version: item.previousVersion,
      previousVersion: item.version,
      ...(integratedBy ? { undoStepKey: integratedBy } : {}),
      after: previous ? [previous.key] : [],
    });
  }
  const integrate = orderedPlans(
    view,
    boardedItems(view.manifest),
    (component) => `r${rev}/integrate/${component}`,
    (item) => ({
      kind: "integrate" as const,
      wave: "integration",
      environments: env,
      component: item.component,
      version: item.version,
      previousVersion: item.previousVersion,
    }),
    [...unintegrate.map((p) => p.key), ...hotfixRunbooks.map((p) => p.key)],
  );
  return [...hotfixRunbooks, ...unintegrate, ...integrate];
}

function gatePlans(
  gates: readonly GateConfig[],
  keyPrefix: string,
  stage: string,
  wave: string,
  environments: string[],
) {
  return gates.map((gate) => ({
    key: `${keyPrefix}/${gate.name}`,
    kind: "gate" as const,
    wave,
    environments,
    gate,
    stage,
  }));
}

/**
 * Rollback steps of a whole-train rollback (every wave up to the current one, newest first,
 * dependents before dependencies) or of a wave rollback (that wave only); then the line's
 * rollback runbook, step after step.
 */
export function rollbackPlans(view: TrainView): PlanBase[] {
  const plans: PlanBase[] = [];
  const waves = view.line.rollout.waves;
  const lastWave = Math.min(view.train.currentWave, waves.length - 1);
  const scope = view.train.rollbackScope;
  for (let w = lastWave; w >= 0; w--) {
    if (scope && waves[w]!.name !== scope.wave) continue;
    plans.push(...waveRollbackPlans(view, w, null));
  }
  for (const step of view.line.runbooks.rollback) {
    plans.push({
      key: `runbook/rollback/${step.name}`,
      kind: "runbook",
      wave: scope?.wave ?? "rollback",
      environments: [...new Set(plans.flatMap((p) => p.environments))],
      gate: step,
      stage: "runbook/rollback",
    });
  }
  return plans;
}

/** Rollbacks of components rolled back alone (partial rollbacks), in every wave they reached. */
export function partialRollbackPlans(view: TrainView): PlanBase[] {
  const dropped = new Set(view.manifest.filter((i) => i.status === "dropped").map((i) => i.component));
  if (dropped.size === 0) return [];
  const plans: PlanBase[] = [];
  const lastWave = Math.min(view.train.currentWave, view.line.rollout.waves.length - 1);
  for (let w = lastWave; w >= 0; w--) plans.push(...waveRollbackPlans(view, w, dropped));
  return plans;
}

const wait = (waitingFor: string, wakeAt: Instant | null = null): Decision => ({
  transition: null,
  start: [],
  wakeAt,
  waitingFor,
});

/** A stopped line holds trains before production waves. */
function lineStopped(view: TrainView): Decision | null {
  if (!view.lineStop) return null;
  return wait(
    `the line to be released: stopped by incident ${view.lineStop.id} (${view.lineStop.title}); resolve it with railyard incident resolve`,
  );
}

const go = (event: TrainEventType, reason: string | null = null, wave?: number): Decision => ({
  transition: wave === undefined ? { event, reason } : { event, reason, wave },
  start: [],
  wakeAt: null,
  waitingFor: null,
});

/** The permit for starting wave `waveIndex` now (a line without that wave is always allowed). */
function permitForWave(view: TrainView, now: number, waveIndex: number): PermitAnswer {
  const wave = view.line.rollout.waves[waveIndex];
  return wave ? view.permit(now, wave.environments) : { ok: true };
}

/** A pause by the engine for a refused permit. */
function pauseFor(answer: Exclude<PermitAnswer, { ok: true }>, now: number): PlannedTransition {
  // A permit never resumes in the past; should it, waiting a minute keeps the engine from
  // resuming and pausing the train again and again.
  const resumeAt = answer.resumesAt === null ? null : iso(Math.max(answer.resumesAt, now + 60_000));
  return { event: "pause", reason: answer.reason, cause: answer.cause, resumeAt };
}

const pause = (answer: Exclude<PermitAnswer, { ok: true }>, now: number): Decision => ({
  transition: pauseFor(answer, now),
  start: [],
  wakeAt: null,
  waitingFor: null,
});

/** The wave a paused train starts when it resumes, if it paused before starting one. */
function waveAfterPause(train: Train): number | null {
  if (train.resumeTo === "awaiting_approval") return 0;
  if (train.resumeTo === "verifying") return train.currentWave + 1;
  return null;
}

/**
 * A train the engine paused (window, blackout): resumed once the permit allows, which it asks
 * before resuming, so a refused permit never makes the train resume and pause in a loop.
 */
/** A pause by the error-budget policy, looked at again at `recheckAt`. */
const budgetPause = (status: Extract<BudgetStatus, { ok: false }>): Decision => ({
  transition: { event: "pause", reason: status.reason, cause: "budget", resumeAt: null },
  start: [],
  wakeAt: null,
  waitingFor: null,
});

/** A pause by the incident policy; the train resumes once no acting incident remains. */
const incidentPause = (incident: ActingIncident): Decision => ({
  transition: {
    event: "pause",
    reason: `incident ${incident.id} (${incident.title})`,
    cause: "incident",
    resumeAt: null,
  },
  start: [],
  wakeAt: null,
  waitingFor: null,
});

/**
 * What the train's own incident (attributed to it during its rollout) does: roll it back or
 * pause it now. Null when there is none.
 */
function ownIncident(view: TrainView): Decision | null {
  const incident = view.incident;
  if (incident?.scope !== "train") return null;
  if (incident.action === "rollback")
    return go(
      "rollback",
      `incident ${incident.id} (${incident.title}): rolling back by the line's incident policy`,
    );
  return incidentPause(incident);
}

function decidePaused(view: TrainView, now: number): Decision {
  const { train } = view;
  const cause = train.pauseCause;
  if (cause === "incident") {
    if (!view.incident) {
      const id = /^incident (\S+)/.exec(train.reason ?? "")?.[1];
      return go("resume", id ? `incident ${id} resolved` : "no open incident acts on the train");
    }
    return wait(`incident ${view.incident.id} (${view.incident.title}) to be resolved`);
  }
  if (cause === "budget") {
    if (view.budget === undefined || view.budget.ok)
      return go("resume", "error budget burn back under its limit");
    return wait(`the error budget burn to fall (${view.budget.reason})`, iso(view.budget.recheckAt));
  }
  if (cause !== "window" && cause !== "blackout") return wait(`resume: ${train.reason ?? "paused"}`);
  const waveIndex = waveAfterPause(train);
  const answer = waveIndex === null ? ({ ok: true } as const) : permitForWave(view, now, waveIndex);
  const resumeAt = train.resumeAt === null ? null : Date.parse(train.resumeAt);
  const due = resumeAt !== null && now >= resumeAt;
  if (answer.ok) {
    const reason =
      cause === "window"
        ? "window open"
        : due
          ? "blackout over"
          : "allowed through the blackout (an exception, or the blackout was lifted)";
    return go("resume", reason);
  }
  if (due) {
    return {
      transition: { event: "resume", reason: `still stopped: ${answer.reason}` },
      followedBy: pauseFor(answer, now),
      start: [],
      wakeAt: null,
      waitingFor: null,
    };
  }
  const until =
    train.resumeAt === null
      ? cause === "window"
        ? "the window to open"
        : "the blackout to end, or an exception"
      : cause === "window"
        ? `the window to open at ${train.resumeAt}`
        : `the blackout to end at ${train.resumeAt}, or an exception`;
  return wait(`${until} (${train.reason ?? cause})`, train.resumeAt);
}

function fromProgress(progress: Exclude<Progress, { done: true }>, working: string): Decision {
  return {
    transition: null,
    start: progress.start,
    wakeAt: progress.wakeAt,
    waitingFor: progress.wakeAt ? `${working} (next attempt at ${progress.wakeAt})` : null,
  };
}

/** Decides what a train does next at `now` (epoch ms). */
export function decide(view: TrainView, now: number): Decision {
  const { train, line } = view;
  switch (train.state) {
    case "scheduled":
      if (now >= Date.parse(train.cutoffAt)) return go("skip", "boarding never opened before the cut-off");
      return wait("its turn to board", train.cutoffAt);
    case "boarding":
      if (now >= Date.parse(train.cutoffAt)) return go("freeze");
      return wait(`cut-off at ${train.cutoffAt}`, train.cutoffAt);
    case "frozen":
      return go("integrate");
    case "integrating": {
      const progress = inDependencyOrder(integrationPlans(view), view, now, line.rollout.concurrency);
      return progress.done ? go("integrated") : fromProgress(progress, "integration");
    }
    case "gating": {
      const rev = train.manifestRevision;
      // Hotfix trains take the line's fast-track gates instead of its regular ones.
      const gates = train.kind === "hotfix" ? line.hotfix.gates : line.gates;
      const plans = gatePlans(gates, `r${rev}/gate/gating`, "gating", "gating", [
        view.integrationEnvironment,
      ]);
      const progress = parallel(plans, view, now);
      return progress.done ? go("gates_passed") : fromProgress(progress, "gates");
    }
    case "awaiting_approval": {
      // Judged at `now`: an approval that expires while the train waits simply stops counting.
      const tally = tallyApprovals(line, view.teams, view.approvals, {
        manifestRevision: train.manifestRevision,
        now,
        shipped: view.shipped ?? [],
      });
      if (!tally.satisfied) return wait(`approval: ${describeTally(tally)}`);
      if (now < Date.parse(train.departureAt))
        return wait(`departure at ${train.departureAt}`, train.departureAt);
      if (view.productionHeldBy && line.overlap !== "allow")
        return wait(`${view.productionHeldBy} to finish its rollout`);
      const stopped = lineStopped(view);
      if (stopped) return stopped;
      if (view.incident) return incidentPause(view.incident);
      if (view.budget && !view.budget.ok) return budgetPause(view.budget);
      const permit = permitForWave(view, now, 0);
      if (!permit.ok) return pause(permit, now);
      const approvedBy =
        tally.mode === "auto" ? "approved automatically" : `approved by ${tally.approvers.join(", ")}`;
      return go("depart", approvedBy, 0);
    }
    case "deploying": {
      const own = ownIncident(view);
      if (own) return own;
      const undoing = sequential(partialRollbackPlans(view), view, now);
      if (!undoing.done) return fromProgress(undoing, "partial rollback");
      const wave = deployWave(view, now, train.currentWave);
      switch (wave.state) {
        case "done":
          return go("wave_deployed", null, train.currentWave);
        case "working":
          return { transition: null, start: wave.start, wakeAt: wave.wakeAt, waitingFor: wave.waitingFor };
        case "awaiting": {
          const name = line.rollout.waves[train.currentWave]?.name ?? String(train.currentWave);
          return {
            transition: null,
            start: [],
            wakeAt: wave.wakeAt,
            waitingFor: wave.waitingFor,
            awaiting: { wave: name, step: wave.step, kind: wave.kind },
          };
        }
        default: {
          const unreachable: never = wave;
          throw new Error(`unknown wave progress ${JSON.stringify(unreachable)}`);
        }
      }
    }
    case "verifying": {
      const wave = line.rollout.waves[train.currentWave];
      const own = ownIncident(view);
      if (own) return own;
      if (!wave) return go("release", "no waves left");
      const undoing = sequential(partialRollbackPlans(view), view, now);
      if (!undoing.done) return fromProgress(undoing, "partial rollback");
      const deployedAt = train.waveDeployedAt ? Date.parse(train.waveDeployedAt) : now;
      const bakeUntil = deployedAt + parseDuration(wave.bake);
      if (now < bakeUntil)
        return wait(
          `bake time of wave ${wave.name} (${formatDuration(parseDuration(wave.bake))})`,
          iso(bakeUntil),
        );
      const plans = gatePlans(
        wave.verify,
        `gate/verify/${wave.name}`,
        `verify/${wave.name}`,
        wave.name,
        wave.environments,
      );
      const progress = parallel(plans, view, now);
      if (!progress.done) return fromProgress(progress, "verification");
      let verifiedAt = Math.max(
        bakeUntil,
        ...view.steps
          .filter((s) => s.key.startsWith(`gate/verify/${wave.name}/`) && s.finishedAt)
          .map((s) => Date.parse(s.finishedAt!)),
      );
      if (wave.strategy.type === "blueGreen") {
        // Blue keeps running for the rollback window after the switch, then it is retired.
        const windowEnds =
          (switchedAt(view, train.currentWave) ?? now) + parseDuration(wave.strategy.rollbackWindow);
        if (now < windowEnds)
          return wait(
            `blue's rollback window in wave ${wave.name} (until ${iso(windowEnds)})`,
            iso(windowEnds),
          );
        const retiring = inDependencyOrder(
          retirePlans(view, train.currentWave),
          view,
          now,
          line.rollout.concurrency,
        );
        if (!retiring.done) return fromProgress(retiring, "retiring blue");
        verifiedAt = Math.max(verifiedAt, windowEnds);
      }
      const last = train.currentWave >= line.rollout.waves.length - 1;
      if (last) return go("release", null, train.currentWave);
      const staggerMs = parseDuration(wave.stagger);
      if (staggerMs > 0 && now < verifiedAt + staggerMs) {
        return wait(
          `the stagger after wave ${wave.name} (${formatDuration(staggerMs)}, until ${iso(verifiedAt + staggerMs)})`,
          iso(verifiedAt + staggerMs),
        );
      }
      const stopped = lineStopped(view);
      if (stopped) return stopped;
      if (view.incident) return incidentPause(view.incident);
      if (view.budget && !view.budget.ok) return budgetPause(view.budget);
      const permit = permitForWave(view, now, train.currentWave + 1);
      if (!permit.ok) return pause(permit, now);
      return go("next_wave", null, train.currentWave + 1);
    }
    case "rolling_back": {
      // Deployments still running side by side finish first: undoing one mid-flight could let
      // it land after its rollback.
      const inFlight = view.steps.filter(
        (s) => s.kind === "deploy" && s.status === "running" && view.inFlight.has(s.id),
      );
      if (inFlight.length > 0) {
        return wait(`${inFlight.map((s) => s.key).join(", ")} to finish before rolling back`);
      }
      const progress = sequential(rollbackPlans(view), view, now);
      if (!progress.done) return fromProgress(progress, "rollback");
      return train.rollbackScope
        ? go("wave_rolled_back", `wave ${train.rollbackScope.wave} rolled back: ${train.reason ?? ""}`.trim())
        : go("rolled_back", train.reason);
    }
    case "blocked":
    case "paused": {
      // A component rolled back alone is undone even while the train waits for a person.
      if (train.resumeTo === "deploying" || train.resumeTo === "verifying") {
        const undoing = sequential(partialRollbackPlans(view), view, now);
        if (!undoing.done) return fromProgress(undoing, "partial rollback");
      }
      if (train.state === "paused") return decidePaused(view, now);
      return wait(`a person: ${train.reason ?? "blocked"} — retry, drop a component or roll back`);
    }
    case "released":
    case "rolled_back":
    case "aborted":
    case "skipped":
      return { transition: null, start: [], wakeAt: null, waitingFor: null };
    default: {
      const unreachable: never = train.state;
      throw new Error(`unknown train state ${String(unreachable)}`);
    }
  }
}

/** What a failed step causes (see {@link failureTransition}). */
export interface FailureTransition {
  event: TrainEventType;
  reason: string;
  /** For pauses: an inconclusive canary analysis waits for a person. */
  cause?: "analysis";
  /** A rollback failed `rollback.maxAttempts` times: open an incident that stops the line. */
  incident?: { title: string };
}

/**
 * The transition a failed step causes, if any: the stage it belongs to fails (blocked), or the
 * line's automatic rollback policy starts a rollback; the last analysis of a canary step that
 * is inconclusive pauses the train for a person; a rollback that failed `rollback.maxAttempts`
 * times blocks the train and opens an incident that stops the line. A step of a stage the train
 * has already left causes nothing.
 */
export function failureTransition(
  status: TrainStatus & { currentWave: number; manifestRevision: number },
  step: Pick<StepPlan, "key" | "kind"> & { attempt?: number; analysis?: StepPlan["analysis"] },
  line: LineConfig,
  summary: string,
  verdict?: GateVerdict,
): FailureTransition | null {
  const wave = line.rollout.waves[status.currentWave];
  const rev = `r${status.manifestRevision}/`;
  const undoing =
    step.kind === "rollback" || (step.kind === "runbook" && step.key.startsWith("runbook/rollback/"));
  if (undoing) {
    const attempt = step.attempt ?? 1;
    const inProduction = ["deploying", "verifying", "rolling_back"].includes(status.state);
    if (!inProduction || attempt % line.rollback.maxAttempts !== 0) return null;
    const what = step.kind === "rollback" ? "rollback" : "rollback runbook step";
    return {
      event: "fail",
      reason: `${what} failed ${attempt} times: ${summary}; the line is stopped until the incident is resolved`,
      incident: { title: `${what} ${step.key} failed ${attempt} times` },
    };
  }
  switch (status.state) {
    case "integrating":
      return (step.kind === "integrate" || step.kind === "runbook") && step.key.startsWith(rev)
        ? { event: "fail", reason: summary }
        : null;
    case "gating":
      return step.key.startsWith(`${rev}gate/gating/`) ? { event: "fail", reason: summary } : null;
    case "deploying":
    case "verifying": {
      if (!wave) return null;
      const ours =
        (status.state === "deploying" &&
          (step.key.startsWith(`deploy/${wave.name}/`) || step.key.startsWith(`analysis/${wave.name}/`))) ||
        (status.state === "verifying" &&
          (step.key.startsWith(`gate/verify/${wave.name}/`) || step.key.startsWith(`deploy/${wave.name}/`)));
      if (!ours) return null;
      const last = !step.analysis || step.analysis.index >= step.analysis.of;
      if (step.key.startsWith("analysis/") && verdict === "inconclusive" && last) {
        return {
          event: "pause",
          reason: `${summary}; a person decides: promote to accept it, resume to analyse again, or roll back`,
          cause: "analysis",
        };
      }
      return line.rollback.policy === "automatic"
        ? { event: "rollback", reason: `${summary}; rolling back automatically` }
        : { event: "fail", reason: summary };
    }
    default:
      return null;
  }
}
