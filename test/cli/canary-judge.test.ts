/**
 * `railyard canary judge --baseline FILE --canary FILE [--direction …] [--json]`: the canary judge
 * on two JSON arrays of numbers, without a server. Runs the built CLI on files in a temp folder.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CanaryJudgeOutput } from "../../src/cli/commands/canary.js";
import { type CliResult, runCli } from "../support/cli.js";

const judge = (...args: string[]) => runCli(["canary", "judge", ...args]);

function json(result: CliResult): CanaryJudgeOutput {
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as CanaryJudgeOutput;
}

/** A usage error: exit code 2, the reason on stderr, nothing on stdout. */
function refused(result: CliResult, reason: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(reason);
}

// Latencies in seconds, 40 distinct values a side (so the p-value is exact): the canary is 30% slower.
const baselineValues = Array.from({ length: 40 }, (_, i) => 0.2 + ((i * 37) % 40) / 1000);
const slowerValues = baselineValues.map((v) => v * 1.3);

describe("railyard canary judge", () => {
  let dir: string;
  let baseline: string;
  let slower: string;
  let empty: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "railyard-canary-"));
    baseline = await file("baseline.json", JSON.stringify(baselineValues));
    slower = await file("slower.json", JSON.stringify(slowerValues));
    empty = await file("empty.json", "[]");
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  async function file(name: string, content: string): Promise<string> {
    const target = path.join(dir, name);
    await writeFile(target, content);
    return target;
  }

  it("prints the fixed JSON interface: a slower canary is high", async () => {
    const result = json(await judge("--baseline", baseline, "--canary", slower, "--json"));
    // Exactly these keys, in this order, and nothing else.
    expect(Object.keys(result)).toEqual(["verdict", "p_value", "hodges_lehmann", "ci", "effect_ratio"]);
    expect(result.verdict).toBe("high");
    expect(result.p_value).toBeLessThan(1e-6);
    expect(result.hodges_lehmann).toBeGreaterThan(0.05);
    expect(result.ci).toHaveLength(2);
    expect(result.ci![0]).toBeGreaterThan(0.25 * result.hodges_lehmann!);
    expect(result.ci![0]).toBeLessThanOrEqual(result.ci![1]);
    expect(result.effect_ratio).toBeCloseTo(1.3, 10);
  });

  it("follows --direction, --confidence and --tolerance", async () => {
    const decrease = json(
      await judge("--baseline", baseline, "--canary", slower, "--direction", "decrease", "--json"),
    );
    expect(decrease.verdict).toBe("pass");
    const low = json(await judge("--baseline", slower, "--canary", baseline, "--json"));
    expect(low.verdict).toBe("low");
    const loose = json(
      await judge("--baseline", baseline, "--canary", slower, "--confidence", "0.5", "--json"),
    );
    const strict = json(
      await judge("--baseline", baseline, "--canary", slower, "--confidence", "0.9999", "--json"),
    );
    expect(strict.ci![0]).toBeLessThan(loose.ci![0]);
    expect(strict.p_value).toBe(loose.p_value);
    // A tolerance of 2 asks the interval to clear twice the shift: nothing does.
    const tolerant = json(
      await judge("--baseline", baseline, "--canary", slower, "--tolerance", "2", "--json"),
    );
    expect(tolerant.verdict).toBe("pass");
  });

  it("says nodata, with nulls, for an empty array", async () => {
    const result = json(await judge("--baseline", baseline, "--canary", empty, "--json"));
    expect(result).toEqual({
      verdict: "nodata",
      p_value: null,
      hodges_lehmann: null,
      ci: null,
      effect_ratio: null,
    });
  });

  it("passes identical files", async () => {
    const result = json(await judge("--baseline", baseline, "--canary", baseline, "--json"));
    expect(result).toMatchObject({ verdict: "pass", p_value: 1, hodges_lehmann: 0, effect_ratio: 1 });
  });

  it("prints a short summary for people without --json", async () => {
    const result = await judge("--baseline", baseline, "--canary", slower);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^Verdict: high \(canary higher: CI \[/);
    expect(lines[1]).toMatch(/^p-value: [\d.e-]+ \(two-sided, exact distribution of U\)$/);
    expect(lines[2]).toMatch(/^Shift \(Hodges-Lehmann, canary - baseline\): 0\.\d+$/);
    expect(lines[3]).toMatch(/^98% CI of the shift: \[0\.\d+, 0\.\d+\]$/);
    expect(lines[4]).toBe("Mean ratio (canary / baseline): 1.3");
    expect(lines[5]).toBe("Values: baseline 40, canary 40");
    const none = await judge("--baseline", empty, "--canary", baseline);
    expect(none.stdout).toBe(
      "Verdict: nodata (no data: the baseline has no values)\nValues: baseline 0, canary 40\n",
    );
  });

  it("explains the statistics in --help: exact or normal approximation, and when", async () => {
    const result = await judge("--help");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--baseline <file>/);
    expect(result.stdout).toMatch(/--direction <direction>/);
    expect(result.stdout).toMatch(
      /exact \(the exact null distribution of U\) when both samples have fewer than\s+50 values/,
    );
    expect(result.stdout).toMatch(/normal approximation with\s+tie correction and continuity correction/);
    expect(result.stdout).toMatch(/Hodges-Lehmann/);
    expect(result.stdout).not.toMatch(/--server/);
  });

  it("refuses a bad direction, confidence or tolerance with exit code 2, naming the option", async () => {
    refused(
      await judge("--baseline", baseline, "--canary", slower, "--direction", "up", "--json"),
      /^railyard: --direction must be one of either, increase, decrease, got "up"\n$/,
    );
    refused(
      await judge("--baseline", baseline, "--canary", slower, "--confidence", "1"),
      /--confidence must be a number between 0 and 1 \(exclusive\), e\.g\. 0\.98, got "1"/,
    );
    refused(
      await judge("--baseline", baseline, "--canary", slower, "--tolerance", "lots"),
      /--tolerance must be a number at least 0, e\.g\. 0\.25, got "lots"/,
    );
  });

  it("refuses files that are missing, unreadable or not a JSON array of numbers, naming them", async () => {
    const missing = path.join(dir, "missing.json");
    refused(
      await judge("--baseline", missing, "--canary", slower, "--json"),
      new RegExp(`--baseline ${missing.replaceAll(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: no such file`),
    );
    const folder = path.join(dir, "folder");
    await mkdir(folder, { recursive: true });
    refused(
      await judge("--baseline", baseline, "--canary", folder),
      /--canary .*folder: is a directory, not a file/,
    );
    refused(
      await judge("--baseline", await file("broken.json", "[1, 2,"), "--canary", slower),
      /--baseline .*broken\.json: not JSON \(.*\); expected an array of numbers/,
    );
    refused(
      await judge("--baseline", baseline, "--canary", await file("object.json", '{"values": [1, 2]}')),
      /--canary .*object\.json: expected a JSON array of numbers, found an object/,
    );
    refused(
      await judge("--baseline", await file("strings.json", '[1, "2", 3]'), "--canary", slower, "--json"),
      /--baseline .*strings\.json: element \[1\] is a string, expected a number/,
    );
    refused(
      await judge("--baseline", baseline, "--canary", await file("nulls.json", "[1, null]")),
      /--canary .*nulls\.json: element \[1\] is null, expected a number/,
    );
  });

  it("requires both files", async () => {
    const result = await judge("--baseline", baseline);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/--canary <file>/);
  });
});
