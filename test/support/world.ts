/**
 * A small, real world for end-to-end tests: a temp folder with a bare GitOps repository, a
 * `railyard.yaml` for one line (`shop`: db → api → web), and control files that make its gates
 * fail on purpose (`touch fail-gating`, `touch fail-verify-eu`).
 *
 * The line departs daily at 10:00 Europe/Berlin from Monday 2 March 2026, boarding closes 2h
 * before; {@link WORLD_START} is Monday 06:00 Berlin, so the first train (`shop-1`) is boarding.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { listRailyardCommits } from "../../src/integrations/git/railyard-commits.js";

const run = promisify(execFile);

/** Monday 2 March 2026, 06:00 Berlin (05:00 UTC). */
export const WORLD_START = new Date("2026-03-02T05:00:00.000Z");
/** shop-1: cut-off 07:00 UTC, departure 09:00 UTC on WORLD_START's day. */
/** The states a train of the world's two-wave `shop` line passes through on its way to release. */
export const RELEASE_STATES = [
  "boarding",
  "frozen",
  "integrating",
  "gating",
  "awaiting_approval",
  "deploying",
  "verifying",
  "deploying",
  "verifying",
  "released",
] as const;

export const SHOP_1 = { cutoffAt: "2026-03-02T07:00:00.000Z", departureAt: "2026-03-02T09:00:00.000Z" };

export interface WorldOptions {
  approval?: "auto" | { team: string; required: number };
  rollback?: "automatic" | "manual";
  /** Bake time of the first wave. @default 30m */
  bake?: string;
  /** More keys of the `shop` line, as YAML indented four spaces (window, blackouts, hotfix, …). */
  line?: string;
  /** More top-level keys, as YAML (global `blackouts`, `calendars`). */
  top?: string;
  /** Replaces the `components:` entries (YAML indented two spaces). @default db → api → web */
  components?: string;
  /** The line's components. @default [db, api, web] */
  lineComponents?: string[];
  /** Replaces the line's `gates:` entries (YAML list items indented six spaces). */
  gates?: string;
  /** `rollout.concurrency` (not written when absent, so line numbers stay). @default 1 */
  concurrency?: number;
  /** Replaces the rollout's wave list (YAML list items indented eight spaces). */
  waves?: string;
  /** Replaces the line's `rollback:` value (a YAML flow map). */
  rollbackPolicy?: string;
  /** More `deployers:` entries (YAML indented two spaces). */
  deployers?: string;
}

export interface World {
  dir: string;
  gitops: string;
  configFile: string;
  /** Makes a gate fail (`gating` or `verify-eu`) until {@link World.pass} is called. */
  fail(gate: "gating" | "verify-eu"): Promise<void>;
  pass(gate: "gating" | "verify-eu"): Promise<void>;
  /** Railyard's commits in the GitOps repository, newest first. */
  commits(): ReturnType<typeof listRailyardCommits>;
  /** A file of the GitOps repository's main branch. */
  show(file: string): Promise<string>;
  /** Rewrites the configuration file. */
  writeConfig(options: WorldOptions): Promise<void>;
  cleanup(): Promise<void>;
}

async function git(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run(
    "git",
    ["-c", "core.hooksPath=/dev/null", "-c", "commit.gpgsign=false", ...args],
    {
      cwd,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "Test",
        GIT_AUTHOR_EMAIL: "test@example.com",
        GIT_COMMITTER_NAME: "Test",
        GIT_COMMITTER_EMAIL: "test@example.com",
      },
    },
  );
  return stdout;
}

/** The world's configuration text. */
export function worldConfig(gitops: string, options: WorldOptions = {}): string {
  const approval =
    options.approval === undefined || options.approval === "auto"
      ? "{ mode: auto }"
      : `{ mode: manual, team: ${options.approval.team}, required: ${options.approval.required} }`;
  return `version: 1
teams:
  core:
    members:
      - { name: ann }
      - { name: ben }
  board:
    members:
      - { name: alice, roles: [approver] }
      - { name: bob, roles: [approver] }
      - { name: carol, roles: [approver, coordinator] }
deployers:
  git:
    type: gitops
    repository: ${JSON.stringify(gitops)}
    file: "env/{environment}.yaml"
    path: "{component}.version"
${options.deployers ?? ""}components:
${
  options.components ??
  `  db: { team: core, deployer: git }
  api: { team: core, deployer: git, depends_on: [{ component: db, version: ">=1.0.0" }] }
  web: { team: core, deployer: git, depends_on: [{ component: api, version: ">=1.0.0" }] }`
}
environments:
  staging: { kind: integration }
  eu: { kind: production }
  us: { kind: production }
lines:
  shop:
    schedule: { rrule: "FREQ=DAILY", start: "2026-03-02T10:00", timezone: Europe/Berlin, cutoff: 2h }
    components: [${(options.lineComponents ?? ["db", "api", "web"]).join(", ")}]
    gates:
${options.gates ?? `      - { name: tests, type: command, command: "test ! -e fail-gating", timeout: 30s }`}
    approval: ${approval}
    rollout:
${options.concurrency ? `      concurrency: ${options.concurrency}\n` : ""}      waves:
${
  options.waves ??
  `        - name: eu
          environments: [eu]
          bake: ${options.bake ?? "30m"}
          verify:
            - { name: health, type: command, command: "test ! -e fail-verify-eu", timeout: 30s }
        - name: us
          environments: [us]`
}
    rollback: ${options.rollbackPolicy ?? `{ policy: ${options.rollback ?? "automatic"} }`}
${options.line ?? ""}${options.top ?? ""}`;
}

/** Creates a world in a temp folder. */
export async function createWorld(options: WorldOptions = {}): Promise<World> {
  const dir = await mkdtemp(path.join(tmpdir(), "railyard-world-"));
  const gitops = path.join(dir, "gitops.git");
  await git(["init", "--quiet", "--bare", "--initial-branch=main", gitops], dir);
  const seed = path.join(dir, "seed");
  await git(["clone", "--quiet", gitops, seed], dir);
  await mkdir(path.join(seed, "env"), { recursive: true });
  for (const env of ["staging", "eu", "us"]) {
    await writeFile(path.join(seed, "env", `${env}.yaml`), `# ${env}\n`);
  }
  await git(["add", "-A"], seed);
  await git(["commit", "--quiet", "-m", "seed"], seed);
  await git(["push", "--quiet", "origin", "HEAD:main"], seed);
  await rm(seed, { recursive: true, force: true });
  const configFile = path.join(dir, "railyard.yaml");
  const world: World = {
    dir,
    gitops,
    configFile,
    fail: (gate) => writeFile(path.join(dir, `fail-${gate}`), ""),
    pass: (gate) => rm(path.join(dir, `fail-${gate}`), { force: true }),
    commits: () => listRailyardCommits(gitops, "main"),
    show: (file) => git(["--git-dir", gitops, "show", `main:${file}`], dir),
    writeConfig: (o) => writeFile(configFile, worldConfig(gitops, o)),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
  await world.writeConfig(options);
  return world;
}
