/**
 * OpenSLO v1 files (https://github.com/OpenSLO/OpenSLO) read into Railyard SLOs: each `kind: SLO`
 * document with a ratio SLI over Prometheus becomes an entry of the configuration's `slos`, under
 * its `metadata.name`. Pure: the caller reads the file.
 *
 * What is read (everything else is refused with the document and the field, or ignored):
 * - `kind: SLO` with `budgetingMethod: Occurrences`; its SLI inline (`spec.indicator`) or named by
 *   `spec.indicatorRef` (a `kind: SLI` document of the same file).
 * - `spec.timeWindow[0]`: a rolling window (`isRolling: true`, or no `calendar`); its duration in
 *   minutes, hours, days or weeks (`2w` → `14d`). No time window → Railyard's default, 28d.
 * - `spec.objectives[0]`: `target` (0.999) or `targetPercent` (99.9). One objective per SLO.
 * - `ratioMetric` with `good` or `bad`, and `total`, each a `metricSource` of type Prometheus
 *   whose `spec.query` (or `spec.promql`) is PromQL. `metricSourceRef`, when given, names the
 *   entry under `prometheus` in railyard.yaml to query (a DataSource document's connection details
 *   are not read); without it the SLO queries `default`. Queries become `{window}` templates as
 *   {@link windowTemplateOf} says; `counter` defaults to true (raw Prometheus counters).
 * - `kind: Service`, `AlertPolicy`, `AlertCondition`, `AlertNotificationTarget` and `DataSource`
 *   documents are accepted and not imported (an SLO's burn-rate alerts are Railyard's, see
 *   `burnRates`).
 *
 * Not supported yet, each refused with a sentence naming the field: `Timeslices` and
 * `RatioTimeslices` budgeting, threshold metrics, raw (precomputed) ratios, calendar-aligned
 * windows, composite SLOs and several objectives, sources other than Prometheus, `openslo/v1alpha`.
 */
import { LineCounter, parseAllDocuments } from "yaml";
import { formatPath, type PathSegment } from "../config/config-problem.js";
import { Name, Slo, type SloConfig } from "../config/schema.js";
import { createLocator, type SourceLocator } from "../config/source-positions.js";
import { isEmptyDocument, yamlProblems } from "../config/yaml-problems.js";
import { UnsupportedQueryError, windowTemplateOf } from "./promql-window.js";

/** An SLO read from an OpenSLO file. */
export interface OpenSloImport {
  /** Its `metadata.name`: the key under `slos`. */
  name: string;
  slo: SloConfig;
}

/** Why a file (or one document of it) cannot be imported, at a 1-based position in the file. */
export interface OpenSloProblem {
  line: number;
  column: number;
  /** Names the document and the field: `SLO "search": spec.budgetingMethod: Timeslices is …`. */
  message: string;
}

/** The outcome of {@link parseOpenSlo}: every SLO of the file, or every problem that rejects it. */
export type OpenSloResult = { ok: true; slos: OpenSloImport[] } | { ok: false; problems: OpenSloProblem[] };

const API_VERSION = "openslo/v1";
const KINDS = [
  "SLO",
  "SLI",
  "DataSource",
  "Service",
  "AlertPolicy",
  "AlertCondition",
  "AlertNotificationTarget",
];
/** yaml's own default, stated: caps alias expansion. */
const MAX_ALIAS_COUNT = 100;

type Data = Record<string, unknown>;

/** One OpenSLO object: a document, or an item of a document that is a list of objects. */
interface OpenSloObject {
  kind: string;
  name: string | undefined;
  data: Data;
  /** Path of the object in its document (`[]`, or `[i]` in a list). */
  at: PathSegment[];
  locator: SourceLocator;
  /** 1-based number of its document in the file. */
  document: number;
}

function isData(value: unknown): value is Data {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads the SLOs of an OpenSLO v1 file (one or more YAML documents, `---` apart; a document may
 * also be a list of objects). Never throws for a bad file: every problem is returned, each at
 * the line and column of the field it is about.
 */
export function parseOpenSlo(text: string): OpenSloResult {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: OpenSloProblem[] = [];
  const objects: OpenSloObject[] = [];
  const documents = Array.isArray(parsed) ? parsed : [];

  documents.forEach((doc, index) => {
    const locator = createLocator(doc, lineCounter, text);
    const document = index + 1;
    const syntax = yamlProblems(doc).filter((p) => !/more than one YAML document/.test(p.message));
    if (syntax.length > 0) {
      for (const problem of syntax)
        problems.push({ ...locator.atOffset(problem.offset), message: problem.message });
      return;
    }
    if (isEmptyDocument(doc)) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      problems.push({
        ...locator.atPath([], "value"),
        message: `cannot read the YAML: ${(error as Error).message}`,
      });
      return;
    }
    const items: Array<[unknown, PathSegment[]]> = Array.isArray(value)
      ? value.map((item, i) => [item, [i]])
      : [[value, []]];
    for (const [item, at] of items) {
      const label = `document ${document}${at.length > 0 ? ` item ${at[0]}` : ""}`;
      if (!isData(item)) {
        problems.push({
          ...locator.atPath(at, "value"),
          message: `${label} is not an OpenSLO object (apiVersion, kind, metadata, spec)`,
        });
        continue;
      }
      const here = (path: PathSegment[]) => locator.atPath([...at, ...path], "value");
      const apiVersion = item.apiVersion;
      if (apiVersion !== API_VERSION) {
        problems.push({
          ...here(["apiVersion"]),
          message:
            typeof apiVersion === "string" && apiVersion.startsWith("openslo/")
              ? `${label}: apiVersion ${apiVersion} is not supported: Railyard reads ${API_VERSION} (convert the file, e.g. with \`oslo convert\`)`
              : `${label}: apiVersion ${JSON.stringify(apiVersion ?? null)} is not OpenSLO: expected ${API_VERSION}`,
        });
        continue;
      }
      const kind = item.kind;
      if (typeof kind !== "string" || !KINDS.includes(kind)) {
        problems.push({
          ...here(["kind"]),
          message: `${label}: kind ${JSON.stringify(kind ?? null)} is not an OpenSLO v1 kind (${KINDS.join(", ")})`,
        });
        continue;
      }
      const metadata = isData(item.metadata) ? item.metadata : {};
      const name = typeof metadata.name === "string" ? metadata.name : undefined;
      objects.push({ kind, name, data: item, at, locator, document });
    }
  });
  if (problems.length > 0) return { ok: false, problems: sortByPosition(problems) };

  const slis = new Map<string, OpenSloObject>();
  const dataSources = new Map<string, OpenSloObject>();
  for (const object of objects) {
    if (object.kind === "SLI" && object.name !== undefined) slis.set(object.name, object);
    if (object.kind === "DataSource" && object.name !== undefined) dataSources.set(object.name, object);
  }

  const slos: OpenSloImport[] = [];
  const seen = new Set<string>();
  for (const object of objects.filter((o) => o.kind === "SLO")) {
    const converted = convertSlo(object, { slis, dataSources });
    if ("problems" in converted) {
      problems.push(...converted.problems);
      continue;
    }
    if (seen.has(converted.name)) {
      problems.push({
        ...object.locator.atPath([...object.at, "metadata", "name"], "value"),
        message: `SLO "${converted.name}": metadata.name: another SLO of this file has the same name`,
      });
      continue;
    }
    seen.add(converted.name);
    slos.push(converted);
  }
  if (problems.length > 0) return { ok: false, problems: sortByPosition(problems) };
  if (slos.length === 0) {
    return {
      ok: false,
      problems: [
        { line: 1, column: 1, message: `the file holds no kind: SLO document (${API_VERSION}) to import` },
      ],
    };
  }
  return { ok: true, slos };
}

function sortByPosition(problems: OpenSloProblem[]): OpenSloProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}

interface Lookup {
  slis: ReadonlyMap<string, OpenSloObject>;
  dataSources: ReadonlyMap<string, OpenSloObject>;
}

/** Collects problems of one object, each at a path of it, its message prefixed with the object. */
class Reporter {
  readonly problems: OpenSloProblem[] = [];
  constructor(
    private readonly object: OpenSloObject,
    private readonly label: string,
  ) {}

  at(path: PathSegment[], message: string): void {
    this.problems.push({
      ...this.object.locator.atPath([...this.object.at, ...path], "value"),
      message: `${this.label}: ${path.length > 0 ? `${formatPath(path)}: ` : ""}${message}`,
    });
  }
}

function labelOf(object: OpenSloObject): string {
  return object.name !== undefined
    ? `${object.kind} "${object.name}"`
    : `${object.kind} (document ${object.document})`;
}

function convertSlo(object: OpenSloObject, lookup: Lookup): OpenSloImport | { problems: OpenSloProblem[] } {
  const report = new Reporter(object, labelOf(object));
  const { data } = object;
  const name = object.name;
  if (name === undefined) {
    report.at(["metadata", "name"], "is missing: it becomes the SLO's name under slos");
  } else if (!Name.safeParse(name).success) {
    report.at(
      ["metadata", "name"],
      `"${name}" cannot name a Railyard SLO: use lowercase letters, digits, '-' and '_', starting with a letter`,
    );
  }
  const spec = data.spec;
  if (!isData(spec)) {
    report.at(["spec"], "is missing or not a mapping");
    return { problems: report.problems };
  }

  const method = spec.budgetingMethod;
  if (method === undefined) {
    report.at(
      ["spec", "budgetingMethod"],
      "is missing: Railyard imports Occurrences SLOs (budgetingMethod: Occurrences)",
    );
    return { problems: report.problems };
  }
  if (method === "Timeslices" || method === "RatioTimeslices") {
    report.at(
      ["spec", "budgetingMethod"],
      `${method} is not supported yet: Railyard judges Occurrences SLOs (good or bad events among all events over the window), not time slices`,
    );
    return { problems: report.problems };
  }
  if (method !== "Occurrences") {
    report.at(
      ["spec", "budgetingMethod"],
      `${JSON.stringify(method)} is not an OpenSLO budgeting method (Occurrences, Timeslices or RatioTimeslices)`,
    );
    return { problems: report.problems };
  }

  const window = readWindow(spec, report);
  const objective = readObjective(spec, report);
  const indicator = readIndicator(spec, object, lookup, report);

  if (report.problems.length > 0 || name === undefined || objective === undefined || !indicator) {
    return { problems: report.problems };
  }
  const description =
    typeof spec.description === "string"
      ? spec.description
      : typeof (data.metadata as Data | undefined)?.displayName === "string"
        ? ((data.metadata as Data).displayName as string)
        : undefined;
  const input = {
    ...(description !== undefined ? { description } : {}),
    source: indicator.source,
    objective,
    ...(window !== undefined ? { window } : {}),
    [indicator.numerator.kind]: indicator.numerator.query,
    total: indicator.total,
  };
  const slo = Slo.safeParse(input);
  if (!slo.success) {
    for (const issue of slo.error.issues) {
      report.at([], `cannot be imported: ${issue.path.join(".")}: ${issue.message}`);
    }
    return { problems: report.problems };
  }
  return { name, slo: slo.data };
}

const SHORTHAND = /^(\d+)([mhdwMQY])$/;

/** `spec.timeWindow[0]` as a Railyard duration, or undefined for Railyard's default. */
function readWindow(spec: Data, report: Reporter): string | undefined {
  const windows = spec.timeWindow;
  if (windows === undefined || windows === null) return undefined;
  if (!Array.isArray(windows) || windows.length !== 1 || !isData(windows[0])) {
    report.at(["spec", "timeWindow"], "must be a list of exactly one time window");
    return undefined;
  }
  const window = windows[0];
  const at = ["spec", "timeWindow", 0];
  if (window.calendar !== undefined || window.isRolling === false) {
    report.at(
      [...at, window.calendar !== undefined ? "calendar" : "isRolling"],
      "calendar-aligned windows are not supported yet: Railyard measures rolling windows (isRolling: true, no calendar)",
    );
    return undefined;
  }
  const duration = window.duration;
  const match = typeof duration === "string" ? SHORTHAND.exec(duration) : null;
  if (!match) {
    report.at(
      [...at, "duration"],
      `${JSON.stringify(duration ?? null)} is not an OpenSLO duration: write a whole number and m, h, d or w (e.g. 28d, 4w)`,
    );
    return undefined;
  }
  const count = Number(match[1]);
  const unit = match[2]!;
  if (count === 0) {
    report.at([...at, "duration"], `${duration} holds no time: use a longer window`);
    return undefined;
  }
  switch (unit) {
    case "w":
      return `${count * 7}d`;
    case "M":
    case "Q":
    case "Y":
      report.at(
        [...at, "duration"],
        `${duration} is a calendar unit, whose length varies: write the rolling window in days or weeks (e.g. 30d, 4w)`,
      );
      return undefined;
    default:
      return `${count}${unit}`;
  }
}

/** `spec.objectives[0]`'s target as a share (0.999). */
function readObjective(spec: Data, report: Reporter): number | undefined {
  const objectives = spec.objectives;
  if (!Array.isArray(objectives) || objectives.length === 0) {
    report.at(["spec", "objectives"], "is missing: give one objective with a target (e.g. target: 0.999)");
    return undefined;
  }
  if (objectives.length > 1) {
    report.at(
      ["spec", "objectives", 1],
      `the SLO has ${objectives.length} objectives: Railyard imports one per SLO, split it into one SLO document per objective`,
    );
    return undefined;
  }
  const objective = objectives[0];
  const at = ["spec", "objectives", 0];
  if (!isData(objective)) {
    report.at(at, "is not a mapping");
    return undefined;
  }
  if (objective.indicator !== undefined || objective.indicatorRef !== undefined) {
    report.at(
      [...at, objective.indicator !== undefined ? "indicator" : "indicatorRef"],
      "composite SLOs (an indicator per objective) are not supported yet: give the SLI as spec.indicator or spec.indicatorRef",
    );
    return undefined;
  }
  const { target, targetPercent } = objective;
  if ((target === undefined) === (targetPercent === undefined)) {
    report.at(
      at,
      target === undefined
        ? "needs target (e.g. 0.999) or targetPercent (e.g. 99.9)"
        : "give target or targetPercent, not both",
    );
    return undefined;
  }
  // 99.9 / 100 is 0.9990000000000001 in binary floating point: round the noise away.
  const share =
    target !== undefined
      ? target
      : typeof targetPercent === "number"
        ? Number((targetPercent / 100).toPrecision(15))
        : Number.NaN;
  if (typeof share !== "number" || !(share > 0 && share < 1)) {
    report.at(
      [...at, target !== undefined ? "target" : "targetPercent"],
      target !== undefined
        ? `${JSON.stringify(target)} is not a target: write a share above 0 and below 1, e.g. 0.999`
        : `${JSON.stringify(targetPercent)} is not a target percentage: write one above 0 and below 100, e.g. 99.9`,
    );
    return undefined;
  }
  return share;
}

interface Indicator {
  source: string;
  numerator: { kind: "good" | "bad"; query: string };
  total: string;
}

/** The SLO's SLI, inline or by reference, as `{window}` templates over one Prometheus. */
function readIndicator(
  spec: Data,
  slo: OpenSloObject,
  lookup: Lookup,
  sloReport: Reporter,
): Indicator | undefined {
  const inline = spec.indicator;
  const ref = spec.indicatorRef;
  if ((inline === undefined) === (ref === undefined)) {
    sloReport.at(
      ["spec"],
      inline === undefined
        ? "needs its SLI: spec.indicator (inline) or spec.indicatorRef (the name of a kind: SLI document of this file)"
        : "give spec.indicator or spec.indicatorRef, not both",
    );
    return undefined;
  }
  if (inline !== undefined) {
    if (!isData(inline) || !isData(inline.spec)) {
      sloReport.at(["spec", "indicator", "spec"], "is missing: the SLI needs a ratioMetric");
      return undefined;
    }
    return readRatioMetric(inline.spec, ["spec", "indicator", "spec"], lookup, sloReport);
  }
  const sli = typeof ref === "string" ? lookup.slis.get(ref) : undefined;
  if (!sli) {
    const known = [...lookup.slis.keys()].map((n) => `"${n}"`);
    sloReport.at(
      ["spec", "indicatorRef"],
      `${JSON.stringify(ref)} names no kind: SLI document of this file (${known.length > 0 ? `SLIs here: ${known.join(", ")}` : "it holds none"}): Railyard reads SLIs from the same file only`,
    );
    return undefined;
  }
  const sliReport = new Reporter(sli, `${labelOf(sli)} (the SLI of ${labelOf(slo)})`);
  const sliSpec = sli.data.spec;
  let found: Indicator | undefined;
  if (isData(sliSpec)) found = readRatioMetric(sliSpec, ["spec"], lookup, sliReport);
  else sliReport.at(["spec"], "is missing: the SLI needs a ratioMetric");
  sloReport.problems.push(...sliReport.problems);
  return found;
}

function readRatioMetric(
  sliSpec: Data,
  at: PathSegment[],
  lookup: Lookup,
  report: Reporter,
): Indicator | undefined {
  if (sliSpec.thresholdMetric !== undefined) {
    report.at(
      [...at, "thresholdMetric"],
      "threshold metrics are not supported yet: Railyard judges ratio metrics (ratioMetric with good or bad, and total)",
    );
    return undefined;
  }
  const ratio = sliSpec.ratioMetric;
  if (!isData(ratio)) {
    report.at([...at, "ratioMetric"], "is missing: give ratioMetric with good or bad, and total");
    return undefined;
  }
  const here = [...at, "ratioMetric"];
  if (ratio.raw !== undefined) {
    report.at(
      [...here, "raw"],
      "raw (precomputed) ratios are not supported yet: give the events as good or bad, and total",
    );
    return undefined;
  }
  if ((ratio.good === undefined) === (ratio.bad === undefined)) {
    report.at(
      ratio.good === undefined ? here : [...here, "bad"],
      ratio.good === undefined
        ? "needs good or bad (the events counted against total)"
        : "give good or bad, not both",
    );
    return undefined;
  }
  if (ratio.total === undefined) {
    report.at(here, "needs total (all events)");
    return undefined;
  }
  const counter = ratio.counter;
  if (counter !== undefined && typeof counter !== "boolean") {
    report.at([...here, "counter"], "must be true or false");
    return undefined;
  }
  const kind = ratio.good !== undefined ? "good" : "bad";
  const numerator = readSource(ratio[kind], [...here, kind], counter ?? true, lookup, report);
  const total = readSource(ratio.total, [...here, "total"], counter ?? true, lookup, report);
  if (!numerator || !total) return undefined;
  if (numerator.ref !== total.ref) {
    report.at(
      [...here, "total", "metricSource", "metricSourceRef"],
      `${kind} and total name different metric sources (${numerator.ref ?? "none"}, ${total.ref ?? "none"}): Railyard queries one Prometheus per SLO`,
    );
    return undefined;
  }
  return { source: total.ref ?? "default", numerator: { kind, query: numerator.query }, total: total.query };
}

function readSource(
  metric: unknown,
  at: PathSegment[],
  counter: boolean,
  lookup: Lookup,
  report: Reporter,
): { query: string; ref: string | undefined } | undefined {
  const source = isData(metric) ? metric.metricSource : undefined;
  const here = [...at, "metricSource"];
  if (!isData(source)) {
    report.at(here, "is missing: give metricSource with type: Prometheus and spec.query");
    return undefined;
  }
  const ref = source.metricSourceRef;
  if (ref !== undefined && (typeof ref !== "string" || !Name.safeParse(ref).success)) {
    report.at(
      [...here, "metricSourceRef"],
      `${JSON.stringify(ref)} cannot name a Prometheus of railyard.yaml: use lowercase letters, digits, '-' and '_', starting with a letter`,
    );
    return undefined;
  }
  const type = source.type;
  if (type !== undefined && (typeof type !== "string" || type.toLowerCase() !== "prometheus")) {
    report.at(
      [...here, "type"],
      `metric source type ${JSON.stringify(type)} is not supported: Railyard queries Prometheus (type: Prometheus)`,
    );
    return undefined;
  }
  if (type === undefined) {
    const dataSource = typeof ref === "string" ? lookup.dataSources.get(ref) : undefined;
    const declared = isData(dataSource?.data.spec) ? (dataSource.data.spec as Data).type : undefined;
    if (ref === undefined) {
      report.at([...here, "type"], "is missing: write type: Prometheus");
      return undefined;
    }
    if (declared !== undefined && (typeof declared !== "string" || declared.toLowerCase() !== "prometheus")) {
      report.at(
        [...here, "metricSourceRef"],
        `names DataSource "${ref}" of type ${JSON.stringify(declared)}: Railyard queries Prometheus only`,
      );
      return undefined;
    }
  }
  const spec = isData(source.spec) ? source.spec : {};
  const field = spec.query !== undefined ? "query" : spec.promql !== undefined ? "promql" : undefined;
  const query = field !== undefined ? spec[field] : undefined;
  if (field === undefined || typeof query !== "string" || query.trim() === "") {
    report.at([...here, "spec", field ?? "query"], "give the PromQL as spec.query (or spec.promql)");
    return undefined;
  }
  try {
    return { query: windowTemplateOf(query, counter).query, ref: typeof ref === "string" ? ref : undefined };
  } catch (error) {
    if (!(error instanceof UnsupportedQueryError)) throw error;
    report.at([...here, "spec", field], error.message);
    return undefined;
  }
}
