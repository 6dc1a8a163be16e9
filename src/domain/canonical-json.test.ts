import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, NonCanonicalValueError } from "./canonical-json.js";

describe("canonicalJson", () => {
  it("sorts object keys and writes no whitespace", () => {
    expect(canonicalJson({ b: 1, a: [3, 1, 2], c: "x y" })).toBe('{"a":[3,1,2],"b":1,"c":"x y"}');
  });

  it("sorts keys at every depth, also inside arrays", () => {
    expect(canonicalJson({ z: { y: 1, x: { w: true, v: null } }, list: [{ b: 2, a: 1 }] })).toBe(
      '{"list":[{"a":1,"b":2}],"z":{"x":{"v":null,"w":true},"y":1}}',
    );
  });

  it("sorts by UTF-16 code units, not by locale", () => {
    // "Z" (0x5a) < "a" (0x61) < "é" (0xe9) < "😀" (0xd83d…) < "ｚ" (0xff5a)
    expect(canonicalJson({ ｚ: 5, "😀": 4, é: 3, a: 2, Z: 1 })).toBe('{"Z":1,"a":2,"é":3,"😀":4,"ｚ":5}');
  });

  it("keeps unicode text as it is and escapes what JSON must", () => {
    expect(canonicalJson({ s: 'Zürich 🚆 "quoted"\n\ttab' })).toBe('{"s":"Zürich 🚆 \\"quoted\\"\\n\\ttab"}');
    expect(canonicalJson("\ud800")).toBe('"\\ud800"');
  });

  it("leaves out keys whose value is undefined, keeps null", () => {
    expect(canonicalJson({ a: undefined, b: null, c: { d: undefined } })).toBe('{"b":null,"c":{}}');
  });

  it("writes numbers as JSON does, -0 as 0", () => {
    expect(canonicalJson([0, -0, 1.5, -2, 1e21, 123456789012345])).toBe("[0,0,1.5,-2,1e+21,123456789012345]");
  });

  it.each([
    [Number.NaN, "$.n", "NaN is not a finite number"],
    [Number.POSITIVE_INFINITY, "$.n", "Infinity is not a finite number"],
    [10n, "$.n", "a bigint has no JSON form"],
    [new Date(0), "$.n", "a Date is not a plain object"],
  ])("rejects %s with its path", (value, path, reason) => {
    const error = (() => {
      try {
        canonicalJson({ n: value });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(NonCanonicalValueError);
    expect((error as NonCanonicalValueError).path).toBe(path);
    expect((error as Error).message).toContain(reason);
  });

  it("rejects undefined inside an array instead of turning it into null", () => {
    expect(() => canonicalJson({ items: [1, undefined] })).toThrow(
      "cannot write $.items[1] as canonical JSON",
    );
  });

  it("names odd keys in the path with brackets", () => {
    expect(() => canonicalJson({ "a b": { c: Number.NaN } })).toThrow('$["a b"].c');
  });

  it("gives the same text for equal values whatever the key order, and parses back to them", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        const reparsed = JSON.parse(text);
        expect(canonicalJson(reparsed)).toBe(text);
        expect(reparsed).toEqual(JSON.parse(JSON.stringify(value)));
        const reversed = reverseKeys(value);
        expect(canonicalJson(reversed)).toBe(text);
      }),
    );
  });
});

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reverseKeys(v)]),
    );
  }
  return value;
}
