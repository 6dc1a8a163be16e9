/**
 * The GitOps deployer: writes a component's version into a per-environment YAML file of a Git
 * repository that Argo CD or Flux read, as one commit per deploy step, and rolls back with one
 * revert commit. Progressive steps write the canary's version and weight beside the stable
 * version (see docs/design/rollout.md, "Deployers receive weight and phase"). Every commit
 * carries trailers naming the train, the step and the idempotency key; before acting, the
 * deployer looks for its key on the remote branch, so a step replayed after a crash (even after
 * the push) finds its commit and changes nothing.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Deployer, DeployPhase, DeployRequest, DeployResult } from "../../engine/ports.js";
import { abortableDelay, type BackoffOptions, backoffDelay } from "../backoff.js";
import { parseIdempotencyKey } from "../idempotency-key.js";
import { fillTemplate } from "../placeholders.js";
import { Git, GitError, type GitIdentity, isRemoteUrl, redactCredentials } from "./git.js";
import { findCommitByTrailer, logCommits, type RailyardCommit, TRAILER } from "./railyard-commits.js";
import { deleteYamlValue, setYamlValue, type YamlEditResult } from "./yaml-edit.js";

export interface GitopsDeployerOptions {
  /** The `deployers:` entry name; the clone lives in `<workDir>/<name>`. */
  name: string;
  /** Git URL, or an absolute path to a repository on this machine. */
  repository: string;
  /** Branch Argo CD / Flux read. */
  branch: string;
  /** File holding versions; placeholders `{environment}`, `{component}`, `{line}`. */
  file: string;
  /** Dotted YAML path set to the version; placeholders `{component}`, `{environment}`, `{line}`. */
  path: string;
  /**
   * Dotted YAML path set to the canary's version (canary steps, blue-green's preview, and
   * blue-green's old version after the promote); placeholders as `path`.
   * @default "{component}.canary.version"
   */
  canaryPath?: string;
  /**
   * Dotted YAML path set to the canary's share of traffic, a number 0–100; placeholders as `path`.
   * @default "{component}.canary.weight"
   */
  weightPath?: string;
  /** Author and committer of Railyard's commits. */
  author: GitIdentity;
  /** Limit for one git command. */
  timeoutMs: number;
  /** Directory holding working clones. */
  workDir: string;
  /** Attempts to push when the remote moved in between. @default 5 */
  maxPushAttempts?: number;
  /** Pacing between push attempts. @default { baseMs: 100, capMs: 2000 } */
  backoff?: BackoffOptions;
}

/** Thrown when a rollback's revert conflicts with later changes to the same lines; nothing was changed. */
export class RevertConflictError extends Error {
  override readonly name = "RevertConflictError";
  constructor(
    message: string,
    /** Conflicting files, relative to the repository root. */
    readonly files: string[],
    /** Commits that changed those files after the reverted ones, newest first. */
    readonly changedBy: Array<{ sha: string; subject: string }>,
  ) {
    super(message);
  }
}

/** Thrown when the configuration or the request cannot work (missing branch, file outside the repository, no version). */
export class GitopsError extends Error {
  override readonly name = "GitopsError";
}

/** Serialises work on one clone directory across every deployer instance of this process. */
const cloneQueues = new Map<string, Promise<unknown>>();

async function withCloneLock<T>(cloneDir: string, fn: () => Promise<T>): Promise<T> {
  const previous = cloneQueues.get(cloneDir) ?? Promise.resolve();
  const result = previous.then(fn, fn);
  const tail = result.then(
    () => undefined,
    () => undefined,
  );
  cloneQueues.set(cloneDir, tail);
  try {
    return await result;
  } finally {
    if (cloneQueues.get(cloneDir) === tail) cloneQueues.delete(cloneDir);
  }
}

/** Lock files a git process killed mid-command leaves behind. */
const STALE_LOCKS = ["index.lock", "HEAD.lock", "config.lock", "packed-refs.lock", "shallow.lock"];

/** Push failures that mean "the remote moved, try again on top of it". */
const REMOTE_MOVED =
  /\[rejected\]|\(fetch first\)|non-fast-forward|failed to update ref|cannot lock ref|incorrect old value|stale info/i;

type SyncState = "ready" | "unborn";

type Prepared =
  | { kind: "finished"; result: DeployResult }
  | { kind: "commit"; message: string; summary: string[] };

/** One change to an environment's file: `path` (a template) set to a value, or removed. */
type Edit = { kind: "set"; path: string; value: string | number } | { kind: "remove"; path: string };

/** What a deploy request writes, and the commit's subject. */
interface DeployPlan {
  edits: Edit[];
  subject: string;
}

/**
 * Deploys by committing versions to a GitOps repository; rolls back by reverting those commits.
 *
 * What a request writes depends on its phase (`path`, `canaryPath` and `weightPath` are the
 * configured dotted paths):
 * - none (a plain deployment): `path` = version;
 * - `canary` at weight w: `canaryPath` = version, `weightPath` = w;
 * - `preview` (blue-green's green): `canaryPath` = version, `weightPath` = 0;
 * - `promote`: `path` = version, `weightPath` = 0, and `canaryPath` removed — except in a
 *   blue-green wave, where it holds the previous version (blue, kept for the rollback window;
 *   removed when there is none);
 * - `retire`: `canaryPath` removed, `weightPath` = 0.
 *
 * Several trains may use one deployer at once: work on a clone is serialised within the process.
 * Two processes must not share a `workDir`; they may share the remote repository (a push that
 * loses a race is retried on top of the winner).
 */
export class GitopsDeployer implements Deployer {
  /** The working clone's directory. */
  readonly cloneDir: string;
  private readonly git: Git;
  private readonly remoteRef: string;
  private readonly maxPushAttempts: number;

  /** @throws {GitopsError} when `repository` is a relative path. */
  constructor(private readonly options: GitopsDeployerOptions) {
    if (!isRemoteUrl(options.repository) && !isAbsolute(options.repository)) {
      throw new GitopsError(
        `deployers.${options.name}.repository: "${options.repository}" must be a Git URL or an absolute path`,
      );
    }
    this.cloneDir = resolve(options.workDir, options.name);
    this.git = new Git({ cwd: this.cloneDir, author: options.author, timeoutMs: options.timeoutMs });
    this.remoteRef = `refs/remotes/origin/${options.branch}`;
    this.maxPushAttempts = options.maxPushAttempts ?? 5;
  }

  /**
   * Writes the request's version (and, for a progressive phase, the canary's version and weight)
   * into each environment's file and pushes one commit for the request. Returns `alreadyDone`
   * with the existing commit when the branch already holds a commit carrying the request's
   * idempotency key.
   * @throws {InvalidIdempotencyKeyError} when the key is not `<train>/<step key>#<attempt>`.
   * @throws {GitopsError} when the request has no version (only `retire` needs none), a version
   *   with control characters, a canary phase without a weight in 0–100, a file outside the
   *   repository, or the branch is missing from a non-empty repository.
   * @throws {YamlEditError} when a file is not valid YAML or a path runs through a non-map.
   * @throws {GitError} when git fails (network, permissions, a push rejected for another reason
   *   than a race, or still rejected after the last attempt).
   * @throws the signal's reason (an `AbortError`) when aborted.
   */
  async deploy(request: DeployRequest): Promise<DeployResult> {
    request.signal.throwIfAborted();
    const plan = this.plan(request);
    const key = parseIdempotencyKey(request.idempotencyKey);
    return this.attempt(request, "deploy", async () => {
      const summary: string[] = [];
      const files: string[] = [];
      for (const environment of request.environments) {
        const values = { environment, component: request.component, line: request.line };
        const file = this.repositoryFile(fillTemplate(this.options.file, values));
        const absolute = join(this.cloneDir, file);
        const before = await readIfExists(absolute);
        let text = before;
        for (const edit of plan.edits) {
          const path = fillTemplate(edit.path, values).split(".");
          let result: YamlEditResult;
          let change: string;
          if (edit.kind === "set") {
            result = setYamlValue(text, path, edit.value, file);
            const isNew = text === null ? " (new file)" : "";
            change = result.changed
              ? `${result.previous ?? "(unset)"} → ${edit.value}${isNew}`
              : `already ${edit.value} (unchanged)`;
          } else {
            result =
              text === null
                ? { text: "", previous: null, changed: false }
                : deleteYamlValue(text, path, file);
            change = result.changed ? `${result.previous ?? "(map)"} removed` : "not set (unchanged)";
          }
          if (result.changed) text = result.text;
          summary.push(`${environment}: ${file} ${path.join(".")} ${change}`);
        }
        if (text !== null && text !== before) {
          await mkdir(dirname(absolute), { recursive: true });
          await writeFile(absolute, text);
        }
        files.push(file);
      }
      const existing = [...new Set(files)].filter((file) => existsSync(join(this.cloneDir, file)));
      if (existing.length > 0) await this.git.run(["add", "--", ...existing], { signal: request.signal });
      const message = [
        `${plan.subject} (train ${request.trainId}, wave ${request.wave})`,
        "",
        `${TRAILER.train}: ${request.trainId}`,
        `${TRAILER.step}: ${key.stepKey}`,
        `${TRAILER.idempotencyKey}: ${request.idempotencyKey}`,
      ].join("\n");
      return { kind: "commit", message, summary };
    });
  }

  /**
   * The edits of a deploy request by phase, and its commit subject.
   * @throws {GitopsError} when a version the phase writes is missing or has control characters, or
   *   a canary has no weight in 0–100.
   */
  private plan(request: DeployRequest): DeployPlan {
    const phase: DeployPhase | undefined = request.phase;
    const component = request.component;
    const where = request.environments.join(", ");
    const path = this.options.path;
    const canaryPath = this.options.canaryPath ?? "{component}.canary.version";
    const weightPath = this.options.weightPath ?? "{component}.canary.weight";
    const version = (): string => {
      if (request.version === null) {
        throw new GitopsError(`cannot deploy ${component}: the request has no version (null)`);
      }
      return checkedVersion(component, request.version);
    };
    switch (phase) {
      case undefined:
        return {
          edits: [{ kind: "set", path, value: version() }],
          subject: `deploy ${component} ${version()} to ${where}`,
        };
      case "canary": {
        const weight = request.weight;
        if (weight === undefined || !Number.isFinite(weight) || weight < 0 || weight > 100) {
          throw new GitopsError(
            `cannot deploy ${component} as a canary: the request's weight ${weight === undefined ? "is missing" : `${weight} is not in 0–100`}`,
          );
        }
        return {
          edits: [
            { kind: "set", path: canaryPath, value: version() },
            { kind: "set", path: weightPath, value: weight },
          ],
          subject: `canary ${component} ${version()} at ${weight}% in ${where}`,
        };
      }
      case "preview":
        return {
          edits: [
            { kind: "set", path: canaryPath, value: version() },
            { kind: "set", path: weightPath, value: 0 },
          ],
          subject: `preview ${component} ${version()} at 0% in ${where}`,
        };
      case "promote": {
        // Blue-green keeps blue (the previous version) beside green for the rollback window.
        const blue =
          request.strategy === "blueGreen" && request.previousVersion !== null
            ? checkedVersion(component, request.previousVersion)
            : null;
        return {
          edits: [
            { kind: "set", path, value: version() },
            { kind: "set", path: weightPath, value: 0 },
            blue === null
              ? { kind: "remove", path: canaryPath }
              : { kind: "set", path: canaryPath, value: blue },
          ],
          subject: `promote ${component} ${version()} to 100% in ${where}${blue === null ? "" : `, keeping ${blue}`}`,
        };
      }
      case "retire": {
        const old =
          request.previousVersion === null
            ? "the previous version"
            : checkedVersion(component, request.previousVersion);
        const kept =
          request.version === null ? "" : `, ${checkedVersion(component, request.version)} at 100%`;
        return {
          edits: [
            { kind: "remove", path: canaryPath },
            { kind: "set", path: weightPath, value: 0 },
          ],
          subject: `retire ${component} ${old} in ${where}${kept}`,
        };
      }
      default: {
        const unknown: never = phase;
        throw new GitopsError(`cannot deploy ${component}: unknown phase ${JSON.stringify(unknown)}`);
      }
    }
  }

  /**
   * Reverts, in one commit and newest first, every commit of this train not reverted yet whose
   * step is `request.undoStepKey` or one of `request.undoStepKeys` (every canary step of a wave,
   * say). Succeeds with "nothing to revert" (and no commit) when there is none.
   * @throws {GitopsError} when the request names no step to undo.
   * @throws {RevertConflictError} when a later commit changed the same lines; the clone is
   *   reset and the remote untouched.
   * @throws {GitError} when git fails.
   * @throws the signal's reason (an `AbortError`) when aborted.
   */
  async rollback(request: DeployRequest): Promise<DeployResult> {
    request.signal.throwIfAborted();
    const undo = new Set([
      ...(request.undoStepKeys ?? []),
      ...(request.undoStepKey ? [request.undoStepKey] : []),
    ]);
    if (undo.size === 0) {
      throw new GitopsError(
        `cannot roll back ${request.component}: the request names no step to undo (undoStepKey, undoStepKeys)`,
      );
    }
    const steps = `step${undo.size > 1 ? "s" : ""} ${[...undo].join(", ")}`;
    const key = parseIdempotencyKey(request.idempotencyKey);
    const signal = request.signal;
    return this.attempt(request, "rollback", async (state) => {
      const ofTrain =
        state === "unborn"
          ? []
          : await logCommits(this.git, this.remoteRef, {
              signal,
              grep: [`${TRAILER.train}: ${request.trainId}`],
            });
      const reverted = new Set(
        ofTrain.flatMap((commit) => (commit.trailers[TRAILER.reverts] ?? "").split(/\s+/).filter(Boolean)),
      );
      const targets = ofTrain.filter(
        (commit) =>
          commit.trailers[TRAILER.train] === request.trainId &&
          undo.has(commit.trailers[TRAILER.step] ?? "") &&
          commit.trailers[TRAILER.reverts] === undefined &&
          !reverted.has(commit.sha),
      );
      if (targets.length === 0) {
        return {
          kind: "finished",
          result: {
            alreadyDone: false,
            reference: null,
            output: `nothing to revert: no commit of train ${request.trainId} for ${steps} on ${this.options.branch}`,
          },
        };
      }
      const shas = targets.map((commit) => commit.sha);
      const reverting = await this.git.tryRun(["revert", "--no-commit", "--no-edit", ...shas], { signal });
      if (reverting.exitCode !== 0) throw await this.revertFailed(request, targets, reverting.stderr, signal);
      const changed = await this.git.run(["diff", "--cached", "--name-only"], { signal });
      const files = changed.stdout.split("\n").filter(Boolean);
      const summary = [
        ...targets.map((commit) => `reverted ${commit.sha.slice(0, 12)} "${commit.subject}"`),
        files.length > 0 ? `files changed: ${files.join(", ")}` : "no file changed (already back)",
      ];
      const message = [
        `rollback ${request.component} in ${request.environments.join(", ")} (train ${request.trainId}, wave ${request.wave})`,
        "",
        `This reverts commit ${shas.join(", ")}.`,
        "",
        `${TRAILER.train}: ${request.trainId}`,
        `${TRAILER.step}: ${key.stepKey}`,
        `${TRAILER.idempotencyKey}: ${request.idempotencyKey}`,
        `${TRAILER.reverts}: ${shas.join(" ")}`,
      ].join("\n");
      return { kind: "commit", message, summary };
    });
  }

  /**
   * The loop shared by deploy and rollback: sync with the remote, stop if the key is already
   * there, prepare the change, commit, push; if the push lost a race, start over on top of the
   * remote after a backoff.
   */
  private attempt(
    request: DeployRequest,
    action: "deploy" | "rollback",
    prepare: (state: SyncState) => Promise<Prepared>,
  ): Promise<DeployResult> {
    const signal = request.signal;
    return withCloneLock(this.cloneDir, async () => {
      for (let attempt = 1; ; attempt++) {
        const state = await this.sync(signal);
        if (state === "ready") {
          const existing = await findCommitByTrailer(
            this.git,
            this.remoteRef,
            TRAILER.idempotencyKey,
            request.idempotencyKey,
            { signal },
          );
          if (existing) {
            return {
              alreadyDone: true,
              reference: existing.sha,
              output: `already done: commit ${existing.sha.slice(0, 12)} "${existing.subject}" on ${this.options.branch} carries ${TRAILER.idempotencyKey}: ${request.idempotencyKey}; nothing changed`,
            };
          }
        }
        const prepared = await prepare(state);
        if (prepared.kind === "finished") return prepared.result;
        await this.git.run(["commit", "-q", "--allow-empty", "--no-verify", "-m", prepared.message], {
          signal,
        });
        const sha = (await this.git.run(["rev-parse", "HEAD"], { signal })).stdout.trim();
        const pushed = await this.git.tryRun(
          ["push", "--porcelain", "origin", `HEAD:refs/heads/${this.options.branch}`],
          { signal },
        );
        if (pushed.exitCode === 0) {
          const where = `${this.options.branch} of ${redactCredentials(this.options.repository)}`;
          const retried = attempt > 1 ? ` after ${attempt} attempts (the branch moved meanwhile)` : "";
          return {
            alreadyDone: false,
            reference: sha,
            output: [...prepared.summary, `commit ${sha.slice(0, 12)} pushed to ${where}${retried}`].join(
              "\n",
            ),
          };
        }
        const report = `${pushed.stdout}\n${pushed.stderr}`;
        if (!REMOTE_MOVED.test(report)) {
          throw new GitError(
            `git push origin HEAD:refs/heads/${this.options.branch}`,
            pushed.exitCode,
            redactCredentials(report.trim()),
          );
        }
        if (attempt >= this.maxPushAttempts) {
          throw new GitError(
            `git push origin HEAD:refs/heads/${this.options.branch}`,
            pushed.exitCode,
            `${action} of ${request.component} rejected ${attempt} times because ${this.options.branch} kept moving; the step can be retried: ${redactCredentials(report.trim())}`,
          );
        }
        await abortableDelay(backoffDelay(attempt, this.options.backoff), signal);
      }
    });
  }

  /** Makes the clone match the remote branch exactly; "unborn" when the remote repository is empty. */
  private async sync(signal: AbortSignal): Promise<SyncState> {
    const branch = this.options.branch;
    await this.ensureClone(signal);
    const fetched = await this.git.tryRun(
      ["fetch", "-q", "--prune", "--no-tags", "origin", `+refs/heads/${branch}:${this.remoteRef}`],
      { signal },
    );
    if (fetched.exitCode !== 0) {
      if (!/couldn't find remote ref/i.test(fetched.stderr)) {
        throw new GitError("git fetch origin", fetched.exitCode, redactCredentials(fetched.stderr));
      }
      const heads = (await this.git.run(["ls-remote", "--heads", "origin"], { signal })).stdout
        .split("\n")
        .map((line) => line.split("\t")[1]?.replace(/^refs\/heads\//, ""))
        .filter((name): name is string => Boolean(name));
      if (heads.length > 0) {
        throw new GitopsError(
          `deployers.${this.options.name}.branch: branch "${branch}" does not exist in ${redactCredentials(this.options.repository)} (it has ${heads.join(", ")}); create it or change the branch`,
        );
      }
      // An empty repository: the first commit creates the branch.
      await this.git.tryRun(["update-ref", "-d", this.remoteRef], { signal });
      await this.git.run(["symbolic-ref", "HEAD", `refs/heads/${branch}`], { signal });
      await this.git.tryRun(["update-ref", "-d", `refs/heads/${branch}`], { signal });
      await this.git.run(["read-tree", "--empty"], { signal });
      await this.git.run(["clean", "-q", "-ffdx"], { signal });
      return "unborn";
    }
    await this.git.run(["checkout", "-q", "-f", "-B", branch, this.remoteRef], { signal });
    await this.git.run(["reset", "-q", "--hard", this.remoteRef], { signal });
    await this.git.run(["clean", "-q", "-ffdx"], { signal });
    return "ready";
  }

  /** Creates the clone if missing and repairs what a killed git process may have left. */
  private async ensureClone(signal: AbortSignal): Promise<void> {
    const gitDir = join(this.cloneDir, ".git");
    let usable = existsSync(gitDir);
    if (usable) {
      const check = await this.git.tryRun(["rev-parse", "--git-dir"], { signal });
      usable = check.exitCode === 0;
    }
    if (!usable) {
      await rm(this.cloneDir, { recursive: true, force: true });
      await mkdir(this.cloneDir, { recursive: true });
      await this.git.run(["init", "-q", "-b", this.options.branch], { signal });
    } else {
      // Only this process works in this clone (see the class comment), and not right now:
      // any lock or half-done revert is left over from a crash.
      for (const lock of STALE_LOCKS) await rm(join(gitDir, lock), { force: true });
      await rm(join(gitDir, "refs", "heads", `${this.options.branch}.lock`), { force: true });
      await rm(join(gitDir, "refs", "remotes", "origin", `${this.options.branch}.lock`), { force: true });
      await rm(join(gitDir, "sequencer"), { recursive: true, force: true });
    }
    await this.git.run(["config", "remote.origin.url", this.options.repository], { signal });
    await this.git.run(
      ["config", "remote.origin.fetch", `+refs/heads/${this.options.branch}:${this.remoteRef}`],
      { signal },
    );
  }

  /** Builds the conflict error (naming files and the commits that changed them) and leaves the clone clean. */
  private async revertFailed(
    request: DeployRequest,
    targets: RailyardCommit[],
    stderr: string,
    signal: AbortSignal,
  ): Promise<Error> {
    const unmerged = await this.git.run(["diff", "--name-only", "--diff-filter=U"], { signal });
    const files = unmerged.stdout.split("\n").filter(Boolean);
    let error: Error;
    if (files.length === 0) {
      error = new GitError(
        `git revert --no-commit ${targets.map((commit) => commit.sha).join(" ")}`,
        1,
        redactCredentials(stderr),
      );
    } else {
      const oldest = targets.at(-1)!.sha;
      const targetShas = new Set(targets.map((commit) => commit.sha));
      const since = await this.git.run(
        ["log", "--format=%H%x09%s", `${oldest}..${this.remoteRef}`, "--", ...files],
        { signal },
      );
      const changedBy = since.stdout
        .split("\n")
        .filter(Boolean)
        .map((line) => {
          const [sha = "", ...subject] = line.split("\t");
          return { sha, subject: subject.join("\t") };
        })
        .filter((commit) => !targetShas.has(commit.sha));
      const by =
        changedBy.length > 0
          ? `, changed since by ${changedBy.map((commit) => `${commit.sha.slice(0, 12)} "${commit.subject}"`).join(", ")}`
          : "";
      error = new RevertConflictError(
        `cannot roll back ${request.component} (train ${request.trainId}, step ${[...new Set(targets.map((commit) => commit.trailers[TRAILER.step]))].join(", ")}): reverting ${targets
          .map((commit) => commit.sha.slice(0, 12))
          .join(
            ", ",
          )} conflicts in ${files.join(", ")}${by}. Nothing was pushed; resolve it in ${this.options.branch} by hand.`,
        files,
        changedBy,
      );
    }
    await this.git.tryRun(["revert", "--abort"], { signal });
    await this.git.run(["reset", "-q", "--hard", this.remoteRef], { signal });
    await this.git.run(["clean", "-q", "-ffdx"], { signal });
    return error;
  }

  /** A file path inside the clone, relative to its root. @throws {GitopsError} when it would leave the repository. */
  private repositoryFile(file: string): string {
    const absolute = resolve(this.cloneDir, file);
    const inside = relative(this.cloneDir, absolute);
    if (inside === "" || inside.startsWith(`..${sep}`) || inside === ".." || isAbsolute(inside)) {
      throw new GitopsError(
        `deployers.${this.options.name}.file: "${file}" is not a file inside the repository`,
      );
    }
    return inside.split(sep).join("/");
  }
}

/** The version, if it has no control characters. @throws {GitopsError} otherwise. */
function checkedVersion(component: string, version: string): string {
  if ([...version].some((char) => char < " " || char === "\u007f")) {
    // A line break would let a version forge lines, trailers included, in the commit message.
    throw new GitopsError(
      `cannot deploy ${component}: version ${JSON.stringify(version)} contains control characters`,
    );
  }
  return version;
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}
