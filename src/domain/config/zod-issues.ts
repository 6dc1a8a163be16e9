/**
 * Turns zod issues into plain-English problems with a path and what to point at. No zod wording
 * ("Invalid input: expected string, received number") reaches the user: every issue code is
 * rephrased ("expected a string, got a number").
 */
import type { z } from "zod";
import { messageAt, type PathSegment } from "./config-problem.js";
import { allowedKeysAt } from "./schema-keys.js";
import type { PointAt } from "./source-positions.js";
import { closestMatch } from "./suggest.js";

type Issue = z.core.$ZodIssue;

/** A shape problem, ready to be placed in the source. */
export interface ExplainedIssue {
  path: PathSegment[];
  pointAt: PointAt;
  /** Starts with the formatted path. */
  message: string;
}

/** Internal bookkeeping, so that a misspelt key is reported once, not also as a missing key. */
interface Explained extends ExplainedIssue {
  /** For a missing key: the path of that key. */
  missing?: PathSegment[];
  /** For an unknown key: the path of the key it probably meant. */
  meant?: PathSegment[];
}

interface Context {
  schema: z.core.$ZodType;
  input: unknown;
}

const EXPECTED: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "a mapping",
  record: "a mapping",
  array: "a list",
  tuple: "a list",
  null: "nothing",
  undefined: "nothing",
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function valueAt(input: unknown, path: readonly PathSegment[]): unknown {
  let value = input;
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === "number") value = value[segment];
    else if (isPlainObject(value)) value = value[String(segment)];
    else return undefined;
  }
  return value;
}

/** The kind of a YAML value, as a reader would name it. */
function describeKind(value: unknown): string {
  if (value === null || value === undefined) return "an empty value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return "a string";
  if (typeof value === "number") return Number.isInteger(value) ? "a number" : "a decimal number";
  if (typeof value === "boolean") return `${value} (a boolean)`;
  return `a ${typeof value}`;
}

function literal(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function shown(value: unknown): string {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
    ? literal(value)
    : describeKind(value);
}

function oneOf(values: readonly unknown[]): string {
  return values.length === 1
    ? `must be ${literal(values[0])}`
    : `must be one of ${values.map(literal).join(", ")}`;
}

/** A key the input lacks: its parent is a mapping without it. */
function isMissing(input: unknown, path: readonly PathSegment[]): boolean {
  if (path.length === 0) return false;
  const parent = valueAt(input, path.slice(0, -1));
  return isPlainObject(parent) && !Object.hasOwn(parent, String(path.at(-1)));
}

function allowedValues(issue: Issue): readonly unknown[] | undefined {
  if (issue.code === "invalid_value") return issue.values;
  if (issue.code === "invalid_union" && "options" in issue && issue.options) return issue.options;
  return undefined;
}

function missingKey(issue: Issue, path: PathSegment[]): Explained {
  const parent = path.slice(0, -1);
  const values = allowedValues(issue);
  const hint =
    values === undefined
      ? ""
      : values.length === 1
        ? ` (must be ${literal(values[0])})`
        : ` (one of ${values.map(literal).join(", ")})`;
  const what = parent.length === 0 ? "missing required top-level key" : "missing required key";
  return {
    path: parent,
    pointAt: "value",
    message: messageAt(parent, `${what} "${String(path.at(-1))}"${hint}`),
    missing: path,
  };
}

function sizeText(count: number | bigint, unit: string): string {
  return `${count} ${unit}${count === 1 || count === 1n ? "" : "s"}`;
}

function tooSmall(issue: z.core.$ZodIssueTooSmall, value: unknown): string {
  const { minimum, inclusive } = issue;
  if (issue.origin === "string")
    return minimum === 1 ? "must not be empty" : `must be at least ${sizeText(minimum, "character")} long`;
  if (issue.origin === "array" || issue.origin === "set")
    return `needs at least ${sizeText(minimum, "item")}`;
  return `must be ${inclusive ? "at least" : "greater than"} ${minimum}, got ${shown(value)}`;
}

function tooBig(issue: z.core.$ZodIssueTooBig, value: unknown): string {
  const { maximum, inclusive } = issue;
  if (issue.origin === "string") return `must be at most ${sizeText(maximum, "character")} long`;
  if (issue.origin === "array" || issue.origin === "set")
    return `allows at most ${sizeText(maximum, "item")}`;
  return `must be ${inclusive ? "at most" : "less than"} ${maximum}, got ${shown(value)}`;
}

/** zod's own messages start like this; anything else was written in schema.ts for people. */
const ZOD_DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized|Expected)/;

function invalidFormat(issue: z.core.$ZodIssueInvalidStringFormat, value: unknown): string {
  if (!ZOD_DEFAULT_MESSAGE.test(issue.message)) return `invalid value ${shown(value)}: ${issue.message}`;
  switch (issue.format) {
    case "email":
      return `${shown(value)} is not an email address`;
    case "url":
      return `${shown(value)} is not a URL`;
    case "regex":
      return `invalid value ${shown(value)}: it must match ${issue.pattern ?? "the pattern"}`;
    default:
      return `${shown(value)} is not a valid ${issue.format.replaceAll("_", " ")}`;
  }
}

function custom(issue: Issue, value: unknown): string {
  const message = ZOD_DEFAULT_MESSAGE.test(issue.message) ? "is not valid" : issue.message;
  return message.startsWith("not ") || message.startsWith("is ")
    ? `${shown(value)} ${message.startsWith("not ") ? "is " : ""}${message}`
    : `invalid value ${shown(value)}: ${message}`;
}

function unrecognizedKeys(
  issue: z.core.$ZodIssueUnrecognizedKeys,
  path: PathSegment[],
  ctx: Context,
): Explained[] {
  const allowed = allowedKeysAt(ctx.schema, path, ctx.input);
  return issue.keys.map((key) => {
    const meant = closestMatch(key, allowed);
    const hint =
      key === "<<"
        ? ": YAML merge keys are not supported, write the keys out"
        : meant !== undefined
          ? ` (did you mean "${meant}"?)`
          : allowed.length > 0
            ? `: allowed keys are ${allowed.join(", ")}`
            : "";
    return {
      path: [...path, key],
      pointAt: "key",
      message: messageAt(path, `unknown key "${key}"${hint}`),
      ...(meant === undefined ? {} : { meant: [...path, meant] }),
    };
  });
}

function invalidKey(issue: z.core.$ZodIssueInvalidKey, path: PathSegment[]): Explained {
  const key = String(path.at(-1));
  const parent = path.slice(0, -1);
  const inner = issue.issues[0];
  const reason =
    inner?.code === "invalid_format" && !ZOD_DEFAULT_MESSAGE.test(inner.message) ? `: ${inner.message}` : "";
  return { path, pointAt: "key", message: messageAt(parent, `invalid name "${key}"${reason}`) };
}

/** The union member the value evidently meant: the only one that did not fail on the value's own type. */
function closestBranch(errors: readonly (readonly Issue[])[]): readonly Issue[] | undefined {
  const plausible = errors.filter(
    (branch) => !branch.some((issue) => issue.path.length === 0 && issue.code === "invalid_type"),
  );
  return plausible.length === 1 ? plausible[0] : undefined;
}

function invalidUnion(issue: z.core.$ZodIssueInvalidUnion, path: PathSegment[], ctx: Context): Explained[] {
  const value = valueAt(ctx.input, path);
  const values = allowedValues(issue);
  if (issue.discriminator !== undefined || values !== undefined) {
    const got = values ? `${oneOf(values)}, got ${shown(value)}` : `got ${shown(value)}`;
    return [{ path, pointAt: "value", message: messageAt(path, got) }];
  }
  const branch = closestBranch(issue.errors);
  if (branch) return branch.flatMap((inner) => explain(inner, path, ctx));
  const expected = issue.errors
    .flatMap((errors) => errors.filter((inner) => inner.path.length === 0 && inner.code === "invalid_type"))
    .map((inner) => EXPECTED[(inner as z.core.$ZodIssueInvalidType).expected] ?? "another kind of value");
  const unique = [...new Set(expected)];
  const what = unique.length > 0 ? unique.join(" or ") : "another kind of value";
  return [
    { path, pointAt: "value", message: messageAt(path, `expected ${what}, got ${describeKind(value)}`) },
  ];
}

function explain(issue: Issue, base: PathSegment[], ctx: Context): Explained[] {
  const path = [...base, ...(issue.path as PathSegment[])];
  if (issue.code === "unrecognized_keys") return unrecognizedKeys(issue, path, ctx);
  if (issue.code === "invalid_key") return [invalidKey(issue, path)];
  if (isMissing(ctx.input, path)) return [missingKey(issue, path)];
  if (issue.code === "invalid_union") return invalidUnion(issue, path, ctx);
  const value = valueAt(ctx.input, path);
  const at = (text: string): Explained[] => [{ path, pointAt: "value", message: messageAt(path, text) }];
  switch (issue.code) {
    case "invalid_type":
      return at(
        path.length === 0
          ? `the file must be a mapping of keys (version, environments, lines, …), got ${describeKind(value)}`
          : `expected ${EXPECTED[issue.expected] ?? `a ${issue.expected}`}, got ${describeKind(value)}`,
      );
    case "invalid_value":
      return at(`${oneOf(issue.values)}, got ${shown(value)}`);
    case "too_small":
      return at(tooSmall(issue, value));
    case "too_big":
      return at(tooBig(issue, value));
    case "invalid_format":
      return at(invalidFormat(issue, value));
    case "not_multiple_of":
      return at(`must be a multiple of ${issue.divisor}, got ${shown(value)}`);
    case "custom":
      return at(custom(issue, value));
    case "invalid_element":
      return issue.issues.flatMap((inner) => explain(inner, path, ctx));
    default: {
      const unexpected: never = issue;
      return at(String((unexpected as Issue).message).replace(/^Invalid input:?\s*/, "is not valid: "));
    }
  }
}

/**
 * Explains the issues of `schema.safeParse(input)` in plain English, one entry per problem
 * (an object with three unknown keys gives three). A missing key is not reported when an unknown
 * key beside it is its likely misspelling: that one problem is reported once. Never throws.
 */
export function explainIssues(
  issues: readonly Issue[],
  input: unknown,
  schema: z.core.$ZodType,
): ExplainedIssue[] {
  const ctx: Context = { schema, input };
  const explained = issues.flatMap((issue) => explain(issue, [], ctx));
  const meant = new Set(explained.flatMap((entry) => (entry.meant ? [JSON.stringify(entry.meant)] : [])));
  return explained
    .filter((entry) => !(entry.missing && meant.has(JSON.stringify(entry.missing))))
    .map(({ path, pointAt, message }) => ({ path, pointAt, message }));
}
