/**
 * Per-train facts the release metrics are computed from, folded from the event log one event at
 * a time. A fact keeps only what M1–M10 and DORA need (see `docs/metrics.md`), so a history of
 * millions of events fits in a few thousand small records. Pure: time comes from the events.
 *
 * Folding is idempotent: a fact remembers the last event folded into it (`lastEventId`), and an
 * event with an id at or below it changes nothing, so two replicas folding the same events, or a
 * fold repeated after a crash, give the same fact.
 */
import type { StoredEvent } from "../events.js";
import type { Instant, TrainKind } from "../model.js";
import type { TrainState } from "../train-state.js";

/** How a train ended; null while it runs. */
export type TrainOutcome = "released" | "rolled_back" | "aborted" | "skipped";

/** One rollback started on a train: of the whole train, of one wave, or of components. */
export interface RollbackFact {
  at: Instant;
  scope: "train" | "wave" | "component";
  /** For component rollbacks: the components undone (the first is the one asked for). */
  components: string[];
}

/** A component version a train carries, with the times its lead time is counted from. */
export interface VersionFact {
  version: string;
  artifactId: string;
  pushedAt: Instant;
  /** The commit's time as CI gave it on push; null: unknown (lead time falls back to `pushedAt`). */
  committedAt: Instant | null;
}

/**
 * The JUnit reports of the train's integration stage received at one instant, as counts (reports
 * at the same instant are added up: they count in the same period).
 */
export interface TestsFact {
  at: Instant;
  /** Cases that passed (flaky ones included). */
  passed: number;
  /** Cases that ran: every case but the skipped ones. */
  run: number;
}

/**
 * The gate evaluations of one kind at one instant that M6 (SLO-based) or M10 (security) counts,
 * as counts (evaluations at the same instant count in the same period).
 */
export interface GateFact {
  at: Instant;
  /** `slo` for slo, prometheus and canary gates; `security` for security gates. */
  kind: "slo" | "security";
  /** Evaluations that passed. */
  passed: number;
  /** Evaluations that did not pass. */
  failed: number;
}

/** The post-release error-rate comparison (M5) of a released train. */
export interface MeasurementFact {
  at: Instant;
  window: string;
  before: number | null;
  after: number | null;
}

/** What the release metrics know about one train. Serialised as JSON in `train_facts.fact`. */
export interface TrainFact {
  trainId: string;
  line: string;
  kind: TrainKind;
  /** The train's number (a hotfix train's is the regular train it follows). */
  number: number;
  /** Hotfix trains: the number of the regular train they follow; null for regular trains. */
  hotfixOf: number | null;
  createdAt: Instant;
  /** When its first production wave started (`depart`); null if it never reached production. */
  departedAt: Instant | null;
  releasedAt: Instant | null;
  /** When it reached a terminal state. */
  endedAt: Instant | null;
  outcome: TrainOutcome | null;
  /** When it finished rolling back (reached `rolled_back`); null otherwise. */
  rolledBackAt: Instant | null;
  rollbacks: RollbackFact[];
  /**
   * The components it carries, by name: the boarded items of its latest manifest revision once
   * frozen (dropped ones removed); before freezing, the artifacts that boarded it.
   */
  components: Record<string, VersionFact>;
  /** Whether the manifest was frozen (then `components` is the manifest, not the pushes). */
  frozen: boolean;
  tests: TestsFact[];
  gates: GateFact[];
  measurement: MeasurementFact | null;
  /** The last event folded into this fact. */
  lastEventId: number;
}

/** What the fold looks up outside the train's own events. */
export interface FoldLookups {
  /**
   * Push times of an artifact that boarded another train first (it was carried to this one);
   * undefined when unknown (then the freeze time stands in for both).
   */
  artifact(artifactId: string): { pushedAt: Instant; committedAt: Instant | null } | undefined;
}

/** The event types {@link foldTrainFact} reads; others leave a fact as it was. */
export const TRAIN_FACT_EVENT_TYPES = [
  "train.created",
  "train.transitioned",
  "artifact.pushed",
  "manifest.frozen",
  "component.dropped",
  "component.rolled_back",
  "tests.reported",
  "gate.evaluated",
  "release.measured",
] as const satisfies ReadonlyArray<StoredEvent["type"]>;

const SLO_GATE_TYPES: ReadonlySet<string> = new Set(["slo", "prometheus", "canary"]);
const TERMINAL: ReadonlySet<TrainState> = new Set(["released", "rolled_back", "aborted", "skipped"]);

/**
 * Folds one event into a train's fact and returns the new fact (the input is not changed).
 * Returns `fact` unchanged for events of other trains' ids, events it does not read, and events
 * at or before `fact.lastEventId`; returns undefined when there is no fact yet and the event is
 * not the train's `train.created`.
 */
export function foldTrainFact(
  fact: TrainFact | undefined,
  event: StoredEvent,
  lookups: FoldLookups,
): TrainFact | undefined {
  if (event.trainId === null) return fact;
  if (fact === undefined) {
    if (event.type !== "train.created") return undefined;
    const p = event.payload;
    return {
      trainId: event.trainId,
      line: p.line,
      kind: p.kind,
      number: p.number,
      hotfixOf: p.kind === "hotfix" ? (p.hotfixOf ?? p.number) : null,
      createdAt: event.time,
      departedAt: null,
      releasedAt: null,
      endedAt: null,
      outcome: null,
      rolledBackAt: null,
      rollbacks: [],
      components: {},
      frozen: false,
      tests: [],
      gates: [],
      measurement: null,
      lastEventId: event.id,
    };
  }
  if (event.id <= fact.lastEventId || event.trainId !== fact.trainId) return fact;
  const next: TrainFact = { ...fact, lastEventId: event.id };
  switch (event.type) {
    case "train.transitioned": {
      const p = event.payload;
      if (p.event === "depart" && next.departedAt === null) next.departedAt = event.time;
      if (p.event === "rollback") {
        next.rollbacks = [
          ...next.rollbacks,
          { at: event.time, scope: p.scope ? "wave" : "train", components: [] },
        ];
      }
      if (TERMINAL.has(p.to) && next.endedAt === null) {
        next.endedAt = event.time;
        next.outcome = p.to as TrainOutcome;
        if (p.to === "released") next.releasedAt = event.time;
        if (p.to === "rolled_back") next.rolledBackAt = event.time;
      }
      return next;
    }
    case "artifact.pushed": {
      const p = event.payload;
      if (next.frozen) return next;
      next.components = {
        ...next.components,
        [p.component]: {
          version: p.version,
          artifactId: p.artifactId,
          pushedAt: event.time,
          committedAt: p.committedAt ?? null,
        },
      };
      return next;
    }
    case "manifest.frozen": {
      const components: Record<string, VersionFact> = {};
      for (const item of event.payload.items) {
        if (item.status !== "boarded") continue;
        const known = next.components[item.component];
        if (known && known.artifactId === item.artifactId) {
          components[item.component] = known;
          continue;
        }
        const times = lookups.artifact(item.artifactId);
        components[item.component] = {
          version: item.version,
          artifactId: item.artifactId,
          pushedAt: times?.pushedAt ?? event.time,
          committedAt: times?.committedAt ?? null,
        };
      }
      next.components = components;
      next.frozen = true;
      return next;
    }
    case "component.dropped": {
      const { [event.payload.component]: _dropped, ...rest } = next.components;
      next.components = rest;
      return next;
    }
    case "component.rolled_back": {
      const p = event.payload;
      next.rollbacks = [
        ...next.rollbacks,
        { at: event.time, scope: "component", components: [p.component, ...p.with] },
      ];
      return next;
    }
    case "tests.reported": {
      const s = event.payload.summary;
      const passed = s.passed + s.flaky;
      const run = s.tests - s.skipped;
      const last = next.tests[next.tests.length - 1];
      next.tests =
        last?.at === event.time
          ? [...next.tests.slice(0, -1), { at: last.at, passed: last.passed + passed, run: last.run + run }]
          : [...next.tests, { at: event.time, passed, run }];
      return next;
    }
    case "gate.evaluated": {
      const p = event.payload;
      const kind = SLO_GATE_TYPES.has(p.type) ? "slo" : p.type === "security" ? "security" : null;
      if (kind === null) return next;
      const passed = p.status === "passed" ? 1 : 0;
      const index = next.gates.findIndex((g) => g.at === event.time && g.kind === kind);
      const same = next.gates[index];
      next.gates = same
        ? next.gates.with(index, { ...same, passed: same.passed + passed, failed: same.failed + 1 - passed })
        : [...next.gates, { at: event.time, kind, passed, failed: 1 - passed }];
      return next;
    }
    case "release.measured": {
      const p = event.payload;
      next.measurement = { at: event.time, window: p.window, before: p.before, after: p.after };
      return next;
    }
    default:
      return next;
  }
}

/**
 * Folds events, oldest first, into `facts` (changed in place, keyed by train id); returns the ids
 * of the facts that changed. Events of trains without a fact and without their `train.created`
 * are ignored.
 */
export function foldTrainFacts(
  facts: Map<string, TrainFact>,
  events: Iterable<StoredEvent>,
  lookups: FoldLookups,
): Set<string> {
  const changed = new Set<string>();
  for (const event of events) {
    if (event.trainId === null) continue;
    const before = facts.get(event.trainId);
    const after = foldTrainFact(before, event, lookups);
    if (after !== undefined && after !== before) {
      facts.set(event.trainId, after);
      changed.add(event.trainId);
    }
  }
  return changed;
}

/** The version of {@link encodeTrainFact}'s format, its first element. */
const STORED_FORMAT = 2;

/**
 * A fact as stored (`train_facts.fact`): a JSON array with no keys; the train's own instants
 * (departure, end, reports, gates, rollbacks, measurement) as milliseconds after `createdAt` (one
 * not in canonical `toISOString()` form stays a string, so the round trip is exact); the
 * per-component, per-report and per-gate items flattened. Component push and commit times stay
 * strings: there are thousands of them and turning numbers back into instants would cost more at
 * a cold start than parsing them. Under half the size of the fact's plain JSON, so a cold start
 * reads and parses thousands of facts quickly. {@link decodeTrainFact} reverses it.
 */
export function encodeTrainFact(fact: TrainFact): string {
  const base = Date.parse(fact.createdAt);
  const rel = (at: Instant | null): number | string | null => {
    if (at === null) return null;
    const ms = Date.parse(at);
    return Number.isFinite(ms) && new Date(ms).toISOString() === at ? ms - base : at;
  };
  const components: Array<string | number | null> = [];
  for (const name in fact.components) {
    const v = fact.components[name] as VersionFact;
    components.push(name, v.version, v.artifactId, v.pushedAt, v.committedAt);
  }
  const tests: Array<string | number | null> = [];
  for (const t of fact.tests) tests.push(rel(t.at), t.passed, t.run);
  const gates: Array<string | number | null> = [];
  for (const g of fact.gates) gates.push(rel(g.at), g.kind === "slo" ? 0 : 1, g.passed, g.failed);
  const m = fact.measurement;
  return JSON.stringify([
    STORED_FORMAT,
    fact.line,
    fact.kind,
    fact.number,
    fact.hotfixOf,
    fact.createdAt,
    rel(fact.departedAt),
    rel(fact.releasedAt),
    rel(fact.endedAt),
    fact.outcome,
    rel(fact.rolledBackAt),
    fact.rollbacks.map((r) => [rel(r.at), r.scope, r.components]),
    components,
    fact.frozen ? 1 : 0,
    tests,
    gates,
    m === null ? null : [rel(m.at), m.window, m.before, m.after],
    fact.lastEventId,
  ]);
}

/**
 * The fact {@link encodeTrainFact} stored, for `trainId`.
 * @throws TypeError when `text` is not JSON in that format (a row written by a newer Railyard)
 */
export function decodeTrainFact(trainId: string, text: string): TrainFact {
  const a = JSON.parse(text) as unknown[];
  if (!Array.isArray(a) || a[0] !== STORED_FORMAT) {
    throw new TypeError(
      `train_facts row of train ${trainId} is not in stored format ${STORED_FORMAT}; ` +
        "delete the train_facts rows and the metrics.cursor setting to refold the log",
    );
  }
  const createdAt = a[5] as Instant;
  const base = Date.parse(createdAt);
  const at = (v: unknown): Instant | null =>
    v === null ? null : typeof v === "number" ? new Date(base + v).toISOString() : (v as Instant);
  const components: Record<string, VersionFact> = {};
  const c = a[12] as unknown[];
  for (let i = 0; i < c.length; i += 5) {
    components[c[i] as string] = {
      version: c[i + 1] as string,
      artifactId: c[i + 2] as string,
      pushedAt: c[i + 3] as Instant,
      committedAt: c[i + 4] as Instant | null,
    };
  }
  const tests: TestsFact[] = [];
  const t = a[14] as unknown[];
  for (let i = 0; i < t.length; i += 3) {
    tests.push({ at: at(t[i]) as Instant, passed: t[i + 1] as number, run: t[i + 2] as number });
  }
  const gates: GateFact[] = [];
  const g = a[15] as unknown[];
  for (let i = 0; i < g.length; i += 4) {
    gates.push({
      at: at(g[i]) as Instant,
      kind: g[i + 1] === 0 ? "slo" : "security",
      passed: g[i + 2] as number,
      failed: g[i + 3] as number,
    });
  }
  const m = a[16] as [unknown, string, number | null, number | null] | null;
  return {
    trainId,
    line: a[1] as string,
    kind: a[2] as TrainKind,
    number: a[3] as number,
    hotfixOf: a[4] as number | null,
    createdAt,
    departedAt: at(a[6]),
    releasedAt: at(a[7]),
    endedAt: at(a[8]),
    outcome: a[9] as TrainOutcome | null,
    rolledBackAt: at(a[10]),
    rollbacks: (a[11] as Array<[unknown, RollbackFact["scope"], string[]]>).map(([when, scope, names]) => ({
      at: at(when) as Instant,
      scope,
      components: names,
    })),
    components,
    frozen: a[13] === 1,
    tests,
    gates,
    measurement: m === null ? null : { at: at(m[0]) as Instant, window: m[1], before: m[2], after: m[3] },
    lastEventId: a[17] as number,
  };
}
