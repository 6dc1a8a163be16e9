/**
 * The hash that chains the event log: SHA-256 (hex) over the canonical JSON of
 * `{id, trainId, type, actor, payload, time, prevHash}`. The first event's `prevHash` is
 * `GENESIS_HASH`, so changing, removing or reordering any event breaks every hash after it.
 */
import { createHash } from "node:crypto";
import type { ExportedEvent } from "../domain/audit-line.js";
import { canonicalJson } from "../domain/canonical-json.js";

/** The fields of an event that its hash covers: an export line's event without its hash. */
export type EventHashInput = Omit<ExportedEvent, "hash">;

/**
 * Computes an event's hash from exactly the fields of {@link EventHashInput}; other properties
 * of `input` (a stored `hash`) are ignored.
 * @throws {NonCanonicalValueError} when the payload holds a value JSON cannot carry.
 */
export function eventHash(input: EventHashInput): string {
  return eventHashFromPayloadJson({ ...input, payloadJson: canonicalJson(input.payload) });
}

/**
 * Same as {@link eventHash}, for a payload already written as canonical JSON (the store writes
 * the payload once and reuses the text). The result equals `eventHash` only when `payloadJson`
 * is canonical.
 */
export function eventHashFromPayloadJson(
  input: Omit<EventHashInput, "payload"> & { payloadJson: string },
): string {
  // Keys in canonical (sorted) order: actor, id, payload, prevHash, time, trainId, type.
  const text =
    `{"actor":${JSON.stringify(input.actor)},"id":${canonicalJson(input.id)},"payload":${input.payloadJson},` +
    `"prevHash":${JSON.stringify(input.prevHash)},"time":${JSON.stringify(input.time)},` +
    `"trainId":${input.trainId === null ? "null" : JSON.stringify(input.trainId)},"type":${JSON.stringify(input.type)}}`;
  return createHash("sha256").update(text, "utf8").digest("hex");
}
