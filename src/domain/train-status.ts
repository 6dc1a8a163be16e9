/**
 * A train's state in words for people, as the API, the CLI and the dashboard show it: the state,
 * why, and for a paused train when it resumes, in the line's time zone
 * (`paused: outside window — resumes 2026-03-03 10:00 CET (Europe/Berlin)`).
 */
import type { Train } from "./model.js";

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timezone: string): Intl.DateTimeFormat {
  let format = formats.get(timezone);
  if (!format) {
    // en-GB names zones by their abbreviation where one is in use (CET, CEST, GMT, BST).
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone: timezone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    formats.set(timezone, format);
  }
  return format;
}

/**
 * An instant as wall-clock time in a zone: `2026-03-03 10:00 CET (Europe/Berlin)`.
 * @throws {RangeError} when `timezone` is not a time zone.
 */
export function formatLocalInstant(epochMs: number, timezone: string): string {
  const parts: Record<string, string> = {};
  for (const part of formatIn(timezone).formatToParts(epochMs)) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName} (${timezone})`;
}

/** What a train says besides its state: its reason, and when the engine resumes it. Empty when nothing. */
export function trainNote(
  train: Pick<Train, "state" | "reason" | "pauseCause" | "resumeAt">,
  timezone: string,
): string {
  const reason = train.reason ?? "";
  if (train.state === "paused" && train.pauseCause === "budget") {
    return reason ? `${reason} — resumes when the burn falls back under the limit` : reason;
  }
  if (train.state === "paused" && train.pauseCause === "incident") {
    return reason ? `${reason} — resumes when it is resolved` : "resumes when the incident is resolved";
  }
  if (train.state !== "paused" || (train.pauseCause !== "window" && train.pauseCause !== "blackout"))
    return reason;
  const resumes = train.resumeAt
    ? `resumes ${formatLocalInstant(Date.parse(train.resumeAt), timezone)}`
    : train.pauseCause === "window"
      ? "resumes when the window next opens"
      : "resumes when the blackout ends or an exception is granted";
  return reason ? `${reason} — ${resumes}` : resumes;
}

/** The state in words: `paused: outside window — resumes 2026-03-03 10:00 CET (Europe/Berlin)`. */
export function describeTrainState(
  train: Pick<Train, "state" | "reason" | "pauseCause" | "resumeAt">,
  timezone: string,
): string {
  const note = trainNote(train, timezone);
  return note ? `${train.state}: ${note}` : train.state;
}
