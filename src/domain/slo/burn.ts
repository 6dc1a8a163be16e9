/**
 * Error budgets and burn rates of an SLO with a ratio SLI, and the verdict of an `slo` gate: the
 * share of the error budget left over the SLO's window, and the multi-window, multi-burn-rate
 * alerts of the Google SRE workbook (chapter 5, "Alerting on SLOs"). Pure: the gate runner
 * (`src/integrations/prometheus/slo-gate.ts`) measures the error ratios.
 *
 * Vocabulary: the *error ratio* is bad events / all events over a window; the *error budget* is
 * the error ratio the objective allows (1 − objective); the *burn rate* is how fast the budget is
 * spent, error ratio / (1 − objective): at 1 the budget lasts exactly the SLO's window.
 */
import { parseDuration } from "../duration.js";

/** A multi-window burn-rate alert: it fires while both windows burn faster than `factor`. */
export interface BurnRateAlert {
  /** The long window, e.g. `1h`: the burn is sustained. */
  long: string;
  /** The short window, e.g. `5m`: the burn is still going on (the alert resets quickly). */
  short: string;
  /** The burn rate above which it fires, e.g. 14.4. */
  factor: number;
}

/** The window the {@link DEFAULT_BURN_RATES} were computed for. */
export const DEFAULT_BURN_RATES_WINDOW = "30d";

/**
 * The Google SRE workbook's alerts for a 30-day window: 14.4× over 1h and 5m (2 % of the budget
 * in an hour), 6× over 6h and 30m (5 % in six hours), 1× over 3d and 6h (10 % in three days).
 * An SLO over another window uses this table as is unless it configures `burnRates`: the factors
 * then spend a slightly different share of its budget (14.4× over 1h spends 2.1 % of a 28-day
 * budget), which the gate's evidence says.
 */
export const DEFAULT_BURN_RATES: readonly BurnRateAlert[] = Object.freeze([
  Object.freeze({ long: "1h", short: "5m", factor: 14.4 }),
  Object.freeze({ long: "6h", short: "30m", factor: 6 }),
  Object.freeze({ long: "3d", short: "6h", factor: 1 }),
]);

/**
 * The burn rate of an error ratio: `errorRatio / (1 − objective)`. An objective of 0.999 allows
 * an error ratio of 0.001, so an error ratio of 0.0144 burns at 14.4.
 */
export function burnRate(objective: number, errorRatio: number): number {
  return errorRatio / (1 - objective);
}

/**
 * The share of the error budget left after a window with this error ratio:
 * `1 − errorRatio / (1 − objective)`. 1 is untouched, 0 is spent, below 0 is overspent.
 */
export function budgetRemaining(objective: number, errorRatio: number): number {
  return 1 - burnRate(objective, errorRatio);
}

/**
 * An error ratio as measured over one window: a number (0 to 1), `NaN` when the window held no
 * events (total 0), or `null` when the SLI's queries returned no series (no data at all).
 */
export type MeasuredRatio = number | null;

/** How far an error ratio may stray outside 0..1 (floating-point noise) before it is refused. */
const RATIO_TOLERANCE = 1e-9;

/**
 * The error ratio of one window from its SLI counts: `bad / total`, or `1 − good / total`.
 *
 * - `total` without series → `null` (no data); `total` 0 or NaN → `NaN` (no events).
 * - A numerator without series counts as 0 events: a counter of errors that never
 *   incremented has no series at all (so a missing `bad` reads 0, a missing `good` reads 1).
 * - Values just outside 0..1 from floating-point noise are clamped; others are kept, and
 *   {@link evaluateSlo} refuses them.
 */
export function errorRatioOf(
  numerator: { kind: "bad" | "good"; value: number | null },
  total: number | null,
): MeasuredRatio {
  if (total === null) return null;
  if (Number.isNaN(total) || total === 0) return Number.NaN;
  const share = (numerator.value ?? 0) / total;
  const ratio = numerator.kind === "bad" ? share : 1 - share;
  if (ratio < 0 && ratio > -RATIO_TOLERANCE) return 0;
  if (ratio > 1 && ratio < 1 + RATIO_TOLERANCE) return 1;
  return ratio;
}

/** A burn-rate alert with the error ratios measured over its two windows. */
export interface MeasuredBurnRateAlert extends BurnRateAlert {
  longRatio: MeasuredRatio;
  shortRatio: MeasuredRatio;
}

/** What {@link evaluateSlo} judges. */
export interface SloMeasurements {
  /** Target share of good events, e.g. 0.999. */
  objective: number;
  /** The SLO's window as configured, e.g. `28d` (shown in sentences). */
  window: string;
  /** The error ratio over the SLO's window. */
  budgetRatio: MeasuredRatio;
  /** The burn-rate alerts with their measured ratios (ignored unless `burnRates`). */
  windows: readonly MeasuredBurnRateAlert[];
}

/** The gate's thresholds. */
export interface SloThresholds {
  /** Least share of the budget that must remain (0 to 1); less fails. */
  minBudgetRemaining: number;
  /** Whether a firing burn-rate alert fails. */
  burnRates: boolean;
}

/** A burn-rate alert that fires, with the burn rates measured over its windows. */
export interface FiringAlert extends BurnRateAlert {
  longBurn: number;
  shortBurn: number;
}

/** The verdict of an `slo` gate. */
export interface SloEvaluation {
  verdict: "pass" | "fail" | "inconclusive";
  /** For people, ending with the verdict: `budget 62% left (floor 25%), no burn-rate alert: pass`. */
  sentence: string;
  /** Share of the budget left over the SLO's window; null when it could not be measured. */
  budgetRemaining: number | null;
  /** The alerts that fire (empty when `burnRates` is off). */
  firing: FiringAlert[];
  /** One line per fact: the objective, the budget, each alert with its burn rates. */
  evidence: string[];
}

type Reading =
  | { kind: "value"; ratio: number; burn: number }
  | { kind: "no-data" }
  | { kind: "no-events" }
  | { kind: "out-of-range"; ratio: number };

function read(objective: number, ratio: MeasuredRatio): Reading {
  if (ratio === null) return { kind: "no-data" };
  if (Number.isNaN(ratio)) return { kind: "no-events" };
  if (!(ratio >= 0 && ratio <= 1)) return { kind: "out-of-range", ratio };
  return { kind: "value", ratio, burn: burnRate(objective, ratio) };
}

/**
 * Judges an SLO from the error ratios measured over its window and its burn-rate windows.
 *
 * - **fail** when the budget left is below `minBudgetRemaining`, or (with `burnRates`) an alert
 *   fires: both of its windows burn faster than its factor (strictly above, as the workbook's
 *   `>` rules);
 * - otherwise **inconclusive** when a window needed has no data (no series), the SLO's window
 *   had no events (total 0: nothing to judge), or a ratio lies outside 0..1 (the good or bad
 *   query does not count the same events as the total);
 * - otherwise **pass**.
 *
 * A burn-rate window without events burns nothing: its alert does not fire (as a Prometheus
 * alert on `NaN` does not), and the evidence says so.
 */
export function evaluateSlo(measured: SloMeasurements, thresholds: SloThresholds): SloEvaluation {
  const { objective, window } = measured;
  const failures: string[] = [];
  const unknowns: string[] = [];
  /** Windows whose queries returned no series, in the order measured. */
  const missing: string[] = [];
  const measuredSpans = new Set([window]);
  const evidence: string[] = [
    `objective ${formatPercent(objective, 3)} over ${window}: the error budget is ${formatPercent(1 - objective, 3)} of the events`,
  ];
  const floor = formatPercent(thresholds.minBudgetRemaining);

  const budget = read(objective, measured.budgetRatio);
  let remaining: number | null = null;
  switch (budget.kind) {
    case "value": {
      remaining = 1 - budget.burn;
      const left = percentAgainst(remaining, thresholds.minBudgetRemaining);
      evidence.push(
        `error ratio over ${window}: ${formatRatio(budget.ratio)} (burn rate ${formatBurn(budget.burn)}); budget ${left} left (floor ${floor})`,
      );
      if (remaining < thresholds.minBudgetRemaining) {
        failures.push(`budget ${left} left${remaining < 0 ? " (overspent)" : ""}, below the floor ${floor}`);
      }
      break;
    }
    case "no-data":
      evidence.push(`no data over ${window}: the SLI's queries returned no series`);
      missing.push(window);
      break;
    case "no-events":
      evidence.push(`no events over ${window} (total is 0): no budget to judge`);
      unknowns.push(`no events over ${window} (total is 0)`);
      break;
    case "out-of-range":
      evidence.push(outOfRange(budget.ratio, window));
      unknowns.push(outOfRange(budget.ratio, window));
      break;
  }

  const firing: FiringAlert[] = [];
  if (!thresholds.burnRates) {
    evidence.push("burn-rate alerts not checked (burnRates: false)");
  } else {
    for (const alert of measured.windows) {
      measuredSpans.add(alert.long).add(alert.short);
      const long = read(objective, alert.longRatio);
      const short = read(objective, alert.shortRatio);
      const name = `alert ${formatFactor(alert.factor)} over ${alert.long} and ${alert.short}`;
      const show = (r: Reading, span: string) => {
        switch (r.kind) {
          case "value":
            return burnAgainst(r.burn, alert.factor);
          case "no-data":
            return `no data over ${span}`;
          case "no-events":
            return `no events over ${span}`;
          case "out-of-range":
            return `error ratio ${formatRatio(r.ratio)} over ${span}`;
        }
      };
      const burns = `${show(long, alert.long)} and ${show(short, alert.short)}`;
      if (long.kind === "value" && short.kind === "value") {
        if (long.burn > alert.factor && short.burn > alert.factor) {
          firing.push({ ...alert, longBurn: long.burn, shortBurn: short.burn });
          evidence.push(`${name}: ${burns}, firing`);
          failures.push(
            `burning ${burnAgainst(long.burn, alert.factor)} over ${alert.long} and ${burnAgainst(short.burn, alert.factor)} over ${alert.short} (alert at ${formatFactor(alert.factor)})`,
          );
        } else {
          evidence.push(`${name}: ${burns}, not firing`);
        }
        continue;
      }
      for (const [r, span] of [
        [long, alert.long],
        [short, alert.short],
      ] as const) {
        if (r.kind === "no-data" && !missing.includes(span)) missing.push(span);
        if (r.kind === "out-of-range") unknowns.push(outOfRange(r.ratio, span));
      }
      const judged = [long, short].every((r) => r.kind === "value" || r.kind === "no-events");
      evidence.push(`${name}: ${burns}, ${judged ? "not firing" : "cannot be judged"}`);
    }
  }
  if (missing.length > 0) {
    unknowns.unshift(
      missing.length === measuredSpans.size && missing.length > 1
        ? `no data over any window (the SLI's queries returned no series over ${joinAnd(missing)})`
        : `no data over ${joinAnd(missing)} (the SLI's queries returned no series)`,
    );
  }

  let verdict: SloEvaluation["verdict"];
  let reasons: string;
  if (failures.length > 0) {
    verdict = "fail";
    reasons = failures.join("; ");
  } else if (unknowns.length > 0) {
    verdict = "inconclusive";
    reasons = [...new Set(unknowns)].join("; ");
  } else {
    verdict = "pass";
    const left =
      remaining === null
        ? ""
        : `budget ${percentAgainst(remaining, thresholds.minBudgetRemaining)} left (floor ${floor}), `;
    reasons = `${left}${thresholds.burnRates ? "no burn-rate alert" : "burn rates not checked"}`;
  }
  return { verdict, sentence: `${reasons}: ${verdict}`, budgetRemaining: remaining, firing, evidence };
}

/**
 * One line saying which burn-rate alerts apply: the configured ones, or the workbook's defaults
 * for a 30-day window, noting when the SLO's own window differs (the table is used as is).
 */
export function describeBurnRateTable(window: string, configured?: readonly BurnRateAlert[]): string {
  const list = (alerts: readonly BurnRateAlert[]) =>
    alerts.map((a) => `${formatFactor(a.factor)} over ${a.long} and ${a.short}`).join(", ");
  if (configured && configured.length > 0) return `burn-rate alerts (configured): ${list(configured)}`;
  const table = `burn-rate alerts: the Google SRE workbook's defaults for a 30-day window (${list(DEFAULT_BURN_RATES)})`;
  let same = false;
  try {
    same = parseDuration(window) === parseDuration(DEFAULT_BURN_RATES_WINDOW);
  } catch {
    same = false;
  }
  return same
    ? table
    : `${table}, used as is for this ${window} window (set burnRates on the SLO to tune them)`;
}

function outOfRange(ratio: number, span: string): string {
  return `error ratio ${formatRatio(ratio)} over ${span} is not between 0 and 1 (the good or bad query does not count the same events as total)`;
}

function joinAnd(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** `0.999` → `99.9%`, with up to `decimals` decimals (trailing zeros dropped). */
export function formatPercent(share: number, decimals = 1): string {
  return `${trim((share * 100).toFixed(decimals))}%`;
}

/** A budget share for a sentence, with enough decimals that it never reads equal to a floor it is not. */
function percentAgainst(share: number, floor: number): string {
  for (let decimals = 1; decimals <= 6; decimals++) {
    const shown = formatPercent(share, decimals);
    if (share === floor || shown !== formatPercent(floor, decimals)) return shown;
  }
  return formatPercent(share, 6);
}

/** A burn rate: `16.2x` (one decimal from 1 up), `0.38x` (two significant digits below 1). */
export function formatBurn(burn: number): string {
  if (!Number.isFinite(burn)) return `${burn}x`;
  if (Math.abs(burn) >= 1) return `${burn.toFixed(1)}x`;
  return `${trim(burn.toPrecision(2))}x`;
}

/** A burn rate for a sentence beside `factor`, never reading equal to it when it is not. */
function burnAgainst(burn: number, factor: number): string {
  const shown = formatBurn(burn);
  if (burn === factor || Number(shown.slice(0, -1)) !== factor) return shown;
  for (let digits = 3; digits <= 12; digits++) {
    const precise = trim(burn.toPrecision(digits));
    if (Number(precise) !== factor) return `${precise}x`;
  }
  return shown;
}

function formatFactor(factor: number): string {
  return `${factor}x`;
}

/** An error ratio with 3 significant digits: `0.16`, `0.000381`. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return String(ratio);
  if (ratio === 0) return "0";
  return String(Number(ratio.toPrecision(3)));
}

function trim(fixed: string): string {
  return fixed.includes(".") && !/e/i.test(fixed) ? fixed.replace(/\.?0+$/, "") : fixed;
}
