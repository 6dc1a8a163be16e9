import { describe, expect, test } from "vitest";
import { makeTrain } from "../../../test/support/train.js";
import { checkReferences } from "../config/references.js";
import { RailyardConfig } from "../config/schema.js";
import type { StoredEvent } from "../events.js";
import type { Train } from "../model.js";
import { classifyEvent } from "./classify.js";
import type { Notification } from "./notification.js";
import { dueReminders, occurrence } from "./reminders.js";
import { renderCloudEvent, renderEmail, renderSlack, SLACK_LIMITS } from "./render.js";
import { emailRecipients, matchesGlob, routeNotification } from "./route.js";

const SCHEDULE = { rrule: "FREQ=DAILY", start: "2026-03-02T10:00", timezone: "UTC", cutoff: "2h" };

function config(extra: Record<string, unknown> = {}) {
  return RailyardConfig.parse({
    version: 1,
    teams: {
      core: { members: [{ name: "ann", email: "ann@example.com" }, { name: "ben" }], notify: ["core-chat"] },
      web: { members: [{ name: "wes", email: "wes@example.com" }] },
      board: {
        members: [
          { name: "alice", email: "alice@example.com", roles: ["approver"] },
          { name: "carol", email: "carol@example.com", roles: ["approver", "coordinator"] },
        ],
      },
    },
    users: [{ name: "olga", email: "olga@example.com", roles: ["coordinator"] }],
    deployers: { argo: { type: "gitops", repository: "deploy.git" } },
    components: {
      db: { team: "core", deployer: "argo" },
      api: { team: "core", deployer: "argo" },
      site: { team: "web", deployer: "argo" },
    },
    environments: { staging: { kind: "integration" }, prod: { kind: "production" } },
    lines: {
      shop: {
        schedule: SCHEDULE,
        components: ["db", "api", "site"],
        approval: { mode: "manual", team: "board" },
        rollout: { waves: [{ name: "all", environments: ["prod"] }] },
        notify: ["releases", "audit-hook"],
      },
    },
    notifications: {
      releases: {
        type: "slack",
        webhookUrlFromEnv: "SLACK_URL",
        events: ["train.released", "train.blocked"],
      },
      "audit-hook": { type: "webhook", urlFromEnv: "HOOK_URL" },
      "core-chat": { type: "slack", webhookUrlFromEnv: "CORE_URL" },
      pager: { type: "webhook", urlFromEnv: "PAGER_URL", purpose: "page" },
      tickets: { type: "webhook", urlFromEnv: "TICKETS_URL", purpose: "ticket" },
      mail: { type: "email", to: ["ops@example.com"], teams: ["web"] },
    },
    smtp: { host: "127.0.0.1", from: "railyard@example.com" },
    ...extra,
  });
}

let nextId = 100;
function event(partial: Pick<StoredEvent, "type" | "payload"> & { trainId?: string | null }): StoredEvent {
  return {
    id: nextId++,
    time: "2026-03-02T09:30:00.000Z",
    actor: "system",
    prevHash: "0",
    hash: "1",
    trainId: partial.trainId === undefined ? "shop-1" : partial.trainId,
    ...partial,
  } as StoredEvent;
}

function transition(to: string, extra: Record<string, unknown> = {}): StoredEvent {
  return event({
    type: "train.transitioned",
    payload: {
      from: "verifying",
      to,
      event: "release",
      resumeTo: null,
      reason: "all waves verified",
      ...extra,
    },
  } as Pick<StoredEvent, "type" | "payload">);
}

const ctx = { line: "shop", teams: ["core", "web"] };

describe("classifyEvent", () => {
  test.each([
    ["released", {}, "train.released", "info"],
    ["rolled_back", {}, "train.rolled_back", "warning"],
    ["rolling_back", {}, "train.rolling_back", "warning"],
    ["blocked", {}, "train.blocked", "warning"],
    ["paused", { cause: "budget" }, "train.paused", "critical"],
    ["paused", { cause: "window" }, "train.paused", "info"],
    ["deploying", { event: "depart" }, "train.departed", "info"],
  ])("a transition to %s (%o) is %s, %s", (to, extra, topic, severity) => {
    const n = classifyEvent(transition(to, extra), ctx);
    expect(n?.topic).toBe(topic);
    expect(n?.severity).toBe(severity);
    expect(n?.line).toBe("shop");
    expect(n?.key).toMatch(/^event\/\d+$/);
  });

  test("ordinary transitions and other events are not announced", () => {
    expect(classifyEvent(transition("gating", { event: "integrated" }), ctx)).toBeNull();
    expect(classifyEvent(transition("verifying", { event: "wave_deployed" }), ctx)).toBeNull();
    expect(
      classifyEvent(
        event({ type: "config.loaded", trainId: null, payload: { hash: "h", source: "f", lines: [] } }),
        ctx,
      ),
    ).toBeNull();
  });

  test("incidents take their severity (critical when absent); resolutions are info", () => {
    const base = { incidentId: "inc-1", line: "shop", title: "errors", detail: "5xx up", stopsLine: false };
    const critical = classifyEvent(event({ type: "incident.opened", payload: base }), ctx);
    expect([critical?.topic, critical?.severity]).toEqual(["incident.opened", "critical"]);
    const warning = classifyEvent(
      event({ type: "incident.opened", payload: { ...base, severity: "warning" } }),
      ctx,
    );
    expect(warning?.severity).toBe("warning");
    const resolved = classifyEvent(
      event({ type: "incident.resolved", payload: { incidentId: "inc-1", resolution: "fixed" } }),
      ctx,
    );
    expect([resolved?.topic, resolved?.severity]).toEqual(["incident.resolved", "info"]);
  });

  test("a failed gate is a warning; a passed one is not announced", () => {
    const payload = {
      resultId: "r",
      stage: "gating",
      gate: "tests",
      type: "command",
      attempt: 1,
      output: "2 failed",
      durationMs: 1,
    };
    const failed = classifyEvent(
      event({ type: "gate.evaluated", payload: { ...payload, status: "failed" } }),
      ctx,
    );
    expect([failed?.topic, failed?.severity, failed?.reason]).toEqual(["gate.failed", "warning", "2 failed"]);
    expect(
      classifyEvent(event({ type: "gate.evaluated", payload: { ...payload, status: "passed" } }), ctx),
    ).toBeNull();
  });
});

function notification(partial: Partial<Notification> = {}): Notification {
  return {
    key: "event/7",
    kind: "event",
    topic: "train.released",
    severity: "info",
    eventType: "train.transitioned",
    eventId: 7,
    time: "2026-03-02T09:30:00.000Z",
    trainId: "shop-1",
    line: "shop",
    teams: ["core", "web"],
    state: "released",
    title: "shop-1 released",
    reason: "all waves verified",
    data: {},
    ...partial,
  };
}

describe("routeNotification", () => {
  test("a line's notify channels, each filtered by its events (topic or event type)", () => {
    const c = config();
    expect(routeNotification(notification(), c)).toEqual(["releases", "audit-hook"]);
    // releases only takes train.released and train.blocked
    expect(routeNotification(notification({ topic: "train.departed" }), c)).toEqual(["audit-hook"]);
    // an existing config's raw event types still match
    const legacy = config({
      notifications: { releases: { type: "slack", webhookUrlFromEnv: "S", events: ["train.transitioned"] } },
    });
    legacy.lines.shop!.notify = ["releases"];
    expect(routeNotification(notification({ topic: "train.departed" }), legacy)).toEqual(["releases"]);
  });

  test("default routing: critical pages, warning opens a ticket, info neither", () => {
    const c = config();
    expect(routeNotification(notification({ severity: "critical", topic: "incident.opened" }), c)).toEqual([
      "audit-hook",
      "pager",
    ]);
    expect(routeNotification(notification({ severity: "warning", topic: "train.blocked" }), c)).toEqual([
      "releases",
      "audit-hook",
      "tickets",
    ]);
    expect(routeNotification(notification({ severity: "info", line: null }), c)).toEqual([]);
  });

  test("routes by event glob, line, team and severity replace the default", () => {
    const c = config({
      routing: {
        routes: [
          { match: { events: ["incident.*"], severities: ["critical"] }, to: ["pager"] },
          { match: { teams: ["web"], lines: ["shop"] }, to: ["mail"] },
          { match: { teams: ["nobody-owns"] }, to: ["tickets"] },
        ],
      },
    });
    const off = { line: null, teams: [] as string[] };
    expect(
      routeNotification(notification({ ...off, severity: "critical", topic: "incident.opened" }), c),
    ).toEqual(["pager"]);
    // a critical train pause does not match incident.*, and with routes the default is off
    expect(
      routeNotification(notification({ ...off, severity: "critical", topic: "train.paused" }), c),
    ).toEqual([]);
    expect(
      routeNotification(notification({ line: "shop", teams: ["web"], topic: "train.departed" }), c),
    ).toEqual(["audit-hook", "mail"]);
    expect(
      routeNotification(notification({ line: "shop", teams: ["core"], topic: "train.departed" }), c),
    ).toEqual(["audit-hook"]);
  });

  test("globs", () => {
    expect(matchesGlob("train.*", "train.released")).toBe(true);
    expect(matchesGlob("train.*", "gate.failed")).toBe(false);
    expect(matchesGlob("*", "anything")).toBe(true);
    expect(matchesGlob("train.released", "train.released")).toBe(true);
    expect(matchesGlob("train.r*d", "train.released")).toBe(true);
    expect(matchesGlob("train.+", "train.released")).toBe(false);
  });

  test("an email channel's recipients: to, its teams' members with email, the addressees", () => {
    const c = config();
    expect(emailRecipients(notification({ recipients: ["carol@example.com"] }), "mail", c)).toEqual([
      "ops@example.com",
      "wes@example.com",
      "carol@example.com",
    ]);
  });
});

describe("render", () => {
  test("Slack: header, fields, reason, links, all within Slack's limits", () => {
    const long = "x".repeat(5000);
    const message = renderSlack(
      notification({ title: long, reason: `<b>&${long}`, state: long }),
      "https://railyard.example.com/",
    );
    const header = message.blocks[0];
    expect(header?.type).toBe("header");
    if (header?.type !== "header") throw new Error("no header");
    expect(header.text.text.length).toBe(150);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    for (const block of message.blocks) {
      if (block.type !== "section") continue;
      expect((block.text?.text.length ?? 0) <= 3000).toBe(true);
      expect((block.fields ?? []).length).toBeLessThanOrEqual(10);
      for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2000);
    }
    const fields = message.blocks[1];
    if (fields?.type !== "section") throw new Error("no fields");
    expect(fields.fields?.map((f) => f.text.split("\n")[0])).toEqual([
      "*Train*",
      "*Line*",
      "*State*",
      "*Severity*",
    ]);
    const reason = message.blocks[2];
    if (reason?.type !== "section") throw new Error("no reason");
    expect(reason.text?.text.startsWith("*Reason*\n&lt;b&gt;&amp;x")).toBe(true);
    const actions = message.blocks.find((b) => b.type === "actions");
    if (actions?.type !== "actions") throw new Error("no links");
    expect(actions.elements.map((e) => e.url)).toEqual([
      "https://railyard.example.com/trains/shop-1",
      "https://railyard.example.com/api/v1/trains/shop-1",
    ]);
    expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
    expect(renderSlack(notification()).blocks.some((b) => b.type === "actions")).toBe(false);
  });

  test("CloudEvents: required attributes, reverse-DNS type, stable id", () => {
    const event = renderCloudEvent(notification(), "event/7/audit-hook");
    expect(event).toMatchObject({
      specversion: "1.0",
      id: "event/7/audit-hook",
      source: "/railyard/lines/shop/trains/shop-1",
      type: "dev.railyard.train.released",
      subject: "shop-1",
      time: "2026-03-02T09:30:00.000Z",
      datacontenttype: "application/json",
    });
    expect(renderCloudEvent(notification(), "event/7/audit-hook")).toEqual(event);
    expect(renderCloudEvent(notification({ trainId: null, line: null }), "x").source).toBe("/railyard");
  });

  test("email: subject, facts and link", () => {
    const email = renderEmail(notification(), ["a@example.com"], "https://r.example.com");
    expect(email.subject).toBe("[Railyard] shop-1 released");
    expect(email.text).toContain("Train: shop-1\nLine: shop\nState: released\nSeverity: info");
    expect(email.text).toContain("Open: https://r.example.com/trains/shop-1");
  });
});

/** shop-1, boarding before its 08:00 cut-off, nothing frozen yet. */
const train = (partial: Partial<Train>): Train =>
  makeTrain({
    id: "shop-1",
    line: "shop",
    number: 1,
    scheduledAt: null,
    manifestRevision: 0,
    createdAt: "2026-03-01T10:00:00.000Z",
    updatedAt: "2026-03-01T10:00:00.000Z",
    ...partial,
  });

describe("dueReminders", () => {
  const at = (iso: string) => Date.parse(iso);

  test("cut-off: one per team within the lead time, to the team's notify else the line's", () => {
    const c = config();
    const trains = [{ train: train({}), since: null, boarded: ["db"] }];
    expect(dueReminders(c, trains, at("2026-03-02T05:59:59.000Z"))).toEqual([]);
    const due = dueReminders(c, trains, at("2026-03-02T06:00:00.000Z"));
    expect(due.map((n) => [n.key, n.channels])).toEqual([
      ["reminder/cutoff/shop-1/2h/core", ["core-chat"]],
      ["reminder/cutoff/shop-1/2h/web", ["releases", "audit-hook"]],
    ]);
    expect(due[0]?.reason).toBe("not boarded yet: api; boarded: db");
    expect(due[1]?.recipients).toEqual(["wes@example.com"]);
    expect(dueReminders(c, trains, at("2026-03-02T08:00:00.000Z"))).toEqual([]);
  });

  test("approval: after `after`, then every `every`, to the approvers", () => {
    const c = config();
    const trains = [
      {
        train: train({ state: "awaiting_approval", manifestRevision: 1 }),
        since: "2026-03-02T10:00:00.000Z",
        boarded: [],
      },
    ];
    expect(dueReminders(c, trains, at("2026-03-02T10:59:00.000Z"))).toEqual([]);
    const first = dueReminders(c, trains, at("2026-03-02T11:00:00.000Z"));
    expect(first.map((n) => n.key)).toEqual(["reminder/approval/shop-1/1/1"]);
    expect(first[0]?.recipients).toEqual(["alice@example.com", "carol@example.com"]);
    expect(dueReminders(c, trains, at("2026-03-02T14:59:00.000Z")).map((n) => n.key)).toEqual([
      "reminder/approval/shop-1/1/1",
    ]);
    expect(dueReminders(c, trains, at("2026-03-02T15:00:00.000Z")).map((n) => n.key)).toEqual([
      "reminder/approval/shop-1/1/2",
    ]);
  });

  test("blocked: to the coordinators", () => {
    const c = config();
    const since = "2026-03-02T10:00:00.000Z";
    const trains = [{ train: train({ state: "blocked", reason: "gate tests failed" }), since, boarded: [] }];
    const due = dueReminders(c, trains, at("2026-03-02T10:30:00.000Z"));
    expect(due.map((n) => n.key)).toEqual([`reminder/blocked/shop-1/${since}/1`]);
    expect(due[0]?.recipients).toEqual(["carol@example.com", "olga@example.com"]);
    expect(occurrence(at("2026-03-02T14:30:00.000Z"), at(since), 30 * 60_000, 4 * 3_600_000)).toBe(2);
  });
});

describe("configuration", () => {
  test("existing channel shapes still load, with purpose chat and format cloudevents", () => {
    const c = config();
    expect(c.notifications["audit-hook"]).toMatchObject({
      purpose: "chat",
      format: "cloudevents",
      events: ["*"],
    });
    expect(c.routing.maxAttempts).toBe(8);
    expect(c.routing.reminders.cutoff.before).toEqual(["2h"]);
    expect(checkReferences(c)).toEqual([]);
  });

  test("references: routes, team notify, reminders and email channels without smtp", () => {
    const c = config({
      smtp: undefined,
      routing: {
        routes: [{ match: { lines: ["shoop"], teams: ["nobody"] }, to: ["pagr"] }],
        reminders: { cutoff: { to: ["missing"] } },
      },
    });
    c.teams.core!.notify = ["gone"];
    const messages = checkReferences(c).map((p) => `${p.path.join(".")}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'teams.core.notify.0: unknown notification channel "gone": defined notification channels are "releases", "audit-hook", "core-chat", "pager", "tickets", "mail"',
        "notifications.mail.type: an email channel needs an SMTP server: add a top-level smtp: {host, port, from}",
        'routing.routes.0.to.0: unknown notification channel "pagr" (did you mean "pager"?)',
        'routing.routes.0.match.lines.0: unknown line "shoop" (did you mean "shop"?)',
        'routing.routes.0.match.teams.0: unknown team "nobody": defined teams are "core", "web", "board"',
        'routing.reminders.cutoff.to.0: unknown notification channel "missing": defined notification channels are "releases", "audit-hook", "core-chat", "pager", "tickets", "mail"',
      ]),
    );
    expect(messages).toHaveLength(6);
  });
});
