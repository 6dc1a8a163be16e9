/**
 * The database layout, as Kysely table types. Columns are snake_case; the mapping to the records
 * of `domain/model.ts` lives in `row-mapping.ts` and nowhere else.
 *
 * One representation for both SQLite and PostgreSQL:
 * - instants are `text` holding ISO 8601 UTC with milliseconds (`2026-01-06T09:00:00.000Z`),
 *   which sort as the instants do;
 * - JSON is `text` holding canonical JSON;
 * - booleans are `integer` 0/1;
 * - event ids are `integer` on SQLite (the rowid) and `bigint` on PostgreSQL, read back as
 *   JavaScript numbers (see `postgres-pool.ts`).
 *
 * `event_id` columns on projections hold the id of the event that created the row; they give
 * "newest first" and "in order" listings an exact order even when many rows share an instant.
 */

/** The hash-chained, append-only event log: the source of truth. */
export interface EventsTable {
  id: number;
  train_id: string | null;
  type: string;
  actor: string;
  /** Canonical JSON. */
  payload: string;
  time: string;
  prev_hash: string;
  hash: string;
}

/** One row (id = 1): the last event of the chain, kept in step with `events` by every append. */
export interface ChainHeadTable {
  id: number;
  last_id: number;
  last_hash: string;
}

/** Projection: one row per train, its current state (`domain/model.ts` `Train`). */
export interface TrainsTable {
  id: string;
  line: string;
  number: number;
  kind: string;
  state: string;
  resume_to: string | null;
  reason: string | null;
  cutoff_at: string;
  departure_at: string;
  /** The timetable's instant of a regular train's departure (null for hotfix trains). Since 0002. */
  scheduled_at: string | null;
  /** `window`, `blackout` or `manual` while paused. Since 0002. */
  pause_cause: string | null;
  /** When the engine resumes a train it paused. Since 0002. */
  resume_at: string | null;
  /** JSON of the last rollback's scope (`{"wave": "eu"}`); null: the whole train. Since 0006. */
  rollback_scope: string | null;
  manifest_revision: number;
  current_wave: number;
  wave_deployed_at: string | null;
  wake_at: string | null;
  created_at: string;
  updated_at: string;
  ended_at: string | null;
}

/** Projection: every artifact pushed; unique per (component, version). */
export interface ArtifactsTable {
  id: string;
  component: string;
  version: string;
  /** The source commit (`commit` is an SQL keyword). */
  commit_sha: string;
  build_url: string | null;
  digest: string | null;
  /** JSON array of `{component, version}`. */
  depends_on: string;
  train_id: string | null;
  /** 0/1 */
  dropped: number;
  /** JSON of the CI status the push carried, or null. Since 0003. */
  ci: string | null;
  pushed_by: string;
  /** JSON array of the commits' authors' login names, or null (none given, or pushed before 0007). */
  authors: string | null;
  pushed_at: string;
  event_id: number;
}

/** Projection: the frozen manifest of each train, one row per component. */
export interface ManifestItemsTable {
  train_id: string;
  component: string;
  version: string;
  artifact_id: string;
  previous_version: string | null;
  status: string;
  reason: string | null;
  revision: number;
  /** JSON array of the version's constraints. Since 0003. */
  depends_on: string;
}

/** Projection: durable steps, one row per (train, key, attempt). */
export interface StepsTable {
  id: string;
  train_id: string;
  key: string;
  kind: string;
  attempt: number;
  status: string;
  idempotency_key: string;
  started_at: string;
  finished_at: string | null;
  output: string | null;
  error: string | null;
  duration_ms: number | null;
  event_id: number;
}

/** Projection: every gate evaluation, in the order they happened. */
export interface GateResultsTable {
  id: string;
  train_id: string;
  stage: string;
  gate: string;
  type: string;
  attempt: number;
  status: string;
  /** pass, fail, inconclusive or error; null in rows from before 0004 (derive it from status). */
  verdict: string | null;
  output: string;
  duration_ms: number;
  /** JSON evidence (a canary analysis); null when the gate kept none. Since 0006. */
  detail: string | null;
  evaluated_at: string;
  event_id: number;
}

/** Projection: every approval decision. */
export interface ApprovalsTable {
  id: string;
  train_id: string;
  approver: string;
  decision: string;
  comment: string | null;
  manifest_revision: number;
  decided_at: string;
  event_id: number;
}

/** Projection: the version of each component currently running in each environment. */
export interface DeploymentsTable {
  environment: string;
  component: string;
  version: string;
  train_id: string;
  updated_at: string;
}

/** Projection: exceptions people granted trains to deploy through a blackout. Since 0002. */
export interface TrainExceptionsTable {
  train_id: string;
  blackout: string;
  actor: string;
  reason: string;
  granted_at: string;
}

/**
 * The iCalendar feed's memory of each event it published: a changed event gets a higher
 * SEQUENCE so calendar clients replace their copy. Not part of the event log. Since 0002.
 */
export interface CalendarEventsTable {
  uid: string;
  /** Hash of what the event said when it was last published. */
  fingerprint: string;
  sequence: number;
  updated_at: string;
}

/** Projection: the latest CI status per repository, commit and source. Since 0003. */
export interface CiStatusesTable {
  repository: string;
  commit_sha: string;
  provider: string;
  name: string;
  state: string;
  conclusion: string | null;
  url: string | null;
  ref: string | null;
  reported_at: string;
  event_id: number;
}

/** Projection: pinned components. Since 0003. */
export interface PinsTable {
  component: string;
  line: string;
  version: string | null;
  reason: string;
  actor: string;
  pinned_at: string;
}

/** Projection: reports pushed for artifacts. Since 0003. */
export interface ArtifactReportsTable {
  id: string;
  artifact_id: string;
  kind: string;
  format: string;
  name: string | null;
  sha256: string;
  size: number;
  received_at: string;
  actor: string;
  event_id: number;
}

/** The bytes of reports (the event names them by SHA-256). Written beside the event. Since 0003. */
export interface ReportContentsTable {
  report_id: string;
  content: string;
}

/** Projection: JUnit results per train and manifest revision. Since 0003. */
export interface TestReportsTable {
  id: string;
  train_id: string;
  revision: number;
  suite: string;
  /** JSON TestSummary. */
  summary: string;
  /** JSON TestCase[]. */
  cases: string;
  received_at: string;
  actor: string;
  event_id: number;
}

/** Projection: waivers of findings. Since 0004. */
export interface WaiversTable {
  id: string;
  component: string;
  finding: string;
  justification: string;
  approver: string;
  expires_at: string;
  created_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  event_id: number;
}

/** Projection: ticks of checklist gates' items. Since 0005. */
export interface ChecklistTicksTable {
  train_id: string;
  gate: string;
  item: string;
  revision: number;
  actor: string;
  note: string | null;
  ticked_at: string;
  event_id: number;
}

/** Projection: people promoting, approving or rejecting steps of a train's rollout. Since 0006. */
export interface RolloutMarksTable {
  train_id: string;
  wave: string;
  step: string;
  kind: string;
  actor: string;
  comment: string | null;
  marked_at: string;
  event_id: number;
}

/** Projection: incidents (a failed rollback opens one; an open one may stop its line). Since 0006. */
export interface IncidentsTable {
  id: string;
  line: string;
  train_id: string | null;
  title: string;
  detail: string | null;
  /** 0/1 */
  stops_line: number;
  status: string;
  opened_at: string;
  opened_by: string;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution: string | null;
  event_id: number;
  /** critical | warning | info (older rows: critical) */
  severity: string;
  /** manual | alertmanager | rollback (older rows: rollback) */
  source: string;
  /** When the problem started (an alert's startsAt); null in older rows: opened_at. */
  started_at: string | null;
  component: string | null;
  environment: string | null;
  /** JSON object of the labels that matched it, or null. */
  labels: string | null;
}

/** Alerts grouped into an incident, one row per Alertmanager fingerprint (`incident.alert`). */
export interface IncidentAlertsTable {
  incident_id: string;
  fingerprint: string;
  alertname: string;
  /** firing | resolved */
  status: string;
  severity: string;
  /** JSON object */
  labels: string;
  starts_at: string;
  ends_at: string | null;
  updated_at: string;
  event_id: number;
}

/** Per-train facts for the release metrics, folded from the event log (see the metrics book). */
export interface TrainFactsTable {
  train_id: string;
  line: string;
  /** regular | hotfix */
  kind: string;
  created_at: string;
  /** When the train reached a terminal state; null while active. */
  ended_at: string | null;
  /** The last event folded into `fact`. */
  last_event_id: number;
  /** The domain's TrainFact in its compact stored form (`encodeTrainFact`, a JSON array). */
  fact: string;
}

/** The notification outbox: one row per message to one channel, keyed for deduplication. */
export interface NotificationsTable {
  /** The deduplication key, e.g. `event/812/slack-releases` or `reminder/cutoff/web-12/2h/team-a`. */
  id: string;
  channel: string;
  /** event | reminder */
  kind: string;
  /** The event type or reminder kind, e.g. `train.released`, `reminder.cutoff`. */
  topic: string;
  train_id: string | null;
  line: string | null;
  /** critical | warning | info */
  severity: string;
  /** JSON of the message to send. */
  payload: string;
  /** pending | delivered | failed (gave up) */
  status: string;
  attempts: number;
  next_attempt_at: string;
  created_at: string;
  delivered_at: string | null;
  last_error: string | null;
  /** The event it announces, if any. */
  event_id: number | null;
}

/** API tokens, written by `insertToken`; revocation comes from the `token.revoked` event. */
export interface TokensTable {
  id: string;
  /** Hash of the secret; the secret itself is never stored. */
  hash: string;
  name: string;
  subject: string;
  /** JSON array of role names. */
  roles: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  /** `user` (acts as its subject) or `ci` (pushes artifacts and reports only). */
  kind: string;
  /** CI tokens: JSON array of the components it may push for; null for user tokens. */
  components: string | null;
}

/** Dashboard sessions (cookie login); the cookie's value and the CSRF token are kept hashed. */
export interface SessionsTable {
  id_hash: string;
  csrf_hash: string;
  /** The token exchanged for the session; null for the bootstrap admin token. */
  token_id: string | null;
  subject: string;
  /** JSON array of role names. */
  roles: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

/** Inbound webhook deliveries accepted once: a delivery seen again is a replay. */
export interface WebhookDeliveriesTable {
  provider: string;
  /** A delivery id, or `sig:<hash of the signature>`. */
  key: string;
  received_at: string;
}

/** Ed25519 signatures over the chain head at an event. */
export interface AuditCheckpointsTable {
  event_id: number;
  hash: string;
  signed_at: string;
  key_id: string;
  /** base64 Ed25519 signature of the checkpoint statement. */
  signature: string;
}

/** Small key-value settings (`config.hash`, `clock.simulated`). */
export interface SettingsTable {
  key: string;
  value: string;
}

/** Every table Railyard keeps, for `Kysely<Database>`. */
export interface Database {
  events: EventsTable;
  chain_head: ChainHeadTable;
  trains: TrainsTable;
  artifacts: ArtifactsTable;
  manifest_items: ManifestItemsTable;
  steps: StepsTable;
  gate_results: GateResultsTable;
  approvals: ApprovalsTable;
  deployments: DeploymentsTable;
  tokens: TokensTable;
  settings: SettingsTable;
  train_exceptions: TrainExceptionsTable;
  calendar_events: CalendarEventsTable;
  ci_statuses: CiStatusesTable;
  pins: PinsTable;
  artifact_reports: ArtifactReportsTable;
  report_contents: ReportContentsTable;
  test_reports: TestReportsTable;
  waivers: WaiversTable;
  checklist_ticks: ChecklistTicksTable;
  rollout_marks: RolloutMarksTable;
  incidents: IncidentsTable;
  incident_alerts: IncidentAlertsTable;
  train_facts: TrainFactsTable;
  notifications: NotificationsTable;
  sessions: SessionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  audit_checkpoints: AuditCheckpointsTable;
}

/** The two databases Railyard runs on. */
export type StoreDialect = "sqlite" | "postgres";
