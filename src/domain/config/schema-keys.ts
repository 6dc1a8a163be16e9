/**
 * Which keys an object of the configuration schema allows at a given path, found by walking the
 * zod schema along the path (and along the input, to pick the branch of a discriminated union).
 * Used to suggest the key a typo meant.
 */
import type { z } from "zod";
import type { PathSegment } from "./config-problem.js";

type AnySchema = z.core.$ZodType;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Follows wrappers (default, optional, pipe, lazy, …) down to the schema that checks the value. */
function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (let guard = 0; guard < 32; guard++) {
    const def = current._zod.def as unknown as Record<string, unknown>;
    const inner = def.innerType ?? def.in ?? (typeof def.getter === "function" ? def.getter() : undefined);
    if (inner === undefined) return current;
    current = inner as AnySchema;
  }
  return current;
}

/** The member of a union that the value belongs to, or every object member when unclear. */
function unionMembers(schema: AnySchema, value: unknown): AnySchema[] {
  const def = schema._zod.def as unknown as { options: AnySchema[]; discriminator?: string };
  const options = def.options.map(unwrap);
  if (def.discriminator !== undefined && isPlainObject(value)) {
    const tag = value[def.discriminator];
    const match = options.find((option) =>
      option._zod.propValues?.[def.discriminator as string]?.has(tag as never),
    );
    if (match) return [match];
  }
  return options.filter((option) => option._zod.def.type === "object");
}

function childSchemas(schema: AnySchema, segment: PathSegment, value: unknown): AnySchema[] {
  const def = schema._zod.def as unknown as Record<string, unknown>;
  switch (schema._zod.def.type) {
    case "object": {
      const child = (def.shape as Record<string, AnySchema>)[String(segment)];
      return child ? [child] : [];
    }
    case "record":
      return [def.valueType as AnySchema];
    case "array":
      return [def.element as AnySchema];
    case "union":
      return unionMembers(schema, value).flatMap((member) => childSchemas(member, segment, value));
    default:
      return [];
  }
}

function childValue(value: unknown, segment: PathSegment): unknown {
  if (Array.isArray(value) && typeof segment === "number") return value[segment];
  return isPlainObject(value) ? value[String(segment)] : undefined;
}

/**
 * The keys the object schema at `path` allows, in schema order; empty when the path does not
 * lead to an object schema (or the walk meets a construct it does not know).
 */
export function allowedKeysAt(root: AnySchema, path: readonly PathSegment[], input: unknown): string[] {
  let schemas = [unwrap(root)];
  let value = input;
  for (const segment of path) {
    schemas = schemas.flatMap((schema) => childSchemas(schema, segment, value)).map(unwrap);
    value = childValue(value, segment);
  }
  const keys = new Set<string>();
  for (const schema of schemas) {
    const objects = schema._zod.def.type === "union" ? unionMembers(schema, value) : [schema];
    for (const object of objects) {
      if (object._zod.def.type !== "object") continue;
      for (const key of Object.keys((object._zod.def as unknown as { shape: object }).shape)) keys.add(key);
    }
  }
  return [...keys];
}
