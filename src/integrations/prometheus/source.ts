/**
 * What the Prometheus gates and probes share: a configured source turned into a client (its
 * secret headers read from the environment), the single value of an instant query, an SLO's error
 * ratio, and the outcome of a gate that could not be judged.
 */
import type { PrometheusSourceConfig, RailyardConfig, SloConfig } from "../../domain/config/schema.js";
import { parseDuration } from "../../domain/duration.js";
import { errorRatioOf } from "../../domain/slo/burn.js";
import { fillWindow } from "../../domain/slo/promql-window.js";
import type { GateOutcome } from "../../engine/ports.js";
import { createPrometheusClient, type PrometheusClient } from "./client.js";

/** A client for `source`, and the header values to redact from any output; or why there is none. */
export type SourceClient = { client: PrometheusClient; secrets: string[] } | { problem: string };

/**
 * Builds the client of the Prometheus source named `name`, reading `headersFromEnv` from `env`.
 * A header whose variable is unset is a problem (the gate is not queried), never an empty header.
 */
export function clientForSource(
  name: string,
  source: PrometheusSourceConfig,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  fetchImpl?: typeof fetch,
): SourceClient {
  const headers: Record<string, string> = {};
  const secrets: string[] = [];
  for (const [header, variable] of Object.entries(source.headersFromEnv)) {
    const value = env[variable];
    if (value === undefined || value === "") {
      return {
        problem: `not queried: environment variable ${variable} is not set (header ${header} of Prometheus source "${name}")`,
      };
    }
    headers[header] = value;
    secrets.push(value);
  }
  try {
    const client = createPrometheusClient({
      url: source.url,
      timeoutMs,
      retries: source.retries,
      headers,
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
    });
    return { client, secrets };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

/** What the probes (error budget, SLO burn, error rate) are built with. */
export interface ProbeOptions {
  /** The configuration in force (read on every measurement, so reloads apply). */
  config: () => RailyardConfig;
  /** Where `headersFromEnv` are read. @default process.env */
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
}

/**
 * The client of the configured Prometheus source `name`, for a probe.
 * @throws when the source is not configured, or a header's variable is unset
 */
export function probeClient(options: ProbeOptions, config: RailyardConfig, name: string): PrometheusClient {
  const source = config.prometheus[name];
  if (!source) throw new Error(`no Prometheus "${name}": add it under \`prometheus:\``);
  const made = clientForSource(
    name,
    source,
    options.env ?? process.env,
    parseDuration(source.timeout),
    options.fetch,
  );
  if ("problem" in made) throw new Error(made.problem);
  return made.client;
}

/**
 * The single value of an instant query, or null without series.
 * @throws when the query returned several series (it must be aggregated)
 */
export function singleValue(
  result: { series: Array<{ values: Array<[number, number]> }> },
  query: string,
): number | null {
  if (result.series.length === 0) return null;
  if (result.series.length > 1) {
    throw new Error(`${query} returned ${result.series.length} series: aggregate it with sum(...)`);
  }
  return result.series[0]?.values.at(-1)?.[1] ?? null;
}

/**
 * An SLO's error ratio over `window` (`bad / total`, or `1 − good / total`), from two instant
 * queries at `at`; null (or NaN) when there were no events.
 */
export async function sloErrorRatio(
  client: PrometheusClient,
  slo: SloConfig,
  window: string,
  at: Date,
): Promise<number | null> {
  const kind = slo.bad !== undefined ? "bad" : "good";
  const numeratorQuery = fillWindow((slo.bad ?? slo.good) as string, window);
  const totalQuery = fillWindow(slo.total, window);
  const [numerator, total] = await Promise.all([
    client.query(numeratorQuery, at),
    client.query(totalQuery, at),
  ]);
  return errorRatioOf(
    { kind, value: singleValue(numerator, numeratorQuery) },
    singleValue(total, totalQuery),
  );
}

/**
 * The time a gate has run so far, and the outcome of a gate that could not be judged: verdict
 * `error`, the reason first (ending `: error`), then the evidence gathered.
 */
export function gateTimer(): {
  elapsed: () => number;
  errored: (reason: string, evidence?: string[]) => GateOutcome;
} {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return {
    elapsed,
    errored: (reason, evidence = []) => ({
      status: "failed",
      verdict: "error",
      output: [`${reason}: error`, ...evidence].join("\n"),
      durationMs: elapsed(),
    }),
  };
}

/**
 * Why a gate cannot run: its source is not configured. Names the sources that are, or says how
 * to add one; `what` qualifies the source (e.g. `for SLO "checkout"`).
 */
export function unknownSourceMessage(name: string, known: readonly string[], what = ""): string {
  const sorted = [...known].sort();
  const subject = `no Prometheus source "${name}" is configured${what ? ` ${what}` : ""}`;
  return sorted.length > 0
    ? `${subject} (known: ${sorted.join(", ")})`
    : `${subject} (none are: add it under \`prometheus:\` in the configuration)`;
}
