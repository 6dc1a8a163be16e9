/** `railyard validate`, `schema`, `token …`, `config reload`, `clock advance`. */

import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import type { TokenRecord } from "../../domain/model.js";
import { configFiles } from "../config-file.js";
import { contextOf, DEFAULT_CONFIG } from "../context.js";
import { paint, table, when } from "../output.js";

/** "1 line", "3 lines". */
function count(entries: object, noun: string): string {
  const n = Object.keys(entries).length;
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

export function registerAdminCommands(program: Command): void {
  program
    .command("validate")
    .description("check a configuration file; print every problem as FILE:LINE:COLUMN and exit 1 if any")
    .argument("[file]", "configuration file", DEFAULT_CONFIG)
    .action(async (file: string, _options, command: Command) => {
      const ctx = contextOf(command);
      const { formatProblem, parseConfig } = await import("../../domain/config/load.js");
      let text: string;
      try {
        text = await readFile(file, "utf8");
      } catch (error) {
        const why =
          (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
        const problem = {
          file,
          line: 1,
          column: 1,
          path: [],
          message: `cannot read the configuration (${why})`,
        };
        if (ctx.json) ctx.out.json({ ok: false, problems: [problem] });
        else ctx.out.error(formatProblem(problem));
        process.exitCode = 1;
        return;
      }
      const result = parseConfig(text, file, configFiles(file));
      if (ctx.json) {
        ctx.out.json(
          result.ok ? { ok: true, file, hash: result.hash, lines: Object.keys(result.config.lines) } : result,
        );
      } else if (result.ok) {
        const c = result.config;
        ctx.out.line(
          `${paint(ctx.out, "green", "valid")}: ${file} — ${count(c.lines, "line")}, ${count(c.components, "component")}, ${count(c.teams, "team")}, ${count(c.environments, "environment")}`,
        );
      } else {
        for (const problem of result.problems) ctx.out.error(formatProblem(problem));
        ctx.out.error(
          paint(
            ctx.out,
            "red",
            `${result.problems.length} problem${result.problems.length === 1 ? "" : "s"}`,
          ),
        );
      }
      if (!result.ok) process.exitCode = 1;
    });

  program
    .command("schema")
    .description("print the JSON Schema of railyard.yaml (for editors: # yaml-language-server: $schema=…)")
    .action(async () => {
      const { configJsonSchemaText } = await import("../../domain/config/json-schema.js");
      process.stdout.write(configJsonSchemaText());
    });

  const token = program.command("token").description("API tokens: your own, or anyone's (admin)");
  token
    .command("create")
    .description("create a token; its secret is printed once")
    .option("--subject <name>", "who it acts as (a person from the configuration, or a bot); default: you")
    .option("--name <name>", "what it is for", "cli")
    .option(
      "--role <role>",
      "role (repeatable): viewer, member, approver, coordinator, admin; narrowed to the person's configured roles",
      (v: string, p: string[] = []) => [...p, v],
    )
    .option("--ci", "a CI token: may only push artifacts and reports for --component (admin)")
    .option(
      "--component <name>",
      "CI tokens: a component it may push for (repeatable)",
      (v: string, p: string[] = []) => [...p, v],
    )
    .option("--expires-in <duration>", "lifetime, e.g. 90d, 12h, or never (admin)", "90d")
    .action(
      async (
        options: {
          subject?: string;
          name: string;
          role?: string[];
          ci?: boolean;
          component?: string[];
          expiresIn: string;
        },
        command: Command,
      ) => {
        const ctx = contextOf(command);
        if (options.ci && !options.component?.length)
          throw new Error("a CI token needs --component (repeatable): the components it may push for");
        if (!options.ci && options.component?.length)
          throw new Error("--component is for CI tokens; add --ci");
        const created = await ctx
          .client()
          .request<{ token: string; record: TokenRecord }>("POST", "/api/v1/tokens", {
            name: options.name,
            ...(options.subject ? { subject: options.subject } : {}),
            kind: options.ci ? "ci" : "user",
            ...(options.ci ? { components: options.component } : { roles: options.role ?? ["member"] }),
            expiresIn: options.expiresIn,
          });
        if (ctx.json) return ctx.out.json(created);
        ctx.out.line(created.token);
        const scope =
          created.record.kind === "ci"
            ? `CI, pushes for ${created.record.components?.join(", ")}`
            : created.record.roles.join(", ");
        const expiry = created.record.expiresAt ? `expires ${created.record.expiresAt}` : "never expires";
        ctx.out.error(
          paint(
            ctx.out,
            "dim",
            `token ${created.record.id} for ${created.record.subject} (${scope}; ${expiry}); it is not shown again`,
          ),
        );
      },
    );
  token
    .command("list")
    .description("list tokens (never their secrets)")
    .action(async (_options, command: Command) => {
      const ctx = contextOf(command);
      const tokens = await ctx.client().request<TokenRecord[]>("GET", "/api/v1/tokens");
      if (ctx.json) return ctx.out.json(tokens);
      ctx.out.line(
        table(
          ctx.out,
          ["ID", "NAME", "SUBJECT", "ROLES", "EXPIRES", "REVOKED", "LAST USED"],
          tokens.map((t) => [
            t.id,
            t.name,
            t.subject,
            t.kind === "ci" ? `ci:${(t.components ?? []).join(",")}` : t.roles.join(","),
            when(t.expiresAt),
            when(t.revokedAt),
            when(t.lastUsedAt),
          ]),
        ),
      );
    });
  token
    .command("revoke")
    .description("revoke a token")
    .argument("<id>", "token id (tok_…)")
    .action(async (id: string, _options, command: Command) => {
      const ctx = contextOf(command);
      await ctx.client().request("DELETE", `/api/v1/tokens/${encodeURIComponent(id)}`);
      if (ctx.json) return ctx.out.json({ revoked: id });
      ctx.out.line(`revoked ${id}`);
    });

  const config = program.command("config").description("the running configuration");
  config
    .command("reload")
    .description("ask the server to read its configuration file again (an invalid file is rejected whole)")
    .action(async (_options, command: Command) => {
      const ctx = contextOf(command);
      const result = await ctx
        .client()
        .request<{ hash: string; changed: boolean; lines: string[] }>("POST", "/api/v1/config/reload");
      if (ctx.json) return ctx.out.json(result);
      ctx.out.line(
        result.changed ? `reloaded: configuration ${result.hash} (${result.lines.join(", ")})` : "unchanged",
      );
    });

  const clock = program.command("clock").description("the simulated clock (demo and tests)");
  clock
    .command("advance")
    .description("move a simulated clock forward and let the trains catch up")
    .argument("<duration>", "e.g. 1h, 30m, 2d")
    .action(async (by: string, _options, command: Command) => {
      const ctx = contextOf(command);
      const result = await ctx
        .client()
        .request<{ now: string }>("POST", "/api/v1/clock/advance", { by }, 600_000);
      if (ctx.json) return ctx.out.json(result);
      ctx.out.line(`simulated time is now ${result.now}`);
    });
}
