/** Release metrics: M1–M10 and the DORA keys from the event log (see docs/metrics.md). */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { METRIC_DEFINITIONS } from "../../domain/metrics/compute.js";
import type { Railyard } from "../../engine/railyard.js";
import { ProblemSchema } from "../schemas.js";

const DAY = 86_400_000;
/** The period asked for when the query gives no `from`. */
const DEFAULT_DAYS = 30;

const Ratio = z.object({
  value: z.number().nullable(),
  numerator: z.number(),
  denominator: z.number(),
});
const Durations = z.object({
  count: z.number(),
  meanMs: z.number().nullable(),
  p50Ms: z.number().nullable(),
  p90Ms: z.number().nullable(),
});
const Bucket = z.enum(["elite", "high", "medium", "low"]).nullable();

/** One period of the report (see `MetricsPeriod` in src/domain/metrics/types.ts). */
export const MetricsPeriodSchema = z.object({
  from: z.string(),
  to: z.string(),
  trains: z.object({
    ended: z.number(),
    released: z.number(),
    rolledBack: z.number(),
    aborted: z.number(),
    departed: z.number(),
    hotfixes: z.number(),
  }),
  m1ReleaseSuccessRate: Ratio,
  m2Mttr: Durations,
  m3LeadTime: Durations.extend({ fromPush: z.number() }),
  m4IntegrationTestPassRate: Ratio,
  m5ErrorRateDelta: z.object({
    trains: z.number(),
    mean: z.number().nullable(),
    worst: z.number().nullable(),
  }),
  m6SloCompliance: Ratio,
  m7ChangeFailureRate: Ratio,
  m8Rollbacks: z.object({ count: z.number(), perWeek: z.number() }),
  m9DeploymentTime: Durations,
  m10SecurityScanFailureRate: Ratio,
  dora: z.object({
    deploymentFrequency: z.object({ releases: z.number(), perDay: z.number(), bucket: Bucket }),
    leadTime: z.object({ medianMs: z.number().nullable(), bucket: Bucket }),
    changeFailureRate: z.object({ value: z.number().nullable(), bucket: Bucket }),
    timeToRestore: z.object({ medianMs: z.number().nullable(), bucket: Bucket }),
  }),
});

/** The answer of `GET /api/v1/metrics/releases`. */
export const ReleaseMetricsSchema = z.object({
  query: z.object({
    from: z.string(),
    to: z.string(),
    line: z.string().optional(),
    team: z.string().optional(),
    component: z.string().optional(),
    groupBy: z.enum(["week", "month"]).optional(),
  }),
  asOfEventId: z.number(),
  total: MetricsPeriodSchema,
  periods: z.array(MetricsPeriodSchema),
  byLine: z
    .array(z.object({ line: z.string(), total: MetricsPeriodSchema, periods: z.array(MetricsPeriodSchema) }))
    .optional()
    .describe("With breakdown=line: the same report for each configured line (in configuration order)"),
  definitions: z.record(z.string(), z.string()),
});

const instant = (field: string) =>
  z.iso
    .datetime({ offset: true, message: `${field} must be an ISO 8601 instant, e.g. 2026-01-05T00:00:00Z` })
    .optional();

/** Registers `GET /api/v1/metrics/releases`. */
export function metricsRoutes(app: FastifyInstance, railyard: Railyard): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    "/api/v1/metrics/releases",
    {
      schema: {
        tags: ["metrics"],
        summary: "Release metrics M1–M10 and DORA keys for a period, line, team or component",
        description:
          "Computed from the event log (incrementally: only events since the last query are folded). `from` defaults to 30 days before `to`, `to` to now on the engine's clock. See docs/metrics.md for the definitions.",
        querystring: z.object({
          line: z.string().min(1).optional(),
          team: z.string().min(1).optional(),
          component: z.string().min(1).optional(),
          from: instant("from"),
          to: instant("to"),
          groupBy: z.enum(["week", "month"]).optional(),
          breakdown: z
            .enum(["line"])
            .optional()
            .describe("line: also answer the report of each line (`byLine`), e.g. for a line × week heatmap"),
        }),
        response: { 200: ReleaseMetricsSchema, 400: ProblemSchema },
      },
    },
    async (request) => {
      const q = request.query;
      const to = q.to ? new Date(q.to) : railyard.clock.now();
      const from = q.from ? new Date(q.from) : new Date(to.getTime() - DEFAULT_DAYS * DAY);
      const query = {
        from: from.toISOString(),
        to: to.toISOString(),
        ...(q.team ? { team: q.team } : {}),
        ...(q.component ? { component: q.component } : {}),
        ...(q.groupBy ? { groupBy: q.groupBy } : {}),
      };
      const report = await railyard.releaseMetrics({ ...query, ...(q.line ? { line: q.line } : {}) });
      if (q.breakdown !== "line") return { ...report, definitions: { ...METRIC_DEFINITIONS } };
      const lines = q.line ? [q.line] : Object.keys(railyard.config.lines);
      const byLine = [];
      for (const line of lines) {
        const one = await railyard.releaseMetrics({ ...query, line });
        byLine.push({ line, total: one.total, periods: one.periods });
      }
      return { ...report, byLine, definitions: { ...METRIC_DEFINITIONS } };
    },
  );
}
