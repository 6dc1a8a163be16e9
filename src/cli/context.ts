/** What every CLI command gets: output, the HTTP client and the global options. */
import type { Command } from "commander";
import { RailyardClient } from "./client.js";
import { type Output, processOutput } from "./output.js";

export interface GlobalOptions {
  server: string;
  token?: string;
  json?: boolean;
}

export interface CliContext {
  out: Output;
  json: boolean;
  client(): RailyardClient;
  now(): number;
}

export const DEFAULT_SERVER = "http://127.0.0.1:7300";

/** Builds the context from the root command's options. */
export function contextOf(command: Command, out: Output = processOutput()): CliContext {
  const options = command.optsWithGlobals<GlobalOptions>();
  return {
    out,
    json: Boolean(options.json),
    client: () => new RailyardClient({ server: options.server, token: options.token }),
    now: () => Date.now(),
  };
}
