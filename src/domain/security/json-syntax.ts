/**
 * Where JSON text first goes wrong. `JSON.parse` does not always say (V8 reports "Unexpected token
 * '}'" without a position), and a user fixing or re-exporting a report needs it.
 */

/** What the scanner expects next. */
const Expect = { Value: 0, ValueOrClose: 1, Key: 2, KeyOrClose: 3, Colon: 4, CommaOrClose: 5 } as const;

const isSpace = (code: number) => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/** A number cut short at the end of the text (`-`, `1.`, `2e`, `2e+`). */
const NUMBER_PREFIX = /-?(?:(?:0|[1-9]\d*)(?:\.\d*)?(?:[eE][+-]?\d*)?)?$/y;
const ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);
const HEX = /^[0-9a-fA-F]$/;

/** The end of the string starting at `start` (its opening quote), or -(position + 1) of its error. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) return -(i + 1);
    if (code === 0x5c) {
      const escaped = text[i + 1];
      if (escaped === undefined) return -(text.length + 1);
      if (escaped === "u") {
        // Like V8: the error is at the first character that is not a hex digit.
        for (let h = i + 2; h < i + 6; h++) {
          if (h >= text.length) return -(text.length + 1);
          if (!HEX.test(text[h]!)) return -(h + 1);
        }
        i += 5;
      } else if (ESCAPES.has(escaped)) i++;
      else return -(i + 2);
    }
  }
  return -(text.length + 1);
}

/**
 * The position (in UTF-16 code units) of the first character that makes `text` invalid JSON;
 * `text.length` when it ends before the document is complete; -1 when it is valid.
 */
export function jsonErrorPosition(text: string): number {
  const stack: Array<"{" | "["> = [];
  let expect: (typeof Expect)[keyof typeof Expect] = Expect.Value;
  let i = 0;
  const n = text.length;
  for (;;) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) return expect === Expect.CommaOrClose && stack.length === 0 ? -1 : n;
    const c = text[i]!;
    switch (expect) {
      case Expect.ValueOrClose:
      case Expect.Value:
        if (expect === Expect.ValueOrClose && c === "]") {
          stack.pop();
          i++;
          expect = Expect.CommaOrClose;
        } else if (c === "{" || c === "[") {
          stack.push(c);
          i++;
          expect = c === "{" ? Expect.KeyOrClose : Expect.ValueOrClose;
        } else if (c === '"') {
          const end = stringEnd(text, i);
          if (end < 0) return -end - 1;
          i = end;
          expect = Expect.CommaOrClose;
        } else if (c === "t" || c === "f" || c === "n") {
          const word = c === "t" ? "true" : c === "f" ? "false" : "null";
          const rest = text.slice(i, i + word.length);
          if (rest === word) i += word.length;
          else if (word.startsWith(rest)) return n;
          else return i;
          expect = Expect.CommaOrClose;
        } else {
          NUMBER_PREFIX.lastIndex = i;
          if (NUMBER_PREFIX.test(text)) {
            // The number runs to the end of the text: complete (then the document is not) or cut.
            NUMBER.lastIndex = i;
            return NUMBER.test(text) && NUMBER.lastIndex === n && stack.length === 0 ? -1 : n;
          }
          NUMBER.lastIndex = i;
          if (!NUMBER.test(text)) return i;
          i = NUMBER.lastIndex;
          expect = Expect.CommaOrClose;
        }
        break;
      case Expect.KeyOrClose:
      case Expect.Key:
        if (expect === Expect.KeyOrClose && c === "}") {
          stack.pop();
          i++;
          expect = Expect.CommaOrClose;
        } else if (c === '"') {
          const end = stringEnd(text, i);
          if (end < 0) return -end - 1;
          i = end;
          expect = Expect.Colon;
        } else return i;
        break;
      case Expect.Colon:
        if (c !== ":") return i;
        i++;
        expect = Expect.Value;
        break;
      case Expect.CommaOrClose: {
        const open = stack[stack.length - 1];
        if (open === undefined) return i;
        if (c === ",") expect = open === "{" ? Expect.Key : Expect.Value;
        else if (c === (open === "{" ? "}" : "]")) stack.pop();
        else return i;
        i++;
        break;
      }
    }
  }
}
