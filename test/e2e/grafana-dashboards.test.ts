/**
 * The Grafana dashboards shipped in `deploy/grafana/`: each parses, has the panels the seed
 * article asks of it, and every panel has a title and a Prometheus datasource; every metric a
 * query names is one a running Railyard serves at `/metrics` (so a typo fails here), and every
 * query is valid PromQL for a real Prometheus once Grafana's variables are filled in.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningPrometheus, startPrometheus } from "../support/prometheus.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { createWorld, type World } from "../support/world.js";

const DIR = path.resolve(import.meta.dirname, "../../deploy/grafana");
const DASHBOARDS = ["executive", "on-call", "debug"] as const;

interface Panel {
  id: number;
  type: string;
  title?: string;
  datasource?: { type?: string; uid?: string };
  targets?: Array<{ expr?: string }>;
  fieldConfig?: { defaults?: { links?: Array<{ url: string }> } };
}

interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  templating: { list: Array<{ name: string; type: string; query?: unknown }> };
  panels: Panel[];
}

/** Series Prometheus adds itself for every target, not served by Railyard. */
const PROMETHEUS_SERIES = new Set(["up"]);
/** The suffixes of a histogram's series. */
const HISTOGRAM_SERIES = /_(bucket|sum|count)$/;

const load = async (name: string): Promise<Dashboard> =>
  JSON.parse(await readFile(path.join(DIR, `${name}.json`), "utf8")) as Dashboard;

const panelsOf = (d: Dashboard) => d.panels.filter((p) => p.type !== "row");
const exprsOf = (d: Dashboard) => panelsOf(d).flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ""));

/**
 * The metric names a PromQL expression selects: every `railyard_…` identifier, and any other
 * identifier directly followed by a label matcher `{` (labels and functions never are).
 */
function metricNames(expr: string): string[] {
  const names = new Set<string>();
  for (const match of expr.matchAll(/\b(railyard_[a-zA-Z0-9_]+)/g)) names.add(match[1]!);
  for (const match of expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{/g)) names.add(match[1]!);
  return [...names];
}

/** Grafana's variables as a Prometheus would see them after Grafana interpolated them. */
const interpolate = (expr: string) =>
  expr
    .replaceAll("$__rate_interval", "1m")
    .replaceAll("$line", ".*")
    .replaceAll("$kind", ".*")
    .replaceAll("$job", ".*");

describe("deploy/grafana dashboards", () => {
  let world: World;
  let server: TestServer;
  let prometheus: RunningPrometheus;
  /** Metric families Railyard serves: their `# TYPE` lines. */
  const families = new Map<string, string>();

  beforeAll(async () => {
    world = await createWorld();
    server = await startTestServer(world, "sqlite");
    const answer = await server.send<string>("GET", "/metrics", undefined, {
      authorization: "Bearer test-admin-token",
    });
    expect(answer.status).toBe(200);
    for (const match of answer.body.matchAll(/^# TYPE (\S+) (\S+)$/gm)) families.set(match[1]!, match[2]!);
    prometheus = await startPrometheus();
  });
  afterAll(async () => {
    await prometheus?.stop();
    await server?.cleanup();
    await world?.cleanup();
  });

  it.each(DASHBOARDS)("%s: every panel has a title and the Prometheus datasource variable", async (name) => {
    const d = await load(name);
    expect(d.schemaVersion).toBeGreaterThanOrEqual(36);
    const variables = Object.fromEntries(d.templating.list.map((v) => [v.name, v]));
    expect(variables.datasource).toMatchObject({ type: "datasource", query: "prometheus" });
    expect(variables.line).toMatchObject({ type: "query" });
    expect(JSON.stringify(variables.line!.query)).toContain("label_values(railyard_trains, line)");
    expect(variables.railyard_url).toMatchObject({ type: "textbox" });
    const panels = panelsOf(d);
    expect(panels.length).toBeGreaterThan(5);
    for (const panel of panels) {
      expect(panel.title?.trim(), `panel ${panel.id} of ${name}`).toBeTruthy();
      expect(panel.datasource, `datasource of "${panel.title}"`).toEqual({
        type: "prometheus",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a template
        uid: "${datasource}",
      });
      expect(panel.targets?.length, `queries of "${panel.title}"`).toBeGreaterThan(0);
    }
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
  });

  it("has the article's executive, on-call and debug panels", async () => {
    const titles = async (name: string) => panelsOf(await load(name)).map((p) => p.title ?? "");
    const executive = await titles("executive");
    for (const wanted of [
      /release success rate/i,
      /change failure rate/i,
      /lead time/i,
      /deployment frequency/i,
      /upcoming departures/i,
      /SLO compliance heatmap/i,
      /critical incidents \(last 30 days\)/i,
    ]) {
      expect(
        executive.some((t) => wanted.test(t)),
        `executive: ${wanted}`,
      ).toBe(true);
    }
    const onCall = await titles("on-call");
    for (const wanted of [
      /active trains/i,
      /canary score/i,
      /step duration/i,
      /gate duration/i,
      /rollbacks/i,
      /incidents/i,
      /alerts/i,
    ]) {
      expect(
        onCall.some((t) => wanted.test(t)),
        `on-call: ${wanted}`,
      ).toBe(true);
    }
    const debug = await titles("debug");
    for (const wanted of [
      /gate verdicts/i,
      /step duration heatmap/i,
      /transitions/i,
      /deployments by environment/i,
      /recent failures/i,
      /CPU/i,
    ]) {
      expect(
        debug.some((t) => wanted.test(t)),
        `debug: ${wanted}`,
      ).toBe(true);
    }
    // Trains link to their page in Railyard, where they are rolled back.
    const trains = panelsOf(await load("on-call")).find((p) => /active trains/i.test(p.title ?? ""));
    expect(trains?.fieldConfig?.defaults?.links?.[0]?.url).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a template
      "${railyard_url}/trains/${__field.labels.train}",
    );
    // The DORA buckets are the thresholds of the deployment frequency: 1/month, 1/week, 1/day.
    const frequency = (await load("executive")).panels.find((p) =>
      /deployment frequency/i.test(p.title ?? ""),
    );
    const steps = (
      frequency as unknown as {
        fieldConfig: { defaults: { thresholds: { steps: Array<{ value: number | null }> } } };
      }
    ).fieldConfig.defaults.thresholds.steps.map((s) => s.value);
    expect(steps).toEqual([null, 1 / 30, 1 / 7, 1]);
  });

  it.each(DASHBOARDS)("%s: every metric a query names is served by Railyard's /metrics", async (name) => {
    const d = await load(name);
    expect(families.get("railyard_trains")).toBe("gauge");
    const missing: string[] = [];
    for (const expr of exprsOf(d)) {
      for (const metric of metricNames(expr)) {
        if (PROMETHEUS_SERIES.has(metric) || families.has(metric)) continue;
        const base = metric.replace(HISTOGRAM_SERIES, "");
        if (base !== metric && families.get(base) === "histogram") continue;
        missing.push(`${metric} (in ${expr})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it.each(DASHBOARDS)("%s: every query is valid PromQL for a real Prometheus", async (name) => {
    const d = await load(name);
    const refused: string[] = [];
    for (const expr of exprsOf(d)) {
      try {
        await prometheus.client.query(interpolate(expr));
      } catch (error) {
        refused.push(`${expr}: ${(error as Error).message}`);
      }
    }
    expect(refused).toEqual([]);
  });

  it("finds the metric names in queries, typos included", () => {
    expect(
      metricNames('sum by (le) (rate(railyard_step_duration_seconds_bucket{line=~"$line"}[5m]))'),
    ).toEqual(["railyard_step_duration_seconds_bucket"]);
    expect(metricNames('up{job="railyard"} + upp{job="x"}')).toEqual(["up", "upp"]);
  });
});
