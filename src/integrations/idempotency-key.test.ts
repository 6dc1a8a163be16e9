import { describe, expect, it } from "vitest";
import { InvalidIdempotencyKeyError, parseIdempotencyKey } from "./idempotency-key.js";

describe("parseIdempotencyKey", () => {
  it("splits train, step key and attempt", () => {
    expect(parseIdempotencyKey("web-42/deploy/canary/api#1")).toEqual({
      trainId: "web-42",
      stepKey: "deploy/canary/api",
      attempt: 1,
    });
    expect(parseIdempotencyKey("web-42/integration/api#12").attempt).toBe(12);
  });

  it("refuses keys without train, step or attempt", () => {
    for (const key of [
      "",
      "web-42",
      "web-42/deploy",
      "web-42#1",
      "/deploy#1",
      "web-42/deploy#0",
      "web-42/deploy#x",
    ]) {
      expect(() => parseIdempotencyKey(key)).toThrow(InvalidIdempotencyKeyError);
    }
  });
});
