import { describe, expect, it } from "vitest";
import { abortableDelay, backoffDelay } from "./backoff.js";

describe("backoffDelay", () => {
  it("doubles up to the cap, with jitter between half and all of it", () => {
    const low = () => 0;
    const high = () => 0.999999;
    expect(
      [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, { baseMs: 100, capMs: 1000, random: high })),
    ).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect([1, 2, 3, 6].map((n) => backoffDelay(n, { baseMs: 100, capMs: 1000, random: low }))).toEqual([
      50, 100, 200, 500,
    ]);
  });
});

describe("abortableDelay", () => {
  it("rejects at once with the reason when the signal aborts", async () => {
    const controller = new AbortController();
    const pending = abortableDelay(60_000, controller.signal);
    controller.abort(new Error("shutting down"));
    await expect(pending).rejects.toThrow("shutting down");
    await expect(abortableDelay(60_000, AbortSignal.abort())).rejects.toMatchObject({ name: "AbortError" });
  });
});
