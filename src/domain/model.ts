/**
 * Records Railyard keeps: the current state that the store projects from the event log.
 * All instants are ISO 8601 UTC strings with milliseconds (`2026-01-06T09:00:00.000Z`), which
 * sort the same as the instants they name, in SQLite and PostgreSQL alike.
 */
import type { TrainState } from "./train-state.js";

export type Instant = string;

export type TrainKind = "scheduled" | "hotfix";

/**
 * Why a train is paused: `window` (outside the line's deployment window) and `blackout` are the
 * engine's own pauses, which it lifts when `resumeAt` comes; `manual` is a person's, lifted only
 * by a person.
 */
export type PauseCause = "window" | "blackout" | "budget" | "analysis" | "incident" | "manual";

/** What a rollback undoes: the whole train (null), or only the current wave's deployments. */
export interface RollbackScope {
  /** Undo this wave only, then block the train there; `retry` deploys the wave again. */
  wave: string;
}

export interface Train {
  /** `<line>-<number>`, e.g. `web-42`; a hotfix train is `<line>-<n>-hotfix-<k>`. */
  id: string;
  line: string;
  /**
   * A regular train's position in its line's timetable; a hotfix train's is the number of the
   * regular train it follows (`n` of `<line>-<n>-hotfix-<k>`).
   */
  number: number;
  kind: TrainKind;
  state: TrainState;
  /** For `blocked` / `paused`: where retry / resume returns. */
  resumeTo: TrainState | null;
  /** Why the train is in its state (blocked, paused, aborted, skipped, rolling back). */
  reason: string | null;
  cutoffAt: Instant;
  departureAt: Instant;
  /**
   * The instant the timetable gave this departure (a blackout may have shifted `departureAt`);
   * null for hotfix trains.
   */
  scheduledAt: Instant | null;
  /** For `paused`: who paused it and why; null otherwise. */
  pauseCause: PauseCause | null;
  /** For trains the engine paused: when it resumes them (null: it cannot tell yet). */
  resumeAt: Instant | null;
  /** Incremented when the manifest changes after freezing (a component dropped); 0 before freezing. */
  manifestRevision: number;
  /** Index into the line's waves of the wave being deployed or verified; -1 before deploying. */
  currentWave: number;
  /** When the current wave finished deploying (its bake time counts from here). */
  waveDeployedAt: Instant | null;
  /** When the reconciler should look at this train next; null waits for outside input. */
  wakeAt: Instant | null;
  createdAt: Instant;
  updatedAt: Instant;
  /** When the train reached a terminal state. */
  endedAt: Instant | null;
  /** For `rolling_back`: the last rollback's scope; null for a whole-train rollback. */
  rollbackScope: RollbackScope | null;
}

export interface DependencyConstraint {
  component: string;
  /** semver range */
  version: string;
  /** Both components ship on the same train or neither does (absent: false). */
  sameTrain?: boolean;
}

/** How CI judged a commit: still running, passed, or failed (cancelled and timed out count as failed). */
export type CiState = "pending" | "success" | "failure";

/**
 * A CI status of one commit from one source: a GitHub workflow or check suite, a GitLab pipeline,
 * or the artifact push itself. Each (repository, commit, provider, name) keeps its latest status.
 */
export interface CiStatus {
  /** Who reported it: a webhook (`github`, `gitlab`, `generic`) or the artifact's push. */
  provider: "github" | "gitlab" | "generic" | "push";
  /** Normalised repository path, lowercase: `acme/api`, `group/sub/api`. */
  repository: string;
  commit: string;
  /** The source within the provider: workflow name, check suite app, pipeline source. */
  name: string;
  state: CiState;
  /** The provider's own word (success, failure, cancelled, timed_out, failed, running, …). */
  conclusion: string | null;
  url: string | null;
  /** When the provider says it happened (its updated_at / finished_at). */
  reportedAt: Instant;
  /** Branch or tag, when the provider says. */
  ref: string | null;
}

/** The CI status an artifact push carried. */
export interface ArtifactCi {
  state: CiState;
  url: string | null;
  /** What ran, e.g. the workflow's name. @default "ci" */
  name: string;
}

export interface Artifact {
  id: string;
  component: string;
  version: string;
  commit: string;
  buildUrl: string | null;
  digest: string | null;
  dependsOn: DependencyConstraint[];
  /** The CI status the push carried (null: none; webhooks may still report one). */
  ci: ArtifactCi | null;
  /** The train it boarded (or null if it boarded none). */
  trainId: string | null;
  /** True when dropped from its train by a coordinator. */
  dropped: boolean;
  pushedBy: string;
  /**
   * Login names of the authors of the commits the artifact was built from, as CI gave them on
   * push (empty when it gave none). With `pushedBy`, what makes an approval a self-approval.
   */
  authors: string[];
  pushedAt: Instant;
}

export type ManifestItemStatus = "boarded" | "held" | "dropped";

export interface ManifestItem {
  trainId: string;
  component: string;
  version: string;
  artifactId: string;
  /** What ran in production before this train (null: never released). */
  previousVersion: string | null;
  /** The constraints of `version` (empty for items frozen before they were recorded). */
  dependsOn: DependencyConstraint[];
  status: ManifestItemStatus;
  /** For held and dropped items: why, in words a team can act on. */
  reason: string | null;
  /** Manifest revision in which this item got its status. */
  revision: number;
}

export type StepKind = "integrate" | "gate" | "deploy" | "rollback" | "runbook";
export type StepStatus = "running" | "succeeded" | "failed";

export interface Step {
  /** `<trainId>/<key>#<attempt>` */
  id: string;
  trainId: string;
  /** e.g. `r1/integrate/api`, `r1/gate/gating/tests`, `deploy/canary/api`, `rollback/canary/api`. */
  key: string;
  kind: StepKind;
  attempt: number;
  status: StepStatus;
  idempotencyKey: string;
  startedAt: Instant;
  finishedAt: Instant | null;
  /** Combined output kept for people (truncated to a bound). */
  output: string | null;
  error: string | null;
  durationMs: number | null;
}

export type GateStatus = "passed" | "failed";

/**
 * How a gate ended, in finer words than its status: only `pass` lets a train go on; `fail` (the
 * evidence says no), `inconclusive` (not enough evidence, e.g. no data) and `error` (the gate
 * could not be evaluated) block it.
 */
export type GateVerdict = "pass" | "fail" | "inconclusive" | "error";

export interface GateResult {
  id: string;
  trainId: string;
  /** `gating`, or `verify/<wave>` */
  stage: string;
  gate: string;
  type: string;
  attempt: number;
  status: GateStatus;
  verdict: GateVerdict;
  output: string;
  durationMs: number;
  evaluatedAt: Instant;
  /** Structured evidence the gate kept (a canary analysis: score, metrics, series); null when none. */
  detail: unknown;
}

export type ApprovalDecision = "approve" | "reject";

export interface Approval {
  id: string;
  trainId: string;
  approver: string;
  decision: ApprovalDecision;
  comment: string | null;
  manifestRevision: number;
  at: Instant;
}

/** A person's mark on a rollout step: promoted past a pause or an analysis, approved, or rejected. */
export interface RolloutMark {
  trainId: string;
  wave: string;
  /** The step's index in the wave's strategy (`"2"`), or `promote` for a blue-green switch. */
  step: string;
  kind: "promote" | "approve" | "reject";
  actor: string;
  comment: string | null;
  at: Instant;
}

/** Something went wrong that people must look at; an open incident may stop its line. */
export interface Incident {
  id: string;
  line: string;
  trainId: string | null;
  title: string;
  detail: string | null;
  /** While open, no train of the line departs or starts a wave. */
  stopsLine: boolean;
  status: "open" | "resolved";
  openedAt: Instant;
  openedBy: string;
  resolvedAt: Instant | null;
  resolvedBy: string | null;
  resolution: string | null;
  /** critical pages and acts on trains by the line's incident policy; warning and info do not. */
  severity: IncidentSeverity;
  source: IncidentSource;
  /** When the problem started (an alert's startsAt, else when it was opened): MTTR counts from here. */
  startedAt: Instant;
  component: string | null;
  environment: string | null;
  labels: Record<string, string> | null;
}

export type IncidentSeverity = "critical" | "warning" | "info";

/** Who raised an incident: a person (API, CLI), Alertmanager's webhook, or a failed rollback. */
export type IncidentSource = "manual" | "alertmanager" | "rollback";

/** An alert grouped into an incident (by Alertmanager fingerprint). */
export interface IncidentAlert {
  incidentId: string;
  fingerprint: string;
  alertname: string;
  status: "firing" | "resolved";
  severity: IncidentSeverity;
  labels: Record<string, string>;
  startsAt: Instant;
  endsAt: Instant | null;
  updatedAt: Instant;
}

/** The version of a component currently running in an environment. */
export interface Deployment {
  environment: string;
  component: string;
  version: string;
  trainId: string;
  updatedAt: Instant;
}

/** A train's permission to deploy through one blackout, given by a person with a reason. */
export interface TrainException {
  trainId: string;
  /** The blackout's name. */
  blackout: string;
  /** Who granted it. */
  actor: string;
  reason: string;
  grantedAt: Instant;
}

export interface TokenRecord {
  id: string;
  name: string;
  /** The person or bot the token acts as. */
  subject: string;
  roles: string[];
  createdAt: Instant;
  expiresAt: Instant | null;
  revokedAt: Instant | null;
  lastUsedAt: Instant | null;
  /**
   * `user`: acts as its subject with its roles. `ci`: may only push artifacts and reports, and only
   * for `components`.
   */
  kind: TokenKind;
  /** CI tokens: the components it may push for; null for user tokens. */
  components: string[] | null;
}

export type TokenKind = "user" | "ci";

/** A dashboard session: a token exchanged for a cookie (the cookie itself is never stored). */
export interface SessionRecord {
  /** SHA-256 hex of the cookie's value. */
  idHash: string;
  /** SHA-256 hex of the CSRF token the session's mutations must carry. */
  csrfHash: string;
  tokenId: string | null;
  subject: string;
  roles: string[];
  createdAt: Instant;
  expiresAt: Instant;
  revokedAt: Instant | null;
}

/** An Ed25519 signature over the hash chain's head at `eventId`. */
export interface AuditCheckpoint {
  eventId: number;
  hash: string;
  signedAt: Instant;
  /** Names the key: the first 16 hex digits of the SHA-256 of its raw public key. */
  keyId: string;
  /** base64 signature of {@link checkpointStatement}. */
  signature: string;
}

/** A component held at its production version on every train of its line until unpinned. */
export interface Pin {
  component: string;
  line: string;
  /** What production ran when it was pinned (null: never released). */
  version: string | null;
  reason: string;
  actor: string;
  pinnedAt: Instant;
}

export type ReportKind = "junit" | "sbom" | "vulnerabilities" | "vex";

/** A report pushed for an artifact; its bytes are kept beside it and named by SHA-256 in the log. */
export interface ArtifactReport {
  id: string;
  artifactId: string;
  kind: ReportKind;
  /** e.g. `grype`, `trivy`, `cyclonedx-1.6`, `spdx-2.3`, `sarif-2.1.0`, `openvex`, `junit`. */
  format: string;
  name: string | null;
  sha256: string;
  size: number;
  receivedAt: Instant;
  actor: string;
}

/**
 * How a test case ended. `flaky`: it failed, then passed when rerun (Surefire `flakyFailure` /
 * `flakyError`); it counts as passed in the `tests` gate.
 */
export type TestCaseStatus = "passed" | "failed" | "errored" | "skipped" | "flaky";

/** One test case of a JUnit report (`<testcase>`). */
export interface TestCase {
  /** Name of the innermost `<testsuite>` around it (the report's suite when that has none). */
  suite: string;
  /** Its `classname`; the suite name when the runner wrote none or an empty one (jest-junit). */
  classname: string;
  name: string;
  status: TestCaseStatus;
  /** From `time` (seconds); 0 when missing, negative or unreadable. */
  durationMs: number;
  /**
   * Why it failed, errored, was skipped or needed a rerun: the element's `message` attribute,
   * else the first non-empty line of its text; trimmed, at most 500 characters. `null` for a
   * passed case or when the runner gave no reason.
   */
  message: string | null;
  /** Reruns recorded by Surefire (`flakyFailure`, `flakyError`, `rerunFailure`, `rerunError`). */
  reruns: number;
}

/** The counts of a JUnit report. */
export interface TestSummary {
  /** Every test case, whatever its status (`passed + failed + errored + skipped + flaky`). */
  tests: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  flaky: number;
  /** The root element's `time`, else the sum of its suites' (or cases') times. */
  durationMs: number;
  /** True when more cases ran than were kept (the counts still include them). */
  truncated: boolean;
}

/** JUnit results CI posted for a train's integration stage, for one manifest revision. */
export interface TestReport {
  id: string;
  trainId: string;
  revision: number;
  suite: string;
  summary: TestSummary;
  cases: TestCase[];
  receivedAt: Instant;
  actor: string;
}

/**
 * A finding a person accepted on the record for one component until `expiresAt`: the security
 * gate does not count it meanwhile.
 */
export interface Waiver {
  id: string;
  component: string;
  /** The finding's id, e.g. CVE-2024-1234 or GHSA-…. */
  finding: string;
  justification: string;
  /** Who granted it. */
  approver: string;
  expiresAt: Instant;
  createdAt: Instant;
  revokedAt: Instant | null;
  revokedBy: string | null;
  revokeReason: string | null;
}
