/**
 * `railyard audit keygen`, `railyard audit verify` and `railyard audit export`: they work without
 * a server (export and the database check open the store directly; checking an export file needs
 * neither server nor database).
 */
import { createReadStream, createWriteStream, existsSync, type WriteStream } from "node:fs";
import { open, readFile, unlink } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { Command } from "commander";
import type { AuditPublicKey, AuditSigningKey } from "../../engine/audit-keys.js";
import type { Store } from "../../engine/ports.js";
import type { AuditVerification, ExportVerification } from "../../store/audit.js";
import { type CliContext, contextOf, DEFAULT_CONFIG } from "../context.js";
import { paint } from "../output.js";

interface DatabaseOption {
  database?: string;
}

interface ConfigOption {
  config?: string;
}

const databaseHelp =
  "database URL or SQLite file (default: RAILYARD_DATABASE_URL, else .railyard/railyard.db)";
const configHelp = `configuration file naming the signing key's variable (default: RAILYARD_CONFIG, else ${DEFAULT_CONFIG} when it exists)`;
const DEFAULT_KEY_VARIABLE = "RAILYARD_AUDIT_SIGNING_KEY";

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

/**
 * The environment variable holding the signing key: the configuration's
 * `audit.signingKeyFromEnv` when there is a configuration, else the default.
 */
async function signingKeyVariable(options: ConfigOption): Promise<string> {
  const file = options.config ?? process.env.RAILYARD_CONFIG;
  if (file === undefined && !existsSync(DEFAULT_CONFIG)) return DEFAULT_KEY_VARIABLE;
  const { loadConfigFile } = await import("../config-file.js");
  const { config } = await loadConfigFile(file ?? DEFAULT_CONFIG);
  return config.audit.signingKeyFromEnv;
}

/** The signing key from its variable, or undefined when the variable is unset. */
async function signingKey(
  options: ConfigOption,
): Promise<{ variable: string; key: AuditSigningKey | undefined }> {
  const variable = await signingKeyVariable(options);
  const { signingKeyFromEnv } = await import("../../engine/audit-keys.js");
  return { variable, key: signingKeyFromEnv(variable) };
}

async function readPublicKey(file: string): Promise<AuditPublicKey> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      `cannot read the public key ${file} (${code === "ENOENT" ? "no such file" : (error as Error).message}); \`railyard audit keygen\` writes one`,
    );
  }
  const { publicKeyFromPem } = await import("../../engine/audit-keys.js");
  return publicKeyFromPem(text, file);
}

/** A file stream once the file is open, so a bad path fails before the database is read. */
function openForWriting(file: string): Promise<WriteStream> {
  return new Promise((resolve, reject) => {
    const stream = createWriteStream(file);
    stream.once("ready", () => resolve(stream));
    stream.once("error", (error) => reject(new Error(`cannot write ${file}: ${error.message}`)));
  });
}

/** Writes `text` to a new file with `mode`; refuses an existing file. */
async function writeNewFile(file: string, text: string, mode: number): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, "wx", mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === "EEXIST"
        ? `${file} exists; keygen never overwrites a key (move it away or choose another file)`
        : `cannot write ${file}: ${(error as Error).message}`,
    );
  }
  try {
    await handle.writeFile(text, "utf8");
    // The mode given to open is reduced by the umask; make the private key's mode exact.
    await handle.chmod(mode);
  } finally {
    await handle.close();
  }
}

function printDatabaseVerification(ctx: CliContext, result: AuditVerification, keyHint: string): void {
  if (ctx.json) {
    ctx.out.json(result);
    return;
  }
  if (!result.ok) {
    ctx.out.line(
      `${paint(ctx.out, "red", "BROKEN")} at event ${result.brokenAt}: ${result.problem} (${result.events} events checked)`,
    );
    return;
  }
  ctx.out.line(`${paint(ctx.out, "green", "intact")}: ${result.events} events, last hash ${result.lastHash}`);
  const { checkpoints } = result;
  if (checkpoints.count === 0) {
    ctx.out.line(
      "checkpoints: none (checkpoints are off unless the server has a signing key: audit.signingKeyFromEnv)",
    );
  } else if (checkpoints.signatures === "verified") {
    ctx.out.line(
      `checkpoints: ${checkpoints.count} signed with key ${checkpoints.keyId}, newest at event ${checkpoints.last?.eventId} (${checkpoints.last?.signedAt}); ${checkpoints.unsigned} events since`,
    );
  } else {
    ctx.out.line(
      `checkpoints: ${checkpoints.count} match the chain; signatures were not checked (unsigned: ${keyHint})`,
    );
  }
}

function printExportVerification(ctx: CliContext, result: ExportVerification): void {
  if (ctx.json) {
    ctx.out.json(result);
    return;
  }
  if (!result.ok) {
    const problem = result.problem.replace(/^line \d+: /, "");
    ctx.out.line(
      `${paint(ctx.out, "red", "BROKEN")} at line ${result.line}, event ${result.brokenAt} (${result.kind}): ${problem} (${result.events} events checked)`,
    );
    return;
  }
  const omitted = result.omitted > 0 ? `, ${result.omitted} omitted` : "";
  ctx.out.line(
    `${paint(ctx.out, "green", "intact")}: ${result.events} events${omitted}, last hash ${result.lastHash}`,
  );
  if (result.signatures === "verified") {
    ctx.out.line(
      `signed: ${result.checkpoints} checkpoint${result.checkpoints === 1 ? "" : "s"} and the seal verified with key ${result.keyId}`,
    );
  } else if (result.checkpoints === 0 && !result.sealed) {
    ctx.out.line(
      "unsigned: the export holds no signature (no checkpoint, no seal); only the chain was verified",
    );
  } else {
    const what = [
      `${result.checkpoints} checkpoint${result.checkpoints === 1 ? "" : "s"}`,
      ...(result.sealed ? ["the seal"] : []),
    ].join(" and ");
    ctx.out.line(
      `unsigned: signatures were not checked (pass --public-key FILE to check ${what}); only the chain was verified`,
    );
  }
  if (!result.anchored) {
    ctx.out.line(
      "note: the export starts after event 1 (--from) and its first link is taken on trust: only a seal checked with --public-key proves where it starts",
    );
  }
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command("audit").description("the hash-chained audit log");

  audit
    .command("keygen")
    .description("write an Ed25519 key pair that signs audit checkpoints and exports")
    .requiredOption("--private-key <file>", "where to write the private key (PKCS#8 PEM, mode 0600)")
    .requiredOption("--public-key <file>", "where to write the public key (SPKI PEM) for auditors")
    .addHelpText(
      "after",
      `
The server reads the private key from the variable audit.signingKeyFromEnv names
(default ${DEFAULT_KEY_VARIABLE}):
  export ${DEFAULT_KEY_VARIABLE}="$(cat FILE)"
Existing files are never overwritten.`,
    )
    .action(async (options: { privateKey: string; publicKey: string }, command: Command) => {
      const ctx = contextOf(command);
      for (const file of [options.privateKey, options.publicKey]) {
        if (existsSync(file)) {
          throw new Error(
            `${file} exists; keygen never overwrites a key (move it away or choose another file)`,
          );
        }
      }
      if (options.privateKey === options.publicKey) {
        throw new Error("--private-key and --public-key name the same file");
      }
      const { generateAuditKeys } = await import("../../engine/audit-keys.js");
      const keys = generateAuditKeys();
      await writeNewFile(options.privateKey, keys.privateKeyPem, 0o600);
      try {
        await writeNewFile(options.publicKey, keys.publicKeyPem, 0o644);
      } catch (error) {
        await unlink(options.privateKey).catch(() => undefined);
        throw error;
      }
      if (ctx.json) {
        ctx.out.json({ keyId: keys.keyId, privateKey: options.privateKey, publicKey: options.publicKey });
        return;
      }
      ctx.out.line(`key ${keys.keyId}`);
      ctx.out.line(`  private key: ${options.privateKey} (mode 0600; keep it secret)`);
      ctx.out.line(`  public key:  ${options.publicKey} (give it to auditors)`);
      ctx.out.line(
        `The server signs with it once ${DEFAULT_KEY_VARIABLE} (or audit.signingKeyFromEnv) holds it:`,
      );
      ctx.out.line(`  export ${DEFAULT_KEY_VARIABLE}="$(cat ${options.privateKey})"`);
    });

  audit
    .command("verify")
    .description(
      "recompute the hash chain and check the signatures; exit 1 naming the first broken line or event",
    )
    .option("--database <url>", databaseHelp)
    .option("--export <file>", "verify a JSON Lines export instead of the database (no database needed)")
    .option(
      "--public-key <file>",
      "check checkpoint and seal signatures with this public key (database: default the configured signing key's public part)",
    )
    .option("-c, --config <file>", configHelp)
    .action(
      async (
        options: DatabaseOption & ConfigOption & { export?: string; publicKey?: string },
        command: Command,
      ) => {
        const ctx = contextOf(command);
        if (options.export) {
          const file = options.export;
          const publicKey = options.publicKey ? await readPublicKey(options.publicKey) : undefined;
          const input = createReadStream(file, { encoding: "utf8" });
          const opened = new Promise<void>((resolve, reject) => {
            input.once("ready", () => resolve());
            input.once("error", (error: NodeJS.ErrnoException) =>
              reject(
                new Error(
                  `cannot read the export ${file} (${error.code === "ENOENT" ? "no such file" : error.message}); write one with \`railyard audit export -o FILE\``,
                ),
              ),
            );
          });
          await opened;
          const { verifyExportStream } = await import("../../store/audit.js");
          const result = await verifyExportStream(
            createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY }),
            {
              publicKey,
            },
          );
          printExportVerification(ctx, result);
          if (!result.ok) process.exitCode = 1;
          return;
        }
        let publicKey: AuditPublicKey | undefined;
        let keyHint: string;
        if (options.publicKey) {
          publicKey = await readPublicKey(options.publicKey);
          keyHint = "";
        } else {
          const { variable, key } = await signingKey(options);
          publicKey = key;
          keyHint = `pass --public-key FILE, or set ${variable}`;
        }
        const { verifyAudit } = await import("../../store/audit.js");
        const result = await withStore(options, (store) => verifyAudit(store, { publicKey }));
        printDatabaseVerification(ctx, result, keyHint);
        if (!result.ok) process.exitCode = 1;
      },
    );

  audit
    .command("export")
    .description(
      "write the audit log as JSON Lines: a header, the events, their signed checkpoints and a signed seal",
    )
    .option("--database <url>", databaseHelp)
    .option("--from <instant>", "events from the first one at or after this ISO instant")
    .option("--to <instant>", "events up to the first one at or after this ISO instant")
    .option("--train <id>", "only this train's events in full; the others as stubs without content")
    .option("--actor <name>", "only this actor's events in full; the others as stubs without content")
    .option("-o, --output <file>", "write to a file instead of standard output")
    .option("-c, --config <file>", configHelp)
    .addHelpText(
      "after",
      `
With the signing key (the variable audit.signingKeyFromEnv names, default ${DEFAULT_KEY_VARIABLE})
the export ends with a signed seal; check it anywhere with
  railyard audit verify --export FILE --public-key PUBLIC_KEY_FILE`,
    )
    .action(
      async (
        options: DatabaseOption &
          ConfigOption & {
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
        const { variable, key } = await signingKey(options);
        const { exportAudit } = await import("../../store/audit.js");
        const sink = options.output ? await openForWriting(options.output) : process.stdout;
        const summary = await withStore(options, (store) =>
          exportAudit(
            store,
            {
              filter: {
                ...(options.from ? { from: new Date(options.from).toISOString() } : {}),
                ...(options.to ? { to: new Date(options.to).toISOString() } : {}),
                ...(options.train ? { trainId: options.train } : {}),
                ...(options.actor ? { actor: options.actor } : {}),
              },
              exportedAt: new Date(ctx.now()).toISOString(),
              key,
            },
            (line) =>
              new Promise<void>((resolve, reject) =>
                sink.write(`${line}\n`, (error) => (error ? reject(error) : resolve())),
              ),
          ),
        );
        if (options.output) {
          await new Promise<void>((resolve) => (sink as NodeJS.WritableStream).end(resolve));
          if (ctx.json) ctx.out.json({ ...summary, file: options.output });
          else {
            const omitted = summary.omitted > 0 ? ` (${summary.omitted} more as stubs)` : "";
            const checkpoints = `${summary.checkpoints} checkpoint${summary.checkpoints === 1 ? "" : "s"}`;
            ctx.out.error(
              `exported ${summary.events} events${omitted} and ${checkpoints} to ${options.output}, ${summary.sealed ? `sealed with key ${key?.keyId}` : "unsealed"}`,
            );
          }
        }
        if (!summary.sealed) {
          ctx.out.error(
            `note: the export has no seal: ${variable} is not set (its checkpoints still verify; the end of the export is not signed)`,
          );
        }
      },
    );
}
