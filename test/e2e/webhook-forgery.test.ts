/**
 * Forged, replayed and stale webhook deliveries against a real server, on both databases: each
 * is refused with its status and a problem saying what was wrong, records nothing (no event, no
 * CI status, no delivery key: the same delivery id is accepted afterwards), writes one warn line
 * naming the reason without the secret or the signature, and counts one in the health counters.
 * Times come from the simulated clock: no sleeps.
 */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebhookCountsSnapshot, WebhookRejection } from "../../src/api/webhook-counters.js";
import type { CiStatus } from "../../src/domain/model.js";
import type { PushResult } from "../../src/engine/boarding-desk.js";
import type { CiRecordResult } from "../../src/engine/evidence.js";
import type { Logger } from "../../src/engine/ports.js";
import { signWebhook } from "../../src/integrations/http/webhook-signature.js";
import { DIALECTS } from "../support/dialects.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { createWorld, type World } from "../support/world.js";

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "fixtures");
const fixture = (...parts: string[]) => readFileSync(path.join(FIXTURES, ...parts));
// biome-ignore lint/suspicious/noExplicitAny: payloads are edited freely to build deliveries
const json = (bytes: Buffer): any => JSON.parse(bytes.toString("utf8"));

const WORKFLOW_RUN = fixture("github-webhooks", "workflow_run_completed.payload.json");
const PIPELINE = fixture("gitlab-webhooks", "pipeline.json");

const GITHUB_ENV = "RAILYARD_TEST_FORGERY_GITHUB_SECRET";
const GITLAB_ENV = "RAILYARD_TEST_FORGERY_GITLAB_TOKEN";
const GENERIC_ENV = "RAILYARD_TEST_FORGERY_GENERIC_SECRET";
const GITHUB_SECRET = "gh-hook-secret-7f3a";
const GITLAB_TOKEN = "gl-hook-token-91c2";
const GENERIC_SECRET = "generic-hook-secret-5d8e";
const SECRETS = [GITHUB_SECRET, GITLAB_TOKEN, GENERIC_SECRET];

/** The commits the deliveries are about, one artifact each. */
const WORKFLOW_RUN_SHA = "3484a3fb816e0859fd6e1cea078d76385ff50625"; // octo-org/octo-repo
const PIPELINE_SHA = "bcbb5ec396a2c0f828686f14fac9b80b780504f2"; // gitlab-org/gitlab-test
const WEB_SHA = "9c1d4e0b7a2f6e5d4c3b2a190817263544536271"; // acme/web, generic

const COMPONENTS = `  db: { team: core, deployer: git, repository: "https://github.com/octo-org/octo-repo" }
  api:
    team: core
    deployer: git
    repository: "https://gitlab.com/gitlab-org/gitlab-test"
    depends_on: [{ component: db, version: ">=1.0.0" }]
  web:
    team: core
    deployer: git
    repository: acme/web
    depends_on: [{ component: api, version: ">=1.0.0" }]`;

/** All three receivers; webhooks.maxAge is left at its default, 1h. */
const WEBHOOKS = `webhooks:
  github: { secretFromEnv: ${GITHUB_ENV} }
  gitlab: { tokenFromEnv: ${GITLAB_ENV} }
  generic: { secretFromEnv: ${GENERIC_ENV} }
`;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

type Provider = "github" | "gitlab" | "generic";

/** One HTTP request to a receiver. */
interface Delivery {
  provider: Provider;
  id: string;
  body: Buffer;
  headers: Record<string, string>;
}

/** Time relative to the server's (simulated) clock. */
type At = (offsetMs: number) => Date;

const githubSign = (body: Buffer, secret = GITHUB_SECRET) =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/** A workflow_run delivery of the vendored payload, its event time set to `time`. */
function github(id: string, time: Date, options: { secret?: string; body?: Buffer } = {}): Delivery {
  const payload = json(WORKFLOW_RUN);
  payload.workflow_run.updated_at = time.toISOString();
  const body = options.body ?? Buffer.from(JSON.stringify(payload));
  return {
    provider: "github",
    id,
    body,
    headers: {
      "content-type": "application/json",
      "x-github-event": "workflow_run",
      "x-github-delivery": id,
      "x-hub-signature-256": githubSign(body, options.secret),
    },
  };
}

/** GitLab's own way of writing a time: `2016-08-12 15:26:29 UTC`. */
const gitlabTime = (time: Date) =>
  time
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, " UTC");

/** A pipeline delivery of the vendored payload, finished at `time`. */
function gitlab(id: string, time: Date, options: { token?: string; body?: Buffer } = {}): Delivery {
  const payload = json(PIPELINE);
  payload.object_attributes.finished_at = gitlabTime(time);
  const body = options.body ?? Buffer.from(JSON.stringify(payload));
  return {
    provider: "gitlab",
    id,
    body,
    headers: {
      "content-type": "application/json",
      "x-gitlab-event": "Pipeline Hook",
      "x-gitlab-token": options.token ?? GITLAB_TOKEN,
      "x-gitlab-webhook-uuid": id,
    },
  };
}

/** A generic delivery of one status, signed at `time` (Unix seconds). */
function generic(
  id: string,
  time: Date,
  options: { status?: Record<string, unknown>; secret?: string; timestamp?: string } = {},
): Delivery {
  const signedAt = String(Math.floor(time.getTime() / 1000));
  const body = Buffer.from(
    JSON.stringify({
      repository: "acme/web",
      commit: WEB_SHA,
      status: "success",
      name: "build",
      url: `https://ci.example.com/acme/web/${id}`,
      ...options.status,
    }),
  );
  return {
    provider: "generic",
    id,
    body,
    headers: {
      "content-type": "application/json",
      "x-railyard-timestamp": options.timestamp ?? signedAt,
      "x-railyard-delivery": id,
      "x-railyard-signature": signWebhook(options.secret ?? GENERIC_SECRET, signedAt, body),
    },
  };
}

/**
 * A refused delivery: how it is made, and what the answer, the log and the counters say. `at`
 * is relative to the server's clock; `fresh()` is a time within maxAge, later on every call, so
 * every accepted status is newer than the one stored before it (and is recorded).
 */
interface Row {
  name: string;
  reason: WebhookRejection;
  status: 400 | 401 | 409;
  detail: RegExp;
  /** Deliveries accepted first (the original of a replay). */
  accepted?: (fresh: () => Date) => Delivery[];
  refused: (at: At, fresh: () => Date, accepted: Delivery[]) => Delivery;
  /**
   * A valid delivery under the refused one's id, accepted afterwards: the refusal kept no key.
   * Absent when the id itself was accepted before (a replay of the same id).
   */
  afterwards?: (fresh: () => Date) => Delivery;
}

const ROWS: Row[] = [
  {
    name: "GitHub without a signature",
    reason: "signature",
    status: 401,
    detail: /^no X-Hub-Signature-256 header: sign the exact body with HMAC-SHA256/,
    refused: (_, fresh) => {
      const delivery = github("gh-unsigned", fresh());
      delete delivery.headers["x-hub-signature-256"];
      return delivery;
    },
    afterwards: (fresh) => github("gh-unsigned", fresh()),
  },
  {
    name: "GitHub signed with a wrong secret",
    reason: "signature",
    status: 401,
    detail: /^X-Hub-Signature-256 does not match: /,
    refused: (_, fresh) => github("gh-wrong-secret", fresh(), { secret: "not the secret" }),
    afterwards: (fresh) => github("gh-wrong-secret", fresh()),
  },
  {
    name: "GitHub body altered after signing",
    reason: "signature",
    status: 401,
    detail: /^X-Hub-Signature-256 does not match: /,
    refused: (_, fresh) => {
      const delivery = github("gh-altered", fresh());
      delivery.body = Buffer.from(delivery.body.toString("utf8").replace('"success"', '"failure"'));
      return delivery;
    },
    afterwards: (fresh) => github("gh-altered", fresh()),
  },
  {
    name: "GitHub: a valid delivery sent again",
    reason: "replay",
    status: 409,
    detail: /^this GitHub delivery was accepted before \(same delivery id\); nothing recorded again/,
    accepted: (fresh) => [github("gh-twice", fresh())],
    refused: (_, __, [original]) => original!,
  },
  {
    name: "GitHub: the same body and signature under a new delivery id",
    reason: "replay",
    status: 409,
    detail: /^a GitHub delivery with the same signature was accepted before \(under another delivery id\)/,
    accepted: (fresh) => [github("gh-captured", fresh())],
    refused: (_, __, [original]) => withId(original!, "gh-resent"),
    afterwards: (fresh) => github("gh-resent", fresh()),
  },
  {
    name: "GitHub: an event older than webhooks.maxAge",
    reason: "stale",
    status: 400,
    detail:
      /^the GitHub delivery is too old: workflow_run\.updated_at \(2026-03-02T03:59:59\.000Z\) is 1h1s before this server's clock \(2026-03-02T05:00:00\.000Z\), more than webhooks\.maxAge \(1h\); a redelivery keeps the event's original time/,
    refused: (at) => github("gh-stale", at(-HOUR - SECOND)),
    afterwards: (fresh) => github("gh-stale", fresh()),
  },
  {
    name: "GitHub: the vendored 2020 payload, signed as it is",
    reason: "stale",
    status: 400,
    detail: /^the GitHub delivery is too old: workflow_run\.updated_at \(2020-10-05T16:33:49\.000Z\)/,
    refused: (at) => github("gh-2020", at(0), { body: WORKFLOW_RUN }),
    afterwards: (fresh) => github("gh-2020", fresh()),
  },
  {
    name: "GitHub: an event stamped more than 5 minutes ahead",
    reason: "future",
    status: 400,
    detail:
      /^the GitHub delivery is stamped in the future: workflow_run\.updated_at \(2026-03-02T05:05:01\.000Z\) is 5m1s ahead of this server's clock .*, more than the 5m allowed; check the sender's clock/,
    refused: (at) => github("gh-future", at(5 * MINUTE + SECOND)),
    afterwards: (fresh) => github("gh-future", fresh()),
  },
  {
    name: "GitLab with a wrong token",
    reason: "token",
    status: 401,
    detail: /^X-Gitlab-Token does not match: send the webhook's secret token as X-Gitlab-Token$/,
    refused: (_, fresh) => gitlab("gl-wrong-token", fresh(), { token: "guessed-token" }),
    afterwards: (fresh) => gitlab("gl-wrong-token", fresh()),
  },
  {
    name: "GitLab: a delivery UUID seen before, with another body",
    reason: "replay",
    status: 409,
    detail: /^this GitLab delivery was accepted before \(same delivery id\)/,
    accepted: (fresh) => [gitlab("gl-uuid-1", fresh())],
    refused: (_, fresh) => gitlab("gl-uuid-1", fresh()),
  },
  {
    name: "GitLab: the same body under a new UUID",
    reason: "replay",
    status: 409,
    detail: /^a GitLab delivery with the same body was accepted before \(under another delivery id\)/,
    accepted: (fresh) => [gitlab("gl-uuid-2", fresh())],
    refused: (_, __, [original]) => withId(original!, "gl-uuid-3"),
    afterwards: (fresh) => gitlab("gl-uuid-3", fresh()),
  },
  {
    name: "GitLab: the vendored 2016 pipeline, as it is",
    reason: "stale",
    status: 400,
    detail:
      /^the GitLab delivery is too old: the pipeline's object_attributes\.finished_at \(else created_at\) \(2016-08-12T15:26:29\.000Z\)/,
    refused: (at) => gitlab("gl-2016", at(0), { body: PIPELINE }),
    afterwards: (fresh) => gitlab("gl-2016", fresh()),
  },
  {
    name: "generic with a bad signature",
    reason: "signature",
    status: 401,
    detail:
      /^X-Railyard-Signature does not match: send X-Railyard-Timestamp: <Unix seconds> and X-Railyard-Signature/,
    refused: (_, fresh) => generic("gen-bad-signature", fresh(), { secret: "not the secret" }),
    afterwards: (fresh) => generic("gen-bad-signature", fresh()),
  },
  {
    name: "generic: a timestamp older than webhooks.maxAge",
    reason: "stale",
    status: 400,
    detail:
      /^the generic delivery is too old: X-Railyard-Timestamp \(2026-03-02T03:59:59\.000Z\) is 1h1s before this server's clock \(2026-03-02T05:00:00\.000Z\), more than webhooks\.maxAge \(1h\); sign each request when it is sent, with the current Unix time in seconds/,
    refused: (at) => generic("gen-old", at(-HOUR - SECOND)),
    afterwards: (fresh) => generic("gen-old", fresh()),
  },
  {
    name: "generic: a timestamp more than 5 minutes ahead",
    reason: "future",
    status: 400,
    detail:
      /^the generic delivery is stamped in the future: X-Railyard-Timestamp \(2026-03-02T05:05:01\.000Z\) is 5m1s ahead of this server's clock .*; check the sender's clock \(NTP\) and that X-Railyard-Timestamp is Unix seconds$/,
    refused: (at) => generic("gen-future", at(5 * MINUTE + SECOND)),
    afterwards: (fresh) => generic("gen-future", fresh()),
  },
  {
    name: "generic: the timestamp changed after signing",
    reason: "signature",
    status: 401,
    detail: /^X-Railyard-Signature does not match: /,
    refused: (at) =>
      generic("gen-restamped", at(-HOUR - MINUTE), {
        timestamp: String(Math.floor(at(0).getTime() / 1000)),
      }),
    afterwards: (fresh) => generic("gen-restamped", fresh()),
  },
  {
    name: "generic: a delivery id seen before",
    reason: "replay",
    status: 409,
    detail: /^this generic delivery was accepted before \(same delivery id\); nothing recorded again/,
    accepted: (fresh) => [generic("gen-twice", fresh())],
    refused: (_, fresh) => generic("gen-twice", fresh(), { status: { status: "failure" } }),
  },
  {
    name: "generic: the same signed request under a new delivery id",
    reason: "replay",
    status: 409,
    detail:
      /^a generic delivery with the same signature was accepted before \(under another delivery id\); nothing recorded again\. A delivery is accepted once: send a new event, signed anew with the current time$/,
    accepted: (fresh) => [generic("gen-captured", fresh())],
    refused: (_, __, [original]) => withId(original!, "gen-resent"),
    afterwards: (fresh) => generic("gen-resent", fresh()),
  },
  {
    name: "generic: a verified body without a commit",
    reason: "payload",
    status: 400,
    detail: /^generic status payload: commit is missing$/,
    refused: (_, fresh) => generic("gen-no-commit", fresh(), { status: { commit: undefined } }),
    afterwards: (fresh) => generic("gen-no-commit", fresh()),
  },
];

/** The same request under another delivery id (the id is not signed). */
function withId(delivery: Delivery, id: string): Delivery {
  const header = {
    github: "x-github-delivery",
    gitlab: "x-gitlab-webhook-uuid",
    generic: "x-railyard-delivery",
  }[delivery.provider];
  return { ...delivery, id, headers: { ...delivery.headers, [header]: id } };
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: forged, replayed and stale webhooks`, () => {
    let world: World;
    let server: TestServer;
    const logLines: string[] = [];
    const artifacts: Record<"db" | "api" | "web", string> = { db: "", api: "", web: "" };

    beforeAll(async () => {
      process.env[GITHUB_ENV] = GITHUB_SECRET;
      process.env[GITLAB_ENV] = GITLAB_TOKEN;
      process.env[GENERIC_ENV] = GENERIC_SECRET;
      world = await createWorld({ components: COMPONENTS, top: WEBHOOKS });
      const logger = pino({ level: "info" }, { write: (line: string) => void logLines.push(line) });
      server = await startTestServer(world, dialect, undefined, { logger: logger as unknown as Logger });
      await server.advance("0s");
      for (const [component, commit] of [
        ["db", WORKFLOW_RUN_SHA],
        ["api", PIPELINE_SHA],
        ["web", WEB_SHA],
      ] as const) {
        const pushed = await server.request<PushResult>("POST", "/api/v1/artifacts", {
          component,
          version: "1.0.0",
          commit,
        });
        expect(pushed.status, JSON.stringify(pushed.body)).toBe(201);
        artifacts[component] = pushed.body.artifact.id;
      }
    });

    afterAll(async () => {
      delete process.env[GITHUB_ENV];
      delete process.env[GITLAB_ENV];
      delete process.env[GENERIC_ENV];
      await server?.cleanup();
      await world?.cleanup();
    });

    const at: At = (offsetMs) => new Date(server.clock.now().getTime() + offsetMs);
    let ticks = 0;
    /** Half an hour ago plus ten seconds more on every call: within maxAge, always newer. */
    const fresh = () => at(-30 * MINUTE + ++ticks * 10 * SECOND);

    const deliver = (delivery: Delivery) =>
      server.send<CiRecordResult & { detail?: string; code?: string; status?: number; field?: string }>(
        "POST",
        `/api/v1/webhooks/${delivery.provider}`,
        delivery.body,
        delivery.headers,
      );

    const accept = async (delivery: Delivery) => {
      const answer = await deliver(delivery);
      expect(answer.status, `${delivery.id}: ${JSON.stringify(answer.body)}`).toBe(202);
      return answer;
    };

    /** What a user sees of webhooks: events, each artifact's CI statuses, the health counters. */
    async function observe() {
      const events = (await server.request<unknown[]>("GET", "/api/v1/events?limit=5000")).body.length;
      const ci: Record<string, CiStatus[]> = {};
      for (const [component, id] of Object.entries(artifacts)) {
        ci[component] = (await server.request<CiStatus[]>("GET", `/api/v1/artifacts/${id}/ci`)).body;
      }
      const health = await server.request<{ webhooks: WebhookCountsSnapshot }>("GET", "/api/v1/health");
      expect(health.status).toBe(200);
      return { events, ci, counters: health.body.webhooks };
    }

    for (const row of ROWS) {
      it(`refuses ${row.name}: ${row.status} (${row.reason})`, async () => {
        const accepted = row.accepted?.(fresh) ?? [];
        for (const original of accepted) await accept(original);
        const before = await observe();
        const mark = logLines.length;

        const delivery = row.refused(at, fresh, accepted);
        const answer = await deliver(delivery);

        expect(answer.status, JSON.stringify(answer.body)).toBe(row.status);
        expect(answer.contentType).toContain("application/problem+json");
        expect(answer.body.code).toBe(
          { 400: "invalid-input", 401: "unauthorized", 409: "conflict" }[row.status],
        );
        expect(answer.body.detail).toMatch(row.detail);
        const signature = delivery.headers["x-hub-signature-256"] ?? delivery.headers["x-railyard-signature"];
        for (const secret of [...SECRETS, ...(signature ? [signature, signature.slice(7)] : [])]) {
          expect(JSON.stringify(answer.body)).not.toContain(secret);
        }

        // Nothing recorded: no event, no CI status.
        const after = await observe();
        expect(after.events).toBe(before.events);
        expect(after.ci).toEqual(before.ci);
        // Counted once, under its receiver and reason, and nowhere else.
        const counted = structuredClone(before.counters);
        counted.rejected[delivery.provider][row.reason] += 1;
        expect(after.counters).toEqual(counted);

        // One warn line naming the reason; never a secret, the signature or the body.
        const written = logLines.slice(mark);
        const refusals = written.map((line) => JSON.parse(line)).filter((entry) => entry.level === 40);
        expect(refusals).toHaveLength(1);
        expect(refusals[0]).toMatchObject({
          provider: delivery.provider,
          delivery: delivery.id,
          reason: row.reason,
          remote: expect.stringMatching(/127\.0\.0\.1|::1/),
          msg: expect.stringMatching(new RegExp(`^webhook refused \\(${row.reason}\\): `)),
        });
        const text = written.join("");
        for (const secret of [...SECRETS, ...(signature ? [signature, signature.slice(7)] : [])]) {
          expect(text).not.toContain(secret);
        }
        expect(text).not.toContain(WORKFLOW_RUN_SHA);
        expect(text).not.toContain(PIPELINE_SHA);
        expect(text).not.toContain(WEB_SHA);

        // No delivery key was kept: a fresh delivery under the same id is accepted.
        if (row.afterwards) {
          const valid = await accept(row.afterwards(fresh));
          expect(valid.body.recorded).toBe(1);
          expect((await observe()).counters.accepted[delivery.provider]).toBe(
            before.counters.accepted[delivery.provider] + 1,
          );
        }
      });
    }

    it("accepts a valid generic delivery once: 202, recorded, counted", async () => {
      const before = await observe();
      const delivery = generic("gen-valid", at(-30 * SECOND), {
        status: { status: "error", name: "e2e", ref: "main" },
      });
      const answer = await accept(delivery);
      expect(answer.body).toEqual({
        recorded: 1,
        ignored: 0,
        matched: [{ artifact: artifacts.web, component: "web", version: "1.0.0", train: "shop-1" }],
      });
      const after = await observe();
      expect(after.events).toBe(before.events + 1);
      expect(after.ci.web).toContainEqual({
        provider: "generic",
        repository: "acme/web",
        commit: WEB_SHA,
        name: "e2e",
        state: "failure",
        conclusion: "error",
        url: "https://ci.example.com/acme/web/gen-valid",
        reportedAt: at(-30 * SECOND).toISOString(),
        ref: "main",
      });
      expect(after.counters.accepted.generic).toBe(before.counters.accepted.generic + 1);
      expect(after.counters.rejected).toEqual(before.counters.rejected);
      const [event] = (
        await server.request<Array<{ type: string; actor: string; payload: Record<string, unknown> }>>(
          "GET",
          `/api/v1/events?afterId=${before.events}`,
        )
      ).body.filter((e) => e.type === "ci.reported");
      expect(event).toMatchObject({ actor: "webhook:generic", payload: { deliveryId: "gen-valid" } });

      // Once maxAge (and the skew) has passed, its key may be forgotten, but its age refuses it.
      await server.advance("1h6m");
      const late = await deliver(delivery);
      expect(late.status).toBe(400);
      expect(late.body.detail).toMatch(/^the generic delivery is too old: /);
      // A delivery signed now is accepted, and forgets the keys older than maxAge plus the skew.
      await accept(generic("gen-after-an-hour", at(0)));
    });
  });
}
