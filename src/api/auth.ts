/**
 * Bearer-token authentication for mutations. The principal (who acts) is attached to the
 * request; authorisation per action happens in the engine.
 */
import type { FastifyRequest } from "fastify";
import type { Principal } from "../engine/actions.js";
import { UnauthorizedError } from "../engine/errors.js";
import type { Railyard } from "../engine/railyard.js";

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** The token in `Authorization: Bearer <token>`, if any. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new UnauthorizedError("the Authorization header must be `Bearer <token>`");
  return match[1];
}

/** A preHandler that authenticates the request or answers 401. */
export function requireAuth(railyard: Railyard) {
  return async function authenticate(request: FastifyRequest): Promise<void> {
    request.principal = await railyard.tokens.authenticate(bearerToken(request));
  };
}

/** The authenticated principal of a request that went through {@link requireAuth}. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new UnauthorizedError();
  return request.principal;
}
