/**
 * Reloading the configuration, on SQLite and PostgreSQL, through `POST /api/v1/config/reload`
 * and through SIGHUP to a real `railyard serve` process: a valid file replaces the running
 * configuration whole; a broken one is rejected whole with every problem at FILE:LINE:COLUMN,
 * logged and answered, and the old configuration keeps running.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/domain/config/load.js";
import type { PushResult } from "../../src/engine/boarding-desk.js";
import type { LineSummary, TrainDetail } from "../../src/engine/railyard.js";
import { BROKEN_CONFIGS, brokenWorldConfig } from "../support/broken-configs.js";
import { type CliProcess, spawnCli } from "../support/cli.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../support/dialects.js";
import { ADMIN_TOKEN, startTestServer, type TestServer } from "../support/server.js";
import { createWorld, WORLD_START, type World, worldConfig } from "../support/world.js";

interface ConfigAnswer {
  source: string;
  hash: string;
  config: {
    lines: Record<string, { gates: Array<{ name: string }>; rollout: { waves: Array<{ bake: string }> } }>;
  };
}
interface ProblemAnswer {
  status: number;
  code: string;
  detail: string;
  problems: Array<{ file: string; line: number; column: number; message: string; path: unknown[] }>;
}
interface ReloadAnswer {
  hash: string;
  changed: boolean;
  lines: string[];
}
interface EventAnswer {
  id: number;
  type: string;
  actor: string;
  payload: Record<string, unknown>;
}

const SHA = (n: number) => `${n}`.padStart(7, "c").repeat(6).slice(0, 40);

/** The world's configuration with a 1h bake in wave eu and a second gating gate, `lint`. */
function changedConfig(gitops: string): string {
  const text = worldConfig(gitops, { bake: "1h" });
  const gate = '      - { name: tests, type: command, command: "test ! -e fail-gating", timeout: 30s }\n';
  if (!text.includes(gate)) throw new Error("the world config no longer has the tests gate");
  return text.replace(gate, `${gate}      - { name: lint, type: command, command: "true", timeout: 30s }\n`);
}

/** The content hash the server will report for `text`. */
function hashOf(text: string, file: string): string {
  const result = parseConfig(text, file);
  if (!result.ok) throw new Error(`expected a valid configuration: ${JSON.stringify(result.problems)}`);
  return result.hash;
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: a broken configuration file`, () => {
    let world: World;
    let server: TestServer;
    let ci: string;
    let before: { config: ConfigAnswer; lines: LineSummary[] };

    beforeAll(async () => {
      world = await createWorld();
      server = await startTestServer(world, dialect);
      ci = await server.ciToken("ci-bot", ["db", "api", "web"]);
      await server.advance("0s");
      before = {
        config: (await server.request<ConfigAnswer>("GET", "/api/v1/config")).body,
        lines: (await server.request<LineSummary[]>("GET", "/api/v1/lines")).body,
      };
      expect(before.lines.map((l) => [l.name, l.activeTrains.map((t) => `${t.id}:${t.state}`)])).toEqual([
        ["shop", ["shop-1:boarding", "shop-2:scheduled"]],
      ]);
    });
    afterAll(async () => {
      await server?.cleanup();
      await world?.cleanup();
    });

    it.each(BROKEN_CONFIGS)(
      "is rejected whole ($name) and the old configuration keeps running",
      async (broken) => {
        const round = BROKEN_CONFIGS.indexOf(broken);
        await writeFile(world.configFile, brokenWorldConfig(broken, world.gitops));

        const answer = await server.request<ProblemAnswer>("POST", "/api/v1/config/reload");
        expect(answer.status).toBe(422);
        expect(answer.contentType).toContain("application/problem+json");
        expect(answer.body.code).toBe("invalid-config");
        const expected = broken.problems.map((p) => ({ file: world.configFile, ...p }));
        expect(
          answer.body.problems.map(({ file, line, column, message }) => ({ file, line, column, message })),
        ).toEqual(expected);
        for (const p of expected)
          expect(answer.body.detail).toContain(`${p.file}:${p.line}:${p.column}: ${p.message}`);

        // The old configuration is still the one in force...
        expect((await server.request<ConfigAnswer>("GET", "/api/v1/config")).body).toEqual(before.config);
        expect((await server.request<LineSummary[]>("GET", "/api/v1/lines")).body).toEqual(before.lines);
        // ...and it still runs: pushes are checked against it, and the clock moves trains.
        const push = await server.request<PushResult>(
          "POST",
          "/api/v1/artifacts",
          { component: "db", version: `1.0.${round}`, commit: SHA(round) },
          ci,
        );
        expect(push.status, JSON.stringify(push.body)).toBe(201);
        expect(push.body.train.id).toBe("shop-1");
        const cart = await server.request<{ detail: string }>(
          "POST",
          "/api/v1/artifacts",
          { component: "cart", version: "1.0.0", commit: SHA(99) },
          ci,
        );
        expect(cart.status).toBe(400);
        expect(cart.body.detail).toContain('unknown component "cart"');
        const health = async () =>
          (
            await server.request<{ clock: { now: string }; config: { hash: string } }>(
              "GET",
              "/api/v1/health",
            )
          ).body;
        const then = Date.parse((await health()).clock.now);
        await server.advance("1m");
        const now = await health();
        expect(Date.parse(now.clock.now) - then).toBe(60_000);
        expect(now.config.hash).toBe(before.config.hash);
      },
    );

    it("takes the valid file back without recording a new configuration", async () => {
      const loadedBefore = (
        await server.request<EventAnswer[]>("GET", "/api/v1/events?limit=5000")
      ).body.filter((e) => e.type === "config.loaded");
      await world.writeConfig({});
      const answer = await server.request<ReloadAnswer>("POST", "/api/v1/config/reload");
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ hash: before.config.hash, changed: false, lines: ["shop"] });
      const loadedAfter = (
        await server.request<EventAnswer[]>("GET", "/api/v1/events?limit=5000")
      ).body.filter((e) => e.type === "config.loaded");
      expect(loadedAfter).toEqual(loadedBefore);
    });
  });

  describe(`${dialect}: reloading a configuration`, () => {
    let world: World;
    let server: TestServer;
    let ci: string;

    async function setup() {
      world = await createWorld();
      server = await startTestServer(world, dialect);
      ci = await server.ciToken("ci-bot", ["db", "api", "web"]);
      await server.advance("0s");
    }
    const push = async (component: string, version: string) => {
      const answer = await server.request<PushResult>(
        "POST",
        "/api/v1/artifacts",
        { component, version, commit: SHA(version.length + component.length) },
        ci,
      );
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    };
    const train = async (id: string) =>
      (await server.request<TrainDetail>("GET", `/api/v1/trains/${id}`)).body;
    const configLoaded = async () =>
      (await server.request<EventAnswer[]>("GET", "/api/v1/events?limit=5000")).body.filter(
        (e) => e.type === "config.loaded",
      );

    afterEach(async () => {
      await server?.cleanup();
      await world?.cleanup();
    });

    it("swaps a valid changed file in whole, records it once, and the trains follow it", async () => {
      await setup();
      await push("db", "1.0.0");
      const old = (await server.request<ConfigAnswer>("GET", "/api/v1/config")).body;
      expect(await configLoaded()).toHaveLength(1);

      const text = changedConfig(world.gitops);
      await writeFile(world.configFile, text);
      const expectedHash = hashOf(text, world.configFile);
      expect(expectedHash).not.toBe(old.hash);
      const answer = await server.request<ReloadAnswer>("POST", "/api/v1/config/reload");
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ hash: expectedHash, changed: true, lines: ["shop"] });

      const now = (await server.request<ConfigAnswer>("GET", "/api/v1/config")).body;
      expect(now.hash).toBe(expectedHash);
      expect(now.config.lines.shop?.rollout.waves[0]?.bake).toBe("1h");
      expect(now.config.lines.shop?.gates.map((g) => g.name)).toEqual(["tests", "lint"]);
      const loaded = await configLoaded();
      expect(loaded).toHaveLength(2);
      expect(loaded[1]).toMatchObject({
        actor: "admin",
        payload: { hash: expectedHash, source: world.configFile, lines: ["shop"] },
      });

      const again = await server.request<ReloadAnswer>("POST", "/api/v1/config/reload");
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ hash: expectedHash, changed: false, lines: ["shop"] });
      expect(await configLoaded()).toHaveLength(2);

      // The new gate runs at the cut-off and the new bake time holds the train in wave eu.
      await server.advance("2h");
      // Gates run in parallel: their results come in the order they finished.
      const gates = (await train("shop-1")).gates.map((g) => [g.gate, g.status]);
      expect(gates.sort()).toEqual([
        ["lint", "passed"],
        ["tests", "passed"],
      ]);
      await server.advance("2h"); // departure
      await server.advance("30m"); // the old bake would be over here
      let detail = await train("shop-1");
      expect(detail.train.state).toBe("verifying");
      expect(detail.waves.map((w) => [w.name, w.status])).toEqual([
        ["eu", "baking"],
        ["us", "pending"],
      ]);
      await server.advance("30m");
      detail = await train("shop-1");
      expect(detail.train.state).toBe("released");
    });

    it("refuses to remove a line while one of its trains is past boarding, and keeps the old one", async () => {
      await setup();
      await push("db", "1.0.0");
      await server.advance("2h"); // cut-off: shop-1 gates pass and it waits for its departure
      expect((await train("shop-1")).train.state).toBe("awaiting_approval");
      const old = (await server.request<ConfigAnswer>("GET", "/api/v1/config")).body;

      const renamed = worldConfig(world.gitops).replace("lines:\n  shop:\n", "lines:\n  store:\n");
      expect(renamed).toContain("  store:\n");
      await writeFile(world.configFile, renamed);
      const answer = await server.request<ProblemAnswer>("POST", "/api/v1/config/reload");
      expect(answer.status).toBe(422);
      expect(answer.contentType).toContain("application/problem+json");
      expect(answer.body.detail).toBe(
        "the new configuration removes line(s) shop while shop-1 (awaiting_approval) still run; finish or abort them first",
      );
      expect((await server.request<ConfigAnswer>("GET", "/api/v1/config")).body).toEqual(old);
      expect(await configLoaded()).toHaveLength(1);
      const lines = (await server.request<LineSummary[]>("GET", "/api/v1/lines")).body;
      expect(lines.map((l) => l.name)).toEqual(["shop"]);

      await server.advance("2h"); // the old line still departs
      expect((await train("shop-1")).train.state).toBe("verifying");
    });

    it("needs a token, and the admin role, before it reads anything", async () => {
      await setup();
      const old = (await server.request<ConfigAnswer>("GET", "/api/v1/config")).body;
      const member = await server.token("ann", ["member"]);
      await writeFile(world.configFile, changedConfig(world.gitops));

      const anonymous = await server.request<ProblemAnswer>("POST", "/api/v1/config/reload", undefined, "");
      expect(anonymous.status).toBe(401);
      expect(anonymous.contentType).toContain("application/problem+json");
      expect(anonymous.body.code).toBe("unauthorized");
      const forbidden = await server.request<ProblemAnswer>(
        "POST",
        "/api/v1/config/reload",
        undefined,
        member,
      );
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.detail).toBe(
        "ann may not reload the configuration: it needs the admin role (ann has member)",
      );
      expect((await server.request<ConfigAnswer>("GET", "/api/v1/config")).body).toEqual(old);
      expect(await configLoaded()).toHaveLength(1);
    });
  });
}

describe("SIGHUP to `railyard serve`", () => {
  let world: World;
  let database: TestDatabase;
  let serve: CliProcess | undefined;

  afterAll(async () => {
    if (serve && serve.child.exitCode === null && serve.child.signalCode === null) {
      serve.child.kill("SIGKILL");
      await serve.exited;
    }
    await database?.cleanup();
    await world?.cleanup();
  });

  it("rejects a broken file (logged, old configuration kept), takes a fixed one, stops cleanly on SIGTERM", async () => {
    world = await createWorld();
    database = await createTestDatabase("sqlite");
    serve = spawnCli(
      [
        "serve",
        "--config",
        world.configFile,
        "--database",
        database.url,
        "--port",
        "0",
        "--clock",
        "simulated",
        "--clock-start",
        WORLD_START.toISOString(),
        "--work-dir",
        path.join(world.dir, "work"),
      ],
      { cwd: world.dir, env: { RAILYARD_ADMIN_TOKEN: ADMIN_TOKEN } },
    );
    const running = serve;
    const [, url] = await running.waitFor("stderr", /railyard listening on (http:\/\/[\d.:]+)/);
    const config = async () =>
      (await (
        await fetch(`${url}/api/v1/config`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
      ).json()) as ConfigAnswer;
    const before = await config();
    expect(before.hash).toBe(hashOf(await readFile(world.configFile, "utf8"), world.configFile));

    // A broken file: rejected with every problem on stderr and in the log; the old one keeps running.
    const broken = BROKEN_CONFIGS.find((b) => b.problems.length === 2)!;
    await writeFile(world.configFile, brokenWorldConfig(broken, world.gitops));
    let mark = running.stderr().length;
    running.child.kill("SIGHUP");
    await running.waitFor("stderr", /reload rejected, the old configuration keeps running:\n(.+\n){3}/, {
      since: mark,
    });
    const told = running.stderr().slice(mark);
    for (const p of broken.problems) {
      expect(told).toContain(`${world.configFile}:${p.line}:${p.column}: ${p.message}\n`);
    }
    const [logLine] = await running.waitFor("stdout", /^.*"configuration reload rejected.*$/m);
    const logged = JSON.parse(logLine) as {
      level: number;
      problems: Array<{ line: number; column: number }>;
    };
    expect(logged.level).toBe(40);
    expect(logged.problems.map((p) => [p.line, p.column])).toEqual(
      broken.problems.map((p) => [p.line, p.column]),
    );
    expect(await config()).toEqual(before);

    // The same through the API: answered with the problems, and logged too.
    const viaApi = await fetch(`${url}/api/v1/config/reload`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(viaApi.status).toBe(422);
    expect(((await viaApi.json()) as ProblemAnswer).problems).toHaveLength(2);
    await running.waitFor("stdout", /"actor":"admin".*"configuration reload rejected/);
    expect(await config()).toEqual(before);

    // A fixed file with a real change: swapped in.
    const fixed = changedConfig(world.gitops);
    await writeFile(world.configFile, fixed);
    const expectedHash = hashOf(fixed, world.configFile);
    mark = running.stderr().length;
    running.child.kill("SIGHUP");
    const [, reloaded] = await running.waitFor("stderr", /configuration reloaded \((\w+)\)/, { since: mark });
    expect(reloaded).toBe(expectedHash);
    const after = await config();
    expect(after.hash).toBe(expectedHash);
    expect(after.config.lines.shop?.rollout.waves[0]?.bake).toBe("1h");

    running.child.kill("SIGTERM");
    const exit = await running.finished(20_000);
    expect(exit.code, exit.stderr).toBe(0);
    expect(exit.stderr).toContain("railyard: SIGTERM received, stopping");
    // Nothing the server printed or logged contains the admin token.
    expect(exit.stdout + exit.stderr).not.toContain(ADMIN_TOKEN);
  });
});
