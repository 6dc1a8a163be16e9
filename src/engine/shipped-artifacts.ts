/**
 * The artifacts a train carries, read from the store for separation of duties: who pushed or
 * authored one may not approve the train (see `tallyApprovals`).
 */
import type { Artifact, ManifestItem } from "../domain/model.js";
import type { StoreReader } from "./ports.js";

/**
 * The artifacts of `manifest`'s boarded items (not the held or dropped ones), in manifest order.
 * An item whose artifact cannot be found is left out.
 */
export async function shippedArtifactsOf(
  reader: Pick<StoreReader, "getArtifact">,
  manifest: readonly ManifestItem[],
): Promise<Artifact[]> {
  const boarded = manifest.filter((item) => item.status === "boarded");
  const artifacts = await Promise.all(boarded.map((item) => reader.getArtifact(item.artifactId)));
  return artifacts.filter((a): a is Artifact => a !== undefined);
}
