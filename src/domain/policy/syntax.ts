/**
 * Positions within a policy expression, and a plainer account of the syntax errors the CEL parser
 * words poorly. `@bufbuild/cel`'s parser reports where the longest valid beginning of the text
 * ends: for `manifest.all(c, c.sbom` it says `1:9: found . but expecting end of input`. A missing
 * bracket or quote is told better by pairing them, so that is tried first.
 */

/** A place in an expression: line and column from 1 (columns count characters). */
export interface TextPosition {
  line: number;
  column: number;
}

/** The line and column of a UTF-16 offset into `text`. */
export function positionAt(text: string, offset: number): TextPosition {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lineStart = before.lastIndexOf("\n") + 1;
  const line = before.split("\n").length;
  return { line, column: [...before.slice(lineStart)].length + 1 };
}

const OPENERS: Readonly<Record<string, string>> = { "(": ")", "[": "]", "{": "}" };
const CLOSERS = new Set([")", "]", "}"]);

/** Whether the quote at `at` starts a raw string (`r"…"`, `rb'…'`, `Br"…"`). */
function isRaw(text: string, at: number): boolean {
  const prefix = /([rRbB]{1,2})$/.exec(text.slice(Math.max(0, at - 2), at))?.[1] ?? "";
  const before = text[at - prefix.length - 1];
  if (before !== undefined && /[\w]/.test(before)) return false;
  return /[rR]/.test(prefix);
}

/**
 * The first unterminated string, unbalanced bracket or bracket closing the wrong opener, with its
 * offset; null when the quotes and brackets pair up (the error is then another one).
 */
export function bracketProblem(text: string): { offset: number; message: string } | null {
  const open: Array<{ char: string; offset: number }> = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      i = end === -1 ? text.length : end;
      continue;
    }
    if (char === '"' || char === "'") {
      const raw = isRaw(text, i);
      const triple = text.startsWith(char.repeat(3), i);
      let j = i + (triple ? 3 : 1);
      let closed = false;
      while (j < text.length) {
        if (!raw && text[j] === "\\") {
          j += 2;
          continue;
        }
        if (triple ? text.startsWith(char.repeat(3), j) : text[j] === char) {
          closed = true;
          break;
        }
        if (!triple && text[j] === "\n") break;
        j++;
      }
      if (!closed) return { offset: i, message: `unterminated string: add the closing ${char}` };
      i = j + (triple ? 2 : 0);
      continue;
    }
    if (Object.hasOwn(OPENERS, char)) {
      open.push({ char, offset: i });
      continue;
    }
    if (CLOSERS.has(char)) {
      const last = open.pop();
      if (last === undefined) return { offset: i, message: `'${char}' closes nothing` };
      if (OPENERS[last.char] !== char) {
        const at = positionAt(text, last.offset);
        return {
          offset: i,
          message: `'${char}' cannot close the '${last.char}' opened at ${at.line}:${at.column}: expected '${OPENERS[last.char]}'`,
        };
      }
    }
  }
  const unclosed = open.pop();
  if (unclosed === undefined) return null;
  return {
    offset: unclosed.offset,
    message: `'${unclosed.char}' is never closed: add '${OPENERS[unclosed.char]}'`,
  };
}
