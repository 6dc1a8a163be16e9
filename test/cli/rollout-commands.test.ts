/**
 * The rollout commands against a running server, as people use them: `promote` (text and
 * --json, refused when nothing waits for a promotion), `rollback --component` refused while a
 * riding component needs the new version, `rollback --wave`, `retry`, and `incident list`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Incident, Train } from "../../src/domain/model.js";
import { type CliResult, runCli } from "../support/cli.js";
import { commitOf } from "../support/scenario.js";
import { ADMIN_TOKEN, startTestServer, type TestServer } from "../support/server.js";
import { createWorld, type World } from "../support/world.js";

describe("railyard rollout commands", () => {
  let world: World;
  let server: TestServer;

  beforeAll(async () => {
    world = await createWorld({
      waves: `        - name: eu
          environments: [eu]
          strategy: { type: canary, steps: [{ setWeight: 30 }, { pause: {} }] }
        - name: us
          environments: [us]
          bake: 1h`,
    });
    server = await startTestServer(world, "sqlite");
    await server.advance("0s");
    for (const [component, version, dependsOn] of [
      ["db", "1.0.0", undefined],
      ["api", "1.0.0", [{ component: "db", version: ">=1.0.0" }]],
      ["web", "1.0.0", undefined],
    ] as const) {
      const answer = await server.request("POST", "/api/v1/artifacts", {
        component,
        version,
        commit: commitOf(component, version),
        ...(dependsOn ? { dependsOn } : {}),
      });
      expect(answer.status).toBe(201);
    }
    await server.advance("2h");
    await server.advance("2h"); // shop-1 departs: canary at 30 %, then waits for a promote
  });
  afterAll(async () => {
    await server?.cleanup();
    await world?.cleanup();
  });

  const cli = (args: string[]): Promise<CliResult> =>
    runCli(["--server", server.url, ...args], { env: { RAILYARD_TOKEN: ADMIN_TOKEN } });
  const ok = (result: CliResult) => {
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    return result.stdout;
  };

  it("promotes a train waiting at a pause, and refuses when nothing waits", async () => {
    expect(ok(await cli(["promote", "shop-1", "--comment", "canary looks fine"]))).toMatch(
      /^promoted shop-1: deploying/,
    );
    await server.advance("0s");
    const refused = await cli(["promote", "shop-1"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /shop-1 cannot be promoted: it is (deploying|verifying) and waits for no promotion/,
    );
  });

  it("refuses to roll a component back alone under a component that needs it", async () => {
    await server.advance("0s");
    const refused = await cli(["rollback", "shop-1", "--component", "db", "--reason", "slow"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /cannot roll db back to nothing \(never released\) alone: api needs db >=1\.0\.0/,
    );
    const web = JSON.parse(ok(await cli(["rollback", "shop-1", "--component", "web", "--json"]))) as Train;
    expect(web.id).toBe("shop-1");
  });

  it("rolls back the wave the train is in, then retries it", async () => {
    const text = ok(await cli(["rollback", "shop-1", "--wave", "us", "--reason", "drill"]));
    expect(text).toMatch(/^shop-1: rolling_back — wave us rolled back by admin: drill/);
    await server.advance("0s");
    const blocked = JSON.parse(ok(await cli(["train", "show", "shop-1", "--json"]))) as { train: Train };
    expect(blocked.train).toMatchObject({ state: "blocked", resumeTo: "deploying" });
    ok(await cli(["retry", "shop-1"]));
    const both = await cli(["rollback", "shop-1", "--wave", "us", "--component", "api"]);
    expect(both.code).not.toBe(0);
  });

  it("lists incidents, none yet", async () => {
    expect(ok(await cli(["incident", "list", "--open"]))).toBe("no open incidents\n");
    expect(JSON.parse(ok(await cli(["incident", "list", "--json"]))) as Incident[]).toEqual([]);
  });
});
