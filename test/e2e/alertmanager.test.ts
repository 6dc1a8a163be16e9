/**
 * Alertmanager's webhook end to end, on SQLite and PostgreSQL, with a real server and the
 * simulated clock: documented payloads (test/fixtures/alertmanager/) drive the line's incident
 * policy — pause or roll back the train rolling out, pause the next train at departure, resume on
 * resolution — grouping by train ID, suppression during a canary ramp, and refusals that record
 * nothing.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredEvent } from "../../src/domain/events.js";
import type { Incident } from "../../src/domain/model.js";
import { DIALECTS } from "../support/dialects.js";
import { useWorldScenario } from "../support/scenario.js";
import type { TestServer } from "../support/server.js";

const TOKEN_ENV = "RAILYARD_TEST_ALERTMANAGER_TOKEN";
const TOKEN = "am-secret-7f3b";
const HOOK = `webhooks: { alertmanager: { tokenFromEnv: ${TOKEN_ENV} } }\n`;

type Payload = { alerts: Array<Record<string, unknown> & { labels: Record<string, string> }> } & Record<
  string,
  unknown
>;
const fixture = (name: string): Payload =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, "../fixtures/alertmanager", name), "utf8"));

beforeAll(() => {
  process.env[TOKEN_ENV] = TOKEN;
});
afterAll(() => {
  delete process.env[TOKEN_ENV];
});

const deliver = (s: TestServer, payload: unknown, token = TOKEN) =>
  s.send<Record<string, unknown>>("POST", "/api/v1/webhooks/alertmanager", JSON.stringify(payload), {
    "content-type": "application/json",
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  });

const eventCount = async (s: TestServer) =>
  (await s.request<StoredEvent[]>("GET", "/api/v1/events?limit=100000")).body.length;

const incidents = async (s: TestServer) => (await s.request<Incident[]>("GET", "/api/v1/incidents")).body;

for (const dialect of DIALECTS) {
  describe(`${dialect}: Alertmanager's webhook`, () => {
    const { setup, board, detail, releaseFirst } = useWorldScenario(dialect);

    /** shop-1 departs at 09:00 UTC and bakes wave eu until 09:30. */
    async function rollingOut(line = ""): Promise<TestServer> {
      const { server: s } = await setup({ line, top: HOOK });
      await board(s, { db: "1.0.0", api: "1.0.0", web: "1.0.0" });
      await s.advance("2h");
      await s.advance("2h");
      expect((await detail(s, "shop-1")).train.state).toBe("verifying");
      return s;
    }

    it("pauses the train rolling out on a critical alert, and resumes it when the alert resolves", async () => {
      const s = await rollingOut();
      const answer = await deliver(s, fixture("firing-critical.json"));
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.alerts).toEqual([
        expect.objectContaining({
          outcome: "opened",
          trainId: "shop-1",
          line: "shop",
          reason: "matched by train_id",
        }),
      ]);
      await s.advance("0s");
      let d = await detail(s, "shop-1");
      const [incident] = await incidents(s);
      expect(incident).toMatchObject({
        trainId: "shop-1",
        source: "alertmanager",
        severity: "critical",
        status: "open",
        startedAt: "2026-03-02T09:00:00.000Z",
        title: "HighErrorRate: api 5xx ratio above 5%",
        openedBy: "alertmanager",
      });
      expect(incident!.id).toMatch(/^inc-shop-1-[0-9a-f]{8}$/);
      expect(d.train).toMatchObject({ state: "paused", pauseCause: "incident", resumeTo: "verifying" });
      expect(d.train.statusText).toBe(
        `paused: incident ${incident!.id} (HighErrorRate: api 5xx ratio above 5%) — resumes when it is resolved`,
      );

      // Alertmanager re-sends the group every repeat_interval: nothing new is recorded.
      const before = await eventCount(s);
      const again = await deliver(s, fixture("firing-critical.json"));
      expect(again.body.alerts).toEqual([expect.objectContaining({ outcome: "unchanged" })]);
      expect(await eventCount(s)).toBe(before);

      const resolved = await deliver(s, fixture("resolved-critical.json"));
      expect(resolved.body).toMatchObject({
        alerts: [expect.objectContaining({ outcome: "resolved", incidentId: incident!.id })],
        resolvedIncidents: [incident!.id],
      });
      await s.advance("0s");
      d = await detail(s, "shop-1");
      expect(d.train.state).not.toBe("paused");
      const after = (await incidents(s))[0]!;
      expect(after).toMatchObject({ status: "resolved", resolvedBy: "alertmanager" });
      const reasons = d.events
        .filter((e) => e.type === "train.transitioned")
        .map((e) => (e.payload as { reason: string | null }).reason);
      expect(reasons).toContain(`incident ${incident!.id} resolved`);
      await s.advance("1h");
      expect((await detail(s, "shop-1")).train.state).toBe("released");
    }, 120_000);

    it("rolls the train back on a line whose policy says rollback", async () => {
      const s = await rollingOut("    incidents: { duringRollout: rollback }\n");
      expect((await deliver(s, fixture("firing-critical.json"))).status).toBe(200);
      await s.advance("0s");
      const d = await detail(s, "shop-1");
      expect(d.train.state).toBe("rolled_back");
      const rollback = d.events.find(
        (e) => e.type === "train.transitioned" && (e.payload as { event: string }).event === "rollback",
      );
      expect((rollback?.payload as { reason: string } | undefined)?.reason).toMatch(
        /^incident inc-shop-1-[0-9a-f]{8} \(HighErrorRate: api 5xx ratio above 5%\): rolling back by the line's incident policy$/,
      );

      // Its postmortem draft tells the rollback in the train's timeline, in UTC.
      const [incident] = await incidents(s);
      const draft = await s.request<string>("GET", `/api/v1/incidents/${incident!.id}/postmortem`);
      expect(draft.status).toBe(200);
      expect(draft.contentType).toMatch(/^text\/markdown/);
      const md = draft.body;
      expect(md).toContain("## Timeline of train actions and gates");
      expect(md).toContain("| 2026-03-02 09:00:00 | wave | departed: wave 1 started |");
      expect(md).toContain(
        "| 2026-03-02 09:00:00 | alert | alert HighErrorRate fired (critical; received 2026-03-02 09:00:00) |",
      );
      expect(md).toMatch(/\| 2026-03-02 09:00:00 \| rollback \| rollback started: incident inc-shop-1-/);
      expect(md).toContain("SLO burn not measured: no SLO configured for line shop (it has no errorBudget).");
      expect(md).toContain("## Process improvements and automation opportunities");
      const unknown = await s.request("GET", "/api/v1/incidents/inc-none/postmortem");
      expect(unknown.status).toBe(404);
    }, 120_000);

    it("outside a rollout pauses the line's next train at departure; resolution lets it depart", async () => {
      const { server: s } = await setup({ top: HOOK });
      await releaseFirst(s);
      const payload = fixture("firing-critical.json");
      payload.alerts[0]!.startsAt = "2026-03-02T09:45:00Z";
      expect((await deliver(s, payload)).body.alerts).toEqual([
        expect.objectContaining({ outcome: "opened", trainId: "shop-1" }),
      ]);
      await board(s, { api: "1.1.0" });
      await s.advance("22h"); // 07:30 on 3 March: shop-2 frozen, gated, waiting for 09:00
      await s.advance("2h"); // its departure
      let d = await detail(s, "shop-2");
      expect(d.train).toMatchObject({
        state: "paused",
        pauseCause: "incident",
        resumeTo: "awaiting_approval",
      });
      const resolved = fixture("resolved-critical.json");
      resolved.alerts[0]!.startsAt = "2026-03-02T09:45:00Z";
      resolved.alerts[0]!.endsAt = "2026-03-03T09:40:00Z";
      expect((await deliver(s, resolved)).status).toBe(200);
      await s.advance("0s");
      d = await detail(s, "shop-2");
      expect(["deploying", "verifying"]).toContain(d.train.state);
    }, 120_000);

    it("groups two alerts of one train into one incident", async () => {
      const s = await rollingOut();
      const answer = await deliver(s, fixture("firing-two-alerts.json"));
      expect(answer.body.alerts).toEqual([
        expect.objectContaining({ outcome: "opened" }),
        expect.objectContaining({ outcome: "grouped" }),
      ]);
      const all = await incidents(s);
      expect(all).toHaveLength(1);
      const shown = await s.request<{ alerts: Array<{ alertname: string; severity: string }> }>(
        "GET",
        `/api/v1/incidents/${all[0]!.id}`,
      );
      expect(shown.body.alerts.map((a) => [a.alertname, a.severity])).toEqual([
        ["HighErrorRate", "critical"],
        ["HighLatency", "critical"],
      ]);
    }, 120_000);

    it("suppresses expected canary noise during a ramp", async () => {
      const { server: s } = await setup({
        top: HOOK,
        line: "    incidents: { suppress: [{ name: canary-ramp, match: { alertname: HighErrorRate }, window: 5m }] }\n",
        waves: `        - name: eu
          environments: [eu]
          strategy: { type: canary, steps: [{ setWeight: 10 }, { pause: {} }] }
        - name: us
          environments: [us]`,
      });
      await board(s, { db: "1.0.0", api: "1.0.0", web: "1.0.0" });
      await s.advance("2h");
      await s.advance("2h");
      await s.advance("1h"); // an hour into the ramp: past the 5m window, still ramping
      expect((await detail(s, "shop-1")).train.state).toBe("deploying");
      const payload = fixture("firing-critical.json");
      payload.alerts[0]!.startsAt = "2026-03-02T10:00:00Z";
      const answer = await deliver(s, payload);
      expect(answer.body.alerts).toEqual([
        expect.objectContaining({ outcome: "suppressed", window: "canary-ramp", trainId: "shop-1" }),
      ]);
      await s.advance("0s");
      expect((await detail(s, "shop-1")).train.state).toBe("deploying");
      expect(await incidents(s)).toEqual([]);
      const before = await eventCount(s);
      expect((await deliver(s, payload)).body.alerts).toEqual([
        expect.objectContaining({ outcome: "unchanged" }),
      ]);
      expect(await eventCount(s)).toBe(before);
    }, 120_000);

    it("acts on a critical incident a coordinator opens, and resumes when it is resolved", async () => {
      const s = await rollingOut();
      const coordinator = await s.token("carol", ["coordinator"]);
      const opened = await s.request<Incident>(
        "POST",
        "/api/v1/incidents",
        { line: "shop", trainId: "shop-1", title: "checkout broken for EU customers" },
        coordinator,
      );
      expect(opened.status, JSON.stringify(opened.body)).toBe(201);
      expect(opened.body).toMatchObject({ source: "manual", severity: "critical", openedBy: "carol" });
      await s.advance("0s");
      expect((await detail(s, "shop-1")).train).toMatchObject({ state: "paused", pauseCause: "incident" });
      const member = await s.token("ann", ["member"]);
      const denied = await s.request("POST", "/api/v1/incidents", { line: "shop", title: "x" }, member);
      expect(denied.status).toBe(403);
      const resolved = await s.request(
        "POST",
        `/api/v1/incidents/${opened.body.id}/resolve`,
        { resolution: "rolled the CDN config back" },
        coordinator,
      );
      expect(resolved.status).toBe(200);
      await s.advance("0s");
      expect((await detail(s, "shop-1")).train.state).not.toBe("paused");
    }, 120_000);

    it("lets a warning open an incident that does not act", async () => {
      const s = await rollingOut();
      expect((await deliver(s, fixture("firing-warning.json"))).body.alerts).toEqual([
        expect.objectContaining({ outcome: "opened" }),
      ]);
      await s.advance("0s");
      expect((await detail(s, "shop-1")).train.state).toBe("verifying");
      expect((await incidents(s))[0]).toMatchObject({ severity: "warning", status: "open" });
    }, 120_000);

    it("refuses a bad token (401) and a body that is not Alertmanager's (400), recording nothing", async () => {
      const s = await rollingOut();
      const before = await eventCount(s);
      const forged = await deliver(s, fixture("firing-critical.json"), "wrong");
      expect(forged.status).toBe(401);
      expect(forged.contentType).toMatch(/^application\/problem\+json/);
      expect(JSON.stringify(forged.body)).not.toContain(TOKEN);
      expect((await deliver(s, fixture("firing-critical.json"), "")).status).toBe(401);
      const wrongVersion = { ...fixture("firing-critical.json"), version: "3" };
      expect((await deliver(s, wrongVersion)).status).toBe(400);
      const noFingerprint = fixture("firing-critical.json");
      delete noFingerprint.alerts[0]!.fingerprint;
      expect((await deliver(s, noFingerprint)).status).toBe(400);
      expect(await eventCount(s)).toBe(before);
      // Unknown extra fields are Alertmanager's to add: tolerated.
      expect((await deliver(s, { ...fixture("firing-warning.json"), future: true })).status).toBe(200);
    }, 120_000);
  });
}

describe("an unconfigured Alertmanager receiver", () => {
  const { setup } = useWorldScenario("sqlite");
  it("answers 404", async () => {
    const { server: s } = await setup();
    const answer = await deliver(s, fixture("firing-critical.json"));
    expect(answer.status).toBe(404);
  });
});
