/**
 * Waivers: a person accepts one finding for one component, with a justification and an expiry,
 * on the record. The security gate stops counting the finding meanwhile; an expired or revoked
 * waiver counts no more. Granting and revoking are events (`waiver.granted`, `waiver.revoked`).
 */
import { randomBytes } from "node:crypto";
import { isDuration, parseDuration } from "../domain/duration.js";
import type { Waiver } from "../domain/model.js";
import { type Principal, requireOneOf } from "./actions.js";
import { type EngineContext, nowInstant } from "./context.js";
import { ConflictError, InvalidInputError, NotFoundError } from "./errors.js";

/** Roles that may waive a finding. */
export const WAIVER_ROLES = ["approver", "coordinator", "admin"] as const;

/** The longest a waiver may run: a year, so every accepted risk is looked at again. */
export const MAX_WAIVER_MS = 366 * 24 * 3_600_000;

export interface WaiverRequest {
  component: string;
  /** The finding's id, e.g. CVE-2024-1234. */
  finding: string;
  justification: string;
  /** An instant (ISO 8601, or a date: its end in UTC) or a duration from now (30d). */
  expires: string;
}

export class Waivers {
  constructor(private readonly ctx: EngineContext) {}

  /**
   * Grants a waiver.
   * @throws {ForbiddenError} without an approver, coordinator or admin role
   * @throws {InvalidInputError} for an unknown component, an empty finding or justification, or
   *   an expiry that is past, unreadable or more than a year ahead
   * @throws {ConflictError} when a waiver in force covers the same finding of the component
   */
  async grant(who: Principal, input: WaiverRequest): Promise<Waiver> {
    requireOneOf(who, WAIVER_ROLES, `waive ${input.finding} for ${input.component}`);
    const config = this.ctx.config().config;
    if (!config.components[input.component]) {
      throw new InvalidInputError(
        `unknown component "${input.component}": configured components are ${Object.keys(config.components).join(", ")}`,
        { field: "component" },
      );
    }
    const finding = input.finding.trim();
    if (!finding || finding.length > 200) {
      throw new InvalidInputError("finding: give the finding's id, e.g. CVE-2024-1234", { field: "finding" });
    }
    const justification = input.justification.trim();
    if (!justification) {
      throw new InvalidInputError("a waiver needs a justification saying why the risk is accepted", {
        field: "justification",
      });
    }
    const now = this.ctx.clock.now().getTime();
    const expiresAt = expiryOf(input.expires, now);
    const id = `wvr_${randomBytes(9).toString("base64url")}`;
    await this.ctx.locks.run(`waiver:${input.component}:${finding}`, async () => {
      const live = (await this.ctx.store.listWaivers({ component: input.component })).find(
        (w) => w.finding === finding && Date.parse(w.expiresAt) > now,
      );
      if (live) {
        throw new ConflictError(
          `${finding} is waived for ${input.component} already (${live.id}, by ${live.approver} until ${live.expiresAt}); revoke it first to change it`,
          { waiver: live.id },
        );
      }
      await this.ctx.store.append(
        [
          {
            type: "waiver.granted",
            trainId: null,
            actor: who.subject,
            payload: { waiverId: id, component: input.component, finding, justification, expiresAt },
          },
        ],
        nowInstant(this.ctx),
      );
    });
    this.ctx.logger.info(
      { waiver: id, component: input.component, finding, expires_at: expiresAt, actor: who.subject },
      "waiver granted",
    );
    return (await this.ctx.store.listWaivers({ includeRevoked: true })).find((w) => w.id === id)!;
  }

  /**
   * Revokes a waiver: the finding counts again at once.
   * @throws {NotFoundError} for an unknown waiver
   * @throws {ConflictError} when it was revoked already
   */
  async revoke(id: string, who: Principal, reason: string): Promise<Waiver> {
    requireOneOf(who, WAIVER_ROLES, `revoke waiver ${id}`);
    const why = reason.trim();
    if (!why) throw new InvalidInputError("revoking a waiver needs a reason", { field: "reason" });
    await this.ctx.locks.run(`waiver:${id}`, async () => {
      const waiver = (await this.ctx.store.listWaivers({ includeRevoked: true })).find((w) => w.id === id);
      if (!waiver) throw new NotFoundError(`no waiver "${id}"`);
      if (waiver.revokedAt) {
        throw new ConflictError(`waiver ${id} was revoked by ${waiver.revokedBy} at ${waiver.revokedAt}`);
      }
      await this.ctx.store.append(
        [
          {
            type: "waiver.revoked",
            trainId: null,
            actor: who.subject,
            payload: { waiverId: id, reason: why },
          },
        ],
        nowInstant(this.ctx),
      );
    });
    this.ctx.logger.info({ waiver: id, actor: who.subject }, "waiver revoked");
    return (await this.ctx.store.listWaivers({ includeRevoked: true })).find((w) => w.id === id)!;
  }

  /** Waivers in force (of one component when given); expired and revoked ones too with `all`. */
  async list(filter: { component?: string; all?: boolean } = {}): Promise<Waiver[]> {
    const now = this.ctx.clock.now().getTime();
    const waivers = await this.ctx.store.listWaivers({
      ...(filter.component ? { component: filter.component } : {}),
      includeRevoked: filter.all === true,
    });
    return filter.all ? waivers : waivers.filter((w) => Date.parse(w.expiresAt) > now);
  }
}

/**
 * The expiry of a waiver: a duration from now (`30d`), an ISO 8601 instant, or a date (the end
 * of that day in UTC).
 * @throws {InvalidInputError} when unreadable, not in the future, or more than a year ahead
 */
export function expiryOf(text: string, now: number): string {
  const value = text.trim();
  let at: number;
  if (isDuration(value)) at = now + parseDuration(value);
  else if (/^\d{4}-\d{2}-\d{2}$/.test(value)) at = Date.parse(`${value}T23:59:59.999Z`);
  else at = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at)) {
    throw new InvalidInputError(
      `expires: "${text}" is neither a duration (30d, 12h) nor a date or instant (2027-01-31, 2027-01-31T12:00:00Z)`,
      { field: "expires" },
    );
  }
  if (at <= now)
    throw new InvalidInputError(`expires: ${new Date(at).toISOString()} has passed`, { field: "expires" });
  if (at - now > MAX_WAIVER_MS) {
    throw new InvalidInputError("expires: a waiver runs a year at most, so the risk is looked at again", {
      field: "expires",
    });
  }
  return new Date(at).toISOString();
}
