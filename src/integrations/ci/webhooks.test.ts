import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { foldCiStatus } from "../../domain/ci-status.js";
import {
  parseGithubWebhook,
  parseGitlabWebhook,
  verifyGithubSignature,
  verifyGitlabToken,
  WebhookPayloadError,
} from "./webhooks.js";

const fixture = (path: string) => readFileSync(new URL(`../../../test/fixtures/${path}`, import.meta.url));
// biome-ignore lint/suspicious/noExplicitAny: payloads are edited freely to build variants
const json = (path: string): any => JSON.parse(fixture(path).toString("utf8"));

const WORKFLOW_RUN = "github-webhooks/workflow_run_completed.payload.json";
const CHECK_SUITE = "github-webhooks/check_suite_completed.payload.json";
const PUSH = "github-webhooks/push.payload.json";
const PIPELINE = "gitlab-webhooks/pipeline.json";
const MERGE_REQUEST = "gitlab-webhooks/merge_request.json";
const RECEIVED = "2026-01-05T09:00:00.000Z";

const SECRET = "It's a Secret to Everybody";
const sign = (body: Buffer, secret = SECRET) =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

describe("verifyGithubSignature", () => {
  const body = fixture(WORKFLOW_RUN);

  it("accepts the HMAC-SHA256 of the exact bytes with the secret", () => {
    expect(verifyGithubSignature(body, sign(body), SECRET)).toBe(true);
  });

  it("matches GitHub's documented example", () => {
    // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
    expect(
      verifyGithubSignature(
        Buffer.from("Hello, World!"),
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        SECRET,
      ),
    ).toBe(true);
  });

  it("refuses a signature made with another secret", () => {
    expect(verifyGithubSignature(body, sign(body, "another secret"), SECRET)).toBe(false);
  });

  it("refuses a body changed by one byte", () => {
    const changed = Buffer.from(body);
    const at = changed.indexOf("success");
    changed[at] = "S".charCodeAt(0);
    expect(verifyGithubSignature(changed, sign(body), SECRET)).toBe(false);
  });

  it("refuses the same JSON re-serialised", () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString("utf8"))));
    expect(verifyGithubSignature(reserialised, sign(body), SECRET)).toBe(false);
  });

  it("refuses a missing header", () => {
    expect(verifyGithubSignature(body, undefined, SECRET)).toBe(false);
  });

  it.each([
    ["empty", ""],
    ["without prefix", sign(body).slice("sha256=".length)],
    ["sha1", `sha1=${createHmac("sha1", SECRET).update(body).digest("hex")}`],
    ["not hex", `sha256=${"z".repeat(64)}`],
    ["too short", sign(body).slice(0, -2)],
    ["too long", `${sign(body)}00`],
  ])("refuses a malformed header (%s)", (_, header) => {
    expect(verifyGithubSignature(body, header, SECRET)).toBe(false);
  });

  it("refuses everything when the secret is empty", () => {
    expect(verifyGithubSignature(body, sign(body, ""), "")).toBe(false);
  });
});

describe("verifyGitlabToken", () => {
  it("accepts the configured token", () => {
    expect(verifyGitlabToken("s3cr3t-token", "s3cr3t-token")).toBe(true);
  });

  it.each([
    ["wrong", "s3cr3t-tokem"],
    ["a prefix", "s3cr3t"],
    ["longer", "s3cr3t-token2"],
    ["empty", ""],
  ])("refuses a %s token", (_, header) => {
    expect(verifyGitlabToken(header, "s3cr3t-token")).toBe(false);
  });

  it("refuses a missing header", () => {
    expect(verifyGitlabToken(undefined, "s3cr3t-token")).toBe(false);
  });

  it("refuses everything when the token is empty", () => {
    expect(verifyGitlabToken("", "")).toBe(false);
  });
});

describe("parseGithubWebhook: workflow_run", () => {
  it("reads the completed run of the fixture", () => {
    expect(parseGithubWebhook("workflow_run", json(WORKFLOW_RUN), RECEIVED)).toEqual({
      kind: "ci",
      reports: [
        {
          provider: "github",
          repository: "octo-org/octo-repo",
          commit: "3484a3fb816e0859fd6e1cea078d76385ff50625",
          // The fixture's workflow_run.name is empty: the workflow's name stands in.
          name: "test",
          state: "success",
          conclusion: "success",
          url: "https://github.com/octo-org/octo-repo/actions/runs/289782451",
          reportedAt: "2020-10-05T16:33:49.000Z",
          ref: "master",
        },
      ],
    });
  });

  it("prefers the run's own name", () => {
    const payload = json(WORKFLOW_RUN);
    payload.workflow_run.name = "Build";
    expect(report(parseGithubWebhook("workflow_run", payload, RECEIVED)).name).toBe("Build");
  });

  it("reads an in-progress run as pending", () => {
    const payload = json(WORKFLOW_RUN);
    payload.action = "in_progress";
    payload.workflow_run.status = "in_progress";
    payload.workflow_run.conclusion = null;
    payload.workflow_run.updated_at = "2020-10-05T16:33:30Z";
    const inProgress = report(parseGithubWebhook("workflow_run", payload, RECEIVED));
    expect(inProgress).toMatchObject({ state: "pending", conclusion: "in_progress", name: "test" });

    // Delivered after the completed event, it does not undo it.
    const completed = report(parseGithubWebhook("workflow_run", json(WORKFLOW_RUN), RECEIVED));
    expect(foldCiStatus([completed, inProgress]).state).toBe("success");
  });

  it.each([
    ["failure", "failure"],
    ["cancelled", "failure"],
    ["timed_out", "failure"],
    ["skipped", "success"],
  ])("reads conclusion %s as %s", (conclusion, state) => {
    const payload = json(WORKFLOW_RUN);
    payload.workflow_run.conclusion = conclusion;
    expect(report(parseGithubWebhook("workflow_run", payload, RECEIVED))).toMatchObject({
      state,
      conclusion,
    });
  });

  it("lowercases the repository and the commit", () => {
    const payload = json(WORKFLOW_RUN);
    payload.repository.full_name = "Octo-Org/Octo-Repo";
    payload.workflow_run.head_sha = payload.workflow_run.head_sha.toUpperCase();
    expect(report(parseGithubWebhook("workflow_run", payload, RECEIVED))).toMatchObject({
      repository: "octo-org/octo-repo",
      commit: "3484a3fb816e0859fd6e1cea078d76385ff50625",
    });
  });

  it("uses the delivery time when the payload has none", () => {
    const payload = json(WORKFLOW_RUN);
    delete payload.workflow_run.updated_at;
    expect(report(parseGithubWebhook("workflow_run", payload, RECEIVED)).reportedAt).toBe(RECEIVED);
  });

  it.each([
    [
      "workflow_run.head_sha",
      (p: Payload) => delete p.workflow_run.head_sha,
      /workflow_run\.head_sha is missing/,
    ],
    ["workflow_run.status", (p: Payload) => delete p.workflow_run.status, /workflow_run\.status is missing/],
    ["repository.full_name", (p: Payload) => delete p.repository, /repository is missing/],
    [
      "workflow_run.head_sha",
      (p: Payload) => {
        p.workflow_run.head_sha = "main";
      },
      /workflow_run\.head_sha is not a commit SHA/,
    ],
    [
      "workflow_run.conclusion",
      (p: Payload) => {
        p.workflow_run.conclusion = 1;
      },
      /workflow_run\.conclusion must be string, not number/,
    ],
    [
      "workflow_run.updated_at",
      (p: Payload) => {
        p.workflow_run.updated_at = "yesterday";
      },
      /workflow_run\.updated_at is not a timestamp/,
    ],
  ])("refuses a payload with a bad %s", (_, edit, message) => {
    const payload = json(WORKFLOW_RUN);
    edit(payload);
    expect(() => parseGithubWebhook("workflow_run", payload, RECEIVED)).toThrow(WebhookPayloadError);
    expect(() => parseGithubWebhook("workflow_run", payload, RECEIVED)).toThrow(message);
  });

  it("names the event and the field in the error", () => {
    const payload = json(WORKFLOW_RUN);
    delete payload.workflow_run.head_sha;
    const error = catchError(() => parseGithubWebhook("workflow_run", payload, RECEIVED));
    expect(error).toMatchObject({
      provider: "github",
      event: "workflow_run",
      field: "workflow_run.head_sha",
    });
    expect(error.message).toBe("GitHub workflow_run payload: workflow_run.head_sha is missing");
  });

  it("refuses a body that is not an object", () => {
    expect(() => parseGithubWebhook("workflow_run", "[]", RECEIVED)).toThrow(
      "GitHub workflow_run payload: the body must be object, not string",
    );
  });
});

describe("parseGithubWebhook: check_suite", () => {
  it("reads the completed suite of the fixture", () => {
    expect(parseGithubWebhook("check_suite", json(CHECK_SUITE), RECEIVED)).toEqual({
      kind: "ci",
      reports: [
        {
          provider: "github",
          repository: "codertocat/hello-world",
          commit: "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
          // The fixture's app has no slug: its name stands in.
          name: "octocoders-linter",
          state: "success",
          conclusion: "success",
          url: "https://github.com/Codertocat/Hello-World/commit/ec26c3e57ca3a959ca5aad62de7213c562f8c821/checks",
          reportedAt: "2019-05-15T15:21:14.000Z",
          ref: "changes",
        },
      ],
    });
  });

  it("names the suite after the app's slug when it has one", () => {
    const payload = json(CHECK_SUITE);
    payload.check_suite.app.slug = "github-actions";
    expect(report(parseGithubWebhook("check_suite", payload, RECEIVED)).name).toBe("github-actions");
  });

  it("reads a re-requested suite that is queued again as pending", () => {
    const payload = json(CHECK_SUITE);
    payload.action = "rerequested";
    payload.check_suite.status = "queued";
    expect(report(parseGithubWebhook("check_suite", payload, RECEIVED))).toMatchObject({
      state: "pending",
      conclusion: "queued",
    });
  });

  it("reads a failed suite as failure", () => {
    const payload = json(CHECK_SUITE);
    payload.check_suite.conclusion = "action_required";
    expect(report(parseGithubWebhook("check_suite", payload, RECEIVED))).toMatchObject({
      state: "failure",
      conclusion: "action_required",
    });
  });

  it("links the check suite's API URL when the repository has no html_url", () => {
    const payload = json(CHECK_SUITE);
    delete payload.repository.html_url;
    expect(report(parseGithubWebhook("check_suite", payload, RECEIVED)).url).toBe(
      "https://api.github.com/repos/Codertocat/Hello-World/check-suites/118578147",
    );
  });

  it("refuses a suite without an app", () => {
    const payload = json(CHECK_SUITE);
    delete payload.check_suite.app;
    expect(() => parseGithubWebhook("check_suite", payload, RECEIVED)).toThrow(
      "GitHub check_suite payload: check_suite.app is missing",
    );
  });
});

describe("parseGithubWebhook: other events", () => {
  it("ignores a ping", () => {
    expect(parseGithubWebhook("ping", { zen: "Keep it logically awesome.", hook_id: 1 })).toEqual({
      kind: "ignored",
      reason: "ping",
    });
  });

  it("ignores a push, which carries no CI status", () => {
    expect(parseGithubWebhook("push", json(PUSH))).toEqual({
      kind: "ignored",
      reason: "event push does not carry CI status",
    });
  });

  it("ignores a workflow_run payload sent under another event name", () => {
    expect(parseGithubWebhook("workflow_job", json(WORKFLOW_RUN))).toMatchObject({ kind: "ignored" });
  });
});

describe("parseGitlabWebhook", () => {
  it("reads the pipeline of the fixture", () => {
    expect(parseGitlabWebhook("Pipeline Hook", json(PIPELINE), RECEIVED)).toEqual({
      kind: "ci",
      reports: [
        {
          provider: "gitlab",
          repository: "gitlab-org/gitlab-test",
          commit: "bcbb5ec396a2c0f828686f14fac9b80b780504f2",
          name: "pipeline:merge_request_event",
          state: "success",
          conclusion: "success",
          url: "http://192.168.64.1:3005/gitlab-org/gitlab-test/-/pipelines/31",
          reportedAt: "2016-08-12T15:26:29.000Z",
          ref: "master",
        },
      ],
    });
  });

  it("links the pipeline's own url and uses its name when GitLab sends them", () => {
    const payload = json(PIPELINE);
    payload.object_attributes.url = "https://gitlab.example.com/gitlab-org/gitlab-test/-/pipelines/31";
    payload.object_attributes.name = "Nightly";
    expect(report(parseGitlabWebhook("Pipeline Hook", payload, RECEIVED))).toMatchObject({
      name: "Nightly",
      url: "https://gitlab.example.com/gitlab-org/gitlab-test/-/pipelines/31",
    });
  });

  it("names a pipeline without source `pipeline`", () => {
    const payload = json(PIPELINE);
    delete payload.object_attributes.source;
    expect(report(parseGitlabWebhook("Pipeline Hook", payload, RECEIVED)).name).toBe("pipeline");
  });

  it("reads a running pipeline as pending, timed by its creation", () => {
    const payload = json(PIPELINE);
    payload.object_attributes.status = "running";
    payload.object_attributes.finished_at = null;
    expect(report(parseGitlabWebhook("Pipeline Hook", payload, RECEIVED))).toMatchObject({
      state: "pending",
      conclusion: "running",
      reportedAt: "2016-08-12T15:23:28.000Z",
    });
  });

  it.each([
    ["failed", "failure"],
    ["canceled", "failure"],
    ["manual", "pending"],
    ["skipped", "success"],
  ])("reads status %s as %s", (status, state) => {
    const payload = json(PIPELINE);
    payload.object_attributes.status = status;
    expect(report(parseGitlabWebhook("Pipeline Hook", payload, RECEIVED))).toMatchObject({
      state,
      conclusion: status,
    });
  });

  it.each([
    ["2016-08-12 17:26:29 +0200", "2016-08-12T15:26:29.000Z"],
    ["2016-08-12T15:26:29.000Z", "2016-08-12T15:26:29.000Z"],
    ["2016-08-12T17:26:29+02:00", "2016-08-12T15:26:29.000Z"],
  ])("reads the timestamp %s", (finishedAt, iso) => {
    const payload = json(PIPELINE);
    payload.object_attributes.finished_at = finishedAt;
    expect(report(parseGitlabWebhook("Pipeline Hook", payload, RECEIVED)).reportedAt).toBe(iso);
  });

  it("keeps a branch pipeline and a merge-request pipeline of one commit apart; a retry replaces its pipeline", () => {
    const at = (status: string, source: string, id: number, finishedAt: string) => {
      const payload = json(PIPELINE);
      Object.assign(payload.object_attributes, { status, source, id, finished_at: finishedAt });
      return report(parseGitlabWebhook("Pipeline Hook", payload, RECEIVED));
    };
    const branchFailed = at("failed", "push", 30, "2016-08-12 15:25:00 UTC");
    const mergeRequestPassed = at("success", "merge_request_event", 31, "2016-08-12 15:26:29 UTC");
    const folded = foldCiStatus([branchFailed, mergeRequestPassed]);
    expect(folded.state).toBe("failure");
    expect(folded.failing.map((r) => r.url)).toEqual([
      "http://192.168.64.1:3005/gitlab-org/gitlab-test/-/pipelines/30",
    ]);

    const branchRetried = at("success", "push", 32, "2016-08-12 15:40:00 UTC");
    expect(foldCiStatus([branchFailed, mergeRequestPassed, branchRetried]).state).toBe("success");
  });

  it("ignores a merge request event", () => {
    expect(parseGitlabWebhook("Merge Request Hook", json(MERGE_REQUEST))).toEqual({
      kind: "ignored",
      reason: "event merge_request does not carry CI status",
    });
  });

  it("goes by object_kind, not the header", () => {
    expect(report(parseGitlabWebhook("Merge Request Hook", json(PIPELINE), RECEIVED)).name).toBe(
      "pipeline:merge_request_event",
    );
    expect(parseGitlabWebhook("Pipeline Hook", json(MERGE_REQUEST))).toMatchObject({ kind: "ignored" });
  });

  it.each([
    [
      "object_attributes.sha",
      (p: Payload) => delete p.object_attributes.sha,
      /object_attributes\.sha is missing/,
    ],
    [
      "object_attributes.id",
      (p: Payload) => delete p.object_attributes.id,
      /object_attributes\.id is missing/,
    ],
    [
      "object_attributes.status",
      (p: Payload) => delete p.object_attributes.status,
      /object_attributes\.status is missing/,
    ],
    [
      "project.path_with_namespace",
      (p: Payload) => delete p.project.path_with_namespace,
      /project\.path_with_namespace is missing/,
    ],
    [
      "object_attributes.finished_at",
      (p: Payload) => {
        p.object_attributes.finished_at = "12/08/2016";
      },
      /object_attributes\.finished_at is not a timestamp/,
    ],
    [
      "object_attributes.finished_at (no zone)",
      (p: Payload) => {
        p.object_attributes.finished_at = "2016-08-12 15:26:29";
      },
      /object_attributes\.finished_at is not a timestamp/,
    ],
    [
      "object_attributes.created_at (no such month)",
      (p: Payload) => {
        p.object_attributes.finished_at = null;
        p.object_attributes.created_at = "2016-13-12 15:23:28 UTC";
      },
      /object_attributes\.created_at is not a timestamp/,
    ],
  ])("refuses a pipeline with a bad %s", (_, edit, message) => {
    const payload = json(PIPELINE);
    edit(payload);
    expect(() => parseGitlabWebhook("Pipeline Hook", payload, RECEIVED)).toThrow(WebhookPayloadError);
    expect(() => parseGitlabWebhook("Pipeline Hook", payload, RECEIVED)).toThrow(message);
  });

  it("refuses a body that is not an object", () => {
    expect(() => parseGitlabWebhook("Pipeline Hook", null, RECEIVED)).toThrow(
      "GitLab Pipeline Hook payload: the body must be object, not null",
    );
  });
});

// biome-ignore lint/suspicious/noExplicitAny: payloads are edited freely to build variants
type Payload = any;

function report(result: ReturnType<typeof parseGithubWebhook>) {
  expect(result.kind).toBe("ci");
  if (result.kind !== "ci") throw new Error("expected CI reports");
  expect(result.reports).toHaveLength(1);
  return result.reports[0]!;
}

function catchError(run: () => unknown): WebhookPayloadError {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookPayloadError) return error;
    throw error;
  }
  throw new Error("expected a WebhookPayloadError");
}
