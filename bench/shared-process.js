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
import { startBare } from "./bare-app.js";
import { componentNames } from "./config.js";
import { startIngestServer } from "./ingest-setup.js";
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
  const { server, token, counters } = await startIngestServer({ configFile, databaseFile, workDir, logFile });
  const quiet = async () => {
    while (counters.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  };
  await cannon(server.url, token, settings.warmup, settings, nextBody);
  await quiet();
  const before = { created: counters.created, ...count(databaseFile) };
  const measured = await cannon(server.url, token, settings.duration, settings, nextBody);
  await quiet();
  const after = { created: counters.created, ...count(databaseFile) };
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
