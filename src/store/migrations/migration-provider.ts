/**
 * The migrations, listed in code rather than found by scanning a folder, so they run the same
 * from `src/` under vitest and from `dist/` in a package.
 */
import type { Migration, MigrationProvider } from "kysely";
import type { StoreDialect } from "../database.js";
import { initialMigration } from "./0001-initial.js";
import { timetableMigration } from "./0002-timetable.js";
import { boardingMigration } from "./0003-boarding.js";
import { gatesMigration } from "./0004-gates.js";
import { checklistsMigration } from "./0005-checklists.js";
import { rolloutMigration } from "./0006-rollout.js";
import { accessMigration } from "./0007-access.js";
import { observabilityMigration } from "./0008-observability.js";
import { dashboardMigration } from "./0009-dashboard.js";

/** Every migration, by name in the order they run. Names never change once released. */
export function railyardMigrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    "0001-initial": initialMigration(dialect),
    "0002-timetable": timetableMigration(dialect),
    "0003-boarding": boardingMigration(dialect),
    "0004-gates": gatesMigration(dialect),
    "0005-checklists": checklistsMigration(dialect),
    "0006-rollout": rolloutMigration(dialect),
    "0007-access": accessMigration(dialect),
    "0008-observability": observabilityMigration(dialect),
    "0009-dashboard": dashboardMigration(),
  };
}

/** A Kysely `MigrationProvider` over an in-code record of migrations. */
export class InCodeMigrationProvider implements MigrationProvider {
  constructor(private readonly migrations: Record<string, Migration>) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    return this.migrations;
  }
}
