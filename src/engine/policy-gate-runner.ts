/**
 * The `policy` gate, judged by the engine: its CEL expression (`src/domain/policy/`) evaluated
 * over the train as the store records it — the line, the boarded manifest with each artifact's
 * commit, CI status, reports, SBOM and findings (summarised as the `security` gate does, after
 * VEX statements and waivers), the gate results of the current manifest revision, the time and
 * whether the deployment window is open. Other gate types go to the runner it wraps.
 */
import { foldCiStatus } from "../domain/ci-status.js";
import type { PolicyGateConfig } from "../domain/config/schema.js";
import type { ManifestFacts, RecordedGate } from "../domain/policy/assemble.js";
import { assemblePolicyContext } from "../domain/policy/assemble.js";
import { formatPolicyOutput } from "../domain/policy/evidence.js";
import {
  type CompiledPolicy,
  compilePolicy,
  evaluatePolicy,
  PolicyCompileError,
} from "../domain/policy/policy.js";
import { permitOf } from "../domain/reconcile.js";
import { evaluateSecurityGate } from "../domain/security/gate.js";
import { ciStatusesOf } from "./boarding-plan.js";
import type { GateContext, GateOutcome, GateRunner, StoreReader } from "./ports.js";
import type { RuntimeConfig } from "./runtime-config.js";
import { scannedArtifacts } from "./security-gate-runner.js";

type Reader = Pick<
  StoreReader,
  | "getTrain"
  | "getManifest"
  | "getArtifact"
  | "listCiStatuses"
  | "listArtifactReports"
  | "getReportContent"
  | "listWaivers"
  | "listGateResults"
  | "listSteps"
  | "listExceptions"
>;

/** What the policy gate needs besides the store. */
export interface PolicyGateDeps {
  /** The engine's clock: `now` of the expression, and whether waivers have expired. */
  now: () => Date;
  /** The configuration in force (the line, its components, window and blackouts). */
  config: () => RuntimeConfig;
}

/** The wave a train deploys after a gate of `stage`: the first after the line's gates. */
function nextWave(stage: string, waves: ReadonlyArray<{ name: string }>): number {
  if (stage === "gating") return 0;
  const current = waves.findIndex((w) => `verify/${w.name}` === stage);
  return current === -1 ? waves.length : current + 1;
}

/**
 * Gathers the facts about a train a policy reads. Returns a reason instead when the train cannot
 * be judged (unknown train or line, a stored report that no longer parses).
 */
async function gatherContext(
  store: Reader,
  deps: PolicyGateDeps,
  context: GateContext,
  gate: PolicyGateConfig,
) {
  const train = await store.getTrain(context.trainId);
  if (!train) return { problem: `no train ${context.trainId}` } as const;
  const config = deps.config();
  if (!config.hasLine(train.line)) return { problem: `line ${train.line} is no longer configured` } as const;
  const line = config.line(train.line);
  const now = deps.now().getTime();
  const items = (await store.getManifest(train.id)).filter((i) => i.status === "boarded");
  const [scanned, reports, waivers, results, steps, exceptions] = await Promise.all([
    scannedArtifacts(store, items),
    store.listArtifactReports(items.map((i) => i.artifactId)),
    store.listWaivers(),
    store.listGateResults(train.id),
    store.listSteps(train.id),
    store.listExceptions(train.id),
  ]);
  if (scanned.problems.length > 0) {
    return { problem: `a report could not be read: ${scanned.problems.join("; ")}` } as const;
  }
  const manifest: ManifestFacts[] = [];
  for (const [index, item] of items.entries()) {
    const artifact = await store.getArtifact(item.artifactId);
    const component = config.config.components[item.component];
    const statuses = artifact ? await ciStatusesOf(artifact, component?.repository, store) : [];
    manifest.push({
      item,
      team: component?.team ?? "",
      migration: config.kindOf(item.component) === "migration",
      commit: artifact?.commit ?? "",
      ci: foldCiStatus(statuses).state,
      reports: reports.filter((r) => r.artifactId === item.artifactId).map((r) => r.kind),
      // scannedArtifacts keeps the order of the items.
      sbom: scanned.artifacts[index]?.hasSbom ?? false,
    });
  }
  // The security rule with no limits: only which findings count after VEX and waivers matters.
  const { counted } = evaluateSecurityGate(
    { max: {}, onlyFixable: false, requireSbom: false },
    scanned.artifacts,
    waivers,
    now,
  );
  const stepKeys = new Map(steps.map((s) => [s.id, s.key]));
  const gates: RecordedGate[] = results.flatMap((result) => {
    const key = stepKeys.get(result.id);
    return key === undefined ? [] : [{ result, key }];
  });
  const wave = line.rollout.waves[nextWave(context.stage, line.rollout.waves)];
  // The permit the reconciler asks before starting that wave; after the last wave, the line's.
  const permit = permitOf(
    config.deploymentRules(train.line),
    train,
    exceptions,
  )(now, wave?.environments ?? []);
  return {
    context: assemblePolicyContext({
      train,
      line,
      manifest,
      findings: counted,
      gates,
      evaluating: { stage: context.stage, gate: gate.name },
      now,
      permit: permit.ok ? { ok: true } : { ok: false, reason: permit.reason },
    }),
  } as const;
}

/**
 * Wraps `inner` so that `policy` gates are judged from the store: `true` passes, `false` fails,
 * and an expression that cannot be decided (a runtime error such as a missing map key, a result
 * that is not a bool) is the `error` verdict. The output's first line is the gate's `message`
 * (or `policy "<expression>" is false`) and the verdict; then the expression, the values of the
 * context it read, and the manifest.
 */
export function withPolicyGates(inner: GateRunner, store: Reader, deps: PolicyGateDeps): GateRunner {
  // Expressions are checked when the configuration loads; compiling once per text saves the work.
  const compiled = new Map<string, CompiledPolicy | PolicyCompileError>();
  return {
    async run(gate, context): Promise<GateOutcome> {
      if (gate.type !== "policy") return inner.run(gate, context);
      const started = performance.now();
      const durationMs = () => Math.round(performance.now() - started);
      const error = (output: string): GateOutcome => ({
        status: "failed",
        verdict: "error",
        output,
        durationMs: durationMs(),
      });
      let program = compiled.get(gate.expression);
      if (program === undefined) {
        program = compilePolicy(gate.expression);
        compiled.set(gate.expression, program);
      }
      if (program instanceof PolicyCompileError) {
        return error(`policy "${gate.expression}" does not compile: ${program.message}`);
      }
      const gathered = await gatherContext(store, deps, context, gate);
      if ("problem" in gathered)
        return error(`policy "${gate.expression}" cannot be judged: ${gathered.problem}`);
      const evaluation = evaluatePolicy(program, gathered.context);
      return {
        status: evaluation.verdict === "pass" ? "passed" : "failed",
        verdict: evaluation.verdict,
        output: formatPolicyOutput({
          expression: gate.expression,
          message: gate.message,
          evaluation,
          context: gathered.context,
          reads: program.reads,
        }),
        durationMs: durationMs(),
      };
    },
  };
}
