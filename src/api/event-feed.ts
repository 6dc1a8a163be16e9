/**
 * The live tail of the event log behind `GET /api/v1/events/stream`: one poller per server reads
 * the events appended since its cursor (by this replica or any other sharing the database) and
 * hands them to every subscriber, so a hundred open dashboards cost one query per beat.
 *
 * A subscriber that reconnects with `Last-Event-ID` is first caught up from the log, then joins the
 * broadcast; events are never sent twice to one subscriber and never out of order. A subscriber
 * further behind than {@link CATCH_UP_LIMIT} events is told to reload instead (`reset`).
 */
import type { StoredEvent } from "../domain/events.js";

/** What a dashboard needs to know that something changed (not the payload: it refetches). */
export interface LiveEvent {
  id: number;
  type: string;
  trainId: string | null;
  actor: string;
  time: string;
}

/** Where the feed reads from: the engine's facade. */
export interface EventSource {
  events(filter: { afterId: number; limit: number }): Promise<StoredEvent[]>;
  lastEventId(): Promise<number>;
}

export interface FeedListener {
  /** New events, oldest first. */
  events(events: LiveEvent[]): void;
  /** The subscriber is too far behind to catch up event by event: it should reload. */
  reset(head: number): void;
}

/** The most events a reconnecting subscriber is caught up with before being told to reload. */
export const CATCH_UP_LIMIT = 1000;
const PAGE = 500;

interface Subscriber {
  listener: FeedListener;
  /** The newest event this subscriber has been given. */
  cursor: number;
}

export interface EventFeedOptions {
  /** How often the log is read while anyone listens. @default 250 ms */
  intervalMs?: number;
  /** Told when a read fails (the poll goes on). */
  onError?: (error: Error) => void;
}

export class EventFeed {
  private readonly subscribers = new Set<Subscriber>();
  private cursor: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly source: EventSource,
    private readonly options: EventFeedOptions = {},
  ) {}

  /**
   * Starts listening after event `afterId` (null: from now on). Returns the head the subscriber
   * starts from and a function that stops listening.
   */
  async subscribe(
    afterId: number | null,
    listener: FeedListener,
  ): Promise<{ head: number; unsubscribe: () => void }> {
    if (this.closed) throw new Error("the event feed is closed");
    const head = await this.source.lastEventId();
    const subscriber: Subscriber = { listener, cursor: head };
    if (afterId !== null && afterId < head) {
      if (head - afterId > CATCH_UP_LIMIT) {
        listener.reset(head);
      } else {
        const missed = await this.source.events({ afterId, limit: head - afterId });
        const upToHead = missed.filter((event) => event.id <= head);
        if (upToHead.length > 0) listener.events(upToHead.map(live));
      }
    }
    // Closed while reading: joining now would leave a subscriber nobody polls for.
    if (this.closed) throw new Error("the event feed is closed");
    this.subscribers.add(subscriber);
    if (this.cursor === null || this.cursor > head) this.cursor = head;
    this.start();
    return {
      head,
      unsubscribe: () => {
        this.subscribers.delete(subscriber);
        if (this.subscribers.size === 0) this.stop();
      },
    };
  }

  /** How many are listening. */
  get listeners(): number {
    return this.subscribers.size;
  }

  /** Stops polling and forgets every subscriber. */
  close(): void {
    this.closed = true;
    this.subscribers.clear();
    this.stop();
  }

  /** Reads what is new once and hands it out (the timer calls this; tests may too). */
  poll(): Promise<void> {
    this.polling ??= this.readNew().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const cursor = this.cursor;
      if (cursor === null || this.subscribers.size === 0) return;
      const page = await this.source.events({ afterId: cursor, limit: PAGE });
      // A subscriber joined from an older head (or everyone left) while this page was read: the
      // page may skip what the newcomer has not seen yet, so read again from the new cursor.
      if (this.cursor !== cursor) continue;
      if (page.length === 0) return;
      const events = page.map(live);
      for (const subscriber of this.subscribers) {
        const fresh = events.filter((event) => event.id > subscriber.cursor);
        if (fresh.length === 0) continue;
        subscriber.cursor = fresh[fresh.length - 1]!.id;
        subscriber.listener.events(fresh);
      }
      this.cursor = page[page.length - 1]!.id;
      if (page.length < PAGE) return;
    }
  }

  private start(): void {
    if (this.timer !== null || this.closed) return;
    this.timer = setInterval(() => {
      this.poll().catch((error: Error) => this.options.onError?.(error));
    }, this.options.intervalMs ?? 250);
    this.timer.unref();
  }

  private stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.cursor = null;
  }
}

function live(event: StoredEvent): LiveEvent {
  return { id: event.id, type: event.type, trainId: event.trainId, actor: event.actor, time: event.time };
}
