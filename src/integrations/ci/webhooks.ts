/**
 * Inbound CI webhooks: checking that GitHub, GitLab or a CI signing Railyard's own way (the
 * generic receiver) sent them, reading the CI status they carry, and what makes a delivery
 * acceptable once: its keys ({@link deliveryKeys}) and its age ({@link checkDeliveryAge}).
 * GitHub `workflow_run` and `check_suite` events, GitLab pipeline events and generic statuses
 * become {@link CiReport}s; every other event is ignored with a reason. A payload of a supported
 * event that lacks a field the report needs is refused with a {@link WebhookPayloadError}.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { type CiReport, githubCiState, gitlabCiState, repositoryPath } from "../../domain/ci-status.js";
import type { CiState } from "../../domain/model.js";
import { verifyWebhookSignature } from "../http/webhook-signature.js";

/** The senders Railyard receives CI webhooks from. */
export type WebhookProvider = "github" | "gitlab" | "generic";

/**
 * What a webhook delivery meant: CI reports to record, or why nothing is recorded. `occurredAt`
 * is the event's own time (ISO 8601) as the signed payload or header says, which the delivery's
 * age is judged by; null when the payload carries none.
 */
export type WebhookResult =
  | { kind: "ci"; reports: CiReport[]; occurredAt: string | null }
  | { kind: "ignored"; reason: string };

const PROVIDER_NAME: Record<WebhookProvider, string> = {
  github: "GitHub",
  gitlab: "GitLab",
  generic: "generic",
};

/**
 * Thrown by {@link parseGithubWebhook}, {@link parseGitlabWebhook} and
 * {@link parseGenericWebhook} when the payload of an event that carries CI status lacks a field
 * the report needs, or a field has the wrong type.
 */
export class WebhookPayloadError extends Error {
  override readonly name = "WebhookPayloadError";
  constructor(
    readonly provider: WebhookProvider,
    /** The event, e.g. `workflow_run` or `pipeline`. */
    readonly event: string,
    /** Dotted path of the first bad field, e.g. `workflow_run.head_sha` (empty: the body itself). */
    readonly field: string,
    /** Every problem found, e.g. `workflow_run.head_sha is missing`. */
    readonly problems: readonly string[],
  ) {
    super(`${PROVIDER_NAME[provider]} ${event} payload: ${problems.join("; ")}`);
  }
}

/**
 * True when `header` (X-Hub-Signature-256, `sha256=<64 hex digits>`) is the HMAC-SHA256 of the
 * exact bytes received, keyed with the webhook secret. Compares in constant time. False when the
 * header is missing or malformed (including the older `sha1=` signature) and when the secret is
 * empty: an empty key would let anyone sign.
 */
export function verifyGithubSignature(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (header === undefined || secret === "") return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match) return false;
  const given = Buffer.from(match[1]!, "hex");
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * True when `header` (X-Gitlab-Token) equals the configured token. Both are hashed with SHA-256
 * first so the constant-time compare sees equal lengths and the time does not reveal the token's
 * length. False when the header is missing or the token is empty.
 */
export function verifyGitlabToken(header: string | undefined, token: string): boolean {
  if (header === undefined || token === "") return false;
  const given = createHash("sha256").update(header, "utf8").digest();
  const expected = createHash("sha256").update(token, "utf8").digest();
  return timingSafeEqual(given, expected);
}

/**
 * True when `header` (X-Railyard-Signature) is the signature of the exact bytes received sent at
 * `timestamp` (X-Railyard-Timestamp), keyed with the secret: the scheme Railyard's own webhook
 * deployer signs with (see `webhook-signature.ts`). Only the signature is checked here, not how
 * old the timestamp is: a genuine but stale request is told apart from a forged one by
 * {@link checkDeliveryAge}. False when the timestamp or the header is missing or malformed, and
 * when the secret is empty.
 */
export function verifyGenericSignature(
  rawBody: Buffer,
  timestamp: string | undefined,
  header: string | undefined,
  secret: string,
): boolean {
  return verifyWebhookSignature(secret, timestamp, rawBody, header, {
    toleranceSeconds: Number.POSITIVE_INFINITY,
  });
}

const Sha = z.string().regex(/^[0-9a-f]{7,64}$/i, "is not a commit SHA (7 to 64 hex digits)");
const OptionalText = z.string().nullish();

const GithubRepository = z.object({ full_name: z.string().min(1), html_url: z.string().nullish() });

const WorkflowRunEvent = z.object({
  workflow_run: z.object({
    head_sha: Sha,
    status: z.string().nullable(),
    conclusion: z.string().nullish(),
    name: OptionalText,
    path: OptionalText,
    workflow_id: z.number().nullish(),
    html_url: OptionalText,
    updated_at: OptionalText,
    head_branch: OptionalText,
  }),
  workflow: z.object({ name: OptionalText }).nullish(),
  repository: GithubRepository,
});

const CheckSuiteEvent = z.object({
  check_suite: z.object({
    id: z.number().nullish(),
    head_sha: Sha,
    status: z.string().nullish(),
    conclusion: z.string().nullish(),
    app: z.object({ slug: OptionalText, name: z.string().min(1) }),
    url: OptionalText,
    updated_at: OptionalText,
    head_branch: OptionalText,
  }),
  repository: GithubRepository,
});

const PipelineEvent = z.object({
  object_attributes: z.object({
    id: z.number(),
    sha: Sha,
    status: z.string().min(1),
    ref: OptionalText,
    source: OptionalText,
    name: OptionalText,
    url: OptionalText,
    created_at: OptionalText,
    finished_at: OptionalText,
  }),
  project: z.object({ path_with_namespace: z.string().min(1), web_url: OptionalText }),
});

/**
 * Reads the CI status a GitHub webhook carries.
 * - `workflow_run`: one report named after the workflow, linking the run.
 * - `check_suite`: one report named after the app (its slug, else its name), linking the
 *   commit's checks page (else the check suite's API URL).
 * - `ping` and every other event: ignored, with the reason.
 *
 * @param event the X-GitHub-Event header
 * @param receivedAt when the delivery arrived (ISO 8601); the report's time when the payload has
 *   no `updated_at`. @default now
 * @throws {WebhookPayloadError} when a `workflow_run` or `check_suite` payload lacks a field the
 *   report needs, or a timestamp cannot be read.
 */
export function parseGithubWebhook(
  event: string,
  payload: unknown,
  receivedAt: string = new Date().toISOString(),
): WebhookResult {
  switch (event) {
    case "workflow_run": {
      const {
        workflow_run: run,
        workflow,
        repository,
      } = validate("github", event, WorkflowRunEvent, payload);
      const status = run.status;
      const conclusion = run.conclusion ?? null;
      const state = githubCiState(status, conclusion);
      const occurredAt = eventTime("github", event, "workflow_run.updated_at", run.updated_at);
      return {
        kind: "ci",
        occurredAt,
        reports: [
          {
            provider: "github",
            repository: repositoryPath(repository.full_name),
            commit: run.head_sha.toLowerCase(),
            // Payload examples leave the run's name empty; the workflow's own name is the same thing.
            name:
              nonEmpty(run.name) ??
              nonEmpty(workflow?.name) ??
              nonEmpty(run.path) ??
              `workflow ${run.workflow_id ?? "unknown"}`,
            state,
            conclusion: state === "pending" ? status : (conclusion ?? status),
            url: nonEmpty(run.html_url),
            reportedAt: occurredAt ?? receivedAt,
            ref: nonEmpty(run.head_branch),
          },
        ],
      };
    }
    case "check_suite": {
      const { check_suite: suite, repository } = validate("github", event, CheckSuiteEvent, payload);
      const status = suite.status ?? null;
      const conclusion = suite.conclusion ?? null;
      const state = githubCiState(status, conclusion);
      const commit = suite.head_sha.toLowerCase();
      const htmlUrl = nonEmpty(repository.html_url)?.replace(/\/+$/, "");
      const occurredAt = eventTime("github", event, "check_suite.updated_at", suite.updated_at);
      return {
        kind: "ci",
        occurredAt,
        reports: [
          {
            provider: "github",
            repository: repositoryPath(repository.full_name),
            commit,
            name: nonEmpty(suite.app.slug) ?? suite.app.name,
            state,
            conclusion: state === "pending" ? status : (conclusion ?? status),
            // A person follows the link: the checks page, not the API resource.
            url: htmlUrl ? `${htmlUrl}/commit/${commit}/checks` : nonEmpty(suite.url),
            reportedAt: occurredAt ?? receivedAt,
            ref: nonEmpty(suite.head_branch),
          },
        ],
      };
    }
    case "ping":
      return { kind: "ignored", reason: "ping" };
    default:
      return { kind: "ignored", reason: `event ${event} does not carry CI status` };
  }
}

/**
 * Reads the CI status a GitLab webhook carries. A pipeline event (`object_kind: pipeline`)
 * becomes one report; every other kind is ignored, with the reason.
 *
 * The report's name keeps one status per kind of pipeline, so a merge-request pipeline and a
 * branch pipeline of one commit both count while a retried pipeline replaces the one it retries:
 * the pipeline's `name` when it has one, else `pipeline:<source>` (`pipeline:push`,
 * `pipeline:merge_request_event`), else `pipeline`. Its time is `finished_at`, else `created_at`
 * (GitLab writes `2016-08-12 15:23:28 UTC`), converted to ISO 8601.
 *
 * @param eventHeader the X-Gitlab-Event header (e.g. `Pipeline Hook`); `object_kind` decides, the
 *   header only names the event when the body has no `object_kind`
 * @param receivedAt when the delivery arrived (ISO 8601); the report's time when the payload has
 *   no `finished_at` or `created_at`. @default now
 * @throws {WebhookPayloadError} when the body is not an object, or a pipeline payload lacks a field
 *   the report needs, or a timestamp cannot be read.
 */
export function parseGitlabWebhook(
  eventHeader: string | undefined,
  payload: unknown,
  receivedAt: string = new Date().toISOString(),
): WebhookResult {
  const { object_kind: kind } = validate(
    "gitlab",
    eventHeader ?? "webhook",
    z.object({ object_kind: z.string().nullish() }),
    payload,
  );
  const event = kind ?? (eventHeader === "Pipeline Hook" ? "pipeline" : undefined);
  if (event !== "pipeline") {
    return {
      kind: "ignored",
      reason: `event ${event ?? eventHeader ?? "without object_kind"} does not carry CI status`,
    };
  }
  const { object_attributes: pipeline, project } = validate("gitlab", event, PipelineEvent, payload);
  const webUrl = nonEmpty(project.web_url)?.replace(/\/+$/, "");
  const source = nonEmpty(pipeline.source);
  const occurredAt = nonEmpty(pipeline.finished_at)
    ? eventTime("gitlab", event, "object_attributes.finished_at", pipeline.finished_at)
    : eventTime("gitlab", event, "object_attributes.created_at", pipeline.created_at);
  return {
    kind: "ci",
    occurredAt,
    reports: [
      {
        provider: "gitlab",
        repository: repositoryPath(project.path_with_namespace),
        commit: pipeline.sha.toLowerCase(),
        name: nonEmpty(pipeline.name) ?? (source ? `pipeline:${source}` : "pipeline"),
        state: gitlabCiState(pipeline.status),
        conclusion: pipeline.status,
        url: nonEmpty(pipeline.url) ?? (webUrl ? `${webUrl}/-/pipelines/${pipeline.id}` : null),
        reportedAt: occurredAt ?? receivedAt,
        ref: nonEmpty(pipeline.ref),
      },
    ],
  };
}

/** Statuses Railyard's own CI status shape uses, and the state each stands for. */
const GENERIC_STATES = {
  success: "success",
  failure: "failure",
  error: "failure",
  pending: "pending",
} as const satisfies Record<string, CiState>;

/** Most statuses one generic delivery may carry. */
export const MAX_GENERIC_STATUSES = 100;

const GenericStatus = z.object({
  repository: z.string().trim().min(1, "is empty").max(500),
  commit: Sha,
  status: z.enum(Object.keys(GENERIC_STATES) as [keyof typeof GENERIC_STATES], {
    error: (issue) =>
      issue.input === undefined ? "is missing" : "must be one of success, failure, pending, error",
  }),
  name: z.string().trim().min(1, "is empty").max(200),
  url: z
    .url({
      protocol: /^https?$/,
      error: (issue) => (issue.input === undefined ? undefined : "must be an http(s) URL"),
    })
    .nullish(),
  ref: z.string().max(500).nullish(),
});

const GenericStatuses = z.object({
  statuses: z
    .array(GenericStatus)
    .min(1, "is empty: send at least one status")
    .max(
      MAX_GENERIC_STATUSES,
      `has more than ${MAX_GENERIC_STATUSES} statuses: send them in several deliveries`,
    ),
});

/**
 * Reads the CI status a generic delivery carries: Railyard's own shape, one status
 * (`{"repository":"acme/api","commit":"<sha>","status":"success","name":"build","url":"https://…"}`)
 * or several (`{"statuses":[…]}`). `status` is `success`, `failure`, `pending` or `error` (read as a
 * failure, its word kept as the conclusion); `ref` (branch or tag) is optional. Every status is
 * timed by the signed timestamp, which is also the delivery's `occurredAt`.
 *
 * @param sentAt when the sender signed the request (ISO 8601, from X-Railyard-Timestamp)
 * @throws {WebhookPayloadError} when the body is not one of the two shapes; `field` names the first
 *   bad field (e.g. `statuses.1.commit`).
 */
export function parseGenericWebhook(payload: unknown, sentAt: string): WebhookResult {
  const many = typeof payload === "object" && payload !== null && "statuses" in payload;
  const statuses = many
    ? validate("generic", "status", GenericStatuses, payload).statuses
    : [validate("generic", "status", GenericStatus, payload)];
  return {
    kind: "ci",
    occurredAt: sentAt,
    reports: statuses.map((status) => ({
      provider: "generic",
      repository: repositoryPath(status.repository),
      commit: status.commit.toLowerCase(),
      name: status.name,
      state: GENERIC_STATES[status.status],
      conclusion: status.status,
      url: nonEmpty(status.url),
      reportedAt: sentAt,
      ref: nonEmpty(status.ref),
    })),
  };
}

/**
 * The time a generic request was signed (X-Railyard-Timestamp, Unix seconds) as ISO 8601; null
 * when the header is not whole seconds. Read it only after {@link verifyGenericSignature} passed.
 */
export function genericSentAt(timestamp: string | undefined): string | null {
  const stamp = timestamp?.trim();
  if (!stamp || !/^\d{1,12}$/.test(stamp)) return null;
  const time = new Date(Number(stamp) * 1000);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

/** What identifies one delivery, by sender. */
export type DeliveryIdentity =
  | {
      provider: "github" | "generic";
      /** X-GitHub-Delivery or X-Railyard-Delivery (absent: only the signature identifies it). */
      id: string | undefined;
      /** The verified X-Hub-Signature-256 or X-Railyard-Signature. */
      signature: string;
    }
  | {
      provider: "gitlab";
      /** X-Gitlab-Webhook-UUID, else X-Gitlab-Event-UUID. */
      id: string | undefined;
      /** The exact body received. */
      rawBody: Uint8Array;
    };

/** Delivery ids longer than this are kept as their SHA-256, so a key always fits an index. */
const MAX_ID_KEY = 128;

const sha256Hex = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

/**
 * The keys a delivery is remembered by, so it is accepted once: `id:<delivery id>` (its SHA-256,
 * `id:sha256:<hex>`, when longer than 128 characters), and a key bound to what was signed:
 * `sig:<SHA-256 of the signature>` for GitHub and generic deliveries, whose signature covers the
 * body (and the timestamp), so a captured request resent under a new delivery id is still known;
 * `body:<SHA-256 of the body>` for GitLab, whose token is the same on every request. The signature
 * is hashed in its canonical form (`sha256=<lowercase hex>`): verification ignores the case of its
 * hex digits, so a replay with them uppercased must not make a new key.
 */
export function deliveryKeys(delivery: DeliveryIdentity): string[] {
  const keys: string[] = [];
  const id = delivery.id?.trim();
  if (id) keys.push(id.length > MAX_ID_KEY ? `id:sha256:${sha256Hex(id)}` : `id:${id}`);
  if (delivery.provider === "gitlab") {
    keys.push(`body:${sha256Hex(delivery.rawBody)}`);
  } else {
    const signature = delivery.signature.trim();
    const hex = /^sha256=([0-9a-f]{64})$/i.exec(signature)?.[1];
    keys.push(`sig:${sha256Hex(hex ? `sha256=${hex.toLowerCase()}` : signature)}`);
  }
  return keys;
}

/** How a delivery's age compares with the window it is accepted in. */
export type DeliveryAge =
  | { verdict: "fresh" }
  /** Older than `maxAge`, by `byMs` beyond it. */
  | { verdict: "stale"; ageMs: number; byMs: number }
  /** Ahead of `now` by `aheadMs`, more than the allowed skew. */
  | { verdict: "future"; aheadMs: number };

/**
 * Judges a delivery by the time its event happened (`occurredAt`, ISO 8601, from the signed body
 * or header): stale when older than `maxAgeMs` at `now`, future when more than `futureSkewMs`
 * ahead of `now` (a sender whose clock runs ahead, or a timestamp in milliseconds). Both bounds
 * are inclusive: an event exactly `maxAgeMs` old is fresh. A delivery without a time is fresh:
 * its keys alone guard it.
 */
export function checkDeliveryAge(
  occurredAt: string | null,
  now: Date,
  maxAgeMs: number,
  futureSkewMs: number,
): DeliveryAge {
  if (occurredAt === null) return { verdict: "fresh" };
  const ageMs = now.getTime() - Date.parse(occurredAt);
  if (ageMs > maxAgeMs) return { verdict: "stale", ageMs, byMs: ageMs - maxAgeMs };
  if (-ageMs > futureSkewMs) return { verdict: "future", aheadMs: -ageMs };
  return { verdict: "fresh" };
}

function nonEmpty(text: string | null | undefined): string | null {
  return text === undefined || text === null || text.trim() === "" ? null : text;
}

function validate<T>(provider: WebhookProvider, event: string, schema: z.ZodType<T>, payload: unknown): T {
  const result = schema.safeParse(payload, {
    error: (issue) => {
      if (issue.code !== "invalid_type") return undefined;
      return issue.input === undefined
        ? "is missing"
        : `must be ${issue.expected}, not ${kindOf(issue.input)}`;
    },
  });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.join(".");
    return field === "" ? `the body ${issue.message}` : `${field} ${issue.message}`;
  });
  throw new WebhookPayloadError(provider, event, result.error.issues[0]!.path.join("."), problems);
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

// ISO 8601 with a zone, as GitHub writes it, and GitLab's `2016-08-12 15:23:28 UTC` (older
// versions: `2016-08-12 15:23:28 +0200`). Anything else is refused rather than guessed: a time
// without a zone would be read in the server's own.
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)\s*(UTC|Z|[+-]\d{2}:?\d{2})$/i;

/** The time in `value` as ISO 8601, null when there is none. @throws {WebhookPayloadError} */
function eventTime(
  provider: WebhookProvider,
  event: string,
  field: string,
  value: string | null | undefined,
): string | null {
  const text = nonEmpty(value);
  if (text === null) return null;
  const parts = TIMESTAMP.exec(text.trim());
  const time = parts
    ? Date.parse(`${parts[1]}T${parts[2]}${/^(utc|z)$/i.test(parts[3]!) ? "Z" : offset(parts[3]!)}`)
    : Number.NaN;
  if (Number.isNaN(time)) {
    throw new WebhookPayloadError(provider, event, field, [
      `${field} is not a timestamp: ${JSON.stringify(text)} (expected ISO 8601 such as 2016-08-12T15:23:28Z, or 2016-08-12 15:23:28 UTC)`,
    ]);
  }
  return new Date(time).toISOString();
}

function offset(zone: string): string {
  return zone.includes(":") ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
}
