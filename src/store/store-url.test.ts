import { describe, expect, it } from "vitest";
import { InvalidStoreUrlError } from "./errors.js";
import { parseStoreUrl, redactUrl } from "./store-url.js";

describe("parseStoreUrl", () => {
  it("reads PostgreSQL URLs and takes the schema parameter out of them", () => {
    expect(parseStoreUrl("postgres://u:pw@db:5432/railyard?schema=ry_1&sslmode=disable")).toEqual({
      dialect: "postgres",
      connectionString: "postgres://u:pw@db:5432/railyard?sslmode=disable",
      schema: "ry_1",
    });
    expect(parseStoreUrl("postgresql://db/railyard")).toEqual({
      dialect: "postgres",
      connectionString: "postgresql://db/railyard",
      schema: null,
    });
  });

  it("reads SQLite URLs and plain paths", () => {
    expect(parseStoreUrl("sqlite::memory:")).toEqual({ dialect: "sqlite", path: ":memory:" });
    expect(parseStoreUrl("sqlite:data/ry.db")).toEqual({ dialect: "sqlite", path: "data/ry.db" });
    expect(parseStoreUrl("sqlite:///var/lib/ry.db")).toEqual({ dialect: "sqlite", path: "/var/lib/ry.db" });
    expect(parseStoreUrl(".railyard/railyard.db")).toEqual({
      dialect: "sqlite",
      path: ".railyard/railyard.db",
    });
  });

  it.each([
    ["mysql://db/railyard", "unsupported scheme mysql:"],
    ["sqlite:", "no file after sqlite:"],
    ["", "empty"],
    ["postgres://db/railyard?schema=bad-name", 'schema "bad-name" must start with a letter'],
  ])("rejects %j: %s", (url, message) => {
    expect(() => parseStoreUrl(url)).toThrow(InvalidStoreUrlError);
    expect(() => parseStoreUrl(url)).toThrow(message);
  });

  it("never puts a password into an error message", () => {
    expect(() => parseStoreUrl("postgres://u:secret@db/x?schema=no%20way")).toThrow(/u:\*\*\*@db/);
    expect(redactUrl("postgres://u:secret@db/x")).toBe("postgres://u:***@db/x");
    expect(redactUrl("postgres://db/x")).toBe("postgres://db/x");
  });
});
