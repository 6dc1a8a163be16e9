/**
 * The Railyard server both ingest layouts measure: `startServer` (what `railyard serve` runs) on
 * a SQLite file, the simulated clock standing still inside the boarding window, info logs to a
 * file, a CI token, and counters of the pushes the engine accepted as new artifacts (each must be
 * exactly one new event and one new artifact row) and of those still in flight.
 */
import { createLogger, startServer } from "../dist/cli/start-server.js";
import { BENCH_NOW } from "./config.js";

const ADMIN_TOKEN = "bench-admin-token";

/** Starts the server; resolves with it, a CI token and live counters `{ created, inFlight }`. */
export async function startIngestServer({ configFile, databaseFile, workDir, logFile }) {
  const server = await startServer({
    configFile,
    databaseUrl: `sqlite:${databaseFile}`,
    port: 0,
    clock: { kind: "simulated", start: BENCH_NOW, rate: 0 },
    workDir,
    logger: createLogger(logFile),
    adminToken: ADMIN_TOKEN,
  });
  const counters = { created: 0, inFlight: 0 };
  const push = server.railyard.pushArtifact.bind(server.railyard);
  server.railyard.pushArtifact = async (input, who) => {
    counters.inFlight++;
    try {
      const result = await push(input, who);
      if (!result.replay) counters.created++;
      return result;
    } finally {
      counters.inFlight--;
    }
  };
  // A CI bot's token, as CI would use (not the admin bootstrap token).
  const answer = await fetch(`${server.url}/api/v1/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({
      name: "bench ci",
      subject: "ci-bot",
      kind: "ci",
      components: Object.keys(server.railyard.config.components),
    }),
  });
  if (answer.status !== 201)
    throw new Error(`creating the CI token: ${answer.status} ${await answer.text()}`);
  const { token } = await answer.json();
  return { server, token, counters };
}
