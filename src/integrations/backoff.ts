/**
 * Retry pacing for outbound calls: exponential backoff with full jitter and a cap, and a sleep
 * that an `AbortSignal` cuts short.
 */

import { jitteredBackoff } from "../domain/backoff.js";

export interface BackoffOptions {
  /** Delay before the first retry, before jitter. @default 100 */
  baseMs?: number;
  /** Upper bound of any one delay. @default 2000 */
  capMs?: number;
  /** Source of randomness in [0, 1); injectable so tests can pin it. @default Math.random */
  random?: () => number;
}

/**
 * The delay before retry number `attempt` (1 for the first retry): a random value between half
 * and all of `min(cap, base * 2^(attempt-1))` (see {@link jitteredBackoff}).
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  return jitteredBackoff(
    attempt,
    { baseMs: options.baseMs ?? 100, capMs: options.capMs ?? 2000 },
    options.random ?? Math.random,
  );
}

/**
 * Resolves after `ms`, or rejects with the signal's reason as soon as it aborts.
 * @throws the signal's reason (an `AbortError` by default) when aborted before or during the wait.
 */
export function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
