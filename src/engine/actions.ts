/**
 * What people do to trains: approve, reject, pause, resume, abort, roll back, retry, drop a
 * component. Each action checks the state machine, appends its events in one transaction and
 * wakes the reconciler; a refused action changes nothing and says why.
 */
import { randomBytes } from "node:crypto";
import semver from "semver";
import {
  type ApprovalExclusion,
  type ApprovalTally,
  approvingTeams,
  contributionsOf,
  describeContributions,
  type GroupTally,
  tallyApprovals,
} from "../domain/approval.js";
import { resolveBoarding } from "../domain/boarding.js";
import type { ManualApprovalConfig } from "../domain/config/schema.js";
import { type NewEvent, SYSTEM_ACTOR } from "../domain/events.js";
import type { Artifact, Incident, ManifestItem, Pin, Train, TrainException } from "../domain/model.js";
import { dependentsNeeding } from "../domain/rollout.js";
import { hasTouchedProduction, isTerminal, PRODUCTION_STATES } from "../domain/train-state.js";
import type { BoardingDesk } from "./boarding-desk.js";
import { pinnedReason, productionState } from "./boarding-plan.js";
import { type EngineContext, nowInstant } from "./context.js";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from "./errors.js";
import type { StoreWriter } from "./ports.js";
import { shippedArtifactsOf } from "./shipped-artifacts.js";
import { transitionEvent } from "./transitions.js";

/** Where a request came from, kept with every audit record of what it did. */
export interface RequestSource {
  /** How the caller authenticated. */
  via: "token" | "session" | "bootstrap" | "webhook" | "cli";
  /** The token (or the token a session was opened with); null for the bootstrap admin token. */
  tokenId: string | null;
  /** The client's address as the server saw it (honouring X-Forwarded-For only behind a trusted proxy). */
  address: string | null;
  userAgent: string | null;
  /** The server's id of the request, also in its log lines. */
  requestId: string | null;
}

/** Who is acting: the subject of a token (a person or a bot) and its roles. */
export interface Principal {
  subject: string;
  /** Effective roles: the token's roles, narrowed to the person's configured roles. */
  roles: string[];
  /** Token id, for the audit trail (null for the bootstrap admin token). */
  tokenId: string | null;
  /** Teams the subject is a member of, from the configuration (empty for bots). */
  teams?: string[];
  /** `ci` tokens may only push artifacts and reports, for `components`. @default user */
  kind?: "user" | "ci";
  /** CI tokens: the components they may push for. */
  components?: string[] | null;
  /** Where the request came from (absent for work the engine does itself). */
  source?: RequestSource;
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
  /** People who fill a seat, in the order they approved. */
  approvers: string[];
  /** Seats to fill: the sum of the groups' `required`. */
  required: number;
  satisfied: boolean;
  /** True when this person had already approved: recorded, but it counts once. */
  duplicate: boolean;
  /** Per approving group: its required, who is counted toward it, whether it is satisfied. */
  groups: GroupTally[];
  /** People whose approval is valid but fills no seat (every group they could serve is full). */
  surplus: string[];
  /** People whose approval does not count, and why. */
  excluded: ApprovalExclusion[];
}

/** An {@link ApprovalResult} from a tally. */
export function approvalResult(train: Train, tally: ApprovalTally, duplicate: boolean): ApprovalResult {
  return {
    train,
    approvers: tally.approvers,
    required: tally.required,
    satisfied: tally.satisfied,
    duplicate,
    groups: tally.groups,
    surplus: tally.surplus,
    excluded: tally.excluded,
  };
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
   * Records an approval. A refused approval records nothing (the caller records the denial).
   * @throws {ConflictError} when the train is not awaiting approval or its line approves automatically
   * @throws {ForbiddenError} when the approver is in none of the line's approving teams, or pushed
   *   or authored an artifact the train carries and the line does not allow self-approval
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
      this.requireApprover(who, line.approval, train);
      const shipped = await shippedArtifactsOf(tx, await tx.getManifest(train.id));
      if (!line.approval.allowSelfApproval) {
        const own = contributionsOf(who.subject, shipped);
        if (own.length > 0) {
          throw new ForbiddenError(
            `${who.subject} may not approve ${train.id}: they ${describeContributions(own)} (separation of duties; line ${train.line} sets allowSelfApproval: false)`,
            { artifacts: own },
          );
        }
      }
      const before = tallyApprovals(line, this.ctx.config().config.teams, await tx.listApprovals(trainId), {
        manifestRevision: train.manifestRevision,
        now: this.ctx.clock.now().getTime(),
        shipped,
      });
      duplicate = before.approvers.includes(who.subject) || before.surplus.includes(who.subject);
      return [approvalEvent(train, who, "approve", comment)];
    });
    return approvalResult(train, await this.tally(train), duplicate);
  }

  /** The tally of a train's approvals now. */
  async tally(train: Train): Promise<ApprovalTally> {
    const store = this.ctx.store;
    const [approvals, manifest] = await Promise.all([
      store.listApprovals(train.id),
      store.getManifest(train.id),
    ]);
    return tallyApprovals(this.ctx.config().line(train.line), this.ctx.config().config.teams, approvals, {
      manifestRevision: train.manifestRevision,
      now: this.ctx.clock.now().getTime(),
      shipped: await shippedArtifactsOf(store, manifest),
    });
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
      // Self-rejection is fine: stopping a release you pushed is never a conflict of interest.
      if (line.approval.mode === "manual") this.requireApprover(who, line.approval, train);
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

  /** @throws {ForbiddenError} when `who` is a member of none of the approving groups' teams */
  private requireApprover(who: Principal, approval: ManualApprovalConfig, train: Train): void {
    const teams = approvingTeams(approval);
    const config = this.ctx.config().config;
    const member = teams.some((team) => config.teams[team]?.members.some((m) => m.name === who.subject));
    if (member) return;
    const [only] = teams;
    if (teams.length === 1 && only !== undefined) {
      throw new ForbiddenError(
        `${who.subject} is not a member of team ${only}, which approves line ${train.line}`,
        { team: only, teams },
      );
    }
    throw new ForbiddenError(
      `${who.subject} is not a member of any team that approves line ${train.line} (${teams.join(", ")})`,
      { teams },
    );
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

  /**
   * Records a person's mark on the rollout step the train waits at (`expected`, from the
   * reconciler's decision): a promote, or a step approval or rejection. A rejection rolls the
   * train back (automatic policy) or blocks it (manual). When the train is paused by an
   * inconclusive analysis, a promote also resumes it.
   * @throws {ConflictError} when the train moved on meanwhile
   */
  markStep(
    trainId: string,
    who: Principal,
    expected: { wave: string; step: string; kind: "promote" | "approve" | "reject"; updatedAt: string },
    comment: string | null,
  ): Promise<Train> {
    return this.act(trainId, async (train) => {
      if (train.updatedAt !== expected.updatedAt) {
        throw new ConflictError(
          `${train.id} moved on (${train.state}) while you acted; look again and retry`,
        );
      }
      const events: NewEvent[] = [
        {
          type: "rollout.marked",
          trainId: train.id,
          actor: who.subject,
          payload: {
            wave: expected.wave,
            step: expected.step,
            kind: expected.kind,
            comment: comment?.trim() || null,
          },
        },
      ];
      if (expected.kind === "promote" && train.state === "paused") {
        events.push(
          transitionEvent(train, {
            event: "resume",
            actor: who.subject,
            reason: `promoted by ${who.subject}${comment?.trim() ? `: ${comment.trim()}` : ""}`,
          }),
        );
      }
      if (expected.kind === "reject") {
        const line = this.ctx.config().line(train.line);
        const reason = `step ${expected.step} of wave ${expected.wave} rejected by ${who.subject}: ${comment ?? ""}`;
        events.push(
          transitionEvent(train, {
            event: line.rollback.policy === "automatic" ? "rollback" : "fail",
            actor: who.subject,
            reason: line.rollback.policy === "automatic" ? `${reason}; rolling back automatically` : reason,
          }),
        );
      }
      return events;
    });
  }

  /**
   * Rolls one component of a train in production back in every wave it reached, while the rest
   * of the train goes on; its manifest item becomes dropped. Refused (409, naming them) when
   * riding components need its new version, unless the line's `rollback.dependents` is
   * `include`, which rolls them back too.
   */
  rollbackComponent(
    trainId: string,
    component: string,
    who: Principal,
    reason: string | null,
  ): Promise<Train> {
    return this.act(trainId, async (train, tx) => {
      const inProduction =
        PRODUCTION_STATES.includes(train.state) ||
        ((train.state === "paused" || train.state === "blocked") &&
          train.resumeTo !== null &&
          PRODUCTION_STATES.includes(train.resumeTo));
      if (!inProduction) {
        throw new ConflictError(
          `${train.id} is ${train.state}; one component is rolled back alone while the train is rolling out (deploying or verifying, or paused or blocked there); roll back the whole train instead`,
        );
      }
      const manifest = await tx.getManifest(train.id);
      const item = manifest.find((i) => i.component === component);
      if (!item) throw new NotFoundError(`${component} is not on train ${train.id}`);
      if (item.status !== "boarded") {
        throw new ConflictError(
          `${component} does not ride ${train.id} any more (${item.status}: ${item.reason ?? ""})`,
        );
      }
      const steps = await tx.listSteps(train.id);
      if (!steps.some((s) => s.key.startsWith("deploy/") && s.key.split("/")[2] === component)) {
        throw new ConflictError(
          `${component} has not been deployed to production by ${train.id}; drop nothing, or wait`,
        );
      }
      const line = this.ctx.config().line(train.line);
      const satisfies = (v: string, range: string) => semver.satisfies(v, range, { includePrerelease: true });
      // Everyone that would be left without a version they need, directly or through another.
      const withThem: string[] = [];
      const queue = [component];
      const refused: string[] = [];
      while (queue.length > 0) {
        const current = queue.shift()!;
        for (const dependent of dependentsNeeding(manifest, current, satisfies)) {
          if (dependent.component === component || withThem.includes(dependent.component)) continue;
          refused.push(`${dependent.component} needs ${current} ${dependent.range}`);
          withThem.push(dependent.component);
          queue.push(dependent.component);
        }
      }
      if (withThem.length > 0 && line.rollback.dependents === "refuse") {
        const previous = item.previousVersion ?? "nothing (never released)";
        throw new ConflictError(
          `cannot roll ${component} back to ${previous} alone: ${refused.join("; ")}. Roll back the whole train, or set lines.${train.line}.rollback.dependents: include`,
          { dependents: withThem },
        );
      }
      return [
        {
          type: "component.rolled_back",
          trainId: train.id,
          actor: who.subject,
          payload: {
            component,
            reason: `rolled back by ${who.subject}${reason?.trim() ? `: ${reason.trim()}` : ""}`,
            with: withThem,
          },
        },
      ];
    });
  }

  /**
   * Rolls back the current wave only: its deployments are undone and the train is blocked at
   * that wave; `retry` deploys it again, `rollback` undoes the whole train.
   */
  rollbackWave(trainId: string, wave: string, who: Principal, reason: string | null): Promise<Train> {
    return this.act(trainId, async (train) => {
      const line = this.ctx.config().line(train.line);
      const current = line.rollout.waves[train.currentWave]?.name;
      if (current !== wave) {
        const known = line.rollout.waves.map((w) => w.name);
        throw new ConflictError(
          current === undefined
            ? `${train.id} has not started a wave; waves: ${known.join(", ")}`
            : `only the wave a train is in can be rolled back alone: ${train.id} is in wave ${current}, not ${wave}; roll back the whole train to undo earlier waves`,
        );
      }
      return [
        transitionEvent(train, {
          event: "rollback",
          actor: who.subject,
          reason: `wave ${wave} rolled back by ${who.subject}${reason?.trim() ? `: ${reason.trim()}` : ""}`,
          scope: { wave },
        }),
      ];
    });
  }

  /**
   * Resolves an open incident (coordinators and admins); a line it stopped goes on.
   * @throws {NotFoundError} / {ConflictError} when there is no such open incident
   */
  async resolveIncident(id: string, who: Principal, resolution: string): Promise<Incident> {
    requireOneOf(who, ["coordinator", "admin"], `resolve incident ${id}`);
    if (!resolution.trim())
      throw new InvalidInputError("resolving an incident needs a resolution saying what was done", {
        field: "resolution",
      });
    const resolved = await this.ctx.store.transaction(async (tx) => {
      const incident = (await tx.listIncidents()).find((i) => i.id === id);
      if (!incident) throw new NotFoundError(`no incident "${id}"`);
      if (incident.status !== "open") throw new ConflictError(`incident ${id} is already resolved`);
      const at = nowInstant(this.ctx);
      await tx.append(
        [
          {
            type: "incident.resolved",
            trainId: incident.trainId,
            actor: who.subject,
            payload: { incidentId: id, resolution: resolution.trim() },
          },
        ],
        at,
      );
      // The line's trains waiting behind the stop look again.
      for (const train of await tx.listTrains({ line: incident.line, active: true, limit: 1000 }))
        await tx.setWakeAt(train.id, at);
      return (await tx.listIncidents()).find((i) => i.id === id)!;
    });
    this.ctx.wake();
    return resolved;
  }

  /** Retries the failed stage of a blocked train (failed steps get a new attempt). */
  retry(trainId: string, who: Principal): Promise<Train> {
    return this.act(trainId, async (train) => [
      transitionEvent(train, { event: "retry", actor: who.subject, reason: `retried by ${who.subject}` }),
    ]);
  }

  /**
   * Drops a component from a train; its artifact rides the next train. While boarding, its
   * artifacts leave the train. After the cut-off (before production), the manifest gets a new
   * revision: the remaining riders are resolved again against production, components that needed
   * its new version are held (and ride the next train too), and the train integrates and gates
   * again. The answer names who else is now held.
   * @throws {InvalidInputError} without a reason
   * @throws {NotFoundError} when the component is not on the train
   * @throws {ConflictError} when the train's state does not allow it
   */
  async dropComponent(
    trainId: string,
    component: string,
    who: Principal,
    reason: string,
  ): Promise<DropResult> {
    const why = reason?.trim();
    if (!why) {
      throw new InvalidInputError("dropping a component needs a reason the team can read", {
        field: "reason",
      });
    }
    let outcome: Omit<DropResult, "train"> = { component, carriedTo: null, nowHeld: [] };
    const train = await this.act(trainId, async (train, tx) => {
      const dropped: NewEvent = {
        type: "component.dropped",
        trainId,
        actor: who.subject,
        payload: { component, reason: why, revision: train.manifestRevision },
      };
      const next = await this.nextTrain(tx, train);
      const boardingState = train.state === "paused" ? train.resumeTo : train.state;
      if (boardingState === "boarding" || boardingState === "scheduled") {
        const artifacts = (await tx.listArtifacts({ trainId, component, limit: 1000 })).filter(
          (a) => !a.dropped,
        );
        if (artifacts.length === 0) {
          throw new NotFoundError(`${component} has not boarded ${trainId}`);
        }
        outcome = { component, carriedTo: next?.id ?? null, nowHeld: [] };
        return [dropped, ...carry(trainId, next, artifacts, `${component} dropped from ${trainId}: ${why}`)];
      }
      const manifest = await tx.getManifest(trainId);
      const item = manifest.find((i) => i.component === component);
      if (item?.status !== "boarded") {
        throw new NotFoundError(`${component} is not on ${trainId}'s manifest`);
      }
      const revision = train.manifestRevision + 1;
      const notReady = new Map([[component, `dropped by ${who.subject}: ${why}`]]);
      const { items, nowHeld } = await this.remanifest(tx, train, manifest, notReady, "dropped");
      const stillBoarded = items.some((i) => i.status === "boarded");
      const leaving = manifest.filter(
        (i) => i.component === component || nowHeld.some((h) => h.component === i.component),
      );
      outcome = { component, carriedTo: next?.id ?? null, nowHeld };
      return [
        { ...dropped, payload: { ...dropped.payload, revision } },
        { type: "manifest.frozen", trainId, actor: who.subject, payload: { revision, items } },
        ...carry(
          trainId,
          next,
          await artifactsOf(tx, leaving),
          `${component} dropped from ${trainId}: ${why}`,
        ),
        stillBoarded
          ? transitionEvent(train, {
              event: "remanifest",
              actor: who.subject,
              reason: `${component} dropped: ${why}${nowHeld.length > 0 ? `; now held: ${nowHeld.map((h) => h.component).join(", ")}` : ""}`,
            })
          : transitionEvent(train, {
              event: "skip",
              actor: who.subject,
              reason: `every component was dropped or held (${component}: ${why})`,
            }),
      ];
    });
    this.ctx.logger.info(
      { train_id: trainId, component, actor: who.subject, now_held: outcome.nowHeld.map((h) => h.component) },
      "component dropped",
    );
    return { train, ...outcome };
  }

  /**
   * Pins a component at its production version until unpinned: every train of its line that
   * freezes meanwhile keeps production's version. A train past its cut-off and before production
   * that carries a new version of it gets a new manifest revision, as for a drop.
   * @throws {InvalidInputError} without a reason, or for a component that rides no line
   * @throws {ConflictError} when it is pinned already
   */
  async pin(component: string, who: Principal, reason: string): Promise<PinResult> {
    const why = reason?.trim();
    if (!why) throw new InvalidInputError("pinning a component needs a reason", { field: "reason" });
    const line = this.lineOfComponent(component);
    const affected = await this.ctx.locks.run(`pin:${component}`, async () => {
      const existing = (await this.ctx.store.listPins()).find((p) => p.component === component);
      if (existing) {
        throw new ConflictError(
          `${component} is pinned already (by ${existing.actor} at ${existing.pinnedAt}: ${existing.reason}); unpin it first`,
        );
      }
      const production = await this.desk.productionState();
      const version = production.get(component)?.version ?? null;
      await this.ctx.store.append(
        [
          {
            type: "component.pinned",
            trainId: null,
            actor: who.subject,
            payload: { component, line, version, reason: why },
          },
        ],
        nowInstant(this.ctx),
      );
      return version;
    });
    const pin = (await this.ctx.store.listPins()).find((p) => p.component === component)!;
    // Trains frozen with its new version and not yet in production leave it behind.
    const remanifested: PinResult["remanifested"] = [];
    const trains = await this.ctx.store.listTrains({ line, active: true, limit: 1000 });
    for (const candidate of trains) {
      const held = await this.holdAfterCutoff(candidate.id, component, pinnedReason(pin), who.subject, {
        event: `${component} pinned: ${why}`,
        everyone: `every component was pinned or held (${component}: ${why})`,
      });
      if (held) remanifested.push({ train: held.train.id, nowHeld: held.nowHeld });
    }
    this.ctx.logger.info({ component, line, version: affected, actor: who.subject }, "component pinned");
    this.ctx.wake();
    return { pin, remanifested };
  }

  /**
   * Lifts a pin: the component's next artifacts board again.
   * @throws {InvalidInputError} without a reason
   * @throws {NotFoundError} when it is not pinned
   */
  async unpin(component: string, who: Principal, reason: string): Promise<void> {
    const why = reason?.trim();
    if (!why) throw new InvalidInputError("unpinning a component needs a reason", { field: "reason" });
    await this.ctx.locks.run(`pin:${component}`, async () => {
      const existing = (await this.ctx.store.listPins()).find((p) => p.component === component);
      if (!existing) throw new NotFoundError(`${component} is not pinned`);
      await this.ctx.store.append(
        [
          {
            type: "component.unpinned",
            trainId: null,
            actor: who.subject,
            payload: { component, line: existing.line, reason: why },
          },
        ],
        nowInstant(this.ctx),
      );
    });
    this.ctx.logger.info({ component, actor: who.subject }, "component unpinned");
    this.ctx.wake();
  }

  /**
   * Holds a component back on a train past its cut-off and before production, when it rides it:
   * a new manifest revision without it, the other riders resolved again (who needed its new
   * version is held too), their artifacts carried to the next train, and integration and gates
   * run again. Used by pins and by a CI failure that arrives after the cut-off. Returns null when
   * the component does not ride the train (or the train is not between cut-off and production).
   */
  async holdAfterCutoff(
    trainId: string,
    component: string,
    reason: string,
    actor: string,
    words: { event: string; everyone: string },
  ): Promise<{ train: Train; nowHeld: HeldComponent[] } | null> {
    const rides = (train: Train, manifest: readonly ManifestItem[]) => {
      const state = train.state === "paused" || train.state === "blocked" ? train.resumeTo : train.state;
      return (
        state !== null &&
        ["frozen", "integrating", "gating", "awaiting_approval"].includes(state) &&
        !hasTouchedProduction(train) &&
        manifest.some((i) => i.component === component && i.status === "boarded")
      );
    };
    const before = await this.ctx.store.getTrain(trainId);
    if (!before || !rides(before, await this.ctx.store.getManifest(trainId))) return null;
    let nowHeld: HeldComponent[] = [];
    let changed = false;
    const train = await this.act(trainId, async (train, tx) => {
      const current = await tx.getManifest(train.id);
      // Looked at again under the train's lock: it may have moved on meanwhile.
      if (!rides(train, current)) return [];
      changed = true;
      const result = await this.remanifest(tx, train, current, new Map([[component, reason]]), "held");
      nowHeld = result.nowHeld;
      const revision = train.manifestRevision + 1;
      const next = await this.nextTrain(tx, train);
      const leaving = current.filter(
        (i) => i.component === component || result.nowHeld.some((h) => h.component === i.component),
      );
      const stillBoarded = result.items.some((i) => i.status === "boarded");
      return [
        { type: "manifest.frozen", trainId: train.id, actor, payload: { revision, items: result.items } },
        ...carry(train.id, next, await artifactsOf(tx, leaving), words.event),
        stillBoarded
          ? transitionEvent(train, { event: "remanifest", actor, reason: words.event })
          : transitionEvent(train, { event: "skip", actor, reason: words.everyone }),
      ];
    });
    if (!changed) return null;
    this.ctx.logger.info(
      { train_id: trainId, component, actor, now_held: nowHeld.map((h) => h.component) },
      "component held after the cut-off",
    );
    return { train, nowHeld };
  }

  private lineOfComponent(component: string): string {
    const config = this.ctx.config();
    if (!config.config.components[component]) {
      throw new NotFoundError(
        `unknown component "${component}": configured components are ${Object.keys(config.config.components).join(", ")}`,
      );
    }
    const line = config.lineOf(component);
    if (!line) throw new InvalidInputError(`component ${component} rides no line`, { field: "component" });
    return line;
  }

  /** The line's next train after `train` that takes artifacts (scheduled or boarding), if any. */
  private async nextTrain(tx: StoreWriter, train: Train): Promise<Train | undefined> {
    const trains = await tx.listTrains({ line: train.line, active: true, limit: 1000 });
    return trains
      .filter((t) => {
        const state = t.state === "paused" ? t.resumeTo : t.state;
        return t.id !== train.id && t.kind === "scheduled" && (state === "scheduled" || state === "boarding");
      })
      .filter((t) => t.departureAt > train.departureAt)
      .sort((a, b) => a.departureAt.localeCompare(b.departureAt))[0];
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

  /**
   * A new manifest for a train whose riders change after its cut-off: the components in
   * `notReady` leave with that reason, the other riders are resolved again against production
   * now, and items held or dropped before keep their status. Returns the items and the riders
   * that are held now and were not before.
   */
  private async remanifest(
    tx: StoreWriter,
    train: Train,
    manifest: readonly ManifestItem[],
    notReady: ReadonlyMap<string, string>,
    leaveAs: "dropped" | "held",
  ): Promise<{ items: Array<Omit<ManifestItem, "trainId" | "revision">>; nowHeld: HeldComponent[] }> {
    const strip = (i: ManifestItem): Omit<ManifestItem, "trainId" | "revision"> => ({
      component: i.component,
      version: i.version,
      artifactId: i.artifactId,
      previousVersion: i.previousVersion,
      dependsOn: i.dependsOn,
      status: i.status,
      reason: i.reason,
    });
    const riders = manifest.filter((i) => i.status === "boarded");
    const production = await productionState(this.ctx, tx);
    const plan = resolveBoarding(
      riders.map((i) => ({
        component: i.component,
        version: i.version,
        artifactId: i.artifactId,
        dependsOn: i.dependsOn,
        notReady: notReady.get(i.component) ?? null,
      })),
      production,
    );
    const heldNow = new Map(plan.held.map((h) => [h.component, h]));
    const nowHeld: HeldComponent[] = [];
    const items = manifest.map((i) => {
      const held = heldNow.get(i.component);
      if (!held) return strip(i);
      if (notReady.has(i.component)) {
        return {
          ...strip(i),
          status: leaveAs,
          reason: leaveAs === "held" ? held.reason : notReady.get(i.component)!,
        };
      }
      const reason = held.reason;
      nowHeld.push({ component: i.component, version: i.version, reason, reasons: held.reasons });
      return { ...strip(i), status: "held" as const, reason };
    });
    this.ctx.logger.debug({ train_id: train.id, now_held: nowHeld.length }, "manifest resolved again");
    return { items, nowHeld };
  }
}

/** A component a re-resolution holds, with its reason chain. */
export interface HeldComponent {
  component: string;
  version: string;
  reason: string;
  reasons: string[];
}

/** What {@link TrainActions.dropComponent} did. */
export interface DropResult {
  train: Train;
  component: string;
  /** The train its artifact rides now (null when the timetable has no next train). */
  carriedTo: string | null;
  /** Riders held because of the drop (they ride the next train too). */
  nowHeld: HeldComponent[];
}

/** What {@link TrainActions.pin} did. */
export interface PinResult {
  pin: Pin;
  /** Trains past their cut-off whose manifest changed, and who is held there now. */
  remanifested: Array<{ train: string; nowHeld: HeldComponent[] }>;
}

/** The artifacts of manifest items. */
async function artifactsOf(tx: StoreWriter, items: readonly ManifestItem[]): Promise<Artifact[]> {
  const artifacts = await Promise.all(items.map((i) => tx.getArtifact(i.artifactId)));
  return artifacts.filter((a): a is Artifact => a !== undefined);
}

/** Events carrying artifacts from `from` to the next train (none when there is no next train). */
function carry(
  from: string,
  next: Train | undefined,
  artifacts: readonly Artifact[],
  reason: string,
): NewEvent[] {
  if (!next) return [];
  return artifacts
    .filter((a) => a.trainId === from)
    .map((a) => ({
      type: "artifact.carried" as const,
      trainId: from,
      actor: SYSTEM_ACTOR,
      payload: { artifactId: a.id, component: a.component, version: a.version, toTrain: next.id, reason },
    }));
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
