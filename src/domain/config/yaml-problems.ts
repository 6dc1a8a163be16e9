/**
 * Problems the YAML layer finds before the configuration's shape is looked at: syntax errors,
 * duplicate keys, unsupported tags, aliases without an anchor, keys that are not plain names.
 */
import { type Document, isMap, isScalar, isSeq, type Node, visit, type YAMLError } from "yaml";
import { messageAt, type PathSegment } from "./config-problem.js";
import { keyAtOffset, keyText } from "./source-positions.js";

/** A problem at a character offset of the source. */
export interface OffsetProblem {
  offset: number;
  path: PathSegment[];
  message: string;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function explainYamlError(doc: Document, error: YAMLError): OffsetProblem {
  const offset = error.pos[0];
  switch (error.code) {
    case "DUPLICATE_KEY": {
      const found = keyAtOffset(doc, offset);
      if (found) {
        return {
          offset,
          path: [...found.parentPath, found.key],
          message: messageAt(found.parentPath, `duplicate key "${found.key}": each key may appear once`),
        };
      }
      return { offset, path: [], message: "duplicate key: each key may appear once" };
    }
    case "MULTIPLE_DOCS":
      return {
        offset,
        path: [],
        message: "the file holds more than one YAML document (a second `---` or `...`): keep one",
      };
    case "TAB_AS_INDENT":
      return {
        offset,
        path: [],
        message: "YAML syntax error: tabs are not allowed as indentation, use spaces",
      };
    default:
      return { offset, path: [], message: `YAML syntax error: ${lowerFirst(error.message)}` };
  }
}

function explainYamlWarning(warning: YAMLError): OffsetProblem {
  const offset = warning.pos[0];
  const tag = /^Unresolved tag: (.+)$/.exec(warning.message)?.[1];
  if (warning.code === "TAG_RESOLVE_FAILED" && tag !== undefined) {
    return { offset, path: [], message: `unknown YAML tag "${tag}": remove it, Railyard reads plain values` };
  }
  return { offset, path: [], message: `YAML problem: ${lowerFirst(warning.message)}` };
}

function unresolvedAliases(doc: Document): OffsetProblem[] {
  const problems: OffsetProblem[] = [];
  visit(doc, {
    Alias(_key, alias) {
      if (alias.resolve(doc) === undefined) {
        problems.push({
          offset: alias.range?.[0] ?? 0,
          path: [],
          message: `unknown alias "*${alias.source}": define the anchor "&${alias.source}" before using it`,
        });
      }
    },
  });
  return problems;
}

function collectionKeys(doc: Document): OffsetProblem[] {
  const problems: OffsetProblem[] = [];
  const walk = (node: unknown, path: PathSegment[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = keyText(pair.key);
        if (key === undefined) {
          problems.push({
            offset: (pair.key as Node | null)?.range?.[0] ?? 0,
            path,
            message: messageAt(path, "a key must be a plain name, not a mapping, a list or an alias"),
          });
        } else {
          walk(pair.value, [...path, key]);
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        walk(item, [...path, index]);
      });
    }
  };
  walk(doc.contents, []);
  return problems;
}

/**
 * Every problem of the YAML layer, in no particular order. Empty when the document can be
 * turned into plain data safely (`doc.toJS()` will not throw for lack of an anchor and will not
 * stringify a collection key).
 */
export function yamlProblems(doc: Document): OffsetProblem[] {
  const problems = [...doc.errors.map((error) => explainYamlError(doc, error))];
  problems.push(...doc.warnings.map(explainYamlWarning));
  if (doc.errors.length === 0) {
    problems.push(...unresolvedAliases(doc), ...collectionKeys(doc));
  }
  return problems;
}

/** True when the document holds no data: an empty file, only comments, `---`, or `null`. */
export function isEmptyDocument(doc: Document): boolean {
  const contents = doc.contents;
  return (
    contents === null || (isScalar(contents) && (contents.value === null || contents.value === undefined))
  );
}
