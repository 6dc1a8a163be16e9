/**
 * Pieces of a train shown both on the train page (from GET /api/v1/trains/{id}) and in the
 * on-call view (from GET /api/v1/trains?include=progress): the rollout's waves as a progress bar
 * with words, how long the train has been in its state, and what it waits for.
 */
import type { ReactNode } from "react";
import type { TrainDetail, TrainInFlight } from "../api/client";
import { useServerNow } from "../api/clock";
import { StateBadge, Time } from "../components/ui";
import { formatDuration, words } from "../format";

const SEGMENT: Record<string, string> = {
  done: "done",
  deploying: "current",
  baking: "current",
  verifying: "current",
  failed: "failed",
  rolled_back: "failed",
  pending: "",
};

/** The rollout's waves: a segmented bar (decorative) and each wave's status and environments in words. */
export function WaveProgress({ detail }: { detail: Pick<TrainInFlight, "train" | "waves"> }) {
  const { waves } = detail;
  if (waves.length === 0)
    return <p className="muted">No rollout waves: the train's line is not in the configuration in force.</p>;
  const done = waves.filter((w) => w.status === "done").length;
  return (
    <div className="wave-progress">
      <p className="visually-hidden">
        {done} of {waves.length} waves done.
      </p>
      <div className="progress" aria-hidden="true">
        {waves.map((wave) => (
          <span key={wave.name} className={SEGMENT[wave.status] ?? ""} />
        ))}
      </div>
      <ol className="wave-list">
        {waves.map((wave, index) => (
          <li key={wave.name} aria-current={index === detail.train.currentWave ? "step" : undefined}>
            <span className="wave-name">{wave.name}</span> <StateBadge state={wave.status} />{" "}
            <span className="muted">{wave.environments.join(", ")}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** When the train entered its current state (its latest transition), or its creation. */
export function enteredStateAt(detail: TrainDetail): string {
  for (let i = detail.events.length - 1; i >= 0; i--) {
    const event = detail.events[i]!;
    if (event.type === "train.transitioned" && event.payload.to === detail.train.state) return event.time;
  }
  return detail.train.createdAt;
}

/** "3 h 20 min" since `iso` on the server's clock, ticking by itself (only this text re-renders). */
export function Since({ at }: { at: string }) {
  const now = useServerNow();
  return <>{since(at, now)}</>;
}

/** "3 h 20 min" since `iso` on the server's clock at `now`. */
export function since(iso: string, now: number): string {
  const ms = Math.max(0, now - Date.parse(iso));
  return ms < 60_000 ? "under a minute" : formatDuration(ms);
}

const INSTANT = /(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?Z)/;

/** A server sentence with its ISO instants shown as <Time> (local, UTC on hover). */
export function withTimes(text: string): ReactNode {
  const parts = text.split(INSTANT);
  if (parts.length === 1) return text;
  // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed sentence never reorder
  return parts.map((part, index) => (index % 2 ? <Time key={index} at={part} /> : part));
}

/** What the train waits for, in one sentence, or null when it waits for nothing. */
export function waitingSentence(detail: TrainInFlight): ReactNode {
  const { awaiting, waitingFor, train } = detail;
  if (awaiting) {
    return awaiting.kind === "promote"
      ? `Waiting for a person to promote step ${awaiting.step} of wave ${awaiting.wave}.`
      : `Waiting for an approval of step ${awaiting.step} of wave ${awaiting.wave}.`;
  }
  if (train.state === "paused" && train.pauseCause === "analysis")
    return "Waiting for a person: the canary analysis was inconclusive (promote, resume to re-run it, or roll back).";
  if (waitingFor) return <>Waiting for {withTimes(waitingFor)}.</>;
  if (train.state === "paused" && train.pauseCause)
    return `Paused (${words(train.pauseCause)})${train.pauseCause === "manual" ? ": only a person resumes it." : "."}`;
  return null;
}
