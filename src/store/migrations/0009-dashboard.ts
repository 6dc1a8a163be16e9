/**
 * The dashboard (issue 9). Only an addition: `gate_results_type_event` on (`type`, `event_id`), so
 * "the latest canary analyses across trains" (`GET /api/v1/gate-results?type=canary`) reads the
 * newest rows of one type from the index instead of scanning every gate result.
 */
import type { Kysely, Migration } from "kysely";

/** Builds migration `0009-dashboard` (the same for both dialects). */
export function dashboardMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex("gate_results_type_event")
        .on("gate_results")
        .columns(["type", "event_id"])
        .execute();
    },
  };
}
