/**
 * What Railyard signs about its audit log, as text: the statement of a checkpoint (the chain's
 * head at one event) and the statement of an export's seal. Signing and checking the signatures
 * (Ed25519, `node:crypto`) happen in `src/engine/audit-keys.ts`; this file only says which bytes
 * are signed, so the signer and every verifier agree on them.
 */
import { canonicalJson } from "./canonical-json.js";
import type { AuditCheckpoint, Instant } from "./model.js";

/** The version tag of {@link checkpointStatement}. */
export const CHECKPOINT_STATEMENT_VERSION = "railyard-checkpoint:v1";

/** The version tag of {@link sealStatement}. */
export const SEAL_STATEMENT_VERSION = "railyard-export-seal:v1";

/** A checkpoint before it is signed. */
export type CheckpointClaim = Pick<AuditCheckpoint, "eventId" | "hash" | "signedAt">;

/**
 * The text a checkpoint's signature covers: `railyard-checkpoint:v1:<eventId>:<hash>:<signedAt>`.
 * The key id is not part of it: it only says which key to check the signature with.
 */
export function checkpointStatement(claim: CheckpointClaim): string {
  return `${CHECKPOINT_STATEMENT_VERSION}:${claim.eventId}:${claim.hash}:${claim.signedAt}`;
}

/** The first event an export holds and the hash it links back to; null for an export without events. */
export interface SealStart {
  id: number;
  prevHash: string;
}

/** The last event an export holds and its hash; null for an export without events. */
export interface SealEnd {
  id: number;
  hash: string;
}

/** What an export's seal states about the export, before it is signed. */
export interface SealClaim {
  /** Lines before the seal (the header, events, stubs and checkpoints; blank lines not counted). */
  lines: number;
  /** SHA-256 (hex) of the header line's text. */
  headerDigest: string;
  /** SHA-256 (hex) of every line before the seal, each followed by `\n` (blank lines left out). */
  digest: string;
  first: SealStart | null;
  last: SealEnd | null;
  signedAt: Instant;
  keyId: string;
}

/**
 * The text a seal's signature covers: `railyard-export-seal:v1:` followed by the canonical JSON
 * of every field of {@link SealClaim} (the key id included, so a seal cannot be passed off as
 * another key's).
 */
export function sealStatement(claim: SealClaim): string {
  return `${SEAL_STATEMENT_VERSION}:${canonicalJson({
    lines: claim.lines,
    headerDigest: claim.headerDigest,
    digest: claim.digest,
    first: claim.first,
    last: claim.last,
    signedAt: claim.signedAt,
    keyId: claim.keyId,
  })}`;
}

/**
 * When the next checkpoint is due: `every` ms after the last one, or after `since` (when signing
 * started) when there is none yet.
 */
export function nextCheckpointAt(last: Instant | null, since: Instant, every: number): number {
  return Date.parse(last ?? since) + every;
}

/**
 * Whether the checkpoint cadence has come round at `now`. The signer then signs the chain head
 * only if events were appended since the last checkpoint (an idle log gets no new checkpoints).
 */
export function checkpointDue(input: {
  now: number;
  lastSignedAt: Instant | null;
  since: Instant;
  every: number;
}): boolean {
  return input.now >= nextCheckpointAt(input.lastSignedAt, input.since, input.every);
}
