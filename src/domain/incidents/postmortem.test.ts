import { describe, expect, it } from "vitest";
import type { NewEvent, StoredEvent } from "../events.js";
import type { Incident, IncidentAlert } from "../model.js";
import { burnSentence, type PostmortemInput, renderPostmortem, span } from "./postmortem.js";

let nextId = 1;
const ev = (time: string, e: Partial<NewEvent> & Pick<NewEvent, "type" | "payload">): StoredEvent =>
  ({
    id: nextId++,
    time,
    prevHash: "",
    hash: "",
    trainId: "shop-7",
    actor: "system",
    ...e,
  }) as StoredEvent;

const transition = (time: string, event: string, extra: Record<string, unknown> = {}) =>
  ev(time, {
    type: "train.transitioned",
    payload: { from: "boarding", to: "frozen", event, resumeTo: null, reason: null, ...extra } as never,
  });

const incident: Incident = {
  id: "inc-shop-7-0a1b2c3d",
  line: "shop",
  trainId: "shop-7",
  title: "HighErrorRate: api 5xx ratio above 5%",
  detail: null,
  stopsLine: false,
  status: "resolved",
  openedAt: "2026-03-02T09:12:30.000Z",
  openedBy: "alertmanager",
  resolvedAt: "2026-03-02T10:10:00.000Z",
  resolvedBy: "alertmanager",
  resolution: "every alert resolved (HighErrorRate)",
  severity: "critical",
  source: "alertmanager",
  startedAt: "2026-03-02T09:10:00.000Z",
  component: "api",
  environment: "eu",
  labels: { alertname: "HighErrorRate", train_id: "shop-7" },
};

const alert: IncidentAlert = {
  incidentId: incident.id,
  fingerprint: "4f1c9ab2e07d33aa",
  alertname: "HighErrorRate",
  status: "resolved",
  severity: "critical",
  labels: { alertname: "HighErrorRate" },
  startsAt: "2026-03-02T09:10:00.000Z",
  endsAt: "2026-03-02T10:05:00.000Z",
  updatedAt: "2026-03-02T10:10:00.000Z",
};

/** A train's history: boarding, gates, approval, waves, alerts, pause, rollback, resolution. */
const history: StoredEvent[] = [
  transition("2026-03-01T10:00:00.000Z", "open"),
  ev("2026-03-01T11:00:00.000Z", {
    type: "artifact.pushed",
    payload: {
      artifactId: "a1",
      component: "api",
      version: "2.4.0",
      commit: "c",
      buildUrl: null,
      digest: null,
      dependsOn: [],
      boardedTrain: "shop-7",
      late: false,
      requestedTrain: null,
    },
  }),
  ev("2026-03-02T07:00:00.000Z", {
    type: "artifact.carried",
    payload: {
      artifactId: "a2",
      component: "web",
      version: "3.0.0",
      toTrain: "shop-8",
      reason: "needs api 3",
    },
  }),
  ev("2026-03-02T07:00:01.000Z", {
    type: "component.dropped",
    payload: { component: "db", reason: "migration failed in staging", revision: 1 },
  }),
  ev("2026-03-02T07:30:00.000Z", {
    type: "gate.evaluated",
    payload: {
      resultId: "g1",
      stage: "pre-prod",
      gate: "security",
      type: "security",
      attempt: 1,
      status: "passed",
      verdict: "pass",
      output: "",
      durationMs: 5,
    },
  }),
  ev("2026-03-02T08:00:00.000Z", {
    type: "approval.recorded",
    actor: "carol",
    payload: {
      approvalId: "ap1",
      approver: "carol",
      decision: "approve",
      comment: "go",
      manifestRevision: 1,
    },
  }),
  transition("2026-03-02T09:00:00.000Z", "depart", { wave: 0 }),
  ev("2026-03-02T09:12:30.000Z", {
    type: "incident.opened",
    actor: "alertmanager",
    payload: {
      incidentId: incident.id,
      line: "shop",
      title: incident.title,
      detail: null,
      stopsLine: false,
      severity: "critical",
      source: "alertmanager",
      startedAt: "2026-03-02T09:10:00.000Z",
    },
  }),
  ev("2026-03-02T09:12:30.000Z", {
    type: "incident.alert",
    actor: "alertmanager",
    payload: {
      incidentId: incident.id,
      fingerprint: alert.fingerprint,
      alertname: "HighErrorRate",
      status: "firing",
      severity: "critical",
      labels: {},
      startsAt: "2026-03-02T09:10:00.000Z",
      endsAt: null,
    },
  }),
  ev("2026-03-02T09:13:00.000Z", {
    type: "alert.suppressed",
    actor: "alertmanager",
    payload: {
      fingerprint: "77",
      alertname: "CanaryLatency",
      severity: "warning",
      labels: {},
      startsAt: "2026-03-02T09:11:00.000Z",
      window: "canary-ramp",
    },
  }),
  transition("2026-03-02T09:12:31.000Z", "pause", {
    cause: "incident",
    reason: `incident ${incident.id} (HighErrorRate)`,
  }),
  transition("2026-03-02T09:20:00.000Z", "rollback", { reason: "by hand" }),
  transition("2026-03-02T09:25:00.000Z", "rolled_back"),
  ev("2026-03-02T10:10:00.000Z", {
    type: "incident.alert",
    actor: "alertmanager",
    payload: {
      incidentId: incident.id,
      fingerprint: alert.fingerprint,
      alertname: "HighErrorRate",
      status: "resolved",
      severity: "critical",
      labels: {},
      startsAt: "2026-03-02T09:10:00.000Z",
      endsAt: "2026-03-02T10:05:00.000Z",
    },
  }),
  ev("2026-03-02T10:10:00.000Z", {
    type: "incident.resolved",
    actor: "alertmanager",
    payload: { incidentId: incident.id, resolution: "every alert resolved (HighErrorRate)", automatic: true },
  }),
  ev("2026-03-02T10:11:00.000Z", {
    type: "step.started",
    payload: { stepId: "s", key: "k", kind: "deploy", attempt: 1, idempotencyKey: "i" },
  }),
];

const input = (over: Partial<PostmortemInput> = {}): PostmortemInput => ({
  incident,
  alerts: [alert],
  events: history,
  burn: {
    kind: "measured",
    slo: "checkout",
    from: incident.startedAt,
    to: incident.resolvedAt!,
    burnRate: 5,
    detail: "error ratio 0.05 against a budget of 0.01",
  },
  now: "2026-03-02T12:00:00.000Z",
  ...over,
});

/** The data rows of the table under a heading. */
function tableUnder(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`## ${heading}\n`);
  expect(start, `heading ${heading}`).toBeGreaterThanOrEqual(0);
  const rest = markdown.slice(start).split("\n").slice(1);
  const end = rest.findIndex((l) => l.startsWith("## "));
  return rest
    .slice(0, end === -1 ? undefined : end)
    .filter((l) => l.startsWith("| ") && !l.startsWith("| Time"));
}

describe("the postmortem draft", () => {
  it("has the summary, the review questions as headings in order, and the checklist", () => {
    const md = renderPostmortem(input());
    const headings = md.split("\n").filter((l) => l.startsWith("#"));
    expect(headings).toEqual([
      "# Postmortem draft: HighErrorRate: api 5xx ratio above 5%",
      "## Summary",
      "## Timeline of train actions and gates",
      "## SLO burn and incidents correlated to train",
      "## Root causes and mitigation actions tied to train process",
      "## Process improvements and automation opportunities",
      "## Incident checklist",
    ]);
    expect(md).toContain("| Train | shop-7 |");
    expect(md).toContain("| Started | 2026-03-02 09:10:00 UTC |");
    expect(md).toContain("| Detected (opened) | 2026-03-02 09:12:30 UTC, 2m 30s after it started |");
    expect(md).toContain("| Recovered | 2026-03-02 10:10:00 UTC |");
    // 09:10 → 10:10
    expect(md).toContain("| Time to restore (MTTR) | 1h |");
    expect(md).toContain("- [ ] Identify affected train ID and services: shop-7; api in eu");
    expect(md).toContain(
      "- [ ] Evaluate automatic rollback condition: rollback started 2026-03-02 09:20:00 UTC",
    );
    expect(md).toContain("- [ ] Execute runbook and notify stakeholders");
  });

  it("tells the train's timeline in UTC, in time order, leaving out what a postmortem does not need", () => {
    const rows = tableUnder(renderPostmortem(input()), "Timeline of train actions and gates");
    expect(rows).toEqual([
      "| 2026-03-01 10:00:00 | boarding | boarding opened |",
      "| 2026-03-01 11:00:00 | boarding | boarded api 2.4.0 |",
      "| 2026-03-02 07:00:00 | boarding | held web 3.0.0: rides shop-8 (needs api 3) |",
      "| 2026-03-02 07:00:01 | boarding | dropped db: migration failed in staging |",
      "| 2026-03-02 07:30:00 | gate | gate pre-prod/security (security): pass |",
      "| 2026-03-02 08:00:00 | approval | approved by carol: go |",
      "| 2026-03-02 09:00:00 | wave | departed: wave 1 started |",
      "| 2026-03-02 09:10:00 | alert | alert HighErrorRate fired (critical; received 2026-03-02 09:12:30) |",
      "| 2026-03-02 09:11:00 | alert | alert CanaryLatency suppressed by window canary-ramp (received 2026-03-02 09:13:00) |",
      `| 2026-03-02 09:12:30 | incident | incident ${incident.id} opened by alertmanager (critical): HighErrorRate: api 5xx ratio above 5% |`,
      `| 2026-03-02 09:12:31 | pause | paused (incident): incident ${incident.id} (HighErrorRate) |`,
      "| 2026-03-02 09:20:00 | rollback | rollback started: by hand |",
      "| 2026-03-02 09:25:00 | rollback | rollback done |",
      "| 2026-03-02 10:05:00 | alert | alert HighErrorRate resolved (received 2026-03-02 10:10:00) |",
      `| 2026-03-02 10:10:00 | incident | incident ${incident.id} resolved by alertmanager (automatically): every alert resolved (HighErrorRate) |`,
    ]);
  });

  it("states the SLO burn during the incident and lists its alerts", () => {
    const md = renderPostmortem(input());
    const section = md.slice(md.indexOf("## SLO burn"), md.indexOf("## Root causes"));
    expect(section).toContain(
      "SLO checkout burned its error budget at 5× the sustainable rate from 2026-03-02 09:10:00 to 2026-03-02 10:10:00 UTC (error ratio 0.05 against a budget of 0.01).",
    );
    expect(section).toContain(
      "| HighErrorRate | critical | resolved | 2026-03-02 09:10:00 | 2026-03-02 10:05:00 | 4f1c9ab2e07d33aa |",
    );
  });

  it("says when no SLO is configured, or there was no data", () => {
    const md = renderPostmortem(
      input({
        burn: { kind: "unmeasured", reason: "no SLO configured for line shop (it has no errorBudget)" },
      }),
    );
    expect(md).toContain("SLO burn not measured: no SLO configured for line shop (it has no errorBudget).");
    expect(
      burnSentence({
        kind: "measured",
        slo: "checkout",
        from: "2026-03-02T09:10:00.000Z",
        to: "2026-03-02T09:20:00.000Z",
        burnRate: null,
        detail: "no events of SLO checkout over 600s",
      }),
    ).toBe(
      "SLO checkout from 2026-03-02 09:10:00 to 2026-03-02 09:20:00 UTC: no data (no events of SLO checkout over 600s).",
    );
  });

  it("counts an open incident's duration to now, and says it has not recovered", () => {
    const md = renderPostmortem(
      input({
        incident: { ...incident, status: "open", resolvedAt: null, resolvedBy: null, resolution: null },
        events: [],
      }),
    );
    expect(md).toContain("| Recovered | not yet (draft made 2026-03-02 12:00:00 UTC) |");
    expect(md).toContain("| Duration | 2h 50m so far |");
    expect(md).toContain("| Time to restore (MTTR) | open |");
    expect(md).toContain("_No train events were recorded._");
    expect(md).toContain("- [ ] Evaluate automatic rollback condition: the train was not rolled back");
  });

  it("writes spans in the two largest units", () => {
    expect(span(0)).toBe("0s");
    expect(span(90_000)).toBe("1m 30s");
    expect(span(26 * 3_600_000 + 61_000)).toBe("1d 2h");
  });
});
