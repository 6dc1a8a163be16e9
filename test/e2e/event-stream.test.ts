/**
 * `GET /api/v1/events/stream` over real HTTP on both databases, read the way a browser's
 * EventSource reads it (a streaming body and an SSE parser written here): `ready` with the head,
 * then every event the log gains as `railyard` with its id, in order and once; a reconnect with
 * `Last-Event-ID` gets exactly what it missed; credentials as for every read (bearer or the
 * dashboard's cookie); and closing the server ends the open streams without hanging.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { EventFeed } from "../../src/api/event-feed.js";
import { pollUntil } from "../support/daemon.js";
import { withDeadline } from "../support/deadline.js";
import { DIALECTS } from "../support/dialects.js";
import { commitOf } from "../support/scenario.js";
import { ADMIN_TOKEN, startTestServer, type TestServer } from "../support/server.js";
import { createWorld, type World } from "../support/world.js";

/** One dispatched Server-Sent Event. */
interface SseMessage {
  event: string;
  id: string | null;
  data: string;
}

/** What the stream says about one event of the log (and what `/api/v1/events` says, trimmed). */
interface LiveEvent {
  id: number;
  type: string;
  trainId: string | null;
  actor: string;
  time: string;
}

/** The server's poll runs every 250 ms; anything it must deliver comes well within this. */
const WITHIN_MS = 10_000;

/**
 * A text/event-stream read as the HTML standard's parser reads it: lines end with CRLF, LF or CR,
 * a blank line dispatches, `:` starts a comment, one space after the colon is dropped, `data`
 * lines join with LF, and a block without data dispatches nothing (but `retry` still applies).
 */
class SseReader {
  private buffer = "";
  private readonly queue: SseMessage[] = [];
  private pending: { event: string; id: string | null; data: string[] } = { event: "", id: null, data: [] };
  private readonly decoder = new TextDecoder();
  private done = false;
  /** The reconnection delay the server asked for, if any. */
  retry: number | null = null;
  /** Comment lines seen (keep-alives). */
  comments = 0;

  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  /** The next message, or null once the server has ended the stream. */
  async next(what: string, timeoutMs = WITHIN_MS): Promise<SseMessage | null> {
    return withDeadline(this.take(), timeoutMs, what);
  }

  /** The next message, which must be an `event` (not the end of the stream). */
  async expect(event: string, what: string): Promise<SseMessage> {
    const message = await this.next(what);
    expect(message, what).not.toBeNull();
    expect(message?.event, `${what}: ${JSON.stringify(message)}`).toBe(event);
    return message as SseMessage;
  }

  /** Reads `railyard` events until one with id `lastId` arrives; anything else fails. */
  async railyardUntil(lastId: number, what: string): Promise<LiveEvent[]> {
    const events: LiveEvent[] = [];
    while ((events.at(-1)?.id ?? -1) < lastId) {
      const message = await this.expect("railyard", `${what} (waiting for event ${lastId})`);
      const event = JSON.parse(message.data) as LiveEvent;
      expect(message.id, "the SSE id is the event's id").toBe(String(event.id));
      events.push(event);
    }
    return events;
  }

  async cancel(): Promise<void> {
    await this.reader.cancel().catch(() => {});
  }

  private async take(): Promise<SseMessage | null> {
    for (;;) {
      const queued = this.queue.shift();
      if (queued) return queued;
      if (this.done) return null;
      const chunk = await this.reader.read();
      if (chunk.done) {
        this.done = true;
        this.feed(this.decoder.decode());
      } else {
        this.feed(this.decoder.decode(chunk.value, { stream: true }));
      }
    }
  }

  private feed(text: string): void {
    this.buffer += text;
    for (;;) {
      const match = /\r\n|\n|\r/.exec(this.buffer);
      // A lone CR at the end may be the first half of a CRLF: wait for the next chunk.
      if (!match || (match[0] === "\r" && match.index === this.buffer.length - 1 && !this.done)) return;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === "") {
      const { event, id, data } = this.pending;
      if (data.length > 0) this.queue.push({ event: event || "message", id, data: data.join("\n") });
      this.pending = { event: "", id, data: [] };
      return;
    }
    if (line.startsWith(":")) {
      this.comments++;
      return;
    }
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.pending.event = value;
    else if (field === "data") this.pending.data.push(value);
    else if (field === "id" && !value.includes("\0")) this.pending.id = value;
    else if (field === "retry" && /^\d+$/.test(value)) this.retry = Number(value);
  }
}

interface OpenStream {
  status: number;
  headers: Headers;
  /** The parsed stream (200), or the problem document's text. */
  sse: SseReader;
  body: () => Promise<string>;
}

/** Opens the stream with `headers` (credentials, Last-Event-ID) and `query`. */
async function openStream(s: TestServer, headers: Record<string, string>, query = ""): Promise<OpenStream> {
  const response = await withDeadline(
    fetch(`${s.url}/api/v1/events/stream${query}`, { headers: { accept: "text/event-stream", ...headers } }),
    WITHIN_MS,
    "the stream's response headers",
  );
  if (!response.body) throw new Error("the stream answered without a body");
  const reader = response.body.getReader();
  return {
    status: response.status,
    headers: response.headers,
    sse: new SseReader(reader),
    body: async () => {
      const chunks: Uint8Array[] = [];
      for (;;) {
        const chunk = await withDeadline(reader.read(), WITHIN_MS, "the problem document");
        if (chunk.done) break;
        chunks.push(chunk.value);
      }
      return Buffer.concat(chunks).toString("utf8");
    },
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Watches the feeds the servers of this file subscribe to (they run in this process). */
const subscribe = vi.spyOn(EventFeed.prototype, "subscribe");
afterAll(() => subscribe.mockRestore());

for (const dialect of DIALECTS) {
  describe(`${dialect}: live event stream`, () => {
    let world: World;
    let server: TestServer;
    let viewer: string;
    let ci: string;
    let pushes = 0;

    /** The log's events after `afterId`, as the stream describes them. */
    async function logAfter(afterId: number): Promise<LiveEvent[]> {
      const answer = await server.request<LiveEvent[]>("GET", `/api/v1/events?afterId=${afterId}&limit=5000`);
      expect(answer.status).toBe(200);
      return answer.body.map(({ id, type, trainId, actor, time }) => ({ id, type, trainId, actor, time }));
    }

    async function head(): Promise<number> {
      return (await logAfter(0)).at(-1)?.id ?? 0;
    }

    /** Pushes a new artifact version (new events: artifact.pushed and what follows). */
    async function push(component = "db"): Promise<void> {
      pushes++;
      const version = `1.0.${pushes}`;
      const answer = await server.request("POST", "/api/v1/artifacts", {
        component,
        version,
        commit: commitOf(component, version),
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    }

    beforeAll(async () => {
      world = await createWorld();
      server = await startTestServer(world, dialect);
      await server.advance("0s");
      viewer = await server.token("vera", ["viewer"]);
      ci = await server.ciToken("ci-db", ["db"]);
    });
    afterAll(async () => {
      await server?.cleanup();
      await world?.cleanup();
    });

    it("opens with `ready` at the head, then sends each new event once, oldest first", async () => {
      const start = await head();
      expect(start).toBeGreaterThan(0);
      const stream = await openStream(server, bearer(ADMIN_TOKEN));
      try {
        expect(stream.status).toBe(200);
        expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
        expect(stream.headers.get("cache-control")).toBe("no-store");
        const ready = await stream.sse.expect("ready", "the ready event");
        expect(JSON.parse(ready.data)).toEqual({ head: start });
        expect(stream.sse.retry).toBe(2000);

        await push("db");
        const afterPush = await head();
        expect(afterPush).toBeGreaterThan(start);
        const pushed = await stream.sse.railyardUntil(afterPush, "the events of an artifact push");
        expect(pushed).toEqual(await logAfter(start));
        expect(pushed.map((e) => e.type)).toContain("artifact.pushed");

        // The engine's own work (cut-off, freeze, integration) reaches the stream too.
        await server.advance("3h");
        const afterAdvance = await head();
        expect(afterAdvance).toBeGreaterThan(afterPush);
        const moved = await stream.sse.railyardUntil(afterAdvance, "the events of a clock advance");
        expect([...pushed, ...moved]).toEqual(await logAfter(start));
        expect(moved.map((e) => e.type)).toContain("train.transitioned");
        expect(moved.every((e) => e.trainId === null || typeof e.trainId === "string")).toBe(true);
      } finally {
        await stream.sse.cancel();
      }
    });

    it("catches a reconnect with Last-Event-ID up with exactly what it missed, then goes on", async () => {
      const first = await openStream(server, bearer(ADMIN_TOKEN));
      const start = JSON.parse((await first.sse.expect("ready", "the first connection's ready")).data).head;
      await push("api");
      await push("web");
      const seen = await first.sse.railyardUntil(await head(), "events on the first connection");
      expect(seen.length).toBeGreaterThan(1);
      // The connection drops when only the first of them has reached the page.
      const lastSeen = seen[0]!.id;
      await first.sse.cancel();

      await push("web");
      await server.advance("1h");
      const missedUpTo = await head();
      const again = await openStream(server, { ...bearer(ADMIN_TOKEN), "last-event-id": String(lastSeen) });
      try {
        expect(again.status).toBe(200);
        const caughtUp = await again.sse.railyardUntil(missedUpTo, "the missed events");
        const ready = await again.sse.expect("ready", "ready after the catch-up");
        expect(JSON.parse(ready.data)).toEqual({ head: missedUpTo });
        expect(caughtUp).toEqual(await logAfter(lastSeen));

        await push("db");
        const later = await again.sse.railyardUntil(await head(), "events after the reconnect");
        const received = [...caughtUp, ...later];
        expect(received).toEqual(await logAfter(lastSeen));
        expect(new Set(received.map((e) => e.id)).size).toBe(received.length);
        expect(received[0]!.id).toBeGreaterThan(start);
      } finally {
        await again.sse.cancel();
      }

      // `?after=` does the same for a client that cannot set headers.
      const byQuery = await openStream(server, bearer(ADMIN_TOKEN), `?after=${lastSeen}`);
      try {
        const now = await head();
        expect(await byQuery.sse.railyardUntil(now, "the events after ?after=")).toEqual(
          await logAfter(lastSeen),
        );
        expect(JSON.parse((await byQuery.sse.expect("ready", "ready after ?after=")).data)).toEqual({
          head: now,
        });
      } finally {
        await byQuery.sse.cancel();
      }
    });

    it("needs credentials like every read: none 401, a viewer 200, a CI token 403", async () => {
      const anonymous = await openStream(server, {});
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(await anonymous.body())).toMatchObject({ status: 401 });

      const wrong = await openStream(server, bearer("not-a-token"));
      expect(wrong.status).toBe(401);
      await wrong.body();

      const bot = await openStream(server, bearer(ci));
      expect(bot.status).toBe(403);
      expect(bot.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(await bot.body())).toMatchObject({ status: 403 });

      const reader = await openStream(server, bearer(viewer));
      try {
        expect(reader.status).toBe(200);
        expect(JSON.parse((await reader.sse.expect("ready", "the viewer's ready")).data)).toEqual({
          head: await head(),
        });
      } finally {
        await reader.sse.cancel();
      }
    });

    it("works with the dashboard's session cookie alone", async () => {
      const login = await server.request<{ csrfToken: string }>(
        "POST",
        "/api/v1/session",
        { token: viewer },
        "",
      );
      expect(login.status).toBe(201);
      const cookie = login.headers.getSetCookie()[0]?.split(";")[0] ?? "";
      expect(cookie).toMatch(/^railyard_session=./);

      const stream = await openStream(server, { cookie });
      try {
        expect(stream.status).toBe(200);
        const start = JSON.parse((await stream.sse.expect("ready", "ready with the cookie")).data).head;
        await push("db");
        const events = await stream.sse.railyardUntil(await head(), "events with the cookie");
        expect(events).toEqual(await logAfter(start));
      } finally {
        await stream.sse.cancel();
      }
    });

    it("ends a stream when its session logs out or its token is revoked", async () => {
      // A session: logging out (itself an event) ends the stream it opened.
      const login = await server.request<{ csrfToken: string }>(
        "POST",
        "/api/v1/session",
        { token: viewer },
        "",
      );
      const cookie = login.headers.getSetCookie()[0]?.split(";")[0] ?? "";
      const bySession = await openStream(server, { cookie });
      await bySession.sse.expect("ready", "ready with the cookie");
      const out = await server.send("DELETE", "/api/v1/session", undefined, {
        cookie,
        "x-csrf-token": login.body.csrfToken,
      });
      expect(out.status).toBe(204);
      await bySession.sse.expect("expired", "the logged-out session's stream");
      expect(await bySession.sse.next("the end of the logged-out stream")).toBeNull();

      // A token: revoking it ends the streams it opened; others go on.
      const rita = await server.token("rita", ["viewer"]);
      const byToken = await openStream(server, bearer(rita));
      const other = await openStream(server, bearer(viewer));
      try {
        await byToken.sse.expect("ready", "rita's ready");
        await other.sse.expect("ready", "vera's ready");
        const tokens = await server.request<Array<{ id: string; subject: string }>>("GET", "/api/v1/tokens");
        const id = tokens.body.find((t) => t.subject === "rita")?.id;
        expect(id).toBeDefined();
        expect((await server.request("DELETE", `/api/v1/tokens/${id}`)).status).toBe(204);
        await byToken.sse.expect("expired", "the revoked token's stream");
        expect(await byToken.sse.next("the end of the revoked stream")).toBeNull();
        const still = await other.sse.expect("railyard", "vera's stream goes on");
        expect(JSON.parse(still.data).type).toMatch(/token/);
      } finally {
        await byToken.sse.cancel();
        await other.sse.cancel();
      }
    });

    it("lets go of a stream whose client went away", async () => {
      const one = await openStream(server, bearer(ADMIN_TOKEN));
      await one.sse.expect("ready", "the first stream's ready");
      const two = await openStream(server, bearer(viewer));
      await two.sse.expect("ready", "the second stream's ready");
      const feed = subscribe.mock.contexts.at(-1) as EventFeed;
      expect(feed.listeners).toBe(2);
      await one.sse.cancel();
      await pollUntil(
        "the feed to drop the closed stream",
        WITHIN_MS,
        async () => (feed.listeners === 1 ? true : undefined),
        20,
      );
      await two.sse.cancel();
      await pollUntil(
        "the feed to drop both streams",
        WITHIN_MS,
        async () => (feed.listeners === 0 ? true : undefined),
        20,
      );
    });

    it("ends every open stream when the server closes, and stop() does not hang", async () => {
      const watched = await openStream(server, bearer(ADMIN_TOKEN));
      await watched.sse.expect("ready", "ready before the close");
      // A second dashboard that never reads: its stream must not hold the server open either.
      const idle = await openStream(server, bearer(viewer));
      expect(idle.status).toBe(200);

      await withDeadline(server.stop(), WITHIN_MS, "server.stop() with two open streams");
      expect(await watched.sse.next("the end of the stream")).toBeNull();
      // Its `ready` at most (the close may come first), then the end.
      const idleMessages: string[] = [];
      for (;;) {
        const message = await idle.sse.next("the end of the idle stream");
        if (message === null) break;
        idleMessages.push(message.event);
      }
      expect(idleMessages.filter((event) => event !== "ready")).toEqual([]);
      expect(idleMessages.length).toBeLessThanOrEqual(1);
    });
  });
}
