/**
 * Maps paths in the parsed configuration back to positions in the YAML source, so that every
 * problem can be reported as FILE:LINE:COLUMN.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import type { PathSegment } from "./config-problem.js";

/** What to point at: the value at the path, or the key that names it. */
export type PointAt = "value" | "key";

/** A 1-based source position. */
export interface SourcePosition {
  line: number;
  column: number;
}

interface Found {
  /** The deepest node reached (the root when nothing matched). */
  node: Node | null;
  /** The key node of the pair holding `node`, when `node` is a mapping value. */
  keyNode: Node | null;
}

/** The text a scalar key turns into in the parsed object (`toJS` stringifies keys the same way). */
export function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  return key.value === null ? "" : String(key.value);
}

function resolve(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

/**
 * Follows `path` through the document as far as it exists (the nearest existing ancestor of a
 * missing key). A value pulled in through an alias is reported at the alias: that is where the
 * path, as written, takes it from.
 */
function findNode(doc: Document, path: readonly PathSegment[]): Found {
  let found: Found = { node: doc.contents as Node | null, keyNode: null };
  let viaAlias: Found | undefined;
  for (const segment of path) {
    if (isAlias(found.node)) viaAlias ??= found;
    const current = resolve(doc, found.node);
    if (isMap(current)) {
      const pair = current.items.find((item) => keyText(item.key) === String(segment));
      if (!pair) break;
      const keyNode = pair.key as Node;
      found = { node: (pair.value as Node | null) ?? keyNode, keyNode };
    } else if (isSeq(current) && typeof segment === "number" && current.items[segment] !== undefined) {
      found = { node: current.items[segment] as Node, keyNode: null };
    } else {
      break;
    }
  }
  return viaAlias ?? found;
}

function isEmptyValue(node: Node): boolean {
  return isScalar(node) && node.value === null && !!node.range && node.range[0] === node.range[1];
}

function offsetOf(found: Found, pointAt: PointAt): number {
  const { node, keyNode } = found;
  if (keyNode?.range && (pointAt === "key" || !node || isMap(node) || isSeq(node) || isEmptyValue(node))) {
    // A whole mapping or list is best shown by the key that names it; so is an empty value.
    return keyNode.range[0];
  }
  return node?.range?.[0] ?? 0;
}

/** Positions in one YAML source text. */
export interface SourceLocator {
  /**
   * The position of a path: the value there, or the key naming it when `pointAt` is "key", when
   * the value is a mapping or a list, or when it is empty. A path that is not in the document (a
   * missing key, a defaulted value) falls back to its nearest existing ancestor.
   */
  atPath(path: readonly PathSegment[], pointAt: PointAt): SourcePosition;
  /** The position of a character offset. */
  atOffset(offset: number): SourcePosition;
}

/**
 * Creates the locator of a parsed document. Positions are clamped to the text, so they always
 * lie inside the file (a column may be one past the end of its line).
 */
export function createLocator(doc: Document, lineCounter: LineCounter, text: string): SourceLocator {
  const lineLengths = text.split("\n").map((line) => line.length);
  const atOffset = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
    const safeLine = Math.max(1, Math.min(line, lineLengths.length));
    const lineLength = lineLengths[safeLine - 1] ?? 0;
    return { line: safeLine, column: Math.max(1, Math.min(col, lineLength + 1)) };
  };
  return {
    atOffset,
    atPath: (path, pointAt) => atOffset(offsetOf(findNode(doc, path), pointAt)),
  };
}

/**
 * The path of the mapping holding the key node that starts at `offset`, and that key's text;
 * undefined when no key starts there. Used to name duplicate keys.
 */
export function keyAtOffset(
  doc: Document,
  offset: number,
): { parentPath: PathSegment[]; key: string } | undefined {
  const walk = (
    node: unknown,
    path: PathSegment[],
  ): { parentPath: PathSegment[]; key: string } | undefined => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = keyText(pair.key);
        if (key === undefined) continue;
        if ((pair.key as Node).range?.[0] === offset) return { parentPath: path, key };
        const inner = walk(pair.value, [...path, key]);
        if (inner) return inner;
      }
    } else if (isSeq(node)) {
      for (const [index, item] of node.items.entries()) {
        const inner = walk(item, [...path, index]);
        if (inner) return inner;
      }
    }
    return undefined;
  };
  return walk(doc.contents, []);
}
