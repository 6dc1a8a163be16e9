import { describe, expect, it } from "vitest";
import { checkpointDue, checkpointStatement, sealStatement } from "./audit-checkpoint.js";

const HASH = "ab".repeat(32);

describe("checkpointStatement", () => {
  it("is the versioned text of the event id, its hash and the signing time", () => {
    expect(checkpointStatement({ eventId: 42, hash: HASH, signedAt: "2026-03-02T06:00:00.000Z" })).toBe(
      `railyard-checkpoint:v1:42:${HASH}:2026-03-02T06:00:00.000Z`,
    );
  });
});

describe("sealStatement", () => {
  const claim = {
    lines: 57,
    headerDigest: "1".repeat(64),
    digest: "2".repeat(64),
    first: { id: 1, prevHash: "0".repeat(64) },
    last: { id: 50, hash: HASH },
    signedAt: "2026-03-02T06:00:00.000Z",
    keyId: "0123456789abcdef",
  };

  it("covers every field of the claim, in canonical JSON", () => {
    expect(sealStatement(claim)).toBe(
      `railyard-export-seal:v1:{"digest":"${"2".repeat(64)}","first":{"id":1,"prevHash":"${"0".repeat(64)}"},"headerDigest":"${"1".repeat(64)}","keyId":"0123456789abcdef","last":{"hash":"${HASH}","id":50},"lines":57,"signedAt":"2026-03-02T06:00:00.000Z"}`,
    );
  });

  it("changes when any field changes", () => {
    const base = sealStatement(claim);
    for (const changed of [
      { ...claim, lines: 56 },
      { ...claim, headerDigest: "3".repeat(64) },
      { ...claim, digest: "3".repeat(64) },
      { ...claim, first: null },
      { ...claim, last: { id: 49, hash: HASH } },
      { ...claim, signedAt: "2026-03-02T06:00:00.001Z" },
      { ...claim, keyId: "fedcba9876543210" },
    ]) {
      expect(sealStatement(changed)).not.toBe(base);
    }
  });
});

describe("checkpointDue", () => {
  const hour = 3_600_000;
  const since = "2026-03-02T05:00:00.000Z";
  const at = (minutes: number) => Date.parse(since) + minutes * 60_000;

  it("counts from when signing started until there is a checkpoint", () => {
    expect(checkpointDue({ now: at(59), lastSignedAt: null, since, every: hour })).toBe(false);
    expect(checkpointDue({ now: at(60), lastSignedAt: null, since, every: hour })).toBe(true);
  });

  it("counts from the last checkpoint", () => {
    const lastSignedAt = "2026-03-02T05:30:00.000Z";
    expect(checkpointDue({ now: at(89), lastSignedAt, since, every: hour })).toBe(false);
    expect(checkpointDue({ now: at(90), lastSignedAt, since, every: hour })).toBe(true);
  });
});
