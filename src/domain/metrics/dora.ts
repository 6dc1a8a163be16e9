/**
 * The four DORA keys' performance clusters. Thresholds after the 2023 Accelerate State of DevOps
 * report (DORA, Google Cloud), table "Software delivery performance": elite deploys on demand
 * (several times a day), restores in under an hour, changes in under a day, with about 5 % of
 * changes failing; high between once a day and once a week, under a day to restore, a day to a
 * week of lead time, about 10 %; medium between once a week and once a month, a day to a week to
 * restore, a week to a month of lead time, about 15 %. The report's ranges overlap at the low end
 * (low and medium share a deployment-frequency range); here they are made contiguous, each
 * cluster starting where the better one ends, so every figure falls into exactly one.
 */
import type { DoraBucket } from "./types.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** A month as the report means it: 30 days. */
const MONTH = 30 * DAY;

/** Deployment frequency: elite ≥ 1 a day, high ≥ 1 a week, medium ≥ 1 a month, else low. */
export function deploymentFrequencyBucket(perDay: number): DoraBucket {
  if (perDay >= 1) return "elite";
  if (perDay >= 1 / 7) return "high";
  if (perDay >= 1 / 30) return "medium";
  return "low";
}

/** Lead time for changes: elite < 1 day, high < 1 week, medium < 1 month (30 days), else low. */
export function leadTimeBucket(ms: number): DoraBucket {
  if (ms < DAY) return "elite";
  if (ms < WEEK) return "high";
  if (ms < MONTH) return "medium";
  return "low";
}

/** Change failure rate (a share, 0–1): elite ≤ 5 %, high ≤ 10 %, medium ≤ 15 %, else low. */
export function changeFailureRateBucket(rate: number): DoraBucket {
  if (rate <= 0.05) return "elite";
  if (rate <= 0.1) return "high";
  if (rate <= 0.15) return "medium";
  return "low";
}

/** Time to restore service: elite < 1 hour, high < 1 day, medium < 1 week, else low. */
export function timeToRestoreBucket(ms: number): DoraBucket {
  if (ms < HOUR) return "elite";
  if (ms < DAY) return "high";
  if (ms < WEEK) return "medium";
  return "low";
}
