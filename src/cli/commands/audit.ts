/** `railyard audit verify` and `railyard audit export`: open the store directly. */
import { createWriteStream, existsSync, type WriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import type { ChainVerification, Store } from "../../engine/ports.js";
import { contextOf } from "../context.js";
import { paint } from "../output.js";

interface DatabaseOption {
  database?: string;
}

const databaseHelp =
  "database URL or SQLite file (default: RAILYARD_DATABASE_URL, else .railyard/railyard.db)";

async function withStore<T>(options: DatabaseOption, fn: (store: Store) => Promise<T>) {
  // Loaded here, not at the top: the other commands start faster without the database drivers.
  const { openStore } = await import("../../store/open-store.js");
  const { DEFAULT_SQLITE_PATH, parseStoreUrl } = await import("../../store/store-url.js");
  const url = options.database ?? process.env.RAILYARD_DATABASE_URL;
  const location = parseStoreUrl(url ?? DEFAULT_SQLITE_PATH);
  // Opening creates a missing SQLite file, and an empty new database would verify as intact.
  if (location.dialect === "sqlite" && location.path !== ":memory:" && !existsSync(location.path)) {
    throw new Error(
      `no database at ${location.path}: pass --database (or set RAILYARD_DATABASE_URL) with the server's database URL or SQLite file`,
    );
  }
  // Reading only: no writer thread.
  const store = await openStore({ ...(url ? { url } : {}), inlineWriter: true });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** A file stream once the file is open, so a bad path fails before the database is read. */
function openForWriting(file: string): Promise<WriteStream> {
  return new Promise((resolve, reject) => {
    const stream = createWriteStream(file);
    stream.once("ready", () => resolve(stream));
    stream.once("error", (error) => reject(new Error(`cannot write ${file}: ${error.message}`)));
  });
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
        let text: string;
        try {
          text = await readFile(options.export, "utf8");
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          throw new Error(
            `cannot read the export ${options.export} (${code === "ENOENT" ? "no such file" : (error as Error).message}); write one with \`railyard audit export -o FILE\``,
          );
        }
        const { verifyExportLines } = await import("../../store/audit.js");
        result = verifyExportLines(text.split(/\r?\n/));
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
        const { exportEvents } = await import("../../store/audit.js");
        const sink = options.output ? await openForWriting(options.output) : process.stdout;
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
