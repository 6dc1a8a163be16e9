/**
 * A real Alertmanager (Debian's prometheus-alertmanager) delivering to Railyard's webhook, on
 * SQLite: alerts posted to its `POST /api/v2/alerts` reach Railyard in Alertmanager's own wire
 * format, with the bearer secret, grouped by `train_id`. A firing critical alert for the train
 * rolling out opens an incident and pauses the train; a second alert of the same train joins that
 * incident; both resolved (endsAt in the past) resolve it and the train resumes. Railyard runs on
 * the simulated clock; Alertmanager on the real one, so the waits for its deliveries are bounded
 * polls (group_wait and group_interval are 1s).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Incident, IncidentAlert } from "../../src/domain/model.js";
import type { TrainDetail } from "../../src/engine/railyard.js";
import { type PostableAlert, type RunningAlertmanager, startAlertmanager } from "../support/alertmanager.js";
import { pollUntil } from "../support/prometheus.js";
import { commitOf } from "../support/scenario.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { createWorld, type World } from "../support/world.js";

const TOKEN_ENV = "RAILYARD_TEST_ALERTMANAGER_REAL_TOKEN";
const TOKEN = "am-real-secret-91d0";
/** How long a delivery may take: group_wait 1s, group_interval 1s, and a loaded machine. */
const DELIVERY_MS = 30_000;

describe("a real Alertmanager delivering to Railyard (sqlite)", () => {
  let world: World;
  let server: TestServer;
  let alertmanager: RunningAlertmanager;

  beforeAll(async () => {
    process.env[TOKEN_ENV] = TOKEN;
    world = await createWorld({ top: `webhooks: { alertmanager: { tokenFromEnv: ${TOKEN_ENV} } }\n` });
    server = await startTestServer(world, "sqlite");
    await server.advance("0s");
    alertmanager = await startAlertmanager({
      webhookUrl: `${server.url}/api/v1/webhooks/alertmanager`,
      bearerToken: TOKEN,
    });
  }, 120_000);
  afterAll(async () => {
    await alertmanager?.stop();
    await server?.cleanup();
    await world?.cleanup();
    delete process.env[TOKEN_ENV];
  });

  const incidents = async () => (await server.request<Incident[]>("GET", "/api/v1/incidents")).body;
  const alertsOf = async (id: string) =>
    (await server.request<{ alerts: IncidentAlert[] }>("GET", `/api/v1/incidents/${id}`)).body.alerts;
  const train = async () => (await server.request<TrainDetail>("GET", "/api/v1/trains/shop-1")).body.train;
  /** Waits (bounded) until Railyard shows what Alertmanager should have delivered. */
  const until = <T>(what: string, attempt: () => Promise<T | undefined>) =>
    pollUntil(what, DELIVERY_MS, attempt, 200).catch((error: Error) => {
      throw new Error(
        `${error.message}\n--- alertmanager output ---\n${alertmanager.diagnostics().slice(-4000)}`,
      );
    });

  const alert = (alertname: string, extra: Partial<PostableAlert> = {}): PostableAlert => ({
    labels: { alertname, severity: "critical", train_id: "shop-1", component: "api", environment: "eu" },
    annotations: { summary: `${alertname} on api` },
    startsAt: "2026-03-02T09:00:00Z",
    generatorURL: "http://127.0.0.1:9/graph",
    ...extra,
  });

  it("pauses the train on a critical alert, groups a second one, and resumes it when both resolve", async () => {
    for (const component of ["db", "api", "web"]) {
      const pushed = await server.request("POST", "/api/v1/artifacts", {
        component,
        version: "1.0.0",
        commit: commitOf(component, "1.0.0"),
      });
      expect(pushed.status).toBe(201);
    }
    await server.advance("2h");
    await server.advance("2h"); // 09:00 on 2 March: shop-1 departed, verifying wave eu
    expect((await train()).state).toBe("verifying");

    await alertmanager.post([alert("HighErrorRate")]);
    const [incident] = await until("Railyard recorded the incident Alertmanager delivered", async () => {
      const all = await incidents();
      return all.length > 0 ? all : undefined;
    });
    expect(incident).toMatchObject({
      trainId: "shop-1",
      source: "alertmanager",
      severity: "critical",
      status: "open",
      startedAt: "2026-03-02T09:00:00.000Z",
      title: "HighErrorRate: HighErrorRate on api",
      openedBy: "alertmanager",
    });
    await server.advance("0s");
    expect(await train()).toMatchObject({ state: "paused", pauseCause: "incident" });

    // A second alert of the same train: Alertmanager's group (train_id="shop-1") now holds two.
    await alertmanager.post([alert("HighLatency")]);
    const two = await until("the second alert grouped into the same incident", async () => {
      const alerts = await alertsOf(incident!.id);
      return alerts.length === 2 ? alerts : undefined;
    });
    expect(two.map((a) => [a.alertname, a.status]).sort()).toEqual([
      ["HighErrorRate", "firing"],
      ["HighLatency", "firing"],
    ]);
    expect(await incidents()).toHaveLength(1);

    // Both resolved: endsAt in the past.
    const endsAt = "2026-03-02T09:20:00Z";
    await alertmanager.post([alert("HighErrorRate", { endsAt }), alert("HighLatency", { endsAt })]);
    const resolved = await until("Railyard resolved the incident", async () => {
      const [only] = await incidents();
      return only?.status === "resolved" ? only : undefined;
    });
    expect(resolved).toMatchObject({ id: incident!.id, resolvedBy: "alertmanager" });
    expect((await alertsOf(incident!.id)).map((a) => [a.status, a.endsAt])).toEqual([
      ["resolved", "2026-03-02T09:20:00.000Z"],
      ["resolved", "2026-03-02T09:20:00.000Z"],
    ]);
    await server.advance("0s");
    expect((await train()).state).toBe("verifying");
    expect(await incidents()).toHaveLength(1);
  }, 180_000);
});
