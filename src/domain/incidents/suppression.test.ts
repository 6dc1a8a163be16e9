import { describe, expect, it } from "vitest";
import { type RampFacts, suppressionOf } from "./suppression.js";

const windows = [{ name: "canary-noise", match: { alertname: "CanaryLatency" }, window: "15m" }];
const ramp = (overrides: Partial<RampFacts> = {}): RampFacts => ({
  waveStartedAt: "2026-03-02T09:00:00.000Z",
  canary: false,
  fullWeightAt: null,
  rollingOut: true,
  ...overrides,
});
const alert = (startsAt: string, alertname = "CanaryLatency") => ({
  labels: { alertname, severity: "critical" },
  startsAt,
});

describe("suppressionOf", () => {
  it("suppresses a matching alert from the wave's start until just before the window ends", () => {
    expect(suppressionOf(alert("2026-03-02T09:00:00.000Z"), ramp(), windows)).toBe("canary-noise");
    expect(suppressionOf(alert("2026-03-02T09:14:59.999Z"), ramp(), windows)).toBe("canary-noise");
    expect(suppressionOf(alert("2026-03-02T09:15:00.000Z"), ramp(), windows)).toBeNull();
    expect(suppressionOf(alert("2026-03-02T08:59:59.999Z"), ramp(), windows)).toBeNull();
  });

  it("suppresses during a canary ramp however long it lasts, until full weight", () => {
    const ramping = ramp({ canary: true });
    expect(suppressionOf(alert("2026-03-02T11:00:00.000Z"), ramping, windows)).toBe("canary-noise");
    const full = ramp({ canary: true, fullWeightAt: "2026-03-02T10:00:00.000Z" });
    expect(suppressionOf(alert("2026-03-02T09:59:59.999Z"), full, windows)).toBe("canary-noise");
    expect(suppressionOf(alert("2026-03-02T10:00:00.000Z"), full, windows)).toBeNull();
  });

  it("needs every label of the window and a train rolling out", () => {
    expect(suppressionOf(alert("2026-03-02T09:01:00.000Z", "HighErrorRate"), ramp(), windows)).toBeNull();
    expect(suppressionOf(alert("2026-03-02T09:01:00.000Z"), ramp({ rollingOut: false }), windows)).toBeNull();
    expect(
      suppressionOf(alert("2026-03-02T09:01:00.000Z"), ramp({ waveStartedAt: null }), windows),
    ).toBeNull();
    expect(suppressionOf(alert("2026-03-02T09:01:00.000Z"), ramp(), [])).toBeNull();
  });
});
