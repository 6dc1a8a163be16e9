/**
 * The lines of an audit export (JSON Lines, each line canonical JSON), as `railyard audit export`
 * and `GET /api/v1/audit/export` write them:
 *
 * 1. a header `{"kind":"header","version":1,"filter":{…},"exportedAt":…}`;
 * 2. the events, oldest first, each `{id, trainId, type, actor, payload, time, prevHash, hash}`
 *    (exactly the fields its hash covers, plus the hash), or, for an event a train or actor filter
 *    leaves out, a stub `{id, prevHash, hash, omitted: true}` without its content;
 * 3. after the event it covers, each signed checkpoint
 *    `{"kind":"checkpoint", eventId, hash, signedAt, keyId, signature}`;
 * 4. last, when the exporter holds the signing key, the seal `{"kind":"seal", …}` (see
 *    {@link SealClaim}).
 *
 * An export written before headers existed is event lines only; it still verifies.
 */
import type { SealClaim, SealEnd, SealStart } from "./audit-checkpoint.js";
import { canonicalJson } from "./canonical-json.js";
import type { StoredEvent } from "./events.js";
import type { AuditCheckpoint, Instant } from "./model.js";

/** The version of the export format a header names. */
export const EXPORT_VERSION = 1;

/**
 * Which events an export holds. `from`/`to` give a contiguous range of the chain: from the first
 * event at or after `from` up to the last one before the first event at or after `to`. `trainId`
 * and `actor` leave the other events of that range in as stubs.
 */
export interface ExportFilter {
  /** Inclusive lower bound on event time. */
  from?: Instant;
  /** Exclusive upper bound on event time. */
  to?: Instant;
  trainId?: string;
  actor?: string;
}

/** The first line of an export. */
export interface ExportHeader {
  kind: "header";
  version: number;
  filter: ExportFilter;
  exportedAt: Instant;
}

/** An event as an export line carries it. */
export interface ExportedEvent {
  id: number;
  trainId: string | null;
  type: string;
  actor: string;
  payload: unknown;
  time: string;
  prevHash: string;
  hash: string;
}

/** An event a filter leaves out: its place in the chain, not its content. */
export interface OmittedEvent {
  id: number;
  prevHash: string;
  hash: string;
  omitted: true;
}

/** The last line of an export written with the signing key. */
export type ExportSeal = SealClaim & { kind: "seal"; signature: string };

/** One line of an export, parsed. */
export type ExportLine =
  | { kind: "header"; header: ExportHeader }
  | { kind: "event"; event: ExportedEvent }
  | { kind: "omitted"; event: OmittedEvent }
  | { kind: "checkpoint"; checkpoint: AuditCheckpoint }
  | { kind: "seal"; seal: ExportSeal };

/** The canonical export line of an event (without the trailing newline). */
export function auditLine(event: StoredEvent | ExportedEvent): string {
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

/** The export line of an event the filter leaves out: `{hash, id, omitted: true, prevHash}`. */
export function omittedLine(event: Pick<StoredEvent, "id" | "prevHash" | "hash">): string {
  return canonicalJson({ id: event.id, prevHash: event.prevHash, hash: event.hash, omitted: true });
}

/** The header line. */
export function headerLine(filter: ExportFilter, exportedAt: Instant): string {
  return canonicalJson({ kind: "header", version: EXPORT_VERSION, filter, exportedAt });
}

/** The export line of a signed checkpoint. */
export function checkpointLine(checkpoint: AuditCheckpoint): string {
  return canonicalJson({
    kind: "checkpoint",
    eventId: checkpoint.eventId,
    hash: checkpoint.hash,
    signedAt: checkpoint.signedAt,
    keyId: checkpoint.keyId,
    signature: checkpoint.signature,
  });
}

/** The seal line. */
export function sealLine(claim: SealClaim, signature: string): string {
  return canonicalJson({ kind: "seal", ...claim, signature });
}

/** Whether an event belongs in an export with `filter` in full (else it is a stub). */
export function matchesExportFilter(
  event: Pick<StoredEvent, "trainId" | "actor">,
  filter: Pick<ExportFilter, "trainId" | "actor">,
): boolean {
  return (
    (filter.trainId === undefined || event.trainId === filter.trainId) &&
    (filter.actor === undefined || event.actor === filter.actor)
  );
}

const HEX64 = /^[0-9a-f]{64}$/;

/** The line parsed, or what is wrong with it (a phrase: "not valid JSON", "hash is not a string"). */
export function parseExportLine(text: string): ExportLine | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "not valid JSON";
  }
  if (!isRecord(value)) return "not a JSON object";
  switch (value.kind) {
    case undefined:
      return value.omitted === undefined ? parseEvent(value) : parseOmitted(value);
    case "header":
      return parseHeader(value);
    case "checkpoint":
      return parseCheckpoint(value);
    case "seal":
      return parseSeal(value);
    default:
      return `kind ${JSON.stringify(value.kind)} is not header, checkpoint or seal`;
  }
}

function parseEvent(line: Record<string, unknown>): ExportLine | string {
  const id = positiveId(line.id, "id");
  if (typeof id === "string") return id;
  if (line.trainId !== null && typeof line.trainId !== "string") return "trainId is not a string or null";
  for (const field of ["type", "actor", "time", "prevHash", "hash"] as const) {
    if (typeof line[field] !== "string") return `${field} is not a string`;
  }
  if (!("payload" in line)) return "payload is missing";
  return { kind: "event", event: line as unknown as ExportedEvent };
}

function parseOmitted(line: Record<string, unknown>): ExportLine | string {
  if (line.omitted !== true) return "omitted is not true";
  const id = positiveId(line.id, "id");
  if (typeof id === "string") return id;
  for (const field of ["prevHash", "hash"] as const) {
    if (typeof line[field] !== "string") return `${field} is not a string`;
  }
  const extra = Object.keys(line).filter((key) => !["id", "prevHash", "hash", "omitted"].includes(key));
  if (extra.length > 0)
    return `an omitted event carries ${extra.join(", ")}: a stub holds only id, prevHash and hash`;
  return { kind: "omitted", event: line as unknown as OmittedEvent };
}

function parseHeader(line: Record<string, unknown>): ExportLine | string {
  if (line.version !== EXPORT_VERSION) {
    return `header version ${JSON.stringify(line.version)} is not ${EXPORT_VERSION} (a newer Railyard wrote it?)`;
  }
  if (typeof line.exportedAt !== "string") return "header exportedAt is not a string";
  if (!isRecord(line.filter)) return "header filter is not an object";
  for (const [key, value] of Object.entries(line.filter)) {
    if (!["from", "to", "trainId", "actor"].includes(key)) return `header filter has an unknown field ${key}`;
    if (typeof value !== "string") return `header filter.${key} is not a string`;
  }
  return { kind: "header", header: line as unknown as ExportHeader };
}

function parseCheckpoint(line: Record<string, unknown>): ExportLine | string {
  const eventId = positiveId(line.eventId, "checkpoint eventId");
  if (typeof eventId === "string") return eventId;
  for (const field of ["hash", "signedAt", "keyId", "signature"] as const) {
    if (typeof line[field] !== "string") return `checkpoint ${field} is not a string`;
  }
  const { kind: _, ...checkpoint } = line;
  return { kind: "checkpoint", checkpoint: checkpoint as unknown as AuditCheckpoint };
}

function parseSeal(line: Record<string, unknown>): ExportLine | string {
  if (!Number.isSafeInteger(line.lines) || (line.lines as number) < 0) return "seal lines is not a count";
  for (const field of ["headerDigest", "digest"] as const) {
    if (typeof line[field] !== "string" || !HEX64.test(line[field])) return `seal ${field} is not a SHA-256`;
  }
  for (const field of ["signedAt", "keyId", "signature"] as const) {
    if (typeof line[field] !== "string") return `seal ${field} is not a string`;
  }
  const first = line.first;
  if (first !== null && !(isRecord(first) && isLink(first, "prevHash"))) {
    return "seal first is not {id, prevHash} or null";
  }
  const last = line.last;
  if (last !== null && !(isRecord(last) && isLink(last, "hash")))
    return "seal last is not {id, hash} or null";
  return {
    kind: "seal",
    seal: {
      kind: "seal",
      lines: line.lines as number,
      headerDigest: line.headerDigest as string,
      digest: line.digest as string,
      first: first as SealStart | null,
      last: last as SealEnd | null,
      signedAt: line.signedAt as string,
      keyId: line.keyId as string,
      signature: line.signature as string,
    },
  };
}

function isLink(value: Record<string, unknown>, hashField: "prevHash" | "hash"): boolean {
  return Number.isSafeInteger(value.id) && typeof value[hashField] === "string";
}

function positiveId(value: unknown, field: string): number | string {
  return Number.isSafeInteger(value) && (value as number) >= 1
    ? (value as number)
    : `${field} is not a positive integer`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
