/**
 * `railyard board --config FILE --line NAME --artifacts FILE --production FILE [--json]`: the
 * boarding resolution and deploy order without a server. Runs the built CLI on files in a temp
 * folder.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BoardReport } from "../../src/cli/commands/board.js";
import { type CliResult, runCli } from "../support/cli.js";

const CONFIG = `version: 1
teams: { web: { members: [{ name: ada, roles: [coordinator] }] } }
deployers: { cmd: { type: command, command: "true" } }
components:
  db: { team: web, deployer: cmd }
  api:
    team: web
    deployer: cmd
    depends_on: [{ component: db, version: ">=42.0.0" }]
  auth:
    team: web
    deployer: cmd
    depends_on: [{ component: db, version: ">=40.0.0" }]
  web:
    team: web
    deployer: cmd
    depends_on: [{ component: api, version: ">=2.0.0" }, { component: auth, version: ">=1.0.0" }]
  schema: { team: web, deployer: cmd, kind: migration }
  ledger:
    team: web
    deployer: cmd
    depends_on: [{ component: ledger-db, version: ">=3.0.0", same-train: true }]
  ledger-db: { team: web, deployer: cmd }
  batch: { team: web, deployer: cmd }
environments: { staging: { kind: integration }, eu: { kind: production } }
lines:
  web:
    schedule: { rrule: FREQ=WEEKLY;BYDAY=TU, start: 2026-01-06T10:00, timezone: Europe/Berlin, cutoff: 26h }
    components: [db, api, auth, web, schema, ledger, ledger-db]
    rollout: { waves: [{ name: all, environments: [eu] }] }
  nightly:
    schedule: { cron: "30 2 * * *", start: 2026-01-06T00:00, timezone: Europe/Berlin, cutoff: 1h }
    components: [batch]
    rollout: { waves: [{ name: all, environments: [eu] }] }
`;

interface Artifact {
  component: unknown;
  version: unknown;
  ready?: unknown;
  reason?: unknown;
  depends_on?: unknown;
  [key: string]: unknown;
}

const PRODUCTION = [
  { component: "db", version: "41.0.0" },
  { component: "api", version: "1.9.0", depends_on: [{ component: "db", version: ">=40.0.0" }] },
  { component: "auth", version: "1.1.0" },
  { component: "web", version: "1.4.0", depends_on: [{ component: "api", version: ">=1.0.0" }] },
  { component: "ledger-db", version: "2.0.0" },
];

const ALL_READY: Artifact[] = [
  { component: "web", version: "2.0.0", ready: true },
  { component: "db", version: "42.0.0", ready: true },
  { component: "api", version: "2.0.0", ready: true },
  { component: "auth", version: "1.2.0", ready: true },
];

let dir: string;
let config: string;
let files = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "railyard-board-"));
  config = path.join(dir, "railyard.yaml");
  await writeFile(config, CONFIG);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes `content` (JSON unless a string) to a new file named `name` in its own folder. */
async function file(name: string, content: unknown): Promise<string> {
  const folder = path.join(dir, `case-${++files}`);
  await mkdir(folder);
  const target = path.join(folder, name);
  await writeFile(target, typeof content === "string" ? content : JSON.stringify(content));
  return target;
}

async function board(
  artifacts: unknown,
  production: unknown = PRODUCTION,
  ...extra: string[]
): Promise<CliResult> {
  return runCli([
    "board",
    "--config",
    config,
    "--line",
    "web",
    "--artifacts",
    await file("artifacts.json", artifacts),
    "--production",
    await file("production.json", production),
    ...extra,
  ]);
}

async function plan(artifacts: unknown, production: unknown = PRODUCTION): Promise<BoardReport> {
  const result = await board(artifacts, production, "--json");
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as BoardReport;
}

describe("railyard board (offline)", () => {
  it("prints exactly the interface: who boards, who is held with the chain, the deploy groups", async () => {
    const report = await plan([
      { component: "api", version: "2.0.0", ready: true },
      { component: "db", version: "42.0.0", ready: false, reason: "CI failed on commit abc1234" },
      { component: "auth", version: "1.2.0", ready: true },
    ]);
    expect(report).toEqual({
      boarded: [{ component: "auth", version: "1.2.0" }],
      held: [
        {
          component: "api",
          version: "2.0.0",
          reasons: ["api 2.0.0 held: needs db >=42.0.0", "db 42.0.0 held: CI failed on commit abc1234"],
        },
        { component: "db", version: "42.0.0", reasons: ["db 42.0.0 held: CI failed on commit abc1234"] },
      ],
      order: [["auth"]],
    });
    expect(report.held[0]!.reasons.join("; ")).toBe(
      "api 2.0.0 held: needs db >=42.0.0; db 42.0.0 held: CI failed on commit abc1234",
    );
  });

  it("orders the boarded components in dependency layers", async () => {
    const report = await plan(ALL_READY);
    expect(report.boarded.map((b) => b.component)).toEqual(["web", "db", "api", "auth"]);
    expect(report.held).toEqual([]);
    expect(report.order).toEqual([["db"], ["api", "auth"], ["web"]]);
  });

  it("deploys a migration first", async () => {
    const report = await plan([...ALL_READY, { component: "schema", version: "7.0.0", ready: true }]);
    expect(report.order).toEqual([["schema"], ["db"], ["api", "auth"], ["web"]]);
  });

  it("boards same-train components together or holds both", async () => {
    const together = await plan([
      { component: "ledger", version: "5.0.0", ready: true },
      { component: "ledger-db", version: "3.0.0", ready: true },
    ]);
    expect(together.boarded.map((b) => b.component)).toEqual(["ledger", "ledger-db"]);
    expect(together.order).toEqual([["ledger-db"], ["ledger"]]);

    const apart = await plan([
      { component: "ledger", version: "5.0.0", ready: true },
      { component: "ledger-db", version: "3.0.0", ready: false },
    ]);
    expect(apart.boarded).toEqual([]);
    expect(apart.held.map((h) => h.reasons)).toEqual([
      ["ledger 5.0.0 held: must ship with ledger-db on the same train", "ledger-db 3.0.0 held: not ready"],
      ["ledger-db 3.0.0 held: not ready"],
    ]);

    const alone = await plan([{ component: "ledger", version: "5.0.0", ready: true }]);
    expect(alone.held[0]!.reasons).toEqual([
      "ledger 5.0.0 held: must ship with ledger-db on the same train; ledger-db has no new version on this train",
    ]);
  });

  it("honours upper bounds from a pushed depends_on and from production's recorded constraints", async () => {
    const pushed = await plan([
      { component: "db", version: "42.0.0", ready: true },
      {
        component: "api",
        version: "2.0.0",
        ready: true,
        depends_on: [{ component: "db", version: "<42.0.0" }],
      },
    ]);
    expect(pushed.boarded).toEqual([{ component: "db", version: "42.0.0" }]);
    expect(pushed.held[0]!.reasons).toEqual(["api 2.0.0 held: needs db <42.0.0, but db 42.0.0 boards"]);

    const recorded = await plan(
      [{ component: "db", version: "43.0.0", ready: true }],
      [
        ...PRODUCTION,
        { component: "batch", version: "1.0.0", depends_on: [{ component: "db", version: "<43.0.0" }] },
      ],
    );
    expect(recorded.boarded).toEqual([]);
    expect(recorded.held[0]!.reasons).toEqual([
      "db 43.0.0 held: batch 1.0.0 stays in production and needs db <43.0.0",
    ]);
  });

  it("prints a readable plan without --json", async () => {
    const result = await board([
      ...ALL_READY.filter((a) => a.component !== "db"),
      { component: "db", version: "42.0.0", ready: false, reason: "CI failed on commit abc1234" },
    ]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        "Line web: 1 boarded, 3 held",
        "",
        "Boarded",
        "  auth 1.2.0",
        "",
        "Held",
        "  web 2.0.0",
        "    web 2.0.0 held: needs api >=2.0.0",
        "    api 2.0.0 held: needs db >=42.0.0",
        "    db 42.0.0 held: CI failed on commit abc1234",
        "  api 2.0.0",
        "    api 2.0.0 held: needs db >=42.0.0",
        "    db 42.0.0 held: CI failed on commit abc1234",
        "  db 42.0.0",
        "    db 42.0.0 held: CI failed on commit abc1234",
        "",
        "Deploy order",
        "  1. auth",
        "",
      ].join("\n"),
    );
  });

  const refused = async (result: CliResult, pattern: RegExp) => {
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(pattern);
  };

  it("refuses bad artifacts, naming the file, index and field, printing nothing on stdout", async () => {
    const ok = { component: "db", version: "42.0.0", ready: true };
    await refused(
      await board([ok, { component: "dbb", version: "1.0.0", ready: true }], PRODUCTION, "--json"),
      /artifacts\.json\[1\]\.component: unknown component "dbb" \(did you mean "db"\?\)/,
    );
    await refused(
      await board([{ component: "batch", version: "1.0.0", ready: true }]),
      /artifacts\.json\[0\]\.component: "batch" does not ride line "web"/,
    );
    await refused(
      await board([ok, { component: "db", version: "42.0.1", ready: true }]),
      /artifacts\.json\[1\]\.component: "db" is listed twice \(first at \[0\]\)/,
    );
    await refused(
      await board([ok, ok, ok, { component: "api", version: "x", ready: true }]),
      /artifacts\.json\[3\]\.version: "x" is not a semantic version/,
    );
    await refused(
      await board([{ ...ok, depends_on: [{ component: "api", version: "latest" }] }]),
      /artifacts\.json\[0\]\.depends_on\[0\]\.version: "latest" is not a semver range/,
    );
    await refused(
      await board([{ ...ok, depends_on: [{ component: "nope", version: ">=1.0.0" }] }]),
      /artifacts\.json\[0\]\.depends_on\[0\]\.component: unknown component "nope"/,
    );
    await refused(
      await board([{ component: "db", version: "42.0.0", ready: "yes" }]),
      /artifacts\.json\[0\]\.ready: expected true or false/,
    );
    await refused(await board([{ ...ok, colour: "red" }]), /artifacts\.json\[0\]\.colour: unknown key/);
    await refused(await board({ component: "db" }), /artifacts\.json: expected a JSON array/);
    await refused(await board("[{"), /artifacts\.json: not JSON/);
  });

  it("refuses bad production versions the same way", async () => {
    const ok = [{ component: "db", version: "42.0.0", ready: true }];
    await refused(
      await board(ok, [{ component: "dbx", version: "1.0.0" }]),
      /production\.json\[0\]\.component: unknown component "dbx"/,
    );
    await refused(
      await board(ok, [
        { component: "db", version: "41.0.0" },
        { component: "db", version: "40.0.0" },
      ]),
      /production\.json\[1\]\.component: "db" is listed twice/,
    );
    await refused(
      await board(ok, [{ component: "db", version: "41" }]),
      /production\.json\[0\]\.version: "41" is not a semantic version/,
    );
    await refused(
      await board(ok, [
        { component: "web", version: "1.0.0", depends_on: [{ component: "db", version: "=>1" }] },
      ]),
      /production\.json\[0\]\.depends_on\[0\]\.version: "=>1" is not a semver range/,
    );
  });

  it("reports every problem of both files at once", async () => {
    const result = await board(
      [{ component: "api", version: "2.0", ready: true }],
      [{ component: "db", version: "banana" }],
    );
    await refused(result, /artifacts\.json\[0\]\.version/);
    expect(result.stderr).toMatch(/production\.json\[0\]\.version: "banana" is not a semantic version/);
  });

  it("refuses an unknown line, a missing file and a bad configuration", async () => {
    const artifacts = await file("artifacts.json", ALL_READY);
    const production = await file("production.json", PRODUCTION);
    const args = (line: string, conf = config, prod = production) => [
      "board",
      "--config",
      conf,
      "--line",
      line,
      "--artifacts",
      artifacts,
      "--production",
      prod,
    ];
    await refused(await runCli(args("webb")), /no line "webb": .* defines web, nightly/);
    await refused(
      await runCli(args("web", config, path.join(dir, "missing.json"))),
      /missing\.json: cannot read it \(no such file\)/,
    );
    const broken = path.join(dir, "broken.yaml");
    await writeFile(broken, CONFIG.replace("kind: migration", "kind: migrations"));
    const invalid = await runCli(args("web", broken));
    expect(invalid.code).toBe(1);
    expect(invalid.stdout + invalid.stderr).toMatch(/broken\.yaml:\d+:\d+: components\.schema\.kind/);
  });

  it("runs the README's example on the demo configuration", async () => {
    const result = await runCli([
      "board",
      "-c",
      "examples/railyard.yaml",
      "--line",
      "web",
      "--artifacts",
      "examples/boarding/artifacts.json",
      "--production",
      "examples/boarding/production.json",
      "--json",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as BoardReport;
    expect(report.boarded.map((b) => b.component)).toEqual(["storefront", "notifications"]);
    expect(report.held.map((h) => [h.component, h.reasons.length])).toEqual([
      ["api", 1],
      ["checkout", 2],
      ["search", 1],
    ]);
    expect(report.order).toEqual([["notifications", "storefront"]]);
  });
});
