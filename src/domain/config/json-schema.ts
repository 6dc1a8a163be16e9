/**
 * The JSON Schema of `railyard.yaml`, generated from the zod schema. Editors use it to complete
 * and check the file (`# yaml-language-server: $schema=…`); it is committed as
 * `schema/railyard.schema.json` and printed by `railyard schema`.
 */
import { z } from "zod";
import { Duration, RailyardConfig } from "./schema.js";

/** Where the published schema lives; also its `$id`. */
export const CONFIG_SCHEMA_ID = "https://railyard.dev/schema/railyard.schema.json";

const NUMBER = String.raw`\d+(?:\.\d+)?`;

/**
 * What `isDuration` accepts (for text without surrounding blanks), as an ECMA-262 pattern, so that
 * editors flag a bad duration too: compact (`1h30m`) or ISO 8601 without months and years
 * (`PT26H`, `P2D`), but not a bare `P`, `PT` or a trailing `T`.
 */
export const DURATION_PATTERN =
  `^(?:(?:${NUMBER}(?:ms|s|m|h|d|w))+` +
  `|(?!PT?$)(?!.*T$)P(?:${NUMBER}W)?(?:${NUMBER}D)?(?:T(?:${NUMBER}H)?(?:${NUMBER}M)?(?:${NUMBER}S)?)?)$`;

const durationChecks = new Set<unknown>(Duration._zod.def.checks ?? []);

/** `Duration` itself or a copy of it (`.describe()` copies a schema, keeping its checks). */
function isDurationSchema(schema: z.core.$ZodType): boolean {
  const def = schema._zod.def as { type: string; checks?: unknown[] };
  return def.type === "string" && (def.checks ?? []).some((check) => durationChecks.has(check));
}

/**
 * Generates the JSON Schema (draft 2020-12) of the configuration as written by people: the input
 * side of the zod schema, so keys with defaults are optional. Durations carry
 * {@link DURATION_PATTERN}. Deterministic: the same schema.ts always gives the same object.
 */
export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(RailyardConfig, {
    io: "input",
    target: "draft-2020-12",
    unrepresentable: "throw",
    override: ({ zodSchema, jsonSchema }) => {
      if (isDurationSchema(zodSchema)) jsonSchema.pattern = DURATION_PATTERN;
    },
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: CONFIG_SCHEMA_ID,
    title: "Railyard configuration (railyard.yaml)",
    ...rest,
  };
}

/** {@link configJsonSchema} as the committed file holds it: 2-space indented, with a final newline. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
