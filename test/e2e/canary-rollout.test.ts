/**
 * Canary rollouts judged statistically, end to end: the simulated clock drives the train while a
 * real Prometheus (Debian's, backfilled with promtool) serves baseline and canary series. A
 * healthy canary is promoted to full weight; a latency regression on a critical metric rolls the
 * train back at the first interim analysis; a regression on one of two non-critical metrics is
 * inconclusive at the last analysis and pauses the train for a person, who promotes it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Step } from "../../src/domain/model.js";
import type { TrainProgress } from "../../src/engine/railyard.js";
import { type RunningPrometheus, startBackfilledPrometheus } from "../support/prometheus.js";
import { seededRandom } from "../support/random.js";
import { useWorldScenario } from "../support/scenario.js";

const STEP_S = 15;
const HISTORY_S = 30 * 60;

/** Per service: latency (s) and error ratio of baseline and canary, each varying ±10%. */
const SERVICES: Record<string, Record<"baseline" | "canary", { latency: number; errors: number }>> = {
  healthy: { baseline: { latency: 0.2, errors: 0.01 }, canary: { latency: 0.2, errors: 0.01 } },
  slow: { baseline: { latency: 0.2, errors: 0.01 }, canary: { latency: 0.3, errors: 0.01 } },
};

/** OpenMetrics gauges every 15 s over the 30 minutes ending at `end` (unix seconds). */
function history(end: number): string {
  const lines = ["# TYPE request_latency_seconds gauge", "# TYPE error_ratio gauge"];
  let seed = 7;
  for (const [service, variants] of Object.entries(SERVICES)) {
    for (const version of ["baseline", "canary"] as const) {
      const noise = seededRandom(seed++);
      const { latency, errors } = variants[version];
      for (let t = end - HISTORY_S; t <= end; t += STEP_S) {
        const labels = `service="${service}",version="${version}"`;
        lines.push(`request_latency_seconds{${labels}} ${(latency * (0.9 + 0.2 * noise())).toFixed(6)} ${t}`);
        lines.push(`error_ratio{${labels}} ${(errors * (0.9 + 0.2 * noise())).toFixed(6)} ${t}`);
      }
    }
  }
  return `${lines.join("\n")}\n# EOF\n`;
}

let prometheus: RunningPrometheus;

beforeAll(async () => {
  const end = Math.floor(Date.now() / 1000 / STEP_S) * STEP_S - STEP_S;
  prometheus = await startBackfilledPrometheus(history(end));
}, 90_000);

afterAll(async () => {
  await prometheus?.stop();
});

/** A canary wave judged by a `canary` gate on `service`'s series, three analyses 5 minutes apart. */
function waves(service: string, metrics: "critical latency" | "latency and errors"): string {
  const latency = `{ name: latency, query: 'max(request_latency_seconds{service="${service}",version="{variant}"})', direction: increase${
    metrics === "critical latency"
      ? ", critical: true, effectSize: { allowedIncrease: 1.1, criticalIncrease: 1.2 }"
      : ""
  } }`;
  const errors = `{ name: errors, query: 'max(error_ratio{service="${service}",version="{variant}"})', direction: increase }`;
  return `        - name: eu
          environments: [eu]
          strategy:
            type: canary
            steps:
              - setWeight: 10
              - analysis: { gate: judge, count: 3, interval: 5m }
              - setWeight: 100
          gates:
            - name: judge
              type: canary
              lookback: 10m
              thresholds: { marginal: 40, pass: 95 }
              metrics:
                - ${latency}${metrics === "latency and errors" ? `\n                - ${errors}` : ""}
`;
}

describe("sqlite: canary analysis against Prometheus", () => {
  const { setup, board, detail } = useWorldScenario("sqlite");
  const options = (service: string, metrics: "critical latency" | "latency and errors") => ({
    lineComponents: ["api"],
    components: "  api: { team: core, deployer: git }",
    waves: waves(service, metrics),
    top: `prometheus: { default: { url: "${prometheus.url}", timeout: 10s, retries: 1 } }\n`,
  });

  it("promotes a healthy canary to full weight after three analyses", async () => {
    const { world, server: s } = await setup(options("healthy", "critical latency"));
    await board(s, { api: "1.0.0" });
    await s.advance("2h");
    await s.advance("2h"); // departs: canary at 10%
    expect(parse(await world.show("env/eu.yaml")).api.canary).toEqual({ version: "1.0.0", weight: 10 });
    for (let i = 0; i < 3; i++) await s.advance("5m");
    const d = await detail(s, "shop-1");
    expect(d.train.state, `${d.train.reason} / ${d.waitingFor}`).toBe("released");
    const analyses = d.gates.filter((g) => g.stage === "analysis/eu");
    expect(analyses.map((g) => [g.gate, g.verdict])).toEqual([
      ["judge", "pass"],
      ["judge", "pass"],
      ["judge", "pass"],
    ]);
    const detailOf = analyses[2]!.detail as {
      score: number;
      metrics: Array<{ verdict: string; pValue: number }>;
    };
    expect(detailOf.score).toBe(100);
    expect(detailOf.metrics[0]!.verdict).toBe("pass");
    expect(parse(await world.show("env/eu.yaml")).api).toEqual({ version: "1.0.0", canary: { weight: 0 } });
  });

  it("rolls back a latency regression at the first interim analysis", async () => {
    const { world, server: s } = await setup(options("slow", "critical latency"));
    await board(s, { api: "1.0.0" });
    await s.advance("2h");
    await s.advance("2h");
    await s.advance("5m"); // the first of three analyses
    const d = await detail(s, "shop-1");
    expect(d.train.state, `${d.train.reason} / ${d.waitingFor}`).toBe("rolled_back");
    expect(d.train.reason).toMatch(/critical metric "latency" is high/);
    const analyses = d.steps.filter((step: Step) => step.key.startsWith("analysis/"));
    expect(analyses.map((step: Step) => step.key)).toEqual(["analysis/eu/s2/1"]);
    const result = d.gates.find((g) => g.stage === "analysis/eu")!;
    expect(result.verdict).toBe("fail");
    expect((result.detail as { criticalFailure: string }).criticalFailure).toBe("latency");
    // The canary's commits are reverted: no canary slot is left in eu.
    expect(parse(await world.show("env/eu.yaml"))?.api?.canary?.version).toBeUndefined();
  });

  it("pauses for a person when the last analysis is inconclusive, and goes on once promoted", async () => {
    const { server: s } = await setup(options("slow", "latency and errors"));
    await board(s, { api: "1.0.0" });
    await s.advance("2h");
    await s.advance("2h");
    await s.advance("5m");
    await s.advance("5m"); // two interim analyses at 50: above marginal 40, the rollout goes on
    let d = await detail(s, "shop-1");
    expect(d.train.state, `${d.train.reason} / ${d.waitingFor}`).toBe("deploying");
    // The on-call view's one request: the trains in flight with their progress, which says what
    // the train's detail says.
    const progressOf = async () => {
      const list = await s.request<Array<{ id: string; progress?: TrainProgress }>>(
        "GET",
        "/api/v1/trains?state=deploying,verifying,paused&include=progress",
      );
      expect(list.status, JSON.stringify(list.body)).toBe(200);
      const progress = list.body.find((t) => t.id === "shop-1")?.progress;
      const now = await detail(s, "shop-1");
      expect(progress).toEqual({
        waitingFor: now.waitingFor,
        awaiting: now.awaiting,
        allowedActions: now.allowedActions,
        waves: now.waves,
        enteredStateAt: now.events.findLast(
          (e) => e.type === "train.transitioned" && e.payload.to === now.train.state,
        )?.time,
        stepsInFlight: now.steps.filter((step) => step.status === "running"),
        canary: now.gates.filter((g) => g.stage === "analysis/eu").at(-1),
      });
      return progress!;
    };
    const deploying = await progressOf();
    expect(deploying.waves.map((w) => w.status)).toEqual(["deploying"]);
    expect(deploying.canary).toMatchObject({ gate: "judge", verdict: "pass", detail: { kind: "canary" } });
    await s.advance("5m"); // the last: 50 is below pass 95
    d = await detail(s, "shop-1");
    expect(d.train).toMatchObject({ state: "paused", pauseCause: "analysis", resumeTo: "deploying" });
    const paused = await progressOf();
    expect(paused.canary).toMatchObject({ verdict: "inconclusive", detail: { kind: "canary", score: 50 } });
    expect(paused.allowedActions).toEqual(expect.arrayContaining(["promote", "resume", "rollback"]));
    // Without include, no progress; with it, a limit of at most 200.
    const plain = await s.request<Array<Record<string, unknown>>>("GET", "/api/v1/trains?state=paused");
    expect(plain.body.map((t) => [t.id, "progress" in t])).toEqual([["shop-1", false]]);
    const tooMany = await s.request<{ detail: string }>("GET", "/api/v1/trains?include=progress&limit=500");
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.detail).toContain("limit 200");
    expect(d.allowedActions).toEqual(expect.arrayContaining(["promote", "resume", "rollback"]));
    expect(d.gates.filter((g) => g.stage === "analysis/eu").map((g) => g.verdict)).toEqual([
      "pass",
      "pass",
      "inconclusive",
    ]);
    const promoted = await s.request("POST", "/api/v1/trains/shop-1/promote", { comment: "errors are flat" });
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(200);
    await s.advance("0s");
    d = await detail(s, "shop-1");
    expect(d.train.state, `${d.train.reason} / ${d.waitingFor}`).toBe("released");
  });
});
