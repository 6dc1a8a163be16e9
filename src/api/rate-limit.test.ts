import { describe, expect, it } from "vitest";
import { TokenBucketLimiter } from "./rate-limit.js";

/** A limiter on a clock that moves only when the test says so. */
function limiterAt(start = 1_000) {
  let now = start;
  const limiter = new TokenBucketLimiter({ now: () => now });
  return {
    limiter,
    advance(ms: number) {
      now += ms;
    },
  };
}

const THREE_PER_MINUTE = { capacity: 3, windowMs: 60_000 };

describe("TokenBucketLimiter", () => {
  it("lets a burst of `capacity` through, then refuses with the time until the next request", () => {
    const { limiter } = limiterAt();
    expect(limiter.take("a", THREE_PER_MINUTE)).toEqual({ allowed: true, remaining: 2 });
    expect(limiter.take("a", THREE_PER_MINUTE)).toEqual({ allowed: true, remaining: 1 });
    expect(limiter.take("a", THREE_PER_MINUTE)).toEqual({ allowed: true, remaining: 0 });
    const refused = limiter.take("a", THREE_PER_MINUTE);
    expect(refused.allowed).toBe(false);
    // Refilled evenly: one request every 20 s.
    expect(refused.allowed === false && refused.retryAfterMs).toBeCloseTo(20_000, 6);
  });

  it("refills evenly over the window and never beyond the capacity", () => {
    const { limiter, advance } = limiterAt();
    for (let i = 0; i < 3; i++) limiter.take("a", THREE_PER_MINUTE);
    advance(19_999);
    expect(limiter.take("a", THREE_PER_MINUTE).allowed).toBe(false);
    advance(1);
    expect(limiter.take("a", THREE_PER_MINUTE).allowed).toBe(true);
    const refused = limiter.take("a", THREE_PER_MINUTE);
    expect(refused.allowed === false && refused.retryAfterMs).toBeCloseTo(20_000, 6);

    advance(10 * 60_000);
    const burst = Array.from({ length: 4 }, () => limiter.take("a", THREE_PER_MINUTE).allowed);
    expect(burst).toEqual([true, true, true, false]);
  });

  it("keeps a bucket per key", () => {
    const { limiter } = limiterAt();
    for (let i = 0; i < 3; i++) limiter.take("token:a", THREE_PER_MINUTE);
    expect(limiter.take("token:a", THREE_PER_MINUTE).allowed).toBe(false);
    expect(limiter.take("token:b", THREE_PER_MINUTE)).toEqual({ allowed: true, remaining: 2 });
  });

  it("refused attempts do not push the next allowed request further away", () => {
    const { limiter, advance } = limiterAt();
    for (let i = 0; i < 3; i++) limiter.take("a", THREE_PER_MINUTE);
    for (let i = 0; i < 50; i++) {
      advance(100);
      expect(limiter.take("a", THREE_PER_MINUTE).allowed).toBe(false);
    }
    advance(15_000);
    expect(limiter.take("a", THREE_PER_MINUTE).allowed).toBe(true);
  });

  it("forgets idle buckets past maxKeys without forgetting busy ones", () => {
    let now = 0;
    const limiter = new TokenBucketLimiter({ now: () => now, maxKeys: 2 });
    const one = { capacity: 1, windowMs: 1_000 };
    limiter.take("busy", one);
    now = 2_000;
    limiter.take("idle-then-busy", one);
    limiter.take("busy", one);
    // A third key sweeps nothing busy: both buckets are empty now.
    limiter.take("new", one);
    expect(limiter.take("busy", one).allowed).toBe(false);
    expect(limiter.take("idle-then-busy", one).allowed).toBe(false);
  });

  it("refuses a limit that could never let anything through", () => {
    const { limiter } = limiterAt();
    expect(() => limiter.take("a", { capacity: 0, windowMs: 1_000 })).toThrow(RangeError);
    expect(() => limiter.take("a", { capacity: 1, windowMs: 0 })).toThrow(RangeError);
  });
});
