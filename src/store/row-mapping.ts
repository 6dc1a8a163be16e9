/**
 * The one place where rows become records and back: snake_case columns to camelCase fields,
 * JSON text to values, 0/1 to booleans.
 */
import type { Selectable } from "kysely";
import type { StoredEvent } from "../domain/events.js";
import type {
  Approval,
  Artifact,
  ArtifactReport,
  CiStatus,
  Deployment,
  GateResult,
  ManifestItem,
  Pin,
  Step,
  TestReport,
  TokenRecord,
  Train,
  TrainException,
  Waiver,
} from "../domain/model.js";
import type {
  ApprovalsTable,
  ArtifactReportsTable,
  ArtifactsTable,
  CiStatusesTable,
  DeploymentsTable,
  EventsTable,
  GateResultsTable,
  ManifestItemsTable,
  PinsTable,
  StepsTable,
  TestReportsTable,
  TokensTable,
  TrainExceptionsTable,
  TrainsTable,
  WaiversTable,
} from "./database.js";

/** `true`/`false` as stored (0/1, the same on SQLite and PostgreSQL). */
export function toDbBoolean(value: boolean): number {
  return value ? 1 : 0;
}

/** A stored 0/1 as a boolean. */
export function fromDbBoolean(value: number): boolean {
  return value === 1;
}

/** A trains row as a {@link Train}. */
export function toTrain(row: Selectable<TrainsTable>): Train {
  return {
    id: row.id,
    line: row.line,
    number: row.number,
    kind: row.kind as Train["kind"],
    state: row.state as Train["state"],
    resumeTo: row.resume_to as Train["resumeTo"],
    reason: row.reason,
    cutoffAt: row.cutoff_at,
    departureAt: row.departure_at,
    scheduledAt: row.scheduled_at,
    pauseCause: row.pause_cause as Train["pauseCause"],
    resumeAt: row.resume_at,
    manifestRevision: row.manifest_revision,
    currentWave: row.current_wave,
    waveDeployedAt: row.wave_deployed_at,
    wakeAt: row.wake_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    endedAt: row.ended_at,
    rollbackScope:
      row.rollback_scope === null ? null : (JSON.parse(row.rollback_scope) as Train["rollbackScope"]),
  };
}

/** An artifacts row as an {@link Artifact}. */
export function toArtifact(row: Selectable<ArtifactsTable>): Artifact {
  return {
    id: row.id,
    component: row.component,
    version: row.version,
    commit: row.commit_sha,
    buildUrl: row.build_url,
    digest: row.digest,
    dependsOn: JSON.parse(row.depends_on) as Artifact["dependsOn"],
    ci: row.ci ? (JSON.parse(row.ci) as Artifact["ci"]) : null,
    trainId: row.train_id,
    dropped: fromDbBoolean(row.dropped),
    pushedBy: row.pushed_by,
    authors: row.authors ? (JSON.parse(row.authors) as string[]) : [],
    pushedAt: row.pushed_at,
  };
}

/** A manifest_items row as a {@link ManifestItem}. */
export function toManifestItem(row: Selectable<ManifestItemsTable>): ManifestItem {
  return {
    trainId: row.train_id,
    component: row.component,
    version: row.version,
    artifactId: row.artifact_id,
    previousVersion: row.previous_version,
    dependsOn: JSON.parse(row.depends_on) as ManifestItem["dependsOn"],
    status: row.status as ManifestItem["status"],
    reason: row.reason,
    revision: row.revision,
  };
}

/** A steps row as a {@link Step}. */
export function toStep(row: Selectable<StepsTable>): Step {
  return {
    id: row.id,
    trainId: row.train_id,
    key: row.key,
    kind: row.kind as Step["kind"],
    attempt: row.attempt,
    status: row.status as Step["status"],
    idempotencyKey: row.idempotency_key,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    output: row.output,
    error: row.error,
    durationMs: row.duration_ms,
  };
}

/** A gate_results row as a {@link GateResult}. */
export function toGateResult(row: Selectable<GateResultsTable>): GateResult {
  return {
    id: row.id,
    trainId: row.train_id,
    stage: row.stage,
    gate: row.gate,
    type: row.type,
    attempt: row.attempt,
    status: row.status as GateResult["status"],
    verdict: (row.verdict ?? (row.status === "passed" ? "pass" : "fail")) as GateResult["verdict"],
    output: row.output,
    durationMs: row.duration_ms,
    evaluatedAt: row.evaluated_at,
    detail: row.detail === null ? null : (JSON.parse(row.detail) as unknown),
  };
}

/** An approvals row as an {@link Approval}. */
export function toApproval(row: Selectable<ApprovalsTable>): Approval {
  return {
    id: row.id,
    trainId: row.train_id,
    approver: row.approver,
    decision: row.decision as Approval["decision"],
    comment: row.comment,
    manifestRevision: row.manifest_revision,
    at: row.decided_at,
  };
}

/** A deployments row as a {@link Deployment}. */
export function toDeployment(row: Selectable<DeploymentsTable>): Deployment {
  return {
    environment: row.environment,
    component: row.component,
    version: row.version,
    trainId: row.train_id,
    updatedAt: row.updated_at,
  };
}

/** A train_exceptions row as a {@link TrainException}. */
export function toTrainException(row: Selectable<TrainExceptionsTable>): TrainException {
  return {
    trainId: row.train_id,
    blackout: row.blackout,
    actor: row.actor,
    reason: row.reason,
    grantedAt: row.granted_at,
  };
}

/** A tokens row as a {@link TokenRecord} (without its hash). */
export function toToken(row: Selectable<TokensTable>): TokenRecord {
  return {
    id: row.id,
    name: row.name,
    subject: row.subject,
    roles: JSON.parse(row.roles) as string[],
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
    kind: row.kind === "ci" ? "ci" : "user",
    components: row.components === null ? null : (JSON.parse(row.components) as string[]),
  };
}

/** A token as a tokens row. */
export function fromToken(token: TokenRecord & { hash: string }): Selectable<TokensTable> {
  return {
    id: token.id,
    hash: token.hash,
    name: token.name,
    subject: token.subject,
    roles: JSON.stringify(token.roles),
    created_at: token.createdAt,
    expires_at: token.expiresAt,
    revoked_at: token.revokedAt,
    last_used_at: token.lastUsedAt,
    kind: token.kind,
    components: token.components === null ? null : JSON.stringify(token.components),
  };
}

/** An events row as a {@link StoredEvent}. */
export function toStoredEvent(row: Selectable<EventsTable>): StoredEvent {
  return {
    id: row.id,
    trainId: row.train_id,
    type: row.type,
    actor: row.actor,
    payload: JSON.parse(row.payload),
    time: row.time,
    prevHash: row.prev_hash,
    hash: row.hash,
  } as StoredEvent;
}

/** A ci_statuses row as a {@link CiStatus}. */
export function toCiStatus(row: Selectable<CiStatusesTable>): CiStatus {
  return {
    provider: row.provider as CiStatus["provider"],
    repository: row.repository,
    commit: row.commit_sha,
    name: row.name,
    state: row.state as CiStatus["state"],
    conclusion: row.conclusion,
    url: row.url,
    reportedAt: row.reported_at,
    ref: row.ref,
  };
}

/** A pins row as a {@link Pin}. */
export function toPin(row: Selectable<PinsTable>): Pin {
  return {
    component: row.component,
    line: row.line,
    version: row.version,
    reason: row.reason,
    actor: row.actor,
    pinnedAt: row.pinned_at,
  };
}

/** An artifact_reports row as an {@link ArtifactReport}. */
export function toArtifactReport(row: Selectable<ArtifactReportsTable>): ArtifactReport {
  return {
    id: row.id,
    artifactId: row.artifact_id,
    kind: row.kind as ArtifactReport["kind"],
    format: row.format,
    name: row.name,
    sha256: row.sha256,
    size: row.size,
    receivedAt: row.received_at,
    actor: row.actor,
  };
}

/** A test_reports row as a {@link TestReport}. */
export function toTestReport(row: Selectable<TestReportsTable>): TestReport {
  return {
    id: row.id,
    trainId: row.train_id,
    revision: row.revision,
    suite: row.suite,
    summary: JSON.parse(row.summary) as TestReport["summary"],
    cases: JSON.parse(row.cases) as TestReport["cases"],
    receivedAt: row.received_at,
    actor: row.actor,
  };
}

/** A waivers row as a {@link Waiver}. */
export function toWaiver(row: Selectable<WaiversTable>): Waiver {
  return {
    id: row.id,
    component: row.component,
    finding: row.finding,
    justification: row.justification,
    approver: row.approver,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
    revokeReason: row.revoke_reason,
  };
}
