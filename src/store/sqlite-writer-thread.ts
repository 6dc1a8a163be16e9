/**
 * Moves SQLite's artifact batches off the event loop. better-sqlite3 is synchronous: on the main
 * thread every statement, and the fsync of every COMMIT, stops the HTTP server. A worker thread
 * with its own connection to the same WAL database runs `appendArtifacts` instead; the main
 * thread keeps its connection for everything else. The two writers take SQLite's write lock in
 * turn (`BEGIN IMMEDIATE`, busy timeout), and the event chain's head is compare-and-set, so each
 * side notices the other's appends.
 *
 * Only the compiled build has the worker's `.js` file; run from TypeScript sources (tests),
 * {@link SqliteWriterThread.available} is false and batches run on the calling thread.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Instant } from "../domain/model.js";
import type { ArtifactAppend, ArtifactAppendResult } from "../engine/ports.js";
import { StoreError } from "./errors.js";

const DEFAULT_WORKER = fileURLToPath(new URL("./sqlite-writer-worker.js", import.meta.url));

interface Pending {
  resolve: (results: ArtifactAppendResult[]) => void;
  reject: (error: Error) => void;
}

/** A worker thread writing artifact batches to a SQLite file. */
export class SqliteWriterThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  readonly #ready: Promise<void>;
  #next = 1;
  #failed: Error | null = null;
  #closing: Promise<void> | null = null;

  /** True when the compiled worker file exists (false when running from TypeScript sources). */
  static available(workerFile: string = DEFAULT_WORKER): boolean {
    return existsSync(workerFile);
  }

  /** Starts the worker on the database at `url` (already migrated). */
  constructor(url: string, workerFile: string = DEFAULT_WORKER) {
    this.#worker = new Worker(workerFile, { workerData: { url } });
    this.#worker.unref();
    this.#ready = new Promise<void>((resolve, reject) => {
      const onMessage = (message: { ready?: boolean }) => {
        if (message.ready) {
          this.#worker.off("message", onMessage);
          resolve();
        }
      };
      this.#worker.on("message", onMessage);
      this.#worker.once("error", reject);
    });
    this.#worker.on(
      "message",
      (message: {
        id?: number;
        results?: ArtifactAppendResult[];
        error?: { name: string; message: string };
      }) => {
        if (message.id === undefined) return;
        const pending = this.#pending.get(message.id);
        if (!pending) return;
        this.#pending.delete(message.id);
        if (message.error) pending.reject(new StoreError(`SQLite writer thread: ${message.error.message}`));
        else pending.resolve(message.results ?? []);
      },
    );
    this.#worker.on("error", (error) => this.#fail(error));
    this.#worker.on("exit", (code) => {
      if (!this.#closing) this.#fail(new StoreError(`SQLite writer thread exited (code ${code})`));
    });
  }

  /** False once the worker has failed or is closing: callers then write on their own thread. */
  get alive(): boolean {
    return this.#failed === null && this.#closing === null;
  }

  /** Waits until the worker has opened its connection. @throws when it could not */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** Runs one batch on the worker. @throws {StoreError} when the batch or the worker failed */
  appendArtifacts(items: ArtifactAppend[], time: Instant): Promise<ArtifactAppendResult[]> {
    if (this.#failed) return Promise.reject(this.#failed);
    if (this.#closing) return Promise.reject(new StoreError("the store is closed"));
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.ref();
      this.#worker.postMessage({ id, items, time });
    }).finally(() => {
      if (this.#pending.size === 0) this.#worker.unref();
    }) as Promise<ArtifactAppendResult[]>;
  }

  /** Lets the batches in flight finish, closes the worker's connection and stops it. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      // Keep the process alive until the worker has closed its connection.
      this.#worker.ref();
      if (!this.#failed) {
        const id = this.#next++;
        await new Promise<void>((resolve) => {
          const onMessage = (message: { id?: number; closed?: boolean }) => {
            if (message.id === id && message.closed) {
              this.#worker.off("message", onMessage);
              resolve();
            }
          };
          this.#worker.on("message", onMessage);
          this.#worker.once("exit", () => resolve());
          this.#worker.postMessage({ id, close: true });
        });
      }
      await this.#worker.terminate();
    })();
    return this.#closing;
  }

  #fail(error: Error): void {
    this.#failed ??= error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}
