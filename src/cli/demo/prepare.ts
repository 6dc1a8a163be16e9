/**
 * Lays out the demo's world under `.railyard/demo/`: a bare GitOps repository with one file per
 * environment (what Argo CD or Flux would read), and a folder where the simulated CI reports test
 * results. Each run starts fresh.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface DemoPaths {
  root: string;
  gitops: string;
  database: string;
  work: string;
  log: string;
}

/** Paths of the demo under a base directory (the repository root). */
export function demoPaths(base: string): DemoPaths {
  const root = path.join(base, ".railyard", "demo");
  return {
    root,
    gitops: path.join(root, "gitops.git"),
    database: path.join(root, "railyard.db"),
    work: path.join(root, "work"),
    log: path.join(root, "railyard.log"),
  };
}

const ENVIRONMENTS = ["staging", "eu-west", "us-east", "ap-south"];

async function git(args: string[], cwd: string): Promise<void> {
  await run("git", ["-c", "core.hooksPath=/dev/null", "-c", "commit.gpgsign=false", ...args], {
    cwd,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Platform team",
      GIT_AUTHOR_EMAIL: "platform@example.com",
      GIT_COMMITTER_NAME: "Platform team",
      GIT_COMMITTER_EMAIL: "platform@example.com",
    },
  });
}

/** Removes any previous demo and creates the GitOps repository and CI folder. */
export async function prepareDemo(paths: DemoPaths): Promise<void> {
  await rm(paths.root, { recursive: true, force: true });
  await git(["init", "--quiet", "--bare", "--initial-branch=main", paths.gitops], process.cwd());
  const seed = await mkdtemp(path.join(os.tmpdir(), "railyard-demo-seed-"));
  try {
    await git(["clone", "--quiet", paths.gitops, seed], process.cwd());
    await mkdir(path.join(seed, "environments"), { recursive: true });
    for (const environment of ENVIRONMENTS) {
      await writeFile(
        path.join(seed, "environments", `${environment}.yaml`),
        `# ${environment}: image tags per component.\n# Argo CD syncs this file; Railyard commits version changes to it.\n`,
      );
    }
    await writeFile(
      path.join(seed, "README.md"),
      "# Demo GitOps repository\n\nOne file per environment under environments/.\n",
    );
    await git(["add", "-A"], seed);
    await git(["commit", "--quiet", "-m", "Environments for the Railyard demo"], seed);
    await git(["push", "--quiet", "origin", "HEAD:main"], seed);
  } finally {
    await rm(seed, { recursive: true, force: true });
  }
}
