/**
 * Boarding's inputs and people's boarding actions through the HTTP API, on both databases: CI
 * webhooks from GitHub and GitLab (signed with the vendored payload bytes; a bad signature records
 * nothing), reports per artifact, JUnit results for a train's integration stage, the manifest diff,
 * dropping with a reason and pinning.
 */
import { createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ArtifactReport, CiStatus, Pin, TestReport } from "../../src/domain/model.js";
import type { DropResult, PinResult } from "../../src/engine/actions.js";
import type { PushResult } from "../../src/engine/boarding-desk.js";
import type { CiRecordResult, ManifestDiff } from "../../src/engine/evidence.js";
import type { TrainDetail } from "../../src/engine/railyard.js";
import { DIALECTS } from "../support/dialects.js";
import { commitOf } from "../support/scenario.js";
import { ADMIN_TOKEN, startTestServer, type TestServer } from "../support/server.js";
import { createWorld, type World, type WorldOptions } from "../support/world.js";

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "fixtures");
const fixture = (...parts: string[]) => readFile(path.join(FIXTURES, ...parts));

const GITHUB_ENV = "RAILYARD_TEST_BOARDING_GITHUB_SECRET";
const GITLAB_ENV = "RAILYARD_TEST_BOARDING_GITLAB_TOKEN";
const GITHUB_SECRET = "It's a Secret to Everybody";
const GITLAB_TOKEN = "gitlab-hook-token";

/** The commits of the vendored payloads. */
const WORKFLOW_RUN_SHA = "3484a3fb816e0859fd6e1cea078d76385ff50625"; // octo-org/octo-repo
const CHECK_SUITE_SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"; // Codertocat/Hello-World
const PIPELINE_SHA = "bcbb5ec396a2c0f828686f14fac9b80b780504f2"; // gitlab-org/gitlab-test

/** The world's components, each with the repository of a vendored payload. */
const COMPONENTS = `  db: { team: core, deployer: git, repository: "https://github.com/octo-org/octo-repo" }
  api:
    team: core
    deployer: git
    repository: "https://gitlab.com/gitlab-org/gitlab-test"
    depends_on: [{ component: db, version: ">=1.0.0" }]
  web:
    team: core
    deployer: git
    repository: Codertocat/Hello-World
    depends_on: [{ component: api, version: ">=1.0.0" }]`;

/**
 * Both webhook receivers, their secrets in the environment. The vendored payloads are signed as
 * they are, so their events keep their times (2016 to 2020): a maxAge of 5000 days lets them in.
 * These tests are about matching and recording; test/e2e/webhook-forgery.test.ts judges age.
 */
const WEBHOOKS = `webhooks:
  github: { secretFromEnv: ${GITHUB_ENV} }
  gitlab: { tokenFromEnv: ${GITLAB_ENV} }
  maxAge: 5000d
`;

const sign = (body: Buffer, secret = GITHUB_SECRET) =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/** A request with a raw body and exactly these headers. */
const send = <T = Record<string, unknown>>(
  server: TestServer,
  method: string,
  p: string,
  body: Buffer | string | undefined,
  headers: Record<string, string>,
) => server.send<T>(method, p, body, headers);

for (const dialect of DIALECTS) {
  describe(`${dialect}: boarding through the API`, () => {
    let world: World | undefined;
    let server: TestServer | undefined;

    afterEach(async () => {
      delete process.env[GITHUB_ENV];
      delete process.env[GITLAB_ENV];
      vi.restoreAllMocks();
      await server?.cleanup();
      await world?.cleanup();
      server = undefined;
      world = undefined;
    });

    async function setup(approval: WorldOptions["approval"] = { team: "board", required: 1 }) {
      world = await createWorld({ approval, components: COMPONENTS, top: WEBHOOKS });
      server = await startTestServer(world, dialect);
      await server.advance("0s");
      return { world, server };
    }

    async function push(
      s: TestServer,
      component: string,
      version: string,
      commit = commitOf(component, version),
      train?: string,
    ) {
      const answer = await s.request<PushResult>("POST", "/api/v1/artifacts", {
        component,
        version,
        commit,
        ...(train ? { train } : {}),
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      return answer.body.artifact;
    }

    const eventCount = async (s: TestServer) =>
      (await s.request<unknown[]>("GET", "/api/v1/events?limit=5000")).body.length;

    const github = (s: TestServer, event: string, body: Buffer, headers: Record<string, string> = {}) =>
      send<CiRecordResult & { note?: string; detail?: string; code?: string }>(
        s,
        "POST",
        "/api/v1/webhooks/github",
        body,
        {
          "content-type": "application/json",
          "x-github-event": event,
          "x-github-delivery": `delivery-${event}`,
          "x-hub-signature-256": sign(body),
          ...headers,
        },
      );

    const gitlab = (s: TestServer, body: Buffer, headers: Record<string, string> = {}) =>
      send<CiRecordResult & { note?: string; detail?: string }>(s, "POST", "/api/v1/webhooks/gitlab", body, {
        "content-type": "application/json",
        "x-gitlab-event": "Pipeline Hook",
        "x-gitlab-token": GITLAB_TOKEN,
        "x-gitlab-event-uuid": "1a2b3c4d-0000-4000-8000-000000000001",
        ...headers,
      });

    it("records GitHub CI statuses for the artifacts built from the commit; a bad signature records nothing", async () => {
      const { server: s } = await setup();
      const db = await push(s, "db", "1.0.0", WORKFLOW_RUN_SHA);
      const web = await push(s, "web", "1.0.0", CHECK_SUITE_SHA);
      const workflowRun = await fixture("github-webhooks", "workflow_run_completed.payload.json");

      // Without the secret in the environment, the receiver does not exist.
      const unconfigured = await github(s, "workflow_run", workflowRun);
      expect(unconfigured.status).toBe(404);
      expect(unconfigured.contentType).toContain("application/problem+json");
      expect(unconfigured.body.detail).toBe(
        `the GitHub webhook receiver is not configured: the environment variable ${GITHUB_ENV} (webhooks.github.secretFromEnv) is empty or unset`,
      );
      process.env[GITHUB_ENV] = GITHUB_SECRET;

      const warn = vi.spyOn(s.server.logger, "warn");
      const before = await eventCount(s);
      const forged = await github(s, "workflow_run", workflowRun, {
        "x-hub-signature-256": sign(workflowRun, "not the secret"),
      });
      expect(forged.status).toBe(401);
      expect(forged.contentType).toContain("application/problem+json");
      expect(forged.body).toMatchObject({ code: "unauthorized", status: 401 });
      expect(forged.body.detail).toContain("X-Hub-Signature-256 does not match");
      const unsigned = await github(s, "workflow_run", workflowRun, { "x-hub-signature-256": "" });
      expect(unsigned.status).toBe(401);
      // A body changed after signing is refused too.
      const tampered = Buffer.from(workflowRun.toString("utf8").replace('"success"', '"failure"'));
      expect(
        (await github(s, "workflow_run", tampered, { "x-hub-signature-256": sign(workflowRun) })).status,
      ).toBe(401);
      expect(await eventCount(s)).toBe(before);
      expect((await s.request<CiStatus[]>("GET", `/api/v1/artifacts/${db.id}/ci`)).body).toEqual([]);
      expect(warn).toHaveBeenCalledTimes(3);
      const logged = JSON.stringify(warn.mock.calls);
      expect(logged).toContain("delivery-workflow_run");
      expect(logged).not.toContain(WORKFLOW_RUN_SHA);
      expect(logged).not.toContain(GITHUB_SECRET);

      const recorded = await github(s, "workflow_run", workflowRun);
      expect(recorded.status, JSON.stringify(recorded.body)).toBe(202);
      expect(recorded.body).toEqual({
        recorded: 1,
        ignored: 0,
        matched: [{ artifact: db.id, component: "db", version: "1.0.0", train: "shop-1" }],
      });
      const statuses = (await s.request<CiStatus[]>("GET", `/api/v1/artifacts/${db.id}/ci`)).body;
      expect(statuses).toEqual([
        {
          provider: "github",
          repository: "octo-org/octo-repo",
          commit: WORKFLOW_RUN_SHA,
          name: "test",
          state: "success",
          conclusion: "success",
          url: "https://github.com/octo-org/octo-repo/actions/runs/289782451",
          reportedAt: "2020-10-05T16:33:49.000Z",
          ref: "master",
        },
      ]);
      const [event] = (
        await s.request<Array<{ type: string; actor: string; payload: Record<string, unknown> }>>(
          "GET",
          `/api/v1/events?afterId=${before}`,
        )
      ).body.filter((e) => e.type === "ci.reported");
      expect(event).toMatchObject({
        actor: "webhook:github",
        payload: { deliveryId: "delivery-workflow_run" },
      });

      // GitHub redelivers: a delivery is accepted once.
      const replay = await github(s, "workflow_run", workflowRun);
      expect(replay.status).toBe(409);
      // The same status in another delivery (other bytes, another id) changes nothing.
      const again = await github(s, "workflow_run", Buffer.concat([workflowRun, Buffer.from("\n")]), {
        "x-github-delivery": "delivery-workflow_run-again",
      });
      expect(again.status, JSON.stringify(again.body)).toBe(202);
      expect(again.body).toMatchObject({ recorded: 0, ignored: 1 });

      const checkSuite = await github(
        s,
        "check_suite",
        await fixture("github-webhooks", "check_suite_completed.payload.json"),
      );
      expect(checkSuite.status).toBe(202);
      expect(checkSuite.body).toEqual({
        recorded: 1,
        ignored: 0,
        matched: [{ artifact: web.id, component: "web", version: "1.0.0", train: "shop-1" }],
      });

      const pushed = await github(s, "push", await fixture("github-webhooks", "push.payload.json"));
      expect(pushed.status).toBe(202);
      expect(pushed.body).toEqual({
        recorded: 0,
        ignored: 0,
        matched: [],
        note: "event push does not carry CI status",
      });

      // Verified but unreadable: 400 naming the problem, nothing recorded.
      const count = await eventCount(s);
      const notJson = Buffer.from("payload=%7B%7D");
      const garbled = await github(s, "workflow_run", notJson);
      expect(garbled.status).toBe(400);
      expect(garbled.body.detail).toContain("the GitHub webhook body is not JSON");
      const incomplete = Buffer.from(
        JSON.stringify({ workflow_run: { status: "completed" }, repository: {} }),
      );
      const malformed = await github(s, "workflow_run", incomplete);
      expect(malformed.status).toBe(400);
      expect(malformed.body.detail).toContain("workflow_run.head_sha is missing");
      expect(await eventCount(s)).toBe(count);
      const form = await github(s, "workflow_run", notJson, {
        "content-type": "application/x-www-form-urlencoded",
      });
      expect(form.status).toBe(415);
    });

    it("records GitLab pipeline statuses with the right token only", async () => {
      const { server: s } = await setup();
      const api = await push(s, "api", "1.0.0", PIPELINE_SHA);
      const pipeline = await fixture("gitlab-webhooks", "pipeline.json");
      expect((await gitlab(s, pipeline)).status).toBe(404);
      process.env[GITLAB_ENV] = GITLAB_TOKEN;

      const before = await eventCount(s);
      const wrong = await gitlab(s, pipeline, { "x-gitlab-token": "guess" });
      expect(wrong.status).toBe(401);
      expect(wrong.body.detail).toContain("X-Gitlab-Token does not match");
      const tokenless = await send<{ detail: string }>(s, "POST", "/api/v1/webhooks/gitlab", pipeline, {
        "content-type": "application/json",
        "x-gitlab-event": "Pipeline Hook",
      });
      expect(tokenless.status).toBe(401);
      expect(tokenless.body.detail).toContain("no X-Gitlab-Token header");
      expect(await eventCount(s)).toBe(before);

      const recorded = await gitlab(s, pipeline);
      expect(recorded.status, JSON.stringify(recorded.body)).toBe(202);
      expect(recorded.body).toEqual({
        recorded: 1,
        ignored: 0,
        matched: [{ artifact: api.id, component: "api", version: "1.0.0", train: "shop-1" }],
      });
      expect((await s.request<CiStatus[]>("GET", `/api/v1/artifacts/${api.id}/ci`)).body).toEqual([
        expect.objectContaining({
          provider: "gitlab",
          repository: "gitlab-org/gitlab-test",
          commit: PIPELINE_SHA,
          name: "pipeline:merge_request_event",
          state: "success",
          reportedAt: "2016-08-12T15:26:29.000Z",
        }),
      ]);
      const events = (
        await s.request<Array<{ type: string; actor: string; payload: Record<string, unknown> }>>(
          "GET",
          `/api/v1/events?afterId=${before}`,
        )
      ).body;
      expect(events.filter((e) => e.type === "ci.reported")).toEqual([
        expect.objectContaining({
          actor: "webhook:gitlab",
          payload: expect.objectContaining({ deliveryId: "1a2b3c4d-0000-4000-8000-000000000001" }),
        }),
      ]);
      // The same delivery again is refused; the same status in another delivery changes nothing.
      expect((await gitlab(s, pipeline)).status).toBe(409);
      const again = await gitlab(s, Buffer.concat([pipeline, Buffer.from("\n")]), {
        "x-gitlab-event-uuid": "1a2b3c4d-0000-4000-8000-000000000002",
      });
      expect(again.status, JSON.stringify(again.body)).toBe(202);
      expect(again.body).toMatchObject({ recorded: 0, ignored: 1 });
      const mergeRequest = await gitlab(s, await fixture("gitlab-webhooks", "merge_request.json"), {
        "x-gitlab-event": "Merge Request Hook",
      });
      expect(mergeRequest.status).toBe(202);
      expect(mergeRequest.body).toEqual({
        recorded: 0,
        ignored: 0,
        matched: [],
        note: "event merge_request does not carry CI status",
      });
    });

    it("keeps reports per artifact byte for byte and serves them back", async () => {
      const { server: s } = await setup();
      const db = await push(s, "db", "1.0.0");
      const sbom = await fixture("scanner-reports", "cyclonedx", "trivy-npm-cyclonedx.json.golden.json");
      const reports = `/api/v1/artifacts/${db.id}/reports`;
      const pushReport = (
        body: Buffer | string,
        contentType: string,
        query = "",
        token = "test-admin-token",
      ) =>
        send<{ report: ArtifactReport; replay: boolean; detail?: string }>(
          s,
          "POST",
          `${reports}${query}`,
          body,
          {
            "content-type": contentType,
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        );

      expect((await pushReport(sbom, "application/json", "", "")).status).toBe(401);
      const viewer = await s.token("vera", ["viewer"]);
      expect((await pushReport(sbom, "application/json", "", viewer)).status).toBe(403);

      const first = await pushReport(sbom, "application/json", "?name=trivy");
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      expect(first.body).toMatchObject({
        replay: false,
        report: {
          artifactId: db.id,
          kind: "vulnerabilities",
          format: "cyclonedx-1.7",
          name: "trivy",
          size: sbom.length,
          actor: "admin",
        },
      });
      const again = await pushReport(sbom, "application/vnd.cyclonedx+json");
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ report: first.body.report, replay: true });

      const grype = await fixture("scanner-reports", "grype", "TestJsonImgsPresenter.golden.json");
      const scan = await pushReport(grype, "application/octet-stream");
      expect(scan.status).toBe(201);
      expect(scan.body.report).toMatchObject({ kind: "vulnerabilities", format: "grype", name: null });
      const junit = await fixture("junit", "jest-junit.xml");
      const tests = await pushReport(junit, "text/xml");
      expect(tests.status).toBe(201);
      expect(tests.body.report).toMatchObject({ kind: "junit", format: "junit" });

      const unknown = await pushReport("just some words", "text/plain");
      expect(unknown.status).toBe(400);
      expect(unknown.body.detail).toContain("unknown report format");
      expect((await pushReport(sbom, "image/png")).status).toBe(415);
      expect(
        (
          await send(s, "POST", "/api/v1/artifacts/art_nope/reports", sbom, {
            "content-type": "application/json",
            authorization: "Bearer test-admin-token",
          })
        ).status,
      ).toBe(404);

      const listed = await s.request<ArtifactReport[]>("GET", reports);
      expect(listed.status).toBe(200);
      expect(listed.body.map((r) => [r.format, r.kind])).toEqual(
        expect.arrayContaining([
          ["cyclonedx-1.7", "vulnerabilities"],
          ["grype", "vulnerabilities"],
          ["junit", "junit"],
        ]),
      );
      expect(listed.body).toHaveLength(3);

      const asAdmin = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };
      const content = await fetch(`${s.url}${reports}/${first.body.report.id}`, asAdmin);
      expect(content.status).toBe(200);
      expect(content.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(content.headers.get("x-report-kind")).toBe("vulnerabilities");
      expect(Buffer.from(await content.arrayBuffer()).equals(sbom)).toBe(true);
      const xml = await fetch(`${s.url}${reports}/${tests.body.report.id}`, asAdmin);
      expect(xml.headers.get("content-type")).toBe("application/xml; charset=utf-8");
      expect(await xml.text()).toBe(junit.toString("utf8"));
      const missing = await s.request<{ detail: string }>("GET", `${reports}/rep_nope`);
      expect(missing.status).toBe(404);
      expect(missing.contentType).toContain("application/problem+json");
    });

    it("takes JUnit results for a train after its cut-off, not before", async () => {
      const { server: s } = await setup();
      await push(s, "db", "1.0.0");
      const junit = await fixture("junit", "jest-junit.xml");
      const testReports = "/api/v1/trains/shop-1/test-reports";
      const pushTests = (body: Buffer | string, query = "", contentType = "application/xml") =>
        send<TestReport & { detail?: string }>(s, "POST", `${testReports}${query}`, body, {
          "content-type": contentType,
          authorization: "Bearer test-admin-token",
        });

      const early = await pushTests(junit, "?suite=e2e");
      expect(early.status).toBe(409);
      expect(early.body.detail).toContain("after the cut-off");
      await s.advance("2h");
      expect((await s.request<TrainDetail>("GET", "/api/v1/trains/shop-1")).body.train).toMatchObject({
        state: "awaiting_approval",
        manifestRevision: 1,
      });

      const recorded = await pushTests(junit, "?suite=e2e");
      expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
      expect(recorded.body).toMatchObject({
        trainId: "shop-1",
        revision: 1,
        suite: "e2e",
        summary: { tests: 2, passed: 2, failed: 0, errored: 0, skipped: 0, flaky: 0, truncated: false },
        actor: "admin",
      });
      expect(recorded.body).not.toHaveProperty("cases");
      const failing = await pushTests(await fixture("junit", "pytest-junit.fail.xml"), "", "text/xml");
      expect(failing.status).toBe(201);
      expect(failing.body.summary.failed + failing.body.summary.errored).toBeGreaterThan(0);
      const notJunit = await pushTests("<html><body>oops</body></html>");
      expect(notJunit.status).toBe(400);

      const listed = await s.request<TestReport[]>("GET", testReports);
      expect(listed.body.map((r) => r.suite)).toEqual(["e2e", failing.body.suite]);
      expect(listed.body[0]).not.toHaveProperty("cases");
      const withCases = await s.request<TestReport[]>("GET", `${testReports}?cases=true`);
      expect(withCases.body[0]?.cases.map((c) => [c.name, c.status])).toEqual([
        ["Load widget via link", "passed"],
        ["Mount iframe", "passed"],
      ]);
      const detail = (await s.request<TrainDetail>("GET", "/api/v1/trains/shop-1")).body;
      expect(detail.testReports.map((r) => r.id)).toEqual(listed.body.map((r) => r.id));
      expect(detail.testReports[0]).not.toHaveProperty("cases");
      expect((await s.request("GET", "/api/v1/trains/shop-99/test-reports")).status).toBe(404);
    });

    it("diffs a train against production with commits and compare links", async () => {
      const { server: s } = await setup("auto");
      await push(s, "db", "1.0.0");
      const provisional = (await s.request<ManifestDiff>("GET", "/api/v1/trains/shop-1/diff")).body;
      expect(provisional).toEqual({
        train: "shop-1",
        revision: 0,
        provisional: true,
        items: [
          {
            component: "db",
            from: null,
            to: "1.0.0",
            change: "new",
            status: null,
            reason: null,
            fromCommit: null,
            toCommit: commitOf("db", "1.0.0"),
            compareUrl: null,
          },
        ],
      });
      await s.advance("2h");
      await s.advance("2h");
      await s.advance("30m");
      expect((await s.request<TrainDetail>("GET", "/api/v1/trains/shop-1")).body.train.state).toBe(
        "released",
      );

      await push(s, "db", "1.1.0", commitOf("db", "1.1.0"), "shop-2");
      await push(s, "api", "1.0.0", commitOf("api", "1.0.0"), "shop-2");
      await push(s, "web", "1.0.0", commitOf("web", "1.0.0"), "shop-2");
      await s.advance("21h30m"); // shop-2's cut-off
      const drop = await s.request<DropResult>("POST", "/api/v1/trains/shop-2/drop", {
        component: "web",
        reason: "waiting for design review",
      });
      expect(drop.status, JSON.stringify(drop.body)).toBe(200);
      const diff = await s.request<ManifestDiff>("GET", "/api/v1/trains/shop-2/diff");
      expect(diff.status).toBe(200);
      expect(diff.body).toMatchObject({ train: "shop-2", revision: 2, provisional: false });
      expect(diff.body.items).toEqual([
        expect.objectContaining({
          component: "api",
          from: null,
          to: "1.0.0",
          change: "new",
          status: "boarded",
        }),
        {
          component: "db",
          from: "1.0.0",
          to: "1.1.0",
          change: "upgrade",
          status: "boarded",
          reason: null,
          fromCommit: commitOf("db", "1.0.0"),
          toCommit: commitOf("db", "1.1.0"),
          compareUrl: `https://github.com/octo-org/octo-repo/compare/${commitOf("db", "1.0.0")}...${commitOf("db", "1.1.0")}`,
        },
        expect.objectContaining({
          component: "web",
          status: "dropped",
          reason: expect.stringContaining("waiting for design review"),
        }),
      ]);
      expect((await s.request<TrainDetail>("GET", "/api/v1/trains/shop-2")).body.diff).toEqual(diff.body);
      expect((await s.request("GET", "/api/v1/trains/shop-99/diff")).status).toBe(404);
    });

    it("drops a component only with a reason and says who else is now held", async () => {
      const { server: s } = await setup();
      await push(s, "db", "1.0.0");
      await push(s, "api", "1.0.0");
      await push(s, "web", "1.0.0");
      const drop = (body: unknown) =>
        s.request<DropResult & { detail?: string }>("POST", "/api/v1/trains/shop-1/drop", body);
      const before = await eventCount(s);
      const silent = await drop({ component: "api" });
      expect(silent.status).toBe(400);
      expect(silent.contentType).toContain("application/problem+json");
      expect(silent.body.detail).toContain("body.reason");
      const blank = await drop({ component: "api", reason: "   " });
      expect(blank.status).toBe(400);
      expect(blank.body.detail).toContain("give the reason for dropping it");
      expect(await eventCount(s)).toBe(before);

      await s.advance("2h");
      const dropped = await drop({ component: "api", reason: "flaky build" });
      expect(dropped.status, JSON.stringify(dropped.body)).toBe(200);
      expect(dropped.body).toMatchObject({
        component: "api",
        carriedTo: "shop-2",
        train: { id: "shop-1", manifestRevision: 2, statusText: expect.any(String) },
      });
      expect(dropped.body.nowHeld).toEqual([
        {
          component: "web",
          version: "1.0.0",
          reasons: ["web 1.0.0 held: needs api >=1.0.0", "api 1.0.0 held: dropped by admin: flaky build"],
          reason: "web 1.0.0 held: needs api >=1.0.0; api 1.0.0 held: dropped by admin: flaky build",
        },
      ]);
    });

    it("pins and unpins a component: coordinators only, with a reason, re-manifesting frozen trains", async () => {
      const { server: s } = await setup();
      const carol = await s.token("carol", ["coordinator"]);
      const ann = await s.token("ann", ["member"]);
      await push(s, "db", "1.0.0");
      await push(s, "api", "1.0.0");
      await push(s, "web", "1.0.0");
      await s.advance("2h");
      expect((await s.request<Pin[]>("GET", "/api/v1/pins")).body).toEqual([]);

      const pinPath = "/api/v1/components/api/pin";
      const forbidden = await s.request<{ detail: string }>("POST", pinPath, { reason: "hold it" }, ann);
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.detail).toContain("coordinator");
      expect((await s.request("POST", pinPath, {}, carol)).status).toBe(400);
      expect((await s.request("POST", pinPath, { reason: " " }, carol)).status).toBe(400);
      expect((await s.request<Pin[]>("GET", "/api/v1/pins")).body).toEqual([]);

      const pinned = await s.request<PinResult>(
        "POST",
        pinPath,
        { reason: "payment provider migration" },
        carol,
      );
      expect(pinned.status, JSON.stringify(pinned.body)).toBe(201);
      expect(pinned.body.pin).toMatchObject({
        component: "api",
        line: "shop",
        version: null,
        reason: "payment provider migration",
        actor: "carol",
      });
      expect(pinned.body.remanifested).toEqual([
        { train: "shop-1", nowHeld: [expect.objectContaining({ component: "web", version: "1.0.0" })] },
      ]);
      const diff = (await s.request<ManifestDiff>("GET", "/api/v1/trains/shop-1/diff")).body;
      expect(diff.items.find((i) => i.component === "api")).toMatchObject({
        status: "held",
        reason: expect.stringContaining("pinned at its production version (never released) by carol"),
      });
      expect((await s.request("POST", pinPath, { reason: "again" }, carol)).status).toBe(409);
      expect((await s.request<Pin[]>("GET", "/api/v1/pins")).body).toEqual([pinned.body.pin]);

      expect((await s.request("DELETE", pinPath, { reason: "done" }, ann)).status).toBe(403);
      expect((await s.request("DELETE", pinPath, {}, carol)).status).toBe(400);
      const unpinned = await s.request("DELETE", pinPath, { reason: "migration done" }, carol);
      expect(unpinned.status).toBe(204);
      expect((await s.request<Pin[]>("GET", "/api/v1/pins")).body).toEqual([]);
      expect((await s.request("DELETE", pinPath, { reason: "again" }, carol)).status).toBe(404);
      expect((await s.request("POST", "/api/v1/components/nope/pin", { reason: "x" }, carol)).status).toBe(
        404,
      );
    });
  });
}
