/**
 * The incident desk: turns Alertmanager's webhook deliveries and people's reports into incidents.
 *
 * A delivery (one alert group) is processed in one transaction, under one lock: each alert is
 * matched to a train or line (`domain/incidents/match.ts`), checked against the line's suppression
 * windows, grouped into the open incident of its train (or line) or opens one, and recorded as
 * `incident.alert`; an incident whose every alert has resolved is resolved by itself
 * (`incident.resolved`, `automatic: true`). Alertmanager re-sends a group every `repeat_interval`:
 * an alert whose (fingerprint, status, startsAt, endsAt) is unchanged appends nothing. A firing
 * alert's `endsAt` is Alertmanager's guess of when it would expire, refreshed on every re-send, so
 * it is recorded as null and does not count as a change. The trains of touched lines are woken so
 * the reconciler applies the incident policy at once.
 */
import { createHash } from "node:crypto";
import { parseDuration } from "../domain/duration.js";
import type { StoredEvent } from "../domain/events.js";
import { groupAlert, incidentDigestInput, incidentIdFor } from "../domain/incidents/grouping.js";
import { type LineFacts, matchAlert, type TrainCandidate } from "../domain/incidents/match.js";
import { incidentPolicyOf, isRollingOut } from "../domain/incidents/policy.js";
import { severityOf } from "../domain/incidents/severity.js";
import { suppressionOf } from "../domain/incidents/suppression.js";
import type { Incident, IncidentSeverity, Instant, Train } from "../domain/model.js";
import { type EngineContext, nowInstant } from "./context.js";
import { ConflictError, InvalidInputError, NotFoundError } from "./errors.js";
import type { StoreReader, StoreWriter } from "./ports.js";

/** The actor of everything Alertmanager's webhook records. */
export const ALERTMANAGER_ACTOR = "alertmanager";

/** One alert of a delivery, as Alertmanager's webhook (version 4) sends it. */
export interface ReceivedAlert {
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: Instant;
  endsAt: Instant;
  fingerprint: string;
}

/** What was done with one alert of a delivery. */
export interface AlertOutcome {
  fingerprint: string;
  alertname: string;
  status: "firing" | "resolved";
  /**
   * opened: it opened an incident; grouped: it joined (or updated) an open incident; resolved:
   * its incident recorded it resolved; suppressed: it fell in a suppression window; unchanged:
   * seen before as it is; ignored: nothing matched (see `reason`).
   */
  outcome: "opened" | "grouped" | "resolved" | "suppressed" | "unchanged" | "ignored";
  trainId: string | null;
  line: string | null;
  incidentId: string | null;
  /** For suppressed alerts: the suppression window's name. */
  window: string | null;
  /** For ignored alerts: why. For others: how it was matched. */
  reason: string | null;
}

/** What a delivery did, alert by alert, and the incidents it resolved. */
export interface DeliveryResult {
  alerts: AlertOutcome[];
  resolvedIncidents: string[];
}

/** What a person reports (`POST /api/v1/incidents`). */
export interface IncidentReport {
  line: string;
  trainId?: string | null;
  title: string;
  detail?: string | null;
  /** @default critical */
  severity?: IncidentSeverity;
  component?: string | null;
  environment?: string | null;
}

/** An RFC 3339 instant as stored (`toISOString`); kept as given when it is not one. */
const isoOf = (instant: string): string => {
  const ms = Date.parse(instant);
  return Number.isNaN(ms) ? instant : new Date(ms).toISOString();
};

const hex = (text: string) => createHash("sha256").update(text).digest("hex");

/** How many of a line's trains, newest first, are candidates for an alert. */
const CANDIDATE_TRAINS = 50;

export class IncidentDesk {
  constructor(private readonly ctx: EngineContext) {}

  /**
   * Processes one Alertmanager delivery in one transaction.
   * @throws when the store fails; then nothing of the delivery was recorded
   */
  async receive(alerts: readonly ReceivedAlert[]): Promise<DeliveryResult> {
    // Stored instants are ISO with milliseconds; Alertmanager's may be RFC 3339 without them.
    const normal = alerts.map((a) => ({ ...a, startsAt: isoOf(a.startsAt), endsAt: isoOf(a.endsAt) }));
    const result = await this.ctx.locks.run("incidents", () =>
      this.ctx.store.transaction((tx) => this.process(tx, normal)),
    );
    this.ctx.wake();
    return result;
  }

  private async process(tx: StoreWriter, alerts: readonly ReceivedAlert[]): Promise<DeliveryResult> {
    const at = nowInstant(this.ctx);
    const outcomes: AlertOutcome[] = [];
    const maybeResolved = new Set<string>();
    const touchedLines = new Set<string>();
    for (const alert of alerts) {
      const outcome = await this.processAlert(tx, alert, at, maybeResolved);
      outcomes.push(outcome);
      if (outcome.line && outcome.outcome !== "unchanged") touchedLines.add(outcome.line);
    }
    const resolvedIncidents: string[] = [];
    for (const incidentId of maybeResolved) {
      const incident = (await tx.listIncidents({ status: "open" })).find((i) => i.id === incidentId);
      if (incident?.source !== "alertmanager") continue;
      const grouped = await tx.listIncidentAlerts({ incidentId });
      if (grouped.length === 0 || grouped.some((a) => a.status !== "resolved")) continue;
      const names = [...new Set(grouped.map((a) => a.alertname))].join(", ");
      await tx.append(
        [
          {
            type: "incident.resolved",
            trainId: incident.trainId,
            actor: ALERTMANAGER_ACTOR,
            payload: {
              incidentId,
              resolution: `every alert resolved (${names})`,
              automatic: true,
            },
          },
        ],
        at,
      );
      resolvedIncidents.push(incidentId);
      touchedLines.add(incident.line);
    }
    for (const line of touchedLines) {
      for (const train of await tx.listTrains({ line, active: true, limit: 1000 }))
        await tx.setWakeAt(train.id, at);
    }
    return { alerts: outcomes, resolvedIncidents };
  }

  private async processAlert(
    tx: StoreWriter,
    alert: ReceivedAlert,
    at: Instant,
    maybeResolved: Set<string>,
  ): Promise<AlertOutcome> {
    const alertname = alert.labels.alertname ?? "(no alertname)";
    const severity = severityOf(alert.labels);
    const endsAt = alert.status === "resolved" ? alert.endsAt : null;
    const base = {
      fingerprint: alert.fingerprint,
      alertname,
      status: alert.status,
      trainId: null,
      line: null,
      incidentId: null,
      window: null,
      reason: null,
    } satisfies Partial<AlertOutcome>;
    const sameStart = (startsAt: string) => Date.parse(startsAt) === Date.parse(alert.startsAt);
    const incidents = await tx.listIncidents();
    const known = (await tx.listIncidentAlerts({ fingerprint: alert.fingerprint })).filter((a) =>
      sameStart(a.startsAt),
    );
    if (known.length > 0) {
      let changed = false;
      let incident: Incident | undefined;
      for (const row of known) {
        incident = incidents.find((i) => i.id === row.incidentId);
        if (row.status === alert.status && row.endsAt === endsAt) continue;
        changed = true;
        await tx.append(
          [
            {
              type: "incident.alert",
              trainId: incident?.trainId ?? null,
              actor: ALERTMANAGER_ACTOR,
              payload: {
                incidentId: row.incidentId,
                fingerprint: alert.fingerprint,
                alertname,
                status: alert.status,
                severity,
                labels: alert.labels,
                startsAt: alert.startsAt,
                endsAt,
              },
            },
          ],
          at,
        );
        if (alert.status === "resolved") maybeResolved.add(row.incidentId);
      }
      return {
        ...base,
        outcome: !changed ? "unchanged" : alert.status === "resolved" ? "resolved" : "grouped",
        trainId: incident?.trainId ?? null,
        line: incident?.line ?? null,
        incidentId: incident?.id ?? null,
      };
    }
    const suppressed = await this.suppressedBefore(tx, alert);
    if (suppressed) {
      return { ...base, outcome: "unchanged", trainId: suppressed.trainId, window: suppressed.window };
    }
    if (alert.status === "resolved") {
      return { ...base, outcome: "ignored", reason: "resolved, and never recorded firing" };
    }
    const config = this.ctx.config();
    const lines: LineFacts[] = config.lineNames.map((name) => {
      const line = config.line(name);
      return {
        name,
        components: line.components,
        environments: [...new Set(line.rollout.waves.flatMap((w) => w.environments))],
        attributionWindowMs: parseDuration(incidentPolicyOf(line).attributionWindow),
      };
    });
    const candidates = await this.candidates(tx, alert.labels, lines);
    const match = matchAlert(alert, candidates, lines);
    if (match.kind === "ignored") return { ...base, outcome: "ignored", reason: match.reason };
    const targets =
      match.kind === "train"
        ? [{ trainId: match.trainId as string | null, line: match.line }]
        : match.lines.map((line) => ({ trainId: null as string | null, line }));
    const how = match.kind === "train" ? `matched by ${match.by}` : `line-level, by ${match.by}`;
    if (match.kind === "train") {
      const window = await this.suppression(tx, alert, match.trainId, match.line);
      if (window) {
        await tx.append(
          [
            {
              type: "alert.suppressed",
              trainId: match.trainId,
              actor: ALERTMANAGER_ACTOR,
              payload: {
                fingerprint: alert.fingerprint,
                alertname,
                severity,
                labels: alert.labels,
                startsAt: alert.startsAt,
                window,
              },
            },
          ],
          at,
        );
        return {
          ...base,
          outcome: "suppressed",
          trainId: match.trainId,
          line: match.line,
          window,
          reason: how,
        };
      }
    }
    let opened = false;
    let incidentId = "";
    for (const target of targets) {
      const open = await tx.listIncidents({ status: "open" });
      const grouping = groupAlert(
        {
          fingerprint: alert.fingerprint,
          startsAt: alert.startsAt,
          trainId: target.trainId,
          line: target.line,
        },
        open,
        hex(incidentDigestInput(alert.fingerprint, alert.startsAt)),
      );
      incidentId = grouping.incidentId;
      if (grouping.kind === "open") {
        if (incidents.some((i) => i.id === grouping.incidentId)) {
          // The same alert opened it before and it was resolved by hand: it fires on, in it again.
          incidentId = `${incidentIdFor(target.trainId ?? target.line, hex(`${alert.fingerprint}${alert.startsAt}${at}`))}`;
        }
        opened = true;
        const summary = alert.annotations.summary?.trim();
        await tx.append(
          [
            {
              type: "incident.opened",
              trainId: target.trainId,
              actor: ALERTMANAGER_ACTOR,
              payload: {
                incidentId,
                line: target.line,
                title: summary ? `${alertname}: ${summary}` : alertname,
                detail: alert.annotations.description?.trim() || null,
                stopsLine: false,
                severity,
                source: "alertmanager",
                startedAt: alert.startsAt,
                component: alert.labels.component ?? null,
                environment: alert.labels.environment ?? null,
                labels: alert.labels,
              },
            },
          ],
          at,
        );
      }
      await tx.append(
        [
          {
            type: "incident.alert",
            trainId: target.trainId,
            actor: ALERTMANAGER_ACTOR,
            payload: {
              incidentId,
              fingerprint: alert.fingerprint,
              alertname,
              status: "firing",
              severity,
              labels: alert.labels,
              startsAt: alert.startsAt,
              endsAt: null,
            },
          },
        ],
        at,
      );
    }
    return {
      ...base,
      outcome: opened ? "opened" : "grouped",
      trainId: targets[0]!.trainId,
      line: targets[0]!.line,
      incidentId,
      reason: how,
    };
  }

  /** The record of this alert (fingerprint and start) suppressed before, if any. */
  private async suppressedBefore(
    reader: StoreReader,
    alert: ReceivedAlert,
  ): Promise<{ trainId: string | null; window: string } | null> {
    const events = await reader.listEvents({
      types: ["alert.suppressed"],
      from: alert.startsAt,
      limit: 10_000,
    });
    for (const event of events) {
      if (event.type !== "alert.suppressed") continue;
      if (
        event.payload.fingerprint === alert.fingerprint &&
        Date.parse(event.payload.startsAt) === Date.parse(alert.startsAt)
      )
        return { trainId: event.trainId, window: event.payload.window };
    }
    return null;
  }

  /** The suppression window of the train's line the alert falls in, or null. */
  private async suppression(
    reader: StoreReader,
    alert: ReceivedAlert,
    trainId: string,
    lineName: string,
  ): Promise<string | null> {
    const config = this.ctx.config();
    if (!config.hasLine(lineName)) return null;
    const line = config.line(lineName);
    const windows = incidentPolicyOf(line).suppress;
    if (windows.length === 0) return null;
    const train = await reader.getTrain(trainId);
    if (!train) return null;
    const events = await reader.listEvents({ trainId, types: ["train.transitioned"], limit: 5000 });
    let waveStartedAt: Instant | null = null;
    for (const event of events) {
      if (event.type !== "train.transitioned") continue;
      if (event.payload.event === "depart" || event.payload.event === "next_wave") waveStartedAt = event.time;
    }
    const wave = line.rollout.waves[train.currentWave];
    return suppressionOf(
      alert,
      {
        waveStartedAt,
        canary: wave?.strategy.type === "canary",
        fullWeightAt: train.waveDeployedAt,
        rollingOut: isRollingOut(train),
      },
      windows,
    );
  }

  /** The trains an alert's labels may be about, with what matching needs to know of them. */
  private async candidates(
    reader: StoreReader,
    labels: Record<string, string>,
    lines: readonly LineFacts[],
  ): Promise<TrainCandidate[]> {
    const trainId = labels.train_id?.trim();
    if (trainId) {
      const train = await reader.getTrain(trainId);
      return train ? [await this.candidateOf(reader, train, false)] : [];
    }
    const { component, environment, version } = labels;
    const names = lines
      .filter(
        (l) =>
          (component !== undefined && l.components.includes(component)) ||
          (environment !== undefined && l.environments.includes(environment)),
      )
      .map((l) => l.name);
    const out: TrainCandidate[] = [];
    for (const name of names) {
      for (const train of await reader.listTrains({ line: name, limit: CANDIDATE_TRAINS })) {
        out.push(await this.candidateOf(reader, train, component !== undefined && version !== undefined));
      }
    }
    return out;
  }

  private async candidateOf(
    reader: StoreReader,
    train: Train,
    withManifest: boolean,
  ): Promise<TrainCandidate> {
    const events = await reader.listEvents({ trainId: train.id, types: ["train.transitioned"], limit: 5000 });
    const departed = events.find(
      (e): e is Extract<StoredEvent, { type: "train.transitioned" }> =>
        e.type === "train.transitioned" && e.payload.event === "depart",
    );
    const manifest = withManifest ? await reader.getManifest(train.id) : [];
    return {
      id: train.id,
      line: train.line,
      state: train.state,
      departedAt: departed?.time ?? null,
      endedAt: train.endedAt,
      released: train.state === "released",
      carries: manifest
        .filter((i) => i.status === "boarded")
        .map((i) => ({ component: i.component, version: i.version })),
    };
  }

  /** The ID a person's report gets now: `inc-<train or line>-<8 hex>` of title, time and reporter. */
  idFor(report: IncidentReport, actor: string): string {
    const at = nowInstant(this.ctx);
    return incidentIdFor(report.trainId ?? report.line, hex(`${report.title.trim()}\n${at}\n${actor}`));
  }

  /**
   * Opens an incident a person reports. A critical one acts on trains by the line's policy, as
   * an alert's would; it stays open until someone resolves it.
   * @throws {NotFoundError} for an unknown line or train
   * @throws {InvalidInputError} for an empty title, or a train of another line
   */
  async open(report: IncidentReport, actor: string, id = this.idFor(report, actor)): Promise<Incident> {
    const config = this.ctx.config();
    config.line(report.line);
    const title = report.title.trim();
    if (!title)
      throw new InvalidInputError("an incident needs a title saying what is wrong", { field: "title" });
    const at = nowInstant(this.ctx);
    const incident = await this.ctx.locks.run("incidents", () =>
      this.ctx.store.transaction(async (tx) => {
        const trainId = report.trainId ?? null;
        if (trainId !== null) {
          const train = await tx.getTrain(trainId);
          if (!train) throw new NotFoundError(`no train "${trainId}"`, { field: "trainId" });
          if (train.line !== report.line)
            throw new InvalidInputError(
              `train ${trainId} runs on line ${train.line}, not ${report.line}; give its line or leave the train out`,
              { field: "trainId" },
            );
        }
        if ((await tx.listIncidents()).some((i) => i.id === id))
          throw new ConflictError(
            `incident ${id} was just opened with the same title; list incidents to see it`,
          );
        await tx.append(
          [
            {
              type: "incident.opened",
              trainId,
              actor,
              payload: {
                incidentId: id,
                line: report.line,
                title,
                detail: report.detail?.trim() || null,
                stopsLine: false,
                severity: report.severity ?? "critical",
                source: "manual",
                startedAt: at,
                component: report.component ?? null,
                environment: report.environment ?? null,
                labels: null,
              },
            },
          ],
          at,
        );
        for (const train of await tx.listTrains({ line: report.line, active: true, limit: 1000 }))
          await tx.setWakeAt(train.id, at);
        return (await tx.listIncidents()).find((i) => i.id === id)!;
      }),
    );
    this.ctx.wake();
    return incident;
  }
}
