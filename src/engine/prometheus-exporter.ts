/**
 * Railyard's own metrics for Prometheus (`GET /metrics`), with prom-client on a registry of its
 * own per exporter (never prom-client's global one: a process may run several Railyards).
 *
 * Three kinds of series (see docs/design/prometheus.md):
 * - gauges read from the store at every scrape: trains per state, the active trains (the only
 *   series labelled with a train, so ended trains drop out), waves, open incidents, the
 *   reconciler's due trains and steps in flight, pending notifications, the next departure and
 *   cut-off of each line, the latest canary score of trains in production;
 * - counters and histograms folded from the event log: the exporter keeps a cursor in memory that
 *   starts at the log's head when it is created, and reads the events appended since at each
 *   scrape, so they count from process start, as Prometheus counters do (a restart resets them,
 *   which `rate()` and `increase()` handle);
 * - release KPIs over the last 30 days per line, from the release metrics (M1, M3, M4, M6, M7,
 *   M10, MTTR, deployment frequency), computed at most once per `kpiEveryMs` of real time;
 * and prom-client's default process metrics, prefixed `railyard_`.
 *
 * Labels stay bounded: lines, states, gate types, verdicts, step kinds, environments and channels
 * come from the configuration or closed vocabularies; never an artifact, version or event.
 */
import {
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  Registry,
  type RegistryContentType,
} from "prom-client";
import type { EventType, StoredEvent } from "../domain/events.js";
import type { MetricsPeriod, MetricsQuery, ReleaseMetricsReport } from "../domain/metrics/types.js";
import type { IncidentSeverity, StepKind, Train } from "../domain/model.js";
import { TERMINAL_STATES, TRAIN_STATES } from "../domain/train-state.js";
import { chainHead } from "./audit-signer.js";
import type { Clock, Logger, StoreReader } from "./ports.js";
import type { LineSummary } from "./railyard.js";

/** Computes the release metrics of a query (the engine's `releaseMetrics`). */
export type ReleaseMetricsSource = (query: MetricsQuery) => Promise<ReleaseMetricsReport>;

/** What the exporter reads: the engine (a `Railyard` is one). */
export interface ExporterSource {
  readonly store: StoreReader;
  readonly clock: Clock;
  readonly stepsInFlight: number;
  /** Configured lines with their next departures. */
  lines(): Promise<LineSummary[]>;
}

export interface PrometheusExporterOptions {
  /** Where the release KPIs come from; without it the KPI gauges stay empty. @default none */
  releaseMetrics?: ReleaseMetricsSource;
  /** Logs KPI failures (a scrape never fails for them). @default none */
  logger?: Logger;
  /** Real time in ms, for the KPI cache (never the engine's clock). @default performance.now */
  realNow?: () => number;
  /** How long computed KPIs are served before they are computed again (real time). @default 30_000 */
  kpiEveryMs?: number;
  /** The period the KPIs cover, ending at the engine's now. @default 30 days */
  kpiPeriodMs?: number;
  /** prom-client's default process metrics (CPU, memory, event loop, GC), prefixed `railyard_`. @default true */
  processMetrics?: boolean;
  /** Events read per query while folding the log. @default 1000 */
  pageSize?: number;
}

/** The formats `/metrics` answers in. */
export type ExpositionFormat = "prometheus" | "openmetrics";

/** A rendered scrape. */
export interface Exposition {
  contentType: string;
  body: string;
}

const SEVERITIES: readonly IncidentSeverity[] = ["critical", "warning", "info"];
const STEP_KINDS: readonly StepKind[] = ["integrate", "gate", "deploy", "rollback", "runbook"];
const FOLDED: EventType[] = [
  "train.created",
  "train.transitioned",
  "gate.evaluated",
  "step.started",
  "step.finished",
  "artifact.pushed",
  "deployment.recorded",
  "component.rolled_back",
  "incident.opened",
  "incident.alert",
];
/** Seconds: from a quick command gate to a long analysis or bake. */
const DURATION_BUCKETS = [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];
/** Remembered ids (train → line, step → kind, incident → line) before the maps are emptied. */
const MEMO_LIMIT = 5000;
const DAY_MS = 86_400_000;

/** `gating`, `verify/<wave>`, `analysis/<wave>` → the stage's kind; anything else `other`. */
export function stageKind(stage: string): "gating" | "verify" | "analysis" | "other" {
  if (stage === "gating") return "gating";
  if (stage.startsWith("verify/")) return "verify";
  if (stage.startsWith("analysis/")) return "analysis";
  return "other";
}

/** The kind of a step from its key (`r1/gate/…`, `deploy/eu/api`, `runbook/…`), if it says. */
function kindOfKey(key: string): StepKind | undefined {
  const parts = key.split("/");
  const first = /^r\d+$/.test(parts[0] ?? "") ? parts[1] : parts[0];
  return STEP_KINDS.find((k) => k === first);
}

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= MEMO_LIMIT) map.clear();
  map.set(key, value);
}

/** The exporter of one Railyard; build it with {@link PrometheusExporter.create}. */
export class PrometheusExporter {
  readonly registry = new Registry<RegistryContentType>();
  #cursor: number;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #lineOfTrain = new Map<string, string>();
  readonly #lineOfIncident = new Map<string, string>();
  readonly #kindOfStep = new Map<string, StepKind>();
  #kpiAt: number | null = null;

  // From the store, at every scrape.
  readonly #trains: Gauge<"line" | "state">;
  readonly #trainInfo: Gauge<"line" | "train" | "state" | "kind">;
  readonly #trainWave: Gauge<"line" | "train">;
  readonly #canaryScore: Gauge<"line" | "train">;
  readonly #incidentsOpen: Gauge<"line" | "severity">;
  readonly #dueTrains: Gauge;
  readonly #stepsInFlight: Gauge;
  readonly #notificationsPending: Gauge<"channel">;
  readonly #nextDeparture: Gauge<"line">;
  readonly #nextCutoff: Gauge<"line">;
  // From the event log.
  readonly #gateEvaluations: Counter<"line" | "stage_kind" | "type" | "verdict">;
  readonly #gateDuration: Histogram<"line" | "type">;
  readonly #stepDuration: Histogram<"line" | "kind" | "status">;
  readonly #rollbacks: Counter<"line" | "scope">;
  readonly #trainsEnded: Counter<"line" | "outcome">;
  readonly #transitions: Counter<"line" | "to">;
  readonly #artifactsPushed: Counter<"line">;
  readonly #alertsReceived: Counter<"line" | "status">;
  readonly #incidentsOpened: Counter<"line" | "severity">;
  readonly #deployments: Counter<"line" | "environment" | "action">;
  // Release KPIs.
  readonly #kpis: Array<{ gauge: Gauge<"line">; value: (p: MetricsPeriod) => number | null }>;
  readonly #leadTime: Gauge<"line" | "quantile">;

  private constructor(
    private readonly source: ExporterSource,
    private readonly options: PrometheusExporterOptions,
    cursor: number,
  ) {
    this.#cursor = cursor;
    const registers = [this.registry];
    const gauge = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Gauge<L>({ name, help, labelNames, registers });
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Counter<L>({ name, help, labelNames, registers });
    const histogram = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Histogram<L>({ name, help, labelNames, buckets: DURATION_BUCKETS, registers });

    this.#trains = gauge("railyard_trains", "Trains per line and state (every state, 0 when none).", [
      "line",
      "state",
    ]);
    this.#trainInfo = gauge(
      "railyard_train_info",
      "1 per active (non-terminal) train with its state and kind; ended trains are absent.",
      ["line", "train", "state", "kind"],
    );
    this.#trainWave = gauge(
      "railyard_train_wave",
      "Index (0-based) of the wave an active train is deploying or verifying; absent before production.",
      ["line", "train"],
    );
    this.#canaryScore = gauge(
      "railyard_canary_score",
      "Latest canary analysis score (0–100) of an active train in production.",
      ["line", "train"],
    );
    this.#incidentsOpen = gauge("railyard_incidents_open", "Open incidents per line and severity.", [
      "line",
      "severity",
    ]);
    this.#dueTrains = gauge(
      "railyard_reconciler_due_trains",
      "Active trains whose wake-up time has come (the reconciler's backlog).",
      [],
    );
    this.#stepsInFlight = gauge(
      "railyard_steps_in_flight",
      "Steps (deployments, gates, rollbacks) running in this process.",
      [],
    );
    this.#notificationsPending = gauge(
      "railyard_notifications_pending",
      "Notifications waiting in the outbox to be delivered, per channel.",
      ["channel"],
    );
    this.#nextDeparture = gauge(
      "railyard_next_departure_timestamp_seconds",
      "Unix time of the line's next departure that is not skipped.",
      ["line"],
    );
    this.#nextCutoff = gauge(
      "railyard_next_cutoff_timestamp_seconds",
      "Unix time of the line's next cut-off (boarding closes).",
      ["line"],
    );

    this.#gateEvaluations = counter(
      "railyard_gate_evaluations_total",
      "Gate evaluations since process start, by stage kind (gating, verify, analysis), gate type and verdict.",
      ["line", "stage_kind", "type", "verdict"],
    );
    this.#gateDuration = histogram(
      "railyard_gate_duration_seconds",
      "How long gate evaluations took, since process start.",
      ["line", "type"],
    );
    this.#stepDuration = histogram(
      "railyard_step_duration_seconds",
      "How long finished steps took, by kind and status, since process start.",
      ["line", "kind", "status"],
    );
    this.#rollbacks = counter(
      "railyard_rollbacks_total",
      "Rollbacks started since process start, by scope (train, wave, component).",
      ["line", "scope"],
    );
    this.#trainsEnded = counter(
      "railyard_trains_ended_total",
      "Trains that reached a terminal state since process start, by outcome.",
      ["line", "outcome"],
    );
    this.#transitions = counter(
      "railyard_train_transitions_total",
      "Train state transitions since process start, by the state entered.",
      ["line", "to"],
    );
    this.#artifactsPushed = counter(
      "railyard_artifacts_pushed_total",
      'Artifacts pushed since process start, by the line of the train they boarded ("none" when none).',
      ["line"],
    );
    this.#alertsReceived = counter(
      "railyard_alerts_received_total",
      "Alert changes grouped into incidents since process start, by status (firing, resolved).",
      ["line", "status"],
    );
    this.#incidentsOpened = counter(
      "railyard_incidents_opened_total",
      "Incidents opened since process start, by severity.",
      ["line", "severity"],
    );
    this.#deployments = counter(
      "railyard_deployments_total",
      "Deployments and rollbacks recorded per environment since process start.",
      ["line", "environment", "action"],
    );

    const kpi = (name: string, help: string, value: (p: MetricsPeriod) => number | null) => ({
      gauge: gauge(name, `${help} Over the last 30 days.`, ["line"]),
      value,
    });
    const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);
    this.#kpis = [
      kpi(
        "railyard_release_success_ratio",
        "M1: ended trains released without any rollback / ended trains.",
        (p) => p.m1ReleaseSuccessRate.value,
      ),
      kpi(
        "railyard_change_failure_ratio",
        "M7: departed trains that failed / departed trains.",
        (p) => p.m7ChangeFailureRate.value,
      ),
      kpi("railyard_mttr_seconds", "M2: mean time from incident start to recovery.", (p) =>
        seconds(p.m2Mttr.meanMs),
      ),
      kpi(
        "railyard_deployment_frequency_per_day",
        "DORA deployment frequency: trains released per day.",
        (p) => p.dora.deploymentFrequency.perDay,
      ),
      kpi(
        "railyard_slo_compliance_ratio",
        "M6: SLO-based gate evaluations that passed / all of them.",
        (p) => p.m6SloCompliance.value,
      ),
      kpi(
        "railyard_integration_test_pass_ratio",
        "M4: integration test cases passed / cases run.",
        (p) => p.m4IntegrationTestPassRate.value,
      ),
      kpi(
        "railyard_security_scan_failure_ratio",
        "M10: security gate evaluations that failed / all of them.",
        (p) => p.m10SecurityScanFailureRate.value,
      ),
    ];
    this.#leadTime = gauge(
      "railyard_lead_time_seconds",
      "M3: commit to release, median (0.5) and 90th percentile (0.9), over the last 30 days.",
      ["line", "quantile"],
    );

    if (options.processMetrics ?? true) {
      collectDefaultMetrics({ register: this.registry, prefix: "railyard_" });
    }
  }

  /**
   * An exporter whose event counters start at the log's current head.
   * @throws when the store cannot be read
   */
  static async create(
    source: ExporterSource,
    options: PrometheusExporterOptions = {},
  ): Promise<PrometheusExporter> {
    const head = await chainHead(source.store);
    return new PrometheusExporter(source, options, head?.id ?? 0);
  }

  /** The id of the last event folded into the counters. */
  get cursor(): number {
    return this.#cursor;
  }

  /**
   * Brings every series up to date and renders them in `format`. Scrapes run one at a time, so
   * two at once never fold an event twice.
   * @throws when the store cannot be read (the scrape fails; the next one tries again)
   */
  render(format: ExpositionFormat = "prometheus"): Promise<Exposition> {
    const run = this.#queue.then(async () => {
      await this.refresh();
      this.registry.setContentType(
        format === "openmetrics" ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE,
      );
      return { contentType: this.registry.contentType, body: await this.registry.metrics() };
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Folds new events and re-reads the gauges (what {@link render} does first). */
  async refresh(): Promise<void> {
    await this.#fold();
    const lines = await this.source.lines();
    await this.#readStore(lines);
    await this.#readKpis(lines.map((l) => l.name));
  }

  async #fold(): Promise<void> {
    const pageSize = this.options.pageSize ?? 1000;
    for (;;) {
      const events = await this.source.store.listEvents({
        afterId: this.#cursor,
        types: FOLDED,
        limit: pageSize,
      });
      for (const event of events) {
        await this.#count(event);
        this.#cursor = event.id;
      }
      if (events.length < pageSize) return;
    }
  }

  async #lineOf(trainId: string | null): Promise<string> {
    if (trainId === null) return "none";
    const known = this.#lineOfTrain.get(trainId);
    if (known !== undefined) return known;
    const line = (await this.source.store.getTrain(trainId))?.line ?? "none";
    remember(this.#lineOfTrain, trainId, line);
    return line;
  }

  async #lineOfIncidentEvent(incidentId: string, trainId: string | null): Promise<string> {
    const known = this.#lineOfIncident.get(incidentId);
    if (known !== undefined) return known;
    const incident = (await this.source.store.listIncidents()).find((i) => i.id === incidentId);
    const line = incident?.line ?? (await this.#lineOf(trainId));
    remember(this.#lineOfIncident, incidentId, line);
    return line;
  }

  async #count(event: StoredEvent): Promise<void> {
    switch (event.type) {
      case "train.created":
        remember(this.#lineOfTrain, event.trainId ?? "", event.payload.line);
        return;
      case "train.transitioned": {
        const line = await this.#lineOf(event.trainId);
        const { to, scope } = event.payload;
        this.#transitions.inc({ line, to });
        if (TERMINAL_STATES.includes(to)) this.#trainsEnded.inc({ line, outcome: to });
        if (to === "rolling_back") this.#rollbacks.inc({ line, scope: scope ? "wave" : "train" });
        return;
      }
      case "component.rolled_back":
        this.#rollbacks.inc({ line: await this.#lineOf(event.trainId), scope: "component" });
        return;
      case "gate.evaluated": {
        const line = await this.#lineOf(event.trainId);
        const { stage, type, status, verdict, durationMs } = event.payload;
        this.#gateEvaluations.inc({
          line,
          stage_kind: stageKind(stage),
          type,
          verdict: verdict ?? (status === "passed" ? "pass" : "fail"),
        });
        this.#gateDuration.observe({ line, type }, durationMs / 1000);
        return;
      }
      case "step.started":
        remember(this.#kindOfStep, event.payload.stepId, event.payload.kind);
        return;
      case "step.finished": {
        const { stepId, key, status, durationMs } = event.payload;
        const kind = this.#kindOfStep.get(stepId) ?? kindOfKey(key) ?? "other";
        this.#kindOfStep.delete(stepId);
        this.#stepDuration.observe(
          { line: await this.#lineOf(event.trainId), kind, status },
          durationMs / 1000,
        );
        return;
      }
      case "artifact.pushed":
        this.#artifactsPushed.inc({ line: await this.#lineOf(event.payload.boardedTrain) });
        return;
      case "deployment.recorded":
        this.#deployments.inc({
          line: await this.#lineOf(event.trainId),
          environment: event.payload.environment,
          action: event.payload.action,
        });
        return;
      case "incident.opened":
        remember(this.#lineOfIncident, event.payload.incidentId, event.payload.line);
        this.#incidentsOpened.inc({
          line: event.payload.line,
          severity: event.payload.severity ?? "critical",
        });
        return;
      case "incident.alert":
        this.#alertsReceived.inc({
          line: await this.#lineOfIncidentEvent(event.payload.incidentId, event.trainId),
          status: event.payload.status,
        });
        return;
      default:
        return;
    }
  }

  async #readStore(lines: LineSummary[]): Promise<void> {
    const { store, clock } = this.source;
    const now = clock.now();
    const names = lines.map((l) => l.name);

    this.#trains.reset();
    for (const line of names) for (const state of TRAIN_STATES) this.#trains.set({ line, state }, 0);
    for (const { line, state, count } of await store.countTrains()) this.#trains.set({ line, state }, count);

    const active = await store.listTrains({ active: true, limit: 10_000 });
    this.#trainInfo.reset();
    this.#trainWave.reset();
    this.#canaryScore.reset();
    for (const train of active) {
      this.#trainInfo.set({ line: train.line, train: train.id, state: train.state, kind: train.kind }, 1);
      if (train.currentWave < 0) continue;
      this.#trainWave.set({ line: train.line, train: train.id }, train.currentWave);
      const score = await this.#latestCanaryScore(train);
      if (score !== undefined) this.#canaryScore.set({ line: train.line, train: train.id }, score);
    }

    this.#incidentsOpen.reset();
    for (const line of names)
      for (const severity of SEVERITIES) this.#incidentsOpen.set({ line, severity }, 0);
    for (const incident of await store.listIncidents({ status: "open" })) {
      this.#incidentsOpen.inc({ line: incident.line, severity: incident.severity });
    }

    this.#dueTrains.set((await store.dueTrains(now.toISOString(), 10_000)).length);
    this.#stepsInFlight.set(this.source.stepsInFlight);

    this.#notificationsPending.reset();
    for (const { channel, status, count } of await store.countNotifications()) {
      this.#notificationsPending.inc({ channel }, status === "pending" ? count : 0);
    }

    this.#nextDeparture.reset();
    this.#nextCutoff.reset();
    const nowMs = now.getTime();
    for (const line of lines) {
      const running = line.nextDepartures.filter((d) => d.status !== "skipped");
      const departure = running.find((d) => Date.parse(d.departureAt) > nowMs);
      const cutoff = running.find((d) => Date.parse(d.cutoffAt) > nowMs);
      if (departure) this.#nextDeparture.set({ line: line.name }, Date.parse(departure.departureAt) / 1000);
      if (cutoff) this.#nextCutoff.set({ line: line.name }, Date.parse(cutoff.cutoffAt) / 1000);
    }
  }

  async #latestCanaryScore(train: Train): Promise<number | undefined> {
    const results = await this.source.store.listGateResults(train.id);
    let latest: { at: string; score: number } | undefined;
    for (const result of results) {
      const detail = result.detail as { kind?: unknown; score?: unknown } | null;
      if (detail?.kind !== "canary" || typeof detail.score !== "number") continue;
      if (!latest || result.evaluatedAt >= latest.at)
        latest = { at: result.evaluatedAt, score: detail.score };
    }
    return latest?.score;
  }

  async #readKpis(lines: string[]): Promise<void> {
    const source = this.options.releaseMetrics;
    if (!source) return;
    const realNow = (this.options.realNow ?? (() => performance.now()))();
    if (this.#kpiAt !== null && realNow - this.#kpiAt < (this.options.kpiEveryMs ?? 30_000)) return;
    this.#kpiAt = realNow;
    // The period's end is exclusive: one millisecond past now counts a train that ended just now.
    const to = this.source.clock.now().getTime() + 1;
    const from = to - (this.options.kpiPeriodMs ?? 30 * DAY_MS);
    for (const { gauge } of this.#kpis) gauge.reset();
    this.#leadTime.reset();
    for (const line of lines) {
      let period: MetricsPeriod;
      try {
        period = (await source({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), line }))
          .total;
      } catch (error) {
        // The KPIs are slow-moving: a failure leaves them out of this scrape, and the next tries again.
        this.#kpiAt = null;
        this.options.logger?.warn({ line, err: error }, "release metrics for /metrics could not be computed");
        continue;
      }
      for (const { gauge, value } of this.#kpis) {
        const v = value(period);
        if (v !== null) gauge.set({ line }, v);
      }
      const { p50Ms, p90Ms } = period.m3LeadTime;
      if (p50Ms !== null) this.#leadTime.set({ line, quantile: "0.5" }, p50Ms / 1000);
      if (p90Ms !== null) this.#leadTime.set({ line, quantile: "0.9" }, p90Ms / 1000);
    }
  }
}
