/**
 * `summarizeReport` on a ~50 MB Trivy JSON report: reading the file and summarising it (parse,
 * normalise, deduplicate, count), as `railyard report summarize` and the `security` gate do. The
 * report is generated from a fixed seed into a temporary file: many Results (OS packages and lock
 * files) with many Vulnerabilities in Trivy's shape, with long descriptions and reference lists, and
 * some findings repeated across Results so deduplication has work to do.
 *
 * `node bench/security.js [--no-write]` (after `npm run build`); writes the `security` section of
 * BENCHMARKS.md unless `--no-write`.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { summarizeReport } from "../dist/domain/security/summarize.js";
import { machineLine, utcNow, writeSection } from "./report.js";
import { seededRandom } from "./stats.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const TARGET_BYTES = 50 * 1024 * 1024;
const RUNS = 8;
const TARGET_MS = 2000;
const SEED = 20261127;

const WORDS = (
  "a flaw was found in the handling of crafted input which allows a remote attacker to cause a " +
  "denial of service or execute arbitrary code via a heap based buffer overflow when parsing " +
  "certificates in the library before version the issue affects applications that process untrusted " +
  "data memory corruption use after free integer overflow out of bounds read in function"
).split(" ");
const SEVERITIES = ["CRITICAL", "HIGH", "HIGH", "MEDIUM", "MEDIUM", "MEDIUM", "LOW", "LOW", "UNKNOWN"];
const VENDORS = ["nvd", "redhat", "ubuntu", "debian", "amazon", "ghsa", "alpine", "oracle-oval"];

/** The report as Trivy writes it (`trivy image --format json`), about `TARGET_BYTES` long. */
function trivyReport() {
  const rand = seededRandom(SEED);
  const int = (n) => Math.floor(rand() * n);
  const pick = (list) => list[int(list.length)];
  const sentence = (words) => Array.from({ length: words }, () => pick(WORDS)).join(" ");
  const version = () => `${int(5)}.${int(20)}.${int(30)}`;
  const packages = Array.from({ length: 3000 }, (_, i) => ({ name: `pkg-${i}`, installed: version() }));
  const vulnerability = (cve, pkg) => {
    const severity = pick(SEVERITIES);
    const fixed = rand() < 0.7 ? `${pkg.installed}-r${1 + int(9)}` : "";
    return {
      VulnerabilityID: cve,
      PkgID: `${pkg.name}@${pkg.installed}`,
      PkgName: pkg.name,
      PkgIdentifier: {
        PURL: `pkg:apk/alpine/${pkg.name}@${pkg.installed}?arch=x86_64`,
        UID: int(2 ** 31).toString(16),
      },
      InstalledVersion: pkg.installed,
      FixedVersion: fixed,
      Status: fixed ? "fixed" : "affected",
      Layer: {
        Digest: `sha256:${int(2 ** 31)
          .toString(16)
          .padStart(64, "0")}`,
        DiffID: `sha256:${"0".repeat(64)}`,
      },
      SeveritySource: pick(VENDORS),
      PrimaryURL: `https://avd.aquasec.com/nvd/${cve.toLowerCase()}`,
      DataSource: { ID: "alpine", Name: "Alpine Secdb", URL: "https://secdb.alpinelinux.org/" },
      Title: sentence(8),
      Description: sentence(80 + int(160)),
      Severity: severity,
      CweIDs: [`CWE-${int(1000)}`],
      VendorSeverity: Object.fromEntries(VENDORS.slice(0, 2 + int(6)).map((v) => [v, 1 + int(4)])),
      CVSS: {
        nvd: {
          V3Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
          V3Score: Math.round(rand() * 100) / 10,
        },
      },
      References: Array.from(
        { length: 4 + int(16) },
        (_, r) => `https://security.example.org/advisories/${cve}/${r}`,
      ),
      PublishedDate: "2023-03-22T17:15:00Z",
      LastModifiedDate: "2024-02-04T09:15:00Z",
    };
  };
  const results = [];
  const repeated = [];
  let bytes = 0;
  let vulnerabilities = 0;
  while (bytes < TARGET_BYTES) {
    const list = [];
    const count = 50 + int(150);
    for (let v = 0; v < count; v++) {
      // One finding in twenty repeats an earlier one (the same package in another lock file).
      const finding =
        repeated.length > 0 && rand() < 0.05
          ? pick(repeated)
          : vulnerability(`CVE-${2015 + int(10)}-${1000 + int(60000)}`, pick(packages));
      if (rand() < 0.02) repeated.push(finding);
      list.push(finding);
      // 2-space pretty printing adds about a quarter.
      bytes += JSON.stringify(finding).length * 1.25;
    }
    vulnerabilities += list.length;
    results.push({
      Target: `app/service-${results.length}/package-lock.json`,
      Class: "lang-pkgs",
      Type: "npm",
      Vulnerabilities: list,
    });
  }
  const report = {
    SchemaVersion: 2,
    CreatedAt: "2026-11-27T12:00:00Z",
    ArtifactName: "registry.example.com/shop/api:1.4.2",
    ArtifactType: "container_image",
    Metadata: { OS: { Family: "alpine", Name: "3.19.1" }, ImageID: `sha256:${"ab".repeat(32)}` },
    Results: results,
  };
  return { text: JSON.stringify(report, null, 2), results: results.length, vulnerabilities };
}

const dir = mkdtempSync(path.join(tmpdir(), "railyard-bench-security-"));
const file = path.join(dir, "trivy.json");
let generated;
const runs = [];
let summary;
try {
  generated = trivyReport();
  writeFileSync(file, generated.text);
  generated.text = null;
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    summary = summarizeReport(readFileSync(file, "utf8"));
    runs.push(performance.now() - started);
  }
  // What the JSON parse alone costs, for comparison (read outside the timing).
  const content = readFileSync(file, "utf8");
  const parseStarted = performance.now();
  JSON.parse(content);
  generated.parseMs = performance.now() - parseStarted;
  generated.size = statSync(file).size;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const sorted = [...runs.slice(1)].sort((a, b) => a - b);
const first = runs[0];
const median = sorted[Math.floor(sorted.length / 2)];
const max = sorted[sorted.length - 1];
const best = sorted[0];
const int = (n) => Math.round(n).toLocaleString("en-US");
const met = (ms) => (ms < TARGET_MS ? "met" : "**missed**");
const counts = Object.entries(summary.counts)
  .map(([severity, n]) => `${int(n)} ${severity}`)
  .join(", ");
const section = [
  `### Security report summary: ${utcNow()} UTC`,
  "",
  machineLine(ROOT),
  `- Command: \`node bench/security.js\` (${RUNS} runs in one process on the same file; each reads the file and summarises it; the first includes JIT warm-up and is reported alone, median and max are over the other ${RUNS - 1})`,
  `- Work: a generated Trivy JSON report of ${(generated.size / 2 ** 20).toFixed(1)} MB (${int(generated.results)} Results, ${int(generated.vulnerabilities)} Vulnerabilities with descriptions and references, pretty-printed as Trivy writes it). Result: ${int(summary.findings.length)} findings after deduplication (${counts}). \`JSON.parse\` alone: ${generated.parseMs.toFixed(0)} ms`,
  "",
  `| measure | first run ms (cold) | median ms | max ms | best ms | target < ${int(TARGET_MS)} ms |`,
  "| --- | ---: | ---: | ---: | ---: | --- |",
  `| \`readFileSync\` + \`summarizeReport\` | ${first.toFixed(0)} | ${median.toFixed(0)} | ${max.toFixed(0)} | ${best.toFixed(0)} | median ${met(median)}; max ${met(max)}; cold ${met(first)} |`,
  "",
].join("\n");
process.stdout.write(`${section}\n`);

if (!process.argv.includes("--no-write")) {
  await writeSection(path.join(ROOT, "BENCHMARKS.md"), "security", "Security reports", section);
}
