/**
 * IANA time zones as offset tables, for turning wall times into instants and back quickly.
 *
 * A zone's UTC-offset transitions are read from the Temporal polyfill once per 8-year block and
 * kept; afterwards each conversion is a binary search. Conversion rules (RFC 5545 section 3.3.5,
 * the same as Temporal's `disambiguation: "compatible"`):
 *  - a wall time inside a spring-forward gap does not exist; it is read with the UTC offset
 *    before the gap, so it lands the gap's length later (02:30 in Berlin on the last Sunday of
 *    March is 03:30 CEST);
 *  - a wall time that occurs twice (fall-back) means the first occurrence (the earlier instant).
 */
import { Temporal } from "temporal-polyfill";
import { DAY_MS, type WallMs } from "./local-time.js";

/** Thrown by {@link zoneRules} for a name that is not an IANA time zone. */
export class UnknownTimeZoneError extends Error {
  override readonly name = "UnknownTimeZoneError";
  constructor(readonly zone: string) {
    super(`unknown time zone "${zone}": use an IANA name such as Europe/Berlin`);
  }
}

/** A change of a zone's UTC offset. */
export interface ZoneTransition {
  /** The instant (epoch ms) the new offset starts. */
  at: number;
  offsetBeforeMs: number;
  offsetAfterMs: number;
}

export interface ZoneRules {
  /** The zone's canonical IANA name as written by the user. */
  readonly name: string;
  /** UTC offset in effect at an instant. */
  offsetMs(epochMs: number): number;
  /** The instant of a wall time: gap → offset before the gap; fold → the first occurrence. */
  toInstant(wall: WallMs): number;
  /** The wall time at an instant. */
  toWall(epochMs: number): WallMs;
  /** True when the wall time does not exist (it falls in a spring-forward gap). */
  inGap(wall: WallMs): boolean;
  /** Offset transitions with `fromMs <= at < toMs`, in order. */
  transitions(fromMs: number, toMs: number): ZoneTransition[];
}

const BLOCK_MS = 8 * 365 * DAY_MS;

interface Block {
  offsetAtStart: number;
  /** Transition instants and the offsets after them, in order. */
  at: number[];
  after: number[];
  before: number[];
}

class TableZone implements ZoneRules {
  private readonly blocks = new Map<number, Block>();
  /** The offset interval last looked up: queries come mostly in order, and hit it. */
  private hitFrom = 0;
  private hitTo = -1;
  private hitOffset = 0;

  constructor(readonly name: string) {}

  private block(index: number): Block {
    let block = this.blocks.get(index);
    if (block) return block;
    const start = index * BLOCK_MS;
    const end = start + BLOCK_MS;
    let zdt = Temporal.Instant.fromEpochMilliseconds(start).toZonedDateTimeISO(this.name);
    block = { offsetAtStart: zdt.offsetNanoseconds / 1e6, at: [], after: [], before: [] };
    let offset = block.offsetAtStart;
    for (;;) {
      const next = zdt.getTimeZoneTransition("next");
      if (!next || next.epochMilliseconds >= end) break;
      const after = next.offsetNanoseconds / 1e6;
      block.at.push(next.epochMilliseconds);
      block.before.push(offset);
      block.after.push(after);
      offset = after;
      zdt = next;
    }
    this.blocks.set(index, block);
    return block;
  }

  offsetMs(epochMs: number): number {
    if (epochMs >= this.hitFrom && epochMs < this.hitTo) return this.hitOffset;
    const index = Math.floor(epochMs / BLOCK_MS);
    const block = this.block(index);
    const at = block.at;
    // Last transition with at <= epochMs.
    let lo = 0;
    let hi = at.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (at[mid]! <= epochMs) lo = mid + 1;
      else hi = mid;
    }
    const offset = lo === 0 ? block.offsetAtStart : block.after[lo - 1]!;
    this.hitFrom = lo === 0 ? index * BLOCK_MS : at[lo - 1]!;
    this.hitTo = lo < at.length ? at[lo]! : (index + 1) * BLOCK_MS;
    this.hitOffset = offset;
    return offset;
  }

  toInstant(wall: WallMs): number {
    const before = this.offsetMs(wall - DAY_MS);
    const after = this.offsetMs(wall + DAY_MS);
    if (before === after) return wall - before;
    const early = wall - before;
    const late = wall - after;
    const earlyValid = this.offsetMs(early) === before;
    const lateValid = this.offsetMs(late) === after;
    if (earlyValid && lateValid) return Math.min(early, late);
    if (earlyValid) return early;
    if (lateValid) return late;
    // In a gap: read the wall time with the offset before the gap.
    return early;
  }

  toWall(epochMs: number): WallMs {
    return epochMs + this.offsetMs(epochMs);
  }

  inGap(wall: WallMs): boolean {
    return this.toWall(this.toInstant(wall)) !== wall;
  }

  transitions(fromMs: number, toMs: number): ZoneTransition[] {
    const out: ZoneTransition[] = [];
    for (let index = Math.floor(fromMs / BLOCK_MS); index * BLOCK_MS < toMs; index++) {
      const block = this.block(index);
      block.at.forEach((at, i) => {
        if (at >= fromMs && at < toMs) {
          out.push({ at, offsetBeforeMs: block.before[i]!, offsetAfterMs: block.after[i]! });
        }
      });
    }
    return out;
  }
}

class FixedZone implements ZoneRules {
  constructor(
    readonly name: string,
    private readonly offset: number,
  ) {}
  offsetMs(): number {
    return this.offset;
  }
  toInstant(wall: WallMs): number {
    return wall - this.offset;
  }
  toWall(epochMs: number): WallMs {
    return epochMs + this.offset;
  }
  inGap(): boolean {
    return false;
  }
  transitions(): ZoneTransition[] {
    return [];
  }
}

const zones = new Map<string, ZoneRules>();

/**
 * The rules of an IANA time zone (cached per name).
 * @throws {UnknownTimeZoneError} when the name is not a time zone.
 */
export function zoneRules(name: string): ZoneRules {
  let zone = zones.get(name);
  if (zone) return zone;
  let id: string;
  try {
    id = Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(name).timeZoneId;
  } catch {
    throw new UnknownTimeZoneError(name);
  }
  // Offsets such as "+02:00" are not IANA zones; a schedule needs a place's rules.
  if (/^[+-]/.test(id)) throw new UnknownTimeZoneError(name);
  zone = id === "UTC" || id === "Etc/UTC" || id === "Etc/GMT" ? new FixedZone(name, 0) : new TableZone(name);
  zones.set(name, zone);
  return zone;
}

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** An instant as ISO 8601 local time with its UTC offset in a zone: `2026-03-24T10:00:00+01:00`. */
export function formatInstantIn(zone: ZoneRules, epochMs: number): string {
  const offset = zone.offsetMs(epochMs);
  const wall = new Date(epochMs + offset);
  const sign = offset < 0 ? "-" : "+";
  const minutes = Math.abs(offset) / 60_000;
  return `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}
