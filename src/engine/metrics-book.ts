/**
 * The release metrics' read model: every train's {@link TrainFact} in memory, folded from the
 * event log after a cursor and persisted with it (`train_facts`, setting `metrics.cursor`), so a
 * query costs only the events since the last one and the computation over a few thousand facts.
 *
 * - Cold (a new process): reads the cursor, then every stored fact, once; then folds what is new.
 * - Warm: folds only events after the cursor (none, usually), then computes.
 * - First fold of an old database (cursor 0): folds the whole log once, page by page, each page
 *   persisted with the cursor in one transaction, so a crash halfway resumes where it stopped.
 *
 * Two books (two replicas, or a new one beside an old one) may fold at once: a fact is only
 * replaced by one folded further, and the cursor only moves forward, so neither loses the other's
 * work; each answers from its own facts, which are complete up to its own cursor.
 */

import type { EventType, StoredEvent } from "../domain/events.js";
import { computeReleaseMetrics } from "../domain/metrics/compute.js";
import {
  type FoldLookups,
  foldTrainFacts,
  TRAIN_FACT_EVENT_TYPES,
  type TrainFact,
} from "../domain/metrics/train-fact.js";
import type { MetricsQuery, ReleaseMetricsReport } from "../domain/metrics/types.js";
import type { Incident, Instant } from "../domain/model.js";
import type { Logger, Store, TrainFactRecord } from "./ports.js";

/** The settings key of the last event folded into the stored facts. */
export const METRICS_CURSOR_KEY = "metrics.cursor";

const INCIDENT_EVENTS: readonly EventType[] = ["incident.opened", "incident.resolved", "incident.alert"];
const EVENT_TYPES: EventType[] = [...TRAIN_FACT_EVENT_TYPES, ...INCIDENT_EVENTS];

export interface MetricsBookOptions {
  store: Store;
  logger: Logger;
  /** The team owning a component, from the configuration in force. */
  teamOf(component: string): string | undefined;
  /** Events read per page while folding. @default 5000 */
  pageSize?: number;
  /**
   * Whether folds are written back (facts and cursor). False: read the stored ones, fold the rest
   * in memory only, never write (offline readers such as `railyard metrics --database`). @default true
   */
  persist?: boolean;
}

/** A released train not measured yet (see {@link MetricsBook.unmeasuredReleases}). */
export interface UnmeasuredRelease {
  trainId: string;
  line: string;
  /** When its first production wave started; null if it never departed (nothing to compare). */
  departedAt: Instant | null;
  releasedAt: Instant;
}

type ArtifactTimes = { pushedAt: Instant; committedAt: Instant | null };

export class MetricsBook {
  readonly #facts = new Map<string, TrainFact>();
  readonly #artifacts = new Map<string, ArtifactTimes>();
  #cursor = 0;
  #loaded = false;
  /** Whether the facts' push times are in #artifacts (done once, when a freeze first needs it). */
  #remembered = true;
  #incidents: Incident[] | null = null;
  #folding: Promise<number> | null = null;
  #cached: { key: string; report: ReleaseMetricsReport } | null = null;

  constructor(private readonly options: MetricsBookOptions) {}

  /** The last event folded into this book's facts (0 before the first fold). */
  get cursor(): number {
    return this.#cursor;
  }

  /**
   * Folds the events appended since the cursor and persists the changed facts with the new
   * cursor; returns the cursor. Concurrent calls share one fold.
   * @throws when the store fails (what was persisted before stays; the next call resumes)
   */
  async catchUp(): Promise<number> {
    while (this.#folding) await this.#folding.catch(() => undefined);
    const run = this.#catchUp();
    this.#folding = run;
    try {
      return await run;
    } finally {
      this.#folding = null;
    }
  }

  /**
   * The report for `query`, after folding what is new. The query is trusted (the facade checks
   * lines, teams and components against the configuration).
   */
  async report(query: MetricsQuery): Promise<ReleaseMetricsReport> {
    await this.catchUp();
    const key = `${this.#cursor}|${JSON.stringify(query)}`;
    if (this.#cached?.key === key) return this.#cached.report;
    this.#incidents ??= await this.options.store.listIncidents();
    const report = computeReleaseMetrics(this.#facts.values(), this.#incidents, query, {
      teamOf: (component) => this.options.teamOf(component),
      asOfEventId: this.#cursor,
    });
    this.#cached = { key, report };
    return report;
  }

  /** Every train's fact as of this book's cursor (call {@link catchUp} first); do not change them. */
  facts(): IterableIterator<TrainFact> {
    return this.#facts.values();
  }

  /**
   * Released trains with no `release.measured` folded yet (the M5 measurer's work list), as of
   * this book's cursor: call {@link catchUp} first.
   */
  unmeasuredReleases(): UnmeasuredRelease[] {
    const out: UnmeasuredRelease[] = [];
    for (const fact of this.#facts.values()) {
      if (fact.outcome !== "released" || fact.measurement !== null || fact.releasedAt === null) continue;
      out.push({
        trainId: fact.trainId,
        line: fact.line,
        departedAt: fact.departedAt,
        releasedAt: fact.releasedAt,
      });
    }
    return out;
  }

  async #catchUp(): Promise<number> {
    const { store } = this.options;
    if (!this.#loaded) {
      // The cursor first: facts stored after it was read are at least as far, never behind.
      this.#cursor = Number((await store.getSetting(METRICS_CURSOR_KEY)) ?? 0);
      for (const record of await store.listTrainFacts()) this.#facts.set(record.trainId, record.fact);
      // The stored facts' push times are indexed only when a freeze needs one (see #fold).
      this.#remembered = false;
      this.#loaded = true;
    }
    const pageSize = this.options.pageSize ?? 5000;
    for (;;) {
      const events = await store.listEvents({ afterId: this.#cursor, types: EVENT_TYPES, limit: pageSize });
      if (events.length === 0) break;
      await this.#fold(events);
      if (events.length < pageSize) break;
    }
    return this.#cursor;
  }

  async #fold(events: StoredEvent[]): Promise<void> {
    const { store } = this.options;
    const missing = new Set<string>();
    for (const event of events) {
      if (event.type === "artifact.pushed") {
        this.#artifacts.set(event.payload.artifactId, {
          pushedAt: event.time,
          committedAt: event.payload.committedAt ?? null,
        });
      } else if (event.type === "manifest.frozen") {
        for (const item of event.payload.items) {
          if (!this.#artifacts.has(item.artifactId)) missing.add(item.artifactId);
        }
      } else if (INCIDENT_EVENTS.includes(event.type)) {
        this.#incidents = null;
      }
    }
    // Carried artifacts: from the facts read at the cold start, indexed on the first need (most
    // processes never need it); else pushed before any fact knew them: the push time from the store.
    if (missing.size > 0 && !this.#remembered) {
      for (const fact of this.#facts.values()) this.#remember(fact);
      this.#remembered = true;
      for (const id of missing) if (this.#artifacts.has(id)) missing.delete(id);
    }
    for (const id of missing) {
      const artifact = await store.getArtifact(id);
      if (artifact) this.#artifacts.set(id, { pushedAt: artifact.pushedAt, committedAt: null });
    }
    const lookups: FoldLookups = { artifact: (id) => this.#artifacts.get(id) };
    const changed = foldTrainFacts(this.#facts, events, lookups);
    const last = (events[events.length - 1] as StoredEvent).id;
    const rows: TrainFactRecord[] = [];
    for (const id of changed) {
      const fact = this.#facts.get(id) as TrainFact;
      rows.push({
        trainId: fact.trainId,
        line: fact.line,
        kind: fact.kind,
        createdAt: fact.createdAt,
        endedAt: fact.endedAt,
        lastEventId: fact.lastEventId,
        fact,
      });
    }
    if (this.options.persist === false) {
      this.#cursor = last;
      this.#cached = null;
      return;
    }
    await store.transaction(async (tx) => {
      await tx.putTrainFacts(rows);
      const stored = Number((await tx.getSetting(METRICS_CURSOR_KEY)) ?? 0);
      if (last > stored) await tx.setSetting(METRICS_CURSOR_KEY, String(last));
    });
    this.#cursor = last;
    this.#cached = null;
    this.options.logger.debug({ folded: events.length, trains: rows.length, cursor: last }, "metrics folded");
  }

  /** Indexes a fact's push times, keeping times already known (from this process's pushes). */
  #remember(fact: TrainFact): void {
    for (const version of Object.values(fact.components)) {
      if (this.#artifacts.has(version.artifactId)) continue;
      this.#artifacts.set(version.artifactId, {
        pushedAt: version.pushedAt,
        committedAt: version.committedAt,
      });
    }
  }
}
