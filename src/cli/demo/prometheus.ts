/**
 * The demo's stand-in for Prometheus's HTTP API (`/api/v1/query`, `/api/v1/query_range`, GET or
 * POST with a form body), so that `npm start` shows canary analyses, SLO gates and the error rate
 * around releases without anyone installing Prometheus. It answers the API's JSON
 * (`{status: "success", data: {resultType, result}}`, or `{status: "error", errorType: "bad_data",
 * error}` with 400 for a query Prometheus would refuse), but it does not evaluate PromQL: it knows
 * the demo's own metrics and the few shapes of query the example configuration sends.
 *
 * Metrics (labels in brackets; an open label must be matched with `=` or left out):
 *  - `demo:error_ratio` [line, train, environment, component; variant: baseline | canary]: the
 *    share of failed requests, a recording rule's gauge;
 *  - `demo:latency_p99_seconds` [same labels]: the 99th percentile of request latency;
 *  - `demo_http_requests_total` [line, environment; code: 200 | 500]: a request counter.
 * Shapes: a selector; `rate`, `irate` or `increase` of a counter's range; `avg_over_time` (and
 * the other `*_over_time`) of a gauge's range; any of them inside `sum`, `avg`, `min`, `max` or
 * `count` (with `by`/`without`); and one `/` between two of those (one-to-one on labels). Anything
 * else answers an empty result, as Prometheus does for a metric it has no series of.
 *
 * The series are synthetic and deterministic: a level per train, metric and place (never per
 * variant, so a canary looks like its baseline), and noise seeded by train, metric, variant and
 * the sample's time. Any range is answered, exactly at `start + k·step` up to `end`: gates ask at
 * the wall clock's now, the error-rate measurement at instants of the demo's simulated clock.
 * Where a train carries a version of `badInProduction` outside the integration environments,
 * its error ratio is high for both variants (the fault is in state both share, which is why the
 * canary judge, comparing them, cannot see it and the health check's absolute threshold does);
 * where it carries a version of `slowInCanary`, the canary's latency is that many times the
 * baseline's, which the canary judge does see.
 */
import { createHash } from "node:crypto";
import type http from "node:http";

/** What the stand-in is built with. */
export interface DemoPrometheusOptions {
  /**
   * The versions a train carries (component → version), or null when it cannot be told (the
   * series then look like any other train's).
   */
  trainVersions(train: string): Promise<Record<string, string> | null>;
  /** Versions whose error ratio is high in production: component → version → symptom. @default {} */
  badInProduction?: Record<string, Record<string, string>>;
  /** Versions whose canary is slower than its baseline: component → version → latency factor. @default {} */
  slowInCanary?: Record<string, Record<string, number>>;
  /** Environments that are not production (a bad version is fine there). @default ["staging"] */
  integrationEnvironments?: readonly string[];
  /** Prometheus's own clock, for instant queries without `time` (epoch ms). @default Date.now */
  now?: () => number;
}

/** An answer of the API: the HTTP status and the JSON body. */
export interface PrometheusAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** The two endpoints, under the prefix the demo service mounts them at. */
export type PrometheusEndpoint = "query" | "query_range";

/** The stand-in: {@link DemoPrometheus.answer} in process, {@link DemoPrometheus.handle} over HTTP. */
export interface DemoPrometheus {
  /** The answer to one call of `endpoint` with its parameters (query string and form body merged). */
  answer(endpoint: PrometheusEndpoint, params: URLSearchParams): Promise<PrometheusAnswer>;
  /**
   * Serves `request` when `pathname` is `<prefix>/api/v1/query` or `…/query_range` and returns
   * true; returns false (and leaves the response alone) for any other path.
   */
  handle(request: http.IncomingMessage, response: http.ServerResponse, pathname: string): boolean;
}

/** Where the demo service mounts the stand-in: Railyard's `prometheus.<name>.url` ends with it. */
export const PROMETHEUS_PREFIX = "/prom";

/** The share of failed requests of a version that fails in production (the health check's 12.4%). */
const BAD_ERROR_RATIO = 0.124;
/** Prometheus's limit on the points of one range query's series. */
const MAX_POINTS = 11_000;
/** Largest form body read. */
const MAX_BODY_BYTES = 1 << 20;
/** How long a train's versions are reused across the queries of one gate (real ms). */
const VERSIONS_TTL_MS = 2000;
/** Counters start here (2020-01-01T00:00:00Z, unix seconds): a bare counter selector grows from it. */
const COUNTER_EPOCH = 1_577_836_800;

type Labels = Record<string, string>;
type Matcher = { name: string; op: "=" | "!=" | "=~" | "!~"; value: string };

interface Family {
  kind: "gauge" | "counter";
  /** Labels whose values the stand-in enumerates. */
  closed: Record<string, readonly string[]>;
  /** Labels a query pins with `=`, or leaves out. */
  open: readonly string[];
}

const FAMILIES: Record<string, Family> = {
  "demo:error_ratio": {
    kind: "gauge",
    closed: { variant: ["baseline", "canary"] },
    open: ["line", "train", "environment", "component"],
  },
  "demo:latency_p99_seconds": {
    kind: "gauge",
    closed: { variant: ["baseline", "canary"] },
    open: ["line", "train", "environment", "component"],
  },
  demo_http_requests_total: {
    kind: "counter",
    closed: { code: ["200", "500"] },
    open: ["line", "environment"],
  },
};

const COUNTER_FUNCTIONS = new Set(["rate", "irate", "increase"]);
const GAUGE_FUNCTIONS = new Set(["avg_over_time", "min_over_time", "max_over_time", "last_over_time"]);

/** A query Prometheus would refuse: 400 `bad_data`. */
class BadData extends Error {}

/** A series the stand-in can evaluate at any instant (unix seconds). */
interface Series {
  labels: Labels;
  at(t: number): number;
}

/** One selector of a query, with the function applied to it (if any) and its range. */
interface Selector {
  metric: string;
  matchers: Matcher[];
  fn: string | null;
  rangeSeconds: number | null;
}

/** One side of a query: an optional aggregation around a selector. */
interface Term {
  selector: Selector;
  aggregation: { op: string; mode: "by" | "without" | null; labels: string[] } | null;
}

/** What the query needs of the world before it is evaluated. */
interface World {
  versions: Map<string, Record<string, string> | null>;
}

/** Creates the stand-in. */
export function createDemoPrometheus(options: DemoPrometheusOptions): DemoPrometheus {
  const bad = options.badInProduction ?? {};
  const slow = options.slowInCanary ?? {};
  const integration = new Set(options.integrationEnvironments ?? ["staging"]);
  const clock = options.now ?? Date.now;
  const cache = new Map<string, { until: number; versions: Promise<Record<string, string> | null> }>();

  function versionsOf(train: string): Promise<Record<string, string> | null> {
    const now = Date.now();
    const hit = cache.get(train);
    if (hit && now < hit.until) return hit.versions;
    const versions = options.trainVersions(train).catch(() => null);
    cache.set(train, { until: now + VERSIONS_TTL_MS, versions });
    return versions;
  }

  /** The culprits among the versions a selector's train carries (of its component, if pinned). */
  function carried(
    labels: Labels,
    world: World,
    table: Record<string, Record<string, unknown>>,
  ): Array<[string, string]> {
    const versions = labels.train === undefined ? null : world.versions.get(labels.train);
    if (!versions) return [];
    return Object.entries(versions).filter(
      ([component, version]) =>
        (labels.component === undefined || labels.component === component) &&
        table[component]?.[version] !== undefined,
    );
  }

  /** The series one selector picks, with its function applied. */
  function select(selector: Selector, world: World): Series[] {
    const family = FAMILIES[selector.metric];
    if (!family) return [];
    const fixed: Labels = {};
    for (const m of selector.matchers) {
      if (m.name === "__name__") {
        if (!matches(m, selector.metric)) return [];
      } else if (family.open.includes(m.name)) {
        // Open labels take any value: only an equality can say which.
        if (m.op !== "=") return [];
        if (m.value !== "") fixed[m.name] = m.value;
      } else if (!(m.name in family.closed) && !matches(m, "")) {
        // A label the metric does not have matches only as the empty string.
        return [];
      }
    }
    let combos: Labels[] = [{}];
    for (const [name, values] of Object.entries(family.closed)) {
      const kept = values.filter((v) => selector.matchers.every((m) => m.name !== name || matches(m, v)));
      combos = combos.flatMap((c) => kept.map((v) => ({ ...c, [name]: v })));
    }
    const { fn } = selector;
    const allowed = family.kind === "counter" ? COUNTER_FUNCTIONS : GAUGE_FUNCTIONS;
    if (fn !== null && !allowed.has(fn)) return [];
    return combos.map((closed) => {
      const labels: Labels = { ...fixed, ...closed };
      const shown: Labels = fn === null ? { __name__: selector.metric, ...labels } : labels;
      return { labels: shown, at: seriesAt(selector, labels, world) };
    });
  }

  /** The value of one series at an instant, from its level and seeded noise. */
  function seriesAt(selector: Selector, labels: Labels, world: World): (t: number) => number {
    const place = [labels.line, labels.train, labels.environment, labels.component].map((v) => v ?? "");
    const seed = [selector.metric, ...place, labels.variant ?? "", labels.code ?? ""].join("|");
    const production = labels.environment === undefined || !integration.has(labels.environment);
    // Averaging over a range smooths the noise, as it does in a real series.
    const smoothing = Math.sqrt(Math.max(1, (selector.rangeSeconds ?? 60) / 60));
    switch (selector.metric) {
      case "demo:error_ratio": {
        const failing = production && carried(labels, world, bad).length > 0;
        const level = failing ? BAD_ERROR_RATIO : 0.001 + 0.002 * uniform(`level|errors|${place.join("|")}`);
        return (t) => Math.max(0, level * (1 + (0.1 * normal(`${seed}|${ms(t)}`)) / smoothing));
      }
      case "demo:latency_p99_seconds": {
        let level = 0.18 + 0.2 * uniform(`level|latency|${place.join("|")}`);
        if (labels.variant === "canary") {
          for (const [component, version] of carried(labels, world, slow))
            level *= slow[component]![version]!;
        }
        return (t) => Math.max(0, level * (1 + (0.08 * normal(`${seed}|${ms(t)}`)) / smoothing));
      }
      default: {
        // demo_http_requests_total: requests per second, and the share of them that fail.
        const key = `${labels.line ?? ""}|${labels.environment ?? ""}`;
        const perSecond = 20 + 40 * uniform(`rps|${key}`);
        const window = selector.rangeSeconds ?? 60;
        // Longer windows vary less: ±20% of the ratio over an hour, ±4% over 28 days.
        const spread = 0.2 / Math.max(1 / 12, window / 3600) ** 0.25;
        const failing = labels.code === "500";
        const rateAt = (t: number) => {
          const ratio = 0.002 * (1 + spread * normal(`ratio|${key}|${window}|${Math.floor(t / 60)}`));
          return perSecond * (failing ? Math.max(0, ratio) : 1 - Math.max(0, ratio));
        };
        if (selector.fn === "increase") return (t) => rateAt(t) * window;
        if (selector.fn === "rate" || selector.fn === "irate") return rateAt;
        // The counter itself: a steady count since the epoch.
        const share = failing ? 0.002 : 0.998;
        return (t) => Math.round(perSecond * share * Math.max(0, t - COUNTER_EPOCH));
      }
    }
  }

  function evaluateTerm(term: Term, world: World): Series[] {
    const series = select(term.selector, world);
    const agg = term.aggregation;
    if (!agg) return series;
    const groups = new Map<string, { labels: Labels; members: Series[] }>();
    for (const s of series) {
      const labels: Labels = {};
      for (const [name, value] of Object.entries(s.labels)) {
        if (name === "__name__") continue;
        const kept = agg.mode === "by" ? agg.labels.includes(name) : !agg.labels.includes(name);
        if (agg.mode !== null && kept) labels[name] = value;
      }
      const key = JSON.stringify(Object.entries(labels).sort());
      const group = groups.get(key) ?? { labels, members: [] };
      group.members.push(s);
      groups.set(key, group);
    }
    return [...groups.values()].map(({ labels, members }) => ({
      labels,
      at: (t) =>
        aggregate(
          agg.op,
          members.map((m) => m.at(t)),
        ),
    }));
  }

  function evaluate(terms: Term[], world: World): Series[] {
    const [left, right] = terms.map((t) => evaluateTerm(t, world));
    if (!right) return left ?? [];
    // Vector / vector: one-to-one on the labels without the metric name.
    const keyOf = (labels: Labels) =>
      JSON.stringify(
        Object.entries(labels)
          .filter(([name]) => name !== "__name__")
          .sort(),
      );
    const divisors = new Map(right.map((s) => [keyOf(s.labels), s]));
    return (left ?? []).flatMap((s) => {
      const divisor = divisors.get(keyOf(s.labels));
      if (!divisor) return [];
      const { __name__: _, ...labels } = s.labels;
      return [{ labels, at: (t: number) => s.at(t) / divisor.at(t) }];
    });
  }

  async function answer(endpoint: PrometheusEndpoint, params: URLSearchParams): Promise<PrometheusAnswer> {
    try {
      const query = params.get("query") ?? "";
      const problem = syntaxProblem(query);
      if (problem) throw new BadData(`invalid parameter "query": ${problem}`);
      let times: number[];
      if (endpoint === "query") {
        const time = params.get("time");
        times = [time === null || time === "" ? clock() / 1000 : timestamp("time", time)];
      } else {
        const start = timestamp("start", params.get("start") ?? "");
        const end = timestamp("end", params.get("end") ?? "");
        if (end < start)
          throw new BadData('invalid parameter "end": end timestamp must not be before start time');
        const step = stepSeconds(params.get("step") ?? "");
        if ((end - start) / step > MAX_POINTS) {
          throw new BadData(
            "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)",
          );
        }
        times = [];
        // Whole milliseconds, as Prometheus keeps them.
        const startMs = Math.round(start * 1000);
        const stepMs = Math.max(1, Math.round(step * 1000));
        for (let at = startMs; at <= end * 1000; at += stepMs) times.push(at / 1000);
      }
      const terms = termsOf(query);
      const world: World = { versions: new Map() };
      const trains = new Set(
        (terms ?? []).flatMap((t) =>
          t.selector.matchers.filter((m) => m.name === "train" && m.op === "=").map((m) => m.value),
        ),
      );
      await Promise.all([...trains].map(async (train) => world.versions.set(train, await versionsOf(train))));
      const series = terms ? evaluate(terms, world) : [];
      const result =
        endpoint === "query"
          ? series.map((s) => ({ metric: s.labels, value: sample(times[0]!, s.at(times[0]!)) }))
          : series.map((s) => ({ metric: s.labels, values: times.map((t) => sample(t, s.at(t))) }));
      return {
        status: 200,
        body: { status: "success", data: { resultType: endpoint === "query" ? "vector" : "matrix", result } },
      };
    } catch (error) {
      if (!(error instanceof BadData)) throw error;
      return { status: 400, body: { status: "error", errorType: "bad_data", error: error.message } };
    }
  }

  function handle(request: http.IncomingMessage, response: http.ServerResponse, pathname: string): boolean {
    const match = new RegExp(`^${PROMETHEUS_PREFIX}/api/v1/(query|query_range)$`).exec(pathname);
    if (!match) return false;
    const endpoint = match[1] as PrometheusEndpoint;
    const send = (answered: PrometheusAnswer) => {
      response.writeHead(answered.status, { "content-type": "application/json" });
      response.end(JSON.stringify(answered.body));
    };
    if (request.method !== "GET" && request.method !== "POST") {
      response.writeHead(405, { "content-type": "text/plain; charset=utf-8", allow: "GET, POST" });
      response.end("Method Not Allowed");
      return true;
    }
    const params = new URL(request.url ?? "/", "http://localhost").searchParams;
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on("end", () => {
      const type = request.headers["content-type"] ?? "";
      if (request.method === "POST" && type.startsWith("application/x-www-form-urlencoded")) {
        // Form values come before the query string's, as Go's FormValue reads them.
        for (const [name, value] of new URLSearchParams(Buffer.concat(chunks).toString("utf8")))
          params.set(name, value);
      }
      answer(endpoint, params).then(send, (error: unknown) =>
        send({
          status: 500,
          body: { status: "error", errorType: "internal", error: String(error) },
        }),
      );
    });
    return true;
  }

  return { answer, handle };
}

/** The terms of a query (one, or two around a top-level `/`); null when it is not a shape the stand-in knows. */
function termsOf(query: string): Term[] | null {
  const text = unwrap(query.trim());
  const parts = splitTopLevel(text, "/");
  if (parts.length > 2) return null;
  const terms = parts.map((part) => termOf(unwrap(part.trim())));
  return terms.every((t): t is Term => t !== null) ? terms : null;
}

function termOf(text: string): Term | null {
  const head = /^(sum|avg|min|max|count)\s*(?:(by|without)\s*\(([^)]*)\)\s*)?\(/.exec(text);
  if (!head) {
    const selector = selectorOf(text);
    return selector ? { selector, aggregation: null } : null;
  }
  const open = head[0].length - 1;
  const close = closingOf(text, open);
  if (close < 0) return null;
  const after = /^\s*(?:(by|without)\s*\(([^)]*)\))?\s*$/.exec(text.slice(close + 1));
  if (!after || (head[2] && after[1])) return null;
  const selector = selectorOf(unwrap(text.slice(open + 1, close).trim()));
  if (!selector) return null;
  const mode = (head[2] ?? after[1] ?? null) as "by" | "without" | null;
  const labels = (head[3] ?? after[2] ?? "")
    .split(",")
    .map((l) => l.trim())
    .filter(Boolean);
  return { selector, aggregation: { op: head[1]!, mode, labels } };
}

function selectorOf(text: string): Selector | null {
  const call = /^([a-z_]+)\s*\(/.exec(text);
  if (call) {
    const open = call[0].length - 1;
    if (closingOf(text, open) !== text.length - 1) return null;
    const inner = plainSelector(text.slice(open + 1, -1).trim());
    if (!inner) return null;
    const fn = call[1]!;
    if (!COUNTER_FUNCTIONS.has(fn) && !GAUGE_FUNCTIONS.has(fn)) return null;
    if (inner.rangeSeconds === null) {
      throw new BadData(
        `invalid parameter "query": 1:1: parse error: expected type range vector in call to function "${fn}", got instant vector`,
      );
    }
    return { ...inner, fn };
  }
  const plain = plainSelector(text);
  // A range vector on its own is not a value a gate can judge.
  return plain && plain.rangeSeconds === null ? plain : null;
}

function plainSelector(text: string): Selector | null {
  const found = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(?:\{(.*)\})?\s*(?:\[\s*([0-9a-z]+)\s*\])?$/s.exec(text);
  if (!found || (found[1] === undefined && found[2] === undefined)) return null;
  const matchers = matchersOf(found[2] ?? "");
  if (!matchers) return null;
  const metric = found[1] ?? matchers.find((m) => m.name === "__name__" && m.op === "=")?.value;
  if (!metric) return null;
  return {
    metric,
    matchers,
    fn: null,
    rangeSeconds: found[3] === undefined ? null : durationSeconds(found[3], "query"),
  };
}

function matchersOf(text: string): Matcher[] | null {
  const matchers: Matcher[] = [];
  const pattern = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/gy;
  let rest = text.trim();
  if (rest === "") return matchers;
  pattern.lastIndex = 0;
  let consumed = 0;
  for (let m = pattern.exec(rest); m !== null; m = pattern.exec(rest)) {
    let value: string;
    try {
      value = JSON.parse(`"${m[3]}"`) as string;
    } catch {
      return null;
    }
    matchers.push({ name: m[1]!, op: m[2] as Matcher["op"], value });
    consumed = pattern.lastIndex;
    if (m[4] === "") break;
  }
  rest = rest.slice(consumed).trim();
  return rest === "" ? matchers : null;
}

function matches(m: Matcher, value: string): boolean {
  switch (m.op) {
    case "=":
      return value === m.value;
    case "!=":
      return value !== m.value;
    case "=~":
    case "!~": {
      let re: RegExp;
      try {
        // Prometheus anchors label regexes at both ends.
        re = new RegExp(`^(?:${m.value})$`);
      } catch {
        throw new BadData(`invalid parameter "query": error parsing regexp: ${m.value}`);
      }
      return re.test(value) === (m.op === "=~");
    }
    default: {
      const unknown: never = m.op;
      throw new Error(`unknown matcher ${String(unknown)}`);
    }
  }
}

function aggregate(op: string, values: number[]): number {
  if (values.length === 0) return Number.NaN;
  switch (op) {
    case "sum":
      return values.reduce((a, b) => a + b, 0);
    case "avg":
      return values.reduce((a, b) => a + b, 0) / values.length;
    case "min":
      return Math.min(...values);
    case "max":
      return Math.max(...values);
    default:
      return values.length;
  }
}

/** Removes parentheses around the whole text: `((x))` → `x`. */
function unwrap(text: string): string {
  let current = text;
  while (current.startsWith("(") && current.endsWith(")") && closingOf(current, 0) === current.length - 1) {
    current = current.slice(1, -1).trim();
  }
  return current;
}

/** The index of the bracket closing the one at `open`, skipping strings; -1 when none. */
function closingOf(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === "`") {
      i = stringEnd(text, i);
      if (i < 0) return -1;
    } else if ("({[".includes(c)) depth++;
    else if (")}]".includes(c) && --depth === 0) return i;
  }
  return -1;
}

/** Splits at `separator` where it stands outside brackets and strings. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === "`") i = stringEnd(text, i);
    else if ("({[".includes(c)) depth++;
    else if (")}]".includes(c)) depth--;
    else if (c === separator && depth === 0) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return parts;
}

/** The index of the quote closing the string opened at `at`; -1 when it is not closed. */
function stringEnd(text: string, at: number): number {
  const quote = text[at];
  for (let i = at + 1; i < text.length; i++) {
    if (text[i] === "\\" && quote !== "`") i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

/** What Prometheus's parser would say about unbalanced brackets or quotes, else null. */
function syntaxProblem(query: string): string | null {
  const where = (index: number) => {
    const before = query.slice(0, index).split("\n");
    return `${before.length}:${before.at(-1)!.length + 1}`;
  };
  if (query.trim() === "") return "1:1: parse error: no expression found in input";
  const open: Array<{ c: string; at: number }> = [];
  const pairs: Record<string, string> = { ")": "(", "}": "{", "]": "[" };
  const names: Record<string, string> = { "(": "parenthesis", "{": "brace", "[": "bracket" };
  for (let i = 0; i < query.length; i++) {
    const c = query[i]!;
    if (c === '"' || c === "'" || c === "`") {
      const end = stringEnd(query, i);
      if (end < 0) return `${where(i)}: parse error: unterminated quoted string`;
      i = end;
    } else if (c in names) open.push({ c, at: i });
    else if (c in pairs) {
      if (open.at(-1)?.c !== pairs[c]) {
        return `${where(i)}: parse error: unexpected right ${names[pairs[c]!]} '${c}'`;
      }
      open.pop();
    }
  }
  const last = open.at(-1);
  if (!last) return null;
  if (last.c === "{") return `${where(query.length)}: parse error: unexpected end of input inside braces`;
  return `${where(query.length)}: parse error: unclosed left ${names[last.c]}`;
}

/** A timestamp parameter: unix seconds (decimals allowed) or RFC 3339. */
function timestamp(name: string, text: string): number {
  if (/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text.trim())) return Number(text);
  const parsed = /^\d{4}-\d\d-\d\dT/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(parsed))
    throw new BadData(`invalid parameter "${name}": cannot parse "${text}" to a valid timestamp`);
  return parsed / 1000;
}

/** The `step` parameter: seconds (decimals allowed) or a Prometheus duration such as `15s`. */
function stepSeconds(text: string): number {
  const seconds = /^(\d+(\.\d*)?|\.\d+)$/.test(text.trim()) ? Number(text) : durationSeconds(text, "step");
  if (!(seconds > 0)) {
    throw new BadData(
      'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
    );
  }
  return seconds;
}

const UNITS: Record<string, number> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 31_536_000,
};

/** A Prometheus duration (`5m`, `1h30m`, `28d`) in seconds. */
function durationSeconds(text: string, parameter: string): number {
  if (!/^(\d+(ms|[smhdwy]))+$/.test(text)) {
    throw new BadData(`invalid parameter "${parameter}": cannot parse "${text}" to a valid duration`);
  }
  let seconds = 0;
  for (const [, count, unit] of text.matchAll(/(\d+)(ms|[smhdwy])/g))
    seconds += Number(count) * UNITS[unit!]!;
  return seconds;
}

/** A sample as the API writes it: `[unix seconds, "value"]`. */
function sample(t: number, value: number): [number, string] {
  const text = Number.isNaN(value)
    ? "NaN"
    : value === Number.POSITIVE_INFINITY
      ? "+Inf"
      : value === Number.NEGATIVE_INFINITY
        ? "-Inf"
        : String(value);
  return [Math.round(t * 1000) / 1000, text];
}

function ms(t: number): number {
  return Math.round(t * 1000);
}

/** A number in [0, 1) from `seed`. */
function uniform(seed: string): number {
  return createHash("sha256").update(seed).digest().readUInt32BE(0) / 2 ** 32;
}

/** A number from about N(0, 1) from `seed` (Irwin–Hall of four uniforms, rescaled). */
function normal(seed: string): number {
  const digest = createHash("sha256").update(seed).digest();
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += digest.readUInt32BE(i * 4) / 2 ** 32;
  return (sum - 2) / Math.sqrt(4 / 12);
}
