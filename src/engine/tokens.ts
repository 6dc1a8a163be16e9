/**
 * API tokens. A token is shown once when created (`ry_` + 256 random bits, base64url) and
 * stored only as its SHA-256 hash. `RAILYARD_ADMIN_TOKEN` bootstraps an admin without being
 * stored at all; it is compared by hash in constant time.
 *
 * A `user` token acts as its subject with its roles narrowed to the subject's configured roles
 * (see {@link effectiveRoles}); a `ci` token may only push artifacts and reports for its
 * components. People create tokens for themselves with a subset of their own roles; admins
 * create any token, CI tokens included.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { decide, effectiveRoles, personOf, ROLE_NAMES } from "../domain/access.js";
import type { TokenKind, TokenRecord } from "../domain/model.js";
import type { Principal } from "./actions.js";
import type { EngineContext } from "./context.js";
import { ForbiddenError, InvalidInputError, NotFoundError, UnauthorizedError } from "./errors.js";

/** SHA-256 hex of a token. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export interface NewToken {
  name: string;
  subject: string;
  roles: string[];
  /** Lifetime in milliseconds; null never expires. */
  expiresInMs: number | null;
  /** @default user */
  kind?: TokenKind;
  /** CI tokens: the components they may push for. */
  components?: string[] | null;
  /** The id to give it (see {@link newTokenId}); a fresh one by default. */
  id?: string;
}

/** A fresh token id (`tok_` + 72 random bits). */
export function newTokenId(): string {
  return `tok_${randomBytes(9).toString("base64url")}`;
}

const TOUCH_EVERY_MS = 60_000;

export class Tokens {
  private readonly adminHash: Buffer | null;
  /** Cache of verified tokens, so a busy CI bot costs no database read per request. */
  private readonly cache = new Map<string, { record: TokenRecord; checkedAt: number }>();

  constructor(
    private readonly ctx: EngineContext,
    adminToken: string | undefined,
  ) {
    this.adminHash = adminToken ? Buffer.from(hashToken(adminToken), "hex") : null;
  }

  /**
   * Creates a token; the plaintext is returned here and never again.
   * @throws {InvalidInputError} for an empty name or subject
   */
  async create(input: NewToken, who: Principal | string): Promise<{ token: string; record: TokenRecord }> {
    const actor = typeof who === "string" ? who : who.subject;
    if (!input.name.trim()) throw new InvalidInputError("a token needs a name", { field: "name" });
    if (!input.subject.trim())
      throw new InvalidInputError("a token needs a subject (who it acts as)", { field: "subject" });
    const unknown = input.roles.filter((role) => !(ROLE_NAMES as readonly string[]).includes(role));
    if (unknown.length > 0) {
      throw new InvalidInputError(`unknown role ${unknown.join(", ")}: roles are ${ROLE_NAMES.join(", ")}`, {
        field: "roles",
      });
    }
    if (input.kind === "ci") {
      const components = input.components ?? [];
      if (components.length === 0) {
        throw new InvalidInputError("a CI token names the components it may push for", {
          field: "components",
        });
      }
      const known = this.ctx.config().config.components;
      const missing = components.filter((c) => !known[c]);
      if (missing.length > 0) {
        throw new InvalidInputError(`no component ${missing.join(", ")} in the configuration`, {
          field: "components",
        });
      }
    } else if (input.components && input.components.length > 0) {
      throw new InvalidInputError("only CI tokens (kind: ci) name components", { field: "components" });
    }
    if (typeof who !== "string") this.requireAuthority(who, input);
    const token = `ry_${randomBytes(32).toString("base64url")}`;
    const now = this.ctx.clock.now();
    const record: TokenRecord = {
      id: input.id ?? newTokenId(),
      name: input.name.trim(),
      subject: input.subject.trim(),
      roles: input.roles,
      createdAt: now.toISOString(),
      expiresAt:
        input.expiresInMs === null ? null : new Date(now.getTime() + input.expiresInMs).toISOString(),
      revokedAt: null,
      lastUsedAt: null,
      kind: input.kind ?? "user",
      components: input.kind === "ci" ? (input.components ?? []) : null,
    };
    await this.ctx.store.transaction(async (tx) => {
      await tx.insertToken({ ...record, hash: hashToken(token) });
      await tx.append(
        [
          {
            type: "token.created",
            trainId: null,
            actor,
            payload: {
              tokenId: record.id,
              name: record.name,
              subject: record.subject,
              roles: record.roles,
              expiresAt: record.expiresAt,
              kind: record.kind,
              components: record.components,
            },
          },
        ],
        now.toISOString(),
      );
    });
    return { token, record };
  }

  /**
   * Who may create what: admins any token; anyone else a user token for themselves with a
   * subset of their own (effective) roles.
   * @throws {ForbiddenError}
   */
  private requireAuthority(who: Principal, input: NewToken): void {
    if (decide(who, "token.manage").allowed) return;
    if (input.kind === "ci") {
      throw new ForbiddenError(`${who.subject} may not create CI tokens: it needs the admin role`);
    }
    if (input.subject.trim() !== who.subject) {
      throw new ForbiddenError(
        `${who.subject} may create tokens only for themselves, not for ${input.subject}: that needs the admin role`,
      );
    }
    const self = decide(who, "token.self");
    if (!self.allowed) throw new ForbiddenError(self.reason);
    const beyond = input.roles.filter((role) => !who.roles.includes(role));
    if (beyond.length > 0) {
      throw new ForbiddenError(
        `${who.subject} may not give a token the roles ${beyond.join(", ")}: a token can hold only roles its creator holds (${who.roles.join(", ") || "none"})`,
      );
    }
  }

  /**
   * Revokes a token: admins any, people their own.
   * @throws {NotFoundError} for an unknown id (or someone else's, to a non-admin)
   */
  async revoke(id: string, who: Principal | string): Promise<void> {
    const actor = typeof who === "string" ? who : who.subject;
    const tokens = await this.ctx.store.listTokens();
    const found = tokens.find((t) => t.id === id);
    const mayManage = typeof who === "string" || decide(who, "token.manage").allowed;
    if (!found || (!mayManage && found.subject !== actor)) throw new NotFoundError(`no token "${id}"`);
    if (found.revokedAt) return;
    await this.ctx.store.append(
      [{ type: "token.revoked", trainId: null, actor, payload: { tokenId: id } }],
      this.ctx.clock.now().toISOString(),
    );
    for (const [hash, entry] of this.cache) if (entry.record.id === id) this.cache.delete(hash);
  }

  /** Every token for admins; a person's own tokens for anyone else. */
  async list(who?: Principal): Promise<TokenRecord[]> {
    const tokens = await this.ctx.store.listTokens();
    if (!who || decide(who, "token.manage").allowed) return tokens;
    return tokens.filter((t) => t.subject === who.subject);
  }

  /**
   * Resolves a bearer token to a principal.
   * @throws {UnauthorizedError} for a missing, unknown, revoked or expired token
   */
  async authenticate(token: string | undefined): Promise<Principal> {
    if (!token) throw new UnauthorizedError();
    const hash = hashToken(token);
    if (this.adminHash && timingSafeEqual(Buffer.from(hash, "hex"), this.adminHash)) {
      return { subject: "admin", roles: ["admin"], tokenId: null, teams: [], kind: "user", components: null };
    }
    const now = this.ctx.clock.now().getTime();
    const realNow = Date.now();
    let entry = this.cache.get(hash);
    if (!entry || realNow - entry.checkedAt > TOUCH_EVERY_MS) {
      const found = await this.ctx.store.findTokenByHash(hash);
      if (!found) throw new UnauthorizedError("unknown token");
      const { hash: _, ...record } = found;
      await this.ctx.store.transaction((tx) => tx.touchToken(record.id, new Date(now).toISOString()));
      entry = { record, checkedAt: realNow };
      this.cache.set(hash, entry);
    }
    const { record } = entry;
    if (record.revokedAt) throw new UnauthorizedError(`token ${record.id} was revoked`);
    if (record.expiresAt && Date.parse(record.expiresAt) <= now) {
      throw new UnauthorizedError(`token ${record.id} expired at ${record.expiresAt}`);
    }
    return this.principalOf(record);
  }

  /** The principal a token acts as under the configuration in force now. */
  principalOf(record: Pick<TokenRecord, "id" | "subject" | "roles" | "kind" | "components">): Principal {
    if (record.kind === "ci") {
      return {
        subject: record.subject,
        roles: [],
        tokenId: record.id,
        teams: [],
        kind: "ci",
        components: record.components ?? [],
      };
    }
    const { config } = this.ctx.config();
    const person = personOf(record.subject, config.teams, config.users);
    return {
      subject: record.subject,
      roles: effectiveRoles(record.roles, person),
      tokenId: record.id,
      teams: person?.teams ?? [],
      kind: "user",
      components: null,
    };
  }
}
