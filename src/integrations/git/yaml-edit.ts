/**
 * Sets or removes one value at a dotted path in a YAML file while leaving every other byte alone: people
 * review these files in pull requests and Argo CD / Flux diff them, so a version bump must be a
 * one-line change, comments, quoting, key order and indentation included.
 *
 * The file is read with the `yaml` Document API to find where the value lives; the edit is then
 * spliced into the original text. Every edit is checked by parsing the result; when a textual
 * edit would not give exactly the intended data (flow collections, unusual layouts), the
 * Document API rewrites the file instead, which keeps comments and key order.
 */
import { isDeepStrictEqual } from "node:util";
import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  type Pair,
  parse,
  parseDocument,
  type Scalar,
  type YAMLMap,
} from "yaml";

/** The header of a file Railyard creates. */
export const MANAGED_FILE_HEADER = "# Managed by Railyard: versions per component.\n";

/** Thrown when a YAML file cannot be edited: it does not parse, or the path runs through a non-map. */
export class YamlEditError extends Error {
  override readonly name = "YamlEditError";
}

export interface YamlEditResult {
  /** The new file text. */
  text: string;
  /** The value that was there before (as text), or null when the path was unset. */
  previous: string | null;
  /** False when the value was already set to this text. */
  changed: boolean;
}

/**
 * Returns `text` with `path` set to `value`: a string (written quoted when it would otherwise
 * read as another type, such as `1.10` or `true`), or a number (written plain, so it reads back
 * as a number even where a string was quoted before). `text` null means the file does not exist
 * yet; it is then created with {@link MANAGED_FILE_HEADER}.
 * @throws {YamlEditError} when the text is not valid YAML, holds several documents, a segment of
 *   the path names something that is not a map, or the number is not finite.
 */
export function setYamlValue(
  text: string | null,
  path: string[],
  value: string | number,
  file: string,
): YamlEditResult {
  checkPath(path, file);
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new YamlEditError(`${file}: cannot set ${path.join(".")} to ${value}: not a finite number`);
  }
  const source = text ?? MANAGED_FILE_HEADER;
  const doc = parseChecked(source, file);
  const location = locate(doc, path, file);
  const previous =
    location.kind === "scalar" && location.node.value !== null ? String(location.node.value) : null;
  if (location.kind === "scalar" && location.node.value === value) {
    return { text: source, previous, changed: false };
  }

  const expected = expectedData(source, path, value);
  const spliced = splice(source, doc, location, value);
  if (spliced !== null && producesData(spliced, expected)) {
    return { text: spliced, previous, changed: true };
  }
  let rewritten: string;
  try {
    setInCreating(doc, path, value);
    rewritten = doc.toString({ lineWidth: 0 });
  } catch (error) {
    throw new YamlEditError(`${file}: cannot set ${path.join(".")}: ${(error as Error).message}`);
  }
  if (!producesData(rewritten, expected)) {
    throw new YamlEditError(`${file}: could not set ${path.join(".")} without changing other data`);
  }
  return { text: rewritten, previous, changed: true };
}

/**
 * Returns `text` without the key at `path`, and without maps on the way that this leaves empty
 * (removing `api.canary.version` from `api: {canary: {version: 1}}` removes `canary` too). The
 * key's line goes (with a comment on it); comment lines above it stay. Removing a key that is not
 * there changes nothing.
 * @throws {YamlEditError} when the text is not valid YAML or a segment of the path before the
 *   last names something that is not a map.
 */
export function deleteYamlValue(text: string, path: string[], file: string): YamlEditResult {
  checkPath(path, file);
  const doc = parseChecked(text, file);
  const pairs: Array<{ map: YAMLMap; pair: Pair }> = [];
  let node: unknown = doc.contents;
  for (let index = 0; index < path.length; index++) {
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) {
      return { text, previous: null, changed: false };
    }
    if (!isMap(node)) {
      const here = path.slice(0, index).join(".") || "the document";
      throw new YamlEditError(
        `${file}: cannot remove ${path.join(".")}: ${here} is ${describeNode(node)}, not a map`,
      );
    }
    const segment = path[index]!;
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
    if (!pair) return { text, previous: null, changed: false };
    pairs.push({ map: node, pair });
    node = pair.value;
  }
  const previous = isScalar(node) && node.value !== null ? String(node.value) : null;
  // Remove the deepest pair whose map keeps other keys (or the root's).
  let depth = pairs.length - 1;
  while (depth > 0 && pairs[depth]!.map.items.length === 1) depth--;
  const removed = path.slice(0, depth + 1);
  const target = pairs[depth]!;

  const copy = parseDocument(text);
  copy.deleteIn(removed);
  const expected = copy.toJS();
  const spliced = removePair(text, target.map, target.pair);
  // Removing the last key of the file leaves a document without data (null), not `{}`.
  const emptied = depth === 0 && target.map.items.length === 1;
  if (spliced !== null && (producesData(spliced, expected) || (emptied && producesData(spliced, null)))) {
    return { text: spliced, previous, changed: true };
  }
  doc.deleteIn(removed);
  const rewritten = doc.toString({ lineWidth: 0 });
  if (!producesData(rewritten, expected)) {
    throw new YamlEditError(`${file}: could not remove ${path.join(".")} without changing other data`);
  }
  return { text: rewritten, previous, changed: true };
}

/** The text without the lines of one pair of a block map, or null when the layout is not simple. */
function removePair(source: string, map: YAMLMap, pair: Pair): string | null {
  if (map.flow || !isScalar(pair.key) || !pair.key.range) return null;
  const keyStart = pair.key.range[0];
  const lineStart = source.lastIndexOf("\n", keyStart - 1) + 1;
  // The key must open its line (not `- key:` or `a: {key: …}`).
  if (source.slice(lineStart, keyStart).trim() !== "") return null;
  const end = endOfPair(pair.key, pair.value);
  if (end === null) return null;
  const removeTo = source[end - 1] === "\n" ? end : lineEnd(source, end);
  return source.slice(0, lineStart) + source.slice(removeTo);
}

function checkPath(path: string[], file: string): void {
  if (path.length === 0 || path.some((segment) => segment.length === 0)) {
    throw new YamlEditError(`${file}: "${path.join(".")}" is not a valid path (empty segment)`);
  }
}

/** Parses one document. @throws {YamlEditError} naming the file, line and column of the first error. */
function parseChecked(source: string, file: string): Document {
  const doc = parseDocument(source);
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const where = first.linePos?.[0] ? `:${first.linePos[0].line}:${first.linePos[0].col}` : "";
    const message = (first.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    throw new YamlEditError(`${file}${where}: not valid YAML: ${message}`);
  }
  return doc;
}

type Location =
  /** The path exists and holds a scalar. */
  | { kind: "scalar"; node: Scalar }
  /** `map` exists; `missing` keys below it do not. `map` null: the document is empty. */
  | { kind: "missing"; map: YAMLMap | null; missing: string[] }
  /** The path ends in something a textual edit cannot handle (null value, alias); let the Document API do it. */
  | { kind: "other" };

function locate(doc: Document, path: string[], file: string): Location {
  let node: unknown = doc.contents;
  if (node === null || node === undefined) return { kind: "missing", map: null, missing: path };
  for (let index = 0; index < path.length; index++) {
    const segment = path[index]!;
    const here = path.slice(0, index).join(".") || "the document";
    if (!isMap(node)) {
      throw new YamlEditError(
        `${file}: cannot set ${path.join(".")}: ${here} is ${describeNode(node)}, not a map`,
      );
    }
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
    if (!pair) return { kind: "missing", map: node, missing: path.slice(index) };
    if (index === path.length - 1) {
      if (isScalar(pair.value)) return { kind: "scalar", node: pair.value };
      if (isMap(pair.value) || isSeq(pair.value)) {
        throw new YamlEditError(
          `${file}: cannot set ${path.join(".")}: it holds a ${isMap(pair.value) ? "map" : "list"}, not a version`,
        );
      }
      return { kind: "other" };
    }
    if (pair.value === null || pair.value === undefined) return { kind: "other" };
    // `api:` with nothing after it: the Document API turns it into a map.
    if (isScalar(pair.value) && pair.value.value === null) return { kind: "other" };
    node = pair.value;
  }
  return { kind: "other" };
}

/** What a node that is not a map is, for messages. */
function describeNode(node: unknown): string {
  if (isSeq(node)) return "a list";
  if (isScalar(node)) return `the value ${JSON.stringify(node.value)}`;
  return "an alias";
}

function splice(source: string, doc: Document, location: Location, value: string | number): string | null {
  switch (location.kind) {
    case "scalar": {
      const range = location.node.range;
      if (!range) return null;
      return source.slice(0, range[0]) + formatScalar(value, location.node.type) + source.slice(range[1]);
    }
    case "missing": {
      if (location.map === null) {
        const prefix = source.length === 0 || source.endsWith("\n") ? source : `${source}\n`;
        return prefix + block(location.missing, value, 0, 2);
      }
      const map = location.map;
      const last = map.items.at(-1);
      if (map.flow || !last || !map.range || !isScalar(map.items[0]?.key)) return null;
      const firstKey = map.items[0]!.key as Scalar;
      const column = columnOf(source, firstKey.range![0]);
      const end = endOfPair(last.key, last.value);
      if (end === null) return null;
      const insertAt = source[end - 1] === "\n" ? end : lineEnd(source, end);
      const before = source.slice(0, insertAt);
      const glue = before.endsWith("\n") || before.length === 0 ? "" : "\n";
      return (
        before +
        glue +
        block(location.missing, value, column, indentStep(source, doc)) +
        source.slice(insertAt)
      );
    }
    case "other":
      return null;
  }
}

function endOfPair(key: unknown, value: unknown): number | null {
  const node = (value ?? key) as { range?: [number, number, number] } | null;
  return node?.range ? node.range[1] : null;
}

/** Lines for `a:\n  b: value` starting at `column`, one `step` deeper per level, ending in a newline. */
function block(keys: string[], value: string | number, column: number, step: number): string {
  return keys
    .map((key, depth) => {
      const indent = " ".repeat(column + depth * step);
      const tail = depth === keys.length - 1 ? ` ${formatScalar(value, "PLAIN")}` : "";
      return `${indent}${formatKey(key)}:${tail}\n`;
    })
    .join("");
}

function formatScalar(value: string | number, type: Scalar["type"]): string {
  if (typeof value === "number") return String(value);
  switch (type) {
    case "QUOTE_SINGLE":
      return `'${value.replace(/'/g, "''")}'`;
    case "QUOTE_DOUBLE":
      return JSON.stringify(value);
    default:
      return isPlainSafe(value) ? value : JSON.stringify(value);
  }
}

function formatKey(key: string): string {
  return isPlainSafe(key) && !key.includes(":") ? key : JSON.stringify(key);
}

/** True when `value` written unquoted reads back as the same string (so `1.2` or `true` get quotes). */
function isPlainSafe(value: string): boolean {
  if (value.length === 0 || /[\n\r\t]/.test(value) || value !== value.trim()) return false;
  try {
    return parse(`k: ${value}\n`)?.k === value;
  } catch {
    return false;
  }
}

function columnOf(source: string, offset: number): number {
  return offset - (source.lastIndexOf("\n", offset - 1) + 1);
}

function lineEnd(source: string, offset: number): number {
  const newline = source.indexOf("\n", offset);
  return newline === -1 ? source.length : newline + 1;
}

/** The indentation one nesting level adds in this file (2 unless the file shows otherwise). */
function indentStep(source: string, doc: Document): number {
  let step = 0;
  const visit = (node: unknown, column: number) => {
    if (step > 0 || !isMap(node) || node.flow) return;
    for (const pair of node.items) {
      if (isMap(pair.value) && !pair.value.flow && isScalar(pair.value.items[0]?.key)) {
        const child = columnOf(source, (pair.value.items[0]!.key as Scalar).range![0]);
        if (child > column) {
          step = child - column;
          return;
        }
      }
    }
  };
  if (isMap(doc.contents) && isScalar(doc.contents.items[0]?.key)) {
    visit(doc.contents, columnOf(source, (doc.contents.items[0]!.key as Scalar).range![0]));
  }
  return step > 0 ? step : 2;
}

function expectedData(source: string, path: string[], value: string | number): unknown {
  const copy = parseDocument(source);
  setInCreating(copy, path, value);
  return copy.toJS();
}

/** `doc.setIn`, except that empty (null) values on the way become maps instead of failing. */
function setInCreating(doc: Document, path: string[], value: string | number): void {
  for (let depth = 1; depth < path.length; depth++) {
    const prefix = path.slice(0, depth);
    const node = doc.getIn(prefix, true);
    if (isScalar(node) && node.value === null) doc.setIn(prefix, doc.createNode({}));
  }
  doc.setIn(path, value);
}

function producesData(text: string, expected: unknown): boolean {
  const doc = parseDocument(text);
  return doc.errors.length === 0 && isDeepStrictEqual(doc.toJS(), expected);
}

/** Reads the value at `path` (as text), or null when unset or the text is not valid YAML. */
export function getYamlValue(text: string, path: string[]): string | null {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return null;
  const value = doc.getIn(path);
  return value === undefined || value === null ? null : String(value);
}
