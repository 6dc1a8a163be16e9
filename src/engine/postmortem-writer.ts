/**
 * Gathers what an incident's postmortem draft tells (the incident, its alerts, the events of its
 * train — or of its line in the incident's window when it has no train — and the SLO burn during
 * it) and renders it with `domain/incidents/postmortem.ts`. A Prometheus that cannot be asked does
 * not stop the draft: its SLO burn section says why it was not measured.
 */
import type { RailyardConfig } from "../domain/config/schema.js";
import type { StoredEvent } from "../domain/events.js";
import {
  type PostmortemBurn,
  postmortemTimeline,
  renderPostmortem,
  type TimelineRow,
} from "../domain/incidents/postmortem.js";
import type { Incident, IncidentAlert, Instant } from "../domain/model.js";
import { NotFoundError } from "./errors.js";
import type { Logger, SloBurnProbe, StoreReader } from "./ports.js";

/** A postmortem draft: the Markdown and the facts it was made from. */
export interface PostmortemDraft {
  incident: Incident;
  alerts: IncidentAlert[];
  timeline: TimelineRow[];
  burn: PostmortemBurn;
  markdown: string;
}

/** What drafting needs. */
export interface PostmortemDeps {
  store: StoreReader;
  config: RailyardConfig;
  /** Absent: SLO burn is not measured (the draft says so). */
  sloBurn?: SloBurnProbe | undefined;
  logger?: Logger;
  now: Instant;
}

/** How many events of a train (or a line's window) a draft reads at most. */
const EVENT_LIMIT = 20_000;

/**
 * Drafts the postmortem of incident `id`.
 * @throws {NotFoundError} for an unknown incident
 */
export async function draftPostmortem(deps: PostmortemDeps, id: string): Promise<PostmortemDraft> {
  const incident = (await deps.store.listIncidents()).find((i) => i.id === id);
  if (!incident) throw new NotFoundError(`no incident "${id}"; list them with railyard incident list`);
  const alerts = await deps.store.listIncidentAlerts({ incidentId: id });
  const end = incident.resolvedAt ?? deps.now;
  const events = incident.trainId
    ? await deps.store.listEvents({ trainId: incident.trainId, limit: EVENT_LIMIT })
    : await lineEvents(deps.store, incident, end);
  const burn = await measureBurn(deps, incident, end);
  const markdown = renderPostmortem({ incident, alerts, events, burn, now: deps.now });
  return { incident, alerts, timeline: postmortemTimeline(events), burn, markdown };
}

/** The events of the line's trains, and of the incident itself, from its start to its end. */
async function lineEvents(store: StoreReader, incident: Incident, end: Instant): Promise<StoredEvent[]> {
  const from = [incident.startedAt, incident.openedAt].sort()[0]!;
  const to = new Date(Date.parse(end) + 1).toISOString();
  const trains = new Set((await store.listTrains({ line: incident.line, limit: 1000 })).map((t) => t.id));
  const events = await store.listEvents({ from, to, limit: EVENT_LIMIT });
  return events.filter((e) => {
    if (e.trainId !== null) return trains.has(e.trainId);
    const payload = e.payload as { incidentId?: string };
    return payload.incidentId === incident.id;
  });
}

async function measureBurn(deps: PostmortemDeps, incident: Incident, end: Instant): Promise<PostmortemBurn> {
  const line = deps.config.lines[incident.line];
  if (!line?.errorBudget) {
    return {
      kind: "unmeasured",
      reason: `no SLO configured for line ${incident.line} (it has no errorBudget)`,
    };
  }
  if (!deps.sloBurn) return { kind: "unmeasured", reason: "this server has no Prometheus probe" };
  try {
    const reading = await deps.sloBurn.burnBetween(
      incident.line,
      new Date(incident.startedAt),
      new Date(end),
    );
    return { kind: "measured", from: incident.startedAt, to: end, ...reading };
  } catch (error) {
    deps.logger?.warn(
      { incident: incident.id, err: (error as Error).message },
      "postmortem: SLO burn not measured",
    );
    return {
      kind: "unmeasured",
      reason: `SLO ${line.errorBudget.slo} could not be queried (${(error as Error).message}); draft it again later`,
    };
  }
}
