/**
 * The http gate: calls a URL; a 2xx answer within the timeout passes. The status line, the time
 * taken and the start of the body are the gate's evidence.
 */

import type { GateConfig } from "../../domain/config/schema.js";
import { formatDuration, parseDuration } from "../../domain/duration.js";
import type { GateContext, GateOutcome } from "../../engine/ports.js";
import { describeNetworkError } from "../network-error.js";
import { fillPlaceholders } from "../placeholders.js";
import { readBodyStart } from "./read-body-start.js";

/** A `type: http` gate as configured. */
export type HttpGateConfig = Extract<GateConfig, { type: "http" }>;

export interface HttpGateOptions {
  /** Where `headersFromEnv` values are read. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Bytes of the response body kept in the output. @default 2048 */
  maxBodyBytes?: number;
}

const REDACTED = "[redacted]";

/**
 * Calls the gate's URL (placeholders `{train}`, `{line}`, `{stage}`, `{wave}` and `{environment}`,
 * the first environment, are filled in URL-encoded) and passes on a 2xx status. Fails, with the
 * reason in plain words, on another status, a timeout, a network error, an invalid URL or a
 * header whose environment variable is not set. Secret header values never appear in the output.
 * @throws the context signal's reason when it aborts (no verdict to record).
 */
export async function runHttpGate(
  gate: HttpGateConfig,
  context: GateContext,
  options: HttpGateOptions = {},
): Promise<GateOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const failed = (output: string): GateOutcome => ({ status: "failed", output, durationMs: elapsed() });
  const env = options.env ?? process.env;
  const maxBodyBytes = options.maxBodyBytes ?? 2048;
  const timeoutMs = parseDuration(gate.timeout);

  const url = fillUrl(gate.url, context);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return failed(`"${stripUserInfo(url)}" is not a valid URL`);
  }
  const shown = `${gate.method} ${stripUserInfo(parsed.href)}`;

  const headers = new Headers();
  const secrets: string[] = [];
  try {
    for (const [name, value] of Object.entries(gate.headers)) headers.set(name, value);
    for (const [name, variable] of Object.entries(gate.headersFromEnv)) {
      const value = env[variable];
      if (value === undefined || value === "") {
        return failed(`${shown} not sent: environment variable ${variable} is not set (header ${name})`);
      }
      headers.set(name, value);
      secrets.push(value);
    }
  } catch (error) {
    return failed(`${shown} not sent: invalid header: ${redact((error as Error).message, secrets)}`);
  }
  if (parsed.username || parsed.password) {
    // fetch refuses URLs with credentials: send them as Basic authentication instead.
    const user = decodeURIComponent(parsed.username);
    const password = decodeURIComponent(parsed.password);
    secrets.push(password, user);
    if (!headers.has("authorization")) {
      headers.set("authorization", `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`);
    }
    parsed.username = "";
    parsed.password = "";
  }

  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([context.signal, timeout]);
  try {
    const response = await fetch(parsed, {
      method: gate.method,
      headers,
      body: gate.method === "POST" ? gate.body : undefined,
      signal,
    });
    const { text, truncated } = await readBodyStart(response, maxBodyBytes);
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
    const body =
      text.length > 0 ? `\n${redact(text, secrets)}${truncated ? "\n[… body truncated …]" : ""}` : "";
    return {
      status: response.status >= 200 && response.status < 300 ? "passed" : "failed",
      output: `${shown} → ${status} in ${elapsed()} ms${body}`,
      durationMs: elapsed(),
    };
  } catch (error) {
    if (context.signal.aborted) context.signal.throwIfAborted();
    if (timeout.aborted) return failed(`${shown} → timed out after ${formatDuration(timeoutMs)}`);
    return failed(`${shown} → ${redact(networkFailure(error), secrets)}`);
  }
}

function fillUrl(template: string, context: GateContext): string {
  return fillPlaceholders(template, context, encodeURIComponent);
}

/** Removes `user:password@` from a URL for display. */
function stripUserInfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, "$1");
}

function redact(text: string, secrets: string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join(REDACTED);
  }
  return result;
}

/** A failed request in words: a known cause, or `request failed: …`. */
function networkFailure(error: unknown): string {
  const { text, known } = describeNetworkError(error);
  return known ? text : `request failed: ${text}`;
}
