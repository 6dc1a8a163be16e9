/**
 * What a `policy` gate's CEL expression can read: the train, its line, its manifest, the gate
 * results and findings of the current manifest revision, the time and the deployment window.
 *
 * {@link PolicyContext} is the TypeScript shape the engine fills in; {@link POLICY_DECLARATION}
 * declares the same names with their CEL types, so that an expression is checked when the
 * configuration loads (`manifest.all(c, c.sbomm)` is an error there, not when the train runs) and
 * so that the values are handed to CEL as the declared types (integers as `int`, instants as
 * `timestamp`, wave bake times as `duration`).
 *
 * In CEL, absent strings are `""` (never `null`): `c.previousVersion == ""` for a component never
 * released, `f.fixed != ""` for a finding with a fix.
 */
import type { ReportKind } from "../model.js";
import { TRAIN_STATES, type TrainState } from "../train-state.js";

/** Severities of findings, most severe first (the security gate's order). */
export const POLICY_SEVERITIES = ["critical", "high", "medium", "low", "negligible", "unknown"] as const;
/** How a component's version compares with what production runs. */
export const VERSION_CHANGES = ["new", "upgrade", "downgrade", "same"] as const;
/** A commit's CI status, folded over its sources; `none` when nothing reported. */
export const POLICY_CI_STATES = ["success", "failure", "pending", "none"] as const;
/** Report kinds an artifact can have. */
export const POLICY_REPORT_KINDS = ["junit", "sbom", "vulnerabilities", "vex"] as const;
/** Gate verdicts. */
export const POLICY_VERDICTS = ["pass", "fail", "inconclusive", "error"] as const;

/** One of {@link VERSION_CHANGES}. */
export type VersionChange = (typeof VERSION_CHANGES)[number];
/** One of {@link POLICY_CI_STATES}. */
export type PolicyCiState = (typeof POLICY_CI_STATES)[number];
/** One of {@link POLICY_SEVERITIES}. */
export type PolicySeverity = (typeof POLICY_SEVERITIES)[number];

/** The train's line, as configured. */
export interface PolicyLine {
  /** The line's name, e.g. `"shop"`. */
  name: string;
  /** Components that ride the line, in configuration order. */
  components: string[];
  /** How trains of the line are approved. */
  approval: {
    /** `"auto"` or `"manual"`. */
    mode: "auto" | "manual";
    /** The team whose members approve; `""` for `auto`. */
    team: string;
    /** Distinct approvers needed; `0` for `auto`. */
    required: number;
  };
  /** The rollout's waves, in order. */
  waves: Array<{
    /** The wave's name. */
    name: string;
    /** Production environments it deploys to. */
    environments: string[];
    /** Bake time before its verification (CEL `duration`; milliseconds in TypeScript). */
    bake: number;
  }>;
}

/** The train being gated. */
export interface PolicyTrain {
  /** `<line>-<number>`, e.g. `"shop-42"`; hotfix trains `"shop-42-hotfix-1"`. */
  id: string;
  /** Position in the line's timetable (a hotfix train: the regular train it follows). */
  number: number;
  /** `"scheduled"` or `"hotfix"`. */
  kind: "scheduled" | "hotfix";
  /** The train's state: `"gating"` for the line's gates, `"verifying"` for a wave's. */
  state: TrainState;
  /**
   * The manifest revision gates judge (`r<revision>` in step keys): set when the manifest froze
   * (1 for the first), raised each time a component is dropped afterwards; 0 before freezing.
   */
  revision: number;
  /** When boarding closed (CEL `timestamp`; ISO 8601 instant in TypeScript). */
  cutoffAt: string;
  /** When the train departs, after any blackout shift (CEL `timestamp`; ISO 8601 instant in TypeScript). */
  departureAt: string;
}

/** Counts of a component's findings after VEX statements and waivers, per severity. */
export type PolicySeverityCounts = Record<PolicySeverity, number>;

/** One boarded component of the manifest. */
export interface PolicyManifestEntry {
  /** The component's name. */
  component: string;
  /** The team owning it. */
  team: string;
  /** The version on the train. */
  version: string;
  /** What production runs now; `""` when it was never released. */
  previousVersion: string;
  /**
   * `version` against `previousVersion`: `"new"` (never released), `"upgrade"`, `"downgrade"` or
   * `"same"`, by semver (versions that are not semver: `"same"` when equal, else `"upgrade"`).
   */
  change: VersionChange;
  /** The commit the artifact was built from. */
  commit: string;
  /**
   * CI status of the commit, folded over every source (webhooks and the push): `"success"`,
   * `"failure"` (any source failed), `"pending"` (any still running) or `"none"` (no report).
   */
  ci: PolicyCiState;
  /** Kinds of the reports pushed for the artifact (`"junit"`, `"sbom"`, `"vulnerabilities"`, `"vex"`), each once, sorted. */
  reports: ReportKind[];
  /** Whether a report of the artifact is an SBOM (CycloneDX components or SPDX packages, whatever its kind). */
  sbom: boolean;
  /**
   * Findings of the artifact's vulnerability reports (the latest per format) per severity, after
   * VEX statements and unexpired waivers; all 0 when it has no vulnerability report (check
   * `"vulnerabilities" in c.reports`).
   */
  findings: PolicySeverityCounts;
  /** Whether the component is a `migration` (else a `service`). */
  migration: boolean;
}

/** The latest result of a gate for the current manifest revision. */
export interface PolicyGateResult {
  /** The gate's type: `"command"`, `"tests"`, `"security"`, `"policy"`, … */
  type: string;
  /** `"gating"` for the line's gates, `"verify/<wave>"` for a wave's. */
  stage: string;
  /** `"pass"`, `"fail"`, `"inconclusive"` or `"error"`. */
  verdict: (typeof POLICY_VERDICTS)[number];
  /** Which evaluation it was: 1 for the first, raised by each retry. */
  attempt: number;
}

/** One finding counted after VEX statements and waivers. */
export interface PolicyFinding {
  /** The vulnerability's id, e.g. `"CVE-2024-1234"` or `"GHSA-…"`. */
  id: string;
  /** `"critical"`, `"high"`, `"medium"`, `"low"`, `"negligible"` or `"unknown"`. */
  severity: PolicySeverity;
  /** The affected package. */
  package: string;
  /** The installed version; `""` when the report does not say. */
  installed: string;
  /** The version(s) fixing it (`"1.2.1, 2.1.3"`); `""` when there is no fix yet. */
  fixed: string;
  /** The component whose artifact has it. */
  component: string;
}

/**
 * The variables of a policy expression. Every field is always present (no `null`), so that an
 * expression never fails on a missing key of this shape; keys of `gates` are the exception (a
 * gate that has not been evaluated is absent: test with `"tests" in gates`).
 */
export interface PolicyContext {
  /** The train's line. */
  line: PolicyLine;
  /** The train. */
  train: PolicyTrain;
  /** The boarded components of the current manifest revision (held and dropped ones are not on it). */
  manifest: PolicyManifestEntry[];
  /**
   * Gate results of the current manifest revision by gate name (the line's gates), and by
   * `verify/<wave>/<gate>` (a wave's verification gates): the latest attempt of each. The gate
   * being evaluated is not in it; gates of the same stage run side by side, so a sibling's result
   * is that of its previous attempt, or absent, until it has finished.
   */
  gates: Record<string, PolicyGateResult>;
  /** Every finding of the manifest counted after VEX statements and waivers, most severe first. */
  findings: PolicyFinding[];
  /** The time of the evaluation (CEL `timestamp`; ISO 8601 instant in TypeScript). */
  now: string;
  /**
   * May a production deployment start now? For the wave the train deploys next (the first wave
   * at the line's gates, the following wave at a wave's gates; after the last wave, the line as a
   * whole), with the line's window, blackouts and the train's exceptions; hotfix trains ignore
   * the window.
   */
  window: {
    /** True when a deployment could start now. */
    open: boolean;
    /** Why not (`"outside window"`, `"blackout freeze: …"`); `""` when open. */
    reason: string;
  };
}

/** A CEL type in a policy declaration. */
export type PolicyType =
  | { kind: "bool" }
  | { kind: "int" }
  /** A string; `values` lists every value it can take, when that is a closed set. */
  | { kind: "string"; values?: readonly string[] }
  | { kind: "timestamp" }
  | { kind: "duration" }
  | { kind: "list"; element: PolicyType }
  /** A map with string keys. */
  | { kind: "map"; value: PolicyType }
  /** A record with known fields (a CEL map with string keys at run time). */
  | { kind: "object"; name: string; fields: Readonly<Record<string, PolicyType>> };

const bool = { kind: "bool" } as const;
const int = { kind: "int" } as const;
const string = { kind: "string" } as const;
const timestamp = { kind: "timestamp" } as const;
const duration = { kind: "duration" } as const;
const oneOf = (values: readonly string[]): PolicyType => ({ kind: "string", values });
const listOf = (element: PolicyType): PolicyType => ({ kind: "list", element });
const object = (name: string, fields: Record<string, PolicyType>): PolicyType => ({
  kind: "object",
  name,
  fields,
});

/** Declares every variable of {@link PolicyContext} with its CEL type. */
export const POLICY_DECLARATION: Readonly<Record<keyof PolicyContext, PolicyType>> = {
  line: object("line", {
    name: string,
    components: listOf(string),
    approval: object("approval", { mode: oneOf(["auto", "manual"]), team: string, required: int }),
    waves: listOf(object("wave", { name: string, environments: listOf(string), bake: duration })),
  }),
  train: object("train", {
    id: string,
    number: int,
    kind: oneOf(["scheduled", "hotfix"]),
    state: oneOf(TRAIN_STATES),
    revision: int,
    cutoffAt: timestamp,
    departureAt: timestamp,
  }),
  manifest: listOf(
    object("manifest entry", {
      component: string,
      team: string,
      version: string,
      previousVersion: string,
      change: oneOf(VERSION_CHANGES),
      commit: string,
      ci: oneOf(POLICY_CI_STATES),
      reports: listOf(oneOf(POLICY_REPORT_KINDS)),
      sbom: bool,
      findings: object(
        "findings count",
        Object.fromEntries(POLICY_SEVERITIES.map((severity) => [severity, int])),
      ),
      migration: bool,
    }),
  ),
  gates: {
    kind: "map",
    value: object("gate result", {
      type: string,
      stage: string,
      verdict: oneOf(POLICY_VERDICTS),
      attempt: int,
    }),
  },
  findings: listOf(
    object("finding", {
      id: string,
      severity: oneOf(POLICY_SEVERITIES),
      package: string,
      installed: string,
      fixed: string,
      component: string,
    }),
  ),
  now: timestamp,
  window: object("window", { open: bool, reason: string }),
};
