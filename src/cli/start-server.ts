/**
 * The composition root: opens the store, builds the integrations and the engine from a
 * configuration file, and serves the HTTP API. Used by `railyard serve`, the demo and the
 * end-to-end tests.
 */
import path from "node:path";
import type { FastifyInstance } from "fastify";
import pino from "pino";
import { buildServer } from "../api/server.js";
import { signingKeyFromEnv } from "../engine/audit-keys.js";
import { SimulatedClock, SystemClock } from "../engine/clock.js";
import type { Clock, Failpoint, Logger, Store } from "../engine/ports.js";
import { Railyard } from "../engine/railyard.js";
import { createDeployerFactory } from "../integrations/deployer-factory.js";
import { createGateRunner } from "../integrations/gate-runner.js";
import { createNotificationSenderFactory } from "../integrations/notify/sender-factory.js";
import { createBudgetProbe } from "../integrations/prometheus/budget-probe.js";
import { createErrorRateProbe } from "../integrations/prometheus/error-rate-probe.js";
import { openStore } from "../store/open-store.js";
import { loadConfigFile } from "./config-file.js";

export interface ClockOptions {
  /** `real` (default) or `simulated`. */
  kind: "real" | "simulated";
  /** Simulated start instant; a stored simulated time later than this wins (restarts continue). */
  start?: Date;
  /** Simulated ms per real ms; 0 = moves only via `POST /api/v1/clock/advance`. */
  rate?: number;
}

export interface StartOptions {
  configFile: string;
  /** Database URL; default SQLite at `.railyard/railyard.db`. */
  databaseUrl?: string | undefined;
  host?: string;
  port?: number;
  clock?: ClockOptions;
  /** Where deployers keep working copies. @default .railyard/work */
  workDir?: string;
  logger?: Logger;
  adminToken?: string | undefined;
  failpoint?: Failpoint;
  tickIntervalMs?: number;
  /** Do not start the background reconciler (tests that drive ticks themselves). */
  manualTicks?: boolean;
  /** Where the audit signing key's variable (`audit.signingKeyFromEnv`) is read. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** The dashboard's build folder (null: serve none). @default dist/web when built */
  webRoot?: string | null;
  /**
   * How long a dashboard session lasts on the engine's clock, instead of `access.session.ttl` (the
   * demo's simulated clock runs an hour per second, so it scales a real working day).
   */
  sessionTtlMs?: number;
}

export interface RunningServer {
  app: FastifyInstance;
  railyard: Railyard;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** `http://host:port` once listening. */
  url: string;
  close(): Promise<void>;
}

/** Builds the logger used by `serve`: pino JSON lines on stdout (or a file). */
export function createLogger(destination?: string, level = process.env.RAILYARD_LOG_LEVEL ?? "info"): Logger {
  return pino(
    {
      level,
      base: { service: "railyard" },
      redact: ["token", "authorization", "*.token", "*.authorization"],
    },
    destination ? pino.destination({ dest: destination, mkdir: true, sync: false }) : pino.destination(1),
  ) as unknown as Logger;
}

/** A failpoint that kills the process at the named point (crash-safety tests). */
export function failpointFromEnv(spec = process.env.RAILYARD_FAILPOINT): Failpoint | undefined {
  if (!spec) return undefined;
  const names = new Set(spec.split(",").map((s) => s.trim()));
  return (name) => {
    if (names.has(name)) {
      process.stderr.write(`railyard: failpoint ${name} reached; killing the process\n`);
      process.kill(process.pid, "SIGKILL");
    }
  };
}

/** Starts Railyard: store, engine, API. Throws with a clear message when the configuration is invalid. */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger();
  const loaded = await loadConfigFile(options.configFile);
  // Read before the store opens: a malformed key stops the start, naming the variable (never the key).
  const auditSigningKey = signingKeyFromEnv(
    loaded.config.audit.signingKeyFromEnv,
    options.env ?? process.env,
  );
  const store = await openStore({
    ...(options.databaseUrl ? { url: options.databaseUrl } : {}),
    logger,
  });
  try {
    const clock = await buildClock(store, options.clock);
    const baseDir = path.dirname(path.resolve(options.configFile));
    const workDir = path.resolve(options.workDir ?? ".railyard/work");
    // Gates read the Prometheus sources and SLOs of the running configuration, so that a reload applies.
    let railyard: Railyard | undefined;
    const prometheus = () => (railyard?.config ?? loaded.config).prometheus;
    const slos = () => (railyard?.config ?? loaded.config).slos;
    // One probe measures error-budget burn now (the policy) and over an incident (postmortems).
    const probe = createBudgetProbe({ config: () => railyard?.config ?? loaded.config });
    railyard = await Railyard.create({
      store,
      clock,
      logger,
      config: loaded,
      deployerFactory: createDeployerFactory({ baseDir, workDir }),
      gates: createGateRunner({ baseDir, prometheus, slos }),
      budget: probe,
      sloBurn: probe,
      errorRate: createErrorRateProbe({ config: () => railyard?.config ?? loaded.config }),
      loadConfig: () => loadConfigFile(options.configFile),
      ...(options.adminToken ? { adminToken: options.adminToken } : {}),
      ...(options.failpoint ? { failpoint: options.failpoint } : {}),
      ...(options.tickIntervalMs ? { tickIntervalMs: options.tickIntervalMs } : {}),
      ...(auditSigningKey ? { auditSigningKey } : {}),
      notify: createNotificationSenderFactory({ env: (options.env ?? process.env) as NodeJS.ProcessEnv }),
    });
    const app = await buildServer({
      railyard,
      logger,
      bodyLimit: railyard.config.access.maxRequestBytes,
      ...(options.webRoot === undefined ? {} : { webRoot: options.webRoot }),
      ...(options.sessionTtlMs === undefined ? {} : { sessionTtlMs: options.sessionTtlMs }),
    });
    await app.listen({ host: options.host ?? "127.0.0.1", port: options.port ?? 7300 });
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : options.port;
    const url = `http://${options.host ?? "127.0.0.1"}:${port}`;
    if (!options.manualTicks) await railyard.start();
    logger.info({ url, store: store.dialect, config: loaded.meta.source }, "railyard listening");
    let closed = false;
    return {
      app,
      railyard,
      store,
      clock,
      logger,
      url,
      async close() {
        if (closed) return;
        closed = true;
        await railyard.stop();
        await app.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

async function buildClock(store: Store, options: ClockOptions | undefined): Promise<Clock> {
  if (!options || options.kind === "real") return new SystemClock();
  const stored = await store.getSetting("clock.simulated");
  const start = options.start ?? new Date();
  const resumed = stored && Date.parse(stored) > start.getTime() ? new Date(stored) : start;
  return new SimulatedClock({ start: resumed, speed: options.rate ?? 0 });
}
