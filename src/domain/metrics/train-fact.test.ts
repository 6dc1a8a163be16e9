/**
 * The stored form of a train fact round-trips exactly, and the fold merges test reports and gate
 * evaluations of one instant into counts (what keeps facts small).
 */
import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../events.js";
import { decodeTrainFact, encodeTrainFact, foldTrainFacts, type TrainFact } from "./train-fact.js";

const FULL: TrainFact = {
  trainId: "web-7",
  line: "web",
  kind: "hotfix",
  number: 7,
  hotfixOf: 6,
  createdAt: "2026-01-05T08:00:00.000Z",
  departedAt: "2026-01-06T00:00:00.000Z",
  releasedAt: "2026-01-06T06:30:00.250Z",
  endedAt: "2026-01-06T06:30:00.250Z",
  outcome: "released",
  rolledBackAt: null,
  rollbacks: [{ at: "2026-01-06T01:00:00.000Z", scope: "component", components: ["api", "db"] }],
  components: {
    api: {
      version: "1.2.3",
      artifactId: "art-1",
      pushedAt: "2026-01-05T09:00:00.000Z",
      // As CI may send it: an offset, no milliseconds. Kept as it is.
      committedAt: "2026-01-05T10:00:00+01:00",
    },
    db: { version: "42.0.0", artifactId: "art-2", pushedAt: "2026-01-05T09:30:00.000Z", committedAt: null },
  },
  frozen: true,
  tests: [{ at: "2026-01-05T11:00:00.000Z", passed: 17, run: 20 }],
  gates: [
    { at: "2026-01-05T12:00:00.000Z", kind: "slo", passed: 3, failed: 1 },
    { at: "2026-01-05T12:00:00.000Z", kind: "security", passed: 0, failed: 2 },
  ],
  measurement: { at: "2026-01-06T07:30:00.250Z", window: "1h", before: 0.01, after: 0.025 },
  lastEventId: 912,
};

describe("the stored form of a train fact", () => {
  it("round-trips a fact exactly, in well under the size of its plain JSON", () => {
    const text = encodeTrainFact(FULL);
    expect(decodeTrainFact("web-7", text)).toEqual(FULL);
    expect(text.length).toBeLessThan(JSON.stringify(FULL).length * 0.7);
  });

  it("round-trips a train that has just been created", () => {
    const fresh: TrainFact = {
      ...FULL,
      kind: "scheduled",
      hotfixOf: null,
      departedAt: null,
      releasedAt: null,
      endedAt: null,
      outcome: null,
      rollbacks: [],
      components: {},
      frozen: false,
      tests: [],
      gates: [],
      measurement: null,
      lastEventId: 1,
    };
    expect(decodeTrainFact("web-7", encodeTrainFact(fresh))).toEqual(fresh);
  });

  it("refuses a row in another format, saying how to refold", () => {
    expect(() => decodeTrainFact("web-7", JSON.stringify(FULL))).toThrow(
      /train_facts row of train web-7 is not in stored format 2; delete the train_facts rows and the metrics.cursor setting/,
    );
  });
});

describe("folding reports and gate evaluations", () => {
  it("adds up those of one instant and keeps other instants apart", () => {
    let id = 0;
    const event = (time: string, type: string, payload: unknown) =>
      ({
        id: ++id,
        time,
        trainId: "web-1",
        actor: "ci",
        type,
        payload,
        prevHash: "",
        hash: "",
      }) as StoredEvent;
    const summary = (passed: number, failed: number) => ({
      tests: passed + failed + 1,
      passed,
      failed,
      errored: 0,
      skipped: 1,
      flaky: 0,
      durationMs: 0,
      truncated: false,
    });
    const gate = (time: string, type: string, status: string) =>
      event(time, "gate.evaluated", {
        resultId: `g${id}`,
        stage: "gating",
        gate: type,
        type,
        attempt: 1,
        status,
      });
    const events = [
      event("2026-01-05T08:00:00.000Z", "train.created", {
        line: "web",
        number: 1,
        kind: "scheduled",
        cutoffAt: "2026-01-05T08:00:00.000Z",
        departureAt: "2026-01-05T08:00:00.000Z",
      }),
      event("2026-01-05T11:00:00.000Z", "tests.reported", { summary: summary(8, 1) }),
      event("2026-01-05T11:00:00.000Z", "tests.reported", { summary: summary(5, 0) }),
      event("2026-01-05T11:30:00.000Z", "tests.reported", { summary: summary(2, 2) }),
      gate("2026-01-05T12:00:00.000Z", "slo", "passed"),
      gate("2026-01-05T12:00:00.000Z", "security", "failed"),
      gate("2026-01-05T12:00:00.000Z", "canary", "failed"),
      gate("2026-01-05T12:00:00.000Z", "prometheus", "passed"),
      gate("2026-01-05T12:00:00.000Z", "manual", "passed"),
      gate("2026-01-05T13:00:00.000Z", "slo", "passed"),
    ];
    const facts = new Map<string, TrainFact>();
    foldTrainFacts(facts, events, { artifact: () => undefined });
    const fact = facts.get("web-1");
    // 8 + 5 passed of 9 + 5 run at 11:00; 2 of 4 at 11:30.
    expect(fact?.tests).toEqual([
      { at: "2026-01-05T11:00:00.000Z", passed: 13, run: 14 },
      { at: "2026-01-05T11:30:00.000Z", passed: 2, run: 4 },
    ]);
    // slo, canary, prometheus count as slo; the manual gate not at all.
    expect(fact?.gates).toEqual([
      { at: "2026-01-05T12:00:00.000Z", kind: "slo", passed: 2, failed: 1 },
      { at: "2026-01-05T12:00:00.000Z", kind: "security", passed: 0, failed: 1 },
      { at: "2026-01-05T13:00:00.000Z", kind: "slo", passed: 1, failed: 0 },
    ]);
  });
});
