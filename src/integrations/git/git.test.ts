import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Git, GitError, isRemoteUrl, redactCredentials } from "./git.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "railyard-git-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function gitIn(cwd: string, timeoutMs = 30_000): Git {
  return new Git({ cwd, author: { name: "Rail Yard", email: "ry@example.com" }, timeoutMs });
}

describe("Git", () => {
  it("commits as the configured author without hooks or signing", async () => {
    const git = gitIn(dir);
    await git.run(["init", "-q", "-b", "main"]);
    // A failing hook and a signing requirement in the repository itself are ignored.
    await git.run(["config", "commit.gpgsign", "true"]);
    await writeFile(join(dir, ".git", "hooks", "pre-commit"), "#!/bin/sh\nexit 1\n", { mode: 0o755 });
    await git.run(["commit", "-q", "--allow-empty", "-m", "first"]);
    const { stdout } = await git.run(["log", "-1", "--format=%an <%ae> %cn <%ce>"]);
    expect(stdout.trim()).toBe("Rail Yard <ry@example.com> Rail Yard <ry@example.com>");
  });

  it("throws GitError with the command and stderr, and returns the exit code from tryRun", async () => {
    const git = gitIn(dir);
    const failure = await git.run(["rev-parse", "--verify", "no-such-ref"]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GitError);
    expect((failure as GitError).command).toBe("git rev-parse --verify no-such-ref");
    expect((failure as GitError).exitCode).toBe(128);
    expect((failure as GitError).message).toMatch(
      /^git rev-parse --verify no-such-ref failed with exit code 128: fatal:/,
    );
    expect((await git.tryRun(["rev-parse", "--verify", "no-such-ref"])).exitCode).toBe(128);
  });

  it("never shows credentials of a repository URL", async () => {
    const git = gitIn(dir);
    await git.run(["init", "-q"]);
    const url = "http://deploy-bot:s3cr3t-token@127.0.0.1:1/org/repo.git";
    const failure = (await git.run(["fetch", url]).catch((error: unknown) => error)) as GitError;
    expect(failure).toBeInstanceOf(GitError);
    expect(failure.message).not.toContain("s3cr3t-token");
    expect(failure.command).toBe("git fetch http://127.0.0.1:1/org/repo.git");
    expect(failure.stderr).not.toContain("s3cr3t-token");
  });

  it("kills git after the timeout", async () => {
    // hash-object --stdin waits for input that never comes.
    const failure = (await gitIn(dir, 300)
      .run(["hash-object", "--stdin"])
      .catch((error: unknown) => error)) as GitError;
    expect(failure).toBeInstanceOf(GitError);
    expect(failure.timedOut).toBe(true);
    expect(failure.message).toMatch(/timed out/);
  });

  it("rejects with the abort reason when aborted", async () => {
    const controller = new AbortController();
    const pending = gitIn(dir).run(["hash-object", "--stdin"], { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("redactCredentials and isRemoteUrl", () => {
  it("removes user info from every URL in a text", () => {
    expect(redactCredentials("cannot reach https://bot:tok@example.com/a.git and ssh://git@host/x")).toBe(
      "cannot reach https://example.com/a.git and ssh://host/x",
    );
    expect(redactCredentials("/srv/git/repo.git")).toBe("/srv/git/repo.git");
  });

  it("tells addresses from local paths", () => {
    expect(isRemoteUrl("https://example.com/org/repo.git")).toBe(true);
    expect(isRemoteUrl("file:///srv/repo.git")).toBe(true);
    expect(isRemoteUrl("git@github.com:org/repo.git")).toBe(true);
    expect(isRemoteUrl("/srv/git/repo.git")).toBe(false);
    expect(isRemoteUrl("../gitops")).toBe(false);
    expect(isRemoteUrl("repos/with:colon")).toBe(false);
  });
});
