import { describe, expect, it } from "vitest";
import { type LineFacts, matchAlert, type TrainCandidate } from "./match.js";

const H = 3_600_000;
const lines: LineFacts[] = [
  { name: "shop", components: ["api", "web"], environments: ["eu", "us"], attributionWindowMs: 24 * H },
  { name: "data", components: ["etl"], environments: ["eu"], attributionWindowMs: 2 * H },
];
const candidate = (overrides: Partial<TrainCandidate>): TrainCandidate => ({
  id: "shop-1",
  line: "shop",
  state: "released",
  departedAt: "2026-03-02T09:00:00.000Z",
  endedAt: "2026-03-02T10:00:00.000Z",
  released: true,
  carries: [{ component: "api", version: "1.0.0" }],
  ...overrides,
});

describe("matchAlert", () => {
  it("takes train_id first, whatever the other labels say", () => {
    const trains = [
      candidate({}),
      candidate({ id: "shop-2", carries: [{ component: "api", version: "2.0.0" }] }),
    ];
    expect(
      matchAlert(
        {
          labels: { train_id: "shop-2", component: "api", version: "1.0.0" },
          startsAt: "2026-03-02T11:00:00Z",
        },
        trains,
        lines,
      ),
    ).toEqual({ kind: "train", trainId: "shop-2", line: "shop", by: "train_id" });
    expect(
      matchAlert({ labels: { train_id: "shop-9" }, startsAt: "2026-03-02T11:00:00Z" }, trains, lines),
    ).toEqual({
      kind: "ignored",
      reason: 'label train_id names no train ("shop-9")',
    });
  });

  it("finds the train that carried a component's version, the latest to reach production", () => {
    const trains = [
      candidate({ id: "shop-1" }),
      candidate({
        id: "shop-1-hotfix-1",
        departedAt: "2026-03-02T12:00:00.000Z",
        endedAt: null,
        state: "deploying",
        released: false,
      }),
      candidate({
        id: "shop-2",
        departedAt: null,
        endedAt: null,
        state: "boarding",
        released: false,
        carries: [{ component: "api", version: "2.0.0" }],
      }),
    ];
    const labels = { component: "api", version: "1.0.0" };
    expect(matchAlert({ labels, startsAt: "2026-03-02T13:00:00Z" }, trains, lines)).toMatchObject({
      trainId: "shop-1-hotfix-1",
      by: "component+version",
    });
    // A single carrier that never departed is still the one.
    expect(
      matchAlert(
        { labels: { component: "api", version: "2.0.0" }, startsAt: "2026-03-02T13:00:00Z" },
        trains,
        lines,
      ),
    ).toMatchObject({ trainId: "shop-2" });
    // Two carriers, neither departed: ambiguous, so the component's line.
    const twins = [
      candidate({ id: "shop-3", departedAt: null, endedAt: null, released: false }),
      candidate({ id: "shop-4", departedAt: null, endedAt: null, released: false }),
    ];
    expect(matchAlert({ labels, startsAt: "2026-03-02T13:00:00Z" }, twins, lines)).toEqual({
      kind: "line",
      lines: ["shop"],
      by: "component",
    });
  });

  it("attributes by environment to the train rolling out at startsAt", () => {
    const trains = [
      candidate({
        id: "shop-2",
        state: "verifying",
        departedAt: "2026-03-02T11:00:00.000Z",
        endedAt: null,
        released: false,
      }),
    ];
    const m = matchAlert(
      { labels: { environment: "us" }, startsAt: "2026-03-02T11:00:00.000Z" },
      trains,
      lines,
    );
    expect(m).toEqual({ kind: "train", trainId: "shop-2", line: "shop", by: "environment" });
    // Before it departed: not its alert.
    expect(
      matchAlert({ labels: { environment: "us" }, startsAt: "2026-03-02T10:59:59.999Z" }, trains, lines).kind,
    ).toBe("ignored");
  });

  it("attributes by environment to a release less than the attribution window before", () => {
    const trains = [
      candidate({ id: "data-4", line: "data", endedAt: "2026-03-02T10:00:00.000Z", carries: [] }),
    ];
    const labels = { environment: "eu", component: "etl" };
    expect(matchAlert({ labels, startsAt: "2026-03-02T11:59:59.999Z" }, trains, lines)).toMatchObject({
      kind: "train",
      trainId: "data-4",
    });
    // Exactly the window (2h) after the release: no longer attributed; the component's line is.
    expect(matchAlert({ labels, startsAt: "2026-03-02T12:00:00.000Z" }, trains, lines)).toEqual({
      kind: "line",
      lines: ["data"],
      by: "component",
    });
  });

  it("cannot choose between two lines rolling out to the same environment", () => {
    const trains = [
      candidate({
        id: "shop-2",
        state: "deploying",
        departedAt: "2026-03-02T11:00:00.000Z",
        endedAt: null,
        released: false,
      }),
      candidate({
        id: "data-5",
        line: "data",
        state: "deploying",
        departedAt: "2026-03-02T11:10:00.000Z",
        endedAt: null,
        released: false,
      }),
    ];
    const m = matchAlert(
      { labels: { environment: "eu" }, startsAt: "2026-03-02T11:30:00.000Z" },
      trains,
      lines,
    );
    expect(m.kind).toBe("ignored");
    // The component narrows it to one line.
    expect(
      matchAlert(
        { labels: { environment: "eu", component: "etl" }, startsAt: "2026-03-02T11:30:00.000Z" },
        trains,
        lines,
      ),
    ).toMatchObject({ trainId: "data-5" });
  });

  it("falls back to the line label, then the component's lines, then ignores with a reason", () => {
    expect(matchAlert({ labels: { line: "data" }, startsAt: "2026-03-02T11:00:00Z" }, [], lines)).toEqual({
      kind: "line",
      lines: ["data"],
      by: "line",
    });
    expect(matchAlert({ labels: { component: "web" }, startsAt: "2026-03-02T11:00:00Z" }, [], lines)).toEqual(
      {
        kind: "line",
        lines: ["shop"],
        by: "component",
      },
    );
    expect(matchAlert({ labels: { line: "nope" }, startsAt: "2026-03-02T11:00:00Z" }, [], lines)).toEqual({
      kind: "ignored",
      reason: 'label line names no configured line ("nope")',
    });
    expect(matchAlert({ labels: { alertname: "x" }, startsAt: "2026-03-02T11:00:00Z" }, [], lines).kind).toBe(
      "ignored",
    );
  });
});
