/** `railyard metrics`: release metrics M1–M10 and the DORA keys, per period, line, team, component. */
import { type Command, Option } from "commander";
import { formatDuration } from "../../domain/duration.js";
import type {
  DoraBucket,
  DurationStat,
  MetricsPeriod,
  Ratio,
  ReleaseMetricsReport,
} from "../../domain/metrics/types.js";
import { contextOf, DEFAULT_CONFIG } from "../context.js";
import { type Output, paint, table } from "../output.js";

const DAY = 86_400_000;

interface MetricsOptions {
  line?: string;
  team?: string;
  component?: string;
  from?: string;
  to?: string;
  groupBy?: string;
  database?: string;
  config?: string;
}

/**
 * The report computed here, from a database, without a server: the stored facts and cursor are
 * read, the events after it folded in memory (nothing is written), the configuration read for
 * team and component lookups. `to` defaults to just after the last event, `from` to 30 days
 * before `to`.
 * @throws when there is no such SQLite file, the configuration cannot be loaded, an instant is
 *   not one, or a line, team or component is not in the configuration
 */
async function offlineReport(
  options: MetricsOptions & { database: string },
): Promise<ReleaseMetricsReport & { definitions: Record<string, string> }> {
  // Loaded here, not at the top: the other commands start faster without the database drivers.
  const { existsSync } = await import("node:fs");
  const { default: pino } = await import("pino");
  const { METRIC_DEFINITIONS } = await import("../../domain/metrics/compute.js");
  const { MetricsBook } = await import("../../engine/metrics-book.js");
  const { openStore } = await import("../../store/open-store.js");
  const { parseStoreUrl } = await import("../../store/store-url.js");
  const { loadConfigFile } = await import("../config-file.js");
  const { config } = await loadConfigFile(options.config ?? process.env.RAILYARD_CONFIG ?? DEFAULT_CONFIG);
  const known = {
    line: Object.keys(config.lines),
    team: Object.keys(config.teams),
    component: Object.keys(config.components),
  };
  for (const field of ["line", "team", "component"] as const) {
    const value = options[field];
    if (value !== undefined && !known[field].includes(value)) {
      throw new Error(
        `metrics: --${field} ${value} is not in the configuration; known: ${known[field].join(", ") || "none"}`,
      );
    }
  }
  const location = parseStoreUrl(options.database);
  // Opening creates a missing SQLite file: an empty database would answer zeros.
  if (location.dialect === "sqlite" && location.path !== ":memory:" && !existsSync(location.path)) {
    throw new Error(
      `no database at ${location.path}: pass --database with the server's database URL or SQLite file`,
    );
  }
  const store = await openStore({ url: options.database, inlineWriter: true });
  try {
    const book = new MetricsBook({
      store,
      logger: pino({ level: "silent" }),
      teamOf: (component) => config.components[component]?.team,
      persist: false,
    });
    const cursor = await book.catchUp();
    const instant = (flag: string, text: string): number => {
      const ms = Date.parse(text);
      if (Number.isNaN(ms))
        throw new Error(
          `metrics: --${flag} ${text} is not an instant; write ISO 8601, e.g. 2026-01-01T00:00:00Z`,
        );
      return ms;
    };
    let to: number;
    if (options.to !== undefined) to = instant("to", options.to);
    else {
      const [last] = cursor === 0 ? [] : await store.listEvents({ afterId: cursor - 1, limit: 1 });
      to = last ? Date.parse(last.time) + 1 : Date.now();
    }
    const from = options.from !== undefined ? instant("from", options.from) : to - 30 * DAY;
    if (from >= to) {
      throw new Error(
        `metrics: --from (${new Date(from).toISOString()}) must be before --to (${new Date(to).toISOString()})`,
      );
    }
    const report = await book.report({
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      ...(options.line ? { line: options.line } : {}),
      ...(options.team ? { team: options.team } : {}),
      ...(options.component ? { component: options.component } : {}),
      ...(options.groupBy ? { groupBy: options.groupBy as "week" | "month" } : {}),
    });
    return { ...report, definitions: { ...METRIC_DEFINITIONS } };
  } finally {
    await store.close();
  }
}

const BUCKET_STYLE = { elite: "green", high: "green", medium: "yellow", low: "red" } as const;

const percent = (r: Ratio): string => (r.value === null ? "–" : `${(r.value * 100).toFixed(1)} %`);
const made = (r: Ratio): string => `${r.numerator} / ${r.denominator}`;
const duration = (ms: number | null): string => (ms === null ? "–" : formatDuration(Math.round(ms)));
const spread = (d: DurationStat): string =>
  d.count === 0 ? "none" : `${d.count}, p50 ${duration(d.p50Ms)}, p90 ${duration(d.p90Ms)}`;
const bucket = (out: Output, b: DoraBucket | null): string =>
  b === null ? "" : paint(out, BUCKET_STYLE[b], b);
const delta = (x: number | null): string =>
  x === null ? "–" : `${x >= 0 ? "+" : ""}${(x * 100).toFixed(2)} pp`;

/** The metrics of one period as table rows: metric, value, what it is made of, DORA bucket. */
function rows(out: Output, p: MetricsPeriod): string[][] {
  const t = p.trains;
  return [
    [
      "M1 release success",
      percent(p.m1ReleaseSuccessRate),
      `${made(p.m1ReleaseSuccessRate)} ended trains without rollback`,
      "",
    ],
    ["M2 MTTR", duration(p.m2Mttr.meanMs), `incidents: ${spread(p.m2Mttr)}`, ""],
    [
      "M3 lead time",
      duration(p.m3LeadTime.meanMs),
      `versions: ${spread(p.m3LeadTime)}${p.m3LeadTime.fromPush ? ` (${p.m3LeadTime.fromPush} from push)` : ""}`,
      "",
    ],
    [
      "M4 test pass rate",
      percent(p.m4IntegrationTestPassRate),
      `${made(p.m4IntegrationTestPassRate)} cases`,
      "",
    ],
    [
      "M5 error-rate delta",
      delta(p.m5ErrorRateDelta.mean),
      `${p.m5ErrorRateDelta.trains} trains measured, worst ${delta(p.m5ErrorRateDelta.worst)}`,
      "",
    ],
    [
      "M6 SLO compliance",
      percent(p.m6SloCompliance),
      `${made(p.m6SloCompliance)} SLO gate evaluations passed`,
      "",
    ],
    [
      "M7 change failure",
      percent(p.m7ChangeFailureRate),
      `${made(p.m7ChangeFailureRate)} departed trains failed`,
      bucket(out, p.dora.changeFailureRate.bucket),
    ],
    ["M8 rollbacks", String(p.m8Rollbacks.count), `${p.m8Rollbacks.perWeek.toFixed(2)} per week`, ""],
    ["M9 deployment time", duration(p.m9DeploymentTime.meanMs), `trains: ${spread(p.m9DeploymentTime)}`, ""],
    [
      "M10 security failures",
      percent(p.m10SecurityScanFailureRate),
      `${made(p.m10SecurityScanFailureRate)} security gate evaluations failed`,
      "",
    ],
    [
      "deployment frequency",
      `${p.dora.deploymentFrequency.perDay.toFixed(2)}/day`,
      `${p.dora.deploymentFrequency.releases} released (${t.hotfixes} hotfixes); ${t.ended} ended, ${t.rolledBack} rolled back, ${t.aborted} aborted`,
      bucket(out, p.dora.deploymentFrequency.bucket),
    ],
    [
      "lead time (median)",
      duration(p.dora.leadTime.medianMs),
      "median of M3",
      bucket(out, p.dora.leadTime.bucket),
    ],
    [
      "time to restore (median)",
      duration(p.dora.timeToRestore.medianMs),
      "median of M2",
      bucket(out, p.dora.timeToRestore.bucket),
    ],
  ];
}

/** Registers `railyard metrics`. */
export function registerMetricsCommand(program: Command): void {
  program
    .command("metrics")
    .description("release metrics M1–M10 and DORA keys from the event log (default: the last 30 days)")
    .option("--line <name>", "only this line's trains")
    .option("--team <name>", "only trains carrying this team's components (per component where a metric is)")
    .option("--component <name>", "only trains carrying this component")
    .option("--from <instant>", "start, inclusive (ISO 8601); default: 30 days before --to")
    .option(
      "--to <instant>",
      "end, exclusive (ISO 8601); default: now on the server's clock (with --database: just after the last event)",
    )
    .addOption(
      new Option("--group-by <period>", "also one row per ISO week or UTC month").choices(["week", "month"]),
    )
    .option(
      "--database <url>",
      "compute here from this database URL or SQLite file, without a server (reads only; needs the configuration)",
    )
    .option(
      "-c, --config <file>",
      `with --database: the configuration for lines, teams and components (default: RAILYARD_CONFIG, else ${DEFAULT_CONFIG})`,
    )
    .addHelpText(
      "after",
      `
Definitions: docs/metrics.md (and "definitions" in --json).

Examples:
  railyard metrics
  railyard metrics --line web --from 2026-01-01T00:00:00Z --to 2026-04-01T00:00:00Z --group-by month
  railyard metrics --team payments --group-by week --json
  railyard metrics --database .railyard/railyard.db -c railyard.yaml --group-by week`,
    )
    .action(async (options: MetricsOptions, command: Command) => {
      const ctx = contextOf(command);
      const query = new URLSearchParams();
      if (options.line) query.set("line", options.line);
      if (options.team) query.set("team", options.team);
      if (options.component) query.set("component", options.component);
      if (options.from) query.set("from", options.from);
      if (options.to) query.set("to", options.to);
      if (options.groupBy) query.set("groupBy", options.groupBy);
      const report =
        options.database !== undefined
          ? await offlineReport({ ...options, database: options.database })
          : await ctx.client().request<ReleaseMetricsReport>("GET", `/api/v1/metrics/releases?${query}`);
      if (ctx.json) return ctx.out.json(report);
      const scope = [
        options.line ? `line ${options.line}` : null,
        options.team ? `team ${options.team}` : null,
        options.component ? `component ${options.component}` : null,
      ].filter((s) => s !== null);
      ctx.out.line(
        `${report.total.from} → ${report.total.to}${scope.length ? ` (${scope.join(", ")})` : ""}, as of event ${report.asOfEventId}`,
      );
      ctx.out.line(table(ctx.out, ["METRIC", "VALUE", "MADE OF", "DORA"], rows(ctx.out, report.total)));
      if (report.periods.length === 0) return;
      ctx.out.line("");
      ctx.out.line(
        table(
          ctx.out,
          ["PERIOD", "RELEASED", "M1", "M3 LEAD", "M7 CFR", "M8 RB", "M9 DEPLOY", "DF/DAY"],
          report.periods.map((p) => [
            p.from.slice(0, 10),
            String(p.trains.released),
            percent(p.m1ReleaseSuccessRate),
            duration(p.m3LeadTime.p50Ms),
            percent(p.m7ChangeFailureRate),
            String(p.m8Rollbacks.count),
            duration(p.m9DeploymentTime.p50Ms),
            p.dora.deploymentFrequency.perDay.toFixed(2),
          ]),
        ),
      );
    });
}
