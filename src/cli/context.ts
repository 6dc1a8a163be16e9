/** What every CLI command gets: output, the HTTP client and the global options. */
import type { Command } from "commander";
import { RailyardClient } from "./client.js";
import { type Output, processOutput } from "./output.js";

/**
 * Options every command accepts, before the command name (`railyard --json trains`) or after it
 * (`railyard trains --json`); the one closest to the command wins.
 */
export interface GlobalOptions {
  /** @default RAILYARD_SERVER, else {@link DEFAULT_SERVER} */
  server?: string;
  /** @default RAILYARD_TOKEN */
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

/** Default configuration file, relative to the working directory. */
export const DEFAULT_CONFIG = "railyard.yaml";

/** Top-level commands that work without a server: they take `--json` but not `--server`/`--token`. */
const LOCAL_COMMANDS = new Set([
  "serve",
  "demo",
  "validate",
  "schema",
  "audit",
  "timetable",
  "board",
  "gate",
  "canary",
]);

/** Subcommands of remote commands that work without a server (`parent child`). */
const LOCAL_SUBCOMMANDS = new Set(["report summarize"]);

function addOptions(command: Command, remote: boolean): void {
  if (remote && !command.options.some((o) => o.long === "--server")) {
    command.option("--server <url>", `Railyard server (default: RAILYARD_SERVER, else ${DEFAULT_SERVER})`);
    command.option("--token <token>", "API token (default: RAILYARD_TOKEN)");
  }
  if (!command.options.some((o) => o.long === "--json"))
    command.option("--json", "print JSON instead of text");
}

/**
 * Gives every subcommand the global options, so they work after the command name too. The root
 * uses positional options, so a subcommand's own option with a root option's name (`artifact push
 * --version`) belongs to the subcommand. Call after every command is registered.
 */
export function addGlobalOptions(root: Command): void {
  const visit = (command: Command, remote: boolean) => {
    addOptions(command, remote);
    for (const sub of command.commands) {
      visit(sub, remote && !LOCAL_SUBCOMMANDS.has(`${command.name()} ${sub.name()}`));
    }
  };
  for (const command of root.commands) visit(command, !LOCAL_COMMANDS.has(command.name()));
}

/** The global options in force for a command: its own, else its parents', else the environment. */
export function globalOptionsOf(command: Command): Required<Pick<GlobalOptions, "server" | "json">> & {
  token: string | undefined;
} {
  const chain: Command[] = [];
  for (let c: Command | null = command; c; c = c.parent) chain.push(c);
  const pick = (key: "server" | "token"): string | undefined => {
    for (const c of chain) {
      const value = c.opts<GlobalOptions>()[key];
      if (value !== undefined) return value;
    }
    return undefined;
  };
  return {
    server: pick("server") || process.env.RAILYARD_SERVER || DEFAULT_SERVER,
    token: pick("token") || process.env.RAILYARD_TOKEN || undefined,
    json: chain.some((c) => c.opts<GlobalOptions>().json === true),
  };
}

/** Builds the context from the command's (and its parents') options. */
export function contextOf(command: Command, out: Output = processOutput()): CliContext {
  const options = globalOptionsOf(command);
  return {
    out,
    json: options.json,
    client: () => new RailyardClient({ server: options.server, token: options.token }),
    now: () => Date.now(),
  };
}
