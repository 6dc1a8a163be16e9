/**
 * Progressive rollout end to end on the simulated clock with a real GitOps repository: canary
 * weights written into the manifests, pauses a person promotes, step approvals, blue-green,
 * batches of targets and the stagger between waves, partial and wave rollbacks, a failing
 * rollback that opens an incident and stops the line, and rollback runbooks.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { StoredEvent } from "../../src/domain/events.js";
import type { Incident, Step, Train } from "../../src/domain/model.js";
import { commitOf, useWorldScenario } from "../support/scenario.js";
import type { TestServer } from "../support/server.js";

const API_ONLY = "  api: { team: core, deployer: git }";

const CANARY_WAVES = `        - name: eu
          environments: [eu]
          strategy:
            type: canary
            steps:
              - setWeight: 20
              - pause: {}
              - setWeight: 50
              - pause: 10m
          verify:
            - { name: health, type: command, command: "test ! -e fail-verify-eu", timeout: 30s }
        - name: us
          environments: [us]`;

async function events(s: TestServer, train: string): Promise<StoredEvent[]> {
  return (await s.request<StoredEvent[]>("GET", `/api/v1/events?train=${train}&limit=5000`)).body;
}

async function push(s: TestServer, component: string, version: string, dependsOn?: object[]): Promise<void> {
  const answer = await s.request("POST", "/api/v1/artifacts", {
    component,
    version,
    commit: commitOf(component, version),
    ...(dependsOn ? { dependsOn } : {}),
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
}

describe("sqlite: progressive rollout", () => {
  const { setup, board, detail, releaseFirst } = useWorldScenario("sqlite");

  it("writes each canary weight into the manifest, waits for a promote, and ends at full weight", async () => {
    const { world, server: s } = await setup({
      waves: CANARY_WAVES,
      lineComponents: ["api"],
      components: API_ONLY,
    });
    await board(s, { api: "1.0.0" });
    await s.advance("2h");
    await s.advance("2h"); // departure
    let d = await detail(s, "shop-1");
    expect(d.train.state, `${d.train.reason} / ${d.waitingFor}`).toBe("deploying");
    expect(d.awaiting).toEqual({ wave: "eu", step: "2", kind: "promote" });
    expect(d.allowedActions).toContain("promote");
    expect(d.waitingFor).toMatch(/promote wave eu past step 2/);
    expect(await world.show("env/eu.yaml")).toMatch(/api:\n\s+canary:\n\s+version: 1\.0\.0\n\s+weight: 20/);

    const promoted = await s.request<Train>("POST", "/api/v1/trains/shop-1/promote", {
      comment: "looks good",
    });
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(200);
    await s.advance("0s");
    d = await detail(s, "shop-1");
    expect(await world.show("env/eu.yaml")).toMatch(/weight: 50/);
    expect(d.waitingFor).toMatch(/pause of 10m/);
    // Promoting twice is refused: the train now waits for a timed pause.
    expect((await s.request("POST", "/api/v1/trains/shop-1/promote", {})).status).toBe(409);

    await s.advance("10m");
    d = await detail(s, "shop-1");
    // eu is at full weight; us (all at once, no bake) follows at once
    expect(d.train.state, `${d.train.reason} / ${d.waitingFor}`).toBe("released");
    // Promoted: the stable version is the new one, the canary slot is gone.
    expect(parse(await world.show("env/eu.yaml")).api).toEqual({ version: "1.0.0", canary: { weight: 0 } });
    const keys = d.steps.map((step: Step) => step.key);
    expect(keys).toEqual(
      expect.arrayContaining(["deploy/eu/api/s1", "deploy/eu/api/s3", "deploy/eu/api/s5", "deploy/us/api"]),
    );
    const marks = (await events(s, "shop-1")).filter((e) => e.type === "rollout.marked");
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatchObject({ actor: "admin", payload: { wave: "eu", step: "2", kind: "promote" } });
  });

  it("waits for a step approval by the step's team", async () => {
    const { server: s } = await setup({
      lineComponents: ["api"],
      components: API_ONLY,
      waves: `        - name: eu
          environments: [eu]
          strategy:
            type: canary
            steps:
              - setWeight: 10
              - approval: { team: board, required: 1 }`,
    });
    await board(s, { api: "1.0.0" });
    await s.advance("2h");
    await s.advance("2h");
    let d = await detail(s, "shop-1");
    expect(d.awaiting).toEqual({ wave: "eu", step: "2", kind: "approval" });
    const outsider = await s.token("ann", ["member"]);
    const refused = await s.request(
      "POST",
      "/api/v1/trains/shop-1/approvals",
      { decision: "approve" },
      outsider,
    );
    expect(refused.status).toBe(403);
    const alice = await s.token("alice", ["approver"]);
    const approved = await s.request<{ satisfied: boolean }>(
      "POST",
      "/api/v1/trains/shop-1/approvals",
      { decision: "approve" },
      alice,
    );
    expect(approved.status, JSON.stringify(approved.body)).toBe(201);
    expect(approved.body.satisfied).toBe(true);
    await s.advance("0s");
    d = await detail(s, "shop-1");
    expect(d.train.state, `${d.train.reason} / ${d.waitingFor}`).toBe("released");
  });

  it("deploys targets in batches of maxParallel and staggers the next wave", async () => {
    const { world, server: s } = await setup({
      lineComponents: ["api"],
      components: API_ONLY,
      waves: `        - name: first
          environments: [staging-free-eu, us]
          maxParallel: 1
          stagger: 15m
        - name: second
          environments: [eu]`.replace("staging-free-eu", "eu"),
    });
    await board(s, { api: "1.0.0" });
    await s.advance("2h");
    await s.advance("2h");
    let d = await detail(s, "shop-1");
    expect(d.steps.map((step: Step) => step.key)).toEqual(
      expect.arrayContaining(["deploy/first/api/b1", "deploy/first/api/b2"]),
    );
    const b1 = d.steps.find((step: Step) => step.key === "deploy/first/api/b1")!;
    const b2 = d.steps.find((step: Step) => step.key === "deploy/first/api/b2")!;
    expect(b1.startedAt <= b2.startedAt).toBe(true);
    expect(d.train.state, `${d.train.reason} / ${d.waitingFor}`).toBe("verifying");
    expect(d.waitingFor).toMatch(/stagger after wave first \(15m/);
    expect((await world.commits()).filter((c) => c.subject.includes("wave first"))).toHaveLength(2);
    await s.advance("15m");
    d = await detail(s, "shop-1");
    expect(d.train.state, `${d.train.reason} / ${d.waitingFor}`).toBe("released");
  });

  it("runs blue-green: green without traffic, a promote switches, blue is retired after its window", async () => {
    const { world, server: s } = await setup({
      lineComponents: ["api"],
      components: API_ONLY,
      waves: `        - name: eu
          environments: [eu]
          strategy: { type: blueGreen, autoPromote: false, rollbackWindow: 20m }`,
    });
    // shop-1 brings api 1.0.0 (blue); shop-2's 2.0.0 is green.
    await board(s, { api: "1.0.0" });
    await s.advance("2h");
    await s.advance("2h");
    expect((await s.request("POST", "/api/v1/trains/shop-1/promote", {})).status).toBe(200);
    await s.advance("0s");
    await s.advance("20m");
    expect((await detail(s, "shop-1")).train.state).toBe("released");
    await board(s, { api: "2.0.0" });
    await s.advance("21h40m"); // shop-2's cut-off
    await s.advance("2h"); // departure
    let d = await detail(s, "shop-2");
    expect(d.awaiting).toEqual({ wave: "eu", step: "promote", kind: "promote" });
    expect(parse(await world.show("env/eu.yaml")).api).toEqual({
      version: "1.0.0",
      canary: { version: "2.0.0", weight: 0 },
    });
    expect((await s.request("POST", "/api/v1/trains/shop-2/promote", {})).status).toBe(200);
    await s.advance("0s");
    d = await detail(s, "shop-2");
    expect(d.waitingFor).toMatch(/rollback window/);
    // Traffic on green; blue kept in the second slot for the rollback window.
    expect(parse(await world.show("env/eu.yaml")).api).toEqual({
      version: "2.0.0",
      canary: { version: "1.0.0", weight: 0 },
    });
    await s.advance("20m");
    d = await detail(s, "shop-2");
    expect(d.train.state, `${d.train.reason} / ${d.waitingFor}`).toBe("released");
    expect(parse(await world.show("env/eu.yaml")).api).toEqual({ version: "2.0.0", canary: { weight: 0 } });
  });

  it("rolls one component back alone, refusing while another needs its new version", async () => {
    const { world, server: s } = await setup();
    await releaseFirst(s);
    await push(s, "db", "2.0.0");
    await push(s, "api", "2.0.0", [{ component: "db", version: ">=2.0.0" }]);
    await push(s, "web", "2.0.0");
    await s.advance("21h30m");
    await s.advance("2h"); // shop-2 departs; eu bakes for 30 minutes
    expect((await detail(s, "shop-2")).train.state).toBe("verifying");

    const refused = await s.request<{ detail: string }>("POST", "/api/v1/trains/shop-2/rollback", {
      component: "db",
      reason: "slow queries",
    });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/api needs db >=2\.0\.0/);

    const web = await s.request<Train>("POST", "/api/v1/trains/shop-2/rollback", {
      component: "web",
      reason: "checkout errors",
    });
    expect(web.status, JSON.stringify(web.body)).toBe(200);
    await s.advance("0s");
    let d = await detail(s, "shop-2");
    expect(d.manifest.find((i) => i.component === "web")).toMatchObject({ status: "dropped" });
    expect(d.steps.find((step: Step) => step.key === "rollback/eu/web")?.status).toBe("succeeded");
    expect(await world.show("env/eu.yaml")).toMatch(/web:\n\s+version: 1\.0\.0/);
    expect(await world.show("env/eu.yaml")).toMatch(/api:\n\s+version: 2\.0\.0/);
    await s.advance("30m");
    d = await detail(s, "shop-2");
    expect(d.train.state, `${d.train.reason} / ${d.waitingFor}`).toBe("released");
    expect(d.steps.some((step: Step) => step.key === "deploy/us/web")).toBe(false);
    expect(await world.show("env/us.yaml")).toMatch(/web:\n\s+version: 1\.0\.0/);
  });

  it("rolls a component's dependents back with it when the line says include", async () => {
    const { world, server: s } = await setup({
      rollbackPolicy: "{ policy: automatic, dependents: include }",
    });
    await releaseFirst(s);
    await push(s, "db", "2.0.0");
    await push(s, "api", "2.0.0", [{ component: "db", version: ">=2.0.0" }]);
    await push(s, "web", "2.0.0");
    await s.advance("21h30m");
    await s.advance("2h");
    const answer = await s.request<Train>("POST", "/api/v1/trains/shop-2/rollback", {
      component: "db",
      reason: "slow queries",
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    await s.advance("0s");
    const d = await detail(s, "shop-2");
    expect(d.manifest.filter((i) => i.status === "dropped").map((i) => [i.component, i.reason])).toEqual([
      ["api", "rolled back with db, whose new version it needs: rolled back by admin: slow queries"],
      ["db", "rolled back by admin: slow queries"],
    ]);
    const eu = parse(await world.show("env/eu.yaml"));
    expect([eu.db.version, eu.api.version, eu.web.version]).toEqual(["1.0.0", "1.0.0", "2.0.0"]);
    const rolled = (await events(s, "shop-2")).find((e) => e.type === "component.rolled_back");
    expect(rolled).toMatchObject({ actor: "admin", payload: { component: "db", with: ["api"] } });
  });

  it("runs the line's hotfix runbook before a hotfix train integrates", async () => {
    const { world, server: s } = await setup({
      line: `    runbooks:
      hotfix:
        - { name: freeze-flags, type: command, command: "echo frozen >> runbook.log", timeout: 30s }
`,
    });
    await releaseFirst(s);
    await push(s, "api", "1.0.1");
    const started = await s.request<Train>("POST", "/api/v1/lines/shop/hotfixes", {
      components: [{ component: "api", version: "1.0.1" }],
      reason: "api leaks connections",
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    await s.advance("0s");
    const d = await detail(s, started.body.id);
    const keys = d.steps.map((step: Step) => step.key);
    expect(keys.indexOf("r1/runbook/hotfix/freeze-flags")).toBeLessThan(keys.indexOf("r1/integrate/api"));
    expect(d.steps.find((step: Step) => step.key === "r1/runbook/hotfix/freeze-flags")).toMatchObject({
      status: "succeeded",
      kind: "runbook",
    });
    expect(await readFile(path.join(world.dir, "runbook.log"), "utf8")).toBe("frozen\n");
  });

  it("rolls back the current wave only; retry deploys it again", async () => {
    const { world, server: s } = await setup({ bake: "1h", lineComponents: ["api"], components: API_ONLY });
    await board(s, { api: "1.0.0" });
    await s.advance("2h");
    await s.advance("2h");
    const answer = await s.request<Train>("POST", "/api/v1/trains/shop-1/rollback", { wave: "eu" });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    await s.advance("0s");
    let d = await detail(s, "shop-1");
    expect(d.train).toMatchObject({ state: "blocked", resumeTo: "deploying" });
    expect(await world.show("env/eu.yaml")).not.toMatch(/version: 1\.0\.0/);
    expect((await s.request("POST", "/api/v1/trains/shop-1/retry", {})).status).toBe(200);
    await s.advance("0s");
    d = await detail(s, "shop-1");
    expect(d.steps.filter((step: Step) => step.key === "deploy/eu/api").map((step) => step.attempt)).toEqual([
      1, 2,
    ]);
    expect(await world.show("env/eu.yaml")).toMatch(/version: 1\.0\.0/);
    await s.advance("1h");
    expect((await detail(s, "shop-1")).train.state).toBe("released");
  });

  it("opens an incident and stops the line when a rollback keeps failing; runbooks run after rollbacks", async () => {
    const { world, server: s } = await setup({
      deployers: `  flaky:
    type: command
    command: 'if [ "$RAILYARD_ACTION" = rollback ] && [ -e fail-rollback ]; then echo "cluster unreachable" >&2; exit 1; fi; echo "$RAILYARD_ACTION $RAILYARD_VERSION"'
    cwd: .
`,
      components: "  api: { team: core, deployer: flaky }",
      lineComponents: ["api"],
      rollbackPolicy: "{ policy: automatic, maxAttempts: 2 }",
      line: `    runbooks:
      rollback:
        - { name: purge-cache, type: command, command: "echo purged > purged.txt", timeout: 30s }
`,
    });
    await board(s, { api: "1.0.0" });
    await s.advance("2h");
    await world.fail("verify-eu");
    await writeMarker(world.dir, "fail-rollback");
    await s.advance("2h"); // departs; verification after the 30m bake
    await s.advance("30m");
    let d = await detail(s, "shop-1");
    expect(d.train.state, `${d.train.reason} / ${d.waitingFor}`).toBe("rolling_back");
    await s.advance("30s"); // the second attempt fails too: blocked, incident, line stopped
    d = await detail(s, "shop-1");
    expect(d.train).toMatchObject({ state: "blocked", resumeTo: "rolling_back" });
    const incidents = await s.request<Incident[]>("GET", "/api/v1/incidents?status=open");
    expect(incidents.body).toHaveLength(1);
    expect(incidents.body[0]).toMatchObject({ line: "shop", trainId: "shop-1", stopsLine: true });

    // The next train waits behind the stop, even once shop-1 has been dealt with.
    await removeMarker(world.dir, "fail-rollback");
    expect((await s.request("POST", "/api/v1/trains/shop-1/retry", {})).status).toBe(200);
    await s.advance("2m"); // the rollback's backoff
    d = await detail(s, "shop-1");
    expect(d.train.state, `${d.train.reason} / ${d.waitingFor}`).toBe("rolled_back");
    expect(d.steps.find((step: Step) => step.key === "runbook/rollback/purge-cache")?.status).toBe(
      "succeeded",
    );
    expect(await readFile(path.join(world.dir, "purged.txt"), "utf8")).toBe("purged\n");

    await world.pass("verify-eu");
    await board(s, { api: "1.0.1" });
    await s.advance("21h30m");
    await s.advance("2h");
    d = await detail(s, "shop-2");
    expect(d.train.state, `${d.train.reason} / ${d.waitingFor}`).toBe("awaiting_approval");
    expect(d.waitingFor).toMatch(/stopped by incident inc-shop-1-/);
    const resolved = await s.request<Incident>("POST", `/api/v1/incidents/${incidents.body[0]!.id}/resolve`, {
      resolution: "cluster back",
    });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    await s.advance("0s");
    expect((await detail(s, "shop-2")).train.state).not.toBe("awaiting_approval");
  });
});

async function writeMarker(dir: string, name: string): Promise<void> {
  const { writeFile } = await import("node:fs/promises");
  await writeFile(path.join(dir, name), "");
}

async function removeMarker(dir: string, name: string): Promise<void> {
  const { rm } = await import("node:fs/promises");
  await rm(path.join(dir, name), { force: true });
}
