import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { foldCiStatus } from "../../domain/ci-status.js";
import { signWebhook } from "../http/webhook-signature.js";
import {
  checkDeliveryAge,
  deliveryKeys,
  genericSentAt,
  MAX_GENERIC_STATUSES,
  parseGenericWebhook,
  parseGithubWebhook,
  parseGitlabWebhook,
  verifyGenericSignature,
  verifyGithubSignature,
  verifyGitlabToken,
  WebhookPayloadError,
  type WebhookResult,
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
      occurredAt: "2020-10-05T16:33:49.000Z",
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
      occurredAt: "2019-05-15T15:21:14.000Z",
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
      occurredAt: "2016-08-12T15:26:29.000Z",
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

describe("the event's time a delivery is judged by (occurredAt)", () => {
  const occurredAt = (result: WebhookResult) => (result.kind === "ci" ? result.occurredAt : "ignored");

  it("is workflow_run.updated_at, and null without it (the report then takes the delivery's time)", () => {
    expect(occurredAt(parseGithubWebhook("workflow_run", json(WORKFLOW_RUN), RECEIVED))).toBe(
      "2020-10-05T16:33:49.000Z",
    );
    const payload = json(WORKFLOW_RUN);
    payload.workflow_run.updated_at = null;
    const result = parseGithubWebhook("workflow_run", payload, RECEIVED);
    expect(occurredAt(result)).toBeNull();
    expect(report(result).reportedAt).toBe(RECEIVED);
  });

  it("is check_suite.updated_at, and null without it", () => {
    expect(occurredAt(parseGithubWebhook("check_suite", json(CHECK_SUITE), RECEIVED))).toBe(
      "2019-05-15T15:21:14.000Z",
    );
    const payload = json(CHECK_SUITE);
    delete payload.check_suite.updated_at;
    expect(occurredAt(parseGithubWebhook("check_suite", payload, RECEIVED))).toBeNull();
  });

  it("is a pipeline's finished_at, else its created_at, in GitLab's format or ISO 8601", () => {
    expect(occurredAt(parseGitlabWebhook("Pipeline Hook", json(PIPELINE), RECEIVED))).toBe(
      "2016-08-12T15:26:29.000Z",
    );
    const running = json(PIPELINE);
    running.object_attributes.finished_at = null;
    expect(occurredAt(parseGitlabWebhook("Pipeline Hook", running, RECEIVED))).toBe(
      "2016-08-12T15:23:28.000Z",
    );
    running.object_attributes.created_at = "2016-08-12T17:23:28+02:00";
    expect(occurredAt(parseGitlabWebhook("Pipeline Hook", running, RECEIVED))).toBe(
      "2016-08-12T15:23:28.000Z",
    );
    delete running.object_attributes.created_at;
    expect(occurredAt(parseGitlabWebhook("Pipeline Hook", running, RECEIVED))).toBeNull();
  });

  it("is the signed timestamp for a generic delivery", () => {
    const sentAt = "2026-03-02T05:00:00.000Z";
    const result = parseGenericWebhook(
      { repository: "acme/api", commit: "a".repeat(40), status: "success", name: "build" },
      sentAt,
    );
    expect(occurredAt(result)).toBe(sentAt);
    expect(report(result).reportedAt).toBe(sentAt);
  });

  it("is not read from events without CI status", () => {
    expect(parseGithubWebhook("push", json(PUSH), RECEIVED)).toEqual({
      kind: "ignored",
      reason: "event push does not carry CI status",
    });
  });
});

describe("verifyGenericSignature", () => {
  const body = Buffer.from('{"repository":"acme/api","commit":"abc1234","status":"success","name":"build"}');
  const stamp = "1772427600"; // 2026-03-02T05:00:00Z

  it("accepts what Railyard's webhook deployer signs, however old: the age is judged apart", () => {
    expect(verifyGenericSignature(body, stamp, signWebhook(SECRET, stamp, body), SECRET)).toBe(true);
    expect(verifyGenericSignature(body, "978307200", signWebhook(SECRET, "978307200", body), SECRET)).toBe(
      true,
    );
  });

  it.each([
    ["another secret", body, stamp, signWebhook("another secret", stamp, body)],
    [
      "a body changed after signing",
      Buffer.from(body.toString().replace("success", "failure")),
      stamp,
      signWebhook(SECRET, stamp, body),
    ],
    ["a timestamp changed after signing", body, "1772427601", signWebhook(SECRET, stamp, body)],
    ["no timestamp", body, undefined, signWebhook(SECRET, stamp, body)],
    ["a timestamp in milliseconds", body, `${stamp}000`, signWebhook(SECRET, `${stamp}000`, body)],
    ["no signature", body, stamp, undefined],
    ["a signature without prefix", body, stamp, signWebhook(SECRET, stamp, body).slice("sha256=".length)],
  ])("refuses %s", (_, received, timestamp, signature) => {
    expect(verifyGenericSignature(received, timestamp, signature, SECRET)).toBe(false);
  });

  it("refuses everything when the secret is empty", () => {
    const hex = createHmac("sha256", "").update(`${stamp}.`).update(body).digest("hex");
    expect(verifyGenericSignature(body, stamp, `sha256=${hex}`, "")).toBe(false);
  });
});

describe("genericSentAt", () => {
  it.each([
    ["1772427600", "2026-03-02T05:00:00.000Z"],
    [" 0 ", "1970-01-01T00:00:00.000Z"],
  ])("reads %s as %s", (stamp, iso) => {
    expect(genericSentAt(stamp)).toBe(iso);
  });

  it.each([[undefined], [""], ["soon"], ["1772427600.5"], ["-1"], ["1772427600000"]])(
    "refuses %s",
    (stamp) => {
      expect(genericSentAt(stamp)).toBeNull();
    },
  );
});

describe("parseGenericWebhook", () => {
  const SENT = "2026-03-02T05:00:00.000Z";
  const SHA = "3484a3fb816e0859fd6e1cea078d76385ff50625";
  const status = (fields: Record<string, unknown> = {}) => ({
    repository: "acme/api",
    commit: SHA,
    status: "success",
    name: "build",
    url: "https://ci.example.com/acme/api/builds/17",
    ...fields,
  });

  it("reads one status into the CI status GitHub and GitLab deliveries make", () => {
    expect(parseGenericWebhook(status({ ref: "main" }), SENT)).toEqual({
      kind: "ci",
      occurredAt: SENT,
      reports: [
        {
          provider: "generic",
          repository: "acme/api",
          commit: SHA,
          name: "build",
          state: "success",
          conclusion: "success",
          url: "https://ci.example.com/acme/api/builds/17",
          reportedAt: SENT,
          ref: "main",
        },
      ],
    });
  });

  it("reads several, normalising the repository and the commit", () => {
    const result = parseGenericWebhook(
      {
        statuses: [
          status({ repository: "https://github.com/Acme/API.git", commit: SHA.toUpperCase() }),
          status({ name: "e2e", status: "pending", url: null }),
        ],
      },
      SENT,
    );
    expect(result.kind === "ci" && result.reports).toEqual([
      expect.objectContaining({ repository: "acme/api", commit: SHA, name: "build", state: "success" }),
      expect.objectContaining({ name: "e2e", state: "pending", conclusion: "pending", url: null, ref: null }),
    ]);
  });

  it.each([
    ["success", "success"],
    ["failure", "failure"],
    ["error", "failure"],
    ["pending", "pending"],
  ])("reads status %s as %s, keeping the word", (word, state) => {
    expect(report(parseGenericWebhook(status({ status: word }), SENT))).toMatchObject({
      state,
      conclusion: word,
    });
  });

  it.each([
    ["commit", status({ commit: undefined }), "commit", "commit is missing"],
    ["commit", status({ commit: "main" }), "commit", "commit is not a commit SHA"],
    [
      "status",
      status({ status: "passed" }),
      "status",
      "status must be one of success, failure, pending, error",
    ],
    ["status", status({ status: undefined }), "status", "status is missing"],
    ["repository", status({ repository: " " }), "repository", "repository is empty"],
    ["name", status({ name: 7 }), "name", "name must be string, not number"],
    ["url", status({ url: "javascript:alert(1)" }), "url", "url must be an http(s) URL"],
    [
      "a status in a list",
      { statuses: [status(), status({ commit: "xyz" })] },
      "statuses.1.commit",
      "statuses.1.commit is not a commit SHA",
    ],
    ["an empty list", { statuses: [] }, "statuses", "statuses is empty: send at least one status"],
    [
      "a too long list",
      { statuses: Array.from({ length: MAX_GENERIC_STATUSES + 1 }, () => status()) },
      "statuses",
      `statuses has more than ${MAX_GENERIC_STATUSES} statuses`,
    ],
    ["the body", "success", "", "the body must be object, not string"],
  ])("refuses a bad %s, naming the field", (_, payload, field, message) => {
    const error = catchError(() => parseGenericWebhook(payload, SENT));
    expect(error).toMatchObject({ provider: "generic", event: "status", field });
    expect(error.message).toContain(message);
  });
});

describe("deliveryKeys", () => {
  const body = fixture(WORKFLOW_RUN);
  const signature = sign(body);
  const hex = signature.slice("sha256=".length);
  const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

  it("keys a GitHub delivery by its id and by the SHA-256 of its signature", () => {
    expect(
      deliveryKeys({ provider: "github", id: "72d3162e-cc78-11e3-81ab-4c9367dc0958", signature }),
    ).toEqual(["id:72d3162e-cc78-11e3-81ab-4c9367dc0958", `sig:${sha256(signature)}`]);
  });

  it("never keeps the signature itself", () => {
    expect(deliveryKeys({ provider: "generic", id: "d-1", signature }).join(" ")).not.toContain(hex);
  });

  it("gives a captured signature resent under a new id, or with its hex uppercased, the same signature key", () => {
    const [, original] = deliveryKeys({ provider: "github", id: "d-1", signature });
    expect(deliveryKeys({ provider: "github", id: "d-2", signature })[1]).toBe(original);
    expect(
      deliveryKeys({ provider: "github", id: "d-3", signature: ` sha256=${hex.toUpperCase()} ` })[1],
    ).toBe(original);
    expect(deliveryKeys({ provider: "github", id: "d-1", signature: sign(body, "other") })[1]).not.toBe(
      original,
    );
  });

  it("keys a delivery without an id by its signature alone", () => {
    expect(deliveryKeys({ provider: "generic", id: undefined, signature })).toEqual([
      `sig:${sha256(signature)}`,
    ]);
    expect(deliveryKeys({ provider: "generic", id: "  ", signature })).toHaveLength(1);
  });

  it("keeps a long delivery id as its SHA-256", () => {
    const id = "x".repeat(500);
    expect(deliveryKeys({ provider: "generic", id, signature })[0]).toBe(`id:sha256:${sha256(id)}`);
    expect(deliveryKeys({ provider: "generic", id: "x".repeat(128), signature })[0]).toBe(
      `id:${"x".repeat(128)}`,
    );
  });

  it("keys a GitLab delivery by its id and the SHA-256 of its exact body (its token never changes)", () => {
    const pipeline = fixture(PIPELINE);
    expect(deliveryKeys({ provider: "gitlab", id: "uuid-1", rawBody: pipeline })).toEqual([
      "id:uuid-1",
      `body:${sha256(pipeline)}`,
    ]);
    const respaced = Buffer.from(JSON.stringify(JSON.parse(pipeline.toString("utf8"))));
    expect(deliveryKeys({ provider: "gitlab", id: "uuid-1", rawBody: respaced })[1]).not.toBe(
      `body:${sha256(pipeline)}`,
    );
  });
});

describe("checkDeliveryAge", () => {
  const NOW = new Date("2026-03-02T05:00:00.000Z");
  const HOUR = 3_600_000;
  const SKEW = 300_000;
  const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs).toISOString();

  it.each([
    ["now", at(0)],
    ["exactly maxAge old", at(-HOUR)],
    ["exactly the skew ahead", at(SKEW)],
    ["without a time", null],
  ])("finds a delivery from %s fresh", (_, occurredAt) => {
    expect(checkDeliveryAge(occurredAt, NOW, HOUR, SKEW)).toEqual({ verdict: "fresh" });
  });

  it("finds one a millisecond older than maxAge stale, saying by how much", () => {
    expect(checkDeliveryAge(at(-HOUR - 1), NOW, HOUR, SKEW)).toEqual({
      verdict: "stale",
      ageMs: HOUR + 1,
      byMs: 1,
    });
  });

  it("finds the vendored 2020 event stale in 2026", () => {
    expect(checkDeliveryAge("2020-10-05T16:33:49.000Z", NOW, HOUR, SKEW).verdict).toBe("stale");
  });

  it("finds one a millisecond further ahead than the skew from the future", () => {
    expect(checkDeliveryAge(at(SKEW + 1), NOW, HOUR, SKEW)).toEqual({ verdict: "future", aheadMs: SKEW + 1 });
  });
});

// biome-ignore lint/suspicious/noExplicitAny: payloads are edited freely to build variants
type Payload = any;

function report(result: WebhookResult) {
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
