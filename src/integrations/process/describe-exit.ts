/**
 * One line saying how a program ended, for people reading a gate's or a deployment's output.
 */
import { formatDuration } from "../../domain/duration.js";
import type { ProcessResult } from "./run-process.js";

/** `exit code 1 after 1.2s`, `timed out after 5m`, `aborted after 340ms`, `killed by SIGKILL after 2.0s`. */
export function describeExit(result: ProcessResult, timeoutMs: number): string {
  if (result.timedOut) return `timed out after ${formatDuration(timeoutMs)}`;
  const after = `after ${formatElapsed(result.durationMs)}`;
  if (result.aborted) return `aborted ${after}`;
  if (result.exitCode !== null) return `exit code ${result.exitCode} ${after}`;
  return `killed by ${result.signal ?? "a signal"} ${after}`;
}

/** Formats an elapsed time: `340ms`, `1.2s`, `2m5s`. */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  return seconds > 0 ? `${minutes}m${seconds}s` : `${minutes}m`;
}

/** The last `maxChars` characters of a text, marked when cut. */
export function tail(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `[…]${text.slice(text.length - maxChars)}`;
}
