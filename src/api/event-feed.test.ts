/**
 * The live tail behind `GET /api/v1/events/stream`, on an in-memory log: every subscriber gets each
 * event after its cursor exactly once and in order, however subscribers come, go and reconnect, and
 * the feed reads the log only while someone listens. Driven by `feed.poll()`; the feed's own timer
 * is faked so it never runs unless a test advances it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { StoredEvent } from "../domain/events.js";
import { CATCH_UP_LIMIT, EventFeed, type EventSource, type FeedListener } from "./event-feed.js";

/** An append-only log in memory, counting reads, with hooks to interleave appends with reads. */
function memoryLog(initial = 0) {
  const log: StoredEvent[] = [];
  const reads = { events: 0, lastEventId: 0 };
  const hooks: { beforeEvents?: () => void; headGate?: Promise<void>; eventsGate?: Promise<void> } = {};
  let next = 1;
  const append = (count = 1) => {
    for (let i = 0; i < count; i++) {
      const id = next++;
      log.push({
        id,
        type: "train.created",
        trainId: `shop-${id}`,
        actor: id % 2 === 0 ? "system" : "ci-bot",
        payload: {} as never,
        time: new Date(Date.UTC(2026, 2, 2, 5, 0, id)).toISOString(),
        prevHash: "0".repeat(64),
        hash: "1".repeat(64),
      } as StoredEvent);
    }
  };
  /** An id the log never holds (PostgreSQL's sequence skips one when a transaction rolls back). */
  const gap = () => {
    next++;
  };
  append(initial);
  const source: EventSource = {
    async events({ afterId, limit }) {
      reads.events++;
      hooks.beforeEvents?.();
      const gate = hooks.eventsGate;
      hooks.eventsGate = undefined;
      if (gate) await gate;
      return log.filter((event) => event.id > afterId).slice(0, limit);
    },
    async lastEventId() {
      reads.lastEventId++;
      const head = log.at(-1)?.id ?? 0;
      if (hooks.headGate) await hooks.headGate;
      return head;
    },
  };
  return { log, reads, hooks, append, gap, source };
}

/** A listener that writes down what it was given. */
function recorder() {
  const ids: number[] = [];
  const batches: number[][] = [];
  const resets: number[] = [];
  const listener: FeedListener = {
    events(events) {
      batches.push(events.map((event) => event.id));
      ids.push(...events.map((event) => event.id));
    },
    reset(head) {
      resets.push(head);
    },
  };
  return { ids, batches, resets, listener };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("EventFeed", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("gives a subscriber from now only the later events, oldest first, each once", async () => {
    const { append, source } = memoryLog(3);
    const feed = new EventFeed(source);
    const a = recorder();
    const { head } = await feed.subscribe(null, a.listener);
    expect(head).toBe(3);
    expect(a.ids).toEqual([]);

    await feed.poll();
    expect(a.ids).toEqual([]);
    append(2);
    await feed.poll();
    expect(a.batches).toEqual([[4, 5]]);
    await feed.poll();
    append();
    await feed.poll();
    await feed.poll();
    expect(a.ids).toEqual([4, 5, 6]);
    expect(a.batches.every((batch) => batch.length > 0)).toBe(true);
    // What it is given describes the event (no payload: the dashboard refetches).
    const seen: unknown[] = [];
    await feed.subscribe(null, { events: (events) => seen.push(...events), reset: () => {} });
    append();
    await feed.poll();
    expect(seen).toEqual([
      { id: 7, type: "train.created", trainId: "shop-7", actor: "ci-bot", time: "2026-03-02T05:00:07.000Z" },
    ]);
  });

  it("reads a burst larger than one page in full and in order", async () => {
    const { append, source } = memoryLog();
    const feed = new EventFeed(source);
    const a = recorder();
    await feed.subscribe(null, a.listener);
    append(1234);
    await feed.poll();
    expect(a.ids).toEqual(range(1, 1234));
    append(3);
    await feed.poll();
    expect(a.ids).toEqual(range(1, 1237));
  });

  it("serves two subscribers from their own cursors", async () => {
    const { append, source } = memoryLog(3);
    const feed = new EventFeed(source);
    const a = recorder();
    const b = recorder();
    const c = recorder();
    await feed.subscribe(null, a.listener);
    append(2);
    // b joins at 5 before the feed has read 4 and 5: it must not get them; a must.
    expect((await feed.subscribe(null, b.listener)).head).toBe(5);
    await feed.poll();
    expect(a.ids).toEqual([4, 5]);
    expect(b.ids).toEqual([]);
    // c resumes from 2: it is caught up at once with 3..5, then shares the broadcast.
    await feed.subscribe(2, c.listener);
    expect(c.ids).toEqual([3, 4, 5]);
    append(2);
    await feed.poll();
    expect(a.ids).toEqual([4, 5, 6, 7]);
    expect(b.ids).toEqual([6, 7]);
    expect(c.ids).toEqual([3, 4, 5, 6, 7]);
    expect(feed.listeners).toBe(3);
  });

  it("misses nothing for a subscriber whose head is older than what the feed has already read", async () => {
    const { append, hooks, source } = memoryLog(3);
    const feed = new EventFeed(source);
    const a = recorder();
    const b = recorder();
    await feed.subscribe(null, a.listener);
    append();
    // b reads the head (4), then stalls; meanwhile the feed reads 4 and 5 for a.
    let release = () => {};
    hooks.headGate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const joining = feed.subscribe(null, b.listener);
    hooks.headGate = undefined;
    append();
    await feed.poll();
    expect(a.ids).toEqual([4, 5]);
    release();
    expect((await joining).head).toBe(4);
    await feed.poll();
    expect(b.ids).toEqual([5]);
    expect(a.ids).toEqual([4, 5]);
    append();
    await feed.poll();
    expect(a.ids).toEqual([4, 5, 6]);
    expect(b.ids).toEqual([5, 6]);
  });

  it("misses nothing for a subscriber that joins from an older head while the feed is reading", async () => {
    const { append, hooks, source } = memoryLog(3);
    const feed = new EventFeed(source);
    const a = recorder();
    const b = recorder();
    await feed.subscribe(null, a.listener);
    // b reads the head (3) and stalls; the feed reads 4 for a, then starts reading again.
    let releaseHead = () => {};
    hooks.headGate = new Promise<void>((resolve) => {
      releaseHead = resolve;
    });
    const joining = feed.subscribe(null, b.listener);
    hooks.headGate = undefined;
    append();
    await feed.poll();
    expect(a.ids).toEqual([4]);
    append();
    let releaseRead = () => {};
    hooks.eventsGate = new Promise<void>((resolve) => {
      releaseRead = resolve;
    });
    const reading = feed.poll();
    // b joins (from 3) while that read (after 4) is under way.
    releaseHead();
    expect((await joining).head).toBe(3);
    releaseRead();
    await reading;
    await feed.poll();
    expect(b.ids).toEqual([4, 5]);
    expect(a.ids).toEqual([4, 5]);
  });

  it("catches a reconnecting subscriber up with exactly what it missed, then continues without duplicates", async () => {
    const { append, source } = memoryLog(3);
    const feed = new EventFeed(source);
    const other = recorder();
    await feed.subscribe(null, other.listener);
    const first = recorder();
    const { unsubscribe } = await feed.subscribe(null, first.listener);
    append(2);
    await feed.poll();
    expect(first.ids).toEqual([4, 5]);
    // The connection drops after 4 reached the browser; the feed goes on for the other dashboard.
    unsubscribe();
    append(3);
    await feed.poll();
    expect(other.ids).toEqual([4, 5, 6, 7, 8]);

    const again = recorder();
    const { head } = await feed.subscribe(4, again.listener);
    expect(head).toBe(8);
    expect(again.ids).toEqual([5, 6, 7, 8]);
    await feed.poll();
    expect(again.ids).toEqual([5, 6, 7, 8]);
    append();
    await feed.poll();
    await feed.poll();
    expect(again.ids).toEqual([5, 6, 7, 8, 9]);
    expect(other.ids).toEqual([4, 5, 6, 7, 8, 9]);
    expect(again.resets).toEqual([]);
  });

  it("delivers an event appended while a subscriber is being caught up once, through the broadcast", async () => {
    const { append, gap, hooks, source } = memoryLog(3);
    gap();
    append(2);
    const feed = new EventFeed(source);
    const a = recorder();
    hooks.beforeEvents = () => {
      hooks.beforeEvents = undefined;
      append();
    };
    const { head } = await feed.subscribe(2, a.listener);
    expect(head).toBe(6);
    expect(a.ids).toEqual([3, 5, 6]);
    await feed.poll();
    expect(a.ids).toEqual([3, 5, 6, 7]);
  });

  it("tells a subscriber more than CATCH_UP_LIMIT events behind to reload, and catches up one exactly at the limit", async () => {
    const { append, source } = memoryLog(CATCH_UP_LIMIT + 5);
    const feed = new EventFeed(source);
    const behind = recorder();
    const { head } = await feed.subscribe(4, behind.listener);
    expect(head).toBe(CATCH_UP_LIMIT + 5);
    expect(behind.resets).toEqual([head]);
    expect(behind.ids).toEqual([]);

    const atLimit = recorder();
    await feed.subscribe(5, atLimit.listener);
    expect(atLimit.resets).toEqual([]);
    expect(atLimit.ids).toEqual(range(6, CATCH_UP_LIMIT + 5));

    append(2);
    await feed.poll();
    expect(behind.ids).toEqual([head + 1, head + 2]);
    expect(atLimit.ids.slice(-3)).toEqual([head, head + 1, head + 2]);
  });

  it("treats a cursor at or beyond the head as 'from now on'", async () => {
    const { append, source } = memoryLog(3);
    const feed = new EventFeed(source);
    const a = recorder();
    const b = recorder();
    await feed.subscribe(3, a.listener);
    await feed.subscribe(99, b.listener);
    append();
    await feed.poll();
    expect(a.ids).toEqual([4]);
    expect(b.ids).toEqual([4]);
    expect([...a.resets, ...b.resets]).toEqual([]);
  });

  it("reads the log on its timer only while someone listens", async () => {
    const { append, reads, source } = memoryLog(3);
    const feed = new EventFeed(source, { intervalMs: 250 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reads.events).toBe(0);

    const a = recorder();
    const first = await feed.subscribe(null, a.listener);
    const b = recorder();
    const second = await feed.subscribe(null, b.listener);
    append();
    await vi.advanceTimersByTimeAsync(250);
    expect(a.ids).toEqual([4]);
    await vi.advanceTimersByTimeAsync(750);
    expect(reads.events).toBe(4);

    first.unsubscribe();
    expect(feed.listeners).toBe(1);
    await vi.advanceTimersByTimeAsync(250);
    expect(reads.events).toBe(5);

    second.unsubscribe();
    expect(feed.listeners).toBe(0);
    append();
    await vi.advanceTimersByTimeAsync(5_000);
    await feed.poll();
    expect(reads.events).toBe(5);
    expect(vi.getTimerCount()).toBe(0);
    expect(b.ids).toEqual([4]);

    // Listening again starts from the new head, not from where the last listener left.
    const c = recorder();
    expect((await feed.subscribe(null, c.listener)).head).toBe(5);
    append();
    await vi.advanceTimersByTimeAsync(250);
    expect(c.ids).toEqual([6]);
  });

  it("keeps polling after a failed read and reports it", async () => {
    const { append, hooks, source } = memoryLog(1);
    const errors: string[] = [];
    const feed = new EventFeed(source, { intervalMs: 100, onError: (error) => errors.push(error.message) });
    const a = recorder();
    await feed.subscribe(null, a.listener);
    hooks.beforeEvents = () => {
      hooks.beforeEvents = undefined;
      throw new Error("database gone");
    };
    append();
    await vi.advanceTimersByTimeAsync(100);
    expect(errors).toEqual(["database gone"]);
    expect(a.ids).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(a.ids).toEqual([2]);
  });

  it("close() forgets every subscriber, stops the timer and refuses new ones", async () => {
    const { append, reads, source } = memoryLog(3);
    const feed = new EventFeed(source);
    const a = recorder();
    await feed.subscribe(null, a.listener);
    feed.close();
    expect(feed.listeners).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    append();
    const before = reads.events;
    await feed.poll();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(reads.events).toBe(before);
    expect(a.ids).toEqual([]);
    await expect(feed.subscribe(null, recorder().listener)).rejects.toThrow(/closed/);
  });

  it("does not keep a subscriber that was still joining when the feed closed", async () => {
    const { append, hooks, source } = memoryLog(3);
    const feed = new EventFeed(source);
    let release = () => {};
    hooks.headGate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const a = recorder();
    const joining = feed.subscribe(null, a.listener);
    feed.close();
    release();
    await expect(joining).rejects.toThrow(/closed/);
    expect(feed.listeners).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    append();
    await feed.poll();
    expect(a.ids).toEqual([]);
  });
});
