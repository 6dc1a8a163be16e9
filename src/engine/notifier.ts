/**
 * The notification outbox at work, as the background job `notifications`: on every beat it
 * (1) classifies and routes the events appended since its cursor and inserts one outbox row per
 * (event, channel), moving the cursor in the same transaction; (2) inserts the reminders due now;
 * (3) sends the due rows, recording each attempt (retries with backoff, jitter and a cap, `domain/backoff.ts`;
 * 429 Retry-After respected; `routing.maxAttempts` then failed). Delivery is at least once: a
 * send whose success was not recorded (a crash in between) is sent again with the same id.
 * See `docs/design/notifications.md`.
 */
import { jitteredBackoff } from "../domain/backoff.js";
import type { RailyardConfig } from "../domain/config/schema.js";
import { parseDuration } from "../domain/duration.js";
import type { StoredEvent } from "../domain/events.js";
import { classifyEvent } from "../domain/notifications/classify.js";
import type { Notification } from "../domain/notifications/notification.js";
import { dueReminders, type ReminderTrain } from "../domain/notifications/reminders.js";
import { renderMessage } from "../domain/notifications/render.js";
import { emailRecipients, routeNotification } from "../domain/notifications/route.js";
import { chainHead } from "./audit-signer.js";
import type { BackgroundJob } from "./background-jobs.js";
import type { EngineContext } from "./context.js";
import type {
  NotificationEnqueue,
  NotificationRecord,
  NotificationSenderFactory,
  SendResult,
} from "./ports.js";

/** The `settings` key of the last event the notifier has routed. */
export const NOTIFICATIONS_CURSOR = "notifications.cursor";

/** Options of {@link Notifier}. */
export interface NotifierOptions {
  /** Builds each channel's sender; without it rows are queued but not sent. */
  senders?: NotificationSenderFactory | undefined;
  /** Events read per batch. @default 500 */
  batchSize?: number;
  /** Due rows sent per beat. @default 100 */
  deliveriesPerBeat?: number;
  /** Backoff between attempts (engine clock). @default { baseMs: 30_000, capMs: 3_600_000 } */
  backoff?: { baseMs: number; capMs: number };
  /** Longest Retry-After honoured. @default 3_600_000 */
  maxRetryAfterMs?: number;
  /** Randomness of the jitter, in [0, 1). @default Math.random */
  random?: () => number;
}

/** Routes, renders, queues and delivers notifications (see the module comment). */
export class Notifier implements BackgroundJob {
  readonly name = "notifications";

  constructor(
    private readonly ctx: EngineContext,
    private readonly options: NotifierOptions = {},
  ) {}

  async run(): Promise<void> {
    await this.enqueueEvents();
    await this.enqueueReminders();
    await this.deliverDue();
  }

  private get config(): RailyardConfig {
    return this.ctx.config().config;
  }

  /** Rows for `n`: one per routed channel, rendered for it (an email channel without recipients is skipped). */
  private rowsFor(n: Notification, now: string): NotificationEnqueue[] {
    const config = this.config;
    const rows: NotificationEnqueue[] = [];
    for (const channel of routeNotification(n, config)) {
      const def = config.notifications[channel];
      if (!def) continue;
      const id = `${n.key}/${channel}`;
      const recipients = def.type === "email" ? emailRecipients(n, channel, config) : [];
      if (def.type === "email" && recipients.length === 0) {
        this.ctx.logger.warn(
          { channel, notification: id, train_id: n.trainId },
          "email channel has no recipients for this notification (no `to`, no team member or addressee with an email); not sent",
        );
        continue;
      }
      rows.push({
        id,
        channel,
        kind: n.kind,
        topic: n.topic,
        trainId: n.trainId,
        line: n.line,
        severity: n.severity,
        message: renderMessage(n, def, { id, publicUrl: config.routing.publicUrl, recipients }),
        nextAttemptAt: now,
        createdAt: now,
        eventId: n.eventId,
      });
    }
    return rows;
  }

  /** Step 1: the events after the cursor (the first time: none, the cursor starts at the log head). */
  async enqueueEvents(): Promise<void> {
    const store = this.ctx.store;
    const stored = await store.getSetting(NOTIFICATIONS_CURSOR);
    if (stored === undefined) {
      // A database older than notifications does not announce its whole history.
      const head = await chainHead(store);
      await store.transaction((tx) => tx.setSetting(NOTIFICATIONS_CURSOR, String(head?.id ?? 0)));
      return;
    }
    let cursor = Number(stored);
    const lines = new Map<string, string | null>();
    const lineOfTrain = async (trainId: string): Promise<string | null> => {
      if (!lines.has(trainId)) lines.set(trainId, (await store.getTrain(trainId))?.line ?? null);
      return lines.get(trainId) ?? null;
    };
    const lineOf = async (event: StoredEvent): Promise<string | null> => {
      if (event.type === "incident.opened") return event.payload.line;
      if (event.trainId) return lineOfTrain(event.trainId);
      if (event.type === "incident.resolved") {
        const incident = (await store.listIncidents()).find((i) => i.id === event.payload.incidentId);
        return incident?.line ?? null;
      }
      return null;
    };
    for (;;) {
      const events = await store.listEvents({ afterId: cursor, limit: this.options.batchSize ?? 500 });
      if (events.length === 0) return;
      const now = this.ctx.clock.now().toISOString();
      const config = this.config;
      const rows: NotificationEnqueue[] = [];
      for (const event of events) {
        const line = await lineOf(event);
        const teams = teamsOf(config, line);
        const n = classifyEvent(event, { line, teams });
        if (n) rows.push(...this.rowsFor(n, now));
      }
      const last = events.at(-1)!.id;
      await store.transaction(async (tx) => {
        await tx.enqueueNotifications(rows);
        await tx.setSetting(NOTIFICATIONS_CURSOR, String(last));
      });
      cursor = last;
    }
  }

  /** Step 2: reminders due now; their keys make a second insert of the same occurrence a no-op. */
  async enqueueReminders(): Promise<void> {
    const store = this.ctx.store;
    const nowDate = this.ctx.clock.now();
    const trains = await store.listTrains({ active: true, limit: 1000 });
    const input: ReminderTrain[] = [];
    for (const train of trains) {
      if (!["boarding", "awaiting_approval", "blocked"].includes(train.state)) continue;
      const transitions = await store.listEvents({ trainId: train.id, types: ["train.transitioned"] });
      const boarded =
        train.state === "boarding"
          ? [
              ...new Set(
                (await store.listArtifacts({ trainId: train.id, limit: 1000 })).map((a) => a.component),
              ),
            ]
          : [];
      input.push({ train, since: transitions.at(-1)?.time ?? null, boarded });
    }
    const now = nowDate.toISOString();
    const rows = dueReminders(this.config, input, nowDate.getTime()).flatMap((n) => this.rowsFor(n, now));
    if (rows.length === 0) return;
    await store.transaction((tx) => tx.enqueueNotifications(rows));
  }

  /** Step 3: sends the due rows, one attempt each, and records how it went. */
  async deliverDue(): Promise<void> {
    const senders = this.options.senders;
    if (!senders) return;
    const store = this.ctx.store;
    const now = this.ctx.clock.now();
    const due = await store.dueNotifications(now.toISOString(), this.options.deliveriesPerBeat ?? 100);
    for (const row of due) await this.deliver(row, senders);
  }

  private async deliver(row: NotificationRecord, senders: NotificationSenderFactory): Promise<void> {
    const store = this.ctx.store;
    const config = this.config;
    const timeoutMs = parseDuration(config.routing.timeout);
    const now = this.ctx.clock.now();
    // The lease keeps another replica from sending it meanwhile; a crash leaves it due again after.
    const lease = new Date(now.getTime() + 2 * timeoutMs).toISOString();
    const claimed = await store.transaction((tx) => tx.claimNotification(row.id, row.nextAttemptAt, lease));
    if (!claimed) return;
    const log = this.ctx.logger.child({
      notification: row.id,
      channel: row.channel,
      ...(row.trainId ? { train_id: row.trainId } : {}),
      ...(row.line ? { line: row.line } : {}),
    });
    let result: SendResult;
    if (!config.notifications[row.channel]) {
      result = {
        ok: false,
        permanent: true,
        error: `channel ${row.channel} is no longer configured (notifications.${row.channel}); add it back and retry`,
      };
    } else {
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        result = await senders(row.channel, config).send(row.channel, row.message, signal);
      } catch (error) {
        // Senders answer failures; a throw is a bug or a configuration problem (a missing variable).
        result = { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    }
    const attempts = row.attempts + 1;
    const at = this.ctx.clock.now();
    if (result.ok) {
      await store.transaction((tx) =>
        tx.recordNotificationAttempt(row.id, {
          status: "delivered",
          attempts,
          nextAttemptAt: at.toISOString(),
          deliveredAt: at.toISOString(),
          lastError: null,
        }),
      );
      log.info({ attempts }, "notification delivered");
      return;
    }
    const maxAttempts = config.routing.maxAttempts;
    const giveUp = result.permanent === true || attempts >= maxAttempts;
    const backoff = this.options.backoff ?? { baseMs: 30_000, capMs: 3_600_000 };
    const delay = Math.max(
      jitteredBackoff(attempts, backoff, this.options.random ?? Math.random),
      Math.min(result.retryAfterMs ?? 0, this.options.maxRetryAfterMs ?? 3_600_000),
    );
    const nextAttemptAt = new Date(at.getTime() + delay).toISOString();
    await store.transaction((tx) =>
      tx.recordNotificationAttempt(row.id, {
        status: giveUp ? "failed" : "pending",
        attempts,
        nextAttemptAt,
        lastError: result.error,
      }),
    );
    if (giveUp) {
      log.error(
        { attempts, err: result.error },
        `notification failed for good after ${attempts} attempt(s); retry it with railyard notifications retry`,
      );
    } else {
      log.warn(
        { attempts, err: result.error, next_attempt_at: nextAttemptAt },
        "notification delivery failed; will retry",
      );
    }
  }
}

/** Teams owning a component of `line`. */
function teamsOf(config: RailyardConfig, line: string | null): string[] {
  if (line === null) return [];
  const teams = (config.lines[line]?.components ?? []).flatMap((c) => config.components[c]?.team ?? []);
  return [...new Set(teams)];
}
