/**
 * Every `StoreReader` query, over a Kysely handle that is either the store's root (autocommit
 * reads) or a transaction (reads that see the transaction's own writes).
 */
import type { Kysely } from "kysely";
import type { ChecklistTick } from "../domain/checklists.js";
import type { StoredEvent } from "../domain/events.js";
import type {
  Approval,
  Artifact,
  ArtifactReport,
  AuditCheckpoint,
  CiStatus,
  Deployment,
  GateResult,
  Incident,
  IncidentAlert,
  Instant,
  ManifestItem,
  Pin,
  RolloutMark,
  SessionRecord,
  Step,
  TestReport,
  TokenRecord,
  Train,
  TrainException,
  Waiver,
} from "../domain/model.js";
import { TERMINAL_STATES } from "../domain/train-state.js";
import type {
  ArtifactFilter,
  EventFilter,
  IncidentAlertFilter,
  NotificationCount,
  NotificationFilter,
  NotificationRecord,
  RecentGateResultsFilter,
  StoreReader,
  TrainCount,
  TrainFactRecord,
  TrainFilter,
} from "../engine/ports.js";
import type { Database } from "./database.js";
import { listIncidentAlerts } from "./incident-alerts.js";
import { countNotifications, countTrains } from "./notification-counts.js";
import { dueNotifications, getNotification, listNotifications } from "./notifications-outbox.js";
import {
  fromDbBoolean,
  toApproval,
  toArtifact,
  toArtifactReport,
  toCiStatus,
  toDeployment,
  toGateResult,
  toManifestItem,
  toPin,
  toStep,
  toStoredEvent,
  toTestReport,
  toToken,
  toTrain,
  toTrainException,
  toWaiver,
} from "./row-mapping.js";
import { listTrainFactsIn } from "./train-facts.js";

const TERMINAL = [...TERMINAL_STATES];

/** Implements {@link StoreReader} over one Kysely handle. */
export class KyselyStoreReader implements StoreReader {
  constructor(protected readonly db: Kysely<Database>) {}

  async getTrain(id: string): Promise<Train | undefined> {
    const row = await this.db.selectFrom("trains").selectAll().where("id", "=", id).executeTakeFirst();
    return row && toTrain(row);
  }

  /** Newest departure first (ties: newest number, then id). */
  async listTrains(filter: TrainFilter = {}): Promise<Train[]> {
    if (filter.states?.length === 0) return [];
    let query = this.db.selectFrom("trains").selectAll();
    if (filter.line !== undefined) query = query.where("line", "=", filter.line);
    if (filter.states !== undefined) query = query.where("state", "in", filter.states);
    if (filter.active) query = query.where("state", "not in", TERMINAL);
    const rows = await query
      .orderBy("departure_at", "desc")
      .orderBy("number", "desc")
      .orderBy("id", "desc")
      .limit(filter.limit ?? 100)
      .execute();
    return rows.map(toTrain);
  }

  async dueTrains(now: Instant, limit: number): Promise<Train[]> {
    const rows = await this.db
      .selectFrom("trains")
      .selectAll()
      .where("wake_at", "is not", null)
      .where("wake_at", "<=", now)
      .where("state", "not in", TERMINAL)
      .orderBy("wake_at")
      .orderBy("id")
      .limit(limit)
      .execute();
    return rows.map(toTrain);
  }

  async findTrainByDeparture(line: string, scheduledAt: Instant): Promise<Train | undefined> {
    const row = await this.db
      .selectFrom("trains")
      .selectAll()
      .where("line", "=", line)
      .where("scheduled_at", "=", scheduledAt)
      .where("kind", "=", "scheduled")
      .executeTakeFirst();
    return row && toTrain(row);
  }

  async lastTrainNumber(line: string): Promise<number> {
    const row = await this.db
      .selectFrom("trains")
      .select((eb) => eb.fn.max("number").as("number"))
      .where("line", "=", line)
      .where("kind", "=", "scheduled")
      .executeTakeFirst();
    return row?.number == null ? 0 : Number(row.number);
  }

  async lastRegularTrain(line: string, options: { reachedProduction: boolean }): Promise<Train | undefined> {
    let query = this.db
      .selectFrom("trains")
      .selectAll()
      .where("line", "=", line)
      .where("kind", "=", "scheduled");
    // `depart` sets the current wave to 0; it never goes back below.
    if (options.reachedProduction) query = query.where("current_wave", ">=", 0);
    const row = await query
      .orderBy("departure_at", "desc")
      .orderBy("number", "desc")
      .limit(1)
      .executeTakeFirst();
    return row && toTrain(row);
  }

  async countHotfixes(line: string, number: number): Promise<number> {
    const row = await this.db
      .selectFrom("trains")
      .select((eb) => eb.fn.countAll().as("count"))
      .where("line", "=", line)
      .where("kind", "=", "hotfix")
      .where("number", "=", number)
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  /** In the order they were granted. */
  async listExceptions(trainId: string): Promise<TrainException[]> {
    const rows = await this.db
      .selectFrom("train_exceptions")
      .selectAll()
      .where("train_id", "=", trainId)
      .orderBy("granted_at")
      .orderBy("blackout")
      .execute();
    return rows.map(toTrainException);
  }

  /** The released train of the line that ended last. */
  async lastReleasedTrain(line: string): Promise<Train | undefined> {
    const row = await this.db
      .selectFrom("trains")
      .selectAll()
      .where("line", "=", line)
      .where("state", "=", "released")
      .orderBy("ended_at", "desc")
      .orderBy("number", "desc")
      .limit(1)
      .executeTakeFirst();
    return row && toTrain(row);
  }

  /**
   * CI statuses of a repository's commit, oldest report first. `commit` may be abbreviated (at
   * least 7 hex digits): statuses of every commit it abbreviates, or that abbreviates it, match.
   */
  async listCiStatuses(repository: string, commit: string): Promise<CiStatus[]> {
    const sha = commit.toLowerCase();
    const rows = await this.db
      .selectFrom("ci_statuses")
      .selectAll()
      .where("repository", "=", repository.toLowerCase())
      .where((eb) =>
        eb.or([
          eb("commit_sha", "like", `${sha}%`),
          eb("commit_sha", "=", sha.slice(0, 7)),
          eb("commit_sha", "=", sha.slice(0, 8)),
          eb("commit_sha", "=", sha.slice(0, 10)),
          eb("commit_sha", "=", sha.slice(0, 12)),
        ]),
      )
      .orderBy("reported_at")
      .orderBy("event_id")
      .execute();
    return rows.map(toCiStatus);
  }

  /** By component name. */
  async listPins(): Promise<Pin[]> {
    const rows = await this.db.selectFrom("pins").selectAll().orderBy("component").execute();
    return rows.map(toPin);
  }

  /** Reports of the given artifacts, in the order they arrived. */
  async listArtifactReports(artifactIds: readonly string[]): Promise<ArtifactReport[]> {
    if (artifactIds.length === 0) return [];
    const rows = await this.db
      .selectFrom("artifact_reports")
      .selectAll()
      .where("artifact_id", "in", [...artifactIds])
      .orderBy("event_id")
      .execute();
    return rows.map(toArtifactReport);
  }

  async getReportContent(reportId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom("report_contents")
      .select("content")
      .where("report_id", "=", reportId)
      .executeTakeFirst();
    return row?.content;
  }

  /** A train's test reports (of one manifest revision when given), in the order they arrived. */
  async listTestReports(trainId: string, revision?: number): Promise<TestReport[]> {
    let query = this.db.selectFrom("test_reports").selectAll().where("train_id", "=", trainId);
    if (revision !== undefined) query = query.where("revision", "=", revision);
    const rows = await query.orderBy("event_id").execute();
    return rows.map(toTestReport);
  }

  async listWaivers(filter: { component?: string; includeRevoked?: boolean } = {}): Promise<Waiver[]> {
    let query = this.db.selectFrom("waivers").selectAll();
    if (filter.component !== undefined) query = query.where("component", "=", filter.component);
    if (!filter.includeRevoked) query = query.where("revoked_at", "is", null);
    const rows = await query.orderBy("event_id").execute();
    return rows.map(toWaiver);
  }

  async listRolloutMarks(trainId: string): Promise<RolloutMark[]> {
    const rows = await this.db
      .selectFrom("rollout_marks")
      .selectAll()
      .where("train_id", "=", trainId)
      .orderBy("event_id")
      .execute();
    return rows.map((row) => ({
      trainId: row.train_id,
      wave: row.wave,
      step: row.step,
      kind: row.kind as RolloutMark["kind"],
      actor: row.actor,
      comment: row.comment,
      at: row.marked_at,
    }));
  }

  async listIncidents(filter: { line?: string; status?: Incident["status"] } = {}): Promise<Incident[]> {
    let query = this.db.selectFrom("incidents").selectAll();
    if (filter.line !== undefined) query = query.where("line", "=", filter.line);
    if (filter.status !== undefined) query = query.where("status", "=", filter.status);
    const rows = await query.orderBy("event_id", "desc").execute();
    return rows.map((row) => ({
      id: row.id,
      line: row.line,
      trainId: row.train_id,
      title: row.title,
      detail: row.detail,
      stopsLine: fromDbBoolean(row.stops_line),
      status: row.status as Incident["status"],
      openedAt: row.opened_at,
      openedBy: row.opened_by,
      resolvedAt: row.resolved_at,
      resolvedBy: row.resolved_by,
      resolution: row.resolution,
      severity: row.severity as Incident["severity"],
      source: row.source as Incident["source"],
      startedAt: row.started_at ?? row.opened_at,
      component: row.component,
      environment: row.environment,
      labels: row.labels === null ? null : (JSON.parse(row.labels) as Record<string, string>),
    }));
  }

  listIncidentAlerts(filter: IncidentAlertFilter = {}): Promise<IncidentAlert[]> {
    return listIncidentAlerts(this.db, filter);
  }

  async listChecklistTicks(trainId: string): Promise<ChecklistTick[]> {
    const rows = await this.db
      .selectFrom("checklist_ticks")
      .selectAll()
      .where("train_id", "=", trainId)
      .orderBy("event_id")
      .execute();
    return rows.map((row) => ({
      trainId: row.train_id,
      gate: row.gate,
      item: row.item,
      revision: row.revision,
      actor: row.actor,
      note: row.note,
      at: row.ticked_at,
    }));
  }

  /** By component name. */
  async getManifest(trainId: string): Promise<ManifestItem[]> {
    const rows = await this.db
      .selectFrom("manifest_items")
      .selectAll()
      .where("train_id", "=", trainId)
      .orderBy("component")
      .execute();
    return rows.map(toManifestItem);
  }

  async getArtifact(id: string): Promise<Artifact | undefined> {
    const row = await this.db.selectFrom("artifacts").selectAll().where("id", "=", id).executeTakeFirst();
    return row && toArtifact(row);
  }

  async findArtifact(component: string, version: string): Promise<Artifact | undefined> {
    const row = await this.db
      .selectFrom("artifacts")
      .selectAll()
      .where("component", "=", component)
      .where("version", "=", version)
      .executeTakeFirst();
    return row && toArtifact(row);
  }

  /**
   * Newest push first. Filter by train or component where you can: those are indexed, and an
   * unfiltered listing reads the whole table (an index for it would slow every push).
   */
  async listArtifacts(filter: ArtifactFilter = {}): Promise<Artifact[]> {
    let query = this.db.selectFrom("artifacts").selectAll();
    if (filter.trainId !== undefined) query = query.where("train_id", "=", filter.trainId);
    if (filter.component !== undefined) query = query.where("component", "=", filter.component);
    const rows = await query
      .orderBy("event_id", "desc")
      .limit(filter.limit ?? 100)
      .execute();
    return rows.map(toArtifact);
  }

  /** In the order they were first started. */
  async listSteps(trainId: string): Promise<Step[]> {
    const rows = await this.db
      .selectFrom("steps")
      .selectAll()
      .where("train_id", "=", trainId)
      .orderBy("event_id")
      .execute();
    return rows.map(toStep);
  }

  /** In the order they were first started. */
  async runningSteps(): Promise<Step[]> {
    const rows = await this.db
      .selectFrom("steps")
      .selectAll()
      .where("status", "=", "running")
      .orderBy("event_id")
      .execute();
    return rows.map(toStep);
  }

  /** In the order they were evaluated. */
  async listGateResults(trainId: string): Promise<GateResult[]> {
    const rows = await this.db
      .selectFrom("gate_results")
      .selectAll()
      .where("train_id", "=", trainId)
      .orderBy("event_id")
      .execute();
    return rows.map(toGateResult);
  }

  /** Newest first (by event). */
  async recentGateResults(filter: RecentGateResultsFilter): Promise<GateResult[]> {
    let query = this.db.selectFrom("gate_results").selectAll("gate_results");
    if (filter.types !== undefined) {
      if (filter.types.length === 0) return [];
      query = query.where("gate_results.type", "in", [...filter.types]);
    }
    if (filter.line !== undefined) {
      query = query
        .innerJoin("trains", "trains.id", "gate_results.train_id")
        .where("trains.line", "=", filter.line);
    }
    const rows = await query.orderBy("gate_results.event_id", "desc").limit(filter.limit).execute();
    return rows.map(toGateResult);
  }

  /** In the order they were recorded. */
  async listApprovals(trainId: string): Promise<Approval[]> {
    const rows = await this.db
      .selectFrom("approvals")
      .selectAll()
      .where("train_id", "=", trainId)
      .orderBy("event_id")
      .execute();
    return rows.map(toApproval);
  }

  /** By environment, then component. */
  async listDeployments(filter: { environment?: string; component?: string } = {}): Promise<Deployment[]> {
    let query = this.db.selectFrom("deployments").selectAll();
    if (filter.environment !== undefined) query = query.where("environment", "=", filter.environment);
    if (filter.component !== undefined) query = query.where("component", "=", filter.component);
    const rows = await query.orderBy("environment").orderBy("component").execute();
    return rows.map(toDeployment);
  }

  async listEvents(filter: EventFilter = {}): Promise<StoredEvent[]> {
    if (filter.types?.length === 0) return [];
    let query = this.db.selectFrom("events").selectAll();
    if (filter.trainId !== undefined) query = query.where("train_id", "=", filter.trainId);
    if (filter.afterId !== undefined) query = query.where("id", ">", filter.afterId);
    if (filter.from !== undefined) query = query.where("time", ">=", filter.from);
    if (filter.to !== undefined) query = query.where("time", "<", filter.to);
    if (filter.actor !== undefined) query = query.where("actor", "=", filter.actor);
    if (filter.types !== undefined) query = query.where("type", "in", filter.types);
    const rows = await query
      .orderBy("id")
      .limit(filter.limit ?? 1000)
      .execute();
    return rows.map(toStoredEvent);
  }

  async lastEventId(): Promise<number> {
    const row = await this.db
      .selectFrom("events")
      .select((eb) => eb.fn.max("id").as("id"))
      .executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  dueNotifications(now: Instant, limit: number): Promise<NotificationRecord[]> {
    return dueNotifications(this.db, now, limit);
  }

  listNotifications(filter?: NotificationFilter): Promise<NotificationRecord[]> {
    return listNotifications(this.db, filter);
  }

  getNotification(id: string): Promise<NotificationRecord | undefined> {
    return getNotification(this.db, id);
  }

  countNotifications(): Promise<NotificationCount[]> {
    return countNotifications(this.db);
  }

  countTrains(): Promise<TrainCount[]> {
    return countTrains(this.db);
  }

  async findTokenByHash(hash: string): Promise<(TokenRecord & { hash: string }) | undefined> {
    const row = await this.db.selectFrom("tokens").selectAll().where("hash", "=", hash).executeTakeFirst();
    return row && { ...toToken(row), hash: row.hash };
  }

  /** Oldest first; without their hashes. */
  async listTokens(): Promise<TokenRecord[]> {
    const rows = await this.db.selectFrom("tokens").selectAll().orderBy("created_at").orderBy("id").execute();
    return rows.map(toToken);
  }

  async findSession(idHash: string): Promise<SessionRecord | undefined> {
    const row = await this.db
      .selectFrom("sessions")
      .selectAll()
      .where("id_hash", "=", idHash)
      .executeTakeFirst();
    return (
      row && {
        idHash: row.id_hash,
        csrfHash: row.csrf_hash,
        tokenId: row.token_id,
        subject: row.subject,
        roles: JSON.parse(row.roles) as string[],
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        revokedAt: row.revoked_at,
      }
    );
  }

  async listCheckpoints(range: { fromId?: number; toId?: number } = {}): Promise<AuditCheckpoint[]> {
    let query = this.db.selectFrom("audit_checkpoints").selectAll().orderBy("event_id");
    if (range.fromId !== undefined) query = query.where("event_id", ">=", range.fromId);
    if (range.toId !== undefined) query = query.where("event_id", "<=", range.toId);
    const rows = await query.execute();
    return rows.map((row) => ({
      eventId: Number(row.event_id),
      hash: row.hash,
      signedAt: row.signed_at,
      keyId: row.key_id,
      signature: row.signature,
    }));
  }

  async getSetting(key: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom("settings")
      .select("value")
      .where("key", "=", key)
      .executeTakeFirst();
    return row?.value;
  }

  async listTrainFacts(): Promise<TrainFactRecord[]> {
    return listTrainFactsIn(this.db);
  }
}
