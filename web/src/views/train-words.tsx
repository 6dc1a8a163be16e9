/**
 * Words for trains shared by the trains list, the train page and the on-call view: the states in
 * lifecycle order (on-call's states are in `api/queries.ts`), and each audit event type and
 * payload as a short sentence.
 */
import type { StoredEvent } from "../api/client";
import { formatDuration, words } from "../format";

/** Every train state, in lifecycle order: the domain's own list (pure code, bundled as is). */
export { TRAIN_STATES } from "../../../src/domain/train-state.js";

/** Event types in words ("train.transitioned" → "State changed"). */
const EVENT_WORDS: Record<string, string> = {
  "train.created": "Train created",
  "train.transitioned": "State changed",
  "exception.granted": "Blackout exception granted",
  "artifact.pushed": "Artifact pushed",
  "artifact.carried": "Carried to the next train",
  "manifest.frozen": "Manifest frozen",
  "component.dropped": "Component dropped",
  "ci.reported": "CI status",
  "component.pinned": "Component pinned",
  "component.unpinned": "Component unpinned",
  "report.received": "Report received",
  "tests.reported": "Test results",
  "waiver.granted": "Waiver granted",
  "waiver.revoked": "Waiver revoked",
  "checklist.ticked": "Checklist item ticked",
  "step.started": "Step started",
  "step.finished": "Step finished",
  "gate.evaluated": "Gate evaluated",
  "approval.recorded": "Approval recorded",
  "deployment.recorded": "Deployment",
  "rollout.marked": "Rollout step marked",
  "component.rolled_back": "Component rolled back",
  "incident.opened": "Incident opened",
  "incident.alert": "Alert",
  "alert.suppressed": "Alert suppressed",
  "incident.resolved": "Incident resolved",
  "release.measured": "Release measured",
  "action.audited": "Action audited",
  "access.denied": "Access denied",
};

/** An event type in words. */
export function eventWords(type: string): string {
  return EVENT_WORDS[type] ?? words(type.replace(".", " "));
}

const str = (value: unknown): string | null =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : null;

/** The first line of a text, cut to `max` characters. */
export function firstLine(text: string | null | undefined, max = 160): string {
  const line = (text ?? "").split("\n")[0] ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** One line saying what the event's payload holds. */
export function eventSummary(event: Pick<StoredEvent, "type" | "payload">): string {
  const p = event.payload;
  switch (event.type) {
    case "train.created":
      return `${str(p.kind) ?? "scheduled"} train of ${str(p.line) ?? "?"}${p.reason ? `: ${str(p.reason)}` : ""}`;
    case "train.transitioned": {
      const base = `${words(str(p.from) ?? "?")} → ${words(str(p.to) ?? "?")}`;
      const cause = p.cause ? ` (${str(p.cause)})` : "";
      const scope =
        p.scope && typeof p.scope === "object" && "wave" in p.scope ? ` wave ${str(p.scope.wave)}` : "";
      return `${base}${cause}${scope}${p.reason ? `: ${firstLine(str(p.reason))}` : ""}`;
    }
    case "exception.granted":
      return `through ${str(p.blackout)}: ${str(p.reason)}`;
    case "artifact.pushed":
      return `${str(p.component)} ${str(p.version)}${p.late ? " (late)" : ""}${p.boardedTrain ? ` boarded ${str(p.boardedTrain)}` : " boarded no train"}`;
    case "artifact.carried":
      return `${str(p.component)} ${str(p.version)} rides ${str(p.toTrain)}: ${firstLine(str(p.reason))}`;
    case "manifest.frozen": {
      const items = Array.isArray(p.items) ? (p.items as Array<Record<string, unknown>>) : [];
      const count = (status: string) => items.filter((item) => item.status === status).length;
      return `revision ${str(p.revision)}: ${count("boarded")} boarded, ${count("held")} held, ${count("dropped")} dropped`;
    }
    case "component.dropped":
      return `${str(p.component)}: ${str(p.reason)}`;
    case "component.pinned":
    case "component.unpinned":
      return `${str(p.component)}: ${str(p.reason)}`;
    case "report.received":
      return `${str(p.kind)} (${str(p.format)}) for ${str(p.component)} ${str(p.version)}`;
    case "tests.reported": {
      const s = (p.summary ?? {}) as Record<string, unknown>;
      return `${str(p.suite)}: ${str(s.passed)} passed, ${str(s.failed)} failed of ${str(s.tests)}`;
    }
    case "waiver.granted":
      return `${str(p.finding)} for ${str(p.component)}`;
    case "checklist.ticked":
      return `${str(p.gate)}: ${str(p.item)}${p.note ? ` (${str(p.note)})` : ""}`;
    case "step.started":
      return `${str(p.kind)} ${str(p.key)}, attempt ${str(p.attempt)}`;
    case "step.finished":
      return `${str(p.key)} ${str(p.status) ?? ""} in ${formatDuration(Number(p.durationMs))}${p.error ? `: ${firstLine(str(p.error))}` : ""}`;
    case "gate.evaluated":
      return `${str(p.gate)} (${str(p.stage) ?? str(p.type)}): ${str(p.verdict) ?? str(p.status)}, ${firstLine(str(p.output), 120)}`;
    case "approval.recorded":
      return `${str(p.approver)} ${p.decision === "reject" ? "rejected" : "approved"}${p.comment ? `: ${str(p.comment)}` : ""}`;
    case "deployment.recorded":
      return `${str(p.action) === "rollback" ? "rolled back" : "deployed"} ${str(p.component)} ${str(p.previousVersion) ?? "∅"} → ${str(p.version) ?? "∅"} in ${str(p.environment)} (wave ${str(p.wave)})`;
    case "rollout.marked":
      return `${str(p.kind)} step ${str(p.step)} of wave ${str(p.wave)}${p.comment ? `: ${str(p.comment)}` : ""}`;
    case "component.rolled_back":
      return `${str(p.component)}: ${str(p.reason)}`;
    case "incident.opened":
      return `${str(p.severity) ?? "critical"}: ${str(p.title)}`;
    case "incident.alert":
      return `${str(p.alertname)} ${str(p.status)} (${str(p.severity)})`;
    case "alert.suppressed":
      return `${str(p.alertname)} during ${str(p.window)}`;
    case "incident.resolved":
      return `${str(p.incidentId)}: ${str(p.resolution)}`;
    case "release.measured":
      return firstLine(str(p.detail));
    case "action.audited":
      return `${str(p.action)}`;
    case "access.denied":
      return `${str(p.action)}: ${str(p.reason)}`;
    default: {
      const text = JSON.stringify(p);
      return text === "{}" ? "" : firstLine(text, 140);
    }
  }
}
