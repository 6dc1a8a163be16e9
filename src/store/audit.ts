/**
 * The audit trail's operations: `railyard audit verify` (recompute the chain and check the signed
 * checkpoints, in the database or in an export file) and `railyard audit export` (JSON Lines with a
 * header, the events, their checkpoints and a signed seal; see `src/domain/audit-line.ts`).
 */
import { createHash, type Hash } from "node:crypto";
import { type SealClaim, sealStatement } from "../domain/audit-checkpoint.js";
import {
  auditLine,
  checkpointLine,
  type ExportedEvent,
  type ExportFilter,
  type ExportHeader,
  type ExportLine,
  type ExportSeal,
  headerLine,
  matchesExportFilter,
  omittedLine,
  parseExportLine,
  sealLine,
} from "../domain/audit-line.js";
import { GENESIS_HASH } from "../domain/events.js";
import type { AuditCheckpoint, Instant } from "../domain/model.js";
import {
  type AuditPublicKey,
  type AuditSigningKey,
  checkpointSignatureProblem,
  signText,
  verifyText,
} from "../engine/audit-keys.js";
import type { ChainVerification, Store } from "../engine/ports.js";
import { ChainWalker } from "./chain-walker.js";
import { eventHash } from "./event-hash.js";

/** Checkpoints read per query while exporting or verifying. */
const CHECKPOINT_WINDOW = 10_000;

// ---------------------------------------------------------------------------------------------
// The database

/** What {@link verifyAudit} found about the stored checkpoints. */
export interface CheckpointReport {
  /** Checkpoints checked against the chain. */
  count: number;
  /** `verified` with a public key; `not checked` without one (only their hashes were compared). */
  signatures: "verified" | "not checked";
  /** The id of the key the signatures were checked with. */
  keyId: string | null;
  /** The newest checkpoint. */
  last: { eventId: number; signedAt: Instant } | null;
  /** Events after the newest checkpoint: not covered by a signature yet. */
  unsigned: number;
  /** `off` when the server has no signing key (no checkpoints are made); absent when not known. */
  signing?: "on" | "off";
}

/** The chain's verification and the checkpoints'. */
export type AuditVerification = ChainVerification & { checkpoints: CheckpointReport };

/** Options of {@link verifyAudit}. */
export interface VerifyAuditOptions {
  /** Checks the checkpoints' signatures with it. @default only their hashes are compared */
  publicKey?: AuditPublicKey | undefined;
  /** Whether the server signs checkpoints, to say so in the report. */
  signing?: "on" | "off";
}

/**
 * Recomputes the store's hash chain from the first event, then checks every stored checkpoint:
 * the event it names must still have the hash it signed (a rewritten log, even with recomputed
 * hashes, fails here), and with `publicKey` its signature must verify.
 */
export async function verifyAudit(
  store: Store,
  options: VerifyAuditOptions = {},
): Promise<AuditVerification> {
  const chain = await store.verifyChain();
  const report: CheckpointReport = {
    count: 0,
    signatures: options.publicKey ? "verified" : "not checked",
    keyId: options.publicKey?.keyId ?? null,
    last: null,
    unsigned: 0,
    ...(options.signing ? { signing: options.signing } : {}),
  };
  if (!chain.ok) return { ...chain, checkpoints: report };
  // An intact chain holds the events 1..events.
  const headId = chain.events;
  const broken = (brokenAt: number, problem: string): AuditVerification => ({
    ok: false,
    events: chain.events,
    brokenAt,
    problem,
    checkpoints: report,
  });
  for (let fromId = 1; fromId <= headId; fromId += CHECKPOINT_WINDOW) {
    const toId = Math.min(fromId + CHECKPOINT_WINDOW - 1, headId);
    const checkpoints = await store.listCheckpoints({ fromId, toId });
    for (const checkpoint of checkpoints) {
      const [event] = await store.listEvents({ afterId: checkpoint.eventId - 1, limit: 1 });
      const at = `checkpoint at event ${checkpoint.eventId} (signed ${checkpoint.signedAt})`;
      if (options.publicKey) {
        const problem = checkpointSignatureProblem(options.publicKey, checkpoint);
        if (problem !== null) return broken(checkpoint.eventId, `${at} is forged: ${problem}`);
      }
      if (event?.id !== checkpoint.eventId || event.hash !== checkpoint.hash) {
        return broken(
          checkpoint.eventId,
          `${at}: event ${checkpoint.eventId}'s hash is not the signed one; the log was rewritten at or before event ${checkpoint.eventId}`,
        );
      }
      report.count++;
      report.last = { eventId: checkpoint.eventId, signedAt: checkpoint.signedAt };
    }
  }
  const [beyond] = await store.listCheckpoints({ fromId: headId + 1 });
  if (beyond !== undefined) {
    return broken(
      headId + 1,
      `checkpoint at event ${beyond.eventId} (signed ${beyond.signedAt}) names an event past the end of the log (event ${headId}): events ${headId + 1}–${beyond.eventId} were removed`,
    );
  }
  report.unsigned = headId - (report.last?.eventId ?? 0);
  return { ...chain, checkpoints: report };
}

// ---------------------------------------------------------------------------------------------
// Export

/** Options of {@link exportAuditLines}. */
export interface ExportOptions {
  /** Which events; see {@link ExportFilter}. @default the whole log */
  filter?: ExportFilter;
  /** The engine's time of the export (header `exportedAt`, seal `signedAt`). */
  exportedAt: Instant;
  /** Seals the export with it; without a key the export has no seal. */
  key?: AuditSigningKey | undefined;
  /** Events read per query. @default 500 */
  pageSize?: number;
}

/** What an export wrote. */
export interface ExportSummary {
  /** Events written in full. */
  events: number;
  /** Events written as stubs (a train or actor filter left them out). */
  omitted: number;
  checkpoints: number;
  /** Lines written, the seal included. */
  lines: number;
  sealed: boolean;
}

/**
 * The lines of an export (without newlines): the header, the events of the range oldest first
 * (stubs for those a train or actor filter leaves out), each stored checkpoint right after the
 * event it signs, and, with `key`, the seal. Streams: events are read page by page and
 * checkpoints window by window, never all at once.
 * @returns (as the generator's return value) what was written
 */
export async function* exportAuditLines(
  store: Store,
  options: ExportOptions,
): AsyncGenerator<string, ExportSummary, undefined> {
  const filter = normalisedFilter(options.filter ?? {});
  const summary: ExportSummary = { events: 0, omitted: 0, checkpoints: 0, lines: 0, sealed: false };
  const digest = createHash("sha256");
  const emit = (line: string): string => {
    digest.update(`${line}\n`);
    summary.lines++;
    return line;
  };
  const header = headerLine(filter, options.exportedAt);
  yield emit(header);

  let afterId: number | null = 0;
  if (filter.from !== undefined) {
    const [first] = await store.listEvents({ from: filter.from, limit: 1 });
    afterId =
      first === undefined || (filter.to !== undefined && first.time >= filter.to) ? null : first.id - 1;
  }
  let first: SealClaim["first"] = null;
  let last: SealClaim["last"] = null;
  if (afterId !== null) {
    const checkpoints = new CheckpointWindow(store);
    for await (const event of store.streamEvents({ afterId }, options.pageSize)) {
      // The range is contiguous: it ends before the first event at or after `to`.
      if (filter.to !== undefined && event.time >= filter.to) break;
      first ??= { id: event.id, prevHash: event.prevHash };
      last = { id: event.id, hash: event.hash };
      if (matchesExportFilter(event, filter)) {
        summary.events++;
        yield emit(auditLine(event));
      } else {
        summary.omitted++;
        yield emit(omittedLine(event));
      }
      const checkpoint = await checkpoints.at(event.id);
      if (checkpoint) {
        summary.checkpoints++;
        yield emit(checkpointLine(checkpoint));
      }
    }
  }
  if (options.key) {
    const claim: SealClaim = {
      lines: summary.lines,
      headerDigest: sha256(header),
      digest: digest.digest("hex"),
      first,
      last,
      signedAt: options.exportedAt,
      keyId: options.key.keyId,
    };
    summary.sealed = true;
    summary.lines++;
    yield sealLine(claim, signText(options.key, sealStatement(claim)));
  }
  return summary;
}

/**
 * Writes an export (see {@link exportAuditLines}) one line per call of `write` (without a
 * newline), waiting for each `write` that returns a promise, so a slow sink is not overrun.
 */
export async function exportAudit(
  store: Store,
  options: ExportOptions,
  write: (line: string) => void | Promise<void>,
): Promise<ExportSummary> {
  const lines = exportAuditLines(store, options);
  for (;;) {
    const next = await lines.next();
    if (next.done) return next.value;
    const written = write(next.value);
    if (written !== undefined) await written;
  }
}

/** The stored checkpoints of a window of event ids, read again when the events leave it. */
class CheckpointWindow {
  #end = 0;
  #checkpoints: AuditCheckpoint[] = [];
  #next = 0;
  constructor(private readonly store: Store) {}

  /** The checkpoint at `eventId`, for ids asked in increasing order. */
  async at(eventId: number): Promise<AuditCheckpoint | undefined> {
    if (eventId > this.#end) {
      this.#end = eventId + CHECKPOINT_WINDOW - 1;
      this.#checkpoints = await this.store.listCheckpoints({ fromId: eventId, toId: this.#end });
      this.#next = 0;
    }
    while (this.#next < this.#checkpoints.length && this.#checkpoints[this.#next]!.eventId < eventId)
      this.#next++;
    const checkpoint = this.#checkpoints[this.#next];
    return checkpoint?.eventId === eventId ? checkpoint : undefined;
  }
}

function normalisedFilter(filter: ExportFilter): ExportFilter {
  return {
    ...(filter.from !== undefined ? { from: filter.from } : {}),
    ...(filter.to !== undefined ? { to: filter.to } : {}),
    ...(filter.trainId !== undefined ? { trainId: filter.trainId } : {}),
    ...(filter.actor !== undefined ? { actor: filter.actor } : {}),
  };
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

// ---------------------------------------------------------------------------------------------
// Verifying an export

/** Options of {@link ExportVerifier}. */
export interface VerifyExportOptions {
  /**
   * Checks every checkpoint's and the seal's signature with it; the export must then hold a
   * seal. @default only the chain is checked ("unsigned")
   */
  publicKey?: AuditPublicKey | undefined;
  /**
   * For an event-lines-only export (written before headers existed) that starts after event 1:
   * the event it continues from, taken from a verified copy.
   * @default the genesis: the export must start at event 1
   */
  after?: { id: number; hash: string };
}

/**
 * What is wrong with an export: `changed` (a hash does not match), `removed` (an event or line is
 * missing), `reordered`, `duplicated`, `truncated` (the file ends early), `forged` (a signature
 * does not verify or names another key), `header-changed`, `filter` (an event does not belong in
 * the export its header describes), `appended` (lines after the seal), `malformed` (a line that
 * is not one of the export's lines), `unsigned` (a public key was given but nothing is signed).
 */
export type ExportProblemKind =
  | "changed"
  | "removed"
  | "reordered"
  | "duplicated"
  | "truncated"
  | "forged"
  | "header-changed"
  | "filter"
  | "appended"
  | "malformed"
  | "unsigned";

interface Counts {
  /** Events whose hash was recomputed and found intact. */
  events: number;
  /** Stubs of omitted events that link into the chain. */
  omitted: number;
  /** Checkpoint lines checked. */
  checkpoints: number;
  /** `verified` with a public key; `not checked` without one. */
  signatures: "verified" | "not checked";
}

/** The verdict on an export. */
export type ExportVerification =
  | (Counts & {
      ok: true;
      lastHash: string;
      /** Whether the export ends with a seal (its signature checked only with a public key). */
      sealed: boolean;
      /** The id of the key that signed the checkpoints and the seal, when checked. */
      keyId: string | null;
      /**
       * Whether the first event's link is proven: it is event 1 (after the genesis), the `after`
       * option names it, or a verified seal signs it. An export from `--from` without a verified
       * seal is intact inside but could start later than it did.
       */
      anchored: boolean;
      /** The header's filter; null for an export without a header (written by an older Railyard). */
      filter: ExportFilter | null;
    })
  | (Counts & {
      ok: false;
      /** The event the problem is at (for a file that ends early: the first event missing). */
      brokenAt: number;
      /** The line the problem is at (1-based, counting every line of the file). */
      line: number;
      kind: ExportProblemKind;
      /** `line 12: event 11: stored hash does not match its content` */
      problem: string;
    });

/** The seal line, with the digest and count of the lines before it. */
interface SealSeen {
  seal: ExportSeal;
  line: number;
  digest: string;
  lines: number;
}

interface Problem {
  line: number;
  eventId: number;
  kind: ExportProblemKind;
  message: string;
}

/**
 * Verifies an export line by line, without a database: each event's hash is recomputed, `prevHash`
 * links and consecutive ids are followed (stubs link through their hashes), every checkpoint must
 * name the event right before it with that event's hash (and, with a public key, verify), and the
 * seal must match the header's digest, the line count, the first and the last event and the
 * digest of every line. The first problem (by line) is reported, named by line and event.
 *
 * Feed lines with {@link push} (a trailing `\r` is ignored; blank lines are skipped but counted
 * in line numbers) and call {@link finish} once at the end. Memory stays constant.
 */
export class ExportVerifier {
  readonly #options: VerifyExportOptions;
  #lineNumber = 0;
  /** Non-blank lines before the seal (or so far). */
  #contentLines = 0;
  #lastContentLine = 0;
  #digest: Hash = createHash("sha256");
  #header: { header: ExportHeader; text: string } | null = null;
  #walker: ChainWalker | undefined;
  #anchored = false;
  #first: { id: number; prevHash: string; line: number } | null = null;
  #last: { id: number; hash: string } | null = null;
  #lastCheckpointAt = 0;
  #counts: Counts;
  #problem: Problem | null = null;
  /** Ids a gap skipped: if one turns up later, the events were reordered, not removed. */
  #gap: { from: number; to: number } | null = null;
  #seal: SealSeen | null = null;

  constructor(options: VerifyExportOptions = {}) {
    this.#options = options;
    this.#counts = {
      events: 0,
      omitted: 0,
      checkpoints: 0,
      signatures: options.publicKey ? "verified" : "not checked",
    };
  }

  /** Checks the next line of the file. */
  push(rawLine: string): void {
    this.#lineNumber++;
    const text = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    if (text.trim() === "") return;
    const line = this.#lineNumber;
    this.#lastContentLine = line;
    if (this.#seal !== null) {
      this.#fail(
        line,
        this.#last?.id ?? 0,
        "appended",
        `line ${line}: a line after the seal, which ends the export`,
      );
      return;
    }
    const parsed = parseExportLine(text);
    if (typeof parsed !== "string" && parsed.kind === "seal") {
      this.#seal = {
        seal: parsed.seal,
        line,
        digest: this.#digest.copy().digest("hex"),
        lines: this.#contentLines,
      };
      return;
    }
    this.#contentLines++;
    this.#digest.update(`${text}\n`);
    if (this.#problem !== null) {
      this.#reclassifyGap(parsed);
      return;
    }
    this.#check(parsed, text, line);
  }

  /** The verdict, once every line was pushed. */
  finish(): ExportVerification {
    const problem = this.#finalProblem();
    const counts = this.#counts;
    if (problem !== null) {
      return {
        ok: false,
        ...counts,
        brokenAt: problem.eventId,
        line: problem.line,
        kind: problem.kind,
        problem: problem.message,
      };
    }
    return {
      ok: true,
      ...counts,
      lastHash: this.#last?.hash ?? this.#options.after?.hash ?? GENESIS_HASH,
      sealed: this.#seal !== null,
      keyId: this.#options.publicKey?.keyId ?? null,
      anchored: this.#anchored || (this.#seal !== null && this.#options.publicKey !== undefined),
      filter: this.#header?.header.filter ?? null,
    };
  }

  #fail(line: number, eventId: number, kind: ExportProblemKind, message: string): void {
    this.#problem ??= { line, eventId, kind, message };
  }

  #check(parsed: ExportLine | string, text: string, line: number): void {
    const expectedId = this.#walker?.nextId ?? this.#last?.id ?? 1;
    if (typeof parsed === "string") {
      this.#fail(line, expectedId, "malformed", `line ${line}: ${parsed}`);
      return;
    }
    if (this.#contentLines === 1 && parsed.kind === "header") {
      this.#header = { header: parsed.header, text };
      return;
    }
    switch (parsed.kind) {
      case "header":
        this.#fail(
          line,
          expectedId,
          this.#contentLines === 1 ? "malformed" : "reordered",
          `line ${line}: a header in the middle of the export (the header is the first line)`,
        );
        return;
      case "event":
        this.#chainLink(line, parsed.event, parsed.event);
        return;
      case "omitted":
        this.#chainLink(line, parsed.event, null);
        return;
      case "checkpoint":
        this.#checkpoint(line, parsed.checkpoint);
        return;
      case "seal":
        return; // handled in push
      default: {
        const unreachable: never = parsed;
        throw new Error(`unknown export line ${JSON.stringify(unreachable)}`);
      }
    }
  }

  #chainLink(
    line: number,
    link: { id: number; prevHash: string; hash: string },
    event: ExportedEvent | null,
  ): void {
    const filter = this.#header?.header.filter ?? {};
    const filterProblem = filterMismatch(link.id, event, filter);
    if (filterProblem !== null) {
      this.#fail(line, link.id, "filter", `line ${line}: ${filterProblem}`);
      return;
    }
    if (this.#walker === undefined) {
      const after = this.#options.after;
      if (after !== undefined) {
        this.#walker = new ChainWalker(after);
        this.#anchored = true;
      } else if (filter.from !== undefined && link.id > 1) {
        // A range from --from starts where it starts; only the seal proves its first link.
        this.#walker = new ChainWalker({ id: link.id - 1, hash: link.prevHash });
      } else {
        this.#walker = new ChainWalker();
        this.#anchored = true;
      }
    }
    let recomputed: string | null = null;
    if (event !== null) {
      try {
        recomputed = eventHash(event);
      } catch (error) {
        this.#fail(line, link.id, "changed", `line ${line}: event ${link.id}: ${(error as Error).message}`);
        return;
      }
    }
    const problem = this.#walker.check(link, recomputed);
    if (problem !== null) {
      this.#fail(line, link.id, problem.kind, `line ${line}: ${problem.message}`);
      if (problem.kind === "removed") this.#gap = { from: this.#walker.nextId, to: link.id - 1 };
      return;
    }
    this.#first ??= { id: link.id, prevHash: link.prevHash, line };
    this.#last = { id: link.id, hash: link.hash };
    if (event === null) this.#counts.omitted++;
    else this.#counts.events++;
  }

  #checkpoint(line: number, checkpoint: AuditCheckpoint): void {
    const at = `line ${line}: checkpoint at event ${checkpoint.eventId}`;
    if (checkpoint.eventId === this.#lastCheckpointAt) {
      this.#fail(line, checkpoint.eventId, "duplicated", `${at} appears twice`);
      return;
    }
    if (this.#last === null || checkpoint.eventId !== this.#last.id) {
      this.#fail(
        line,
        checkpoint.eventId,
        "reordered",
        `${at} ${this.#last === null ? "comes before any event" : `follows event ${this.#last.id}`}: a checkpoint comes right after the event it signs`,
      );
      return;
    }
    const key = this.#options.publicKey;
    if (key) {
      const problem = checkpointSignatureProblem(key, checkpoint);
      if (problem !== null) {
        this.#fail(line, checkpoint.eventId, "forged", `${at} is forged: ${problem}`);
        return;
      }
    }
    if (checkpoint.hash !== this.#last.hash) {
      this.#fail(
        line,
        checkpoint.eventId,
        "changed",
        key
          ? `${at}: event ${checkpoint.eventId}'s hash is not the one signed at ${checkpoint.signedAt}; the events up to it were rewritten`
          : `${at}: its hash is not event ${checkpoint.eventId}'s hash (the checkpoint or the events before it were changed)`,
      );
      return;
    }
    this.#lastCheckpointAt = checkpoint.eventId;
    this.#counts.checkpoints++;
  }

  /** After a gap: an event that turns up later from the skipped ids means the lines were reordered. */
  #reclassifyGap(parsed: ExportLine | string): void {
    const gap = this.#gap;
    const problem = this.#problem;
    if (gap === null || problem === null || problem.kind !== "removed" || typeof parsed === "string") return;
    if (parsed.kind !== "event" && parsed.kind !== "omitted") return;
    const id = parsed.event.id;
    if (id < gap.from || id > gap.to) return;
    problem.kind = "reordered";
    problem.message = `line ${problem.line}: event ${gap.to + 1} comes before event ${id} (lines reordered)`;
    problem.eventId = gap.to + 1;
    this.#gap = null;
  }

  #finalProblem(): Problem | null {
    const problem = this.#problem;
    const seal = this.#seal;
    const key = this.#options.publicKey;
    if (
      problem !== null &&
      problem.kind === "malformed" &&
      problem.line === this.#lastContentLine &&
      seal === null
    ) {
      if (problem.message.endsWith("not valid JSON")) {
        return {
          ...problem,
          kind: "truncated",
          message: `line ${problem.line}: the export ends in the middle of this line (truncated after event ${this.#last?.id ?? "none"})`,
        };
      }
    }
    if (seal !== null) {
      const sealProblem = this.#sealSignatureProblem(seal);
      // A seal that verifies proves the header: an edited header is the first thing wrong.
      if (sealProblem === null && key !== undefined) {
        const headerProblem = this.#headerProblem(seal);
        if (headerProblem !== null) return headerProblem;
      }
      if (problem !== null) return problem;
      if (sealProblem !== null) return sealProblem;
      return this.#headerProblem(seal) ?? this.#sealContentProblem(seal);
    }
    if (problem !== null) return problem;
    if (key === undefined) return null;
    const end = this.#lastContentLine + 1;
    if (this.#counts.checkpoints === 0) {
      return {
        line: end,
        eventId: this.#last?.id ?? 0,
        kind: "unsigned",
        message:
          "no signature to check: the export has neither a seal nor a checkpoint (it was written without the signing key); verify without --public-key to check the chain only",
      };
    }
    return {
      line: end,
      eventId: this.#last?.id ?? 0,
      kind: "truncated",
      message: `line ${end}: the export ends without its seal after event ${this.#last?.id ?? "none"} (its end was cut off, or it was written without the signing key: then verify without --public-key)`,
    };
  }

  #sealSignatureProblem({ seal, line }: SealSeen): Problem | null {
    const key = this.#options.publicKey;
    if (!key) return null;
    const eventId = seal.last?.id ?? this.#last?.id ?? 0;
    if (seal.keyId !== key.keyId) {
      return {
        line,
        eventId,
        kind: "forged",
        message: `line ${line}: the seal is forged: it names key ${seal.keyId}, not the given public key ${key.keyId}`,
      };
    }
    const { kind: _, signature, ...claim } = seal;
    if (!verifyText(key, sealStatement(claim), signature)) {
      return {
        line,
        eventId,
        kind: "forged",
        message: `line ${line}: the seal is forged or was changed: its signature does not verify with key ${key.keyId}`,
      };
    }
    return null;
  }

  #headerProblem({ seal }: SealSeen): Problem | null {
    const header = this.#header;
    if (header === null) {
      return {
        line: 1,
        eventId: seal.first?.id ?? 0,
        kind: "header-changed",
        message: "line 1: the header was removed (the seal signs one)",
      };
    }
    if (sha256(header.text) !== seal.headerDigest) {
      return {
        line: 1,
        eventId: seal.first?.id ?? 0,
        kind: "header-changed",
        message: "line 1: the header was changed: its digest is not the one the seal signs",
      };
    }
    return null;
  }

  #sealContentProblem({ seal, line, digest, lines }: SealSeen): Problem | null {
    const first = this.#first;
    const last = this.#last;
    if (
      seal.first !== null &&
      (first === null || first.id !== seal.first.id || first.prevHash !== seal.first.prevHash)
    ) {
      const where = first?.line ?? line;
      return {
        line: where,
        eventId: seal.first.id,
        kind: first === null || first.id > seal.first.id ? "removed" : "changed",
        message:
          first === null
            ? `line ${where}: the seal says the export starts at event ${seal.first.id}, but it holds no event`
            : first.id !== seal.first.id
              ? `line ${where}: the export starts at event ${first.id}, but the seal says event ${seal.first.id}`
              : `line ${where}: event ${first.id} links to another event than the seal signs (its prevHash was changed)`,
      };
    }
    if (seal.first === null && first !== null) {
      return {
        line: first.line,
        eventId: first.id,
        kind: "changed",
        message: `line ${first.line}: the seal says the export holds no event, but event ${first.id} is here`,
      };
    }
    if (seal.last !== null && (last === null || last.id < seal.last.id)) {
      const missingFrom = last === null ? (seal.first?.id ?? 1) : last.id + 1;
      return {
        line,
        eventId: missingFrom,
        kind: "truncated",
        message: `line ${line}: the export is truncated: the seal says it ends at event ${seal.last.id}, but it ends at ${last === null ? "no event" : `event ${last.id}`} (${missingRange(missingFrom, seal.last.id)} missing)`,
      };
    }
    if (last !== null && (seal.last === null || last.id > seal.last.id)) {
      const from = (seal.last?.id ?? 0) + 1;
      return {
        line,
        eventId: from,
        kind: "appended",
        message: `line ${line}: events ${from}–${last.id} were added: the seal says the export ends at ${seal.last === null ? "no event" : `event ${seal.last.id}`}`,
      };
    }
    if (last !== null && seal.last !== null && last.hash !== seal.last.hash) {
      return {
        line,
        eventId: last.id,
        kind: "changed",
        message: `line ${line}: event ${last.id}'s hash is not the one the seal signs`,
      };
    }
    if (lines !== seal.lines) {
      return {
        line,
        eventId: last?.id ?? 0,
        kind: lines < seal.lines ? "removed" : "appended",
        message: `line ${line}: the seal counts ${seal.lines} lines before it, but there are ${lines} (${lines < seal.lines ? "a line was removed" : "a line was added"})`,
      };
    }
    if (digest !== seal.digest) {
      return {
        line,
        eventId: last?.id ?? 0,
        kind: "changed",
        message: `line ${line}: the lines before the seal are not the ones it signs (a line was changed)`,
      };
    }
    return null;
  }
}

/** "event 19 is" / "events 19–21 are" */
function missingRange(first: number, last: number): string {
  return first === last ? `event ${first} is` : `events ${first}–${last} are`;
}

/** Why an event line does not belong in an export with `filter`, or null. */
function filterMismatch(id: number, event: ExportedEvent | null, filter: ExportFilter): string | null {
  if (event === null) {
    return filter.trainId === undefined && filter.actor === undefined
      ? `event ${id} is omitted, but the export's filter leaves no event out (only --train and --actor do)`
      : null;
  }
  if (!matchesExportFilter(event, filter)) {
    return `event ${id} (train ${JSON.stringify(event.trainId)}, actor ${JSON.stringify(event.actor)}) does not match the export's filter ${JSON.stringify(filter)}`;
  }
  return null;
}

/** Verifies the lines of an export held in memory (see {@link ExportVerifier}). */
export function verifyExportLines(
  lines: Iterable<string>,
  options: VerifyExportOptions = {},
): ExportVerification {
  const verifier = new ExportVerifier(options);
  for (const line of lines) verifier.push(line);
  return verifier.finish();
}

/** Verifies the lines of an export as they are read (a file, a response body). */
export async function verifyExportStream(
  lines: AsyncIterable<string>,
  options: VerifyExportOptions = {},
): Promise<ExportVerification> {
  const verifier = new ExportVerifier(options);
  for await (const line of lines) verifier.push(line);
  return verifier.finish();
}
