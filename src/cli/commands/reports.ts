/**
 * `railyard report push`: a report for an artifact (SBOM, vulnerability scan, VEX, JUnit; the
 * server detects the kind) or JUnit results for a train's integration stage.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import type { ArtifactReport, TestReport } from "../../domain/model.js";
import { contextOf } from "../context.js";
import { type Output, paint } from "../output.js";
import { usageError } from "./actions.js";
import { registerReportSummarize } from "./report-summarize.js";

interface PushOptions {
  artifact?: string;
  name?: string;
  junit?: string;
  train?: string;
  suite?: string;
}

/** The content type a report file is sent with, from its name. */
export function contentTypeOf(file: string): string {
  switch (path.extname(file).toLowerCase()) {
    case ".json":
    case ".sarif":
      return "application/json";
    case ".xml":
      return "application/xml";
    default:
      return "application/octet-stream";
  }
}

async function read(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === "ENOENT" ? `${file}: no such file` : `${file}: cannot read it (${(error as Error).message})`,
    );
  }
}

/** Share of passed tests among those run (flaky counts as passed, skipped not at all); null when none ran. */
export function passRate(summary: TestReport["summary"]): number | null {
  const passed = summary.passed + summary.flaky;
  const run = passed + summary.failed + summary.errored;
  return run === 0 ? null : passed / run;
}

function percent(rate: number): string {
  return `${Number((rate * 100).toFixed(1))}%`;
}

function renderTestReport(out: Output, report: Omit<TestReport, "cases">): void {
  const s = report.summary;
  const rate = passRate(s);
  out.line(
    `${paint(out, "green", "recorded")} suite ${report.suite} for ${report.trainId} (manifest revision ${report.revision})`,
  );
  const failing = s.failed + s.errored;
  out.line(
    `  ${s.tests} tests: ${s.passed} passed, ${paint(out, failing > 0 ? "red" : "dim", `${s.failed} failed, ${s.errored} errored`)}, ${s.skipped} skipped, ${s.flaky} flaky`,
  );
  out.line(
    `  pass rate ${rate === null ? "n/a (no test ran)" : paint(out, failing > 0 ? "yellow" : "green", percent(rate))}${s.truncated ? paint(out, "dim", " (more cases ran than were kept)") : ""}`,
  );
}

export function registerReportCommands(program: Command): void {
  const report = program
    .command("report")
    .description("reports CI pushes: artifact reports and JUnit results");
  report
    .command("push")
    .description("push a report for an artifact, or JUnit results for a train")
    .argument("[file]", "the report file (with --artifact)")
    .option("--artifact <id>", "the artifact the report is about; its kind is detected from the content")
    .option("--name <name>", "a label for the artifact report, e.g. the scanner (with --artifact)")
    .option("--junit <file>", "JUnit XML results of the train's integration tests (with --train)")
    .option("--train <id>", "the train the JUnit results are for (with --junit)")
    .option(
      "--suite <name>",
      "the suite name a tests gate waits for (with --junit; default: the report's own)",
    )
    .addHelpText(
      "after",
      `
Exactly one of:
  --artifact ID FILE [--name NAME]     SBOM (CycloneDX, SPDX), scan (Grype, Trivy, SARIF),
                                       VEX (OpenVEX) or JUnit XML for one artifact
  --junit FILE --train ID [--suite NAME]
                                       integration test results for a train, after its cut-off

Examples:
  railyard report push --artifact art_3kZ9 sbom.cdx.json --name trivy
  railyard report push --junit target/surefire-reports/TEST-all.xml --train shop-12 --suite e2e`,
    )
    .action(async (file: string | undefined, options: PushOptions, command: Command) => {
      if (options.artifact !== undefined && options.junit !== undefined) {
        usageError(command, "give either --artifact ID FILE or --junit FILE --train ID, not both");
      }
      if (options.artifact === undefined && options.junit === undefined) {
        usageError(command, "say what the report is for: --artifact ID FILE, or --junit FILE --train ID");
      }
      const ctx = contextOf(command);
      if (options.artifact !== undefined) {
        if (file === undefined)
          usageError(command, "--artifact needs the report FILE: report push --artifact ID FILE");
        if (options.train !== undefined || options.suite !== undefined) {
          usageError(command, "--train and --suite go with --junit, not with --artifact");
        }
        const query = options.name ? `?${new URLSearchParams({ name: options.name })}` : "";
        const result = await ctx
          .client()
          .upload<{ report: ArtifactReport; replay: boolean }>(
            "POST",
            `/api/v1/artifacts/${encodeURIComponent(options.artifact)}/reports${query}`,
            await read(file),
            contentTypeOf(file),
          );
        if (ctx.json) return ctx.out.json(result);
        const { report: r } = result;
        ctx.out.line(
          `${result.replay ? paint(ctx.out, "dim", "unchanged") : paint(ctx.out, "green", "recorded")} ${r.kind} (${r.format}) for artifact ${r.artifactId}${r.name ? `, named ${r.name}` : ""}${result.replay ? ": the same report was pushed before" : ""}`,
        );
        ctx.out.line(
          paint(ctx.out, "dim", `report ${r.id}, ${r.size} bytes, sha256 ${r.sha256.slice(0, 12)}`),
        );
        return;
      }
      const junit = options.junit!;
      if (file !== undefined)
        usageError(command, `--junit takes the file itself; drop the extra argument "${file}"`);
      if (options.train === undefined)
        usageError(command, "--junit needs --train ID: the train the results are for");
      if (options.name !== undefined)
        usageError(command, "--name goes with --artifact; name a JUnit suite with --suite");
      const query = options.suite ? `?${new URLSearchParams({ suite: options.suite })}` : "";
      const result = await ctx
        .client()
        .upload<Omit<TestReport, "cases">>(
          "POST",
          `/api/v1/trains/${encodeURIComponent(options.train)}/test-reports${query}`,
          await read(junit),
          "application/xml",
        );
      if (ctx.json) return ctx.out.json(result);
      renderTestReport(ctx.out, result);
    });
  registerReportSummarize(report);
}
