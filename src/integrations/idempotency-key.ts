/**
 * The idempotency keys the engine gives deployers: `<train>/<step key>#<attempt>`, for example
 * `web-42/deploy/canary/api#1`. The same key comes back after a crash, so a side effect already
 * made under it is found instead of repeated.
 */

export interface IdempotencyKey {
  /** `web-42` */
  trainId: string;
  /** `deploy/canary/api`: the step, the same for every attempt. */
  stepKey: string;
  /** `1` */
  attempt: number;
}

/** Thrown by {@link parseIdempotencyKey} when a key does not have the form `<train>/<step key>#<attempt>`. */
export class InvalidIdempotencyKeyError extends Error {
  override readonly name = "InvalidIdempotencyKeyError";
  constructor(readonly key: string) {
    super(
      `"${key}" is not an idempotency key: expected <train>/<step key>#<attempt>, e.g. web-42/deploy/canary/api#1`,
    );
  }
}

/**
 * Splits an idempotency key into train ID, step key and attempt.
 * @throws {InvalidIdempotencyKeyError} when the key is malformed.
 */
export function parseIdempotencyKey(key: string): IdempotencyKey {
  const match = /^([^/#\s]+)\/([^#\s]+)#([1-9]\d*)$/.exec(key);
  if (!match) throw new InvalidIdempotencyKeyError(key);
  return { trainId: match[1]!, stepKey: match[2]!, attempt: Number(match[3]) };
}
