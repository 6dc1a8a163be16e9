import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dependencyOrder } from "./dependency-order.js";

describe("dependencyOrder", () => {
  it("puts dependencies first and breaks ties by name", () => {
    const deps: Record<string, string[]> = {
      web: ["api"],
      api: ["db", "auth"],
      auth: ["db"],
      db: [],
      cdn: [],
    };
    expect(dependencyOrder(["web", "api", "auth", "db", "cdn"], (c) => deps[c] ?? [])).toEqual([
      "cdn",
      "db",
      "auth",
      "api",
      "web",
    ]);
  });

  it("ignores dependencies outside the set", () => {
    expect(dependencyOrder(["web"], () => ["api"])).toEqual(["web"]);
  });

  it("never loops on a cycle that slipped past validation", () => {
    expect(dependencyOrder(["a", "b", "c"], (c) => (c === "a" ? ["b"] : c === "b" ? ["a"] : []))).toEqual([
      "c",
      "a",
      "b",
    ]);
  });

  it("orders any acyclic graph topologically and keeps every component once", () => {
    const graph = fc
      .array(fc.tuple(fc.nat(9), fc.nat(9)), { maxLength: 30 })
      .map((edges) => edges.filter(([a, b]) => a > b)); // a depends on b only when a > b: acyclic
    fc.assert(
      fc.property(graph, (edges) => {
        const names = Array.from({ length: 10 }, (_, i) => `c${i}`);
        const deps = (c: string) => edges.filter(([a]) => `c${a}` === c).map(([, b]) => `c${b}`);
        const order = dependencyOrder(names, deps);
        expect([...order].sort()).toEqual([...names].sort());
        for (const [a, b] of edges) expect(order.indexOf(`c${b}`)).toBeLessThan(order.indexOf(`c${a}`));
      }),
    );
  });
});
