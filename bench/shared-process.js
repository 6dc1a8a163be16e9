/**
 * Child process of `bench/run.js` for the shared layout: the server (bare route or Railyard) and
 * autocannon in one process, as the reference figures were measured (a bare route there
 * does about 26,000 requests/s on this 2-core machine, and it does here in this layout). The
 * second core is then free for what the server does off its event loop (on SQLite, Railyard's
 * writer thread). Sends `{ type: "result", result }` and exits.
 *
 * argv: bare <settings JSON> | ingest <settings JSON> <config file> <database file> <work dir> <log file>
 */
import BetterSqlite3 from "better-sqlite3";
import { createLogger, startServer } from "../dist/cli/start-server.js";
import { startBare } from "./bare-app.js";
import { BENCH_NOW, componentNames } from "./config.js";
import { cannon, httpResult, pushBodies } from "./load.js";

const [kind, settingsJson, configFile, databaseFile, workDir, logFile] = process.argv.slice(2);
const settings = JSON.parse(settingsJson);
const nextBody = pushBodies(componentNames(50));

function count(file) {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return {
      events: db.prepare("select count(*) as n from events where type = 'artifact.pushed'").get().n,
      artifacts: db.prepare("select count(*) as n from artifacts").get().n,
    };
  } finally {
    db.close();
  }
}

let result;
if (kind === "bare") {
  const { url, close } = await startBare();
  await cannon(url, "unused", settings.warmup, settings, nextBody);
  result = httpResult(await cannon(url, "unused", settings.duration, settings, nextBody));
  await close();
} else {
  const ADMIN = "bench-admin-token";
  const server = await startServer({
    configFile,
    databaseUrl: `sqlite:${databaseFile}`,
    port: 0,
    clock: { kind: "simulated", start: BENCH_NOW, rate: 0 },
    workDir,
    logger: createLogger(logFile),
    adminToken: ADMIN,
  });
  let inFlight = 0;
  let created = 0;
  const push = server.railyard.pushArtifact.bind(server.railyard);
  server.railyard.pushArtifact = async (input, who) => {
    inFlight++;
    try {
      const answer = await push(input, who);
      if (!answer.replay) created++;
      return answer;
    } finally {
      inFlight--;
    }
  };
  const tokenAnswer = await fetch(`${server.url}/api/v1/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN}` },
    body: JSON.stringify({ name: "bench ci", subject: "ci-bot", roles: ["ci"] }),
  });
  const { token } = await tokenAnswer.json();
  const quiet = async () => {
    while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  };
  await cannon(server.url, token, settings.warmup, settings, nextBody);
  await quiet();
  const before = { created, ...count(databaseFile) };
  const measured = await cannon(server.url, token, settings.duration, settings, nextBody);
  await quiet();
  const after = { created, ...count(databaseFile) };
  const chain = await server.store.verifyChain();
  await server.close();
  result = httpResult(measured);
  const check = {
    clientSaw201: result.statusCodes["201"] ?? 0,
    engineCreated: after.created - before.created,
    newEvents: after.events - before.events,
    newArtifacts: after.artifacts - before.artifacts,
    chain: chain.ok ? `valid (${chain.events} events)` : `BROKEN at ${chain.brokenAt}: ${chain.problem}`,
  };
  check.ok =
    chain.ok &&
    check.engineCreated === check.newEvents &&
    check.newEvents === check.newArtifacts &&
    check.clientSaw201 <= check.engineCreated &&
    check.engineCreated - check.clientSaw201 <= settings.connections &&
    Object.keys(result.statusCodes).every((code) => code === "201") &&
    result.errors === 0;
  result.check = check;
}
process.send({ type: "result", result }, () => process.exit(0));
