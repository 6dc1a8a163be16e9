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

/** mulberry32: a small seeded generator of numbers in [0, 1), so every run measures the same data. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
