import { describe, expect, test } from "vitest";
import type { ManifestItem } from "./model.js";
import { canarySteps, dependentsNeeding, deployKey, parseStepKey, targetBatches } from "./rollout.js";

const item = (
  component: string,
  version: string,
  previousVersion: string | null,
  needs: Record<string, string> = {},
): ManifestItem => ({
  trainId: "t-1",
  component,
  version,
  artifactId: `${component}@${version}`,
  previousVersion,
  dependsOn: Object.entries(needs).map(([c, range]) => ({ component: c, version: range })),
  status: "boarded",
  reason: null,
  revision: 1,
});

describe("canary steps", () => {
  test("a final full promotion is added when the last weight is below 100", () => {
    expect(canarySteps([{ setWeight: 5 }, { pause: "10m" }, { pause: {} }])).toEqual([
      { kind: "setWeight", weight: 5 },
      { kind: "pause", durationMs: 600_000 },
      { kind: "pause", durationMs: null },
      { kind: "setWeight", weight: 100 },
    ]);
  });

  test("nothing is added when the canary already ends at 100", () => {
    const steps = canarySteps([
      { setWeight: 50 },
      { setWeight: 100 },
      { approval: { team: "sre", required: 2 } },
    ]);
    expect(steps.at(-1)).toEqual({ kind: "approval", team: "sre", required: 2 });
    expect(steps.filter((s) => s.kind === "setWeight")).toHaveLength(2);
  });

  test("analyses keep their count and interval", () => {
    expect(canarySteps([{ analysis: { gate: "judge", count: 3, interval: "5m" } }])[0]).toEqual({
      kind: "analysis",
      gate: "judge",
      count: 3,
      intervalMs: 300_000,
    });
  });
});

describe("targets and keys", () => {
  test("targets are taken maxParallel at a time, in order", () => {
    expect(targetBatches({ environments: ["a", "b", "c", "d", "e"], maxParallel: 2 })).toEqual([
      ["a", "b"],
      ["c", "d"],
      ["e"],
    ]);
    expect(targetBatches({ environments: ["a", "b"] })).toEqual([["a", "b"]]);
  });

  test("the component is always the third segment of a deploy key", () => {
    const key = deployKey("eu", "s1", "s2", 3);
    expect(key).toBe("deploy/eu/s1/s2/b3");
    expect(parseStepKey(key)).toEqual({ prefix: "deploy", wave: "eu", component: "s1" });
    expect(parseStepKey("analysis/eu/s2/1")).toEqual({ prefix: "analysis", wave: "eu", component: null });
    expect(deployKey("eu", "api", null, null)).toBe("deploy/eu/api");
  });
});

describe("dependents of a partial rollback", () => {
  const satisfies = (v: string, range: string) => {
    const [op, min] = range.split(/(?=\d)/);
    return op === ">=" ? v.localeCompare(min!, undefined, { numeric: true }) >= 0 : false;
  };

  test("a component needing the new version is named with its range", () => {
    const manifest = [item("db", "2.0.0", "1.0.0"), item("api", "2.0.0", "1.0.0", { db: ">=2.0.0" })];
    expect(dependentsNeeding(manifest, "db", satisfies)).toEqual([{ component: "api", range: ">=2.0.0" }]);
  });

  test("nobody is left behind when the previous version still satisfies the range", () => {
    const manifest = [item("db", "2.0.0", "1.5.0"), item("api", "2.0.0", "1.0.0", { db: ">=1.0.0" })];
    expect(dependentsNeeding(manifest, "db", satisfies)).toEqual([]);
  });

  test("a component never released cannot be rolled back under anyone", () => {
    const manifest = [item("db", "1.0.0", null), item("api", "2.0.0", "1.0.0", { db: ">=1.0.0" })];
    expect(dependentsNeeding(manifest, "db", satisfies)).toEqual([{ component: "api", range: ">=1.0.0" }]);
  });
});
