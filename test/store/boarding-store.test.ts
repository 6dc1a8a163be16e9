/**
 * What issue 4 added to the store, on both databases: CI statuses (latest per source, found by an
 * abbreviated commit), pins, artifact reports with their bytes, JUnit results per manifest
 * revision, the constraints recorded on manifest items and the CI status an artifact push carried.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewEvent } from "../../src/domain/events.js";
import type { CiStatus } from "../../src/domain/model.js";
import { createTestStore, DIALECTS, type TestStore } from "../support/dialects.js";
import { artifactPushed, at, T0, trainCreated, transitioned } from "../support/store-fixtures.js";

const SHA = "3484a3fb816e0859fd6e1cea078d76385ff50625";

const ci = (overrides: Partial<CiStatus>): NewEvent => ({
  type: "ci.reported",
  trainId: null,
  actor: "webhook:github",
  payload: {
    provider: "github",
    repository: "octo-org/octo-repo",
    commit: SHA,
    name: "build",
    state: "pending",
    conclusion: "in_progress",
    url: "https://github.com/octo-org/octo-repo/actions/runs/1",
    reportedAt: at(1),
    ref: "main",
    deliveryId: null,
    ...overrides,
  },
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: boarding records`, () => {
    let test: TestStore;
    beforeEach(async () => {
      test = await createTestStore(dialect);
      await test.store.append([trainCreated("web", 1)], T0);
    });
    afterEach(() => test.cleanup());

    it("keeps the latest CI status per source and finds it by an abbreviated commit", async () => {
      const { store } = test;
      await store.append([ci({}), ci({ name: "lint", state: "success", conclusion: "success" })], at(1));
      await store.append([ci({ state: "failure", conclusion: "failure", reportedAt: at(5) })], at(5));
      const statuses = await store.listCiStatuses("octo-org/octo-repo", SHA.slice(0, 7));
      expect(statuses.map((s) => [s.name, s.state, s.conclusion, s.reportedAt])).toEqual([
        ["lint", "success", "success", at(1)],
        ["build", "failure", "failure", at(5)],
      ]);
      expect(await store.listCiStatuses("octo-org/octo-repo", "ffffffff")).toEqual([]);
      expect(await store.listCiStatuses("other/repo", SHA)).toEqual([]);
      // A status recorded for an abbreviated commit is found from the full one too.
      await store.append([ci({ commit: SHA.slice(0, 7), name: "short", state: "success" })], at(6));
      expect((await store.listCiStatuses("octo-org/octo-repo", SHA)).map((s) => s.name)).toContain("short");
    });

    it("pins and unpins a component", async () => {
      const { store } = test;
      await store.append(
        [
          {
            type: "component.pinned",
            trainId: null,
            actor: "cora",
            payload: { component: "db", line: "web", version: "1.0.0", reason: "incident 42" },
          },
        ],
        at(1),
      );
      expect(await store.listPins()).toEqual([
        {
          component: "db",
          line: "web",
          version: "1.0.0",
          reason: "incident 42",
          actor: "cora",
          pinnedAt: at(1),
        },
      ]);
      await store.append(
        [
          {
            type: "component.unpinned",
            trainId: null,
            actor: "cora",
            payload: { component: "db", line: "web", reason: "resolved" },
          },
        ],
        at(2),
      );
      expect(await store.listPins()).toEqual([]);
    });

    it("records reports with their bytes beside the event, and test results per revision", async () => {
      const { store } = test;
      await store.append(
        [
          {
            ...artifactPushed("api", "1.0.0", "web-1", [{ component: "db", version: ">=1.0.0" }]),
            payload: {
              ...(artifactPushed("api", "1.0.0", "web-1").payload as object),
              dependsOn: [{ component: "db", version: ">=1.0.0", sameTrain: true }],
              ci: { state: "success", url: null, name: "ci" },
            },
          } as NewEvent,
        ],
        at(1),
      );
      expect(await store.getArtifact("api@1.0.0")).toMatchObject({
        ci: { state: "success", url: null, name: "ci" },
        dependsOn: [{ component: "db", version: ">=1.0.0", sameTrain: true }],
      });
      await store.transaction(async (tx) => {
        await tx.append(
          [
            {
              type: "report.received",
              trainId: "web-1",
              actor: "ci-bot",
              payload: {
                reportId: "rep_1",
                artifactId: "api@1.0.0",
                component: "api",
                version: "1.0.0",
                kind: "sbom",
                format: "cyclonedx-1.6",
                name: "sbom.json",
                sha256: "ab".repeat(32),
                size: 17,
              },
            },
          ],
          at(2),
        );
        await tx.putReportContent("rep_1", '{"bomFormat":"x"}');
      });
      expect(await store.listArtifactReports(["api@1.0.0", "nope"])).toEqual([
        {
          id: "rep_1",
          artifactId: "api@1.0.0",
          kind: "sbom",
          format: "cyclonedx-1.6",
          name: "sbom.json",
          sha256: "ab".repeat(32),
          size: 17,
          receivedAt: at(2),
          actor: "ci-bot",
        },
      ]);
      expect(await store.getReportContent("rep_1")).toBe('{"bomFormat":"x"}');
      expect(await store.getReportContent("rep_2")).toBeUndefined();

      await store.append([transitioned("web-1", "scheduled", "boarding", "open")], at(3));
      await store.append(
        [
          {
            type: "manifest.frozen",
            trainId: "web-1",
            actor: "system",
            payload: {
              revision: 1,
              items: [
                {
                  component: "api",
                  version: "1.0.0",
                  artifactId: "api@1.0.0",
                  previousVersion: null,
                  dependsOn: [{ component: "db", version: ">=1.0.0", sameTrain: true }],
                  status: "boarded",
                  reason: null,
                },
              ],
            },
          },
        ],
        at(4),
      );
      expect((await store.getManifest("web-1"))[0]?.dependsOn).toEqual([
        { component: "db", version: ">=1.0.0", sameTrain: true },
      ]);
      const summary = {
        tests: 2,
        passed: 1,
        failed: 1,
        errored: 0,
        skipped: 0,
        flaky: 0,
        durationMs: 20,
        truncated: false,
      };
      const testCase = {
        suite: "unit",
        classname: "Cart",
        name: "adds",
        status: "failed" as const,
        durationMs: 10,
        message: "expected 2",
        reruns: 0,
      };
      for (const [id, revision] of [
        ["tst_1", 1],
        ["tst_2", 2],
      ] as const) {
        await store.append(
          [
            {
              type: "tests.reported",
              trainId: "web-1",
              actor: "ci-bot",
              payload: { reportId: id, revision, suite: "unit", summary, cases: [testCase] },
            },
          ],
          at(5),
        );
      }
      expect((await store.listTestReports("web-1")).map((r) => r.id)).toEqual(["tst_1", "tst_2"]);
      expect(await store.listTestReports("web-1", 2)).toEqual([
        {
          id: "tst_2",
          trainId: "web-1",
          revision: 2,
          suite: "unit",
          summary,
          cases: [testCase],
          receivedAt: at(5),
          actor: "ci-bot",
        },
      ]);
    });

    it("grants and revokes waivers, and keeps each gate's verdict", async () => {
      const { store } = test;
      await store.append(
        [
          {
            type: "waiver.granted",
            trainId: null,
            actor: "alice",
            payload: {
              waiverId: "wvr_1",
              component: "api",
              finding: "CVE-2019-1551",
              justification: "not reachable",
              expiresAt: at(60 * 24 * 30),
            },
          },
        ],
        at(1),
      );
      expect(await store.listWaivers({ component: "api" })).toEqual([
        {
          id: "wvr_1",
          component: "api",
          finding: "CVE-2019-1551",
          justification: "not reachable",
          approver: "alice",
          expiresAt: at(60 * 24 * 30),
          createdAt: at(1),
          revokedAt: null,
          revokedBy: null,
          revokeReason: null,
        },
      ]);
      await store.append(
        [
          {
            type: "waiver.revoked",
            trainId: null,
            actor: "bob",
            payload: { waiverId: "wvr_1", reason: "reachable now" },
          },
        ],
        at(2),
      );
      expect(await store.listWaivers()).toEqual([]);
      expect((await store.listWaivers({ includeRevoked: true }))[0]).toMatchObject({
        revokedAt: at(2),
        revokedBy: "bob",
        revokeReason: "reachable now",
      });
      await expect(
        store.append(
          [
            {
              type: "waiver.revoked",
              trainId: null,
              actor: "bob",
              payload: { waiverId: "nope", reason: "x" },
            },
          ],
          at(3),
        ),
      ).rejects.toThrow(/no waiver nope/);

      await store.append(
        [
          {
            type: "gate.evaluated",
            trainId: "web-1",
            actor: "system",
            payload: {
              resultId: "web-1/r1/gate/gating/errors#1",
              stage: "gating",
              gate: "errors",
              type: "prometheus",
              attempt: 1,
              status: "failed",
              verdict: "inconclusive",
              output: "no data",
              durationMs: 12,
            },
          },
        ],
        at(4),
      );
      expect((await store.listGateResults("web-1")).map((g) => [g.gate, g.status, g.verdict])).toEqual([
        ["errors", "failed", "inconclusive"],
      ]);
    });

    it("keeps checklist ticks in the order given, with their revision and note", async () => {
      const { store } = test;
      const ticked = (item: string, revision: number, note: string | null): NewEvent => ({
        type: "checklist.ticked",
        trainId: "web-1",
        actor: "cora",
        payload: { gate: "readiness", item, revision, note },
      });
      await store.append([ticked("on-call", 1, "rota checked"), ticked("comms", 2, null)], at(5));
      expect(await store.listChecklistTicks("web-1")).toEqual([
        {
          trainId: "web-1",
          gate: "readiness",
          item: "on-call",
          revision: 1,
          actor: "cora",
          note: "rota checked",
          at: at(5),
        },
        {
          trainId: "web-1",
          gate: "readiness",
          item: "comms",
          revision: 2,
          actor: "cora",
          note: null,
          at: at(5),
        },
      ]);
      expect(await store.listChecklistTicks("web-2")).toEqual([]);
    });
  });
}
