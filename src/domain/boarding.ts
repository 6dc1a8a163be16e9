/**
 * Which candidates board a train at its cut-off, and why the others are held.
 *
 * Rule (the foundation's; the boarding issue refines it): start from every candidate (the
 * latest artifact each component boarded with) and repeatedly hold back any candidate with a
 * constraint that the version which would run after the train does not satisfy — a boarding
 * dependency's candidate version, otherwise its production version. With lower-bound
 * constraints this reaches the largest consistent set (the greatest fixpoint). Each held
 * candidate gets a reason chain naming what it needs and why that is missing.
 */
import semver from "semver";
import type { DependencyConstraint } from "./model.js";

export interface BoardingCandidate {
  component: string;
  version: string;
  artifactId: string;
  dependsOn: readonly DependencyConstraint[];
}

export interface BoardingDecision {
  boarded: BoardingCandidate[];
  held: Array<BoardingCandidate & { reason: string }>;
}

/** True when `version` satisfies the semver `range` (pre-releases included). */
export function satisfies(version: string, range: string): boolean {
  const v = semver.coerce(version, { includePrerelease: true }) ?? null;
  const exact = semver.valid(version);
  return semver.satisfies(exact ?? v?.version ?? "", range, { includePrerelease: true });
}

/**
 * Resolves the boarding set.
 *
 * 1. Remove violators until none is left (the greatest fixpoint when constraints only ask for
 *    newer versions).
 * 2. Removals can make room again (a held downgrade puts production's newer version back), so
 *    add back, in name order, any held candidate whose joining keeps every constraint true;
 *    repeat until none can join. The result is maximal: no held candidate could board alone.
 * Reasons are computed against the final set, following held dependencies into a chain.
 *
 * @param candidates one per component (callers pick the latest artifact per component)
 * @param production version currently running per component (absent: never released)
 */
export function resolveBoarding(
  candidates: readonly BoardingCandidate[],
  production: ReadonlyMap<string, string>,
): BoardingDecision {
  const byName = [...candidates].sort((a, b) => a.component.localeCompare(b.component));
  const boarding = new Map(byName.map((c) => [c.component, c]));
  const running = (component: string) => boarding.get(component)?.version ?? production.get(component);
  const unmet = (candidate: BoardingCandidate) =>
    candidate.dependsOn.find((need) => {
      const version = running(need.component);
      return version === undefined || !satisfies(version, need.version);
    });

  let removed = true;
  while (removed) {
    removed = false;
    for (const candidate of [...boarding.values()]) {
      if (unmet(candidate)) {
        boarding.delete(candidate.component);
        removed = true;
      }
    }
  }
  let added = true;
  while (added) {
    added = false;
    for (const candidate of byName) {
      if (boarding.has(candidate.component)) continue;
      boarding.set(candidate.component, candidate);
      const consistent = [...boarding.values()].every((c) => unmet(c) === undefined);
      if (consistent) {
        added = true;
        break;
      }
      boarding.delete(candidate.component);
    }
  }

  const heldByName = new Map(byName.filter((c) => !boarding.has(c.component)).map((c) => [c.component, c]));
  const reasonOf = (candidate: BoardingCandidate, seen: Set<string>): string => {
    const need = unmet(candidate);
    const what = `${candidate.component} ${candidate.version} held`;
    if (!need) return `${what}: it would break another component's constraint`;
    const version = running(need.component);
    const dep = heldByName.get(need.component);
    const depReason =
      dep && !seen.has(dep.component) ? reasonOf(dep, new Set([...seen, dep.component])) : null;
    const head = `${what}: needs ${need.component} ${need.version}`;
    if (version === undefined) {
      return `${head}; ${depReason ?? `${need.component} has never been released and did not board`}`;
    }
    const where = boarding.has(need.component)
      ? `, but ${need.component} ${version} boarded`
      : `, production runs ${version}`;
    return depReason ? `${head}${where}; ${depReason}` : `${head}${where}`;
  };
  return {
    boarded: candidates.filter((c) => boarding.has(c.component)),
    held: candidates
      .filter((c) => !boarding.has(c.component))
      .map((c) => ({ ...c, reason: reasonOf(c, new Set([c.component])) })),
  };
}
