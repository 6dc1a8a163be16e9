/**
 * What CI tells Railyard about its builds besides the artifact itself: CI statuses (webhooks),
 * reports per artifact (SBOMs, scans, VEX, JUnit) and JUnit results for a train's integration
 * stage; and the manifest diff people read before approving. Every record is an event; report
 * bytes are kept beside the log, named in it by SHA-256.
 */
import { createHash, randomBytes } from "node:crypto";
import { ciNotReadyReason, commitMatches, foldCiStatus, repositoryPath } from "../domain/ci-status.js";
import { parseDuration } from "../domain/duration.js";
import type { Artifact, ArtifactReport, CiStatus, TestReport, Train } from "../domain/model.js";
import { SecurityReportError, summarizeReport } from "../domain/security/summarize.js";
import { detectReport, ReportFormatError } from "../domain/test-reports/detect.js";
import { JunitError, parseJunit } from "../domain/test-reports/junit.js";
import { isTerminal } from "../domain/train-state.js";
import { versionChange } from "../domain/version-change.js";
import type { Principal } from "./actions.js";
import { ciStatusesOf, productionState } from "./boarding-plan.js";
import { type EngineContext, nowInstant } from "./context.js";
import { ConflictError, InvalidInputError, NotFoundError, RailyardError } from "./errors.js";

/** Largest report accepted, in bytes. */
export const MAX_REPORT_BYTES = 20 * 1024 * 1024;

/** What {@link Evidence.recordCi} did with a webhook's statuses. */
export interface CiRecordResult {
  /** Statuses recorded (new, or newer than the one stored for their source). */
  recorded: number;
  /** Statuses left out: older than or the same as what is stored, or for no configured repository. */
  ignored: number;
  /** Artifacts whose commit the statuses are about. */
  matched: Array<{ artifact: string; component: string; version: string; train: string | null }>;
}

/**
 * How far ahead of the engine's clock a webhook's time may be (a sender's clock running a little
 * fast); deliveries are remembered for `webhooks.maxAge` plus this, so one stamped in the future
 * is still known when its age would let it in again.
 */
export const WEBHOOK_FUTURE_SKEW_MS = 5 * 60_000;

/** The keys a webhook delivery is accepted once by (see {@link Evidence.recordCi}). */
export interface DeliveryClaim {
  /** The receiver: `github`, `gitlab`, `generic`. */
  provider: string;
  /** E.g. `id:<delivery id>`, `sig:<SHA-256 of the signature>`. */
  keys: readonly string[];
}

/** Thrown by {@link Evidence.recordCi} when a delivery's key was accepted before: a replay. */
export class DeliveryReplayError extends ConflictError {
  constructor(
    readonly provider: string,
    /** The key seen before, e.g. `id:…` or `sig:…`. */
    readonly key: string,
  ) {
    super(`this ${provider} webhook delivery was accepted before; nothing recorded again`);
  }
}

/** One line of a manifest diff. */
export interface DiffItem {
  component: string;
  /** What production runs (null: never released). */
  from: string | null;
  to: string;
  change: "new" | "upgrade" | "downgrade" | "same";
  /** On the manifest (null while boarding: not decided yet). */
  status: "boarded" | "held" | "dropped" | null;
  reason: string | null;
  fromCommit: string | null;
  toCommit: string | null;
  /** Link to the commit range on GitHub or GitLab, when the component's repository is a URL. */
  compareUrl: string | null;
}

export interface ManifestDiff {
  train: string;
  revision: number;
  /** True before the cut-off: the diff is of the latest artifact per component so far. */
  provisional: boolean;
  items: DiffItem[];
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The compare link of a commit range, for a GitHub or GitLab repository URL. */
export function compareUrl(repository: string | undefined, from: string, to: string): string | null {
  if (!repository || !/^https?:\/\//i.test(repository)) return null;
  const base = repository.replace(/\.git$/i, "").replace(/\/+$/, "");
  const host = new URL(base).hostname;
  if (host === "github.com" || host.endsWith(".github.com") || host.startsWith("github.")) {
    return `${base}/compare/${from}...${to}`;
  }
  if (host.includes("gitlab")) return `${base}/-/compare/${from}...${to}`;
  return null;
}

/** Holds a component back on a train past its cut-off (see `TrainActions.holdAfterCutoff`). */
export type HoldAfterCutoff = (
  trainId: string,
  component: string,
  reason: string,
) => Promise<{ train: Train; nowHeld: Array<{ component: string }> } | null>;

export class Evidence {
  constructor(
    private readonly ctx: EngineContext,
    private readonly hold: HoldAfterCutoff,
  ) {}

  /**
   * Records CI statuses from a webhook, all or none in one transaction. Only repositories some
   * component names are kept; a status older than (or the same as) the stored one of its source
   * changes nothing, so out-of-order deliveries are harmless.
   *
   * With `claim`, the delivery is accepted once: in the same transaction its keys are recorded
   * (see `StoreWriter.claimWebhookDelivery`), and deliveries remembered for longer than
   * `webhooks.maxAge` plus {@link WEBHOOK_FUTURE_SKEW_MS} are forgotten (the age check refuses
   * them by then).
   * @throws {DeliveryReplayError} when one of the claim's keys was accepted before; nothing is
   *   recorded.
   */
  async recordCi(
    statuses: readonly CiStatus[],
    deliveryId: string | null,
    actor: string,
    claim?: DeliveryClaim,
  ): Promise<CiRecordResult> {
    const config = this.ctx.config().config;
    const componentsOf = new Map<string, string[]>();
    for (const [name, component] of Object.entries(config.components)) {
      if (!component.repository) continue;
      const path = repositoryPath(component.repository);
      componentsOf.set(path, [...(componentsOf.get(path) ?? []), name]);
    }
    const candidates: Array<{ status: CiStatus; repository: string; matched: Artifact[] }> = [];
    const result: CiRecordResult = { recorded: 0, ignored: 0, matched: [] };
    for (const status of statuses) {
      const repository = status.repository.toLowerCase();
      const components = componentsOf.get(repository);
      if (!components) {
        result.ignored++;
        continue;
      }
      const matched: Artifact[] = [];
      for (const component of components) {
        const artifacts = await this.ctx.store.listArtifacts({ component, limit: 200 });
        matched.push(...artifacts.filter((a) => commitMatches(a.commit, status.commit)));
      }
      candidates.push({ status, repository, matched });
    }
    const now = nowInstant(this.ctx);
    const recordOnce = () =>
      this.ctx.store.transaction(async (tx) => {
        if (claim) {
          const remember = parseDuration(config.webhooks.maxAge) + WEBHOOK_FUTURE_SKEW_MS;
          await tx.pruneWebhookDeliveries(new Date(Date.parse(now) - remember).toISOString());
          const seen = await tx.claimWebhookDelivery(claim.provider, [...claim.keys], now);
          if (seen !== null) throw new DeliveryReplayError(claim.provider, seen);
        }
        const fresh: boolean[] = [];
        for (const { status, repository, matched } of candidates) {
          const stored = (await tx.listCiStatuses(repository, status.commit)).find(
            (s) =>
              s.provider === status.provider &&
              s.name === status.name &&
              s.commit === status.commit.toLowerCase(),
          );
          if (
            stored &&
            (stored.reportedAt > status.reportedAt ||
              (stored.reportedAt === status.reportedAt &&
                stored.state === status.state &&
                stored.conclusion === status.conclusion &&
                stored.url === status.url))
          ) {
            fresh.push(false);
            continue;
          }
          await tx.append(
            [
              {
                type: "ci.reported",
                trainId: matched.find((a) => a.trainId !== null)?.trainId ?? null,
                actor,
                payload: {
                  ...status,
                  repository,
                  commit: status.commit.toLowerCase(),
                  deliveryId,
                },
              },
            ],
            now,
          );
          fresh.push(true);
        }
        return fresh;
      });
    let recorded: boolean[];
    try {
      recorded = await recordOnce();
    } catch (error) {
      // Two deliveries sharing a key at once: on PostgreSQL the second one's insert waits for the
      // first and then fails on the key it committed. Once more, its claim sees the key: a replay.
      if (!claim || error instanceof RailyardError) throw error;
      recorded = await recordOnce();
    }
    candidates.forEach(({ matched }, i) => {
      if (recorded[i]) result.recorded++;
      else result.ignored++;
      for (const a of matched) {
        if (!result.matched.some((m) => m.artifact === a.id)) {
          result.matched.push({
            artifact: a.id,
            component: a.component,
            version: a.version,
            train: a.trainId,
          });
        }
      }
    });
    if (result.recorded > 0) {
      this.ctx.logger.info(
        { delivery: deliveryId, recorded: result.recorded, matched: result.matched.length },
        "CI status recorded",
      );
      await this.holdFailed(result.matched);
    }
    return result;
  }

  /**
   * A CI failure that arrives after the cut-off still counts: a matched artifact riding a train
   * that has not reached production is held back (a new manifest revision, as for a drop), so
   * a build CI failed never reaches production. A status that is only pending again (a re-run)
   * holds nothing.
   */
  private async holdFailed(matched: CiRecordResult["matched"]): Promise<void> {
    for (const m of matched) {
      if (m.train === null) continue;
      const artifact = await this.ctx.store.getArtifact(m.artifact);
      if (!artifact) continue;
      const repository = this.ctx.config().config.components[artifact.component]?.repository;
      const statuses = await ciStatusesOf(artifact, repository, this.ctx.store);
      const folded = foldCiStatus(statuses);
      if (folded.state !== "failure") continue;
      const why = ciNotReadyReason(artifact.commit, folded, "if-reported");
      const reason = `${why} (reported after the cut-off)`;
      const held = await this.hold(m.train, artifact.component, reason);
      if (held) {
        this.ctx.logger.warn(
          {
            train_id: m.train,
            component: artifact.component,
            now_held: held.nowHeld.map((h) => h.component),
          },
          "CI failed after the cut-off: component held",
        );
      }
    }
  }

  /** CI statuses recorded for an artifact's commit. */
  async ciOf(artifact: Artifact): Promise<CiStatus[]> {
    const repository = this.ctx.config().config.components[artifact.component]?.repository;
    return repository ? this.ctx.store.listCiStatuses(repositoryPath(repository), artifact.commit) : [];
  }

  /**
   * Records a report for an artifact, its kind detected by content. The same bytes again for the
   * same artifact change nothing (`replay`).
   * @throws {NotFoundError} for an unknown artifact
   * @throws {InvalidInputError} for an empty, too large or unrecognised report
   */
  async pushArtifactReport(
    artifactId: string,
    content: string,
    name: string | null,
    who: Principal,
  ): Promise<{ report: ArtifactReport; replay: boolean }> {
    const artifact = await this.ctx.store.getArtifact(artifactId);
    if (!artifact) throw new NotFoundError(`no artifact "${artifactId}"`);
    if (content.trim() === "") throw new InvalidInputError("the report is empty", { field: "body" });
    if (Buffer.byteLength(content) > MAX_REPORT_BYTES) {
      throw new InvalidInputError(`the report is larger than ${MAX_REPORT_BYTES / 1024 / 1024} MB`, {
        field: "body",
      });
    }
    let detected: { kind: ArtifactReport["kind"]; format: string };
    try {
      detected = detectReport(content);
    } catch (error) {
      if (error instanceof ReportFormatError) throw new InvalidInputError(error.message, { field: "body" });
      throw error;
    }
    if (detected.kind !== "junit") {
      // Read it whole now: a truncated or malformed scan is refused here, not at the gate.
      try {
        summarizeReport(content);
      } catch (error) {
        if (error instanceof SecurityReportError)
          throw new InvalidInputError(error.message, { field: "body" });
        throw error;
      }
    }
    const digest = sha256(content);
    const existing = (await this.ctx.store.listArtifactReports([artifactId])).find(
      (r) => r.sha256 === digest,
    );
    if (existing) return { report: existing, replay: true };
    const reportId = `rep_${randomBytes(9).toString("base64url")}`;
    await this.ctx.store.transaction(async (tx) => {
      await tx.append(
        [
          {
            type: "report.received",
            trainId: artifact.trainId,
            actor: who.subject,
            payload: {
              reportId,
              artifactId,
              component: artifact.component,
              version: artifact.version,
              kind: detected.kind,
              format: detected.format,
              name: name?.trim() || null,
              sha256: digest,
              size: Buffer.byteLength(content),
            },
          },
        ],
        nowInstant(this.ctx),
      );
      await tx.putReportContent(reportId, content);
    });
    this.ctx.logger.info(
      { artifact: artifactId, component: artifact.component, kind: detected.kind, format: detected.format },
      "report received",
    );
    const report = (await this.ctx.store.listArtifactReports([artifactId])).find((r) => r.id === reportId)!;
    return { report, replay: false };
  }

  /**
   * Records JUnit results for a train's integration stage, for its current manifest revision.
   * @throws {NotFoundError} for an unknown train
   * @throws {ConflictError} before the train's manifest is frozen, or after it ended
   * @throws {InvalidInputError} for a document that is not JUnit XML
   */
  async pushTestReport(
    trainId: string,
    xml: string,
    suite: string | null,
    who: Principal,
  ): Promise<TestReport> {
    const train = await this.ctx.store.getTrain(trainId);
    if (!train) throw new NotFoundError(`no train "${trainId}"`);
    this.checkTakesTests(train);
    let parsed: ReturnType<typeof parseJunit>;
    try {
      parsed = parseJunit(xml, suite?.trim() ? { suite: suite.trim() } : {});
    } catch (error) {
      if (error instanceof JunitError) throw new InvalidInputError(error.message, { field: "body" });
      throw error;
    }
    const reportId = `tst_${randomBytes(9).toString("base64url")}`;
    const { cases, suite: name, ...summary } = parsed;
    await this.ctx.locks.run(trainId, () =>
      this.ctx.store.transaction(async (tx) => {
        const current = (await tx.getTrain(trainId))!;
        this.checkTakesTests(current);
        await tx.append(
          [
            {
              type: "tests.reported",
              trainId,
              actor: who.subject,
              payload: {
                reportId,
                revision: current.manifestRevision,
                suite: name,
                summary: {
                  tests: summary.tests,
                  passed: summary.passed,
                  failed: summary.failed,
                  errored: summary.errored,
                  skipped: summary.skipped,
                  flaky: summary.flaky,
                  durationMs: summary.durationMs,
                  truncated: summary.truncated,
                },
                cases,
              },
            },
          ],
          nowInstant(this.ctx),
        );
      }),
    );
    this.ctx.logger.info(
      { train_id: trainId, suite: name, tests: summary.tests, failed: summary.failed + summary.errored },
      "test report received",
    );
    this.ctx.wake();
    return (await this.ctx.store.listTestReports(trainId)).find((r) => r.id === reportId)!;
  }

  private checkTakesTests(train: Train): void {
    if (isTerminal(train.state)) {
      throw new ConflictError(`${train.id} has ended (${train.state}); it takes no test reports`);
    }
    if (train.manifestRevision === 0) {
      throw new ConflictError(
        `${train.id} is ${train.state}: test reports are for its integration stage, after the cut-off (${train.cutoffAt})`,
      );
    }
  }

  /**
   * The train's manifest against what production runs now: per component, from → to, the
   * commits of both versions and a compare link. Before the cut-off it is provisional: the
   * latest artifact per component so far.
   */
  async diff(trainId: string): Promise<ManifestDiff> {
    const train = await this.ctx.store.getTrain(trainId);
    if (!train) throw new NotFoundError(`no train "${trainId}"`);
    const config = this.ctx.config().config;
    const production = await productionState(this.ctx, this.ctx.store);
    const provisional = train.manifestRevision === 0;
    const rows: Array<{
      component: string;
      version: string;
      artifactId: string;
      from: string | null;
      status: DiffItem["status"];
      reason: string | null;
    }> = [];
    if (provisional) {
      const latest = new Map<string, Artifact>();
      for (const a of (await this.ctx.store.listArtifacts({ trainId, limit: 10_000 })).reverse()) {
        if (!a.dropped) latest.set(a.component, a);
      }
      for (const a of latest.values()) {
        rows.push({
          component: a.component,
          version: a.version,
          artifactId: a.id,
          from: production.get(a.component)?.version ?? null,
          status: null,
          reason: null,
        });
      }
    } else {
      for (const item of await this.ctx.store.getManifest(trainId)) {
        rows.push({
          component: item.component,
          version: item.version,
          artifactId: item.artifactId,
          // What the train replaces: production when it froze (and what a rollback returns to).
          from: item.previousVersion,
          status: item.status,
          reason: item.reason,
        });
      }
    }
    const items: DiffItem[] = [];
    for (const row of rows.sort((a, b) => a.component.localeCompare(b.component))) {
      const toCommit = (await this.ctx.store.getArtifact(row.artifactId))?.commit ?? null;
      const fromCommit = row.from
        ? ((await this.ctx.store.findArtifact(row.component, row.from))?.commit ?? null)
        : null;
      items.push({
        component: row.component,
        from: row.from,
        to: row.version,
        change: versionChange(row.from, row.version),
        status: row.status,
        reason: row.reason,
        fromCommit,
        toCommit,
        compareUrl:
          fromCommit && toCommit && fromCommit !== toCommit
            ? compareUrl(config.components[row.component]?.repository, fromCommit, toCommit)
            : null,
      });
    }
    return { train: trainId, revision: train.manifestRevision, provisional, items };
  }
}

/** The actor recorded for statuses webhooks deliver. */
export const webhookActor = (provider: "github" | "gitlab" | "generic") => `webhook:${provider}`;
