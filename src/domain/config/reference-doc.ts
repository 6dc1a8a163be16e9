/**
 * The configuration reference, `docs/configuration.md`: a hand-written introduction, the
 * annotated example, and one table per section generated from the JSON Schema (so the reference
 * cannot drift from `schema.ts`).
 */
import { ANNOTATED_EXAMPLE } from "./annotated-example.js";
import { CONFIG_SCHEMA_ID, configJsonSchema, DURATION_PATTERN } from "./json-schema.js";

type JsonSchema = Record<string, unknown>;

/** What a named entry of each map is called in headings: `teams.<team>`. */
const ENTRY_NAMES: Record<string, string> = {
  teams: "team",
  deployers: "deployer",
  components: "component",
  environments: "environment",
  lines: "line",
  notifications: "channel",
};

const NAME_PATTERN = "^[a-z][a-z0-9_-]{0,62}$";

interface Section {
  anchor: string;
  /** Where the mapping sits: `lines.<line>.schedule`; "" for the top level. */
  path: string;
  /** Which variant of a union it is (`type: gitops`), or is inside of. */
  variant: string | undefined;
  /** Whether the section is that variant itself rather than a mapping inside it. */
  isVariant: boolean;
  schema: JsonSchema;
  /** Said above the table when the schema itself has no description. */
  fallbackDescription: string;
}

function asSchema(value: unknown): JsonSchema | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as JsonSchema)
    : undefined;
}

function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  return (asSchema(schema.properties) ?? {}) as Record<string, JsonSchema>;
}

function variants(schema: JsonSchema): JsonSchema[] {
  const list = schema.oneOf;
  return Array.isArray(list) ? list.map((item) => asSchema(item) ?? {}) : [];
}

/** The property every variant of a `oneOf` fixes with `const` (`type`, `mode`). */
function discriminatorOf(options: readonly JsonSchema[]): string | undefined {
  const first = propertiesOf(options[0] ?? {});
  return Object.keys(first).find((key) =>
    options.every((option) => propertiesOf(option)[key]?.const !== undefined),
  );
}

function anchorOf(path: string, variant: string | undefined): string {
  return `${path} ${variant ?? ""}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function code(text: string): string {
  return `\`${text}\``;
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

function ownDescription(schema: JsonSchema): string {
  const text = typeof schema.description === "string" ? schema.description : "";
  return text.replace(/\s*@default\b.*$/s, "").trim();
}

/** The description of a value, or else of the entries of the map or list it is. */
function descriptionOf(schema: JsonSchema): string {
  const entries = asSchema(schema.additionalProperties) ?? asSchema(schema.items);
  return ownDescription(schema) || (entries ? ownDescription(entries) : "");
}

/** `list of X`, read naturally: `list of names`, `list of non-empty strings`. */
function pluralType(type: string): string {
  if (/^(non-empty )?string$/.test(type)) return `${type}s`;
  const link = /^\[(name|mapping)\](\(#[^)]+\))$/.exec(type);
  if (link) return `[${link[1]}s]${link[2]}`;
  return type.includes("`") && !type.includes(" or ") ? `any of ${type}` : type;
}

/** Walks the JSON Schema, collecting a section per object and giving each value a type text. */
class ReferenceWalker {
  readonly sections: Section[] = [];
  private readonly seen = new Map<string, Section>();

  /** Registers an object schema as a section (once per distinct schema) and returns a link to it. */
  private section(
    path: string,
    variant: string | undefined,
    isVariant: boolean,
    schema: JsonSchema,
    fallback: string,
  ): string {
    const key = JSON.stringify({ ...schema, default: undefined, description: undefined });
    let section = this.seen.get(key);
    if (!section) {
      section = {
        anchor: anchorOf(path, variant),
        path,
        variant,
        isVariant,
        schema,
        fallbackDescription: fallback,
      };
      this.seen.set(key, section);
      this.sections.push(section);
      for (const [name, value] of Object.entries(propertiesOf(schema))) {
        this.typeOf(`${path}.${name}`, variant, value, name);
      }
    }
    return `[${isVariant ? variant : "mapping"}](#${section.anchor})`;
  }

  /** The type column's text for `schema` found at `path`; registers sections on the way. */
  typeOf(path: string, variant: string | undefined, schema: JsonSchema, key: string): string {
    const options = variants(schema);
    if (options.length > 0) {
      const discriminator = discriminatorOf(options);
      return options
        .map((option) => {
          const label =
            discriminator === undefined
              ? variant
              : `${discriminator}: ${String(propertiesOf(option)[discriminator]?.const)}`;
          return this.section(path, label, discriminator !== undefined, option, ownDescription(schema));
        })
        .join(" or ");
    }
    if (Array.isArray(schema.anyOf)) {
      return schema.anyOf
        .map((option) => this.typeOf(path, variant, asSchema(option) ?? {}, key))
        .join(" or ");
    }
    if (schema.const !== undefined) return code(JSON.stringify(schema.const));
    if (Array.isArray(schema.enum)) return schema.enum.map((value) => code(String(value))).join(", ");
    switch (schema.type) {
      case "array": {
        const items = this.typeOf(`${path}[]`, variant, asSchema(schema.items) ?? {}, key);
        const atLeast = typeof schema.minItems === "number" ? ` (at least ${schema.minItems})` : "";
        return `list of ${pluralType(items)}${atLeast}`;
      }
      case "object": {
        if (asSchema(schema.properties)) return this.section(path, variant, false, schema, "");
        const entry = ENTRY_NAMES[key];
        const values = this.typeOf(
          `${path}.<${entry ?? "key"}>`,
          variant,
          asSchema(schema.additionalProperties) ?? {},
          key,
        );
        return `map of ${entry === undefined ? "string" : "[name](#names)"} → ${values}`;
      }
      case "string":
        return stringType(schema);
      case "integer":
        return typeof schema.minimum === "number" ? `integer ≥ ${schema.minimum}` : "integer";
      default:
        return typeof schema.type === "string" ? schema.type : "any value";
    }
  }

  /** The table of one section. */
  table(section: Section): string {
    const required = new Set(Array.isArray(section.schema.required) ? section.schema.required : []);
    const rows = Object.entries(propertiesOf(section.schema)).map(([key, schema]) => {
      const type = this.typeOf(`${section.path}.${key}`, section.variant, schema, key);
      const defaultText = schema.default === undefined ? "" : code(JSON.stringify(schema.default));
      const columns = [code(key), type, required.has(key) ? "yes" : "no", defaultText, descriptionOf(schema)];
      return `| ${columns.map(cell).join(" | ")} |`;
    });
    return ["| key | type | required | default | description |", "|---|---|---|---|---|", ...rows].join("\n");
  }
}

function stringType(schema: JsonSchema): string {
  if (schema.pattern === DURATION_PATTERN) return "[duration](#durations)";
  if (schema.pattern === NAME_PATTERN) return "[name](#names)";
  if (schema.format === "email") return "email address";
  if (typeof schema.pattern === "string" && schema.pattern.startsWith("^\\d{4}-")) return "local date-time";
  return typeof schema.minLength === "number" && schema.minLength > 0 ? "non-empty string" : "string";
}

function heading(section: Section): string {
  const where = code(section.path.replace(/^\./, ""));
  if (section.variant === undefined) return `### ${where}`;
  return `### ${where} (${section.isVariant ? "" : "in "}${code(section.variant)})`;
}

function renderSections(schema: JsonSchema): string {
  const walker = new ReferenceWalker();
  for (const [key, value] of Object.entries(propertiesOf(schema)))
    walker.typeOf(`.${key}`, undefined, value, key);
  const root = `<a id="top-level"></a>\n\n### Top level\n\n${ownDescription(schema)}\n\n${walker.table({
    anchor: "top-level",
    path: "",
    variant: undefined,
    isVariant: false,
    schema,
    fallbackDescription: "",
  })}`;
  const sections = walker.sections.map((section) => {
    const description = ownDescription(section.schema) || section.fallbackDescription;
    return [
      `<a id="${section.anchor}"></a>`,
      "",
      heading(section),
      "",
      ...(description ? [description, ""] : []),
      walker.table(section),
    ].join("\n");
  });
  return [root, ...sections].join("\n\n");
}

const INTRO = `# Configuration reference: \`railyard.yaml\`

<!-- Generated from src/domain/config/schema.ts by src/domain/config/reference-doc.ts.
     Do not edit by hand: run \`UPDATE_SNAPSHOTS=1 npx vitest run src/domain/config\`. -->

One YAML file describes everything Railyard runs: the **teams** and their people, the
**components** they own and how each is deployed, the **environments** (one integration
environment and the production targets), the **lines** (recurring release trains: timetable,
components, gates, approval, rollout waves, rollback) and the **notification** channels. Keep it
in a repository next to your code and review changes to it like code: trains as code.

## Where Railyard looks for it

Commands read \`railyard.yaml\` in the current directory unless you name another file:
\`railyard validate deploy/railyard.yaml\`, \`railyard serve -c deploy/railyard.yaml\`. Paths inside
the file (a GitOps repository given as a path, a command's \`cwd\`) are relative to the file's
directory.

## Validation

\`railyard validate [FILE]\` checks the file and prints every problem, not just the first, as
\`FILE:LINE:COLUMN: message\`, then exits non-zero:

\`\`\`text
railyard.yaml:25:7: lines.web.schedule: unknown key "cutof" (did you mean "cutoff"?)
railyard.yaml:31:15: lines.web.gates[1].name: duplicate gate name "smoke": gate names must be unique within a stage
\`\`\`

A file with any problem is rejected whole: Railyard keeps running with the configuration it had,
never with half of a new one. The checks are:

- **YAML**: syntax, duplicate keys (a key may appear once in a mapping), anchors defined before
  their aliases, no custom tags.
- **Shape**: every key, type and value in the tables below. **Unknown keys are errors**, so a
  typo never silently disables a gate; the message suggests the key you probably meant.
- **References**: teams, deployers, components, environments and notification channels named
  anywhere exist; \`depends_on\` versions are semver ranges, a component does not depend on
  itself and dependencies form no cycle; a component rides at most one line; exactly one
  environment has kind \`integration\`, and waves deploy only to \`production\` environments;
  wave names are unique within a line and gate names within a stage; each group of a manual
  approval names a team with at least \`required\` members, and the groups' members can fill
  every seat (a person fills one); every schedule can be evaluated; a GitOps deployer shared by
  several components puts \`{component}\` in its \`path\` or \`file\`.

## Editor support

\`railyard schema\` prints the JSON Schema of this file. It ships in the npm package as
\`schema/railyard.schema.json\`, and its \`$id\` is \`${CONFIG_SCHEMA_ID}\`. Editors using the YAML
language server (VS Code's YAML extension, Neovim, Helix, …) complete and check the file as you
type when it holds a comment naming the schema, by URL or by a path relative to the file:

\`\`\`yaml
# yaml-language-server: $schema=${CONFIG_SCHEMA_ID}
# yaml-language-server: $schema=./node_modules/railyard/schema/railyard.schema.json
\`\`\`

(one of the two). A top-level \`$schema\` key is accepted too.

<a id="names"></a>

## Names

Teams, people, deployers, components, environments, lines, gates, waves and channels have
**names**: lowercase letters, digits, \`-\` and \`_\`, starting with a letter, at most 63
characters. Names appear in train IDs (\`payments-42\`), URLs, file paths and Prometheus labels.

<a id="durations"></a>

## Durations

Durations (\`cutoff\`, \`bake\`, \`timeout\`) are written compactly — a number and a unit, several
in a row: \`90s\`, \`90m\`, \`26h\`, \`2d\`, \`1w\`, \`1h30m\`, \`250ms\` — or in ISO 8601:
\`PT26H\`, \`P2D\`, \`P1DT2H\`. Months and years are refused: their length depends on the calendar.

## How a schedule is read

A line's \`schedule\` says when its trains depart:

- \`rrule\` is an [RFC 5545](https://www.rfc-editor.org/rfc/rfc5545#section-3.3.10) recurrence
  rule **without** \`DTSTART\`: \`FREQ=DAILY\`, \`FREQ=WEEKLY;BYDAY=TU\` (weekly),
  \`FREQ=WEEKLY;INTERVAL=2;BYDAY=TU\` (every second Tuesday), \`FREQ=MONTHLY;BYDAY=2TU\` (second
  Tuesday of the month), \`FREQ=MONTHLY;BYMONTHDAY=1,15\`, \`FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1\`
  (last Friday). \`COUNT=n\` ends after n departures; \`UNTIL\` ends after a UTC instant
  (\`UNTIL=20271231T235959Z\`), a local date-time or a date (through the end of that day).
- Instead of \`rrule\`, \`cron\` takes a 5-field cron expression (\`"0 10 * * 2"\`: Tuesdays at
  10:00), converted to the same model. A cron expression that restricts both the day of the
  month and the day of the week (which cron reads as "either") is refused: write an \`rrule\`.
- \`start\` is a **local** date-time (\`2026-01-06T10:00\`) in \`timezone\`, an IANA time-zone
  name (\`Europe/Berlin\`). It plays the role of \`DTSTART\`: the rule is expanded from it, in
  local time; it is itself a departure when the rule matches it. Trains are numbered by their
  departure's position counted from \`start\` (\`web-42\` is the 42nd departure), so the
  calendar and \`railyard timetable\` show the IDs trains will have.
- \`exdates\` cancel departures (a local date-time cancels that one, a date every one that day);
  \`rdates\` add one-off departures (local date-times).

### Daylight-saving time

- Departures keep their local wall-clock time across daylight-saving changes: a 10:00 train
  leaves at 10:00 in Berlin in winter and in summer.
- A departure whose local time **does not exist** (it falls in the spring-forward gap, e.g. 02:30
  on the last Sunday of March in Berlin) is read with the UTC offset in force **before** the gap,
  so it leaves that many minutes later on the clock: 02:30 becomes 03:30 CEST (RFC 5545 section
  3.3.5). It is not skipped.
- A local time that occurs **twice** (the fall-back fold, e.g. 02:30 on the last Sunday of
  October in Berlin) means the **first** occurrence (02:30 CEST, before the clocks go back).

### Cut-offs, windows, blackouts, holidays

- The **cut-off** of each train is when its boarding closes; an artifact pushed after it boards
  the following train. \`cutoff: 26h\` is a duration before the departure (with a Tuesday 10:00
  departure, Monday 08:00). \`cutoff: {businessDays: 2, at: "17:00"}\` is 17:00 local on the
  day two business days before the departure's day, counting back over weekends and the dates
  of the line's \`holidays\` calendars (Tuesday → the previous Friday). A cut-off that is not
  before its departure is a configuration error.
- A line's \`window\` lists when production deployments may start, in the schedule's zone:
  \`[{days: [MO, TU, WE, TH], from: "10:00", to: "16:00"}]\`; several ranges may be given, a
  range without hours is the whole day, and a range cannot cross midnight (write two). A train
  that would start a production wave outside its window waits, \`paused\` with reason
  \`outside window\`, and resumes by itself when the next range opens; \`railyard train show\`
  and the API say when.
- A **blackout** stops deployment (not boarding): one-off (\`from\`/\`to\` local date-times, or
  dates with both days included), recurring (\`rrule\` + \`start\` + \`duration\`) or every date
  of a holiday \`calendar\`; global (top-level \`blackouts\`, applying to every line in its own
  zone unless the blackout names a \`timezone\`) or per line, for every environment or only the
  \`environments\` it names. A departure that falls in a blackout stopping the whole line is
  moved to the next instant deployments are allowed again (\`onBlackout: shift\`, the default;
  when that instant is at or after the next departure, the departure is skipped instead) or
  skipped (\`onBlackout: skip\`); the timetable shows which. A train reaching production during a
  blackout is paused until it ends, unless a person holding one of the blackout's
  \`exceptionRoles\` grants it an exception with a reason (\`railyard exception\`, audited).
- **Holiday calendars** (\`calendars\`) are named lists of dates, written in YAML or read from an
  .ics file exported from Google Calendar, Outlook/Exchange or any iCalendar source (all-day and
  recurring events are expanded). Lines use them for business-day cut-offs (\`holidays\`) and
  as blackouts (\`calendar:\`).
- **Hotfix trains** (\`railyard hotfix LINE …\`) run the line's \`hotfix.gates\` instead of its
  \`gates\`, may be started only by the roles in \`hotfix.roles\`, ignore the window, and need
  an exception to deploy in a blackout. They never move the regular timetable.
- \`overlap: queue\` (the default) makes a train that is ready for production wait while another
  train of the line is still rolling out; \`overlap: allow\` lets them roll out together.

## Who boards a train

At a train's cut-off Railyard takes the latest artifact each component pushed to it and decides,
by one deterministic rule, who rides and who is **held** (a held artifact rides the next train).

- **Ready**: the artifact's CI status allows it (\`lines.<line>.boarding.ci\`: \`if-reported\`
  holds a failed or still-running status; \`required\` also holds a commit without any
  status), the reports in \`boarding.reports\` are present, and the component is neither
  dropped from the train nor pinned. CI status comes with the push (\`ci\`) or from GitHub
  \`workflow_run\` / \`check_suite\` and GitLab pipeline webhooks (\`webhooks\`), matched by the
  component's \`repository\` and the artifact's commit; each workflow, check suite or pipeline
  keeps its latest status, and any failure fails the commit.
- **Constraints belong to versions.** A new artifact's constraints are its push's \`dependsOn\`,
  else the component's \`depends_on\`. Every manifest records the constraints of the versions it
  ships, so what runs in production keeps its own.
- **After the train every running version's constraints hold**: a boarding component's
  constraints, and the recorded ones of components that stay, each checked against the version
  that will run (the candidate if it boards, else production). A constraint between two
  components that both stay is production's own state and holds nobody.
- **\`same-train: true\`** on a dependency ties the two components: both board or neither does;
  a tie to a component without a new version on the train holds the candidate. Both must ride
  the same line.
- **The rule.** (1) Start from every ready candidate and remove violators until none is left,
  smallest name first: a candidate whose own constraint fails, a candidate a staying
  component's recorded constraint refuses, a same-train group with a member out. When
  constraints only ever ask for newer versions this is the unique largest consistent set.
  (2) With upper bounds a removal can make room again: repeatedly board the held, ready
  component (or same-train group) with the smallest name that can board alone keeping every
  constraint, until none can. No held, ready component could then be added alone. (3) A cycle
  among pushed \`dependsOn\` holds its members, naming the cycle (a cycle in the configuration
  is a configuration error).
- **Reasons.** Every held component gets a chain a person can act on, its own sentence first
  and then those of the held components it points at, ending at the root cause:
  \`api 2.0.0 held: needs db >=42.0.0; db 42.0.0 held: CI failed on commit abc1234 (build: …)\`.
  The first cause reported is the one nobody else's boarding could fix: not ready, then a
  constraint nothing can meet, then a constraint only a held component would meet.
- **Order.** Riders deploy in dependency order (their recorded constraints), \`kind: migration\`
  components before every service that is not one of their dependencies; independent ones run
  side by side, \`rollout.concurrency\` at a time, in integration and in each wave.
- **People.** A coordinator may drop a component from a train (\`railyard drop\`, with a reason:
  it rides the next train, the manifest is resolved again and the answer names who else is now
  held) or pin it at its production version until unpinned (\`railyard pin\`). Both are in the
  audit trail. \`railyard board --config … --line … --artifacts … --production …\` runs the same
  rule offline; \`railyard train diff\` shows a manifest against production.

## Gates and their verdicts

Gates run side by side after the integration stage (\`gates\`), and after each wave's bake time
(\`verify\`). Each ends \`pass\`, \`fail\` (the evidence says no), \`inconclusive\` (not enough
evidence, e.g. no data or no scan) or \`error\` (it could not be evaluated), with a first line
that says why and the evidence below it; only \`pass\` lets the train go on, and \`railyard
retry\` evaluates the failed gates again.

- \`command\` and \`http\`: a program's exit code, an endpoint's 2xx.
- \`tests\`: JUnit results CI posted for the train (pass rate, required suites, quarantine).
- \`prometheus\`: an instant PromQL query and a condition (\`< 0.01\`), every returned value must
  satisfy it; \`count\` measurements \`interval\` apart with \`failureLimit\` and
  \`inconclusiveLimit\` as in Argo Rollouts' AnalysisTemplate; an empty result counts as
  \`noData\` says. The whole analysis must fit in the gate's \`timeout\`.
- \`security\`: the vulnerability reports pushed for the manifest's artifacts (Grype, Trivy,
  CycloneDX, SARIF; SPDX and CycloneDX as SBOMs; OpenVEX), \`maxSeverity\` or per-severity \`max\`.
  VEX statements marking a finding \`not_affected\` or \`fixed\`, and waivers in force
  (\`railyard waiver add COMPONENT CVE-… --expires 30d --justification …\`, by an approver,
  coordinator or admin, audited, a year at most), keep a finding from counting; the output lists
  every blocking finding with its fix version and every suppressed one with why.

- \`slo\`: an SLO (\`slos\`, or imported from OpenSLO v1 files listed in \`openslo\`) with a ratio
  SLI (\`good\` or \`bad\` over \`total\`, PromQL with \`{window}\`), an \`objective\` and a
  \`window\`: the gate fails when less than \`minBudgetRemaining\` of the error budget is left or
  while a multi-window burn-rate alert fires (by default the Google SRE workbook's: 14.4x over 1h
  and 5m, 6x over 6h and 30m, 1x over 3d and 6h), and is inconclusive without data.
- A line's \`errorBudget\` is not a gate but a policy: while its SLO burns faster than
  \`pauseAbove\` (default 2x) over \`over\` (default 1h), a train ready to depart or to start its
  next wave pauses (cause \`budget\`, with the burn in its reason) and resumes by itself once the
  burn falls back, looked at every \`checkEvery\`. A burn that cannot be measured pauses nothing.
- \`checklist\`: a built-in list (\`template: pre-production\` or \`production-readiness\`) or
  its own \`items\`, each ticked by someone holding its role (\`railyard checklist tick TRAIN GATE
  ITEM\`, audited) for the train's current manifest; the tick that completes a checklist whose
  gate blocked the train retries it.
- \`policy\`: a [CEL](https://cel.dev) expression that must be true, checked when the
  configuration loads (an unknown field or function is a problem with its position). It reads:
  - \`line\`: \`name\`, \`components\`, \`approval\` {\`mode\`, \`team\`, \`required\`}, \`waves\`
    [{\`name\`, \`environments\`, \`bake\` (duration)}];
  - \`train\`: \`id\`, \`number\`, \`kind\` (scheduled, hotfix), \`state\`, \`revision\`,
    \`cutoffAt\`, \`departureAt\` (timestamps);
  - \`manifest\`: the boarded components, each {\`component\`, \`team\`, \`version\`,
    \`previousVersion\` ("" when never released), \`change\` (new, upgrade, downgrade, same),
    \`commit\`, \`ci\` (success, failure, pending, none), \`reports\` (kinds), \`sbom\` (bool),
    \`findings\` {\`critical\`, \`high\`, \`medium\`, \`low\`, \`negligible\`, \`unknown\`} after VEX
    and waivers, \`migration\` (bool)};
  - \`gates\`: the current revision's other gates by name (wave gates as
    \`verify/<wave>/<gate>\`), each {\`type\`, \`stage\`, \`verdict\`, \`attempt\`} — gates of the
    same stage run side by side, so test presence with \`"smoke" in gates\`;
  - \`findings\`: [{\`id\`, \`severity\`, \`package\`, \`installed\`, \`fixed\`, \`component\`}];
  - \`now\` (timestamp) and \`window\` {\`open\`, \`reason\`}: whether the next wave could start now.

  Examples: \`manifest.all(c, c.sbom)\`, \`manifest.all(c, c.findings.critical == 0)\`,
  \`train.kind == "hotfix" || manifest.size() <= 10\`, \`now - train.cutoffAt < duration("48h")\`.

\`railyard gate eval --line … --gate …\` evaluates a \`command\`, \`http\`, \`prometheus\`, \`canary\`
or \`slo\` gate now, without a server; \`railyard report summarize FILE\` shows what a report holds.

## Rolling out: waves, strategies, rollback

Waves run in order. Each deploys to its \`environments\` (its targets), \`maxParallel\` of them at
a time, waits \`bake\`, runs its \`verify\` gates, and then waits \`stagger\` before the next wave
starts. A wave's \`strategy\` says how each component gets there:

- \`allAtOnce\` (the default): the new version at full weight.
- \`canary\`: \`steps\` in order — \`setWeight: 25\` (the deployer moves 25% of the traffic:
  the GitOps deployer writes \`canaryPath\` and \`weightPath\`, the webhook deployer sends
  \`weight\` and \`phase\`), \`pause: 10m\`, \`pause: {}\` (waits for \`railyard promote\`),
  \`approval: {team, required}\` (waits for \`railyard approve\` by members of the team; a
  rejection fails the step) and \`analysis: {gate, count, interval}\`, which runs one of the wave's
  \`gates\` \`count\` times, \`interval\` apart. A last \`setWeight: 100\` is added when missing.
- \`blueGreen\`: green is deployed beside blue with no traffic, the \`prePromotion\` gates run
  against it, traffic switches (after a promote when \`autoPromote: false\`), and blue keeps
  running for \`rollbackWindow\`, within which a rollback is a switch back.

A \`canary\` gate compares the canary's series with the baseline's, metric by metric, with a
Mann-Whitney U test and the Hodges-Lehmann estimate of the shift (as Kayenta's judge does): a
metric is \`high\` when the confidence interval of the shift lies above \`tolerance\`·|shift| and
the mean ratio reaches \`effectSize.allowedIncrease\` (\`low\` likewise), and \`pass\` otherwise.
The score is the weighted share of passing metrics over the \`groups\`; a critical metric that
fails scores 0. In an analysis step, an interim analysis below \`thresholds.marginal\` stops the
rollout (a rollback, under the automatic policy); the last must reach \`thresholds.pass\`, and one
between the two pauses the train (cause \`analysis\`) until a person promotes it, resumes it
(the analysis runs again) or rolls it back. \`railyard canary judge --baseline FILE --canary FILE\`
runs the same statistics on two JSON arrays of numbers.

\`rollback.policy: automatic\` rolls a train back when a deployment, an analysis or a verification
fails; \`manual\` blocks it. People roll back a whole train (\`railyard rollback ID\`), one component
(\`--component\`: refused while a riding component needs its new version, unless
\`rollback.dependents: include\` takes those back too) or the wave the train is in (\`--wave\`: the
train then blocks there; \`retry\` deploys the wave again). A rollback step that fails
\`rollback.maxAttempts\` times blocks the train and opens an incident that stops the line until
\`railyard incident resolve\`. \`runbooks.rollback\` steps run after a rollback's deployments are
undone, \`runbooks.hotfix\` steps before a hotfix train integrates; both are \`command\` or \`http\`
steps whose output is kept with the train.

## People, roles and approvals

People are listed under \`teams.<team>.members\` and \`users\` (for those outside any team),
each with their roles; a person's roles are the union of their entries. Roles are additive:

| role | may |
| --- | --- |
| \`viewer\` | read everything (the API needs a token or a session to read, unless \`access.anonymousRead\`) |
| \`member\` | push artifacts and reports, and drop components, of their own teams |
| \`approver\` | approve and reject trains (when in the approving group), promote rollouts, manage waivers |
| \`coordinator\` | pause, resume, abort, retry, roll back; drop any component; blackout exceptions; hotfix trains; pins; incidents |
| \`admin\` | everything, including tokens, configuration reloads and the simulated clock |

API tokens carry roles, but a person's token never holds more than the configuration gives them:
remove a role here and their tokens lose it at once. CI tokens (\`railyard token create --ci
--component api\`) push artifacts and reports for their components and nothing else. Every
mutation, and every refused attempt, is kept in the hash-chained audit log with the person, the
token, the client's address, and the target before and after.

A manual \`approval\` needs \`required\` people from each of its \`groups\` (one person fills one
seat only). An approval stops counting when the manifest changes, after a rejection, after
\`expiresAfter\`, and it never counts from someone who pushed or authored an artifact in the
train unless \`allowSelfApproval: true\`.

## Secrets

Secrets never go in this file. Where a value is secret, the key names an **environment
variable** that holds it, and Railyard takes the value from its own environment:
\`headersFromEnv\` of an \`http\` gate (\`Authorization: SMOKE_TOKEN\`), \`urlFromEnv\` of a webhook
channel, \`webhookUrlFromEnv\` of a Slack channel, \`webhooks.github.secretFromEnv\` and
\`webhooks.gitlab.tokenFromEnv\` and \`webhooks.generic.secretFromEnv\` of the CI webhook receivers,
\`audit.signingKeyFromEnv\` (the Ed25519 key that signs audit checkpoints), \`headersFromEnv\` of a Prometheus
source, \`secretEnv\` (the HMAC key) and \`headersFromEnv\` of a \`webhook\` deployer. Plain \`headers\` and \`env\` values are
ordinary text in the file, reviewed and committed like the rest of it: do not put secrets there.
`;

/**
 * Generates the configuration reference (Markdown): the introduction, the annotated example and
 * one table per section of the schema (key, type, required, default, description). Deterministic.
 */
export function configReferenceMarkdown(): string {
  const schema = configJsonSchema();
  return `${INTRO}
## A complete example

\`\`\`yaml
${ANNOTATED_EXAMPLE.trimEnd()}
\`\`\`

## Reference

Every section below is a mapping; a key marked "no" under *required* may be left out (its default
applies). A key not listed in its section is an error.

${renderSections(schema)}
`;
}
