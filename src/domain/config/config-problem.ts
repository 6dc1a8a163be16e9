/**
 * The one problem type of configuration loading: where in which file, and what is wrong. Every
 * stage (YAML syntax, shape, cross-references) reports into it, so `railyard validate` prints
 * them all the same way.
 */

/** One step of a path into the configuration: a mapping key or a list index. */
export type PathSegment = string | number;

/** A problem in a configuration file, with a 1-based source position. */
export interface ConfigProblem {
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units (as editors count them). */
  column: number;
  /** Path of the offending value (or key) in the configuration; empty for the whole file. */
  path: PathSegment[];
  /** Plain English, starting with the dotted path when there is one: `lines.web.schedule.cutoff: …`. */
  message: string;
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/**
 * Formats a path for people: `lines.web.gates[0].name`. Keys that are not plain names are
 * quoted (`labels["app.kubernetes.io/name"]`). The empty path formats as "".
 */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Prefixes a message with its formatted path (`path: message`), or returns it as is for the root. */
export function messageAt(path: readonly PathSegment[], message: string): string {
  const where = formatPath(path);
  return where === "" ? message : `${where}: ${message}`;
}

/** Formats a problem as `FILE:LINE:COLUMN: message`, the form editors and CI logs link. */
export function formatProblem(problem: ConfigProblem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.message}`;
}

/**
 * Thrown by `parseConfigOrThrow` when a configuration is rejected. It carries every problem;
 * its message is all of them formatted, one per line.
 */
export class InvalidConfigError extends Error {
  override readonly name = "InvalidConfigError";
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join("\n"));
  }
}

/** Orders problems as a reader meets them: by line, then column (stable for ties). */
export function sortProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}
