import { readFileSync, writeFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseDocument } from "yaml";
import { isDuration } from "../duration.js";
import { ANNOTATED_EXAMPLE } from "./annotated-example.js";
import { CONFIG_SCHEMA_ID, configJsonSchema, configJsonSchemaText, DURATION_PATTERN } from "./json-schema.js";

const COMMITTED = new URL("../../../schema/railyard.schema.json", import.meta.url);
const FIXTURE = new URL("../../../test/fixtures/config/valid.yaml", import.meta.url);

function readCommitted(): string | undefined {
  try {
    return readFileSync(COMMITTED, "utf8");
  } catch {
    return undefined;
  }
}

test("schema/railyard.schema.json is up to date", () => {
  const fresh = configJsonSchemaText();
  if (process.env.UPDATE_SNAPSHOTS === "1") {
    writeFileSync(COMMITTED, fresh);
    return;
  }
  expect(
    readCommitted() === fresh,
    "schema/railyard.schema.json is stale: run `UPDATE_SNAPSHOTS=1 npx vitest run src/domain/config` (or `railyard schema > schema/railyard.schema.json`)",
  ).toBe(true);
});

describe("configJsonSchema", () => {
  const schema = configJsonSchema();

  test("is a draft 2020-12 schema with Railyard's $id and a title", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.$id).toBe(CONFIG_SCHEMA_ID);
    expect(schema.title).toEqual(expect.any(String));
    expect(Object.keys(schema).slice(0, 3)).toEqual(["$schema", "$id", "title"]);
  });

  test("requires exactly the keys without defaults and refuses unknown ones", () => {
    expect(schema.required).toEqual(["version", "environments", "lines"]);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties as object)).toEqual([
      "$schema",
      "version",
      "teams",
      "users",
      "access",
      "audit",
      "deployers",
      "components",
      "environments",
      "lines",
      "notifications",
      "smtp",
      "routing",
      "calendars",
      "blackouts",
      "webhooks",
      "slos",
      "openslo",
      "prometheus",
    ]);
  });

  test("is deterministic", () => {
    expect(configJsonSchemaText()).toBe(configJsonSchemaText());
    expect(configJsonSchemaText().endsWith("}\n")).toBe(true);
  });

  describe("used by a JSON Schema validator, as editors do", () => {
    const validate = new Ajv2020({ strict: true, allErrors: true, validateFormats: false }).compile(schema);
    const asData = (text: string): unknown => parseDocument(text).toJS();

    test("accepts the realistic fixture and the documented example", () => {
      for (const text of [readFileSync(FIXTURE, "utf8"), ANNOTATED_EXAMPLE]) {
        expect(validate(asData(text)), JSON.stringify(validate.errors)).toBe(true);
      }
    });

    test("flags an unknown key, a bad duration and a bad gate type", () => {
      const text = ANNOTATED_EXAMPLE.replace("cutoff: 26h", "cutof: 26h")
        .replace("bake: 30m", "bake: 30 minutes")
        .replace("type: http", "type: grpc");
      expect(validate(asData(text))).toBe(false);
      const where = new Set((validate.errors ?? []).map((error) => error.instancePath));
      expect(where).toContain("/lines/payments/schedule");
      expect(where).toContain("/lines/payments/rollout/waves/0/bake");
      expect(where).toContain("/lines/payments/gates/1");
    });
  });
});

describe("DURATION_PATTERN", () => {
  const pattern = new RegExp(DURATION_PATTERN);

  test.each(["90s", "90m", "26h", "2d", "1h30m", "250ms", "1.5h", "PT26H", "P2D", "P1DT2H", "PT0.5S", "P1W"])(
    "accepts %s",
    (text) => {
      expect(pattern.test(text)).toBe(true);
    },
  );

  test.each(["", "P", "PT", "P1DT", "26", "h", "26 hours", "P1M", "P1Y", "1h 30m", "-1h"])(
    "refuses %j",
    (text) => {
      expect(pattern.test(text)).toBe(false);
    },
  );

  test("agrees with isDuration on text without surrounding blanks", () => {
    const unit = fc.constantFrom(
      "0",
      "1",
      "2",
      "5",
      "9",
      ".",
      "P",
      "T",
      "W",
      "D",
      "H",
      "M",
      "S",
      "ms",
      "s",
      "m",
      "h",
      "d",
      "w",
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 10 }), (parts) => {
        const text = parts.join("");
        expect(pattern.test(text)).toBe(isDuration(text));
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});
