/**
 * The CLI against a running server, as people and CI use it: `node bin/railyard.js --server URL …`
 * with `RAILYARD_TOKEN`, text and `--json`, the server's reason on stderr and exit 1 when it
 * refuses (and nothing changed), exit 3 when it cannot be reached, and no token ever printed
 * except by `token create`.
 */
import { writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PushResult } from "../../src/engine/boarding-desk.js";
import type { TrainDetail } from "../../src/engine/railyard.js";
import { BROKEN_CONFIGS, brokenWorldConfig } from "../support/broken-configs.js";
import {
  type CliResult,
  canRunInTerminal,
  closedPort,
  linesOf,
  runCli,
  runCliInTerminal,
  spawnCli,
} from "../support/cli.js";
import { DIALECTS } from "../support/dialects.js";
import { ADMIN_TOKEN, startTestServer, type TestServer } from "../support/server.js";
import { createWorld, type World, type WorldOptions } from "../support/world.js";

const WORLD: WorldOptions = { approval: { team: "board", required: 1 } };
const SHA = (n: number) => `${n}`.padStart(7, "d").repeat(6).slice(0, 40);

for (const dialect of DIALECTS) {
  describe(`railyard against a running server (${dialect})`, () => {
    let world: World;
    let server: TestServer;
    const tokens: Record<"ci" | "alice" | "ann" | "cora" | "viewer", string> = {
      ci: "",
      alice: "",
      ann: "",
      cora: "",
      viewer: "",
    };
    /** Every run, to check at the end that no token was ever printed. */
    const runs: Array<{ args: string[]; result: CliResult }> = [];

    beforeAll(async () => {
      world = await createWorld(WORLD);
      server = await startTestServer(world, dialect);
      tokens.ci = await server.ciToken("ci-bot", ["db", "api", "web"]);
      tokens.alice = await server.token("alice", ["approver"]);
      tokens.ann = await server.token("ann", ["member"]);
      tokens.cora = await server.token("cora", ["coordinator"]);
      // Reads need credentials: the runs without a token of their own read as a viewer.
      tokens.viewer = await server.token("vic", ["viewer"]);
      await server.advance("0s");
    });
    afterAll(async () => {
      await server?.cleanup();
      await world?.cleanup();
    });

    /** Secrets printed by `token create`, the one command allowed to print one. */
    const created: string[] = [];

    /**
     * `railyard --server <url> ...args` with RAILYARD_TOKEN set to `token` (a viewer's by default;
     * none when null).
     * The run is recorded for the final check that no token was printed, unless it may print one.
     */
    async function cli(
      args: string[],
      token: string | null = tokens.viewer,
      { mayPrintToken = false } = {},
    ): Promise<CliResult> {
      const full = ["--server", server.url, ...args];
      const result = await runCli(full, { env: token ? { RAILYARD_TOKEN: token } : {} });
      if (!mayPrintToken) runs.push({ args: full, result });
      return result;
    }
    const ok = (result: CliResult) => {
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      return result.stdout;
    };
    const detail = async (id: string) =>
      (await server.request<TrainDetail>("GET", `/api/v1/trains/${id}`)).body as TrainDetail;
    /**
     * Runs a command the server must refuse: exit 1, its reason on stderr, and the train unchanged
     * but for the audit record of a refusal by the permission rules (`access.denied`).
     */
    async function refused(args: string[], token: string, trainId: string, reason: string) {
      const before = await detail(trainId);
      const result = await cli(args, token);
      expect(result.code, result.stdout).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(`railyard: ${reason}\n`);
      const after = await detail(trainId);
      expect(after.train).toEqual(before.train);
      const denials = after.events.slice(before.events.length);
      expect(denials.every((e) => e.type === "access.denied")).toBe(true);
      expect(after.events.slice(0, before.events.length)).toEqual(before.events);
    }

    it("lists lines and trains and shows a train, as text and as --json", async () => {
      expect(ok(await cli(["lines"]))).toBe(
        [
          "shop  FREQ=DAILY from 2026-03-02T10:00 Europe/Berlin, cut-off 2h before",
          "  components: db, api, web",
          "  approval: 1 of team board; waves: eu → us",
          "  next departure 2026-03-02 09:00Z (in 4h), cut-off 2026-03-02 07:00Z (in 2h)",
          "  shop-1       boarding",
          "  shop-2       scheduled",
          "",
          "",
        ].join("\n"),
      );
      expect(ok(await cli(["trains"]))).toBe(
        [
          "TRAIN   STATE      CUT-OFF                    DEPARTS            NOTE",
          "shop-2  scheduled  2026-03-03 07:00Z (in 1d)  2026-03-03 09:00Z",
          "shop-1  boarding   2026-03-02 07:00Z (in 2h)  2026-03-02 09:00Z",
          "",
        ].join("\n"),
      );
      const show = ok(await cli(["train", "show", "shop-1"]));
      expect(linesOf(show).slice(0, 4)).toEqual([
        "shop-1  boarding",
        "  waiting for cut-off at 2026-03-02T07:00:00.000Z",
        "  cut-off 2026-03-02 07:00Z (in 2h), departs 2026-03-02 09:00Z (in 4h)",
        "  you can: pause, abort, drop",
      ]);
      expect(show).toContain("Approval: 0 of 1");
      expect(show).toContain("Waves: eu [eu] pending  →  us [us] pending");

      const [lines, trains, active, train] = await Promise.all([
        cli(["lines", "--json"]),
        cli(["--json", "trains"]),
        cli(["trains", "--active", "--line", "shop", "--state", "boarding", "--json"]),
        cli(["train", "show", "shop-1", "--json"]),
      ]);
      expect(JSON.parse(ok(lines))).toEqual((await server.request("GET", "/api/v1/lines")).body);
      expect(JSON.parse(ok(trains))).toEqual((await server.request("GET", "/api/v1/trains?limit=30")).body);
      expect((JSON.parse(ok(active)) as Array<{ id: string }>).map((t) => t.id)).toEqual(["shop-1"]);
      expect(JSON.parse(ok(train))).toEqual(await detail("shop-1"));

      const missing = await cli(["train", "show", "shop-99"]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toBe('railyard: no train "shop-99"\n');
      expect(ok(await cli(["trains", "--state", "released"]))).toBe("no trains match\n");
      const limit = await cli(["trains", "--limit", "lots"]);
      expect(limit.code).toBe(1);
      expect(limit.stderr).toBe('railyard: --limit "lots" must be a whole number from 1 to 1000\n');
      const clock = await cli(["clock", "advance", "0s", "--json"], ADMIN_TOKEN);
      expect(JSON.parse(ok(clock))).toEqual({ now: "2026-03-02T05:00:00.000Z" });
      const line = await cli(["trains", "--line", "nope"]);
      expect(line.code).toBe(1);
      expect(line.stderr).toBe('railyard: no line "nope": configured lines are shop\n');
    });

    it("pushes artifacts: boarded, unchanged on a replay, and a refusal changes nothing", async () => {
      const push = (component: string, version: string, commit: string, ...extra: string[]) =>
        cli(
          ["artifact", "push", "--component", component, "--version", version, "--commit", commit, ...extra],
          tokens.ci,
        );
      expect(ok(await push("db", "1.0.0", SHA(1)))).toMatch(
        /^boarded {2}db 1\.0\.0 boarded shop-1 \(cut-off 2026-03-02T07:00:00\.000Z, departs 2026-03-02T09:00:00\.000Z\)\nartifact art_\S+\n$/,
      );
      const json = JSON.parse(
        ok(await push("api", "1.0.0", SHA(2), "--author", "ann", "--author", "ben", "--json")),
      ) as PushResult;
      expect(json.train.id).toBe("shop-1");
      expect(json.artifact).toMatchObject({
        component: "api",
        version: "1.0.0",
        commit: SHA(2),
        pushedBy: "ci-bot",
        authors: ["ann", "ben"],
      });
      expect(json.replay).toBe(false);
      expect(ok(await push("web", "1.0.0", SHA(3), "--depends-on", "api@>=1.0.0"))).toMatch(
        /^boarded {2}web 1\.0\.0/,
      );
      expect(ok(await push("db", "1.0.0", SHA(1)))).toMatch(
        /^unchanged {2}db 1\.0\.0 was already pushed; it is on shop-1\n/,
      );

      const artifacts = async () => (await server.request<unknown[]>("GET", "/api/v1/artifacts")).body;
      const before = await artifacts();
      expect(before).toHaveLength(3);
      const conflict = await push("db", "1.0.0", SHA(9));
      expect(conflict.code).toBe(1);
      expect(conflict.stderr).toBe(
        `railyard: db 1.0.0 was already pushed with commit ${SHA(1)}; a version names one build — push a new version\n`,
      );
      const conflictJson = await push("db", "1.0.0", SHA(9), "--json");
      expect(conflictJson.code).toBe(1);
      expect(JSON.parse(conflictJson.stdout)).toMatchObject({ error: "conflict", status: 409 });
      const unknown = await push("cart", "1.0.0", SHA(4));
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toBe(
        'railyard: unknown component "cart": configured components are db, api, web\n',
      );
      const version = await push("db", "one", SHA(4));
      expect(version.code).toBe(1);
      expect(version.stderr).toBe('railyard: version "one" is not a semantic version such as 1.4.2\n');
      const dependency = await push("web", "1.1.0", SHA(4), "--depends-on", "api");
      expect(dependency.code).toBe(1);
      expect(dependency.stderr).toContain('--depends-on "api": write COMPONENT@RANGE');
      const commitless = await cli(
        ["artifact", "push", "--component", "db", "--version", "1.2.0"],
        tokens.ci,
      );
      expect(commitless.code).toBe(1);
      expect(commitless.stderr).toContain("error: required option '--commit <sha>' not specified");
      expect(await artifacts()).toEqual(before);
    });

    it("pauses and resumes a train; refusals say why, exit 1 and change nothing", async () => {
      await refused(
        ["pause", "shop-1"],
        tokens.ann,
        "shop-1",
        "ann may not pause trains: it needs one of the roles coordinator, admin (ann has member)",
      );
      expect(ok(await cli(["pause", "shop-1", "--reason", "hold the line"], tokens.cora))).toBe(
        "shop-1: paused — hold the line\n",
      );
      await refused(
        ["pause", "shop-1"],
        tokens.cora,
        "shop-1",
        "shop-1: cannot pause a train that is paused (from boarding); you can: resume, abort, drop",
      );
      const resumed = JSON.parse(ok(await cli(["resume", "shop-1", "--json"], tokens.cora))) as {
        state: string;
      };
      expect(resumed.state).toBe("boarding");
      await refused(
        ["resume", "shop-1"],
        tokens.cora,
        "shop-1",
        "shop-1: cannot resume a train that is boarding; you can: pause, abort, drop",
      );
    });

    it("drops a component from a train", async () => {
      expect(ok(await cli(["drop", "shop-1", "web", "--reason", "not ready"], tokens.ann))).toBe(
        "web dropped from shop-1: now boarding\nits artifact rides shop-2\nnobody else is held\n",
      );
      await refused(
        ["drop", "shop-1", "web", "--reason", "again"],
        tokens.ann,
        "shop-1",
        "web has not boarded shop-1",
      );
      const aboard = (await detail("shop-1")).artifacts.map((a) => a.component);
      expect(aboard.sort()).toEqual(["api", "db"]);
    });

    it("takes approvals and rejections from the approving team only, and retries a rejected train", async () => {
      await refused(
        ["approve", "shop-1"],
        tokens.alice,
        "shop-1",
        "shop-1 is boarding; approvals are taken while it is awaiting_approval (after its gates pass)",
      );
      await server.advance("2h"); // cut-off: frozen, integrated, gated
      expect((await detail("shop-1")).train.state).toBe("awaiting_approval");

      await refused(
        ["reject", "shop-1", "--comment", "no"],
        tokens.ann,
        "shop-1",
        "ann may not reject trains: it needs one of the roles approver, admin (ann has member)",
      );
      expect(ok(await cli(["reject", "shop-1", "--comment", "not today"], tokens.alice))).toBe(
        "rejected shop-1: now blocked\n",
      );
      await refused(
        ["retry", "shop-2"],
        tokens.cora,
        "shop-2",
        "shop-2: cannot retry a train that is boarding; you can: pause, abort, drop",
      );
      expect(ok(await cli(["retry", "shop-1"], tokens.cora))).toBe(
        "shop-1: awaiting_approval — retried by cora\n",
      );
      expect(ok(await cli(["approve", "shop-1", "--comment", "ok"], tokens.alice))).toBe(
        "approved shop-1 (1/1: board 1/1) — approval complete\n",
      );
      const again = JSON.parse(ok(await cli(["approve", "shop-1", "--json"], tokens.alice))) as {
        duplicate: boolean;
        approvers: string[];
      };
      expect(again).toMatchObject({ duplicate: true, approvers: ["alice"] });
    });

    it("aborts a train with a reason", async () => {
      const reasonless = await cli(["abort", "shop-2"], tokens.cora);
      expect(reasonless.code).toBe(1);
      expect(reasonless.stderr).toContain("error: required option '--reason <text>' not specified");
      expect((await detail("shop-2")).train.state).toBe("boarding");
      expect(ok(await cli(["abort", "shop-2", "--reason", "skip this one"], tokens.cora))).toBe(
        "shop-2: aborted — aborted by cora: skip this one\n",
      );
      await refused(
        ["abort", "shop-2", "--reason", "again"],
        tokens.cora,
        "shop-2",
        "shop-2: cannot abort a train that is aborted; the train has ended",
      );
    });

    it("follows a train with `train watch` until it is released: one plain line per event", async () => {
      const watch = spawnCli(["--server", server.url, "train", "watch", "shop-1", "--interval", "100"], {
        env: { RAILYARD_TOKEN: tokens.viewer },
      });
      // The first poll has printed the train's history so far.
      await watch.waitFor("stdout", /gating → awaiting_approval/);
      await server.advance("2h"); // departure: wave eu deploys and bakes
      await server.advance("30m"); // bake over: wave us, released
      const result = await watch.finished(20_000);
      runs.push({ args: ["train", "watch", "shop-1"], result });
      expect(result.code, result.stderr).toBe(0);
      // The plain watch leaves out audit records (they restate the action; --json keeps them).
      const events = (await detail("shop-1")).events.filter((e) => e.type !== "action.audited");
      expect(events.at(-1)?.type).toBe("train.transitioned");
      const printed = linesOf(result.stdout);
      expect(printed).toHaveLength(events.length);
      printed.forEach((line, i) => {
        expect(line.startsWith(`${events[i]!.time} shop-1 `), line).toBe(true);
      });
      expect(printed[0]).toBe("2026-03-02T05:00:00.000Z shop-1 train.created [system]");
      expect(printed).toContain("2026-03-02T07:00:00.000Z shop-1 reject by alice: not today");
      expect(printed.at(-1)).toBe("2026-03-02T09:30:00.000Z shop-1 verifying → released [system]");
    });

    it("exits 1 from `train watch` for a train that ended without a release", async () => {
      const [result, json] = await Promise.all([
        cli(["train", "watch", "shop-2"]),
        cli(["train", "watch", "shop-2", "--json"]),
      ]);
      expect(result.code).toBe(1);
      expect(linesOf(result.stdout).at(-1)).toMatch(
        /shop-2 boarding → aborted \(aborted by cora: skip this one\) \[cora\]$/,
      );
      expect(json.code).toBe(1);
      const events = linesOf(json.stdout).map((l) => JSON.parse(l) as { id: number; trainId: string });
      expect(events.map((e) => e.id)).toEqual((await detail("shop-2")).events.map((e) => e.id));
      expect(new Set(events.map((e) => e.trainId))).toEqual(new Set(["shop-2"]));
    });

    // Needs a pseudo-terminal, made with util-linux `script`; .ci/run installs it, other machines
    // without it skip this one test rather than fail.
    it.skipIf(!canRunInTerminal())("redraws the train on a terminal and says how it ended", async () => {
      const result = await runCliInTerminal(["--server", server.url, "train", "watch", "shop-2"], {
        env: { RAILYARD_TOKEN: tokens.viewer },
      });
      runs.push({ args: ["(terminal) train watch shop-2"], result });
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("\u001b[2J\u001b[H");
      expect(result.stdout).toContain("shop-2  aborted");
      expect(result.stdout).toContain("shop-2 ended: aborted");
    });

    it("reloads the configuration, printing each problem once as FILE:LINE:COLUMN", async () => {
      const broken = BROKEN_CONFIGS.find((b) => b.problems.length === 2)!;
      await writeFile(world.configFile, brokenWorldConfig(broken, world.gitops));
      const hash = (await server.request<{ hash: string }>("GET", "/api/v1/config")).body.hash;
      const result = await cli(["config", "reload"], ADMIN_TOKEN);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        [
          `railyard: ${world.configFile} is invalid (2 problems):`,
          ...broken.problems.map((p) => `${world.configFile}:${p.line}:${p.column}: ${p.message}`),
          "",
        ].join("\n"),
      );
      const json = await cli(["config", "reload", "--json"], ADMIN_TOKEN);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({
        error: "invalid-config",
        status: 422,
        problem: { problems: broken.problems.map((p) => ({ file: world.configFile, ...p })) },
      });
      const member = await cli(["config", "reload"], tokens.ann);
      expect(member.code).toBe(1);
      expect(member.stderr).toBe(
        "railyard: ann may not reload the configuration: it needs the admin role (ann has member)\n",
      );
      expect((await server.request<{ hash: string }>("GET", "/api/v1/config")).body.hash).toBe(hash);

      await world.writeConfig(WORLD);
      expect(ok(await cli(["config", "reload"], ADMIN_TOKEN))).toBe("unchanged\n");
    });

    it("creates, lists and revokes tokens, printing a secret only once", async () => {
      const create = await cli(["token", "create", "--subject", "dave", "--role", "member"], ADMIN_TOKEN, {
        mayPrintToken: true,
      });
      expect(create.code, create.stderr).toBe(0);
      expect(create.stdout).toMatch(/^\S{20,}\n$/);
      const secret = create.stdout.trim();
      created.push(secret);
      const [, id] =
        create.stderr.match(/^token (tok_\S+) for dave \(member; expires \S+\); it is not shown again\n$/) ??
        [];
      expect(id).toBeDefined();

      const denied = await cli(["clock", "advance", "1m"], secret);
      expect(denied.stderr).toBe(
        "railyard: dave may not move the simulated clock: it needs the admin role (dave has member)\n",
      );
      const [list, listJson] = await Promise.all([
        cli(["token", "list"], ADMIN_TOKEN),
        cli(["token", "list", "--json"], ADMIN_TOKEN),
      ]);
      expect(ok(list)).toMatch(new RegExp(`^${id} +cli +dave +member`, "m"));
      expect((JSON.parse(ok(listJson)) as Array<{ id: string }>).map((t) => t.id)).toContain(id);
      for (const output of [list.stdout, list.stderr, listJson.stdout]) expect(output).not.toContain(secret);

      expect(ok(await cli(["token", "revoke", id!], ADMIN_TOKEN))).toBe(`revoked ${id}\n`);
      const revoked = await cli(["clock", "advance", "1m"], secret);
      expect(revoked.code).toBe(1);
      expect(revoked.stderr).toBe(
        `railyard: token ${id} was revoked (check --token / RAILYARD_TOKEN; an admin creates tokens with \`railyard token create\`)\n`,
      );
    });

    it("says how to fix a missing or unknown token, and an unreachable or malformed server", async () => {
      const anonymous = await cli(["pause", "shop-1"], null);
      expect(anonymous.code).toBe(1);
      expect(anonymous.stderr).toBe(
        "railyard: a valid bearer token is required: send `Authorization: Bearer <token>` (set RAILYARD_TOKEN or pass --token)\n",
      );
      const unknown = await cli(["pause", "shop-1"], "ry_not-a-real-token");
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toBe(
        "railyard: unknown token (check --token / RAILYARD_TOKEN; an admin creates tokens with `railyard token create`)\n",
      );

      const port = await closedPort();
      const nowhere = `http://127.0.0.1:${port}`;
      const message = `railyard: cannot reach the Railyard server at ${nowhere} (connection refused); start one with \`railyard serve\` or \`npm start\`, or point --server / RAILYARD_SERVER at it\n`;
      const [flag, env, json] = await Promise.all([
        runCli(["trains", "--server", nowhere]),
        runCli(["trains"], { env: { RAILYARD_SERVER: nowhere } }),
        runCli(["--server", nowhere, "--json", "lines"]),
      ]);
      for (const result of [flag, env]) {
        expect(result.code).toBe(3);
        expect(result.stdout).toBe("");
        expect(result.stderr).toBe(message);
      }
      expect(json.code).toBe(3);
      expect(JSON.parse(json.stdout)).toMatchObject({ error: "unreachable", status: 0 });

      const fromEnv = await runCli(["trains", "--json"], {
        env: { RAILYARD_SERVER: server.url, RAILYARD_TOKEN: tokens.viewer },
      });
      expect(fromEnv.code).toBe(0);
      expect(JSON.parse(fromEnv.stdout)).toEqual(
        (await server.request("GET", "/api/v1/trains?limit=30")).body,
      );
      const malformed = await runCli(["trains", "--server", "127.0.0.1:7300"]);
      expect(malformed.code).toBe(1);
      expect(malformed.stderr).toBe(
        'railyard: --server "127.0.0.1:7300" is not an http:// or https:// URL; write it like http://127.0.0.1:7300 (or set RAILYARD_SERVER)\n',
      );
    });

    it("explains itself with --help and never shows a token there", async () => {
      const secret = "ry_secret-in-the-environment";
      const [root, push, version] = await Promise.all([
        runCli(["--help"], { env: { RAILYARD_TOKEN: secret } }),
        runCli(["artifact", "push", "--help"], { env: { RAILYARD_TOKEN: secret } }),
        runCli(["--version"]),
      ]);
      expect(root.code).toBe(0);
      for (const text of [
        "--server <url>",
        "--token <token>",
        "--json",
        "artifact",
        "train",
        "approve",
        "Examples:",
      ]) {
        expect(root.stdout).toContain(text);
      }
      expect(push.code).toBe(0);
      for (const text of [
        "--component <name>",
        "--version <version>",
        "--commit <sha>",
        "--train <id>",
        "--depends-on",
      ]) {
        expect(push.stdout).toContain(text);
      }
      expect(push.stdout).toContain("--json");
      for (const result of [root, push]) expect(result.stdout + result.stderr).not.toContain(secret);
      expect(version.stdout).toBe("0.1.0\n");
    });

    it("never printed a token it was given", () => {
      const secrets = [
        ADMIN_TOKEN,
        tokens.ci,
        tokens.alice,
        tokens.ann,
        tokens.cora,
        tokens.viewer,
        ...created,
      ];
      expect(runs.length).toBeGreaterThan(40);
      for (const { args, result } of runs) {
        for (const secret of secrets) {
          expect(result.stdout + result.stderr, args.join(" ")).not.toContain(secret);
        }
      }
    });
  });
}
