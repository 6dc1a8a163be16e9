/**
 * Loading `railyard.yaml`: YAML (with source positions) → shape (zod) → cross-references.
 * A file with any problem is rejected whole, with every problem reported at FILE:LINE:COLUMN.
 *
 * Pure: the caller reads the file and passes its text.
 */
import { LineCounter, parseDocument } from "yaml";
import { holidayDatesFromIcs } from "../calendar/ics-import.js";
import { parseOpenSlo } from "../slo/openslo.js";
import {
  type ConfigProblem,
  formatPath,
  formatProblem,
  InvalidConfigError,
  messageAt,
  type PathSegment,
  sortProblems,
} from "./config-problem.js";
import { contentHash } from "./content-hash.js";
import { checkReferences, type ReferenceProblem } from "./references.js";
import { RailyardConfig } from "./schema.js";
import { createLocator, type PointAt, type SourceLocator } from "./source-positions.js";
import { isEmptyDocument, yamlProblems } from "./yaml-problems.js";
import { explainIssues } from "./zod-issues.js";

export { type ConfigProblem, formatProblem, InvalidConfigError, type PathSegment };

/** The outcome of {@link parseConfig}: the configuration, or every problem that rejects it. */
export type ConfigResult =
  | {
      ok: true;
      /** The configuration with defaults applied. */
      config: RailyardConfig;
      /** {@link contentHash} of the text: FNV-1a 64-bit of its UTF-8 bytes, 16 hex digits. */
      hash: string;
    }
  | { ok: false; problems: ConfigProblem[] };

/** What {@link parseConfig} may read besides the file itself. */
export interface ConfigFiles {
  /**
   * Returns the text of a file named in the configuration (a holiday calendar's `file`, an
   * `openslo` entry), given as written there: relative paths are relative to the configuration file.
   * @throws when the file cannot be read; the message is shown at the key naming it.
   */
  readFile(path: string): string;
  /**
   * The path to show in a problem found inside such a file (FILE:LINE:COLUMN), as the reader of
   * the problem would open it. @default the path as written in the configuration
   */
  pathOf?(path: string): string;
}

/** yaml's own default, stated: caps alias expansion against "billion laughs" files. */
const MAX_ALIAS_COUNT = 100;

const EMPTY_FILE_MESSAGE =
  "the file is empty: a configuration needs at least version, environments and lines";

function rejected(problems: ConfigProblem[]): ConfigResult {
  return { ok: false, problems: dedupe(sortProblems(problems)) };
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const text = formatProblem(problem);
    if (seen.has(text)) return false;
    seen.add(text);
    return true;
  });
}

/** Syntax errors cascade: only the first one on a line says something useful. */
function firstPerLine(problems: ConfigProblem[]): ConfigProblem[] {
  const lines = new Set<number>();
  return sortProblems(problems).filter((problem) => {
    if (problem.path.length > 0) return true;
    if (lines.has(problem.line)) return false;
    lines.add(problem.line);
    return true;
  });
}

function placer(file: string, locator: SourceLocator) {
  return (entry: { path: PathSegment[]; pointAt: PointAt; message: string }): ConfigProblem => ({
    file,
    ...locator.atPath(entry.path, entry.pointAt),
    path: entry.path,
    message: entry.message,
  });
}

/**
 * Parses and validates the text of a configuration file. `file` is only used in the problems
 * (pass the path as the user wrote it). YAML syntax errors and duplicate keys are reported first
 * and alone; then every shape problem; then, once the shape is valid, every cross-reference
 * problem. Problems are sorted by line, then column.
 *
 * Never throws for a bad file; see {@link parseConfigOrThrow}.
 */
export function parseConfig(text: string, file: string, files?: ConfigFiles): ConfigResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const locator = createLocator(doc, lineCounter, text);
  const place = placer(file, locator);

  const syntax = yamlProblems(doc).map((problem) => ({
    file,
    ...locator.atOffset(problem.offset),
    path: problem.path,
    message: problem.message,
  }));
  if (syntax.length > 0) return rejected(firstPerLine(syntax));
  if (isEmptyDocument(doc)) {
    return rejected([{ file, line: 1, column: 1, path: [], message: EMPTY_FILE_MESSAGE }]);
  }

  let input: unknown;
  try {
    input = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return rejected([
      { file, line: 1, column: 1, path: [], message: `cannot read the YAML: ${(error as Error).message}` },
    ]);
  }

  const parsed = RailyardConfig.safeParse(input);
  if (!parsed.success) return rejected(explainIssues(parsed.error.issues, input, RailyardConfig).map(place));

  const calendarProblems = loadCalendars(parsed.data, files);
  const openslo = loadOpenSlo(parsed.data, files);
  if (calendarProblems.length > 0 || openslo.problems.length > 0 || openslo.inFiles.length > 0) {
    return rejected([
      ...[...calendarProblems, ...openslo.problems].map((problem) =>
        place({ path: problem.path, pointAt: "value", message: messageAt(problem.path, problem.message) }),
      ),
      ...openslo.inFiles,
    ]);
  }

  const references = checkReferences(parsed.data).map((problem) =>
    fromImportedSlo(problem, openslo.origin, parsed.data.openslo),
  );
  if (references.length > 0) {
    return rejected(
      references.map((problem) =>
        place({ path: problem.path, pointAt: "value", message: messageAt(problem.path, problem.message) }),
      ),
    );
  }
  return { ok: true, config: parsed.data, hash: contentHash(text) };
}

/**
 * Adds the SLOs of every `openslo` file to `slos` (in place), under their `metadata.name`.
 * A file that cannot be read, or a name already taken (by an entry of `slos` or an earlier
 * file), is a problem at its `openslo[i]` entry; what is wrong inside a file is a problem at its
 * own line and column in that file (`inFiles`). `origin` maps each imported name to its entry.
 */
function loadOpenSlo(
  config: RailyardConfig,
  files: ConfigFiles | undefined,
): {
  problems: Array<{ path: PathSegment[]; message: string }>;
  inFiles: ConfigProblem[];
  origin: Map<string, number>;
} {
  const problems: Array<{ path: PathSegment[]; message: string }> = [];
  const inFiles: ConfigProblem[] = [];
  const origin = new Map<string, number>();
  config.openslo.forEach((file, index) => {
    const at = ["openslo", index];
    if (!files) {
      problems.push({ path: at, message: "OpenSLO files cannot be read here" });
      return;
    }
    let text: string;
    try {
      text = files.readFile(file);
    } catch (error) {
      problems.push({ path: at, message: `cannot read "${file}": ${(error as Error).message}` });
      return;
    }
    const result = parseOpenSlo(text);
    if (!result.ok) {
      const shown = files.pathOf?.(file) ?? file;
      for (const problem of result.problems) {
        inFiles.push({
          file: shown,
          line: problem.line,
          column: problem.column,
          path: at,
          message: problem.message,
        });
      }
      return;
    }
    for (const { name, slo } of result.slos) {
      if (Object.hasOwn(config.slos, name)) {
        const first = origin.get(name);
        problems.push({
          path: at,
          message: `"${file}" defines SLO "${name}", which ${first === undefined ? "slos already defines" : `"${config.openslo[first]}" already defines`}: rename one of them (an SLO's name is its metadata.name)`,
        });
        continue;
      }
      config.slos[name] = slo;
      origin.set(name, index);
    }
  });
  return { problems, inFiles, origin };
}

/** A problem of an imported SLO (at `slos.NAME…`, not in the file) is shown at its `openslo` entry. */
function fromImportedSlo(
  problem: ReferenceProblem,
  origin: ReadonlyMap<string, number>,
  files: readonly string[],
): ReferenceProblem {
  const [root, name, ...rest] = problem.path;
  const index = root === "slos" && typeof name === "string" ? origin.get(name) : undefined;
  if (index === undefined) return problem;
  const field = rest.length > 0 ? `${formatPath(rest)}: ` : "";
  return {
    path: ["openslo", index],
    message: `SLO "${name}" (from "${files[index]}"): ${field}${problem.message}`,
  };
}

/**
 * Fills `dates` of every holiday calendar given as an .ics `file` (in place), and checks that each
 * calendar has exactly one of `dates` and `file`.
 */
function loadCalendars(
  config: RailyardConfig,
  files: ConfigFiles | undefined,
): Array<{ path: PathSegment[]; message: string }> {
  const problems: Array<{ path: PathSegment[]; message: string }> = [];
  for (const [name, calendar] of Object.entries(config.calendars)) {
    const at = ["calendars", name];
    if ((calendar.dates === undefined) === (calendar.file === undefined)) {
      problems.push({
        path: at,
        message:
          calendar.dates === undefined
            ? "give the holidays as dates: [2026-12-25, …] or as file: holidays.ics"
            : "give dates or file, not both",
      });
      continue;
    }
    if (calendar.file === undefined) continue;
    if (!files) {
      problems.push({ path: [...at, "file"], message: "calendar files cannot be read here" });
      continue;
    }
    let ics: string;
    try {
      ics = files.readFile(calendar.file);
    } catch (error) {
      problems.push({
        path: [...at, "file"],
        message: `cannot read "${calendar.file}": ${(error as Error).message}`,
      });
      continue;
    }
    try {
      calendar.dates = holidayDatesFromIcs(ics);
    } catch (error) {
      problems.push({ path: [...at, "file"], message: `"${calendar.file}": ${(error as Error).message}` });
    }
  }
  return problems;
}

/**
 * Like {@link parseConfig}, for callers that cannot go on without a configuration.
 * @throws {InvalidConfigError} carrying every problem when the file is rejected.
 */
export function parseConfigOrThrow(
  text: string,
  file: string,
  files?: ConfigFiles,
): { config: RailyardConfig; hash: string } {
  const result = parseConfig(text, file, files);
  if (!result.ok) throw new InvalidConfigError(result.problems);
  return { config: result.config, hash: result.hash };
}
