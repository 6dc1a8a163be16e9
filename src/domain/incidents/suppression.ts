/**
 * Expected noise: a line's `incidents.suppress` windows. An alert whose labels match a window and
 * that starts while the train it is attributed to ramps a canary wave (deploying a canary wave,
 * before its traffic reaches full weight) or less than `window` after the train's current wave
 * started, is recorded as `alert.suppressed` with the window's name and does nothing else.
 */
import type { AlertSuppressionConfig } from "../config/schema.js";
import { parseDuration } from "../duration.js";
import type { Instant } from "../model.js";

/** Where the alert's train stands in its rollout. */
export interface RampFacts {
  /** When its current wave started (`depart` or `next_wave`); null when it never departed. */
  waveStartedAt: Instant | null;
  /** The current wave's strategy is a canary. */
  canary: boolean;
  /**
   * When the current wave reached full weight (`wave_deployed`); null while it still ramps.
   * Ignored unless after `waveStartedAt`.
   */
  fullWeightAt: Instant | null;
  /** The train is rolling out now (deploying or verifying, or paused on the way). */
  rollingOut: boolean;
}

/** True when every label of `match` is on the alert with the same value. */
export function labelsMatch(
  match: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(match).every(([name, value]) => labels[name] === value);
}

/**
 * The name of the first suppression window the alert falls in, or null. Boundaries: an alert
 * starting exactly when the wave started is inside; one starting exactly `window` after it, or
 * exactly when the canary reached full weight, is outside.
 */
export function suppressionOf(
  alert: { labels: Readonly<Record<string, string>>; startsAt: Instant },
  ramp: RampFacts,
  windows: readonly AlertSuppressionConfig[],
): string | null {
  if (!ramp.rollingOut || ramp.waveStartedAt === null) return null;
  const startsAt = Date.parse(alert.startsAt);
  const waveStarted = Date.parse(ramp.waveStartedAt);
  if (Number.isNaN(startsAt) || startsAt < waveStarted) return null;
  const fullWeight = ramp.fullWeightAt === null ? null : Date.parse(ramp.fullWeightAt);
  const ramping = ramp.canary && (fullWeight === null || fullWeight < waveStarted || startsAt < fullWeight);
  for (const window of windows) {
    if (!labelsMatch(window.match, alert.labels)) continue;
    if (ramping || startsAt < waveStarted + parseDuration(window.window)) return window.name;
  }
  return null;
}
