/**
 * The iCalendar feed's SEQUENCE numbers (RFC 5545 3.8.7.4): a calendar client replaces its copy
 * of an event only when the SEQUENCE grows, so the feed remembers what it last published of each
 * event (a fingerprint) and raises the number when that changes.
 */
import type { Kysely } from "kysely";
import type { Instant } from "../domain/model.js";
import type { Database } from "./database.js";

/** Uids read or written per statement (far below both databases' parameter limits). */
const CHUNK = 500;

/**
 * Records `entries` and returns the sequence of each uid, in the order given. Unseen uids get 0; a changed
 * fingerprint raises the sequence by one. Run it in one transaction (`db` is that transaction).
 *
 * Safe when two calls run at once on PostgreSQL: inserts skip uids another call inserted, and the
 * raise only applies while the stored fingerprint differs, so one change raises the number once.
 */
export async function calendarSequencesIn(
  db: Kysely<Database>,
  entries: ReadonlyArray<{ uid: string; fingerprint: string }>,
  at: Instant,
): Promise<Map<string, number>> {
  const wanted = new Map<string, string>();
  for (const entry of entries) wanted.set(entry.uid, entry.fingerprint);
  const uids = [...wanted.keys()];
  const known = new Map<string, { fingerprint: string; sequence: number }>();
  for (let i = 0; i < uids.length; i += CHUNK) {
    const rows = await db
      .selectFrom("calendar_events")
      .select(["uid", "fingerprint", "sequence"])
      .where("uid", "in", uids.slice(i, i + CHUNK))
      .execute();
    for (const row of rows)
      known.set(row.uid, { fingerprint: row.fingerprint, sequence: Number(row.sequence) });
  }
  const unseen = uids.filter((uid) => !known.has(uid));
  for (let i = 0; i < unseen.length; i += CHUNK) {
    await db
      .insertInto("calendar_events")
      .values(
        unseen
          .slice(i, i + CHUNK)
          .map((uid) => ({ uid, fingerprint: wanted.get(uid)!, sequence: 0, updated_at: at })),
      )
      .onConflict((conflict) => conflict.column("uid").doNothing())
      .execute();
  }
  for (const [uid, seen] of known) {
    const fingerprint = wanted.get(uid)!;
    if (seen.fingerprint === fingerprint) continue;
    await db
      .updateTable("calendar_events")
      .set((eb) => ({ fingerprint, sequence: eb("sequence", "+", 1), updated_at: at }))
      .where("uid", "=", uid)
      .where("fingerprint", "<>", fingerprint)
      .execute();
  }
  // Read back what holds now (another call may have recorded the same change first).
  const found = new Map<string, number>();
  const changed = uids.filter((uid) => {
    const seen = known.get(uid);
    return seen === undefined || seen.fingerprint !== wanted.get(uid);
  });
  for (let i = 0; i < changed.length; i += CHUNK) {
    const rows = await db
      .selectFrom("calendar_events")
      .select(["uid", "sequence"])
      .where("uid", "in", changed.slice(i, i + CHUNK))
      .execute();
    for (const row of rows) found.set(row.uid, Number(row.sequence));
  }
  // In the order the entries were given.
  return new Map(uids.map((uid) => [uid, found.get(uid) ?? known.get(uid)!.sequence]));
}
