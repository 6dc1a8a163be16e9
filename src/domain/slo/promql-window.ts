/**
 * SLI queries templated by their window: `sum(rate(http_requests_total{code=~"5.."}[{window}]))`
 * counts bad events over whatever window `{window}` becomes. Filling the template for each window
 * an `slo` gate measures, and turning the queries of other tools (OpenSLO, Sloth) into templates.
 */
import { parseDuration } from "../duration.js";

/** The placeholder an SLO's `good`, `bad` and `total` queries use for the window measured. */
export const WINDOW_PLACEHOLDER = "{window}";

/** Thrown by {@link windowTemplateOf} when a query cannot count events over a window. */
export class UnsupportedQueryError extends Error {
  override readonly name = "UnsupportedQueryError";
}

const PROMQL_UNITS = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1_000],
  ["ms", 1],
] as const;

/**
 * A Railyard duration as PromQL writes one: `28d` → `28d`, `2w` → `14d`, `PT26H` → `1d2h`,
 * `1.5h` → `1h30m`, `90m` → `1h30m`. PromQL takes neither ISO 8601 nor decimals.
 * @throws {InvalidDurationError} when the text is not a duration; {@link RangeError} when it is 0.
 */
export function promqlDuration(duration: string): string {
  let rest = parseDuration(duration);
  if (rest <= 0) throw new RangeError(`a window of ${duration} holds no time: use one longer than 0`);
  let out = "";
  for (const [unit, size] of PROMQL_UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}

/** The query with every `{window}` replaced by `window` in PromQL's notation ({@link promqlDuration}). */
export function fillWindow(template: string, window: string): string {
  return template.split(WINDOW_PLACEHOLDER).join(promqlDuration(window));
}

/** How {@link windowTemplateOf} turned a query into a template. */
export type WindowConversion =
  /** It already held `{window}` (or Sloth's `{{.window}}`). */
  | "template"
  /** Its range selectors' durations became `{window}`: `rate(x[1m])` → `rate(x[{window}])`. */
  | "range"
  /** A counter selector, counted with increase(): `x{…}` → `sum(increase(x{…}[{window}]))`. */
  | "selector"
  /** A counter expression, counted with increase() over a subquery. */
  | "subquery";

/**
 * Turns a query written for another tool into a `{window}` template counting events over the
 * window (what an SLO's `good`, `bad` and `total` need: only their ratio matters, so per-second
 * rates and counts over the window serve equally):
 *
 * 1. `{window}` already there, or Sloth's `{{.window}}` → kept (Sloth's placeholder rewritten).
 * 2. Range selectors (`[1m]`, and the range of a subquery `[5m:30s]`) → their durations become
 *    `{window}`: `sum(rate(x[1m]))` → `sum(rate(x[{window}]))`. An instant rate over a short
 *    range becomes the rate over the window, and the ratio of two rates over the same window is
 *    the ratio of the events they count.
 * 3. No range, `counter` true: the query reads counters as they are.
 *    - A selector `x{…}` → `sum(increase(x{…}[{window}]))`;
 *    - a sum of a selector `sum by (l) (x{…})` → `sum by (l) (increase(x{…}[{window}]))`
 *      (increase per series, then the sum: counter resets are handled per series, exactly);
 *    - anything else → `sum(increase((<query>)[{window}:]))`, a subquery at the evaluation
 *      interval: a reset of one counter inside an aggregation reads as a reset of the whole
 *      expression, so prefer writing the query with a range.
 * 4. No range and `counter` false: a gauge has no events to count over a window → refused.
 *
 * Brackets inside strings and comments are left alone.
 * @throws {UnsupportedQueryError} for case 4, or when the query is empty.
 */
export function windowTemplateOf(
  query: string,
  counter: boolean,
): { query: string; conversion: WindowConversion } {
  const text = query.trim().replace(/\{\{\s*\.window\s*\}\}/g, WINDOW_PLACEHOLDER);
  if (text === "") throw new UnsupportedQueryError("the query is empty");
  if (text.includes(WINDOW_PLACEHOLDER)) return { query: text, conversion: "template" };

  const ranges = rangeSelectors(text);
  if (ranges.length > 0) {
    let out = "";
    let at = 0;
    for (const { start, end } of ranges) {
      const inside = text.slice(start + 1, end);
      const colon = inside.indexOf(":");
      out += `${text.slice(at, start + 1)}${WINDOW_PLACEHOLDER}${colon >= 0 ? inside.slice(colon) : ""}]`;
      at = end + 1;
    }
    return { query: out + text.slice(at), conversion: "range" };
  }

  if (!counter) {
    throw new UnsupportedQueryError(
      "a query without a range selector and counter: false reads a gauge, which counts no events over a window: write it with a range (e.g. sum(rate(x[1m]))) or mark the metric a counter (counter: true)",
    );
  }
  if (isSelector(text))
    return { query: `sum(increase(${text}[${WINDOW_PLACEHOLDER}]))`, conversion: "selector" };
  const summed = sumOfSelector(text);
  if (summed) {
    const grouping = summed.grouping ? ` ${summed.grouping} ` : "";
    return {
      query: `sum${grouping}(increase(${summed.selector}[${WINDOW_PLACEHOLDER}]))`,
      conversion: "selector",
    };
  }
  return { query: `sum(increase((${text})[${WINDOW_PLACEHOLDER}:]))`, conversion: "subquery" };
}

/** Positions of the `[` and `]` of every range or subquery selector, outside strings and comments. */
function rangeSelectors(text: string): Array<{ start: number; end: number }> {
  const found: Array<{ start: number; end: number }> = [];
  let open = -1;
  scan(text, (char, index) => {
    if (char === "[") open = index;
    else if (char === "]" && open >= 0) {
      found.push({ start: open, end: index });
      open = -1;
    }
  });
  return found;
}

/**
 * Calls `visit` with each character outside string literals ("…", '…', `…`) and `#` comments.
 * @returns false when a string is left open.
 */
function scan(text: string, visit: (char: string, index: number) => void): boolean {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quote !== null) {
      if (char === "\\" && quote !== "`") i++;
      else if (char === quote) quote = null;
      continue;
    }
    if (char === '"' || char === "'" || char === "`") {
      quote = char;
      continue;
    }
    if (char === "#") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    visit(char, i);
  }
  return quote === null;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const AGGREGATION_KEYWORDS = new Set(["sum", "by", "without", "offset", "bool", "and", "or", "unless"]);

/** True for a lone vector selector: `x`, `x{a="b"}` or `{__name__="x"}`, with nothing around it. */
function isSelector(text: string): boolean {
  let rest = text;
  const name = METRIC_NAME.exec(rest)?.[0];
  if (name !== undefined) {
    if (AGGREGATION_KEYWORDS.has(name)) return false;
    rest = rest.slice(name.length).trimStart();
    if (rest === "") return true;
  }
  if (!rest.startsWith("{")) return false;
  const close = matching(rest, 0, "{", "}");
  return close === rest.length - 1;
}

/** `sum(x{…})`, `sum by (a) (x{…})` or `sum(x{…}) without (a)`: the selector and the grouping. */
function sumOfSelector(text: string): { selector: string; grouping: string | null } | undefined {
  const head = /^sum\s*/.exec(text);
  if (!head) return undefined;
  let rest = text.slice(head[0].length);
  let grouping: string | null = null;
  const before = /^(by|without)\s*\(([^()]*)\)\s*/.exec(rest);
  if (before) {
    grouping = `${before[1]} (${before[2]!.trim()})`;
    rest = rest.slice(before[0].length);
  }
  if (!rest.startsWith("(")) return undefined;
  const close = matching(rest, 0, "(", ")");
  if (close < 0) return undefined;
  const inner = rest.slice(1, close).trim();
  const after = rest.slice(close + 1).trim();
  if (after !== "") {
    const trailing = /^(by|without)\s*\(([^()]*)\)$/.exec(after);
    if (!trailing || grouping !== null) return undefined;
    grouping = `${trailing[1]} (${trailing[2]!.trim()})`;
  }
  return isSelector(inner) ? { selector: inner, grouping } : undefined;
}

/** The index of the bracket closing the one at `start`, skipping strings; -1 when unclosed. */
function matching(text: string, start: number, open: string, close: string): number {
  let depth = 0;
  let found = -1;
  scan(text.slice(start), (char, index) => {
    if (found >= 0) return;
    if (char === open) depth++;
    else if (char === close && --depth === 0) found = start + index;
  });
  return found;
}
