/**
 * The dashboard's login: `POST /api/v1/session` exchanges a token for an httpOnly session cookie
 * and a CSRF token, `GET` says who the cookie (or bearer token) is, `DELETE` logs out.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Logger } from "../../engine/ports.js";
import type { Sessions } from "../../engine/sessions.js";
import { cookieValue, principalOf, SESSION_COOKIE, sessionCookie } from "../auth.js";
import { Instant, ProblemSchema } from "../schemas.js";

const SessionAnswer = z.object({
  subject: z.string(),
  roles: z.array(z.string()).describe("Effective roles"),
  expiresAt: Instant,
  csrfToken: z
    .string()
    .describe("Send it as `X-CSRF-Token` on every mutation made with the cookie. Shown in this answer only."),
});

const WhoAmI = z.object({
  subject: z.string(),
  roles: z.array(z.string()).describe("Effective roles"),
  teams: z.array(z.string()),
  via: z.enum(["token", "session", "bootstrap", "webhook", "cli"]).describe("How the request authenticated"),
  tokenId: z.string().nullable(),
  expiresAt: Instant.nullable().describe("When the session ends (null: authenticated by a bearer token)"),
});

const secure = (request: FastifyRequest) => request.protocol === "https";

/** Registers `POST|GET|DELETE /api/v1/session`. */
export function sessionRoutes(app: FastifyInstance, sessions: Sessions, logger: Logger): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    "/api/v1/session",
    {
      schema: {
        tags: ["session"],
        summary: "Log in to the dashboard: exchange a token for a session cookie",
        description:
          "Authenticates the token and sets the `railyard_session` cookie (HttpOnly, SameSite=Strict, Path=/, Secure over HTTPS) for `access.session.ttl`. Mutations made with the cookie must send the returned `csrfToken` as `X-CSRF-Token` (403 otherwise). The session ends at `expiresAt`, at logout, or when its token is revoked or expires. A wrong token is 401 and sets no cookie; CI tokens cannot log in (403).",
        security: [],
        body: z.strictObject({ token: z.string().min(1).describe("An API token") }),
        response: {
          201: SessionAnswer,
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          429: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      let opened: Awaited<ReturnType<Sessions["open"]>>;
      try {
        opened = await sessions.open(request.body.token, {
          address: request.ip,
          userAgent: request.headers["user-agent"] ?? null,
          requestId: request.id,
        });
      } catch (error) {
        logger.info(
          { remote: request.ip, reason: (error as Error).message },
          "login refused: the token could not be used",
        );
        throw error;
      }
      const maxAgeSeconds = (Date.parse(opened.expiresAt) - Date.parse(opened.openedAt)) / 1000;
      return reply
        .code(201)
        .header("set-cookie", sessionCookie(opened.id, { maxAgeSeconds, secure: secure(request) }))
        .header("cache-control", "no-store")
        .send({
          subject: opened.principal.subject,
          roles: opened.principal.roles,
          expiresAt: opened.expiresAt,
          csrfToken: opened.csrfToken,
        });
    },
  );

  r.get(
    "/api/v1/session",
    {
      schema: {
        tags: ["session"],
        summary: "Who the session cookie (or bearer token) acts as",
        security: [{ session: [] }, { bearer: [] }],
        response: { 200: WhoAmI, 401: ProblemSchema },
      },
    },
    async (request) => {
      const who = principalOf(request);
      return {
        subject: who.subject,
        roles: who.roles,
        teams: who.teams ?? [],
        via: who.source?.via ?? "token",
        tokenId: who.tokenId,
        expiresAt: request.session?.record.expiresAt ?? null,
      };
    },
  );

  r.delete(
    "/api/v1/session",
    {
      schema: {
        tags: ["session"],
        summary: "Log out: end the session and clear its cookie",
        description: "Needs `X-CSRF-Token` like every mutation made with the cookie.",
        security: [{ session: [] }, { bearer: [] }],
        response: { 204: z.null(), 401: ProblemSchema, 403: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (request, reply) => {
      principalOf(request);
      const id = cookieValue(request, SESSION_COOKIE);
      if (id !== undefined) await sessions.close(id);
      return reply
        .code(204)
        .header("set-cookie", sessionCookie("", { maxAgeSeconds: 0, secure: secure(request) }))
        .send(null);
    },
  );
}
