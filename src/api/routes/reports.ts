/**
 * Reports CI pushes as they are: per artifact (SBOMs, vulnerability scans, VEX, JUnit; the kind is
 * detected from the content) and JUnit results for a train's integration stage. The bodies are
 * documents, not API JSON, so these routes live in an encapsulated plugin whose parsers hand the
 * handler the body as UTF-8 text, whatever its content type.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { ArtifactReport, TestReport } from "../../domain/model.js";
import { MAX_REPORT_BYTES } from "../../engine/evidence.js";
import type { Railyard } from "../../engine/railyard.js";
import { principalOf, requireAuth } from "../auth.js";
import {
  ArtifactReportResultSchema,
  ArtifactReportSchema,
  MUTATION_ERRORS,
  ProblemSchema,
  TestReportSchema,
} from "../schemas.js";

/** Content types a report may be sent with; `+json` and `+xml` media types count too. */
export const REPORT_CONTENT_TYPES = [
  "application/json",
  "application/xml",
  "text/xml",
  "text/plain",
  "application/octet-stream",
] as const;

const STRUCTURED_SUFFIX = /^application\/[\w.+-]+\+(?:json|xml)$/;

const errors = {
  ...MUTATION_ERRORS,
  413: ProblemSchema,
  415: ProblemSchema,
};

const ArtifactParams = z.object({ id: z.string().min(1).describe("Artifact ID, e.g. art_…") });
const TrainParams = z.object({ id: z.string().min(1).describe("Train ID, e.g. web-42") });
const CasesQuery = z.object({
  cases: z.enum(["true", "false"]).default("false").describe("Include every test case (they can be many)"),
});

/** The content type a stored report is served with, from its detected format. */
export function reportContentType(report: Pick<ArtifactReport, "format">): string {
  return report.format === "junit" ? "application/xml; charset=utf-8" : "application/json; charset=utf-8";
}

/** A test report without its cases, unless they were asked for. */
function withoutCases(
  report: TestReport,
  cases: boolean,
): Omit<TestReport, "cases"> & { cases?: TestReport["cases"] } {
  if (cases) return report;
  const { cases: _cases, ...summary } = report;
  return summary;
}

/** Registers the report routes (artifact reports, train test reports) with their text-body parsers. */
export async function reportRoutes(app: FastifyInstance, railyard: Railyard): Promise<void> {
  await app.register(async function reports(instance) {
    // Reports are kept byte for byte: no JSON parsing, the handler gets the text.
    instance.removeContentTypeParser(["application/json", "text/plain"]);
    for (const type of [...REPORT_CONTENT_TYPES, STRUCTURED_SUFFIX]) {
      instance.addContentTypeParser(
        type,
        { parseAs: "string", bodyLimit: MAX_REPORT_BYTES },
        function keepText(_request, body, done) {
          done(null, body);
        },
      );
    }
    const r = instance.withTypeProvider<ZodTypeProvider>();
    const auth = requireAuth(railyard);

    r.post(
      "/api/v1/artifacts/:id/reports",
      {
        preHandler: auth,
        bodyLimit: MAX_REPORT_BYTES,
        schema: {
          tags: ["artifacts"],
          summary: "Push a report for an artifact (SBOM, vulnerability scan, VEX or JUnit)",
          description: `The body is the report itself, up to ${MAX_REPORT_BYTES / 1024 / 1024} MB, sent as JSON, XML, text or octet-stream; its kind is detected from the content: JUnit XML (junit), CycloneDX JSON (sbom, or vulnerabilities when it lists some), SPDX 2 JSON (sbom), Grype, Trivy or SARIF 2.1.0 JSON (vulnerabilities), OpenVEX (vex). 201 with the record; the same bytes again for the same artifact answer 200 with \`replay: true\` and change nothing. A line's \`boarding.reports\` holds artifacts whose required kinds are missing at the cut-off.`,
          security: [{ bearer: [] }],
          consumes: [...REPORT_CONTENT_TYPES],
          params: ArtifactParams,
          querystring: z.object({
            name: z.string().max(200).optional().describe("A label, e.g. the scanner or the file name"),
          }),
          body: z.string().describe("The report's bytes (UTF-8)"),
          response: { 200: ArtifactReportResultSchema, 201: ArtifactReportResultSchema, ...errors },
        },
      },
      async (request, reply) => {
        const result = await railyard.pushArtifactReport(
          request.params.id,
          request.body,
          request.query.name ?? null,
          principalOf(request),
        );
        return reply.code(result.replay ? 200 : 201).send(result);
      },
    );

    r.get(
      "/api/v1/artifacts/:id/reports",
      {
        schema: {
          tags: ["artifacts"],
          summary: "Reports pushed for an artifact",
          params: ArtifactParams,
          response: { 200: z.array(ArtifactReportSchema), 404: ProblemSchema },
        },
      },
      async (request) => railyard.artifactReports(request.params.id),
    );

    r.get(
      "/api/v1/artifacts/:id/reports/:reportId",
      {
        schema: {
          tags: ["artifacts"],
          summary: "A report's bytes, as they were pushed",
          description:
            "Served as application/xml for JUnit and application/json for the JSON formats; the `X-Report-Kind` and `X-Report-Format` headers say what was detected.",
          produces: ["application/json", "application/xml"],
          params: ArtifactParams.extend({ reportId: z.string().min(1) }),
          response: { 200: z.string().describe("The report's bytes"), 404: ProblemSchema },
        },
      },
      async (request, reply) => {
        const { report, content } = await railyard.reportContent(request.params.id, request.params.reportId);
        return reply
          .type(reportContentType(report))
          .header("x-report-kind", report.kind)
          .header("x-report-format", report.format)
          .header("etag", `"${report.sha256}"`)
          .send(content);
      },
    );

    r.post(
      "/api/v1/trains/:id/test-reports",
      {
        preHandler: auth,
        bodyLimit: MAX_REPORT_BYTES,
        schema: {
          tags: ["trains"],
          summary: "Push JUnit XML results for a train's integration stage",
          description:
            "Recorded for the train's current manifest revision, where the line's `tests` gates read them; only after the cut-off (409 before) and before the train ends. The suite is `?suite=` when given, else the report's own name. The answer is the report's summary; its cases are listed by `GET …/test-reports?cases=true`. A body that is not JUnit XML is 400 naming the problem.",
          security: [{ bearer: [] }],
          consumes: ["application/xml", "text/xml", "application/octet-stream"],
          params: TrainParams,
          querystring: z.object({
            suite: z
              .string()
              .max(200)
              .optional()
              .describe("The suite name a tests gate waits for (default: the report's own name)"),
          }),
          body: z.string().describe("JUnit XML"),
          response: { 201: TestReportSchema, ...errors },
        },
      },
      async (request, reply) => {
        const report = await railyard.pushTestReport(
          request.params.id,
          request.body,
          request.query.suite ?? null,
          principalOf(request),
        );
        return reply.code(201).send(withoutCases(report, false));
      },
    );

    r.get(
      "/api/v1/trains/:id/test-reports",
      {
        schema: {
          tags: ["trains"],
          summary: "JUnit results pushed for a train, every manifest revision, oldest first",
          params: TrainParams,
          querystring: CasesQuery,
          response: { 200: z.array(TestReportSchema), 400: ProblemSchema, 404: ProblemSchema },
        },
      },
      async (request) =>
        (await railyard.testReports(request.params.id)).map((report) =>
          withoutCases(report, request.query.cases === "true"),
        ),
    );
  });
}
