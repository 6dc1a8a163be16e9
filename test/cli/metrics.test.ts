/**
 * `railyard metrics` against a running server: the table, `--json` (the API's report), a
 * weekly grouping, and a refused filter (the server's reason, exit 1).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReleaseMetricsReport } from "../../src/domain/metrics/types.js";
import { runCli } from "../support/cli.js";
import { commitOf } from "../support/scenario.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { createWorld, type World } from "../support/world.js";

const RANGE = ["--from", "2026-02-23T00:00:00Z", "--to", "2026-03-09T00:00:00Z"];

describe("railyard metrics", () => {
  let world: World;
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    world = await createWorld();
    server = await startTestServer(world, "sqlite");
    token = await server.token("vic", ["viewer"]);
    await server.advance("0s");
    for (const component of ["db", "api", "web"]) {
      const answer = await server.request("POST", "/api/v1/artifacts", {
        component,
        version: "1.0.0",
        commit: commitOf(component, "1.0.0"),
      });
      expect(answer.status).toBe(201);
    }
    await server.advance("2h");
    await server.advance("2h");
    await server.advance("30m");
  }, 60_000);
  afterAll(async () => {
    await server?.cleanup();
    await world?.cleanup();
  });

  const cli = (args: string[]) =>
    runCli(["--server", server.url, "metrics", ...args], { env: { RAILYARD_TOKEN: token } });

  it("prints the metrics as a table, and per week", async () => {
    const result = await cli([...RANGE, "--group-by", "week"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/M1 release success +100\.0 % +1 \/ 1 ended trains without rollback/);
    expect(result.stdout).toMatch(/M3 lead time .* versions: 3, .*\(3 from push\)/);
    expect(result.stdout).toMatch(/M7 change failure +0\.0 % +0 \/ 1 departed trains failed +elite/);
    expect(result.stdout).toMatch(/^2026-02-23 +0 /m);
    expect(result.stdout).toMatch(/^2026-03-02 +1 /m);
  });

  it("computes the same report from the database without the server (--database, -c)", async () => {
    const viaServer = JSON.parse((await cli([...RANGE, "--group-by", "week", "--json"])).stdout);
    const offline = await runCli([
      "metrics",
      "--database",
      server.database.url,
      "-c",
      world.configFile,
      ...RANGE,
      "--group-by",
      "week",
      "--json",
    ]);
    expect(offline.code, offline.stderr).toBe(0);
    expect(JSON.parse(offline.stdout)).toEqual(viaServer);
    const refused = await runCli([
      "metrics",
      "--database",
      server.database.url,
      "-c",
      world.configFile,
      "--line",
      "nope",
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("metrics: --line nope is not in the configuration; known:");
    const missing = await runCli(["metrics", "--database", `${world.configFile}.db`, "-c", world.configFile]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`no database at ${world.configFile}.db`);
  });

  it("answers --json with the API's report", async () => {
    const result = await cli([...RANGE, "--line", "shop", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as ReleaseMetricsReport;
    expect(report.query).toMatchObject({ line: "shop", from: "2026-02-23T00:00:00.000Z" });
    expect(report.total.trains).toMatchObject({ released: 1, departed: 1, ended: 1 });
    expect(report.periods).toEqual([]);
  });

  it("says why a filter is refused, and exits 1", async () => {
    const result = await cli([...RANGE, "--team", "nope"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("team nope is not in the configuration");
  });
});
