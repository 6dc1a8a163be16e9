import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { DeployRequest } from "../../engine/ports.js";
import {
  GitopsDeployer,
  type GitopsDeployerOptions,
  GitopsError,
  RevertConflictError,
} from "./gitops-deployer.js";
import { listRailyardCommits } from "./railyard-commits.js";

const run = promisify(execFile);

/** Git for the test's own setup (a person editing the repository), not the code under test. */
async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run("git", ["-c", "commit.gpgsign=false", ...args], {
    cwd,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Dev",
      GIT_AUTHOR_EMAIL: "dev@example.com",
      GIT_COMMITTER_NAME: "Dev",
      GIT_COMMITTER_EMAIL: "dev@example.com",
    },
  });
  return stdout;
}

const CANARY = `# Versions in canary. Reviewed by the web team.
api:    # the public API
    version: "1.2.0"   # pinned until INC-7 is closed
    replicas: 3

web:
    version: 2.0.0
`;

let root: string;
let remote: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "railyard-gitops-"));
  remote = join(root, "remote.git");
  await git(root, "init", "-q", "--bare", "-b", "main", remote);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Pushes files to the remote's main branch as a person would. */
async function pushAsPerson(files: Record<string, string>, message = "edit by hand"): Promise<string> {
  const clone = join(root, `person-${Math.random().toString(36).slice(2)}`);
  await git(root, "clone", "-q", remote, clone);
  await git(clone, "checkout", "-q", "-B", "main");
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(clone, file, ".."), { recursive: true });
    await writeFile(join(clone, file), text);
  }
  await git(clone, "add", "-A");
  await git(clone, "commit", "-q", "-m", message);
  await git(clone, "push", "-q", "origin", "HEAD:refs/heads/main");
  const sha = (await git(clone, "rev-parse", "HEAD")).trim();
  await rm(clone, { recursive: true, force: true });
  return sha;
}

async function remoteFile(file: string): Promise<string> {
  return git(remote, "show", `main:${file}`);
}

async function remoteCommitCount(): Promise<number> {
  return Number((await git(remote, "rev-list", "--count", "main")).trim());
}

function deployer(overrides: Partial<GitopsDeployerOptions> = {}): GitopsDeployer {
  return new GitopsDeployer({
    name: "argo",
    repository: remote,
    branch: "main",
    file: "environments/{environment}.yaml",
    path: "{component}.version",
    author: { name: "Railyard", email: "railyard@localhost" },
    timeoutMs: 30_000,
    ...overrides,
    // Work directories named by a test live inside its temporary folder.
    workDir: join(root, overrides.workDir ?? "work"),
  });
}

function request(overrides: Partial<DeployRequest> = {}): DeployRequest {
  return {
    trainId: "web-42",
    line: "web",
    component: "api",
    version: "1.3.0",
    previousVersion: "1.2.0",
    environments: ["canary"],
    wave: "canary",
    idempotencyKey: "web-42/deploy/canary/api#1",
    signal: new AbortController().signal,
    ...overrides,
  };
}

function rollbackRequest(overrides: Partial<DeployRequest> = {}): DeployRequest {
  return request({
    version: "1.2.0",
    previousVersion: "1.3.0",
    idempotencyKey: "web-42/rollback/canary/api#1",
    undoStepKey: "deploy/canary/api",
    ...overrides,
  });
}

describe("GitopsDeployer.deploy", () => {
  it("sets the version in the environment's file, keeping every other byte, in one commit with trailers", async () => {
    await pushAsPerson({ "environments/canary.yaml": CANARY }, "seed");
    const result = await deployer().deploy(request());

    expect(result.alreadyDone).toBe(false);
    expect(await remoteFile("environments/canary.yaml")).toBe(CANARY.replace('"1.2.0"', '"1.3.0"'));
    expect(await remoteCommitCount()).toBe(2);
    expect(result.reference).toBe((await git(remote, "rev-parse", "main")).trim());
    expect(result.output).toContain("canary: environments/canary.yaml api.version 1.2.0 → 1.3.0");

    const message = await git(remote, "log", "-1", "--format=%B", "main");
    expect(message.trim()).toBe(
      [
        "deploy api 1.3.0 to canary (train web-42, wave canary)",
        "",
        "Railyard-Train: web-42",
        "Railyard-Step: deploy/canary/api",
        "Railyard-Idempotency-Key: web-42/deploy/canary/api#1",
      ].join("\n"),
    );
    const [commit] = await listRailyardCommits(remote, "main");
    expect(commit).toEqual({
      sha: result.reference,
      subject: "deploy api 1.3.0 to canary (train web-42, wave canary)",
      trailers: {
        "Railyard-Train": "web-42",
        "Railyard-Step": "deploy/canary/api",
        "Railyard-Idempotency-Key": "web-42/deploy/canary/api#1",
      },
    });
    expect(await git(remote, "log", "-1", "--format=%an <%ae> / %cn <%ce>", "main")).toBe(
      "Railyard <railyard@localhost> / Railyard <railyard@localhost>\n",
    );
  });

  it("creates the branch and the file with a header in an empty repository", async () => {
    const result = await deployer().deploy(request({ environments: ["prod-eu"] }));
    expect(await remoteFile("environments/prod-eu.yaml")).toBe(
      "# Managed by Railyard: versions per component.\napi:\n  version: 1.3.0\n",
    );
    expect(result.output).toContain("(unset) → 1.3.0 (new file)");
    expect(await remoteCommitCount()).toBe(1);
  });

  it("commits once for all environments of a request", async () => {
    await pushAsPerson({ "environments/canary.yaml": CANARY }, "seed");
    const result = await deployer().deploy(request({ environments: ["canary", "prod-eu"], wave: "eu" }));
    expect(await remoteCommitCount()).toBe(2);
    const files = await git(remote, "show", "--name-only", "--format=", result.reference!);
    expect(files.trim().split("\n").sort()).toEqual([
      "environments/canary.yaml",
      "environments/prod-eu.yaml",
    ]);
    expect(await git(remote, "log", "-1", "--format=%s", "main")).toBe(
      "deploy api 1.3.0 to canary, prod-eu (train web-42, wave eu)\n",
    );
  });

  it("does nothing the second time for the same idempotency key", async () => {
    await pushAsPerson({ "environments/canary.yaml": CANARY }, "seed");
    const deploying = deployer();
    const first = await deploying.deploy(request());
    const second = await deploying.deploy(request());
    expect(second).toMatchObject({ alreadyDone: true, reference: first.reference });
    expect(second.output).toContain("Railyard-Idempotency-Key: web-42/deploy/canary/api#1");
    expect(await remoteCommitCount()).toBe(2);
  });

  it("finds its pushed commit after a crash, from a fresh clone, and changes nothing", async () => {
    await pushAsPerson({ "environments/canary.yaml": CANARY }, "seed");
    const before = await deployer({ workDir: "work-before-crash" }).deploy(request());
    const after = await deployer({ workDir: "work-after-restart" }).deploy(request());
    expect(after).toMatchObject({ alreadyDone: true, reference: before.reference });
    expect(await remoteCommitCount()).toBe(2);
  });

  it("commits even when the file already holds the version, so every step has its commit", async () => {
    await pushAsPerson({ "environments/canary.yaml": CANARY }, "seed");
    const result = await deployer().deploy(request({ version: "1.2.0" }));
    expect(result.output).toContain("already 1.2.0 (unchanged)");
    expect(await remoteCommitCount()).toBe(2);
    expect(await remoteFile("environments/canary.yaml")).toBe(CANARY);
  });

  it("recovers a clone left dirty and locked by a killed process", async () => {
    await pushAsPerson({ "environments/canary.yaml": CANARY }, "seed");
    const deploying = deployer();
    await deploying.deploy(request({ idempotencyKey: "web-42/deploy/canary/web#1", component: "web" }));
    await writeFile(join(deploying.cloneDir, "environments/canary.yaml"), "half: written");
    await writeFile(join(deploying.cloneDir, "stray.txt"), "left over");
    await writeFile(join(deploying.cloneDir, ".git/index.lock"), "");
    const result = await deploying.deploy(request());
    expect(result.alreadyDone).toBe(false);
    const file = await remoteFile("environments/canary.yaml");
    expect(file).toContain('version: "1.3.0"');
    expect(file).not.toContain("half");
    expect(existsSync(join(deploying.cloneDir, "stray.txt"))).toBe(false);
  });

  it("lands concurrent deploys to one repository from separate clones (push races are retried)", async () => {
    await pushAsPerson({ "environments/canary.yaml": CANARY }, "seed");
    const components = ["api", "web", "worker", "cron"];
    const results = await Promise.all(
      components.map((component) =>
        deployer({
          workDir: `work-${component}`,
          backoff: { baseMs: 10, capMs: 100 },
          maxPushAttempts: 10,
        }).deploy(
          request({
            component,
            version: `9.0.0-${component}`,
            idempotencyKey: `web-42/deploy/canary/${component}#1`,
          }),
        ),
      ),
    );
    expect(results.every((result) => !result.alreadyDone)).toBe(true);
    expect(await remoteCommitCount()).toBe(1 + components.length);
    const file = await remoteFile("environments/canary.yaml");
    for (const component of components)
      expect(file).toContain(`version: ${component === "api" ? '"' : ""}9.0.0-${component}`);
    expect(file).toContain("# pinned until INC-7 is closed");
    const keys = (await listRailyardCommits(remote, "main")).map(
      (c) => c.trailers["Railyard-Idempotency-Key"],
    );
    expect(keys.sort()).toEqual(components.map((c) => `web-42/deploy/canary/${c}#1`).sort());
  });

  it("serialises concurrent deploys through one clone", async () => {
    await pushAsPerson({ "environments/canary.yaml": CANARY }, "seed");
    const shared = deployer();
    const again = deployer(); // same workDir and name: the same clone
    await Promise.all([
      shared.deploy(request({ component: "api", idempotencyKey: "web-42/deploy/canary/api#1" })),
      again.deploy(request({ component: "web", idempotencyKey: "web-42/deploy/canary/web#1" })),
      shared.deploy(request({ component: "worker", idempotencyKey: "web-42/deploy/canary/worker#1" })),
    ]);
    expect(await remoteCommitCount()).toBe(4);
  });

  it("rejects at once when the signal is already aborted, touching nothing", async () => {
    await pushAsPerson({ "environments/canary.yaml": CANARY }, "seed");
    const controller = new AbortController();
    controller.abort();
    await expect(deployer().deploy(request({ signal: controller.signal }))).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(await remoteCommitCount()).toBe(1);
  });

  it("stops when aborted while working, and the step can be run again", async () => {
    await pushAsPerson({ "environments/canary.yaml": CANARY }, "seed");
    const controller = new AbortController();
    const deploying = deployer();
    const pending = deploying.deploy(request({ signal: controller.signal }));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    const result = await deploying.deploy(request());
    expect(result.alreadyDone).toBe(false);
    expect(await remoteCommitCount()).toBe(2);
  });

  it("fails clearly when the branch is missing from a non-empty repository", async () => {
    await pushAsPerson({ "environments/canary.yaml": CANARY }, "seed");
    await expect(deployer({ branch: "production" }).deploy(request())).rejects.toThrow(
      /branch "production" does not exist in .*remote\.git \(it has main\)/,
    );
  });

  it("refuses a file template that leaves the repository, and a missing or multi-line version", async () => {
    await expect(deployer({ file: "../{environment}.yaml" }).deploy(request())).rejects.toThrow(GitopsError);
    await expect(deployer().deploy(request({ version: null }))).rejects.toThrow(/no version/);
    await expect(
      deployer().deploy(request({ version: "1.0\n\nRailyard-Idempotency-Key: web-43/deploy/x#1" })),
    ).rejects.toThrow(/control characters/);
  });

  it("refuses a relative repository path and a malformed idempotency key", async () => {
    expect(() => deployer({ repository: "relative/repo" })).toThrow(/must be a Git URL or an absolute path/);
    await expect(deployer().deploy(request({ idempotencyKey: "nonsense" }))).rejects.toThrow(
      /not an idempotency key/,
    );
  });
});

describe("GitopsDeployer.rollback", () => {
  it("reverts that train's commits for the step in one commit with trailers", async () => {
    await pushAsPerson({ "environments/canary.yaml": CANARY }, "seed");
    const deploying = deployer();
    const deployed = await deploying.deploy(request());
    await deploying.deploy(
      request({ component: "web", version: "2.1.0", idempotencyKey: "web-42/deploy/canary/web#1" }),
    );

    const result = await deploying.rollback(rollbackRequest());
    expect(result.alreadyDone).toBe(false);
    expect(await remoteFile("environments/canary.yaml")).toBe(
      CANARY.replace("version: 2.0.0", "version: 2.1.0"),
    );
    expect(await remoteCommitCount()).toBe(4);
    expect(result.reference).toBe((await git(remote, "rev-parse", "main")).trim());
    expect(result.output).toContain(`reverted ${deployed.reference!.slice(0, 12)}`);
    const message = await git(remote, "log", "-1", "--format=%B", "main");
    expect(message.trim()).toBe(
      [
        "rollback api in canary (train web-42, wave canary)",
        "",
        `This reverts commit ${deployed.reference}.`,
        "",
        "Railyard-Train: web-42",
        "Railyard-Step: rollback/canary/api",
        "Railyard-Idempotency-Key: web-42/rollback/canary/api#1",
        `Railyard-Reverts: ${deployed.reference}`,
      ].join("\n"),
    );
  });

  it("reverts every attempt of the step that is not reverted yet, newest first", async () => {
    await pushAsPerson({ "environments/canary.yaml": CANARY }, "seed");
    const deploying = deployer();
    const first = await deploying.deploy(request());
    await deploying.rollback(rollbackRequest());
    const second = await deploying.deploy(
      request({ version: "1.3.1", idempotencyKey: "web-42/deploy/canary/api#2" }),
    );
    const third = await deploying.deploy(
      request({ version: "1.3.2", idempotencyKey: "web-42/deploy/canary/api#3" }),
    );

    const result = await deploying.rollback(
      rollbackRequest({ idempotencyKey: "web-42/rollback/canary/api#2" }),
    );
    expect(await remoteFile("environments/canary.yaml")).toBe(CANARY);
    const [latest] = await listRailyardCommits(remote, "main");
    expect(latest!.sha).toBe(result.reference);
    expect(latest!.trailers["Railyard-Reverts"]).toBe(`${third.reference} ${second.reference}`);
    expect(latest!.trailers["Railyard-Reverts"]).not.toContain(first.reference!);
  });

  it("does nothing the second time for the same idempotency key, even from a fresh clone", async () => {
    await pushAsPerson({ "environments/canary.yaml": CANARY }, "seed");
    await deployer().deploy(request());
    const first = await deployer().rollback(rollbackRequest());
    const again = await deployer({ workDir: "after-restart" }).rollback(rollbackRequest());
    expect(again).toMatchObject({ alreadyDone: true, reference: first.reference });
    expect(await remoteCommitCount()).toBe(3);
  });

  it("succeeds with nothing to revert when the step never deployed", async () => {
    await pushAsPerson({ "environments/canary.yaml": CANARY }, "seed");
    await deployer().deploy(request({ trainId: "web-41", idempotencyKey: "web-41/deploy/canary/api#1" }));
    const result = await deployer().rollback(rollbackRequest());
    expect(result).toMatchObject({ alreadyDone: false, reference: null });
    expect(result.output).toMatch(/^nothing to revert/);
    expect(await remoteCommitCount()).toBe(2);
    await git(root, "init", "-q", "--bare", join(root, "empty.git"));
    const empty = deployer({ repository: join(root, "empty.git"), workDir: "empty" });
    expect((await empty.rollback(rollbackRequest())).output).toMatch(/^nothing to revert/);
  });

  it("refuses to resolve a conflict with a later change, naming the file and the commit, leaving all clean", async () => {
    await pushAsPerson({ "environments/canary.yaml": CANARY }, "seed");
    const deploying = deployer();
    await deploying.deploy(request());
    const later = await deployer({ workDir: "other-train" }).deploy(
      request({ trainId: "web-43", version: "1.4.0", idempotencyKey: "web-43/deploy/canary/api#1" }),
    );
    const head = (await git(remote, "rev-parse", "main")).trim();

    const failure = await deploying.rollback(rollbackRequest()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RevertConflictError);
    const conflict = failure as RevertConflictError;
    expect(conflict.files).toEqual(["environments/canary.yaml"]);
    expect(conflict.message).toContain("environments/canary.yaml");
    expect(conflict.message).toContain(later.reference!.slice(0, 12));
    expect(conflict.message).toContain("deploy api 1.4.0 to canary (train web-43, wave canary)");

    expect((await git(remote, "rev-parse", "main")).trim()).toBe(head);
    expect(await git(deploying.cloneDir, "status", "--porcelain")).toBe("");
    expect((await git(deploying.cloneDir, "rev-parse", "HEAD")).trim()).toBe(head);
    expect(existsSync(join(deploying.cloneDir, ".git", "REVERT_HEAD"))).toBe(false);
    // The clone still works afterwards.
    const next = await deploying.deploy(
      request({ version: "1.5.0", idempotencyKey: "web-42/deploy/canary/api#2" }),
    );
    expect(next.alreadyDone).toBe(false);
  });

  it("requires the step to undo", async () => {
    await expect(deployer().rollback(rollbackRequest({ undoStepKey: undefined }))).rejects.toThrow(
      /names no step to undo/,
    );
  });
});

describe("GitopsDeployer progressive phases", () => {
  const FILE = "environments/prod-eu.yaml";
  const ON_TOP = "    replicas: 3\n";

  /** The request of one step of wave `eu` in prod-eu. */
  function step(stepKey: string, overrides: Partial<DeployRequest> = {}): DeployRequest {
    return request({
      environments: ["prod-eu"],
      wave: "eu",
      idempotencyKey: `web-42/${stepKey}#1`,
      ...overrides,
    });
  }

  async function fileAt(sha: string | null): Promise<string> {
    return git(remote, "show", `${sha}:${FILE}`);
  }

  async function subjectOf(sha: string | null): Promise<string> {
    return (await git(remote, "log", "-1", "--format=%s", sha!)).trim();
  }

  it("walks a canary 5% → 25% → promote, then one rollback of every step restores the file", async () => {
    await pushAsPerson({ [FILE]: CANARY }, "seed");
    const deploying = deployer();
    const canary = { strategy: "canary" as const };

    const at5 = await deploying.deploy(step("deploy/eu/s1/api", { ...canary, phase: "canary", weight: 5 }));
    expect(await fileAt(at5.reference)).toBe(
      CANARY.replace(ON_TOP, `${ON_TOP}    canary:\n        version: 1.3.0\n        weight: 5\n`),
    );
    expect(await subjectOf(at5.reference)).toBe("canary api 1.3.0 at 5% in prod-eu (train web-42, wave eu)");
    expect(at5.output).toContain("prod-eu: environments/prod-eu.yaml api.canary.weight (unset) → 5");

    const at25 = await deploying.deploy(step("deploy/eu/s2/api", { ...canary, phase: "canary", weight: 25 }));
    expect(await fileAt(at25.reference)).toBe(
      CANARY.replace(ON_TOP, `${ON_TOP}    canary:\n        version: 1.3.0\n        weight: 25\n`),
    );
    expect(await subjectOf(at25.reference)).toBe(
      "canary api 1.3.0 at 25% in prod-eu (train web-42, wave eu)",
    );

    const promoted = await deploying.deploy(
      step("deploy/eu/s3/api", { ...canary, phase: "promote", weight: 100 }),
    );
    const afterPromote = await fileAt(promoted.reference);
    expect(afterPromote).toBe(
      CANARY.replace('"1.2.0"', '"1.3.0"').replace(ON_TOP, `${ON_TOP}    canary:\n        weight: 0\n`),
    );
    expect(parse(afterPromote).api).toEqual({ version: "1.3.0", replicas: 3, canary: { weight: 0 } });
    expect(await subjectOf(promoted.reference)).toBe(
      "promote api 1.3.0 to 100% in prod-eu (train web-42, wave eu)",
    );
    expect(promoted.output).toContain("api.canary.version 1.3.0 removed");

    const rolledBack = await deploying.rollback(
      step("rollback/eu/api", {
        ...canary,
        version: "1.2.0",
        previousVersion: "1.3.0",
        undoStepKey: "deploy/eu/s3/api",
        undoStepKeys: ["deploy/eu/s1/api", "deploy/eu/s2/api", "deploy/eu/s3/api"],
      }),
    );
    expect(await remoteFile(FILE)).toBe(CANARY);
    expect(await remoteCommitCount()).toBe(5);
    const [latest] = await listRailyardCommits(remote, "main");
    expect(latest!.sha).toBe(rolledBack.reference);
    expect(latest!.trailers["Railyard-Reverts"]).toBe(
      `${promoted.reference} ${at25.reference} ${at5.reference}`,
    );
    expect(latest!.trailers["Railyard-Step"]).toBe("rollback/eu/api");

    // Done once: the same rollback again finds its commit.
    const again = await deploying.rollback(
      step("rollback/eu/api", { undoStepKeys: ["deploy/eu/s1/api", "deploy/eu/s2/api", "deploy/eu/s3/api"] }),
    );
    expect(again).toMatchObject({ alreadyDone: true, reference: rolledBack.reference });
  });

  it("reverts only the named steps, of this train, and never a commit twice", async () => {
    await pushAsPerson({ [FILE]: CANARY }, "seed");
    const deploying = deployer();
    const at5 = await deploying.deploy(step("deploy/eu/s1/api", { phase: "canary", weight: 5 }));
    await deploying.deploy(
      step("deploy/eu/s1/web", { component: "web", version: "2.1.0", phase: "canary", weight: 5 }),
    );
    await deployer({ workDir: "other-train" }).deploy(
      step("deploy/eu/s1/worker", {
        trainId: "web-43",
        idempotencyKey: "web-43/deploy/eu/s1/worker#1",
        component: "worker",
        version: "0.2.0",
        phase: "canary",
        weight: 5,
      }),
    );
    const undoApi = { undoStepKeys: ["deploy/eu/s1/api", "deploy/eu/s2/api", "deploy/eu/s1/worker"] };
    const first = await deploying.rollback(step("rollback/eu/api", undoApi));
    const data = parse(await remoteFile(FILE));
    expect(data.api).toEqual({ version: "1.2.0", replicas: 3 });
    expect(data.web.canary).toEqual({ version: "2.1.0", weight: 5 });
    expect(data.worker.canary).toEqual({ version: "0.2.0", weight: 5 });
    expect((await listRailyardCommits(remote, "main"))[0]!.trailers["Railyard-Reverts"]).toBe(at5.reference);

    const second = await deploying.rollback(
      step("rollback/eu/api", { ...undoApi, idempotencyKey: "web-42/rollback/eu/api#2" }),
    );
    expect(second).toMatchObject({ alreadyDone: false, reference: null });
    expect(second.output).toBe(
      "nothing to revert: no commit of train web-42 for steps deploy/eu/s1/api, deploy/eu/s2/api, deploy/eu/s1/worker on main",
    );
    expect(first.reference).toBe((await git(remote, "rev-parse", "main")).trim());
  });

  it("previews, promotes keeping blue, and retires a blue-green deployment", async () => {
    await pushAsPerson({ [FILE]: CANARY }, "seed");
    const deploying = deployer();
    const blueGreen = { strategy: "blueGreen" as const };

    const preview = await deploying.deploy(
      step("deploy/eu/preview/api", { ...blueGreen, phase: "preview", weight: 0 }),
    );
    expect(await fileAt(preview.reference)).toBe(
      CANARY.replace(ON_TOP, `${ON_TOP}    canary:\n        version: 1.3.0\n        weight: 0\n`),
    );
    expect(await subjectOf(preview.reference)).toBe(
      "preview api 1.3.0 at 0% in prod-eu (train web-42, wave eu)",
    );

    const promote = await deploying.deploy(
      step("deploy/eu/promote/api", { ...blueGreen, phase: "promote", weight: 100 }),
    );
    expect(await fileAt(promote.reference)).toBe(
      CANARY.replace('"1.2.0"', '"1.3.0"').replace(
        ON_TOP,
        `${ON_TOP}    canary:\n        version: 1.2.0\n        weight: 0\n`,
      ),
    );
    expect(await subjectOf(promote.reference)).toBe(
      "promote api 1.3.0 to 100% in prod-eu, keeping 1.2.0 (train web-42, wave eu)",
    );

    const retire = await deploying.deploy(step("deploy/eu/retire/api", { ...blueGreen, phase: "retire" }));
    expect(await fileAt(retire.reference)).toBe(
      CANARY.replace('"1.2.0"', '"1.3.0"').replace(ON_TOP, `${ON_TOP}    canary:\n        weight: 0\n`),
    );
    expect(await subjectOf(retire.reference)).toBe(
      "retire api 1.2.0 in prod-eu, 1.3.0 at 100% (train web-42, wave eu)",
    );
  });

  it("promotes a blue-green deployment without a previous version by removing the canary", async () => {
    await pushAsPerson({ [FILE]: CANARY }, "seed");
    const deploying = deployer();
    const first = {
      strategy: "blueGreen" as const,
      component: "db",
      version: "1.0.0",
      previousVersion: null,
    };
    await deploying.deploy(step("deploy/eu/preview/db", { ...first, phase: "preview" }));
    const promote = await deploying.deploy(step("deploy/eu/promote/db", { ...first, phase: "promote" }));
    expect(parse(await fileAt(promote.reference)).db).toEqual({ version: "1.0.0", canary: { weight: 0 } });
    expect(await subjectOf(promote.reference)).toBe(
      "promote db 1.0.0 to 100% in prod-eu (train web-42, wave eu)",
    );
  });

  it("does nothing the second time for the same key of a canary step", async () => {
    await pushAsPerson({ [FILE]: CANARY }, "seed");
    const at5 = step("deploy/eu/s1/api", { phase: "canary", weight: 5, strategy: "canary" });
    const first = await deployer().deploy(at5);
    const second = await deployer({ workDir: "after-restart" }).deploy(at5);
    expect(second).toMatchObject({ alreadyDone: true, reference: first.reference });
    expect(await remoteCommitCount()).toBe(2);
  });

  it("fills placeholders in configured canary and weight paths", async () => {
    await pushAsPerson({ [FILE]: CANARY }, "seed");
    const deploying = deployer({
      canaryPath: "rollouts.{component}.{environment}.image",
      weightPath: "rollouts.{component}.{environment}.traffic",
    });
    const result = await deploying.deploy(step("deploy/eu/s1/api", { phase: "canary", weight: 50 }));
    expect(parse(await fileAt(result.reference)).rollouts).toEqual({
      api: { "prod-eu": { image: "1.3.0", traffic: 50 } },
    });
  });

  it("refuses a canary without a weight in 0–100, touching nothing", async () => {
    await pushAsPerson({ [FILE]: CANARY }, "seed");
    await expect(deployer().deploy(step("deploy/eu/s1/api", { phase: "canary" }))).rejects.toThrow(
      /as a canary: the request's weight is missing/,
    );
    await expect(
      deployer().deploy(step("deploy/eu/s1/api", { phase: "canary", weight: 150 })),
    ).rejects.toThrow(/weight 150 is not in 0–100/);
    expect(await remoteCommitCount()).toBe(1);
  });
});

describe("listRailyardCommits", () => {
  it("lists only Railyard's commits, newest first, and nothing for a missing branch", async () => {
    await pushAsPerson({ "environments/canary.yaml": CANARY }, "seed");
    await deployer().deploy(request());
    await pushAsPerson({ "README.md": "hello\n" }, "docs");
    await deployer().deploy(request({ component: "web", idempotencyKey: "web-42/deploy/canary/web#1" }));
    const commits = await listRailyardCommits(remote, "main");
    expect(commits.map((commit) => commit.trailers["Railyard-Step"])).toEqual([
      "deploy/canary/web",
      "deploy/canary/api",
    ]);
    expect(await listRailyardCommits(remote, "nope")).toEqual([]);
    expect(await listRailyardCommits(`file://${remote}`, "main")).toEqual(commits);
  });
});
