/**
 * Every endpoint × every role, through the real HTTP API: who is let through the permission
 * matrix (any answer but 401/403: the action may still refuse for its own reasons, 404 or 409)
 * and who is refused (403, recorded as `access.denied` in the audit log).
 *
 * The expectations are written out by hand, route by route, from the roles of the issue; the
 * table must name every route of the OpenAPI document, so a new endpoint cannot ship without
 * deciding who may call it. SQLite only: authorisation does not depend on the database.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.js";
import { createWorld, type World } from "../support/world.js";

const ROLES = ["viewer", "member", "approver", "coordinator", "admin", "ci"] as const;
type Who = (typeof ROLES)[number];

/** Who gets through, in ROLES order: `+` let through, `-` refused with 403. */
type Expect = `${"+" | "-"}${"+" | "-"}${"+" | "-"}${"+" | "-"}${"+" | "-"}${"+" | "-"}`;

interface Case {
  /**
   * Who gets through (`public` and `own` routes are checked separately; a `stream` never ends, so
   * it is opened, its status read and its body cancelled, in a test of its own).
   */
  expect: Expect | "public" | "own-auth" | { stream: Expect };
  path?: string;
  body?: (who: Who) => unknown;
  raw?: { body: string; contentType: string };
}

const READ: Expect = "+++++-";
const SHA = "c".repeat(40);

/** Every route, keyed `METHOD /path` as the OpenAPI document names it. */
function cases(ids: { train: string; artifact: string; token: string }): Record<string, Case> {
  const t = ids.train;
  const a = ids.artifact;
  return {
    "GET /api/v1/health": { expect: "public" },
    "GET /calendar.ics": { expect: "public" },
    "POST /api/v1/webhooks/github": { expect: "own-auth" },
    "POST /api/v1/webhooks/gitlab": { expect: "own-auth" },
    "POST /api/v1/webhooks/generic": { expect: "own-auth" },
    "POST /api/v1/webhooks/alertmanager": { expect: "own-auth" },
    "POST /api/v1/session": { expect: "own-auth" },
    "GET /api/v1/session": { expect: "++++++" },
    "DELETE /api/v1/session": { expect: "own-auth" },

    "GET /api/v1/config": { expect: READ },
    "GET /api/v1/lines": { expect: READ },
    "GET /api/v1/lines/{line}": { expect: READ, path: "/api/v1/lines/shop" },
    "GET /api/v1/timetable": { expect: READ },
    "GET /api/v1/timetable/spans": { expect: READ },
    "GET /api/v1/deployments": { expect: READ },
    "GET /api/v1/events": { expect: READ },
    "GET /api/v1/events/stream": { expect: { stream: READ } },
    "GET /api/v1/audit/verify": { expect: READ },
    "GET /api/v1/audit/export": { expect: READ },
    "GET /api/v1/trains": { expect: READ },
    "GET /api/v1/trains/{id}": { expect: READ, path: `/api/v1/trains/${t}` },
    "GET /api/v1/trains/{id}/events": { expect: READ, path: `/api/v1/trains/${t}/events` },
    "GET /api/v1/trains/{id}/approvals": { expect: READ, path: `/api/v1/trains/${t}/approvals` },
    "GET /api/v1/trains/{id}/checklists": { expect: READ, path: `/api/v1/trains/${t}/checklists` },
    "GET /api/v1/trains/{id}/diff": { expect: READ, path: `/api/v1/trains/${t}/diff` },
    "GET /api/v1/trains/{id}/exceptions": { expect: READ, path: `/api/v1/trains/${t}/exceptions` },
    "GET /api/v1/trains/{id}/test-reports": { expect: READ, path: `/api/v1/trains/${t}/test-reports` },
    "GET /api/v1/artifacts": { expect: READ },
    "GET /api/v1/artifacts/{id}": { expect: READ, path: `/api/v1/artifacts/${a}` },
    "GET /api/v1/artifacts/{id}/ci": { expect: READ, path: `/api/v1/artifacts/${a}/ci` },
    "GET /api/v1/artifacts/{id}/reports": { expect: READ, path: `/api/v1/artifacts/${a}/reports` },
    "GET /api/v1/artifacts/{id}/reports/{reportId}": {
      expect: READ,
      path: `/api/v1/artifacts/${a}/reports/rep_none`,
    },
    "GET /api/v1/pins": { expect: READ },
    "GET /api/v1/waivers": { expect: READ },
    "GET /api/v1/incidents": { expect: READ },
    "GET /api/v1/notifications": { expect: READ },
    "GET /api/v1/incidents/{id}": { expect: READ, path: "/api/v1/incidents/inc_none" },
    "GET /api/v1/incidents/{id}/postmortem": {
      expect: READ,
      path: "/api/v1/incidents/inc_none/postmortem",
    },
    "GET /api/v1/metrics/releases": { expect: READ },
    "GET /api/v1/metrics/trains": { expect: READ },
    "GET /api/v1/gate-results": { expect: READ },
    "GET /api/v1/tokens": { expect: READ },

    "POST /api/v1/artifacts": {
      expect: "-+--++",
      body: () => ({ component: "db", version: "9.9.9", commit: SHA }),
    },
    "POST /api/v1/artifacts/{id}/reports": {
      expect: "-+--++",
      path: `/api/v1/artifacts/${a}/reports`,
      raw: { body: '{"not":"a report"}', contentType: "application/json" },
    },
    "POST /api/v1/trains/{id}/test-reports": {
      expect: "-+--++",
      path: `/api/v1/trains/${t}/test-reports`,
      raw: { body: "<testsuite name='x' tests='0'/>", contentType: "application/xml" },
    },
    "POST /api/v1/trains/{id}/approvals": {
      expect: "--+-+-",
      path: `/api/v1/trains/${t}/approvals`,
      body: () => ({ decision: "approve" }),
    },
    "POST /api/v1/trains/{id}/promote": {
      expect: "--+++-",
      path: `/api/v1/trains/${t}/promote`,
      body: () => ({}),
    },
    "POST /api/v1/trains/{id}/drop": {
      expect: "-+-++-",
      path: `/api/v1/trains/${t}/drop`,
      body: () => ({ component: "web", reason: "role matrix" }),
    },
    "POST /api/v1/trains/{id}/pause": {
      expect: "---++-",
      path: `/api/v1/trains/${t}/pause`,
      body: () => ({}),
    },
    "POST /api/v1/trains/{id}/resume": {
      expect: "---++-",
      path: `/api/v1/trains/${t}/resume`,
      body: () => ({}),
    },
    "POST /api/v1/trains/{id}/abort": {
      expect: "---++-",
      path: `/api/v1/trains/${t}/abort`,
      body: () => ({ reason: "role matrix" }),
    },
    "POST /api/v1/trains/{id}/retry": {
      expect: "---++-",
      path: `/api/v1/trains/${t}/retry`,
      body: () => ({}),
    },
    "POST /api/v1/trains/{id}/rollback": {
      expect: "---++-",
      path: `/api/v1/trains/${t}/rollback`,
      body: () => ({}),
    },
    "POST /api/v1/trains/{id}/exceptions": {
      expect: "---++-",
      path: `/api/v1/trains/${t}/exceptions`,
      body: () => ({ reason: "role matrix" }),
    },
    "POST /api/v1/trains/{id}/checklists/{gate}/items/{item}": {
      expect: "-++++-",
      path: `/api/v1/trains/${t}/checklists/none/items/none`,
      body: () => ({}),
    },
    "POST /api/v1/lines/{line}/hotfixes": {
      expect: "---++-",
      path: "/api/v1/lines/shop/hotfixes",
      body: () => ({ reason: "role matrix", components: [{ component: "db", version: "1.0.0" }] }),
    },
    "POST /api/v1/components/{component}/pin": {
      expect: "---++-",
      path: "/api/v1/components/api/pin",
      body: () => ({ reason: "role matrix" }),
    },
    "DELETE /api/v1/components/{component}/pin": {
      expect: "---++-",
      path: "/api/v1/components/api/pin",
      body: () => ({ reason: "role matrix" }),
    },
    "POST /api/v1/incidents": {
      expect: "---++-",
      body: () => ({ line: "shop", title: "role matrix", severity: "info" }),
    },
    "POST /api/v1/notifications/{id}/retry": {
      expect: "---++-",
      path: "/api/v1/notifications/event%2F0%2Fnone/retry",
    },
    "POST /api/v1/incidents/{id}/resolve": {
      expect: "---++-",
      path: "/api/v1/incidents/inc_none/resolve",
      body: () => ({ resolution: "role matrix" }),
    },
    "POST /api/v1/waivers": {
      expect: "--+++-",
      body: () => ({
        component: "api",
        finding: "CVE-2024-0001",
        justification: "role matrix",
        expires: "2026-03-10T00:00:00Z",
      }),
    },
    "POST /api/v1/waivers/{id}/revoke": {
      expect: "--+++-",
      path: "/api/v1/waivers/wvr_none/revoke",
      body: () => ({ reason: "role matrix" }),
    },
    "POST /api/v1/config/reload": { expect: "----+-", body: () => ({}) },
    "POST /api/v1/clock/advance": { expect: "----+-", body: () => ({ by: "0s" }) },
    "POST /api/v1/tokens": {
      expect: "+++++-",
      // A token for oneself, with one's own role.
      body: (who) => ({ name: "matrix", roles: [who === "ci" ? "member" : who] }),
    },
    "DELETE /api/v1/tokens/{id}": { expect: "+++++-", path: `/api/v1/tokens/${ids.token}` },
  };
}

describe("the role matrix: every endpoint × every role", () => {
  let world: World;
  let server: TestServer;
  const tokens = {} as Record<Who, string>;
  let table: Record<string, Case>;
  let documented: string[];

  beforeAll(async () => {
    world = await createWorld({ approval: { team: "board", required: 1 } });
    server = await startTestServer(world, "sqlite");
    tokens.viewer = await server.token("vera", ["viewer"]);
    tokens.member = await server.token("ann", ["member"]);
    tokens.approver = await server.token("alice", ["approver"]);
    tokens.coordinator = await server.token("cora", ["coordinator"]);
    tokens.admin = await server.token("ada", ["admin"]);
    tokens.ci = await server.ciToken("ci-db", ["db"]);
    await server.advance("0s");
    const pushed = await server.request<{ artifact: { id: string }; train: { id: string } }>(
      "POST",
      "/api/v1/artifacts",
      { component: "db", version: "1.0.0", commit: "a".repeat(40) },
    );
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(201);
    const spare = await server.request<{ record: { id: string } }>("POST", "/api/v1/tokens", {
      name: "spare",
      subject: "nobody",
      roles: ["viewer"],
    });
    table = cases({
      train: pushed.body.train.id,
      artifact: pushed.body.artifact.id,
      token: spare.body.record.id,
    });
    const doc = await server.request<{ paths: Record<string, Record<string, unknown>> }>(
      "GET",
      "/api/openapi.json",
    );
    documented = Object.entries(doc.body.paths).flatMap(([p, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`),
    );
  });
  afterAll(async () => {
    await server?.cleanup();
    await world?.cleanup();
  });

  it("names every documented route, and only those", () => {
    expect(Object.keys(table).sort()).toEqual([...documented].sort());
  });

  it("lets through exactly the roles the table says, and audits every refusal", async () => {
    const deniedBefore = await deniedCount();
    const outcomes: string[] = [];
    const wrong: string[] = [];
    let refusals = 0;
    for (const [route, spec] of Object.entries(table)) {
      if (typeof spec.expect !== "string" || spec.expect === "public" || spec.expect === "own-auth") continue;
      const [method, documentedPath] = route.split(" ") as [string, string];
      const path = spec.path ?? documentedPath;
      for (const [i, who] of ROLES.entries()) {
        const allowed = spec.expect[i] === "+";
        const answer = spec.raw
          ? await server.send(method, path, spec.raw.body, {
              "content-type": spec.raw.contentType,
              authorization: `Bearer ${tokens[who]}`,
            })
          : await server.request(method, path, spec.body?.(who), tokens[who]);
        const through = answer.status !== 401 && answer.status !== 403;
        outcomes.push(`${route} ${who}: ${answer.status}`);
        if (!allowed) refusals++;
        const problemJson = answer.contentType?.includes("application/problem+json") ?? false;
        if (through !== allowed || (!allowed && (answer.status !== 403 || !problemJson))) {
          wrong.push(`${route} as ${who}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
        }
      }
    }
    expect(wrong, outcomes.join("\n")).toEqual([]);
    expect(await deniedCount()).toBe(deniedBefore + refusals);
  });

  it("opens the live streams to exactly the roles the table says (and refuses anonymous)", async () => {
    const streams = Object.entries(table).filter(([, spec]) => typeof spec.expect === "object");
    expect(streams.map(([route]) => route)).toEqual(["GET /api/v1/events/stream"]);
    const deniedBefore = await deniedCount();
    const outcomes: string[] = [];
    const wrong: string[] = [];
    let refusals = 0;
    for (const [route, spec] of streams) {
      const pattern = (spec.expect as { stream: Expect }).stream;
      const url = `${server.url}${spec.path ?? route.split(" ")[1]}`;
      const callers: Array<[Who | "anonymous", string | null, number]> = [
        ...ROLES.map((who, i): [Who, string, number] => [who, tokens[who], pattern[i] === "+" ? 200 : 403]),
        ["anonymous", null, 401],
      ];
      for (const [who, token, status] of callers) {
        const controller = new AbortController();
        const response = await fetch(url, {
          headers: { accept: "text/event-stream", ...(token ? { authorization: `Bearer ${token}` } : {}) },
          signal: controller.signal,
        });
        const type = response.headers.get("content-type") ?? "";
        outcomes.push(`${route} ${who}: ${response.status} ${type}`);
        // A refusal is a finished problem document; a stream is read no further.
        const body = status === 200 ? "" : await response.text();
        controller.abort();
        await response.body?.cancel().catch(() => {});
        if (status === 403) refusals++;
        const expectedType = status === 200 ? "text/event-stream" : "application/problem+json";
        if (response.status !== status || !type.startsWith(expectedType)) {
          wrong.push(`${route} as ${who}: ${response.status} ${type} ${body.slice(0, 200)}`);
        }
      }
    }
    expect(wrong, outcomes.join("\n")).toEqual([]);
    expect(await deniedCount()).toBe(deniedBefore + refusals);
  });

  it("answers public routes without a token", async () => {
    expect((await server.request("GET", "/api/v1/health", undefined, "")).status).toBe(200);
    expect((await server.request("GET", "/calendar.ics", undefined, "")).status).toBe(200);
    expect((await server.request("GET", "/api/v1/trains", undefined, "")).status).toBe(401);
  });

  async function deniedCount(): Promise<number> {
    const events = await server.request<Array<{ type: string }>>(
      "GET",
      "/api/v1/events?type=access.denied&limit=5000",
    );
    expect(events.status).toBe(200);
    return events.body.filter((e) => e.type === "access.denied").length;
  }
});
