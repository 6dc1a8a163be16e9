/**
 * Durability under crashes (issue 6): a harness SIGKILLs `railyard serve` at random (seeded)
 * instants while it drives many progressive rollouts, restarts it on the same SQLite file each
 * time, and checks at the end that
 *
 *  1. no deployer side effect was applied twice: the webhook receiver below applies each
 *     idempotency key once (a repeated delivery is answered 409 and counted), the GitOps
 *     repository holds at most one commit per idempotency key, a step has a new attempt
 *     (a new key) only after a recorded failure of the previous one, and a key applied while the
 *     server was killed before hearing so was delivered again (and answered 409);
 *  2. every train's stored state is the replay of its `train.transitioned` events through the
 *     pure state machine, each event leaving from where the previous one arrived, and every step
 *     started once and finished once (none left running);
 *  3. the audit hash chain verifies;
 *  4. every train that had something to ship reached a terminal state.
 *
 * The world: one line (db → api), db deployed by the GitOps deployer, api by a webhook deployer
 * pointing at a signed, idempotent `node:http` receiver in this process (answers after 10–40 ms).
 * Wave 1 is a canary (setWeight 25 → pause 5m → setWeight 100) over eu and us with
 * `maxParallel: 1`, baked 10m and verified by a command gate that fails for every fourth train
 * (so rollbacks run too); wave 2 deploys all at once.
 *
 * A "trial" is one server process: started, allowed to complete 0–2 driver actions (artifact
 * pushes, clock advances past cut-offs, departures, pauses and bakes, promotes), then SIGKILLed
 * 0–400 ms after it was given the next action, i.e. while the engine is in the middle of steps.
 * About a third of the trials are armed instead: the server gets up to 4 actions and is killed
 * the instant a side effect lands — the next webhook request that applies a key (mostly before
 * the receiver answers, so the engine cannot record the step; sometimes right after, a race with
 * the recording), or the next push reaching the GitOps repository's main ref. That is the
 * window random instants almost never hit (0 repeated deliveries over 50 trials before), and the
 * one where a repeated delivery must be absorbed: the restarted engine resumes the step with the
 * same key, the receiver answers 409, and the step is recorded as already done.
 * Only the kill instants, the arming (its own generator, so unarmed trials keep their instants)
 * and the receiver's answer delays are random; they come from `RAILYARD_CHAOS_SEED`, printed in
 * the test name, so a failure replays with the same seed. From 30 trials on, the test asserts that
 * an armed kill landed after a webhook applied a key and that repeated deliveries were absorbed
 * (the default seed 20261127 gives 11 such kills and 20 absorbed repeats).
 *
 * Each server process is spawned while the previous one is driven, loads its modules behind a
 * gate file (see PRELOAD) and opens the database only once the previous one is dead: a restart
 * then costs about 0.8 s instead of 3 s.
 *
 * Short form (CI): 50 trials. Long form: `RAILYARD_CHAOS_SEED=1 RAILYARD_CHAOS_TRIALS=300
 * RAILYARD_CHAOS_TIMEOUT_MS=7200000 npx vitest run test/e2e/rollout-chaos.test.ts` (figures in
 * BENCHMARKS.md).
 *
 * Why the wall clock: a SIGKILL lands at a real instant of a real process, so the unarmed kills
 * wait a seeded 0–400 ms of real time (the trains themselves run on the simulated clock). No
 * assertion depends on how long anything takes; a slow machine only moves where kills land.
 */

import { type FSWatcher, watch } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredEvent } from "../../src/domain/events.js";
import type { Step, Train } from "../../src/domain/model.js";
import {
  isTerminal,
  type TrainEventType,
  type TrainState,
  type TrainStatus,
  transition,
} from "../../src/domain/train-state.js";
import type { TrainDetail } from "../../src/engine/railyard.js";
import { verifyWebhookSignature } from "../../src/integrations/http/webhook-signature.js";
import { withDeadline } from "../support/deadline.js";
import { createTestDatabase, type TestDatabase } from "../support/dialects.js";
import { seededRandom } from "../support/random.js";
import { commitOf } from "../support/scenario.js";
import {
  type CliSnapshot,
  runCli,
  type ServeProcess,
  snapshotCli,
  spawnServe,
} from "../support/serve-process.js";
import { createWorld, WORLD_START, type World } from "../support/world.js";

const SEED = Number.parseInt(process.env.RAILYARD_CHAOS_SEED ?? "20261127", 10) >>> 0;
const TRIALS = Number.parseInt(process.env.RAILYARD_CHAOS_TRIALS ?? "50", 10);
const TIMEOUT_MS = Number.parseInt(process.env.RAILYARD_CHAOS_TIMEOUT_MS ?? "600000", 10);
/** Longest real delay between giving the server an action and killing it. */
const KILL_WINDOW_MS = 400;
/** Prints each action and kill (with the real time it took) when set. */
const VERBOSE = process.env.RAILYARD_CHAOS_VERBOSE === "1";
const ADMIN_TOKEN = "chaos-admin-token";
const SECRET_ENV = "RAILYARD_CHAOS_WEBHOOK_SECRET";
const SECRET = "chaos-webhook-secret-0123456789";
const COMPONENTS = ["db", "api"] as const;
/** Share of trials whose kill is armed on a side effect landing (see {@link Arming}). */
const ARMED_SHARE = 1 / 3;
/** Actions an armed trial gives the server while waiting for its side effect. */
const ARMED_MAX_ACTIONS = 4;
/** Every fourth train fails its canary verification and is rolled back. */
const failsVerification = (n: number) => n % 4 === 3;
/** Simulated minutes after a departure at which the driver moves the clock. */
const AFTER_DEPARTURE_MIN = [5, 10, 15, 20, 30, 45, 60, 180];

const WAVES = `        - name: canary
          environments: [eu, us]
          maxParallel: 1
          strategy:
            type: canary
            steps:
              - setWeight: 25
              - pause: 5m
              - setWeight: 100
          bake: 10m
          verify:
            - { name: health, type: command, command: 'test ! -e "fail-verify-$RAILYARD_TRAIN_ID"', timeout: 30s }
        - name: all
          environments: [eu, us]`;

const COMPONENTS_YAML = `  db: { team: core, deployer: git }
  api: { team: core, deployer: hook, depends_on: [{ component: db, version: ">=1.0.0" }] }`;

const deployersYaml = (url: string) => `  hook:
    type: webhook
    url: "${url}/deploy/{component}/{environment}"
    secretEnv: ${SECRET_ENV}
    timeout: 5s
    retries: 2
`;

/** One request the receiver got. */
interface Delivery {
  key: string;
  body: Record<string, unknown>;
  /** True for the delivery that applied the key; false for a repeat answered 409. */
  applied: boolean;
}

/**
 * A kill armed on a side effect: `kill` SIGKILLs the current server and resolves once it exited;
 * `beforeAnswer` says whether the receiver kills before answering (the engine can never record the
 * step) or right after (a race with the engine recording it).
 */
interface Arming {
  kill: () => Promise<unknown>;
  beforeAnswer: boolean;
}

/**
 * A deploy service as a platform team would run it: checks the signature, applies a key once
 * (the change happens on receipt), answers after 10–40 ms, and answers a repeated key 409.
 * When {@link Receiver.arm}ed, the next request that applies a key kills the server.
 */
class Receiver {
  readonly deliveries: Delivery[] = [];
  readonly applied = new Map<string, Record<string, unknown>>();
  readonly refused: string[] = [];
  /** Keys applied by a request during which the server was killed before the answer. */
  readonly killedBeforeAnswer: string[] = [];
  /** Keys applied by a request answered right before the server was killed. */
  readonly killedAfterAnswer: string[] = [];
  private armed: Arming | null = null;
  private server: Server | undefined;
  url = "";

  arm(arming: Arming | null): void {
    this.armed = arming;
  }

  constructor(private readonly random: () => number) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const header = (name: string) => {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value[0] : value;
    };
    const key = header("idempotency-key");
    if (
      req.method !== "POST" ||
      key === undefined ||
      !verifyWebhookSignature(SECRET, header("x-railyard-timestamp"), raw, header("x-railyard-signature"))
    ) {
      this.refused.push(`${req.method} ${req.url} key=${key}`);
      res.writeHead(401, { "content-type": "application/json" }).end('{"message":"bad signature"}');
      return;
    }
    const body = JSON.parse(raw.toString("utf8")) as Record<string, unknown>;
    if (body.idempotency_key !== key)
      this.refused.push(`body key ${String(body.idempotency_key)} ≠ header ${key}`);
    const first = !this.applied.has(key);
    if (first) this.applied.set(key, body);
    this.deliveries.push({ key, body, applied: first });
    const armed = first ? this.armed : null;
    if (armed) this.armed = null;
    if (armed?.beforeAnswer) {
      // The key is applied; the server dies before it hears so.
      this.killedBeforeAnswer.push(key);
      await armed.kill();
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.floor(this.random() * 30)));
    if (res.destroyed) return;
    if (first) {
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ reference: `dep-${this.applied.size}`, message: "applied" }));
      if (armed) {
        this.killedAfterAnswer.push(key);
        await armed.kill();
      }
    } else {
      res.writeHead(409, { "content-type": "application/json" }).end('{"message":"already applied"}');
    }
  }
}

interface Health {
  clock: { now: string };
}

interface LogLine {
  level: number;
  msg: string;
}

function errorLogs(stdout: string): LogLine[] {
  return stdout.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return [];
    try {
      const parsed = JSON.parse(line) as LogLine;
      return parsed.level >= 50 ? [parsed] : [];
    } catch {
      return [];
    }
  });
}

const versionOf = (n: number) => `1.${n}.0`;

/**
 * Loaded with `node --import` into each server process: loads the CLI's modules (the ~1.5 s of a
 * start that does not touch the database), then waits until the harness creates the gate file, so
 * the next server warms up while the current one is driven and opens the database only after the
 * previous one died. Writes its pid next to the gate first, so an unused one can be killed. Not in
 * worker threads (the SQLite writer), which would otherwise load the CLI again.
 */
const PRELOAD = `import { existsSync, writeFileSync } from "node:fs";
import { isMainThread } from "node:worker_threads";
const gate = process.env.RAILYARD_CHAOS_GATE;
if (gate && isMainThread) {
  writeFileSync(gate + ".pid", String(process.pid));
  for (const url of process.env.RAILYARD_CHAOS_WARM.split(" ")) await import(url);
  while (!existsSync(gate)) await new Promise((resolve) => setTimeout(resolve, 5));
}
`;

let cli: CliSnapshot;
beforeAll(async () => {
  cli = await snapshotCli();
});
afterAll(async () => {
  await cli?.cleanup();
});

describe("sqlite: rollouts under random SIGKILLs", () => {
  it(
    `seed ${SEED}, ${TRIALS} trials: trains end consistent with their events, no side effect twice, audit chain intact`,
    async () => {
      const started = performance.now();
      const random = seededRandom(SEED);
      const arming = seededRandom(SEED ^ 0xa4d);
      const receiver = new Receiver(seededRandom(SEED ^ 0x5eed));
      let world: World | undefined;
      let gitWatcher: FSWatcher | undefined;
      /** The next server, spawned and warming up behind its gate file. */
      let next: { gate: string; spawned: Promise<ServeProcess> } | null = null;
      const dropNext = async () => {
        if (next === null) return;
        const { gate, spawned } = next;
        next = null;
        // Its pid file comes first thing; if it never comes, let it start and kill it then.
        let pid: string | null = null;
        for (let i = 0; i < 200 && pid === null; i++) {
          pid = await readFile(`${gate}.pid`, "utf8").catch(() => null);
          if (pid === null) await new Promise((resolve) => setTimeout(resolve, 50));
        }
        if (pid === null) await writeFile(gate, "");
        else {
          try {
            process.kill(Number(pid), "SIGKILL");
          } catch {
            // gone already
          }
        }
        await (await spawned.catch(() => null))?.kill();
      };
      let database: TestDatabase | undefined;
      const processes: ServeProcess[] = [];
      const previousSecret = process.env[SECRET_ENV];
      process.env[SECRET_ENV] = SECRET;
      let trial = 0;
      const where = () => `seed ${SEED}, trial ${trial}/${TRIALS}`;
      const trace = (what: string) => {
        if (VERBOSE) console.log(`[${Math.round(performance.now() - started)} ms] trial ${trial}: ${what}`);
      };
      try {
        await receiver.start();
        world = await createWorld({
          waves: WAVES,
          components: COMPONENTS_YAML,
          lineComponents: [...COMPONENTS],
          deployers: deployersYaml(receiver.url),
        });
        const preload = path.join(world.dir, "preload.mjs");
        await writeFile(preload, PRELOAD);
        const dist = path.join(path.dirname(cli.bin), "..", "dist", "cli");
        const warm = ["main.js", "start-server.js"].map((f) => pathToFileURL(path.join(dist, f)).href);
        // A push landing in the GitOps repository renames refs/heads/main into place.
        let gitArmed: (() => void) | null = null;
        gitWatcher = watch(path.join(world.gitops, "refs", "heads"), (_, name) => {
          if (name !== "main" || gitArmed === null) return;
          const fire = gitArmed;
          gitArmed = null;
          fire();
        });
        for (let n = 1; n <= 400; n++) {
          if (failsVerification(n)) await writeFile(path.join(world.dir, `fail-verify-shop-${n}`), "");
        }
        database = await createTestDatabase("sqlite");
        let ciToken: string | null = null;
        /** Trains the driver boards artifacts on: every train that opened while trials remained. */
        const planned = new Set<number>();
        let kills = 0;
        let restarts = 0;
        let actions = 0;
        let pushes = 0;
        let advances = 0;
        let promotes = 0;
        let armedTrials = 0;
        let armedGitKills = 0;
        let spawned = 0;

        const prepare = () => {
          const gate = path.join(world!.dir, `gate-${++spawned}`);
          const saved = { ...process.env };
          process.env.NODE_OPTIONS = `${saved.NODE_OPTIONS ?? ""} --import=${pathToFileURL(preload).href}`;
          process.env.RAILYARD_CHAOS_GATE = gate;
          process.env.RAILYARD_CHAOS_WARM = warm.join(" ");
          // spawnServe copies the environment when it spawns, before its first await.
          const child = spawnServe({
            bin: cli.bin,
            configFile: world!.configFile,
            databaseUrl: database!.url,
            workDir: path.join(world!.dir, "work"),
            clockStart: WORLD_START,
            adminToken: ADMIN_TOKEN,
            requestTimeoutMs: 30_000,
            startTimeoutMs: TIMEOUT_MS,
          });
          for (const name of ["NODE_OPTIONS", "RAILYARD_CHAOS_GATE", "RAILYARD_CHAOS_WARM"]) {
            if (saved[name] === undefined) delete process.env[name];
            else process.env[name] = saved[name];
          }
          child.catch(() => undefined);
          return { gate, spawned: child };
        };

        /** Lets the warmed-up server start (the previous one is dead), and warms up the one after. */
        const serve = async (warmNext = true): Promise<ServeProcess> => {
          const current = next ?? prepare();
          next = null;
          await writeFile(current.gate, "");
          const server = await current.spawned;
          processes.push(server);
          if (server.url === null)
            throw new Error(`${where()}: the server died at startup\n${server.diagnostics()}`);
          if (warmNext) next = prepare();
          return server;
        };

        const api = async <T>(
          server: ServeProcess,
          method: string,
          p: string,
          body?: unknown,
          token?: string,
        ) => {
          const answer = await server.request<T>(method, p, body, token);
          if (answer.status >= 300)
            throw new Error(`${method} ${p}: ${answer.status} ${JSON.stringify(answer.body)}`);
          return answer.body;
        };

        /**
         * The next thing the world does, from what the server says now: promote a train awaiting a
         * promote, push a missing artifact to a planned train that is boarding, or move the clock
         * to the next instant of interest. Null when every planned train has ended.
         */
        const nextAction = async (
          server: ServeProcess,
          boardNew: boolean,
        ): Promise<{ what: string; run: () => Promise<unknown> } | null> => {
          const now = Date.parse((await api<Health>(server, "GET", "/api/v1/health")).clock.now);
          const trains = await api<Train[]>(server, "GET", "/api/v1/trains?limit=1000");
          for (const train of trains) {
            if (train.state === "boarding" && boardNew && train.kind === "scheduled")
              planned.add(train.number);
          }
          const mine = trains.filter((t) => planned.has(t.number) && t.kind === "scheduled");
          for (const train of mine.filter((t) => !isTerminal(t.state))) {
            const detail = await api<TrainDetail>(server, "GET", `/api/v1/trains/${train.id}`);
            if (detail.awaiting?.kind === "promote") {
              return {
                what: `promote ${train.id}`,
                run: async () => {
                  await api(server, "POST", `/api/v1/trains/${train.id}/promote`, { comment: "chaos" });
                  promotes++;
                },
              };
            }
            if (train.state === "boarding") {
              const boarded = new Set(detail.artifacts.map((a) => a.component));
              const missing = COMPONENTS.filter((c) => !boarded.has(c));
              if (missing.length > 0) {
                const version = versionOf(train.number);
                return {
                  what: `push ${missing.join(", ")} ${version} to ${train.id}`,
                  run: async () => {
                    for (const component of missing) {
                      const answer = await server.request(
                        "POST",
                        "/api/v1/artifacts",
                        { component, version, commit: commitOf(component, version), train: train.id },
                        ciToken ?? undefined,
                      );
                      if (answer.status >= 300 && answer.status !== 409)
                        throw new Error(
                          `push ${component} ${version}: ${answer.status} ${JSON.stringify(answer.body)}`,
                        );
                      pushes++;
                    }
                  },
                };
              }
            }
          }
          if (mine.length > 0 && mine.every((t) => isTerminal(t.state)) && !boardNew) return null;
          const interesting = trains
            .filter(
              (t) => t.kind === "scheduled" && (planned.has(t.number) || boardNew) && !isTerminal(t.state),
            )
            .flatMap((t) => {
              const departure = Date.parse(t.departureAt);
              return [
                Date.parse(t.cutoffAt),
                departure,
                ...AFTER_DEPARTURE_MIN.map((m) => departure + m * 60_000),
              ];
            })
            .filter((t) => t > now);
          const target = interesting.length > 0 ? Math.min(...interesting) : now + 3_600_000;
          if (!boardNew && interesting.length === 0) {
            const stuck = mine.filter((t) => !isTerminal(t.state));
            if (
              stuck.length === 0 ||
              now > Math.max(...stuck.map((t) => Date.parse(t.departureAt))) + 2 * 86_400_000
            ) {
              throw new Error(
                `${where()}: trains stuck two days after departure: ${stuck
                  .map((t) => `${t.id} ${t.state} (${t.reason})`)
                  .join("; ")}`,
              );
            }
          }
          return {
            what: `advance to ${new Date(target).toISOString()}`,
            run: async () => {
              await api(server, "POST", "/api/v1/clock/advance", { by: `${target - now}ms` });
              advances++;
            },
          };
        };

        /** True when `error` came from the server dying under a request. */
        const died = async (server: ServeProcess) =>
          (await withDeadline(server.exit, 5_000, "the server to exit").catch(() => null)) !== null;

        // The first server: a CI token (stored, so it outlives restarts).
        {
          const server = await serve();
          await api(server, "POST", "/api/v1/clock/advance", { by: "0s" });
          ({ token: ciToken } = await api<{ token: string }>(server, "POST", "/api/v1/tokens", {
            name: "ci",
            subject: "ci-bot",
            kind: "ci",
            components: [...COMPONENTS],
          }));
          await server.stop();
        }

        for (trial = 1; trial <= TRIALS; trial++) {
          const server = await serve();
          trace("started");
          if (trial > 1) restarts++;
          const before = Math.floor(random() * 3);
          const delay = Math.floor(random() * KILL_WINDOW_MS);
          // Armed trials draw from their own generator, so the others keep their kill instants.
          const armed = arming() < ARMED_SHARE;
          const armedOn = arming() < 0.25 ? "git" : "hook";
          const beforeAnswer = arming() < 0.75;
          try {
            if (armed) {
              // Kill the server the instant a side effect lands, before the engine can record it.
              armedTrials++;
              trace(
                `armed on the next ${armedOn === "git" ? "GitOps push" : `webhook applied (${beforeAnswer ? "before" : "after"} its answer)`}`,
              );
              const kill = () => server.kill();
              if (armedOn === "git")
                gitArmed = () => {
                  armedGitKills++;
                  void kill();
                };
              else receiver.arm({ kill, beforeAnswer });
              for (let i = 0; i < ARMED_MAX_ACTIONS && server.exited() === null; i++) {
                const action = await nextAction(server, true);
                if (action === null) break;
                trace(action.what);
                await action.run();
                actions++;
              }
              trace(server.exited() === null ? "nothing landed: killed" : "killed as it landed");
            }
            for (let i = 0; i < (armed ? 0 : before); i++) {
              const action = await nextAction(server, true);
              if (action === null) break;
              trace(action.what);
              await action.run();
              actions++;
            }
            if (!armed) {
              const action = await nextAction(server, true);
              trace(`${action?.what ?? "nothing"}, killed after ${delay} ms`);
              const killer = new Promise<void>((resolve) =>
                setTimeout(() => {
                  void server.kill().then(() => resolve());
                }, delay),
              );
              await Promise.all([action?.run().then(() => actions++), killer]);
            }
          } catch (error) {
            if (!(await died(server))) {
              throw new Error(`${where()}: ${(error as Error).message}\n${server.diagnostics()}`, {
                cause: error,
              });
            }
          }
          gitArmed = null;
          receiver.arm(null);
          await server.kill();
          expect(server.exited()?.signal, `${where()}\n${server.diagnostics()}`).toBe("SIGKILL");
          kills++;
          const errors = errorLogs(server.stdout());
          expect(errors, `${where()}: error logged\n${server.diagnostics()}`).toEqual([]);
        }

        // The last server runs undisturbed until every planned train has ended.
        trial = TRIALS + 1;
        const server = await serve(false);
        restarts++;
        for (let round = 0; ; round++) {
          if (round > 500) throw new Error(`${where()}: the world did not settle in 500 actions`);
          let action: Awaited<ReturnType<typeof nextAction>>;
          try {
            action = await nextAction(server, false);
            if (action === null) break;
            trace(action.what);
            await action.run();
            actions++;
          } catch (error) {
            throw new Error(`${where()} (final run): ${(error as Error).message}\n${server.diagnostics()}`, {
              cause: error,
            });
          }
        }

        // ---- Checks ----
        const trains = await api<Train[]>(server, "GET", "/api/v1/trains?limit=1000");
        const details = new Map<string, TrainDetail>();
        for (const train of trains)
          details.set(train.id, await api<TrainDetail>(server, "GET", `/api/v1/trains/${train.id}`));
        const eventsOf = async (id: string) => {
          const events = await api<StoredEvent[]>(server, "GET", `/api/v1/events?train=${id}&limit=5000`);
          expect(events.length, `${id}: more events than one page`).toBeLessThan(5000);
          return events;
        };

        // 4. Every planned train ended; others only wait for their timetable.
        const problems: string[] = [];
        for (const train of trains) {
          if (planned.has(train.number) && !isTerminal(train.state))
            problems.push(
              `${train.id} is ${train.state} (${train.reason}; ${details.get(train.id)?.waitingFor})`,
            );
        }

        // 2. State = replay of the transitions; steps started and finished once.
        for (const train of trains) {
          const events = await eventsOf(train.id);
          let status: TrainStatus = { state: "scheduled", resumeTo: null };
          for (const event of events.filter((e) => e.type === "train.transitioned")) {
            const p = event.payload as {
              from: TrainState;
              to: TrainState;
              event: TrainEventType;
              resumeTo: TrainState | null;
            };
            if (p.from !== status.state)
              problems.push(
                `${train.id} event ${event.id} (${p.event}) leaves ${p.from}, but the train was ${status.state}`,
              );
            const next = transition(status, p.event);
            if (!next.ok) {
              problems.push(`${train.id} event ${event.id}: ${next.error.message}`);
              status = { state: p.to, resumeTo: p.resumeTo };
              continue;
            }
            if (next.status.state !== p.to || next.status.resumeTo !== p.resumeTo)
              problems.push(
                `${train.id} event ${event.id} (${p.event}) says ${p.to}/${p.resumeTo}, the state machine ${next.status.state}/${next.status.resumeTo}`,
              );
            status = { state: p.to, resumeTo: p.resumeTo };
          }
          if (status.state !== train.state || status.resumeTo !== train.resumeTo)
            problems.push(
              `${train.id} is stored ${train.state}/${train.resumeTo} but its events replay to ${status.state}/${status.resumeTo}`,
            );
          const started = new Map<string, number>();
          const finished = new Map<string, number>();
          for (const event of events) {
            const id = (event.payload as { stepId?: string }).stepId;
            if (id === undefined) continue;
            if (event.type === "step.started") started.set(id, (started.get(id) ?? 0) + 1);
            if (event.type === "step.finished") {
              if (!started.has(id))
                problems.push(`${train.id}: ${id} finished without a step.started before it`);
              finished.set(id, (finished.get(id) ?? 0) + 1);
            }
          }
          const steps: Step[] = details.get(train.id)!.steps;
          for (const step of steps) {
            if (step.status === "running") problems.push(`${step.id} is still running`);
            if (started.get(step.id) !== 1)
              problems.push(`${step.id} started ${started.get(step.id) ?? 0} times`);
            if (finished.get(step.id) !== 1)
              problems.push(`${step.id} finished ${finished.get(step.id) ?? 0} times`);
          }
          // 1b. A new attempt (a new key) only after a recorded failure of the previous one.
          const byKey = new Map<string, Step[]>();
          for (const step of steps) byKey.set(step.key, [...(byKey.get(step.key) ?? []), step]);
          for (const [key, attempts] of byKey) {
            attempts.sort((a, b) => a.attempt - b.attempt);
            const failed = attempts.filter((s) => s.status === "failed" && s !== attempts.at(-1)).length;
            if (attempts.length !== 1 + failed || attempts.some((s, i) => s.attempt !== i + 1))
              problems.push(
                `${train.id}/${key}: attempts ${attempts.map((s) => `#${s.attempt} ${s.status}`).join(", ")} (a new attempt without a recorded failure)`,
              );
          }
        }

        // 1a. The receiver applied each key once, and only keys of recorded steps.
        const stepIds = new Set([...details.values()].flatMap((d) => d.steps.map((s) => s.idempotencyKey)));
        for (const key of receiver.applied.keys()) {
          const stepKey = key.replace(/@[^@]+$/, "");
          if (!stepIds.has(stepKey))
            problems.push(`the receiver applied ${key}, which no recorded step carries`);
        }
        const appliedTwice = receiver.deliveries.filter((d) => d.applied).length - receiver.applied.size;
        if (appliedTwice !== 0) problems.push(`${appliedTwice} keys applied twice by the receiver`);
        // 1c. A key applied while the server died before hearing so was delivered again and
        // answered 409, and its step recorded as already done, not attempted anew.
        for (const key of receiver.killedBeforeAnswer) {
          if (!receiver.deliveries.some((d) => d.key === key && !d.applied))
            problems.push(`${key} was applied as the server was killed, but never delivered again`);
        }
        if (receiver.refused.length > 0) problems.push(`receiver refused: ${receiver.refused.join("; ")}`);
        const commits = await world.commits();
        const commitKeys = new Map<string, number>();
        for (const commit of commits) {
          const key = commit.trailers["Railyard-Idempotency-Key"] ?? `(no key) ${commit.sha}`;
          commitKeys.set(key, (commitKeys.get(key) ?? 0) + 1);
        }
        for (const [key, count] of commitKeys)
          if (count > 1) problems.push(`${count} GitOps commits for ${key}`);

        // 3. The audit chain verifies (API of the running server and the CLI on the file).
        const chain = await api<{ ok: boolean }>(server, "GET", "/api/v1/audit/verify");
        if (!chain.ok) problems.push(`audit chain: ${JSON.stringify(chain)}`);
        const stop = await server.stop();
        expect(stop, server.diagnostics()).toEqual({ code: 0, signal: null });
        const finalErrors = errorLogs(server.stdout());
        if (finalErrors.length > 0)
          problems.push(`the final server logged errors: ${JSON.stringify(finalErrors)}`);
        const verify = await runCli(["audit", "verify", "--database", database.url, "--json"], {
          bin: cli.bin,
        });
        if (verify.code !== 0) problems.push(`railyard audit verify: ${verify.stdout} ${verify.stderr}`);

        const outcomes: Record<string, number> = {};
        for (const train of trains.filter((t) => planned.has(t.number)))
          outcomes[train.state] = (outcomes[train.state] ?? 0) + 1;
        const duplicates = receiver.deliveries.length - receiver.applied.size;
        const alreadyDone = [...details.values()]
          .flatMap((d) => d.steps)
          .filter((s) => s.output?.startsWith("already done"));
        const armedKills = {
          hookBeforeAnswer: receiver.killedBeforeAnswer.length,
          hookAfterAnswer: receiver.killedAfterAnswer.length,
          gitPush: armedGitKills,
        };
        const summary = {
          seed: SEED,
          trials: TRIALS,
          kills,
          armedTrials,
          armedKills,
          restarts,
          actions,
          pushes,
          advances,
          promotes,
          deliveries: receiver.deliveries.length,
          keysApplied: receiver.applied.size,
          duplicateDeliveriesAbsorbed: duplicates,
          stepsAlreadyDone: {
            hook: alreadyDone.filter((s) => !/\/db(\/|$)/.test(s.key)).length,
            git: alreadyDone.filter((s) => /\/db(\/|$)/.test(s.key)).length,
          },
          gitopsCommits: commits.length,
          trains: trains.length,
          plannedTrains: planned.size,
          outcomes,
          otherTrains: trains.filter((t) => !planned.has(t.number)).map((t) => `${t.id}:${t.state}`),
          wallSeconds: Math.round((performance.now() - started) / 100) / 10,
        };
        console.log(`rollout-chaos ${JSON.stringify(summary)}`);
        expect(
          problems,
          `seed ${SEED}, ${TRIALS} trials (replay with RAILYARD_CHAOS_SEED=${SEED}):\n${problems.join("\n")}`,
        ).toEqual([]);
        expect(outcomes.rolled_back ?? 0, "a train failed verification and was rolled back").toBeGreaterThan(
          0,
        );
        expect(outcomes.released ?? 0, "trains were released").toBeGreaterThan(0);
        if (TRIALS >= 30) {
          // The dangerous window was hit: a key applied, the server killed before recording it,
          // the repeated delivery answered 409 and absorbed.
          expect(armedKills.hookBeforeAnswer, "armed kills landed after a webhook applied").toBeGreaterThan(
            0,
          );
          expect(duplicates, "repeated deliveries absorbed").toBeGreaterThan(0);
        }
      } finally {
        gitWatcher?.close();
        await dropNext();
        await Promise.all(processes.map((p) => p.kill().catch(() => undefined)));
        await receiver.stop();
        await database?.cleanup();
        await world?.cleanup();
        if (previousSecret === undefined) delete process.env[SECRET_ENV];
        else process.env[SECRET_ENV] = previousSecret;
      }
    },
    TIMEOUT_MS,
  );
});
