/**
 * What the Prometheus gates share: a configured source turned into a client (its secret headers
 * read from the environment), and the outcome of a gate that could not be judged.
 */
import type { PrometheusSourceConfig } from "../../domain/config/schema.js";
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
