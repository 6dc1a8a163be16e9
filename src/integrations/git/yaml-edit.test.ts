import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  deleteYamlValue,
  getYamlValue,
  MANAGED_FILE_HEADER,
  setYamlValue,
  YamlEditError,
} from "./yaml-edit.js";

const REVIEWED = `# Versions running in canary. Reviewed by the web team.
api:    # the public API
    version: "1.2.0"   # pinned until INC-7 is closed
    replicas: 3

# web is served by the CDN
web: {version: 2.0.0, region: eu}
worker:
    version: '0.9.1'
    image: registry.example.com/worker   # a long comment that a YAML printer would like to fold at eighty columns
`;

describe("setYamlValue", () => {
  it("changes only the value's bytes, keeping its quotes, comments and indentation", () => {
    const result = setYamlValue(REVIEWED, ["api", "version"], "1.3.0", "canary.yaml");
    expect(result.text).toBe(REVIEWED.replace('"1.2.0"', '"1.3.0"'));
    expect(result.previous).toBe("1.2.0");
    expect(result.changed).toBe(true);
  });

  it("keeps single quotes and plain scalars as they were written", () => {
    expect(setYamlValue(REVIEWED, ["worker", "version"], "1.0.0", "f").text).toBe(
      REVIEWED.replace("'0.9.1'", "'1.0.0'"),
    );
    expect(setYamlValue(REVIEWED, ["web", "version"], "2.1.0", "f").text).toBe(
      REVIEWED.replace("version: 2.0.0", "version: 2.1.0"),
    );
  });

  it("quotes a plain value that would otherwise read as a number or a boolean", () => {
    const text = "api:\n  version: v1\n";
    expect(setYamlValue(text, ["api", "version"], "1.10", "f").text).toBe('api:\n  version: "1.10"\n');
    expect(setYamlValue(text, ["api", "version"], "true", "f").text).toBe('api:\n  version: "true"\n');
  });

  it("adds a missing key at the file's own indentation without touching other lines", () => {
    const result = setYamlValue(REVIEWED, ["db", "version"], "3.0.0", "canary.yaml");
    expect(result.previous).toBeNull();
    expect(result.text).toBe(`${REVIEWED}db:\n    version: 3.0.0\n`);
    const nested = setYamlValue(REVIEWED, ["api", "image", "tag"], "1.3", "canary.yaml");
    expect(nested.text).toBe(
      REVIEWED.replace("    replicas: 3\n", '    replicas: 3\n    image:\n        tag: "1.3"\n'),
    );
  });

  it("creates a new file with the managed header", () => {
    const result = setYamlValue(null, ["api", "version"], "1.0.0", "prod.yaml");
    expect(result.text).toBe(`${MANAGED_FILE_HEADER}api:\n  version: 1.0.0\n`);
    expect(result.previous).toBeNull();
  });

  it("fills a key that has no value yet", () => {
    const result = setYamlValue("# head\napi:\nweb: 1\n", ["api", "version"], "1.0.0", "f");
    expect(parse(result.text)).toEqual({ api: { version: "1.0.0" }, web: 1 });
    expect(result.text.startsWith("# head\n")).toBe(true);
  });

  it("writes a number as a plain YAML number, also where a quoted string was", () => {
    const added = setYamlValue(REVIEWED, ["api", "canary", "weight"], 25, "f");
    expect(added.text).toBe(
      REVIEWED.replace("    replicas: 3\n", "    replicas: 3\n    canary:\n        weight: 25\n"),
    );
    expect(parse(added.text).api.canary.weight).toBe(25);
    const quoted = 'api:\n  weight: "5" # canary share\n';
    expect(setYamlValue(quoted, ["api", "weight"], 50, "f").text).toBe("api:\n  weight: 50 # canary share\n");
    expect(setYamlValue("api:\n  weight: 5\n", ["api", "weight"], 5, "f")).toMatchObject({
      changed: false,
      previous: "5",
    });
    expect(setYamlValue(null, ["api", "weight"], 0, "f").text).toBe(
      `${MANAGED_FILE_HEADER}api:\n  weight: 0\n`,
    );
    expect(() => setYamlValue(REVIEWED, ["api", "weight"], Number.NaN, "f")).toThrow(/not a finite number/);
  });

  it("reports no change when the value is already there", () => {
    const result = setYamlValue(REVIEWED, ["api", "version"], "1.2.0", "f");
    expect(result).toEqual({ text: REVIEWED, previous: "1.2.0", changed: false });
  });

  it("refuses a path through a scalar, a value that is a map, and invalid YAML, naming the file", () => {
    expect(() => setYamlValue(REVIEWED, ["api", "replicas", "x"], "1", "canary.yaml")).toThrow(
      /canary\.yaml: cannot set api\.replicas\.x: api\.replicas is the value 3, not a map/,
    );
    expect(() => setYamlValue(REVIEWED, ["api"], "1", "canary.yaml")).toThrow(/it holds a map/);
    expect(() => setYamlValue("a: [1\n", ["a"], "1", "bad.yaml")).toThrow(YamlEditError);
    expect(() => setYamlValue("a: [1\n", ["a"], "1", "bad.yaml")).toThrow(
      /^bad\.yaml:\d+:\d+: not valid YAML/,
    );
  });

  it("sets the value and leaves every other value as it was (property)", () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);
    const version = fc.oneof(
      fc.stringMatching(/^\d{1,3}\.\d{1,3}(\.\d{1,3})?$/),
      fc.stringMatching(/^v[0-9a-z.+-]{1,12}$/),
    );
    fc.assert(
      fc.property(
        fc.dictionary(key, fc.dictionary(key, version)),
        key,
        key,
        version,
        (data, component, field, next) => {
          const lines = ["# managed"];
          for (const [name, fields] of Object.entries(data)) {
            lines.push(`${name}:  # ${name}`);
            for (const [f, v] of Object.entries(fields)) lines.push(`  ${f}: "${v}"`);
            if (Object.keys(fields).length === 0) lines.push("  placeholder: x");
          }
          const text = `${lines.join("\n")}\n`;
          const result = setYamlValue(text, [component, field], next, "f");
          expect(getYamlValue(result.text, [component, field])).toBe(next);
          const before = parse(text) ?? {};
          const after = parse(result.text);
          const expected = { ...before, [component]: { ...(before[component] ?? {}), [field]: next } };
          expect(after).toEqual(expected);
          // At most the one line holding the old value differs; every other line survives as written.
          const kept = new Set(result.text.split("\n"));
          expect(text.split("\n").filter((line) => !kept.has(line)).length).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("deleteYamlValue", () => {
  const CANARY = `# Versions in prod.
api:    # the public API
    version: "1.2.0"
    canary:
        version: 1.3.0   # set by Railyard
        weight: 25
    replicas: 3
web:
    version: 2.0.0
`;

  it("removes only the key's line, keeping comments and every other line", () => {
    const result = deleteYamlValue(CANARY, ["api", "canary", "version"], "prod.yaml");
    expect(result).toEqual({
      text: CANARY.replace("        version: 1.3.0   # set by Railyard\n", ""),
      previous: "1.3.0",
      changed: true,
    });
  });

  it("removes a map the removal leaves empty, and a key holding a map", () => {
    const once = deleteYamlValue(CANARY, ["api", "canary", "weight"], "f").text;
    const twice = deleteYamlValue(once, ["api", "canary", "version"], "f");
    expect(twice.text).toBe(
      CANARY.replace("    canary:\n        version: 1.3.0   # set by Railyard\n        weight: 25\n", ""),
    );
    expect(twice.previous).toBe("1.3.0");
    expect(deleteYamlValue(CANARY, ["api", "canary"], "f").text).toBe(twice.text);
    expect(deleteYamlValue(CANARY, ["web"], "f").text).toBe(CANARY.replace("web:\n    version: 2.0.0\n", ""));
  });

  it("changes nothing when the key is not there", () => {
    for (const path of [
      ["api", "canary", "nope"],
      ["db", "version"],
      ["db", "canary", "version"],
    ]) {
      expect(deleteYamlValue(CANARY, path, "f")).toEqual({ text: CANARY, previous: null, changed: false });
    }
    expect(deleteYamlValue("", ["api"], "f")).toEqual({ text: "", previous: null, changed: false });
  });

  it("removes keys of flow maps through the document, keeping the data right", () => {
    const text = "# head\napi: {version: 1.2.0, canary: {version: 1.3.0, weight: 5}}\nweb: 1\n";
    const result = deleteYamlValue(text, ["api", "canary", "version"], "f");
    expect(parse(result.text)).toEqual({ api: { version: "1.2.0", canary: { weight: 5 } }, web: 1 });
    expect(result.text.startsWith("# head\n")).toBe(true);
  });

  it("refuses a path through a list or a scalar, and invalid YAML", () => {
    expect(() => deleteYamlValue("api:\n  - a\n", ["api", "x"], "f.yaml")).toThrow(
      /f\.yaml: cannot remove api\.x: api is a list, not a map/,
    );
    expect(() => deleteYamlValue(CANARY, ["api", "version", "x"], "f.yaml")).toThrow(
      /cannot remove api\.version\.x: api\.version is the value "1\.2\.0", not a map/,
    );
    expect(() => deleteYamlValue("a: [1\n", ["a"], "bad.yaml")).toThrow(/^bad\.yaml:\d+:\d+: not valid YAML/);
  });

  it("undoes setYamlValue of a new key exactly (property)", () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);
    fc.assert(
      fc.property(
        fc.dictionary(key, fc.dictionary(key, fc.integer({ min: 0, max: 100 }), { minKeys: 1 })),
        key,
        key,
        fc.integer({ min: 0, max: 100 }),
        (data, component, field, weight) => {
          const lines = ["# managed"];
          for (const [name, fields] of Object.entries(data)) {
            lines.push(`${name}:  # ${name}`);
            for (const [f, v] of Object.entries(fields)) lines.push(`  ${f}: ${v}`);
          }
          const text = `${lines.join("\n")}\n`;
          fc.pre(data[component]?.[field] === undefined);
          const added = setYamlValue(text, [component, "canary", field], weight, "f").text;
          expect(deleteYamlValue(added, [component, "canary", field], "f").text).toBe(text);
        },
      ),
      { numRuns: 200 },
    );
  });
});
