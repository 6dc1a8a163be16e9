import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BoardingCandidate, resolveBoarding, satisfies } from "./boarding.js";

const candidate = (
  component: string,
  version: string,
  deps: Record<string, string> = {},
): BoardingCandidate => ({
  component,
  version,
  artifactId: `art_${component}`,
  dependsOn: Object.entries(deps).map(([c, v]) => ({ component: c, version: v })),
});

describe("resolveBoarding", () => {
  it("boards everyone when constraints hold against candidates or production", () => {
    const { boarded, held } = resolveBoarding(
      [
        candidate("api", "2.0.0", { db: ">=42.0.0" }),
        candidate("db", "42.0.0"),
        candidate("web", "1.1.0", { api: "^1 || ^2" }),
      ],
      new Map([["db", "41.0.0"]]),
    );
    expect(boarded.map((b) => b.component)).toEqual(["api", "db", "web"]);
    expect(held).toEqual([]);
  });

  it("holds exactly the components whose needs are not met, transitively, with a reason chain", () => {
    const { boarded, held } = resolveBoarding(
      [
        candidate("api", "2.0.0", { db: ">=42.0.0" }),
        candidate("web", "3.0.0", { api: ">=2.0.0" }),
        candidate("cdn", "1.0.1"),
      ],
      new Map([
        ["db", "41.0.0"],
        ["api", "1.9.0"],
      ]),
    );
    expect(boarded.map((b) => b.component)).toEqual(["cdn"]);
    expect(held.map((h) => [h.component, h.reason])).toEqual([
      ["api", "api 2.0.0 held: needs db >=42.0.0, production runs 41.0.0"],
      [
        "web",
        "web 3.0.0 held: needs api >=2.0.0, production runs 1.9.0; api 2.0.0 held: needs db >=42.0.0, production runs 41.0.0",
      ],
    ]);
  });

  it("names a dependency that was never released", () => {
    const { held } = resolveBoarding([candidate("api", "1.0.0", { db: ">=1.0.0" })], new Map());
    expect(held[0]?.reason).toBe(
      "api 1.0.0 held: needs db >=1.0.0; db has never been released and did not board",
    );
  });

  it("treats pre-releases as versions", () => {
    expect(satisfies("2.0.0-rc.1", ">=2.0.0-rc.0")).toBe(true);
    expect(satisfies("1.2.3", ">=1.2.0 <2.0.0")).toBe(true);
    expect(satisfies("2.0.0", ">=1.2.0 <2.0.0")).toBe(false);
  });

  it("with lower bounds only, boards a consistent set that no held component could join alone", () => {
    const versions = fc.integer({ min: 1, max: 5 });
    const names = ["a", "b", "c", "d", "e"];
    const arb = fc.record({
      candidates: fc.subarray(names, { minLength: 1 }).chain((present) =>
        fc.tuple(
          ...present.map((name) =>
            fc
              .record({
                version: versions,
                deps: fc.dictionary(fc.constantFrom(...names.filter((n) => n !== name)), versions, {
                  maxKeys: 3,
                }),
              })
              .map(({ version, deps }) =>
                candidate(
                  name,
                  `${version}.0.0`,
                  Object.fromEntries(Object.entries(deps).map(([d, v]) => [d, `>=${v}.0.0`])),
                ),
              ),
          ),
        ),
      ),
      production: fc.dictionary(fc.constantFrom(...names), versions, { maxKeys: 5 }),
    });
    fc.assert(
      fc.property(arb, ({ candidates, production }) => {
        const prod = new Map(Object.entries(production).map(([k, v]) => [k, `${v}.0.0`]));
        const { boarded, held } = resolveBoarding(candidates, prod);
        const running = (set: BoardingCandidate[], c: string) =>
          set.find((b) => b.component === c)?.version ?? prod.get(c);
        const consistent = (set: BoardingCandidate[]) =>
          set.every((b) =>
            b.dependsOn.every((d) => {
              const v = running(set, d.component);
              return v !== undefined && satisfies(v, d.version);
            }),
          );
        expect(consistent(boarded)).toBe(true);
        for (const h of held) expect(consistent([...boarded, h])).toBe(false);
        expect(boarded.length + held.length).toBe(candidates.length);
      }),
      { numRuns: 300 },
    );
  });
});
