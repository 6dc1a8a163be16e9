/**
 * The SQLite writer thread (see `sqlite-writer-thread.ts`): its own connection to the database
 * file, on which it runs `appendArtifacts` batches, so their hashing, SQL and the COMMIT's fsync
 * happen off the main thread's event loop. Messages in: `{ id, items, time }` or `{ close }`;
 * out: `{ id, results }` or `{ id, error }`.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Instant } from "../domain/model.js";
import type { ArtifactAppend } from "../engine/ports.js";
import { appendArtifactsIn } from "./append-artifacts.js";
import { openStore } from "./open-store.js";

interface Request {
  id: number;
  items?: ArtifactAppend[];
  time?: Instant;
  close?: true;
}

const port = parentPort;
if (!port) throw new Error("sqlite-writer-worker runs as a worker thread");
const { url } = workerData as { url: string };
// The main thread opened (and migrated) the database first; this connection only writes batches.
const store = await openStore({ url, inlineWriter: true });
port.postMessage({ ready: true });

// One batch at a time, in arrival order.
let queue: Promise<unknown> = Promise.resolve();
port.on("message", (request: Request) => {
  queue = queue.then(async () => {
    if (request.close) {
      await store.close();
      port.postMessage({ id: request.id, closed: true });
      return;
    }
    try {
      const results = await appendArtifactsIn(store, request.items ?? [], request.time!);
      port.postMessage({ id: request.id, results });
    } catch (error) {
      const e = error as Error;
      port.postMessage({ id: request.id, error: { name: e.name, message: e.message } });
    }
  });
});
