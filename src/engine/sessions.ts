/**
 * Dashboard sessions: a token exchanged for a cookie, so a browser never keeps the token itself.
 * The session id (the cookie's value) and its CSRF token are 256 random bits each, handed out
 * once and stored only as SHA-256 hashes. A session ends at its expiry (`access.session.ttl` of
 * the engine's clock), at logout, or as soon as the token it was opened with is revoked or
 * expires: every use reads the session and its token again, so nothing outlives a revocation.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { AuditSource, EventPayloads } from "../domain/events.js";
import type { Instant, SessionRecord } from "../domain/model.js";
import type { Principal } from "./actions.js";
import { ForbiddenError, UnauthorizedError } from "./errors.js";
import type { Clock, Store } from "./ports.js";
import type { Tokens } from "./tokens.js";

/** Why a session ended, as recorded in `session.closed`. */
export type SessionEnd = EventPayloads["session.closed"]["reason"];

export interface SessionsOptions {
  store: Store;
  /** The engine's clock: sessions expire in its time, like tokens. */
  clock: Clock;
  tokens: Tokens;
  /** The lifetime of a new session in milliseconds (`access.session.ttl` in force). */
  ttlMs: () => number;
}

/** A session just opened: the only time its id and CSRF token exist in plaintext. */
export interface OpenedSession {
  /** The cookie's value. */
  id: string;
  /** What the session's mutations must send as `X-CSRF-Token`. */
  csrfToken: string;
  principal: Principal;
  openedAt: Instant;
  expiresAt: Instant;
}

/** A live session and who it acts as now. */
export interface ActiveSession {
  record: SessionRecord;
  principal: Principal;
}

/** SHA-256 hex of a session id or CSRF token. */
function sha256(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

const LOGIN_AGAIN = "log in again with POST /api/v1/session";

/** Opens, resolves and closes dashboard sessions. */
export class Sessions {
  constructor(private readonly options: SessionsOptions) {}

  /**
   * Authenticates `token` and opens a session for it (appending `session.opened`).
   * @throws {UnauthorizedError} for a missing, unknown, revoked or expired token
   * @throws {ForbiddenError} for a CI token: those push artifacts, they do not use the dashboard
   */
  async open(
    token: string,
    from: Omit<AuditSource, "via" | "tokenId"> | null = null,
  ): Promise<OpenedSession> {
    const { store, clock, tokens } = this.options;
    const principal = await tokens.authenticate(token);
    if (principal.kind === "ci") {
      throw new ForbiddenError(`${principal.subject} is a CI token and cannot open a dashboard session`);
    }
    const now = clock.now();
    let expiresAtMs = now.getTime() + this.options.ttlMs();
    if (principal.tokenId !== null) {
      // A session never outlives its token.
      const record = (await store.listTokens()).find((t) => t.id === principal.tokenId);
      if (record?.expiresAt) expiresAtMs = Math.min(expiresAtMs, Date.parse(record.expiresAt));
    }
    const id = randomBytes(32).toString("base64url");
    const csrfToken = randomBytes(32).toString("base64url");
    const expiresAt = new Date(expiresAtMs).toISOString();
    const via = principal.tokenId === null ? "bootstrap" : "token";
    const source: AuditSource | null = from && { via, tokenId: principal.tokenId, ...from };
    const record: SessionRecord = {
      idHash: sha256(id),
      csrfHash: sha256(csrfToken),
      tokenId: principal.tokenId,
      subject: principal.subject,
      roles: principal.roles,
      createdAt: now.toISOString(),
      expiresAt,
      revokedAt: null,
    };
    await store.transaction(async (tx) => {
      await tx.insertSession(record);
      await tx.append(
        [
          {
            type: "session.opened",
            trainId: null,
            actor: principal.subject,
            payload: { tokenId: principal.tokenId, expiresAt, source },
          },
        ],
        now.toISOString(),
      );
    });
    return { id, csrfToken, principal, openedAt: record.createdAt, expiresAt };
  }

  /**
   * The live session with cookie value `id` and who it acts as under the configuration in force.
   * A session found expired, or whose token was revoked or expired, is closed on the way.
   * @throws {UnauthorizedError} for an unknown, ended or expired session
   */
  async resolve(id: string): Promise<ActiveSession> {
    const { store, clock, tokens } = this.options;
    const record = await store.findSession(sha256(id));
    if (!record) throw new UnauthorizedError(`unknown session: ${LOGIN_AGAIN}`);
    if (record.revokedAt)
      throw new UnauthorizedError(`the session ended at ${record.revokedAt}: ${LOGIN_AGAIN}`);
    const now = clock.now().getTime();
    if (Date.parse(record.expiresAt) <= now) {
      await this.end(record, "expired");
      throw new UnauthorizedError(`the session expired at ${record.expiresAt}: ${LOGIN_AGAIN}`);
    }
    if (record.tokenId === null) {
      // Opened with the bootstrap admin token, which is never stored: it acts as it did then.
      const principal: Principal = {
        subject: record.subject,
        roles: record.roles,
        tokenId: null,
        teams: [],
        kind: "user",
        components: null,
      };
      return { record, principal };
    }
    const token = (await store.listTokens()).find((t) => t.id === record.tokenId);
    if (!token || token.revokedAt) {
      await this.end(record, "token-revoked");
      throw new UnauthorizedError(`the session's token ${record.tokenId} was revoked: ${LOGIN_AGAIN}`);
    }
    if (token.expiresAt && Date.parse(token.expiresAt) <= now) {
      await this.end(record, "token-expired");
      throw new UnauthorizedError(`the session's token ${token.id} expired at ${token.expiresAt}`);
    }
    return { record, principal: tokens.principalOf(token) };
  }

  /** Whether `csrfToken` is the session's CSRF token (compared by hash, in constant time). */
  csrfMatches(record: SessionRecord, csrfToken: string | undefined): boolean {
    if (!csrfToken) return false;
    const given = Buffer.from(sha256(csrfToken), "hex");
    const expected = Buffer.from(record.csrfHash, "hex");
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** Logs out: ends the session with cookie value `id`; false when it was not live. */
  async close(id: string): Promise<boolean> {
    const record = await this.options.store.findSession(sha256(id));
    if (!record) return false;
    return this.end(record, "logout");
  }

  /** Marks a session ended and records why, once (a second end changes nothing). */
  private async end(record: SessionRecord, reason: SessionEnd): Promise<boolean> {
    const at = this.options.clock.now().toISOString();
    return this.options.store.transaction(async (tx) => {
      if (!(await tx.revokeSession(record.idHash, at))) return false;
      await tx.append(
        [
          {
            type: "session.closed",
            trainId: null,
            actor: record.subject,
            payload: { reason, tokenId: record.tokenId },
          },
        ],
        at,
      );
      return true;
    });
  }
}
