import fc from "fast-check";
import semver from "semver";
import { describe, expect, it } from "vitest";
import {
  type BoardingCandidate,
  type BoardingPlan,
  type Constraint,
  type RunningVersion,
  resolveBoarding,
  satisfies,
} from "./boarding.js";

type Needs = Record<string, string> | Constraint[];

const constraints = (needs: Needs): Constraint[] =>
  Array.isArray(needs)
    ? needs
    : Object.entries(needs).map(([component, version]) => ({ component, version }));

const candidate = (
  component: string,
  version: string,
  needs: Needs = {},
  notReady: string | null = null,
): BoardingCandidate => ({
  component,
  version,
  artifactId: `art_${component}`,
  dependsOn: constraints(needs),
  notReady,
});

const running = (component: string, version: string, needs: Needs = {}): RunningVersion => ({
  component,
  version,
  dependsOn: constraints(needs),
});

const production = (...versions: RunningVersion[]) => new Map(versions.map((r) => [r.component, r]));

const reasonsOf = (plan: BoardingPlan) => Object.fromEntries(plan.held.map((h) => [h.component, h.reasons]));
const boardedNames = (plan: BoardingPlan) => plan.boarded.map((b) => b.component);

describe("resolveBoarding: reasons", () => {
  it("explains the issue's example: api waits for a db whose CI failed", () => {
    const plan = resolveBoarding(
      [
        candidate("api", "2.0.0", { db: ">=42.0.0" }),
        candidate("db", "42.0.0", {}, "CI failed on commit abc1234"),
        candidate("web", "1.1.0", { api: ">=1.0.0" }),
      ],
      production(running("db", "41.0.0"), running("api", "1.9.0")),
    );
    expect(boardedNames(plan)).toEqual(["web"]);
    const api = plan.held.find((h) => h.component === "api")!;
    expect(api.reason).toBe("api 2.0.0 held: needs db >=42.0.0; db 42.0.0 held: CI failed on commit abc1234");
    expect(api.reasons).toEqual([
      "api 2.0.0 held: needs db >=42.0.0",
      "db 42.0.0 held: CI failed on commit abc1234",
    ]);
    expect(api.artifactId).toBe("art_api");
    expect(reasonsOf(plan).db).toEqual(["db 42.0.0 held: CI failed on commit abc1234"]);
  });

  it("follows a chain of held components depth first", () => {
    const plan = resolveBoarding(
      [
        candidate("web", "3.0.0", { api: ">=2.0.0" }),
        candidate("api", "2.0.0", { db: ">=42.0.0" }),
        candidate("db", "42.0.0", {}, "CI failed on commit abc1234"),
        candidate("cdn", "1.0.1"),
      ],
      production(running("db", "41.0.0"), running("api", "1.9.0")),
    );
    expect(boardedNames(plan)).toEqual(["cdn"]);
    expect(plan.held.map((h) => h.component)).toEqual(["web", "api", "db"]);
    expect(plan.held[0]!.reason).toBe(
      "web 3.0.0 held: needs api >=2.0.0; api 2.0.0 held: needs db >=42.0.0; db 42.0.0 held: CI failed on commit abc1234",
    );
  });

  it("says production has nothing to offer when no version in range boards", () => {
    const plan = resolveBoarding(
      [candidate("api", "2.0.0", { db: ">=42.0.0" })],
      production(running("db", "41.0.0")),
    );
    expect(reasonsOf(plan).api).toEqual([
      "api 2.0.0 held: needs db >=42.0.0, production runs db 41.0.0 and no newer db boarded",
    ]);
  });

  it("says production is too new when an upper bound excludes it", () => {
    const plan = resolveBoarding(
      [candidate("api", "2.0.0", { db: "<3.0.0" })],
      production(running("db", "3.1.0")),
    );
    expect(reasonsOf(plan).api).toEqual([
      "api 2.0.0 held: needs db <3.0.0, production runs db 3.1.0 and no older db boarded",
    ]);
  });

  it("names a dependency that was never released", () => {
    const plan = resolveBoarding([candidate("api", "1.0.0", { db: ">=1.0.0" })], new Map());
    expect(reasonsOf(plan).api).toEqual([
      "api 1.0.0 held: needs db >=1.0.0, db has never been released and did not board",
    ]);
  });

  it("holds the owner when the boarding version of its dependency is out of range", () => {
    const plan = resolveBoarding(
      [candidate("api", "2.0.0", { db: "<2.0.0" }), candidate("db", "2.1.0")],
      production(running("db", "1.9.0")),
    );
    expect(boardedNames(plan)).toEqual(["db"]);
    expect(reasonsOf(plan).api).toEqual(["api 2.0.0 held: needs db <2.0.0, but db 2.1.0 boards"]);
  });

  it("holds a version that would break a component staying in production", () => {
    const plan = resolveBoarding(
      [candidate("db", "3.0.0")],
      production(running("db", "2.4.0"), running("web", "1.4.0", { db: "<3.0.0" })),
    );
    expect(boardedNames(plan)).toEqual([]);
    expect(reasonsOf(plan).db).toEqual(["db 3.0.0 held: web 1.4.0 stays in production and needs db <3.0.0"]);
  });

  it("follows the staying component's own chain when its new version is held", () => {
    const plan = resolveBoarding(
      [candidate("db", "3.0.0"), candidate("web", "1.5.0", { db: ">=3.0.0" }, "CI failed on commit 1234567")],
      production(running("db", "2.4.0"), running("web", "1.4.0", { db: "<3.0.0" })),
    );
    expect(reasonsOf(plan).db).toEqual([
      "db 3.0.0 held: web 1.4.0 stays in production and needs db <3.0.0",
      "web 1.5.0 held: CI failed on commit 1234567",
    ]);
  });

  it("forgets a recorded constraint when its owner boards a new version", () => {
    const plan = resolveBoarding(
      [candidate("db", "3.0.0"), candidate("web", "1.5.0", { db: ">=3.0.0" })],
      production(running("db", "2.4.0"), running("web", "1.4.0", { db: "<3.0.0" })),
    );
    expect(boardedNames(plan)).toEqual(["db", "web"]);
    expect(plan.held).toEqual([]);
  });

  it("holds nobody for a constraint between two components that both stay", () => {
    const plan = resolveBoarding(
      [candidate("cdn", "1.0.0")],
      production(running("web", "1.4.0", { db: ">=5.0.0" }), running("db", "1.0.0")),
    );
    expect(boardedNames(plan)).toEqual(["cdn"]);
  });

  it("holds a same-train partner with the chain of the member that cannot go", () => {
    const plan = resolveBoarding(
      [
        candidate("api", "2.0.0", [{ component: "db", version: ">=42.0.0", sameTrain: true }]),
        candidate("db", "42.0.0", {}, "CI failed on commit abc1234"),
      ],
      production(running("db", "41.0.0")),
    );
    expect(reasonsOf(plan).api).toEqual([
      "api 2.0.0 held: must ship with db on the same train",
      "db 42.0.0 held: CI failed on commit abc1234",
    ]);
  });

  it("holds the tied component too, in either direction, pointing along the ties", () => {
    // web -> api -> db tied; db's own constraint fails; cdn is tied to nobody.
    const plan = resolveBoarding(
      [
        candidate("web", "5.0.0", [{ component: "api", version: ">=2.0.0", sameTrain: true }]),
        candidate("api", "2.0.0", [{ component: "db", version: ">=42.0.0", sameTrain: true }]),
        candidate("db", "42.0.0", { queue: ">=9.0.0" }),
        candidate("cdn", "1.0.0"),
      ],
      production(running("queue", "8.0.0")),
    );
    expect(boardedNames(plan)).toEqual(["cdn"]);
    expect(reasonsOf(plan)).toEqual({
      web: [
        "web 5.0.0 held: must ship with api on the same train",
        "api 2.0.0 held: must ship with db on the same train",
        "db 42.0.0 held: needs queue >=9.0.0, production runs queue 8.0.0 and no newer queue boarded",
      ],
      api: [
        "api 2.0.0 held: must ship with db on the same train",
        "db 42.0.0 held: needs queue >=9.0.0, production runs queue 8.0.0 and no newer queue boarded",
      ],
      db: ["db 42.0.0 held: needs queue >=9.0.0, production runs queue 8.0.0 and no newer queue boarded"],
    });
  });

  it("holds a component tied to one without a new version on the train", () => {
    const plan = resolveBoarding(
      [candidate("api", "2.0.0", [{ component: "db", version: ">=1.0.0", sameTrain: true }])],
      production(running("db", "1.0.0")),
    );
    expect(reasonsOf(plan).api).toEqual([
      "api 2.0.0 held: must ship with db on the same train; db has no new version on this train",
    ]);
    expect(plan.held[0]!.reason).toBe(
      "api 2.0.0 held: must ship with db on the same train; db has no new version on this train",
    );
  });

  it("holds the members of a dependency cycle and resolves the rest again", () => {
    const plan = resolveBoarding(
      [
        candidate("api", "2.0.0", { db: ">=1.0.0" }),
        candidate("db", "2.0.0", { api: ">=1.0.0" }),
        candidate("web", "1.1.0", { api: ">=2.0.0" }),
        candidate("cdn", "1.0.0", { api: ">=1.0.0" }),
      ],
      production(running("api", "1.0.0"), running("db", "1.0.0")),
    );
    expect(boardedNames(plan)).toEqual(["cdn"]);
    expect(reasonsOf(plan)).toEqual({
      api: ["api 2.0.0 held: dependency cycle: api -> db -> api"],
      db: ["db 2.0.0 held: dependency cycle: db -> api -> db"],
      web: ["web 1.1.0 held: needs api >=2.0.0", "api 2.0.0 held: dependency cycle: api -> db -> api"],
    });
  });

  it("names each member's own shortest cycle", () => {
    const plan = resolveBoarding(
      [
        candidate("a", "1.0.0", { b: "*" }),
        candidate("b", "1.0.0", { c: "*", a: "*" }),
        candidate("c", "1.0.0", { a: "*" }),
      ],
      new Map(),
    );
    expect(reasonsOf(plan)).toEqual({
      a: ["a 1.0.0 held: dependency cycle: a -> b -> a"],
      b: ["b 1.0.0 held: dependency cycle: b -> a -> b"],
      c: ["c 1.0.0 held: dependency cycle: c -> a -> b -> c"],
    });
  });

  it("removes the smallest violator first, and a held version a boarding one refuses says so", () => {
    // db and web both violate at first; db goes first (smallest name), which satisfies web. x
    // follows y out, which would satisfy db, but web now boards on production's db 2.0.0.
    const plan = resolveBoarding(
      [
        candidate("web", "1.0.0", { db: "<3.0.0" }),
        candidate("db", "3.0.0", { x: "<2.0.0" }),
        candidate("x", "2.0.0", { y: ">=2.0.0" }),
        candidate("y", "2.0.0", {}, "CI failed on commit 89abcde"),
      ],
      production(running("db", "2.0.0"), running("x", "1.0.0"), running("y", "1.0.0")),
    );
    expect(boardedNames(plan)).toEqual(["web"]);
    expect(reasonsOf(plan)).toEqual({
      db: ["db 3.0.0 held: web 1.0.0 boards and needs db <3.0.0"],
      x: ["x 2.0.0 held: needs y >=2.0.0", "y 2.0.0 held: CI failed on commit 89abcde"],
      y: ["y 2.0.0 held: CI failed on commit 89abcde"],
    });
  });

  it("adds back a candidate a later removal made room for", () => {
    // api goes first (db 3.0.0 boards at that moment); then db leaves too, so api can board.
    const plan = resolveBoarding(
      [
        candidate("api", "2.0.0", { db: "<3.0.0" }),
        candidate("db", "3.0.0", { queue: ">=5.0.0" }),
        candidate("queue", "5.0.0", {}, "CI failed on commit 1111111"),
      ],
      production(running("db", "2.0.0"), running("queue", "4.0.0")),
    );
    expect(boardedNames(plan)).toEqual(["api"]);
    expect(reasonsOf(plan).db).toEqual([
      "db 3.0.0 held: needs queue >=5.0.0",
      "queue 5.0.0 held: CI failed on commit 1111111",
    ]);
  });

  it("prefers a cause the train cannot fix over a held dependency", () => {
    const plan = resolveBoarding(
      [candidate("a", "2.0.0", { b: ">=2.0.0", q: ">=5.0.0" }), candidate("b", "2.0.0", { a: ">=2.0.0" })],
      production(running("a", "1.0.0"), running("b", "1.0.0"), running("q", "4.0.0")),
    );
    expect(reasonsOf(plan)).toEqual({
      a: ["a 2.0.0 held: needs q >=5.0.0, production runs q 4.0.0 and no newer q boarded"],
      b: [
        "b 2.0.0 held: needs a >=2.0.0",
        "a 2.0.0 held: needs q >=5.0.0, production runs q 4.0.0 and no newer q boarded",
      ],
    });
  });

  it("lists each held component once when the chain loops", () => {
    // a and b each need the other's new version. a leaves first (x 2.0.0 boards at that moment),
    // b follows; x leaves after them, but neither a nor b can come back alone.
    const plan = resolveBoarding(
      [
        candidate("a", "2.0.0", { b: ">=2.0.0", x: "<2.0.0" }),
        candidate("b", "2.0.0", { a: ">=2.0.0" }),
        candidate("x", "2.0.0", { y: ">=2.0.0" }),
        candidate("y", "2.0.0", {}, "not ready"),
      ],
      production(running("a", "1.0.0"), running("b", "1.0.0"), running("x", "1.0.0"), running("y", "1.0.0")),
    );
    expect(boardedNames(plan)).toEqual([]);
    expect(reasonsOf(plan)).toEqual({
      a: ["a 2.0.0 held: needs b >=2.0.0", "b 2.0.0 held: needs a >=2.0.0"],
      b: ["b 2.0.0 held: needs a >=2.0.0", "a 2.0.0 held: needs b >=2.0.0"],
      x: ["x 2.0.0 held: needs y >=2.0.0", "y 2.0.0 held: not ready"],
      y: ["y 2.0.0 held: not ready"],
    });
  });

  it("refuses two candidates for one component", () => {
    expect(() => resolveBoarding([candidate("api", "1.0.0"), candidate("api", "1.1.0")], new Map())).toThrow(
      /two candidates for component "api"/,
    );
  });

  it("treats pre-releases as versions", () => {
    expect(satisfies("2.0.0-rc.1", ">=2.0.0-rc.0")).toBe(true);
    expect(satisfies("2.1.0-rc.1", ">=2.0.0")).toBe(true);
    expect(satisfies("1.2.3", ">=1.2.0 <2.0.0")).toBe(true);
    expect(satisfies("2.0.0", ">=1.2.0 <2.0.0")).toBe(false);
    expect(satisfies("1.0.0", "not a range")).toBe(false);
    const plan = resolveBoarding(
      [candidate("api", "2.0.0", { db: ">=2.0.0" }), candidate("db", "2.1.0-rc.1")],
      new Map(),
    );
    expect(boardedNames(plan)).toEqual(["api", "db"]);
  });
});

describe("satisfies", () => {
  it("agrees with semver (pre-releases included) on plain comparators and everything else", () => {
    const part = fc.constantFrom("0", "1", "2", "10");
    const plain = fc.tuple(part, part, part).map((p) => p.join("."));
    const version = fc.oneof(
      plain,
      fc.tuple(plain, fc.constantFrom("-0", "-rc.1", "-alpha", "+build.5")).map(([v, tail]) => v + tail),
      fc.constantFrom("v1.2.3", "1.2", "01.2.3", "x", ""),
    );
    const comparator = fc
      .tuple(fc.constantFrom("", "=", ">=", "<=", ">", "<", "^", "~"), fc.oneof(plain, version))
      .map(([op, v]) => op + v);
    const range = fc.oneof(
      comparator,
      fc.tuple(comparator, comparator).map(([a, b]) => `${a} ${b}`),
      fc.tuple(comparator, comparator).map(([a, b]) => `${a} || ${b}`),
      fc.tuple(plain, plain).map(([a, b]) => `${a} - ${b}`),
      fc.constantFrom("*", "", "1.x", ">= 1.0.0", "  >=1.0.0  <2.0.0 ", "latest"),
    );
    fc.assert(
      fc.property(version, range, (v, r) => {
        const coerced = semver.valid(v) ?? semver.coerce(v, { includePrerelease: true })?.version;
        let expected = false;
        try {
          expected = coerced !== undefined && semver.satisfies(coerced, r, { includePrerelease: true });
        } catch {
          expected = false;
        }
        expect(satisfies(v, r)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });
});

// --- properties over random trains --------------------------------------------------------------

const NAMES = ["a", "b", "c", "d", "e", "f", "g"];

interface Shape {
  /** Ranges with upper bounds too (else only `>=k.0.0`). */
  upper: boolean;
  ties: boolean;
  /** Recorded production constraints. */
  recorded: boolean;
  /** Constraints only on components with a smaller name, and new versions never below production. */
  monotone: boolean;
}

interface World {
  candidates: BoardingCandidate[];
  production: Map<string, RunningVersion>;
}

const v = (major: number) => `${major}.0.0`;

/** A generated constraint: on `NAMES[target]`. */
interface Need {
  target: number;
  version: string;
  sameTrain: boolean;
}

function rangeArb(upper: boolean): fc.Arbitrary<string> {
  const k = fc.integer({ min: 1, max: 5 });
  if (!upper) return k.map((n) => `>=${v(n)}`);
  return fc.oneof(
    k.map((n) => `>=${v(n)}`),
    k.map((n) => `<${v(n)}`),
    fc.tuple(k, k).map(([a, b]) => `>=${v(Math.min(a, b))} <${v(Math.max(a, b) + 1)}`),
    k.map((n) => `^${v(n)}`),
    k.map((n) => `${n}.x || ${n + 2}.x`),
  );
}

function worldArb(shape: Shape): fc.Arbitrary<World> {
  const needs = (max: number, ties: boolean): fc.Arbitrary<Need[]> =>
    fc.array(
      fc.record({
        target: fc.integer({ min: 0, max: NAMES.length - 1 }),
        version: rangeArb(shape.upper),
        sameTrain: ties ? fc.integer({ min: 0, max: 4 }).map((n) => n === 0) : fc.constant(false),
      }),
      { maxLength: max },
    );
  const entry = fc.record({
    hasCandidate: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
    version: fc.integer({ min: 1, max: 5 }),
    notReady: fc.integer({ min: 0, max: 5 }).map((n) => (n === 0 ? "CI failed" : null)),
    needs: needs(3, shape.ties),
    hasProduction: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
    productionVersion: fc.integer({ min: 1, max: 5 }),
    recordedNeeds: shape.recorded ? needs(2, false) : fc.constant<Need[]>([]),
  });
  return fc.array(entry, { minLength: NAMES.length, maxLength: NAMES.length }).map((entries) => {
    const candidates: BoardingCandidate[] = [];
    const prod = new Map<string, RunningVersion>();
    const toConstraints = (i: number, list: Need[]) =>
      list
        .filter((n) => !shape.monotone || n.target < i)
        .map((n) => ({
          component: NAMES[n.target]!,
          version: n.version,
          ...(n.sameTrain ? { sameTrain: true } : {}),
        }));
    entries.forEach((e, i) => {
      const name = NAMES[i]!;
      if (e.hasCandidate) {
        candidates.push({
          component: name,
          version: v(e.version),
          dependsOn: toConstraints(i, e.needs),
          notReady: e.notReady,
        });
      }
      if (e.hasProduction) {
        const version =
          shape.monotone && e.hasCandidate ? Math.min(e.version, e.productionVersion) : e.productionVersion;
        prod.set(name, {
          component: name,
          version: v(version),
          dependsOn: toConstraints(i, e.recordedNeeds),
        });
      }
    });
    return { candidates, production: prod };
  });
}

const test = (version: string | undefined, range: string) =>
  version !== undefined && semver.satisfies(version, range, { includePrerelease: true });

/** Every constraint that must hold after the train and does not, for a boarding set. */
function broken(world: World, boarding: ReadonlySet<string>): string[] {
  const byName = new Map(world.candidates.map((c) => [c.component, c]));
  const run = (name: string) =>
    boarding.has(name) ? byName.get(name)!.version : world.production.get(name)?.version;
  const problems: string[] = [];
  for (const name of boarding) {
    for (const need of byName.get(name)!.dependsOn) {
      if (!test(run(need.component), need.version))
        problems.push(`${name} needs ${need.component} ${need.version}`);
    }
  }
  for (const [name, prod] of world.production) {
    if (boarding.has(name)) continue;
    for (const need of prod.dependsOn) {
      if (boarding.has(need.component) && !test(run(need.component), need.version))
        problems.push(`${name} (staying) needs ${need.component} ${need.version}`);
    }
  }
  return problems;
}

/** Same-train groups, computed the slow way. */
function groupsOf(world: World): string[][] {
  const names = world.candidates.map((c) => c.component);
  const has = new Set(names);
  const groupOf = new Map(names.map((n) => [n, new Set([n])]));
  for (const c of world.candidates) {
    for (const need of c.dependsOn) {
      if (!need.sameTrain || !has.has(need.component)) continue;
      const merged = new Set([...groupOf.get(c.component)!, ...groupOf.get(need.component)!]);
      for (const m of merged) groupOf.set(m, merged);
    }
  }
  return [...new Set(groupOf.values())].map((g) => [...g].sort());
}

/** Groups that may board at all: every member ready and no tie to a component without candidate. */
function readyGroups(world: World): string[][] {
  const byName = new Map(world.candidates.map((c) => [c.component, c]));
  return groupsOf(world).filter((g) =>
    g.every((m) => {
      const c = byName.get(m)!;
      return c.notReady === null && c.dependsOn.every((n) => !n.sameTrain || byName.has(n.component));
    }),
  );
}

/** The greatest fixpoint of the removal rule, removing every violator at once each round. */
function greatestFixpoint(world: World): Set<string> {
  const byName = new Map(world.candidates.map((c) => [c.component, c]));
  const groups = readyGroups(world);
  let boarding = new Set(groups.flat());
  for (;;) {
    const run = (name: string) =>
      boarding.has(name) ? byName.get(name)!.version : world.production.get(name)?.version;
    const violates = (m: string) =>
      byName.get(m)!.dependsOn.some((n) => !test(run(n.component), n.version)) ||
      [...world.production.values()].some(
        (p) =>
          !boarding.has(p.component) &&
          p.dependsOn.some((n) => n.component === m && !test(byName.get(m)!.version, n.version)),
      );
    const out = groups.filter((g) => g.some((m) => boarding.has(m) && violates(m)));
    if (out.length === 0) return boarding;
    boarding = new Set([...boarding].filter((m) => !out.some((g) => g.includes(m))));
  }
}

const SHAPES: Array<[string, Shape]> = [
  ["lower bounds", { upper: false, ties: false, recorded: false, monotone: false }],
  ["lower bounds, ties, recorded constraints", { upper: false, ties: true, recorded: true, monotone: false }],
  ["upper bounds", { upper: true, ties: false, recorded: false, monotone: false }],
  ["upper bounds, ties, recorded constraints", { upper: true, ties: true, recorded: true, monotone: false }],
];

describe("resolveBoarding: properties", () => {
  for (const [label, shape] of SHAPES) {
    describe(label, () => {
      it("keeps every constraint that must hold after the train (a) and ties groups (e)", () => {
        fc.assert(
          fc.property(worldArb(shape), (world) => {
            const plan = resolveBoarding(world.candidates, world.production);
            const boarding = new Set(boardedNames(plan));
            expect(broken(world, boarding)).toEqual([]);
            for (const group of groupsOf(world)) {
              expect(new Set(group.map((m) => boarding.has(m))).size).toBe(1);
            }
            for (const c of world.candidates) {
              if (c.notReady !== null) expect(boarding.has(c.component)).toBe(false);
            }
            expect([...plan.boarded, ...plan.held].length).toBe(world.candidates.length);
            expect(plan.boarded).toEqual(world.candidates.filter((c) => boarding.has(c.component)));
            expect(plan.held.map((h) => h.component)).toEqual(
              world.candidates.filter((c) => !boarding.has(c.component)).map((c) => c.component),
            );
            for (const h of plan.held) {
              expect(h.reasons[0]!.startsWith(`${h.component} ${h.version} held: `)).toBe(true);
              expect(new Set(h.reasons).size).toBe(h.reasons.length);
              expect(h.reason).toBe(h.reasons.join("; "));
            }
          }),
          { numRuns: 400 },
        );
      });

      it("is maximal: no held ready group could board alone (b)", () => {
        fc.assert(
          fc.property(worldArb(shape), (world) => {
            const plan = resolveBoarding(world.candidates, world.production);
            const boarding = new Set(boardedNames(plan));
            const inCycle = new Set(
              plan.held.filter((h) => h.reasons[0]!.includes("dependency cycle")).map((h) => h.component),
            );
            for (const group of readyGroups(world)) {
              if (group.some((m) => boarding.has(m) || inCycle.has(m))) continue;
              expect(broken(world, new Set([...boarding, ...group]))).not.toEqual([]);
            }
          }),
          { numRuns: 400 },
        );
      });

      it("does not depend on the order of the candidates (d)", () => {
        const arb = worldArb(shape).chain((world) =>
          fc
            .shuffledSubarray(world.candidates, {
              minLength: world.candidates.length,
              maxLength: world.candidates.length,
            })
            .map((shuffled) => [world, shuffled] as const),
        );
        fc.assert(
          fc.property(arb, ([world, shuffled]) => {
            const a = resolveBoarding(world.candidates, world.production);
            const b = resolveBoarding(shuffled, world.production);
            expect(new Set(boardedNames(b))).toEqual(new Set(boardedNames(a)));
            expect(reasonsOf(b)).toEqual(reasonsOf(a));
            expect(boardedNames(b)).toEqual(
              shuffled.map((c) => c.component).filter((n) => boardedNames(a).includes(n)),
            );
          }),
          { numRuns: 300 },
        );
      });
    });
  }

  describe("lower bounds on older components only, new versions never older (c)", () => {
    const shapes: Array<[string, Shape]> = [
      ["plain", { upper: false, ties: false, recorded: false, monotone: true }],
      ["with ties and recorded constraints", { upper: false, ties: true, recorded: true, monotone: true }],
    ];
    for (const [label, shape] of shapes) {
      it(`equals the greatest fixpoint, ${label}`, () => {
        fc.assert(
          fc.property(worldArb(shape), (world) => {
            const plan = resolveBoarding(world.candidates, world.production);
            expect(new Set(boardedNames(plan))).toEqual(greatestFixpoint(world));
          }),
          { numRuns: 400 },
        );
      });

      it(`holding one more holds exactly what needs its new version, ${label}`, () => {
        const arb = worldArb(shape).chain((world) => fc.nat().map((pick) => [world, pick] as const));
        fc.assert(
          fc.property(arb, ([world, pick]) => {
            const before = boardedNames(resolveBoarding(world.candidates, world.production));
            fc.pre(before.length > 0);
            const x = before[pick % before.length]!;
            const byName = new Map(world.candidates.map((c) => [c.component, c]));
            // Naively: who transitively cannot do without x's new version.
            const out = new Set([x]);
            for (let grew = true; grew; ) {
              grew = false;
              for (const y of before) {
                if (out.has(y)) continue;
                const cy = byName.get(y)!;
                const tied =
                  cy.dependsOn.some((n) => n.sameTrain && out.has(n.component)) ||
                  [...out].some((h) =>
                    byName.get(h)!.dependsOn.some((n) => n.sameTrain && n.component === y),
                  );
                const needsNew = cy.dependsOn.some(
                  (n) => out.has(n.component) && !test(world.production.get(n.component)?.version, n.version),
                );
                const refused = [...out].some((h) =>
                  (world.production.get(h)?.dependsOn ?? []).some(
                    (n) => n.component === y && !test(cy.version, n.version),
                  ),
                );
                if (tied || needsNew || refused) {
                  out.add(y);
                  grew = true;
                }
              }
            }
            const held = world.candidates.map((c) =>
              c.component === x ? { ...c, notReady: "held for the test" } : c,
            );
            const after = boardedNames(resolveBoarding(held, world.production));
            expect(after).toEqual(before.filter((n) => !out.has(n)));
          }),
          { numRuns: 400 },
        );
      });
    }
  });
});
