/**
 * Which candidates board a train at its cut-off, who is held back and why: the rule of
 * `docs/design/boarding.md` ("Resolution").
 *
 * 1. Removal: start from every ready candidate whose same-train group is ready; repeatedly remove
 *    the violating group whose first component name is smallest — a group with a boarding member
 *    whose own constraint fails, or with a member a staying component's recorded constraint
 *    refuses — until none violates. With lower-bound constraints (and new versions that do not
 *    go back) this is the greatest fixpoint, whatever the order.
 * 2. Add-back: repeatedly board the held ready group with the smallest first component name that
 *    can board alone keeping every constraint true, until none can (maximality).
 * 3. Cycles: members of a cycle among the boarded candidates' constraints are held with the cycle
 *    and the resolution runs again.
 *
 * A staying component's recorded constraint counts only on a target that boards (on one that
 * stays too it is production's own state); a constraint of a component on itself is checked but
 * is no cycle; a same-train tie to itself is none. Reasons are judged as if the held component's
 * group boarded on top of the result (see `explain`).
 *
 * Every distinct range and version is parsed once, each constraint is tested once against its
 * target's candidate version and once against its production version, and the rest works on
 * integer arrays: O((n + e) · log n) per run. Components are numbered in name order, so nothing
 * depends on the order of the input.
 */
import semver from "semver";

/** A version's need for another component: `{component, version: semver range, sameTrain}`. */
export interface Constraint {
  component: string;
  /** A semver range, tested with pre-releases included. */
  version: string;
  /** Both components ship on the same train or neither does (absent: false). */
  sameTrain?: boolean;
}

/** The latest, not dropped artifact of a component on the train. */
export interface BoardingCandidate {
  component: string;
  version: string;
  /** The constraints of this version (its push's `depends_on`, else the configured ones). */
  dependsOn: readonly Constraint[];
  /** null when ready; else why not, e.g. "CI failed on commit abc1234". */
  notReady: string | null;
  artifactId?: string;
  commit?: string;
}

/** The version a component runs in production, with the constraints recorded when it shipped. */
export interface RunningVersion {
  component: string;
  version: string;
  /** None when unknown. */
  dependsOn: readonly Constraint[];
}

/** A candidate that does not board, with the chain of sentences explaining why. */
export interface HeldCandidate extends BoardingCandidate {
  /** Its own sentence first, then those of the held components it points at, depth first, each once. */
  reasons: string[];
  /** `reasons.join("; ")`. */
  reason: string;
}

/** Who boards and who is held; both in the order the candidates were given. */
export interface BoardingPlan {
  boarded: BoardingCandidate[];
  held: HeldCandidate[];
}

const SEMVER_OPTIONS = { includePrerelease: true } as const;

function parseVersion(text: string): semver.SemVer | null {
  // Parsed with the ranges' options, so a range's test uses the object instead of copying it.
  try {
    return new semver.SemVer(text, SEMVER_OPTIONS);
  } catch {
    return semver.coerce(text, SEMVER_OPTIONS);
  }
}

function parseRange(text: string): semver.Range | null {
  try {
    return new semver.Range(text, SEMVER_OPTIONS);
  } catch {
    return null;
  }
}

/** Operators of a plain comparator, by code. */
const EQ = 0;
const GE = 1;
const LE = 2;
const GT = 3;
const LT = 4;

/** Whether `version <operator> bound` holds, given the sign of their comparison. */
function holds(operator: number, order: number): boolean {
  switch (operator) {
    case GE:
      return order >= 0;
    case LE:
      return order <= 0;
    case GT:
      return order > 0;
    case LT:
      return order < 0;
    default:
      return order === 0;
  }
}

/**
 * Appends major, minor and patch of `text[start, end)` to `out` when it is a plain version
 * (`1.2.3`: no pre-release, no build, no leading zeros, each part a safe integer); false (and
 * nothing appended) otherwise. By hand rather than by regular expression: no garbage.
 */
function plainVersion(text: string, start: number, end: number, out: number[]): boolean {
  let major = 0;
  let minor = 0;
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = start; i <= end; i++) {
    const code = i < end ? text.charCodeAt(i) : 46;
    if (code >= 48 && code <= 57) {
      if ((digits === 1 && value === 0) || digits === 15) return false;
      value = value * 10 + code - 48;
      digits++;
    } else if (code === 46 && digits > 0) {
      if (part === 0) major = value;
      else if (part === 1) minor = value;
      else if (part === 2 && i === end) {
        out.push(major, minor, value);
        return true;
      } else return false;
      part++;
      value = 0;
      digits = 0;
    } else return false;
  }
  return false;
}

/**
 * Appends `operator, major, minor, patch` to `out` when `text[start, end)` is one comparator on a
 * plain version (`>=1.2.3`, `<2.0.0`, `=1.2.3`, `1.2.3`); false otherwise.
 */
function plainComparator(text: string, start: number, end: number, out: number[]): boolean {
  const first = text.charCodeAt(start);
  const second = text.charCodeAt(start + 1);
  let operator = EQ;
  let skip = 0;
  if (first === 62 /* > */ || first === 60 /* < */) {
    skip = second === 61 /* = */ ? 2 : 1;
    operator = first === 62 ? (skip === 2 ? GE : GT) : skip === 2 ? LE : LT;
  } else if (first === 61) skip = 1;
  out.push(operator);
  if (plainVersion(text, start + skip, end, out)) return true;
  out.pop();
  return false;
}

/**
 * Semver tests with each distinct range and version parsed once; intern every version and range
 * first, then test. A range made only of comparators on plain versions (`>=1.2.3`,
 * `>=1.2.3 <2.0.0`: what `depends_on` mostly says) tested on a plain version is a few integer
 * comparisons — what semver does for them with pre-releases included — cheaper than any cache.
 * Everything else goes to a `semver.Range`, its results cached by their `range|version` pair.
 */
class SemverTests {
  readonly #versionIds = new Map<string, number>();
  readonly #versionTexts: string[] = [];
  /** major, minor, patch of version `id` at `3 · id`; NaN when the version is not plain. */
  readonly #parts: number[] = [];
  readonly #semvers: Array<semver.SemVer | null | undefined> = [];
  readonly #rangeIds = new Map<string, number>();
  readonly #rangeTexts: string[] = [];
  /** Where range `id`'s comparators start in `#comparators`, and how many (-1: not plain). */
  readonly #rangeStart: number[] = [];
  readonly #rangeSize: number[] = [];
  /** `operator, major, minor, patch` per comparator of the plain ranges. */
  readonly #comparators: number[] = [];
  readonly #ranges: Array<semver.Range | null | undefined> = [];
  /** Keyed by `range id · version count + version id` while that stays a small integer. */
  readonly #results = new Map<number | string, boolean>();

  version(text: string): number {
    let id = this.#versionIds.get(text);
    if (id === undefined) {
      id = this.#versionTexts.length;
      this.#versionTexts.push(text);
      if (!plainVersion(text, 0, text.length, this.#parts))
        this.#parts.push(Number.NaN, Number.NaN, Number.NaN);
      this.#versionIds.set(text, id);
    }
    return id;
  }

  range(text: string): number {
    let id = this.#rangeIds.get(text);
    if (id !== undefined) return id;
    id = this.#rangeTexts.length;
    this.#rangeIds.set(text, id);
    this.#rangeTexts.push(text);
    const comparators = this.#comparators;
    const start = comparators.length;
    let size = 0;
    let plain = true;
    // Comparators separated by spaces: each must be plain.
    for (let i = 0; i < text.length && plain; ) {
      let end = i;
      while (end < text.length && text.charCodeAt(end) !== 32) end++;
      if (end > i) {
        plain = plainComparator(text, i, end, comparators);
        size++;
      }
      i = end + 1;
    }
    if (!plain || size === 0) {
      comparators.length = start;
      size = -1;
    }
    this.#rangeStart.push(start);
    this.#rangeSize.push(size);
    return id;
  }

  test(range: number, version: number): boolean {
    const size = this.#rangeSize[range]!;
    const parts = this.#parts;
    const at = 3 * version;
    if (size >= 0 && !Number.isNaN(parts[at]!)) {
      const comparators = this.#comparators;
      for (let c = this.#rangeStart[range]!, end = c + 4 * size; c < end; c += 4) {
        const order =
          parts[at]! - comparators[c + 1]! ||
          parts[at + 1]! - comparators[c + 2]! ||
          parts[at + 2]! - comparators[c + 3]!;
        if (!holds(comparators[c]!, order)) return false;
      }
      return true;
    }
    const count = this.#versionTexts.length;
    // Small integer keys hash fast; past 2^30 pairs, the pair as text.
    const key =
      this.#rangeTexts.length * count < 1073741824 ? range * count + version : `${range}|${version}`;
    let result = this.#results.get(key);
    if (result === undefined) {
      const parsed = this.#semver(version);
      result = parsed !== null && this.#range(range)?.test(parsed) === true;
      this.#results.set(key, result);
    }
    return result;
  }

  #range(range: number): semver.Range | null {
    let compiled = this.#ranges[range];
    if (compiled === undefined) {
      compiled = parseRange(this.#rangeTexts[range]!);
      this.#ranges[range] = compiled;
    }
    return compiled;
  }

  #semver(version: number): semver.SemVer | null {
    let parsed = this.#semvers[version];
    if (parsed === undefined) {
      parsed = parseVersion(this.#versionTexts[version]!);
      this.#semvers[version] = parsed;
    }
    return parsed;
  }

  /** True when `version` is above every version of `range` (an upper bound excludes it). */
  above(range: string, version: string): boolean {
    const parsed = parseVersion(version);
    const compiled = parseRange(range);
    return parsed !== null && compiled !== null && semver.gtr(parsed, compiled, SEMVER_OPTIONS);
  }
}

/**
 * True when `version` satisfies the semver `range`, pre-releases included. A version that is not
 * semver is read as the first `x.y.z` inside it; an unreadable version or range satisfies nothing.
 */
export function satisfies(version: string, range: string): boolean {
  const tests = new SemverTests();
  const r = tests.range(range);
  return tests.test(r, tests.version(version));
}

/** A min-heap of non-negative integers, each queued at most once at a time. */
class IdQueue {
  readonly #heap: number[] = [];
  readonly #queued: Uint8Array;

  constructor(size: number) {
    this.#queued = new Uint8Array(size);
  }

  push(id: number): void {
    if (this.#queued[id]) return;
    this.#queued[id] = 1;
    const heap = this.#heap;
    let i = heap.length;
    heap.push(id);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= id) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = id;
  }

  /** The smallest queued id, or -1 when empty. */
  pop(): number {
    const heap = this.#heap;
    if (heap.length === 0) return -1;
    const top = heap[0]!;
    const last = heap.pop()!;
    const size = heap.length;
    if (size > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= size) break;
        const right = left + 1;
        const child = right < size && heap[right]! < heap[left]! ? right : left;
        if (heap[child]! >= last) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    this.#queued[top] = 0;
    return top;
  }
}

/** Compressed adjacency: the items of node `v` are `items[start[v]] … items[start[v + 1] - 1]`. */
interface Adjacency {
  start: Int32Array;
  items: Int32Array;
}

/** Groups `(node, item)` pairs by node, keeping each node's items in the order given. */
function adjacency(nodes: number, owners: ArrayLike<number>, values: ArrayLike<number>): Adjacency {
  const start = new Int32Array(nodes + 1);
  for (let k = 0; k < owners.length; k++) start[owners[k]! + 1]!++;
  for (let v = 0; v < nodes; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, nodes);
  const items = new Int32Array(owners.length);
  for (let k = 0; k < owners.length; k++) items[fill[owners[k]!]!++] = values[k]!;
  return { start, items };
}

/**
 * The resolution's input as integer arrays. Components (candidates, production, targets) are
 * numbered in name order. "Own" edges are candidates' constraints; "recorded" edges are
 * production constraints on components that have a candidate (the only ones a boarding set can
 * break).
 */
interface Graph {
  names: string[];
  /** The id of each candidate, by its position in the input. */
  inputId: Int32Array;
  candidate: Array<BoardingCandidate | undefined>;
  production: Array<RunningVersion | undefined>;
  /** Own edges, by source (in `dependsOn` order): target, constraint, tests. */
  own: Adjacency;
  ownSource: Int32Array;
  ownTarget: Int32Array;
  ownConstraint: Constraint[];
  /** The target's candidate version satisfies the range. */
  ownOkCandidate: Uint8Array;
  /** The target's production version satisfies the range. */
  ownOkProduction: Uint8Array;
  /** Own edges by target, sources in name order. */
  ownIn: Adjacency;
  /** Recorded edges, by source. */
  recorded: Adjacency;
  recordedSource: Int32Array;
  recordedTarget: Int32Array;
  recordedConstraint: Constraint[];
  /** The target's candidate version satisfies the recorded range. */
  recordedOk: Uint8Array;
  /** Recorded edges by target, sources in name order. */
  recordedIn: Adjacency;
  /** Per candidate: the id of its same-train group (its smallest member); -1 otherwise. */
  group: Int32Array;
  /** Members of each group, by group id. */
  members: Adjacency;
  /** Same-train neighbours of each candidate (both directions), in name order. */
  ties: Adjacency;
  /** Per candidate: the first component without a candidate it is tied to, else -1. */
  tiedToMissing: Int32Array;
  tests: SemverTests;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function buildGraph(
  candidates: readonly BoardingCandidate[],
  productionVersions: ReadonlyMap<string, RunningVersion>,
): Graph {
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.component)) {
      throw new Error(
        `resolveBoarding: two candidates for component "${c.component}"; give one per component (its latest artifact)`,
      );
    }
    seen.add(c.component);
  }
  for (const name of productionVersions.keys()) seen.add(name);
  const names = [...seen].sort(byName);
  const id = new Map<string, number>();
  for (let v = 0; v < names.length; v++) id.set(names[v]!, v);
  const tests = new SemverTests();

  const candidate: Array<BoardingCandidate | undefined> = new Array(names.length);
  const production: Array<RunningVersion | undefined> = new Array(names.length);
  let e = 0;
  let maxRecorded = 0;
  const inputId = new Int32Array(candidates.length);
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!;
    inputId[i] = id.get(c.component)!;
    candidate[inputId[i]!] = c;
    e += c.dependsOn.length;
  }
  for (const [name, running] of productionVersions) {
    production[id.get(name)!] = running;
    maxRecorded += running.dependsOn.length;
  }

  // Edges in the order of their sources' names, so every list built from them is in name order.
  const ownSource = new Int32Array(e);
  const ownTarget = new Int32Array(e);
  const ownRange = new Int32Array(e);
  const ownConstraint: Constraint[] = new Array(e);
  const unknown: Array<[number, string]> = [];
  for (let v = 0, k = 0; v < names.length; v++) {
    for (const need of candidate[v]?.dependsOn ?? []) {
      ownSource[k] = v;
      const t = id.get(need.component);
      if (t === undefined) unknown.push([k, need.component]);
      else ownTarget[k] = t;
      ownRange[k] = tests.range(need.version);
      ownConstraint[k++] = need;
    }
  }
  // Components known only as targets come last: they own no edge, so their place changes nothing.
  for (const name of [...new Set(unknown.map(([, name]) => name))].sort(byName)) {
    id.set(name, names.length);
    names.push(name);
  }
  for (const [k, name] of unknown) ownTarget[k] = id.get(name)!;
  const n = names.length;
  candidate.length = n;
  production.length = n;

  const recordedSource = new Int32Array(maxRecorded);
  const recordedTarget = new Int32Array(maxRecorded);
  const recordedRange = new Int32Array(maxRecorded);
  const recordedConstraint: Constraint[] = [];
  let r = 0;
  for (let v = 0; v < n; v++) {
    for (const need of production[v]?.dependsOn ?? []) {
      const t = id.get(need.component);
      // Only a constraint on a component that may board can ever be broken by the train.
      if (t === undefined || t === v || candidate[t] === undefined) continue;
      recordedSource[r] = v;
      recordedTarget[r] = t;
      recordedRange[r] = tests.range(need.version);
      recordedConstraint.push(need);
      r++;
    }
  }

  const candidateVersion = new Int32Array(n).fill(-1);
  const productionVersion = new Int32Array(n).fill(-1);
  for (let v = 0; v < n; v++) {
    if (candidate[v] !== undefined) candidateVersion[v] = tests.version(candidate[v]!.version);
    if (production[v] !== undefined) productionVersion[v] = tests.version(production[v]!.version);
  }
  const ownOkCandidate = new Uint8Array(e);
  const ownOkProduction = new Uint8Array(e);
  for (let k = 0; k < e; k++) {
    const t = ownTarget[k]!;
    if (candidateVersion[t]! >= 0) ownOkCandidate[k] = tests.test(ownRange[k]!, candidateVersion[t]!) ? 1 : 0;
    if (productionVersion[t]! >= 0)
      ownOkProduction[k] = tests.test(ownRange[k]!, productionVersion[t]!) ? 1 : 0;
  }
  const recordedOk = new Uint8Array(r);
  for (let k = 0; k < r; k++) {
    recordedOk[k] = tests.test(recordedRange[k]!, candidateVersion[recordedTarget[k]!]!) ? 1 : 0;
  }
  const edgeIds = (count: number) => {
    const ids = new Int32Array(count);
    for (let k = 0; k < count; k++) ids[k] = k;
    return ids;
  };

  // Same-train groups: union-find over the ties between candidates.
  const parent = edgeIds(n);
  const find = (v: number): number => {
    let root = v;
    while (parent[root]! !== root) root = parent[root]!;
    while (parent[v]! !== root) {
      const next = parent[v]!;
      parent[v] = root;
      v = next;
    }
    return root;
  };
  const tiedToMissing = new Int32Array(n).fill(-1);
  const tieFrom: number[] = [];
  const tieTo: number[] = [];
  for (let k = 0; k < e; k++) {
    if (!ownConstraint[k]!.sameTrain) continue;
    const s = ownSource[k]!;
    const t = ownTarget[k]!;
    if (s === t) continue;
    if (candidate[t] === undefined) {
      if (tiedToMissing[s] === -1) tiedToMissing[s] = t;
      continue;
    }
    tieFrom.push(s, t);
    tieTo.push(t, s);
    const a = find(s);
    const b = find(t);
    // The smaller id becomes the root, so a group's id is its first component name.
    if (a < b) parent[b] = a;
    else if (b < a) parent[a] = b;
  }
  const group = new Int32Array(n).fill(-1);
  const memberOwner: number[] = [];
  const memberId: number[] = [];
  for (let v = 0; v < n; v++) {
    if (candidate[v] === undefined) continue;
    group[v] = find(v);
    memberOwner.push(group[v]!);
    memberId.push(v);
  }
  const tiePairs = tieFrom
    .map((from, k) => [from, tieTo[k]!] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const ties = adjacency(
    n,
    tiePairs.map((p) => p[0]),
    tiePairs.map((p) => p[1]),
  );

  return {
    names,
    inputId,
    candidate,
    production,
    own: adjacency(n, ownSource, edgeIds(e)),
    ownSource,
    ownTarget,
    ownConstraint,
    ownOkCandidate,
    ownOkProduction,
    ownIn: adjacency(n, ownTarget, edgeIds(e)),
    recorded: adjacency(n, recordedSource.subarray(0, r), edgeIds(r)),
    recordedSource: recordedSource.subarray(0, r),
    recordedTarget: recordedTarget.subarray(0, r),
    recordedConstraint,
    recordedOk,
    recordedIn: adjacency(n, recordedTarget.subarray(0, r), edgeIds(r)),
    group,
    members: adjacency(n, memberOwner, memberId),
    ties,
    tiedToMissing,
    tests,
  };
}

/**
 * One run of removal and add-back over the groups marked eligible; `boards` is the result.
 */
function boardGroups(g: Graph, eligible: Uint8Array, boards: Uint8Array): void {
  const n = g.names.length;
  const { own, ownIn, recorded, recordedIn, members } = g;
  boards.fill(0);
  for (let v = 0; v < n; v++) if (g.group[v]! >= 0 && eligible[g.group[v]!]) boards[v] = 1;

  // A boarding group violates when a member's own constraint fails or a staying component's
  // recorded constraint refuses a member's candidate version.
  const violates = (group: number): boolean => {
    for (let i = members.start[group]!; i < members.start[group + 1]!; i++) {
      const m = members.items[i]!;
      for (let j = own.start[m]!; j < own.start[m + 1]!; j++) {
        const k = own.items[j]!;
        if (!(boards[g.ownTarget[k]!] ? g.ownOkCandidate[k] : g.ownOkProduction[k])) return true;
      }
      for (let j = recordedIn.start[m]!; j < recordedIn.start[m + 1]!; j++) {
        const k = recordedIn.items[j]!;
        if (!boards[g.recordedSource[k]!] && !g.recordedOk[k]) return true;
      }
    }
    return false;
  };
  const queue = new IdQueue(n);
  for (let v = 0; v < n; v++) if (g.group[v] === v && eligible[v]) queue.push(v);
  for (let group = queue.pop(); group >= 0; group = queue.pop()) {
    if (!boards[group] || !violates(group)) continue;
    for (let i = members.start[group]!; i < members.start[group + 1]!; i++) boards[members.items[i]!] = 0;
    for (let i = members.start[group]!; i < members.start[group + 1]!; i++) {
      const m = members.items[i]!;
      // Constraints on m now meet its production version…
      for (let j = ownIn.start[m]!; j < ownIn.start[m + 1]!; j++) {
        const k = ownIn.items[j]!;
        const s = g.ownSource[k]!;
        if (boards[s] && !g.ownOkProduction[k]) queue.push(g.group[s]!);
      }
      // …and m stays, so its recorded constraints apply to the components that board.
      for (let j = recorded.start[m]!; j < recorded.start[m + 1]!; j++) {
        const k = recorded.items[j]!;
        const t = g.recordedTarget[k]!;
        if (boards[t] && !g.recordedOk[k]) queue.push(g.group[t]!);
      }
    }
  }

  // Add-back: only a group next to a change can have become addable, so only those are queued
  // again; the queue hands out the smallest first component name.
  const inGroup = new Int32Array(n).fill(-1);
  const addable = (group: number): boolean => {
    for (let i = members.start[group]!; i < members.start[group + 1]!; i++)
      inGroup[members.items[i]!] = group;
    for (let i = members.start[group]!; i < members.start[group + 1]!; i++) {
      const m = members.items[i]!;
      for (let j = own.start[m]!; j < own.start[m + 1]!; j++) {
        const k = own.items[j]!;
        const t = g.ownTarget[k]!;
        if (!(boards[t] || inGroup[t] === group ? g.ownOkCandidate[k] : g.ownOkProduction[k])) return false;
      }
      for (let j = recordedIn.start[m]!; j < recordedIn.start[m + 1]!; j++) {
        const k = recordedIn.items[j]!;
        const s = g.recordedSource[k]!;
        if (!boards[s] && inGroup[s] !== group && !g.recordedOk[k]) return false;
      }
      for (let j = ownIn.start[m]!; j < ownIn.start[m + 1]!; j++) {
        const k = ownIn.items[j]!;
        if (boards[g.ownSource[k]!] && !g.ownOkCandidate[k]) return false;
      }
    }
    return true;
  };
  const requeue = (v: number) => {
    const group = g.group[v]!;
    if (group >= 0 && eligible[group] && !boards[v]) queue.push(group);
  };
  for (let v = 0; v < n; v++) if (g.group[v] === v && eligible[v] && !boards[v]) queue.push(v);
  for (let group = queue.pop(); group >= 0; group = queue.pop()) {
    if (boards[group] || !addable(group)) continue;
    for (let i = members.start[group]!; i < members.start[group + 1]!; i++) boards[members.items[i]!] = 1;
    for (let i = members.start[group]!; i < members.start[group + 1]!; i++) {
      const m = members.items[i]!;
      for (let j = ownIn.start[m]!; j < ownIn.start[m + 1]!; j++) requeue(g.ownSource[ownIn.items[j]!]!);
      for (let j = own.start[m]!; j < own.start[m + 1]!; j++) requeue(g.ownTarget[own.items[j]!]!);
      for (let j = recorded.start[m]!; j < recorded.start[m + 1]!; j++)
        requeue(g.recordedTarget[recorded.items[j]!]!);
    }
  }
}

/**
 * Members of the cycles among the boarding candidates' constraints whose target boards (Tarjan's
 * strongly connected components, iteratively), each with its shortest cycle: "a -> b -> a".
 */
function findCycles(g: Graph, boards: Uint8Array): Map<number, string> {
  const n = g.names.length;
  const { own } = g;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const component = new Int32Array(n).fill(-1);
  const next = new Int32Array(n);
  const stack: number[] = [];
  const calls: number[] = [];
  const cyclic: number[][] = [];
  let counter = 0;
  const open = (v: number) => {
    index[v] = low[v] = counter++;
    next[v] = own.start[v]!;
    stack.push(v);
    onStack[v] = 1;
    calls.push(v);
  };
  for (let root = 0; root < n; root++) {
    if (!boards[root] || index[root]! >= 0) continue;
    open(root);
    while (calls.length > 0) {
      const v = calls[calls.length - 1]!;
      if (next[v]! < own.start[v + 1]!) {
        const w = g.ownTarget[own.items[next[v]!++]!]!;
        if (!boards[w] || w === v) continue;
        if (index[w] === -1) open(w);
        else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
        continue;
      }
      calls.pop();
      if (calls.length > 0) {
        const u = calls[calls.length - 1]!;
        low[u] = Math.min(low[u]!, low[v]!);
      }
      if (low[v] !== index[v]) continue;
      const scc: number[] = [];
      for (;;) {
        const w = stack.pop()!;
        onStack[w] = 0;
        scc.push(w);
        if (w === v) break;
      }
      if (scc.length > 1) {
        for (const w of scc) component[w] = cyclic.length;
        cyclic.push(scc.sort((a, b) => a - b));
      }
    }
  }
  const cycles = new Map<number, string>();
  const from = new Int32Array(n).fill(-1);
  for (const scc of cyclic) {
    for (const start of scc) {
      // Breadth first inside the component: the shortest way back to `start`.
      for (const w of scc) from[w] = -1;
      const queue = [start];
      let last = -1;
      for (let head = 0; head < queue.length && last < 0; head++) {
        const v = queue[head]!;
        for (let j = own.start[v]!; j < own.start[v + 1]!; j++) {
          const w = g.ownTarget[own.items[j]!]!;
          if (w === v || !boards[w] || component[w] !== component[start]) continue;
          if (w === start) {
            last = v;
            break;
          }
          if (from[w] === -1) {
            from[w] = v;
            queue.push(w);
          }
        }
      }
      const path = [start];
      for (let v = last; v !== start; v = from[v]!) path.push(v);
      path.push(start);
      const names = [path[0]!, ...path.slice(1, -1).reverse(), start].map((v) => g.names[v]!);
      cycles.set(start, `dependency cycle: ${names.join(" -> ")}`);
    }
  }
  return cycles;
}

/**
 * Each held candidate's own sentence and the held component it points at (-1: none). Sentences
 * are judged as if the candidate's group boarded on top of the final set. The first cause found,
 * in this order: not ready or in a cycle; tied to a component without candidate; an own
 * constraint nothing on the train satisfies (in `dependsOn` order); a recorded constraint of a
 * component without candidate refusing it; an own constraint only a held candidate satisfies
 * (pointing at it); a recorded constraint of a held component (pointing at it); a boarding
 * component's constraint refusing it; otherwise the group holds it, pointing along the ties
 * towards a member with a cause. Edges are read in name order of their other end.
 */
function explain(
  g: Graph,
  boards: Uint8Array,
  blocked: Array<string | null>,
): { sentence: Array<string | undefined>; pointer: Int32Array } {
  const n = g.names.length;
  const { own, ownIn, recordedIn, members, ties } = g;
  const sentence: Array<string | undefined> = new Array(n);
  const pointer = new Int32Array(n).fill(-1);
  const inGroup = new Int32Array(n).fill(-1);
  const name = (v: number) => g.names[v]!;
  const staying = (head: string, k: number) => {
    const s = g.recordedSource[k]!;
    const target = name(g.recordedTarget[k]!);
    return `${head}: ${name(s)} ${g.production[s]!.version} stays in production and needs ${target} ${g.recordedConstraint[k]!.version}`;
  };
  const cause = (m: number, group: number): string | undefined => {
    const c = g.candidate[m]!;
    const head = `${c.component} ${c.version} held`;
    const why = blocked[m];
    if (why !== null && why !== undefined) return `${head}: ${why || "not ready"}`;
    if (g.tiedToMissing[m]! >= 0) {
      const t = name(g.tiedToMissing[m]!);
      return `${head}: must ship with ${t} on the same train; ${t} has no new version on this train`;
    }
    // A cause no other candidate's boarding would fix comes before one that points at a held
    // component, so a chain ends at a root cause whenever there is one.
    let heldDependency = -1;
    for (let j = own.start[m]!; j < own.start[m + 1]!; j++) {
      const k = own.items[j]!;
      const t = g.ownTarget[k]!;
      const onTrain = boards[t] || inGroup[t] === group;
      if (onTrain ? g.ownOkCandidate[k] : g.ownOkProduction[k]) continue;
      const need = `${head}: needs ${name(t)} ${g.ownConstraint[k]!.version}`;
      if (onTrain) return `${need}, but ${name(t)} ${g.candidate[t]!.version} boards`;
      if (g.candidate[t] !== undefined && g.ownOkCandidate[k]) {
        if (heldDependency < 0) heldDependency = k;
        continue;
      }
      const running = g.production[t];
      if (running === undefined) return `${need}, ${name(t)} has never been released and did not board`;
      // The table's sentence is written for lower bounds; an upper bound is missed by being newer.
      const which = g.tests.above(g.ownConstraint[k]!.version, running.version) ? "older" : "newer";
      return `${need}, production runs ${name(t)} ${running.version} and no ${which} ${name(t)} boarded`;
    }
    let heldStaying = -1;
    for (let j = recordedIn.start[m]!; j < recordedIn.start[m + 1]!; j++) {
      const k = recordedIn.items[j]!;
      const s = g.recordedSource[k]!;
      if (boards[s] || inGroup[s] === group || g.recordedOk[k]) continue;
      if (g.candidate[s] === undefined) return staying(head, k);
      if (heldStaying < 0) heldStaying = k;
    }
    if (heldDependency >= 0) {
      const t = g.ownTarget[heldDependency]!;
      pointer[m] = t;
      return `${head}: needs ${name(t)} ${g.ownConstraint[heldDependency]!.version}`;
    }
    if (heldStaying >= 0) {
      pointer[m] = g.recordedSource[heldStaying]!;
      return staying(head, heldStaying);
    }
    // Last: a boarding component refusing it boards only because this one was held meanwhile.
    for (let j = ownIn.start[m]!; j < ownIn.start[m + 1]!; j++) {
      const k = ownIn.items[j]!;
      const s = g.ownSource[k]!;
      if (!boards[s] || g.ownOkCandidate[k]) continue;
      const range = g.ownConstraint[k]!.version;
      return `${head}: ${name(s)} ${g.candidate[s]!.version} boards and needs ${c.component} ${range}`;
    }
    return undefined;
  };
  for (let group = 0; group < n; group++) {
    if (g.group[group] !== group || boards[group]) continue;
    const first = members.start[group]!;
    const end = members.start[group + 1]!;
    for (let i = first; i < end; i++) inGroup[members.items[i]!] = group;
    const queue: number[] = [];
    for (let i = first; i < end; i++) {
      const m = members.items[i]!;
      sentence[m] = cause(m, group);
      if (sentence[m] !== undefined) queue.push(m);
    }
    // Breadth first along the ties from the members with a cause: each other member points at
    // its neighbour one step closer to a cause.
    for (let head = 0; head < queue.length; head++) {
      const v = queue[head]!;
      for (let j = ties.start[v]!; j < ties.start[v + 1]!; j++) {
        const w = ties.items[j]!;
        if (sentence[w] !== undefined) continue;
        const c = g.candidate[w]!;
        sentence[w] = `${c.component} ${c.version} held: must ship with ${name(v)} on the same train`;
        pointer[w] = v;
        queue.push(w);
      }
    }
    for (let i = first; i < end; i++) {
      const m = members.items[i]!;
      // Unreachable when the add-back ran to its end; kept so a reason is never missing.
      if (sentence[m] === undefined) {
        const c = g.candidate[m]!;
        sentence[m] = `${c.component} ${c.version} held: it cannot board with the rest of the train`;
      }
    }
  }
  return { sentence, pointer };
}

/**
 * Resolves who boards: see the module comment and `docs/design/boarding.md`. Not-ready candidates
 * are always held. The result does not depend on the order of `candidates`.
 *
 * @param candidates one per component (the latest artifact of each)
 * @param production per component, the version running in production with its recorded
 *   constraints (absent: never released)
 * @throws {Error} when two candidates name the same component
 */
export function resolveBoarding(
  candidates: readonly BoardingCandidate[],
  production: ReadonlyMap<string, RunningVersion>,
): BoardingPlan {
  const g = buildGraph(candidates, production);
  const n = g.names.length;
  const blocked: Array<string | null> = Array.from(g.candidate, (c) => c?.notReady ?? null);
  const boards = new Uint8Array(n);
  const eligible = new Uint8Array(n);
  for (;;) {
    eligible.fill(0);
    for (let v = 0; v < n; v++) if (g.group[v] === v) eligible[v] = 1;
    for (let v = 0; v < n; v++) {
      if (g.group[v]! >= 0 && (blocked[v] !== null || g.tiedToMissing[v]! >= 0)) eligible[g.group[v]!] = 0;
    }
    boardGroups(g, eligible, boards);
    const cycles = findCycles(g, boards);
    if (cycles.size === 0) break;
    for (const [v, text] of cycles) blocked[v] = text;
  }

  const { sentence, pointer } = explain(g, boards, blocked);
  const visited = new Int32Array(n).fill(-1);
  const boarded: BoardingCandidate[] = [];
  const held: HeldCandidate[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!;
    const v = g.inputId[i]!;
    if (boards[v]) {
      boarded.push(c);
      continue;
    }
    const reasons: string[] = [];
    for (let w = v; w >= 0 && visited[w] !== v; w = pointer[w]!) {
      visited[w] = v;
      reasons.push(sentence[w]!);
    }
    // Object.assign copies like a spread, several times faster on V8 here.
    held.push(Object.assign({}, c, { reasons, reason: reasons.join("; ") }));
  }
  return { boarded, held };
}
