/**
 * Broken variants of the test world's `railyard.yaml` ({@link worldConfig}), each with the
 * problems a user must see for it: line, column and message, as `FILE:LINE:COLUMN: message`.
 * Used by the reload tests (the server must reject them whole) and the `railyard validate` tests.
 */
import { worldConfig } from "./world.js";

/** One expected problem, without the file (that is whatever path the file was given as). */
export interface ExpectedProblem {
  line: number;
  column: number;
  message: string;
}

export interface BrokenConfig {
  name: string;
  /** The broken text, made from a valid world configuration. */
  edit(valid: string): string;
  problems: ExpectedProblem[];
}

/** `text` with `from` replaced by `to`; throws when `from` is not there, so no case turns valid silently. */
function replace(text: string, from: string, to: string): string {
  if (!text.includes(from))
    throw new Error(`broken config: ${JSON.stringify(from)} is not in the world config`);
  return text.replace(from, to);
}

const badTimezone = (t: string) => replace(t, "timezone: Europe/Berlin", "timezone: Europe/Berlim");
const waveOnUnknownEnvironment = (t: string) => replace(t, "environments: [us]", "environments: [usa]");

/** The table: one mistake per file (and one file with two), as people make them. */
export const BROKEN_CONFIGS: readonly BrokenConfig[] = [
  {
    name: "YAML syntax error (unclosed flow sequence)",
    edit: (t) => replace(t, "components: [db, api, web]\n", "components: [db, api, web\n"),
    problems: [
      {
        line: 30,
        column: 5,
        message:
          "YAML syntax error: flow sequence in block collection must be sufficiently indented and end with a ]",
      },
    ],
  },
  {
    name: "unknown key (typo)",
    edit: (t) => replace(t, "    approval:", "    aproval:"),
    problems: [
      { line: 32, column: 5, message: 'lines.shop: unknown key "aproval" (did you mean "approval"?)' },
    ],
  },
  {
    name: "bad duration",
    edit: (t) => replace(t, "cutoff: 2h }", "cutoff: 2 hours }"),
    problems: [
      {
        line: 28,
        column: 98,
        message:
          'lines.shop.schedule.cutoff: "2 hours" is not a duration: write 90s, 90m, 26h, 2d, 1h30m or ISO 8601 such as PT26H',
      },
    ],
  },
  {
    name: "unknown component on the line",
    edit: (t) => replace(t, "components: [db, api, web]", "components: [db, api, web, cart]"),
    problems: [
      {
        line: 29,
        column: 32,
        message:
          'lines.shop.components[3]: unknown component "cart": defined components are "db", "api", "web"',
      },
    ],
  },
  {
    name: "dependency cycle",
    edit: (t) =>
      replace(
        t,
        "db: { team: core, deployer: git }",
        'db: { team: core, deployer: git, depends_on: [{ component: web, version: ">=1.0.0" }] }',
      ),
    problems: [
      { line: 19, column: 36, message: "components.db.depends_on: dependency cycle: db -> web -> api -> db" },
    ],
  },
  {
    name: "bad time zone",
    edit: badTimezone,
    problems: [
      {
        line: 28,
        column: 75,
        message:
          'lines.shop.schedule.timezone: unknown time zone "Europe/Berlim": use an IANA name such as Europe/Berlin',
      },
    ],
  },
  {
    name: "two integration environments",
    edit: (t) =>
      replace(
        t,
        "  staging: { kind: integration }\n",
        "  staging: { kind: integration }\n  qa: { kind: integration }\n",
      ),
    problems: [
      {
        line: 24,
        column: 15,
        message:
          'environments.qa.kind: "staging" is already the integration environment: exactly one environment may have kind "integration"',
      },
    ],
  },
  {
    name: "wave on an unknown environment",
    edit: waveOnUnknownEnvironment,
    problems: [
      {
        line: 41,
        column: 26,
        message:
          'lines.shop.rollout.waves[1].environments[0]: unknown environment "usa" (did you mean "us"?)',
      },
    ],
  },
  {
    name: "duplicate key",
    edit: (t) =>
      replace(t, "  us: { kind: production }\n", "  us: { kind: production }\n  us: { kind: production }\n"),
    problems: [
      { line: 26, column: 3, message: 'environments: duplicate key "us": each key may appear once' },
    ],
  },
  {
    name: "empty file",
    edit: () => "",
    problems: [
      {
        line: 1,
        column: 1,
        message: "the file is empty: a configuration needs at least version, environments and lines",
      },
    ],
  },
  {
    name: "two problems in one file",
    edit: (t) => waveOnUnknownEnvironment(badTimezone(t)),
    problems: [
      {
        line: 28,
        column: 75,
        message:
          'lines.shop.schedule.timezone: unknown time zone "Europe/Berlim": use an IANA name such as Europe/Berlin',
      },
      {
        line: 41,
        column: 26,
        message:
          'lines.shop.rollout.waves[1].environments[0]: unknown environment "usa" (did you mean "us"?)',
      },
    ],
  },
];

/** A broken variant of the world configuration for a GitOps repository at `gitops`. */
export function brokenWorldConfig(broken: BrokenConfig, gitops: string): string {
  return broken.edit(worldConfig(gitops));
}
