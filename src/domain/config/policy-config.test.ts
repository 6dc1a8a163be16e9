import { describe, expect, test } from "vitest";
import { formatProblem, parseConfig } from "./load.js";

/** A configuration whose line's gates (from line 28) are `gates`, YAML list items indented six spaces. */
function config(...gates: string[]): string {
  return [
    /*  1 */ "version: 1",
    /*  2 */ "teams:",
    /*  3 */ "  core:",
    /*  4 */ "    members:",
    /*  5 */ "      - name: ann",
    /*  6 */ "deployers:",
    /*  7 */ "  argo:",
    /*  8 */ "    type: gitops",
    /*  9 */ "    repository: git@example.com:acme/deploy.git",
    /* 10 */ "components:",
    /* 11 */ "  api:",
    /* 12 */ "    team: core",
    /* 13 */ "    deployer: argo",
    /* 14 */ "environments:",
    /* 15 */ "  staging:",
    /* 16 */ "    kind: integration",
    /* 17 */ "  prod:",
    /* 18 */ "    kind: production",
    /* 19 */ "lines:",
    /* 20 */ "  web:",
    /* 21 */ "    schedule:",
    /* 22 */ "      rrule: FREQ=WEEKLY;BYDAY=TU",
    /* 23 */ "      start: 2026-01-06T10:00",
    /* 24 */ "      timezone: Europe/Berlin",
    /* 25 */ "      cutoff: 26h",
    /* 26 */ "    components: [api]",
    /* 27 */ "    gates:",
    /* 28 */ ...gates,
    "    rollout:",
    "      waves:",
    "        - name: all",
    "          environments: [prod]",
    "          verify:",
    "            - name: fresh",
    "              type: policy",
    '              expression: "now - train.departureAt < duration(\\"1h\\")"',
    "",
  ].join("\n");
}

function problemsOf(text: string): string[] {
  const result = parseConfig(text, "railyard.yaml");
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe("policy gates in railyard.yaml", () => {
  test("a valid expression loads, with its message", () => {
    const result = parseConfig(
      config(
        "      - name: sbom",
        "        type: policy",
        "        expression: manifest.all(c, c.sbom)",
        "        message: every component needs an SBOM",
      ),
      "railyard.yaml",
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.lines.web!.gates[0]).toEqual({
      name: "sbom",
      type: "policy",
      timeout: "5m",
      expression: "manifest.all(c, c.sbom)",
      message: "every component needs an SBOM",
    });
  });

  test("an unknown field is refused at the expression's FILE:LINE:COLUMN, with its place in the expression", () => {
    expect(
      problemsOf(
        config("      - name: sbom", "        type: policy", "        expression: manifest.all(c, c.sbomm)"),
      ),
    ).toEqual([
      "railyard.yaml:30:21: lines.web.gates[0].expression: 1:18: undefined field 'sbomm' (did you mean \"sbom\"?)",
    ]);
  });

  test("a syntax error is refused with its line and column within a block scalar", () => {
    expect(
      problemsOf(
        config(
          "      - name: release-ready",
          "        type: policy",
          "        expression: |",
          "          train.kind == 'scheduled' &&",
          "            manifest.all(c, c.ci == 'success'",
        ),
      ),
    ).toEqual(["railyard.yaml:30:21: lines.web.gates[0].expression: 2:15: '(' is never closed: add ')'"]);
  });

  test("every problem of every policy gate is reported, the line's and the waves'", () => {
    expect(
      problemsOf(
        config(
          "      - { name: one, type: policy, expression: \"manifests.size() > 0 && train.kind == 'regular'\" }",
          "      - { name: two, type: policy, expression: 'gates.tests.verdict' }",
        ).replace('< duration(\\"1h\\")', '< \\"1h\\"'),
      ),
    ).toEqual([
      "railyard.yaml:28:48: lines.web.gates[0].expression: 1:1: undeclared reference to 'manifests' (did you mean \"manifest\"?)",
      'railyard.yaml:28:48: lines.web.gates[0].expression: 1:39: "regular" is never a value of train.kind: its values are "scheduled", "hotfix"',
      "railyard.yaml:29:48: lines.web.gates[1].expression: 1:1: the expression gives string, but a policy must give a bool (true to pass, false to fail)",
      "railyard.yaml:37:27: lines.web.rollout.waves[0].verify[0].expression: 1:25: found no matching overload for '_<_' applied to '(duration, string)'",
    ]);
  });
});
