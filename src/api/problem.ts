/**
 * Errors as RFC 9457 problem details (`application/problem+json`). Every error the API answers
 * has a stable `type` URI and `code`, a title, the status and a `detail` that says what to do.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { RailyardError } from "../engine/errors.js";
import type { Logger } from "../engine/ports.js";

export const PROBLEM_BASE = "https://railyard.dev/problems/";

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  [extra: string]: unknown;
}

/** Builds a problem document. */
export function problem(
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
): Problem {
  return { type: `${PROBLEM_BASE}${code}`, title: TITLES[status] ?? "Error", status, detail, code, ...extra };
}

/** Sends a problem with the right content type. */
export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type("application/problem+json").send(p);
}

/** Fastify error handler turning every error into a problem document. */
export function problemHandler(logger: Logger) {
  return function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    const instance = request.url;
    if (error instanceof RailyardError) {
      if (error.status === 401) reply.header("www-authenticate", 'Bearer realm="railyard"');
      return sendProblem(
        reply,
        problem(error.status, error.code, error.message, { instance, ...error.details }),
      );
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const problems = error.validation.map((issue) => {
        const path = issue.instancePath.replace(/^\//, "").replaceAll("/", ".");
        const where = [issue.params?.issue?.path?.join?.(".") ?? "", path].find((p) => p) ?? "";
        return {
          path: `${error.validationContext ?? "body"}${where ? `.${where}` : ""}`,
          message: issue.message,
        };
      });
      const detail = problems.map((p) => `${p.path}: ${p.message}`).join("; ");
      return sendProblem(reply, problem(400, "invalid-input", detail, { instance, problems }));
    }
    if (isResponseSerializationError(error)) {
      logger.error({ err: error, url: request.url }, "response did not match its schema");
      return sendProblem(
        reply,
        problem(500, "internal", "the server produced an invalid answer; see its log", { instance }),
      );
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      logger.error({ err: error, url: request.url }, "request failed");
      return sendProblem(
        reply,
        problem(500, "internal", "unexpected error; see the server log", { instance }),
      );
    }
    if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      const limit = request.routeOptions.bodyLimit;
      return sendProblem(
        reply,
        problem(
          413,
          "payload-too-large",
          `the request body is larger than this endpoint accepts (${limit} bytes; \`access.maxRequestBytes\` for JSON bodies): send less`,
          { instance, limit },
        ),
      );
    }
    if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
      return sendProblem(
        reply,
        problem(
          415,
          "unsupported-media-type",
          `this endpoint does not accept ${request.headers["content-type"] ?? "a body without a Content-Type"}; /api/docs lists the content types it takes`,
          { instance },
        ),
      );
    }
    const code = status === 404 ? "not-found" : status === 413 ? "payload-too-large" : "invalid-input";
    return sendProblem(reply, problem(status, code, error.message, { instance }));
  };
}
