import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonErrorPosition } from "./json-syntax.js";

/** Where V8 says JSON.parse failed, when it says. */
const v8Position = (text: string): number | null => {
  try {
    JSON.parse(text);
    return -1;
  } catch (error) {
    const match = /at position (\d+)/.exec((error as Error).message);
    return match ? Number(match[1]) : null;
  }
};

describe("jsonErrorPosition", () => {
  it("finds nothing wrong in valid JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        expect(jsonErrorPosition(JSON.stringify(value, null, pretty ? 2 : undefined))).toBe(-1);
      }),
    );
  });

  it("says a document cut anywhere ends before it is complete", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.array(fc.jsonValue())),
        fc.boolean(),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        (value, pretty, share) => {
          const text = JSON.stringify(value, null, pretty ? 2 : undefined);
          const cut = text.slice(0, Math.floor(text.length * share));
          expect(jsonErrorPosition(cut)).toBe(cut.length);
        },
      ),
    );
  });

  it.each([
    ['{"matches": [}', 13],
    ['{"a": 1,, "b": 2}', 8],
    ['{"a": 1} x', 9],
    ['{"a" 1}', 5],
    ['{"a": "\u0001"}', 7],
    ['{"a": "\\x"}', 8],
    ['{"a": "\\u12G4"}', 11],
    ["{'a': 1}", 1],
    ['{"a": 01}', 7],
    ['{"a": .5}', 6],
    ['{"a": nul}', 6],
    ["[1, 2", 5],
    ['{"a": 1.', 8],
    ['{"a": -', 7],
    ['{"a": "\\u00', 11],
  ])("%s goes wrong at %i, where V8 says when it says", (text, position) => {
    expect(jsonErrorPosition(text)).toBe(position);
    const stated = v8Position(text);
    if (stated !== null) expect(stated).toBe(position);
  });
});
