/**
 * `railyard validate [FILE]` and `railyard schema`, run as a user would: every problem as
 * `FILE:LINE:COLUMN: message` on stderr and exit 1; `--json` for machines.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROKEN_CONFIGS, brokenWorldConfig } from "../support/broken-configs.js";
import { linesOf, ROOT, runCli } from "../support/cli.js";
import { worldConfig } from "../support/world.js";

interface ValidateJson {
  ok: boolean;
  file?: string;
  hash?: string;
  lines?: string[];
  problems?: Array<{ file: string; line: number; column: number; message: string }>;
}

describe("railyard validate", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "railyard-validate-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("accepts the example configuration", async () => {
    const [text, json] = await Promise.all([
      runCli(["validate", "examples/railyard.yaml"]),
      runCli(["validate", "examples/railyard.yaml", "--json"]),
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      /^valid: examples\/railyard\.yaml — \d+ lines?, \d+ components?, \d+ teams?, \d+ environments?\n$/,
    );
    expect(text.stderr).toBe("");
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as ValidateJson;
    expect(parsed).toMatchObject({ ok: true, file: "examples/railyard.yaml" });
    expect(parsed.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(parsed.lines?.length).toBeGreaterThan(0);
  });

  it("reads railyard.yaml in the working directory by default", async () => {
    const cwd = path.join(dir, "default");
    await mkdir(cwd);
    await writeFile(path.join(cwd, "railyard.yaml"), worldConfig("/srv/gitops.git"));
    const result = await runCli(["validate"], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("valid: railyard.yaml — 1 line, 3 components, 2 teams, 3 environments\n");
  });

  it("says a missing file cannot be read, at FILE:1:1, and exits 1", async () => {
    const [text, json] = await Promise.all([
      runCli(["validate", "nowhere/railyard.yaml"], { cwd: dir }),
      runCli(["validate", "nowhere/railyard.yaml", "--json"], { cwd: dir }),
    ]);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe("");
    expect(text.stderr).toBe("nowhere/railyard.yaml:1:1: cannot read the configuration (no such file)\n");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      problems: [
        {
          file: "nowhere/railyard.yaml",
          line: 1,
          column: 1,
          path: [],
          message: "cannot read the configuration (no such file)",
        },
      ],
    });
  });

  const cases = BROKEN_CONFIGS.filter((b) =>
    ["unknown key (typo)", "bad duration", "dependency cycle", "two problems in one file"].includes(b.name),
  );

  it("finds the cases it is asked for", () => {
    expect(cases).toHaveLength(4);
  });

  it.each(cases)("prints every problem as FILE:LINE:COLUMN: message ($name)", async (broken) => {
    const file = `${broken.name.replace(/\W+/g, "-")}.yaml`;
    await writeFile(path.join(dir, file), brokenWorldConfig(broken, "/srv/gitops.git"));
    const [text, json] = await Promise.all([
      runCli(["validate", file], { cwd: dir }),
      runCli(["--json", "validate", file], { cwd: dir }),
    ]);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe("");
    const count = broken.problems.length;
    expect(linesOf(text.stderr)).toEqual([
      ...broken.problems.map((p) => `${file}:${p.line}:${p.column}: ${p.message}`),
      `${count} problem${count === 1 ? "" : "s"}`,
    ]);

    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as ValidateJson;
    expect(parsed.ok).toBe(false);
    expect(
      parsed.problems?.map(({ file, line, column, message }) => ({ file, line, column, message })),
    ).toEqual(broken.problems.map((p) => ({ file, ...p })));
  });
});

describe("railyard schema", () => {
  it("prints the committed JSON Schema byte for byte", async () => {
    const result = await runCli(["schema"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(await readFile(path.join(ROOT, "schema", "railyard.schema.json"), "utf8"));
  });
});
