/** Renders benchmark results as Markdown and keeps `BENCHMARKS.md` up to date. */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";

const LATEST_START = "<!-- bench:latest:start -->";
const LATEST_END = "<!-- bench:latest:end -->";
const HISTORY_END = "<!-- bench:history:end -->";

/** The targets of the issue. */
export const TARGETS = {
  ingestPerSecond: 10_000,
  ingestP99Ms: 20,
  ratio: 0.5,
  tickMs: 20,
};

const int = (n) => Math.round(n).toLocaleString("en-US");
const ms = (n) => (n >= 10 ? n.toFixed(1) : n >= 1 ? n.toFixed(2) : n.toFixed(3));
const yes = (ok) => (ok ? "yes" : "**no**");

function httpRow(name, r) {
  return `| ${name} | ${int(r.requestsPerSecond)} | ${int(r.total)} | ${r.latency.p50} | ${r.latency.p99} | ${r.latency.max} | ${r.errors} | ${r.timeouts} | ${r.non2xx} |`;
}

/** The run as Markdown. */
export function renderRun(results, command) {
  const { machine: m, settings: s, bare, ingest, tick } = results;
  const lines = [
    `### ${results.label}: ${m.date}`,
    "",
    `- Machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB RAM, Node ${m.node}, SQLite \`synchronous=${m.sqliteSynchronous}\` (WAL), commit ${m.commit}, load average ${m.loadAverage} when it began`,
    `- Command: \`${command}\``,
    `- Load: autocannon, ${s.connections} connections, pipelining 1, ${s.warmup} s warm-up then ${s.duration} s measured. Split layout (first table): autocannon in the parent process, each server in a child process (one core each). Shared layout (second table): server and autocannon in one child process.`,
    "",
  ];
  if (bare || ingest) {
    lines.push(
      "| route | req/s | requests | p50 ms | p99 ms | max ms | errors | timeouts | non-2xx |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    );
    if (bare) lines.push(httpRow("bare Fastify route (validates, stores nothing)", bare));
    if (ingest) lines.push(httpRow("Railyard `POST /api/v1/artifacts` (SQLite)", ingest));
    lines.push("");
  }
  if (bare && ingest) {
    lines.push(
      `Ratio ingest / bare: **${(ingest.requestsPerSecond / bare.requestsPerSecond).toFixed(2)}**`,
      "",
    );
  }
  if (ingest) {
    const c = ingest.check;
    lines.push(
      `Check (${c.ok ? "passed" : "**FAILED**"}): in the measured window the engine accepted ${int(c.engineCreated)} new artifacts and the store gained ${int(c.newEvents)} \`artifact.pushed\` events and ${int(c.newArtifacts)} artifact rows; the server wrote ${int(c.serverSent201)} 201 answers and autocannon counted ${int(c.clientSaw201)} (the difference were in flight when autocannon stopped and closed its connections); no other status; hash chain ${c.chain}.`,
      "",
    );
  }
  const shared = results.shared;
  if (shared?.bare || shared?.ingest) {
    lines.push(
      "Shared layout: each server and autocannon in one process (the layout of the issue's reference figures; the second core is left to what the server does off its event loop):",
      "",
      "| route | req/s | requests | p50 ms | p99 ms | max ms | errors | timeouts | non-2xx |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    );
    if (shared.bare) lines.push(httpRow("bare Fastify route (validates, stores nothing)", shared.bare));
    if (shared.ingest) lines.push(httpRow("Railyard `POST /api/v1/artifacts` (SQLite)", shared.ingest));
    lines.push("");
    if (shared.bare && shared.ingest) {
      lines.push(
        `Ratio ingest / bare (shared layout): **${(shared.ingest.requestsPerSecond / shared.bare.requestsPerSecond).toFixed(2)}**`,
        "",
      );
    }
    if (shared.ingest) {
      const c = shared.ingest.check;
      lines.push(
        `Check (${c.ok ? "passed" : "**FAILED**"}): the engine accepted ${int(c.engineCreated)} new artifacts, the store gained ${int(c.newEvents)} \`artifact.pushed\` events and ${int(c.newArtifacts)} artifact rows, autocannon counted ${int(c.clientSaw201)} 201 answers; no other status; hash chain ${c.chain}.`,
        "",
      );
    }
  }
  if (tick) {
    lines.push(
      `Engine tick, ${int(tick.activeTrains)} active trains on ${tick.lines} lines (SQLite file):`,
      "",
      "| case | ticks | mean ms | p50 ms | p99 ms | max ms |",
      "| --- | ---: | ---: | ---: | ---: | ---: |",
      `| nothing due | ${tick.quiet.ticks} | ${ms(tick.quiet.mean)} | ${ms(tick.quiet.p50)} | ${ms(tick.quiet.p99)} | ${ms(tick.quiet.max)} |`,
      `| ${tick.due.duePerTick} trains due | ${tick.due.ticks} | ${ms(tick.due.mean)} | ${ms(tick.due.p50)} | ${ms(tick.due.p99)} | ${ms(tick.due.max)} |`,
      "",
    );
  }
  const targets = [];
  if (ingest) {
    targets.push(
      `| ingest ≥ ${int(TARGETS.ingestPerSecond)} artifacts/s | ${int(ingest.requestsPerSecond)} | ${yes(ingest.requestsPerSecond >= TARGETS.ingestPerSecond)} |`,
      `| ingest p99 < ${TARGETS.ingestP99Ms} ms | ${ingest.latency.p99} ms | ${yes(ingest.latency.p99 < TARGETS.ingestP99Ms)} |`,
    );
  }
  if (bare && ingest) {
    const ratio = ingest.requestsPerSecond / bare.requestsPerSecond;
    targets.push(
      `| ingest / bare ≥ ${TARGETS.ratio} | ${ratio.toFixed(2)} | ${yes(ratio >= TARGETS.ratio)} |`,
    );
  }
  if (shared?.ingest) {
    targets.push(
      `| shared layout: ingest ≥ ${int(TARGETS.ingestPerSecond)} artifacts/s | ${int(shared.ingest.requestsPerSecond)} | ${yes(shared.ingest.requestsPerSecond >= TARGETS.ingestPerSecond)} |`,
      `| shared layout: ingest p99 < ${TARGETS.ingestP99Ms} ms | ${shared.ingest.latency.p99} ms | ${yes(shared.ingest.latency.p99 < TARGETS.ingestP99Ms)} |`,
    );
  }
  if (shared?.bare && shared?.ingest) {
    const ratio = shared.ingest.requestsPerSecond / shared.bare.requestsPerSecond;
    targets.push(
      `| shared layout: ingest / bare ≥ ${TARGETS.ratio} | ${ratio.toFixed(2)} | ${yes(ratio >= TARGETS.ratio)} |`,
    );
  }
  if (tick) {
    targets.push(
      `| tick with 1,000 active trains, nothing due < ${TARGETS.tickMs} ms | max ${ms(tick.quiet.max)} ms | ${yes(tick.quiet.max < TARGETS.tickMs)} |`,
    );
  }
  if (targets.length > 0) lines.push("| target | result | met |", "| --- | ---: | --- |", ...targets, "");
  if (ingest?.profile) {
    const { cpu, sql, wallMs, eventLoopUtilization } = ingest.profile;
    const pct = (share) => `${(share * 100).toFixed(1)}%`;
    lines.push(
      `Profile of the ingest server during the measured window (\`--profile\`; the profiler itself slows the server down). Event loop busy ${pct(eventLoopUtilization)} of ${int(wallMs)} ms. Wall time inside SQLite by statement (better-sqlite3 runs on the event loop, so this includes the fsync of each COMMIT):`,
      "",
      "| statement | count | total ms | µs each | share of wall time |",
      "| --- | ---: | ---: | ---: | ---: |",
      ...sql
        .slice(0, 8)
        .map(
          (q) =>
            `| \`${q.kind}\` | ${int(q.count)} | ${int(q.ms)} | ${ms((q.ms * 1000) / q.count)} | ${pct(q.share)} |`,
        ),
      "",
      `CPU self time by area (${int(cpu.busyMs)} ms busy, ${int(cpu.idleMs)} ms idle):`,
      "",
      "| area | self ms | share of busy |",
      "| --- | ---: | ---: |",
      ...cpu.areas.slice(0, 12).map((a) => `| ${a.name} | ${int(a.ms)} | ${a.share}% |`),
      "",
      "Top functions by self time:",
      "",
      "| function | self ms | share of busy |",
      "| --- | ---: | ---: |",
      ...cpu.functions
        .slice(0, 15)
        .map((f) => `| \`${f.name.replaceAll("|", "\\|")}\` | ${int(f.ms)} | ${f.share}% |`),
      "",
    );
  }
  return lines.join("\n");
}

function historyRow(results) {
  const { machine: m, bare, ingest, tick } = results;
  const cell = (v) => (v === undefined ? "–" : v);
  const sb = results.shared?.bare;
  const si = results.shared?.ingest;
  return `| ${m.date} | ${results.label} | ${m.commit} | ${m.loadAverage} | ${m.sqliteSynchronous} | ${cell(ingest && int(ingest.requestsPerSecond))} | ${cell(ingest?.latency.p99)} | ${cell(bare && int(bare.requestsPerSecond))} | ${cell(bare && ingest ? (ingest.requestsPerSecond / bare.requestsPerSecond).toFixed(2) : undefined)} | ${cell(tick && ms(tick.quiet.max))} | ${cell(si && int(si.requestsPerSecond))} | ${cell(si?.latency.p99)} | ${cell(sb && int(sb.requestsPerSecond))} | ${cell(sb && si ? (si.requestsPerSecond / sb.requestsPerSecond).toFixed(2) : undefined)} |`;
}

const TEMPLATE = `# Benchmarks

Measured by \`npm run bench\` (\`bench/run.js\`); see that file for what each benchmark does.
Targets: artifact ingest over HTTP on SQLite (event appended to the hash chain, projections
updated, durable in WAL with \`synchronous=FULL\`) at least ${int(TARGETS.ingestPerSecond)} artifacts/s sustained with p99
under ${TARGETS.ingestP99Ms} ms, and at least ${TARGETS.ratio}× a bare Fastify route validating the same body in the same run;
an engine tick with 1,000 active trains under ${TARGETS.tickMs} ms when nothing changes.

## Latest run

${LATEST_START}
${LATEST_END}

## History

| date | label | commit | load | synchronous | ingest req/s | ingest p99 ms | bare req/s | ratio | tick max ms (nothing due) | shared: ingest req/s | shared: p99 ms | shared: bare req/s | shared: ratio |
| --- | --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${HISTORY_END}
`;

/**
 * Renders the run and, when `write`, updates `file`: the latest-run section is replaced when
 * `latest` (default-mode full runs), and a history row is always added. Text outside the
 * markers is kept as written.
 */
export async function writeReport(results, { file, write, latest, command }) {
  const markdown = renderRun(results, command);
  if (!write) return markdown;
  let text = existsSync(file) ? await readFile(file, "utf8") : TEMPLATE;
  if (latest) {
    const start = text.indexOf(LATEST_START);
    const end = text.indexOf(LATEST_END);
    if (start < 0 || end < start)
      throw new Error(`${file} lacks the ${LATEST_START} … ${LATEST_END} markers`);
    text = `${text.slice(0, start + LATEST_START.length)}\n${markdown}\n${text.slice(end)}`;
  }
  const history = text.indexOf(HISTORY_END);
  if (history < 0) throw new Error(`${file} lacks the ${HISTORY_END} marker`);
  text = `${text.slice(0, history)}${historyRow(results)}\n${text.slice(history)}`;
  await writeFile(file, text);
  return markdown;
}

/** The short commit of the repository at `root`, `+changes` when the tree is dirty. */
export function commitOf(root) {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root }).toString().trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { cwd: root }).toString().trim();
    return dirty ? `${head}+changes` : head;
  } catch {
    return "unknown";
  }
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, now. */
export const utcNow = () => new Date().toISOString().replace("T", " ").slice(0, 19);

/** The `- Machine: …` line of a benchmark section. */
export function machineLine(root) {
  const cpu = cpus()[0]?.model.replace(/\s+/g, " ").trim() ?? "unknown";
  return `- Machine: ${cpus().length} CPUs (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, commit ${commitOf(root)}, load average ${loadavg()[0].toFixed(2)}`;
}

/**
 * Replaces the section between `<!-- bench:<name>:start -->` and `…:end -->` of `file` with
 * `section`, or appends it under `## <title>` when the file has none yet.
 */
export async function writeSection(file, name, title, section) {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const text = await readFile(file, "utf8");
  const block = `${start}\n${section}${end}`;
  const next = text.includes(start)
    ? text.replace(new RegExp(`${start}[\\s\\S]*?${end}`), block)
    : `${text.trimEnd()}\n\n## ${title}\n\n${block}\n`;
  await writeFile(file, next);
}
