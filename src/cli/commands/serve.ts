/** `railyard serve`: run the server on a configuration file. */
import type { Command } from "commander";
import { parseDuration } from "../../domain/duration.js";
import { contextOf, DEFAULT_CONFIG } from "../context.js";
import type { RunningServer } from "../start-server.js";

interface ServeOptions {
  config: string;
  host: string;
  port: string;
  database?: string;
  clock: string;
  clockStart?: string;
  clockRate: string;
  workDir?: string;
  tick: string;
}

/** Installs SIGHUP (reload) and SIGINT/SIGTERM (graceful stop) handlers for a running server. */
export function handleSignals(server: RunningServer): void {
  // One reload at a time: two quick SIGHUPs must not let the older file win the race.
  let reloading: Promise<void> = Promise.resolve();
  const reload = () =>
    server.railyard.reload({ subject: "signal:SIGHUP", roles: ["admin"], tokenId: null }).then(
      (result) => {
        process.stderr.write(
          result.changed
            ? `railyard: SIGHUP: configuration reloaded (${result.hash})\n`
            : `railyard: SIGHUP: configuration unchanged (${result.hash})\n`,
        );
      },
      (error: unknown) => {
        const problems = (error as { details?: { problems?: unknown } }).details?.problems;
        server.logger.warn(
          {
            actor: "signal:SIGHUP",
            problems: Array.isArray(problems) ? problems : [],
            reason: (error as Error).message,
          },
          "configuration reload rejected; the old configuration keeps running",
        );
        process.stderr.write(
          `railyard: SIGHUP: reload rejected, the old configuration keeps running:\n${(error as Error).message}\n`,
        );
      },
    );
  process.on("SIGHUP", () => {
    reloading = reloading.then(reload);
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    process.stderr.write(`railyard: ${signal} received, stopping (steps in flight resume on restart)\n`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("run the Railyard server (reconciler + HTTP API) on a configuration file")
    .option("-c, --config <file>", "configuration file", DEFAULT_CONFIG)
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("-p, --port <port>", "port to listen on", "7300")
    .option(
      "--database <url>",
      "postgres://… or a SQLite file (default: RAILYARD_DATABASE_URL, else .railyard/railyard.db)",
    )
    .option("--clock <kind>", "real, or simulated (for demos and tests)", "real")
    .option("--clock-start <instant>", "simulated clock start (ISO 8601); default now")
    .option("--clock-rate <n>", "simulated ms per real ms; 0 moves only via `railyard clock advance`", "0")
    .option("--work-dir <dir>", "where deployers keep working copies", ".railyard/work")
    .option("--tick <duration>", "real time between reconciliation passes", "250ms")
    .action(async (options: ServeOptions, command: Command) => {
      const ctx = contextOf(command);
      if (options.clock !== "real" && options.clock !== "simulated")
        throw new Error(`--clock must be real or simulated, not "${options.clock}"`);
      const start = options.clockStart ? new Date(options.clockStart) : undefined;
      if (start && Number.isNaN(start.getTime()))
        throw new Error(`--clock-start "${options.clockStart}" is not an ISO 8601 instant`);
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new Error(`--port "${options.port}" is not a port number`);
      // Loaded here, not at the top: the other commands start faster without the server's modules.
      const { createLogger, failpointFromEnv, startServer } = await import("../start-server.js");
      const failpoint = failpointFromEnv();
      const server = await startServer({
        configFile: options.config,
        databaseUrl: options.database ?? process.env.RAILYARD_DATABASE_URL,
        host: options.host,
        port,
        clock: { kind: options.clock, ...(start ? { start } : {}), rate: Number(options.clockRate) || 0 },
        ...(options.workDir ? { workDir: options.workDir } : {}),
        logger: createLogger(),
        adminToken: process.env.RAILYARD_ADMIN_TOKEN,
        ...(failpoint ? { failpoint } : {}),
        tickIntervalMs: parseDuration(options.tick),
      });
      handleSignals(server);
      // One line on stderr (logs go to stdout) so people and scripts learn the address.
      if (ctx.json) process.stderr.write(`${JSON.stringify({ listening: server.url })}\n`);
      else process.stderr.write(`railyard listening on ${server.url} (API docs: ${server.url}/api/docs)\n`);
    });
}
