/**
 * A small client of the Prometheus HTTP API (`/api/v1/query`, `/api/v1/query_range`): form-encoded
 * POSTs with a timeout per attempt, retries with backoff and jitter on what may pass (network
 * errors, timeouts, 5xx, 429), and results normalised to numbers.
 */

import type { PrometheusResult, PrometheusSeries } from "../../domain/gates/prometheus-analysis.js";
import { abortableDelay, type BackoffOptions, backoffDelay } from "../backoff.js";
import { describeNetworkError } from "../network-error.js";

export type { PrometheusResult, PrometheusSeries } from "../../domain/gates/prometheus-analysis.js";

export interface PrometheusClientOptions {
  /** Base URL of the HTTP API, e.g. `http://prometheus:9090` or `https://host/prometheus/`. */
  url: string;
  /** Limit on one attempt, from sending to the whole body read. @default 10_000 */
  timeoutMs?: number;
  /** Further attempts after a network error, a timeout, a 5xx or a 429. @default 2 */
  retries?: number;
  /** Headers sent with every query (e.g. `Authorization`). @default {} */
  headers?: Record<string, string>;
  /** The fetch implementation. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Pacing of retries. @default {baseMs: 250, capMs: 4000} */
  backoff?: BackoffOptions;
}

/** Per-call options. */
export interface QueryOptions {
  /** Cancels the query and any wait between attempts; the call then rejects with its reason. */
  signal?: AbortSignal;
}

/** Why a query failed: `unreachable`, `timeout`, `http` (a status with no usable body), `query` (Prometheus said `status: error`), `response` (an answer that is not the API's). */
export type PrometheusErrorKind = "unreachable" | "timeout" | "http" | "query" | "response";

/**
 * Thrown by {@link PrometheusClient} when a query has no result: Prometheus could not be reached
 * or did not answer in time (after the retries), or it refused the query (`bad_data` for a PromQL
 * syntax error, `execution`, …), or it answered something that is not its API's JSON.
 */
export class PrometheusError extends Error {
  override readonly name = "PrometheusError";
  constructor(
    message: string,
    readonly details: {
      kind: PrometheusErrorKind;
      /** The endpoint, without credentials. */
      url: string;
      /** HTTP status, when there was an answer. */
      status?: number;
      /** Prometheus's `errorType` (`bad_data`, `execution`, `timeout`, `unavailable`, …). */
      errorType?: string;
      /** Prometheus's `error` text. */
      error?: string;
      /** Attempts made. */
      attempts: number;
    },
  ) {
    super(message);
  }
}

/** A Prometheus HTTP API client. */
export interface PrometheusClient {
  /** The base URL without credentials, for evidence. */
  readonly url: string;
  /**
   * Evaluates an instant query at `at` (default: Prometheus's own now).
   * @throws {PrometheusError} when the query has no result; the signal's reason when it aborts.
   */
  query(promql: string, at?: Date, options?: QueryOptions): Promise<PrometheusResult>;
  /**
   * Evaluates a range query from `start` to `end` every `stepSeconds`.
   * @throws {PrometheusError} when the query has no result; the signal's reason when it aborts.
   */
  queryRange(
    promql: string,
    start: Date,
    end: Date,
    stepSeconds: number,
    options?: QueryOptions,
  ): Promise<PrometheusResult>;
}

/**
 * Creates a client for the Prometheus at `options.url`. Credentials in the URL
 * (`https://user:pass@host`) are sent as Basic authentication and never shown.
 * @throws {PrometheusError} when the URL is not an http(s) URL.
 */
export function createPrometheusClient(options: PrometheusClientOptions): PrometheusClient {
  let base: URL;
  try {
    base = new URL(options.url.endsWith("/") ? options.url : `${options.url}/`);
  } catch {
    throw new PrometheusError(`"${stripUserInfo(options.url)}" is not a valid Prometheus URL`, {
      kind: "response",
      url: stripUserInfo(options.url),
      attempts: 0,
    });
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw new PrometheusError(`"${stripUserInfo(options.url)}" is not an http(s) URL`, {
      kind: "response",
      url: stripUserInfo(options.url),
      attempts: 0,
    });
  }
  const headers: Record<string, string> = {
    accept: "application/json",
    "content-type": "application/x-www-form-urlencoded",
    "user-agent": "railyard",
  };
  if (base.username || base.password) {
    const user = decodeURIComponent(base.username);
    const password = decodeURIComponent(base.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
    base.username = "";
    base.password = "";
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;

  const timeoutMs = options.timeoutMs ?? 10_000;
  const attempts = 1 + Math.max(0, options.retries ?? 2);
  const doFetch = options.fetch ?? globalThis.fetch;
  const backoff: BackoffOptions = { baseMs: 250, capMs: 4000, ...options.backoff };
  const shown = base.href.replace(/\/$/, "");

  async function post(
    endpoint: string,
    form: URLSearchParams,
    signal?: AbortSignal,
  ): Promise<PrometheusResult> {
    const url = new URL(endpoint, base);
    let last: PrometheusError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await abortableDelay(backoffDelay(attempt - 1, backoff), signal);
      signal?.throwIfAborted();
      const outcome = await attemptOnce(url, form, attempt, signal);
      if (outcome.ok) return outcome.result;
      last = outcome.error;
      if (!outcome.retry) break;
    }
    const error = last!;
    const tries = error.details.attempts > 1 ? ` (${error.details.attempts} attempts)` : "";
    throw new PrometheusError(`${error.message}${tries}`, error.details);
  }

  async function attemptOnce(
    url: URL,
    form: URLSearchParams,
    attempt: number,
    signal: AbortSignal | undefined,
  ): Promise<{ ok: true; result: PrometheusResult } | { ok: false; retry: boolean; error: PrometheusError }> {
    const where = url.href;
    const fail = (
      retry: boolean,
      message: string,
      details: Omit<PrometheusError["details"], "url" | "attempts">,
    ) => ({
      ok: false as const,
      retry,
      error: new PrometheusError(message, { ...details, url: where, attempts: attempt }),
    });
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let status: number;
    let statusText: string;
    let text: string;
    try {
      const response = await doFetch(url, {
        method: "POST",
        headers,
        body: form.toString(),
        signal: combined,
      });
      status = response.status;
      statusText = response.statusText;
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) signal.throwIfAborted();
      if (timeout.aborted) {
        return fail(true, `Prometheus at ${where} did not answer within ${formatMs(timeoutMs)}`, {
          kind: "timeout",
        });
      }
      return fail(true, `Prometheus at ${where} is unreachable: ${describeNetworkError(error).text}`, {
        kind: "unreachable",
      });
    }

    const answer = `Prometheus at ${where} answered ${status}${statusText ? ` ${statusText}` : ""}`;
    const retriable = status >= 500 || status === 429;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      const excerpt = text.trim().slice(0, 200);
      return fail(
        retriable,
        status >= 200 && status < 300
          ? `${answer} with a body that is not JSON: ${excerpt || "(empty)"}`
          : `${answer}${excerpt ? `: ${excerpt}` : ""}`,
        { kind: status >= 200 && status < 300 ? "response" : "http", status },
      );
    }
    const envelope = body as { status?: unknown; errorType?: unknown; error?: unknown };
    if (envelope?.status === "error" || status < 200 || status >= 300) {
      const errorType = typeof envelope?.errorType === "string" ? envelope.errorType : undefined;
      const errorText = typeof envelope?.error === "string" ? envelope.error : undefined;
      const said = [errorType, errorText].filter(Boolean).join(": ");
      return fail(retriable, said ? `${answer}: ${said}` : answer, {
        kind: said ? "query" : "http",
        status,
        ...(errorType !== undefined ? { errorType } : {}),
        ...(errorText !== undefined ? { error: errorText } : {}),
      });
    }
    try {
      return { ok: true, result: parseQueryResponse(body) };
    } catch (error) {
      return fail(false, `${answer} with an unexpected body: ${(error as Error).message}`, {
        kind: "response",
        status,
      });
    }
  }

  return {
    url: shown,
    query(promql, at, options = {}) {
      const form = new URLSearchParams({ query: promql });
      if (at) form.set("time", unixSeconds(at));
      form.set("timeout", `${Math.max(1, Math.ceil(timeoutMs / 1000))}s`);
      return post("api/v1/query", form, options.signal);
    },
    queryRange(promql, start, end, stepSeconds, options = {}) {
      const form = new URLSearchParams({
        query: promql,
        start: unixSeconds(start),
        end: unixSeconds(end),
        step: String(stepSeconds),
        timeout: `${Math.max(1, Math.ceil(timeoutMs / 1000))}s`,
      });
      return post("api/v1/query_range", form, options.signal);
    },
  };
}

/**
 * Parses a successful API answer (`{status: "success", data: {resultType, result}, warnings}`).
 * @throws {Error} naming the JSON path that is not as the API documents it.
 */
export function parseQueryResponse(body: unknown): PrometheusResult {
  const root = body as {
    status?: unknown;
    data?: { resultType?: unknown; result?: unknown };
    warnings?: unknown;
  };
  if (typeof root !== "object" || root === null || root.status !== "success") {
    throw new Error(`status is ${JSON.stringify(root?.status)}, expected "success"`);
  }
  const data = root.data;
  if (typeof data !== "object" || data === null) throw new Error("data is missing");
  const warnings = Array.isArray(root.warnings) ? root.warnings.map(String) : [];
  const resultType = data.resultType;
  const result = data.result;
  switch (resultType) {
    case "scalar":
    case "string": {
      return { resultType, series: [{ labels: {}, values: [sample(result, "data.result")] }], warnings };
    }
    case "vector": {
      if (!Array.isArray(result)) throw new Error("data.result is not an array");
      const series = result.map((item: unknown, i): PrometheusSeries => {
        const entry = item as { metric?: unknown; value?: unknown; histogram?: unknown };
        if (entry?.value === undefined && entry?.histogram !== undefined)
          throw nativeHistogram(`data.result[${i}]`);
        return {
          labels: labels(entry?.metric, `data.result[${i}].metric`),
          values: [sample(entry?.value, `data.result[${i}].value`)],
        };
      });
      return { resultType, series, warnings };
    }
    case "matrix": {
      if (!Array.isArray(result)) throw new Error("data.result is not an array");
      const series = result.map((item: unknown, i): PrometheusSeries => {
        const entry = item as { metric?: unknown; values?: unknown; histograms?: unknown };
        if (entry?.values === undefined && entry?.histograms !== undefined)
          throw nativeHistogram(`data.result[${i}]`);
        if (!Array.isArray(entry?.values)) throw new Error(`data.result[${i}].values is not an array`);
        return {
          labels: labels(entry.metric, `data.result[${i}].metric`),
          values: entry.values.map((v: unknown, j) => sample(v, `data.result[${i}].values[${j}]`)),
        };
      });
      return { resultType, series, warnings };
    }
    default:
      throw new Error(
        `data.resultType ${JSON.stringify(resultType)} is not vector, matrix, scalar or string`,
      );
  }
}

/** A sample value as the API writes it: a decimal string, `NaN`, `+Inf` or `-Inf`. */
export function parseSampleValue(text: string): number {
  switch (text) {
    case "NaN":
      return Number.NaN;
    case "+Inf":
    case "Inf":
      return Number.POSITIVE_INFINITY;
    case "-Inf":
      return Number.NEGATIVE_INFINITY;
    default:
      return text.trim() === "" ? Number.NaN : Number(text);
  }
}

function sample(value: unknown, path: string): [number, number] {
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    typeof value[0] !== "number" ||
    typeof value[1] !== "string"
  ) {
    throw new Error(`${path} is not a [time, "value"] pair`);
  }
  return [value[0], parseSampleValue(value[1])];
}

function labels(metric: unknown, path: string): Record<string, string> {
  if (metric === undefined) return {};
  if (typeof metric !== "object" || metric === null || Array.isArray(metric))
    throw new Error(`${path} is not an object`);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(metric)) out[name] = String(value);
  return out;
}

function nativeHistogram(path: string): Error {
  return new Error(
    `${path} is a native histogram, which cannot be compared with a number: query histogram_quantile(), histogram_count() or histogram_sum() of it`,
  );
}

function unixSeconds(date: Date): string {
  return (date.getTime() / 1000).toFixed(3);
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function stripUserInfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, "$1");
}
