/**
 * Retry pacing for outbound calls: exponential backoff with full jitter and a cap, and a sleep
 * that an `AbortSignal` cuts short.
 */

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
 * and all of `min(cap, base * 2^(attempt-1))`, so concurrent writers that collided spread out.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 100;
  const cap = options.capMs ?? 2000;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
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
