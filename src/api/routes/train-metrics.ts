/**
 * Release metrics per train (`GET /api/v1/metrics/trains`): what Railyard recorded about each
 * train and the component versions it carried, for the debug dashboard's breakdown by version and
 * train. Read from the release metrics' per-train facts (src/domain/metrics/train-fact.ts), with
 * what the facts do not keep read from the store: previous versions (the manifest), every gate
 * verdict and the canary score (gate results), the train's current state and attributed incidents.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { TrainFact } from "../../domain/metrics/train-fact.js";
import type { GateResult, Incident, ManifestItem, Step, Train } from "../../domain/model.js";
import { InvalidInputError } from "../../engine/errors.js";
import type { Railyard } from "../../engine/railyard.js";
import { GateResultSchema, Instant, ProblemSchema, StepSchema, TrainStateSchema } from "../schemas.js";

const DAY = 86_400_000;
/** The period asked for when the query gives no `from`. */
const DEFAULT_DAYS = 30;

const VersionSchema = z.object({
  component: z.string(),
  version: z.string(),
  previousVersion: z
    .string()
    .nullable()
    .describe(
      "What ran in production before this train (from its frozen manifest); null: none, or not frozen yet",
    ),
  artifactId: z.string(),
  pushedAt: Instant,
  committedAt: Instant.nullable().describe("The commit's time as CI gave it; null: unknown"),
  leadTimeMs: z
    .number()
    .nullable()
    .describe(
      "M3 for this version: commit (or push, when the commit time is unknown) → the train released; null until released",
    ),
  leadTimeFrom: z.enum(["commit", "push"]),
});

const TrainMetricsRowSchema = z
  .object({
    trainId: z.string(),
    line: z.string(),
    kind: z.enum(["scheduled", "hotfix"]),
    number: z.number().int(),
    state: TrainStateSchema.nullable().describe(
      "The train's current state (final once it ended); null: not in the store",
    ),
    outcome: z
      .enum(["released", "rolled_back", "aborted", "skipped"])
      .nullable()
      .describe("How it ended; null while it runs"),
    createdAt: Instant,
    departedAt: Instant.nullable().describe("When its first production wave started"),
    releasedAt: Instant.nullable(),
    endedAt: Instant.nullable(),
    versions: z
      .array(VersionSchema)
      .describe(
        "The components it carries, by name: the frozen manifest's boarded items (dropped ones removed); before freezing, the artifacts that boarded it",
      ),
    leadTimeMs: z
      .number()
      .nullable()
      .describe("Median (nearest rank) of its versions' lead times; null until released"),
    deploymentTimeMs: z
      .number()
      .nullable()
      .describe("M9: first production wave started → released; null unless both happened"),
    tests: z
      .object({ passed: z.number().int(), run: z.number().int() })
      .describe("M4: integration test cases passed (flaky included) / run (skipped excluded), every report"),
    gates: z
      .object({
        evaluations: z.number().int(),
        pass: z.number().int(),
        fail: z.number().int(),
        inconclusive: z.number().int(),
        error: z.number().int(),
      })
      .describe("Every gate evaluation of the train (gating and verify stages, retries included) by verdict"),
    canaryScore: z
      .number()
      .nullable()
      .describe("The latest canary analysis score (0–100); null when no canary gate ran"),
    errorRate: z
      .object({
        window: z.string(),
        measuredAt: Instant,
        before: z.number().nullable(),
        after: z.number().nullable(),
        delta: z.number().nullable().describe("after − before; null when either is unknown"),
      })
      .nullable()
      .describe(
        "M5: the line's error ratio over the window before the first wave and after release; null: not measured",
      ),
    rollbacks: z.array(
      z.object({
        at: Instant,
        scope: z.enum(["train", "wave", "component"]),
        components: z.array(z.string()).describe("For component rollbacks: the components undone"),
      }),
    ),
    incidents: z
      .array(
        z.object({
          id: z.string(),
          severity: z.enum(["critical", "warning", "info"]),
          title: z.string(),
          status: z.enum(["open", "resolved"]),
          startedAt: Instant,
        }),
      )
      .describe("Incidents attributed to the train (their trainId), oldest first"),
    changeFailed: z
      .boolean()
      .nullable()
      .describe(
        "M7 for this train: any rollback, a critical incident attributed, or a hotfix train following it; null: it never departed",
      ),
    failures: z
      .object({
        reason: z
          .string()
          .nullable()
          .describe("Why the train stopped or was rolled back, as the train records it"),
        gates: z.array(GateResultSchema).describe("Gate results that did not pass, in evaluation order"),
        steps: z.array(StepSchema).describe("Steps that failed, in the order they ran"),
      })
      .optional()
      .describe(
        "Only with include=failures: the train's gate results that did not pass and its failed steps, with their evidence (empty lists when none)",
      ),
  })
  .meta({
    id: "TrainMetricsRow",
    description: "What Railyard recorded about one train, for the debug view.",
  });

/** The answer of `GET /api/v1/metrics/trains`. */
export const TrainMetricsSchema = z.object({
  query: z.object({
    from: Instant,
    to: Instant,
    line: z.string().optional(),
    component: z.string().optional(),
    limit: z.number().int(),
  }),
  matched: z.number().int().describe("Trains that matched, before `limit`"),
  trains: z.array(TrainMetricsRowSchema).describe("Newest first (by creation), at most `limit`"),
});

type Row = z.infer<typeof TrainMetricsRowSchema>;

const instant = (field: string) =>
  z.iso
    .datetime({ offset: true, message: `${field} must be an ISO 8601 instant, e.g. 2026-01-05T00:00:00Z` })
    .optional();

/** Nearest-rank median, as the release metrics' p50. */
function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(0.5 * sorted.length) - 1)] as number;
}

/** The latest canary analysis score among a train's gate results. */
function latestCanaryScore(results: readonly GateResult[]): number | null {
  let latest: { at: string; score: number } | null = null;
  for (const result of results) {
    const detail = result.detail as { kind?: unknown; score?: unknown } | null;
    if (detail?.kind !== "canary" || typeof detail.score !== "number") continue;
    if (latest === null || result.evaluatedAt >= latest.at)
      latest = { at: result.evaluatedAt, score: detail.score };
  }
  return latest?.score ?? null;
}

/**
 * One train's row from its fact and what the store holds about it.
 * `followedBy` are the creation instants of hotfix trains that follow it (M7).
 */
export function trainMetricsRow(
  fact: TrainFact,
  extra: {
    train: Train | undefined;
    manifest: readonly ManifestItem[];
    gates: readonly GateResult[];
    incidents: readonly Incident[];
    followedBy: readonly string[];
  },
): Row {
  const released = fact.releasedAt === null ? null : Date.parse(fact.releasedAt);
  const previous = new Map(
    extra.manifest.filter((item) => item.status === "boarded").map((item) => [item.component, item]),
  );
  const versions = Object.entries(fact.components)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([component, v]) => {
      const item = previous.get(component);
      return {
        component,
        version: v.version,
        previousVersion: item && item.artifactId === v.artifactId ? item.previousVersion : null,
        artifactId: v.artifactId,
        pushedAt: v.pushedAt,
        committedAt: v.committedAt,
        leadTimeMs: released === null ? null : released - Date.parse(v.committedAt ?? v.pushedAt),
        leadTimeFrom: v.committedAt === null ? ("push" as const) : ("commit" as const),
      };
    });
  const gates = { evaluations: 0, pass: 0, fail: 0, inconclusive: 0, error: 0 };
  for (const result of extra.gates) {
    gates.evaluations += 1;
    gates[result.verdict] += 1;
  }
  const m = fact.measurement;
  const critical = extra.incidents.some((incident) => incident.severity === "critical");
  const departedAt = fact.departedAt;
  return {
    trainId: fact.trainId,
    line: fact.line,
    kind: fact.kind,
    number: fact.number,
    state: extra.train?.state ?? null,
    outcome: fact.outcome,
    createdAt: fact.createdAt,
    departedAt,
    releasedAt: fact.releasedAt,
    endedAt: fact.endedAt,
    versions,
    leadTimeMs: median(versions.flatMap((v) => (v.leadTimeMs === null ? [] : [v.leadTimeMs]))),
    deploymentTimeMs: released !== null && departedAt !== null ? released - Date.parse(departedAt) : null,
    tests: fact.tests.reduce((sum, t) => ({ passed: sum.passed + t.passed, run: sum.run + t.run }), {
      passed: 0,
      run: 0,
    }),
    gates,
    canaryScore: latestCanaryScore(extra.gates),
    errorRate:
      m === null
        ? null
        : {
            window: m.window,
            measuredAt: m.at,
            before: m.before,
            after: m.after,
            delta: m.before !== null && m.after !== null ? m.after - m.before : null,
          },
    rollbacks: fact.rollbacks.map((r) => ({ at: r.at, scope: r.scope, components: [...r.components] })),
    incidents: extra.incidents
      .map((i) => ({
        id: i.id,
        severity: i.severity,
        title: i.title,
        status: i.status,
        startedAt: i.startedAt,
      }))
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt)),
    changeFailed:
      departedAt === null
        ? null
        : fact.rollbacks.length > 0 ||
          critical ||
          (fact.kind === "scheduled" && extra.followedBy.some((created) => created >= departedAt)),
  };
}

/** A train's recorded reason, its gate results that did not pass and its failed steps. */
export function failuresOf(
  train: Train | undefined,
  gates: readonly GateResult[],
  steps: readonly Step[],
): NonNullable<Row["failures"]> {
  return {
    reason: train?.reason ?? null,
    gates: gates.filter((g) => g.verdict !== "pass"),
    steps: steps.filter((s) => s.status === "failed"),
  };
}

/** Registers `GET /api/v1/metrics/trains`. */
export function trainMetricsRoutes(app: FastifyInstance, railyard: Railyard): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    "/api/v1/metrics/trains",
    {
      schema: {
        tags: ["metrics"],
        summary:
          "Release metrics per train: versions carried, lead and deployment time, gates, canary, M5, rollbacks",
        description:
          "One row per train that was alive in the period (created before `to`, not ended before `from`), newest first: the component versions it carried with the version each replaced, its lead time (M3, per version and the median) and deployment time (M9), its gate verdicts, latest canary score, error rate before and after release (M5), rollbacks, attributed incidents and whether it counts as a failed change (M7). `from` defaults to 30 days before `to`, `to` to now on the engine's clock. `component` keeps trains carrying that component. See docs/metrics.md for the definitions.",
        querystring: z.object({
          line: z.string().min(1).optional(),
          component: z.string().min(1).optional(),
          from: instant("from"),
          to: instant("to"),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          include: z
            .enum(["failures"])
            .optional()
            .describe("failures: add each train's failed gates and steps with their evidence (`failures`)"),
        }),
        response: { 200: TrainMetricsSchema, 400: ProblemSchema },
      },
    },
    async (request) => {
      const q = request.query;
      const toMs = q.to ? Date.parse(q.to) : railyard.clock.now().getTime();
      const fromMs = q.from ? Date.parse(q.from) : toMs - DEFAULT_DAYS * DAY;
      if (fromMs >= toMs) {
        throw new InvalidInputError(
          `metrics: from (${new Date(fromMs).toISOString()}) must be an instant before to (${new Date(toMs).toISOString()})`,
          { field: "from" },
        );
      }
      const from = new Date(fromMs).toISOString();
      const to = new Date(toMs).toISOString();
      const config = railyard.config;
      for (const [field, value, known] of [
        ["line", q.line, Object.keys(config.lines)],
        ["component", q.component, Object.keys(config.components)],
      ] as const) {
        if (value !== undefined && !known.includes(value)) {
          throw new InvalidInputError(
            `metrics: ${field} ${value} is not in the configuration; known: ${known.join(", ") || "none"}`,
            { field },
          );
        }
      }

      const facts = await railyard.trainFacts();
      const hotfixes = new Map<string, string[]>();
      for (const fact of facts) {
        if (fact.kind !== "hotfix" || fact.hotfixOf === null) continue;
        const key = `${fact.line}#${fact.hotfixOf}`;
        hotfixes.set(key, [...(hotfixes.get(key) ?? []), fact.createdAt]);
      }
      const matching = facts
        .filter(
          (fact) =>
            (q.line === undefined || fact.line === q.line) &&
            (q.component === undefined || q.component in fact.components) &&
            fact.createdAt < to &&
            (fact.endedAt === null || fact.endedAt >= from),
        )
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.trainId.localeCompare(a.trainId));
      const chosen = matching.slice(0, q.limit);
      const store = railyard.store;
      const incidents = await store.listIncidents();
      const trains = await Promise.all(
        chosen.map(async (fact) => {
          const [train, manifest, gates, steps] = await Promise.all([
            store.getTrain(fact.trainId),
            store.getManifest(fact.trainId),
            store.listGateResults(fact.trainId),
            q.include === "failures" ? store.listSteps(fact.trainId) : [],
          ]);
          const row = trainMetricsRow(fact, {
            train,
            manifest,
            gates,
            incidents: incidents.filter((i) => i.trainId === fact.trainId),
            followedBy: hotfixes.get(`${fact.line}#${fact.number}`) ?? [],
          });
          return q.include === "failures" ? { ...row, failures: failuresOf(train, gates, steps) } : row;
        }),
      );
      return {
        query: {
          from,
          to,
          ...(q.line ? { line: q.line } : {}),
          ...(q.component ? { component: q.component } : {}),
          limit: q.limit,
        },
        matched: matching.length,
        trains,
      };
    },
  );
}
