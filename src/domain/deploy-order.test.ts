import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type DeployItem, deployGroups } from "./deploy-order.js";

const service = (component: string, ...dependsOn: string[]): DeployItem => ({ component, dependsOn });
const migration = (component: string, ...dependsOn: string[]): DeployItem => ({
  component,
  dependsOn,
  kind: "migration",
});

describe("deployGroups", () => {
  it("layers a diamond, names sorted within a layer", () => {
    expect(
      deployGroups([
        service("web", "api", "auth"),
        service("auth", "db"),
        service("api", "db"),
        service("db"),
      ]),
    ).toEqual([["db"], ["api", "auth"], ["web"]]);
  });

  it("puts a component one layer after the latest of its predecessors, across layers", () => {
    // web needs db (layer 0) and api (layer 1): layer 2. cdn needs nothing: layer 0.
    expect(
      deployGroups([service("web", "db", "api"), service("api", "db"), service("db"), service("cdn")]),
    ).toEqual([["cdn", "db"], ["api"], ["web"]]);
  });

  it("deploys migrations before every service", () => {
    expect(
      deployGroups([service("api", "db"), service("db"), service("cdn"), migration("schema", "db")]),
    ).toEqual([["db"], ["schema"], ["api", "cdn"]]);
    expect(deployGroups([service("api"), service("web"), migration("backfill")])).toEqual([
      ["backfill"],
      ["api", "web"],
    ]);
  });

  it("lets a service a migration needs, transitively, go before that migration", () => {
    expect(
      deployGroups([
        migration("schema", "api"),
        service("api", "db"),
        service("db"),
        service("web", "api"),
        migration("backfill", "schema"),
      ]),
    ).toEqual([["db"], ["api"], ["schema"], ["backfill"], ["web"]]);
  });

  it("keeps migrations after one another as their dependencies say", () => {
    expect(deployGroups([migration("m2", "m1"), migration("m1"), service("api")])).toEqual([
      ["m1"],
      ["m2"],
      ["api"],
    ]);
  });

  it("ignores dependencies outside the set and on itself", () => {
    expect(deployGroups([service("api", "db", "api"), service("web", "api", "api")])).toEqual([
      ["api"],
      ["web"],
    ]);
    expect(deployGroups([])).toEqual([]);
  });

  it("refuses a cycle, naming it from its smallest member", () => {
    expect(() =>
      deployGroups([service("db"), service("web", "api"), service("api", "queue"), service("queue", "web")]),
    ).toThrow("deploy order: dependency cycle: api -> queue -> web -> api");
    expect(() => deployGroups([migration("m", "s"), service("s", "m"), service("x")])).toThrow(
      "deploy order: dependency cycle: m -> s -> m",
    );
  });

  it("refuses a component listed twice", () => {
    expect(() => deployGroups([service("api"), service("api", "db")])).toThrow(/"api" is listed twice/);
  });

  it("orders any acyclic set: dependencies and migrations first, minimal layers, any input order", () => {
    const names = Array.from({ length: 8 }, (_, i) => `c${i}`);
    const arb = fc
      .record({
        edges: fc.array(fc.tuple(fc.nat(7), fc.nat(7)), { maxLength: 20 }),
        migrations: fc.subarray(names),
        present: fc.subarray(names, { minLength: 1 }),
      })
      .chain((world) => {
        const items: DeployItem[] = world.present.map((name) => ({
          component: name,
          // Only on a component with a smaller number: acyclic. Some targets are absent.
          dependsOn: world.edges.filter(([a, b]) => `c${a}` === name && b < a).map(([, b]) => `c${b}`),
          kind: world.migrations.includes(name) ? "migration" : "service",
        }));
        return fc
          .shuffledSubarray(items, { minLength: items.length, maxLength: items.length })
          .map((shuffled) => [items, shuffled] as const);
      });
    fc.assert(
      fc.property(arb, ([items, shuffled]) => {
        const groups = deployGroups(items);
        expect(deployGroups(shuffled)).toEqual(groups);
        const level = new Map(groups.flatMap((g, i) => g.map((c) => [c, i] as const)));
        expect([...level.keys()].sort()).toEqual(items.map((i) => i.component).sort());
        for (const g of groups) expect(g).toEqual([...g].sort());
        const byName = new Map(items.map((i) => [i.component, i]));
        const deps = (c: string) => byName.get(c)!.dependsOn.filter((d) => byName.has(d));
        const needs = (c: string, d: string): boolean => deps(c).some((x) => x === d || needs(x, d));
        const migrations = items.filter((i) => i.kind === "migration").map((i) => i.component);
        const servicesAfterAll = items
          .filter((i) => i.kind !== "migration" && !migrations.some((m) => needs(m, i.component)))
          .map((i) => i.component);
        for (const item of items) {
          const c = item.component;
          const before = [...deps(c), ...(servicesAfterAll.includes(c) ? migrations : [])];
          for (const d of before) expect(level.get(d)!).toBeLessThan(level.get(c)!);
          // Exactly one layer after the latest predecessor (or first when it has none).
          const latest = Math.max(-1, ...before.map((d) => level.get(d)!));
          expect(level.get(c)).toBe(latest + 1);
        }
      }),
      { numRuns: 500 },
    );
  });
});
