/**
 * Crash recovery, on SQLite and PostgreSQL, with a real GitOps repository: the server process is
 * SIGKILLed at every step of a train in turn (before a step is recorded, after it is recorded but
 * before its side effect, after the side effect but before it is recorded as finished, after it
 * is finished, and around every transition), restarted on the same database each time, and the
 * train must still be released with exactly one commit per component per wave, no step recorded
 * or attempted twice, and an intact audit chain.
 *
 * How the server runs: as a real `node bin/railyard.js serve` child process, because the test
 * must kill it with SIGKILL mid-flight (an in-process server cannot be killed without killing
 * the test). A child cannot use Vite's TypeScript transform, so `bin/railyard.js` runs the
 * compiled `dist/`, and the vitest global setup `test/support/build-once.ts` compiles `src/` into
 * `dist/` once per `vitest run` before any test file starts. That keeps the child on the current
 * sources (never a stale build), costs one ~5 s compile per run instead of a TypeScript loader's
 * compile on each of the ~60 restarts, and is safe when several test files spawn the CLI. The
 * file then runs from a private copy of that build (`snapshotCli`), so a concurrent run that
 * rebuilds `dist/` in the same checkout cannot swap the code between two restarts of one train.
 *
 * The crash points are the engine's failpoints (`RAILYARD_FAILPOINT=<name>`, see
 * src/engine/reconciler.ts): the process writes `failpoint <name> reached` on stderr and
 * SIGKILLs itself there. A point that is never reached fails the test, so the list cannot
 * silently drift away from what the engine does.
 */
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TrainDetail } from "../../src/engine/railyard.js";
import { openStore } from "../../src/store/open-store.js";
import { withDeadline } from "../support/deadline.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../support/dialects.js";
import {
  type CliSnapshot,
  runCli,
  type ServeProcess,
  snapshotCli,
  spawnServe,
} from "../support/serve-process.js";
import { createWorld, RELEASE_STATES, SHOP_1, WORLD_START, type World } from "../support/world.js";

const ADMIN_TOKEN = "crash-test-admin-token";
const TRAIN = "shop-1";
const COMPONENTS = ["db", "api", "web"] as const;
const VERSIONS: Record<(typeof COMPONENTS)[number], string> = { db: "1.0.0", api: "1.1.0", web: "1.2.0" };
/** shop-1's eu wave has baked (30m after the 09:00 departure). */
const BAKED = "2026-03-02T09:30:00.000Z";
/** Where the simulated clock is moved, in turn: cut-off, departure, end of the eu bake. */
const TIME_TARGETS = [SHOP_1.cutoffAt, SHOP_1.departureAt, BAKED].map((t) => Date.parse(t));

const INTEGRATE_KEYS = COMPONENTS.map((c) => `r1/integrate/${c}`);
const DEPLOY_EU_KEYS = COMPONENTS.map((c) => `deploy/eu/${c}`);
const DEPLOY_US_KEYS = COMPONENTS.map((c) => `deploy/us/${c}`);
const GATING_KEY = "r1/gate/gating/tests";
const VERIFY_EU_KEY = "gate/verify/eu/health";
/** Every step of shop-1, in the order the engine runs them. */
const STEP_KEYS = [...INTEGRATE_KEYS, GATING_KEY, ...DEPLOY_EU_KEYS, VERIFY_EU_KEY, ...DEPLOY_US_KEYS];
/** The steps with a side effect on the GitOps repository: one commit each. */
const COMMIT_KEYS = [...INTEGRATE_KEYS, ...DEPLOY_EU_KEYS, ...DEPLOY_US_KEYS];

const stepId = (key: string) => `${TRAIN}/${key}#1`;
const aroundStep = (key: string) =>
  ["before-start", "after-start", "after-effect", "after-finish"].map((at) => `${at}:${stepId(key)}`);
const aroundTransition = (event: string) =>
  ["before-transition", "after-transition"].map((at) => `${at}:${TRAIN}:${event}`);

/**
 * Every failpoint of shop-1, in the order a run reaches them. `freeze` is missing because the
 * boarding desk freezes a train without a failpoint, and `wave_deployed` is listed once because
 * its names are the same for both waves (only the eu one is reached first).
 */
const CRASH_POINTS: readonly string[] = [
  ...aroundTransition("integrate"),
  ...INTEGRATE_KEYS.flatMap(aroundStep),
  ...aroundTransition("integrated"),
  ...aroundStep(GATING_KEY),
  ...aroundTransition("gates_passed"),
  ...aroundTransition("depart"),
  ...DEPLOY_EU_KEYS.flatMap(aroundStep),
  ...aroundTransition("wave_deployed"),
  ...aroundStep(VERIFY_EU_KEY),
  ...aroundTransition("next_wave"),
  ...DEPLOY_US_KEYS.flatMap(aroundStep),
  ...aroundTransition("release"),
];

interface Health {
  clock: { now: string };
}

interface LogLine {
  level: number;
  msg: string;
  step?: string;
}

/** The server's pino lines (stdout); anything else there is ignored. */
function logLines(stdout: string): LogLine[] {
  return stdout.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return [];
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });
}

/** pino's error and fatal levels. */
const ERROR_LEVEL = 50;

let cli: CliSnapshot;
beforeAll(async () => {
  cli = await snapshotCli();
});
afterAll(async () => {
  await cli?.cleanup();
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: crash recovery`, () => {
    let world: World | undefined;
    let database: TestDatabase | undefined;
    const processes: ServeProcess[] = [];

    afterEach(async () => {
      const running = processes.splice(0);
      await Promise.all(running.map((p) => p.kill()));
      await database?.cleanup();
      await world?.cleanup();
      database = undefined;
      world = undefined;
    });

    async function serve(failpoint?: string): Promise<ServeProcess> {
      const server = await spawnServe({
        bin: cli.bin,
        configFile: world!.configFile,
        databaseUrl: database!.url,
        workDir: path.join(world!.dir, "work"),
        clockStart: WORLD_START,
        adminToken: ADMIN_TOKEN,
        failpoint,
      });
      processes.push(server);
      return server;
    }

    async function api<T>(server: ServeProcess, method: string, p: string, body?: unknown, token?: string) {
      const answer = await server.request<T>(method, p, body, token);
      if (answer.status >= 300)
        throw new Error(`${method} ${p}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body;
    }

    const advance = (server: ServeProcess, by: string) =>
      api(server, "POST", "/api/v1/clock/advance", { by });
    const detailOf = (server: ServeProcess) => api<TrainDetail>(server, "GET", `/api/v1/trains/${TRAIN}`);

    /** A fresh world and database, and a first server on which shop-1 boards db, api and web. */
    async function boardShop1(failpoint?: string): Promise<ServeProcess> {
      world = await createWorld();
      database = await createTestDatabase(dialect);
      const server = await serve(failpoint);
      await advance(server, "0s");
      const { token: ci } = await api<{ token: string }>(server, "POST", "/api/v1/tokens", {
        name: "ci",
        subject: "ci-bot",
        kind: "ci",
        components: [...COMPONENTS],
      });
      for (const [index, component] of COMPONENTS.entries()) {
        const commit = `${index + 1}`.repeat(40);
        await api(
          server,
          "POST",
          "/api/v1/artifacts",
          { component, version: VERSIONS[component], commit },
          ci,
        );
      }
      return server;
    }

    /**
     * Drives shop-1 towards release: settles at the current simulated time (which resumes work a
     * crash interrupted), then moves the clock to the next point of its timetable, until it is
     * released or the process dies. The clock is stored on every advance, so a restarted server
     * continues at the time the dead one had reached.
     */
    async function drive(server: ServeProcess): Promise<"released" | "died"> {
      if (server.url === null) return "died";
      try {
        await advance(server, "0s");
        for (let round = 0; round <= TIME_TARGETS.length; round++) {
          const detail = await detailOf(server);
          if (detail.train.state === "released") return "released";
          const health = await api<Health>(server, "GET", "/api/v1/health");
          const now = Date.parse(health.clock.now);
          const target = TIME_TARGETS.find((t) => t > now);
          if (target === undefined) {
            throw new Error(
              `${TRAIN} is ${detail.train.state} at ${health.clock.now}, past its timetable (waiting for ${detail.waitingFor})`,
            );
          }
          await advance(server, `${target - now}ms`);
        }
        throw new Error(`${TRAIN} was not released after every advance of its timetable`);
      } catch (error) {
        // A request fails when the process dies under it; any other failure is the test's.
        const died = await withDeadline(server.exit, 5_000, "the server to exit").catch(() => null);
        if (died) return "died";
        throw new Error(`${(error as Error).message}\n${server.diagnostics()}`, { cause: error });
      }
    }

    /** Drives shop-1 until `server` kills itself at `failpoint`; fails if it never gets there. */
    async function crashAt(server: ServeProcess, failpoint: string): Promise<void> {
      const outcome = await drive(server);
      const exit = await withDeadline(server.exit, 5_000, `failpoint ${failpoint} to kill the server`).catch(
        () => null,
      );
      if (!exit) {
        throw new Error(
          `${TRAIN} was ${outcome} but failpoint ${failpoint} was never reached\n${server.diagnostics()}`,
        );
      }
      expect(exit.signal, server.diagnostics()).toBe("SIGKILL");
      expect(server.stderr(), server.diagnostics()).toContain(`failpoint ${failpoint} reached`);
      // Logs are written asynchronously, so a killed server's last lines may be missing: this
      // sees the errors it did write.
      expectNoErrorLogged(server);
    }

    function expectNoErrorLogged(server: ServeProcess): void {
      const errors = logLines(server.stdout()).filter((l) => l.level >= ERROR_LEVEL);
      expect(errors, server.diagnostics()).toEqual([]);
    }

    /**
     * Stops the last server gracefully, which flushes its logs, and checks them: no error, and the
     * step the crash before it left running (if any) resumed once.
     */
    async function stopAndReadLogs(server: ServeProcess, crash: string): Promise<void> {
      const exit = await server.stop();
      expect(exit, server.diagnostics()).toEqual({ code: 0, signal: null });
      expectNoErrorLogged(server);
      const left = /^after-(?:start|effect):(.+)$/.exec(crash)?.[1];
      if (left === undefined) return;
      const resumed = logLines(server.stdout()).filter(
        (l) => l.msg === "resuming step left running" && l.step === left,
      );
      expect(resumed, `${left} resumed after ${crash}\n${server.diagnostics()}`).toHaveLength(1);
    }

    /** Restarts without a failpoint and drives shop-1 to release; returns the running server. */
    async function finish(): Promise<ServeProcess> {
      const server = await serve();
      expect(await drive(server), server.diagnostics()).toBe("released");
      return server;
    }

    async function expectIntactAuditChain(): Promise<void> {
      const run = await runCli(["audit", "verify", "--database", database!.url, "--json"], { bin: cli.bin });
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ ok: true });
    }

    /** Each step started and finished once, on its first attempt; each transition happened once. */
    function expectEachStepOnce(detail: TrainDetail): void {
      expect(detail.train.state).toBe("released");
      expect(
        detail.events
          .filter((e) => e.type === "train.transitioned")
          .map((e) => (e.payload as { to: string }).to),
      ).toEqual(RELEASE_STATES);
      expect(detail.steps.map((s) => s.key).sort()).toEqual([...STEP_KEYS].sort());
      for (const step of detail.steps) {
        expect(step, step.key).toMatchObject({ id: stepId(step.key), attempt: 1, status: "succeeded" });
      }
      const count = (type: string) => {
        const counts: Record<string, number> = {};
        for (const event of detail.events.filter((e) => e.type === type)) {
          const id = (event.payload as { stepId: string }).stepId;
          counts[id] = (counts[id] ?? 0) + 1;
        }
        return counts;
      };
      const once = Object.fromEntries(STEP_KEYS.map((key) => [stepId(key), 1]));
      expect(count("step.started")).toEqual(once);
      expect(count("step.finished")).toEqual(once);
      expect(detail.gates.map((g) => [g.stage, g.gate, g.attempt, g.status])).toEqual([
        ["gating", "tests", 1, "passed"],
        ["verify/eu", "health", 1, "passed"],
      ]);
    }

    /** One commit per component per wave in the GitOps repository, each of a first attempt. */
    async function expectOneCommitPerStep(): Promise<void> {
      const commits = await world!.commits();
      expect(commits.map((c) => c.trailers["Railyard-Step"]).sort()).toEqual([...COMMIT_KEYS].sort());
      for (const commit of commits) {
        const key = commit.trailers["Railyard-Step"]!;
        expect(commit.trailers["Railyard-Train"]).toBe(TRAIN);
        expect(commit.trailers["Railyard-Idempotency-Key"]).toBe(stepId(key));
      }
      expect(await world!.show("env/us.yaml")).toBe(
        "# us\ndb:\n  version: 1.0.0\napi:\n  version: 1.1.0\nweb:\n  version: 1.2.0\n",
      );
    }

    it(`releases ${TRAIN} after a SIGKILL at each of its ${CRASH_POINTS.length} failpoints in turn`, async () => {
      let server = await boardShop1(CRASH_POINTS[0]);
      for (const [index, failpoint] of CRASH_POINTS.entries()) {
        if (index > 0) server = await serve(failpoint);
        await crashAt(server, failpoint);
      }
      server = await finish();

      await expectOneCommitPerStep();
      const detail = await detailOf(server);
      expectEachStepOnce(detail);
      // Every deploying step was killed after its push and before its record: each restart found
      // its commit by the idempotency key instead of pushing again.
      for (const key of COMMIT_KEYS) {
        const step = detail.steps.find((s) => s.key === key);
        expect(step?.output, key).toMatch(new RegExp(`^already done \\(idempotency key ${stepId(key)}\\); `));
      }
      await expectIntactAuditChain();
      await stopAndReadLogs(server, CRASH_POINTS.at(-1)!);
    }, 300_000);

    it("finds a deployment pushed just before the crash already done, and pushes it once", async () => {
      const failpoint = `after-effect:${stepId("deploy/eu/api")}`;
      await crashAt(await boardShop1(failpoint), failpoint);

      // The crash left the push done and the step recorded as running.
      const pushed = await world!.commits();
      expect(pushed.filter((c) => c.trailers["Railyard-Step"] === "deploy/eu/api")).toHaveLength(1);
      const store = await openStore({ url: database!.url });
      try {
        const steps = await store.listSteps(TRAIN);
        expect(steps.find((s) => s.key === "deploy/eu/api")).toMatchObject({ attempt: 1, status: "running" });
      } finally {
        await store.close();
      }

      const server = await finish();
      await expectOneCommitPerStep();
      const detail = await detailOf(server);
      expectEachStepOnce(detail);
      for (const step of detail.steps.filter((s) => COMMIT_KEYS.includes(s.key))) {
        if (step.key === "deploy/eu/api") {
          expect(step.output).toMatch(/^already done \(idempotency key shop-1\/deploy\/eu\/api#1\); /);
          expect(step.output).toContain(
            pushed.find((c) => c.trailers["Railyard-Step"] === "deploy/eu/api")!.sha.slice(0, 12),
          );
        } else {
          expect(step.output, step.key).not.toContain("already done");
        }
      }
      await expectIntactAuditChain();
      await stopAndReadLogs(server, failpoint);
    }, 60_000);
  });
}
