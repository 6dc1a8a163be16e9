/**
 * Walks a hash chain event by event and names the first thing wrong with it. Shared by the
 * database check (`verifyChain`) and the export check (`verifyExportLines`), so both say the
 * same thing about the same damage.
 */
import { GENESIS_HASH } from "../domain/events.js";

/** The links of one event: its id, the hash it points back to and its own stored hash. */
export interface ChainLink {
  id: number;
  prevHash: string;
  hash: string;
}

/** What is wrong with a link: its kind and the words for it. */
export interface ChainProblem {
  /**
   * `changed`: a hash does not match; `removed`: ids skip; `reordered`: an id goes back;
   * `duplicated`: the previous event again.
   */
  kind: "changed" | "removed" | "reordered" | "duplicated";
  message: string;
}

/** Checks events in id order; stop at the first problem. */
export class ChainWalker {
  #last: { id: number; hash: string } | undefined;
  #intact = 0;

  /** @param start where the walk begins: after this event @default the genesis (before event 1) */
  constructor(start?: { id: number; hash: string }) {
    this.#last = start;
  }

  /** Events checked and found intact. */
  get intact(): number {
    return this.#intact;
  }

  /** The last intact event, if any. */
  get last(): { id: number; hash: string } | undefined {
    return this.#last;
  }

  /** The id the next event must have. */
  get nextId(): number {
    return (this.#last?.id ?? 0) + 1;
  }

  /**
   * Checks that `link` follows the last intact event and that `recomputedHash` (the hash of the
   * event's content) equals its stored hash.
   * @returns the problem, in words, or null when the event continues the chain.
   */
  step(link: ChainLink, recomputedHash: string | null): string | null {
    return this.check(link, recomputedHash)?.message ?? null;
  }

  /**
   * Same as {@link step}, with the kind of damage. `recomputedHash` null is an event whose
   * content is not at hand (an omitted event in a filtered export): it links through its hashes.
   */
  check(link: ChainLink, recomputedHash: string | null): ChainProblem | null {
    const expectedId = this.nextId;
    if (link.id !== expectedId) {
      if (link.id < expectedId) {
        return link.id === expectedId - 1
          ? { kind: "duplicated", message: `event ${link.id} appears twice` }
          : {
              kind: "reordered",
              message: `event ${link.id} follows event ${expectedId - 1}: ids must increase by one`,
            };
      }
      const gap = missing(expectedId, link.id - 1);
      return {
        kind: "removed",
        message:
          this.#last === undefined
            ? `event ${link.id} is the first event: ${gap}`
            : `event ${link.id} follows event ${this.#last.id}: ${gap}`,
      };
    }
    const expectedPrev = this.#last?.hash ?? GENESIS_HASH;
    if (link.prevHash !== expectedPrev) {
      return {
        kind: "changed",
        message:
          this.#last === undefined
            ? `event ${link.id}: prev_hash is not the genesis hash`
            : `event ${link.id}: prev_hash does not match event ${this.#last.id}'s hash`,
      };
    }
    if (recomputedHash !== null && recomputedHash !== link.hash) {
      return { kind: "changed", message: `event ${link.id}: stored hash does not match its content` };
    }
    this.#last = { id: link.id, hash: link.hash };
    this.#intact++;
    return null;
  }
}

/** "event 19 is missing" / "events 19–21 are missing" */
export function missing(first: number, last: number): string {
  return first === last ? `event ${first} is missing` : `events ${first}–${last} are missing`;
}
