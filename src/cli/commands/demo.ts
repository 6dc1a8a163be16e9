/** `railyard demo` (what `npm start` runs): the whole yard on a simulated clock. */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import type { Train } from "../../domain/model.js";
import type { NewToken } from "../../engine/tokens.js";
import { RailyardClient } from "../client.js";
import { contextOf } from "../context.js";
import { paint } from "../output.js";
import type { RunningServer } from "../start-server.js";
import { handleSignals } from "./serve.js";

/** The repository root (where examples/ lives), from dist/cli/commands or src/cli/commands. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
/** The variable the example configuration's `audit.signingKeyFromEnv` names (the default). */
const SIGNING_KEY_VARIABLE = "RAILYARD_AUDIT_SIGNING_KEY";
/** The variables the example configuration reads its notification URLs and Alertmanager secret from. */
const RELEASES_URL_VARIABLE = "RAILYARD_RELEASES_WEBHOOK_URL";
const SLACK_URL_VARIABLE = "RAILYARD_SLACK_WEBHOOK_URL";
const ALERTMANAGER_TOKEN_VARIABLE = "RAILYARD_ALERTMANAGER_TOKEN";
/** How long the demo's tokens live, in real time (their expiry is on the simulated clock). */
const TOKEN_LIFETIME_REAL_MS = 24 * 3_600_000;
/** How long a dashboard login lasts, in real time. */
const SESSION_LIFETIME_REAL_MS = 12 * 3_600_000;
/**
 * Monday 2 March 2026, 04:00 in Berlin: four simulated hours before web-1's boarding closes (two
 * real seconds at the test's rate), so a slow start on a busy machine still leaves CI time to push.
 */
export const DEMO_START = new Date("2026-03-02T03:00:00.000Z");

interface DemoOptions {
  port: string;
  servicePort: string;
  rate: string;
  stopWhenDone?: boolean;
  timeout: string;
}

export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description(
      "run the demo: example configuration, simulated clock and CI, a real Git repository (what `npm start` runs)",
    )
    .option("-p, --port <port>", "API port", "7300")
    .option("--service-port <port>", "port of the simulated services the gates probe", "7301")
    .option("--rate <n>", "simulated seconds per real second", "3600")
    .option("--stop-when-done", "exit 0 once the scripted scenario has played out (for tests)")
    .option("--timeout <seconds>", "with --stop-when-done: give up after this many real seconds", "240")
    .action(async (options: DemoOptions, command: Command) => {
      const ctx = contextOf(command);
      const out = ctx.out;
      // Loaded here, not at the top: the other commands start faster without the server's modules.
      const [
        { narrate },
        { createDemoSecrets, demoPaths, prepareDemo },
        { startDemoService },
        { DemoSimulator },
        serverModule,
      ] = await Promise.all([
        import("../demo/narrator.js"),
        import("../demo/prepare.js"),
        import("../demo/service.js"),
        import("../demo/simulator.js"),
        import("../start-server.js"),
      ]);
      const { createLogger, startServer } = serverModule;
      const paths = demoPaths(ROOT);
      await prepareDemo(paths);
      // A fresh admin token and audit key per run, in files only their owner reads: nothing secret
      // is printed, and the demo signs its audit checkpoints as a production server would.
      const secrets = await createDemoSecrets(paths, process.env[SIGNING_KEY_VARIABLE]);
      if (secrets.auditSigningKey !== null) process.env[SIGNING_KEY_VARIABLE] = secrets.auditSigningKey;
      // The simulated Alertmanager's shared secret, new each run and never printed.
      const alertmanagerToken = randomBytes(24).toString("hex");
      process.env[ALERTMANAGER_TOKEN_VARIABLE] = alertmanagerToken;
      const service = await startDemoService(
        paths.gitops,
        Number(options.servicePort),
        `http://127.0.0.1:${Number(options.port)}`,
        secrets.adminToken,
        (notification) => {
          // The stand-in Slack shows what a channel would; CloudEvents are only counted.
          if (notification.channel !== "slack") return;
          const text = typeof notification.body.text === "string" ? notification.body.text : "";
          if (text) out.line(paint(out, "dim", `             slack: ${text}`));
        },
      );
      process.env[SLACK_URL_VARIABLE] = `${service.url}/slack`;
      process.env[RELEASES_URL_VARIABLE] = `${service.url}/events`;
      let server: RunningServer;
      try {
        server = await startServer({
          configFile: path.join(ROOT, "examples", "railyard.yaml"),
          databaseUrl: paths.database,
          port: Number(options.port),
          clock: { kind: "simulated", start: DEMO_START, rate: Number(options.rate) },
          workDir: paths.work,
          logger: createLogger(paths.log),
          adminToken: secrets.adminToken,
          tickIntervalMs: 100,
          // Sessions expire on the simulated clock: a dashboard login lasts a real working day.
          sessionTtlMs: SESSION_LIFETIME_REAL_MS * Number(options.rate),
        });
      } catch (error) {
        await service.close();
        throw error;
      }
      handleSignals(server);
      const railyard = server.railyard;
      // Token expiry runs on the simulated clock: a real day of running at this rate.
      const expiresInMs = TOKEN_LIFETIME_REAL_MS * Number(options.rate);
      const client = async (input: Omit<NewToken, "name" | "expiresInMs">) =>
        new RailyardClient({
          server: server.url,
          token: (
            await railyard.tokens.create({ name: `demo ${input.subject}`, expiresInMs, ...input }, "demo")
          ).token,
        });
      // At once: the clock is running, and CI must push before web-1's boarding closes.
      const [ci, coordinator, alice, bob] = await Promise.all([
        // CI pushes artifacts and reports, nothing else; a coordinator retries blocked trains.
        client({
          subject: "ci-bot",
          kind: "ci",
          components: Object.keys(railyard.config.components),
          roles: [],
        }),
        client({ subject: "carol", roles: ["coordinator"] }),
        client({ subject: "alice", roles: ["approver"] }),
        client({ subject: "bob", roles: ["approver"] }),
      ]);
      const simulator = new DemoSimulator({
        ci,
        coordinator,
        approvers: { alice, bob },
        alertmanager: async (body) => {
          const response = await fetch(`${server.url}/api/v1/webhooks/alertmanager`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${alertmanagerToken}` },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(10_000),
          });
          if (!response.ok)
            throw new Error(`Alertmanager's webhook got ${response.status}: ${await response.text()}`);
        },
        now: () => server.clock.now(),
        log: (message) => out.line(paint(out, "dim", `             ${message}`)),
      });

      const rel = (p: string) => path.relative(process.cwd(), p) || ".";
      out.line(paint(out, "bold", "Railyard demo"));
      out.line(
        `  simulated clock  ${Number(options.rate) / 3600} h per second, from Mon 2 Mar 2026 04:00 Europe/Berlin`,
      );
      out.line(
        `  dashboard        ${server.url}/   (log in with the admin token: cat ${rel(paths.adminToken)})`,
      );
      out.line(`  API              ${server.url}/api/v1/trains   (docs: ${server.url}/api/docs)`);
      out.line(`  CLI              npx railyard trains   ·   npx railyard train watch web-2`);
      out.line(
        `  token            export RAILYARD_TOKEN=$(cat ${rel(paths.adminToken)})   (admin, this run only)`,
      );
      out.line(`  GitOps repo      git --git-dir ${rel(paths.gitops)} log --oneline`);
      out.line(`  logs             ${rel(paths.log)}`);
      if (existsSync(paths.auditPublicKey)) {
        // The export is sealed with the signing key; verifying it needs only the public key.
        const key =
          secrets.auditSigningKey === null
            ? ""
            : `${SIGNING_KEY_VARIABLE}="$(cat ${rel(paths.auditSigningKey)})" `;
        out.line(
          `  audit            ${key}npx railyard audit export --database ${rel(paths.database)} -o audit.jsonl`,
        );
        out.line(
          `                   npx railyard audit verify --export audit.jsonl --public-key ${rel(paths.auditPublicKey)}`,
        );
      }
      out.line(paint(out, "dim", "  Ctrl-C stops the demo; `npm start` again starts a fresh one."));
      out.line();

      let lastEvent = 0;
      let busy = false;
      const started = Date.now();
      const pump = async () => {
        if (busy) return;
        busy = true;
        try {
          const events = await railyard.events({ afterId: lastEvent, limit: 1000 });
          for (const event of events) {
            lastEvent = event.id;
            const line = narrate(out, event);
            if (line) out.line(line);
          }
          await simulator.step((await railyard.trains({ limit: 200 })) as Train[]);
          if (options.stopWhenDone && simulator.scenarioComplete) {
            out.line(
              paint(
                out,
                "green",
                "\nThe scripted scenario has played out: released, rolled back, retried, paused by an alert, failed its canary.",
              ),
            );
            clearInterval(timer);
            await server.close();
            await service.close();
            process.exit(0);
          }
          if (options.stopWhenDone && Date.now() - started > Number(options.timeout) * 1000) {
            out.error("demo: the scenario did not complete in time");
            clearInterval(timer);
            await server.close();
            await service.close();
            process.exit(1);
          }
        } catch (error) {
          out.error(`demo: ${(error as Error).message}`);
        } finally {
          busy = false;
        }
      };
      const timer = setInterval(() => void pump(), 100);
    });
}
