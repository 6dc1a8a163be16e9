import { describe, expect, test } from "vitest";
import type { PolicyContext } from "./context.js";
import { formatPolicyOutput, manifestSummary, policySentence, valuesRead } from "./evidence.js";
import { compilePolicy, evaluatePolicy, PolicyCompileError } from "./policy.js";

const none = { critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0 };

const context: PolicyContext = {
  line: {
    name: "shop",
    components: ["db", "api"],
    approval: { mode: "auto", team: "", required: 0 },
    waves: [{ name: "eu", environments: ["eu"], bake: 90 * 60_000 }],
  },
  train: {
    id: "shop-3",
    number: 3,
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
      version: "1.1.0",
      previousVersion: "1.0.0",
      change: "upgrade",
      commit: "6462403100000000000000000000000000000000",
      ci: "success",
      reports: ["sbom", "vulnerabilities"],
      sbom: true,
      findings: { ...none, critical: 1, low: 2 },
      migration: true,
    },
    {
      component: "api",
      team: "core",
      version: "1.0.0",
      previousVersion: "",
      change: "new",
      commit: "6170694000000000000000000000000000000000",
      ci: "none",
      reports: [],
      sbom: false,
      findings: none,
      migration: false,
    },
  ],
  gates: { tests: { type: "command", stage: "gating", verdict: "pass", attempt: 1 } },
  findings: [],
  now: "2026-03-02T07:30:00.000Z",
  window: { open: true, reason: "" },
};

function output(expression: string, message?: string): string {
  const program = compilePolicy(expression);
  if (program instanceof PolicyCompileError) throw program;
  return formatPolicyOutput({
    expression,
    message,
    evaluation: evaluatePolicy(program, context),
    context,
    reads: program.reads,
  });
}

describe("policySentence", () => {
  test("says the message, or what the expression came to, then the verdict", () => {
    expect(
      policySentence("manifest.all(c, c.sbom)", "every component needs an SBOM", { verdict: "fail" }),
    ).toBe("every component needs an SBOM: fail");
    expect(policySentence("manifest.all(c, c.sbom)", undefined, { verdict: "fail" })).toBe(
      'policy "manifest.all(c, c.sbom)" is false: fail',
    );
    expect(policySentence("train.number > 1", undefined, { verdict: "pass" })).toBe(
      'policy "train.number > 1" is true: pass',
    );
    expect(
      policySentence("gates.smoke.verdict == 'pass'", undefined, {
        verdict: "error",
        message: "1:6: no such key",
      }),
    ).toBe("policy \"gates.smoke.verdict == 'pass'\": error (1:6: no such key)");
  });

  test("quotes a long or multi-line expression on one clipped line", () => {
    const long = `manifest.all(c,\n  ${"c.sbom && ".repeat(20)}true)`;
    const sentence = policySentence(long, undefined, { verdict: "fail" });
    expect(sentence).toMatch(/^policy "manifest\.all\(c, c\.sbom && c\.sbom/);
    expect(sentence).toMatch(/…" is false: fail$/);
    expect(sentence).not.toContain("\n");
  });
});

describe("valuesRead", () => {
  test("names every element a path reaches", () => {
    expect(valuesRead(context, ["manifest[].sbom", "train.kind"])).toEqual([
      "manifest[db].sbom = true",
      "manifest[api].sbom = false",
      'train.kind = "scheduled"',
    ]);
  });

  test("writes timestamps, durations, lists and records as CEL would", () => {
    expect(
      valuesRead(context, ["now", "line.waves[].bake", "manifest[].reports", "manifest[].findings"]),
    ).toEqual([
      'now = timestamp("2026-03-02T07:30:00.000Z")',
      'line.waves[eu].bake = duration("1h30m")',
      'manifest[db].reports = ["sbom", "vulnerabilities"]',
      "manifest[api].reports = []",
      "manifest[db].findings = {critical: 1, high: 0, medium: 0, low: 2, negligible: 0, unknown: 0}",
      "manifest[api].findings = {critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0}",
    ]);
  });

  test("counts and names the elements of a list of records read whole", () => {
    expect(valuesRead(context, ["manifest", "line.components"])).toEqual([
      "manifest = 2 elements: db, api",
      'line.components = ["db", "api"]',
    ]);
  });

  test("shows map keys, and says when one is absent", () => {
    expect(
      valuesRead(context, ["gates{tests}.verdict", "gates{smoke}.verdict", "findings[].severity"]),
    ).toEqual(['gates["tests"].verdict = "pass"', 'gates["smoke"] is absent', "findings = []"]);
    expect(valuesRead(context, ["gates{}.verdict"])).toEqual(['gates["tests"].verdict = "pass"']);
  });
});

describe("manifestSummary", () => {
  test("one line per component: change, commit, CI, SBOM, reports, findings", () => {
    expect(manifestSummary(context)).toEqual([
      "manifest of shop-3 (revision 0, 2 components):",
      "  db 1.1.0 (upgrade from 1.0.0, migration): commit 6462403; CI success; SBOM yes; reports sbom, vulnerabilities; findings 1 critical, 2 low",
      "  api 1.0.0 (new): commit 6170694; CI none; SBOM no; reports none; findings none",
    ]);
    expect(manifestSummary({ ...context, manifest: [] })).toEqual(["manifest: no boarded components"]);
  });
});

describe("formatPolicyOutput", () => {
  test("the verdict sentence, the expression, the values it read, the manifest", () => {
    expect(output("manifest.all(c, c.sbom)", "every component needs an SBOM").split("\n")).toEqual([
      "every component needs an SBOM: fail",
      "expression: manifest.all(c, c.sbom)",
      "values read:",
      "  manifest[db].sbom = true",
      "  manifest[api].sbom = false",
      "manifest of shop-3 (revision 0, 2 components):",
      "  db 1.1.0 (upgrade from 1.0.0, migration): commit 6462403; CI success; SBOM yes; reports sbom, vulnerabilities; findings 1 critical, 2 low",
      "  api 1.0.0 (new): commit 6170694; CI none; SBOM no; reports none; findings none",
    ]);
  });

  test("a runtime error leads with CEL's message and position", () => {
    const text = output("'smoke' in gates || gates.smoke.verdict == 'pass'");
    expect(text.split("\n")[0]).toBe(
      "policy \"'smoke' in gates || gates.smoke.verdict == 'pass'\": error (1:26: field not found: smoke)",
    );
    expect(text).toContain('  gates["smoke"] is absent');
  });

  test("a multi-line expression keeps its lines", () => {
    expect(output("manifest.size() <= 3 &&\n  train.kind == 'scheduled'").split("\n").slice(0, 3)).toEqual([
      "policy \"manifest.size() <= 3 && train.kind == 'scheduled'\" is true: pass",
      "expression: manifest.size() <= 3 &&",
      "    train.kind == 'scheduled'",
    ]);
  });
});
