/**
 * End to end through the HTTP API, on SQLite and PostgreSQL, with a real GitOps repository:
 * a train from scheduled to released; a rollback after a failing verification gate (with revert
 * commits); a late artifact boarding the next train; two distinct approvers.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PushResult } from "../../src/engine/boarding-desk.js";
import type { TrainDetail } from "../../src/engine/railyard.js";
import { verifyExportLines } from "../../src/store/audit.js";
import { DIALECTS } from "../support/dialects.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { createWorld, RELEASE_STATES, SHOP_1, type World, type WorldOptions } from "../support/world.js";

const SHA = (n: number) => `${n}`.padStart(7, "a").repeat(6).slice(0, 40);

for (const dialect of DIALECTS) {
  describe(`${dialect}: a train end to end`, () => {
    let world: World;
    let server: TestServer;
    let ci: string;

    async function setup(options: WorldOptions = {}) {
      world = await createWorld(options);
      server = await startTestServer(world, dialect);
      ci = await server.ciToken("ci-bot", ["db", "api", "web"]);
    }

    const push = (component: string, version: string, extra: Record<string, unknown> = {}) =>
      server.request<PushResult>(
        "POST",
        "/api/v1/artifacts",
        { component, version, commit: SHA(version.length + component.length), ...extra },
        ci,
      );
    const train = async (id: string) => {
      const answer = await server.request<TrainDetail>("GET", `/api/v1/trains/${id}`);
      expect(answer.status).toBe(200);
      return answer.body;
    };
    const states = (detail: TrainDetail) =>
      detail.events
        .filter((e) => e.type === "train.transitioned")
        .map((e) => (e.payload as { to: string }).to);

    async function boardAll(versions: Record<string, string>) {
      for (const [component, version] of Object.entries(versions)) {
        const answer = await push(component, version);
        expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      }
    }

    beforeEach(() => {
      world = undefined as unknown as World;
    });
    afterEach(async () => {
      await server?.cleanup();
      await world?.cleanup();
    });

    it("runs a train from scheduled to released, one commit per component per wave", async () => {
      await setup();
      await server.advance("0s");
      const trains = await server.request<Array<{ id: string; state: string }>>(
        "GET",
        "/api/v1/trains?line=shop",
      );
      expect(trains.body.map((t) => [t.id, t.state])).toEqual([
        ["shop-2", "scheduled"],
        ["shop-1", "boarding"],
      ]);

      await boardAll({ db: "1.0.0", api: "1.2.0", web: "2.0.0" });
      await server.advance("2h"); // 07:00 UTC: cut-off
      let detail = await train("shop-1");
      expect(detail.train.state).toBe("awaiting_approval");
      expect(detail.waitingFor).toBe(`departure at ${SHOP_1.departureAt}`);
      expect(detail.manifest.map((i) => [i.component, i.version, i.status])).toEqual(
        expect.arrayContaining([
          ["db", "1.0.0", "boarded"],
          ["api", "1.2.0", "boarded"],
          ["web", "2.0.0", "boarded"],
        ]),
      );
      expect(detail.gates.map((g) => [g.stage, g.gate, g.status])).toEqual([["gating", "tests", "passed"]]);

      await server.advance("2h"); // departure: wave eu deploys, then bakes 30m
      detail = await train("shop-1");
      expect(detail.train.state).toBe("verifying");
      expect(detail.waves.map((w) => [w.name, w.status])).toEqual([
        ["eu", "baking"],
        ["us", "pending"],
      ]);

      await server.advance("30m");
      detail = await train("shop-1");
      expect(detail.train.state).toBe("released");
      expect(states(detail)).toEqual(RELEASE_STATES);
      expect(detail.events[0]?.type).toBe("train.created");

      const commits = await world.commits();
      const steps = commits.map((c) => c.trailers["Railyard-Step"]).sort();
      expect(steps).toEqual(
        [
          "deploy/eu/api",
          "deploy/eu/db",
          "deploy/eu/web",
          "deploy/us/api",
          "deploy/us/db",
          "deploy/us/web",
          "r1/integrate/api",
          "r1/integrate/db",
          "r1/integrate/web",
        ].sort(),
      );
      // dependencies first: db, then api, then web, in every wave
      const euOrder = commits
        .filter((c) => c.trailers["Railyard-Step"]?.startsWith("deploy/eu/"))
        .reverse()
        .map((c) => c.trailers["Railyard-Step"]);
      expect(euOrder).toEqual(["deploy/eu/db", "deploy/eu/api", "deploy/eu/web"]);
      expect(await world.show("env/us.yaml")).toBe(
        "# us\ndb:\n  version: 1.0.0\napi:\n  version: 1.2.0\nweb:\n  version: 2.0.0\n",
      );

      const deployments = await server.request<
        Array<{ environment: string; component: string; version: string }>
      >("GET", "/api/v1/deployments?environment=us");
      expect(deployments.body.map((d) => [d.component, d.version]).sort()).toEqual([
        ["api", "1.2.0"],
        ["db", "1.0.0"],
        ["web", "2.0.0"],
      ]);
      const verify = await server.request<{ ok: boolean }>("GET", "/api/v1/audit/verify");
      expect(verify.body.ok).toBe(true);
      // the API's export is the CLI's format: it verifies on its own, anywhere
      const exported = await server.request<string>("GET", "/api/v1/audit/export");
      expect(exported.contentType).toContain("application/x-ndjson");
      const lines = exported.body.split("\n").filter((l) => l.length > 0);
      // One header line before the events (no checkpoints or seal: this server has no signing key).
      expect(verifyExportLines(lines)).toMatchObject({ ok: true, events: lines.length - 1 });
      const shop1 = await server.request<string>("GET", "/api/v1/audit/export?train=shop-1");
      const shop1Lines = shop1.body
        .split("\n")
        .filter(Boolean)
        .map(
          (l) => JSON.parse(l) as { kind?: string; omitted?: boolean; trainId?: string; payload?: unknown },
        );
      // Other trains' events are hash-only stubs that keep the chain verifiable, without content.
      const full = shop1Lines.filter((l) => l.kind === undefined && !l.omitted);
      expect(full.length).toBeGreaterThan(0);
      expect(full.every((l) => l.trainId === "shop-1")).toBe(true);
      expect(shop1Lines.filter((l) => l.omitted).every((l) => l.payload === undefined)).toBe(true);
    });

    it("rolls back automatically when verification fails, with revert commits", async () => {
      await setup();
      await server.advance("0s");
      await boardAll({ db: "1.0.0", api: "1.0.0", web: "1.0.0" });
      await server.advance("2h"); // cut-off
      await server.advance("2h"); // departure
      await server.advance("30m"); // bake over: shop-1 released
      expect((await train("shop-1")).train.state).toBe("released");

      await boardAll({ api: "1.1.0", web: "1.1.0" });
      await world.fail("verify-eu");
      await server.advance("21h30m"); // 09:30 → shop-2's cut-off, 07:00 UTC the next day
      await server.advance("2h"); // departure: wave eu deploys
      await server.advance("30m"); // bake over: verification fails
      const detail = await train("shop-2");
      expect(detail.train.state).toBe("rolled_back");
      expect(detail.train.reason).toContain("gate health failed in wave eu");
      expect(detail.train.reason).toContain("rolling back automatically");
      expect(detail.gates.find((g) => g.stage === "verify/eu")?.status).toBe("failed");
      expect(detail.waves.map((w) => [w.name, w.status])).toEqual([
        ["eu", "rolled_back"],
        ["us", "pending"],
      ]);

      const commits = await world.commits();
      const reverts = commits.filter(
        (c) => c.trailers["Railyard-Train"] === "shop-2" && c.trailers["Railyard-Reverts"],
      );
      expect(reverts.map((c) => c.trailers["Railyard-Step"])).toEqual(["rollback/eu/api", "rollback/eu/web"]);
      for (const revert of reverts) {
        const component = revert.trailers["Railyard-Step"]!.split("/")[2];
        const deploy = commits.find(
          (c) =>
            c.trailers["Railyard-Train"] === "shop-2" &&
            c.trailers["Railyard-Step"] === `deploy/eu/${component}`,
        );
        expect(revert.trailers["Railyard-Reverts"]).toBe(deploy?.sha);
      }
      expect(await world.show("env/eu.yaml")).toBe(
        "# eu\ndb:\n  version: 1.0.0\napi:\n  version: 1.0.0\nweb:\n  version: 1.0.0\n",
      );
      const eu = await server.request<Array<{ component: string; version: string }>>(
        "GET",
        "/api/v1/deployments?environment=eu",
      );
      expect(eu.body.map((d) => [d.component, d.version]).sort()).toEqual([
        ["api", "1.0.0"],
        ["db", "1.0.0"],
        ["web", "1.0.0"],
      ]);
      // nothing of shop-2 reached us
      expect(
        commits.some(
          (c) =>
            c.trailers["Railyard-Step"]?.startsWith("deploy/us/") &&
            c.trailers["Railyard-Train"] === "shop-2",
        ),
      ).toBe(false);
    });

    it("boards a late artifact on the next train and says so", async () => {
      await setup();
      await server.advance("0s");
      await boardAll({ db: "1.0.0" });
      await server.advance("2h"); // shop-1 cut-off passed
      const late = await push("api", "1.0.0");
      expect(late.status).toBe(201);
      expect(late.body.late).toBe(false); // the open train is shop-2 now: not late for it
      expect(late.body.train.id).toBe("shop-2");

      const aimed = await push("web", "1.0.0", { train: "shop-1" });
      expect(aimed.status).toBe(201);
      expect(aimed.body.late).toBe(true);
      expect(aimed.body.train.id).toBe("shop-2");
      expect(aimed.body.message).toMatch(
        /^shop-1's boarding closed at 2026-03-02T07:00:00.000Z \(it is \w+\); web 1.0.0 boarded shop-2 /,
      );

      const replay = await push("web", "1.0.0", { train: "shop-1" });
      expect(replay.status).toBe(200);
      expect(replay.body.replay).toBe(true);
      const conflict = await server.request(
        "POST",
        "/api/v1/artifacts",
        { component: "web", version: "1.0.0", commit: "b".repeat(40) },
        ci,
      );
      expect(conflict.status).toBe(409);
      expect(conflict.contentType).toContain("application/problem+json");

      const shop1 = await train("shop-1");
      expect(shop1.manifest.map((i) => i.component)).toEqual(["db"]);
      const shop2 = await train("shop-2");
      expect(shop2.artifacts.map((a) => a.component).sort()).toEqual(["api", "web"]);
    });

    it("needs two distinct approvers; the same person twice counts once", async () => {
      await setup({ approval: { team: "board", required: 2 } });
      const alice = await server.token("alice", ["approver"]);
      const bob = await server.token("bob", ["approver"]);
      const ann = await server.token("ann", ["member"]);
      await server.advance("0s");
      await boardAll({ db: "1.0.0" });

      const early = await server.request(
        "POST",
        "/api/v1/trains/shop-1/approvals",
        { decision: "approve" },
        alice,
      );
      expect(early.status).toBe(409);

      await server.advance("2h");
      expect((await train("shop-1")).train.state).toBe("awaiting_approval");
      const first = await server.request<{ approvers: string[]; satisfied: boolean; duplicate: boolean }>(
        "POST",
        "/api/v1/trains/shop-1/approvals",
        { decision: "approve", comment: "looks good" },
        alice,
      );
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ approvers: ["alice"], satisfied: false, duplicate: false });
      const again = await server.request<{ approvers: string[]; satisfied: boolean; duplicate: boolean }>(
        "POST",
        "/api/v1/trains/shop-1/approvals",
        { decision: "approve" },
        alice,
      );
      expect(again.body).toMatchObject({ approvers: ["alice"], satisfied: false, duplicate: true });
      const outsider = await server.request(
        "POST",
        "/api/v1/trains/shop-1/approvals",
        { decision: "approve" },
        ann,
      );
      expect(outsider.status).toBe(403);

      await server.advance("2h"); // departure time: still one approver, so it waits
      let detail = await train("shop-1");
      expect(detail.train.state).toBe("awaiting_approval");
      expect(detail.waitingFor).toBe("approval: 1 of 2 (alice)");

      const second = await server.request<{ approvers: string[]; satisfied: boolean }>(
        "POST",
        "/api/v1/trains/shop-1/approvals",
        { decision: "approve" },
        bob,
      );
      expect(second.body).toMatchObject({ approvers: ["alice", "bob"], satisfied: true });
      await server.advance("0s");
      detail = await train("shop-1");
      expect(detail.train.state).toBe("verifying");
      const depart = detail.events.find(
        (e) => e.type === "train.transitioned" && (e.payload as { to: string }).to === "deploying",
      );
      expect((depart?.payload as { reason?: string } | undefined)?.reason).toBe("approved by alice, bob");
      expect(detail.approval.records.map((a) => a.approver)).toEqual(["alice", "alice", "bob"]);
    });

    it("refuses mutations without a valid token and illegal actions with the reason", async () => {
      await setup();
      await server.advance("0s");
      const anonymous = await server.request(
        "POST",
        "/api/v1/artifacts",
        { component: "db", version: "1.0.0", commit: "a".repeat(40) },
        "",
      );
      expect(anonymous.status).toBe(401);
      expect(anonymous.contentType).toContain("application/problem+json");
      const forged = await server.request("POST", "/api/v1/trains/shop-1/pause", {}, "ry_forged");
      expect(forged.status).toBe(401);
      const viewer = await server.token("vera", ["viewer"]);
      const denied = await server.request("POST", "/api/v1/trains/shop-1/pause", {}, viewer);
      expect(denied.status).toBe(403);

      const rollback = await server.request<{ detail: string; allowed: string[] }>(
        "POST",
        "/api/v1/trains/shop-1/rollback",
        {},
      );
      expect(rollback.status).toBe(409);
      expect(rollback.body.detail).toBe(
        "shop-1: cannot rollback a train that is boarding; you can: pause, abort, drop",
      );
      const bad = await server.request<{ problems: Array<{ path: string }> }>(
        "POST",
        "/api/v1/artifacts",
        { component: "db" },
        ci,
      );
      expect(bad.status).toBe(400);
      expect(bad.body.problems.map((p) => p.path)).toEqual(
        expect.arrayContaining(["body.version", "body.commit"]),
      );
      const unknown = await push("nope", "1.0.0");
      expect(unknown.status).toBe(400);
      expect((unknown.body as unknown as { detail: string }).detail).toContain('unknown component "nope"');
      // nothing changed: no artifacts recorded
      const artifacts = await server.request<unknown[]>("GET", "/api/v1/artifacts");
      expect(artifacts.body).toEqual([]);
    });
  });
}
