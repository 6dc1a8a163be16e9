/**
 * Terminal output: colour only on a TTY (and never with NO_COLOR), aligned tables, and one JSON
 * document with `--json`.
 */

export interface Output {
  readonly color: boolean;
  readonly tty: boolean;
  line(text?: string): void;
  error(text: string): void;
  json(value: unknown): void;
}

/** Output bound to the process's streams. */
export function processOutput(stream: NodeJS.WriteStream = process.stdout): Output {
  const tty = Boolean(stream.isTTY);
  const color = tty && !process.env.NO_COLOR && process.env.TERM !== "dumb";
  return {
    color,
    tty,
    line: (text = "") => stream.write(`${text}\n`),
    error: (text) => process.stderr.write(`${text}\n`),
    json: (value) => stream.write(`${JSON.stringify(value, null, 2)}\n`),
  };
}

const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  gray: [90, 39],
} as const;

export type Style = keyof typeof CODES;

/** Wraps text in an ANSI style when colour is on. */
export function paint(out: Pick<Output, "color">, style: Style, text: string): string {
  if (!out.color) return text;
  const [open, close] = CODES[style];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}

const STATE_STYLE: Record<string, Style> = {
  scheduled: "gray",
  boarding: "cyan",
  frozen: "blue",
  integrating: "blue",
  gating: "blue",
  awaiting_approval: "yellow",
  deploying: "magenta",
  verifying: "magenta",
  released: "green",
  blocked: "red",
  paused: "yellow",
  rolling_back: "red",
  rolled_back: "red",
  aborted: "gray",
  skipped: "gray",
};

/** A train state in its colour. */
export function state(out: Pick<Output, "color">, value: string): string {
  return paint(out, STATE_STYLE[value] ?? "bold", value);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI escapes is the point
const ANSI = /\u001b\[[0-9;]*m/g;
const visible = (text: string) => text.replace(ANSI, "").length;

/** Renders rows as aligned columns under a header. */
export function table(out: Pick<Output, "color">, header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i] ?? ""))));
  const pad = (cell: string, i: number) => cell + " ".repeat(Math.max(0, widths[i]! - visible(cell)));
  const lines = [
    header
      .map((h, i) => paint(out, "bold", pad(h, i)))
      .join("  ")
      .trimEnd(),
  ];
  for (const row of rows)
    lines.push(
      row
        .map((c, i) => pad(c, i))
        .join("  ")
        .trimEnd(),
    );
  return lines.join("\n");
}

/** "in 3h", "5m ago" relative to now, for people. */
export function relative(instant: string | null, now: number): string {
  if (!instant) return "";
  const delta = Date.parse(instant) - now;
  const abs = Math.abs(delta);
  const units: Array<[number, string]> = [
    [86_400_000, "d"],
    [3_600_000, "h"],
    [60_000, "m"],
    [1000, "s"],
  ];
  let text = "now";
  for (const [size, unit] of units) {
    if (abs >= size) {
      text = `${Math.floor(abs / size)}${unit}`;
      break;
    }
  }
  if (text === "now") return text;
  return delta >= 0 ? `in ${text}` : `${text} ago`;
}

/** A short local-free rendering of an instant: 2026-03-03 09:00Z. */
export function when(instant: string | null): string {
  if (!instant) return "";
  return `${instant.slice(0, 10)} ${instant.slice(11, 16)}Z`;
}
