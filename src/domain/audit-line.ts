/**
 * One line of an audit export (JSON Lines): an event with exactly the fields its hash covers
 * plus the hash, as canonical JSON, so the line can be verified anywhere by recomputing the hash.
 * `railyard audit export` and `GET /api/v1/audit/export` both write this.
 */
import { canonicalJson } from "./canonical-json.js";
import type { StoredEvent } from "./events.js";

/** The canonical export line of an event (without the trailing newline). */
export function auditLine(event: StoredEvent): string {
  return canonicalJson({
    id: event.id,
    trainId: event.trainId,
    type: event.type,
    actor: event.actor,
    payload: event.payload,
    time: event.time,
    prevHash: event.prevHash,
    hash: event.hash,
  });
}
