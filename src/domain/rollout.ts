/**
 * A wave's progressive rollout as a pure function of what is recorded (see docs/design/rollout.md):
 * which steps a wave's strategy runs (canary weights, analyses, pauses, approvals; blue-green
 * preview, pre-promotion gates, switch and retirement; all at once), in batches of `maxParallel`
 * targets, and what the wave waits for.
 *
 * Step keys (the component is always the third segment, so keys parse without ambiguity):
 *  - `deploy/<wave>/<component>[/<phase>][/b<k>]` — phase `s<i>` (canary step i, 1-based),
 *    `preview`, `promote` or `retire` (blue-green); `b<k>` the k-th batch of targets
 *  - `analysis/<wave>/s<i>/<k>` — the k-th analysis of canary step i
 *  - `analysis/<wave>/pre/<gate>` — a blue-green pre-promotion gate
 *  - `rollback/<wave>/<component>` — undoes every deploy step of the component in the wave
 *
 * A deploy or analysis step that succeeded is done unless a rollback of its wave succeeded after
 * it (a wave rolled back and retried deploys again); a rollback is done unless its wave was
 * deployed again after it.
 */
import type { CanaryStepConfig, GateConfig, WaveConfig } from "./config/schema.js";
import { formatDuration, parseDuration } from "./duration.js";
import type { Instant, ManifestItem, RolloutMark, Step } from "./model.js";
import {
  boardedItems,
  deploymentOrder,
  inDependencyOrder,
  latestAttempts,
  nextAttempt,
  type OrderedPlan,
  type PlanBase,
  parallel,
  type StepPlan,
  type TrainView,
} from "./reconcile.js";

const iso = (ms: number): Instant => new Date(ms).toISOString();

/** A canary step after normalisation: a last `setWeight: 100` is added when missing. */
export type NormalizedCanaryStep =
  | { kind: "setWeight"; weight: number }
  | { kind: "pause"; durationMs: number | null }
  | { kind: "analysis"; gate: string; count: number; intervalMs: number }
  | { kind: "approval"; team: string; required: number };

/** The canary's steps in order, with a final full promotion when the last weight is below 100. */
export function canarySteps(steps: readonly CanaryStepConfig[]): NormalizedCanaryStep[] {
  const out: NormalizedCanaryStep[] = steps.map((step): NormalizedCanaryStep => {
    if ("setWeight" in step) return { kind: "setWeight", weight: step.setWeight };
    if ("pause" in step) {
      const duration = typeof step.pause === "string" ? step.pause : step.pause.duration;
      return { kind: "pause", durationMs: duration === undefined ? null : parseDuration(duration) };
    }
    if ("analysis" in step)
      return {
        kind: "analysis",
        gate: step.analysis.gate,
        count: step.analysis.count,
        intervalMs: parseDuration(step.analysis.interval),
      };
    return { kind: "approval", team: step.approval.team, required: step.approval.required };
  });
  const lastWeight = [...out].reverse().find((s) => s.kind === "setWeight");
  if (lastWeight?.kind !== "setWeight" || lastWeight.weight < 100)
    out.push({ kind: "setWeight", weight: 100 });
  return out;
}

/** The wave's targets in batches of `maxParallel`, in order. */
export function targetBatches(wave: Pick<WaveConfig, "environments" | "maxParallel">): string[][] {
  const size = wave.maxParallel ?? wave.environments.length;
  const batches: string[][] = [];
  for (let i = 0; i < wave.environments.length; i += size) batches.push(wave.environments.slice(i, i + size));
  return batches;
}

/** Key of one deploy step (see the module comment). */
export function deployKey(
  wave: string,
  component: string,
  phase: string | null,
  batch: number | null,
): string {
  return `deploy/${wave}/${component}${phase ? `/${phase}` : ""}${batch === null ? "" : `/b${batch}`}`;
}

/** The parts of a step key: its kind prefix, wave and (for deploy and rollback steps) component. */
export function parseStepKey(key: string): { prefix: string; wave: string; component: string | null } {
  const [prefix = "", wave = "", third = null] = key.split("/");
  return { prefix, wave, component: prefix === "deploy" || prefix === "rollback" ? third : null };
}

/**
 * The latest succeeded rollback of each component of a wave (`<wave>/<component>`). Steps are
 * listed in the order they started, which orders them even when the simulated clock gives them
 * one instant.
 */
function rollbacksDone(steps: readonly Step[]): Map<string, Step> {
  const done = new Map<string, Step>();
  for (const step of steps) {
    if (step.kind !== "rollback" || step.status !== "succeeded") continue;
    const { wave, component } = parseStepKey(step.key);
    done.set(`${wave}/${component}`, step);
  }
  return done;
}

/** The latest rollback that undid the wave for components still riding (a wave rollback), if any. */
export function waveUndoneBy(view: Pick<TrainView, "steps" | "manifest">, wave: string): Step | null {
  const riding = new Set(boardedItems(view.manifest).map((i) => i.component));
  const position = new Map(view.steps.map((step, i) => [step.id, i]));
  let latest: Step | null = null;
  for (const [key, step] of rollbacksDone(view.steps)) {
    const [w, c] = key.split("/");
    if (w !== wave || c === undefined || !riding.has(c)) continue;
    if (latest === null || position.get(step.id)! > position.get(latest.id)!) latest = step;
  }
  return latest;
}

/** Deploy plans of `items` for one phase of a wave, batch after batch, dependencies first. */
function phasePlans(
  view: TrainView,
  wave: WaveConfig,
  items: readonly ManifestItem[],
  phase: string | null,
  request: Pick<StepPlan, "weight" | "phase" | "strategy">,
): OrderedPlan[] {
  const batches = targetBatches(wave);
  const batchNumber = (k: number) => (batches.length > 1 ? k + 1 : null);
  const lastKey = (c: string) => deployKey(wave.name, c, phase, batchNumber(batches.length - 1));
  const undone = rollbacksDone(view.steps);
  const { order, waitsFor } = deploymentOrder(view, items);
  const plans: OrderedPlan[] = [];
  for (const item of order) {
    const redoAfter = undone.get(`${wave.name}/${item.component}`)?.id;
    batches.forEach((environments, k) => {
      const key = deployKey(wave.name, item.component, phase, batchNumber(k));
      const after =
        k === 0
          ? (waitsFor.get(item.component) ?? []).map(lastKey)
          : [deployKey(wave.name, item.component, phase, batchNumber(k - 1))];
      plans.push({
        key,
        kind: "deploy",
        wave: wave.name,
        environments,
        component: item.component,
        version: item.version,
        previousVersion: item.previousVersion,
        ...request,
        ...(redoAfter ? { redoAfter } : {}),
        after,
      });
    });
  }
  return plans;
}

/** When the latest attempts of `keys` all succeeded: the last finish; else null. */
function completedAt(steps: readonly Step[], keys: readonly string[]): number | null {
  const latest = latestAttempts(steps);
  let at = 0;
  for (const key of keys) {
    const step = latest.get(key);
    if (step?.status !== "succeeded" || !step.finishedAt) return null;
    at = Math.max(at, Date.parse(step.finishedAt));
  }
  return at;
}

/** What a wave in `deploying` does next. */
export type WaveDeploy =
  | { state: "done" }
  | { state: "working"; start: StepPlan[]; wakeAt: Instant | null; waitingFor: string | null }
  | {
      state: "awaiting";
      /** The step a person must promote or approve. */
      step: string;
      kind: "promote" | "approval";
      waitingFor: string;
      wakeAt: Instant | null;
    };

function marksFor(
  view: TrainView,
  wave: string,
  step: string,
  since: Instant | null,
): readonly RolloutMark[] {
  return (view.marks ?? []).filter(
    (m) => m.wave === wave && m.step === step && (since === null || m.at >= since),
  );
}

/** The gate named by an analysis or pre-promotion step (validated with the configuration). */
function waveGate(wave: WaveConfig, name: string): GateConfig {
  const gate = wave.gates.find((g) => g.name === name) ?? wave.verify.find((g) => g.name === name);
  if (!gate) throw new Error(`wave ${wave.name} has no gate named ${name}`);
  return gate;
}

function progressOf(
  plans: readonly OrderedPlan[],
  view: TrainView,
  now: number,
  concurrency: number,
  working: string,
): WaveDeploy | null {
  const progress = inDependencyOrder(plans, view, now, concurrency);
  if (progress.done) return null;
  return {
    state: "working",
    start: progress.start,
    wakeAt: progress.wakeAt,
    waitingFor: progress.wakeAt ? `${working} (next attempt at ${progress.wakeAt})` : null,
  };
}

/** Decides the deploying stage of wave `waveIndex`. */
export function deployWave(view: TrainView, now: number, waveIndex: number): WaveDeploy {
  const wave = view.line.rollout.waves[waveIndex];
  if (!wave) return { state: "done" };
  const items = boardedItems(view.manifest);
  const concurrency = view.line.rollout.concurrency;
  const strategy = wave.strategy;
  const undoneBy = waveUndoneBy(view, wave.name);
  const redo = undoneBy?.id ?? null;
  const redoAt = undoneBy?.finishedAt ?? null;
  switch (strategy.type) {
    case "allAtOnce": {
      const plans = phasePlans(view, wave, items, null, { strategy: "allAtOnce" });
      return progressOf(plans, view, now, concurrency, "deployment") ?? { state: "done" };
    }
    case "canary":
      return canaryWave(view, now, wave, canarySteps(strategy.steps), redo, redoAt);
    case "blueGreen": {
      const preview = phasePlans(view, wave, items, "preview", {
        weight: 0,
        phase: "preview",
        strategy: "blueGreen",
      });
      const previewing = progressOf(preview, view, now, concurrency, "green deployment");
      if (previewing) return previewing;
      const pre = strategy.prePromotion.map((name) => ({
        key: `analysis/${wave.name}/pre/${name}`,
        kind: "gate" as const,
        wave: wave.name,
        environments: wave.environments,
        gate: waveGate(wave, name),
        stage: `analysis/${wave.name}`,
        ...(redo ? { redoAfter: redo } : {}),
      }));
      const gating = parallel(pre, view, now);
      if (!gating.done)
        return { state: "working", start: gating.start, wakeAt: gating.wakeAt, waitingFor: null };
      const promoted = marksFor(view, wave.name, "promote", redoAt).some((m) => m.kind === "promote");
      if (!strategy.autoPromote && !promoted) {
        return {
          state: "awaiting",
          step: "promote",
          kind: "promote",
          waitingFor: `a person to switch traffic to green in wave ${wave.name} (railyard promote)`,
          wakeAt: null,
        };
      }
      const promote = phasePlans(view, wave, items, "promote", {
        weight: 100,
        phase: "promote",
        strategy: "blueGreen",
      });
      return progressOf(promote, view, now, concurrency, "traffic switch") ?? { state: "done" };
    }
    default: {
      const unreachable: never = strategy;
      throw new Error(`unknown strategy ${JSON.stringify(unreachable)}`);
    }
  }
}

function canaryWave(
  view: TrainView,
  now: number,
  wave: WaveConfig,
  steps: readonly NormalizedCanaryStep[],
  redo: string | null,
  redoAt: Instant | null,
): WaveDeploy {
  const items = boardedItems(view.manifest);
  const concurrency = view.line.rollout.concurrency;
  const waveStart = Math.max(
    Date.parse(view.train.updatedAt),
    redoAt ? Date.parse(redoAt) : Number.NEGATIVE_INFINITY,
  );
  // When the previous step completed: where pauses and analysis intervals count from.
  let previousDone = waveStart;
  const latest = latestAttempts(view.steps);
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index]!;
    const label = `s${index + 1}`;
    const promotedAt = marksFor(view, wave.name, String(index + 1), redoAt).find(
      (m) => m.kind === "promote",
    )?.at;
    switch (step.kind) {
      case "setWeight": {
        const phase = step.weight >= 100 ? "promote" : "canary";
        const plans = phasePlans(view, wave, items, label, {
          weight: step.weight,
          phase,
          strategy: "canary",
        });
        const working = progressOf(plans, view, now, concurrency, `canary at ${step.weight}%`);
        if (working) return working;
        previousDone = Math.max(
          previousDone,
          completedAt(
            view.steps,
            plans.map((p) => p.key),
          ) ?? previousDone,
        );
        break;
      }
      case "pause": {
        if (promotedAt) {
          previousDone = Math.max(previousDone, Date.parse(promotedAt));
          break;
        }
        if (step.durationMs === null) {
          return {
            state: "awaiting",
            step: String(index + 1),
            kind: "promote",
            waitingFor: `a person to promote wave ${wave.name} past step ${index + 1} (paused; railyard promote)`,
            wakeAt: null,
          };
        }
        const until = previousDone + step.durationMs;
        if (now < until) {
          return {
            state: "working",
            start: [],
            wakeAt: iso(until),
            waitingFor: `step ${index + 1} of wave ${wave.name}: pause of ${formatDuration(step.durationMs)} (until ${iso(until)}, or a promote)`,
          };
        }
        previousDone = until;
        break;
      }
      case "analysis": {
        if (promotedAt) {
          previousDone = Math.max(previousDone, Date.parse(promotedAt));
          break;
        }
        const gate = waveGate(wave, step.gate);
        for (let k = 1; k <= step.count; k++) {
          const key = `analysis/${wave.name}/${label}/${k}`;
          const plan: PlanBase = {
            key,
            kind: "gate",
            wave: wave.name,
            environments: wave.environments,
            gate,
            stage: `analysis/${wave.name}`,
            analysis: { index: k, of: step.count },
            ...(redo ? { redoAfter: redo } : {}),
          };
          const seen = latest.get(key);
          const next = nextAttempt(plan, seen, view, now);
          if (next.state === "done") {
            previousDone = Math.max(previousDone, Date.parse(seen!.finishedAt!));
            continue;
          }
          if (next.state === "busy") return { state: "working", start: [], wakeAt: null, waitingFor: null };
          if (next.state === "later")
            return { state: "working", start: [], wakeAt: iso(next.at), waitingFor: null };
          const due = previousDone + step.intervalMs;
          if (!next.plan.resume && next.plan.attempt === 1 && now < due) {
            return {
              state: "working",
              start: [],
              wakeAt: iso(due),
              waitingFor: `analysis ${k} of ${step.count} (${gate.name}) of wave ${wave.name} at ${iso(due)}`,
            };
          }
          return { state: "working", start: [next.plan], wakeAt: null, waitingFor: null };
        }
        break;
      }
      case "approval": {
        const team = new Set((view.teams[step.team]?.members ?? []).map((m) => m.name));
        const approvers = [
          ...new Set(
            marksFor(view, wave.name, String(index + 1), redoAt)
              .filter((m) => m.kind === "approve" && team.has(m.actor))
              .map((m) => m.actor),
          ),
        ];
        if (approvers.length < step.required) {
          const who = approvers.length > 0 ? ` (${approvers.join(", ")})` : "";
          return {
            state: "awaiting",
            step: String(index + 1),
            kind: "approval",
            waitingFor: `approval of step ${index + 1} of wave ${wave.name} by team ${step.team}: ${approvers.length} of ${step.required}${who}`,
            wakeAt: null,
          };
        }
        const at = marksFor(view, wave.name, String(index + 1), redoAt)
          .filter((m) => m.kind === "approve" && approvers.includes(m.actor))
          .map((m) => Date.parse(m.at));
        previousDone = Math.max(previousDone, ...at);
        break;
      }
      default: {
        const unreachable: never = step;
        throw new Error(`unknown canary step ${JSON.stringify(unreachable)}`);
      }
    }
  }
  return { state: "done" };
}

/** Blue-green: the steps that retire blue once the wave's rollback window has passed. */
export function retirePlans(view: TrainView, waveIndex: number): OrderedPlan[] {
  const wave = view.line.rollout.waves[waveIndex];
  if (wave?.strategy.type !== "blueGreen") return [];
  return phasePlans(view, wave, boardedItems(view.manifest), "retire", {
    weight: 100,
    phase: "retire",
    strategy: "blueGreen",
  });
}

/** When blue-green's switch finished in a wave (the rollback window counts from it). */
export function switchedAt(view: TrainView, waveIndex: number): number | null {
  const wave = view.line.rollout.waves[waveIndex];
  if (!wave) return null;
  const keys = view.steps.filter(
    (s) => s.key.startsWith(`deploy/${wave.name}/`) && /\/promote(\/b\d+)?$/.test(s.key),
  );
  return completedAt(view.steps, [...new Set(keys.map((s) => s.key))]);
}

/** Rollback step plans of one wave: every component that has a deploy step there, dependents first. */
export function waveRollbackPlans(
  view: TrainView,
  waveIndex: number,
  components: ReadonlySet<string> | null,
): PlanBase[] {
  const wave = view.line.rollout.waves[waveIndex];
  if (!wave) return [];
  const items = view.manifest.filter((i) => components === null || components.has(i.component));
  const plans: PlanBase[] = [];
  // Per component: its deploy step keys in the wave and its latest deploy step (by start order).
  const deployed = new Map<string, { keys: Set<string>; latest: string }>();
  for (const step of view.steps) {
    const { prefix, wave: w, component } = parseStepKey(step.key);
    if (prefix !== "deploy" || w !== wave.name || component === null) continue;
    const entry = deployed.get(component) ?? { keys: new Set<string>(), latest: step.id };
    entry.keys.add(step.key);
    entry.latest = step.id;
    deployed.set(component, entry);
  }
  for (const item of deploymentOrder(view, items).order.reverse()) {
    const entry = deployed.get(item.component);
    if (!entry) continue;
    const keys = [...entry.keys].sort();
    const batches = targetBatches(wave);
    const reached = batches.filter((_, k) =>
      keys.some((key) => batches.length === 1 || key.endsWith(`/b${k + 1}`)),
    );
    plans.push({
      key: `rollback/${wave.name}/${item.component}`,
      kind: "rollback",
      wave: wave.name,
      environments: reached.flat(),
      component: item.component,
      version: item.previousVersion,
      previousVersion: item.version,
      undoStepKey: keys[0]!,
      undoStepKeys: keys,
      strategy: wave.strategy.type,
      redoAfter: entry.latest,
    });
  }
  return plans;
}

/**
 * Components that need `component`'s new version and would be left without it: riding components
 * deployed in production whose recorded constraints on `component` the previous version does
 * not satisfy. `satisfies(version, range)` is semver's.
 */
export function dependentsNeeding(
  manifest: readonly ManifestItem[],
  component: string,
  satisfies: (version: string, range: string) => boolean,
): Array<{ component: string; range: string }> {
  const target = manifest.find((i) => i.component === component);
  if (!target) return [];
  const previous = target.previousVersion;
  const out: Array<{ component: string; range: string }> = [];
  for (const item of boardedItems(manifest)) {
    if (item.component === component) continue;
    const needs = item.dependsOn.find((d) => d.component === component);
    if (!needs) continue;
    if (previous === null || !satisfies(previous, needs.version))
      out.push({ component: item.component, range: needs.version });
  }
  return out;
}
