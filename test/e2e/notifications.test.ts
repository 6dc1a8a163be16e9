/**
 * Notifications end to end: a real server (SQLite and PostgreSQL, simulated clock) announcing
 * trains to local receivers that speak Slack's incoming-webhook and CloudEvents wire formats,
 * and to a real SMTP server (smtp-server). Payloads are checked against zod schemas written from
 * Slack's Block Kit reference and the CloudEvents 1.0 specification, not from Railyard's code.
 */
import { Writable } from "node:stream";
import pino from "pino";
import { SMTPServer } from "smtp-server";
import { afterEach, describe, expect, test } from "vitest";
import { z } from "zod";
import type { Logger, NotificationRecord } from "../../src/engine/ports.js";
import { verifyWebhookSignature } from "../../src/integrations/http/webhook-signature.js";
import { runCli } from "../support/cli.js";
import { DIALECTS } from "../support/dialects.js";
import { type Receiver, startReceiver } from "../support/receiver.js";
import { commitOf } from "../support/scenario.js";
import { ADMIN_TOKEN, startTestServer, type TestServer } from "../support/server.js";
import { createWorld, type World, type WorldOptions } from "../support/world.js";

// --- Slack Block Kit (api.slack.com/reference/block-kit/blocks, /composition-objects) ---------
const PlainText = z.strictObject({
  type: z.literal("plain_text"),
  text: z.string().min(1).max(3000),
  emoji: z.boolean().optional(),
});
const Mrkdwn = z.strictObject({
  type: z.literal("mrkdwn"),
  text: z.string().min(1).max(3000),
  verbatim: z.boolean().optional(),
});
const TextObject = z.union([PlainText, Mrkdwn]);
const Field = z.union([PlainText, Mrkdwn.extend({ text: z.string().min(1).max(2000) })]);
const BlockId = z.string().max(255).optional();
const SlackBlock = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("header"),
    text: PlainText.extend({ text: z.string().min(1).max(150) }),
    block_id: BlockId,
  }),
  z
    .strictObject({
      type: z.literal("section"),
      text: TextObject.optional(),
      fields: z.array(Field).min(1).max(10).optional(),
      block_id: BlockId,
    })
    .refine((s) => s.text !== undefined || s.fields !== undefined, "a section needs text or fields"),
  z.strictObject({
    type: z.literal("context"),
    elements: z.array(TextObject).min(1).max(10),
    block_id: BlockId,
  }),
  z.strictObject({
    type: z.literal("actions"),
    block_id: BlockId,
    elements: z
      .array(
        z.strictObject({
          type: z.literal("button"),
          text: PlainText.extend({ text: z.string().min(1).max(75) }),
          action_id: z.string().max(255).optional(),
          url: z.url().max(3000).optional(),
          value: z.string().max(2000).optional(),
          style: z.enum(["primary", "danger"]).optional(),
        }),
      )
      .min(1)
      .max(25),
  }),
]);
const SlackMessage = z.object({ text: z.string().min(1), blocks: z.array(SlackBlock).min(1).max(50) });

// --- CloudEvents 1.0 (github.com/cloudevents/spec: spec.md, formats/json-format.md) -----------
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const CloudEvent = z
  .object({
    specversion: z.literal("1.0"),
    id: z.string().min(1),
    source: z.string().min(1),
    type: z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z0-9_-]+)+$/, "reverse-DNS type"),
    time: z.string().regex(RFC3339).optional(),
    subject: z.string().min(1).optional(),
    datacontenttype: z.string().optional(),
    data: z.unknown().optional(),
  })
  .catchall(z.union([z.string(), z.number(), z.boolean()]))
  .superRefine((event, ctx) => {
    for (const key of Object.keys(event)) {
      if (!/^[a-z0-9]{1,20}$/.test(key)) ctx.addIssue({ code: "custom", message: `attribute name ${key}` });
    }
  });

const SLACK_SECRET = "T000/B000/s3cr3tSlackToken";
const HOOK_SECRET = "hook-hmac-secret";
const SMTP_PASSWORD = "smtp-pa55word";

function top(smtpPort: number, auth: boolean): string {
  return `users:
  - { name: olga, email: olga@example.com, roles: [coordinator] }
notifications:
  releases: { type: slack, webhookUrlFromEnv: NT_SLACK_URL, events: [train.released] }
  hooks: { type: webhook, urlFromEnv: NT_HOOK_URL, secretFromEnv: NT_HOOK_SECRET }
  flaky: { type: webhook, urlFromEnv: NT_FLAKY_URL, events: [train.released] }
  pager: { type: webhook, urlFromEnv: NT_PAGER_URL, purpose: page, events: ["incident.*"] }
  tickets: { type: webhook, urlFromEnv: NT_TICKETS_URL, purpose: ticket, events: ["incident.*"] }
  team-chat: { type: slack, webhookUrlFromEnv: NT_TEAM_URL }
  mail: { type: email, to: [ops@example.com], events: [train.released] }
  coordinators: { type: email }
smtp:
  host: 127.0.0.1
  port: ${smtpPort}
  from: "Railyard <railyard@example.com>"
${auth ? "  userFromEnv: NT_SMTP_USER\n  passwordFromEnv: NT_SMTP_PASS\n" : ""}routing:
  publicUrl: https://railyard.example.com
  maxAttempts: 6
  reminders:
    cutoff: { before: [1h], to: [team-chat] }
    approval: { to: [team-chat] }
    blocked: { to: [team-chat, coordinators] }
`;
}

interface Mail {
  from: string;
  to: string[];
  data: string;
}

async function startSmtp(
  auth: boolean,
  mails: Mail[],
  refuse: { next: number },
): Promise<{ port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    disabledCommands: auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    allowInsecureAuth: true,
    authOptional: !auth,
    logger: false,
    onAuth(login, _session, callback) {
      if (login.username === "railyard" && login.password === SMTP_PASSWORD)
        callback(null, { user: "railyard" });
      else callback(new Error("Invalid username or password"));
    },
    onRcptTo(_address, _session, callback) {
      if (refuse.next > 0) {
        refuse.next -= 1;
        const error = new Error("mailbox busy, try later") as Error & { responseCode: number };
        error.responseCode = 451;
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

for (const dialect of DIALECTS) {
  describe(`notifications (${dialect})`, () => {
    let world: World | undefined;
    let server: TestServer | undefined;
    let receivers: Record<string, Receiver> = {};
    let smtp: { port: number; close(): Promise<void> } | undefined;
    let logs: string[] = [];
    const mails: Mail[] = [];
    const refuse = { next: 0 };

    afterEach(async () => {
      await server?.cleanup();
      await world?.cleanup();
      for (const r of Object.values(receivers)) await r.close();
      await smtp?.close();
      server = undefined;
      world = undefined;
      smtp = undefined;
      receivers = {};
    });

    async function setup(options: WorldOptions & { auth?: boolean } = {}): Promise<TestServer> {
      logs = [];
      mails.length = 0;
      refuse.next = 0;
      const auth = options.auth ?? false;
      smtp = await startSmtp(auth, mails, refuse);
      for (const name of ["releases", "hooks", "flaky", "pager", "tickets", "team"])
        receivers[name] = await startReceiver();
      process.env.NT_SLACK_URL = `${receivers.releases!.url}/services/${SLACK_SECRET}`;
      process.env.NT_TEAM_URL = `${receivers.team!.url}/services/${SLACK_SECRET}`;
      process.env.NT_HOOK_URL = `${receivers.hooks!.url}/events`;
      process.env.NT_HOOK_SECRET = HOOK_SECRET;
      process.env.NT_FLAKY_URL = `${receivers.flaky!.url}/events?token=${SLACK_SECRET}`;
      process.env.NT_PAGER_URL = `${receivers.pager!.url}/page`;
      process.env.NT_TICKETS_URL = `${receivers.tickets!.url}/ticket`;
      process.env.NT_SMTP_USER = "railyard";
      process.env.NT_SMTP_PASS = SMTP_PASSWORD;
      world = await createWorld({
        ...options,
        line: `    notify: [releases, hooks, flaky, mail]\n${options.line ?? ""}`,
        top: top(smtp.port, auth),
      });
      const sink = new Writable({
        write(chunk, _encoding, done) {
          logs.push(String(chunk));
          done();
        },
      });
      server = await startTestServer(world, dialect, undefined, {
        logger: pino({ level: "debug" }, sink) as unknown as Logger,
      });
      await server.advance("0s");
      return server;
    }

    async function releaseFirst(s: TestServer): Promise<void> {
      for (const component of ["db", "api", "web"]) {
        const answer = await s.request("POST", "/api/v1/artifacts", {
          component,
          version: "1.0.0",
          commit: commitOf(component, "1.0.0"),
        });
        expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      }
      await s.advance("2h");
      await s.advance("2h");
      await s.advance("30m");
      const train = await s.request<{ train: { state: string } }>("GET", "/api/v1/trains/shop-1");
      expect(train.body.train.state).toBe("released");
    }

    async function rows(s: TestServer, query = ""): Promise<NotificationRecord[]> {
      const answer = await s.request<NotificationRecord[]>("GET", `/api/v1/notifications?limit=1000${query}`);
      expect(answer.status).toBe(200);
      return answer.body;
    }

    function noSecrets(records: NotificationRecord[]): void {
      const text = `${logs.join("")}\n${records.map((r) => r.lastError ?? "").join("\n")}`;
      for (const secret of [SLACK_SECRET, HOOK_SECRET, SMTP_PASSWORD, "s3cr3t"])
        expect(text).not.toContain(secret);
    }

    test("a released train reaches Slack and the CloudEvents webhook in their documented shapes; a flaky receiver gets it exactly once", async () => {
      const s = await setup();
      receivers.flaky!.script = [
        { status: 500 },
        { status: 500 },
        { status: 500 },
        { status: 429, headers: { "retry-after": "600" } },
      ];
      await releaseFirst(s);

      // Slack: exactly the released message (the channel's events filter), in Block Kit shape.
      const slack = receivers.releases!.received;
      expect(slack).toHaveLength(1);
      expect(slack[0]!.path).toBe(`/services/${SLACK_SECRET}`);
      expect(slack[0]!.headers["content-type"]).toMatch(/^application\/json/);
      const message = SlackMessage.parse(JSON.parse(slack[0]!.body));
      expect(message.blocks[0]).toEqual({
        type: "header",
        text: { type: "plain_text", text: "shop-1 released", emoji: true },
      });
      expect(JSON.stringify(message.blocks)).toContain("https://railyard.example.com/trains/shop-1");
      const fields = message.blocks.find((b) => b.type === "section" && b.fields);
      expect(fields && "fields" in fields ? fields.fields?.map((f) => f.text) : []).toEqual([
        "*Train*\nshop-1",
        "*Line*\nshop",
        "*State*\nreleased",
        "*Severity*\ninfo",
      ]);

      // CloudEvents: every announced event of the train, signed, each a valid structured event.
      const hooks = receivers.hooks!.received;
      const events = hooks.map((r) => {
        expect(r.headers["content-type"]).toMatch(/^application\/cloudevents\+json/);
        expect(
          verifyWebhookSignature(
            HOOK_SECRET,
            r.headers["x-railyard-timestamp"] as string,
            r.body,
            r.headers["x-railyard-signature"] as string,
          ),
        ).toBe(true);
        return CloudEvent.parse(JSON.parse(r.body));
      });
      const types = events.map((e) => e.type);
      expect(types).toContain("dev.railyard.train.departed");
      expect(types.at(-1)).toBe("dev.railyard.train.released");
      const released = events.at(-1)!;
      expect(released).toMatchObject({
        source: "/railyard/lines/shop/trains/shop-1",
        subject: "shop-1",
        datacontenttype: "application/json",
      });
      expect(released.id).toMatch(/^event\/\d+\/hooks$/);

      // The flaky receiver: 500, 500, 500, then 429 Retry-After 600 s, then 200.
      expect(receivers.flaky!.received.map((r) => r.status)).toEqual([500]);
      await s.advance("5m");
      await s.advance("5m");
      await s.advance("5m");
      expect(receivers.flaky!.received.map((r) => r.status)).toEqual([500, 500, 500, 429]);
      await s.advance("5m"); // Retry-After is 10 minutes: not yet
      expect(receivers.flaky!.received).toHaveLength(4);
      await s.advance("6m");
      await s.advance("1h");
      await s.advance("1h");
      const flaky = receivers.flaky!.received;
      expect(flaky.map((r) => r.status)).toEqual([500, 500, 500, 429, 200]);
      const ids = flaky.map((r) => (JSON.parse(r.body) as { id: string }).id);
      expect(new Set(ids).size).toBe(1);
      expect(flaky.filter((r) => r.status === 200)).toHaveLength(1);
      const [row] = await rows(s, "&channel=flaky");
      expect(row).toMatchObject({ id: ids[0], status: "delivered", attempts: 5, topic: "train.released" });

      // The CLI shows the attempts.
      const cli = await runCli(["--server", s.url, "notifications", "list", "--json"], {
        env: { RAILYARD_TOKEN: ADMIN_TOKEN },
      });
      expect(cli.code, cli.stderr).toBe(0);
      const listed = JSON.parse(cli.stdout) as NotificationRecord[];
      expect(listed.find((n) => n.id === ids[0])).toMatchObject({ attempts: 5, status: "delivered" });

      // Running the job again, even from the start of the log, enqueues and sends nothing twice.
      const before = (await rows(s)).length;
      const sent = Object.values(receivers).reduce((sum, r) => sum + r.received.length, 0);
      await s.server.store.transaction((tx) => tx.setSetting("notifications.cursor", "0"));
      await s.server.railyard.jobs.runAll();
      await s.advance("1h");
      expect((await rows(s)).length).toBe(before);
      expect(Object.values(receivers).reduce((sum, r) => sum + r.received.length, 0)).toBe(sent);
      noSecrets(await rows(s));
    });

    test("a receiver down past maxAttempts ends failed and a retry re-sends it; incidents page or open tickets by severity", async () => {
      const s = await setup();
      receivers.flaky!.fallback = { status: 503, body: "down" };
      await releaseFirst(s);
      for (let i = 0; i < 7; i++) await s.advance("1h");
      expect(receivers.flaky!.received.map((r) => r.status)).toEqual([503, 503, 503, 503, 503, 503]);
      const [failed] = await rows(s, "&channel=flaky&status=failed");
      expect(failed).toMatchObject({ status: "failed", attempts: 6 });
      expect(failed!.lastError).toContain("HTTP 503");

      const cli = await runCli(["--server", s.url, "notifications", "list", "--failed", "--json"], {
        env: { RAILYARD_TOKEN: ADMIN_TOKEN },
      });
      expect((JSON.parse(cli.stdout) as NotificationRecord[]).map((n) => n.id)).toEqual([failed!.id]);

      const member = await s.token("ann", ["member"]);
      const denied = await s.request(
        "POST",
        `/api/v1/notifications/${encodeURIComponent(failed!.id)}/retry`,
        undefined,
        member,
      );
      expect(denied.status).toBe(403);
      receivers.flaky!.fallback = { status: 200 };
      const retried = await s.request<NotificationRecord>(
        "POST",
        `/api/v1/notifications/${encodeURIComponent(failed!.id)}/retry`,
      );
      expect(retried.status, JSON.stringify(retried.body)).toBe(200);
      expect(retried.body.status).toBe("pending");
      await s.advance("0s");
      expect(receivers.flaky!.received.map((r) => r.status)).toEqual([503, 503, 503, 503, 503, 503, 200]);
      expect((await rows(s, "&channel=flaky"))[0]).toMatchObject({ status: "delivered", attempts: 7 });
      const again = await s.request("POST", `/api/v1/notifications/${encodeURIComponent(failed!.id)}/retry`);
      expect(again.status).toBe(409);

      // Default routing (no routing.routes): critical pages, warning opens a ticket.
      for (const severity of ["critical", "warning"]) {
        const opened = await s.request("POST", "/api/v1/incidents", {
          line: "shop",
          title: `${severity} errors`,
          severity,
        });
        expect(opened.status, JSON.stringify(opened.body)).toBe(201);
      }
      await s.advance("0s");
      const paged = receivers.pager!.received.map((r) => CloudEvent.parse(JSON.parse(r.body)));
      const ticketed = receivers.tickets!.received.map((r) => CloudEvent.parse(JSON.parse(r.body)));
      expect(paged.map((e) => [e.type, e.severity])).toEqual([["dev.railyard.incident.opened", "critical"]]);
      expect(ticketed.map((e) => [e.type, e.severity])).toEqual([
        ["dev.railyard.incident.opened", "warning"],
      ]);
      noSecrets(await rows(s));
    });

    test("reminders: cut-off once per team, approval every 4h to approvers' channel", async () => {
      const s = await setup({ approval: { team: "board", required: 1 } });
      const cutoff = () => receivers.team!.received.filter((r) => r.body.includes("boarding closes"));
      await s.advance("59m"); // 05:59, cut-off at 07:00, lead time 1h
      expect(cutoff()).toHaveLength(0);
      await s.advance("1m");
      expect(cutoff()).toHaveLength(1);
      const text = (SlackMessage.parse(JSON.parse(cutoff()[0]!.body)) as { text: string }).text;
      expect(text).toContain("team core");
      expect(text).toContain("not boarded yet: db, api, web");
      await s.advance("10m");
      expect(cutoff()).toHaveLength(1);

      for (const component of ["db", "api", "web"]) {
        await s.request("POST", "/api/v1/artifacts", {
          component,
          version: "1.0.0",
          commit: commitOf(component, "1.0.0"),
        });
      }
      await s.advance("50m"); // 07:00: frozen → gates → awaiting approval
      const train = await s.request<{ train: { state: string } }>("GET", "/api/v1/trains/shop-1");
      expect(train.body.train.state).toBe("awaiting_approval");
      const approval = () => receivers.team!.received.filter((r) => r.body.includes("needs approval"));
      await s.advance("59m");
      expect(approval()).toHaveLength(0);
      await s.advance("1m");
      expect(approval()).toHaveLength(1);
      await s.advance("3h59m");
      expect(approval()).toHaveLength(1);
      await s.advance("1m");
      expect(approval()).toHaveLength(2);
      const keys = (await rows(s, "&channel=team-chat"))
        .filter((r) => r.topic === "reminder.approval")
        .map((r) => r.id);
      expect(keys.sort()).toEqual([
        "reminder/approval/shop-1/1/1/team-chat",
        "reminder/approval/shop-1/1/2/team-chat",
      ]);
    });

    test("blocked reminder to the coordinator by email, without SMTP AUTH", async () => {
      const s = await setup();
      await world!.fail("gating");
      for (const component of ["db", "api", "web"]) {
        await s.request("POST", "/api/v1/artifacts", {
          component,
          version: "1.0.0",
          commit: commitOf(component, "1.0.0"),
        });
      }
      await s.advance("2h"); // 07:00: gates fail, blocked
      expect(
        (await s.request<{ train: { state: string } }>("GET", "/api/v1/trains/shop-1")).body.train.state,
      ).toBe("blocked");
      const blockedMails = () => mails.filter((m) => m.data.includes("is blocked"));
      await s.advance("29m");
      expect(blockedMails()).toHaveLength(0);
      await s.advance("1m");
      expect(blockedMails()).toHaveLength(1);
      // carol (coordinator in the board team) has no email; olga (a coordinator user) has one.
      expect(blockedMails()[0]!.to).toEqual(["olga@example.com"]);
      expect(blockedMails()[0]!.data).toMatch(/Subject: \[Railyard\] shop-1 is blocked/);
      await s.advance("3h");
      expect(blockedMails()).toHaveLength(1);
      await s.advance("1h");
      expect(blockedMails()).toHaveLength(2);
    });

    test("email with SMTP AUTH: a temporary SMTP failure is retried; recipients, subject and body arrive", async () => {
      const s = await setup({ auth: true });
      refuse.next = 1;
      await releaseFirst(s);
      const [first] = await rows(s, "&channel=mail");
      expect(first).toMatchObject({ status: "pending", attempts: 1 });
      expect(first!.lastError).toContain("451");
      expect(mails).toHaveLength(0);
      await s.advance("5m");
      expect(mails).toHaveLength(1);
      expect(mails[0]!.to).toEqual(["ops@example.com"]);
      expect(mails[0]!.from).toBe("railyard@example.com");
      expect(mails[0]!.data).toContain("Subject: [Railyard] shop-1 released");
      expect(mails[0]!.data).toContain("Train: shop-1");
      expect(mails[0]!.data).toContain("https://railyard.example.com/trains/shop-1");
      expect((await rows(s, "&channel=mail"))[0]).toMatchObject({ status: "delivered", attempts: 2 });
      noSecrets(await rows(s));
    });
  });
}
