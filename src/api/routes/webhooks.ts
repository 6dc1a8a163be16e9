/**
 * Inbound CI webhooks: GitHub (`workflow_run`, `check_suite`), GitLab (pipeline events) and any CI
 * signing Railyard's own way (generic) tell Railyard the CI status of commits. No bearer token:
 * GitHub signs the exact body bytes with the shared secret (X-Hub-Signature-256), the generic
 * sender signs its timestamp and the body (X-Railyard-Signature) and GitLab sends the secret token
 * (X-Gitlab-Token), so these routes live in their own encapsulated plugin whose JSON parser keeps
 * the raw bytes; the JSON is read only after the sender is verified.
 *
 * A delivery is accepted once and only while fresh: its age (the signed timestamp, or the event's
 * time in the signed body) must lie within `webhooks.maxAge`, and its keys (delivery id, signature
 * or body digest) are claimed in the transaction that records it. A refusal (401 forged, 409
 * replayed, 400 stale or unreadable) records nothing, writes one warn line and is counted
 * (see `webhook-counters.ts`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { formatDuration, parseDuration } from "../../domain/duration.js";
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  type RailyardError,
  UnauthorizedError,
} from "../../engine/errors.js";
import {
  type CiRecordResult,
  DeliveryReplayError,
  WEBHOOK_FUTURE_SKEW_MS,
  webhookActor,
} from "../../engine/evidence.js";
import type { Logger } from "../../engine/ports.js";
import type { Railyard } from "../../engine/railyard.js";
import {
  checkDeliveryAge,
  type DeliveryIdentity,
  deliveryKeys,
  genericSentAt,
  parseGenericWebhook,
  parseGithubWebhook,
  parseGitlabWebhook,
  verifyGenericSignature,
  verifyGithubSignature,
  verifyGitlabToken,
  WebhookPayloadError,
  type WebhookProvider,
  type WebhookResult,
} from "../../integrations/ci/webhooks.js";
import { ProblemSchema, WebhookResultSchema } from "../schemas.js";
import { type WebhookRejection, webhookCountersOf } from "../webhook-counters.js";

/** Largest webhook body accepted: GitHub caps its payloads at 25 MB, CI events are far smaller. */
export const WEBHOOK_BODY_LIMIT = 5 * 1024 * 1024;

type Provider = WebhookProvider;

const NAME: Record<Provider, string> = { github: "GitHub", gitlab: "GitLab", generic: "generic" };

const responses = {
  202: WebhookResultSchema,
  400: ProblemSchema,
  401: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  413: ProblemSchema,
  415: ProblemSchema,
};

/** What the log says about each refusal; never a header's value or the body. */
const REFUSED: Record<WebhookRejection, string> = {
  signature: "the signature is missing or does not match",
  token: "the token is missing or does not match",
  replay: "a delivery accepted before was sent again",
  stale: "the delivery is older than webhooks.maxAge",
  future: "the delivery is stamped too far ahead of this server's clock",
  payload: "the verified body or a header cannot be read",
};

/** How the age of a delivery is refused, and how its sender gets a fresh one. */
const STALE_FIX: Record<Provider, string> = {
  github:
    "a redelivery keeps the event's original time, so re-run the workflow (or re-request the check suite) for a fresh event, or raise webhooks.maxAge",
  gitlab:
    "a resent event keeps its original time, so retry the pipeline for a fresh event, or raise webhooks.maxAge (a running pipeline is timed by its creation, so one running longer than webhooks.maxAge is refused until it finishes)",
  generic:
    "sign each request when it is sent, with the current Unix time in seconds, and check the sender's clock; a captured request cannot be sent again later",
};

/** The first value of a request header (a repeated header counts once). */
function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The sender's id of a delivery, as recorded with its statuses and remembered to refuse replays. */
function deliveryIdOf(provider: Provider, request: FastifyRequest): string | undefined {
  switch (provider) {
    case "github":
      return header(request, "x-github-delivery");
    case "gitlab":
      // Webhook-UUID is new for every request; Event-UUID is shared by a chain of recursive hooks.
      return header(request, "x-gitlab-webhook-uuid") ?? header(request, "x-gitlab-event-uuid");
    case "generic":
      return header(request, "x-railyard-delivery");
    default: {
      const unreachable: never = provider;
      throw new Error(`unknown webhook provider ${String(unreachable)}`);
    }
  }
}

/** A header's value fit for a log line: bounded, since the sender chose it. */
const clip = (value: string | undefined) => (value === undefined ? undefined : value.slice(0, 200));

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
  return new NotFoundError(
    variable
      ? `the ${NAME[provider]} webhook receiver is not configured: the environment variable ${variable} (webhooks.${provider}.${setting}) is empty or unset`
      : `the ${NAME[provider]} webhook receiver is not configured: set webhooks.${provider}.${setting} in the configuration`,
  );
}

/** Reads a verified body as JSON. @throws {InvalidInputError} */
function readJson(provider: Provider, raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch (error) {
    throw new InvalidInputError(
      `the ${NAME[provider]} webhook body is not JSON: ${(error as Error).message}; configure the webhook's content type as application/json`,
      { field: "body" },
    );
  }
}

/** A verified delivery, ready to be read and recorded once. */
interface Delivery {
  provider: Provider;
  request: FastifyRequest;
  reply: FastifyReply;
  /** The sender's delivery id. */
  id: string | undefined;
  /** What the delivery is remembered by. */
  identity: DeliveryIdentity;
  /** Its meaning. @throws {WebhookPayloadError} @throws {InvalidInputError} */
  read: () => WebhookResult;
  /**
   * Where the event's time sits in the body, to judge its age by: `what` names it for the sender,
   * `field` is the problem's field. Null: the age was judged before reading (a signed header).
   */
  time: { what: string; field: string } | null;
}

/**
 * The inbound webhook routes' shared steps: refusing (one log line, one count, nothing
 * recorded), judging a delivery's age, and recording it once.
 */
function receiver(railyard: Railyard, logger: Logger) {
  const counters = webhookCountersOf(railyard);

  /** Logs and counts a refusal; returns the error to answer with. */
  function refuse(
    provider: Provider,
    request: FastifyRequest,
    reason: WebhookRejection,
    error: RailyardError,
  ): RailyardError {
    counters.rejected(provider, reason);
    // Who knocked and why they were turned away; never the body, a secret or a signature.
    logger.warn(
      {
        provider,
        delivery: clip(deliveryIdOf(provider, request)),
        event: clip(
          provider === "github"
            ? header(request, "x-github-event")
            : provider === "gitlab"
              ? header(request, "x-gitlab-event")
              : undefined,
        ),
        remote: request.ip,
        reason,
      },
      `webhook refused (${reason}): ${REFUSED[reason]}; nothing recorded`,
    );
    return error;
  }

  /**
   * Refuses a delivery whose event happened longer than `webhooks.maxAge` ago, or too far ahead.
   * @param what names the time for the sender, e.g. `workflow_run.updated_at`
   * @param field the problem's field, e.g. `body.workflow_run.updated_at`
   */
  function judgeAge(
    provider: Provider,
    request: FastifyRequest,
    occurredAt: string | null,
    what: string,
    field: string,
  ): void {
    const now = railyard.clock.now();
    const maxAge = railyard.config.webhooks.maxAge;
    const age = checkDeliveryAge(occurredAt, now, parseDuration(maxAge), WEBHOOK_FUTURE_SKEW_MS);
    switch (age.verdict) {
      case "fresh":
        return;
      case "stale":
        throw refuse(
          provider,
          request,
          "stale",
          new InvalidInputError(
            `the ${NAME[provider]} delivery is too old: ${what} (${occurredAt}) is ${formatDuration(age.ageMs)} before this server's clock (${now.toISOString()}), more than webhooks.maxAge (${maxAge}); ${STALE_FIX[provider]}`,
            { field },
          ),
        );
      case "future":
        throw refuse(
          provider,
          request,
          "future",
          new InvalidInputError(
            `the ${NAME[provider]} delivery is stamped in the future: ${what} (${occurredAt}) is ${formatDuration(age.aheadMs)} ahead of this server's clock (${now.toISOString()}), more than the ${formatDuration(WEBHOOK_FUTURE_SKEW_MS)} allowed; check the sender's clock (NTP)${provider === "generic" ? " and that X-Railyard-Timestamp is Unix seconds" : ""}`,
            { field },
          ),
        );
      default: {
        const unreachable: never = age;
        throw new Error(`unknown age verdict ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** Reads, judges and records a verified delivery once; answers what was recorded. */
  async function accept(delivery: Delivery): Promise<FastifyReply> {
    const { provider, request, reply } = delivery;
    let result: WebhookResult;
    try {
      result = delivery.read();
    } catch (error) {
      if (error instanceof WebhookPayloadError) {
        throw refuse(
          provider,
          request,
          "payload",
          new InvalidInputError(error.message, {
            field: error.field ? `body.${error.field}` : "body",
            problems: error.problems.map((message) => ({ path: error.field || "body", message })),
          }),
        );
      }
      if (error instanceof InvalidInputError) throw refuse(provider, request, "payload", error);
      throw error;
    }
    if (result.kind === "ignored") {
      // Nothing to record, so nothing to remember: a ping may come again.
      counters.accepted(provider);
      return reply.code(202).send({ recorded: 0, ignored: 0, matched: [], note: result.reason });
    }
    if (delivery.time !== null) {
      judgeAge(provider, request, result.occurredAt, delivery.time.what, delivery.time.field);
    }
    let recorded: CiRecordResult;
    try {
      recorded = await railyard.recordCi(result.reports, delivery.id ?? null, webhookActor(provider), {
        provider,
        keys: deliveryKeys(delivery.identity),
      });
    } catch (error) {
      if (error instanceof DeliveryReplayError) {
        const byId = error.key.startsWith("id:");
        throw refuse(
          provider,
          request,
          "replay",
          new ConflictError(
            byId
              ? `this ${NAME[provider]} delivery was accepted before (same delivery id); nothing recorded again. A delivery is accepted once: send a new event with a new delivery id`
              : `a ${NAME[provider]} delivery with the same ${provider === "gitlab" ? "body" : "signature"} was accepted before (under another delivery id); nothing recorded again. A delivery is accepted once: send a new event${provider === "generic" ? ", signed anew with the current time" : ""}`,
          ),
        );
      }
      throw error;
    }
    counters.accepted(provider);
    return reply.code(202).send(recorded);
  }

  return { refuse, judgeAge, accept };
}

/**
 * Registers `POST /api/v1/webhooks/github`, `/gitlab` and `/generic` in an encapsulated plugin, so
 * their raw-body JSON parser applies to them alone.
 */
export async function webhookRoutes(app: FastifyInstance, railyard: Railyard, logger: Logger): Promise<void> {
  const { refuse, judgeAge, accept } = receiver(railyard, logger);
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

    r.post(
      "/api/v1/webhooks/github",
      {
        bodyLimit: WEBHOOK_BODY_LIMIT,
        schema: {
          tags: ["webhooks"],
          summary: "Receive a GitHub webhook (workflow_run, check_suite): CI status of a commit",
          description:
            "Set up in GitHub with content type application/json and the secret held in the environment variable `webhooks.github.secretFromEnv` names. X-Hub-Signature-256 (HMAC-SHA256 of the exact body with the secret) is checked before anything is read: a missing or wrong signature is 401. Each delivery is accepted once: the same X-GitHub-Delivery, or the same signature under another delivery id, is 409. The event's own time (`workflow_run.updated_at`, `check_suite.updated_at`) must lie within `webhooks.maxAge` of the server's clock (and at most 5 minutes ahead), else 400: a redelivery keeps its original time. A refused delivery records nothing; it is logged with its reason and counted in `GET /api/v1/health` (`webhooks.rejected.github`). Without the secret configured the receiver answers 404. `workflow_run` and `check_suite` events record the status for the commit of every component whose `repository` is the event's repository (`matched` names the artifacts built from it); a status not newer than the stored one is counted in `ignored`. Other events (ping, push, …) are answered 202 with a `note` and record nothing.",
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
              .describe("GitHub's delivery ID: recorded with the status, accepted once"),
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
        if (signature === undefined || !verifyGithubSignature(rawBody(request), signature, secret)) {
          const why =
            signature === undefined ? "no X-Hub-Signature-256 header" : "X-Hub-Signature-256 does not match";
          throw refuse(
            "github",
            request,
            "signature",
            new UnauthorizedError(
              `${why}: sign the exact body with HMAC-SHA256 and the webhook's secret (X-Hub-Signature-256: sha256=<hex>)`,
            ),
          );
        }
        const event = header(request, "x-github-event");
        if (!event) {
          throw refuse(
            "github",
            request,
            "payload",
            new InvalidInputError("the X-GitHub-Event header is missing: it names the event", {
              field: "headers.x-github-event",
            }),
          );
        }
        const id = deliveryIdOf("github", request);
        const now = railyard.clock.now().toISOString();
        return accept({
          provider: "github",
          request,
          reply,
          id,
          identity: { provider: "github", id, signature },
          read: () => parseGithubWebhook(event, readJson("github", rawBody(request)), now),
          time: { what: `${event}.updated_at`, field: `body.${event}.updated_at` },
        });
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
            "Set up in GitLab with the secret token held in the environment variable `webhooks.gitlab.tokenFromEnv` names. A missing or wrong X-Gitlab-Token is 401. Each delivery is accepted once: the same X-Gitlab-Webhook-UUID (else X-Gitlab-Event-UUID), or the same body under another id, is 409. The pipeline's time (`object_attributes.finished_at`, else `created_at`) must lie within `webhooks.maxAge` of the server's clock (and at most 5 minutes ahead), else 400. A refused delivery records nothing; it is logged with its reason and counted in `GET /api/v1/health` (`webhooks.rejected.gitlab`). Without the token configured the receiver answers 404. Pipeline events record the status for the commit of every component whose `repository` is the event's project (`matched` names the artifacts built from it); other events are answered 202 with a `note` and record nothing.",
          security: [{ gitlabToken: [] }],
          consumes: ["application/json"],
          headers: z.looseObject({
            "x-gitlab-token": z.string().optional().describe("The secret token; required"),
            "x-gitlab-event": z.string().optional().describe("e.g. Pipeline Hook"),
            "x-gitlab-webhook-uuid": z
              .string()
              .optional()
              .describe("GitLab's id of this request: recorded with the status, accepted once"),
            "x-gitlab-event-uuid": z
              .string()
              .optional()
              .describe("GitLab's id of the event, used when X-Gitlab-Webhook-UUID is absent"),
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
          throw refuse(
            "gitlab",
            request,
            "token",
            new UnauthorizedError(`${why}: send the webhook's secret token as X-Gitlab-Token`),
          );
        }
        const event = header(request, "x-gitlab-event");
        const id = deliveryIdOf("gitlab", request);
        const now = railyard.clock.now().toISOString();
        return accept({
          provider: "gitlab",
          request,
          reply,
          id,
          identity: { provider: "gitlab", id, rawBody: rawBody(request) },
          read: () => parseGitlabWebhook(event, readJson("gitlab", rawBody(request)), now),
          time: {
            what: "the pipeline's object_attributes.finished_at (else created_at)",
            field: "body.object_attributes",
          },
        });
      },
    );

    r.post(
      "/api/v1/webhooks/generic",
      {
        bodyLimit: WEBHOOK_BODY_LIMIT,
        schema: {
          tags: ["webhooks"],
          summary: "Receive CI status from any CI, signed with a shared secret (Railyard's own scheme)",
          description:
            'For CI systems without a receiver of their own. The sender holds the secret the environment variable `webhooks.generic.secretFromEnv` names and signs each request as Railyard\'s webhook deployer does: X-Railyard-Timestamp is the Unix time in seconds, X-Railyard-Signature is `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<exact body>")>`, X-Railyard-Delivery a unique id. A missing or wrong signature is 401; a timestamp older than `webhooks.maxAge` or more than 5 minutes ahead of the server\'s clock is 400; a delivery id or signature accepted before is 409. A refused delivery records nothing; it is logged with its reason and counted in `GET /api/v1/health` (`webhooks.rejected.generic`). Without the secret configured the receiver answers 404. The body is one status `{"repository":"acme/api","commit":"<sha>","status":"success","name":"build","url":"https://…","ref":"main"}` (status: success, failure, pending or error; url and ref optional) or `{"statuses":[…]}` (at most 100); each is recorded, timed by the signed timestamp, for the commit of every component whose `repository` is its repository. A body that is not that shape is 400 naming the field.',
          security: [{ railyardSignature: [] }],
          consumes: ["application/json"],
          headers: z.looseObject({
            "x-railyard-signature": z
              .string()
              .optional()
              .describe('sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">; required'),
            "x-railyard-timestamp": z
              .string()
              .optional()
              .describe("Unix time in seconds the request was signed at; required"),
            "x-railyard-delivery": z
              .string()
              .optional()
              .describe(
                "A unique id of this delivery (e.g. a UUID): recorded with the status, accepted once; required",
              ),
          }),
          body: z.unknown().describe("One CI status, or {statuses: [...]}"),
          response: responses,
        },
      },
      async (request, reply) => {
        const variable = railyard.config.webhooks.generic?.secretFromEnv;
        const secret = secretOf(variable);
        if (secret === null) throw notConfigured("generic", "secretFromEnv", variable);
        const timestamp = header(request, "x-railyard-timestamp");
        const signature = header(request, "x-railyard-signature");
        if (
          signature === undefined ||
          !verifyGenericSignature(rawBody(request), timestamp, signature, secret)
        ) {
          const why =
            signature === undefined
              ? "no X-Railyard-Signature header"
              : timestamp === undefined
                ? "no X-Railyard-Timestamp header"
                : genericSentAt(timestamp) === null
                  ? "X-Railyard-Timestamp is not a Unix time in seconds"
                  : "X-Railyard-Signature does not match";
          throw refuse(
            "generic",
            request,
            "signature",
            new UnauthorizedError(
              `${why}: send X-Railyard-Timestamp: <Unix seconds> and X-Railyard-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<exact body>" keyed with the shared secret>`,
            ),
          );
        }
        // Verified: the timestamp is whole seconds, and signed.
        const sentAt = genericSentAt(timestamp) as string;
        judgeAge("generic", request, sentAt, "X-Railyard-Timestamp", "headers.x-railyard-timestamp");
        const id = deliveryIdOf("generic", request);
        if (!id?.trim()) {
          throw refuse(
            "generic",
            request,
            "payload",
            new InvalidInputError(
              "the X-Railyard-Delivery header is missing: send a unique id for each delivery (e.g. a UUID); a delivery is accepted once",
              { field: "headers.x-railyard-delivery" },
            ),
          );
        }
        return accept({
          provider: "generic",
          request,
          reply,
          id,
          identity: { provider: "generic", id, signature },
          read: () => parseGenericWebhook(readJson("generic", rawBody(request)), sentAt),
          time: null,
        });
      },
    );
  });
}
