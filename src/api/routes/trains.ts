/** Trains: list, show, events, approvals and people's actions. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { InvalidInputError } from "../../engine/errors.js";
import type { Railyard } from "../../engine/railyard.js";
import { principalOf, requireAuth } from "../auth.js";
import {
  ApprovalRequestSchema,
  ApprovalResultSchema,
  ApprovalStatusSchema,
  CommentSchema,
  DropResultSchema,
  DropSchema,
  EventSchema,
  ExceptionRequestSchema,
  ManifestDiffSchema,
  MUTATION_ERRORS,
  ProblemSchema,
  ReasonSchema,
  RollbackRequestSchema,
  TrainDetailSchema,
  TrainExceptionSchema,
  TrainSchema,
  TrainStateSchema,
  TrainWithProgressSchema,
} from "../schemas.js";

const TrainParams = z.object({ id: z.string().min(1).describe("Train ID, e.g. web-42") });
const errors = MUTATION_ERRORS;
/** The most trains one `include=progress` answer reads progress for. */
const PROGRESS_LIMIT = 200;

export function trainRoutes(app: FastifyInstance, railyard: Railyard): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAuth(railyard);

  r.get(
    "/api/v1/trains",
    {
      schema: {
        tags: ["trains"],
        summary: "List trains, newest first",
        querystring: z.object({
          line: z.string().optional(),
          state: z
            .string()
            .optional()
            .describe("Comma-separated states, e.g. deploying,verifying")
            .refine((s) => !s || s.split(",").every((x) => TrainStateSchema.safeParse(x.trim()).success), {
              message: `states are ${TrainStateSchema.options.join(", ")}`,
            }),
          active: z.enum(["true", "false"]).optional().describe("Only trains that have not ended"),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          include: z
            .enum(["progress"])
            .optional()
            .describe(
              `progress: add each train's rollout progress (\`progress\`: waves, steps running, what it waits for, allowed actions, latest canary analysis), so a dashboard of trains in flight needs no request per train. Costs a few reads per train, so it takes a limit of at most ${PROGRESS_LIMIT}.`,
            ),
        }),
        response: { 200: z.array(TrainWithProgressSchema), 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const { line, state, active, limit, include } = request.query;
      if (include === "progress" && limit > PROGRESS_LIMIT) {
        throw new InvalidInputError(
          `trains: include=progress takes limit ${PROGRESS_LIMIT} at most (asked ${limit}); filter by state or line`,
          { field: "limit" },
        );
      }
      const trains = await railyard.trains({
        ...(line ? { line } : {}),
        ...(state ? { states: state.split(",").map((s) => TrainStateSchema.parse(s.trim())) } : {}),
        ...(active === "true" ? { active: true } : {}),
        limit,
      });
      if (include !== "progress") return trains.map((t) => railyard.present(t));
      return Promise.all(
        trains.map(async (t) => ({ ...railyard.present(t), progress: await railyard.progress(t) })),
      );
    },
  );

  r.get(
    "/api/v1/trains/:id",
    {
      schema: {
        tags: ["trains"],
        summary: "A train with its manifest, gates, approvals, waves, steps and events",
        params: TrainParams,
        response: { 200: TrainDetailSchema, 404: ProblemSchema },
      },
    },
    async (request) => railyard.train(request.params.id),
  );

  r.get(
    "/api/v1/trains/:id/events",
    {
      schema: {
        tags: ["trains"],
        summary: "A train's events after a given event id (poll this to follow a train)",
        params: TrainParams,
        querystring: z.object({
          afterId: z.coerce.number().int().min(0).optional(),
          limit: z.coerce.number().int().min(1).max(5000).default(1000),
        }),
        response: { 200: z.array(EventSchema), 404: ProblemSchema },
      },
    },
    async (request) => {
      await railyard.train(request.params.id);
      return railyard.events({
        trainId: request.params.id,
        ...(request.query.afterId === undefined ? {} : { afterId: request.query.afterId }),
        limit: request.query.limit,
      });
    },
  );

  r.get(
    "/api/v1/trains/:id/approvals",
    {
      schema: {
        tags: ["approvals"],
        summary: "A train's approval tally now, and the approvals and rejections recorded for it",
        description:
          "`groups` says who counts toward each approving group, `excluded` whose approval does not count and why (stale, expired, self, not-member, before-rejection); `records` lists every approval and rejection in the order recorded.",
        params: TrainParams,
        response: { 200: ApprovalStatusSchema, 404: ProblemSchema },
      },
    },
    async (request) => (await railyard.train(request.params.id)).approval,
  );

  r.post(
    "/api/v1/trains/:id/approvals",
    {
      preHandler: auth,
      schema: {
        tags: ["approvals"],
        summary: "Approve or reject a train awaiting approval",
        description:
          "An approval counts for the train's current manifest revision, after the latest rejection and within the line's expiresAfter; a person (the token's subject) counts toward at most one of the line's approving groups, and approving twice counts once. Someone in none of the approving teams, or who pushed or authored an artifact the train carries (unless the line sets allowSelfApproval), is refused with 403 and nothing is recorded. A rejection needs a comment (400 without) and blocks the train; approvers may reject a train they pushed to.",
        security: [{ bearer: [] }],
        params: TrainParams,
        body: ApprovalRequestSchema,
        response: { 201: ApprovalResultSchema, ...errors },
      },
    },
    async (request, reply) => {
      const who = principalOf(request);
      const { decision, comment } = request.body;
      if (decision === "reject") {
        const train = await railyard.reject(request.params.id, who, comment ?? "");
        const detail = await railyard.train(train.id);
        const { mode: _mode, records: _records, ...tally } = detail.approval;
        return reply.code(201).send({ ...tally, train: detail.train, satisfied: false, duplicate: false });
      }
      const result = await railyard.approve(request.params.id, who, comment ?? null);
      return reply.code(201).send({ ...result, train: railyard.present(result.train) });
    },
  );

  const simple = [
    ["pause", "Pause a train; it stays where it is until resumed"],
    ["resume", "Resume a paused train"],
    ["abort", "Abort a train that has not changed production (reason required)"],
    ["retry", "Retry the failed stage of a blocked train"],
  ] as const;
  for (const [action, summary] of simple) {
    r.post(
      `/api/v1/trains/:id/${action}`,
      {
        preHandler: auth,
        schema: {
          tags: ["actions"],
          summary,
          security: [{ bearer: [] }],
          params: TrainParams,
          body: ReasonSchema.optional(),
          response: { 200: TrainSchema, ...errors },
        },
      },
      async (request) => {
        const who = principalOf(request);
        const id = request.params.id;
        const reason = request.body?.reason ?? null;
        const perform = () => {
          switch (action) {
            case "pause":
              return railyard.pause(id, who, reason);
            case "resume":
              return railyard.resume(id, who);
            case "abort":
              return railyard.abort(id, who, reason ?? "");
            case "retry":
              return railyard.retry(id, who);
            default: {
              const unreachable: never = action;
              throw new Error(String(unreachable));
            }
          }
        };
        return railyard.present(await perform());
      },
    );
  }

  r.post(
    "/api/v1/trains/:id/rollback",
    {
      preHandler: auth,
      schema: {
        tags: ["actions"],
        summary: "Roll a train back: whole, one component, or the current wave",
        description:
          "Without `component` or `wave`: every wave the train reached is undone, newest first, dependents before dependencies. With `component`: that component is rolled back in every wave it reached while the rest of the train goes on; refused (409) when a riding component needs its new version, unless the line's rollback.dependents is include. With `wave` (the wave the train is in): that wave is undone and the train blocks there; retry deploys it again.",
        security: [{ bearer: [] }],
        params: TrainParams,
        body: RollbackRequestSchema,
        response: { 200: TrainSchema, ...errors },
      },
    },
    async (request) => {
      const { reason, component, wave } = request.body ?? {};
      const train = await railyard.rollback(request.params.id, principalOf(request), reason ?? null, {
        ...(component ? { component } : {}),
        ...(wave ? { wave } : {}),
      });
      return railyard.present(train);
    },
  );

  r.post(
    "/api/v1/trains/:id/promote",
    {
      preHandler: auth,
      schema: {
        tags: ["actions"],
        summary: "Promote a train past the rollout step waiting for a person",
        description:
          "A canary pause without a duration, a blue-green switch without autoPromote, or an inconclusive canary analysis (the train is paused with cause analysis; promoting accepts it and resumes). 409 when the train waits for no promotion.",
        security: [{ bearer: [] }],
        params: TrainParams,
        body: CommentSchema,
        response: { 200: TrainSchema, ...errors },
      },
    },
    async (request) =>
      railyard.present(
        await railyard.promote(request.params.id, principalOf(request), request.body?.comment ?? null),
      ),
  );

  r.post(
    "/api/v1/trains/:id/drop",
    {
      preHandler: auth,
      schema: {
        tags: ["actions"],
        summary: "Drop a component from a train so it can leave on time (reason required)",
        description:
          "While boarding, the component's artifacts leave the train and ride the next one (`carriedTo`). After the cut-off, the manifest gets a new revision without it, boarding is resolved again and `nowHeld` lists the riders that are now held because of it, each with its reason chain; the train integrates and gates again and approvals given before no longer count. The reason is recorded in the audit trail (400 without one).",
        security: [{ bearer: [] }],
        params: TrainParams,
        body: DropSchema,
        response: { 200: DropResultSchema, ...errors },
      },
    },
    async (request) => {
      const result = await railyard.dropComponent(
        request.params.id,
        request.body.component,
        principalOf(request),
        request.body.reason,
      );
      return { ...result, train: railyard.present(result.train) };
    },
  );

  r.get(
    "/api/v1/trains/:id/diff",
    {
      schema: {
        tags: ["trains"],
        summary: "The train's manifest against production: from → to, commits and compare links",
        description:
          "Per component: the version production runs (`from`), the train's (`to`), the change, its status on the manifest with the reason for held and dropped ones, the commits of both versions and a compare link when the component's `repository` is a GitHub or GitLab URL. Before the cut-off it is `provisional`: the latest artifact per component so far.",
        params: TrainParams,
        response: { 200: ManifestDiffSchema, 404: ProblemSchema },
      },
    },
    async (request) => railyard.diff(request.params.id),
  );

  r.get(
    "/api/v1/trains/:id/exceptions",
    {
      schema: {
        tags: ["actions"],
        summary: "Exceptions granted to a train to deploy through blackouts",
        params: TrainParams,
        response: { 200: z.array(TrainExceptionSchema), 404: ProblemSchema },
      },
    },
    async (request) => railyard.exceptions(request.params.id),
  );

  r.post(
    "/api/v1/trains/:id/exceptions",
    {
      preHandler: auth,
      schema: {
        tags: ["actions"],
        summary: "Let a train deploy through a blackout (an audited exception)",
        description:
          "Grants the train an exception for the named blackout, or (without `blackout`) for every blackout stopping its next production wave now; 409 when none does. The caller must hold one of the blackout's `exceptionRoles` (403 names them); an unknown blackout is 404 naming the line's blackouts. Recorded as an `exception.granted` event with the caller and the reason; a train the blackout paused resumes on the next pass.",
        security: [{ bearer: [] }],
        params: TrainParams,
        body: ExceptionRequestSchema,
        response: {
          201: z.object({
            train: TrainSchema,
            granted: z.array(z.string()).describe("Blackouts this request let the train through"),
            exceptions: z.array(TrainExceptionSchema).describe("Every exception the train holds"),
          }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const result = await railyard.grantException(request.params.id, principalOf(request), {
        blackout: request.body.blackout ?? null,
        reason: request.body.reason,
      });
      return reply.code(201).send({ ...result, train: railyard.present(result.train) });
    },
  );
}
