/**
 * A small runner for the `git` command line: no shell, a timeout and an `AbortSignal` on every
 * call, no prompts, no hooks, no signing, an explicit author, and errors that never show the
 * credentials a repository URL may carry.
 */
import { execFile } from "node:child_process";

/** Name and email written as author and committer. */
export interface GitIdentity {
  name: string;
  email: string;
}

export interface GitOptions {
  /** Directory the commands run in (the working clone). */
  cwd: string;
  /** Author and committer of every commit. */
  author: GitIdentity;
  /** Limit for one git command. */
  timeoutMs: number;
}

export interface GitRunOptions {
  signal?: AbortSignal;
  /** Run somewhere else than {@link GitOptions.cwd}. */
  cwd?: string;
}

export interface GitOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * Thrown when a git command fails, times out or cannot start. `command` and `stderr` have URL
 * credentials removed.
 */
export class GitError extends Error {
  override readonly name = "GitError";
  constructor(
    /** The command as typed, e.g. `git push origin HEAD:refs/heads/main`, without credentials. */
    readonly command: string,
    /** Exit code, or null when git was killed or did not start. */
    readonly exitCode: number | null,
    /** What git printed on stderr, without credentials. */
    readonly stderr: string,
    readonly timedOut = false,
  ) {
    const detail = stderr.trim();
    const how = timedOut
      ? "timed out"
      : exitCode === null
        ? "could not run"
        : `failed with exit code ${exitCode}`;
    super(`${command} ${how}${detail ? `: ${detail}` : ""}`);
  }
}

/** Flags put before every command: reproducible behaviour whatever the user's git configuration says. */
const GLOBAL_FLAGS = [
  "-c",
  "core.hooksPath=/dev/null",
  "-c",
  "commit.gpgsign=false",
  "-c",
  "tag.gpgsign=false",
  "-c",
  "core.autocrlf=false",
  "-c",
  "core.quotepath=off",
  "-c",
  "advice.detachedHead=false",
];

/** Variables that would point git at another repository than the one we mean. */
const REPOSITORY_VARIABLES = [
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_INDEX_FILE",
  "GIT_OBJECT_DIRECTORY",
  "GIT_ALTERNATE_OBJECT_DIRECTORIES",
  "GIT_COMMON_DIR",
  "GIT_NAMESPACE",
  "GIT_PREFIX",
];

const MAX_BUFFER = 64 * 1024 * 1024;

/**
 * Removes the user-info part (`user:token@`) of URLs in a text, so a message can show a
 * repository address without its credentials.
 */
export function redactCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi, "$1");
}

/** Runs git commands in one directory. */
export class Git {
  private readonly env: NodeJS.ProcessEnv;

  constructor(readonly options: GitOptions) {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of REPOSITORY_VARIABLES) delete env[name];
    delete env.LANGUAGE;
    Object.assign(env, {
      GIT_TERMINAL_PROMPT: "0",
      // Messages are matched (push rejections, missing branches): keep them in English.
      LC_ALL: "C",
      GIT_AUTHOR_NAME: options.author.name,
      GIT_AUTHOR_EMAIL: options.author.email,
      GIT_COMMITTER_NAME: options.author.name,
      GIT_COMMITTER_EMAIL: options.author.email,
    });
    // Never wait for a host-key or passphrase prompt nobody will answer.
    if (env.GIT_SSH_COMMAND === undefined && env.GIT_SSH === undefined) {
      env.GIT_SSH_COMMAND = "ssh -o BatchMode=yes";
    }
    this.env = env;
  }

  /**
   * Runs `git <args>` and returns its output.
   * @throws {GitError} when git exits non-zero, times out or cannot start.
   * @throws the signal's reason (an `AbortError`) when aborted.
   */
  async run(args: string[], options: GitRunOptions = {}): Promise<GitOutput> {
    const result = await this.tryRun(args, options);
    if (result.exitCode !== 0) {
      throw new GitError(describe(args), result.exitCode, redactCredentials(result.stderr));
    }
    return result;
  }

  /**
   * Runs `git <args>`; a non-zero exit is returned, not thrown.
   * @throws {GitError} when git times out or cannot start.
   * @throws the signal's reason (an `AbortError`) when aborted.
   */
  tryRun(args: string[], options: GitRunOptions = {}): Promise<GitOutput> {
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      execFile(
        "git",
        [...GLOBAL_FLAGS, ...args],
        {
          cwd: options.cwd ?? this.options.cwd,
          env: this.env,
          timeout: this.options.timeoutMs,
          signal,
          maxBuffer: MAX_BUFFER,
          encoding: "utf8",
          windowsHide: true,
        },
        (error, stdout, stderr) => {
          if (!error) {
            resolve({ stdout, stderr, exitCode: 0 });
            return;
          }
          if (signal?.aborted) {
            reject(signal.reason);
            return;
          }
          const failure = error as NodeJS.ErrnoException & { killed?: boolean; code?: unknown };
          if (typeof failure.code === "number") {
            resolve({ stdout, stderr, exitCode: failure.code });
            return;
          }
          if (failure.killed) {
            reject(
              new GitError(
                `${describe(args)} (limit ${this.options.timeoutMs} ms)`,
                null,
                redactCredentials(stderr),
                true,
              ),
            );
            return;
          }
          const reason =
            failure.code === "ENOENT" ? "the git program was not found on PATH" : String(failure.message);
          reject(new GitError(describe(args), null, redactCredentials(`${stderr}\n${reason}`.trim())));
        },
      );
    });
  }
}

function describe(args: string[]): string {
  const shown = args.map((arg) => {
    const line = arg.split("\n", 1)[0] ?? "";
    return line.length < arg.length || line.length > 120 ? `${JSON.stringify(line.slice(0, 120))}…` : arg;
  });
  return redactCredentials(["git", ...shown].join(" "));
}

/**
 * True when `repository` is a remote address (`https://…`, `ssh://…`, `file://…` or the scp-like
 * `git@host:org/repo.git`) rather than a path on this machine.
 */
export function isRemoteUrl(repository: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(repository)) return true;
  const colon = repository.indexOf(":");
  const slash = repository.indexOf("/");
  return colon > 0 && (slash === -1 || colon < slash);
}
