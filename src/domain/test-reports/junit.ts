/**
 * JUnit XML test reports (`POST /api/v1/trains/{id}/test-reports`, `railyard report push --junit`)
 * parsed into cases with one status each, for the `tests` gate.
 *
 * Accepts what test runners write in practice: a `<testsuites>` root or a bare `<testsuite>`,
 * suites nested inside suites, Maven Surefire's reruns (`<flakyFailure>`/`<flakyError>` on a case
 * that passed on a rerun, `<rerunFailure>`/`<rerunError>` next to a final `<failure>`/`<error>`),
 * `time` in seconds with or without a grouping comma. Counts come from the cases, never from the
 * `tests`/`failures`/`errors` attributes: Surefire counts every rerun there (a single flaky case
 * reports `tests="3" failures="2"`).
 *
 * No DOCTYPE is accepted and no entity beyond the five XML ones and character references is ever
 * expanded, so a report cannot read files (XXE) or blow up memory (billion laughs).
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { TestCase, TestCaseStatus, TestSummary } from "../model.js";

/** Largest report accepted, in UTF-8 bytes (20 MiB). */
export const MAX_JUNIT_BYTES = 20 * 1024 * 1024;
/** Most cases a report keeps in `cases`; its counts stay exact beyond it. */
export const MAX_JUNIT_CASES = 50_000;
/** Longest `message` kept on a case, in characters. */
export const MAX_MESSAGE_LENGTH = 500;

/** How a test case ended (see {@link TestCaseStatus}). */
export type JunitStatus = TestCaseStatus;

/** One `<testcase>` (see {@link TestCase}). */
export type JunitCase = TestCase;

/** A parsed JUnit report: exact counts and the cases. */
export interface JunitReport extends TestSummary {
  /** `options.suite`, else `<testsuites name>`, else the first `<testsuite name>`, else `tests`. */
  suite: string;
  /**
   * The cases in document order, at most {@link MAX_JUNIT_CASES}. Beyond the cap passed cases
   * are dropped first, so failures, errors, skips and flaky cases survive as long as possible.
   */
  cases: TestCase[];
}

/** Options of {@link parseJunit}. */
export interface ParseJunitOptions {
  /**
   * The suite the report stands for, as given when pushing (`--suite`). @default the report's own:
   * `<testsuites name>`, else the first `<testsuite name>`, else `tests`
   */
  suite?: string;
}

/**
 * Thrown by {@link parseJunit} when a report is not one: not XML, too large, a DOCTYPE, a root
 * other than `<testsuites>`/`<testsuite>`, a test case without a name. The message says what is
 * wrong and, where known, on which line.
 */
export class JunitError extends Error {
  override readonly name = "JunitError";
  constructor(
    message: string,
    /** 1-based line of the problem, when known. */
    readonly line: number | null = null,
  ) {
    super(message);
  }
}

/** A parsed element with `preserveOrder`: `{tag: children, ":@": attributes}` or `{"#text": …}`. */
type XmlNode = Record<string, unknown>;

const ATTRS = ":@";
const TEXT = "#text";
// Typed as the `Symbol` wrapper object; it is a symbol.
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

/** The XML predefined entities; nothing else is ever expanded. */
const XML_ENTITIES: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
const ENTITY_REFERENCE = /&(?:(lt|gt|amp|quot|apos)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}));/g;

function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(ENTITY_REFERENCE, (whole, named?: string, dec?: string, hex?: string) => {
    if (named) return XML_ENTITIES[named] ?? whole;
    const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? "", 16);
    const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
    return valid ? String.fromCodePoint(code) : whole;
  });
}

function makeParser(): XMLParser {
  return new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: "",
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    captureMetaData: true,
    processEntities: { enabled: true, maxEntityCount: 0 },
    // Entities declared by the document (DOCTYPE) or from outside are dropped, never expanded;
    // DOCTYPEs are refused before parsing as well.
    entityDecoder: {
      setExternalEntities: () => {},
      addInputEntities: () => {},
      reset: () => {},
      setXmlVersion: () => {},
      decode: decodeEntities,
    },
  });
}

function utf8Length(text: string, stopAbove: number): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= stopAbove; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

function tagOf(node: XmlNode): string | null {
  for (const key of Object.keys(node)) if (key !== ATTRS) return key === TEXT ? null : key;
  return null;
}

function childrenOf(node: XmlNode, tag: string): XmlNode[] {
  const children = node[tag];
  return Array.isArray(children) ? (children as XmlNode[]) : [];
}

function attr(node: XmlNode, name: string): string | null {
  const attrs = node[ATTRS] as Record<string, unknown> | undefined;
  const value = attrs?.[name];
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : null;
}

function textOf(children: readonly XmlNode[]): string {
  const parts: string[] = [];
  for (const child of children) {
    const text = child[TEXT];
    if (typeof text === "string") parts.push(text);
  }
  return parts.join("\n");
}

const GROUPED_SECONDS = /^\d{1,3}(,\d{3})+(\.\d+)?$/;
const PLAIN_SECONDS = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Seconds from a `time` attribute, as milliseconds; null when missing or unreadable. */
function parseSeconds(value: string | null): number | null {
  if (value === null) return null;
  const plain = GROUPED_SECONDS.test(value) ? value.replaceAll(",", "") : value;
  if (!PLAIN_SECONDS.test(plain)) return null;
  const seconds = Number(plain);
  if (!Number.isFinite(seconds)) return null;
  return Math.round(seconds * 1_000_000) / 1_000;
}

const DOCTYPE_OR_SKIPPED = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<!DOCTYPE\s*([^\s>[]*)/gi;

/** A DOCTYPE anywhere outside CDATA sections and comments (a failure message may quote an HTML page). */
function findDoctype(xml: string): RegExpExecArray | null {
  if (!/<!DOCTYPE/i.test(xml)) return null;
  for (const match of xml.matchAll(DOCTYPE_OR_SKIPPED)) {
    if (/^<!DOCTYPE/i.test(match[0])) return match as RegExpExecArray;
  }
  return null;
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text;
}

function firstLine(text: string): string | null {
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed.length > 0) return trimmed;
  }
  return null;
}

/** The reason carried by `<failure>`, `<error>`, `<skipped>` or a rerun element. */
function messageOf(element: XmlNode, tag: string): string | null {
  const message = attr(element, "message");
  if (message !== null) return clip(message);
  const children = childrenOf(element, tag);
  // Surefire 3 puts a rerun's trace in a <stackTrace> child rather than in the element's text.
  const stackTrace = children.find((c) => tagOf(c) === "stackTrace");
  const text =
    firstLine(textOf(children)) ??
    (stackTrace ? firstLine(textOf(childrenOf(stackTrace, "stackTrace"))) : null);
  return text === null ? null : clip(text);
}

const RERUN_TAGS = new Set(["flakyFailure", "flakyError", "rerunFailure", "rerunError"]);

interface Walk {
  readonly xml: string;
  readonly cases: JunitCase[];
}

function readCase(walk: Walk, node: XmlNode, suite: string): JunitCase {
  const name = attr(node, "name");
  if (name === null) {
    const meta = (node as Record<symbol, unknown>)[META] as { startIndex?: number } | undefined;
    const start = meta?.startIndex;
    const line = start === undefined ? null : lineAt(walk.xml, start);
    throw new JunitError(
      `a <testcase> in suite "${suite}"${line === null ? "" : ` (line ${line})`} has no name attribute`,
      line,
    );
  }
  const children = childrenOf(node, "testcase");
  const first: Record<string, XmlNode> = {};
  let reruns = 0;
  for (const child of children) {
    const tag = tagOf(child);
    if (tag === null) continue;
    if (RERUN_TAGS.has(tag)) reruns++;
    first[tag] ??= child;
  }
  const flakyTag = first.flakyFailure ? "flakyFailure" : first.flakyError ? "flakyError" : null;
  // A failure and an error together count as an error: the test did not get to its assertions.
  const [status, reasonTag]: [JunitStatus, string | null] = first.error
    ? ["errored", "error"]
    : first.failure
      ? ["failed", "failure"]
      : first.skipped
        ? ["skipped", "skipped"]
        : flakyTag
          ? ["flaky", flakyTag]
          : ["passed", null];
  const reason = reasonTag === null ? undefined : first[reasonTag];
  return {
    suite,
    classname: attr(node, "classname") ?? suite,
    name,
    status,
    durationMs: parseSeconds(attr(node, "time")) ?? 0,
    message: reason && reasonTag ? messageOf(reason, reasonTag) : null,
    reruns,
  };
}

/** Walks a `<testsuites>` or `<testsuite>` element; returns its duration in milliseconds. */
function walkContainer(walk: Walk, node: XmlNode, tag: string, suite: string): number {
  let summed = 0;
  for (const child of childrenOf(node, tag)) {
    const childTag = tagOf(child);
    if (childTag === "testcase") {
      const testCase = readCase(walk, child, suite);
      walk.cases.push(testCase);
      summed += testCase.durationMs;
    } else if (childTag === "testsuite" || childTag === "testsuites") {
      const name = attr(child, "name") ?? suite;
      summed += walkContainer(walk, child, childTag, name);
    }
  }
  const own = parseSeconds(attr(node, "time"));
  return own !== null && own >= 0 ? own : Math.round(summed * 1_000) / 1_000;
}

function firstSuiteName(node: XmlNode, tag: string): string | null {
  for (const child of childrenOf(node, tag)) {
    const childTag = tagOf(child);
    if (childTag !== "testsuite" && childTag !== "testsuites") continue;
    const name = (childTag === "testsuite" ? attr(child, "name") : null) ?? firstSuiteName(child, childTag);
    if (name !== null) return name;
  }
  return null;
}

function keepCases(cases: JunitCase[]): JunitCase[] {
  if (cases.length <= MAX_JUNIT_CASES) return cases;
  const notPassed = cases.reduce((n, c) => n + (c.status === "passed" ? 0 : 1), 0);
  let passedRoom = Math.max(0, MAX_JUNIT_CASES - notPassed);
  let room = MAX_JUNIT_CASES;
  const kept: JunitCase[] = [];
  for (const c of cases) {
    if (room === 0) break;
    if (c.status === "passed") {
      if (passedRoom === 0) continue;
      passedRoom--;
    }
    kept.push(c);
    room--;
  }
  return kept;
}

/**
 * Parses a JUnit XML report. Pure; the whole report is a string.
 *
 * @throws {JunitError} when the input is empty, larger than {@link MAX_JUNIT_BYTES}, has a
 *   DOCTYPE, is not well-formed XML (with the line), its root element is not `<testsuites>` or
 *   `<testsuite>`, or a `<testcase>` has no `name`.
 */
export function parseJunit(xml: string, options: ParseJunitOptions = {}): JunitReport {
  if (xml.length > MAX_JUNIT_BYTES || utf8Length(xml, MAX_JUNIT_BYTES) > MAX_JUNIT_BYTES) {
    throw new JunitError(`the report is larger than ${MAX_JUNIT_BYTES / 1024 / 1024} MiB`);
  }
  if (xml.trim().length === 0) throw new JunitError("the report is empty");
  const doctype = findDoctype(xml);
  if (doctype) {
    const line = lineAt(xml, doctype.index);
    if (doctype[1]?.toLowerCase() === "html") {
      throw new JunitError(`not a JUnit report: it is an HTML page (line ${line})`, line);
    }
    throw new JunitError(
      `the report has a DOCTYPE declaration (line ${line}); JUnit reports need none and it could declare entities, so it is refused`,
      line,
    );
  }
  const validation = XMLValidator.validate(xml);
  if (validation !== true) {
    const { msg, line } = validation.err;
    throw new JunitError(`not XML: ${msg.replace(/\.$/, "")} (line ${line})`, line);
  }

  let document: XmlNode[];
  try {
    document = makeParser().parse(xml) as XmlNode[];
  } catch (error) {
    throw new JunitError(`not XML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const roots = document.filter((node) => tagOf(node) !== null);
  if (roots.length !== 1) {
    throw new JunitError(
      roots.length === 0 ? "not XML: no root element" : "not XML: more than one root element",
    );
  }
  const root = roots[0]!;
  const rootTag = tagOf(root)!;
  if (rootTag !== "testsuites" && rootTag !== "testsuite") {
    throw new JunitError(
      `not a JUnit report: the root element is <${rootTag}>, not <testsuites> or <testsuite>`,
    );
  }

  const ownName = attr(root, "name") ?? firstSuiteName(root, rootTag);
  const given = options.suite?.trim();
  const reportSuite = given ? given : (ownName ?? "tests");
  const walk: Walk = { xml, cases: [] };
  const durationMs = walkContainer(walk, root, rootTag, attr(root, "name") ?? reportSuite);

  const counts = { passed: 0, failed: 0, errored: 0, skipped: 0, flaky: 0 };
  for (const c of walk.cases) counts[c.status]++;
  const cases = keepCases(walk.cases);
  return {
    suite: reportSuite,
    tests: walk.cases.length,
    ...counts,
    durationMs,
    cases,
    truncated: cases.length < walk.cases.length,
  };
}
