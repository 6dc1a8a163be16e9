/**
 * Every action keeps its actor, its source (token id, address, request id) and the target before
 * and after, in an `action.audited` event committed with the action's own events; refusals are
 * kept as `access.denied`. Through the real HTTP API, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditSource, StoredEvent } from "../../src/domain/events.js";
import { DIALECTS } from "../support/dialects.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { createWorld, type World } from "../support/world.js";

type Audited = StoredEvent & {
  payload: {
    action: string;
    target: { kind: string; id: string };
    source: AuditSource | null;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
    reason?: string;
  };
};

for (const dialect of DIALECTS) {
  describe(`${dialect}: the audit record of every action`, () => {
    let world: World;
    let server: TestServer;
    let cora: string;
    let coraId: string;
    let ci: string;
    let trainId: string;

    const events = async (type: string) => {
      const answer = await server.request<Audited[]>("GET", `/api/v1/events?type=${type}&limit=5000`);
      expect(answer.status).toBe(200);
      return answer.body;
    };

    beforeAll(async () => {
      world = await createWorld();
      server = await startTestServer(world, dialect);
      const created = await server.request<{ token: string; record: { id: string } }>(
        "POST",
        "/api/v1/tokens",
        {
          name: "coordinator",
          subject: "cora",
          roles: ["coordinator"],
        },
      );
      cora = created.body.token;
      coraId = created.body.record.id;
      ci = await server.ciToken("ci-db", ["db"]);
      await server.advance("0s");
      const pushed = await server.send<{ train: { id: string } }>(
        "POST",
        "/api/v1/artifacts",
        JSON.stringify({ component: "db", version: "1.0.0", commit: "a".repeat(40) }),
        { "content-type": "application/json", authorization: `Bearer ${ci}`, "user-agent": "matrix-ci/1.0" },
      );
      expect(pushed.status, JSON.stringify(pushed.body)).toBe(201);
      trainId = pushed.body.train.id;
    });
    afterAll(async () => {
      await server?.cleanup();
      await world?.cleanup();
    });

    it("records a pause with who, from where, and the train before and after", async () => {
      const paused = await server.request(
        "POST",
        `/api/v1/trains/${trainId}/pause`,
        { reason: "freeze" },
        cora,
      );
      expect(paused.status).toBe(200);
      const record = (await events("action.audited")).find((e) => e.payload.action === "train.pause");
      expect(record).toBeDefined();
      expect(record!.actor).toBe("cora");
      expect(record!.trainId).toBe(trainId);
      expect(record!.payload.target).toEqual({ kind: "train", id: trainId });
      expect(record!.payload.before).toMatchObject({ state: "boarding", manifest: {} });
      expect(record!.payload.after).toMatchObject({ state: "paused", resumeTo: "boarding" });
      expect(record!.payload.source).toMatchObject({ via: "token", tokenId: coraId });
      expect(record!.payload.source?.address).toMatch(/127\.0\.0\.1|::1/);
      expect(record!.payload.source?.requestId).toBeTruthy();
      // Committed with the transition it describes: the event right before it.
      const trainEvents = await server.request<StoredEvent[]>("GET", `/api/v1/trains/${trainId}/events`);
      const index = trainEvents.body.findIndex((e) => e.id === record!.id);
      expect(trainEvents.body[index - 1]).toMatchObject({ type: "train.transitioned", actor: "cora" });
    });

    it("keeps a push's source in its own event, which is its audit record", async () => {
      expect((await events("action.audited")).some((e) => e.payload.action === "artifact.push")).toBe(false);
      const [pushed] = (await events("artifact.pushed")) as unknown as Array<
        StoredEvent & { payload: { component: string; source: AuditSource | null } }
      >;
      expect(pushed).toMatchObject({ actor: "ci-db", payload: { component: "db" } });
      expect(pushed!.payload.source).toMatchObject({ via: "token", userAgent: "matrix-ci/1.0" });
      expect(pushed!.payload.source?.tokenId).toMatch(/^tok_/);
    });

    it("records a refusal with the reason and changes nothing else", async () => {
      const before = await server.request<StoredEvent[]>("GET", "/api/v1/events?limit=5000");
      const denied = await server.request("POST", `/api/v1/trains/${trainId}/abort`, { reason: "x" }, ci);
      expect(denied.status).toBe(403);
      const after = await server.request<StoredEvent[]>("GET", "/api/v1/events?limit=5000");
      const added = after.body.slice(before.body.length) as Audited[];
      expect(added.map((e) => e.type)).toEqual(["access.denied"]);
      expect(added[0]).toMatchObject({
        actor: "ci-db",
        trainId,
        payload: {
          action: "train.abort",
          target: { kind: "train", id: trainId },
          reason: "ci-db is a CI token and may only push artifacts and reports",
        },
      });
      expect(added[0]!.payload.source?.tokenId).toMatch(/^tok_/);
    });

    it("records token creation without the secret, and revocation", async () => {
      const created = await server.request<{ token: string; record: { id: string } }>(
        "POST",
        "/api/v1/tokens",
        {
          name: "temporary",
          subject: "vera",
          roles: ["viewer"],
        },
      );
      await server.request("DELETE", `/api/v1/tokens/${created.body.record.id}`);
      const records = (await events("action.audited")).filter(
        (e) => e.payload.target.id === created.body.record.id,
      );
      expect(records.map((e) => e.payload.action)).toEqual(["token.create", "token.revoke"]);
      expect(records[0]!.payload.before).toBeNull();
      expect(records[0]!.payload.after).toMatchObject({ subject: "vera", revokedAt: null });
      expect(records[1]!.payload.after).toMatchObject({ revokedAt: expect.any(String) });
      const log = await server.request<string>("GET", "/api/v1/audit/export");
      expect(String(log.body)).not.toContain(created.body.token);
    });
  });
}
