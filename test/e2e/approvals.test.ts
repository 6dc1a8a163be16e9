/**
 * Approvals an auditor would sign, through the HTTP API on both databases: separation of duties
 * (whoever pushed or authored an artifact on the train may not approve it, but may reject it),
 * approvals that stop counting when the manifest changes or when they expire, and approving
 * groups that need distinct people.
 */
import { writeFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import type { Train } from "../../src/domain/model.js";
import type { TrainDetail } from "../../src/engine/railyard.js";
import { DIALECTS, type TestDialect } from "../support/dialects.js";
import { commitOf } from "../support/scenario.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { createWorld, type World, worldConfig } from "../support/world.js";

/** alice pushes for core too; carol is in both approving teams. */
const TEAMS = `teams:
  core:
    members:
      - { name: ann }
      - { name: alice, roles: [member] }
  release-managers:
    members:
      - { name: alice, roles: [approver] }
      - { name: bob, roles: [approver] }
      - { name: carol, roles: [approver] }
  qa:
    members:
      - { name: carol, roles: [approver] }
      - { name: dave, roles: [approver] }
`;

type ApprovalStatus = TrainDetail["approval"];
interface ApprovalAnswer extends Omit<ApprovalStatus, "mode" | "records"> {
  train: Train;
  duplicate: boolean;
}
interface Problem {
  status: number;
  detail: string;
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: approvals`, () => {
    let world: World | undefined;
    let server: TestServer | undefined;
    afterEach(async () => {
      await server?.cleanup();
      await world?.cleanup();
      server = undefined;
      world = undefined;
    });

    /** The world's shop line with `approval` (a YAML flow map) and {@link TEAMS}; shop-1 is boarding. */
    async function setup(approval: string, d: TestDialect = dialect): Promise<TestServer> {
      world = await createWorld();
      const config = worldConfig(world.gitops, { approval: { team: "qa", required: 1 } })
        .replace(/^teams:\n[\s\S]*?(?=^deployers:)/m, TEAMS)
        .replace("approval: { mode: manual, team: qa, required: 1 }", `approval: ${approval}`);
      expect(config).toContain(`approval: ${approval}`);
      await writeFile(world.configFile, config);
      server = await startTestServer(world, d);
      await server.advance("0s");
      return server;
    }

    async function push(
      s: TestServer,
      component: string,
      extra: Record<string, unknown> = {},
      token?: string,
    ) {
      const answer = await s.request(
        "POST",
        "/api/v1/artifacts",
        { component, version: "1.0.0", commit: commitOf(component, "1.0.0"), ...extra },
        token,
      );
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    }

    const approver = (s: TestServer, subject: string) => s.token(subject, ["approver"]);
    const approve = (s: TestServer, token: string) =>
      s.request<ApprovalAnswer & Problem>(
        "POST",
        "/api/v1/trains/shop-1/approvals",
        { decision: "approve" },
        token,
      );
    const status = async (s: TestServer) =>
      (await s.request<ApprovalStatus>("GET", "/api/v1/trains/shop-1/approvals")).body;
    const detail = async (s: TestServer) =>
      (await s.request<TrainDetail>("GET", "/api/v1/trains/shop-1")).body;

    it("refuses the pusher and the authors (403, nothing recorded), lets them reject, forgets approvals of an older manifest", async () => {
      const s = await setup("{ mode: manual, team: release-managers, required: 1 }");
      const alice = await s.token("alice", ["member", "approver"]);
      const [bob, carol, dave] = await Promise.all([
        approver(s, "bob"),
        approver(s, "carol"),
        approver(s, "dave"),
      ]);
      await push(s, "db", {}, alice);
      await push(s, "api", { authors: ["bob"] });
      await s.advance("2h"); // the cut-off: frozen, integrated, gated
      expect((await detail(s)).train.state).toBe("awaiting_approval");

      const byPusher = await approve(s, alice);
      expect(byPusher.status).toBe(403);
      expect(byPusher.body.detail).toBe(
        "alice may not approve shop-1: they pushed db 1.0.0 (separation of duties; line shop sets allowSelfApproval: false)",
      );
      const byAuthor = await approve(s, bob);
      expect(byAuthor.status).toBe(403);
      expect(byAuthor.body.detail).toBe(
        "bob may not approve shop-1: they authored api 1.0.0 (separation of duties; line shop sets allowSelfApproval: false)",
      );
      const outsider = await approve(s, dave);
      expect(outsider.status).toBe(403);
      expect(outsider.body.detail).toBe(
        "dave is not a member of team release-managers, which approves line shop",
      );
      const noComment = await s.request<Problem>(
        "POST",
        "/api/v1/trains/shop-1/approvals",
        { decision: "reject" },
        carol,
      );
      expect(noComment.status).toBe(400);
      expect(await status(s)).toMatchObject({ records: [], approvers: [], satisfied: false });
      expect((await detail(s)).train.state).toBe("awaiting_approval");

      expect((await approve(s, carol)).body).toMatchObject({
        approvers: ["carol"],
        required: 1,
        satisfied: true,
        groups: [{ team: "release-managers", required: 1, approvers: ["carol"], satisfied: true }],
      });
      // api leaves the manifest: a new revision, integrated and gated again; carol's approval was
      // for the old one, and bob, no longer an author of anything on the train, may approve.
      const dropped = await s.request<{ train: Train }>("POST", "/api/v1/trains/shop-1/drop", {
        component: "api",
        reason: "not ready",
      });
      expect(dropped.body.train.manifestRevision).toBe(2);
      await s.advance("0s");
      const stale = await status(s);
      expect(stale).toMatchObject({ approvers: [], satisfied: false });
      expect(stale.excluded).toEqual([expect.objectContaining({ approver: "carol", reason: "stale" })]);
      await s.advance("2h"); // the departure
      let d = await detail(s);
      expect(d.train.state).toBe("awaiting_approval");
      expect(d.waitingFor).toBe("approval: 0 of 1");

      // Stopping your own release is fine.
      const rejected = await s.request<ApprovalAnswer>(
        "POST",
        "/api/v1/trains/shop-1/approvals",
        { decision: "reject", comment: "my migration is wrong" },
        alice,
      );
      expect(rejected.status).toBe(201);
      expect(rejected.body.train).toMatchObject({
        state: "blocked",
        reason: "rejected by alice: my migration is wrong",
      });
      expect((await s.request("POST", "/api/v1/trains/shop-1/retry", {})).status).toBe(200);
      expect((await approve(s, bob)).body).toMatchObject({ approvers: ["bob"], satisfied: true });
      await s.advance("0s");
      d = await detail(s);
      expect(d.train.state).toBe("verifying");
    });

    it("needs three people for 2 of release-managers and 1 of qa; approvals expire after expiresAfter", async () => {
      const s = await setup(
        "{ mode: manual, groups: [{ team: release-managers, required: 2 }, { team: qa, required: 1 }], expiresAfter: 1h }",
      );
      const [alice, bob, carol, erin] = await Promise.all([
        approver(s, "alice"),
        approver(s, "bob"),
        approver(s, "carol"),
        approver(s, "erin"),
      ]);
      await push(s, "db");
      await s.advance("2h"); // 07:00 UTC, two hours before the departure

      const outsider = await approve(s, erin);
      expect(outsider.status).toBe(403);
      expect(outsider.body.detail).toBe(
        "erin is not a member of any team that approves line shop (release-managers, qa)",
      );
      await approve(s, bob);
      const two = await approve(s, carol);
      expect(two.body).toMatchObject({ approvers: ["bob", "carol"], required: 3, satisfied: false });
      // carol, in both teams, fills one seat only
      expect(two.body.groups.reduce((n, g) => n + g.approvers.length, 0)).toBe(2);

      await s.advance("1h"); // exactly expiresAfter later: neither counts any more
      const expired = await status(s);
      expect(expired).toMatchObject({ approvers: [], satisfied: false });
      expect(expired.excluded.map((e) => [e.approver, e.reason])).toEqual([
        ["bob", "expired"],
        ["carol", "expired"],
      ]);

      await s.advance("30m");
      await approve(s, bob);
      await approve(s, carol);
      const three = await approve(s, alice);
      expect(three.body).toMatchObject({
        approvers: ["bob", "carol", "alice"],
        required: 3,
        satisfied: true,
      });
      expect(three.body.groups).toEqual([
        { team: "release-managers", required: 2, approvers: ["bob", "alice"], satisfied: true },
        { team: "qa", required: 1, approvers: ["carol"], satisfied: true },
      ]);
      expect((await approve(s, carol)).body).toMatchObject({ duplicate: true, satisfied: true });
      expect((await detail(s)).approval).toMatchObject({ mode: "manual", required: 3, satisfied: true });
      await s.advance("30m"); // the departure, 30 minutes after the approvals
      expect((await detail(s)).train.state).toBe("verifying");
    });
  });
}
