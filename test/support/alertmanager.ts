import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Daemon, startDaemon } from "./daemon.js";

/** The Alertmanager binary. @default /usr/bin/prometheus-alertmanager (or `$ALERTMANAGER_BIN`) */
export const ALERTMANAGER_BIN = process.env.ALERTMANAGER_BIN ?? "/usr/bin/prometheus-alertmanager";

/** An alert as `POST /api/v2/alerts` takes it (Alertmanager's OpenAPI `postableAlert`). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  /** RFC 3339; Alertmanager uses now when absent. */
  startsAt?: string;
  /** RFC 3339; in the past, the alert is resolved. Absent: it fires until resolve_timeout. */
  endsAt?: string;
  generatorURL?: string;
}

export interface AlertmanagerOptions {
  /** Where the webhook receiver delivers, e.g. `http://127.0.0.1:PORT/api/v1/webhooks/alertmanager`. */
  webhookUrl: string;
  /** Sent as `Authorization: Bearer <secret>` (`http_config.authorization.credentials`). */
  bearerToken: string;
  /** How long to wait for readiness. @default 30_000 */
  startTimeoutMs?: number;
}

/** A running Alertmanager. */
export interface RunningAlertmanager {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /**
   * Posts alerts to `POST /api/v2/alerts`.
   * @throws when Alertmanager refuses them (with its answer)
   */
  post(alerts: PostableAlert[]): Promise<void>;
  /** The process's recent output, for failure messages. */
  diagnostics(): string;
  /** Stops Alertmanager (SIGTERM, then SIGKILL after 10 s) and deletes its directory. */
  stop(): Promise<void>;
}

/** The configuration: one webhook receiver, grouped by train ID, 1s waits, hourly repeats. */
export function alertmanagerConfig(options: Pick<AlertmanagerOptions, "webhookUrl" | "bearerToken">): string {
  return [
    "route:",
    "  receiver: railyard",
    "  group_by: ['train_id']",
    "  group_wait: 1s",
    "  group_interval: 1s",
    "  repeat_interval: 1h",
    "receivers:",
    "  - name: railyard",
    "    webhook_configs:",
    `      - url: ${JSON.stringify(options.webhookUrl)}`,
    "        send_resolved: true",
    "        http_config:",
    "          authorization:",
    "            type: Bearer",
    `            credentials: ${JSON.stringify(options.bearerToken)}`,
    "",
  ].join("\n");
}

/**
 * Starts Alertmanager and resolves once it is ready (`/-/ready`).
 * @throws when the binary is missing (saying which package has it), or when Alertmanager exits or
 *   is not ready in time (with its output)
 */
export async function startAlertmanager(options: AlertmanagerOptions): Promise<RunningAlertmanager> {
  if (!existsSync(ALERTMANAGER_BIN)) {
    throw new Error(
      `${ALERTMANAGER_BIN} is missing: the Alertmanager end-to-end test needs Debian's prometheus-alertmanager package, which .ci/run should install (apt-get install prometheus-alertmanager)`,
    );
  }
  const dir = await mkdtemp(path.join(tmpdir(), "railyard-alertmanager-"));
  const configFile = path.join(dir, "alertmanager.yml");
  await writeFile(configFile, alertmanagerConfig(options), { mode: 0o600 });

  let daemon: Daemon | undefined;
  const cleanup = async () => {
    await daemon?.stop();
    await rm(dir, { recursive: true, force: true });
  };

  try {
    daemon = await startDaemon({
      name: "Alertmanager",
      bin: ALERTMANAGER_BIN,
      startTimeoutMs: options.startTimeoutMs ?? 30_000,
      args: (port, attempt) => [
        `--config.file=${configFile}`,
        `--storage.path=${path.join(dir, `data-${attempt}`)}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--cluster.listen-address=",
        "--log.level=debug",
      ],
    });
    const { url } = daemon;
    let stopped = false;
    return {
      url,
      async post(alerts) {
        const response = await fetch(`${url}/api/v2/alerts`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(alerts),
          signal: AbortSignal.timeout(5000),
        });
        if (!response.ok) {
          throw new Error(`Alertmanager refused the alerts (${response.status}): ${await response.text()}`);
        }
        await response.body?.cancel();
      },
      diagnostics: daemon.output,
      async stop() {
        if (stopped) return;
        stopped = true;
        await cleanup();
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
