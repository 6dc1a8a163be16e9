/**
 * The event log's vocabulary. Every change to Railyard's state is one of these events, appended
 * to the hash-chained `events` table; the current-state tables are projections of them written
 * in the same transaction (see `src/store/projector.ts`).
 */
import type {
  ApprovalDecision,
  ArtifactCi,
  CiStatus,
  DependencyConstraint,
  GateStatus,
  GateVerdict,
  IncidentAlert,
  IncidentSeverity,
  IncidentSource,
  Instant,
  ManifestItem,
  PauseCause,
  ReportKind,
  RollbackScope,
  RolloutMark,
  StepKind,
  StepStatus,
  TestCase,
  TestSummary,
  TrainKind,
} from "./model.js";
import type { TrainEventType, TrainState } from "./train-state.js";

export interface EventPayloads {
  "train.created": {
    line: string;
    number: number;
    kind: TrainKind;
    cutoffAt: Instant;
    departureAt: Instant;
    /**
     * The timetable's instant of the departure; null for hotfix trains. Absent in events written
     * before hotfix trains existed, where it equals `departureAt`.
     */
    scheduledAt?: Instant | null;
    /** What the timetable said of the departure (absent in older events: scheduled). */
    status?: "scheduled" | "shifted" | "skipped";
    /** Hotfix trains: the number of the regular train it follows. */
    hotfixOf?: number;
    /** Hotfix trains: why it was started (audited). */
    reason?: string;
  };
  "train.transitioned": {
    from: TrainState;
    to: TrainState;
    event: TrainEventType;
    resumeTo: TrainState | null;
    reason: string | null;
    /** Set when the transition starts a wave (depart, next_wave) or finishes deploying one. */
    wave?: number;
    /** Pauses: why (absent in older events: a person paused it). */
    cause?: PauseCause;
    /** Pauses by the engine: when it resumes the train (null: it cannot tell yet). */
    resumeAt?: Instant | null;
    /** Rollbacks: what is undone (absent or null: the whole train). */
    scope?: RollbackScope | null;
  };
  /** A person let the train deploy through a blackout (`trainId` is the train; actor the person). */
  "exception.granted": {
    blackout: string;
    reason: string;
  };
  "artifact.pushed": {
    /**
     * Where the push came from (absent in older events and for pushes the engine makes itself):
     * a push is its own audit record, so it carries what `action.audited` would.
     */
    source?: AuditSource | null;
    artifactId: string;
    component: string;
    version: string;
    commit: string;
    buildUrl: string | null;
    digest: string | null;
    dependsOn: DependencyConstraint[];
    /** The train it boarded, null when none could take it. */
    boardedTrain: string | null;
    /** True when it arrived after the cut-off of the train it asked for (or the open one). */
    late: boolean;
    requestedTrain: string | null;
    /** The CI status the push carried (absent in older events: none). */
    ci?: ArtifactCi | null;
    /** Login names of the commits' authors, as CI gave them (absent in older events and when none: []). */
    authors?: string[];
    /** When the commit was made, as CI gave it (absent or null: unknown); lead time (M3) counts from it. */
    committedAt?: Instant | null;
  };
  /** A held artifact rides the next train (trainId is the train it left). */
  "artifact.carried": {
    artifactId: string;
    component: string;
    version: string;
    toTrain: string;
    reason: string;
  };
  "manifest.frozen": {
    revision: number;
    /** `dependsOn` is absent in events written before constraints were recorded. */
    items: Array<
      Omit<ManifestItem, "trainId" | "revision" | "dependsOn"> & Partial<Pick<ManifestItem, "dependsOn">>
    >;
  };
  "component.dropped": {
    component: string;
    reason: string;
    /** Manifest revision after the drop (0 while boarding). */
    revision: number;
  };
  /** A CI status arrived (webhook); trainId is null. `deliveryId` is the provider's delivery. */
  "ci.reported": Omit<CiStatus, never> & { deliveryId: string | null };
  /** A component is held at its production version until unpinned (trainId: null). */
  "component.pinned": {
    component: string;
    line: string;
    version: string | null;
    reason: string;
  };
  "component.unpinned": {
    component: string;
    line: string;
    reason: string;
  };
  /** A report for an artifact (trainId: the artifact's train); its bytes are kept beside the log. */
  "report.received": {
    reportId: string;
    artifactId: string;
    component: string;
    version: string;
    kind: ReportKind;
    format: string;
    name: string | null;
    sha256: string;
    size: number;
  };
  /** JUnit results for the train's integration stage, manifest revision `revision`. */
  "tests.reported": {
    reportId: string;
    revision: number;
    suite: string;
    summary: TestSummary;
    cases: TestCase[];
  };
  /** A person accepted a finding for a component until `expiresAt` (trainId: null). */
  "waiver.granted": {
    waiverId: string;
    component: string;
    finding: string;
    justification: string;
    expiresAt: Instant;
  };
  "waiver.revoked": {
    waiverId: string;
    reason: string;
  };
  /** A person ticked an item of a train's checklist gate, for manifest revision `revision`. */
  "checklist.ticked": {
    gate: string;
    item: string;
    revision: number;
    note: string | null;
  };
  "step.started": {
    stepId: string;
    key: string;
    kind: StepKind;
    attempt: number;
    idempotencyKey: string;
  };
  "step.finished": {
    stepId: string;
    key: string;
    status: Exclude<StepStatus, "running">;
    output: string | null;
    error: string | null;
    durationMs: number;
  };
  "gate.evaluated": {
    resultId: string;
    stage: string;
    gate: string;
    type: string;
    attempt: number;
    status: GateStatus;
    /** Absent in events written before verdicts: `pass` when passed, else `fail`. */
    verdict?: GateVerdict;
    output: string;
    durationMs: number;
    /** Structured evidence (a canary analysis), when the gate kept some. */
    detail?: unknown;
  };
  "approval.recorded": {
    approvalId: string;
    approver: string;
    decision: ApprovalDecision;
    comment: string | null;
    manifestRevision: number;
  };
  "deployment.recorded": {
    environment: string;
    component: string;
    version: string | null;
    previousVersion: string | null;
    action: "deploy" | "rollback";
    wave: string;
    /** e.g. the Git commit that carried it */
    reference: string | null;
  };
  /** A person promoted, approved or rejected a step of the train's rollout. */
  "rollout.marked": {
    wave: string;
    step: string;
    kind: RolloutMark["kind"];
    comment: string | null;
  };
  /** One component of a train in production was rolled back alone; the rest goes on. */
  "component.rolled_back": {
    component: string;
    reason: string;
    /** Components rolled back with it because they needed its new version. */
    with: string[];
  };
  "incident.opened": {
    incidentId: string;
    line: string;
    title: string;
    detail: string | null;
    stopsLine: boolean;
    /** Absent in older events: critical. */
    severity?: IncidentSeverity;
    /** Who raised it (absent in older events: a failed rollback). */
    source?: IncidentSource;
    /** When the problem started, e.g. the first alert's startsAt (absent: the event's time). */
    startedAt?: Instant;
    /** The component and environment it was matched by, when known. */
    component?: string | null;
    environment?: string | null;
    /** The labels it was matched by (Alertmanager's), when any. */
    labels?: Record<string, string> | null;
  };
  /**
   * An alert grouped into an incident fired, fired again with new details, or resolved
   * (`trainId`: the incident's train). One per change of an alert, keyed by its fingerprint.
   */
  "incident.alert": Omit<IncidentAlert, "updatedAt">;

  /**
   * An alert that would have acted on a train but fell in a suppression window of its line (e.g.
   * expected canary noise during a ramp): recorded, and nothing else done.
   */
  "alert.suppressed": {
    fingerprint: string;
    alertname: string;
    severity: IncidentSeverity;
    labels: Record<string, string>;
    startsAt: Instant;
    /** The line's suppression window that matched it. */
    window: string;
  };
  "incident.resolved": {
    incidentId: string;
    resolution: string;
    /** True when it resolved by itself: every alert grouped into it resolved. */
    automatic?: boolean;
  };
  /**
   * The post-release error-rate comparison of a released train (metric M5): the line's error
   * ratio over `window` before its first wave started and over `window` after it was released.
   */
  "release.measured": {
    window: string;
    before: number | null;
    after: number | null;
    /** What was queried, or why nothing could be measured. */
    detail: string;
  };
  "config.loaded": {
    hash: string;
    source: string;
    lines: string[];
  };
  "token.created": {
    tokenId: string;
    name: string;
    subject: string;
    roles: string[];
    expiresAt: Instant | null;
    /** Absent in older events: user. */
    kind?: "user" | "ci";
    /** CI tokens: the components they may push for. */
    components?: string[] | null;
  };
  "token.revoked": {
    tokenId: string;
  };
  /** A dashboard session opened with a token (never the cookie or its CSRF token). */
  "session.opened": {
    /** The token it was opened with (null: the bootstrap admin token). */
    tokenId: string | null;
    expiresAt: Instant;
    /** Where the login came from. */
    source?: AuditSource | null;
  };
  /** A dashboard session ended: logged out, expired, or its token was revoked or expired. */
  "session.closed": {
    reason: "logout" | "expired" | "token-revoked" | "token-expired";
    tokenId?: string | null;
  };
  /**
   * A mutation and what it changed, appended in the same transaction as the action's own events
   * (the actor is the person; `trainId` is set when the target is a train).
   */
  "action.audited": {
    action: string;
    /** What was acted on, e.g. `{kind: "train", id: "web-12"}`. */
    target: AuditTarget;
    source: AuditSource | null;
    /** The target as it was when the action's transaction began (null: did not exist). */
    before: unknown;
    /** The target as the action left it (null: gone). */
    after: unknown;
  };
  /** A refused attempt (403): who tried what, from where, and why it was refused. */
  "access.denied": {
    action: string;
    target: AuditTarget | null;
    source: AuditSource | null;
    reason: string;
  };
}

/** What an audited action touched. */
export interface AuditTarget {
  kind:
    | "train"
    | "artifact"
    | "component"
    | "token"
    | "waiver"
    | "incident"
    | "line"
    | "config"
    | "clock"
    | "report"
    | "notification";
  id: string;
}

/** Where an audited request came from. */
export interface AuditSource {
  via: string;
  tokenId: string | null;
  address: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export type EventType = keyof EventPayloads;

/** An event before it is stored: the store assigns id, time chain and hashes. */
export type NewEvent = {
  [K in EventType]: {
    type: K;
    trainId: string | null;
    actor: string;
    payload: EventPayloads[K];
  };
}[EventType];

/** An event as stored in the hash chain. */
export type StoredEvent = NewEvent & {
  id: number;
  time: Instant;
  prevHash: string;
  hash: string;
};

/** The hash every chain starts from. */
export const GENESIS_HASH = "0".repeat(64);

/** The actor recorded for the reconciler's own decisions. */
export const SYSTEM_ACTOR = "system";
