/**
 * The release metrics' per-train facts (`train_facts`): read them all at a cold start, upsert the
 * changed ones with the metrics cursor. An upsert never replaces a fact folded further than the
 * one written (`last_event_id`), so two replicas folding at once leave the furthest fold.
 */
import type { Kysely } from "kysely";
import { decodeTrainFact, encodeTrainFact } from "../domain/metrics/train-fact.js";
import type { TrainFactRecord } from "../engine/ports.js";
import type { Database } from "./database.js";

/** Rows per statement (7 parameters each, far below both databases' limits). */
const CHUNK = 200;

/**
 * Every train's fact, in no particular order.
 * @throws TypeError when a row is not in the stored format (see `decodeTrainFact`)
 */
export async function listTrainFactsIn(db: Kysely<Database>): Promise<TrainFactRecord[]> {
  const rows = await db.selectFrom("train_facts").selectAll().execute();
  return rows.map((row) => ({
    trainId: row.train_id,
    line: row.line,
    kind: row.kind as TrainFactRecord["kind"],
    createdAt: row.created_at,
    endedAt: row.ended_at,
    lastEventId: Number(row.last_event_id),
    fact: decodeTrainFact(row.train_id, row.fact),
  }));
}

/** Inserts or updates facts; a stored fact with a higher `lastEventId` is kept. */
export async function putTrainFactsIn(
  db: Kysely<Database>,
  records: readonly TrainFactRecord[],
): Promise<void> {
  for (let i = 0; i < records.length; i += CHUNK) {
    const values = records.slice(i, i + CHUNK).map((r) => ({
      train_id: r.trainId,
      line: r.line,
      kind: r.kind,
      created_at: r.createdAt,
      ended_at: r.endedAt,
      last_event_id: r.lastEventId,
      fact: encodeTrainFact(r.fact),
    }));
    await db
      .insertInto("train_facts")
      .values(values)
      .onConflict((conflict) =>
        conflict
          .column("train_id")
          .doUpdateSet((eb) => ({
            line: eb.ref("excluded.line"),
            kind: eb.ref("excluded.kind"),
            created_at: eb.ref("excluded.created_at"),
            ended_at: eb.ref("excluded.ended_at"),
            last_event_id: eb.ref("excluded.last_event_id"),
            fact: eb.ref("excluded.fact"),
          }))
          .where("train_facts.last_event_id", "<", (eb) => eb.ref("excluded.last_event_id")),
      )
      .execute();
  }
}
