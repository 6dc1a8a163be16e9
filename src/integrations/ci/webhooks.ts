/**
 * Inbound CI webhooks: checking that GitHub or GitLab sent them, and reading the CI status they
 * carry. GitHub `workflow_run` and `check_suite` events and GitLab pipeline events become
 * {@link CiReport}s; every other event is ignored with a reason. A payload of a supported event
 * that lacks a field the report needs is refused with a {@link WebhookPayloadError}.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { type CiReport, githubCiState, gitlabCiState, repositoryPath } from "../../domain/ci-status.js";

/** What a webhook delivery meant: CI reports to record, or why nothing is recorded. */
export type WebhookResult = { kind: "ci"; reports: CiReport[] } | { kind: "ignored"; reason: string };

/**
 * Thrown by {@link parseGithubWebhook} and {@link parseGitlabWebhook} when the payload of an event
 * that carries CI status lacks a field the report needs, or a field has the wrong type.
 */
export class WebhookPayloadError extends Error {
  override readonly name = "WebhookPayloadError";
  constructor(
    readonly provider: "github" | "gitlab",
    /** The event, e.g. `workflow_run` or `pipeline`. */
    readonly event: string,
    /** Dotted path of the first bad field, e.g. `workflow_run.head_sha` (empty: the body itself). */
    readonly field: string,
    /** Every problem found, e.g. `workflow_run.head_sha is missing`. */
    readonly problems: readonly string[],
  ) {
    super(`${provider === "github" ? "GitHub" : "GitLab"} ${event} payload: ${problems.join("; ")}`);
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
      return {
        kind: "ci",
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
            reportedAt: timestamp("github", event, "workflow_run.updated_at", run.updated_at, receivedAt),
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
      return {
        kind: "ci",
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
            reportedAt: timestamp("github", event, "check_suite.updated_at", suite.updated_at, receivedAt),
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
  const time = nonEmpty(pipeline.finished_at) ?? nonEmpty(pipeline.created_at);
  return {
    kind: "ci",
    reports: [
      {
        provider: "gitlab",
        repository: repositoryPath(project.path_with_namespace),
        commit: pipeline.sha.toLowerCase(),
        name: nonEmpty(pipeline.name) ?? (source ? `pipeline:${source}` : "pipeline"),
        state: gitlabCiState(pipeline.status),
        conclusion: pipeline.status,
        url: nonEmpty(pipeline.url) ?? (webUrl ? `${webUrl}/-/pipelines/${pipeline.id}` : null),
        reportedAt: timestamp(
          "gitlab",
          event,
          nonEmpty(pipeline.finished_at) ? "object_attributes.finished_at" : "object_attributes.created_at",
          time,
          receivedAt,
        ),
        ref: nonEmpty(pipeline.ref),
      },
    ],
  };
}

function nonEmpty(text: string | null | undefined): string | null {
  return text === undefined || text === null || text.trim() === "" ? null : text;
}

function validate<T>(
  provider: "github" | "gitlab",
  event: string,
  schema: z.ZodType<T>,
  payload: unknown,
): T {
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

function timestamp(
  provider: "github" | "gitlab",
  event: string,
  field: string,
  value: string | null | undefined,
  receivedAt: string,
): string {
  const text = nonEmpty(value);
  if (text === null) return receivedAt;
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
