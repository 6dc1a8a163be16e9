/**
 * Checklist gates (issue 5): `checklist_ticks`, one row per tick of an item of a train's checklist
 * gate, for the manifest revision it was given on. Only additions.
 */
import type { Kysely, Migration } from "kysely";
import type { StoreDialect } from "../database.js";

/** Builds migration `0005-checklists` for `dialect`. */
export function checklistsMigration(dialect: StoreDialect): Migration {
  const eventId = dialect === "sqlite" ? "integer" : "bigint";
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("checklist_ticks")
        .addColumn("train_id", "text", (c) => c.notNull().references("trains.id"))
        .addColumn("gate", "text", (c) => c.notNull())
        .addColumn("item", "text", (c) => c.notNull())
        .addColumn("revision", "integer", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("note", "text")
        .addColumn("ticked_at", "text", (c) => c.notNull())
        .addColumn("event_id", eventId, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("checklist_ticks_train")
        .on("checklist_ticks")
        .columns(["train_id", "gate"])
        .execute();
    },
  };
}
