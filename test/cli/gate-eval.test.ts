/**
 * `railyard gate eval --config FILE --line NAME --gate NAME [--json]`: the offline interface that
 * evaluates one gate now against its live sources — here a real Prometheus scraping a small
 * exporter, and programs. Runs the built CLI, with no Railyard server.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GateEvalReport } from "../../src/cli/commands/gate.js";
import { runCli } from "../support/cli.js";
import { type RunningPrometheus, startPrometheus } from "../support/prometheus.js";

let prometheus: RunningPrometheus;
let dir: string;
let config: string;

beforeAll(async () => {
  prometheus = await startPrometheus();
  prometheus.exporter.set("queue_depth", { queue: "orders" }, 3);
  await prometheus.waitFor(
    'queue_depth{queue="orders"}',
    (r) => r.series.length === 1,
    "the exporter's gauge",
  );
  dir = await mkdtemp(path.join(tmpdir(), "railyard-gate-eval-"));
  config = path.join(dir, "railyard.yaml");
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
    gates:
      - { name: queue, type: prometheus, query: 'max(queue_depth{queue="orders"})', condition: "< 10" }
      - { name: missing, type: prometheus, query: "nothing_here", condition: "< 1", noData: fail }
      - { name: smoke, type: command, command: 'test "$RAILYARD_TRAIN_ID" = offline' }
      - { name: scan, type: security, maxSeverity: high }
    rollout:
      waves:
        - name: all
          environments: [eu]
          verify: [{ name: smoke, type: command, command: "exit 3" }]
`,
  );
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const evaluate = (...args: string[]) => runCli(["gate", "eval", "-c", config, "--line", "web", ...args]);

describe("railyard gate eval", () => {
  it("evaluates a prometheus gate against real PromQL and prints the report", async () => {
    const result = await evaluate("--gate", "queue", "--json");
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as GateEvalReport;
    expect(report).toMatchObject({
      line: "web",
      gate: "queue",
      type: "prometheus",
      stage: "gating",
      verdict: "pass",
    });
    expect(report.output.split("\n")[0]).toBe("3 < 10 in 1 of 1 measurement: pass");

    const text = await evaluate("--gate", "queue");
    expect(text.stdout).toMatch(
      /^web\/queue \(prometheus, gating\): pass in \d+ ms\n3 < 10 in 1 of 1 measurement: pass/,
    );
  });

  it("exits 1 when the gate does not pass, with its verdict", async () => {
    const missing = await evaluate("--gate", "missing", "--json");
    expect(missing.code).toBe(1);
    expect((JSON.parse(missing.stdout) as GateEvalReport).verdict).toBe("fail");
    const verify = await evaluate("--gate", "smoke", "--stage", "verify/all", "--json");
    expect(verify.code).toBe(1);
    expect(JSON.parse(verify.stdout)).toMatchObject({ stage: "verify/all", verdict: "fail" });
  });

  it("runs a command gate with the placeholders a train would give", async () => {
    const result = await evaluate("--gate", "smoke", "--stage", "gating", "--json");
    expect(result.code, result.stdout).toBe(0);
  });

  it("refuses ambiguous names, unknown gates and lines, and gates only the server can judge", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["--gate", "smoke"], /2 gates named "smoke" \(gating, verify\/all\): choose one with --stage/],
      [["--gate", "nope"], /no gate "nope" on line web: its gates are queue, missing, smoke, scan/],
      [["--gate", "scan"], /security gates are judged by the server/],
    ];
    for (const [args, message] of cases) {
      const result = await evaluate(...args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe("");
    }
    const line = await runCli(["gate", "eval", "-c", config, "--line", "webb", "--gate", "queue"]);
    expect(line.code).toBe(2);
    expect(line.stderr).toMatch(/no line "webb": .* defines web/);
  });
});
