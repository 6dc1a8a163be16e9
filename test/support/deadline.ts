/**
 * Waiting with a bound, for tests that watch other processes: never a bare sleep, always "until
 * this happens, or fail after N ms saying what did not happen".
 */

/** Thrown when something a test waited for did not happen in time. */
export class DeadlineError extends Error {
  override readonly name = "DeadlineError";
}

/**
 * Resolves with `promise`, or rejects with a {@link DeadlineError} saying `what` did not happen
 * within `timeoutMs`. The timer never keeps the process alive.
 * @throws {DeadlineError} when the deadline passes first.
 */
export async function withDeadline<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`${what}: not within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
