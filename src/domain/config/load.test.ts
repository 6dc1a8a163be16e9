import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { formatProblem, InvalidConfigError, parseConfig, parseConfigOrThrow } from "./load.js";

const VALID = readFileSync(new URL("../../../test/fixtures/config/valid.yaml", import.meta.url), "utf8");

/** Line numbers, for reading the expectations below. */
const MINIMAL = [
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
  /* 27 */ "    rollout:",
  /* 28 */ "      waves:",
  /* 29 */ "        - name: all",
  /* 30 */ "          environments: [prod]",
  "",
].join("\n");

/** MINIMAL with `line` (1-based) replaced by `lines` (none deletes it). */
function edit(line: number, ...lines: string[]): string {
  const all = MINIMAL.split("\n");
  all.splice(line - 1, 1, ...lines);
  return all.join("\n");
}

/** `base` (MINIMAL unless given) with `lines` inserted after line `after`. */
function insertInto(base: string, after: number, ...lines: string[]): string {
  const all = base.split("\n");
  all.splice(after, 0, ...lines);
  return all.join("\n");
}

function insert(after: number, ...lines: string[]): string {
  return insertInto(MINIMAL, after, ...lines);
}

/** A second component `db` (lines 11-16) that depends on `api`; api moves to lines 17-19. */
function withDb(dbDependsOn = "api", version = "^1.0.0"): string {
  return insert(
    10,
    "  db:",
    "    team: core",
    "    deployer: argo",
    "    depends_on:",
    `      - component: ${dbDependsOn}`,
    `        version: ${version}`,
  );
}

function problemsOf(text: string, file = "railyard.yaml"): string[] {
  const result = parseConfig(text, file);
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe("parseConfig accepts", () => {
  test("the realistic fixture, with defaults applied", () => {
    const result = parseConfig(VALID, "test/fixtures/config/valid.yaml");
    if (!result.ok) expect.fail(result.problems.map(formatProblem).join("\n"));
    const { config } = result;
    expect(Object.keys(config.teams)).toEqual(["payments", "storefront", "platform"]);
    expect(Object.keys(config.components)).toHaveLength(6);
    expect(config.components.catalog?.depends_on).toEqual([]);
    expect(config.teams.payments?.members[1]?.roles).toEqual(["member"]);
    expect(config.deployers.argo).toMatchObject({ branch: "main", timeout: "2m" });
    expect(config.lines.payments?.rollback).toEqual({
      policy: "automatic",
      dependents: "refuse",
      maxAttempts: 3,
    });
    expect(config.lines.payments?.approval).toEqual({
      mode: "manual",
      team: "payments",
      required: 2,
      allowSelfApproval: false,
    });
    expect(config.lines.storefront?.approval).toEqual({ mode: "auto" });
    expect(config.lines.payments?.gates[1]).toMatchObject({ type: "http", method: "GET", timeout: "5m" });
    expect(config.lines.storefront?.rollout.waves[1]).toMatchObject({ bake: "0s", verify: [] });
    expect(config.notifications.releases).toMatchObject({ type: "slack" });
  });

  test("approval groups, with self-approval and expiry, and the one-team shorthand", () => {
    const withQa = insertInto(MINIMAL, 5, "      - name: ben", "  qa:", "    members:", "      - name: cid");
    const groups = parseConfig(
      insertInto(
        withQa,
        29,
        "    approval:",
        "      mode: manual",
        "      groups:",
        "        - { team: core, required: 2 }",
        "        - { team: qa }",
        "      allowSelfApproval: true",
        "      expiresAfter: 3d",
      ),
      "railyard.yaml",
    );
    if (!groups.ok) expect.fail(groups.problems.map(formatProblem).join("\n"));
    expect(groups.config.lines.web?.approval).toEqual({
      mode: "manual",
      groups: [
        { team: "core", required: 2 },
        { team: "qa", required: 1 },
      ],
      allowSelfApproval: true,
      expiresAfter: "3d",
    });
    const shorthand = parseConfig(
      insertInto(withQa, 29, "    approval: { mode: manual, team: core }"),
      "railyard.yaml",
    );
    if (!shorthand.ok) expect.fail(shorthand.problems.map(formatProblem).join("\n"));
    expect(shorthand.config.lines.web?.approval).toEqual({
      mode: "manual",
      team: "core",
      allowSelfApproval: false,
    });
  });

  test("the minimal configuration the broken cases start from", () => {
    expect(problemsOf(MINIMAL)).toEqual([]);
  });

  test("and hashes the text with FNV-1a 64", () => {
    const first = parseConfig(MINIMAL, "a.yaml");
    const again = parseConfig(MINIMAL, "b.yaml");
    const changed = parseConfig(`${MINIMAL}# a comment\n`, "a.yaml");
    expect(first.ok && again.ok && changed.ok).toBe(true);
    if (!first.ok || !again.ok || !changed.ok) return;
    expect(first.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(again.hash).toBe(first.hash);
    expect(changed.hash).not.toBe(first.hash);
  });
});

interface BrokenCase {
  name: string;
  text: string;
  expected: string[];
}

const BROKEN: BrokenCase[] = [
  {
    name: "YAML syntax error",
    text: "version: 1\nenvironments:\n  staging:\n    kind: integration\n   prod:\n    kind: production\n",
    expected: ["railyard.yaml:5:1: YAML syntax error: all mapping items must start at the same column"],
  },
  {
    name: "YAML syntax error in a compact mapping",
    text: "version: 1\nenvironments:\n  staging: kind: integration\n",
    expected: ["railyard.yaml:3:12: YAML syntax error: nested mappings are not allowed in compact mappings"],
  },
  {
    name: "duplicate key",
    text: insert(25, "      cutoff: 2h"),
    expected: ['railyard.yaml:26:7: lines.web.schedule: duplicate key "cutoff": each key may appear once'],
  },
  {
    name: "empty file",
    text: "",
    expected: [
      "railyard.yaml:1:1: the file is empty: a configuration needs at least version, environments and lines",
    ],
  },
  {
    name: "file with only comments",
    text: "# railyard.yaml\n# to be written\n",
    expected: [
      "railyard.yaml:1:1: the file is empty: a configuration needs at least version, environments and lines",
    ],
  },
  {
    name: "not a mapping",
    text: "- version: 1\n",
    expected: [
      "railyard.yaml:1:1: the file must be a mapping of keys (version, environments, lines, …), got a list",
    ],
  },
  {
    name: "several YAML documents",
    text: `${MINIMAL}---\nversion: 1\n`,
    expected: [
      "railyard.yaml:31:1: the file holds more than one YAML document (a second `---` or `...`): keep one",
    ],
  },
  {
    name: "alias without anchor",
    text: edit(30, "          environments: *production"),
    expected: [
      'railyard.yaml:30:25: unknown alias "*production": define the anchor "&production" before using it',
    ],
  },
  {
    name: "problem in a value pulled in through an alias is shown at the alias",
    text: `${MINIMAL.replace("[api]", "&web-components [api]")}  mobile:
    schedule:
      rrule: FREQ=DAILY
      start: 2026-01-06T10:00
      timezone: UTC
      cutoff: 1h
    components: *web-components
    rollout:
      waves:
        - name: all
          environments: [prod]
`,
    expected: [
      'railyard.yaml:37:17: lines.mobile.components[0]: "api" already rides line "web": a component rides at most one line',
    ],
  },
  {
    name: "YAML merge key",
    text: insert(20, "    <<: { description: shared }"),
    expected: [
      'railyard.yaml:21:5: lines.web: unknown key "<<": YAML merge keys are not supported, write the keys out',
    ],
  },
  {
    name: "custom YAML tag",
    text: edit(25, "      cutoff: !duration 26h"),
    expected: ['railyard.yaml:25:15: unknown YAML tag "!duration": remove it, Railyard reads plain values'],
  },
  {
    name: "unknown key typo, with a suggestion (and no second report as a missing key)",
    text: edit(25, "      cutof: 26h"),
    expected: ['railyard.yaml:25:7: lines.web.schedule: unknown key "cutof" (did you mean "cutoff"?)'],
  },
  {
    name: "unknown key without a close match lists the allowed keys",
    text: insert(18, "    region: eu"),
    expected: [
      'railyard.yaml:19:5: environments.prod: unknown key "region": allowed keys are kind, description, labels',
    ],
  },
  {
    name: "wrong type",
    text: edit(26, "    components: api"),
    expected: ["railyard.yaml:26:17: lines.web.components: expected a list, got a string"],
  },
  {
    name: "wrong type of a list item",
    text: edit(26, "    components: [api, 42]"),
    expected: ["railyard.yaml:26:23: lines.web.components[1]: expected a string, got a number"],
  },
  {
    name: "wrong literal",
    text: edit(1, 'version: "1"'),
    expected: ['railyard.yaml:1:10: version: must be 1, got "1"'],
  },
  {
    name: "wrong enum value",
    text: edit(18, "    kind: prod"),
    expected: [
      'railyard.yaml:18:11: environments.prod.kind: must be one of "integration", "production", got "prod"',
    ],
  },
  {
    name: "empty value where a mapping is needed",
    text: insert(26, "    approval:"),
    expected: ["railyard.yaml:27:5: lines.web.approval: expected a mapping, got an empty value"],
  },
  {
    name: "empty list",
    text: edit(26, "    components: []"),
    expected: ["railyard.yaml:26:5: lines.web.components: needs at least 1 item"],
  },
  {
    name: "empty string",
    text: edit(9, '    repository: ""'),
    expected: ["railyard.yaml:9:17: deployers.argo.repository: must not be empty"],
  },
  {
    name: "number below its minimum",
    text: insert(26, "    approval:", "      mode: manual", "      team: core", "      required: 0"),
    expected: ["railyard.yaml:30:17: lines.web.approval.required: must be at least 1, got 0"],
  },
  {
    name: "decimal where a whole number is needed",
    text: insert(26, "    approval:", "      mode: manual", "      team: core", "      required: 1.5"),
    expected: [
      "railyard.yaml:30:17: lines.web.approval.required: expected a whole number, got a decimal number",
    ],
  },
  {
    name: "missing required key",
    text: edit(24),
    expected: ['railyard.yaml:21:5: lines.web.schedule: missing required key "timezone"'],
  },
  {
    name: "missing required top-level key",
    text: "version: 1\nenvironments: {}\n",
    expected: ['railyard.yaml:1:1: missing required top-level key "lines"'],
  },
  {
    name: "invalid name as a key",
    text: edit(17, "  Prod:"),
    expected: [
      "railyard.yaml:17:3: environments: invalid name \"Prod\": use lowercase letters, digits, '-' and '_', starting with a letter",
    ],
  },
  {
    name: "invalid email",
    text: insert(5, "        email: ann-at-example.com"),
    expected: [
      'railyard.yaml:6:16: teams.core.members[0].email: "ann-at-example.com" is not an email address',
    ],
  },
  {
    name: "bad duration",
    text: edit(25, "      cutoff: 26 hours"),
    expected: [
      'railyard.yaml:25:15: lines.web.schedule.cutoff: "26 hours" is not a duration: write 90s, 90m, 26h, 2d, 1h30m or ISO 8601 such as PT26H',
    ],
  },
  {
    name: "bad rrule",
    text: edit(22, "      rrule: FREQ=FORTNIGHTLY"),
    expected: [
      'railyard.yaml:22:14: lines.web.schedule.rrule: invalid RRULE "FREQ=FORTNIGHTLY": FREQ "FORTNIGHTLY" is not a frequency: use YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY, MINUTELY, SECONDLY',
    ],
  },
  {
    name: "rrule without FREQ",
    text: edit(22, "      rrule: BYDAY=TU"),
    expected: [
      'railyard.yaml:22:14: lines.web.schedule.rrule: invalid RRULE "BYDAY=TU": has no FREQ: write e.g. FREQ=WEEKLY;BYDAY=TU',
    ],
  },
  {
    name: "DTSTART inside the rrule",
    text: edit(22, "      rrule: DTSTART:20260106T100000;FREQ=WEEKLY"),
    expected: [
      'railyard.yaml:22:14: lines.web.schedule.rrule: invalid RRULE "DTSTART:20260106T100000;FREQ=WEEKLY": write the RRULE without DTSTART: the start goes in `start`',
    ],
  },
  {
    name: "bad timezone",
    text: edit(24, "      timezone: Europe/Berlinn"),
    expected: [
      'railyard.yaml:24:17: lines.web.schedule.timezone: unknown time zone "Europe/Berlinn": use an IANA name such as Europe/Berlin',
    ],
  },
  {
    name: "start that is not a local date-time",
    text: edit(23, "      start: next tuesday"),
    expected: [
      'railyard.yaml:23:14: lines.web.schedule.start: invalid value "next tuesday": write a local date-time such as 2026-01-06T10:00',
    ],
  },
  {
    name: "start on a day that does not exist",
    text: edit(23, "      start: 2026-02-30T10:00"),
    expected: [
      'railyard.yaml:23:14: lines.web.schedule.start: "2026-02-30T10:00" names a day or time that does not exist',
    ],
  },
  {
    name: "invalid gate type",
    text: insert(26, "    gates:", "      - name: smoke", "        type: grpc"),
    expected: [
      'railyard.yaml:29:15: lines.web.gates[0].type: must be one of "command", "http", "tests", "security", "prometheus", "canary", "slo", "policy", "checklist", got "grpc"',
    ],
  },
  {
    name: "gate without a type",
    text: insert(26, "    gates:", "      - name: smoke", "        url: https://example.com"),
    expected: [
      'railyard.yaml:28:9: lines.web.gates[0]: missing required key "type" (one of "command", "http", "tests", "security", "prometheus", "canary", "slo", "policy", "checklist")',
    ],
  },
  {
    name: "invalid deployer type",
    text: edit(8, "    type: helm"),
    expected: [
      'railyard.yaml:8:11: deployers.argo.type: must be one of "gitops", "command", "webhook", got "helm"',
    ],
  },
  {
    name: "invalid approval mode",
    text: insert(26, "    approval:", "      mode: sometimes"),
    expected: [
      'railyard.yaml:28:13: lines.web.approval.mode: must be one of "auto", "manual", got "sometimes"',
    ],
  },
  {
    name: "command that is neither a string nor a list",
    text: edit(8, "    type: command", "    command: 5").replace(
      "    repository: git@example.com:acme/deploy.git\n",
      "",
    ),
    expected: ["railyard.yaml:9:14: deployers.argo.command: expected a string or a list, got a number"],
  },
  {
    name: "unknown team",
    text: edit(12, "    team: cor"),
    expected: ['railyard.yaml:12:11: components.api.team: unknown team "cor" (did you mean "core"?)'],
  },
  {
    name: "unknown deployer",
    text: edit(13, "    deployer: helm"),
    expected: [
      'railyard.yaml:13:15: components.api.deployer: unknown deployer "helm": defined deployers are "argo"',
    ],
  },
  {
    name: "unknown component on a line",
    text: edit(26, "    components: [api, worker]"),
    expected: [
      'railyard.yaml:26:23: lines.web.components[1]: unknown component "worker": defined components are "api"',
    ],
  },
  {
    name: "component on two lines",
    text: `${MINIMAL}  mobile:
    schedule:
      rrule: FREQ=DAILY
      start: 2026-01-06T10:00
      timezone: UTC
      cutoff: 1h
    components: [api]
    rollout:
      waves:
        - name: all
          environments: [prod]
`,
    expected: [
      'railyard.yaml:37:18: lines.mobile.components[0]: "api" already rides line "web": a component rides at most one line',
    ],
  },
  {
    name: "dependency cycle",
    text: insertInto(withDb(), 19, "    depends_on:", "      - component: db", "        version: ^2.0.0"),
    expected: ["railyard.yaml:14:5: components.db.depends_on: dependency cycle: db -> api -> db"],
  },
  {
    name: "bad semver range",
    text: withDb("api", "latest"),
    expected: [
      'railyard.yaml:16:18: components.db.depends_on[0].version: "latest" is not a semver range: write e.g. "^1.4.0" or ">=1.4.0 <2.0.0"',
    ],
  },
  {
    name: "dependency on itself",
    text: withDb("db"),
    expected: ['railyard.yaml:15:20: components.db.depends_on[0].component: "db" cannot depend on itself'],
  },
  {
    name: "dependency on an unknown component",
    text: withDb("ap"),
    expected: [
      'railyard.yaml:15:20: components.db.depends_on[0].component: unknown component "ap" (did you mean "api"?)',
    ],
  },
  {
    name: "no integration environment",
    text: edit(16, "    kind: production"),
    expected: [
      'railyard.yaml:14:1: environments: no environment has kind "integration": exactly one is needed for the integration stage',
    ],
  },
  {
    name: "two integration environments",
    text: insert(18, "  qa:", "    kind: integration"),
    expected: [
      'railyard.yaml:20:11: environments.qa.kind: "staging" is already the integration environment: exactly one environment may have kind "integration"',
    ],
  },
  {
    name: "wave environment that is the integration one",
    text: edit(30, "          environments: [prod, staging]"),
    expected: [
      'railyard.yaml:30:32: lines.web.rollout.waves[0].environments[1]: "staging" has kind "integration": waves deploy to production environments',
    ],
  },
  {
    name: "unknown wave environment",
    text: edit(30, "          environments: [production]"),
    expected: [
      'railyard.yaml:30:26: lines.web.rollout.waves[0].environments[0]: unknown environment "production": defined environments are "prod"',
    ],
  },
  {
    name: "unknown notify channel",
    text: insert(26, "    notify: [releases]"),
    expected: [
      'railyard.yaml:27:14: lines.web.notify[0]: unknown notification channel "releases": no notification channels are defined',
    ],
  },
  {
    name: "approval team too small",
    text: insert(26, "    approval:", "      mode: manual", "      team: core", "      required: 2"),
    expected: [
      'railyard.yaml:30:17: lines.web.approval.required: needs 2 approvers but team "core" has 1 member',
    ],
  },
  {
    name: "unknown approval team",
    text: insert(26, "    approval:", "      mode: manual", "      team: release-board"),
    expected: [
      'railyard.yaml:29:13: lines.web.approval.team: unknown team "release-board": defined teams are "core"',
    ],
  },
  {
    name: "approval with both team and groups",
    text: insert(
      26,
      "    approval:",
      "      mode: manual",
      "      team: core",
      "      groups:",
      "        - { team: core, required: 1 }",
    ),
    expected: [
      'railyard.yaml:29:13: lines.web.approval.team: invalid value "core": give team (one group) or groups, not both: move team core into groups as {team: core, required: 1}',
    ],
  },
  {
    name: "manual approval with neither team nor groups",
    text: insert(26, "    approval:", "      mode: manual", "      allowSelfApproval: true"),
    expected: [
      'railyard.yaml:28:13: lines.web.approval.mode: invalid value "manual": a manual approval needs team (one group, with required) or groups, e.g. groups: [{team: release-managers, required: 2}]',
    ],
  },
  {
    name: "approval groups with a top-level required",
    text: insert(
      26,
      "    approval:",
      "      mode: manual",
      "      required: 2",
      "      groups:",
      "        - { team: core, required: 1 }",
    ),
    expected: [
      "railyard.yaml:29:17: lines.web.approval.required: invalid value 2: required goes with team; with groups, give each group its own required",
    ],
  },
  {
    name: "the same team twice in approval groups",
    text: insert(
      26,
      "    approval:",
      "      mode: manual",
      "      groups:",
      "        - { team: core, required: 1 }",
      "        - { team: core, required: 1 }",
    ),
    expected: [
      'railyard.yaml:31:19: lines.web.approval.groups[1].team: "core" is already a group: write one group for the team with the total required',
    ],
  },
  {
    name: "an approval expiry that is not a duration",
    text: insert(26, "    approval:", "      mode: manual", "      team: core", "      expiresAfter: 3 days"),
    expected: [
      'railyard.yaml:30:21: lines.web.approval.expiresAfter: "3 days" is not a duration: write 90s, 90m, 26h, 2d, 1h30m or ISO 8601 such as PT26H',
    ],
  },
  {
    name: "unknown team in approval groups",
    text: insert(
      26,
      "    approval:",
      "      mode: manual",
      "      groups:",
      "        - { team: core, required: 1 }",
      "        - { team: qa, required: 1 }",
    ),
    expected: [
      'railyard.yaml:31:19: lines.web.approval.groups[1].team: unknown team "qa": defined teams are "core"',
    ],
  },
  {
    name: "approval group larger than its team",
    text: insert(
      26,
      "    approval:",
      "      mode: manual",
      "      groups:",
      "        - { team: core, required: 2 }",
    ),
    expected: [
      'railyard.yaml:30:35: lines.web.approval.groups[0].required: needs 2 approvers but team "core" has 1 member',
    ],
  },
  {
    name: "approval groups that one person cannot fill alone",
    text: insertInto(
      insert(
        26,
        "    approval:",
        "      mode: manual",
        "      groups:",
        "        - { team: core, required: 1 }",
        "        - { team: qa, required: 1 }",
      ),
      5,
      "  qa:",
      "    members:",
      "      - name: ann",
    ),
    expected: [
      'railyard.yaml:32:7: lines.web.approval.groups: needs 2 distinct approvers (a person counts toward one group only), but the members of "core", "qa" can fill at most 1 of the seats',
    ],
  },
  {
    name: "duplicate gate names",
    text: insert(
      26,
      "    gates:",
      "      - name: smoke",
      "        type: command",
      "        command: ./smoke.sh",
      "      - name: smoke",
      "        type: http",
      "        url: https://staging.example.com/health",
    ),
    expected: [
      'railyard.yaml:31:15: lines.web.gates[1].name: duplicate gate name "smoke": gate names must be unique within a stage',
    ],
  },
  {
    name: "duplicate verify gate names within a wave",
    text: `${MINIMAL}          verify:
            - { name: slo, type: http, url: "https://example.com/a" }
            - { name: slo, type: http, url: "https://example.com/b" }
`,
    expected: [
      'railyard.yaml:33:23: lines.web.rollout.waves[0].verify[1].name: duplicate gate name "slo": gate names must be unique within a stage',
    ],
  },
  {
    name: "duplicate wave names",
    text: `${MINIMAL}        - name: all\n          environments: [prod]\n`,
    expected: [
      'railyard.yaml:31:17: lines.web.rollout.waves[1].name: duplicate wave name "all": wave names must be unique within a line',
    ],
  },
  {
    name: "GitOps deployer whose components would share one key",
    text: insert(9, "    path: image.tag").replace(
      "components:\n",
      "components:\n  worker:\n    team: core\n    deployer: argo\n",
    ),
    expected: [
      'railyard.yaml:10:11: deployers.argo.path: components "worker" and "api" would write the same key "image.tag": put {component} in path or file',
    ],
  },
];

describe("parseConfig rejects", () => {
  test.each(BROKEN)("$name", ({ text, expected }) => {
    expect(problemsOf(text)).toEqual(expected);
  });

  test("and reports every problem of a file, in source order", () => {
    const text = MINIMAL.replace("version: 1", "version: 2")
      .replace("kind: production", "kind: prod")
      .replace("cutoff: 26h", "cutof: 26h")
      .replace("      - name: ann", "      - name: Ann");
    expect(problemsOf(text)).toEqual([
      "railyard.yaml:1:10: version: must be 1, got 2",
      "railyard.yaml:5:15: teams.core.members[0].name: invalid value \"Ann\": use lowercase letters, digits, '-' and '_', starting with a letter",
      'railyard.yaml:18:11: environments.prod.kind: must be one of "integration", "production", got "prod"',
      'railyard.yaml:25:7: lines.web.schedule: unknown key "cutof" (did you mean "cutoff"?)',
    ]);
  });

  test("and reports every reference problem of a file, in source order", () => {
    const text = MINIMAL.replace("team: core", "team: cor")
      .replace("kind: production", "kind: integration")
      .replace("components: [api]", "components: [api, worker]");
    expect(problemsOf(text)).toEqual([
      'railyard.yaml:12:11: components.api.team: unknown team "cor" (did you mean "core"?)',
      'railyard.yaml:18:11: environments.prod.kind: "staging" is already the integration environment: exactly one environment may have kind "integration"',
      'railyard.yaml:26:23: lines.web.components[1]: unknown component "worker": defined components are "api"',
      'railyard.yaml:30:26: lines.web.rollout.waves[0].environments[0]: "prod" has kind "integration": waves deploy to production environments',
    ]);
  });

  test("and names the file as given", () => {
    expect(problemsOf("", "deploy/railyard.yaml")).toEqual([
      "deploy/railyard.yaml:1:1: the file is empty: a configuration needs at least version, environments and lines",
    ]);
  });

  test("and gives each problem its path", () => {
    const result = parseConfig(edit(25, "      cutof: 26h"), "railyard.yaml");
    expect(result.ok ? [] : result.problems.map((problem) => problem.path)).toEqual([
      ["lines", "web", "schedule", "cutof"],
    ]);
  });

  test("without leaking zod wording", () => {
    for (const { text } of BROKEN) {
      for (const message of problemsOf(text))
        expect(message).not.toMatch(/Invalid input|received|expected string/);
    }
  });
});

describe("parseConfigOrThrow", () => {
  test("returns the configuration and hash of a valid file", () => {
    expect(parseConfigOrThrow(MINIMAL, "railyard.yaml").config.lines.web?.components).toEqual(["api"]);
  });

  test("throws InvalidConfigError carrying every problem", () => {
    const text = MINIMAL.replace("team: core", "team: cor").replace("deployer: argo", "deployer: helm");
    let thrown: unknown;
    try {
      parseConfigOrThrow(text, "railyard.yaml");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidConfigError);
    const error = thrown as InvalidConfigError;
    expect(error.name).toBe("InvalidConfigError");
    expect(error.problems).toHaveLength(2);
    expect(error.message).toBe(
      [
        'railyard.yaml:12:11: components.api.team: unknown team "cor" (did you mean "core"?)',
        'railyard.yaml:13:15: components.api.deployer: unknown deployer "helm": defined deployers are "argo"',
      ].join("\n"),
    );
  });
});

describe("problem positions", () => {
  type Mutation =
    | { kind: "delete"; at: number; length: number }
    | { kind: "insert"; at: number; text: string }
    | { kind: "duplicate-line"; at: number };

  /** Edits of the valid fixture: delete a span, insert characters YAML cares about, duplicate a line. */
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({
      kind: fc.constant("delete" as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 40 }),
    }),
    fc.record({
      kind: fc.constant("insert" as const),
      at: fc.nat(),
      text: fc.string({
        unit: fc.constantFrom(
          " ",
          "\n",
          ":",
          "-",
          "[",
          "]",
          "{",
          "}",
          '"',
          "'",
          "&",
          "*",
          "!",
          "#",
          "a",
          "1",
          "\t",
        ),
      }),
    }),
    fc.record({ kind: fc.constant("duplicate-line" as const), at: fc.nat() }),
  );

  function mutate(text: string, edits: readonly Mutation[]): string {
    let out = text;
    for (const edit of edits) {
      const at = edit.at % (out.length + 1);
      if (edit.kind === "delete") out = out.slice(0, at) + out.slice(at + edit.length);
      else if (edit.kind === "insert") out = out.slice(0, at) + edit.text + out.slice(at);
      else {
        const lines = out.split("\n");
        const index = edit.at % lines.length;
        lines.splice(index, 0, lines[index] ?? "");
        out = lines.join("\n");
      }
    }
    return out;
  }

  function assertInside(text: string): void {
    const lines = text.split("\n");
    const result = parseConfig(text, "f.yaml");
    if (result.ok) return;
    expect(result.problems.length).toBeGreaterThan(0);
    for (const problem of result.problems) {
      expect(problem.line).toBeGreaterThanOrEqual(1);
      expect(problem.line).toBeLessThanOrEqual(lines.length);
      expect(problem.column).toBeGreaterThanOrEqual(1);
      expect(problem.column).toBeLessThanOrEqual((lines[problem.line - 1]?.length ?? 0) + 1);
    }
    const order = result.problems.map((problem) => [problem.line, problem.column] as const);
    const sorted = [...order].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(order).toEqual(sorted);
  }

  test("every problem of a mangled valid file lies inside the file, in order", () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (edits) => {
        assertInside(mutate(VALID, edits));
      }),
      { numRuns: 200, seed: 20260106 },
    );
  });

  test("any text gives a result, never an exception, with positions inside it", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        assertInside(text);
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
