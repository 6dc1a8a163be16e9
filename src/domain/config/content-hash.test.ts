import { expect, test } from "vitest";
import { contentHash } from "./content-hash.js";

test.each([
  // Published FNV-1a 64-bit test vectors.
  ["", "cbf29ce484222325"],
  ["a", "af63dc4c8601ec8c"],
  ["foobar", "85944171f73967e8"],
])("contentHash(%j) is %s", (text, hash) => {
  expect(contentHash(text)).toBe(hash);
});

test("hashes the UTF-8 bytes, so non-ASCII text is stable", () => {
  expect(contentHash("zeitzone: Europe/Zürich")).toBe(contentHash("zeitzone: Europe/Z\u00fcrich"));
  expect(contentHash("ü")).not.toBe(contentHash("u"));
});
