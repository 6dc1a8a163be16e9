/**
 * Railyard's commits in a GitOps repository and the trailers that identify them. The trailers
 * are the durable record that makes deploys idempotent: before committing, the deployer looks
 * for a commit carrying the request's `Railyard-Idempotency-Key`, so a crash between the push and
 * the engine's bookkeeping never produces a second commit.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Git, type GitRunOptions, isRemoteUrl } from "./git.js";

/** Trailer keys Railyard writes. */
export const TRAILER = {
  train: "Railyard-Train",
  step: "Railyard-Step",
  idempotencyKey: "Railyard-Idempotency-Key",
  reverts: "Railyard-Reverts",
} as const;

/** A commit with its trailers. */
export interface RailyardCommit {
  sha: string;
  subject: string;
  /** Trailer key → value (the last one when a key repeats). */
  trailers: Readonly<Record<string, string>>;
}

/** `git log` format read by {@link parseCommitLog}; use it with `-z`. */
export const COMMIT_LOG_FORMAT = "--format=%H%n%s%n%(trailers:only,unfold)";

/** Parses `git log -z` output written with {@link COMMIT_LOG_FORMAT}. */
export function parseCommitLog(stdout: string): RailyardCommit[] {
  const commits: RailyardCommit[] = [];
  for (const record of stdout.split("\0")) {
    const lines = record.replace(/^\n+/, "").split("\n");
    const sha = lines[0]?.trim();
    if (!sha || !/^[0-9a-f]{40,64}$/.test(sha)) continue;
    const trailers: Record<string, string> = {};
    for (const line of lines.slice(2)) {
      const colon = line.indexOf(":");
      if (colon <= 0) continue;
      trailers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    }
    commits.push({ sha, subject: lines[1] ?? "", trailers });
  }
  return commits;
}

/**
 * Lists commits reachable from `revision` (newest first) whose message contains `grep` literally,
 * or all commits when `grep` is omitted. Returns [] when the revision does not exist.
 */
export async function logCommits(
  git: Git,
  revision: string,
  options: GitRunOptions & { grep?: string[] } = {},
): Promise<RailyardCommit[]> {
  const exists = await git.tryRun(["rev-parse", "--verify", "--quiet", `${revision}^{commit}`], options);
  if (exists.exitCode !== 0) return [];
  const grep = (options.grep ?? []).flatMap((text) => ["--fixed-strings", `--grep=${text}`]);
  const { stdout } = await git.run(
    ["log", "-z", "--topo-order", COMMIT_LOG_FORMAT, ...grep, revision, "--"],
    options,
  );
  return parseCommitLog(stdout);
}

/** Finds the newest commit reachable from `revision` whose trailer `key` equals `value` exactly. */
export async function findCommitByTrailer(
  git: Git,
  revision: string,
  key: string,
  value: string,
  options: GitRunOptions = {},
): Promise<RailyardCommit | undefined> {
  const commits = await logCommits(git, revision, { ...options, grep: [`${key}: ${value}`] });
  return commits.find((commit) => commit.trailers[key] === value);
}

export interface ListRailyardCommitsOptions {
  /** Limit for each git command. @default 60000 */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Lists the commits that carry Railyard trailers on `branch` of a repository (a local path, bare
 * or not, or a URL, which is fetched into a temporary directory), newest first. For tests, the
 * crash-safety checks and people debugging a rollout.
 * @throws {GitError} when the repository cannot be read.
 */
export async function listRailyardCommits(
  repository: string,
  branch: string,
  options: ListRailyardCommitsOptions = {},
): Promise<RailyardCommit[]> {
  const identity = { name: "Railyard", email: "railyard@localhost" };
  const timeoutMs = options.timeoutMs ?? 60_000;
  const run = { signal: options.signal };
  if (!isRemoteUrl(repository)) {
    const git = new Git({ cwd: repository, author: identity, timeoutMs });
    const commits = await logCommits(git, `refs/heads/${branch}`, run);
    return commits.filter(isRailyardCommit);
  }
  const scratch = await mkdtemp(join(tmpdir(), "railyard-log-"));
  try {
    const git = new Git({ cwd: scratch, author: identity, timeoutMs });
    await git.run(["init", "-q", "--bare"], run);
    const fetched = await git.tryRun(
      ["fetch", "-q", "--no-tags", repository, `+refs/heads/${branch}:refs/heads/${branch}`],
      run,
    );
    if (fetched.exitCode !== 0 && /couldn't find remote ref/i.test(fetched.stderr)) return [];
    if (fetched.exitCode !== 0) await git.run(["fetch", "-q", "--no-tags", repository, branch], run);
    const commits = await logCommits(git, `refs/heads/${branch}`, run);
    return commits.filter(isRailyardCommit);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function isRailyardCommit(commit: RailyardCommit): boolean {
  return commit.trailers[TRAILER.idempotencyKey] !== undefined;
}
