/** Reading parsed JSON of an unknown shape, with refusals that name the JSON path. */
import { SecurityReportError } from "./model.js";

/** A JSON object. */
export type Json = Record<string, unknown>;

/** Whether the value is a JSON object (not null, not an array). */
export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A short description of a JSON value for a message: `a number (42)`, `null`, `an array`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string": {
      const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
      return `a string (${JSON.stringify(shown)})`;
    }
    case "number":
    case "boolean":
      return `a ${typeof value} (${String(value)})`;
    default:
      return "an object";
  }
}

/**
 * A refusal of the `format` document at `path`: `Trivy report: Results[0].Target: expected a
 * string, got a number (4)`.
 */
export function shapeError(
  format: string,
  path: string,
  expected: string,
  value: unknown,
): SecurityReportError {
  return new SecurityReportError(
    `${format}: ${path}: ${value === undefined ? `missing (${expected})` : `expected ${expected}, got ${describeValue(value)}`}`,
  );
}

/** The value as an array; absent or null is empty; anything else is refused. */
export function arrayAt(value: unknown, format: string, path: string): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null) return [];
  throw shapeError(format, path, "an array", value);
}

/** The value as an object, refused otherwise. */
export function objectAt(value: unknown, format: string, path: string): Json {
  if (isObject(value)) return value;
  throw shapeError(format, path, "an object", value);
}

/** The value as a non-empty string, refused otherwise. */
export function stringAt(value: unknown, format: string, path: string): string {
  if (typeof value === "string" && value !== "") return value;
  throw shapeError(format, path, "a non-empty string", value);
}

/** A non-empty string, else null (optional fields: absent, null, "" and other types all read as none). */
export function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}
