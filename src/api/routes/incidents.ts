/**
 * Incidents: opened by Alertmanager's webhook, by people, or by a failed rollback (which stops its
 * line until a person resolves it); their alerts and postmortem drafts.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Railyard } from "../../engine/railyard.js";
import { principalOf, requireAuth } from "../auth.js";
import { IncidentSchema, MUTATION_ERRORS, ProblemSchema, ResolveIncidentSchema } from "../schemas.js";

const OpenIncidentSchema = z.strictObject({
  line: z.string().min(1),
  trainId: z.string().min(1).optional(),
  title: z.string().trim().min(1, "say what is wrong").max(500),
  detail: z.string().max(20_000).optional(),
  severity: z.enum(["critical", "warning", "info"]).default("critical"),
  component: z.string().min(1).optional(),
  environment: z.string().min(1).optional(),
});

const IncidentAlertSchema = z.object({
  incidentId: z.string(),
  fingerprint: z.string(),
  alertname: z.string(),
  status: z.enum(["firing", "resolved"]),
  severity: z.enum(["critical", "warning", "info"]),
  labels: z.record(z.string(), z.string()),
  startsAt: z.string(),
  endsAt: z.string().nullable(),
  updatedAt: z.string(),
});

const PostmortemText = z.string().meta({
  description: "The postmortem draft.",
  content: { "text/markdown": { schema: { type: "string", description: "Markdown" } } },
});

/**
 * Registers `GET /api/v1/incidents`, `POST /api/v1/incidents`, `GET /api/v1/incidents/:id`,
 * `GET /api/v1/incidents/:id/postmortem` and `POST /api/v1/incidents/:id/resolve`.
 */
export function incidentRoutes(app: FastifyInstance, railyard: Railyard): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = requireAuth(railyard);

  r.get(
    "/api/v1/incidents",
    {
      schema: {
        tags: ["incidents"],
        summary: "Incidents, newest first",
        querystring: z.object({
          line: z.string().optional(),
          status: z.enum(["open", "resolved"]).optional(),
        }),
        response: { 200: z.array(IncidentSchema) },
      },
    },
    async (request) =>
      railyard.incidents({
        ...(request.query.line ? { line: request.query.line } : {}),
        ...(request.query.status ? { status: request.query.status } : {}),
      }),
  );

  r.post(
    "/api/v1/incidents",
    {
      preHandler: auth,
      schema: {
        tags: ["incidents"],
        summary:
          "Open an incident (coordinators, admins); a critical one pauses or rolls back trains by the line's policy",
        security: [{ bearer: [] }],
        body: OpenIncidentSchema,
        response: { 201: IncidentSchema, ...MUTATION_ERRORS },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const incident = await railyard.openIncident(
        {
          line: body.line,
          title: body.title,
          severity: body.severity,
          ...(body.trainId ? { trainId: body.trainId } : {}),
          ...(body.detail ? { detail: body.detail } : {}),
          ...(body.component ? { component: body.component } : {}),
          ...(body.environment ? { environment: body.environment } : {}),
        },
        principalOf(request),
      );
      return reply.code(201).send(incident);
    },
  );

  r.get(
    "/api/v1/incidents/:id",
    {
      schema: {
        tags: ["incidents"],
        summary: "An incident with the alerts grouped into it",
        params: z.object({ id: z.string() }),
        response: {
          200: z.object({ incident: IncidentSchema, alerts: z.array(IncidentAlertSchema) }),
          404: ProblemSchema,
        },
      },
    },
    async (request) => railyard.incident(request.params.id),
  );

  r.get(
    "/api/v1/incidents/:id/postmortem",
    {
      schema: {
        tags: ["incidents"],
        summary: "The incident's postmortem draft (Markdown)",
        description: [
          "A summary (train, line, severity, started, opened, recovered, duration, time to restore), the train's",
          "timeline from the event log in UTC (boarding, gates, approvals, waves, alerts, pauses, rollback,",
          "resolution), the SLO burn during the incident from the line's errorBudget SLO (or why it was not",
          "measured), the alerts grouped into it, the release-train postmortem review questions as headings",
          "with empty answers, and the incident checklist. Drafted anew on every request.",
        ].join(" "),
        params: z.object({ id: z.string() }),
        response: { 200: PostmortemText, 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const draft = await railyard.postmortem(request.params.id);
      return reply
        .type("text/markdown; charset=utf-8")
        .header("content-disposition", `inline; filename="postmortem-${draft.incident.id}.md"`)
        .header("cache-control", "no-cache")
        .send(draft.markdown);
    },
  );

  r.post(
    "/api/v1/incidents/:id/resolve",
    {
      preHandler: auth,
      schema: {
        tags: ["incidents"],
        summary: "Resolve an incident (coordinators, admins); a line it stopped goes on",
        security: [{ bearer: [] }],
        params: z.object({ id: z.string() }),
        body: ResolveIncidentSchema,
        response: { 200: IncidentSchema, ...MUTATION_ERRORS },
      },
    },
    async (request) =>
      railyard.resolveIncident(request.params.id, principalOf(request), request.body.resolution),
  );
}
