/**
 * Reads the alerts grouped into incidents (`incident_alerts`, projected from `incident.alert`).
 */
import type { Kysely } from "kysely";
import type { IncidentAlert } from "../domain/model.js";
import type { IncidentAlertFilter } from "../engine/ports.js";
import type { Database } from "./database.js";

/** Alerts of one incident and/or with one fingerprint, oldest change first. */
export async function listIncidentAlerts(
  db: Kysely<Database>,
  filter: IncidentAlertFilter = {},
): Promise<IncidentAlert[]> {
  let query = db.selectFrom("incident_alerts").selectAll();
  if (filter.incidentId !== undefined) query = query.where("incident_id", "=", filter.incidentId);
  if (filter.fingerprint !== undefined) query = query.where("fingerprint", "=", filter.fingerprint);
  const rows = await query.orderBy("event_id").execute();
  return rows.map((row) => ({
    incidentId: row.incident_id,
    fingerprint: row.fingerprint,
    alertname: row.alertname,
    status: row.status as IncidentAlert["status"],
    severity: row.severity as IncidentAlert["severity"],
    labels: JSON.parse(row.labels) as Record<string, string>,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    updatedAt: row.updated_at,
  }));
}
