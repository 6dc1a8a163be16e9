/**
 * `POST /api/v1/webhooks/alertmanager`: Prometheus Alertmanager's webhook receiver
 * (`webhook_configs`, payload version 4; see
 * https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). Alertmanager sends
 * the bearer token set in `http_config.authorization.credentials`; it is compared in constant
 * time with the one in the environment variable `webhooks.alertmanager.tokenFromEnv` names, and
 * never logged. The answer is 200 with what was done to each alert, since Alertmanager retries
 * any other status; a refused delivery (401, 400) records nothing.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { NotFoundError, UnauthorizedError } from "../../engine/errors.js";
import type { Logger } from "../../engine/ports.js";
import type { Railyard } from "../../engine/railyard.js";
import { ProblemSchema } from "../schemas.js";

const Labels = z.record(z.string(), z.string());

/** One alert of Alertmanager's webhook payload (version 4); unknown extra fields are tolerated. */
export const AlertmanagerAlertSchema = z.looseObject({
  status: z.enum(["firing", "resolved"]),
  labels: Labels,
  annotations: Labels.default({}),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.string(),
  generatorURL: z.string().default(""),
  fingerprint: z.string().min(1),
});

/** Alertmanager's webhook payload, version 4; unknown extra fields are tolerated. */
export const AlertmanagerWebhookSchema = z.looseObject({
  version: z.literal("4"),
  groupKey: z.string(),
  truncatedAlerts: z.number().int().min(0).default(0),
  status: z.enum(["firing", "resolved"]),
  receiver: z.string(),
  groupLabels: Labels,
  commonLabels: Labels,
  commonAnnotations: Labels,
  externalURL: z.string(),
  alerts: z.array(AlertmanagerAlertSchema),
});

const AlertOutcomeSchema = z.object({
  fingerprint: z.string(),
  alertname: z.string(),
  status: z.enum(["firing", "resolved"]),
  outcome: z
    .enum(["opened", "grouped", "resolved", "suppressed", "unchanged", "ignored"])
    .describe(
      "opened an incident; grouped into (or updated) an open one; resolved in its incident; suppressed by a window; unchanged since the last delivery; ignored (see reason)",
    ),
  trainId: z.string().nullable(),
  line: z.string().nullable(),
  incidentId: z.string().nullable(),
  window: z.string().nullable().describe("The suppression window, for suppressed alerts"),
  reason: z.string().nullable().describe("Why it was ignored, or how it was matched"),
});

const DeliveryResultSchema = z.object({
  alerts: z.array(AlertOutcomeSchema),
  resolvedIncidents: z
    .array(z.string())
    .describe("Incidents resolved because every alert of theirs resolved"),
});

/** True when the Authorization header carries `Bearer <token>`; constant time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  if (header === undefined || token === "") return false;
  const given = /^Bearer\s+(.+)$/i.exec(header.trim())?.[1] ?? "";
  const a = createHash("sha256").update(given, "utf8").digest();
  const b = createHash("sha256").update(token, "utf8").digest();
  return timingSafeEqual(a, b) && given.length > 0;
}

/** Registers `POST /api/v1/webhooks/alertmanager`. */
export function alertmanagerRoutes(app: FastifyInstance, railyard: Railyard, logger: Logger): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  /** 404 when not configured, 401 for a missing or wrong token; before the body is validated. */
  async function verify(request: FastifyRequest): Promise<void> {
    const variable = railyard.config.webhooks.alertmanager?.tokenFromEnv;
    const token = variable ? process.env[variable] : undefined;
    if (!variable || !token) {
      throw new NotFoundError(
        variable
          ? `the Alertmanager webhook receiver is not configured: the environment variable ${variable} (webhooks.alertmanager.tokenFromEnv) is empty or unset`
          : "the Alertmanager webhook receiver is not configured: set webhooks.alertmanager.tokenFromEnv in the configuration",
      );
    }
    const header = request.headers.authorization;
    if (!bearerMatches(Array.isArray(header) ? header[0] : header, token)) {
      // Who knocked, never what they sent.
      logger.warn(
        { provider: "alertmanager", remote: request.ip, reason: "token" },
        "webhook refused (token): the bearer token is missing or does not match; nothing recorded",
      );
      throw new UnauthorizedError(
        `the Alertmanager webhook needs Authorization: Bearer <the token in ${variable}>; set it in the receiver's webhook_config http_config.authorization.credentials`,
      );
    }
  }

  r.post(
    "/api/v1/webhooks/alertmanager",
    {
      preValidation: verify,
      schema: {
        tags: ["webhooks", "incidents"],
        summary: "Receive Alertmanager's webhook: alerts open, group and resolve incidents",
        description:
          "Alertmanager's webhook_config payload (version 4). Authenticated by the bearer token held in the environment variable `webhooks.alertmanager.tokenFromEnv` names (401 when missing or wrong; 404 when not configured); a body that is not Alertmanager's JSON is 400; both record nothing. Each alert is matched to a train (label `train_id`; else `component` + `version`; else `environment` and time), or to a line (`line`, or the lines carrying `component`), grouped into the open incident of its train (or line), or suppressed by the line's `incidents.suppress` windows. Resending an unchanged alert appends nothing. The answer is 200 with what was done per alert.",
        security: [{ bearer: [] }],
        body: AlertmanagerWebhookSchema,
        response: { 200: DeliveryResultSchema, 400: ProblemSchema, 401: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const result = await railyard.receiveAlerts(request.body.alerts);
      logger.info(
        {
          provider: "alertmanager",
          group: request.body.groupKey.slice(0, 200),
          alerts: request.body.alerts.length,
          outcomes: result.alerts.map((a) => a.outcome),
        },
        "alertmanager delivery processed",
      );
      return result;
    },
  );
}
