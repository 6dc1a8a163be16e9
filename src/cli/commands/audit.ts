/** `railyard audit verify` and `railyard audit export`: open the store directly. */
import { createReadStream, createWriteStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Command } from "commander";
import type { ChainVerification } from "../../engine/ports.js";
import { exportEvents, verifyExportLines } from "../../store/audit.js";
import { openStore } from "../../store/open-store.js";
import { contextOf } from "../context.js";
import { paint } from "../output.js";

interface DatabaseOption {
  database?: string;
}

const databaseHelp =
  "database URL or SQLite file (default: RAILYARD_DATABASE_URL, else .railyard/railyard.db)";

async function withStore<T>(
  options: DatabaseOption,
  fn: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>,
) {
  const url = options.database ?? process.env.RAILYARD_DATABASE_URL;
  const store = await openStore(url ? { url } : {});
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command("audit").description("the hash-chained audit log");

  audit
    .command("verify")
    .description("recompute the hash chain; exit 1 and name the first broken event if it was changed")
    .option("--database <url>", databaseHelp)
    .option("--export <file>", "verify a JSON Lines export instead of the database")
    .action(async (options: DatabaseOption & { export?: string }, command: Command) => {
      const ctx = contextOf(command);
      let result: ChainVerification;
      if (options.export) {
        const lines: string[] = [];
        const reader = createInterface({
          input: createReadStream(options.export),
          crlfDelay: Number.POSITIVE_INFINITY,
        });
        for await (const line of reader) if (line.trim()) lines.push(line);
        result = verifyExportLines(lines);
      } else {
        result = await withStore(options, (store) => store.verifyChain());
      }
      if (ctx.json) ctx.out.json(result);
      else if (result.ok)
        ctx.out.line(
          `${paint(ctx.out, "green", "intact")}: ${result.events} events, last hash ${result.lastHash}`,
        );
      else
        ctx.out.line(
          `${paint(ctx.out, "red", "BROKEN")} at event ${result.brokenAt}: ${result.problem} (${result.events} events checked)`,
        );
      if (!result.ok) process.exitCode = 1;
    });

  audit
    .command("export")
    .description("write the audit log as JSON Lines (one event per line, oldest first)")
    .option("--database <url>", databaseHelp)
    .option("--from <instant>", "events at or after this ISO instant")
    .option("--to <instant>", "events before this ISO instant")
    .option("--train <id>", "only this train's events")
    .option("--actor <name>", "only this actor's events")
    .option("-o, --output <file>", "write to a file instead of standard output")
    .action(
      async (
        options: DatabaseOption & {
          from?: string;
          to?: string;
          train?: string;
          actor?: string;
          output?: string;
        },
        command: Command,
      ) => {
        const ctx = contextOf(command);
        for (const key of ["from", "to"] as const) {
          const value = options[key];
          if (value && Number.isNaN(Date.parse(value)))
            throw new Error(`--${key} "${value}" is not an ISO 8601 instant`);
        }
        const sink = options.output ? createWriteStream(options.output) : process.stdout;
        const count = await withStore(options, (store) =>
          exportEvents(
            store,
            {
              ...(options.from ? { from: new Date(options.from).toISOString() } : {}),
              ...(options.to ? { to: new Date(options.to).toISOString() } : {}),
              ...(options.train ? { trainId: options.train } : {}),
              ...(options.actor ? { actor: options.actor } : {}),
            },
            (line) =>
              new Promise<void>((resolve, reject) =>
                sink.write(`${line}\n`, (error) => (error ? reject(error) : resolve())),
              ),
          ),
        );
        if (options.output) {
          await new Promise<void>((resolve) => (sink as NodeJS.WritableStream).end(resolve));
          if (ctx.json) ctx.out.json({ events: count, file: options.output });
          else ctx.out.error(`exported ${count} events to ${options.output}`);
        }
      },
    );
}
