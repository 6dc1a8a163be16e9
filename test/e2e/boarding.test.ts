/**
 * Boarding through the engine on both databases (issue 4): readiness (CI status, required
 * reports, pins), reason chains, held components riding the next train, a drop after the cut-off
 * re-resolving the manifest, deploy order with migrations first and bounded concurrency, and the
 * `tests` gate over JUnit reports posted for the integration stage.
 */
import { createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { StoredEvent } from "../../src/domain/events.js";
import type { Artifact } from "../../src/domain/model.js";
import { withDeadline } from "../support/deadline.js";
import { DIALECTS } from "../support/dialects.js";
import { commitOf, useWorldScenario } from "../support/scenario.js";
import { REPO_ROOT } from "../support/serve-process.js";
import type { TestServer } from "../support/server.js";

const short = (component: string, version: string) => commitOf(component, version).slice(0, 7);

const JUNIT = (failures: number, total: number) => `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="unit" tests="${total}" failures="${failures}">
  <testsuite name="checkout" tests="${total}" failures="${failures}">
${Array.from({ length: total }, (_, i) =>
  i < failures
    ? `    <testcase classname="checkout.Cart" name="case ${i}" time="0.01"><failure message="expected 2, got 3"/></testcase>`
    : `    <testcase classname="checkout.Cart" name="case ${i}" time="0.01"/>`,
).join("\n")}
  </testsuite>
</testsuites>`;

for (const dialect of DIALECTS) {
  describe(`${dialect}: boarding`, () => {
    const { setup, board, detail, releaseFirst } = useWorldScenario(dialect);

    const push = (s: TestServer, body: Record<string, unknown>) =>
      s.request<{ artifact: Artifact; train: { id: string } }>("POST", "/api/v1/artifacts", {
        commit: commitOf(String(body.component), String(body.version)),
        ...body,
      });

    /** Settles until the train is in `state` (a waiting gate finishes on its own time). */
    async function until(s: TestServer, id: string, state: string) {
      await withDeadline(
        (async () => {
          while ((await detail(s, id)).train.state !== state) await s.advance("0s");
        })(),
        20_000,
        `${id} ${state}`,
      );
    }

    it("holds a component whose CI failed and everyone needing it, with the chain, and carries them on", async () => {
      const { server: s } = await setup();
      const db = await push(s, {
        component: "db",
        version: "1.0.0",
        ci: { state: "failure", url: "https://ci.example.com/db/1", name: "build" },
      });
      expect(db.status).toBe(201);
      await board(s, { api: "1.0.0", web: "1.0.0" });
      await s.advance("2h");

      const d = await detail(s, "shop-1");
      expect(d.train.state).toBe("skipped");
      const reason = (component: string) => d.manifest.find((i) => i.component === component)?.reason;
      const dbHeld = `db 1.0.0 held: CI failed on commit ${short("db", "1.0.0")} (build: https://ci.example.com/db/1)`;
      expect(reason("db")).toBe(dbHeld);
      expect(reason("api")).toBe(`api 1.0.0 held: needs db >=1.0.0; ${dbHeld}`);
      expect(reason("web")).toBe(
        `web 1.0.0 held: needs api >=1.0.0; api 1.0.0 held: needs db >=1.0.0; ${dbHeld}`,
      );
      expect(d.train.reason).toContain("every component was held");

      // They ride the next train, where a fixed db boards them all.
      const next = await s.request<Artifact[]>("GET", "/api/v1/artifacts?train=shop-2");
      expect(next.body.map((a) => a.component).sort()).toEqual(["api", "db", "web"]);
      await push(s, { component: "db", version: "1.0.1", ci: { state: "success" } });
      await s.advance("1d");
      const d2 = await detail(s, "shop-2");
      expect(d2.manifest.map((i) => [i.component, i.version, i.status])).toEqual(
        expect.arrayContaining([
          ["db", "1.0.1", "boarded"],
          ["api", "1.0.0", "boarded"],
          ["web", "1.0.0", "boarded"],
        ]),
      );
      expect(d2.manifest.find((i) => i.component === "api")?.dependsOn).toEqual([
        { component: "db", version: ">=1.0.0" },
      ]);
    });

    it("drops a component after the cut-off: who needed its new version is held, the rest go", async () => {
      const { server: s } = await setup();
      await releaseFirst(s);
      await push(s, { component: "db", version: "2.0.0" });
      await push(s, {
        component: "api",
        version: "2.0.0",
        dependsOn: [{ component: "db", version: ">=2.0.0" }],
      });
      await push(s, { component: "web", version: "1.1.0" });
      await s.advance("21h30m"); // shop-2's cut-off: 07:00 UTC on 3 March
      expect((await detail(s, "shop-2")).train.state).toBe("awaiting_approval");

      const noReason = await s.request("POST", "/api/v1/trains/shop-2/drop", { component: "db" });
      expect(noReason.status).toBe(400);
      const dropped = await s.request<{
        component: string;
        carriedTo: string | null;
        nowHeld: Array<{ component: string; reasons: string[] }>;
      }>("POST", "/api/v1/trains/shop-2/drop", { component: "db", reason: "migration not reviewed" });
      expect(dropped.status).toBe(200);
      expect(dropped.body.carriedTo).toBe("shop-3");
      expect(dropped.body.nowHeld.map((h) => h.component)).toEqual(["api"]);
      expect(dropped.body.nowHeld[0]?.reasons).toEqual([
        "api 2.0.0 held: needs db >=2.0.0",
        "db 2.0.0 held: dropped by admin: migration not reviewed",
      ]);

      const d = await detail(s, "shop-2");
      expect(d.train.manifestRevision).toBe(2);
      expect(d.manifest.map((i) => [i.component, i.status])).toEqual(
        expect.arrayContaining([
          ["db", "dropped"],
          ["api", "held"],
          ["web", "boarded"],
        ]),
      );
      const onNext = await s.request<Artifact[]>("GET", "/api/v1/artifacts?train=shop-3");
      expect(onNext.body.map((a) => [a.component, a.dropped]).sort()).toEqual([
        ["api", false],
        ["db", false],
      ]);
      const diff = d.diff.items.map((i) => [i.component, i.from, i.to, i.change, i.status]);
      expect(diff).toEqual([
        ["api", "1.0.0", "2.0.0", "upgrade", "held"],
        ["db", "1.0.0", "2.0.0", "upgrade", "dropped"],
        ["web", "1.0.0", "1.1.0", "upgrade", "boarded"],
      ]);
    });

    it("keeps a pinned component at production until it is unpinned", async () => {
      const { server: s } = await setup();
      await releaseFirst(s);
      const coordinator = await s.token("cora", ["coordinator"]);
      const member = await s.token("ann", ["member"]);
      const refused = await s.request("POST", "/api/v1/components/db/pin", { reason: "incident 42" }, member);
      expect(refused.status).toBe(403);
      const pinned = await s.request(
        "POST",
        "/api/v1/components/db/pin",
        { reason: "incident 42" },
        coordinator,
      );
      expect(pinned.status).toBe(201);
      await board(s, { db: "1.1.0", web: "1.1.0" });
      await s.advance("21h30m");
      const d = await detail(s, "shop-2");
      expect(d.manifest.find((i) => i.component === "db")).toMatchObject({
        status: "held",
        reason: "db 1.1.0 held: pinned at production 1.0.0 by cora: incident 42",
      });
      expect(d.manifest.find((i) => i.component === "web")?.status).toBe("boarded");

      const unpinned = await s.request(
        "DELETE",
        "/api/v1/components/db/pin",
        { reason: "resolved" },
        coordinator,
      );
      expect(unpinned.status).toBe(204);
      await s.advance("1d"); // shop-3's cut-off: the carried db boards
      const d3 = await detail(s, "shop-3");
      expect(d3.manifest.find((i) => i.component === "db")).toMatchObject({
        version: "1.1.0",
        status: "boarded",
      });
      const events = await s.request<StoredEvent[]>("GET", "/api/v1/events?limit=5000");
      expect(
        events.body.filter((e) => e.type.startsWith("component.")).map((e) => [e.type, e.actor]),
      ).toEqual([
        ["component.pinned", "cora"],
        ["component.unpinned", "cora"],
      ]);
    });

    it("deploys migrations first, then in dependency order, at most `concurrency` at once", async () => {
      const { server: s } = await setup({
        concurrency: 2,
        components: `  schema: { team: core, deployer: git, kind: migration }
  db: { team: core, deployer: git }
  cache: { team: core, deployer: git }
  api: { team: core, deployer: git, depends_on: [{ component: db, version: ">=1.0.0" }] }
  web: { team: core, deployer: git, depends_on: [{ component: api, version: ">=1.0.0" }] }`,
        lineComponents: ["schema", "db", "cache", "api", "web"],
      });
      await board(s, { schema: "1.0.0", db: "1.0.0", cache: "1.0.0", api: "1.0.0", web: "1.0.0" });
      await s.advance("2h");
      await s.advance("2h");
      const d = await detail(s, "shop-1");
      for (const prefix of ["r1/integrate/", "deploy/eu/"]) {
        const order: string[] = [];
        let running = 0;
        let most = 0;
        const finished = new Set<string>();
        const startedBefore = new Map<string, Set<string>>();
        for (const e of d.events) {
          const p = e.payload as { key?: string };
          if (!p.key?.startsWith(prefix)) continue;
          const component = p.key.slice(prefix.length);
          if (e.type === "step.started") {
            order.push(component);
            startedBefore.set(component, new Set(finished));
            running++;
            most = Math.max(most, running);
          } else if (e.type === "step.finished") {
            running--;
            finished.add(component);
          }
        }
        expect(order[0]).toBe("schema");
        expect(most).toBe(2);
        for (const service of ["db", "cache", "api", "web"]) {
          expect(startedBefore.get(service)?.has("schema"), `${prefix}${service} after schema`).toBe(true);
        }
        expect(startedBefore.get("api")?.has("db")).toBe(true);
        expect(startedBefore.get("web")?.has("api")).toBe(true);
      }
    });

    describe("a CI failure reported after the cut-off", () => {
      const SECRET_ENV = "RAILYARD_TEST_GITHUB_SECRET";
      afterEach(() => {
        delete process.env[SECRET_ENV];
      });

      it("holds the component back before production, with who needed it", async () => {
        process.env[SECRET_ENV] = "s3cret";
        const { server: s } = await setup({
          components: `  db: { team: core, deployer: git }
  api: { team: core, deployer: git, repository: "https://github.com/octo-org/octo-repo", depends_on: [{ component: db, version: ">=1.0.0" }] }
  web: { team: core, deployer: git, depends_on: [{ component: api, version: ">=1.0.0" }] }`,
          top: `webhooks:\n  github: { secretFromEnv: ${SECRET_ENV} }\n`,
        });
        const payload = JSON.parse(
          await readFile(
            path.join(REPO_ROOT, "test/fixtures/github-webhooks/workflow_run_completed.payload.json"),
            "utf8",
          ),
        ) as { workflow_run: { head_sha: string; conclusion: string; updated_at: string } };
        const sha = payload.workflow_run.head_sha;
        await board(s, { db: "1.0.0", web: "1.0.0" });
        await push(s, { component: "api", version: "1.0.0", commit: sha });
        await s.advance("2h");
        expect((await detail(s, "shop-1")).train.state).toBe("awaiting_approval");

        payload.workflow_run.conclusion = "failure";
        // The failure is reported now: a delivery older than webhooks.maxAge would be refused.
        payload.workflow_run.updated_at = s.clock.now().toISOString();
        const body = Buffer.from(JSON.stringify(payload));
        const delivered = await s.send<{ recorded: number }>("POST", "/api/v1/webhooks/github", body, {
          "content-type": "application/json",
          "x-github-event": "workflow_run",
          "x-github-delivery": "d-1",
          "x-hub-signature-256": `sha256=${createHmac("sha256", "s3cret").update(body).digest("hex")}`,
        });
        expect(delivered.status).toBe(202);
        expect(delivered.body.recorded).toBe(1);
        await s.advance("0s");
        const d = await detail(s, "shop-1");
        expect(d.train, JSON.stringify(d.steps.slice(-3))).toMatchObject({
          state: "awaiting_approval",
          manifestRevision: 2,
        });
        const reason = (c: string) => d.manifest.find((i) => i.component === c);
        expect(reason("api")).toMatchObject({ status: "held" });
        expect(reason("api")?.reason).toMatch(
          new RegExp(
            `^api 1\\.0\\.0 held: CI failed on commit ${sha.slice(0, 7)} .*\\(reported after the cut-off\\)$`,
          ),
        );
        expect(reason("web")?.reason).toMatch(
          /^web 1\.0\.0 held: needs api >=1\.0\.0; api 1\.0\.0 held: CI failed/,
        );
        expect(reason("db")?.status).toBe("boarded");
        const next = await s.request<Artifact[]>("GET", "/api/v1/artifacts?train=shop-2");
        expect(next.body.map((a) => a.component).sort()).toEqual(["api", "web"]);
      });
    });

    it("judges JUnit reports with the tests gate: waits for its suite, then counts the pass rate", async () => {
      const { server: s } = await setup({
        gates: `      - { name: unit-tests, type: tests, minPassRate: 0.95, suites: [unit], quarantine: ["checkout.Cart.case 1"], timeout: 1s }`,
      });
      const before = await s.request("POST", "/api/v1/trains/shop-1/test-reports", JUNIT(0, 3));
      expect(before.status).toBe(409);
      await board(s, { db: "1.0.0" });
      await s.advance("2h");
      await until(s, "shop-1", "blocked");
      let d = await detail(s, "shop-1");
      expect(d.train).toMatchObject({ state: "blocked", resumeTo: "gating" });
      expect(d.gates.at(-1)?.output).toContain("unit");

      // One real failure in ten (case 1 is quarantined, case 0 counts): 8 of 9 is below 95 %.
      const report = await s.request<{ suite: string; summary: { failed: number } }>(
        "POST",
        "/api/v1/trains/shop-1/test-reports?suite=unit",
        JUNIT(2, 10),
      );
      expect(report.status).toBe(201);
      expect(report.body).toMatchObject({ suite: "unit", summary: { failed: 2 } });
      // New results are new evidence: the blocked train is retried by itself.
      expect((await detail(s, "shop-1")).train.state).toBe("gating");
      await until(s, "shop-1", "blocked");
      d = await detail(s, "shop-1");
      const failed = d.gates.at(-1)?.output ?? "";
      expect(failed).toContain("checkout.Cart.case 0: expected 2, got 3");
      expect(failed).toContain("checkout.Cart.case 1");

      // The fix: every case passes now.
      await s.request("POST", "/api/v1/trains/shop-1/test-reports?suite=unit", JUNIT(0, 10));
      await until(s, "shop-1", "awaiting_approval");
      d = await detail(s, "shop-1");
      expect(d.gates.at(-1)).toMatchObject({ gate: "unit-tests", status: "passed" });
      expect(d.testReports.map((r) => [r.suite, r.revision, r.summary.failed])).toEqual([
        ["unit", 1, 2],
        ["unit", 1, 0],
      ]);
      const bad = await s.request(
        "POST",
        "/api/v1/trains/shop-1/test-reports",
        "<html><body>no</body></html>",
      );
      expect(bad.status).toBe(400);
    });
  });
}
