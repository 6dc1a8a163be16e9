/**
 * Vitest global setup: compiles `src/` into `dist/` once per run (`tsc -p tsconfig.build.json`)
 * and builds the dashboard into `dist/web` (`vite build`), so tests that run `node bin/railyard.js …`
 * as a child process, or open the dashboard in Chromium, exercise the current code.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Builds `dist/` and `dist/web` from the repository root; throws (failing the run) when the build fails. */
export default async function setup(): Promise<void> {
  execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "inherit" });
  execFileSync("npx", ["vite", "build", "--config", "web/vite.config.ts", "--logLevel", "warn"], {
    cwd: ROOT,
    stdio: "inherit",
  });
}
