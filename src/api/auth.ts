/**
 * Who is asking, decided once per request: {@link accessHook} resolves the principal of every
 * `/api/v1/*` request from `Authorization: Bearer <token>` or, without one, from the dashboard's
 * session cookie; refuses reads without one (unless `access.anonymousRead`) and reads by
 * principals the permission matrix does not let read (CI tokens); holds
 * cookie-authenticated mutations to their CSRF token; and rate-limits mutations. Mutating routes
 * then say `preHandler: requireAuth(railyard)`; authorisation per action happens in the engine.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { parseDuration } from "../domain/duration.js";
import type { Principal, RequestSource } from "../engine/actions.js";
import { ForbiddenError, UnauthorizedError } from "../engine/errors.js";
import type { Logger } from "../engine/ports.js";
import type { Railyard } from "../engine/railyard.js";
import type { ActiveSession, Sessions } from "../engine/sessions.js";
import { problem, sendProblem } from "./problem.js";
import type { RateLimit, TokenBucketLimiter } from "./rate-limit.js";

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
    /** The session the request authenticated with (null: a token, or nobody). */
    session: ActiveSession | null;
  }
}

/** The dashboard's session cookie. */
export const SESSION_COOKIE = "railyard_session";
/** The header carrying a session's CSRF token on mutations. */
export const CSRF_HEADER = "x-csrf-token";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const NEEDS_CREDENTIALS =
  "send `Authorization: Bearer <token>`, or log in with POST /api/v1/session and send its cookie";

/** The token in `Authorization: Bearer <token>`, if any. @throws {UnauthorizedError} for another scheme */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new UnauthorizedError("the Authorization header must be `Bearer <token>`");
  return match[1];
}

/** The value of cookie `name` in the request's `Cookie` header (RFC 6265), if any. */
export function cookieValue(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=");
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}

/**
 * The `Set-Cookie` value of the session cookie: httpOnly (no script reads it), SameSite=Strict
 * (no other site sends it), for the whole origin, Secure when served over HTTPS. An empty value
 * with `maxAgeSeconds` 0 clears it.
 */
export function sessionCookie(value: string, options: { maxAgeSeconds: number; secure: boolean }): string {
  const parts = [
    `${SESSION_COOKIE}=${encodeURIComponent(value)}`,
    "HttpOnly",
    "SameSite=Strict",
    "Path=/",
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
  ];
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}

/**
 * Routes anyone may call, whose credentials are ignored: the health check, the iCalendar feeds,
 * inbound webhooks (they verify their own signatures) and the login itself. Everything outside
 * `/api/v1/` (the API's docs and OpenAPI document, the calendar feed) is public as well.
 */
export function isPublicRoute(method: string, route: string): boolean {
  if (!route.startsWith("/api/v1/")) return true;
  const read = method === "GET" || method === "HEAD";
  if (read && (route === "/api/v1/health" || route.endsWith(".ics"))) return true;
  if (method === "POST" && (route.startsWith("/api/v1/webhooks/") || route === "/api/v1/session"))
    return true;
  return false;
}

export interface AccessHookOptions {
  railyard: Railyard;
  sessions: Sessions;
  limiter: TokenBucketLimiter;
  logger: Logger;
}

/** The rate limit on mutations in force. */
function mutationLimit(railyard: Railyard): RateLimit & { per: string } {
  const { mutations, per } = railyard.config.access.rateLimit;
  return { capacity: mutations, windowMs: parseDuration(per), per };
}

function addressKey(request: FastifyRequest): string {
  return `address:${request.ip}`;
}

function principalKey(principal: Principal): string {
  return principal.tokenId !== null ? `token:${principal.tokenId}` : `subject:${principal.subject}`;
}

/**
 * The global `onRequest` hook. Answers 401 for bad credentials on any non-public route and for
 * reads without credentials (unless `access.anonymousRead`), 403 for reads the permission matrix
 * refuses (recorded as `access.denied`), 403 `csrf` for a cookie-authenticated
 * mutation without its `X-CSRF-Token`, and 429 `rate-limited` past the mutation limit (keyed by
 * token, else subject, else the client's address).
 */
export function accessHook(options: AccessHookOptions) {
  const { railyard, sessions, limiter, logger } = options;

  /** Takes one mutation from `key`'s bucket; answers 429 (and returns true) when it is empty. */
  function overLimit(request: FastifyRequest, reply: FastifyReply, key: string, who: string): boolean {
    const limit = mutationLimit(railyard);
    const decision = limiter.take(key, limit);
    if (decision.allowed) return false;
    const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    logger.warn(
      {
        method: request.method,
        route: request.routeOptions.url ?? null,
        who,
        remote: request.ip,
        retryAfter,
      },
      "mutation refused: rate limit reached",
    );
    reply.header("retry-after", String(retryAfter));
    sendProblem(
      reply,
      problem(
        429,
        "rate-limited",
        `${who} may make ${limit.capacity} mutations per ${limit.per}; retry in ${retryAfter} s`,
        { instance: request.url, limit: limit.capacity, per: limit.per, retryAfter },
      ),
    );
    return true;
  }

  function refuse(request: FastifyRequest, error: Error): never {
    if (!(error instanceof UnauthorizedError)) throw error;
    // Never the credentials themselves: the log says who knocked and why they were turned away.
    logger.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? null,
        remote: request.ip,
        reason: error.message,
      },
      "request refused: not authenticated",
    );
    throw error;
  }

  function sourceOf(
    request: FastifyRequest,
    via: RequestSource["via"],
    tokenId: string | null,
  ): RequestSource {
    return {
      via,
      tokenId,
      address: request.ip ?? null,
      userAgent: request.headers["user-agent"] ?? null,
      requestId: request.id,
    };
  }

  /** The principal the credentials name, or null without credentials. @throws {UnauthorizedError} */
  async function resolve(request: FastifyRequest, reply: FastifyReply): Promise<Principal | null> {
    const token = bearerToken(request);
    if (token !== undefined) {
      const principal = await railyard.tokens.authenticate(token);
      const via = principal.tokenId === null ? "bootstrap" : "token";
      return { ...principal, source: sourceOf(request, via, principal.tokenId) };
    }
    const sessionId = cookieValue(request, SESSION_COOKIE);
    if (sessionId === undefined) return null;
    try {
      const session = await sessions.resolve(sessionId);
      request.session = session;
      return {
        ...session.principal,
        source: sourceOf(request, "session", session.principal.tokenId),
      };
    } catch (error) {
      // The cookie is of no use any more: let the browser forget it.
      if (error instanceof UnauthorizedError) {
        reply.header(
          "set-cookie",
          sessionCookie("", { maxAgeSeconds: 0, secure: request.protocol === "https" }),
        );
      }
      throw error;
    }
  }

  return async function checkAccess(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply | undefined> {
    const route = request.routeOptions.url ?? request.url.split("?", 1)[0] ?? request.url;
    const mutation = !SAFE_METHODS.has(request.method);
    if (isPublicRoute(request.method, route)) {
      // Webhooks and logins are limited per address: whoever sends them is not known yet.
      if (
        mutation &&
        route.startsWith("/api/v1/") &&
        overLimit(request, reply, addressKey(request), "this address")
      ) {
        return reply;
      }
      return undefined;
    }
    let principal: Principal | null;
    try {
      principal = await resolve(request, reply);
    } catch (error) {
      if (mutation && overLimit(request, reply, addressKey(request), "this address")) return reply;
      return refuse(request, error as Error);
    }
    request.principal = principal;
    if (!mutation) {
      if (principal === null) {
        if (!railyard.config.access.anonymousRead) {
          refuse(request, new UnauthorizedError(`reading needs credentials: ${NEEDS_CREDENTIALS}`));
        }
        return undefined;
      }
      // Who one is may always be asked; everything else is a read under the permission matrix
      // (CI tokens push, they do not read).
      if (route !== "/api/v1/session") {
        const decision = railyard.mayRead(principal);
        if (!decision.allowed) {
          await railyard.recordDenied(principal, "read", null, decision.reason);
          throw new ForbiddenError(decision.reason, { action: "read" });
        }
      }
      return undefined;
    }
    if (principal === null) {
      if (overLimit(request, reply, addressKey(request), "this address")) return reply;
      return refuse(request, new UnauthorizedError());
    }
    if (overLimit(request, reply, principalKey(principal), principal.subject)) return reply;
    const session = request.session;
    if (session && !sessions.csrfMatches(session.record, headerValue(request, CSRF_HEADER))) {
      logger.warn(
        { method: request.method, route, actor: session.record.subject, remote: request.ip },
        "mutation refused: missing or wrong CSRF token for a session",
      );
      sendProblem(
        reply,
        problem(
          403,
          "csrf",
          "a mutation authenticated by the session cookie must send the session's CSRF token (returned by POST /api/v1/session) in the X-CSRF-Token header",
          { instance: request.url },
        ),
      );
      return reply;
    }
    return undefined;
  };
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A preHandler for routes that need an authenticated principal: the one {@link accessHook}
 * resolved. Answers 401 when there is none.
 */
export function requireAuth(_railyard?: Railyard) {
  return async function authenticated(request: FastifyRequest): Promise<void> {
    if (!request.principal) throw new UnauthorizedError();
  };
}

/** The authenticated principal of a request that went through {@link requireAuth}. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new UnauthorizedError();
  return request.principal;
}
