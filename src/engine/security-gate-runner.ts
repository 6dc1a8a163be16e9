/**
 * The `security` gate, judged by the engine from the reports recorded for the train's boarded
 * artifacts (`src/domain/security/gate.ts` holds the rule): the latest report of each format per
 * artifact, VEX statements from its reports, and the waivers in force. Other gate types go to the
 * runner it wraps.
 */
import type { ArtifactReport, ManifestItem } from "../domain/model.js";
import { evaluateSecurityGate, type ScannedArtifact } from "../domain/security/gate.js";
import { SecurityReportError, type SecuritySummary, summarizeReport } from "../domain/security/summarize.js";
import type { GateRunner, StoreReader } from "./ports.js";

type Reader = Pick<StoreReader, "getManifest" | "listArtifactReports" | "getReportContent" | "listWaivers">;

/**
 * The latest report of each format per artifact, summarised (also the `policy` gate's source of
 * findings and SBOMs); a report that no longer parses is listed in `problems`.
 */
export async function scannedArtifacts(
  store: Reader,
  items: readonly ManifestItem[],
): Promise<{ artifacts: ScannedArtifact[]; problems: string[] }> {
  const reports = await store.listArtifactReports(items.map((i) => i.artifactId));
  const problems: string[] = [];
  const artifacts: ScannedArtifact[] = [];
  for (const item of items) {
    const latest = new Map<string, ArtifactReport>();
    for (const r of reports) if (r.artifactId === item.artifactId) latest.set(r.format, r);
    const scans: SecuritySummary[] = [];
    const vex: ScannedArtifact["vex"][number][] = [];
    let hasSbom = false;
    for (const report of latest.values()) {
      if (report.kind === "junit") continue;
      const content = await store.getReportContent(report.id);
      if (content === undefined) continue;
      let summary: SecuritySummary;
      try {
        summary = summarizeReport(content);
      } catch (error) {
        if (!(error instanceof SecurityReportError)) throw error;
        problems.push(
          `${item.component} ${item.version}: report ${report.id} (${report.format}): ${error.message}`,
        );
        continue;
      }
      vex.push(...summary.vex);
      if (summary.sbom !== null) hasSbom = true;
      if (report.kind === "vulnerabilities") scans.push(summary);
    }
    artifacts.push({ component: item.component, version: item.version, scans, vex, hasSbom });
  }
  return { artifacts, problems };
}

/** Wraps `inner` so that `security` gates are judged from the store. */
export function withSecurityGates(inner: GateRunner, store: Reader, now: () => Date): GateRunner {
  return {
    async run(gate, context) {
      if (gate.type !== "security") return inner.run(gate, context);
      const started = performance.now();
      const items = (await store.getManifest(context.trainId)).filter((i) => i.status === "boarded");
      const { artifacts, problems } = await scannedArtifacts(store, items);
      const durationMs = () => Math.round(performance.now() - started);
      if (problems.length > 0) {
        return {
          status: "failed",
          verdict: "error",
          output: [`a report could not be read: ${problems[0]}`, ...problems.slice(1)].join("\n"),
          durationMs: durationMs(),
        };
      }
      const waivers = await store.listWaivers();
      const result = evaluateSecurityGate(gate, artifacts, waivers, now().getTime());
      return {
        status: result.verdict === "pass" ? "passed" : "failed",
        verdict: result.verdict,
        output: result.output,
        durationMs: durationMs(),
      };
    },
  };
}
