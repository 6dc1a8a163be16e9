/**
 * The webhook deployer: POSTs each deployment and rollback, signed, to an HTTP endpoint that
 * performs it (a platform team's deploy service, a Spinnaker or Harness webhook trigger), and
 * follows a long-running one through its status URL.
 */
import { formatDuration } from "../../domain/duration.js";
import type { Deployer, DeployRequest, DeployResult } from "../../engine/ports.js";
import { abortableDelay, type BackoffOptions, backoffDelay } from "../backoff.js";
import { describeNetworkError } from "../network-error.js";
import { fillTemplate } from "../placeholders.js";
import { readBodyStart } from "./read-body-start.js";
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from "./webhook-signature.js";

export interface WebhookDeployerOptions {
  /** The `deployers:` entry name, shown in messages. */
  name: string;
  /** http(s) URL; placeholders `{component}`, `{environment}`, `{line}` (filled URL-encoded). */
  url: string;
  /** The HMAC secret (the value, read from the environment by the caller). */
  secret: string;
  /** Headers sent with every request to the URL's origin, e.g. `Authorization`; treated as secrets. @default {} */
  headers?: Record<string, string>;
  /** Limit for one attempt (one POST or one status poll), from sending to the body read. */
  timeoutMs: number;
  /** Further attempts after no answer, a timeout, 408, 429 or 5xx. */
  retries: number;
  /** Polling of a status URL after a 202. @default { pollMs: 10_000, timeoutMs: 900_000 } */
  status?: { pollMs: number; timeoutMs: number };
  /** Pacing of retries. @default { baseMs: 1000, capMs: 30_000 } */
  backoff?: BackoffOptions;
  /** Longest `Retry-After` honoured; a longer one waits this long. @default 60_000 */
  maxRetryAfterMs?: number;
  /** Bytes of a response body read (and kept as evidence). @default 4096 */
  maxBodyBytes?: number;
  /** The fetch implementation. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** The clock of `X-Railyard-Timestamp`. @default () => new Date() */
  now?: () => Date;
}

/** Thrown by the constructor when the configuration cannot work: a URL that is not http(s), an empty secret. */
export class WebhookConfigError extends Error {
  override readonly name = "WebhookConfigError";
}

/**
 * Thrown when an environment's deployment or rollback failed: refused (a 4xx other than 408, 409
 * and 429, a redirect), still failing after the last retry (no answer, timeout, 408, 429, 5xx),
 * reported failed by the status URL, or still running when `status.timeout` ran out.
 * Environments before it in the request were done; later ones were not tried.
 */
export class WebhookDeployError extends Error {
  override readonly name = "WebhookDeployError";
  constructor(
    message: string,
    readonly details: {
      /** The environment that failed. */
      environment: string;
      /** The last HTTP status received for it (null: no answer). */
      status: number | null;
      /** Requests made for it (POST attempts and status polls). */
      attempts: number;
      /** One line per environment done before it, then what happened to it (the step's output). */
      output: string;
    },
  ) {
    super(message);
  }

  /** What the engine keeps as the step's output. */
  get output(): string {
    return this.details.output;
  }
}

/** What one environment's delivery came to. */
interface Delivered {
  line: string;
  reference: string | null;
  alreadyDone: boolean;
}

/** A final answer to one request (after the retries of what may pass). */
interface Answer {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
  truncated: boolean;
  /** Attempts it took. */
  attempts: number;
}

/** Why a request had no usable answer after the last attempt. */
interface GaveUp {
  reason: string;
  status: number | null;
  attempts: number;
}

const EXCERPT_CHARS = 300;

/**
 * Deploys by POSTing to a webhook, one request per environment of the step, in order.
 *
 * Body (JSON): `{train, line, component, version, previous_version, environment, wave, weight,
 * phase, strategy, action, idempotency_key}`: `weight` is the share of traffic (0–100) for
 * `version`, 100 for a plain deployment; `phase` is `canary`, `preview`, `promote`, `retire` or
 * null; `strategy` is `allAtOnce`, `canary` or `blueGreen`. A rollback has `action: "rollback"`,
 * `version` the version to return to (null: none), weight 100 and phase null.
 *
 * Headers: `Content-Type: application/json`, `Idempotency-Key: <train>/<step>#<attempt>@<environment>`
 * (also `idempotency_key` of the body; the same on every retry and after a crash, so receivers
 * dedupe on it), `X-Railyard-Timestamp: <Unix seconds>` and `X-Railyard-Signature:
 * sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>` (receivers check it with
 * `verifyWebhookSignature` of `webhook-signature.ts`), plus the configured headers — those only
 * to the URL's origin, never to a status URL elsewhere.
 *
 * Answers: 2xx — done (`{"reference": …, "message": …}` of the body are kept); but 202 —
 * accepted: when the body has `{"statusUrl": …}` or a `Location` header, the URL is polled with
 * signed GETs (empty body) until it answers `{"status": "succeeded" | "failed" | "running",
 * "message"?, "reference"?}`; without one, done. 409 — already done under this idempotency key
 * (`alreadyDone` when every environment says so). 408, 429, 5xx, no answer and timeouts are
 * retried with backoff and jitter (`Retry-After` honoured up to a cap); any other status fails at
 * once. Redirects are not followed.
 *
 * The secret and the configured header values never appear in outputs or errors.
 */
export class WebhookDeployer implements Deployer {
  readonly #secret: string;
  readonly #headers: Record<string, string>;
  private readonly origin: string;
  private readonly poll: { pollMs: number; timeoutMs: number };
  private readonly backoff: BackoffOptions;
  private readonly fetch: typeof fetch;
  private readonly now: () => Date;

  /** @throws {WebhookConfigError} when the URL is not an http(s) URL without credentials, or the secret is empty. */
  constructor(private readonly options: WebhookDeployerOptions) {
    if (options.secret === "") {
      throw new WebhookConfigError(`deployers.${options.name}: the HMAC secret is empty`);
    }
    const sample = parseUrl(
      fillTemplate(options.url, { component: "component", environment: "environment", line: "line" }),
    );
    if (sample === null || (sample.protocol !== "http:" && sample.protocol !== "https:")) {
      throw new WebhookConfigError(
        `deployers.${options.name}.url: "${stripUserInfo(options.url)}" is not an http(s) URL`,
      );
    }
    if (sample.username !== "" || sample.password !== "") {
      throw new WebhookConfigError(
        `deployers.${options.name}.url: credentials do not belong in the URL; send them with headersFromEnv`,
      );
    }
    this.origin = sample.origin;
    this.#secret = options.secret;
    this.#headers = { ...options.headers };
    this.poll = options.status ?? { pollMs: 10_000, timeoutMs: 900_000 };
    this.backoff = { baseMs: 1000, capMs: 30_000, ...options.backoff };
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * POSTs the deployment of `request.version` to each environment, in order.
   * @throws {WebhookDeployError} when an environment's deployment fails.
   * @throws the signal's reason (an `AbortError`) when aborted.
   */
  deploy(request: DeployRequest): Promise<DeployResult> {
    return this.deliverAll(request, "deploy");
  }

  /**
   * POSTs the rollback to `request.version` (the version to return to) to each environment.
   * @throws {WebhookDeployError} when an environment's rollback fails.
   * @throws the signal's reason (an `AbortError`) when aborted.
   */
  rollback(request: DeployRequest): Promise<DeployResult> {
    return this.deliverAll(request, "rollback");
  }

  private async deliverAll(request: DeployRequest, action: "deploy" | "rollback"): Promise<DeployResult> {
    request.signal.throwIfAborted();
    const lines: string[] = [];
    const references: string[] = [];
    let alreadyDone = request.environments.length > 0;
    for (const environment of request.environments) {
      const delivered = await this.deliver(request, action, environment, lines);
      lines.push(delivered.line);
      if (delivered.reference !== null && !references.includes(delivered.reference)) {
        references.push(delivered.reference);
      }
      alreadyDone &&= delivered.alreadyDone;
    }
    return { output: lines.join("\n"), reference: references.join(", ") || null, alreadyDone };
  }

  /** One environment: the POST, then the status polls of a 202. */
  private async deliver(
    request: DeployRequest,
    action: "deploy" | "rollback",
    environment: string,
    done: readonly string[],
  ): Promise<Delivered> {
    const key = `${request.idempotencyKey}@${environment}`;
    const url = new URL(
      fillTemplate(
        this.options.url,
        { component: request.component, environment, line: request.line },
        encodeURIComponent,
      ),
    );
    const rollback = action === "rollback";
    const body = JSON.stringify({
      train: request.trainId,
      line: request.line,
      component: request.component,
      version: request.version,
      previous_version: request.previousVersion,
      environment,
      wave: request.wave,
      // A rollback returns all traffic to the version it restores.
      weight: rollback ? 100 : (request.weight ?? 100),
      phase: rollback ? null : (request.phase ?? null),
      strategy: request.strategy ?? "allAtOnce",
      action,
      idempotency_key: key,
    });
    const what = `${action} of ${request.component} ${request.version ?? "(none)"} to ${environment}`;
    const shown = `POST ${url.href}`;
    // The message stays on one line (the engine shows its first); the output keeps the evidence.
    const fail = (evidence: string, status: number | null, attempts: number): never => {
      throw new WebhookDeployError(
        `deployer "${this.options.name}": ${what} failed: ${oneLine(evidence, 1000)}`,
        {
          environment,
          status,
          attempts,
          output: [...done, `${environment}: ${evidence}`].join("\n"),
        },
      );
    };

    const answer = await this.exchange("POST", url, body, key, request.signal);
    if ("reason" in answer) {
      return fail(
        `${shown} → ${answer.reason} (${plural(answer.attempts, "attempt")}, no more retries)`,
        answer.status,
        answer.attempts,
      );
    }
    const json = parseObject(answer.text);
    const reference = stringField(json, "reference");
    const head = `${shown} → ${statusLine(answer)} after ${plural(answer.attempts, "attempt")}`;
    if (answer.status < 200 || (answer.status >= 300 && answer.status !== 409)) {
      const said = this.said(answer, json);
      const why =
        answer.status >= 300 && answer.status < 400
          ? "redirects are not followed; configure the final URL"
          : "refused, not retried";
      return fail(`${head} (${why})${said ? `: ${said}` : ""}`, answer.status, answer.attempts);
    }
    const said = this.summary(answer, json, reference);
    if (answer.status === 409) {
      return {
        line: `${environment}: ${head}: already done under idempotency key ${key}${said}`,
        reference,
        alreadyDone: true,
      };
    }
    const statusUrl =
      answer.status === 202 ? (stringField(json, "statusUrl") ?? answer.headers.get("location")) : null;
    if (statusUrl === null) {
      return { line: `${environment}: ${head}${said}`, reference, alreadyDone: false };
    }
    const target = parseUrl(statusUrl, url);
    if (
      target === null ||
      (target.protocol !== "http:" && target.protocol !== "https:") ||
      target.username !== "" ||
      target.password !== ""
    ) {
      return fail(
        `${head}, but its status URL ${JSON.stringify(stripUserInfo(statusUrl))} is not an http(s) URL without credentials`,
        answer.status,
        answer.attempts,
      );
    }
    const polled = await this.follow(target, key, request.signal);
    const statusHead = `${head}; GET ${target.href} → ${polled.status}`;
    const message = polled.message ? `: ${oneLine(polled.message)}` : "";
    const attempts = answer.attempts + polled.requests;
    switch (polled.status) {
      case "succeeded": {
        const final = polled.reference ?? reference;
        return {
          line: `${environment}: ${statusHead} after ${plural(polled.polls, "poll")}${final ? ` (reference ${final})` : ""}${message}`,
          reference: final,
          alreadyDone: false,
        };
      }
      case "failed":
        return fail(`${statusHead}${message}`, polled.httpStatus, attempts);
      case "timeout":
        return fail(
          `${head}; timed out after ${formatDuration(this.poll.timeoutMs)} waiting for GET ${target.href} to report succeeded or failed (${plural(polled.polls, "poll")}, last: running${message})`,
          polled.httpStatus,
          attempts,
        );
      case "error":
        return fail(`${head}; GET ${target.href} → ${polled.message}`, polled.httpStatus, attempts);
      default: {
        const unknown: never = polled;
        throw new Error(`unexpected poll result ${JSON.stringify(unknown)}`);
      }
    }
  }

  /**
   * Polls a status URL every `status.poll` until it reports succeeded or failed, or
   * `status.timeout` has passed since the 202.
   */
  private async follow(
    url: URL,
    key: string,
    signal: AbortSignal,
  ): Promise<
    | {
        status: "succeeded";
        message: string | null;
        reference: string | null;
        polls: number;
        requests: number;
      }
    | {
        status: "failed" | "timeout" | "error";
        message: string | null;
        httpStatus: number | null;
        polls: number;
        requests: number;
      }
  > {
    const deadline = performance.now() + this.poll.timeoutMs;
    let polls = 0;
    let requests = 0;
    let message: string | null = null;
    let httpStatus: number | null = null;
    for (;;) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return { status: "timeout", message, httpStatus, polls, requests };
      await abortableDelay(Math.min(this.poll.pollMs, remaining), signal);
      const answer = await this.exchange("GET", url, "", key, signal);
      requests += answer.attempts;
      if ("reason" in answer) {
        return {
          status: "error",
          message: `${answer.reason} (${plural(answer.attempts, "attempt")}, no more retries)`,
          httpStatus: answer.status,
          polls,
          requests,
        };
      }
      polls++;
      httpStatus = answer.status;
      const json = parseObject(answer.text);
      if (answer.status < 200 || answer.status >= 300) {
        const said = this.said(answer, json);
        return {
          status: "error",
          message: `${statusLine(answer)} (refused, not retried)${said ? `: ${oneLine(said)}` : ""}`,
          httpStatus,
          polls,
          requests,
        };
      }
      const state = stringField(json, "status");
      const said = stringField(json, "message");
      message = said === null ? null : this.redact(said);
      switch (state) {
        case "succeeded":
          return { status: "succeeded", message, reference: stringField(json, "reference"), polls, requests };
        case "failed":
          return { status: "failed", message, httpStatus, polls, requests };
        case "running":
          continue;
        default:
          return {
            status: "error",
            message: `${statusLine(answer)}, which is not {"status": "succeeded" | "failed" | "running"}: ${oneLine(this.said(answer, null) ?? "(empty body)")}`,
            httpStatus,
            polls,
            requests,
          };
      }
    }
  }

  /**
   * Sends one request, again after what may pass (no answer, a timeout, 408, 429, 5xx), up to
   * `retries` more times with backoff; the same body and idempotency key every time, signed
   * anew with a fresh timestamp.
   * @throws the signal's reason when it aborts.
   */
  private async exchange(
    method: "POST" | "GET",
    url: URL,
    body: string,
    key: string,
    signal: AbortSignal,
  ): Promise<Answer | GaveUp> {
    const attempts = 1 + Math.max(0, this.options.retries);
    const maxBodyBytes = this.options.maxBodyBytes ?? 4096;
    let last: GaveUp = { reason: "not sent", status: null, attempts: 0 };
    let wait = 0;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await abortableDelay(wait, signal);
      signal.throwIfAborted();
      const timestamp = Math.floor(this.now().getTime() / 1000);
      const headers: Record<string, string> = {
        accept: "application/json",
        "user-agent": "railyard",
        ...(url.origin === this.origin ? this.#headers : {}),
        "idempotency-key": key,
        [TIMESTAMP_HEADER.toLowerCase()]: String(timestamp),
        [SIGNATURE_HEADER.toLowerCase()]: signWebhook(this.#secret, timestamp, body),
      };
      if (method === "POST") headers["content-type"] = "application/json";
      const timeout = AbortSignal.timeout(this.options.timeoutMs);
      let response: Response;
      let read: { text: string; truncated: boolean };
      try {
        response = await this.fetch(url, {
          method,
          headers,
          body: method === "POST" ? body : undefined,
          signal: AbortSignal.any([signal, timeout]),
          redirect: "manual",
        });
        read = await readBodyStart(response, maxBodyBytes);
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        const reason = timeout.aborted
          ? `timed out after ${formatDuration(this.options.timeoutMs)}`
          : this.redact(networkFailure(error));
        last = { reason, status: null, attempts: attempt };
        wait = backoffDelay(attempt, this.backoff);
        continue;
      }
      const answer: Answer = {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        text: read.text,
        truncated: read.truncated,
        attempts: attempt,
      };
      if (!isRetryable(response.status)) return answer;
      const said = this.said(answer, parseObject(answer.text));
      last = {
        reason: `${statusLine(answer)}${said ? `: ${oneLine(said)}` : ""}`,
        status: response.status,
        attempts: attempt,
      };
      const retryAfter = retryAfterMs(response.headers.get("retry-after"), this.now());
      wait =
        retryAfter === null
          ? backoffDelay(attempt, this.backoff)
          : Math.min(retryAfter, this.options.maxRetryAfterMs ?? 60_000);
    }
    return last;
  }

  /**
   * What a receiver that accepted said, for the environment's line: the reference and its
   * `message` (or the start of a body that is not JSON) on one line, secrets redacted.
   */
  private summary(answer: Answer, json: Record<string, unknown> | null, reference: string | null): string {
    const message = stringField(json, "message") ?? (json === null ? this.said(answer, null) : null);
    const ref = reference === null ? "" : ` (reference ${this.redact(reference)})`;
    return `${ref}${message === null ? "" : `: ${oneLine(this.redact(message))}`}`;
  }

  /** What the receiver said: its `message`, else the start of its body; secrets redacted. */
  private said(answer: Answer, json: Record<string, unknown> | null): string | null {
    const message = stringField(json, "message");
    if (message !== null) return this.redact(message);
    const text = answer.text.trim();
    if (text === "") return null;
    return this.redact(`${text}${answer.truncated ? " […]" : ""}`);
  }

  private redact(text: string): string {
    let result = text;
    for (const secret of [this.#secret, ...Object.values(this.#headers)]) {
      if (secret.length >= 4) result = result.split(secret).join("[redacted]");
    }
    return result;
  }
}

/** 408 Request Timeout, 429 Too Many Requests and 5xx may pass; other statuses are final. */
function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** `Retry-After` (seconds, or an HTTP date) in milliseconds from now; null when absent or unreadable. */
function retryAfterMs(header: string | null, now: Date): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

function statusLine(answer: { status: number; statusText: string }): string {
  return `${answer.status}${answer.statusText ? ` ${answer.statusText}` : ""}`;
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function stringField(json: Record<string, unknown> | null, field: string): string | null {
  const value = json?.[field];
  return typeof value === "string" && value !== "" ? value : null;
}

function parseUrl(text: string, base?: URL): URL | null {
  try {
    return new URL(text, base);
  } catch {
    return null;
  }
}

/** Removes `user:password@` from a URL for display. */
function stripUserInfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, "$1");
}

/** Text on one line, at most `max` characters, for error messages. */
function oneLine(text: string, max = EXCERPT_CHARS): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** A failed request in words: a known cause, or `request failed: …`. */
function networkFailure(error: unknown): string {
  const { text, known } = describeNetworkError(error);
  return known ? text : `request failed: ${text}`;
}
