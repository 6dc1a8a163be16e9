/**
 * `railyard gate eval` on a canary gate: the built CLI, with no Railyard server, against a real
 * Prometheus holding 15 minutes of backfilled baseline and canary latency. The gate sits among a
 * wave's `gates` (the ones a canary's analysis steps run), `--analysis` says which analysis it is,
 * and `--json` carries the gate's structured evidence.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GateEvalReport } from "../../src/cli/commands/gate.js";
import type { CanaryDetail } from "../../src/integrations/prometheus/canary-gate.js";
import { runCli } from "../support/cli.js";
import { createBlocks, type RunningPrometheus, startPrometheus } from "../support/prometheus.js";

const STEP_S = 15;
/** The end of the history, on a 15-second boundary, so that a 10-minute lookback is all history. */
const END = Math.floor(Date.now() / 1000 / STEP_S) * STEP_S - STEP_S;

/** `latency_seconds{service, version}` over 15 minutes: alike for both variants, but 50% higher for the canary of `slow`. */
function history(): string {
  const lines = ["# TYPE latency_seconds gauge"];
  for (const service of ["same", "slow"]) {
    for (const version of ["baseline", "canary"]) {
      const factor = service === "slow" && version === "canary" ? 1.5 : 1;
      for (let i = 0, t = END - 900; t <= END; i++, t += STEP_S) {
        // Two interleaved sawtooths, so the two variants hold different values of one distribution.
        const wobble = ((i * (version === "baseline" ? 7 : 11)) % 13) / 100;
        lines.push(
          `latency_seconds{service="${service}",version="${version}"} ${(0.2 + wobble) * factor} ${t}`,
        );
      }
    }
  }
  return `${[...lines, "# EOF"].join("\n")}\n`;
}

let prometheus: RunningPrometheus;
let blocks: string | undefined;
let dir: string;
let config: string;

beforeAll(async () => {
  blocks = await createBlocks(history());
  prometheus = await startPrometheus({ tsdb: blocks });
  dir = await mkdtemp(path.join(tmpdir(), "railyard-gate-eval-canary-"));
  config = path.join(dir, "railyard.yaml");
  const metric = (service: string) =>
    `{ name: ${service} latency, query: 'max(latency_seconds{service="${service}",version="{variant}"})', direction: increase }`;
  await writeFile(
    config,
    `version: 1
teams: { core: { members: [{ name: ann }] } }
deployers: { cmd: { type: command, command: "true" } }
components: { api: { team: core, deployer: cmd } }
environments: { staging: { kind: integration }, eu: { kind: production } }
prometheus: { default: { url: "${prometheus.url}", timeout: 5s, retries: 0 } }
lines:
  web:
    schedule: { rrule: "FREQ=DAILY", start: 2026-01-06T10:00, timezone: UTC, cutoff: 1h }
    components: [api]
    rollout:
      waves:
        - name: canary
          environments: [eu]
          gates:
            - { name: same-canary, type: canary, lookback: 10m, metrics: [${metric("same")}] }
            - name: half-canary
              type: canary
              lookback: 10m
              thresholds: { marginal: 40, pass: 95 }
              metrics: [${metric("same")}, ${metric("slow")}]
`,
  );
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  if (blocks) await rm(blocks, { recursive: true, force: true });
  if (dir) await rm(dir, { recursive: true, force: true });
});

const evaluate = (...args: string[]) => runCli(["gate", "eval", "-c", config, "--line", "web", ...args]);

describe("railyard gate eval on a canary gate", () => {
  it("finds it among the wave's gates and prints the score, with the detail under --json", async () => {
    const result = await evaluate("--gate", "same-canary", "--wave", "canary", "--json");
    expect(result.code, `${result.stdout}${result.stderr}`).toBe(0);
    const report = JSON.parse(result.stdout) as GateEvalReport;
    expect(report).toMatchObject({
      gate: "same-canary",
      type: "canary",
      stage: "analysis/canary",
      verdict: "pass",
    });
    expect(report.output.split("\n")[0]).toBe("score 100, at least pass 95: pass");
    const detail = report.detail as CanaryDetail;
    expect(detail).toMatchObject({ kind: "canary", score: 100, interim: false });
    expect(detail.metrics[0]?.baseline.points.length).toBeGreaterThan(30);

    const text = await evaluate("--gate", "same-canary");
    expect(text.stdout).toMatch(
      /^web\/same-canary \(canary, analysis\/canary\): pass in \d+ ms\nscore 100, at least pass 95: pass\n/,
    );
  });

  it("judges an interim analysis at the marginal threshold with --analysis", async () => {
    const last = await evaluate("--gate", "half-canary", "--json");
    expect(last.code).toBe(1);
    expect((JSON.parse(last.stdout) as GateEvalReport).output.split("\n")[0]).toBe(
      "score 50, below pass 95 but at least marginal 40: inconclusive",
    );

    const interim = await evaluate("--gate", "half-canary", "--analysis", "1/3", "--json");
    expect(interim.code, interim.stdout).toBe(0);
    const report = JSON.parse(interim.stdout) as GateEvalReport;
    expect(report.output.split("\n")[0]).toBe(
      "score 50, at least marginal 40 (interim analysis 1 of 3): pass",
    );
    expect(report.detail).toMatchObject({ interim: true, analysis: { index: 1, of: 3 } });
  });

  it("refuses an --analysis that is not n/count", async () => {
    for (const bad of ["0/3", "4/3", "two"]) {
      const result = await evaluate("--gate", "same-canary", "--analysis", bad);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`--analysis ${bad}: write which analysis of how many, such as 1/3`);
    }
  });
});
