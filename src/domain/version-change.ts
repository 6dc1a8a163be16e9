/** How a manifest item's version compares with what production runs. */
import semver from "semver";

export type VersionChange = "new" | "upgrade" | "downgrade" | "same";

/**
 * How `to` compares with what production runs (`from`, null when never released): by semver,
 * and for versions that are not semver `same` when equal, else `upgrade`.
 */
export function versionChange(from: string | null, to: string): VersionChange {
  if (from === null) return "new";
  if (!semver.valid(from) || !semver.valid(to)) return from === to ? "same" : "upgrade";
  const order = semver.compare(to, from);
  return order > 0 ? "upgrade" : order < 0 ? "downgrade" : "same";
}
