import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestStore, DIALECTS, type TestStore } from "../../test/support/dialects.js";
import { inProcessEngine } from "../../test/support/engine.js";
import {
  artifactPushed,
  at,
  deploymentRecorded,
  stepFinished,
  stepStarted,
  trainCreated,
  transitioned,
} from "../../test/support/store-fixtures.js";
import { WORLD_START } from "../../test/support/world.js";
import type { NewEvent } from "../domain/events.js";
import type { MetricsPeriod, MetricsQuery, ReleaseMetricsReport } from "../domain/metrics/types.js";
import type { KyselyStore } from "../store/kysely-store.js";
import type { Store } from "./ports.js";
import { PrometheusExporter, type PrometheusExporterOptions, stageKind } from "./prometheus-exporter.js";
import type { Railyard } from "./railyard.js";

const AT = WORLD_START.toISOString();

/** The samples of a Prometheus text exposition: `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    map.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return map;
}

/** Sample keys of one metric. */
function seriesOf(map: Map<string, number>, name: string): string[] {
  return [...map.keys()].filter((key) => key === name || key.startsWith(`${name}{`));
}

/** A period whose metrics are all empty except what `patch` sets. */
function period(patch: Partial<MetricsPeriod>): MetricsPeriod {
  const ratio = { value: null, numerator: 0, denominator: 0 };
  const duration = { count: 0, meanMs: null, p50Ms: null, p90Ms: null };
  return {
    from: AT,
    to: AT,
    trains: { ended: 0, released: 0, rolledBack: 0, aborted: 0, departed: 0, hotfixes: 0 },
    m1ReleaseSuccessRate: ratio,
    m2Mttr: duration,
    m3LeadTime: { ...duration, fromPush: 0 },
    m4IntegrationTestPassRate: ratio,
    m5ErrorRateDelta: { trains: 0, mean: null, worst: null },
    m6SloCompliance: ratio,
    m7ChangeFailureRate: ratio,
    m8Rollbacks: { count: 0, perWeek: 0 },
    m9DeploymentTime: duration,
    m10SecurityScanFailureRate: ratio,
    dora: {
      deploymentFrequency: { releases: 0, perDay: 0, bucket: null },
      leadTime: { medianMs: null, bucket: null },
      changeFailureRate: { value: null, bucket: null },
      timeToRestore: { medianMs: null, bucket: null },
    },
    ...patch,
  };
}

describe("stageKind", () => {
  it("names the stage's kind", () => {
    expect(["gating", "verify/eu", "analysis/eu", "runbook/rollback"].map(stageKind)).toEqual([
      "gating",
      "verify",
      "analysis",
      "other",
    ]);
  });
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: PrometheusExporter`, () => {
    let db: TestStore;
    let store: Store;
    let railyard: Railyard;

    beforeEach(async () => {
      db = await createTestStore(dialect);
      store = db.store;
      railyard = await inProcessEngine(store);
    });
    afterEach(async () => {
      await db.cleanup();
    });

    const append = (...events: NewEvent[]) => store.append(events, AT);
    const exporter = (options: PrometheusExporterOptions = {}) =>
      PrometheusExporter.create(railyard, { processMetrics: false, ...options });
    const scrape = async (e: PrometheusExporter) => samples((await e.render()).body);

    it("lists active trains only, and counts every state of every line", async () => {
      await append(trainCreated("shop", 1), trainCreated("shop", 2, at(48 * 60)));
      await append(transitioned("shop-1", "scheduled", "boarding", "open"));
      const e = await exporter();
      let m = await scrape(e);
      expect(seriesOf(m, "railyard_train_info").sort()).toEqual([
        'railyard_train_info{line="shop",train="shop-1",state="boarding",kind="scheduled"}',
        'railyard_train_info{line="shop",train="shop-2",state="scheduled",kind="scheduled"}',
      ]);
      expect(seriesOf(m, "railyard_trains")).toHaveLength(15);
      expect(m.get('railyard_trains{line="shop",state="boarding"}')).toBe(1);
      expect(m.get('railyard_trains{line="shop",state="scheduled"}')).toBe(1);
      expect(m.get('railyard_trains{line="shop",state="released"}')).toBe(0);

      await append(transitioned("shop-1", "boarding", "skipped", "skip"));
      m = await scrape(e);
      // The ended train leaves the per-train series; the state counts keep it.
      expect(seriesOf(m, "railyard_train_info")).toEqual([
        'railyard_train_info{line="shop",train="shop-2",state="scheduled",kind="scheduled"}',
      ]);
      expect(m.get('railyard_trains{line="shop",state="skipped"}')).toBe(1);
      expect(m.get('railyard_trains{line="shop",state="boarding"}')).toBe(0);
      expect(m.get('railyard_trains_ended_total{line="shop",outcome="skipped"}')).toBe(1);
      expect(m.get('railyard_train_transitions_total{line="shop",to="skipped"}')).toBe(1);
    });

    it("counts events from its creation on, with one series per line however many artifacts", async () => {
      await append(trainCreated("shop", 1), artifactPushed("api", "0.9.0", "shop-1"));
      const e = await exporter();
      expect(seriesOf(await scrape(e), "railyard_artifacts_pushed_total")).toEqual([]);
      for (let i = 0; i < 5; i++) await append(artifactPushed("api", `1.${i}.0`, "shop-1"));
      await append(artifactPushed("web", "1.0.0", null));
      const m = await scrape(e);
      expect(seriesOf(m, "railyard_artifacts_pushed_total").sort()).toEqual([
        'railyard_artifacts_pushed_total{line="none"}',
        'railyard_artifacts_pushed_total{line="shop"}',
      ]);
      expect(m.get('railyard_artifacts_pushed_total{line="shop"}')).toBe(5);
      // A second scrape folds nothing twice.
      expect((await scrape(e)).get('railyard_artifacts_pushed_total{line="shop"}')).toBe(5);
    });

    it("folds steps, gates, deployments and rollbacks into counters and histograms", async () => {
      await append(trainCreated("shop", 1));
      const e = await exporter({ pageSize: 2 });
      await append(
        transitioned("shop-1", "awaiting_approval", "deploying", "depart", { wave: 0 }),
        stepStarted("shop-1", "deploy/eu/api", "deploy"),
        stepFinished("shop-1", "deploy/eu/api", "succeeded", 1, 1200),
        deploymentRecorded("shop-1", "eu", "api", "1.0.0"),
        {
          type: "gate.evaluated",
          trainId: "shop-1",
          actor: "system",
          payload: {
            resultId: "shop-1/r0/gate/analysis/eu/canary#1",
            stage: "analysis/eu",
            gate: "canary",
            type: "canary",
            attempt: 1,
            status: "failed",
            verdict: "inconclusive",
            output: "score 62",
            durationMs: 30_000,
            detail: { kind: "canary", score: 62.5 },
          },
        },
        transitioned("shop-1", "verifying", "rolling_back", "rollback", { scope: { wave: "eu" } }),
        {
          type: "component.rolled_back",
          trainId: "shop-1",
          actor: "ann",
          payload: { component: "web", reason: "by hand", with: [] },
        },
      );
      const m = await scrape(e);
      // 1.2 s: above the 1 s bucket, within the 5 s one.
      const step =
        'railyard_step_duration_seconds_bucket{le="%",line="shop",kind="deploy",status="succeeded"}';
      expect(m.get(step.replace("%", "1"))).toBe(0);
      expect(m.get(step.replace("%", "5"))).toBe(1);
      expect(m.get('railyard_step_duration_seconds_sum{line="shop",kind="deploy",status="succeeded"}')).toBe(
        1.2,
      );
      expect(
        m.get(
          'railyard_gate_evaluations_total{line="shop",stage_kind="analysis",type="canary",verdict="inconclusive"}',
        ),
      ).toBe(1);
      expect(m.get('railyard_gate_duration_seconds_bucket{le="15",line="shop",type="canary"}')).toBe(0);
      expect(m.get('railyard_gate_duration_seconds_bucket{le="30",line="shop",type="canary"}')).toBe(1);
      expect(m.get('railyard_deployments_total{line="shop",environment="eu",action="deploy"}')).toBe(1);
      expect(m.get('railyard_rollbacks_total{line="shop",scope="wave"}')).toBe(1);
      expect(m.get('railyard_rollbacks_total{line="shop",scope="component"}')).toBe(1);
      expect(m.get('railyard_rollbacks_total{line="shop",scope="train"}')).toBeUndefined();
      // The train is in production (rolling back wave 0): its wave and latest canary score.
      expect(m.get('railyard_train_wave{line="shop",train="shop-1"}')).toBe(0);
      expect(m.get('railyard_canary_score{line="shop",train="shop-1"}')).toBe(62.5);
      expect(e.cursor).toBeGreaterThan(0);
    });

    it("reports open incidents per severity and pending notifications per channel", async () => {
      const e = await exporter();
      await append(trainCreated("shop", 1), {
        type: "incident.opened",
        trainId: "shop-1",
        actor: "alertmanager",
        payload: {
          incidentId: "inc-1",
          line: "shop",
          title: "5xx",
          detail: null,
          stopsLine: false,
          severity: "warning",
        },
      });
      const row = (id: string, channel: string, status: string) => ({
        id,
        channel,
        kind: "event",
        topic: "train.released",
        train_id: null,
        line: "shop",
        severity: "info",
        payload: "{}",
        status,
        attempts: 0,
        next_attempt_at: AT,
        created_at: AT,
        delivered_at: null,
        last_error: null,
        event_id: null,
      });
      await (store as KyselyStore).kysely
        .insertInto("notifications")
        .values([
          row("n1", "slack", "pending"),
          row("n2", "slack", "pending"),
          row("n3", "slack", "delivered"),
          row("n4", "mail", "delivered"),
        ])
        .execute();
      expect(await store.countNotifications()).toEqual([
        { channel: "mail", status: "delivered", count: 1 },
        { channel: "slack", status: "delivered", count: 1 },
        { channel: "slack", status: "pending", count: 2 },
      ]);
      const m = await scrape(e);
      expect(m.get('railyard_notifications_pending{channel="slack"}')).toBe(2);
      expect(m.get('railyard_notifications_pending{channel="mail"}')).toBe(0);
      expect(m.get('railyard_incidents_open{line="shop",severity="warning"}')).toBe(1);
      expect(m.get('railyard_incidents_open{line="shop",severity="critical"}')).toBe(0);
      expect(m.get('railyard_incidents_opened_total{line="shop",severity="warning"}')).toBe(1);
    });

    it("computes the release KPIs per line at most once per interval of real time", async () => {
      const asked: MetricsQuery[] = [];
      let realNow = 0;
      const e = await exporter({
        realNow: () => realNow,
        releaseMetrics: async (query): Promise<ReleaseMetricsReport> => {
          asked.push(query);
          const total = period({
            m1ReleaseSuccessRate: { value: 0.75, numerator: 3, denominator: 4 },
            m3LeadTime: { count: 4, meanMs: 5_400_000, p50Ms: 3_600_000, p90Ms: 7_200_000, fromPush: 0 },
          });
          return { query, asOfEventId: 0, total, periods: [] };
        },
      });
      let m = await scrape(e);
      expect(asked).toEqual([
        { from: "2026-01-31T05:00:00.001Z", to: "2026-03-02T05:00:00.001Z", line: "shop" },
      ]);
      expect(m.get('railyard_release_success_ratio{line="shop"}')).toBe(0.75);
      expect(m.get('railyard_lead_time_seconds{line="shop",quantile="0.5"}')).toBe(3600);
      expect(m.get('railyard_lead_time_seconds{line="shop",quantile="0.9"}')).toBe(7200);
      // Unknown (null) figures are left out rather than reported as 0.
      expect(seriesOf(m, "railyard_change_failure_ratio")).toEqual([]);

      realNow = 29_999;
      m = await scrape(e);
      expect(asked).toHaveLength(1);
      expect(m.get('railyard_release_success_ratio{line="shop"}')).toBe(0.75);
      realNow = 30_000;
      await scrape(e);
      expect(asked).toHaveLength(2);
    });
  });
}
