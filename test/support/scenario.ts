/**
 * The usual shape of an end-to-end test against an in-process server: a fresh world and server
 * per test (cleaned up after it), artifacts pushed the way CI pushes them, a train's detail read
 * from the API. Call {@link useWorldScenario} inside a `describe`.
 */
import { afterEach, expect } from "vitest";
import type { TrainDetail } from "../../src/engine/railyard.js";
import type { TestDialect } from "./dialects.js";
import { startTestServer, type TestServer } from "./server.js";
import { createWorld, type World, type WorldOptions } from "./world.js";

/** A deterministic 40-character commit for a component version. */
export const commitOf = (component: string, version: string): string =>
  Buffer.from(`${component}@${version}`).toString("hex").padEnd(40, "0").slice(0, 40);

export interface WorldScenario {
  /** Creates the world and its server (clock at the world's start, one settle done). */
  setup(options?: WorldOptions): Promise<{ world: World; server: TestServer }>;
  /** Pushes each `component: version`, optionally to a named train; every push must be accepted. */
  board(server: TestServer, versions: Record<string, string>, train?: string): Promise<void>;
  /** `GET /api/v1/trains/{id}`, which must answer 200. */
  detail(server: TestServer, id: string): Promise<TrainDetail>;
  /**
   * Drives shop-1 to released with db, api and web 1.0.0 (cut-off, departure, bake); the clock
   * is then 09:30 UTC on 2 March, 21h30m before shop-2's cut-off.
   */
  releaseFirst(server: TestServer): Promise<void>;
}

export function useWorldScenario(dialect: TestDialect): WorldScenario {
  let world: World | undefined;
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.cleanup();
    await world?.cleanup();
    server = undefined;
    world = undefined;
  });

  return {
    async setup(options = {}) {
      world = await createWorld(options);
      server = await startTestServer(world, dialect);
      await server.advance("0s");
      return { world, server };
    },
    async board(s, versions, train) {
      for (const [component, version] of Object.entries(versions)) {
        const answer = await s.request("POST", "/api/v1/artifacts", {
          component,
          version,
          commit: commitOf(component, version),
          ...(train ? { train } : {}),
        });
        expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      }
    },
    async detail(s, id) {
      const answer = await s.request<TrainDetail>("GET", `/api/v1/trains/${id}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body;
    },
    async releaseFirst(s) {
      for (const component of ["db", "api", "web"]) {
        const answer = await s.request("POST", "/api/v1/artifacts", {
          component,
          version: "1.0.0",
          commit: commitOf(component, "1.0.0"),
        });
        expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      }
      await s.advance("2h");
      await s.advance("2h");
      await s.advance("30m");
      const shop1 = await s.request<TrainDetail>("GET", "/api/v1/trains/shop-1");
      expect(shop1.body.train.state).toBe("released");
    },
  };
}
