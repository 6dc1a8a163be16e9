/**
 * The interfaces the engine owns and the outer layers implement: the store, deployers, gate
 * runners and the clock. Dependencies point inward: `src/store` and `src/integrations` import
 * these types; the engine never imports them.
 */
import type { ChecklistTick } from "../domain/checklists.js";
import type { DeployerConfig, GateConfig, RailyardConfig } from "../domain/config/schema.js";
import type { EventType, NewEvent, StoredEvent } from "../domain/events.js";
import type { TrainFact } from "../domain/metrics/train-fact.js";
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
import type { NotificationMessage } from "../domain/notifications/render.js";
import type { TrainState } from "../domain/train-state.js";

// ---------------------------------------------------------------------------------------------
// Clock

/** Where the engine gets the time. Tests and the demo inject a simulated clock. */
export interface Clock {
  now(): Date;
}

// ---------------------------------------------------------------------------------------------
// Store

export interface TrainFilter {
  line?: string;
  states?: TrainState[];
  /** Only trains not in a terminal state. */
  active?: boolean;
  /** Newest first; at most this many. @default 100 */
  limit?: number;
}

export interface EventFilter {
  trainId?: string;
  /** Only events with id greater than this. */
  afterId?: number;
  /** Inclusive lower bound on `time`. */
  from?: Instant;
  /** Exclusive upper bound on `time`. */
  to?: Instant;
  actor?: string;
  types?: EventType[];
  /** Oldest first; at most this many. @default 1000 */
  limit?: number;
}

export interface ArtifactFilter {
  trainId?: string;
  component?: string;
  /** Newest first. @default 100 */
  limit?: number;
}

/** Outcome of recomputing the hash chain. */
export type ChainVerification =
  | { ok: true; events: number; lastHash: string }
  | {
      ok: false;
      events: number;
      /** The first event whose stored hash or prev_hash does not match the recomputation. */
      brokenAt: number;
      problem: string;
    };

/** How many rows of the notification outbox have a channel and status. */
export interface NotificationCount {
  channel: string;
  /** `pending`, `delivered` or `failed` (gave up). */
  status: string;
  count: number;
}

/** How many trains of a line are in a state. */
export interface TrainCount {
  line: string;
  state: TrainState;
  count: number;
}

/** Which alerts {@link StoreReader.listIncidentAlerts} lists: every one when empty. */
export interface IncidentAlertFilter {
  incidentId?: string;
  fingerprint?: string;
}

/** A train's release-metrics fact as stored (`train_facts`). */
export interface TrainFactRecord {
  trainId: string;
  line: string;
  kind: TrainFact["kind"];
  createdAt: Instant;
  endedAt: Instant | null;
  /** The last event folded into `fact`. */
  lastEventId: number;
  fact: TrainFact;
}

/** Where an outbox row is: waiting to be sent (again), sent, or given up after `maxAttempts`. */
export type NotificationStatus = "pending" | "delivered" | "failed";

/** A row of the notification outbox to insert (see `src/store/notifications-outbox.ts`). */
export interface NotificationEnqueue {
  /** The deduplication key, `<notification key>/<channel>`, e.g. `event/812/releases`. */
  id: string;
  channel: string;
  kind: "event" | "reminder";
  topic: string;
  trainId: string | null;
  line: string | null;
  severity: string;
  message: NotificationMessage;
  /** When it may first be sent (usually now). */
  nextAttemptAt: Instant;
  createdAt: Instant;
  eventId: number | null;
}

/** A row of the notification outbox with its delivery record. */
export interface NotificationRecord extends NotificationEnqueue {
  status: NotificationStatus;
  attempts: number;
  deliveredAt: Instant | null;
  /** Why the last attempt failed, without the URL (it can hold a secret). */
  lastError: string | null;
}

export interface NotificationFilter {
  status?: NotificationStatus;
  channel?: string;
  trainId?: string;
  /** Newest first; at most this many. @default 100 */
  limit?: number;
}

/** What one delivery attempt (or a retry by a person) leaves on a row. */
export interface NotificationAttemptUpdate {
  status: NotificationStatus;
  attempts: number;
  nextAttemptAt: Instant;
  deliveredAt?: Instant | null;
  lastError?: string | null;
}

/** Read access, inside or outside a transaction. */
/** Which gate results {@link StoreReader.recentGateResults} reads. */
export interface RecentGateResultsFilter {
  /** Gate types, e.g. `["canary"]`; all when absent. */
  types?: readonly string[];
  /** Only trains of this line. */
  line?: string;
  limit: number;
}

export interface StoreReader {
  /** Pending rows due at `now` (next_attempt_at ≤ now), oldest due first, at most `limit`. */
  dueNotifications(now: Instant, limit: number): Promise<NotificationRecord[]>;
  listNotifications(filter?: NotificationFilter): Promise<NotificationRecord[]>;
  getNotification(id: string): Promise<NotificationRecord | undefined>;
  getTrain(id: string): Promise<Train | undefined>;
  listTrains(filter?: TrainFilter): Promise<Train[]>;
  /** Non-terminal trains whose wakeAt <= now, oldest wakeAt first. */
  dueTrains(now: Instant, limit: number): Promise<Train[]>;
  /**
   * The regular train of a line for the departure the timetable scheduled at that instant (a
   * blackout may have shifted its `departureAt`), if one was created. Hotfix trains never match.
   */
  findTrainByDeparture(line: string, scheduledAt: Instant): Promise<Train | undefined>;
  /** Highest number of a regular train on a line (0 when none); hotfix trains do not count. */
  lastTrainNumber(line: string): Promise<number>;
  /**
   * The line's latest regular train (by departure): of those that reached production (their first
   * wave started) when `reachedProduction`, else of all.
   */
  lastRegularTrain(line: string, options: { reachedProduction: boolean }): Promise<Train | undefined>;
  /** How many hotfix trains follow regular train `number` of the line. */
  countHotfixes(line: string, number: number): Promise<number>;
  /** Exceptions granted to a train, in the order they were granted. */
  listExceptions(trainId: string): Promise<TrainException[]>;
  /** The line's most recently released train. */
  lastReleasedTrain(line: string): Promise<Train | undefined>;

  /**
   * CI statuses of a repository's commit (normalised lowercase path), oldest report first; an
   * abbreviated commit (7+ hex digits) matches the commits it abbreviates.
   */
  listCiStatuses(repository: string, commit: string): Promise<CiStatus[]>;
  /** Pinned components, by name. */
  listPins(): Promise<Pin[]>;
  /** Reports of the given artifacts, in the order they arrived. */
  listArtifactReports(artifactIds: readonly string[]): Promise<ArtifactReport[]>;
  getReportContent(reportId: string): Promise<string | undefined>;
  /** A train's test reports (of one manifest revision when given), in the order they arrived. */
  listTestReports(trainId: string, revision?: number): Promise<TestReport[]>;

  /** Waivers, oldest first: of one component when given; revoked ones too when asked. */
  listWaivers(filter?: { component?: string; includeRevoked?: boolean }): Promise<Waiver[]>;

  /** People's marks on a train's rollout steps (promote, approve, reject), in order. */
  listRolloutMarks(trainId: string): Promise<RolloutMark[]>;
  /** Incidents, newest first: of one line, in one status, when given. */
  listIncidents(filter?: { line?: string; status?: Incident["status"] }): Promise<Incident[]>;
  /** Alerts grouped into incidents (one per incident and fingerprint), oldest change first. */
  listIncidentAlerts(filter?: IncidentAlertFilter): Promise<IncidentAlert[]>;

  /** Ticks of a train's checklist gates, in the order they were given. */
  listChecklistTicks(trainId: string): Promise<ChecklistTick[]>;

  getManifest(trainId: string): Promise<ManifestItem[]>;
  getArtifact(id: string): Promise<Artifact | undefined>;
  findArtifact(component: string, version: string): Promise<Artifact | undefined>;
  listArtifacts(filter?: ArtifactFilter): Promise<Artifact[]>;
  listSteps(trainId: string): Promise<Step[]>;
  /** Steps left `running` (by a crash, or by work in flight in this process). */
  runningSteps(): Promise<Step[]>;
  listGateResults(trainId: string): Promise<GateResult[]>;
  /**
   * Gate results across trains, newest first (by the event that recorded them): the latest canary
   * analyses, say, without reading every train.
   */
  recentGateResults(filter: RecentGateResultsFilter): Promise<GateResult[]>;
  /** In the order they were recorded. */
  listApprovals(trainId: string): Promise<Approval[]>;
  /** Current versions per environment and component. */
  listDeployments(filter?: { environment?: string; component?: string }): Promise<Deployment[]>;

  listEvents(filter?: EventFilter): Promise<StoredEvent[]>;
  /** The id of the newest event (0 for an empty log): where a live tail starts. */
  lastEventId(): Promise<number>;
  /** Rows of the notification outbox per channel and status (for `/metrics`). */
  countNotifications(): Promise<NotificationCount[]>;
  /** Trains per line and state, terminal states included (for `/metrics`). */
  countTrains(): Promise<TrainCount[]>;

  findTokenByHash(hash: string): Promise<(TokenRecord & { hash: string }) | undefined>;
  listTokens(): Promise<TokenRecord[]>;
  /** A session by the hash of its cookie's value (revoked and expired ones too). */
  findSession(idHash: string): Promise<SessionRecord | undefined>;
  /** Signed checkpoints, oldest first: those at events in [fromId, toId] when given. */
  listCheckpoints(range?: { fromId?: number; toId?: number }): Promise<AuditCheckpoint[]>;
  getSetting(key: string): Promise<string | undefined>;
  /** Every train's release-metrics fact (see `src/engine/metrics-book.ts`). */
  listTrainFacts(): Promise<TrainFactRecord[]>;
}

/** Write access inside a transaction. */
export interface StoreWriter extends StoreReader {
  /**
   * Appends events to the hash chain at `time` and applies their projections, in order.
   * @throws when a projection's constraint fails (the whole transaction is then rolled back).
   */
  append(events: NewEvent[], time: Instant): Promise<StoredEvent[]>;
  setWakeAt(trainId: string, wakeAt: Instant | null): Promise<void>;
  insertToken(token: TokenRecord & { hash: string }): Promise<void>;
  touchToken(id: string, at: Instant): Promise<void>;
  insertSession(session: SessionRecord): Promise<void>;
  /** Marks a session revoked (a logout); false when there is no such live session. */
  revokeSession(idHash: string, at: Instant): Promise<boolean>;
  /**
   * Records the keys of an inbound webhook delivery (its delivery id, its signature's hash) as
   * accepted, unless one of them was accepted before: then nothing is recorded and the key seen
   * before is returned (a replay).
   */
  claimWebhookDelivery(provider: string, keys: string[], at: Instant): Promise<string | null>;
  /** Forgets deliveries accepted before `before` (older ones are refused by their age). */
  pruneWebhookDeliveries(before: Instant): Promise<number>;
  insertCheckpoint(checkpoint: AuditCheckpoint): Promise<void>;
  setSetting(key: string, value: string): Promise<void>;
  /** Inserts or updates train facts; a stored fact folded further (higher `lastEventId`) is kept. */
  putTrainFacts(rows: readonly TrainFactRecord[]): Promise<void>;
  /** Inserts outbox rows whose id is new (others are left as they are); returns how many were inserted. */
  enqueueNotifications(rows: NotificationEnqueue[]): Promise<number>;
  /**
   * Takes a due pending row for one delivery attempt: moves its `next_attempt_at` from `due` to
   * `leaseUntil`, so another replica does not send it meanwhile. False when it was no longer
   * pending at `due` (someone else took it).
   */
  claimNotification(id: string, due: Instant, leaseUntil: Instant): Promise<boolean>;
  /**
   * Records a delivery attempt or a retry on a row.
   * @throws {StoreError} when there is no such row.
   */
  recordNotificationAttempt(id: string, update: NotificationAttemptUpdate): Promise<void>;
  /** Keeps a report's bytes beside the `report.received` event that names them. */
  putReportContent(reportId: string, content: string): Promise<void>;
}

/** One artifact to record unless its component version exists already. */
export interface ArtifactAppend {
  component: string;
  version: string;
  /** The events recording it (an `artifact.pushed`). */
  events: NewEvent[];
}

/** What {@link Store.appendArtifacts} did with one item. */
export type ArtifactAppendResult =
  | { kind: "appended"; eventIds: number[] }
  | { kind: "exists"; artifact: Artifact; train: Train | null };

export interface Store extends StoreReader {
  readonly dialect: "sqlite" | "postgres";
  /**
   * Records artifacts in one transaction (group commit for CI's bursts), in order: an item whose
   * component version exists already, also one recorded earlier in the same call, is not
   * appended and its existing artifact (and train) is returned instead. A SQLite store may run
   * this on a worker thread, so that hashing, SQL and the commit's fsync leave the event loop.
   * @throws when the transaction fails; then nothing of the call was written.
   */
  appendArtifacts(items: ArtifactAppend[], time: Instant): Promise<ArtifactAppendResult[]>;
  /** Runs `fn` in one transaction; events appended in it commit or vanish together with it. */
  transaction<T>(fn: (tx: StoreWriter) => Promise<T>): Promise<T>;
  /** Convenience for one append outside an explicit transaction. */
  append(events: NewEvent[], time: Instant): Promise<StoredEvent[]>;
  setWakeAt(trainId: string, wakeAt: Instant | null): Promise<void>;
  /** Wakes every non-terminal train (used at startup so crashed work resumes). */
  wakeAllActive(now: Instant): Promise<number>;
  /** Recomputes the hash chain from the first event. */
  verifyChain(): Promise<ChainVerification>;
  /**
   * The iCalendar SEQUENCE of each feed event, in one transaction: an unseen uid is recorded
   * with sequence 0, a uid whose fingerprint changed gets its sequence raised by 1 (once per
   * change: calling again with the same fingerprints changes nothing). Returns every given uid's
   * sequence. Not part of the event log.
   */
  calendarSequences(
    entries: ReadonlyArray<{ uid: string; fingerprint: string }>,
    at: Instant,
  ): Promise<Map<string, number>>;
  /** Streams events oldest first in pages (for export). */
  streamEvents(filter?: Omit<EventFilter, "limit">, pageSize?: number): AsyncIterable<StoredEvent>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Deployers

export interface DeployRequest {
  trainId: string;
  line: string;
  component: string;
  /** The version to run; for a rollback, the version to return to (null: remove / never released). */
  version: string | null;
  previousVersion: string | null;
  environments: string[];
  /** Wave name, or `integration`. */
  wave: string;
  /** Stable across retries of the same step attempt and across crashes: `<train>/<step key>#<attempt>`. */
  idempotencyKey: string;
  /**
   * For rollbacks: the step key whose deployment to undo (the gitops deployer reverts the commits
   * carrying it).
   */
  undoStepKey?: string;
  /**
   * For rollbacks that undo several steps (every canary step, batch or blue-green phase of a
   * component in a wave): all their keys, `undoStepKey` among them.
   */
  undoStepKeys?: string[];
  /**
   * Share of traffic (0–100) the new version takes after this request. Absent: 100, a plain
   * deployment. See docs/design/rollout.md.
   */
  weight?: number;
  /**
   * The progressive-delivery phase: `canary` (a weight below 100), `preview` (blue-green's green,
   * no traffic), `promote` (the new version takes all traffic), `retire` (blue-green: remove the
   * old version after the rollback window). Absent: a plain deployment.
   */
  phase?: DeployPhase;
  /** The wave's strategy. @default "allAtOnce" */
  strategy?: "allAtOnce" | "canary" | "blueGreen";
  signal: AbortSignal;
}

export type DeployPhase = "canary" | "preview" | "promote" | "retire";

export interface DeployResult {
  /** What happened, for people (kept as the step's output). */
  output: string;
  /** Reference of the change (a commit SHA), if any. */
  reference: string | null;
  /** True when the work was found already done for this idempotency key and nothing was repeated. */
  alreadyDone: boolean;
}

/** Deploys and rolls back components. Implementations must be idempotent on `idempotencyKey`. */
export interface Deployer {
  deploy(request: DeployRequest): Promise<DeployResult>;
  rollback(request: DeployRequest): Promise<DeployResult>;
}

/** Builds the deployer for a named `deployers:` entry. */
export type DeployerFactory = (name: string, config: DeployerConfig) => Deployer;

// ---------------------------------------------------------------------------------------------
// Gates

export interface GateContext {
  trainId: string;
  line: string;
  /** `gating` or `verify/<wave>` */
  stage: string;
  wave: string | null;
  environments: string[];
  manifest: Array<{ component: string; version: string; previousVersion: string | null }>;
  attempt: number;
  /**
   * For gates run as analyses of a canary step: which of `of` analyses this is. An interim one
   * (`index < of`) passes at the marginal threshold; the last must reach the pass threshold.
   */
  analysis?: { index: number; of: number };
  signal: AbortSignal;
}

export interface GateOutcome {
  status: "passed" | "failed";
  /** Refines `failed` into fail, inconclusive or error (absent: pass when passed, else fail). */
  verdict?: "pass" | "fail" | "inconclusive" | "error";
  /** Evidence for people: program output, HTTP status and body excerpt, or the error. */
  output: string;
  durationMs: number;
  /**
   * Structured evidence kept with the gate result for the dashboard (a canary analysis: score,
   * groups, per-metric verdicts and the series behind them). Must be JSON-serialisable.
   */
  detail?: unknown;
}

/** A measured burn rate of a line's error-budget SLO. */
export interface BurnReading {
  /** The burn rate (error ratio over the window / (1 − objective)); null when there is no data. */
  burnRate: number | null;
  /** What was measured, for people: the SLO, the window, the ratio. */
  detail: string;
}

/** Measures how fast a line's error-budget SLO burns (its `errorBudget`). */
export interface BudgetProbe {
  /** @throws when the source cannot be queried (the policy then pauses nothing) */
  burn(line: string): Promise<BurnReading>;
}

/** Measures a line's error-budget SLO over a past stretch of time (for postmortem drafts). */
export interface SloBurnProbe {
  /**
   * The burn rate of the line's `errorBudget` SLO over [from, to]: one instant query at `to` with
   * a window of `to − from`.
   * @throws when the line has no errorBudget, or its Prometheus cannot be queried
   */
  burnBetween(line: string, from: Date, to: Date): Promise<BurnReading & { slo: string }>;
}

/** Measures a line's error ratio (bad / all requests) for the post-release comparison (M5). */
export interface ErrorRateProbe {
  /**
   * The line's error ratio over `window` ending at `at`; null when the line has no error-rate
   * query (no `measure.errorRate` and no `errorBudget` SLO) or there was no data.
   * @throws when the source cannot be queried (the measurement is then tried again later)
   */
  errorRate(line: string, at: Date, window: string): Promise<{ ratio: number | null; detail: string }>;
}

/** Evaluates gates. A gate that cannot be evaluated (timeout, unreachable) fails with the reason. */
export interface GateRunner {
  run(gate: GateConfig, context: GateContext): Promise<GateOutcome>;
}

// ---------------------------------------------------------------------------------------------
// Notifications

/** What a delivery attempt came to; `retryAfterMs` from a 429's Retry-After, `permanent` when retrying cannot help. */
export type SendResult =
  | { ok: true }
  | { ok: false; error: string; retryAfterMs?: number; permanent?: boolean };

/**
 * Delivers a rendered message to one channel (Slack, a CloudEvents webhook, SMTP). Never throws
 * for a failed delivery: it answers `{ok: false}` with the reason, which must not contain the
 * channel's URL or credentials. Stops when `signal` aborts.
 */
export interface NotificationSender {
  send(channel: string, message: NotificationMessage, signal: AbortSignal): Promise<SendResult>;
}

/**
 * Builds the sender of the named channel under `config` (the configuration in force).
 * @throws when the channel does not exist in `config`.
 */
export type NotificationSenderFactory = (channel: string, config: RailyardConfig) => NotificationSender;

// ---------------------------------------------------------------------------------------------
// Observability hooks

/**
 * Test seam for crash-safety tests: called at named points of every step. A server started with
 * `RAILYARD_FAILPOINT` kills itself at the matching point; in normal runs it does nothing.
 */
export type Failpoint = (name: string) => void;

// ---------------------------------------------------------------------------------------------
// Logging

/** The slice of pino's logger the engine uses; pass a pino logger. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}
