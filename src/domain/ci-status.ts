/**
 * CI status of a commit, as boarding reads it: where a status comes from (a GitHub workflow or
 * check suite, a GitLab pipeline, the artifact push), how each provider's words map to
 * `pending | success | failure`, how many reports fold into one status per commit, and the
 * sentence a held candidate gets.
 *
 * Folding: each source (provider and name) keeps its latest report; the commit is `failure` if
 * any source failed, else `pending` if any still runs, else `success` (`none` without reports).
 */
import type { CiState, CiStatus } from "./model.js";

export type { CiState } from "./model.js";

/** One CI report of one commit from one source; the same record the store keeps. */
export type CiReport = CiStatus;

/** A line's `boarding.ci`: `required` needs a success, `if-reported` holds only on failure or pending. */
export type CiPolicy = "required" | "if-reported";

/** The CI status of one commit, folded from its reports. */
export interface FoldedCiStatus {
  /** `none`: no report at all. */
  state: CiState | "none";
  /** The latest report of each failed source, in the order of `reports`. */
  failing: CiReport[];
  /** The latest report of each source still running, in the order of `reports`. */
  pending: CiReport[];
  /** The latest report of each source (provider, name), sorted by name then provider. */
  reports: CiReport[];
}

const GITHUB_SUCCESS = new Set(["success", "neutral", "skipped"]);
const GITHUB_PENDING = new Set(["queued", "in_progress", "requested", "waiting", "pending"]);
const GITLAB_SUCCESS = new Set(["success", "skipped"]);
// `canceling` is GitLab's way to `canceled`: it can no longer succeed.
const GITLAB_FAILURE = new Set(["failed", "canceled", "canceling"]);

/**
 * The state of a GitHub workflow run or check suite. A status that is still moving (queued,
 * in_progress, requested, waiting, pending) is `pending` whatever conclusion an earlier run left;
 * otherwise the conclusion decides: success, neutral and skipped pass, every other conclusion
 * (failure, cancelled, timed_out, action_required, startup_failure, stale, and any GitHub adds
 * later) fails, so nothing unknown boards. Completed without a conclusion fails; no status and no
 * conclusion is `pending`.
 */
export function githubCiState(status: string | null, conclusion: string | null): CiState {
  if (status !== null && GITHUB_PENDING.has(status)) return "pending";
  if (conclusion === null) return status === "completed" ? "failure" : "pending";
  return GITHUB_SUCCESS.has(conclusion) ? "success" : "failure";
}

/**
 * The state of a GitLab pipeline status: success and skipped pass; failed, canceled and canceling
 * fail; created, waiting_for_resource, preparing, pending, running, scheduled, manual and any
 * other status are `pending` (the pipeline has not finished).
 */
export function gitlabCiState(status: string): CiState {
  if (GITLAB_SUCCESS.has(status)) return "success";
  if (GITLAB_FAILURE.has(status)) return "failure";
  return "pending";
}

/**
 * The path a repository is matched by: lowercase, without host, `.git` or slashes at either end.
 * `https://github.com/Acme/API` → `acme/api`, `https://gitlab.example.com/group/sub/api.git` →
 * `group/sub/api`, `git@github.com:acme/api.git` → `acme/api`, `acme/api` → `acme/api`.
 */
export function repositoryPath(repository: string): string {
  let path = repository.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(path);
  if (scheme) {
    // The URL parser drops credentials, port, query and fragment.
    path = URL.canParse(path) ? new URL(path).pathname : path.slice(scheme[0].length).replace(/^[^/]*/, "");
  } else {
    const scp = /^[^/@:]+@[^/:]+:(.*)$/.exec(path);
    if (scp) path = scp[1]!;
  }
  return path
    .replace(/\/+$/, "")
    .replace(/\.git$/i, "")
    .replace(/^\/+|\/+$/g, "")
    .toLowerCase();
}

const COMMIT = /^[0-9a-f]{7,64}$/;

/**
 * True when two commit SHAs name the same commit: both are 7 to 64 hex digits (any case) and the
 * shorter is a prefix of the longer, so an abbreviated SHA matches its full form.
 */
export function commitMatches(a: string, b: string): boolean {
  const x = a.trim().toLowerCase();
  const y = b.trim().toLowerCase();
  if (!COMMIT.test(x) || !COMMIT.test(y)) return false;
  return x.length <= y.length ? y.startsWith(x) : x.startsWith(y);
}

function reportedTime(report: CiReport): number {
  const time = Date.parse(report.reportedAt);
  // A report without a readable time loses to every report with one.
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

/**
 * Folds the reports of one commit into its status. Each (provider, name) keeps the report with
 * the latest `reportedAt`, so a delivery that arrives late (an in-progress event after the
 * completed one) changes nothing; on equal times the report later in `reports` wins, so pass
 * them in the order they were received. A re-run that passes replaces the failed run it repeats.
 */
export function foldCiStatus(reports: readonly CiReport[]): FoldedCiStatus {
  const latest = new Map<string, CiReport>();
  for (const report of reports) {
    const key = `${report.provider}\u0000${report.name}`;
    const kept = latest.get(key);
    if (kept === undefined || reportedTime(report) >= reportedTime(kept)) latest.set(key, report);
  }
  const kept = [...latest.values()].sort(
    (a, b) => compareText(a.name, b.name) || compareText(a.provider, b.provider),
  );
  const failing = kept.filter((r) => r.state === "failure");
  const pending = kept.filter((r) => r.state === "pending");
  const state =
    kept.length === 0 ? "none" : failing.length > 0 ? "failure" : pending.length > 0 ? "pending" : "success";
  return { state, failing, pending, reports: kept };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sourceNames(reports: readonly CiReport[]): string {
  return [...new Set(reports.map((r) => r.name))].join(", ");
}

/**
 * Why a commit's CI status keeps its candidate from boarding, as the part of the held sentence
 * after "held: ", or null when CI lets it board:
 * - `CI failed on commit abc1234 (build, lint: https://…)`: the failed sources, and the link of the first;
 * - `CI still running on commit abc1234 (build)`: the sources still running;
 * - `no CI status for commit abc1234`: only under `required`.
 *
 * @param commit the candidate's commit; the sentence shows its first 7 characters
 */
export function ciNotReadyReason(commit: string, folded: FoldedCiStatus, policy: CiPolicy): string | null {
  const short = commit.trim().toLowerCase().slice(0, 7);
  switch (folded.state) {
    case "failure": {
      const url = folded.failing[0]?.url;
      const names = sourceNames(folded.failing);
      return `CI failed on commit ${short} (${url ? `${names}: ${url}` : names})`;
    }
    case "pending":
      return `CI still running on commit ${short} (${sourceNames(folded.pending)})`;
    case "none":
      return policy === "required" ? `no CI status for commit ${short}` : null;
    case "success":
      return null;
    default: {
      const unreachable: never = folded.state;
      throw new Error(`unknown CI state ${String(unreachable)}`);
    }
  }
}
