import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CiReport,
  ciNotReadyReason,
  commitMatches,
  foldCiStatus,
  githubCiState,
  gitlabCiState,
  repositoryPath,
} from "./ci-status.js";

const SHA = "3484a3fb816e0859fd6e1cea078d76385ff50625";

function report(overrides: Partial<CiReport> & Pick<CiReport, "name" | "state" | "reportedAt">): CiReport {
  return {
    provider: "github",
    repository: "octo-org/octo-repo",
    commit: SHA,
    conclusion: null,
    url: null,
    ref: "main",
    ...overrides,
  };
}

describe("repositoryPath", () => {
  it.each([
    ["https://github.com/Acme/API", "acme/api"],
    ["https://github.com/acme/api/", "acme/api"],
    ["https://github.com/acme/api.git", "acme/api"],
    ["https://gitlab.example.com/group/sub/api.git", "group/sub/api"],
    ["https://user:secret@gitlab.example.com:8443/Group/Sub/API.git/", "group/sub/api"],
    ["ssh://git@gitlab.example.com:2222/group/api.git", "group/api"],
    ["git@github.com:acme/api.git", "acme/api"],
    ["git@gitlab.example.com:Group/Sub/Api", "group/sub/api"],
    ["acme/api", "acme/api"],
    ["Acme/API.git", "acme/api"],
    ["/acme/api/", "acme/api"],
    ["  acme/api  ", "acme/api"],
  ])("%s → %s", (configured, path) => {
    expect(repositoryPath(configured)).toBe(path);
  });

  it("matches what webhooks name the repository by (full_name, path_with_namespace)", () => {
    expect(repositoryPath("https://github.com/Octo-Org/Octo-Repo")).toBe(
      repositoryPath("octo-org/octo-repo"),
    );
  });

  it("is idempotent", () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,10}$/);
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), (segments) => {
        const once = repositoryPath(`https://example.com/${segments.join("/")}.git`);
        expect(repositoryPath(once)).toBe(once);
      }),
    );
  });
});

describe("commitMatches", () => {
  it.each([
    [SHA, SHA, true],
    [SHA, "3484a3f", true],
    ["3484A3F", SHA, true],
    [SHA.toUpperCase(), SHA, true],
    ["3484a3fb81", "3484a3f", true],
    [SHA, "3484a3", false],
    [SHA, "3484a3e", false],
    [SHA, "", false],
    ["zzzzzzz", "zzzzzzz", false],
    ["3484a3fb816e0859fd6e1cea078d76385ff50625", "3484a3fb816e0859fd6e1cea078d76385ff50626", false],
  ])("%s ~ %s: %s", (a, b, same) => {
    expect(commitMatches(a, b)).toBe(same);
    expect(commitMatches(b, a)).toBe(same);
  });
});

describe("githubCiState", () => {
  it.each([
    ["completed", "success", "success"],
    ["completed", "neutral", "success"],
    ["completed", "skipped", "success"],
    ["completed", "failure", "failure"],
    ["completed", "cancelled", "failure"],
    ["completed", "timed_out", "failure"],
    ["completed", "action_required", "failure"],
    ["completed", "startup_failure", "failure"],
    ["completed", "stale", "failure"],
    ["completed", "a_conclusion_github_adds_later", "failure"],
    ["completed", null, "failure"],
    ["queued", null, "pending"],
    ["in_progress", null, "pending"],
    ["requested", null, "pending"],
    ["waiting", null, "pending"],
    ["pending", null, "pending"],
    // A re-requested suite is queued again while the previous conclusion is still in the payload.
    ["queued", "failure", "pending"],
    [null, "success", "success"],
    [null, null, "pending"],
  ] as const)("status %s, conclusion %s → %s", (status, conclusion, state) => {
    expect(githubCiState(status, conclusion)).toBe(state);
  });
});

describe("gitlabCiState", () => {
  it.each([
    ["success", "success"],
    ["skipped", "success"],
    ["failed", "failure"],
    ["canceled", "failure"],
    ["canceling", "failure"],
    ["created", "pending"],
    ["waiting_for_resource", "pending"],
    ["preparing", "pending"],
    ["pending", "pending"],
    ["running", "pending"],
    ["scheduled", "pending"],
    ["manual", "pending"],
  ] as const)("%s → %s", (status, state) => {
    expect(gitlabCiState(status)).toBe(state);
  });
});

describe("foldCiStatus", () => {
  it("is none without reports", () => {
    expect(foldCiStatus([])).toEqual({ state: "none", failing: [], pending: [], reports: [] });
  });

  it("keeps the completed run when its in-progress event is delivered after it", () => {
    const completed = report({ name: "test", state: "success", reportedAt: "2020-10-05T16:33:49Z" });
    const inProgress = report({ name: "test", state: "pending", reportedAt: "2020-10-05T16:33:30Z" });
    const folded = foldCiStatus([completed, inProgress]);
    expect(folded.state).toBe("success");
    expect(folded.reports).toEqual([completed]);
  });

  it("lets a later re-run replace the failed run of the same workflow", () => {
    const failed = report({ name: "test", state: "failure", reportedAt: "2026-01-05T10:00:00Z" });
    const rerun = report({ name: "test", state: "success", reportedAt: "2026-01-05T10:20:00Z" });
    expect(foldCiStatus([rerun, failed]).state).toBe("success");
    expect(foldCiStatus([failed, rerun]).state).toBe("success");
  });

  it("compares times, not their spelling", () => {
    const later = report({ name: "test", state: "failure", reportedAt: "2026-01-05T10:00:00.500Z" });
    const earlier = report({ name: "test", state: "success", reportedAt: "2026-01-05T11:00:00+02:00" });
    expect(foldCiStatus([later, earlier]).state).toBe("failure");
  });

  it("on equal times keeps the report received last", () => {
    const running = report({
      name: "pipeline:push",
      provider: "gitlab",
      state: "pending",
      reportedAt: "2026-01-05T10:00:00Z",
    });
    const failed = report({
      name: "pipeline:push",
      provider: "gitlab",
      state: "failure",
      reportedAt: "2026-01-05T10:00:00Z",
    });
    expect(foldCiStatus([running, failed]).state).toBe("failure");
    expect(foldCiStatus([failed, running]).state).toBe("pending");
  });

  it("fails when any source failed, whatever the others say", () => {
    const folded = foldCiStatus([
      report({ name: "build", state: "success", reportedAt: "2026-01-05T10:00:00Z" }),
      report({ name: "lint", state: "pending", reportedAt: "2026-01-05T10:00:00Z" }),
      report({
        name: "pipeline:push",
        provider: "gitlab",
        state: "failure",
        reportedAt: "2026-01-05T09:00:00Z",
      }),
    ]);
    expect(folded.state).toBe("failure");
    expect(folded.failing.map((r) => r.name)).toEqual(["pipeline:push"]);
    expect(folded.pending.map((r) => r.name)).toEqual(["lint"]);
    expect(folded.reports.map((r) => r.name)).toEqual(["build", "lint", "pipeline:push"]);
  });

  it("is pending while a source runs and nothing failed", () => {
    const folded = foldCiStatus([
      report({ name: "build", state: "success", reportedAt: "2026-01-05T10:00:00Z" }),
      report({ name: "e2e", state: "pending", reportedAt: "2026-01-05T10:01:00Z" }),
    ]);
    expect(folded.state).toBe("pending");
  });

  it("keeps sources of different providers apart even with the same name", () => {
    const folded = foldCiStatus([
      report({ name: "ci", provider: "push", state: "failure", reportedAt: "2026-01-05T10:00:00Z" }),
      report({ name: "ci", provider: "github", state: "success", reportedAt: "2026-01-05T11:00:00Z" }),
    ]);
    expect(folded.state).toBe("failure");
    expect(folded.reports).toHaveLength(2);
  });

  it("does not depend on delivery order when each source's times differ", () => {
    const arbitraryReport = fc.record({
      name: fc.constantFrom("build", "lint", "e2e"),
      provider: fc.constantFrom("github" as const, "gitlab" as const),
      state: fc.constantFrom("pending" as const, "success" as const, "failure" as const),
      reportedAt: fc
        .integer({ min: 0, max: 10_000 })
        .map((s) => new Date(Date.UTC(2026, 0, 5) + s * 1000).toISOString()),
    });
    fc.assert(
      fc.property(
        fc
          .uniqueArray(arbitraryReport, {
            maxLength: 12,
            selector: (r) => `${r.provider}|${r.name}|${r.reportedAt}`,
          })
          .chain((reports) =>
            fc.tuple(fc.constant(reports), fc.shuffledSubarray(reports, { minLength: reports.length })),
          ),
        ([reports, shuffled]) => {
          const a = foldCiStatus(reports.map((r) => report(r)));
          const b = foldCiStatus(shuffled.map((r) => report(r)));
          expect(b).toEqual(a);
        },
      ),
    );
  });
});

describe("ciNotReadyReason", () => {
  const failedBuild = report({
    name: "Build",
    state: "failure",
    conclusion: "failure",
    url: "https://github.com/acme/api/actions/runs/1",
    reportedAt: "2026-01-05T10:00:00Z",
  });
  const failedLint = report({
    name: "lint",
    state: "failure",
    conclusion: "timed_out",
    url: "https://github.com/acme/api/actions/runs/2",
    reportedAt: "2026-01-05T10:00:00Z",
  });
  const running = report({
    name: "Build",
    state: "pending",
    conclusion: "in_progress",
    reportedAt: "2026-01-05T10:00:00Z",
  });
  const passed = report({
    name: "Build",
    state: "success",
    conclusion: "success",
    reportedAt: "2026-01-05T10:00:00Z",
  });

  it("names the failed source and links it", () => {
    expect(ciNotReadyReason(SHA, foldCiStatus([failedBuild]), "if-reported")).toBe(
      "CI failed on commit 3484a3f (Build: https://github.com/acme/api/actions/runs/1)",
    );
  });

  it("names every failed source and links the first", () => {
    const e2e = report({ name: "e2e", state: "pending", reportedAt: "2026-01-05T10:00:00Z" });
    expect(ciNotReadyReason(SHA, foldCiStatus([failedLint, failedBuild, e2e]), "required")).toBe(
      "CI failed on commit 3484a3f (Build, lint: https://github.com/acme/api/actions/runs/1)",
    );
  });

  it("names the failed source without a link when it has none", () => {
    const noLink = { ...failedBuild, url: null };
    expect(ciNotReadyReason(SHA, foldCiStatus([noLink]), "if-reported")).toBe(
      "CI failed on commit 3484a3f (Build)",
    );
  });

  it("names the sources still running", () => {
    const e2e = report({ name: "e2e", state: "pending", reportedAt: "2026-01-05T10:00:00Z" });
    expect(ciNotReadyReason(SHA, foldCiStatus([passed, e2e]), "if-reported")).toBe(
      "CI still running on commit 3484a3f (e2e)",
    );
    expect(ciNotReadyReason(SHA, foldCiStatus([running, e2e]), "required")).toBe(
      "CI still running on commit 3484a3f (Build, e2e)",
    );
  });

  it("holds a commit without CI status only when CI is required", () => {
    expect(ciNotReadyReason(SHA, foldCiStatus([]), "required")).toBe("no CI status for commit 3484a3f");
    expect(ciNotReadyReason(SHA, foldCiStatus([]), "if-reported")).toBeNull();
  });

  it("lets a successful commit board under either policy", () => {
    expect(ciNotReadyReason(SHA, foldCiStatus([passed]), "required")).toBeNull();
    expect(ciNotReadyReason(SHA, foldCiStatus([passed]), "if-reported")).toBeNull();
  });

  it("shortens the commit to 7 lowercase characters", () => {
    expect(ciNotReadyReason("ABCDEF0123", foldCiStatus([]), "required")).toBe(
      "no CI status for commit abcdef0",
    );
  });
});
