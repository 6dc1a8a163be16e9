/**
 * Railyard's engine as one object: the reconciler, the boarding desk, people's actions, tokens,
 * the configuration in force, and the read models the API, CLI and dashboard show. The shells
 * (`src/api`, `src/cli`) only validate input, call this, and render.
 */
import { type AccessDecision, type AccessResource, type Action, decide } from "../domain/access.js";
import {
  type ApprovalTally,
  describeApprovalRule,
  shippedArtifacts,
  tallyApprovals,
} from "../domain/approval.js";
import type { DeploymentRules } from "../domain/calendar/deploy-permit.js";
import type { RailyardConfig, ScheduleConfig } from "../domain/config/schema.js";
import { parseDuration } from "../domain/duration.js";
import { type AuditTarget, type StoredEvent, SYSTEM_ACTOR } from "../domain/events.js";
import type { TrainFact } from "../domain/metrics/train-fact.js";
import type { MetricsQuery, ReleaseMetricsReport } from "../domain/metrics/types.js";
import type {
  Approval,
  Artifact,
  ArtifactReport,
  CiStatus,
  Deployment,
  GateResult,
  Incident,
  IncidentAlert,
  Instant,
  ManifestItem,
  Pin,
  Step,
  TestReport,
  TokenRecord,
  Train,
  TrainException,
  Waiver,
} from "../domain/model.js";
import type { Departure } from "../domain/timetable.js";
import { availableActions, type TrainAction } from "../domain/train-actions.js";
import { isTerminal, type TrainState } from "../domain/train-state.js";
import { describeTrainState } from "../domain/train-status.js";
import {
  type ApprovalResult,
  type DropResult,
  type ExceptionResult,
  type PinResult,
  type Principal,
  TrainActions,
} from "./actions.js";
import type { AuditSigningKey } from "./audit-keys.js";
import { AuditSigner } from "./audit-signer.js";
import { type AuditContext, auditEventFor, auditingStore, runAudited, snapshotOf } from "./audit-trail.js";
import { BackgroundJobs } from "./background-jobs.js";
import { type ArtifactPush, BoardingDesk, type PushResult } from "./boarding-desk.js";
import { buildCalendarFeed, type CalendarFeedQuery } from "./calendar.js";
import { Checklists, type ChecklistView, withChecklistGates } from "./checklists.js";
import { SimulatedClock } from "./clock.js";
import { type EngineContext, nowInstant } from "./context.js";
import {
  ConflictError,
  ForbiddenError,
  InvalidConfigError,
  InvalidInputError,
  NotFoundError,
} from "./errors.js";
import { type CiRecordResult, type DeliveryClaim, Evidence, type ManifestDiff } from "./evidence.js";
import { type HotfixRequest, HotfixTrains } from "./hotfix-trains.js";
import {
  type DeliveryResult,
  IncidentDesk,
  type IncidentReport,
  type ReceivedAlert,
} from "./incident-desk.js";
import { KeyedMutex } from "./keyed-mutex.js";
import { MetricsBook } from "./metrics-book.js";
import { Notifier } from "./notifier.js";
import { withPolicyGates } from "./policy-gate-runner.js";
import type {
  BudgetProbe,
  Clock,
  DeployerFactory,
  ErrorRateProbe,
  EventFilter,
  Failpoint,
  GateRunner,
  Logger,
  NotificationFilter,
  NotificationRecord,
  NotificationSenderFactory,
  SloBurnProbe,
  Store,
  TrainFilter,
} from "./ports.js";
import { draftPostmortem, type PostmortemDraft } from "./postmortem-writer.js";
import { Reconciler, type TickSummary } from "./reconciler.js";
import { ReleaseMeasurer } from "./release-measurer.js";
import { type ConfigSource, RuntimeConfig } from "./runtime-config.js";
import { withSecurityGates } from "./security-gate-runner.js";
import { withTestsGates } from "./tests-gate-runner.js";
import { type NewToken, newTokenId, Tokens } from "./tokens.js";
import { transitionEvent } from "./transitions.js";
import { type WaiverRequest, Waivers } from "./waivers.js";

export interface LoadedConfig {
  config: RailyardConfig;
  meta: ConfigSource;
}

export interface RailyardOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  config: LoadedConfig;
  deployerFactory: DeployerFactory;
  gates: GateRunner;
  /** Measures error-budget burn for lines with an `errorBudget`; without it the policy is off. */
  budget?: BudgetProbe;
  /** Measures SLO burn over an incident's stretch for postmortem drafts; without it drafts say so. */
  sloBurn?: SloBurnProbe;
  /** Measures lines' error ratios before and after releases (M5, job `measure`); without it nothing is measured. */
  errorRate?: ErrorRateProbe;
  /** Reads and validates the configuration again (SIGHUP, `POST /api/v1/config/reload`). */
  loadConfig?: () => Promise<LoadedConfig>;
  /** Plaintext of `RAILYARD_ADMIN_TOKEN`, if set. */
  adminToken?: string;
  failpoint?: Failpoint;
  /** Real milliseconds between background ticks. @default 250 */
  tickIntervalMs?: number;
  /** Signs checkpoints of the audit chain (`audit.signingKeyFromEnv`); without it checkpoints are off. */
  auditSigningKey?: AuditSigningKey | undefined;
  /** Builds the senders of notification channels; without it notifications are queued but not sent. */
  notify?: NotificationSenderFactory | undefined;
}

/** Mutations a principal may attempt (see the permission matrix in `src/domain/access.ts`). */
export type { Action } from "../domain/access.js";

export type { TrainAction } from "../domain/train-actions.js";

export interface WaveStatus {
  name: string;
  environments: string[];
  status: "pending" | "deploying" | "baking" | "verifying" | "done" | "failed" | "rolled_back";
}

/** A train as the API shows it: with its state in words. */
export type TrainRecord = Train & {
  /** `paused: outside window — resumes 2026-03-03 10:00 CET (Europe/Berlin)` */
  statusText: string;
};

export interface TrainDetail {
  train: TrainRecord;
  /** What it waits for, in words (null while working or ended). */
  waitingFor: string | null;
  /** A rollout step waiting for a person: promote it, or approve it (null otherwise). */
  awaiting: { wave: string; step: string; kind: "promote" | "approval" } | null;
  allowedActions: TrainAction[];
  manifest: ManifestItem[];
  /** Artifacts that boarded it (while boarding, the manifest is not frozen yet). */
  artifacts: Artifact[];
  gates: GateResult[];
  /** The approval tally now (per group, and whose approvals do not count and why) and every record. */
  approval: ApprovalTally & { records: Approval[] };
  waves: WaveStatus[];
  steps: Step[];
  /** The manifest against production: from → to per component, commits and compare links. */
  diff: ManifestDiff;
  /** JUnit results recorded for the current manifest revision (summaries, without the cases). */
  testReports: Array<Omit<TestReport, "cases">>;
  events: StoredEvent[];
}

/** Whether a gate result's structured evidence is a canary analysis (`{kind: "canary", …}`). */
const isCanaryEvidence = (detail: unknown): boolean =>
  typeof detail === "object" && detail !== null && (detail as { kind?: unknown }).kind === "canary";

/** A train in flight as the on-call view shows it: see {@link Railyard.progress}. */
export interface TrainProgress {
  waitingFor: string | null;
  awaiting: TrainDetail["awaiting"];
  allowedActions: TrainAction[];
  waves: WaveStatus[];
  /** When it entered its current state (its latest transition there), or its creation. */
  enteredStateAt: Instant;
  /** Its steps running now (deploys, gates, rollbacks), oldest first. */
  stepsInFlight: Step[];
  /** Its newest gate result holding a canary analysis, or null. */
  canary: GateResult | null;
}

export interface LineSummary {
  name: string;
  description: string | null;
  components: string[];
  schedule: ScheduleConfig;
  approval: string;
  waves: string[];
  nextDepartures: Departure[];
  activeTrains: Array<Pick<Train, "id" | "state" | "cutoffAt" | "departureAt" | "reason">>;
}

export class Railyard {
  readonly tokens: Tokens;
  /** Signs the audit chain's head every `audit.checkpointEvery` of the engine's clock. */
  readonly auditSigner: AuditSigner;
  /**
   * Work besides reconciling, run after every tick in order: incidents, metrics, measurements,
   * notifications (see `background-jobs.ts`). Add jobs in the constructor.
   */
  readonly jobs: BackgroundJobs;
  private runtime: RuntimeConfig;
  private readonly ctx: EngineContext;
  private readonly desk: BoardingDesk;
  private readonly actions: TrainActions;
  private readonly hotfixes: HotfixTrains;
  private readonly evidence: Evidence;
  private readonly waiverBook: Waivers;
  private readonly checklists: Checklists;
  private readonly reconciler: Reconciler;
  private readonly incidentDesk: IncidentDesk;
  private readonly metricsBook: MetricsBook;

  private constructor(private readonly options: RailyardOptions) {
    this.runtime = new RuntimeConfig(options.config.config, options.config.meta, options.deployerFactory);
    const locks = new KeyedMutex();
    this.ctx = {
      store: auditingStore(options.store),
      clock: options.clock,
      logger: options.logger,
      gates: withChecklistGates(
        withPolicyGates(
          withSecurityGates(withTestsGates(options.gates, options.store), options.store, () =>
            options.clock.now(),
          ),
          options.store,
          { now: () => options.clock.now(), config: () => this.runtime },
        ),
        options.store,
      ),
      ...(options.budget ? { budget: options.budget } : {}),
      failpoint: options.failpoint ?? (() => {}),
      locks,
      config: () => this.runtime,
      wake: () => this.reconciler.wake(),
    };
    this.desk = new BoardingDesk(this.ctx);
    this.reconciler = new Reconciler(this.ctx, this.desk, options.tickIntervalMs ?? 250);
    this.actions = new TrainActions(this.ctx, this.desk, () => this.reconciler.recheckLines());
    this.hotfixes = new HotfixTrains(this.ctx, this.desk);
    this.incidentDesk = new IncidentDesk(this.ctx);
    this.waiverBook = new Waivers(this.ctx);
    this.checklists = new Checklists(this.ctx, (trainId, who) => this.actions.retry(trainId, who));
    this.evidence = new Evidence(this.ctx, (trainId, component, reason) =>
      this.actions.holdAfterCutoff(trainId, component, reason, SYSTEM_ACTOR, {
        event: `${component} held: ${reason}`,
        everyone: `every component was held (${component}: ${reason})`,
      }),
    );
    this.tokens = new Tokens(this.ctx, options.adminToken);
    this.auditSigner = new AuditSigner({
      store: options.store,
      clock: options.clock,
      logger: options.logger,
      key: options.auditSigningKey,
      every: () => parseDuration(this.runtime.config.audit.checkpointEvery),
    });
    this.jobs = new BackgroundJobs(options.logger);
    // Background jobs, in the order they run (each adds itself on its own line):
    this.metricsBook = new MetricsBook({
      store: options.store,
      logger: options.logger,
      teamOf: (component) => this.runtime.config.components[component]?.team,
    });
    this.jobs.add({ name: "metrics", run: async () => void (await this.metricsBook.catchUp()) });
    if (options.errorRate) {
      this.jobs.add(
        new ReleaseMeasurer({
          store: options.store,
          clock: options.clock,
          logger: options.logger,
          probe: options.errorRate,
          config: () => this.runtime.config,
          releases: async () => {
            await this.metricsBook.catchUp();
            return this.metricsBook.unmeasuredReleases();
          },
        }),
      );
    }
    this.jobs.add(new Notifier(this.ctx, { senders: options.notify }));
  }

  /**
   * Builds the engine and records the configuration in the audit trail when it changed.
   * @throws {InvalidConfigError} when the configuration cannot run (e.g. a schedule that cannot be compiled)
   */
  static async create(options: RailyardOptions): Promise<Railyard> {
    const railyard = new Railyard(options);
    await railyard.recordConfig(SYSTEM_ACTOR);
    return railyard;
  }

  get store(): Store {
    return this.options.store;
  }

  get clock(): Clock {
    return this.options.clock;
  }

  get config(): RailyardConfig {
    return this.runtime.config;
  }

  get configSource(): ConfigSource {
    return this.runtime.meta;
  }

  private async recordConfig(actor: string): Promise<void> {
    const previous = await this.options.store.getSetting("config.hash");
    if (previous === this.runtime.meta.hash) return;
    await this.ctx.store.append(
      [
        {
          type: "config.loaded",
          trainId: null,
          actor,
          payload: {
            hash: this.runtime.meta.hash,
            source: this.runtime.meta.source,
            lines: this.runtime.lineNames,
          },
        },
      ],
      this.options.clock.now().toISOString(),
    );
  }

  // -- lifecycle --------------------------------------------------------------------------------

  async start(): Promise<void> {
    await this.reconciler.start();
    this.auditSigner.start(this.options.tickIntervalMs ?? 250);
    this.jobs.start(Math.max(1000, (this.options.tickIntervalMs ?? 250) * 4));
  }

  /** Stops ticking, then signs the events appended since the last audit checkpoint. */
  async stop(): Promise<void> {
    await this.reconciler.stop();
    await this.jobs.stop();
    await this.auditSigner.stop();
  }

  async tick(): Promise<TickSummary> {
    const summary = await this.reconciler.tick();
    await this.jobs.runAll();
    await this.signCheckpointIfDue();
    return summary;
  }

  private async signCheckpointIfDue(): Promise<void> {
    try {
      await this.auditSigner.tick();
    } catch (error) {
      this.options.logger.error({ err: error }, "audit checkpoint failed; retrying at the next tick");
    }
  }

  settle(maxRounds?: number): Promise<void> {
    return this.reconciler.settle(maxRounds);
  }

  get stepsInFlight(): number {
    return this.reconciler.stepsInFlight;
  }

  /**
   * Moves a simulated clock forward and lets the trains catch up.
   * @throws {ConflictError} when the engine runs on the real clock
   */
  advanceClock(ms: number, who?: Principal): Promise<Date> {
    if (!who) return this.advanceClockNow(ms);
    return this.guard(who, "clock.advance", { kind: "clock", id: "simulated" }, () =>
      this.advanceClockNow(ms),
    );
  }

  private async advanceClockNow(ms: number): Promise<Date> {
    const clock = this.options.clock;
    if (!(clock instanceof SimulatedClock)) {
      throw new ConflictError(
        "this server runs on the real clock; start it with --clock simulated to move time",
      );
    }
    const now = clock.advance(ms);
    await this.ctx.store.transaction((tx) => tx.setSetting("clock.simulated", clock.now().toISOString()));
    await this.reconciler.settle();
    await this.jobs.runAll();
    // What the jobs did (a paused train after an alert) may give the reconciler work.
    await this.reconciler.settle();
    await this.signCheckpointIfDue();
    return now;
  }

  // -- authorisation seam ------------------------------------------------------------------------

  /**
   * Checks that a principal may attempt an action under the permission matrix
   * (`src/domain/access.ts`). Business rules (approvers in the approving group, checklist item
   * roles, blackout exception roles) are checked by the actions themselves.
   * @throws {ForbiddenError}
   */
  authorize(who: Principal, action: Action, resource: AccessResource = {}): void {
    const decision = decide(who, action, resource);
    if (!decision.allowed) throw new ForbiddenError(decision.reason, { action });
  }

  /** Whether a principal may read (every authenticated person may; CI tokens may not). */
  mayRead(who: Principal): AccessDecision {
    return decide(who, "read");
  }

  /** The owning team of a component, for member-scoped permissions. */
  private readonly teamOf = (component: string): string | undefined =>
    this.runtime.config.components[component]?.team;

  /**
   * Runs a mutation as `who`: authorises it (a refusal is recorded as `access.denied` and thrown),
   * then runs it so that its first transaction also appends the `action.audited` record with the
   * target before and after (see `audit-trail.ts`). A refusal by the action's own rules (403) is
   * recorded as denied too.
   */
  private async guard<T>(
    who: Principal,
    action: Action,
    target: AuditTarget | null,
    fn: () => Promise<T>,
    resource: AccessResource = {},
    /** The name the audit record gives the action. @default action */
    recordAs: string = action,
  ): Promise<T> {
    const decision = decide(who, action, { teamOf: this.teamOf, ...resource });
    if (!decision.allowed) {
      await this.recordDenied(who, recordAs, target, decision.reason);
      throw new ForbiddenError(decision.reason, { action });
    }
    const context: AuditContext = {
      who,
      action: recordAs,
      target,
      snapshot: (reader) => snapshotOf(reader, target),
      written: false,
      closed: false,
    };
    // For the record of an action that appends no events. Pushes record their own (in the group
    // commit, before: null), and CI's bursts should not pay for these reads.
    const before = action === "artifact.push" ? null : await snapshotOf(this.options.store, target);
    try {
      const result = await runAudited(context, fn);
      if (!context.written) {
        // The action changed no event (a setting, a no-op): its record stands alone.
        const after = await snapshotOf(this.options.store, target);
        await this.options.store.append(
          [auditEventFor(context, before, after)],
          this.options.clock.now().toISOString(),
        );
      }
      return result;
    } catch (error) {
      if (error instanceof ForbiddenError) await this.recordDenied(who, recordAs, target, error.message);
      throw error;
    }
  }

  /** Appends `access.denied`: who tried what, from where, and why it was refused. */
  async recordDenied(
    who: Principal,
    action: string,
    target: AuditTarget | null,
    reason: string,
  ): Promise<void> {
    try {
      await this.options.store.append(
        [
          {
            type: "access.denied",
            trainId: target?.kind === "train" ? target.id : null,
            actor: who.subject,
            payload: { action, target, source: who.source ?? null, reason },
          },
        ],
        this.options.clock.now().toISOString(),
      );
    } catch (error) {
      // The refusal stands even if it could not be recorded (a train that does not exist).
      this.options.logger.warn(
        { err: error, action, actor: who.subject },
        "access denied; the record failed",
      );
    }
  }

  // -- commands ---------------------------------------------------------------------------------

  /** Creates a token: admins any, people their own with a subset of their roles. See {@link Tokens.create}. */
  createToken(input: NewToken, who: Principal): Promise<{ token: string; record: TokenRecord }> {
    const id = newTokenId();
    return this.guard(
      who,
      "token.self",
      { kind: "token", id },
      () => this.tokens.create({ ...input, id }, who),
      {},
      "token.create",
    );
  }

  /** Revokes a token: admins any, people their own. */
  revokeToken(id: string, who: Principal): Promise<void> {
    return this.guard(
      who,
      "token.self",
      { kind: "token", id },
      () => this.tokens.revoke(id, who),
      {},
      "token.revoke",
    );
  }

  /** Every token for admins, a person's own for anyone else; never their secrets. */
  listTokens(who: Principal): Promise<TokenRecord[]> {
    this.authorize(who, "token.self");
    return this.tokens.list(who);
  }

  pushArtifact(input: ArtifactPush, who: Principal): Promise<PushResult> {
    // Boarding needs no reconciliation: artifacts matter at the cut-off, which the train's
    // wake-up time already covers. The push's audit record rides in its own group commit.
    return this.guard(
      who,
      "artifact.push",
      { kind: "component", id: input.component },
      () => this.desk.push(input, who.subject),
      { components: [input.component] },
    );
  }

  approve(trainId: string, who: Principal, comment: string | null): Promise<ApprovalResult> {
    return this.guard(who, "train.approve", { kind: "train", id: trainId }, async () => {
      const step = await this.awaitingStep(trainId);
      if (step?.kind === "approval") return this.approveStep(trainId, step, who, comment);
      return this.actions.approve(trainId, who, comment);
    });
  }

  reject(trainId: string, who: Principal, comment: string): Promise<Train> {
    return this.guard(who, "train.reject", { kind: "train", id: trainId }, async () => {
      const step = await this.awaitingStep(trainId);
      if (step?.kind === "approval") {
        if (!comment.trim())
          throw new InvalidInputError("a rejection needs a comment saying why", { field: "comment" });
        this.requireStepApprover(trainId, step, who);
        return this.actions.markStep(trainId, who, { ...step, kind: "reject" }, comment);
      }
      return this.actions.reject(trainId, who, comment);
    });
  }

  /** The rollout step a train waits at for a person, if any (with the train's version stamp). */
  private async awaitingStep(trainId: string): Promise<{
    wave: string;
    step: string;
    kind: "promote" | "approval";
    updatedAt: string;
    team?: { name: string; required: number };
  } | null> {
    const train = await this.options.store.getTrain(trainId);
    if (!train) throw new NotFoundError(`no train "${trainId}"`);
    if (train.state === "paused" && train.pauseCause === "analysis") {
      // The inconclusive analysis the train paused on: its step is promoted.
      const steps = await this.options.store.listSteps(trainId);
      const last = steps.filter((s) => s.key.startsWith("analysis/") && s.status === "failed").at(-1);
      const [, wave, step] = last?.key.split("/") ?? [];
      if (!wave || !step) return null;
      return { wave, step: step.replace(/^s/, ""), kind: "promote", updatedAt: train.updatedAt };
    }
    if (train.state !== "deploying") return null;
    const decision = await this.reconciler.explain(train);
    const awaiting = decision?.awaiting;
    if (!awaiting) return null;
    let team: { name: string; required: number } | undefined;
    if (awaiting.kind === "approval") {
      const wave = this.runtime.line(train.line).rollout.waves.find((w) => w.name === awaiting.wave);
      const spec =
        wave?.strategy.type === "canary" ? wave.strategy.steps[Number(awaiting.step) - 1] : undefined;
      if (spec && "approval" in spec) team = { name: spec.approval.team, required: spec.approval.required };
    }
    return { ...awaiting, updatedAt: train.updatedAt, ...(team ? { team } : {}) };
  }

  private requireStepApprover(
    trainId: string,
    step: { wave: string; step: string; team?: { name: string } },
    who: Principal,
  ): void {
    const team = step.team?.name ?? "";
    const members = this.runtime.config.teams[team]?.members ?? [];
    if (!members.some((m) => m.name === who.subject)) {
      throw new ForbiddenError(
        `${who.subject} is not a member of team ${team}, which approves step ${step.step} of wave ${step.wave} of ${trainId}`,
        { team },
      );
    }
  }

  private async approveStep(
    trainId: string,
    step: { wave: string; step: string; updatedAt: string; team?: { name: string; required: number } },
    who: Principal,
    comment: string | null,
  ): Promise<ApprovalResult> {
    this.requireStepApprover(trainId, step, who);
    const before = (await this.options.store.listRolloutMarks(trainId)).filter(
      (m) => m.wave === step.wave && m.step === step.step && m.kind === "approve",
    );
    const duplicate = before.some((m) => m.actor === who.subject);
    const train = await this.actions.markStep(trainId, who, { ...step, kind: "approve" }, comment);
    const approvers = [...new Set([...before.map((m) => m.actor), who.subject])];
    const required = step.team?.required ?? 1;
    const satisfied = approvers.length >= required;
    // A step approval is one group: the step's team.
    const groups = [{ team: step.team?.name ?? "", required, approvers, satisfied }];
    return { train, approvers, required, satisfied, duplicate, groups, surplus: [], excluded: [] };
  }

  /**
   * Promotes a train past the rollout step that waits for a person: a pause without a duration,
   * a blue-green switch without autoPromote, or an inconclusive canary analysis (which resumes it).
   * @throws {ConflictError} when the train waits for no promotion
   */
  promote(trainId: string, who: Principal, comment: string | null): Promise<Train> {
    return this.guard(who, "train.promote", { kind: "train", id: trainId }, () =>
      this.promoteNow(trainId, who, comment),
    );
  }

  private async promoteNow(trainId: string, who: Principal, comment: string | null): Promise<Train> {
    const step = await this.awaitingStep(trainId);
    if (step?.kind !== "promote") {
      const train = await this.options.store.getTrain(trainId);
      const why =
        step?.kind === "approval"
          ? `it waits for an approval of step ${step.step} of wave ${step.wave}`
          : `it is ${train?.state} and waits for no promotion`;
      throw new ConflictError(`${trainId} cannot be promoted: ${why}`);
    }
    return this.actions.markStep(trainId, who, { ...step, kind: "promote" }, comment);
  }

  /**
   * The release metrics (M1–M10, DORA) for a period, a line, a team or a component, after folding
   * the events appended since the last query (see `docs/metrics.md`).
   * @throws {InvalidInputError} when `from` is not before `to`, or the line, team or component is
   *   not in the configuration
   */
  async releaseMetrics(query: MetricsQuery): Promise<ReleaseMetricsReport> {
    const config = this.runtime.config;
    const from = Date.parse(query.from);
    const to = Date.parse(query.to);
    if (Number.isNaN(from) || Number.isNaN(to) || from >= to) {
      throw new InvalidInputError(
        `metrics: from (${query.from}) must be an instant before to (${query.to}), e.g. from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z`,
        { field: "from" },
      );
    }
    const unknown = (field: string, value: string, known: string[]) =>
      new InvalidInputError(
        `metrics: ${field} ${value} is not in the configuration; known: ${known.join(", ") || "none"}`,
        {
          field,
        },
      );
    if (query.line !== undefined && !(query.line in config.lines)) {
      throw unknown("line", query.line, Object.keys(config.lines));
    }
    if (query.team !== undefined && !(query.team in config.teams)) {
      throw unknown("team", query.team, Object.keys(config.teams));
    }
    if (query.component !== undefined && !(query.component in config.components)) {
      throw unknown("component", query.component, Object.keys(config.components));
    }
    return this.metricsBook.report({
      ...query,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
    });
  }

  /**
   * Every train's release-metrics fact (see `src/domain/metrics/train-fact.ts`), after folding the
   * events appended since the last fold. The facts are shared: read them, do not change them.
   */
  async trainFacts(): Promise<TrainFact[]> {
    await this.metricsBook.catchUp();
    return [...this.metricsBook.facts()];
  }

  /** Open and resolved incidents, newest first. */
  incidents(filter: { line?: string; status?: "open" | "resolved" } = {}): Promise<Incident[]> {
    return this.options.store.listIncidents(filter);
  }

  /**
   * Processes one Alertmanager webhook delivery (its actor, `alertmanager`, is recorded on every
   * event it appends). See {@link IncidentDesk.receive}.
   */
  receiveAlerts(alerts: readonly ReceivedAlert[]): Promise<DeliveryResult> {
    return this.incidentDesk.receive(alerts);
  }

  /**
   * Opens an incident a person reports (coordinators, admins); a critical one acts on the line's
   * trains by its incident policy. See {@link IncidentDesk.open}.
   */
  openIncident(input: IncidentReport, who: Principal): Promise<Incident> {
    const id = this.incidentDesk.idFor(input, who.subject);
    return this.guard(who, "incident.open", { kind: "incident", id }, () =>
      this.incidentDesk.open(input, who.subject, id),
    );
  }

  /** An incident with its alerts. @throws {NotFoundError} */
  async incident(id: string): Promise<{ incident: Incident; alerts: IncidentAlert[] }> {
    const incident = (await this.options.store.listIncidents()).find((i) => i.id === id);
    if (!incident) throw new NotFoundError(`no incident "${id}"; list them with railyard incident list`);
    return { incident, alerts: await this.options.store.listIncidentAlerts({ incidentId: id }) };
  }

  /**
   * The postmortem draft of an incident (Markdown, and the facts behind it). See
   * {@link draftPostmortem}.
   * @throws {NotFoundError} for an unknown incident
   */
  postmortem(id: string): Promise<PostmortemDraft> {
    return draftPostmortem(
      {
        store: this.options.store,
        config: this.config,
        sloBurn: this.options.sloBurn,
        logger: this.options.logger,
        now: nowInstant(this.ctx),
      },
      id,
    );
  }

  /** Resolves an incident; a line it stopped goes on. See {@link TrainActions.resolveIncident}. */
  /** Rows of the notification outbox, newest first (see `src/engine/notifier.ts`). */
  notifications(filter?: NotificationFilter): Promise<NotificationRecord[]> {
    return this.options.store.listNotifications(filter);
  }

  /**
   * Puts a failed notification back in the queue, due now (it is sent at the next beat; a
   * further failure marks it failed again). Audited as `notification.retry`.
   * @throws {NotFoundError} when there is no such notification
   * @throws {ConflictError} when it is not failed (pending ones are retried by themselves)
   */
  retryNotification(id: string, who: Principal): Promise<NotificationRecord> {
    return this.guard(who, "notification.retry", { kind: "notification", id }, async () => {
      const now = this.options.clock.now().toISOString();
      const retried = await this.ctx.store.transaction(async (tx) => {
        const row = await tx.getNotification(id);
        if (!row) {
          throw new NotFoundError(`no notification ${id}; list them with railyard notifications list`);
        }
        if (row.status !== "failed") {
          throw new ConflictError(
            `notification ${id} is ${row.status}; only failed notifications can be retried (pending ones retry by themselves)`,
          );
        }
        await tx.recordNotificationAttempt(id, {
          status: "pending",
          attempts: row.attempts,
          nextAttemptAt: now,
        });
        return (await tx.getNotification(id))!;
      });
      return retried;
    });
  }

  resolveIncident(id: string, who: Principal, resolution: string): Promise<Incident> {
    return this.guard(who, "incident.resolve", { kind: "incident", id }, () =>
      this.actions.resolveIncident(id, who, resolution),
    );
  }

  pause(trainId: string, who: Principal, reason: string | null): Promise<Train> {
    return this.guard(who, "train.pause", { kind: "train", id: trainId }, () =>
      this.actions.pause(trainId, who, reason),
    );
  }

  resume(trainId: string, who: Principal): Promise<Train> {
    return this.guard(who, "train.resume", { kind: "train", id: trainId }, () =>
      this.actions.resume(trainId, who),
    );
  }

  abort(trainId: string, who: Principal, reason: string): Promise<Train> {
    return this.guard(who, "train.abort", { kind: "train", id: trainId }, () =>
      this.actions.abort(trainId, who, reason),
    );
  }

  /**
   * Rolls a train back: whole (every wave it reached), one component (in every wave; the rest goes
   * on) or the current wave only (the train then blocks at that wave).
   */
  rollback(
    trainId: string,
    who: Principal,
    reason: string | null,
    scope: { component?: string; wave?: string } = {},
  ): Promise<Train> {
    return this.guard(who, "train.rollback", { kind: "train", id: trainId }, async () => {
      if (scope.component && scope.wave)
        throw new InvalidInputError("roll back a component or a wave, not both", { field: "wave" });
      if (scope.component) return this.actions.rollbackComponent(trainId, scope.component, who, reason);
      if (scope.wave) return this.actions.rollbackWave(trainId, scope.wave, who, reason);
      return this.actions.rollback(trainId, who, reason);
    });
  }

  retry(trainId: string, who: Principal): Promise<Train> {
    return this.guard(who, "train.retry", { kind: "train", id: trainId }, () =>
      this.actions.retry(trainId, who),
    );
  }

  /** Drops a component from a train (reason required). See {@link TrainActions.dropComponent}. */
  dropComponent(trainId: string, component: string, who: Principal, reason: string): Promise<DropResult> {
    return this.guard(
      who,
      "train.drop",
      { kind: "train", id: trainId },
      () => this.actions.dropComponent(trainId, component, who, reason),
      { components: [component] },
    );
  }

  /** Pins a component at its production version (coordinators and admins). See {@link TrainActions.pin}. */
  pin(component: string, who: Principal, reason: string): Promise<PinResult> {
    return this.guard(who, "component.pin", { kind: "component", id: component }, () =>
      this.actions.pin(component, who, reason),
    );
  }

  /** Lifts a pin (coordinators and admins). */
  unpin(component: string, who: Principal, reason: string): Promise<void> {
    return this.guard(who, "component.pin", { kind: "component", id: component }, () =>
      this.actions.unpin(component, who, reason),
    );
  }

  /** Waives a finding for a component until an expiry. See {@link Waivers.grant}. */
  grantWaiver(who: Principal, input: WaiverRequest): Promise<Waiver> {
    return this.guard(who, "waiver.manage", { kind: "component", id: input.component }, () =>
      this.grantWaiverNow(who, input),
    );
  }

  private async grantWaiverNow(who: Principal, input: WaiverRequest): Promise<Waiver> {
    const waiver = await this.waiverBook.grant(who, input);
    // Trains a gate blocked on findings are judged again with the waiver.
    for (const train of await this.options.store.listTrains({ states: ["blocked"], limit: 1000 })) {
      const manifest = await this.options.store.getManifest(train.id);
      if (manifest.some((i) => i.component === input.component && i.status === "boarded")) {
        await this.retryIfBlockedBy(train.id, ["security", "policy"], who);
      }
    }
    return waiver;
  }

  /** Revokes a waiver. See {@link Waivers.revoke}. */
  revokeWaiver(id: string, who: Principal, reason: string): Promise<Waiver> {
    return this.guard(who, "waiver.manage", { kind: "waiver", id }, () =>
      this.waiverBook.revoke(id, who, reason),
    );
  }

  /** Waivers in force, or every one with `all`. */
  waivers(filter: { component?: string; all?: boolean } = {}): Promise<Waiver[]> {
    return this.waiverBook.list(filter);
  }

  /** A train's checklists, with what is ticked for its current manifest revision. */
  trainChecklists(trainId: string): Promise<ChecklistView[]> {
    return this.checklists.list(trainId);
  }

  /** Ticks a checklist item (audited). See {@link Checklists.tick}. */
  tickChecklist(
    trainId: string,
    gate: string,
    item: string,
    who: Principal,
    note: string | null,
  ): Promise<{ checklist: ChecklistView; retried: boolean }> {
    return this.guard(who, "checklist.tick", { kind: "train", id: trainId }, () =>
      this.checklists.tick(trainId, gate, item, who, note),
    );
  }

  /** Pinned components, by name. */
  pins(): Promise<Pin[]> {
    return this.options.store.listPins();
  }

  /**
   * Lets a train deploy through a blackout (the named one, or those stopping it now), audited
   * with the person and the reason. See {@link TrainActions.grantException}.
   */
  grantException(
    trainId: string,
    who: Principal,
    input: { blackout?: string | null; reason: string },
  ): Promise<ExceptionResult> {
    return this.guard(who, "train.exception", { kind: "train", id: trainId }, () =>
      this.actions.grantException(trainId, who, input),
    );
  }

  /** Starts a hotfix train on a line. See {@link HotfixTrains.start}. */
  startHotfix(line: string, input: HotfixRequest, who: Principal): Promise<Train> {
    return this.guard(who, "train.hotfix", { kind: "line", id: line }, () =>
      this.hotfixes.start(line, input, who),
    );
  }

  /** Exceptions granted to a train. @throws {NotFoundError} for an unknown train */
  async exceptions(trainId: string): Promise<TrainException[]> {
    if (!(await this.options.store.getTrain(trainId))) throw new NotFoundError(`no train "${trainId}"`);
    return this.options.store.listExceptions(trainId);
  }

  /**
   * Reads the configuration again and swaps it in whole, or keeps the running one and throws.
   * @throws {InvalidConfigError} with `details.problems` when the new file is invalid
   */
  reload(who: Principal): Promise<{ hash: string; changed: boolean; lines: string[] }> {
    // One reload at a time, so an older file can never win over a newer one.
    return this.guard(who, "config.reload", { kind: "config", id: "railyard" }, () =>
      this.ctx.locks.run("config:reload", () => this.reloadNow(who)),
    );
  }

  private async reloadNow(who: Principal): Promise<{ hash: string; changed: boolean; lines: string[] }> {
    if (!this.options.loadConfig)
      throw new ConflictError("this server was not started from a configuration file");
    let next: RuntimeConfig;
    try {
      const loaded = await this.options.loadConfig();
      next = new RuntimeConfig(loaded.config, loaded.meta, this.options.deployerFactory);
    } catch (error) {
      this.options.logger.warn(
        { err: error, problems: (error as { details?: { problems?: unknown } }).details?.problems },
        "configuration reload rejected; the running configuration stays",
      );
      throw error;
    }
    const active = await this.options.store.listTrains({ active: true, limit: 100_000 });
    const orphaned = active.filter(
      (t) => !next.hasLine(t.line) && t.state !== "scheduled" && t.state !== "boarding",
    );
    if (orphaned.length > 0) {
      this.options.logger.warn(
        { trains: orphaned.map((t) => t.id) },
        "configuration reload rejected: it removes lines with running trains",
      );
      throw new InvalidConfigError(
        `the new configuration removes line(s) ${[...new Set(orphaned.map((t) => t.line))].join(", ")} while ${orphaned.map((t) => `${t.id} (${t.state})`).join(", ")} still run; finish or abort them first`,
        { problems: [] },
      );
    }
    const changed = next.meta.hash !== this.runtime.meta.hash;
    this.runtime = next;
    if (changed) await this.recordConfig(who.subject);
    // Trains of a removed line that had not frozen yet have nowhere to go.
    for (const train of active.filter((t) => !next.hasLine(t.line))) {
      await this.ctx.store.transaction(async (tx) => {
        const current = await tx.getTrain(train.id);
        if (!current || isTerminal(current.state)) return;
        const at = this.options.clock.now().toISOString();
        await tx.append(
          [
            transitionEvent(current, {
              event: "abort",
              actor: who.subject,
              reason: `line ${current.line} was removed from the configuration`,
            }),
          ],
          at,
        );
      });
    }
    this.reconciler.recheckLines();
    this.desk.invalidate();
    this.reconciler.budget.clear();
    // New windows or blackouts may pause or free trains the engine paused: look at every train.
    if (changed) await this.options.store.wakeAllActive(this.options.clock.now().toISOString());
    this.reconciler.wake();
    this.options.logger.info({ hash: next.meta.hash, changed }, "configuration reloaded");
    return { hash: next.meta.hash, changed, lines: next.lineNames };
  }

  // -- queries ----------------------------------------------------------------------------------

  /** Lines with their next departures and active trains. */
  async lines(): Promise<LineSummary[]> {
    const now = this.options.clock.now().getTime();
    const active = await this.options.store.listTrains({ active: true, limit: 10_000 });
    return this.runtime.lineNames.map((name) => {
      const line = this.runtime.line(name);
      return {
        name,
        description: line.description ?? null,
        components: line.components,
        schedule: line.schedule,
        approval: describeApprovalRule(line.approval),
        waves: line.rollout.waves.map((w) => w.name),
        nextDepartures: this.runtime.timetable(name).departuresAfter(now, 5),
        activeTrains: active
          .filter((t) => t.line === name)
          .sort((a, b) => a.departureAt.localeCompare(b.departureAt))
          .map((t) => ({
            id: t.id,
            state: t.state,
            cutoffAt: t.cutoffAt,
            departureAt: t.departureAt,
            reason: t.reason,
          })),
      };
    });
  }

  /** A train as people see it: with its state in words, times in its line's time zone. */
  present(train: Train): TrainRecord {
    const timezone = this.runtime.hasLine(train.line)
      ? this.runtime.line(train.line).schedule.timezone
      : "UTC";
    return { ...train, statusText: describeTrainState(train, timezone) };
  }

  trains(filter?: TrainFilter): Promise<Train[]> {
    if (filter?.line && !this.runtime.hasLine(filter.line)) {
      // Unknown lines are an error rather than an empty list, so typos are noticed.
      this.runtime.line(filter.line);
    }
    return this.options.store.listTrains(filter);
  }

  /** @throws {NotFoundError} */
  async train(id: string): Promise<TrainDetail> {
    const store = this.options.store;
    const train = await store.getTrain(id);
    if (!train) throw new NotFoundError(`no train "${id}"`);
    const [manifest, artifacts, gates, approvals, steps, events, decision, diff, testReports] =
      await Promise.all([
        store.getManifest(id),
        store.listArtifacts({ trainId: id, limit: 1000 }),
        store.listGateResults(id),
        store.listApprovals(id),
        store.listSteps(id),
        store.listEvents({ trainId: id, limit: 5000 }),
        this.reconciler.explain(train),
        this.evidence.diff(id),
        store.listTestReports(id, train.manifestRevision),
      ]);
    const line = this.runtime.hasLine(train.line) ? this.runtime.line(train.line) : null;
    const tally = tallyApprovals(
      line ?? { approval: { mode: "auto" } },
      this.runtime.config.teams,
      approvals,
      {
        manifestRevision: train.manifestRevision,
        now: this.options.clock.now().getTime(),
        shipped: shippedArtifacts(manifest, artifacts),
      },
    );
    return {
      train: this.present(train),
      waitingFor: decision?.waitingFor ?? null,
      awaiting: decision?.awaiting ?? null,
      allowedActions: this.allowedActions(train, decision?.awaiting ?? null),
      manifest,
      artifacts,
      gates,
      approval: { ...tally, records: approvals },
      waves: line ? waveStatuses(train, line.rollout.waves, steps, this.options.clock.now().getTime()) : [],
      steps,
      diff,
      testReports: testReports.map(({ cases: _cases, ...summary }) => summary),
      events,
    };
  }

  /**
   * What the on-call view shows of a train in flight, without its manifest, evidence, approvals
   * or audit trail: where its rollout is, what runs now, what it waits for, what people may do,
   * since when it is in its state and its latest canary analysis. One read of its steps, gate
   * results and transitions; `GET /api/v1/trains?include=progress`.
   */
  async progress(train: Train): Promise<TrainProgress> {
    const store = this.options.store;
    const [gates, steps, transitions, decision] = await Promise.all([
      store.listGateResults(train.id),
      store.listSteps(train.id),
      store.listEvents({ trainId: train.id, types: ["train.transitioned"], limit: 5000 }),
      this.reconciler.explain(train),
    ]);
    const line = this.runtime.hasLine(train.line) ? this.runtime.line(train.line) : null;
    const entered = transitions.findLast(
      (event) => event.type === "train.transitioned" && event.payload.to === train.state,
    );
    return {
      waitingFor: decision?.waitingFor ?? null,
      awaiting: decision?.awaiting ?? null,
      allowedActions: this.allowedActions(train, decision?.awaiting ?? null),
      waves: line ? waveStatuses(train, line.rollout.waves, steps, this.options.clock.now().getTime()) : [],
      enteredStateAt: entered?.time ?? train.createdAt,
      stepsInFlight: steps.filter((step) => step.status === "running"),
      canary: gates.findLast((gate) => isCanaryEvidence(gate.detail)) ?? null,
    };
  }

  /** The actions people may take on the train now, given what its rollout awaits. */
  private allowedActions(train: Train, awaiting: TrainDetail["awaiting"]): TrainAction[] {
    const line = this.runtime.hasLine(train.line) ? this.runtime.line(train.line) : null;
    return [
      ...availableActions(train, line?.approval.mode ?? "auto"),
      ...(awaiting?.kind === "promote" || train.pauseCause === "analysis" ? (["promote"] as const) : []),
      ...(awaiting?.kind === "approval" ? (["approve", "reject"] as const) : []),
    ];
  }

  /** The manifest against production. See {@link Evidence.diff}. */
  diff(trainId: string): Promise<ManifestDiff> {
    return this.evidence.diff(trainId);
  }

  /**
   * Records CI statuses a verified webhook delivered, accepting the delivery once when `claim`
   * names its keys. See {@link Evidence.recordCi}.
   * @throws {DeliveryReplayError} when a key of the claim was accepted before
   */
  recordCi(
    statuses: readonly CiStatus[],
    deliveryId: string | null,
    actor: string,
    claim?: DeliveryClaim,
  ): Promise<CiRecordResult> {
    return this.evidence.recordCi(statuses, deliveryId, actor, claim);
  }

  /** CI statuses recorded for an artifact's commit. */
  async artifactCi(artifactId: string): Promise<CiStatus[]> {
    return this.evidence.ciOf(await this.artifact(artifactId));
  }

  /** Records a report for an artifact. See {@link Evidence.pushArtifactReport}. */
  async pushArtifactReport(
    artifactId: string,
    content: string,
    name: string | null,
    who: Principal,
  ): Promise<{ report: ArtifactReport; replay: boolean }> {
    const artifact = await this.artifact(artifactId);
    return this.guard(
      who,
      "report.push",
      { kind: "artifact", id: artifactId },
      async () => {
        const pushed = await this.evidence.pushArtifactReport(artifactId, content, name, who);
        if (!pushed.replay && artifact.trainId)
          await this.retryIfBlockedBy(artifact.trainId, ["security", "policy"], who);
        return pushed;
      },
      { components: [artifact.component] },
    );
  }

  /** Reports recorded for an artifact. */
  async artifactReports(artifactId: string): Promise<ArtifactReport[]> {
    await this.artifact(artifactId);
    return this.options.store.listArtifactReports([artifactId]);
  }

  /** A report's bytes. @throws {NotFoundError} */
  async reportContent(
    artifactId: string,
    reportId: string,
  ): Promise<{ report: ArtifactReport; content: string }> {
    const report = (await this.artifactReports(artifactId)).find((r) => r.id === reportId);
    const content = report && (await this.options.store.getReportContent(reportId));
    if (!report || content === undefined)
      throw new NotFoundError(`no report "${reportId}" for artifact ${artifactId}`);
    return { report, content };
  }

  /** Records JUnit results for a train's integration stage. See {@link Evidence.pushTestReport}. */
  async pushTestReport(
    trainId: string,
    xml: string,
    suite: string | null,
    who: Principal,
  ): Promise<TestReport> {
    return this.guard(who, "report.push", { kind: "train", id: trainId }, async () => {
      const report = await this.evidence.pushTestReport(trainId, xml, suite, who);
      await this.retryIfBlockedBy(trainId, ["tests", "policy"], who);
      return report;
    });
  }

  /**
   * Retries a train blocked by a failed gate of one of `types` (its latest result), as the person
   * or bot whose new evidence (a report, a waiver) may change the verdict: gates are judged again
   * when new data arrives. A train blocked by anything else is left for people.
   */
  private async retryIfBlockedBy(
    trainId: string,
    types: readonly string[],
    who: Principal,
  ): Promise<boolean> {
    const train = await this.options.store.getTrain(trainId);
    if (train?.state !== "blocked") return false;
    const results = await this.options.store.listGateResults(trainId);
    const latest = new Map<string, GateResult>();
    for (const r of results) latest.set(`${r.stage}/${r.gate}`, r);
    const failed = [...latest.values()].filter((r) => r.status === "failed");
    if (failed.length === 0 || !failed.every((r) => types.includes(r.type))) return false;
    try {
      await this.actions.retry(trainId, who);
    } catch (error) {
      // Another action moved it meanwhile: nothing to retry.
      if (error instanceof ConflictError) return false;
      throw error;
    }
    this.options.logger.info(
      { train_id: trainId, gates: failed.map((r) => r.gate), actor: who.subject },
      "new evidence: blocked train retried",
    );
    return true;
  }

  /** A train's test reports (every revision, oldest first). @throws {NotFoundError} */
  async testReports(trainId: string): Promise<TestReport[]> {
    if (!(await this.options.store.getTrain(trainId))) throw new NotFoundError(`no train "${trainId}"`);
    return this.options.store.listTestReports(trainId);
  }

  artifacts(filter?: { trainId?: string; component?: string; limit?: number }): Promise<Artifact[]> {
    return this.options.store.listArtifacts(filter);
  }

  /** @throws {NotFoundError} */
  async artifact(id: string): Promise<Artifact> {
    const artifact = await this.options.store.getArtifact(id);
    if (!artifact) throw new NotFoundError(`no artifact "${id}"`);
    return artifact;
  }

  deployments(filter?: { environment?: string; component?: string }): Promise<Deployment[]> {
    return this.options.store.listDeployments(filter);
  }

  /**
   * Departures of every line (or one) with `departureAt` in [from, to), ordered by departure:
   * what `railyard timetable` prints offline, from the running configuration.
   * @throws {NotFoundError} for an unknown line
   * @throws {InvalidInputError} for a range that is empty, reversed or longer than two years
   */
  timetable(query: { line?: string; from?: string; to?: string }): Departure[] {
    const now = this.options.clock.now().getTime();
    const from = query.from === undefined ? now : Date.parse(query.from);
    const to = query.to === undefined ? from + 30 * 86_400_000 : Date.parse(query.to);
    if (Number.isNaN(from) || Number.isNaN(to))
      throw new InvalidInputError("from and to must be ISO 8601 instants");
    if (to <= from) throw new InvalidInputError("to must be after from");
    if (to - from > 731 * 86_400_000) throw new InvalidInputError("the range may span at most two years");
    // line() throws NotFoundError naming the configured lines.
    const lines = query.line === undefined ? this.runtime.lineNames : [query.line];
    if (query.line !== undefined) this.runtime.line(query.line);
    return lines
      .flatMap((name) => this.runtime.timetable(name).between(from, to))
      .sort((a, b) => a.departureAt.localeCompare(b.departureAt) || a.line.localeCompare(b.line));
  }

  /**
   * A line's compiled deployment window and blackouts (the configuration's global ones and the
   * line's), as the engine uses them. @throws {NotFoundError} naming the configured lines
   */
  deploymentRules(line: string): DeploymentRules {
    this.runtime.line(line);
    return this.runtime.deploymentRules(line);
  }

  /**
   * The iCalendar feed of the lines a query selects (departures, cut-offs, windows, blackouts,
   * hotfix trains); records each event's fingerprint so its SEQUENCE rises when it changes.
   * @throws {NotFoundError} for an unknown line or team
   * @throws {InvalidInputError} for a bad range
   */
  calendarFeed(query: CalendarFeedQuery): Promise<string> {
    return buildCalendarFeed(
      { store: this.options.store, clock: this.options.clock, config: this.runtime },
      query,
    );
  }

  events(filter?: EventFilter): Promise<StoredEvent[]> {
    return this.options.store.listEvents(filter);
  }

  /** The newest event's id (0 for an empty log). */
  lastEventId(): Promise<number> {
    return this.options.store.lastEventId();
  }
}

/** Where each wave of a train stands, from its state and recorded steps. */
export function waveStatuses(
  train: Train,
  waves: ReadonlyArray<{ name: string; environments: string[]; bake: string }>,
  steps: readonly Step[],
  now: number,
): WaveStatus[] {
  const stage: TrainState | null =
    train.state === "paused" || train.state === "blocked" ? train.resumeTo : train.state;
  const rolledBack = steps.some((s) => s.kind === "rollback");
  return waves.map((wave, index) => {
    let status: WaveStatus["status"] = "pending";
    if (index < train.currentWave || (index === train.currentWave && train.state === "released"))
      status = "done";
    else if (index === train.currentWave) {
      if (stage === "deploying") status = "deploying";
      else if (stage === "verifying") {
        const bakeUntil = Date.parse(train.waveDeployedAt ?? "") + parseDuration(wave.bake);
        status = now < bakeUntil ? "baking" : "verifying";
      }
      if (train.state === "blocked") status = "failed";
    }
    if (train.state === "released") status = "done";
    if (
      rolledBack &&
      steps.some((s) => s.kind === "rollback" && s.key.startsWith(`rollback/${wave.name}/`))
    ) {
      status = "rolled_back";
    }
    return { name: wave.name, environments: wave.environments, status };
  });
}
