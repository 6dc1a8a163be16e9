import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../domain/canonical-json.js";
import { GENESIS_HASH } from "../domain/events.js";
import { eventHash, eventHashFromPayloadJson } from "./event-hash.js";

const event = {
  id: 1,
  trainId: "web-42",
  type: "train.created",
  actor: "system",
  payload: { number: 42, line: "web", kind: "scheduled", note: undefined },
  time: "2026-01-06T09:00:00.000Z",
  prevHash: GENESIS_HASH,
};

describe("eventHash", () => {
  it("is the SHA-256 of the canonical JSON of exactly the hashed fields", () => {
    const expected = createHash("sha256")
      .update(
        '{"actor":"system","id":1,"payload":{"kind":"scheduled","line":"web","number":42},' +
          `"prevHash":"${GENESIS_HASH}","time":"2026-01-06T09:00:00.000Z","trainId":"web-42","type":"train.created"}`,
      )
      .digest("hex");
    expect(eventHash(event)).toBe(expected);
    expect(eventHash({ ...event, hash: "ignored", extra: 1 } as typeof event)).toBe(expected);
  });

  it("equals the hash from a canonical payload text, with and without a train", () => {
    for (const trainId of ["web-42", null]) {
      const input = { ...event, trainId };
      expect(eventHashFromPayloadJson({ ...input, payloadJson: canonicalJson(input.payload) })).toBe(
        createHash("sha256").update(canonicalJson(input)).digest("hex"),
      );
    }
  });

  it("changes when any hashed field changes", () => {
    const base = eventHash(event);
    const variants = [
      { ...event, id: 2 },
      { ...event, trainId: null },
      { ...event, type: "train.transitioned" },
      { ...event, actor: "alice" },
      { ...event, payload: { ...event.payload, number: 43 } },
      { ...event, time: "2026-01-06T09:00:00.001Z" },
      { ...event, prevHash: "1".repeat(64) },
    ];
    for (const variant of variants) expect(eventHash(variant)).not.toBe(base);
  });
});
