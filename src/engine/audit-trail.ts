/**
 * The audit record of every mutation: who (actor), from where (source), what (action, target),
 * and the target before and after, appended as `action.audited` in the same transaction as the
 * action's own events, so both commit or vanish together.
 *
 * How: `Railyard.guard` runs the action inside an {@link AsyncLocalStorage} context; the engine's
 * store is wrapped in {@link AuditingStore}, whose first transaction of that action to append
 * events reads the target's snapshot when it begins and again before it commits, and appends the
 * record. Artifact pushes are recorded in group commits shared by many requests, and CI's bursts
 * should not pay a second event each, so a push is its own audit record: the boarding desk puts the
 * request's source into its `artifact.pushed` event (the actor is there already; before: nothing).
 *
 * A context is closed when the action returns: work the action merely woke up (the reconciler's
 * next pass inherits the context through its timers) writes no record in the person's name.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { AuditSource, AuditTarget, NewEvent } from "../domain/events.js";
import type { Instant } from "../domain/model.js";
import type { Principal } from "./actions.js";
import type { Store, StoreReader, StoreWriter } from "./ports.js";

/** One audited action in flight. */
export interface AuditContext {
  who: Principal;
  action: string;
  target: AuditTarget | null;
  /** The target as stored now (null when it does not exist). */
  snapshot: (reader: StoreReader) => Promise<unknown>;
  /** Set once the record is committed. */
  written: boolean;
  /** Set when the action returned: later transactions are not its own. */
  closed: boolean;
}

const storage = new AsyncLocalStorage<AuditContext>();

/** Runs `fn` as the audited action `context`; the context closes when `fn` settles. */
export async function runAudited<T>(context: AuditContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await storage.run(context, fn);
  } finally {
    context.closed = true;
  }
}

/** The audited action the caller runs in, if it is open and not recorded yet. */
export function pendingAudit(): AuditContext | undefined {
  const context = storage.getStore();
  return context && !context.closed && !context.written ? context : undefined;
}

/** The source of a principal, as audit records keep it. */
export function sourceOf(who: Principal): AuditSource | null {
  return who.source ?? null;
}

/** The `action.audited` event of `context` with `before` and `after`. */
export function auditEventFor(context: AuditContext, before: unknown, after: unknown): NewEvent {
  return {
    type: "action.audited",
    trainId: context.target?.kind === "train" ? context.target.id : null,
    actor: context.who.subject,
    payload: {
      action: context.action,
      target: context.target ?? { kind: "config", id: "-" },
      source: sourceOf(context.who),
      before: before ?? null,
      after: after ?? null,
    },
  };
}

/** Wraps a writer so the decorator learns whether (and when) the transaction appended events. */
function tracking(tx: StoreWriter, seen: { appended: boolean; time: Instant | null }): StoreWriter {
  return new Proxy(tx, {
    get(target, property, receiver) {
      if (property === "append") {
        return async (events: NewEvent[], time: Instant) => {
          if (events.length > 0) {
            seen.appended = true;
            seen.time = time;
          }
          return target.append(events, time);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * The engine's store: the real one, plus the audit record of the action in flight in the first
 * transaction of that action that appends events.
 */
export function auditingStore(store: Store): Store {
  const transaction = async <T>(fn: (tx: StoreWriter) => Promise<T>): Promise<T> => {
    const context = pendingAudit();
    if (!context) return store.transaction(fn);
    let recorded = false;
    const result = await store.transaction(async (tx) => {
      const before = await context.snapshot(tx);
      const seen = { appended: false, time: null as Instant | null };
      const value = await fn(tracking(tx, seen));
      if (seen.appended && seen.time !== null) {
        await tx.append([auditEventFor(context, before, await context.snapshot(tx))], seen.time);
        recorded = true;
      }
      return value;
    });
    if (recorded) context.written = true;
    return result;
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === "transaction") return transaction;
      if (property === "append") {
        return (events: NewEvent[], time: Instant) => {
          if (!pendingAudit()) return target.append(events, time);
          return transaction((tx) => tx.append(events, time));
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** What a target looks like in an audit record: the fields a reviewer compares. */
export async function snapshotOf(reader: StoreReader, target: AuditTarget | null): Promise<unknown> {
  if (!target) return null;
  switch (target.kind) {
    case "train": {
      const train = await reader.getTrain(target.id);
      if (!train) return null;
      const manifest = await reader.getManifest(target.id);
      return {
        state: train.state,
        resumeTo: train.resumeTo,
        pauseCause: train.pauseCause ?? null,
        manifestRevision: train.manifestRevision,
        currentWave: train.currentWave,
        manifest: Object.fromEntries(manifest.map((i) => [i.component, `${i.version} (${i.status})`])),
        approvals: (await reader.listApprovals(target.id)).length,
      };
    }
    case "component": {
      const pin = (await reader.listPins()).find((p) => p.component === target.id) ?? null;
      const waivers = await reader.listWaivers({ component: target.id });
      return {
        pinned: pin ? { version: pin.version, reason: pin.reason } : null,
        waivers: waivers.map((w) => w.id),
      };
    }
    case "token": {
      const token = (await reader.listTokens()).find((t) => t.id === target.id);
      return token ?? null;
    }
    case "waiver": {
      const waiver = (await reader.listWaivers({ includeRevoked: true })).find((w) => w.id === target.id);
      return waiver ?? null;
    }
    case "incident": {
      const incident = (await reader.listIncidents()).find((i) => i.id === target.id);
      return incident ? { status: incident.status, resolvedBy: incident.resolvedBy } : null;
    }
    case "artifact": {
      const artifact = await reader.getArtifact(target.id);
      if (!artifact) return null;
      const reports = await reader.listArtifactReports([target.id]);
      return {
        component: artifact.component,
        version: artifact.version,
        trainId: artifact.trainId,
        reports: reports.length,
      };
    }
    case "line":
      return (await reader.listTrains({ line: target.id, active: true, limit: 100 })).map(
        (t) => `${t.id} (${t.state})`,
      );
    case "config":
      return { hash: (await reader.getSetting("config.hash")) ?? null };
    case "clock":
      return { now: (await reader.getSetting("clock.simulated")) ?? null };
    case "report":
      return null;
    case "notification": {
      const row = await reader.getNotification(target.id);
      return row ? { status: row.status, attempts: row.attempts, nextAttemptAt: row.nextAttemptAt } : null;
    }
  }
}
