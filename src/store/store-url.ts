/**
 * Where the store lives, from the one string a user gives (`--database`, `RAILYARD_DATABASE_URL`):
 * `postgres://…` / `postgresql://…` (optionally `?schema=<name>`), `sqlite:<path>`,
 * `sqlite::memory:`, or a plain file path.
 */
import { InvalidStoreUrlError } from "./errors.js";

/** The SQLite file used when no URL is given. */
export const DEFAULT_SQLITE_PATH = ".railyard/railyard.db";

/** A parsed database URL. */
export type StoreLocation =
  | {
      dialect: "sqlite";
      /** A file path, or `:memory:`. */
      path: string;
    }
  | {
      dialect: "postgres";
      /** The URL for `pg`, without Railyard's own `schema` parameter. */
      connectionString: string;
      /** The schema to create (if missing) and use, or null for the server's default search path. */
      schema: string | null;
    };

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Parses a database URL.
 * @throws {InvalidStoreUrlError} for an unknown scheme, an empty SQLite path or a schema name that
 *   is not a plain identifier (letters, digits, `_`, at most 63 characters).
 */
export function parseStoreUrl(url: string): StoreLocation {
  if (/^postgres(ql)?:\/\//i.test(url)) return parsePostgresUrl(url);
  if (/^sqlite:/i.test(url)) {
    let path = url.slice("sqlite:".length);
    if (path.startsWith("//")) path = path.slice(2);
    if (path === "")
      throw new InvalidStoreUrlError(url, "no file after sqlite: (use sqlite:<path> or sqlite::memory:)");
    return { dialect: "sqlite", path };
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url);
  if (scheme) {
    throw new InvalidStoreUrlError(
      url,
      `unsupported scheme ${scheme[1]}: (use postgres://, sqlite: or a file path)`,
    );
  }
  if (url === "") throw new InvalidStoreUrlError(url, "empty (use postgres://, sqlite: or a file path)");
  return { dialect: "sqlite", path: url };
}

function parsePostgresUrl(url: string): StoreLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidStoreUrlError(redactUrl(url), "not a valid URL");
  }
  const schema = parsed.searchParams.get("schema");
  if (schema !== null && !SCHEMA_NAME.test(schema)) {
    throw new InvalidStoreUrlError(
      redactUrl(url),
      `schema "${schema}" must start with a letter or _ and hold only letters, digits and _ (at most 63)`,
    );
  }
  parsed.searchParams.delete("schema");
  return { dialect: "postgres", connectionString: parsed.toString(), schema };
}

/** The URL with any password replaced by `***`, for logs and messages. */
export function redactUrl(url: string): string {
  return url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/, "$1:***@");
}
