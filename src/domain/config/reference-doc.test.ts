import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { ANNOTATED_EXAMPLE } from "./annotated-example.js";
import { formatProblem, parseConfig } from "./load.js";
import { configReferenceMarkdown } from "./reference-doc.js";

const COMMITTED = new URL("../../../docs/configuration.md", import.meta.url);

function readCommitted(): string | undefined {
  try {
    return readFileSync(COMMITTED, "utf8");
  } catch {
    return undefined;
  }
}

test("docs/configuration.md is up to date", () => {
  const fresh = configReferenceMarkdown();
  if (process.env.UPDATE_SNAPSHOTS === "1") {
    writeFileSync(COMMITTED, fresh);
    return;
  }
  expect(
    readCommitted() === fresh,
    "docs/configuration.md is stale: run `UPDATE_SNAPSHOTS=1 npx vitest run src/domain/config`",
  ).toBe(true);
});

describe("configReferenceMarkdown", () => {
  const markdown = configReferenceMarkdown();

  test("shows an example Railyard accepts", () => {
    const result = parseConfig(ANNOTATED_EXAMPLE, "example.yaml");
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([]);
    expect(markdown).toContain(ANNOTATED_EXAMPLE.trimEnd());
  });

  test("has a section for every part of the file", () => {
    for (const heading of [
      "### Top level",
      "### `teams.<team>`",
      "### `teams.<team>.members[]`",
      "### `deployers.<deployer>` (`type: gitops`)",
      "### `deployers.<deployer>` (`type: command`)",
      "### `components.<component>`",
      "### `components.<component>.depends_on[]`",
      "### `environments.<environment>`",
      "### `lines.<line>`",
      "### `lines.<line>.schedule`",
      "### `lines.<line>.gates[]` (`type: command`)",
      "### `lines.<line>.gates[]` (`type: http`)",
      "### `lines.<line>.approval` (`mode: manual`)",
      "### `lines.<line>.rollout.waves[]`",
      "### `notifications.<channel>` (`type: slack`)",
    ]) {
      expect(markdown).toContain(`\n${heading}\n`);
    }
  });

  test("shows each key's type, whether it is required, its default and description", () => {
    expect(markdown).toContain(
      '| `cutoff` | [duration](#durations) or [mapping](#lines-line-schedule-cutoff) | yes |  | When boarding closes: a duration before departure (26h, 90m, 2d, PT26H) or {businessDays: 2, at: "17:00"}. |',
    );
    expect(markdown).toContain(
      '| `bake` | [duration](#durations) | no | `"0s"` | How long to wait after deploying before verifying. |',
    );
    expect(markdown).toContain("| `required` | integer ≥ 1 | no | `1` | Distinct approvers needed. |");
  });

  test("every link inside the page has its anchor", () => {
    const anchors = new Set([...markdown.matchAll(/<a id="([^"]+)"><\/a>/g)].map((match) => match[1]));
    const links = [...markdown.matchAll(/\]\(#([^)]+)\)/g)].map((match) => match[1]);
    expect(links.length).toBeGreaterThan(10);
    for (const link of links) expect(anchors, `#${link}`).toContain(link);
  });

  test("explains durations, schedules, secrets, validation and editor set-up", () => {
    for (const text of [
      "`1h30m`",
      "`PT26H`",
      "without** `DTSTART`",
      "is a duration before the departure",
      "does not exist",
      "**first** occurrence",
      "environment\nvariable",
      "Unknown keys are errors",
      "# yaml-language-server: $schema=https://railyard.dev/schema/railyard.schema.json",
    ]) {
      expect(markdown).toContain(text);
    }
  });
});
