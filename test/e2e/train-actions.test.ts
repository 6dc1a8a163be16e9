/**
 * What people do to trains, through the HTTP API on both databases: pause and resume, abort,
 * retry after a failed gate, manual rollback policy, dropping a component (and what that does to
 * the manifest and the integration environment), rejecting, rolling back a release, skipping.
 */
import { describe, expect, it } from "vitest";
import type { Train } from "../../src/domain/model.js";
import { DIALECTS } from "../support/dialects.js";
import { commitOf, useWorldScenario } from "../support/scenario.js";
import type { TestServer } from "../support/server.js";

for (const dialect of DIALECTS) {
  describe(`${dialect}: people's actions on trains`, () => {
    const { setup, board, detail, releaseFirst } = useWorldScenario(dialect);

    const act = (s: TestServer, id: string, action: string, body: unknown = {}) =>
      s.request<Train & { detail?: string }>("POST", `/api/v1/trains/${id}/${action}`, body);

    it("pauses a boarding train past its cut-off and resumes it where it stopped", async () => {
      const { server: s } = await setup();
      await board(s, { db: "1.0.0" });
      const paused = await act(s, "shop-1", "pause", { reason: "waiting for the DBA" });
      expect(paused.status).toBe(200);
      expect(paused.body).toMatchObject({
        state: "paused",
        resumeTo: "boarding",
        reason: "waiting for the DBA",
      });
      await s.advance("2h");
      expect((await detail(s, "shop-1")).train.state).toBe("paused");
      const resumed = await act(s, "shop-1", "resume");
      expect(resumed.body.state).toBe("boarding");
      await s.advance("0s");
      expect((await detail(s, "shop-1")).train.state).toBe("awaiting_approval");
      const again = await act(s, "shop-1", "resume");
      expect(again.status).toBe(409);
    });

    it("aborts before production with a reason, never after", async () => {
      const { server: s } = await setup();
      await board(s, { db: "1.0.0" });
      const noReason = await act(s, "shop-1", "abort", {});
      expect(noReason.status).toBe(400);
      expect(noReason.body.detail).toBe("aborting a train needs a reason");
      expect((await detail(s, "shop-1")).train.state).toBe("boarding");
      const aborted = await act(s, "shop-1", "abort", { reason: "release cancelled" });
      expect(aborted.body).toMatchObject({ state: "aborted", reason: "aborted by admin: release cancelled" });
      // the next departure boards now
      const next = await s.request<{ train: { id: string } }>("POST", "/api/v1/artifacts", {
        component: "api",
        version: "1.0.0",
        commit: commitOf("api", "1.0.0"),
      });
      expect(next.body.train.id).toBe("shop-2");

      await board(s, { db: "1.0.1" });
      await s.advance("1d2h"); // shop-2's cut-off, 07:00 UTC the next day
      await s.advance("2h"); // its departure
      expect((await detail(s, "shop-2")).train.state).toBe("verifying");
      const late = await act(s, "shop-2", "abort", { reason: "too late" });
      expect(late.status).toBe(409);
      expect(late.body.detail).toContain("roll it back instead of aborting");
    });

    it("blocks on a failed gate and retries only that gate", async () => {
      const { world: w, server: s } = await setup();
      await w.fail("gating");
      await board(s, { db: "1.0.0" });
      await s.advance("2h");
      let d = await detail(s, "shop-1");
      expect(d.train).toMatchObject({ state: "blocked", resumeTo: "gating" });
      expect(d.train.reason).toMatch(/^gate tests failed: exit code 1 after \d+ms$/);
      expect(d.allowedActions).toEqual(expect.arrayContaining(["retry", "abort", "drop"]));
      expect(d.waitingFor).toContain("retry, drop a component or roll back");
      await w.pass("gating");
      const retried = await act(s, "shop-1", "retry");
      expect(retried.body.state).toBe("gating");
      await s.advance("0s");
      d = await detail(s, "shop-1");
      expect(d.train.state).toBe("awaiting_approval");
      expect(d.gates.map((g) => [g.gate, g.attempt, g.status])).toEqual([
        ["tests", 1, "failed"],
        ["tests", 2, "passed"],
      ]);
    });

    it("with a manual rollback policy, a failed verification blocks; retry or roll back", async () => {
      const { world: w, server: s } = await setup({ rollback: "manual" });
      await releaseFirst(s);
      await board(s, { api: "1.1.0" });
      await w.fail("verify-eu");
      await s.advance("21h30m");
      await s.advance("2h");
      await s.advance("30m");
      let d = await detail(s, "shop-2");
      expect(d.train).toMatchObject({ state: "blocked", resumeTo: "verifying" });
      expect(d.allowedActions).toEqual(expect.arrayContaining(["retry", "rollback"]));
      expect(d.allowedActions).not.toContain("abort");
      // retrying while still failing blocks again, with a second attempt recorded
      await act(s, "shop-2", "retry");
      await s.advance("0s");
      d = await detail(s, "shop-2");
      expect(d.train.state).toBe("blocked");
      expect(d.gates.filter((g) => g.stage === "verify/eu").map((g) => g.attempt)).toEqual([1, 2]);
      const rolled = await act(s, "shop-2", "rollback", { reason: "error budget" });
      expect(rolled.body.state).toBe("rolling_back");
      await s.advance("0s");
      d = await detail(s, "shop-2");
      expect(d.train).toMatchObject({ state: "rolled_back", reason: "rolled back by admin: error budget" });
      expect(await w.show("env/eu.yaml")).toContain("api:\n  version: 1.0.0");
    });

    it("drops a component after the cut-off: holds what needs it, re-integrates and gates again", async () => {
      const { world: w, server: s } = await setup();
      await releaseFirst(s);
      await board(s, { db: "2.0.0", api: "2.0.0", web: "2.0.0" }, "shop-2");
      // api 2.0.0 will need db >= 2.0.0
      await w.fail("gating");
      await s.advance("21h30m");
      let d = await detail(s, "shop-2");
      expect(d.train.state).toBe("blocked");
      expect(d.train.manifestRevision).toBe(1);
      const dropped = await s.request<{ train: Train; carriedTo: string; nowHeld: unknown[] }>(
        "POST",
        "/api/v1/trains/shop-2/drop",
        { component: "web", reason: "not ready" },
      );
      expect(dropped.status).toBe(200);
      expect(dropped.body.train).toMatchObject({ state: "integrating", manifestRevision: 2 });
      expect(dropped.body).toMatchObject({ carriedTo: "shop-3", nowHeld: [] });
      await w.pass("gating");
      await s.advance("0s");
      d = await detail(s, "shop-2");
      expect(d.train.state).toBe("awaiting_approval");
      expect(d.manifest.map((i) => [i.component, i.status, i.revision])).toEqual(
        expect.arrayContaining([
          ["db", "boarded", 2],
          ["api", "boarded", 2],
          ["web", "dropped", 2],
        ]),
      );
      // web's new version left the integration environment again; the gates ran for revision 2
      expect(await w.show("env/staging.yaml")).toContain("web:\n  version: 1.0.0");
      expect(d.steps.map((st) => st.key)).toEqual(
        expect.arrayContaining(["r2/unintegrate/web", "r2/gate/gating/tests"]),
      );
      const dropAgain = await act(s, "shop-2", "drop", { component: "web", reason: "again" });
      expect(dropAgain.status).toBe(404);

      await s.advance("2h");
      await s.advance("30m");
      d = await detail(s, "shop-2");
      expect(d.train.state).toBe("released");
      expect(await w.show("env/us.yaml")).toBe(
        "# us\ndb:\n  version: 2.0.0\napi:\n  version: 2.0.0\nweb:\n  version: 1.0.0\n",
      );
    });

    it("holds dependents of a dropped component with the reason chain", async () => {
      const { server: s } = await setup();
      await board(s, { db: "1.0.0", api: "1.0.0", web: "1.0.0" });
      await s.advance("2h");
      const dropped = await s.request<{
        train: Train;
        nowHeld: Array<{ component: string; reason: string }>;
      }>("POST", "/api/v1/trains/shop-1/drop", { component: "api", reason: "flaky build" });
      expect(dropped.body.train.manifestRevision).toBe(2);
      const reason = "web 1.0.0 held: needs api >=1.0.0; api 1.0.0 held: dropped by admin: flaky build";
      expect(dropped.body.nowHeld).toEqual([expect.objectContaining({ component: "web", reason })]);
      const d = await detail(s, "shop-1");
      const web = d.manifest.find((i) => i.component === "web");
      expect(web?.status).toBe("held");
      expect(web?.reason).toBe(reason);
    });

    it("drops a component while boarding: its artifacts leave the train and ride the next", async () => {
      const { server: s } = await setup();
      await board(s, { db: "1.0.0", api: "1.0.0" });
      const dropped = await s.request<{ train: Train; carriedTo: string }>(
        "POST",
        "/api/v1/trains/shop-1/drop",
        {
          component: "api",
          reason: "waiting for review",
        },
      );
      expect(dropped.body.train.state).toBe("boarding");
      expect(dropped.body.carriedTo).toBe("shop-2");
      await s.advance("2h");
      const d = await detail(s, "shop-1");
      expect(d.manifest.map((i) => i.component)).toEqual(["db"]);
      expect(d.artifacts.map((a) => a.component)).toEqual(["db"]);
      expect((await detail(s, "shop-2")).artifacts.map((a) => [a.component, a.dropped])).toEqual([
        ["api", false],
      ]);
    });

    it("rejects with a comment; earlier approvals no longer count after the rejection", async () => {
      const { server: s } = await setup({ approval: { team: "board", required: 1 } });
      const alice = await s.token("alice", ["approver"]);
      const bob = await s.token("bob", ["approver"]);
      await board(s, { db: "1.0.0" });
      await s.advance("2h");
      const noComment = await s.request(
        "POST",
        "/api/v1/trains/shop-1/approvals",
        { decision: "reject" },
        bob,
      );
      expect(noComment.status).toBe(400);
      const rejected = await s.request<{ train: Train }>(
        "POST",
        "/api/v1/trains/shop-1/approvals",
        { decision: "reject", comment: "migration not reviewed" },
        bob,
      );
      expect(rejected.body.train).toMatchObject({
        state: "blocked",
        resumeTo: "awaiting_approval",
        reason: "rejected by bob: migration not reviewed",
      });
      await act(s, "shop-1", "retry");
      expect((await detail(s, "shop-1")).waitingFor).toBe("approval: 0 of 1");
      await s.request("POST", "/api/v1/trains/shop-1/approvals", { decision: "approve" }, alice);
      await s.advance("2h");
      expect((await detail(s, "shop-1")).train.state).toBe("verifying");
    });

    it("rolls back a release by hand, only the latest one", async () => {
      const { world: w, server: s } = await setup();
      await releaseFirst(s);
      await board(s, { web: "1.1.0" });
      await s.advance("21h30m");
      await s.advance("2h");
      await s.advance("30m");
      expect((await detail(s, "shop-2")).train.state).toBe("released");
      const older = await act(s, "shop-1", "rollback", { reason: "oops" });
      expect(older.status).toBe(409);
      expect(older.body.detail).toBe(
        "shop-1 is not line shop's latest release (shop-2); roll back shop-2 first",
      );
      const rolled = await act(s, "shop-2", "rollback", { reason: "customer reports" });
      expect(rolled.body.state).toBe("rolling_back");
      await s.advance("0s");
      const d = await detail(s, "shop-2");
      expect(d.train.state).toBe("rolled_back");
      expect(await w.show("env/us.yaml")).toContain("web:\n  version: 1.0.0");
      expect(await w.show("env/eu.yaml")).toContain("web:\n  version: 1.0.0");
      const reverts = (await w.commits()).filter(
        (c) => c.trailers["Railyard-Train"] === "shop-2" && c.trailers["Railyard-Reverts"],
      );
      expect(reverts.map((c) => c.trailers["Railyard-Step"])).toEqual(["rollback/eu/web", "rollback/us/web"]);
    });

    it("skips a train nothing boarded", async () => {
      const { server: s } = await setup();
      await s.advance("2h");
      const d = await detail(s, "shop-1");
      expect(d.train).toMatchObject({ state: "skipped", reason: "nothing boarded before the cut-off" });
      expect((await s.request<Train[]>("GET", "/api/v1/trains?active=true")).body.map((t) => t.id)).toEqual([
        "shop-3",
        "shop-2",
      ]);
    });
  });
}
