/** Summary statistics of timings in milliseconds. */

/** Mean, p50, p99 and max of `samples` (ms), rounded to microseconds. */
export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const pick = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const round = (ms) => Math.round(ms * 1000) / 1000;
  return {
    mean: round(sorted.reduce((sum, x) => sum + x, 0) / sorted.length),
    p50: round(pick(0.5)),
    p99: round(pick(0.99)),
    max: round(sorted[sorted.length - 1]),
  };
}
