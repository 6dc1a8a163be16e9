/**
 * The boarding commands against a running server, as CI and people use them: `artifact push` with
 * a CI status and constraints, `report push` (an artifact's report, a train's JUnit results),
 * `train diff`, `drop --reason`, `pin`, `unpin` and `pins`, as text and as --json; usage mistakes
 * exit 2, refusals exit 1 with the server's reason.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Artifact, ArtifactReport, Pin, TestReport } from "../../src/domain/model.js";
import type { ManifestDiff } from "../../src/engine/evidence.js";
import { type CliResult, runCli } from "../support/cli.js";
import { DIALECTS } from "../support/dialects.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { createWorld, type World } from "../support/world.js";

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "fixtures");
const SBOM = path.join(FIXTURES, "scanner-reports", "cyclonedx", "trivy-npm-cyclonedx.json.golden.json");
const JUNIT = path.join(FIXTURES, "junit", "jest-junit.xml");
const SHA = (n: number) => `${n}`.padStart(7, "e").repeat(6).slice(0, 40);

for (const dialect of DIALECTS) {
  describe(`railyard boarding commands (${dialect})`, () => {
    let world: World;
    let server: TestServer;
    const tokens: Record<"ci" | "carol" | "ann" | "viewer", string> = {
      ci: "",
      carol: "",
      ann: "",
      viewer: "",
    };
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      world = await createWorld({
        approval: { team: "board", required: 1 },
        components: `  db: { team: core, deployer: git, repository: "https://github.com/acme/db" }
  api: { team: core, deployer: git, depends_on: [{ component: db, version: ">=1.0.0" }] }
  web: { team: core, deployer: git, depends_on: [{ component: api, version: ">=1.0.0" }] }`,
      });
      server = await startTestServer(world, dialect);
      tokens.ci = await server.ciToken("ci-bot", ["db", "api", "web"]);
      tokens.carol = await server.token("carol", ["coordinator"]);
      tokens.ann = await server.token("ann", ["member"]);
      // Reads need credentials: runs without a token of their own read as a viewer.
      tokens.viewer = await server.token("vic", ["viewer"]);
      await server.advance("0s");
    });
    afterAll(async () => {
      await server?.cleanup();
      await world?.cleanup();
    });

    const cli = (args: string[], token: string = tokens.viewer): Promise<CliResult> =>
      runCli(["--server", server.url, ...args], { env: { RAILYARD_TOKEN: token } });
    const ok = (result: CliResult) => {
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      return result.stdout;
    };
    const usage = (result: CliResult, message: string) => {
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(`railyard: ${message}\n`);
    };
    const artifactOf = async (component: string, version: string) => {
      const listed = await server.request<Artifact[]>("GET", `/api/v1/artifacts?component=${component}`);
      const artifact = listed.body.find((a) => a.version === version);
      if (!artifact) throw new Error(`no artifact ${component} ${version}`);
      return artifact;
    };

    it("pushes artifacts with their CI status and constraints, same-train ties included", async () => {
      const push = (...args: string[]) => cli(["artifact", "push", ...args], tokens.ci);
      expect(
        ok(
          await push(
            ...["--component", "db", "--version", "1.0.0", "--commit", SHA(1)],
            ...["--ci-status", "success", "--ci-url", "https://ci.example.com/runs/1", "--ci-name", "build"],
          ),
        ),
      ).toMatch(/^boarded {2}db 1\.0\.0 boarded shop-1/);
      expect(await artifactOf("db", "1.0.0")).toMatchObject({
        ci: { state: "success", url: "https://ci.example.com/runs/1", name: "build" },
      });
      ok(
        await push(
          "--component",
          "api",
          "--version",
          "1.0.0",
          "--commit",
          SHA(2),
          "--depends-on",
          "db@>=1.0.0",
        ),
      );
      ok(await push("--component", "web", "--version", "1.0.0", "--commit", SHA(3)));
      const tied = JSON.parse(
        ok(
          await push(
            ...["--component", "web", "--version", "1.1.0", "--commit", SHA(4), "--train", "shop-2"],
            ...["--depends-on", "api@>=1.0.0!same-train", "--depends-on", "db@^1.0.0", "--json"],
          ),
        ),
      ) as { artifact: Artifact };
      expect(tied.artifact.dependsOn).toEqual([
        { component: "api", version: ">=1.0.0", sameTrain: true },
        { component: "db", version: "^1.0.0" },
      ]);
      ids.db = (await artifactOf("db", "1.0.0")).id;

      const before = (await server.request<Artifact[]>("GET", "/api/v1/artifacts")).body;
      usage(
        await push(
          "--component",
          "db",
          "--version",
          "1.1.0",
          "--commit",
          SHA(5),
          "--ci-url",
          "https://ci.example.com",
        ),
        "--ci-url and --ci-name describe a CI status: give --ci-status too",
      );
      const maybe = await push(
        "--component",
        "db",
        "--version",
        "1.1.0",
        "--commit",
        SHA(5),
        "--ci-status",
        "maybe",
      );
      expect(maybe.code).toBe(1);
      expect(maybe.stderr).toContain("Allowed choices are success, failure, pending");
      const bad = await push(
        "--component",
        "db",
        "--version",
        "1.1.0",
        "--commit",
        SHA(5),
        "--depends-on",
        "!same-train",
      );
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain(
        '--depends-on "!same-train": write COMPONENT@RANGE, optionally followed by !same-train',
      );
      expect((await server.request<Artifact[]>("GET", "/api/v1/artifacts")).body).toEqual(before);
    });

    it("pushes a report for an artifact, as text and --json; usage mistakes exit 2", async () => {
      const text = ok(
        await cli(["report", "push", "--artifact", ids.db!, SBOM, "--name", "trivy"], tokens.ci),
      );
      const [report] = (await server.request<ArtifactReport[]>("GET", `/api/v1/artifacts/${ids.db}/reports`))
        .body;
      expect(report).toMatchObject({
        kind: "vulnerabilities",
        format: "cyclonedx-1.7",
        name: "trivy",
        actor: "ci-bot",
      });
      expect(text).toBe(
        `recorded vulnerabilities (cyclonedx-1.7) for artifact ${ids.db}, named trivy\nreport ${report!.id}, ${report!.size} bytes, sha256 ${report!.sha256.slice(0, 12)}\n`,
      );
      const again = await cli(["report", "push", "--artifact", ids.db!, SBOM, "--json"], tokens.ci);
      expect(JSON.parse(ok(again))).toEqual({ report, replay: true });
      expect(ok(await cli(["report", "push", "--artifact", ids.db!, SBOM], tokens.ci))).toMatch(
        /^unchanged vulnerabilities \(cyclonedx-1\.7\) for artifact \S+, named trivy: the same report was pushed before\n/,
      );

      usage(
        await cli(
          ["report", "push", "--artifact", ids.db!, SBOM, "--junit", JUNIT, "--train", "shop-1"],
          tokens.ci,
        ),
        "give either --artifact ID FILE or --junit FILE --train ID, not both",
      );
      usage(
        await cli(["report", "push", SBOM], tokens.ci),
        "say what the report is for: --artifact ID FILE, or --junit FILE --train ID",
      );
      usage(
        await cli(["report", "push", "--artifact", ids.db!], tokens.ci),
        "--artifact needs the report FILE: report push --artifact ID FILE",
      );
      usage(
        await cli(["report", "push", "--junit", JUNIT], tokens.ci),
        "--junit needs --train ID: the train the results are for",
      );
      const jsonUsage = await cli(["report", "push", "--junit", JUNIT, "--json"], tokens.ci);
      expect(jsonUsage.code).toBe(2);
      expect(JSON.parse(jsonUsage.stdout)).toEqual({
        error: "usage",
        detail: "--junit needs --train ID: the train the results are for",
      });
      const missing = await cli(
        ["report", "push", "--artifact", ids.db!, "/nonexistent/sbom.json"],
        tokens.ci,
      );
      expect(missing.code).toBe(1);
      expect(missing.stderr).toBe("railyard: /nonexistent/sbom.json: no such file\n");
      expect(
        (await server.request<unknown[]>("GET", `/api/v1/artifacts/${ids.db}/reports`)).body,
      ).toHaveLength(1);
    });

    it("shows the provisional diff before the cut-off and takes JUnit results after it", async () => {
      expect(ok(await cli(["train", "diff", "shop-1"]))).toBe(
        [
          "shop-1 against production (provisional: before the cut-off, the latest artifact per component)",
          "COMPONENT  FROM → TO  CHANGE  STATUS    COMMITS",
          `api        - → 1.0.0  new     boarding  ${SHA(2).slice(0, 7)}`,
          `db         - → 1.0.0  new     boarding  ${SHA(1).slice(0, 7)}`,
          `web        - → 1.0.0  new     boarding  ${SHA(3).slice(0, 7)}`,
          "",
        ].join("\n"),
      );
      const early = await cli(["report", "push", "--junit", JUNIT, "--train", "shop-1"], tokens.ci);
      expect(early.code).toBe(1);
      expect(early.stderr).toBe(
        "railyard: shop-1 is boarding: test reports are for its integration stage, after the cut-off (2026-03-02T07:00:00.000Z)\n",
      );

      await server.advance("2h"); // cut-off: frozen, integrated, gated, awaiting approval
      expect(
        ok(await cli(["report", "push", "--junit", JUNIT, "--train", "shop-1", "--suite", "e2e"], tokens.ci)),
      ).toBe(
        [
          "recorded suite e2e for shop-1 (manifest revision 1)",
          "  2 tests: 2 passed, 0 failed, 0 errored, 0 skipped, 0 flaky",
          "  pass rate 100%",
          "",
        ].join("\n"),
      );
      const json = JSON.parse(
        ok(await cli(["report", "push", "--junit", JUNIT, "--train", "shop-1", "--json"], tokens.ci)),
      ) as TestReport;
      const listed = (await server.request<TestReport[]>("GET", "/api/v1/trains/shop-1/test-reports")).body;
      expect(listed.map((r) => r.suite)).toEqual(["e2e", "jest tests"]);
      expect(json).toEqual(listed[1]);
      expect(json).not.toHaveProperty("cases");

      const diff = await cli(["train", "diff", "shop-1", "--json"]);
      expect(JSON.parse(ok(diff))).toEqual(
        (await server.request<ManifestDiff>("GET", "/api/v1/trains/shop-1/diff")).body,
      );
    });

    it("drops a component only with a reason and prints who else is now held", async () => {
      const silent = await cli(["drop", "shop-1", "api"], tokens.ann);
      expect(silent.code).toBe(1);
      expect(silent.stderr).toContain("error: required option '--reason <text>' not specified");
      expect(ok(await cli(["drop", "shop-1", "api", "--reason", "flaky build"], tokens.ann))).toBe(
        [
          "api dropped from shop-1: now integrating",
          "its artifact rides shop-2",
          "now held (they ride shop-2 too): web 1.0.0",
          "  web 1.0.0 held: needs api >=1.0.0",
          "    ← api 1.0.0 held: dropped by ann: flaky build",
          "",
        ].join("\n"),
      );
      const diff = ok(await cli(["train", "diff", "shop-1"]));
      expect(diff.split("\n").slice(0, 5)).toEqual([
        "shop-1 against production (manifest revision 2)",
        "COMPONENT  FROM → TO  CHANGE  STATUS   COMMITS",
        `api        - → 1.0.0  new     dropped  ${SHA(2).slice(0, 7)}`,
        `db         - → 1.0.0  new     boarded  ${SHA(1).slice(0, 7)}`,
        `web        - → 1.0.0  new     held     ${SHA(3).slice(0, 7)}`,
      ]);
      expect(diff).toContain(
        "\nweb 1.0.0 held: needs api >=1.0.0; api 1.0.0 held: dropped by ann: flaky build\n",
      );
      expect(diff).toContain("\napi dropped: ");
    });

    it("pins and unpins a component (coordinators only) and lists pins", async () => {
      expect(ok(await cli(["pins"]))).toBe("no pinned components\n");
      const refused = await cli(["pin", "db", "--reason", "storage migration"], tokens.ann);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        "railyard: ann may not pin components: it needs one of the roles coordinator, admin (ann has member)\n",
      );
      const pinned = ok(await cli(["pin", "db", "--reason", "storage migration"], tokens.carol));
      expect(pinned.split("\n")[0]).toBe(
        "pinned db on line shop (never released: none of its versions boards): storage migration",
      );
      expect(pinned).toContain("shop-1: new manifest without db");

      const pins = (await server.request<Pin[]>("GET", "/api/v1/pins")).body;
      expect(pins).toEqual([expect.objectContaining({ component: "db", actor: "carol", version: null })]);
      expect(JSON.parse(ok(await cli(["pins", "--json"])))).toEqual(pins);
      expect(ok(await cli(["pins"]))).toBe(
        [
          "COMPONENT  LINE  HELD AT  PINNED BY  SINCE              REASON",
          `db         shop  -        carol      ${pins[0]!.pinnedAt.slice(0, 10)} ${pins[0]!.pinnedAt.slice(11, 16)}Z  storage migration`,
          "",
        ].join("\n"),
      );
      const twice = await cli(["pin", "db", "--reason", "again", "--json"], tokens.carol);
      expect(twice.code).toBe(1);
      expect(JSON.parse(twice.stdout)).toMatchObject({ error: "conflict", status: 409 });

      expect(ok(await cli(["unpin", "db", "--reason", "migration done"], tokens.carol))).toBe(
        "unpinned db: trains that freeze from now on take its new versions\n",
      );
      expect(ok(await cli(["pins"]))).toBe("no pinned components\n");
      const notPinned = await cli(["unpin", "db", "--reason", "again"], tokens.carol);
      expect(notPinned.code).toBe(1);
      expect(notPinned.stderr).toBe("railyard: db is not pinned\n");
      const json = JSON.parse(
        ok(await cli(["pin", "web", "--reason", "design freeze", "--json"], tokens.carol)),
      ) as {
        pin: Pin;
        remanifested: unknown[];
      };
      expect(json.pin).toMatchObject({
        component: "web",
        line: "shop",
        reason: "design freeze",
        actor: "carol",
      });
      expect((await server.request<Pin[]>("GET", "/api/v1/pins")).body).toEqual([json.pin]);
    });
  });
}
