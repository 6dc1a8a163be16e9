/**
 * Retry pacing: exponential backoff with full jitter and a floor, capped. Pure: the randomness is
 * a parameter, so the engine (notification retries, on the engine's clock) and the integrations
 * (outbound calls, `src/integrations/backoff.ts`) pace retries the same way.
 */

/**
 * The delay before retry number `attempt` (1 for the first retry): between half and all of
 * `min(capMs, baseMs * 2^(attempt-1))`, placed by `random()` in [0, 1), so concurrent writers
 * that collided spread out.
 */
export function jitteredBackoff(
  attempt: number,
  { baseMs, capMs }: { baseMs: number; capMs: number },
  random: () => number,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
