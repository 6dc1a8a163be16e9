/**
 * Inbound CI webhooks: GitHub (`workflow_run`, `check_suite`) and GitLab (pipeline events) tell
 * Railyard the CI status of commits. No bearer token: GitHub signs the exact body bytes with the
 * shared secret (X-Hub-Signature-256) and GitLab sends the secret token (X-Gitlab-Token), so these
 * routes live in their own encapsulated plugin whose JSON parser keeps the raw bytes; the JSON is
 * read only after the sender is verified.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { InvalidInputError, NotFoundError, UnauthorizedError } from "../../engine/errors.js";
import { webhookActor } from "../../engine/evidence.js";
import type { Logger } from "../../engine/ports.js";
import type { Railyard } from "../../engine/railyard.js";
import {
  parseGithubWebhook,
  parseGitlabWebhook,
  verifyGithubSignature,
  verifyGitlabToken,
  WebhookPayloadError,
  type WebhookResult,
} from "../../integrations/ci/webhooks.js";
import { ProblemSchema, WebhookResultSchema } from "../schemas.js";

/** Largest webhook body accepted: GitHub caps its payloads at 25 MB, CI events are far smaller. */
export const WEBHOOK_BODY_LIMIT = 5 * 1024 * 1024;

type Provider = "github" | "gitlab";

const responses = {
  202: WebhookResultSchema,
  400: ProblemSchema,
  401: ProblemSchema,
  404: ProblemSchema,
  413: ProblemSchema,
  415: ProblemSchema,
};

/** The first value of a request header (a repeated header counts once). */
function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The secret in the environment variable the configuration names, read on every request so a
 * configuration reload or a rotated secret applies at once; null when the receiver is not set up.
 */
function secretOf(variable: string | undefined): string | null {
  if (!variable) return null;
  const value = process.env[variable];
  return value ? value : null;
}

function notConfigured(provider: Provider, setting: string, variable: string | undefined): NotFoundError {
  const name = provider === "github" ? "GitHub" : "GitLab";
  return new NotFoundError(
    variable
      ? `the ${name} webhook receiver is not configured: the environment variable ${variable} (webhooks.${provider}.${setting}) is empty or unset`
      : `the ${name} webhook receiver is not configured: set webhooks.${provider}.${setting} in the configuration`,
  );
}

/** Reads a verified body as JSON. @throws {InvalidInputError} */
function readJson(provider: Provider, raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch (error) {
    throw new InvalidInputError(
      `the ${provider === "github" ? "GitHub" : "GitLab"} webhook body is not JSON: ${(error as Error).message}; configure the webhook's content type as application/json`,
      { field: "body" },
    );
  }
}

/** Turns a delivery's meaning into the answer: statuses recorded, or why nothing was. */
async function record(
  railyard: Railyard,
  provider: Provider,
  read: () => WebhookResult,
  delivery: string | undefined,
  reply: FastifyReply,
): Promise<FastifyReply> {
  let result: WebhookResult;
  try {
    result = read();
  } catch (error) {
    if (error instanceof WebhookPayloadError) {
      throw new InvalidInputError(error.message, {
        field: error.field ? `body.${error.field}` : "body",
        problems: error.problems.map((message) => ({ path: error.field || "body", message })),
      });
    }
    throw error;
  }
  if (result.kind === "ignored") {
    return reply.code(202).send({ recorded: 0, ignored: 0, matched: [], note: result.reason });
  }
  const recorded = await railyard.recordCi(result.reports, delivery ?? null, webhookActor(provider));
  return reply.code(202).send(recorded);
}

/**
 * Registers `POST /api/v1/webhooks/github` and `POST /api/v1/webhooks/gitlab` in an encapsulated
 * plugin, so their raw-body JSON parser applies to them alone.
 */
export async function webhookRoutes(app: FastifyInstance, railyard: Railyard, logger: Logger): Promise<void> {
  await app.register(async function webhooks(instance) {
    // The signature covers the exact bytes: keep them, and parse only after verifying.
    instance.removeContentTypeParser("application/json");
    instance.addContentTypeParser(
      "application/json",
      { parseAs: "buffer", bodyLimit: WEBHOOK_BODY_LIMIT },
      function keepRawBody(_request, body, done) {
        done(null, body);
      },
    );
    const r = instance.withTypeProvider<ZodTypeProvider>();
    const rawBody = (request: FastifyRequest) =>
      Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const refused = (provider: Provider, request: FastifyRequest, why: string) => {
      // Never the body or the header's value: the log says who knocked, not what they sent.
      logger.warn(
        {
          provider,
          delivery:
            provider === "github"
              ? header(request, "x-github-delivery")
              : (header(request, "x-gitlab-event-uuid") ?? header(request, "x-gitlab-webhook-uuid")),
          event: header(request, provider === "github" ? "x-github-event" : "x-gitlab-event"),
          remote: request.ip,
          reason: why,
        },
        "webhook refused: the sender could not be verified; nothing recorded",
      );
    };

    r.post(
      "/api/v1/webhooks/github",
      {
        bodyLimit: WEBHOOK_BODY_LIMIT,
        schema: {
          tags: ["webhooks"],
          summary: "Receive a GitHub webhook (workflow_run, check_suite): CI status of a commit",
          description:
            "Set up in GitHub with content type application/json and the secret held in the environment variable `webhooks.github.secretFromEnv` names. X-Hub-Signature-256 (HMAC-SHA256 of the exact body with the secret) is checked before anything is read: a missing or wrong signature is 401 and records nothing. Without the secret configured the receiver answers 404. `workflow_run` and `check_suite` events record the status for the commit of every component whose `repository` is the event's repository (`matched` names the artifacts built from it); a status not newer than the stored one (a redelivery) is counted in `ignored`. Other events (ping, push, …) are answered 202 with a `note` and record nothing.",
          security: [{ githubSignature: [] }],
          consumes: ["application/json"],
          headers: z.looseObject({
            "x-hub-signature-256": z
              .string()
              .optional()
              .describe("sha256=<HMAC-SHA256 of the body, hex>; required"),
            "x-github-event": z
              .string()
              .optional()
              .describe("e.g. workflow_run, check_suite, ping; required"),
            "x-github-delivery": z
              .string()
              .optional()
              .describe("GitHub's delivery ID, recorded with the status"),
          }),
          body: z.unknown().describe("The event payload, as GitHub sends it"),
          response: responses,
        },
      },
      async (request, reply) => {
        const variable = railyard.config.webhooks.github?.secretFromEnv;
        const secret = secretOf(variable);
        if (secret === null) throw notConfigured("github", "secretFromEnv", variable);
        const signature = header(request, "x-hub-signature-256");
        if (!verifyGithubSignature(rawBody(request), signature, secret)) {
          const why =
            signature === undefined ? "no X-Hub-Signature-256 header" : "X-Hub-Signature-256 does not match";
          refused("github", request, why);
          throw new UnauthorizedError(
            `${why}: sign the exact body with HMAC-SHA256 and the webhook's secret (X-Hub-Signature-256: sha256=<hex>)`,
          );
        }
        const event = header(request, "x-github-event");
        if (!event) {
          throw new InvalidInputError("the X-GitHub-Event header is missing: it names the event", {
            field: "headers.x-github-event",
          });
        }
        const payload = readJson("github", rawBody(request));
        const now = railyard.clock.now().toISOString();
        return record(
          railyard,
          "github",
          () => parseGithubWebhook(event, payload, now),
          header(request, "x-github-delivery"),
          reply,
        );
      },
    );

    r.post(
      "/api/v1/webhooks/gitlab",
      {
        bodyLimit: WEBHOOK_BODY_LIMIT,
        schema: {
          tags: ["webhooks"],
          summary: "Receive a GitLab webhook (pipeline events): CI status of a commit",
          description:
            "Set up in GitLab with the secret token held in the environment variable `webhooks.gitlab.tokenFromEnv` names. A missing or wrong X-Gitlab-Token is 401 and records nothing; without the token configured the receiver answers 404. Pipeline events record the status for the commit of every component whose `repository` is the event's project (`matched` names the artifacts built from it); other events are answered 202 with a `note` and record nothing.",
          security: [{ gitlabToken: [] }],
          consumes: ["application/json"],
          headers: z.looseObject({
            "x-gitlab-token": z.string().optional().describe("The secret token; required"),
            "x-gitlab-event": z.string().optional().describe("e.g. Pipeline Hook"),
            "x-gitlab-event-uuid": z
              .string()
              .optional()
              .describe("GitLab's delivery ID, recorded with the status"),
          }),
          body: z.unknown().describe("The event payload, as GitLab sends it"),
          response: responses,
        },
      },
      async (request, reply) => {
        const variable = railyard.config.webhooks.gitlab?.tokenFromEnv;
        const token = secretOf(variable);
        if (token === null) throw notConfigured("gitlab", "tokenFromEnv", variable);
        const given = header(request, "x-gitlab-token");
        if (!verifyGitlabToken(given, token)) {
          const why = given === undefined ? "no X-Gitlab-Token header" : "X-Gitlab-Token does not match";
          refused("gitlab", request, why);
          throw new UnauthorizedError(`${why}: send the webhook's secret token as X-Gitlab-Token`);
        }
        const payload = readJson("gitlab", rawBody(request));
        const event = header(request, "x-gitlab-event");
        const now = railyard.clock.now().toISOString();
        return record(
          railyard,
          "gitlab",
          () => parseGitlabWebhook(event, payload, now),
          header(request, "x-gitlab-event-uuid") ?? header(request, "x-gitlab-webhook-uuid"),
          reply,
        );
      },
    );
  });
}
