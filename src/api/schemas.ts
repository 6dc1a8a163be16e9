/**
 * zod schemas of the HTTP API's bodies and answers. Fastify validates requests with them and the
 * OpenAPI 3.1 document at `/api/docs` is generated from them, so the docs cannot drift from
 * what the server does.
 */
import { z } from "zod";
import { TRAIN_ACTIONS } from "../domain/train-actions.js";
import { TRAIN_EVENT_TYPES, TRAIN_STATES } from "../domain/train-state.js";

const ref = <T extends z.ZodType>(schema: T, id: string, description?: string): T => {
  z.globalRegistry.add(schema, { id, ...(description ? { description } : {}) });
  return schema;
};

export const Instant = z.string().describe("ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z");
export const TrainStateSchema = z.enum(TRAIN_STATES);

export const ProblemSchema = ref(
  z
    .object({
      type: z.string().describe("Stable error code URI, e.g. https://railyard.dev/problems/conflict"),
      title: z.string(),
      status: z.number().int(),
      detail: z.string().describe("What is wrong and how to fix it."),
      instance: z.string().optional(),
      code: z.string(),
      problems: z.array(z.unknown()).optional(),
    })
    .passthrough(),
  "Problem",
  "RFC 9457 problem details (application/problem+json).",
);

/** The problem answers every authenticated mutation may give. */
export const MUTATION_ERRORS = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
} as const;

export const TrainSchema = ref(
  z.object({
    id: z.string().describe("`<line>-<number>`, e.g. web-42; a hotfix train is `<line>-<n>-hotfix-<k>`"),
    line: z.string(),
    number: z
      .number()
      .int()
      .describe("Position in the line's timetable; for a hotfix train, the number of the train it follows"),
    kind: z.enum(["scheduled", "hotfix"]),
    state: TrainStateSchema,
    statusText: z
      .string()
      .describe(
        "The state in words with its reason and, for a train the engine paused, when it resumes in the line's time zone: `paused: outside window — resumes 2026-03-03 10:00 CET (Europe/Berlin)`",
      ),
    resumeTo: TrainStateSchema.nullable().describe("Where a blocked or paused train returns."),
    reason: z.string().nullable(),
    cutoffAt: Instant,
    departureAt: Instant.describe("When it departs: the scheduled instant, or where a blackout shifted it."),
    scheduledAt: Instant.nullable().describe(
      "The timetable's instant of the departure; null for hotfix trains.",
    ),
    pauseCause: z
      .enum(["window", "blackout", "budget", "analysis", "incident", "manual"])
      .nullable()
      .describe(
        "Why a paused train is paused: outside its window or in a blackout (the engine resumes it at resumeAt), the error budget burning (resumed when it recovers), an inconclusive canary analysis (a person promotes, resumes to re-run it, or rolls back), or by a person (only a person resumes it).",
      ),
    resumeAt: Instant.nullable().describe("When the engine resumes a train it paused."),
    manifestRevision: z.number().int(),
    currentWave: z.number().int(),
    waveDeployedAt: Instant.nullable(),
    wakeAt: Instant.nullable(),
    createdAt: Instant,
    updatedAt: Instant,
    endedAt: Instant.nullable(),
    rollbackScope: z
      .object({ wave: z.string() })
      .nullable()
      .describe("The last rollback's scope: one wave, or null for the whole train."),
  }),
  "Train",
);

export const DependencySchema = z.object({
  component: z.string(),
  version: z.string().describe("semver range"),
  sameTrain: z
    .boolean()
    .optional()
    .describe("Both components ship on the same train or neither does (the configuration's same-train)"),
});

export const CiSchema = z
  .object({
    state: z.enum(["pending", "success", "failure"]),
    url: z.string().nullable(),
    name: z.string(),
  })
  .describe("The CI status the push carried");

export const ArtifactSchema = ref(
  z.object({
    id: z.string(),
    component: z.string(),
    version: z.string(),
    commit: z.string(),
    buildUrl: z.string().nullable(),
    digest: z.string().nullable(),
    dependsOn: z.array(DependencySchema),
    ci: CiSchema.nullable(),
    trainId: z.string().nullable(),
    dropped: z.boolean(),
    pushedBy: z.string(),
    authors: z
      .array(z.string())
      .describe("Login names of the authors of its commits, as CI gave them; they may not approve its train"),
    pushedAt: Instant,
  }),
  "Artifact",
);

export const ManifestItemSchema = ref(
  z.object({
    trainId: z.string(),
    component: z.string(),
    version: z.string(),
    artifactId: z.string(),
    previousVersion: z.string().nullable(),
    dependsOn: z.array(DependencySchema).describe("The constraints of this version, as recorded"),
    status: z.enum(["boarded", "held", "dropped"]),
    reason: z.string().nullable(),
    revision: z.number().int(),
  }),
  "ManifestItem",
);

export const StepSchema = ref(
  z.object({
    id: z.string(),
    trainId: z.string(),
    key: z.string(),
    kind: z.enum(["integrate", "gate", "deploy", "rollback", "runbook"]),
    attempt: z.number().int(),
    status: z.enum(["running", "succeeded", "failed"]),
    idempotencyKey: z.string(),
    startedAt: Instant,
    finishedAt: Instant.nullable(),
    output: z.string().nullable(),
    error: z.string().nullable(),
    durationMs: z.number().nullable(),
  }),
  "Step",
);

export const GateResultSchema = ref(
  z.object({
    id: z.string(),
    trainId: z.string(),
    stage: z.string(),
    gate: z.string(),
    type: z.string(),
    attempt: z.number().int(),
    status: z.enum(["passed", "failed"]),
    verdict: z
      .enum(["pass", "fail", "inconclusive", "error"])
      .describe("fail: the evidence says no; inconclusive: not enough evidence; error: could not evaluate"),
    output: z.string().describe("The evidence: the first line says what decided the verdict"),
    durationMs: z.number(),
    evaluatedAt: Instant,
    detail: z
      .unknown()
      .describe(
        "Structured evidence, null when none. A canary analysis: {kind: canary, score, classification, thresholds, interim, groups, metrics: [{name, verdict, pValue, hodgesLehmann, ci, effectRatio, baseline: {points}, canary: {points}}]}",
      ),
  }),
  "GateResult",
);

export const ApprovalSchema = ref(
  z.object({
    id: z.string(),
    trainId: z.string(),
    approver: z.string(),
    decision: z.enum(["approve", "reject"]),
    comment: z.string().nullable(),
    manifestRevision: z.number().int(),
    at: Instant,
  }),
  "Approval",
);

export const ApprovalGroupTallySchema = ref(
  z.object({
    team: z.string(),
    required: z.number().int(),
    approvers: z.array(z.string()).describe("People counted toward this group, in the order they approved"),
    satisfied: z.boolean(),
  }),
  "ApprovalGroupTally",
  "One approving group: `required` distinct members of `team`; a person counts toward one group only.",
);

export const ApprovalExclusionSchema = ref(
  z.object({
    approver: z.string(),
    reason: z
      .enum(["stale", "expired", "self", "not-member", "before-rejection"])
      .describe(
        "stale: given for an earlier manifest revision; expired: older than the line's expiresAfter; self: the approver pushed or authored an artifact the train carries; not-member: in none of the approving teams; before-rejection: given before the latest rejection",
      ),
    approvalId: z.string().describe("The approval this reason is about (the person's latest)"),
    at: Instant,
  }),
  "ApprovalExclusion",
  "An approval that does not count, and why.",
);

/** The fields of an approval tally, shared by the approval responses and the train's detail. */
const approvalTallyFields = {
  required: z.number().int().describe("Seats to fill: the sum of the groups' required (0 for auto)"),
  approvers: z
    .array(z.string())
    .describe("People who fill a seat, in the order they approved; as many as the seats filled"),
  satisfied: z.boolean(),
  groups: z.array(ApprovalGroupTallySchema).describe("Per approving group, in the configured order"),
  surplus: z
    .array(z.string())
    .describe("People whose approval is valid but fills no seat: every group they could serve is full"),
  excluded: z.array(ApprovalExclusionSchema).describe("People whose approval does not count, and why"),
};

export const ApprovalStatusSchema = ref(
  z.object({
    mode: z.enum(["auto", "manual"]),
    ...approvalTallyFields,
    records: z.array(ApprovalSchema).describe("Every approval and rejection, in the order recorded"),
  }),
  "ApprovalStatus",
  "A train's approval tally now, with every record.",
);

export const DeploymentSchema = ref(
  z.object({
    environment: z.string(),
    component: z.string(),
    version: z.string(),
    trainId: z.string(),
    updatedAt: Instant,
  }),
  "Deployment",
);

export const EventSchema = ref(
  z.object({
    id: z.number().int(),
    trainId: z.string().nullable(),
    type: z.string(),
    actor: z.string(),
    payload: z.record(z.string(), z.unknown()),
    time: Instant,
    prevHash: z.string(),
    hash: z.string(),
  }),
  "Event",
  "One entry of the hash-chained audit log.",
);

export const WaveStatusSchema = z.object({
  name: z.string(),
  environments: z.array(z.string()),
  status: z.enum(["pending", "deploying", "baking", "verifying", "done", "failed", "rolled_back"]),
});

export const TrainActionSchema = z.enum(TRAIN_ACTIONS);

export const DiffItemSchema = z.object({
  component: z.string(),
  from: z.string().nullable().describe("What production runs (null: never released)"),
  to: z.string().describe("The version on the train"),
  change: z.enum(["new", "upgrade", "downgrade", "same"]),
  status: z
    .enum(["boarded", "held", "dropped"])
    .nullable()
    .describe("On the manifest; null before the cut-off (not decided yet)"),
  reason: z.string().nullable().describe("Why a held or dropped component does not ride"),
  fromCommit: z.string().nullable(),
  toCommit: z.string().nullable(),
  compareUrl: z
    .string()
    .nullable()
    .describe("The commit range on GitHub or GitLab, when the component's repository is such a URL"),
});

export const ManifestDiffSchema = ref(
  z.object({
    train: z.string(),
    revision: z.number().int().describe("Manifest revision (0 before the cut-off)"),
    provisional: z
      .boolean()
      .describe("True before the cut-off: the diff is of the latest artifact per component so far"),
    items: z.array(DiffItemSchema),
  }),
  "ManifestDiff",
  "A train's manifest against production: from → to per component, commits and compare links.",
);

export const TestSummarySchema = z.object({
  tests: z.number().int().describe("Every case: passed + failed + errored + skipped + flaky"),
  passed: z.number().int(),
  failed: z.number().int(),
  errored: z.number().int(),
  skipped: z.number().int(),
  flaky: z.number().int().describe("Failed, then passed on a rerun; counts as passed in the tests gate"),
  durationMs: z.number(),
  truncated: z.boolean().describe("True when more cases ran than were kept"),
});

export const TestCaseSchema = z.object({
  suite: z.string(),
  classname: z.string(),
  name: z.string(),
  status: z.enum(["passed", "failed", "errored", "skipped", "flaky"]),
  durationMs: z.number(),
  message: z.string().nullable(),
  reruns: z.number().int(),
});

export const TestReportSchema = ref(
  z.object({
    id: z.string(),
    trainId: z.string(),
    revision: z.number().int().describe("The manifest revision it was recorded for"),
    suite: z.string(),
    summary: TestSummarySchema,
    cases: z.array(TestCaseSchema).optional().describe("Only with `?cases=true`"),
    receivedAt: Instant,
    actor: z.string(),
  }),
  "TestReport",
  "JUnit results CI posted for a train's integration stage.",
);

export const ArtifactReportSchema = ref(
  z.object({
    id: z.string(),
    artifactId: z.string(),
    kind: z.enum(["junit", "sbom", "vulnerabilities", "vex"]).describe("Detected from the content"),
    format: z.string().describe("e.g. grype, trivy, cyclonedx-1.6, spdx-2.3, sarif-2.1.0, openvex, junit"),
    name: z.string().nullable(),
    sha256: z.string().describe("SHA-256 of the bytes, hex"),
    size: z.number().int().describe("Bytes"),
    receivedAt: Instant,
    actor: z.string(),
  }),
  "ArtifactReport",
  "A report pushed for an artifact; its bytes are at /api/v1/artifacts/{id}/reports/{reportId}.",
);

export const ArtifactReportResultSchema = z.object({
  report: ArtifactReportSchema,
  replay: z.boolean().describe("True when the same bytes had been pushed for this artifact before"),
});

export const CiStatusSchema = ref(
  z.object({
    provider: z
      .enum(["github", "gitlab", "generic", "push"])
      .describe("Who reported it: a webhook receiver, or the artifact's push"),
    repository: z.string().describe("Normalised repository path, lowercase: acme/api"),
    commit: z.string(),
    name: z.string().describe("The source within the provider: workflow, check suite app, pipeline"),
    state: z.enum(["pending", "success", "failure"]),
    conclusion: z.string().nullable().describe("The provider's own word (success, cancelled, failed, …)"),
    url: z.string().nullable(),
    reportedAt: Instant,
    ref: z.string().nullable().describe("Branch or tag, when the provider says"),
  }),
  "CiStatus",
  "The latest CI status of one commit from one source.",
);

export const WebhookResultSchema = ref(
  z.object({
    recorded: z.number().int().describe("Statuses recorded (new, or newer than the stored one)"),
    ignored: z
      .number()
      .int()
      .describe("Statuses left out: not newer than the stored one, or for no configured repository"),
    matched: z
      .array(
        z.object({
          artifact: z.string(),
          component: z.string(),
          version: z.string(),
          train: z.string().nullable(),
        }),
      )
      .describe("Artifacts built from the commit the statuses are about"),
    note: z
      .string()
      .optional()
      .describe("Why nothing was read from the delivery (e.g. an event without CI status)"),
  }),
  "WebhookResult",
);

const WebhookReceivers = <T extends z.ZodType>(count: T) =>
  z.object({ github: count, gitlab: count, generic: count });

export const WebhookCountsSchema = ref(
  z.object({
    accepted: WebhookReceivers(z.number().int()).describe(
      "Deliveries answered 202 since the server started, per receiver",
    ),
    rejected: WebhookReceivers(
      z.object({
        signature: z.number().int().describe("Missing or wrong signature (401)"),
        token: z.number().int().describe("Missing or wrong GitLab token (401)"),
        replay: z.number().int().describe("A delivery accepted before (409)"),
        stale: z.number().int().describe("Older than webhooks.maxAge (400)"),
        future: z.number().int().describe("Stamped more than 5 minutes ahead of the server's clock (400)"),
        payload: z.number().int().describe("Verified, but the body or a header cannot be read (400)"),
      }),
    ).describe(
      "Deliveries refused since the server started, per receiver and reason; none recorded anything",
    ),
  }),
  "WebhookCounts",
  "Inbound webhook deliveries counted in this process.",
);

export const TrainDetailSchema = ref(
  z.object({
    train: TrainSchema,
    waitingFor: z.string().nullable(),
    awaiting: z
      .object({ wave: z.string(), step: z.string(), kind: z.enum(["promote", "approval"]) })
      .nullable()
      .describe(
        "A rollout step waiting for a person: promote (POST /trains/{id}/promote) or approve (POST /trains/{id}/approvals).",
      ),
    allowedActions: z.array(TrainActionSchema),
    manifest: z.array(ManifestItemSchema),
    artifacts: z.array(ArtifactSchema),
    gates: z.array(GateResultSchema),
    approval: ApprovalStatusSchema,
    waves: z.array(WaveStatusSchema),
    steps: z.array(StepSchema),
    diff: ManifestDiffSchema,
    testReports: z
      .array(TestReportSchema)
      .describe("JUnit results recorded for the current manifest revision, without their cases"),
    events: z.array(EventSchema),
  }),
  "TrainDetail",
);

export const TrainProgressSchema = ref(
  z.object({
    waitingFor: z.string().nullable().describe("What it waits for, in words (null while working or ended)"),
    awaiting: TrainDetailSchema.shape.awaiting,
    allowedActions: z.array(TrainActionSchema),
    waves: z.array(WaveStatusSchema),
    enteredStateAt: Instant.describe(
      "When it entered its current state (its latest transition), or its creation",
    ),
    stepsInFlight: z
      .array(StepSchema)
      .describe("Its steps running now (deploys, gates, rollbacks), oldest first"),
    canary: GateResultSchema.nullable().describe("Its newest gate result holding a canary analysis, or null"),
  }),
  "TrainProgress",
  "Where a train's rollout is, what runs and what it waits for, what people may do: the train detail's live parts without its manifest, evidence and audit trail.",
);

export const TrainWithProgressSchema = TrainSchema.extend({
  progress: TrainProgressSchema.optional().describe("Only with include=progress"),
});

export const TimetableDeparture = ref(
  z.object({
    line: z.string(),
    number: z.number().int(),
    train: z.string().describe("The ID the train has (or will have): <line>-<number>."),
    scheduledAt: Instant,
    departureAt: Instant.describe("The scheduled instant, or where a blackout shifted it."),
    cutoffAt: Instant,
    status: z.enum(["scheduled", "shifted", "skipped"]),
    reason: z.string().nullable().describe("For shifted and skipped departures: the blackout."),
    windowStart: Instant.nullable(),
    windowEnd: Instant.nullable(),
  }),
  "TimetableDeparture",
);

export const LineSummarySchema = ref(
  z.object({
    name: z.string(),
    description: z.string().nullable(),
    components: z.array(z.string()),
    schedule: z.object({
      rrule: z.string().optional(),
      cron: z.string().optional(),
      start: z.string(),
      timezone: z.string(),
      cutoff: z.union([z.string(), z.object({ businessDays: z.number().int(), at: z.string() })]),
      exdates: z.array(z.string()),
      rdates: z.array(z.string()),
    }),
    approval: z.string(),
    waves: z.array(z.string()),
    nextDepartures: z.array(TimetableDeparture),
    activeTrains: z.array(
      z.object({
        id: z.string(),
        state: TrainStateSchema,
        cutoffAt: Instant,
        departureAt: Instant,
        reason: z.string().nullable(),
      }),
    ),
  }),
  "LineSummary",
);

export const ArtifactPushSchema = ref(
  z.strictObject({
    component: z.string().min(1),
    version: z.string().min(1).describe("Semantic version, e.g. 1.4.2"),
    commit: z.string().min(7).max(64).describe("Git commit SHA the artifact was built from"),
    buildUrl: z.string().url().nullish(),
    digest: z.string().nullish().describe("Image or package digest, e.g. sha256:…"),
    dependsOn: z
      .array(DependencySchema)
      .nullish()
      .describe("This version's constraints; defaults to the component's configured depends_on"),
    train: z.string().nullish().describe("Board this train (e.g. web-42) instead of the open one"),
    ci: z
      .strictObject({
        state: z.enum(["pending", "success", "failure"]),
        url: z.string().url().nullish(),
        name: z.string().max(200).nullish().describe("What ran, e.g. the workflow's name (default: ci)"),
      })
      .nullish()
      .describe(
        "CI status of the build, when known at push time; webhooks (GitHub, GitLab) may report it too. A failed or running status holds the artifact at the cut-off.",
      ),
    authors: z
      .array(z.string().trim().min(1).max(100))
      .max(200)
      .nullish()
      .describe(
        "Login names of the authors of the commits it was built from (e.g. since the previous release). Like the pusher, they may not approve a train carrying it unless the line sets allowSelfApproval.",
      ),
    committedAt: z.iso
      .datetime({ offset: true })
      .nullish()
      .describe(
        "When the commit was made (ISO 8601), as CI knows it; the release metrics' lead time (M3) counts from it, else from the push",
      ),
  }),
  "ArtifactPush",
);

export const PushResultSchema = ref(
  z.object({
    artifact: ArtifactSchema,
    train: z.object({
      id: z.string(),
      state: TrainStateSchema,
      cutoffAt: z.string(),
      departureAt: z.string(),
    }),
    late: z.boolean().describe("True when it missed the cut-off it aimed for and boarded the next train"),
    replay: z.boolean().describe("True when this exact artifact had been pushed before"),
    message: z.string(),
  }),
  "PushResult",
);

export const ApprovalRequestSchema = z.strictObject({
  decision: z.enum(["approve", "reject"]).default("approve"),
  comment: z.string().max(4000).nullish().describe("Required for a rejection"),
});

export const ApprovalResultSchema = z.object({
  train: TrainSchema,
  ...approvalTallyFields,
  duplicate: z.boolean().describe("True when this person had already approved; it counts once"),
});

export const TrainExceptionSchema = ref(
  z.object({
    trainId: z.string(),
    blackout: z.string().describe("The blackout's name"),
    actor: z.string().describe("Who granted it"),
    reason: z.string(),
    grantedAt: Instant,
  }),
  "TrainException",
  "A train's permission to deploy through one blackout.",
);

export const ExceptionRequestSchema = z.strictObject({
  blackout: z
    .string()
    .min(1)
    .nullish()
    .describe("The blackout to let the train through; omitted: every blackout stopping the train now"),
  reason: z.string().trim().min(1, "give a reason for the exception").max(4000),
});

export const HotfixRequestSchema = ref(
  z.strictObject({
    components: z
      .array(
        z.strictObject({
          component: z.string().min(1),
          version: z.string().min(1).describe("A version CI has pushed as an artifact"),
        }),
      )
      .min(1)
      .describe("Component versions to ship, each already pushed"),
    reason: z.string().trim().min(1, "give the reason for the hotfix").max(4000),
    exceptionReason: z
      .string()
      .trim()
      .min(1)
      .max(4000)
      .nullish()
      .describe(
        "Needed when a blackout stops the line now: why the hotfix may deploy through it (the caller needs one of the blackout's exceptionRoles)",
      ),
  }),
  "HotfixRequest",
);

export const ReasonSchema = z.strictObject({ reason: z.string().max(4000).nullish() }).default({});
export const CommentSchema = z.strictObject({ comment: z.string().max(4000).nullish() }).default({});
export const RollbackRequestSchema = z
  .strictObject({
    reason: z.string().max(4000).nullish(),
    component: z
      .string()
      .min(1)
      .optional()
      .describe("Roll back only this component (in every wave it reached)."),
    wave: z.string().min(1).optional().describe("Roll back only this wave (the one the train is in)."),
  })
  .default({});
export const IncidentSchema = ref(
  z.object({
    id: z.string(),
    line: z.string(),
    trainId: z.string().nullable(),
    title: z.string(),
    detail: z.string().nullable(),
    stopsLine: z.boolean().describe("While open, no train of the line departs or starts a wave."),
    status: z.enum(["open", "resolved"]),
    openedAt: Instant,
    openedBy: z.string(),
    resolvedAt: Instant.nullable(),
    resolvedBy: z.string().nullable(),
    resolution: z.string().nullable(),
    severity: z
      .enum(["critical", "warning", "info"])
      .describe("critical acts on trains by the line's incident policy and pages; warning opens a ticket"),
    source: z.enum(["manual", "alertmanager", "rollback"]),
    startedAt: Instant.describe(
      "When the problem started (the first alert's startsAt); MTTR counts from here",
    ),
    component: z.string().nullable(),
    environment: z.string().nullable(),
    labels: z.record(z.string(), z.string()).nullable(),
  }),
  "Incident",
);
export const ResolveIncidentSchema = z.strictObject({
  resolution: z.string().trim().min(1, "say what was done to resolve it").max(4000),
});
export const DropSchema = z.strictObject({
  component: z.string().min(1),
  reason: z
    .string()
    .trim()
    .min(1, "give the reason for dropping it; the component's team reads it")
    .max(4000)
    .describe("Why it leaves the train (required; recorded in the audit trail)"),
});

export const HeldComponentSchema = z.object({
  component: z.string(),
  version: z.string(),
  reason: z.string().describe("The reasons joined with `; `"),
  reasons: z
    .array(z.string())
    .describe("Its own reason first, then those of the held components it waits for, to the root cause"),
});

export const DropResultSchema = ref(
  z.object({
    train: TrainSchema,
    component: z.string(),
    carriedTo: z
      .string()
      .nullable()
      .describe("The train its artifact rides now (null when the timetable has no next train)"),
    nowHeld: z
      .array(HeldComponentSchema)
      .describe("Riders held because of the drop (they ride the next train too)"),
  }),
  "DropResult",
);

export const WaiverSchema = ref(
  z.object({
    id: z.string(),
    component: z.string(),
    finding: z.string().describe("The finding's id, e.g. CVE-2024-1234"),
    justification: z.string(),
    approver: z.string().describe("Who granted it"),
    expiresAt: Instant,
    createdAt: Instant,
    revokedAt: Instant.nullable(),
    revokedBy: z.string().nullable(),
    revokeReason: z.string().nullable(),
  }),
  "Waiver",
  "A finding accepted on the record for one component until an expiry; the security gate does not count it meanwhile.",
);

export const WaiverRequestSchema = z.strictObject({
  component: z.string().min(1),
  finding: z.string().trim().min(1).max(200).describe("The finding's id, e.g. CVE-2024-1234"),
  justification: z
    .string()
    .trim()
    .min(1, "say why the risk is accepted; it is recorded in the audit trail")
    .max(4000),
  expires: z
    .string()
    .min(1)
    .describe("A duration from now (30d), a date (2027-01-31: its end, UTC) or an instant; a year at most"),
});

export const ChecklistViewSchema = ref(
  z.object({
    gate: z.string(),
    stage: z.string().describe("gating, hotfix or verify/<wave>"),
    revision: z.number().int().describe("The manifest revision the ticks count for"),
    complete: z.boolean(),
    items: z.array(
      z.object({
        id: z.string(),
        text: z.string(),
        roles: z.array(z.string()).describe("Roles that may tick it"),
        ticked: z.object({ by: z.string(), at: Instant, note: z.string().nullable() }).nullable(),
      }),
    ),
  }),
  "Checklist",
  "A checklist gate of a train and what is ticked for its current manifest revision.",
);

export const ChecklistTickSchema = z.object({
  checklist: ChecklistViewSchema,
  retried: z
    .boolean()
    .describe(
      "True when this tick completed the checklist of a gate that blocked the train, which was retried",
    ),
});

export const PinRequestSchema = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(1, "give the reason; it is recorded in the audit trail")
    .max(4000)
    .describe("Why (required; recorded in the audit trail)"),
});

export const PinSchema = ref(
  z.object({
    component: z.string(),
    line: z.string(),
    version: z.string().nullable().describe("What production ran when it was pinned (null: never released)"),
    reason: z.string(),
    actor: z.string().describe("Who pinned it"),
    pinnedAt: Instant,
  }),
  "Pin",
  "A component held at its production version on every train of its line until unpinned.",
);

export const PinResultSchema = ref(
  z.object({
    pin: PinSchema,
    remanifested: z
      .array(z.object({ train: z.string(), nowHeld: z.array(HeldComponentSchema) }))
      .describe("Trains past their cut-off whose manifest changed, and who is held there now"),
  }),
  "PinResult",
);

export const TokenRecordSchema = ref(
  z.object({
    id: z.string(),
    name: z.string(),
    subject: z.string(),
    roles: z.array(z.string()),
    createdAt: Instant,
    expiresAt: Instant.nullable(),
    revokedAt: Instant.nullable(),
    lastUsedAt: Instant.nullable(),
    kind: z.enum(["user", "ci"]).describe("user: acts as its subject; ci: pushes artifacts and reports only"),
    components: z.array(z.string()).nullable().describe("CI tokens: the components it may push for"),
  }),
  "Token",
);

export const TokenCreateSchema = z.strictObject({
  name: z.string().min(1).max(200),
  subject: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      "The person or bot the token acts as (approvals count per subject); omitted: the caller. Only admins create tokens for others.",
    ),
  kind: z
    .enum(["user", "ci"])
    .default("user")
    .describe(
      "user: acts as its subject with its roles; ci: may only push artifacts and reports for `components` (admins only)",
    ),
  roles: z
    .array(z.enum(["viewer", "member", "approver", "coordinator", "admin"]))
    .default(["member"])
    .describe(
      "Roles the token carries; for a configured person they are narrowed to the person's configured roles. Ignored for CI tokens.",
    ),
  components: z.array(z.string().min(1)).optional().describe("CI tokens: the components it may push for"),
  expiresIn: z
    .string()
    .default("90d")
    .describe("Lifetime such as 90d or PT12H, or `never` (admins only). @default 90d"),
});

export const ChainVerificationSchema = z.union([
  z.object({ ok: z.literal(true), events: z.number().int(), lastHash: z.string() }),
  z.object({
    ok: z.literal(false),
    events: z.number().int(),
    brokenAt: z.number().int(),
    problem: z.string(),
  }),
]);

export const TRAIN_EVENTS = TRAIN_EVENT_TYPES;
