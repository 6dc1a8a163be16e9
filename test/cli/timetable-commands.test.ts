/**
 * The CLI for windows, blackouts and hotfix trains against a running server, as people use it:
 * `railyard trains` and `train show` say when a paused train resumes, `--json` carries
 * `pauseCause` and `resumeAt`; `railyard exception` and `railyard hotfix` in text and `--json`,
 * their refusals on stderr with exit 1, and their `--help` with an example.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Train } from "../../src/domain/model.js";
import { type CliResult, linesOf, runCli } from "../support/cli.js";
import { DIALECTS } from "../support/dialects.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { createWorld, type World } from "../support/world.js";

const SHA = (n: number) => `${n}`.padStart(7, "e").repeat(6).slice(0, 40);

for (const dialect of DIALECTS) {
  describe(`railyard exception, hotfix and paused trains (${dialect})`, () => {
    let world: World;
    let server: TestServer;
    const tokens = { ann: "", cora: "", viewer: "" };

    beforeAll(async () => {
      world = await createWorld({
        line: `    window:
      - { days: [MO, TU, WE, TH, FR], from: "14:00", to: "16:00" }
    blackouts:
      - name: us-freeze
        reason: US election
        environments: [us]
        from: "2026-03-02T00:00"
        to: "2026-03-09T00:00"
        exceptionRoles: [coordinator]
    hotfix:
      roles: [coordinator]
`,
      });
      server = await startTestServer(world, dialect);
      tokens.ann = await server.token("ann", ["member"]);
      tokens.cora = await server.token("cora", ["coordinator"]);
      // Reads need credentials: runs without a token of their own read as a viewer.
      tokens.viewer = await server.token("vic", ["viewer"]);
      await server.advance("0s");
    });
    afterAll(async () => {
      await server?.cleanup();
      await world?.cleanup();
    });

    const cli = (args: string[], token: string = tokens.viewer) =>
      runCli(["--server", server.url, ...args], { env: { RAILYARD_TOKEN: token } });
    const ok = (result: CliResult) => {
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      return result.stdout;
    };
    const push = async (component: string, version: string, n: number) => {
      const answer = await server.request("POST", "/api/v1/artifacts", {
        component,
        version,
        commit: SHA(n),
      });
      expect(answer.status).toBe(201);
    };

    it("says when a paused train resumes, grants exceptions and starts hotfix trains", async () => {
      await push("db", "1.0.0", 1);
      await server.advance("2h");
      await server.advance("2h"); // 10:00 Berlin: before the window
      const resumes = "outside window — resumes 2026-03-02 14:00 CET (Europe/Berlin)";
      const list = linesOf(ok(await cli(["trains", "--state", "paused"])));
      expect(list[1]).toMatch(/^shop-1 +paused +2026-03-02 07:00Z \(2h ago\) +2026-03-02 09:00Z +(.*)$/);
      expect(list[1]).toContain(resumes);
      const show = linesOf(ok(await cli(["train", "show", "shop-1"])));
      expect(show.slice(0, 3)).toEqual([
        "shop-1  paused (from awaiting_approval)",
        `  paused: ${resumes}`,
        "  waiting for the window to open at 2026-03-02T13:00:00.000Z (outside window)",
      ]);
      const [json] = JSON.parse(ok(await cli(["trains", "--state", "paused", "--json"]))) as Train[];
      expect(json).toMatchObject({
        id: "shop-1",
        pauseCause: "window",
        resumeAt: "2026-03-02T13:00:00.000Z",
      });

      const none = await cli(["exception", "shop-1", "--reason", "go"], tokens.cora);
      expect(none.code).toBe(1);
      expect(none.stderr).toBe(
        "railyard: no blackout stops shop-1 now; name the blackout to grant an exception for in advance (blackout: one of us-freeze)\n",
      );

      await server.advance("4h"); // 14:00 Berlin: departs; eu bakes 30 minutes
      await server.advance("30m"); // the us wave is in a blackout
      const blackout = "blackout us-freeze: US election — resumes 2026-03-09 14:00 CET (Europe/Berlin)";
      expect(linesOf(ok(await cli(["train", "show", "shop-1"])))[1]).toBe(`  paused: ${blackout}`);
      const forbidden = await cli(["exception", "shop-1", "--reason", "go"], tokens.ann);
      expect(forbidden.code).toBe(1);
      expect(forbidden.stdout).toBe("");
      expect(forbidden.stderr).toBe(
        "railyard: ann may not let trains through blackouts: it needs one of the roles coordinator, admin (ann has member)\n",
      );
      expect(
        ok(await cli(["exception", "shop-1", "--reason", "security fix, CISO agreed"], tokens.cora)),
      ).toBe(
        `exception granted: shop-1 may deploy through blackout us-freeze\nshop-1: paused: ${blackout}\n`,
      );
      await server.advance("0s");
      expect((await server.request<{ train: Train }>("GET", "/api/v1/trains/shop-1")).body.train.state).toBe(
        "released",
      );
      const again = JSON.parse(
        (
          await cli(
            ["exception", "shop-1", "--blackout", "us-freeze", "--reason", "x", "--json"],
            tokens.cora,
          )
        ).stdout,
      ) as { status: number; detail: string };
      expect(again).toMatchObject({
        status: 409,
        detail: "shop-1 has ended (released); it needs no exception",
      });

      await push("api", "1.0.0", 2);
      const hotfix = (token: string, ...extra: string[]) =>
        cli(
          ["hotfix", "shop", "--component", "api", "--version", "1.0.0", "--reason", "api leaks", ...extra],
          token,
        );
      const byAnn = await hotfix(tokens.ann);
      expect(byAnn.stderr).toBe(
        "railyard: ann may not start hotfix trains: it needs one of the roles coordinator, admin (ann has member)\n",
      );
      const inBlackout = await hotfix(tokens.cora);
      expect(inBlackout.code).toBe(1);
      expect(inBlackout.stderr).toMatch(
        /^railyard: blackout us-freeze \(US election\) stops deployments of line shop until 2026-03-08T23:00:00.000Z; to start the hotfix through it, give an exception reason/,
      );
      expect(ok(await hotfix(tokens.cora, "--exception-reason", "customers cannot pay"))).toBe(
        [
          "hotfix train started: shop-1-hotfix-1 frozen",
          "  hotfix: api leaks (api 1.0.0)",
          "  follow it: railyard train watch shop-1-hotfix-1",
          "",
        ].join("\n"),
      );
      const second = JSON.parse(
        ok(
          await cli(
            [
              "hotfix",
              "shop",
              "--component",
              "db",
              "--version",
              "1.0.0",
              "--component",
              "api",
              "--version",
              "1.0.0",
              "--reason",
              "both",
              "--exception-reason",
              "still urgent",
              "--json",
            ],
            tokens.cora,
          ),
        ),
      ) as Train & { statusText: string };
      expect(second).toMatchObject({
        id: "shop-1-hotfix-2",
        kind: "hotfix",
        scheduledAt: null,
        reason: "hotfix: both (db 1.0.0, api 1.0.0)",
      });
      const unpaired = await cli(["hotfix", "shop", "--component", "api", "--reason", "x"], tokens.cora);
      expect(unpaired.code).toBe(1);
      expect(unpaired.stderr).toBe(
        "railyard: --component and --version come in pairs (one --version after each --component); got 1 component(s) and 0 version(s)\n",
      );
    });

    it("documents both commands with an example", async () => {
      expect(ok(await cli(["hotfix", "--help"]))).toContain(
        'railyard hotfix shop --component api --version 1.4.3 --reason "checkout returns 500 for EU cards"',
      );
      expect(ok(await cli(["exception", "--help"]))).toContain(
        'railyard exception shop-12 --reason "fixes the checkout outage, approved by the CTO" --blackout year-end',
      );
    });
  });
}
