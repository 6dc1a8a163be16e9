/**
 * Alerts grouped by train ID: a firing alert joins the open Alertmanager incident of the same
 * train (or of the same line, for alerts matched to a line only); otherwise it opens one. A
 * resolved incident is never joined: the problem came back, and that is a new incident.
 */
import type { Incident, Instant } from "../model.js";

/** Where a firing alert goes. */
export type Grouping =
  | { kind: "join"; incidentId: string }
  | {
      kind: "open";
      /** `inc-<train or line>-<8 hex>`; see {@link incidentIdFor}. */
      incidentId: string;
    };

/** What grouping knows about the alert and its match. */
export interface AlertToGroup {
  fingerprint: string;
  startsAt: Instant;
  /** The train the alert was matched to, or null for a line-level alert. */
  trainId: string | null;
  line: string;
}

/**
 * The ID of an incident an alert opens: `inc-<train or line>-<first 8 hex of digest>`, where
 * the digest is SHA-256 of `<fingerprint><startsAt>` (the engine hashes; the domain has no crypto).
 */
export function incidentIdFor(trainOrLine: string, digestHex: string): string {
  return `inc-${trainOrLine}-${digestHex.slice(0, 8)}`;
}

/** What is hashed for {@link incidentIdFor}. */
export const incidentDigestInput = (fingerprint: string, startsAt: Instant): string =>
  `${fingerprint}${startsAt}`;

/**
 * Groups a firing alert: the open incident raised by Alertmanager for the same train (line-level
 * alerts: for the same line and no train) is joined, the oldest first; else a new one opens.
 * Incidents opened by people or by a failed rollback are not joined, so an alert's resolution
 * never closes them.
 */
export function groupAlert(
  alert: AlertToGroup,
  openIncidents: readonly Pick<Incident, "id" | "line" | "trainId" | "status" | "source" | "openedAt">[],
  digestHex: string,
): Grouping {
  const same = openIncidents
    .filter((i) => i.status === "open" && i.source === "alertmanager")
    .filter((i) =>
      alert.trainId !== null ? i.trainId === alert.trainId : i.trainId === null && i.line === alert.line,
    )
    .sort((a, b) => a.openedAt.localeCompare(b.openedAt));
  const first = same[0];
  if (first) return { kind: "join", incidentId: first.id };
  return { kind: "open", incidentId: incidentIdFor(alert.trainId ?? alert.line, digestHex) };
}
