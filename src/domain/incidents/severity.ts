/**
 * An alert's severity from its `severity` label: Alertmanager setups name them `critical`/`page`
 * (wake someone up) or `warning`/`ticket` (look at it in working hours).
 */
import type { IncidentSeverity } from "../model.js";

/**
 * Maps the `severity` label (case-insensitive): critical|page → critical, warning|ticket →
 * warning, anything else or none → info.
 */
export function severityOf(labels: Readonly<Record<string, string>>): IncidentSeverity {
  const value = (labels.severity ?? "").trim().toLowerCase();
  if (value === "critical" || value === "page") return "critical";
  if (value === "warning" || value === "ticket") return "warning";
  return "info";
}
