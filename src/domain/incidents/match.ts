/**
 * Which train (or line) an alert is about, from its labels and the time it started. The engine
 * looks up the candidate trains; this module chooses among them, in this order:
 *
 * 1. `train_id`: the train of that ID.
 * 2. `component` + `version`: the train that carried that version (of several, the one that
 *    reached production last; of several that never did, only a single one is chosen).
 * 3. `environment` (+ optional `component`): of the lines whose waves include the environment
 *    (and that carry the component), the train deploying or verifying at `startsAt`, else the
 *    train released less than the line's `attributionWindow` before `startsAt`.
 * 4. The `line` label, else the lines carrying `component`: a line-level incident.
 * 5. Otherwise the alert is ignored, with the reason.
 */
import type { Instant } from "../model.js";
import type { TrainState } from "../train-state.js";

/** A train the engine offers as a candidate, with the facts matching needs. */
export interface TrainCandidate {
  id: string;
  line: string;
  state: TrainState;
  /** When its first production wave started (`depart`); null when it never departed. */
  departedAt: Instant | null;
  /** When it left production (released, rolled back, aborted); null while it is still there. */
  endedAt: Instant | null;
  /** Released (not rolled back or aborted). */
  released: boolean;
  /** The boarded component versions it carries. */
  carries: ReadonlyArray<{ component: string; version: string }>;
}

/** What matching needs to know about a configured line. */
export interface LineFacts {
  name: string;
  components: readonly string[];
  /** The production environments of its waves. */
  environments: readonly string[];
  /** `incidents.attributionWindow` in ms. */
  attributionWindowMs: number;
}

/** How an alert was matched. */
export type AlertMatch =
  | { kind: "train"; trainId: string; line: string; by: "train_id" | "component+version" | "environment" }
  | { kind: "line"; lines: string[]; by: "line" | "component" }
  | { kind: "ignored"; reason: string };

/** An alert's identifying part. */
export interface AlertToMatch {
  labels: Readonly<Record<string, string>>;
  startsAt: Instant;
}

/**
 * Matches an alert to a train or line(s). `candidates` must hold the train named by `train_id`,
 * the trains of the lines carrying `component`, and the trains of the lines deploying to
 * `environment` that could have been in production at `startsAt` (the engine looks them up).
 */
export function matchAlert(
  alert: AlertToMatch,
  candidates: readonly TrainCandidate[],
  lines: readonly LineFacts[],
): AlertMatch {
  const { labels } = alert;
  const trainId = labels.train_id?.trim();
  if (trainId) {
    const train = candidates.find((c) => c.id === trainId);
    if (train) return { kind: "train", trainId: train.id, line: train.line, by: "train_id" };
    return { kind: "ignored", reason: `label train_id names no train ("${trainId}")` };
  }
  const component = labels.component?.trim() || undefined;
  const version = labels.version?.trim() || undefined;
  const startsAt = Date.parse(alert.startsAt);
  if (component && version) {
    const carriers = candidates.filter((c) =>
      c.carries.some((item) => item.component === component && item.version === version),
    );
    const departed = carriers
      .filter((c) => c.departedAt !== null)
      .sort((a, b) => Date.parse(b.departedAt!) - Date.parse(a.departedAt!));
    const chosen = departed[0] ?? (carriers.length === 1 ? carriers[0] : undefined);
    if (chosen) return { kind: "train", trainId: chosen.id, line: chosen.line, by: "component+version" };
  }
  const environment = labels.environment?.trim() || undefined;
  if (environment && !Number.isNaN(startsAt)) {
    const byEnvironment = attributeByEnvironment(environment, component, startsAt, candidates, lines);
    if (byEnvironment) return byEnvironment;
  }
  const lineLabel = labels.line?.trim();
  if (lineLabel && lines.some((l) => l.name === lineLabel))
    return { kind: "line", lines: [lineLabel], by: "line" };
  if (component) {
    const carrying = lines.filter((l) => l.components.includes(component)).map((l) => l.name);
    if (carrying.length > 0) return { kind: "line", lines: carrying, by: "component" };
  }
  return { kind: "ignored", reason: ignoredReason(labels, lines) };
}

function attributeByEnvironment(
  environment: string,
  component: string | undefined,
  startsAt: number,
  candidates: readonly TrainCandidate[],
  lines: readonly LineFacts[],
): AlertMatch | null {
  const eligible = new Map(
    lines
      .filter((l) => l.environments.includes(environment))
      .filter((l) => component === undefined || l.components.includes(component))
      .map((l) => [l.name, l]),
  );
  const ofLines = candidates.filter((c) => eligible.has(c.line) && c.departedAt !== null);
  const rollingOut = ofLines.filter(
    (c) => Date.parse(c.departedAt!) <= startsAt && (c.endedAt === null || Date.parse(c.endedAt) > startsAt),
  );
  const one = (list: TrainCandidate[]): TrainCandidate | undefined =>
    new Set(list.map((c) => c.line)).size === 1 ? list[0] : undefined;
  if (rollingOut.length > 0) {
    rollingOut.sort((a, b) => Date.parse(b.departedAt!) - Date.parse(a.departedAt!));
    const chosen = one(rollingOut);
    // Trains of several lines in production at once: the alert cannot say whose it is.
    return chosen ? { kind: "train", trainId: chosen.id, line: chosen.line, by: "environment" } : null;
  }
  const recent = ofLines
    .filter((c) => c.released && c.endedAt !== null)
    .filter((c) => {
      const ended = Date.parse(c.endedAt!);
      return ended <= startsAt && startsAt - ended < eligible.get(c.line)!.attributionWindowMs;
    })
    .sort((a, b) => Date.parse(b.endedAt!) - Date.parse(a.endedAt!));
  if (recent.length === 0) return null;
  // The latest release before the alert is the likeliest cause, whatever line it was on.
  const chosen = recent[0]!;
  return { kind: "train", trainId: chosen.id, line: chosen.line, by: "environment" };
}

function ignoredReason(labels: Readonly<Record<string, string>>, lines: readonly LineFacts[]): string {
  if (labels.line) return `label line names no configured line ("${labels.line}")`;
  if (labels.component)
    return `no configured line carries component "${labels.component}" and no train matched its labels`;
  if (labels.environment)
    return `no train was deploying to environment "${labels.environment}" or released there within the attribution window`;
  return `no label says which train or line it is about: add train_id, component + version, environment, or line (configured lines: ${lines.map((l) => l.name).join(", ") || "none"})`;
}
