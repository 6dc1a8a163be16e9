/**
 * Durations as written in railyard.yaml: a compact form (`90s`, `90m`, `26h`, `2d`, `1h30m`)
 * or ISO 8601 (`PT26H`, `P2D`, `P1DT2H`). Months and years are refused: their length depends
 * on the calendar, so a cut-off or bake time written with them would be ambiguous.
 */

const UNIT_MS = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
} as const;

const COMPACT = /^(?:(\d+(?:\.\d+)?)(ms|s|m|h|d|w))+$/;
const COMPACT_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;
const ISO =
  /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Thrown by {@link parseDuration} when a string is not a duration Railyard understands. */
export class InvalidDurationError extends Error {
  override readonly name = "InvalidDurationError";
  constructor(readonly input: string) {
    super(
      `"${input}" is not a duration: write a number and a unit (90s, 90m, 26h, 2d, 1h30m) or ISO 8601 (PT26H, P2D)`,
    );
  }
}

/**
 * Parses a duration into milliseconds.
 * @throws {InvalidDurationError} when the text is neither compact nor ISO 8601, or is a
 *   calendar-dependent ISO duration (months, years).
 */
export function parseDuration(input: string): number {
  const text = input.trim();
  if (text.length === 0) throw new InvalidDurationError(input);
  if (COMPACT.test(text)) {
    let total = 0;
    for (const match of text.matchAll(COMPACT_PART)) {
      total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
    }
    return Math.round(total);
  }
  const iso = ISO.exec(text);
  if (iso && text !== "P" && text !== "PT" && !text.endsWith("T")) {
    const [, w, d, h, m, s] = iso;
    const total =
      Number(w ?? 0) * UNIT_MS.w +
      Number(d ?? 0) * UNIT_MS.d +
      Number(h ?? 0) * UNIT_MS.h +
      Number(m ?? 0) * UNIT_MS.m +
      Number(s ?? 0) * UNIT_MS.s;
    return Math.round(total);
  }
  throw new InvalidDurationError(input);
}

/** Returns true when {@link parseDuration} would accept the text. */
export function isDuration(input: string): boolean {
  try {
    parseDuration(input);
    return true;
  } catch {
    return false;
  }
}

/** Formats milliseconds compactly for people: `1d2h`, `26h`, `90m` → `1h30m`, `45s`, `250ms`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const sign = ms < 0 ? "-" : "";
  let rest = Math.abs(Math.round(ms));
  if (rest < 1000) return `${sign}${rest}ms`;
  const parts: string[] = [];
  for (const [unit, size] of [
    ["d", UNIT_MS.d],
    ["h", UNIT_MS.h],
    ["m", UNIT_MS.m],
    ["s", UNIT_MS.s],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      parts.push(`${n}${unit}`);
      rest -= n * size;
    }
  }
  return sign + parts.slice(0, 2).join("");
}
