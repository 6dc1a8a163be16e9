/**
 * One POST of a notification to a webhook URL, and what its answer means for retrying: 2xx
 * delivered; 408, 425, 429 (with `Retry-After`) and 5xx, no answer or a timeout are retried;
 * other 4xx and redirects are permanent. Error texts never contain the URL (it can hold a
 * secret, as Slack's webhook URLs do).
 */
import type { SendResult } from "../../engine/ports.js";
import { readBodyStart } from "../http/read-body-start.js";
import { describeNetworkError } from "../network-error.js";

/** Options of {@link postNotification}. */
export interface PostOptions {
  /** Where, for messages: e.g. `slack channel releases`. */
  what: string;
  url: string;
  body: string;
  headers: Record<string, string>;
  signal: AbortSignal;
  /** The fetch implementation. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** For HTTP-date `Retry-After` values. @default () => new Date() */
  now?: () => Date;
}

/** Milliseconds a `Retry-After` value asks to wait (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date = new Date()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** Replaces every occurrence of the URL (and of its path and query, which carry tokens) in `text`. */
export function redactUrl(text: string, url: string): string {
  let out = text.split(url).join("<url>");
  try {
    const parsed = new URL(url);
    const tail = `${parsed.pathname}${parsed.search}`;
    if (tail.length > 1) out = out.split(tail).join("<path>");
  } catch {
    // not a URL: nothing more to hide
  }
  return out;
}

/** POSTs and classifies the answer. Never throws. */
export async function postNotification(options: PostOptions): Promise<SendResult> {
  const doFetch = options.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await doFetch(options.url, {
      method: "POST",
      headers: options.headers,
      body: options.body,
      redirect: "manual",
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal.aborted) {
      return { ok: false, error: `${options.what}: no answer before the delivery timeout (routing.timeout)` };
    }
    const { text } = describeNetworkError(error);
    return { ok: false, error: redactUrl(`${options.what}: ${text}`, options.url) };
  }
  let detail = "";
  try {
    const { text } = await readBodyStart(response, 300);
    detail = text.trim().replace(/\s+/g, " ");
  } catch {
    // the body is only evidence
  }
  const status = response.status;
  if (status >= 200 && status < 300) return { ok: true };
  const said = detail ? `: ${redactUrl(detail, options.url)}` : "";
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), options.now?.() ?? new Date());
    return {
      ok: false,
      error: `${options.what} answered 429 Too Many Requests${said}`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  if (status >= 500 || status === 408 || status === 425) {
    return { ok: false, error: `${options.what} answered HTTP ${status}${said}` };
  }
  if (status >= 300 && status < 400) {
    return {
      ok: false,
      permanent: true,
      error: `${options.what} answered a redirect (HTTP ${status}); notifications do not follow redirects: configure the final URL`,
    };
  }
  return {
    ok: false,
    permanent: true,
    error: `${options.what} refused the message (HTTP ${status})${said}; check the channel's URL and the receiver's configuration`,
  };
}
