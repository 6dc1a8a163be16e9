/**
 * Reading `railyard.yaml` from disk: the text goes through the pure parser, problems come back
 * as FILE:LINE:COLUMN.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { type ConfigFiles, type ConfigProblem, formatProblem, parseConfig } from "../domain/config/load.js";
import { InvalidConfigError } from "../engine/errors.js";
import type { LoadedConfig } from "../engine/railyard.js";

export { DEFAULT_CONFIG } from "./context.js";

/**
 * Files a configuration names (holiday .ics files, OpenSLO files), read relative to the
 * configuration file; problems inside them are shown at that path as seen from here.
 */
export function configFiles(file: string): ConfigFiles {
  return {
    pathOf: (name) => (path.isAbsolute(name) ? name : path.join(path.dirname(file), name)),
    readFile: (name) => {
      try {
        return readFileSync(path.resolve(path.dirname(file), name), "utf8");
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new Error(code === "ENOENT" ? "no such file" : (error as Error).message);
      }
    },
  };
}

/**
 * Reads and validates a configuration file.
 * @throws {InvalidConfigError} with `details.problems` (each `{file, line, column, message}`)
 */
export async function loadConfigFile(file: string): Promise<LoadedConfig & { problems: [] }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new InvalidConfigError(`${file}: cannot read the configuration (${why})`, {
      problems: [{ file, line: 1, column: 1, path: [], message: `cannot read the configuration (${why})` }],
    });
  }
  const result = parseConfig(text, file, configFiles(file));
  if (!result.ok) {
    throw new InvalidConfigError(
      `${file} is invalid (${result.problems.length} problem${result.problems.length === 1 ? "" : "s"}):\n${result.problems.map(formatProblem).join("\n")}`,
      { problems: result.problems as ConfigProblem[] },
    );
  }
  return { config: result.config, meta: { source: path.resolve(file), hash: result.hash }, problems: [] };
}
