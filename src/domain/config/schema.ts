/**
 * The shape of `railyard.yaml`, as zod schemas. This file is the single source of the
 * configuration's types, of `schema/railyard.schema.json` (via `railyard schema`) and of the
 * configuration reference in `docs/configuration.md`. Every object is strict: an unknown key is
 * an error, so a typo never silently disables a gate.
 *
 * Cross-references (a component's team exists, a line's components exist, …) are checked in
 * `references.ts`, after this shape has been accepted.
 */
import { z } from "zod";
import { isDuration } from "../duration.js";

/** A name usable in train IDs, URLs, file paths and Prometheus labels. */
export const Name = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,62}$/, "use lowercase letters, digits, '-' and '_', starting with a letter");

export const Duration = z
  .string()
  .refine(isDuration, { message: "not a duration: write 90s, 90m, 26h, 2d, 1h30m or ISO 8601 such as PT26H" })
  .describe("A duration: 90s, 90m, 26h, 2d, 1h30m, or ISO 8601 such as PT26H.");

export const ROLES = ["viewer", "member", "approver", "coordinator", "admin"] as const;
export const Role = z.enum(ROLES);

export const Person = z
  .strictObject({
    name: Name.describe("Login name; what approvals and the audit trail show."),
    email: z.email().optional(),
    roles: z.array(Role).default(["member"]).describe("Roles this person holds. @default [member]"),
  })
  .describe("A person in a team.");

export const Team = z
  .strictObject({
    description: z.string().optional(),
    members: z.array(Person).default([]).describe("People in the team."),
    notify: z
      .array(Name)
      .optional()
      .describe(
        "Notification channels this team's reminders go to (cut-off approaching). @default the line's `notify` channels",
      ),
  })
  .describe("A team owns components and may approve trains.");

export const GitopsDeployer = z
  .strictObject({
    type: z.literal("gitops"),
    repository: z
      .string()
      .min(1)
      .describe(
        "Git URL or path (relative to the configuration file) of the repository Argo CD / Flux read.",
      ),
    branch: z.string().min(1).default("main").describe("@default main"),
    file: z
      .string()
      .min(1)
      .default("environments/{environment}.yaml")
      .describe("Per-environment file holding versions. Placeholders: {environment}, {component}, {line}."),
    path: z
      .string()
      .min(1)
      .default("{component}.version")
      .describe("Dotted YAML path set to the version. Placeholders: {component}, {environment}."),
    canaryPath: z
      .string()
      .min(1)
      .default("{component}.canary.version")
      .describe(
        "Dotted YAML path set to the canary's version (canary steps, blue-green's preview; blue-green keeps the old version there after the promote until it retires). Placeholders as `path`. @default {component}.canary.version",
      ),
    weightPath: z
      .string()
      .min(1)
      .default("{component}.canary.weight")
      .describe(
        "Dotted YAML path set to the canary's share of traffic (a number, 0–100; 0 after the promote). Placeholders as `path`. @default {component}.canary.weight",
      ),
    author: z
      .strictObject({ name: z.string().min(1), email: z.string().min(1) })
      .default({ name: "Railyard", email: "railyard@localhost" })
      .describe("Commit author. @default Railyard <railyard@localhost>"),
    timeout: Duration.default("2m").describe("Limit for one Git operation. @default 2m"),
  })
  .describe("Commits the version into a Git repository; rollback reverts those commits.");

export const CommandDeployer = z
  .strictObject({
    type: z.literal("command"),
    command: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .describe(
        "Program to run once per environment (an argv list, or a string run by /bin/sh -c). It receives RAILYARD_TRAIN_ID, RAILYARD_LINE, RAILYARD_COMPONENT, RAILYARD_VERSION, RAILYARD_PREVIOUS_VERSION, RAILYARD_ENVIRONMENT, RAILYARD_WAVE, RAILYARD_ACTION (deploy|rollback), RAILYARD_WEIGHT (share of traffic 0–100 for the new version; 100 for a plain deployment and a rollback), RAILYARD_PHASE (canary|preview|promote|retire; empty for a plain deployment and a rollback), RAILYARD_STRATEGY (allAtOnce|canary|blueGreen) and RAILYARD_IDEMPOTENCY_KEY (`<train>/<step>#<attempt>@<environment>`; the program must not act twice for one key).",
      ),
    cwd: z.string().optional().describe("Working directory, relative to the configuration file."),
    timeout: Duration.default("10m").describe("@default 10m"),
    env: z.record(z.string(), z.string()).default({}).describe("Extra environment variables (not secrets)."),
  })
  .describe("Runs a program once per environment; exit code 0 means deployed.");

export const WebhookDeployer = z
  .strictObject({
    type: z.literal("webhook"),
    url: z
      .string()
      .min(1)
      .describe(
        "http(s) URL Railyard POSTs each deployment and rollback to, once per environment. Placeholders: {component}, {environment}, {line}. The JSON body holds train, line, component, version, previous_version, environment, wave, weight, phase, strategy, action (deploy|rollback) and idempotency_key (`<train>/<step>#<attempt>@<environment>`, also sent as the Idempotency-Key header and the same on every retry).",
      ),
    secretEnv: z
      .string()
      .min(1)
      .describe(
        "Environment variable holding the HMAC secret. Every request carries X-Railyard-Timestamp (Unix seconds) and X-Railyard-Signature: sha256=<hex HMAC-SHA256 of `<timestamp>.<raw body>` keyed with the secret>; receivers recompute it, compare in constant time and refuse old timestamps.",
      ),
    timeout: Duration.default("30s").describe(
      "Limit for one request (each attempt, each status poll). @default 30s",
    ),
    retries: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(3)
      .describe(
        "Retries of a request that got no answer, a timeout, 408, 429 or 5xx, with backoff and jitter (Retry-After is honoured). Other 4xx fail at once; 409 means already done. @default 3",
      ),
    headersFromEnv: z
      .record(z.string(), z.string())
      .default({})
      .describe("Headers whose values come from environment variables: {Authorization: DEPLOY_TOKEN}."),
    status: z
      .strictObject({
        poll: Duration.default("10s").describe("Time between two polls. @default 10s"),
        timeout: Duration.default("15m").describe(
          "How long the deployment may stay running before the step fails. @default 15m",
        ),
      })
      .default({ poll: "10s", timeout: "15m" })
      .describe(
        'A 202 answer with a status URL (body {"statusUrl": …} or a Location header) is followed by signed GETs of that URL until it answers {"status": "succeeded" | "failed" | "running", "message": …}.',
      ),
  })
  .describe(
    "POSTs each deployment to an HTTP endpoint, signed with HMAC-SHA256; a 2xx answer means deployed (202: when its status URL says succeeded).",
  );

export const Deployer = z.discriminatedUnion("type", [GitopsDeployer, CommandDeployer, WebhookDeployer]);

export const Dependency = z
  .strictObject({
    component: Name.describe("The component needed."),
    version: z.string().min(1).describe('A semver range, e.g. ">=42.0.0 <50.0.0".'),
    "same-train": z
      .boolean()
      .default(false)
      .describe(
        "When this component boards a train, that component must board the same train (and if either is held, both are). @default false",
      ),
  })
  .describe("This component needs that component at a version in the range.");

export const Component = z
  .strictObject({
    team: Name.describe("Owning team."),
    description: z.string().optional(),
    deployer: Name.describe("Name of an entry under `deployers`."),
    kind: z
      .enum(["service", "migration"])
      .default("service")
      .describe(
        "migration: deployed before every service of the train that does not itself come before it (database schema changes, data backfills). @default service",
      ),
    repository: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Source repository: a URL such as https://github.com/acme/api or https://gitlab.example.com/group/api, or a path such as acme/api. CI webhooks are matched to artifacts by this path and the commit; with a URL, manifest diffs link the commit range.",
      ),
    depends_on: z
      .array(Dependency)
      .default([])
      .describe("What each new version needs, unless its artifact push names its own `depends_on`."),
  })
  .describe("A deployable unit owned by one team.");

export const Environment = z
  .strictObject({
    kind: z
      .enum(["integration", "production"])
      .describe(
        "integration: where each train's manifest is deployed and gated; production: a rollout target.",
      ),
    description: z.string().optional(),
    labels: z
      .record(z.string(), z.string())
      .default({})
      .describe("Free-form labels, e.g. {region: eu-west-1}."),
  })
  .describe("A place components are deployed to: the one integration environment, or a production target.");

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export const LocalDateTime = z
  .string()
  .regex(LOCAL_DATE_TIME, "write a local date-time such as 2026-01-06T10:00")
  .describe("A wall-clock date-time without zone, e.g. 2026-01-06T10:00.");

export const LocalDate = z
  .string()
  .regex(LOCAL_DATE, "write a date such as 2026-12-24")
  .describe("A calendar date, e.g. 2026-12-24.");

export const TimeOfDay = z
  .string()
  .regex(TIME_OF_DAY, "write a time of day such as 17:00 (00:00 to 24:00)")
  .describe("A wall-clock time of day, HH:MM (24:00 is the end of the day).");

export const WEEKDAY_NAMES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export const WeekdayName = z.enum(WEEKDAY_NAMES);

export const BusinessDayCutoff = z
  .strictObject({
    businessDays: z
      .number()
      .int()
      .min(0)
      .max(60)
      .describe(
        "Business days before the departure's day (Monday to Friday, not a holiday of the line's `holidays`). 0 means the departure's own day.",
      ),
    at: TimeOfDay.describe("Local time of day boarding closes on that day, in the schedule's time zone."),
  })
  .describe("Boarding closes at a time of day a number of business days before the departure.");

export const Schedule = z
  .strictObject({
    rrule: z
      .string()
      .min(1)
      .optional()
      .describe(
        'RFC 5545 RRULE without DTSTART, e.g. "FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1". COUNT and UNTIL are honoured (UNTIL as UTC 20261231T235959Z, a local date-time or a date). Exactly one of rrule and cron.',
      ),
    cron: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A 5-field cron expression (minute hour day-of-month month day-of-week), e.g. "0 10 * * 2"; converted to the same model as rrule. Exactly one of rrule and cron.',
      ),
    start: LocalDateTime.describe(
      "Local date-time the timetable starts (DTSTART), e.g. 2026-01-06T10:00. With rrule it is the first departure when it matches the rule; train numbers count departures from here.",
    ),
    timezone: z.string().min(1).describe('IANA time zone the rule is read in, e.g. "Europe/Berlin".'),
    cutoff: z
      .union([Duration, BusinessDayCutoff])
      .describe(
        'When boarding closes: a duration before departure (26h, 90m, 2d, PT26H) or {businessDays: 2, at: "17:00"}.',
      ),
    exdates: z
      .array(z.union([LocalDateTime, LocalDate]))
      .default([])
      .describe(
        "Departures to cancel: a local date-time removes that departure; a date removes every departure on that day.",
      ),
    rdates: z
      .array(LocalDateTime)
      .default([])
      .describe("Extra one-off departures, as local date-times in the schedule's time zone."),
  })
  .describe(
    "When the line's trains depart and when their boarding closes. Wall-clock time is kept across DST changes; a departure in a spring-forward gap moves forward by the gap (02:30 becomes 03:30), and one in a fall-back fold is the first of the two.",
  );

export const WindowRange = z
  .strictObject({
    days: z
      .array(WeekdayName)
      .min(1)
      .optional()
      .describe("Weekdays the range applies to (MO … SU). @default every day"),
    from: TimeOfDay.optional().describe("Local start time. @default 00:00"),
    to: TimeOfDay.optional().describe("Local end time (exclusive); must be after `from`. @default 24:00"),
  })
  .describe(
    "A range of local time on some weekdays in which production deployments may start. Days with no hours mean the whole day.",
  );

const BlackoutBase = {
  name: Name.describe("Names the blackout in messages, exceptions and the calendar."),
  reason: z.string().min(1).describe("Why no deployment may happen; shown to everyone a blackout stops."),
  environments: z
    .array(Name)
    .min(1)
    .optional()
    .describe("Only deployments to these environments are stopped. @default every production environment"),
  timezone: z
    .string()
    .min(1)
    .optional()
    .describe(
      "IANA time zone of the local times. @default the line's schedule time zone (for a global blackout, each line's own)",
    ),
  exceptionRoles: z
    .array(Role)
    .default(["admin"])
    .describe("Roles that may grant a train an exception, with a reason (audited). @default [admin]"),
};

export const OneOffBlackout = z
  .strictObject({
    ...BlackoutBase,
    from: z
      .union([LocalDateTime, LocalDate])
      .describe("Start: a local date-time, or a date (from its start)."),
    to: z
      .union([LocalDateTime, LocalDate])
      .describe("End: a local date-time (exclusive), or a date (to its end, inclusive)."),
  })
  .describe("A one-off blackout, e.g. from 2026-12-20 to 2027-01-04.");

export const RecurringBlackout = z
  .strictObject({
    ...BlackoutBase,
    rrule: z
      .string()
      .min(1)
      .describe('RFC 5545 RRULE of the blackout\'s starts, e.g. "FREQ=WEEKLY;BYDAY=FR".'),
    start: LocalDateTime.describe("Local date-time of the first start (DTSTART)."),
    duration: Duration.describe("How long each occurrence lasts, e.g. 14h."),
  })
  .describe("A recurring blackout: an RRULE of starts and a duration.");

export const CalendarBlackout = z
  .strictObject({
    ...BlackoutBase,
    calendar: Name.describe("Name of an entry under `calendars`: each of its dates is blacked out all day."),
  })
  .describe("Every date of a holiday calendar is blacked out, all day in the local time zone.");

export const Blackout = z.union([OneOffBlackout, RecurringBlackout, CalendarBlackout]);

export const HolidayCalendar = z
  .strictObject({
    description: z.string().optional(),
    dates: z
      .array(LocalDate)
      .optional()
      .describe("The holidays, e.g. [2026-12-25, 2026-12-26]. Exactly one of dates and file."),
    file: z
      .string()
      .min(1)
      .optional()
      .describe(
        "An iCalendar (.ics) file, relative to the configuration file: every day an event covers is a holiday (recurring events are expanded). Exactly one of dates and file.",
      ),
  })
  .describe(
    "A named list of holidays: dates in YAML, or an .ics file exported from a calendar. Once loaded, `dates` holds the dates of either.",
  );

const GateBase = {
  name: Name.describe("Unique within its stage; shown in results."),
  timeout: Duration.default("5m").describe("@default 5m"),
};

export const CommandGate = z
  .strictObject({
    ...GateBase,
    type: z.literal("command"),
    command: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .describe(
        "Program to run (argv list, or a string run by /bin/sh -c). Exit code 0 passes. It receives RAILYARD_TRAIN_ID, RAILYARD_LINE, RAILYARD_STAGE, RAILYARD_WAVE, RAILYARD_ENVIRONMENTS, RAILYARD_ATTEMPT and RAILYARD_MANIFEST (JSON array of {component, version, previousVersion}).",
      ),
    cwd: z.string().optional().describe("Working directory, relative to the configuration file."),
    env: z.record(z.string(), z.string()).default({}),
  })
  .describe("Passes when the program exits 0; its output is kept.");

export const HttpGate = z
  .strictObject({
    ...GateBase,
    type: z.literal("http"),
    url: z
      .string()
      .min(1)
      .describe("URL to call. Placeholders: {train}, {line}, {stage}, {wave}, {environment}."),
    method: z.enum(["GET", "POST", "HEAD"]).default("GET").describe("@default GET"),
    headers: z.record(z.string(), z.string()).default({}).describe("Plain headers (no secrets)."),
    headersFromEnv: z
      .record(z.string(), z.string())
      .default({})
      .describe("Headers whose values come from environment variables: {Authorization: SMOKE_TOKEN}."),
    body: z.string().optional(),
  })
  .describe("Passes when the endpoint answers 2xx within the timeout.");

export const TestsGate = z
  .strictObject({
    ...GateBase,
    type: z.literal("tests"),
    minPassRate: z
      .number()
      .min(0)
      .max(1)
      .default(1)
      .describe(
        "Least share of passed tests among those run (skipped and quarantined tests do not count), e.g. 0.98. @default 1",
      ),
    suites: z
      .array(z.string().min(1))
      .default([])
      .describe(
        "Suites that must have reported for the train's current manifest (the name given when pushing, else the report's own). The gate waits for them until its timeout. @default any report",
      ),
    quarantine: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Flaky tests kept out of the pass rate but still shown: "classname.name", "classname.*", or a test name; * matches any characters.',
      ),
  })
  .describe(
    "Judges the JUnit XML reports CI posted for the train's integration stage (POST /api/v1/trains/{id}/test-reports).",
  );

export const SEVERITIES = ["critical", "high", "medium", "low", "negligible", "unknown"] as const;
export const Severity = z.enum(SEVERITIES);

export const SecurityGate = z
  .strictObject({
    ...GateBase,
    type: z.literal("security"),
    maxSeverity: Severity.optional().describe(
      "The most severe finding allowed: `high` passes high and below and blocks critical. Exactly one of maxSeverity and max.",
    ),
    max: z
      .partialRecord(Severity, z.number().int().min(0))
      .optional()
      .describe(
        "Most findings allowed per severity, e.g. {critical: 0, high: 3}; a severity not named is not limited. Exactly one of maxSeverity and max.",
      ),
    onlyFixable: z
      .boolean()
      .default(false)
      .describe("Count only findings with a fixed version available. @default false"),
    requireSbom: z
      .boolean()
      .default(false)
      .describe("Every component of the manifest needs an SBOM report (CycloneDX or SPDX). @default false"),
  })
  .describe(
    "Judges the vulnerability reports pushed for the manifest's artifacts (POST /api/v1/artifacts/{id}/reports): VEX statements and unexpired waivers suppress findings; the result lists each blocking finding with its fix version.",
  );

export const PrometheusGate = z
  .strictObject({
    ...GateBase,
    type: z.literal("prometheus"),
    query: z
      .string()
      .min(1)
      .describe(
        "PromQL, evaluated as an instant query. Placeholders: {train}, {line}, {stage}, {wave}, {environment}.",
      ),
    condition: z
      .string()
      .regex(
        /^\s*(<=|>=|==|!=|<|>)\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/,
        "write a comparison such as < 0.01 or >= 0.95",
      )
      .describe("What every value of the result must satisfy for a measurement to succeed, e.g. `< 0.01`."),
    count: z.number().int().min(1).default(1).describe("How many measurements to take. @default 1"),
    interval: Duration.default("1m").describe("Time between measurements. @default 1m"),
    failureLimit: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe("Failed measurements tolerated; one more fails the gate. @default 0"),
    inconclusiveLimit: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe("Inconclusive measurements tolerated; one more makes the gate inconclusive. @default 0"),
    noData: z
      .enum(["fail", "pass", "inconclusive"])
      .default("inconclusive")
      .describe("What an empty result (no series) counts as. @default inconclusive"),
    source: Name.default("default").describe("Name of an entry under `prometheus`. @default default"),
  })
  .describe(
    "Queries Prometheus and compares the result with a condition, once or `count` times `interval` apart, with the semantics of Argo Rollouts' AnalysisTemplate metrics.",
  );

export const CanaryEffectSize = z
  .strictObject({
    allowedIncrease: z
      .number()
      .min(1)
      .optional()
      .describe(
        "Least ratio of the canary's mean to the baseline's for an increase to count (1.1: a rise under 10% passes). @default 1",
      ),
    allowedDecrease: z
      .number()
      .gt(0)
      .max(1)
      .optional()
      .describe(
        "Greatest ratio of the canary's mean to the baseline's for a decrease to count (0.9: a fall under 10% passes). @default 1",
      ),
    criticalIncrease: z
      .number()
      .min(1)
      .optional()
      .describe(
        "For a critical metric: the ratio from which an increase fails the whole analysis (score 0); below it the increase counts as an ordinary failure. @default allowedIncrease",
      ),
    criticalDecrease: z
      .number()
      .gt(0)
      .max(1)
      .optional()
      .describe(
        "For a critical metric: the ratio at or below which a decrease fails the whole analysis (score 0). @default allowedDecrease",
      ),
  })
  .describe(
    "How large a difference must be, as the ratio of the canary's mean to the baseline's, besides being statistically significant (Kayenta's effect size).",
  );

export const CanaryMetric = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .describe("Names the metric in results and charts, e.g. `p99 latency`; unique within the gate."),
    group: z
      .string()
      .min(1)
      .optional()
      .describe(
        "The group the metric scores in (weighted by the gate's `groups`). @default the metric's name",
      ),
    query: z
      .string()
      .min(1)
      .optional()
      .describe(
        "PromQL range-queried once for each variant, `{variant}` replaced by the baseline's and then the canary's label value (see `variants`), e.g. `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{version=\"{variant}\"}[1m])))`. Also {train}, {line}, {stage}, {wave}, {environment}. Exactly one of query and baseline with canary.",
      ),
    baseline: z
      .string()
      .min(1)
      .optional()
      .describe(
        "PromQL of the baseline's series, when the two variants need different queries (with `canary`, instead of `query`).",
      ),
    canary: z
      .string()
      .min(1)
      .optional()
      .describe("PromQL of the canary's series (with `baseline`, instead of `query`)."),
    direction: z
      .enum(["increase", "decrease", "either"])
      .default("either")
      .describe(
        "Which change fails the metric: increase (latency, errors), decrease (throughput, success rate) or either. @default either",
      ),
    critical: z
      .boolean()
      .default(false)
      .describe(
        "A critical metric that fails (beyond its critical effect size) or has no data fails the whole analysis with score 0. @default false",
      ),
    effectSize: CanaryEffectSize.optional(),
    nanStrategy: z
      .enum(["remove", "replace"])
      .default("remove")
      .describe("What a NaN sample becomes: removed, or replaced by 0. @default remove"),
  })
  .describe("One metric the canary analysis compares between the baseline and the canary.");

export const CanaryGate = z
  .strictObject({
    ...GateBase,
    type: z.literal("canary"),
    source: Name.default("default").describe("Name of an entry under `prometheus`. @default default"),
    lookback: Duration.default("10m").describe(
      "Each analysis compares the series over this much time before it. @default 10m",
    ),
    step: Duration.default("15s").describe(
      "Resolution of the range queries: one sample per series every `step`. @default 15s",
    ),
    confidence: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.98)
      .describe(
        "Confidence of the Mann-Whitney test: a metric differs when the difference is significant at 1 − confidence. @default 0.98",
      ),
    tolerance: z
      .number()
      .min(0)
      .default(0.25)
      .describe(
        "How far the confidence interval of the shift must clear zero, as a share of the shift, for a difference to count. @default 0.25",
      ),
    thresholds: z
      .strictObject({
        marginal: z
          .number()
          .min(0)
          .max(100)
          .describe("Score (0–100) below which an analysis fails, interim ones included."),
        pass: z
          .number()
          .min(0)
          .max(100)
          .describe(
            "Score (0–100) the last analysis must reach to pass; between marginal and pass it is inconclusive and a person decides.",
          ),
      })
      .default({ marginal: 75, pass: 95 })
      .describe("Scores that judge the analysis; marginal ≤ pass. @default {marginal: 75, pass: 95}"),
    groups: z
      .record(z.string().min(1), z.number().min(0))
      .default({})
      .describe(
        "Weights of the metrics' groups in the score, e.g. {latency: 2, errors: 1}; a group not named weighs 1, a weight of 0 leaves its group out. @default {}",
      ),
    variants: z
      .strictObject({
        baseline: z.string().min(1).describe("What `{variant}` becomes in the baseline's query."),
        canary: z.string().min(1).describe("What `{variant}` becomes in the canary's query."),
      })
      .default({ baseline: "baseline", canary: "canary" })
      .describe(
        "The label values `{variant}` expands to, e.g. {baseline: stable, canary: canary}. @default {baseline: baseline, canary: canary}",
      ),
    metrics: z.array(CanaryMetric).min(1).describe("The metrics compared; at least one."),
  })
  .superRefine((gate, ctx) => {
    if (gate.thresholds.marginal > gate.thresholds.pass) {
      ctx.addIssue({
        code: "custom",
        path: ["thresholds", "marginal"],
        message: `is above the pass threshold ${gate.thresholds.pass}: marginal must be at most pass`,
      });
    }
    const names = new Set<string>();
    const groups = new Set<string>();
    gate.metrics.forEach((metric, index) => {
      const at = (...rest: string[]) => ["metrics", index, ...rest];
      if (names.has(metric.name)) {
        ctx.addIssue({
          code: "custom",
          path: at("name"),
          message: `duplicate metric name "${metric.name}": metric names must be unique within a canary gate`,
        });
      }
      names.add(metric.name);
      groups.add(metric.group ?? metric.name);
      const split = metric.baseline !== undefined || metric.canary !== undefined;
      if (metric.query !== undefined && split) {
        ctx.addIssue({
          code: "custom",
          path: at(metric.baseline !== undefined ? "baseline" : "canary"),
          message:
            "a canary metric takes query (with {variant}) or baseline and canary, not both: remove query or the other two",
        });
      } else if (metric.query === undefined && !split) {
        ctx.addIssue({
          code: "custom",
          path: at(),
          message: `metric "${metric.name}" needs query (with {variant}, e.g. version="{variant}") or baseline and canary`,
        });
      } else if (
        metric.query === undefined &&
        (metric.baseline === undefined || metric.canary === undefined)
      ) {
        const missing = metric.baseline === undefined ? "baseline" : "canary";
        ctx.addIssue({
          code: "custom",
          path: at(missing === "baseline" ? "canary" : "baseline"),
          message: `metric "${metric.name}" needs ${missing} too: give both baseline and canary, or query with {variant}`,
        });
      } else if (metric.query !== undefined && !metric.query.includes("{variant}")) {
        ctx.addIssue({
          code: "custom",
          path: at("query"),
          message:
            'has no {variant}: the baseline and the canary would read the same series; select them with a label matcher such as version="{variant}", or give baseline and canary',
        });
      }
      const effect = metric.effectSize;
      if (effect?.criticalIncrease !== undefined && effect.criticalIncrease < (effect.allowedIncrease ?? 1)) {
        ctx.addIssue({
          code: "custom",
          path: at("effectSize", "criticalIncrease"),
          message: `is below allowedIncrease ${effect.allowedIncrease ?? 1}: criticalIncrease must be at least allowedIncrease`,
        });
      }
      if (effect?.criticalDecrease !== undefined && effect.criticalDecrease > (effect.allowedDecrease ?? 1)) {
        ctx.addIssue({
          code: "custom",
          path: at("effectSize", "criticalDecrease"),
          message: `is above allowedDecrease ${effect.allowedDecrease ?? 1}: criticalDecrease must be at most allowedDecrease`,
        });
      }
    });
    for (const group of Object.keys(gate.groups)) {
      if (!groups.has(group)) {
        ctx.addIssue({
          code: "custom",
          path: ["groups", group],
          message: `no metric is in group "${group}" (the metrics' groups are ${[...groups].map((g) => `"${g}"`).join(", ")})`,
        });
      }
    }
  })
  .describe(
    "Canary analysis (Kayenta's judge): range-queries each metric's baseline and canary series over `lookback`, compares them with a Mann-Whitney U test and scores the share of metrics that pass, weighted by group. In a canary's analysis step an interim analysis passes at `marginal`, the last one needs `pass`; between the two it is inconclusive and a person decides.",
  );

export const SloGate = z
  .strictObject({
    ...GateBase,
    type: z.literal("slo"),
    slo: z.string().min(1).describe("Name of an SLO under `slos` (or imported from an OpenSLO file)."),
    minBudgetRemaining: z
      .number()
      .min(0)
      .max(1)
      .default(0)
      .describe(
        "Least share of the error budget that must remain over the SLO's window, e.g. 0.25. @default 0 (the budget must not be spent)",
      ),
    burnRates: z
      .boolean()
      .default(true)
      .describe(
        "Also fail while a multi-window burn-rate alert of the SLO fires (its `burnRates`, by default the Google SRE workbook table). @default true",
      ),
  })
  .describe("Passes while the SLO has error budget left above a floor and no burn-rate alert fires.");

export const PolicyGate = z
  .strictObject({
    ...GateBase,
    type: z.literal("policy"),
    expression: z
      .string()
      .min(1)
      .describe(
        'A CEL expression over the train (see the configuration guide, "Policy gates") that must be true, e.g. `manifest.all(c, c.sbom)`.',
      ),
    message: z
      .string()
      .min(1)
      .optional()
      .describe('What a failure says to people, e.g. "every component needs an SBOM".'),
  })
  .describe(
    "Policy as code: a CEL expression over the train, its manifest, gate results, findings and time.",
  );

export const CHECKLIST_TEMPLATES = ["pre-production", "production-readiness"] as const;

export const ChecklistItem = z
  .strictObject({
    id: Name.describe("Stable id used to tick it."),
    text: z.string().min(1).describe("What must be true."),
    roles: z
      .array(Role)
      .min(1)
      .default(["coordinator", "admin"])
      .describe("Roles that may tick it. @default [coordinator, admin]"),
  })
  .describe("One item of a checklist.");

export const ChecklistGate = z
  .strictObject({
    ...GateBase,
    type: z.literal("checklist"),
    template: z
      .enum(CHECKLIST_TEMPLATES)
      .optional()
      .describe(
        "A built-in checklist: pre-production or production-readiness (the release-train practice's). Exactly one of template and items.",
      ),
    items: z
      .array(ChecklistItem)
      .min(1)
      .optional()
      .describe("A custom checklist. Exactly one of template and items."),
  })
  .describe(
    "Passes once every item is ticked for the train's current manifest by someone holding the item's role (POST /api/v1/trains/{id}/checklists/{gate}/items/{item}, railyard checklist tick); each tick is audited, and the last tick re-evaluates the gate.",
  );

export const Gate = z.discriminatedUnion("type", [
  CommandGate,
  HttpGate,
  TestsGate,
  SecurityGate,
  PrometheusGate,
  CanaryGate,
  SloGate,
  PolicyGate,
  ChecklistGate,
]);

export const ApprovalGroup = z
  .strictObject({
    team: Name.describe("Team whose members may fill this group's seats."),
    required: z.number().int().min(1).default(1).describe("Distinct members of `team` needed. @default 1"),
  })
  .describe("`required` of the members of `team`, e.g. {team: release-managers, required: 2}.");

export const ManualApproval = z
  .strictObject({
    mode: z.literal("manual"),
    team: Name.optional().describe(
      "Shorthand for one group: the team whose members may approve (with `required`). Exactly one of team and groups.",
    ),
    required: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("With `team`: distinct approvers needed, 1 when left out. Each of `groups` has its own."),
    groups: z
      .array(ApprovalGroup)
      .min(1)
      .optional()
      .describe(
        "N of M from named teams, every group satisfied, e.g. [{team: release-managers, required: 2}, {team: qa, required: 1}]. A person fills at most one seat, so that example needs three people even when someone is in both teams. Exactly one of team and groups.",
      ),
    allowSelfApproval: z
      .boolean()
      .default(false)
      .describe(
        "Let people approve a train carrying an artifact they pushed or authored (separation of duties says no). @default false",
      ),
    expiresAfter: Duration.optional().describe(
      "An approval older than this no longer counts (the train waits for a fresh one), e.g. 3d. Without it approvals do not expire.",
    ),
  })
  .superRefine((approval, ctx) => {
    if (approval.team !== undefined && approval.groups !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["team"],
        message: `give team (one group) or groups, not both: move team ${approval.team} into groups as {team: ${approval.team}, required: ${approval.required ?? 1}}`,
      });
    } else if (approval.team === undefined && approval.groups === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["mode"],
        message:
          "a manual approval needs team (one group, with required) or groups, e.g. groups: [{team: release-managers, required: 2}]",
      });
    } else if (approval.groups !== undefined && approval.required !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["required"],
        message: "required goes with team; with groups, give each group its own required",
      });
    }
    const seen = new Set<string>();
    approval.groups?.forEach((group, index) => {
      if (seen.has(group.team)) {
        ctx.addIssue({
          code: "custom",
          path: ["groups", index, "team"],
          message: "is already a group: write one group for the team with the total required",
        });
      }
      seen.add(group.team);
    });
  })
  .describe(
    "Needs people to approve: `required` distinct members of `team`, or every one of `groups` satisfied. An approval counts for the train's current manifest, after its last rejection, within `expiresAfter`, and (unless `allowSelfApproval`) not from someone who pushed or authored an artifact on the train.",
  );

export const Approval = z
  .discriminatedUnion("mode", [
    z.strictObject({ mode: z.literal("auto") }).describe("Approved as soon as every gate passes."),
    ManualApproval,
  ])
  .default({ mode: "auto" })
  .describe("How a train is approved after its gates pass.");

const AnalysisStep = z
  .strictObject({
    gate: Name.describe(
      "Name of a gate among the wave's `gates` (usually a `canary` gate) to run as this step's analyses.",
    ),
    count: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(1)
      .describe(
        "How many analyses to run, `interval` apart: interim ones stop the rollout below the marginal score, the last must reach the pass score. @default 1",
      ),
    interval: Duration.default("5m").describe(
      "Time before each analysis (the first counts from the end of the previous step), so each looks at fresh data. @default 5m",
    ),
  })
  .describe("Runs a gate as one or more analyses of the canary at its current weight.");

const PauseStep = z
  .strictObject({
    duration: Duration.optional().describe(
      "How long to wait; without it the step waits for someone to promote.",
    ),
  })
  .describe("Waits a while, or until someone promotes the train (`railyard promote`).");

export const CanaryStep = z
  .union([
    z.strictObject({
      setWeight: z
        .number()
        .int()
        .min(0)
        .max(100)
        .describe("Share of traffic (percent) the new version takes; the deployer performs the change."),
    }),
    z.strictObject({
      pause: z
        .union([Duration, PauseStep])
        .describe("`pause: 10m` waits ten minutes; `pause: {}` waits for someone to promote."),
    }),
    z.strictObject({ analysis: AnalysisStep }),
    z.strictObject({
      approval: z
        .strictObject({
          team: Name.describe("Team whose members may approve the step."),
          required: z.number().int().min(1).default(1).describe("Distinct approvers needed. @default 1"),
        })
        .describe(
          "The rollout waits until `required` members of `team` approve (railyard train approve); a rejection fails the step.",
        ),
    }),
  ])
  .describe("One step of a canary: setWeight, pause, analysis or approval.");

const CanaryStrategy = z
  .strictObject({
    type: z.literal("canary"),
    steps: z
      .array(CanaryStep)
      .min(1)
      .describe(
        "Steps in order, e.g. setWeight 5, analysis, setWeight 25, pause, setWeight 100. A final setWeight 100 is added when the last weight is lower.",
      ),
  })
  .describe(
    "Shifts traffic to the new version step by step, judging it between steps (Argo Rollouts' canary).",
  );

const BlueGreenStrategy = z
  .strictObject({
    type: z.literal("blueGreen"),
    prePromotion: z
      .array(Name)
      .default([])
      .describe(
        "Gates (names among the wave's `gates`) run against green before traffic switches. @default []",
      ),
    autoPromote: z
      .boolean()
      .default(true)
      .describe("false: after the pre-promotion gates, wait for someone to promote. @default true"),
    rollbackWindow: Duration.default("30m").describe(
      "How long blue keeps running after the switch, so a rollback is a switch back; then it is retired. @default 30m",
    ),
  })
  .describe(
    "Deploys green beside blue with no traffic, verifies it, switches traffic, keeps blue for a while.",
  );

const AllAtOnceStrategy = z
  .strictObject({ type: z.literal("allAtOnce") })
  .describe("Deploys the new version to the wave's targets at full weight.");

export const Strategy = z
  .discriminatedUnion("type", [AllAtOnceStrategy, CanaryStrategy, BlueGreenStrategy])
  .default({ type: "allAtOnce" })
  .describe("How each component reaches the wave's targets. @default allAtOnce");

export const Wave = z
  .strictObject({
    name: Name.describe("Unique within the line; appears in step keys and commit messages."),
    environments: z
      .array(Name)
      .min(1)
      .describe("Production environments this wave deploys to: its targets (regions, clusters)."),
    maxParallel: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        "How many of the wave's targets a component deploys to at once; the targets are taken in batches, in order. @default all of them",
      ),
    strategy: Strategy,
    gates: z
      .array(Gate)
      .default([])
      .describe("Gates the strategy's analysis and prePromotion steps name (not run on their own)."),
    bake: Duration.default("0s").describe("How long to wait after deploying before verifying. @default 0s"),
    verify: z.array(Gate).default([]).describe("Gates that must pass after the bake time."),
    stagger: Duration.default("0s").describe(
      "Pause after this wave is verified before the next wave starts, so the waves' load spikes do not add up. @default 0s",
    ),
  })
  .describe("One stage of the rollout; waves run in order.");

export const Rollout = z
  .strictObject({
    waves: z.array(Wave).min(1),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(1)
      .describe(
        "How many components of a train deploy at once, in the integration environment and in each wave; a component starts only after the components it depends on (and migrations before services). @default 1",
      ),
  })
  .describe("How a train reaches production.");

export const RollbackPolicy = z
  .strictObject({
    policy: z
      .enum(["automatic", "manual"])
      .default("automatic")
      .describe(
        "automatic: a failed deployment, analysis or verification rolls the train back; manual: the train is blocked until someone retries or rolls back. @default automatic",
      ),
    dependents: z
      .enum(["refuse", "include"])
      .default("refuse")
      .describe(
        "A partial rollback of a component that a running component needs at its new version: refuse (409 naming them) or include them in the rollback. @default refuse",
      ),
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .max(20)
      .default(3)
      .describe(
        "Failed attempts of a rollback step (retried with backoff) before the train is blocked, an incident opened and the line stopped. @default 3",
      ),
  })
  .default({ policy: "automatic", dependents: "refuse", maxAttempts: 3 })
  .describe("What happens when a deployment or verification fails, and how rollbacks behave.");

export const RunbookStep = z
  .discriminatedUnion("type", [CommandGate, HttpGate])
  .describe("A runbook step: a command or an HTTP call; exit 0 / the expected status means done.");

export const Runbooks = z
  .strictObject({
    rollback: z
      .array(RunbookStep)
      .default([])
      .describe(
        "Run, in order, after a rollback's deployments are undone (e.g. purge caches, page the owners).",
      ),
    hotfix: z
      .array(RunbookStep)
      .default([])
      .describe("Run, in order, when a hotfix train starts, before its integration."),
  })
  .default({ rollback: [], hotfix: [] })
  .describe("Named steps a line runs on a rollback or a hotfix; their output is kept with the train.");

export const HotfixPolicy = z
  .strictObject({
    gates: z
      .array(z.lazy(() => Gate))
      .default([])
      .describe("The fast-track gates a hotfix train runs instead of the line's gates."),
    roles: z
      .array(Role)
      .min(1)
      .default(["coordinator", "admin"])
      .describe("Roles that may start a hotfix train. @default [coordinator, admin]"),
  })
  .describe("Hotfix trains: unscheduled trains with a fast-track subset of gates and an audited reason.");

export const REPORT_KINDS = ["junit", "sbom", "vulnerabilities", "vex"] as const;

export const BoardingPolicy = z
  .strictObject({
    ci: z
      .enum(["required", "if-reported"])
      .default("if-reported")
      .describe(
        "required: an artifact boards only with a successful CI status for its commit; if-reported: a failed or still-running CI status holds it, no status at all does not. @default if-reported",
      ),
    reports: z
      .array(z.enum(REPORT_KINDS))
      .default([])
      .describe(
        "Reports each artifact needs before the cut-off (POST /api/v1/artifacts/{id}/reports): junit, sbom (CycloneDX or SPDX), vulnerabilities (Grype, Trivy, SARIF or CycloneDX with vulnerabilities), vex (OpenVEX). @default []",
      ),
  })
  .describe("What makes an artifact ready to board, besides arriving before the cut-off.");

export const AlertSuppression = z
  .strictObject({
    name: Name.describe("The window's name, recorded with every alert it suppresses."),
    match: z
      .record(z.string(), z.string())
      .default({})
      .describe(
        "Labels an alert must carry, with these exact values, e.g. {alertname: HighErrorRate}. @default {} (every alert)",
      ),
    window: Duration.default("15m").describe(
      "How long after the train's current wave started its alerts are expected noise (a canary ramp is always covered). @default 15m",
    ),
  })
  .describe(
    "Expected noise: an alert matching `match` that starts while the train it is attributed to ramps a canary wave, or within `window` after its current wave started, is recorded as suppressed and does nothing else.",
  );

export const IncidentPolicy = z
  .strictObject({
    duringRollout: z
      .enum(["rollback", "pause", "none"])
      .default("pause")
      .describe(
        "What an acting incident attributed to a train does while that train deploys or verifies: roll it back, pause it, or nothing. @default pause",
      ),
    otherwise: z
      .enum(["pause", "none"])
      .default("pause")
      .describe(
        "What an acting incident of the line does to its other trains (and to its train outside a rollout): pause them at departure and before their next wave, or nothing. Resolving the incident resumes them. @default pause",
      ),
    severities: z
      .array(z.enum(["critical", "warning", "info"]))
      .min(1)
      .default(["critical"])
      .describe("Severities of incidents that act on trains. @default [critical]"),
    attributionWindow: Duration.default("24h").describe(
      "An alert matched by environment is attributed to the line's train released less than this before the alert started. @default 24h",
    ),
    suppress: z
      .array(AlertSuppression)
      .default([])
      .describe("Named windows of expected alert noise (e.g. during a canary ramp). @default []"),
  })
  .describe("A line's incident policy.");

export const Line = z
  .strictObject({
    description: z.string().optional(),
    schedule: Schedule,
    components: z.array(Name).min(1).describe("Components that ride this line's trains."),
    boarding: BoardingPolicy.default({ ci: "if-reported", reports: [] }),
    gates: z.array(Gate).default([]).describe("Gates run after the integration stage, before approval."),
    approval: Approval,
    rollout: Rollout,
    rollback: RollbackPolicy,
    runbooks: Runbooks,
    notify: z.array(Name).default([]).describe("Notification channels told about this line's trains."),
    window: z
      .array(WindowRange)
      .min(1)
      .optional()
      .describe(
        "When production deployments may start, in the schedule's time zone; a train outside it waits, paused with reason `outside window`, until the next range opens. @default any time",
      ),
    blackouts: z.array(Blackout).default([]).describe("Blackouts of this line (global ones apply too)."),
    onBlackout: z
      .enum(["shift", "skip"])
      .default("shift")
      .describe(
        "A departure inside a blackout: shift moves it to the next allowed instant (or skips it when that is at or after the next departure); skip cancels it. @default shift",
      ),
    holidays: z
      .array(Name)
      .default([])
      .describe(
        "Holiday calendars (names under `calendars`) that are not business days for business-day cut-offs.",
      ),
    overlap: z
      .enum(["allow", "queue"])
      .default("queue")
      .describe(
        "queue: a train that reaches production waits until the line's previous train has finished its rollout; allow: trains of the line may roll out at the same time. Boarding never waits. @default queue",
      ),
    hotfix: HotfixPolicy.default({ gates: [], roles: ["coordinator", "admin"] }),
    errorBudget: z
      .strictObject({
        slo: z.string().min(1).describe("Name of an SLO under `slos` (or imported from an OpenSLO file)."),
        pauseAbove: z
          .number()
          .positive()
          .default(2)
          .describe("Burn rate above which the line's trains do not start production waves. @default 2"),
        over: Duration.default("1h").describe("The window the burn rate is measured over. @default 1h"),
        checkEvery: Duration.default("1m").describe(
          "How often a paused train looks at the burn again. @default 1m",
        ),
      })
      .optional()
      .describe(
        "Error-budget policy: while the SLO burns faster than `pauseAbove`, trains ready to depart or to start their next wave pause (cause `budget`) and resume by themselves when the burn recovers. A burn that cannot be measured (Prometheus down, no data) pauses nothing; the gates judge evidence.",
      ),
    measure: z
      .strictObject({
        errorRate: z
          .string()
          .min(1)
          .optional()
          .describe(
            'PromQL giving the line\'s error ratio (bad / all requests, 0–1) over `{window}`, e.g. sum(rate(http_requests_total{code=~"5.."}[{window}])) / sum(rate(http_requests_total[{window}])). @default the ratio of the `errorBudget` SLO',
          ),
        window: Duration.default("1h").describe(
          "How long before the first production wave and after the release the error ratio is measured over. @default 1h",
        ),
        source: Name.default("default").describe("Name of an entry under `prometheus`. @default default"),
      })
      .optional()
      .describe(
        "Post-release error-rate comparison (metric M5): once `window` has passed after a train released, its error ratio over `window` before the first production wave and over `window` after the release are recorded (`release.measured`). Without `errorRate`, the `errorBudget` SLO's ratio is used (and its source); with neither, nothing is measured.",
      ),
    incidents: IncidentPolicy.optional().describe(
      "What open incidents (from Alertmanager's webhook or people) do to this line's trains, and which alerts are expected noise. @default {duringRollout: pause, otherwise: pause, severities: [critical], attributionWindow: 24h, suppress: []}",
    ),
  })
  .describe("A recurring release train definition.");

const ChannelPurpose = z
  .enum(["chat", "page", "ticket"])
  .default("chat")
  .describe(
    "What the channel is for: chat (people read it), page (wakes someone: default routing sends critical notifications here), ticket (opens a ticket: default routing sends warnings here). @default chat",
  );

const ChannelEvents = z
  .array(z.string().min(1))
  .default(["*"])
  .describe(
    "What this channel sends: notification topics or event types, exact or globs such as train.* (e.g. train.released, incident.opened, reminder.cutoff, gate.evaluated). @default [*]",
  );

export const NotificationChannel = z
  .discriminatedUnion("type", [
    z
      .strictObject({
        type: z.literal("webhook"),
        urlFromEnv: z
          .string()
          .min(1)
          .describe("Environment variable holding the URL (URLs often embed secrets)."),
        format: z
          .enum(["cloudevents"])
          .default("cloudevents")
          .describe(
            "Body format: CloudEvents 1.0 structured JSON (Content-Type application/cloudevents+json). @default cloudevents",
          ),
        secretFromEnv: z
          .string()
          .min(1)
          .optional()
          .describe(
            "Environment variable holding an HMAC secret: requests then carry X-Railyard-Timestamp and X-Railyard-Signature (as the webhook deployer's).",
          ),
        purpose: ChannelPurpose,
        events: ChannelEvents,
      })
      .describe("A generic webhook receiving CloudEvents 1.0 JSON (e.g. a ticketing or paging bridge)."),
    z
      .strictObject({
        type: z.literal("slack"),
        webhookUrlFromEnv: z
          .string()
          .min(1)
          .describe("Environment variable holding the Slack incoming-webhook URL."),
        purpose: ChannelPurpose,
        events: ChannelEvents,
      })
      .describe("A Slack incoming webhook receiving Block Kit messages."),
    z
      .strictObject({
        type: z.literal("email"),
        to: z
          .array(z.email())
          .default([])
          .describe("Addresses that receive every message of this channel. @default []"),
        teams: z
          .array(Name)
          .default([])
          .describe("Teams whose members' emails receive every message of this channel. @default []"),
        purpose: ChannelPurpose,
        events: ChannelEvents,
      })
      .describe(
        "Email through `smtp`: to `to`, the members of `teams`, and the people a reminder is addressed to (approvers, coordinators, a team's members) who have an email.",
      ),
  ])
  .describe("Where train events are announced.");

export const Smtp = z
  .strictObject({
    host: z.string().min(1).describe("SMTP server host name."),
    port: z.number().int().min(1).max(65535).default(587).describe("SMTP port. @default 587"),
    secure: z
      .boolean()
      .default(false)
      .describe(
        "true: implicit TLS from the first byte (port 465); false: plain, upgraded with STARTTLS when the server offers it. @default false",
      ),
    userFromEnv: z.string().min(1).optional().describe("Environment variable holding the SMTP user name."),
    passwordFromEnv: z
      .string()
      .min(1)
      .optional()
      .describe("Environment variable holding the SMTP password (with `userFromEnv`)."),
    from: z.string().min(3).describe('The sender, e.g. "Railyard <railyard@example.com>".'),
  })
  .describe("The SMTP server email channels send through.");

const RouteMatch = z
  .strictObject({
    events: z
      .array(z.string().min(1))
      .optional()
      .describe("Topics or event types, exact or globs such as train.*. @default any"),
    lines: z.array(Name).optional().describe("Lines the notification is about. @default any"),
    teams: z
      .array(Name)
      .optional()
      .describe("Teams owning a component of the notification's line. @default any"),
    severities: z
      .array(z.enum(["critical", "warning", "info"]))
      .optional()
      .describe("Severities. @default any"),
  })
  .describe("What a route matches: every given key must match (an absent key matches anything).");

export const Routing = z
  .strictObject({
    routes: z
      .array(
        z
          .strictObject({
            match: RouteMatch.default({}),
            to: z.array(Name).min(1).describe("Channels that receive what the route matches."),
          })
          .describe("Sends notifications matching `match` to the channels in `to`."),
      )
      .optional()
      .describe(
        "Routes, besides each line's `notify` channels. Absent: the page-vs-ticket default, critical notifications to every channel with purpose page and warnings to every channel with purpose ticket. [] turns the default off.",
      ),
    reminders: z
      .strictObject({
        cutoff: z
          .strictObject({
            before: z
              .array(Duration)
              .default(["2h"])
              .describe("Lead times before a train's cut-off at which each team is reminded. @default [2h]"),
            to: z
              .array(Name)
              .optional()
              .describe(
                "Channels for these reminders. @default each team's `notify`, else the line's `notify`",
              ),
          })
          .default({ before: ["2h"] })
          .describe("Cut-off approaching: to the teams with components on the line."),
        approval: z
          .strictObject({
            after: Duration.default("1h").describe(
              "First reminder this long after approval is needed. @default 1h",
            ),
            every: Duration.default("4h").describe("Then again this often while it waits. @default 4h"),
            to: z
              .array(Name)
              .optional()
              .describe("Channels for these reminders. @default the line's `notify`"),
          })
          .default({ after: "1h", every: "4h" })
          .describe("Approval needed: to the approving groups' members."),
        blocked: z
          .strictObject({
            after: Duration.default("30m").describe(
              "First reminder this long after a train blocked. @default 30m",
            ),
            every: Duration.default("4h").describe(
              "Then again this often while it stays blocked. @default 4h",
            ),
            to: z
              .array(Name)
              .optional()
              .describe("Channels for these reminders. @default the line's `notify`"),
          })
          .default({ after: "30m", every: "4h" })
          .describe("Train blocked: to the coordinators."),
      })
      .default({
        cutoff: { before: ["2h"] },
        approval: { after: "1h", every: "4h" },
        blocked: { after: "30m", every: "4h" },
      })
      .describe(
        "Reminders, sent once per train and lead time (cut-off) or every `every` (approval, blocked).",
      ),
    publicUrl: z
      .string()
      .url()
      .optional()
      .describe(
        "Railyard's public base URL, e.g. https://railyard.example.com; messages link to <publicUrl>/trains/<id>. @default no links",
      ),
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .default(8)
      .describe(
        "Deliveries tried this many times (with backoff) before a message is marked failed. @default 8",
      ),
    timeout: Duration.default("10s").describe("Limit for one delivery attempt. @default 10s"),
  })
  .describe("Which notifications go to which channels, reminders, and delivery.");

export const PrometheusSource = z
  .strictObject({
    url: z.string().url().describe("Base URL of the Prometheus HTTP API, e.g. http://prometheus:9090."),
    timeout: Duration.default("10s").describe("Limit for one query. @default 10s"),
    retries: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(2)
      .describe("Retries of a query that failed to reach Prometheus or got a 5xx, with backoff. @default 2"),
    headersFromEnv: z
      .record(z.string(), z.string())
      .default({})
      .describe("Headers whose values come from environment variables: {Authorization: PROM_TOKEN}."),
  })
  .describe("A Prometheus server gates query.");

export const BurnRateWindow = z
  .strictObject({
    long: Duration.describe("The long window, e.g. 1h."),
    short: Duration.describe("The short window that must burn too, e.g. 5m (1/12 of the long one)."),
    factor: z
      .number()
      .positive()
      .describe("Burn rate that fires: 14.4 spends 2 % of a 30-day budget in an hour."),
  })
  .describe("A multi-window burn-rate alert: fires while both windows burn faster than `factor`.");

export const Slo = z
  .strictObject({
    description: z.string().optional(),
    source: Name.default("default").describe("Name of an entry under `prometheus`. @default default"),
    objective: z.number().gt(0).lt(1).describe("Target share of good events, e.g. 0.999."),
    window: Duration.default("28d").describe(
      "The rolling window the objective is measured over. @default 28d",
    ),
    good: z
      .string()
      .min(1)
      .optional()
      .describe(
        'PromQL counting good events over `{window}`, e.g. sum(rate(http_requests_total{code!~"5.."}[{window}])). Exactly one of good and bad.',
      ),
    bad: z
      .string()
      .min(1)
      .optional()
      .describe(
        'PromQL counting bad events over `{window}`, e.g. sum(rate(http_requests_total{code=~"5.."}[{window}])).',
      ),
    total: z
      .string()
      .min(1)
      .describe("PromQL counting all events over `{window}`, e.g. sum(rate(http_requests_total[{window}]))."),
    burnRates: z
      .array(BurnRateWindow)
      .min(1)
      .optional()
      .describe(
        "Burn-rate alerts. @default the Google SRE workbook's for a 30-day window: 14.4 over 1h and 5m, 6 over 6h and 30m, 1 over 3d and 6h",
      ),
  })
  .describe("A service level objective with a ratio SLI.");

export const Webhooks = z
  .strictObject({
    github: z
      .strictObject({
        secretFromEnv: z
          .string()
          .min(1)
          .describe(
            "Environment variable holding the webhook secret (X-Hub-Signature-256 is checked with it).",
          ),
      })
      .optional()
      .describe("POST /api/v1/webhooks/github: workflow_run and check_suite events set CI status."),
    gitlab: z
      .strictObject({
        tokenFromEnv: z
          .string()
          .min(1)
          .describe("Environment variable holding the secret token GitLab sends as X-Gitlab-Token."),
      })
      .optional()
      .describe("POST /api/v1/webhooks/gitlab: pipeline events set CI status."),
    generic: z
      .strictObject({
        secretFromEnv: z
          .string()
          .min(1)
          .describe(
            'Environment variable holding the HMAC secret: X-Railyard-Signature is sha256=<hex HMAC-SHA256 of "<X-Railyard-Timestamp>.<body>">, as Railyard\'s webhook deployer signs.',
          ),
      })
      .optional()
      .describe(
        "POST /api/v1/webhooks/generic: any CI sends Railyard's own status shape ({repository, commit, status, name, url}), signed with a shared secret.",
      ),
    alertmanager: z
      .strictObject({
        tokenFromEnv: z
          .string()
          .min(1)
          .describe(
            "Environment variable holding the bearer token Alertmanager sends (webhook_config http_config.authorization.credentials).",
          ),
      })
      .optional()
      .describe(
        "POST /api/v1/webhooks/alertmanager: Alertmanager's webhook (version 4) opens, groups and resolves incidents.",
      ),
    maxAge: Duration.default("1h").describe(
      "How old a delivery may be: the signed X-Railyard-Timestamp (generic), the event's own time in the signed body (GitHub workflow_run/check_suite updated_at, GitLab finished_at or created_at). Older deliveries, or ones more than 5m in the future, are refused; accepted deliveries are remembered this long to refuse replays. @default 1h",
    ),
  })
  .describe(
    "Inbound CI webhooks; a receiver without its secret configured answers 404. Each delivery is accepted once: forged ones are refused with 401, replayed ones with 409, stale ones with 400.",
  );

export const Access = z
  .strictObject({
    anonymousRead: z
      .boolean()
      .default(false)
      .describe(
        "Let requests without a token read (GET) the API. Off by default: every read needs a token or a session with at least the viewer role. The health check, the API docs and the iCalendar feeds are always public. @default false",
      ),
    rateLimit: z
      .strictObject({
        mutations: z
          .number()
          .int()
          .min(1)
          .default(600)
          .describe("Mutations (POST, PUT, PATCH, DELETE) one token may make per `per`. @default 600"),
        per: Duration.default("1m").describe("The window the limit counts in. @default 1m"),
      })
      .default({ mutations: 600, per: "1m" })
      .describe(
        "Per-token rate limit on mutations (a token bucket refilled evenly over `per`); past it the API answers 429 with Retry-After.",
      ),
    maxRequestBytes: z
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024)
      .describe(
        "Largest JSON request body accepted, in bytes; larger ones are refused with 413. Reports and webhooks have their own, larger limits. @default 1048576",
      ),
    session: z
      .strictObject({
        ttl: Duration.default("12h").describe("How long a dashboard session lasts after login. @default 12h"),
      })
      .default({ ttl: "12h" })
      .describe("Dashboard sessions: a token exchanged for an httpOnly cookie (POST /api/v1/session)."),
  })
  .describe("Who may read, how fast tokens may write, and dashboard sessions.");

export const Audit = z
  .strictObject({
    signingKeyFromEnv: z
      .string()
      .min(1)
      .default("RAILYARD_AUDIT_SIGNING_KEY")
      .describe(
        "Environment variable holding the Ed25519 private key (PKCS#8 PEM, as `railyard audit keygen` writes) that signs checkpoints of the hash chain. Unset: no checkpoints are signed. @default RAILYARD_AUDIT_SIGNING_KEY",
      ),
    checkpointEvery: Duration.default("1h").describe(
      "How often the head of the hash chain is signed, when events were appended since the last checkpoint. @default 1h",
    ),
  })
  .describe("Signed checkpoints of the audit log, so an export can be verified on another machine.");

export const RailyardConfig = z
  .strictObject({
    $schema: z.string().optional().describe("URL or path of this JSON Schema, for editors."),
    version: z.literal(1).describe("Configuration format version. Always 1 for now."),
    teams: z.record(Name, Team).default({}).describe("Teams by name: their people and roles."),
    users: z
      .array(Person)
      .default([])
      .describe(
        "People outside any team (auditors, administrators, coordinators). A person's roles are the union of their entries here and in teams.",
      ),
    access: Access.default({
      anonymousRead: false,
      rateLimit: { mutations: 600, per: "1m" },
      maxRequestBytes: 1024 * 1024,
      session: { ttl: "12h" },
    }),
    audit: Audit.default({ signingKeyFromEnv: "RAILYARD_AUDIT_SIGNING_KEY", checkpointEvery: "1h" }),
    deployers: z.record(Name, Deployer).default({}).describe("Deployers by name; components refer to one."),
    components: z.record(Name, Component).default({}).describe("Components by name."),
    environments: z
      .record(Name, Environment)
      .describe("Environments by name: exactly one integration environment and the production targets."),
    lines: z.record(Name, Line).describe("Lines by name: each is a recurring release train."),
    notifications: z.record(Name, NotificationChannel).default({}).describe("Notification channels by name."),
    smtp: Smtp.optional().describe("The SMTP server for `email` channels (required when one exists)."),
    routing: Routing.default({
      reminders: {
        cutoff: { before: ["2h"] },
        approval: { after: "1h", every: "4h" },
        blocked: { after: "30m", every: "4h" },
      },
      maxAttempts: 8,
      timeout: "10s",
    }),
    calendars: z
      .record(Name, HolidayCalendar)
      .default({})
      .describe("Holiday calendars by name, for business-day cut-offs and calendar blackouts."),
    blackouts: z
      .array(Blackout)
      .default([])
      .describe("Global blackouts: they stop deployments of every line (or of the environments they name)."),
    webhooks: Webhooks.default({ maxAge: "1h" }),
    slos: z.record(Name, Slo).default({}).describe("SLOs by name, for `slo` gates."),
    openslo: z
      .array(z.string().min(1))
      .default([])
      .describe(
        "OpenSLO v1 files (relative to this file) whose SLO (and SLI) documents are added to `slos` under their metadata.name.",
      ),
    prometheus: z
      .record(Name, PrometheusSource)
      .default({})
      .describe("Prometheus servers by name; `prometheus` gates use `default` unless they name another."),
  })
  .describe("Railyard configuration: teams, components, environments, lines and notification channels.");

export type RailyardConfig = z.infer<typeof RailyardConfig>;
export type LineConfig = z.infer<typeof Line>;
/** A notification channel, defaults applied (see {@link NotificationChannel}). */
export type NotificationChannelConfig = z.infer<typeof NotificationChannel>;
/** The SMTP server of email channels (see {@link Smtp}). */
export type SmtpConfig = z.infer<typeof Smtp>;
/** Notification routing, reminders and delivery, defaults applied (see {@link Routing}). */
export type RoutingConfig = z.infer<typeof Routing>;
/** A named window of expected alert noise (see {@link AlertSuppression}). */
export type AlertSuppressionConfig = z.infer<typeof AlertSuppression>;
/** A line's incident policy, defaults applied (see {@link IncidentPolicy}). */
export type IncidentPolicyConfig = z.infer<typeof IncidentPolicy>;
export type GateConfig = z.infer<typeof Gate>;
export type WaveConfig = z.infer<typeof Wave>;
export type CanaryStepConfig = z.infer<typeof CanaryStep>;
export type StrategyConfig = z.infer<typeof Strategy>;
export type RunbookStepConfig = z.infer<typeof RunbookStep>;
export type ComponentConfig = z.infer<typeof Component>;
export type DeployerConfig = z.infer<typeof Deployer>;
export type EnvironmentConfig = z.infer<typeof Environment>;
export type ScheduleConfig = z.infer<typeof Schedule>;
export type TeamConfig = z.infer<typeof Team>;
export type ApprovalConfig = z.infer<typeof Approval>;
export type ManualApprovalConfig = z.infer<typeof ManualApproval>;
export type ApprovalGroupConfig = z.infer<typeof ApprovalGroup>;
export type AccessConfig = z.infer<typeof Access>;
export type AuditConfig = z.infer<typeof Audit>;
export type PersonConfig = z.infer<typeof Person>;
export type RoleName = z.infer<typeof Role>;
export type BlackoutConfig = z.infer<typeof Blackout>;
export type WindowRangeConfig = z.infer<typeof WindowRange>;
export type HolidayCalendarConfig = z.infer<typeof HolidayCalendar>;
export type TestsGateConfig = z.infer<typeof TestsGate>;
export type SecurityGateConfig = z.infer<typeof SecurityGate>;
export type PrometheusGateConfig = z.infer<typeof PrometheusGate>;
export type CanaryGateConfig = z.infer<typeof CanaryGate>;
export type CanaryMetricConfig = z.infer<typeof CanaryMetric>;
export type PrometheusSourceConfig = z.infer<typeof PrometheusSource>;
export type SloConfig = z.infer<typeof Slo>;
export type SloGateConfig = z.infer<typeof SloGate>;
export type PolicyGateConfig = z.infer<typeof PolicyGate>;
export type ChecklistGateConfig = z.infer<typeof ChecklistGate>;
export type BurnRateWindowConfig = z.infer<typeof BurnRateWindow>;
export type SeverityName = (typeof SEVERITIES)[number];
export type BoardingPolicyConfig = z.infer<typeof BoardingPolicy>;
export type ReportKind = (typeof REPORT_KINDS)[number];
export type CutoffConfig = z.infer<typeof Schedule>["cutoff"];
