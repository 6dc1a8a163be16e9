/**
 * Records a batch of artifacts in one transaction, skipping component versions that exist:
 * the body of `Store.appendArtifacts`, run in the calling thread or on the SQLite writer thread.
 */
import type { Instant } from "../domain/model.js";
import type { ArtifactAppend, ArtifactAppendResult, Store } from "../engine/ports.js";

/** Appends each item unless its component version exists; one transaction for all of them. */
export function appendArtifactsIn(
  store: Pick<Store, "transaction">,
  items: readonly ArtifactAppend[],
  time: Instant,
): Promise<ArtifactAppendResult[]> {
  return store.transaction(async (tx) => {
    const results: ArtifactAppendResult[] = [];
    for (const item of items) {
      const existing = await tx.findArtifact(item.component, item.version);
      if (existing) {
        const train = existing.trainId ? ((await tx.getTrain(existing.trainId)) ?? null) : null;
        results.push({ kind: "exists", artifact: existing, train });
        continue;
      }
      const stored = await tx.append(item.events, time);
      results.push({ kind: "appended", eventIds: stored.map((e) => e.id) });
    }
    return results;
  });
}
