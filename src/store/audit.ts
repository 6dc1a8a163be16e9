/**
 * The audit trail's two operations: `railyard audit verify` (recompute the chain, in the
 * database or in an export file) and `railyard audit export` (JSON Lines, one event per line).
 */

import { auditLine } from "../domain/audit-line.js";
import { GENESIS_HASH } from "../domain/events.js";
import type { ChainVerification, EventFilter, Store } from "../engine/ports.js";
import { ChainWalker } from "./chain-walker.js";
import { eventHash } from "./event-hash.js";

/** Recomputes the store's hash chain from the first event. */
export function verifyAudit(store: Store): Promise<ChainVerification> {
  return store.verifyChain();
}

/**
 * Writes the events matching `filter`, oldest first, one canonical-JSON object
 * `{id, trainId, type, actor, payload, time, prevHash, hash}` per call of `write` (without a
 * newline). Waits for each `write` that returns a promise, so a slow sink is not overrun.
 * An export without a filter can be checked anywhere with {@link verifyExportLines}.
 * @returns the number of events written.
 */
export async function exportEvents(
  store: Store,
  filter: Omit<EventFilter, "limit">,
  write: (line: string) => void | Promise<void>,
): Promise<number> {
  let count = 0;
  for await (const event of store.streamEvents(filter)) {
    const line = auditLine(event);
    const written = write(line);
    if (written !== undefined) await written;
    count++;
  }
  return count;
}

/** Options of {@link verifyExportLines}. */
export interface VerifyExportOptions {
  /**
   * The event the export continues from, for an export that starts after event 1 (`afterId`):
   * its id and hash, taken from a verified copy.
   * @default the genesis: the export must start at event 1
   */
  after?: { id: number; hash: string };
}

/**
 * Verifies the chain inside a JSON Lines export: every line is an event whose hash matches its
 * content and whose `prevHash` is the previous line's hash, ids consecutive. Blank lines are
 * ignored. Needs no database, so an auditor can check an export on another machine.
 */
export function verifyExportLines(
  lines: Iterable<string>,
  options: VerifyExportOptions = {},
): ChainVerification {
  const walker = new ChainWalker(options.after);
  let lineNumber = 0;
  for (const line of lines) {
    lineNumber++;
    if (line.trim() === "") continue;
    const event = parseExportLine(line);
    if (typeof event === "string") {
      return {
        ok: false,
        events: walker.intact,
        brokenAt: walker.nextId,
        problem: `line ${lineNumber}: ${event}`,
      };
    }
    let recomputed: string;
    try {
      recomputed = eventHash(event);
    } catch (error) {
      return {
        ok: false,
        events: walker.intact,
        brokenAt: event.id,
        problem: `line ${lineNumber}: ${(error as Error).message}`,
      };
    }
    const problem = walker.step(event, recomputed);
    if (problem !== null) return { ok: false, events: walker.intact, brokenAt: event.id, problem };
  }
  return {
    ok: true,
    events: walker.intact,
    lastHash: walker.last?.hash ?? options.after?.hash ?? GENESIS_HASH,
  };
}

interface ExportedEvent {
  id: number;
  trainId: string | null;
  type: string;
  actor: string;
  payload: unknown;
  time: string;
  prevHash: string;
  hash: string;
}

/** The event on a line, or what is wrong with the line. */
function parseExportLine(line: string): ExportedEvent | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return "not valid JSON";
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not a JSON object";
  const event = value as Record<string, unknown>;
  if (!Number.isSafeInteger(event.id) || (event.id as number) < 1) return "id is not a positive integer";
  if (event.trainId !== null && typeof event.trainId !== "string") return "trainId is not a string or null";
  for (const field of ["type", "actor", "time", "prevHash", "hash"] as const) {
    if (typeof event[field] !== "string") return `${field} is not a string`;
  }
  if (!("payload" in event)) return "payload is missing";
  return event as unknown as ExportedEvent;
}
