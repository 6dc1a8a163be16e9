/**
 * The signature of the requests Railyard's webhook deployer sends, and its check for receivers.
 *
 * Scheme (like Stripe's): with `timestamp` the Unix time in seconds when the request was sent
 * and `body` the exact bytes of the request body (empty for a GET),
 *
 *     X-Railyard-Timestamp: <timestamp>
 *     X-Railyard-Signature: sha256=<lowercase hex of HMAC-SHA256(secret, "<timestamp>." + body)>
 *
 * A receiver recomputes the HMAC over the raw body it received (before any JSON parsing),
 * compares in constant time, and refuses timestamps too far from its own clock, so that a
 * captured request cannot be replayed later.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** The header carrying the Unix time (seconds) the signature covers. */
export const TIMESTAMP_HEADER = "X-Railyard-Timestamp";
/** The header carrying `sha256=<hex>`. */
export const SIGNATURE_HEADER = "X-Railyard-Signature";

/**
 * The `X-Railyard-Signature` value for a request sent at `timestamp` (Unix seconds) with `body`.
 * @throws {Error} when the secret is empty (an empty key would let anyone sign).
 */
export function signWebhook(secret: string, timestamp: number | string, body: string | Uint8Array): string {
  if (secret === "") throw new Error("cannot sign a webhook with an empty secret");
  return `sha256=${hmac(secret, String(timestamp), body).toString("hex")}`;
}

export interface VerifyWebhookOptions {
  /** How far the timestamp may be from `now`, either way. @default 300 */
  toleranceSeconds?: number;
  /** The receiver's clock. @default new Date() */
  now?: Date;
}

/**
 * True when `header` (`X-Railyard-Signature`) is the signature of `body` sent at `timestamp`
 * (`X-Railyard-Timestamp`) under `secret`, and the timestamp lies within `toleranceSeconds` of
 * `now`. Pass the body exactly as received. Compares in constant time. False when the secret is
 * empty, the timestamp is missing or not whole seconds, or the header is missing or malformed.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | number | undefined,
  body: string | Uint8Array,
  header: string | undefined,
  options: VerifyWebhookOptions = {},
): boolean {
  if (secret === "" || timestamp === undefined || header === undefined) return false;
  const stamp = String(timestamp).trim();
  if (!/^\d{1,12}$/.test(stamp)) return false;
  const nowSeconds = (options.now ?? new Date()).getTime() / 1000;
  if (Math.abs(nowSeconds - Number(stamp)) > (options.toleranceSeconds ?? 300)) return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match) return false;
  const given = Buffer.from(match[1]!, "hex");
  const expected = hmac(secret, stamp, body);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function hmac(secret: string, timestamp: string, body: string | Uint8Array): Buffer {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest();
}
