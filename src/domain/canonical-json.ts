/**
 * Deterministic JSON: the same value always gives the same text, on every machine, so hashes over
 * it are stable. Object keys are sorted by UTF-16 code units (JavaScript's default sort) at every
 * depth, there is no whitespace, keys whose value is `undefined` are left out, and arrays keep
 * their order. Anything JSON cannot carry exactly (NaN, Infinity, bigint, a Date, a function,
 * `undefined` inside an array) is rejected instead of being silently changed.
 */

/** Thrown by {@link canonicalJson} for a value JSON cannot represent exactly. */
export class NonCanonicalValueError extends Error {
  override readonly name = "NonCanonicalValueError";
  constructor(
    /** JSON path of the value, e.g. `$.items[2].version`. */
    readonly path: string,
    reason: string,
  ) {
    super(`cannot write ${path} as canonical JSON: ${reason}`);
  }
}

/**
 * Writes `value` as canonical JSON.
 * @throws {NonCanonicalValueError} for a non-finite number, a bigint, a function, a symbol,
 *   `undefined` at the top or inside an array, or an object that is not a plain object or array.
 */
export function canonicalJson(value: unknown): string {
  return write(value, "$");
}

function write(value: unknown, path: string): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new NonCanonicalValueError(path, `${value} is not a finite number`);
      return JSON.stringify(value);
    case "object":
      if (value === null) return "null";
      if (Array.isArray(value)) return writeArray(value, path);
      return writeObject(value, path);
    case "undefined":
      throw new NonCanonicalValueError(path, "undefined has no JSON form");
    default:
      throw new NonCanonicalValueError(path, `a ${typeof value} has no JSON form`);
  }
}

function writeArray(array: readonly unknown[], path: string): string {
  const parts: string[] = [];
  for (let i = 0; i < array.length; i++) parts.push(write(array[i], `${path}[${i}]`));
  return `[${parts.join(",")}]`;
}

function writeObject(object: object, path: string): string {
  const prototype = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) {
    const kind = (object as { constructor?: { name?: string } }).constructor?.name ?? "object";
    throw new NonCanonicalValueError(path, `a ${kind} is not a plain object; convert it first`);
  }
  const record = object as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${write(member, `${path}${pathKey(key)}`)}`);
  }
  return `{${parts.join(",")}}`;
}

function pathKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
