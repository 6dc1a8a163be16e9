/**
 * `railyard report summarize FILE [--json]`: what a vulnerability scan, SBOM or VEX file says, read
 * the way the `security` gate reads it (`src/domain/security/`), from the file and without a
 * server. Its `--json` output is a fixed interface:
 * `{"format", "findings": [{id, severity, package, installed, fixed}], "counts": {critical, high,
 * medium, low, negligible, unknown}}`.
 */
import { readFile, stat } from "node:fs/promises";
import { type Command, CommanderError, Help, type Option } from "commander";
import {
  type Finding,
  MAX_REPORT_SIZE,
  SEVERITY_ORDER,
  SecurityReportError,
  type SecuritySummary,
  type Severity,
  summarizeReport,
} from "../../domain/security/summarize.js";
import { contextOf } from "../context.js";
import { type Output, paint, type Style, table } from "../output.js";

/** `railyard report summarize --json`. */
export interface SummarizeOutput {
  format: SecuritySummary["format"];
  findings: Array<Pick<Finding, "id" | "severity" | "package" | "installed" | "fixed">>;
  counts: Record<Severity, number>;
}

/** The `--json` document of a summary: only the fields of the fixed interface, in its order. */
export function summarizeOutput(summary: SecuritySummary): SummarizeOutput {
  return {
    format: summary.format,
    findings: summary.findings.map((f) => ({
      id: f.id,
      severity: f.severity,
      package: f.package,
      installed: f.installed,
      fixed: f.fixed,
    })),
    counts: summary.counts,
  };
}

const SEVERITY_STYLE: Record<Severity, Style> = {
  critical: "red",
  high: "red",
  medium: "yellow",
  low: "cyan",
  negligible: "gray",
  unknown: "gray",
};

/** The options a server command has and this one does not need. */
const REMOTE_OPTIONS = new Set(["--server", "--token"]);

/** Reads the file; a missing or unreadable one ends the command with exit code 2. */
async function readReport(file: string, fail: (code: number, message: string) => never): Promise<string> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return fail(2, `${file}: not a file`);
    // Checked before reading, so a huge file is refused without being loaded.
    if (info.size > MAX_REPORT_SIZE) {
      return fail(
        1,
        `${file}: the report is ${Math.round(info.size / 2 ** 20)} MB, over the limit of 200 MB`,
      );
    }
    return await readFile(file, "utf8");
  } catch (error) {
    if (error instanceof CommanderError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    return fail(
      2,
      code === "ENOENT" ? `${file}: no such file` : `${file}: cannot read it (${(error as Error).message})`,
    );
  }
}

function render(out: Output, summary: SecuritySummary): void {
  const dash = (value: string | null) => (value === null || value === "" ? "-" : value);
  const counts = SEVERITY_ORDER.map((s) => `${s} ${summary.counts[s]}`).join(", ");
  out.line(`Format: ${summary.format}`);
  out.line(`Findings: ${summary.findings.length} (${counts})`);
  if (summary.sbom !== null) out.line(`SBOM: ${summary.sbom.components} components`);
  if (summary.vex.length > 0) out.line(`VEX: ${summary.vex.length} statements`);
  out.line();
  if (summary.findings.length === 0) out.line("No findings.");
  else
    out.line(
      table(
        out,
        ["ID", "SEVERITY", "PACKAGE", "INSTALLED", "FIXED"],
        summary.findings.map((f) => [
          f.id,
          paint(out, SEVERITY_STYLE[f.severity], f.severity),
          dash(f.package),
          dash(f.installed),
          dash(f.fixed),
        ]),
      ),
    );
  if (summary.vex.length === 0) return;
  out.line();
  out.line(
    table(
      out,
      ["VULNERABILITY", "STATUS", "JUSTIFICATION", "PRODUCTS"],
      summary.vex.map((s) => [
        s.id,
        s.status,
        dash(s.justification),
        s.products.length === 0
          ? "any"
          : `${s.products[0]}${s.products.length > 1 ? ` (+${s.products.length - 1})` : ""}`,
      ]),
    ),
  );
}

/** Adds `summarize FILE [--json]` to the `report` command group. */
export function registerReportSummarize(report: Command): void {
  report
    .command("summarize")
    .description(
      "read a vulnerability scan, SBOM or VEX file: its format, counts and findings (no server needed)",
    )
    .argument("<file>", "Grype, Trivy, CycloneDX, SARIF 2.1.0, SPDX 2.3 or OpenVEX JSON")
    .option("--json", 'print {"format", "findings": [{id, severity, package, installed, fixed}], "counts"}')
    // It reads a local file: the server options every `report` command gets are not shown.
    .configureHelp({
      visibleOptions(this: Help, command: Command): Option[] {
        return Help.prototype.visibleOptions
          .call(this, command)
          .filter((option) => !REMOTE_OPTIONS.has(option.long ?? ""));
      },
    })
    .addHelpText(
      "after",
      `
Findings are deduplicated per (id, package, installed) and listed most severe first; counts have
every severity (critical, high, medium, low, negligible, unknown). SARIF severities come from the
rule's security-severity score, else its level (error high, warning medium, note low, none unknown).
A file that is no such report exits with 1, a missing or unreadable one with 2; the reason is on
stderr and nothing is printed on stdout.

Examples:
  railyard report summarize grype.json
  trivy image --format json -o trivy.json shop/api:1.4.2 && railyard report summarize trivy.json --json`,
    )
    .action(async (file: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command);
      // Errors go to stderr only, with or without --json: stdout carries nothing but the summary.
      const fail = (code: number, message: string): never => {
        ctx.out.error(`railyard: ${message}`);
        throw new CommanderError(code, "railyard.report", message);
      };
      const content = await readReport(file, fail);
      let summary: SecuritySummary;
      try {
        summary = summarizeReport(content);
      } catch (error) {
        if (error instanceof SecurityReportError) return fail(1, `${file}: ${error.message}`);
        throw error;
      }
      if (ctx.json) return ctx.out.json(summarizeOutput(summary));
      render(ctx.out, summary);
    });
}
