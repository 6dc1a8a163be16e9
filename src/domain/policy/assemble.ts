/**
 * Puts a {@link PolicyContext} together from what the engine read: the train, its line's
 * configuration, the boarded manifest items with their artifacts' facts, the findings the
 * security rule counted, the recorded gate results and the deployment permit. Pure.
 */
import { approvalGroups } from "../approval.js";
import type { LineConfig } from "../config/schema.js";
import { parseDuration } from "../duration.js";
import type { GateResult, ManifestItem, ReportKind, Train } from "../model.js";
import type { GateFinding } from "../security/gate.js";
import { versionChange } from "../version-change.js";
import {
  POLICY_SEVERITIES,
  type PolicyCiState,
  type PolicyContext,
  type PolicyGateResult,
  type PolicyLine,
  type PolicySeverityCounts,
} from "./context.js";

export { versionChange } from "../version-change.js";

/** A boarded manifest item with the facts about its artifact. */
export interface ManifestFacts {
  item: ManifestItem;
  /** The owning team (from the configuration). */
  team: string;
  migration: boolean;
  commit: string;
  ci: PolicyCiState;
  /** Kinds of the artifact's reports, repeats allowed. */
  reports: readonly ReportKind[];
  /** Whether one of its reports is an SBOM. */
  sbom: boolean;
}

/** A recorded gate result with the key of the step that produced it. */
export interface RecordedGate {
  result: GateResult;
  /** The step's key: `r<revision>/gate/gating/<gate>` or `gate/verify/<wave>/<gate>`. */
  key: string;
}

/** Everything {@link assemblePolicyContext} needs. */
export interface PolicyFacts {
  train: Train;
  line: LineConfig;
  /** Boarded items only, in manifest order. */
  manifest: readonly ManifestFacts[];
  /** Findings counted after VEX statements and waivers (the security rule's `counted`). */
  findings: readonly GateFinding[];
  /** The train's gate results, in the order they were recorded. */
  gates: readonly RecordedGate[];
  /** The gate being evaluated, left out of `gates`. */
  evaluating: { stage: string; gate: string };
  /** Epoch milliseconds. */
  now: number;
  /** Whether a deployment could start now, and why not. */
  permit: { ok: true } | { ok: false; reason: string };
}

function lineOf(train: Train, line: LineConfig): PolicyLine {
  const approval = line.approval;
  return {
    name: train.line,
    components: [...line.components],
    approval:
      approval.mode === "manual"
        ? {
            mode: "manual",
            // With several groups: the first group's team, and the seats of all of them.
            team: approvalGroups(approval)[0]?.team ?? "",
            required: approvalGroups(approval).reduce((sum, g) => sum + g.required, 0),
          }
        : { mode: "auto", team: "", required: 0 },
    waves: line.rollout.waves.map((wave) => ({
      name: wave.name,
      environments: [...wave.environments],
      bake: parseDuration(wave.bake),
    })),
  };
}

function counts(findings: readonly GateFinding[], component: string): PolicySeverityCounts {
  const result = Object.fromEntries(POLICY_SEVERITIES.map((s) => [s, 0])) as PolicySeverityCounts;
  for (const finding of findings) if (finding.component === component) result[finding.severity]++;
  return result;
}

/**
 * The latest result of each gate of the current manifest revision: the line's gates of revision
 * `r<revision>` by name, a wave's verification gates by `verify/<wave>/<gate>`.
 */
function gatesOf(facts: PolicyFacts): Record<string, PolicyGateResult> {
  const gating = `r${facts.train.manifestRevision}/gate/gating/`;
  const gates: Record<string, PolicyGateResult> = {};
  for (const { result, key } of facts.gates) {
    if (result.stage === facts.evaluating.stage && result.gate === facts.evaluating.gate) continue;
    const name = key.startsWith(gating)
      ? result.gate
      : key.startsWith("gate/verify/")
        ? `${result.stage}/${result.gate}`
        : null;
    if (name === null) continue;
    const { type, stage, verdict, attempt } = result;
    const kept = gates[name];
    if (kept === undefined || attempt >= kept.attempt) gates[name] = { type, stage, verdict, attempt };
  }
  return gates;
}

/** The context a policy expression reads, from the facts the engine gathered. */
export function assemblePolicyContext(facts: PolicyFacts): PolicyContext {
  const { train } = facts;
  return {
    line: lineOf(train, facts.line),
    train: {
      id: train.id,
      number: train.number,
      kind: train.kind,
      state: train.state,
      revision: train.manifestRevision,
      cutoffAt: train.cutoffAt,
      departureAt: train.departureAt,
    },
    manifest: facts.manifest.map((m) => ({
      component: m.item.component,
      team: m.team,
      version: m.item.version,
      previousVersion: m.item.previousVersion ?? "",
      change: versionChange(m.item.previousVersion, m.item.version),
      commit: m.commit,
      ci: m.ci,
      reports: [...new Set(m.reports)].sort(),
      sbom: m.sbom,
      findings: counts(facts.findings, m.item.component),
      migration: m.migration,
    })),
    gates: gatesOf(facts),
    findings: facts.findings.map((f) => ({
      id: f.id,
      severity: f.severity,
      package: f.package,
      installed: f.installed ?? "",
      fixed: f.fixed ?? "",
      component: f.component,
    })),
    now: new Date(facts.now).toISOString(),
    window: facts.permit.ok ? { open: true, reason: "" } : { open: false, reason: facts.permit.reason },
  };
}
