/**
 * Rate limits on mutations: a token bucket per key (a token, a subject, a client address),
 * holding `capacity` requests and refilled evenly over `windowMs`. A full bucket lets a burst of
 * `capacity` through; after that, one request per `windowMs / capacity`.
 *
 * Limits protect the real server, so they count real (monotonic) time, not the engine's clock
 * (which may be simulated and stand still); the time source is injectable for tests.
 */
import { performance } from "node:perf_hooks";

/** How many requests a key may make per window. */
export interface RateLimit {
  /** Requests a full bucket holds (the largest burst). */
  capacity: number;
  /** Milliseconds in which an empty bucket fills up again. */
  windowMs: number;
}

/** What {@link TokenBucketLimiter.take} decided. */
export type RateDecision =
  | { allowed: true /** Requests left in the bucket after this one. */; remaining: number }
  | { allowed: false /** Milliseconds until the bucket holds one request again. */; retryAfterMs: number };

export interface TokenBucketOptions {
  /** Monotonic milliseconds. @default performance.now */
  now?: () => number;
  /**
   * Buckets kept before idle (full) ones are swept, so clients that come once do not grow the
   * map forever. @default 10000
   */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets by key, refilled continuously. */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(options: TokenBucketOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  /**
   * Takes one request from `key`'s bucket under `limit` (read at every call, so a configuration
   * reload applies at once).
   * @throws {RangeError} when the limit's capacity or window is not positive
   */
  take(key: string, limit: RateLimit): RateDecision {
    if (!(limit.capacity > 0) || !(limit.windowMs > 0)) {
      throw new RangeError(`a rate limit needs a positive capacity and window, not ${JSON.stringify(limit)}`);
    }
    const now = this.now();
    const perMs = limit.capacity / limit.windowMs;
    const bucket = this.buckets.get(key);
    const tokens = bucket
      ? Math.min(limit.capacity, bucket.tokens + Math.max(0, now - bucket.at) * perMs)
      : limit.capacity;
    if (tokens >= 1) {
      if (!bucket && this.buckets.size >= this.maxKeys) this.sweep(now, limit);
      this.buckets.set(key, { tokens: tokens - 1, at: now });
      return { allowed: true, remaining: Math.floor(tokens - 1) };
    }
    this.buckets.set(key, { tokens, at: now });
    return { allowed: false, retryAfterMs: (1 - tokens) / perMs };
  }

  /** Forgets buckets that have filled up again: they behave exactly like new ones. */
  private sweep(now: number, limit: RateLimit): void {
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.at >= limit.windowMs) this.buckets.delete(key);
    }
  }
}
