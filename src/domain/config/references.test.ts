import { describe, expect, test } from "vitest";
import { checkReferences } from "./references.js";
import { RailyardConfig } from "./schema.js";

const SCHEDULE = { rrule: "FREQ=WEEKLY;BYDAY=TU", start: "2026-01-06T10:00", timezone: "UTC", cutoff: "1d" };

/** A valid configuration with the given components, all riding line `main`. */
function configWith(
  components: Record<string, Array<[string, string]>>,
  deployer: Record<string, unknown> = {},
) {
  return RailyardConfig.parse({
    version: 1,
    teams: { core: { members: [{ name: "ann" }] } },
    deployers: { argo: { type: "gitops", repository: "deploy.git", ...deployer } },
    components: Object.fromEntries(
      Object.entries(components).map(([name, deps]) => [
        name,
        {
          team: "core",
          deployer: "argo",
          depends_on: deps.map(([component, version]) => ({ component, version })),
        },
      ]),
    ),
    environments: { staging: { kind: "integration" }, prod: { kind: "production" } },
    lines: {
      main: {
        schedule: SCHEDULE,
        components: Object.keys(components),
        rollout: { waves: [{ name: "all", environments: ["prod"] }] },
      },
    },
  });
}

describe("checkReferences", () => {
  test("finds nothing wrong in a consistent configuration", () => {
    expect(
      checkReferences(configWith({ db: [], api: [["db", "^1.0.0"]], web: [["api", ">=2 <3"]] })),
    ).toEqual([]);
  });

  test("reports a long cycle once, from its first component in file order, as the shortest cycle", () => {
    const config = configWith({
      web: [["api", "^1.0.0"]],
      api: [["db", "^1.0.0"]],
      db: [["web", "^1.0.0"]],
      cache: [["db", "^1.0.0"]],
    });
    expect(checkReferences(config)).toEqual([
      { path: ["components", "web", "depends_on"], message: "dependency cycle: web -> api -> db -> web" },
    ]);
  });

  test("reports each separate cycle", () => {
    const config = configWith({
      a: [["b", "*"]],
      b: [["a", "*"]],
      c: [["d", "*"]],
      d: [["c", "*"]],
    });
    expect(checkReferences(config).map((problem) => problem.message)).toEqual([
      "dependency cycle: a -> b -> a",
      "dependency cycle: c -> d -> c",
    ]);
  });

  test("names the shortest cycle through the first component when cycles overlap", () => {
    const config = configWith({
      a: [
        ["b", "*"],
        ["c", "*"],
      ],
      b: [["c", "*"]],
      c: [["a", "*"]],
    });
    expect(checkReferences(config).map((problem) => problem.message)).toEqual([
      "dependency cycle: a -> c -> a",
    ]);
  });

  test("lets a GitOps deployer without {component} serve a single component", () => {
    expect(checkReferences(configWith({ api: [] }, { path: "image.tag" }))).toEqual([]);
    expect(
      checkReferences(configWith({ api: [], web: [] }, { file: "apps/{component}.yaml", path: "image.tag" })),
    ).toEqual([]);
  });

  test("accepts the semver ranges people write and refuses the rest", () => {
    const ranges = ["^1.2.3", "~1.2", "1.x", ">=1.0.0 <2.0.0", "1.2.3 - 2.3.4", "*", ">=1.0.0 || ^3.0.0"];
    expect(checkReferences(configWith({ db: [], api: ranges.map((range) => ["db", range]) }))).toEqual([]);
    const bad = checkReferences(configWith({ db: [], api: [["db", "latest"]] }));
    expect(bad.map((problem) => problem.path)).toEqual([["components", "api", "depends_on", 0, "version"]]);
  });

  test("reports a component listed twice on one line", () => {
    const config = configWith({ api: [] });
    config.lines.main!.components = ["api", "api"];
    expect(checkReferences(config)).toEqual([
      { path: ["lines", "main", "components", 1], message: '"api" is listed twice' },
    ]);
  });
});

describe("same-train ties", () => {
  test("are accepted between components of one line", () => {
    const config = configWith({ db: [], api: [["db", "^1.0.0"]] });
    config.components.api!.depends_on[0]!["same-train"] = true;
    expect(checkReferences(config)).toEqual([]);
  });

  test("across lines are an error naming both lines", () => {
    const config = configWith({ db: [], api: [["db", "^1.0.0"]] });
    config.components.api!.depends_on[0]!["same-train"] = true;
    config.lines.main!.components = ["api"];
    config.lines.data = { ...config.lines.main!, components: ["db"] };
    expect(checkReferences(config)).toEqual([
      {
        path: ["components", "api", "depends_on", 0, "same-train"],
        message: "same-train needs api and db on one line, but api rides line main and db line data",
      },
    ]);
  });
});

describe("gate references", () => {
  const withGates = (gates: unknown[], extra: Record<string, unknown> = {}) => {
    const base = configWith({ db: [] });
    return RailyardConfig.parse({
      ...base,
      ...extra,
      lines: { main: { ...base.lines.main!, gates } },
    });
  };

  test("a security gate takes exactly one of maxSeverity and max", () => {
    expect(checkReferences(withGates([{ name: "scan", type: "security" }]))).toEqual([
      {
        path: ["lines", "main", "gates", 0],
        message: "a security gate needs maxSeverity (e.g. high) or max (e.g. {critical: 0, high: 3})",
      },
    ]);
    expect(
      checkReferences(
        withGates([{ name: "scan", type: "security", maxSeverity: "high", max: { critical: 0 } }]),
      ),
    ).toEqual([
      { path: ["lines", "main", "gates", 0], message: "a security gate takes maxSeverity or max, not both" },
    ]);
    expect(checkReferences(withGates([{ name: "scan", type: "security", max: { critical: 0 } }]))).toEqual(
      [],
    );
  });

  test("a prometheus gate names a configured source and can fail", () => {
    const gate = { name: "errors", type: "prometheus", query: "up", condition: "== 1" };
    expect(checkReferences(withGates([gate]))[0]?.message).toMatch(
      /^no Prometheus "default": add it under `prometheus:`/,
    );
    const sources = { prometheus: { main: { url: "http://prometheus:9090" } } };
    expect(checkReferences(withGates([{ ...gate, source: "mian" }], sources))[0]?.message).toBe(
      'unknown Prometheus "mian" (did you mean "main"?)',
    );
    expect(
      checkReferences(withGates([{ ...gate, source: "main", count: 3, failureLimit: 3 }], sources)),
    ).toEqual([
      {
        path: ["lines", "main", "gates", 0, "failureLimit"],
        message: "failureLimit 3 tolerates every one of the 3 measurements: the gate could never fail",
      },
    ]);
  });
});

describe("error-budget policy references", () => {
  test("names a known SLO", () => {
    const base = configWith({ db: [] });
    const config = RailyardConfig.parse({
      ...base,
      lines: { main: { ...base.lines.main!, errorBudget: { slo: "checkout" } } },
    });
    expect(checkReferences(config)).toEqual([
      {
        path: ["lines", "main", "errorBudget", "slo"],
        message:
          'unknown SLO "checkout": no SLOs are defined (add it under `slos:`, or import an OpenSLO file with `openslo:`)',
      },
    ]);
  });
});
