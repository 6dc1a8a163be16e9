/**
 * What people do to trains: approve, reject, pause, resume, abort, roll back, retry, drop a
 * component. Each action checks the state machine, appends its events in one transaction and
 * wakes the reconciler; a refused action changes nothing and says why.
 */
import { randomBytes } from "node:crypto";
import { tallyApprovals } from "../domain/approval.js";
import { resolveBoarding } from "../domain/boarding.js";
import type { NewEvent } from "../domain/events.js";
import type { ManifestItem, Train, TrainException } from "../domain/model.js";
import { hasTouchedProduction, isTerminal } from "../domain/train-state.js";
import type { BoardingDesk } from "./boarding-desk.js";
import { type EngineContext, nowInstant } from "./context.js";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from "./errors.js";
import type { StoreWriter } from "./ports.js";
import { transitionEvent } from "./transitions.js";

/** Who is acting: the subject of a token (a person or a bot) and its roles. */
export interface Principal {
  subject: string;
  roles: string[];
  /** Token id, for the audit trail (null for the bootstrap admin token). */
  tokenId: string | null;
}

/** What {@link TrainActions.grantException} did. */
export interface ExceptionResult {
  train: Train;
  /** Names of the blackouts this call let the train through. */
  granted: string[];
  /** Every exception the train holds now. */
  exceptions: TrainException[];
}

/**
 * Checks that a principal holds one of `roles`.
 * @throws {ForbiddenError} naming the roles, with `details.roles`
 */
export function requireOneOf(who: Principal, roles: readonly string[], what: string): void {
  if (who.roles.some((role) => roles.includes(role))) return;
  throw new ForbiddenError(
    `${who.subject} may not ${what}: it needs one of the roles ${roles.join(", ")} (${who.subject} has ${who.roles.join(", ") || "none"})`,
    { roles: [...roles] },
  );
}

/**
 * The production wave whose start a train asks a permit for next (0 before departing), or null
 * when its last wave has started.
 */
export function nextWaveOf(train: Pick<Train, "currentWave">, waves: number): number | null {
  const next = train.currentWave < 0 ? 0 : train.currentWave + 1;
  return next < waves ? next : null;
}

export interface ApprovalResult {
  train: Train;
  approvers: string[];
  required: number;
  satisfied: boolean;
  /** True when this person had already approved: recorded, but it counts once. */
  duplicate: boolean;
}

export class TrainActions {
  constructor(
    private readonly ctx: EngineContext,
    private readonly desk: BoardingDesk,
    private readonly onLineChanged: () => void,
  ) {}

  private async act(
    trainId: string,
    build: (train: Train, tx: StoreWriter) => Promise<NewEvent[]>,
  ): Promise<Train> {
    const updated = await this.ctx.locks.run(trainId, () =>
      this.ctx.store.transaction(async (tx) => {
        const train = await tx.getTrain(trainId);
        if (!train) throw new NotFoundError(`no train "${trainId}"`);
        const events = await build(train, tx);
        const at = nowInstant(this.ctx);
        await tx.append(events, at);
        await tx.setWakeAt(trainId, at);
        return (await tx.getTrain(trainId))!;
      }),
    );
    this.desk.invalidate(trainId);
    this.ctx.wake();
    return updated;
  }

  /**
   * Records an approval.
   * @throws {ConflictError} when the train is not awaiting approval or its line approves automatically
   * @throws {ForbiddenError} when the approver is not in the line's approving team
   */
  async approve(trainId: string, who: Principal, comment: string | null): Promise<ApprovalResult> {
    let duplicate = false;
    const train = await this.act(trainId, async (train, tx) => {
      const line = this.ctx.config().line(train.line);
      if (train.state !== "awaiting_approval") {
        throw new ConflictError(
          `${train.id} is ${train.state}; approvals are taken while it is awaiting_approval (after its gates pass)`,
        );
      }
      if (line.approval.mode === "auto") {
        throw new ConflictError(
          `line ${train.line} approves automatically when its gates pass; nothing to approve`,
        );
      }
      this.requireApprover(who, line.approval.team, train);
      const before = tallyApprovals(
        line,
        this.ctx.config().config.teams,
        await tx.listApprovals(trainId),
        train.manifestRevision,
      );
      duplicate = before.approvers.includes(who.subject);
      return [approvalEvent(train, who, "approve", comment)];
    });
    const line = this.ctx.config().line(train.line);
    const tally = tallyApprovals(
      line,
      this.ctx.config().config.teams,
      await this.ctx.store.listApprovals(trainId),
      train.manifestRevision,
    );
    return {
      train,
      approvers: tally.approvers,
      required: tally.required,
      satisfied: tally.satisfied,
      duplicate,
    };
  }

  /**
   * Rejects a train awaiting approval: it becomes blocked with the comment as reason.
   * @throws {InvalidInputError} without a comment
   */
  async reject(trainId: string, who: Principal, comment: string): Promise<Train> {
    if (!comment.trim())
      throw new InvalidInputError("a rejection needs a comment saying why", { field: "comment" });
    return this.act(trainId, async (train) => {
      const line = this.ctx.config().line(train.line);
      if (line.approval.mode === "manual") this.requireApprover(who, line.approval.team, train);
      return [
        approvalEvent(train, who, "reject", comment),
        transitionEvent(train, {
          event: "reject",
          actor: who.subject,
          reason: `rejected by ${who.subject}: ${comment}`,
        }),
      ];
    });
  }

  private requireApprover(who: Principal, team: string, train: Train): void {
    const members = this.ctx.config().config.teams[team]?.members ?? [];
    if (!members.some((m) => m.name === who.subject)) {
      throw new ForbiddenError(
        `${who.subject} is not a member of team ${team}, which approves line ${train.line}`,
        { team },
      );
    }
  }

  /** Pauses a train; the reconciler leaves it alone until resumed. */
  pause(trainId: string, who: Principal, reason: string | null): Promise<Train> {
    return this.act(trainId, async (train) => [
      transitionEvent(train, {
        event: "pause",
        actor: who.subject,
        reason: reason?.trim() || `paused by ${who.subject}`,
      }),
    ]);
  }

  /** Resumes a paused train where it stopped. */
  async resume(trainId: string, who: Principal): Promise<Train> {
    const train = await this.act(trainId, async (train) => [
      transitionEvent(train, { event: "resume", actor: who.subject, reason: null }),
    ]);
    this.onLineChanged();
    return train;
  }

  /** Aborts a train that has not touched production. @throws {InvalidInputError} without a reason */
  async abort(trainId: string, who: Principal, reason: string): Promise<Train> {
    if (!reason.trim()) throw new InvalidInputError("aborting a train needs a reason", { field: "reason" });
    const train = await this.act(trainId, async (train) => {
      if (hasTouchedProduction(train)) {
        throw new ConflictError(
          `${train.id} has already changed production (${train.state}); roll it back instead of aborting`,
        );
      }
      return [
        transitionEvent(train, {
          event: "abort",
          actor: who.subject,
          reason: `aborted by ${who.subject}: ${reason}`,
        }),
      ];
    });
    this.onLineChanged();
    return train;
  }

  /**
   * Rolls a train back: every wave it reached, newest first. A released train can be rolled back
   * only while it is its line's latest release and no other train of the line holds production.
   */
  rollback(trainId: string, who: Principal, reason: string | null): Promise<Train> {
    return this.act(trainId, async (train, tx) => {
      if (train.state === "released") {
        const latest = await tx.lastReleasedTrain(train.line);
        if (latest?.id !== train.id) {
          throw new ConflictError(
            `${train.id} is not line ${train.line}'s latest release (${latest?.id}); roll back ${latest?.id} first`,
          );
        }
        const active = await tx.listTrains({ line: train.line, active: true, limit: 1000 });
        const holder = active.find((t) => hasTouchedProduction(t));
        if (holder)
          throw new ConflictError(`${holder.id} is rolling out on line ${train.line}; wait for it to finish`);
      }
      return [
        transitionEvent(train, {
          event: "rollback",
          actor: who.subject,
          reason: `rolled back by ${who.subject}${reason?.trim() ? `: ${reason.trim()}` : ""}`,
        }),
      ];
    });
  }

  /** Retries the failed stage of a blocked train (failed steps get a new attempt). */
  retry(trainId: string, who: Principal): Promise<Train> {
    return this.act(trainId, async (train) => [
      transitionEvent(train, { event: "retry", actor: who.subject, reason: `retried by ${who.subject}` }),
    ]);
  }

  /**
   * Drops a component from a train. While boarding, its artifacts leave the train. After the
   * cut-off (before departure), the manifest gets a new revision without it — components that
   * need its new version are held too — and the train integrates and gates again.
   */
  dropComponent(trainId: string, component: string, who: Principal, reason: string | null): Promise<Train> {
    const why = reason?.trim() || `dropped by ${who.subject}`;
    return this.act(trainId, async (train, tx) => {
      const dropped: NewEvent = {
        type: "component.dropped",
        trainId,
        actor: who.subject,
        payload: { component, reason: why, revision: train.manifestRevision },
      };
      const boardingState = train.state === "paused" ? train.resumeTo : train.state;
      if (boardingState === "boarding" || boardingState === "scheduled") {
        const artifacts = await tx.listArtifacts({ trainId, component, limit: 1000 });
        if (!artifacts.some((a) => !a.dropped)) {
          throw new NotFoundError(`${component} has not boarded ${trainId}`);
        }
        return [dropped];
      }
      const manifest = await tx.getManifest(trainId);
      const item = manifest.find((i) => i.component === component);
      if (item?.status !== "boarded") {
        throw new NotFoundError(`${component} is not on ${trainId}'s manifest`);
      }
      const revision = train.manifestRevision + 1;
      const items = await this.remanifest(tx, manifest, component, why);
      const stillBoarded = items.some((i) => i.status === "boarded");
      return [
        { ...dropped, payload: { ...dropped.payload, revision } },
        { type: "manifest.frozen", trainId, actor: who.subject, payload: { revision, items } },
        stillBoarded
          ? transitionEvent(train, {
              event: "remanifest",
              actor: who.subject,
              reason: `${component} dropped: ${why}`,
            })
          : transitionEvent(train, {
              event: "skip",
              actor: who.subject,
              reason: `every component was dropped or held (${component}: ${why})`,
            }),
      ];
    });
  }

  /**
   * Lets a train deploy through a blackout: the named one, or every blackout stopping the train's
   * next production wave now. The train resumes on the next pass if only those stopped it.
   * @throws {InvalidInputError} without a reason
   * @throws {NotFoundError} for a blackout the train's line does not have (naming those it has)
   * @throws {ConflictError} when the train has ended, already holds the exception, or (without a
   *   named blackout) no blackout stops it now
   * @throws {ForbiddenError} when the person holds none of the blackout's `exceptionRoles`
   */
  async grantException(
    trainId: string,
    who: Principal,
    input: { blackout?: string | null; reason: string },
  ): Promise<ExceptionResult> {
    const reason = input.reason.trim();
    if (!reason)
      throw new InvalidInputError("an exception needs a reason saying why the train may go", {
        field: "reason",
      });
    let granted: string[] = [];
    const train = await this.act(trainId, async (train, tx) => {
      if (isTerminal(train.state)) {
        throw new ConflictError(`${train.id} has ended (${train.state}); it needs no exception`);
      }
      const config = this.ctx.config();
      const line = config.line(train.line);
      const defined = config.blackoutsOf(train.line);
      const held = new Set((await tx.listExceptions(train.id)).map((e) => e.blackout));
      let names: string[];
      if (input.blackout) {
        const named = defined.find((b) => b.name === input.blackout);
        if (!named) {
          throw new NotFoundError(
            defined.length === 0
              ? `no blackout "${input.blackout}": line ${train.line} has no blackouts`
              : `no blackout "${input.blackout}" on line ${train.line}: its blackouts are ${[...new Set(defined.map((b) => b.name))].join(", ")}`,
            { field: "blackout", blackouts: defined.map((b) => b.name) },
          );
        }
        if (held.has(named.name)) {
          throw new ConflictError(`${train.id} already holds an exception for blackout ${named.name}`);
        }
        names = [named.name];
      } else {
        const wave = nextWaveOf(train, line.rollout.waves.length);
        const environments =
          wave === null
            ? line.rollout.waves.flatMap((w) => w.environments)
            : line.rollout.waves[wave]!.environments;
        const stopping = config
          .deploymentRules(train.line)
          .blackoutsAt(this.ctx.clock.now().getTime(), environments)
          .filter((b) => !held.has(b.name));
        if (stopping.length === 0) {
          throw new ConflictError(
            `no blackout stops ${train.id} now; name the blackout to grant an exception for in advance (blackout${defined.length > 0 ? `: one of ${[...new Set(defined.map((b) => b.name))].join(", ")}` : ""})`,
          );
        }
        names = [...new Set(stopping.map((b) => b.name))];
      }
      for (const name of names) {
        const roles = defined.find((b) => b.name === name)?.exceptionRoles ?? ["admin"];
        requireOneOf(who, roles, `grant ${train.id} an exception for blackout ${name}`);
      }
      granted = names;
      return names.map(
        (blackout): NewEvent => ({
          type: "exception.granted",
          trainId: train.id,
          actor: who.subject,
          payload: { blackout, reason },
        }),
      );
    });
    this.ctx.logger.info(
      { train_id: train.id, line: train.line, blackouts: granted, actor: who.subject },
      "exception granted",
    );
    return { train, granted, exceptions: await this.ctx.store.listExceptions(train.id) };
  }

  private async remanifest(
    tx: StoreWriter,
    manifest: readonly ManifestItem[],
    component: string,
    why: string,
  ): Promise<Array<Omit<ManifestItem, "trainId" | "revision">>> {
    const strip = (i: ManifestItem): Omit<ManifestItem, "trainId" | "revision"> => ({
      component: i.component,
      version: i.version,
      artifactId: i.artifactId,
      previousVersion: i.previousVersion,
      status: i.status,
      reason: i.reason,
    });
    const remaining = manifest.filter((i) => i.status === "boarded" && i.component !== component);
    const production = new Map<string, string>();
    for (const i of manifest) if (i.previousVersion) production.set(i.component, i.previousVersion);
    const candidates = await Promise.all(
      remaining.map(async (i) => ({
        component: i.component,
        version: i.version,
        artifactId: i.artifactId,
        dependsOn: (await tx.getArtifact(i.artifactId))?.dependsOn ?? [],
      })),
    );
    const { held } = resolveBoarding(candidates, production);
    const heldReason = new Map(held.map((h) => [h.component, h.reason]));
    return manifest.map((i) => {
      if (i.component === component) return { ...strip(i), status: "dropped" as const, reason: why };
      const reason = heldReason.get(i.component);
      if (reason)
        return { ...strip(i), status: "held" as const, reason: `${reason} (${component} was dropped)` };
      return strip(i);
    });
  }
}

function approvalEvent(
  train: Train,
  who: Principal,
  decision: "approve" | "reject",
  comment: string | null,
): NewEvent {
  return {
    type: "approval.recorded",
    trainId: train.id,
    actor: who.subject,
    payload: {
      approvalId: `apr_${randomBytes(9).toString("base64url")}`,
      approver: who.subject,
      decision,
      comment: comment?.trim() || null,
      manifestRevision: train.manifestRevision,
    },
  };
}
