/**
 * A Railyard engine in the test process on a given store, for tests of the engine's own work
 * (group commits, webhook deliveries, audit checkpoints): the world's configuration, a simulated
 * clock, silent logs, and no deployer or gate (nothing in these tests deploys or gates).
 */
import pino from "pino";
import { parseConfigOrThrow } from "../../src/domain/config/load.js";
import type { AuditSigningKey } from "../../src/engine/audit-keys.js";
import { SimulatedClock } from "../../src/engine/clock.js";
import type { Logger, Store } from "../../src/engine/ports.js";
import { Railyard } from "../../src/engine/railyard.js";
import { WORLD_START, type WorldOptions, worldConfig } from "./world.js";

export interface EngineOptions {
  /** Options of the world's configuration (more top-level keys, other components). */
  world?: WorldOptions;
  /** @default a simulated clock at the world's start */
  clock?: SimulatedClock;
  adminToken?: string;
  auditSigningKey?: AuditSigningKey;
}

/** Builds the engine (not started: tests tick it themselves). */
export async function inProcessEngine(store: Store, options: EngineOptions = {}): Promise<Railyard> {
  const { config, hash } = parseConfigOrThrow(
    worldConfig("/nonexistent/gitops.git", options.world ?? {}),
    "railyard.yaml",
  );
  return Railyard.create({
    store,
    clock: options.clock ?? new SimulatedClock({ start: WORLD_START }),
    logger: pino({ level: "silent" }) as unknown as Logger,
    config: { config, meta: { source: "railyard.yaml", hash } },
    deployerFactory: () => {
      throw new Error("nothing deploys in these tests");
    },
    gates: {
      run: () => {
        throw new Error("no gate runs in these tests");
      },
    },
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
    ...(options.auditSigningKey ? { auditSigningKey: options.auditSigningKey } : {}),
  });
}
