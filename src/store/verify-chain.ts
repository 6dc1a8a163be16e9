/**
 * Recomputes the event log's hash chain from the database, page by page, and checks that the
 * chain head names its last event.
 */
import type { Kysely } from "kysely";
import { canonicalJson } from "../domain/canonical-json.js";
import { GENESIS_HASH } from "../domain/events.js";
import type { ChainVerification } from "../engine/ports.js";
import { ChainWalker, missing } from "./chain-walker.js";
import type { Database } from "./database.js";
import { eventHashFromPayloadJson } from "./event-hash.js";

/**
 * Verifies every event from id 1, reading `pageSize` events per query. Appends that commit while
 * it runs are verified too: it reads until the events reach the chain head.
 * @param pageSize events per query @default 1000
 */
export async function verifyChainInDatabase(
  db: Kysely<Database>,
  pageSize = 1000,
): Promise<ChainVerification> {
  const walker = new ChainWalker();
  const broken = (brokenAt: number, problem: string): ChainVerification => ({
    ok: false,
    events: walker.intact,
    brokenAt,
    problem,
  });

  for (;;) {
    // Walk to the end of the log as it is now.
    for (;;) {
      const rows = await db
        .selectFrom("events")
        .selectAll()
        .where("id", ">", walker.last?.id ?? 0)
        .orderBy("id")
        .limit(pageSize)
        .execute();
      for (const row of rows) {
        const id = Number(row.id);
        let payloadJson: string;
        try {
          payloadJson = canonicalJson(JSON.parse(row.payload));
        } catch {
          return broken(id, `event ${id}: payload is not valid JSON`);
        }
        const recomputed = eventHashFromPayloadJson({
          id,
          trainId: row.train_id,
          type: row.type,
          actor: row.actor,
          payloadJson,
          time: row.time,
          prevHash: row.prev_hash,
        });
        const problem = walker.step({ id, prevHash: row.prev_hash, hash: row.hash }, recomputed);
        if (problem !== null) return broken(id, problem);
        if (payloadJson !== row.payload) {
          return broken(id, `event ${id}: stored payload is not canonical JSON (its text was edited)`);
        }
      }
      if (rows.length < pageSize) break;
    }

    // An append commits its events and the head together, and the head only moves forward, so
    // a head read after the walk is at or past the last event walked.
    const head = await db
      .selectFrom("chain_head")
      .select(["last_id", "last_hash"])
      .where("id", "=", 1)
      .executeTakeFirst();
    const last = walker.last;
    const lastId = last?.id ?? 0;
    if (head === undefined) return broken(lastId + 1, "the chain_head row is missing");
    const headId = Number(head.last_id);
    if (headId > lastId) {
      const more = await db
        .selectFrom("events")
        .select("id")
        .where("id", ">", lastId)
        .limit(1)
        .executeTakeFirst();
      if (more !== undefined) continue; // appended while walking: walk on
      return broken(
        lastId + 1,
        `chain head names event ${headId} but the log ends at ${last ? `event ${lastId}` : "no event"}: ${missing(lastId + 1, headId)}`,
      );
    }
    if (headId < lastId) {
      return broken(headId + 1, `event ${headId + 1} is past the chain head (event ${headId})`);
    }
    if (last !== undefined && head.last_hash !== last.hash) {
      return broken(lastId, `chain head's hash does not match event ${lastId}'s hash`);
    }
    if (last === undefined && head.last_hash !== GENESIS_HASH) {
      return broken(1, "chain head of the empty log is not the genesis hash");
    }
    return { ok: true, events: walker.intact, lastHash: head.last_hash };
  }
}
