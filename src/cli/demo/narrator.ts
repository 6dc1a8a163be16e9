/**
 * Tells the demo's story on the terminal as it happens: each train transition, artifact,
 * approval, rollback and incident, stamped with the simulated local time.
 */
import type { StoredEvent } from "../../domain/events.js";
import { type Output, paint, state } from "../output.js";

const TIME = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Berlin",
  weekday: "short",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

/** Renders an event for the demo's narration, or null for events it leaves out. */
export function narrate(out: Output, event: StoredEvent): string | null {
  const time = paint(out, "dim", TIME.format(new Date(event.time)).replace(",", ""));
  const train = paint(out, "bold", (event.trainId ?? "").padEnd(11));
  const p = event.payload as unknown as Record<string, unknown>;
  switch (event.type) {
    case "train.transitioned": {
      if (p.to === "boarding") return `${time}  ${train} ${state(out, "boarding")}`;
      const reason = p.reason ? paint(out, "dim", `  ${p.reason}`) : "";
      return `${time}  ${train} ${state(out, String(p.to))}${reason}`;
    }
    case "artifact.carried":
      return `${time}  ${train} ${paint(out, "yellow", "held")} ${p.component} ${p.version} → rides ${p.toTrain}${paint(out, "dim", `  ${p.reason}`)}`;
    case "approval.recorded":
      return `${time}  ${train} ${p.decision === "approve" ? paint(out, "green", "approved") : paint(out, "red", "rejected")} by ${p.approver}`;
    case "gate.evaluated":
      return p.status === "failed"
        ? `${time}  ${train} ${paint(out, "red", "gate failed")} ${p.gate} (${p.stage})`
        : null;
    case "deployment.recorded":
      return p.action === "rollback" && p.environment !== "staging"
        ? `${time}  ${train} ${paint(out, "red", "reverted")} ${p.component} in ${p.environment} ${p.version ? `to ${p.version}` : "(it had never been released)"}`
        : null;
    case "incident.opened":
      return `${time}  ${train} ${paint(out, "red", "incident")} ${p.incidentId} (${p.severity ?? "critical"}): ${p.title}`;
    case "incident.resolved":
      return `${time}  ${train} ${paint(out, "green", "incident resolved")} ${p.incidentId}${paint(out, "dim", `  ${p.resolution}`)}`;
    default:
      return null;
  }
}
