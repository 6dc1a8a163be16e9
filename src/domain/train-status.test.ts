import { describe, expect, it } from "vitest";
import { describeTrainState, formatLocalInstant, trainNote } from "./train-status.js";

const paused = {
  state: "paused" as const,
  reason: "outside window",
  pauseCause: "window" as const,
  resumeAt: "2026-03-03T09:00:00.000Z",
};

describe("describeTrainState", () => {
  it("says when the engine resumes a train it paused, in the line's zone and its abbreviation", () => {
    expect(describeTrainState(paused, "Europe/Berlin")).toBe(
      "paused: outside window — resumes 2026-03-03 10:00 CET (Europe/Berlin)",
    );
    expect(
      describeTrainState(
        {
          ...paused,
          reason: "blackout eu: freeze",
          pauseCause: "blackout",
          resumeAt: "2026-07-01T08:00:00.000Z",
        },
        "Europe/Berlin",
      ),
    ).toBe("paused: blackout eu: freeze — resumes 2026-07-01 10:00 CEST (Europe/Berlin)");
    expect(describeTrainState({ ...paused, resumeAt: null }, "UTC")).toBe(
      "paused: outside window — resumes when the window next opens",
    );
  });

  it("says only the reason for a person's pause and for other states", () => {
    expect(
      describeTrainState({ ...paused, reason: "DBA on it", pauseCause: "manual", resumeAt: null }, "UTC"),
    ).toBe("paused: DBA on it");
    expect(
      describeTrainState(
        { state: "skipped", reason: "blackout year-end: Year-end freeze", pauseCause: null, resumeAt: null },
        "UTC",
      ),
    ).toBe("skipped: blackout year-end: Year-end freeze");
    expect(
      describeTrainState({ state: "boarding", reason: null, pauseCause: null, resumeAt: null }, "UTC"),
    ).toBe("boarding");
    expect(trainNote({ state: "boarding", reason: null, pauseCause: null, resumeAt: null }, "UTC")).toBe("");
  });

  it("formats local times across DST and in zones without an abbreviation", () => {
    expect(formatLocalInstant(Date.parse("2026-03-29T01:30:00.000Z"), "Europe/Berlin")).toBe(
      "2026-03-29 03:30 CEST (Europe/Berlin)",
    );
    expect(formatLocalInstant(Date.parse("2026-07-03T23:30:00.000Z"), "Asia/Kolkata")).toBe(
      "2026-07-04 05:00 GMT+5:30 (Asia/Kolkata)",
    );
  });
});
