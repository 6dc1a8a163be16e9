import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { getYamlValue, MANAGED_FILE_HEADER, setYamlValue, YamlEditError } from "./yaml-edit.js";

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
