import { describe, expect, it } from "vitest";
import type { RailyardConfig } from "../domain/config/schema.js";
import type { StoredEvent } from "../domain/events.js";
import type { Incident } from "../domain/model.js";
import { NotFoundError } from "./errors.js";
import type { EventFilter, SloBurnProbe, StoreReader } from "./ports.js";
import { draftPostmortem } from "./postmortem-writer.js";

const incident: Incident = {
  id: "inc-shop-0a1b2c3d",
  line: "shop",
  trainId: null,
  title: "checkout down",
  detail: null,
  stopsLine: false,
  status: "open",
  openedAt: "2026-03-02T09:05:00.000Z",
  openedBy: "carol",
  resolvedAt: null,
  resolvedBy: null,
  resolution: null,
  severity: "critical",
  source: "manual",
  startedAt: "2026-03-02T09:00:00.000Z",
  component: null,
  environment: null,
  labels: null,
};

const event = (id: number, trainId: string | null, type: string, payload: object): StoredEvent =>
  ({
    id,
    time: "2026-03-02T09:10:00.000Z",
    trainId,
    actor: "system",
    type,
    payload,
    prevHash: "",
    hash: "",
  }) as StoredEvent;

/** A store with the incident, trains shop-3 (line shop) and blog-1 (line blog), and their events. */
function store(filters: EventFilter[]): StoreReader {
  const events = [
    event(1, "shop-3", "train.transitioned", {
      event: "pause",
      cause: "incident",
      reason: "incident",
      from: "gating",
      to: "paused",
      resumeTo: "gating",
    }),
    event(2, "blog-1", "train.transitioned", {
      event: "depart",
      wave: 0,
      reason: null,
      from: "a",
      to: "b",
      resumeTo: null,
    }),
    event(3, null, "incident.opened", {
      incidentId: incident.id,
      line: "shop",
      title: incident.title,
      detail: null,
      stopsLine: false,
    }),
    event(4, null, "incident.opened", {
      incidentId: "inc-other",
      line: "blog",
      title: "other",
      detail: null,
      stopsLine: false,
    }),
  ];
  return {
    listIncidents: async () => [incident],
    listIncidentAlerts: async () => [],
    listTrains: async (f: { line?: string }) =>
      [
        { id: "shop-3", line: "shop" },
        { id: "blog-1", line: "blog" },
      ].filter((t) => t.line === f.line),
    listEvents: async (f: EventFilter) => {
      filters.push(f);
      return events;
    },
  } as unknown as StoreReader;
}

const config = (errorBudget: boolean) =>
  ({
    lines: { shop: errorBudget ? { errorBudget: { slo: "checkout", over: "1h" } } : {} },
  }) as unknown as RailyardConfig;

describe("drafting a postmortem", () => {
  it("tells a line-level incident from the line's trains and its own events in its window", async () => {
    const filters: EventFilter[] = [];
    const draft = await draftPostmortem(
      { store: store(filters), config: config(false), now: "2026-03-02T10:00:00.000Z" },
      incident.id,
    );
    // From its start to now (open), the `to` bound exclusive.
    expect(filters).toEqual([
      { from: "2026-03-02T09:00:00.000Z", to: "2026-03-02T10:00:00.001Z", limit: 20_000 },
    ]);
    expect(draft.timeline.map((r) => r.what)).toEqual([
      "paused (incident): incident",
      `incident ${incident.id} opened by system (critical): checkout down`,
    ]);
    expect(draft.burn).toEqual({
      kind: "unmeasured",
      reason: "no SLO configured for line shop (it has no errorBudget)",
    });
  });

  it("measures the burn from the start to now, and still drafts when Prometheus is down", async () => {
    const asked: Array<[string, string, string]> = [];
    const up: SloBurnProbe = {
      async burnBetween(line, from, to) {
        asked.push([line, from.toISOString(), to.toISOString()]);
        return { slo: "checkout", burnRate: 2, detail: "error ratio 0.02 against a budget of 0.01" };
      },
    };
    const now = "2026-03-02T10:00:00.000Z";
    const measured = await draftPostmortem(
      { store: store([]), config: config(true), sloBurn: up, now },
      incident.id,
    );
    expect(asked).toEqual([["shop", "2026-03-02T09:00:00.000Z", now]]);
    expect(measured.markdown).toContain("SLO checkout burned its error budget at 2× the sustainable rate");

    const down: SloBurnProbe = {
      async burnBetween() {
        throw new Error("Prometheus default at http://127.0.0.1:1 is unreachable");
      },
    };
    const unmeasured = await draftPostmortem(
      { store: store([]), config: config(true), sloBurn: down, now },
      incident.id,
    );
    expect(unmeasured.markdown).toContain(
      "SLO burn not measured: SLO checkout could not be queried (Prometheus default at http://127.0.0.1:1 is unreachable); draft it again later.",
    );
    const none = await draftPostmortem({ store: store([]), config: config(true), now }, incident.id);
    expect(none.burn).toEqual({ kind: "unmeasured", reason: "this server has no Prometheus probe" });
  });

  it("refuses an unknown incident", async () => {
    await expect(
      draftPostmortem({ store: store([]), config: config(false), now: "2026-03-02T10:00:00.000Z" }, "inc-x"),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
