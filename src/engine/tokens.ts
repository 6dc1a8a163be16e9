/**
 * API tokens. A token is shown once when created (`ry_` + 256 random bits, base64url) and
 * stored only as its SHA-256 hash. `RAILYARD_ADMIN_TOKEN` bootstraps an admin without being
 * stored at all; it is compared by hash in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { TokenRecord } from "../domain/model.js";
import type { Principal } from "./actions.js";
import type { EngineContext } from "./context.js";
import { InvalidInputError, NotFoundError, UnauthorizedError } from "./errors.js";

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
  async create(input: NewToken, actor: string): Promise<{ token: string; record: TokenRecord }> {
    if (!input.name.trim()) throw new InvalidInputError("a token needs a name", { field: "name" });
    if (!input.subject.trim())
      throw new InvalidInputError("a token needs a subject (who it acts as)", { field: "subject" });
    const token = `ry_${randomBytes(32).toString("base64url")}`;
    const now = this.ctx.clock.now();
    const record: TokenRecord = {
      id: `tok_${randomBytes(9).toString("base64url")}`,
      name: input.name.trim(),
      subject: input.subject.trim(),
      roles: input.roles,
      createdAt: now.toISOString(),
      expiresAt:
        input.expiresInMs === null ? null : new Date(now.getTime() + input.expiresInMs).toISOString(),
      revokedAt: null,
      lastUsedAt: null,
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
            },
          },
        ],
        now.toISOString(),
      );
    });
    return { token, record };
  }

  /** Revokes a token. @throws {NotFoundError} for an unknown id */
  async revoke(id: string, actor: string): Promise<void> {
    const tokens = await this.ctx.store.listTokens();
    if (!tokens.some((t) => t.id === id)) throw new NotFoundError(`no token "${id}"`);
    await this.ctx.store.append(
      [{ type: "token.revoked", trainId: null, actor, payload: { tokenId: id } }],
      this.ctx.clock.now().toISOString(),
    );
    for (const [hash, entry] of this.cache) if (entry.record.id === id) this.cache.delete(hash);
  }

  list(): Promise<TokenRecord[]> {
    return this.ctx.store.listTokens();
  }

  /**
   * Resolves a bearer token to a principal.
   * @throws {UnauthorizedError} for a missing, unknown, revoked or expired token
   */
  async authenticate(token: string | undefined): Promise<Principal> {
    if (!token) throw new UnauthorizedError();
    const hash = hashToken(token);
    if (this.adminHash && timingSafeEqual(Buffer.from(hash, "hex"), this.adminHash)) {
      return { subject: "admin", roles: ["admin"], tokenId: null };
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
    return { subject: record.subject, roles: record.roles, tokenId: record.id };
  }
}
