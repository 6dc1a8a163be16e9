import { describe, expect, test } from "vitest";
import { POLICY_DECLARATION, type PolicyContext } from "./context.js";
import {
  type CompiledPolicy,
  compilePolicy,
  evaluatePolicy,
  PolicyCompileError,
  type PolicyEvaluation,
  policyBindings,
} from "./policy.js";

/** A train at its line's gates: db is upgraded with an SBOM and a high finding, api is new without one. */
function sampleContext(): PolicyContext {
  const none = { critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0 };
  return {
    line: {
      name: "shop",
      components: ["db", "api", "web"],
      approval: { mode: "manual", team: "board", required: 2 },
      waves: [
        { name: "eu", environments: ["eu"], bake: 30 * 60_000 },
        { name: "us", environments: ["us", "us-east"], bake: 0 },
      ],
    },
    train: {
      id: "shop-42",
      number: 42,
      kind: "scheduled",
      state: "gating",
      revision: 0,
      cutoffAt: "2026-03-02T07:00:00.000Z",
      departureAt: "2026-03-02T09:00:00.000Z",
    },
    manifest: [
      {
        component: "db",
        team: "core",
        version: "1.4.0",
        previousVersion: "1.3.2",
        change: "upgrade",
        commit: "6462403100000000000000000000000000000000",
        ci: "success",
        reports: ["sbom", "vulnerabilities"],
        sbom: true,
        findings: { ...none, high: 1 },
        migration: true,
      },
      {
        component: "api",
        team: "core",
        version: "2.0.0",
        previousVersion: "",
        change: "new",
        commit: "6170694000000000000000000000000000000000",
        ci: "pending",
        reports: [],
        sbom: false,
        findings: none,
        migration: false,
      },
    ],
    gates: {
      tests: { type: "tests", stage: "gating", verdict: "pass", attempt: 1 },
      scan: { type: "security", stage: "gating", verdict: "fail", attempt: 2 },
    },
    findings: [
      {
        id: "CVE-2024-1234",
        severity: "high",
        package: "openssl",
        installed: "3.0.1",
        fixed: "3.0.2",
        component: "db",
      },
    ],
    now: "2026-03-02T08:30:00.000Z",
    window: { open: false, reason: "outside window" },
  };
}

function compiled(expression: string): CompiledPolicy {
  const program = compilePolicy(expression);
  if (program instanceof PolicyCompileError) throw new Error(`${expression}: ${program.message}`);
  return program;
}

function evaluate(expression: string, context: PolicyContext = sampleContext()): PolicyEvaluation {
  return evaluatePolicy(compiled(expression), context);
}

/** The verdict, or the error message. */
function outcome(expression: string, context?: PolicyContext): string {
  const result = evaluate(expression, context);
  return result.verdict === "error" ? `error: ${result.message}` : result.verdict;
}

function compileError(expression: string): PolicyCompileError {
  const result = compilePolicy(expression);
  if (!(result instanceof PolicyCompileError)) throw new Error(`${expression} compiled`);
  return result;
}

describe("the issue's example: manifest.all(c, c.sbom)", () => {
  test("fails while a component has no SBOM and passes once every one has", () => {
    expect(outcome("manifest.all(c, c.sbom)")).toBe("fail");
    const context = sampleContext();
    context.manifest[1]!.sbom = true;
    expect(outcome("manifest.all(c, c.sbom)", context)).toBe("pass");
  });

  test("passes for an empty manifest, as all() of nothing is true", () => {
    expect(outcome("manifest.all(c, c.sbom)", { ...sampleContext(), manifest: [] })).toBe("pass");
  });

  test("knows which values it reads", () => {
    expect(compiled("manifest.all(c, c.sbom)").reads).toEqual(["manifest[].sbom"]);
    expect(compiled('train.kind == "scheduled" && manifest.size() <= 3').reads).toEqual([
      "train.kind",
      "manifest",
    ]);
    expect(compiled('"tests" in gates && gates.tests.verdict == "pass"').reads).toEqual([
      "gates{tests}.verdict",
    ]);
  });
});

describe("macros", () => {
  test.each([
    ["manifest.all(c, c.ci == 'success')", "fail"],
    ["manifest.exists(c, c.ci == 'pending')", "pass"],
    ["manifest.exists_one(c, c.migration)", "pass"],
    ["manifest.exists_one(c, c.team == 'core')", "fail"],
    ["manifest.map(c, c.component) == ['db', 'api']", "pass"],
    ["manifest.filter(c, c.change == 'new').map(c, c.component) == ['api']", "pass"],
    ["manifest.filter(c, c.findings.high > 0).size() == 1", "pass"],
    ["manifest.map(c, c.findings.critical + c.findings.high).all(n, n <= 1)", "pass"],
    ["[1, 2, 3].map(x, x > 1, x * 10) == [20, 30]", "pass"],
    ["findings.all(f, f.severity != 'critical' || f.fixed == '')", "pass"],
    ["has(gates.tests) && !has(gates.smoke)", "pass"],
    ["gates.exists(name, gates[name].verdict == 'fail')", "pass"],
    ["line.waves.exists(w, 'us-east' in w.environments)", "pass"],
    ["manifest.all(c, c.reports.exists(r, r == 'sbom'))", "fail"],
  ])("%s: %s", (expression, expected) => {
    expect(outcome(expression)).toBe(expected);
  });
});

describe("timestamps and durations", () => {
  test.each([
    ['now - train.cutoffAt > duration("1h")', "pass"],
    ['now - train.cutoffAt > duration("2h")', "fail"],
    ['train.departureAt - now == duration("30m")', "pass"],
    ['train.cutoffAt == timestamp("2026-03-02T07:00:00Z")', "pass"],
    ['train.cutoffAt + duration("2h") == train.departureAt', "pass"],
    ["now.getHours('Europe/Berlin') == 9 && now.getHours() == 8", "pass"],
    ["now.getDayOfWeek() == 1", "pass"],
    ['line.waves.all(w, w.bake <= duration("30m"))', "pass"],
    ['line.waves[0].bake == duration("1800s")', "pass"],
    ['duration("1h30m") == duration("90m")', "pass"],
    ["now < train.departureAt && now > train.cutoffAt", "pass"],
  ])("%s: %s", (expression, expected) => {
    expect(outcome(expression)).toBe(expected);
  });
});

describe("string functions", () => {
  test.each([
    ["train.id.startsWith(line.name + '-')", "pass"],
    ["manifest.all(c, c.version.endsWith('.0'))", "pass"],
    ["manifest.exists(c, c.commit.contains('617069'))", "pass"],
    ["manifest.all(c, c.version.matches('^[0-9]+\\\\.[0-9]+\\\\.[0-9]+$'))", "pass"],
    ["train.kind.upperAscii() == 'SCHEDULED' && 'ABC'.lowerAscii() == 'abc'", "pass"],
    ["manifest[0].version.split('.')[0] == '1'", "pass"],
    ["manifest.map(c, c.component).join(', ') == 'db, api'", "pass"],
    ["'1.4.0-rc.1'.replace('-rc.1', '') == '1.4.0'", "pass"],
    ["size('héllo') == 5 && 'héllo'.size() == 5", "pass"],
    ["' x '.trim() == 'x' && 'shop'.indexOf('o') == 2 && 'shop'.substring(1, 3) == 'ho'", "pass"],
    ["window.reason == 'outside window' && !window.open", "pass"],
  ])("%s: %s", (expression, expected) => {
    expect(outcome(expression)).toBe(expected);
  });
});

describe("syntax errors, with their line and column within the expression", () => {
  test.each([
    ["manifest.all(c, c.sbom", 1, 13, "'(' is never closed: add ')'"],
    ["train.kind == 'scheduled", 1, 15, "unterminated string: add the closing '"],
    ["[1, 2)", 1, 6, "')' cannot close the '[' opened at 1:1: expected ']'"],
    ['train.kind == "scheduled" &&\n  manifest.all(c, c.sbom))', 2, 26, "')' closes nothing"],
    ["a +* b", 1, 3, "syntax error: found + but expecting end of input"],
    ["manifest.in", 1, 10, "syntax error: reserved keyword"],
  ])("%j", (expression, line, column, message) => {
    const error = compileError(expression);
    expect({ line: error.line, column: error.column, message: error.problems[0]!.message }).toEqual({
      line,
      column,
      message,
    });
    expect(error.message).toBe(`${line}:${column}: ${message}`);
  });
});

describe("references the context does not have", () => {
  test.each([
    ["manifest.all(c, c.sbomm)", "1:18: undefined field 'sbomm' (did you mean \"sbom\"?)"],
    ["manifests.size() > 0", "1:1: undeclared reference to 'manifests' (did you mean \"manifest\"?)"],
    [
      "release.ready",
      "1:1: undeclared reference to 'release' (the variables are line, train, manifest, gates, findings, now, window)",
    ],
    ["has(train.kindd)", "1:1: undefined field 'kindd' (did you mean \"kind\"?)"],
    ["train['numbr'] > 3", "1:6: undefined field 'numbr' (did you mean \"number\"?)"],
    [
      "manifest.all(c, c.findings.crit == 0)",
      "1:27: undefined field 'crit' (a findings count has critical, high, medium, low, negligible, unknown)",
    ],
    [
      "manifest.sbom",
      "1:9: manifest is a list: it has no field 'sbom'; test its elements with a macro, e.g. .all(x, x.sbom)",
    ],
    ["train.kind.size", "1:11: string has no field 'size'"],
    ["manifest.map(c, c.findings.high).sum() < 3", "1:33: undeclared reference to 'sum'"],
    [
      "manifest.all(c)",
      "1:9: all(x, condition) needs a variable name and a condition, e.g. manifest.all(c, c.sbom)",
    ],
    [
      "manifest.exists(c, c.ci == 'succes')",
      '1:28: "succes" is never a value of manifest[].ci (did you mean "success"?)',
    ],
    [
      "manifest.all(c, 'sbomm' in c.reports)",
      '1:17: "sbomm" is never in manifest[].reports (did you mean "sbom"?)',
    ],
    [
      "train.kind == 'regular'",
      '1:15: "regular" is never a value of train.kind: its values are "scheduled", "hotfix"',
    ],
    [
      "now - train.cutoffAt > '1h'",
      "1:22: found no matching overload for '_>_' applied to '(duration, string)'",
    ],
    ["train.number + 1.5 > 40", "1:14: found no matching overload for '_+_' applied to '(int, double)'"],
    [
      "manifest.all(c, c.version.startsWith(1))",
      "1:26: found no matching overload for 'startsWith' applied to 'string.(int)'",
    ],
    ["train.number.all(x, x > 0)", "1:13: train.number is int: all() iterates over a list or a map"],
  ])("%s", (expression, message) => {
    expect(compileError(expression).message).toBe(message);
  });

  test("every problem is listed, in the order of the text", () => {
    const error = compileError("manifest.all(c, c.sbomm) && trian.kind == 'hotfix'");
    expect(error.problems.map((p) => `${p.line}:${p.column}: ${p.message}`)).toEqual([
      "1:18: undefined field 'sbomm' (did you mean \"sbom\"?)",
      "1:29: undeclared reference to 'trian' (did you mean \"train\"?)",
    ]);
    expect(error.message).toBe("1:18: undefined field 'sbomm' (did you mean \"sbom\"?) (and 1 more)");
  });

  test("the position counts lines and characters within a multi-line expression", () => {
    const error = compileError("manifest.all(c,\n  c.sbom &&\n  c.findings.hihg == 0)");
    expect(error.message).toBe("3:13: undefined field 'hihg' (did you mean \"high\"?)");
  });

  test("a variable of a macro shadows the context's variable of the same name", () => {
    expect(outcome("manifest.all(manifest, manifest.sbom)")).toBe("fail");
    expect(compileError("[1].all(train, train.kind == 'x')").message).toBe("1:21: int has no field 'kind'");
  });

  test("map values are not checked: a gate may not have run yet", () => {
    expect(compilePolicy("gates.smoke.verdict == 'pass'")).not.toBeInstanceOf(PolicyCompileError);
  });
});

describe("results that are not true or false", () => {
  test("an expression whose type is known not to be bool does not compile", () => {
    expect(compileError("manifest.size()").message).toBe(
      "1:1: the expression gives int, but a policy must give a bool (true to pass, false to fail)",
    );
    expect(compileError("manifest.map(c, c.component)").message).toMatch(/^1:1: the expression gives list,/);
    expect(compileError("'yes'").message).toMatch(/^1:1: the expression gives string,/);
  });

  test("a value known only at run time is an error verdict", () => {
    expect(outcome("train.kind == 'scheduled' ? manifest.size() : false")).toBe(
      "error: the expression gave int 2, not a bool (true to pass, false to fail)",
    );
    expect(outcome("dyn(train.id)")).toBe(
      'error: the expression gave string "shop-42", not a bool (true to pass, false to fail)',
    );
    expect(outcome("dyn(manifest)")).toBe(
      "error: the expression gave list, not a bool (true to pass, false to fail)",
    );
  });
});

describe("runtime errors are the error verdict, with CEL's message and position", () => {
  test.each([
    ["gates.smoke.verdict == 'pass'", /^error: 1:\d+: .*smoke/],
    ["manifest[5].sbom", /^error: 1:\d+: index 5 out of bounds/],
    ["int(manifest[0].version) > 1", /^error: 1:1: .*1\.4\.0/],
    ["train.number * 9223372036854775807 > 0", /^error: int overflow/],
  ])("%s", (expression, message) => {
    expect(outcome(expression)).toMatch(message);
  });
});

describe("standard CEL semantics (cel-spec conformance style)", () => {
  test.each([
    // Integers are 64-bit and overflow is an error, never a wrap-around.
    ["9223372036854775807 + 1 == 0", /^error: .*overflow/],
    ["-9223372036854775808 - 1 == 0", /^error: .*overflow/],
    ["1 / 0 == 0", /^error: .*divi.*zero/],
    ["1 % 0 == 0", /^error: .*(modul|zero)/],
    // Numbers compare across int, uint and double at run time (heterogeneous equality).
    ["1 == 1.0", /^pass$/],
    ["1 == 1u", /^pass$/],
    ["dyn(1) == 1.0 && 2 < 2.5 && 3u > 2", /^pass$/],
    ["0.1 + 0.2 == 0.3", /^fail$/],
    ["7 / 2 == 3 && -7 / 2 == -3 && -7 % 2 == -1", /^pass$/],
    ["int('12') == 12 && uint(1) == 1u && double('1.5') == 1.5 && string(42) == '42'", /^pass$/],
    ["type(1) == int && type(1.0) == double && type('a') == string && type([]) == list", /^pass$/],
    ["[1, 2] + [3] == [1, 2, 3] && {'a': 1}.a == 1 && 'b' in {'b': true}", /^pass$/],
    ["'\\u00e9' == 'é' && b'abc' == bytes('abc') && r'\\d' == '\\\\d'", /^pass$/],
    // && and || are commutative over errors: a definite result wins, otherwise the error stays.
    ["false && 1 / 0 == 1", /^fail$/],
    ["1 / 0 == 1 || true", /^pass$/],
    ["1 / 0 == 1 && true", /^error: .*zero/],
    ["[1, 2, 3].exists_one(x, x > 1)", /^fail$/],
    ["null == null && [] == [] && {} == {}", /^pass$/],
  ])("%s", (expression, expected) => {
    expect(outcome(expression)).toMatch(expected);
  });

  test("mixing int and double without a conversion does not compile, as cel-go's checker says", () => {
    expect(compileError("1 + 1.0 == 2.0").message).toBe(
      "1:2: found no matching overload for '_+_' applied to '(int, double)'",
    );
  });
});

describe("the declaration", () => {
  test("declares exactly the context's fields, each with the CEL type its value is given", () => {
    const context = sampleContext();
    expect(Object.keys(POLICY_DECLARATION).sort()).toEqual(Object.keys(context).sort());
    const bindings = policyBindings(context);
    expect(bindings.train).toMatchObject({ number: 42n, revision: 0n });
    expect(
      outcome(
        "type(train.number) == int && type(manifest[0].findings.high) == int && type(line.approval.required) == int && type(gates.scan.attempt) == int && type(manifest) == list && type(gates) == map",
      ),
    ).toBe("pass");
    expect(outcome("now - now == duration('0s') && train.departureAt > now")).toBe("pass");
  });

  test("a field the declaration does not name stays out of CEL", () => {
    const context = sampleContext() as PolicyContext & { train: { secret?: string } };
    context.train.secret = "x";
    expect(outcome("dyn(train).exists(k, k == 'secret')", context)).toBe("fail");
  });
});
