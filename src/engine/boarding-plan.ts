/**
 * The engine's side of boarding (see docs/design/boarding.md): what runs in production with its
 * recorded constraints, whether each candidate is ready (CI, required reports, pins, drops), and
 * the resolution of a train's manifest from both. The rule itself is the pure
 * `resolveBoarding` of `src/domain/boarding.ts`.
 */
import {
  type BoardingCandidate,
  type BoardingPlan,
  type RunningVersion,
  resolveBoarding,
} from "../domain/boarding.js";
import { ciNotReadyReason, foldCiStatus, repositoryPath } from "../domain/ci-status.js";
import type { Artifact, CiStatus, ManifestItem, Pin } from "../domain/model.js";
import type { EngineContext } from "./context.js";
import type { StoreReader } from "./ports.js";

/** The short form of a commit people read in reasons. */
export const shortCommit = (commit: string) => commit.slice(0, 7);

/**
 * What runs in production now, per component: the version its own line's production environment
 * (the first environment of the line's last wave) runs, with the constraints recorded for that
 * version — by the manifest item that shipped it, else by its artifact.
 */
export async function productionState(
  ctx: EngineContext,
  reader: Pick<StoreReader, "listDeployments" | "getManifest" | "findArtifact">,
): Promise<Map<string, RunningVersion>> {
  const config = ctx.config();
  const production = new Map<string, RunningVersion>();
  const manifests = new Map<string, Promise<ManifestItem[]>>();
  for (const d of await reader.listDeployments()) {
    const line = config.lineOf(d.component);
    if (!line || config.productionEnvironment(line) !== d.environment) continue;
    let manifest = manifests.get(d.trainId);
    if (!manifest) {
      manifest = reader.getManifest(d.trainId);
      manifests.set(d.trainId, manifest);
    }
    const shipped = (await manifest).find((i) => i.component === d.component && i.version === d.version);
    const dependsOn =
      shipped && shipped.dependsOn.length > 0
        ? shipped.dependsOn
        : ((await reader.findArtifact(d.component, d.version))?.dependsOn ?? shipped?.dependsOn ?? []);
    production.set(d.component, { component: d.component, version: d.version, dependsOn });
  }
  return production;
}

/** Production versions only (component → version). */
export function versionsOf(production: ReadonlyMap<string, RunningVersion>): Map<string, string> {
  return new Map([...production].map(([component, running]) => [component, running.version]));
}

/** Why a pinned component does not board, in words. */
export function pinnedReason(pin: Pin): string {
  const at = pin.version === null ? "its production version (never released)" : `production ${pin.version}`;
  return `pinned at ${at} by ${pin.actor}: ${pin.reason}`;
}

/**
 * Why each artifact is not ready to board (absent: ready), from its line's boarding policy: CI
 * status (the push's and the webhooks' for its repository and commit) and required reports, and
 * from the component's pin.
 */
export async function readinessOf(
  ctx: EngineContext,
  reader: Pick<StoreReader, "listCiStatuses" | "listArtifactReports" | "listPins">,
  line: string,
  artifacts: readonly Artifact[],
): Promise<Map<string, string>> {
  const config = ctx.config();
  const policy = config.line(line).boarding;
  const notReady = new Map<string, string>();
  const pins = new Map((await reader.listPins()).map((p) => [p.component, p]));
  const reports = await reader.listArtifactReports(artifacts.map((a) => a.id));
  for (const artifact of artifacts) {
    const pin = pins.get(artifact.component);
    if (pin) {
      notReady.set(artifact.id, pinnedReason(pin));
      continue;
    }
    const repository = config.config.components[artifact.component]?.repository;
    const statuses = await ciStatusesOf(artifact, repository, reader);
    const ci = ciNotReadyReason(artifact.commit, foldCiStatus(statuses), policy.ci);
    if (ci) {
      notReady.set(artifact.id, ci);
      continue;
    }
    if (policy.reports.length > 0) {
      const has = new Set(reports.filter((r) => r.artifactId === artifact.id).map((r) => r.kind));
      const missing = policy.reports.filter((kind) => !has.has(kind));
      if (missing.length > 0) {
        const have = has.size > 0 ? `; it has ${[...has].sort().join(", ")}` : "";
        notReady.set(
          artifact.id,
          `no ${missing.join(" or ")} report for ${artifact.component} ${artifact.version} (line ${line} requires ${policy.reports.join(", ")}${have})`,
        );
      }
    }
  }
  return notReady;
}

/**
 * Every CI status known for an artifact's build: the webhooks' for its repository and commit,
 * and the one its push carried.
 */
export async function ciStatusesOf(
  artifact: Artifact,
  repository: string | undefined,
  reader: Pick<StoreReader, "listCiStatuses">,
): Promise<CiStatus[]> {
  const path = repository ? repositoryPath(repository) : null;
  const statuses = path ? await reader.listCiStatuses(path, artifact.commit) : [];
  if (artifact.ci) {
    statuses.push({
      provider: "push",
      repository: path ?? artifact.component,
      commit: artifact.commit,
      name: artifact.ci.name,
      state: artifact.ci.state,
      conclusion: artifact.ci.state,
      url: artifact.ci.url,
      reportedAt: artifact.pushedAt,
      ref: null,
    });
  }
  return statuses;
}

/** The latest (by push) not-dropped artifact per component. */
export function latestPerComponent(artifacts: readonly Artifact[]): Artifact[] {
  const latest = new Map<string, Artifact>();
  for (const artifact of [...artifacts].sort(
    (a, b) => a.pushedAt.localeCompare(b.pushedAt) || a.id.localeCompare(b.id),
  )) {
    if (!artifact.dropped) latest.set(artifact.component, artifact);
  }
  return [...latest.values()];
}

/** A train's boarding plan from its candidate artifacts and their readiness. */
export function planFor(
  artifacts: readonly Artifact[],
  notReady: ReadonlyMap<string, string>,
  production: ReadonlyMap<string, RunningVersion>,
): BoardingPlan {
  const candidates: BoardingCandidate[] = artifacts.map((a) => ({
    component: a.component,
    version: a.version,
    artifactId: a.id,
    commit: a.commit,
    dependsOn: a.dependsOn,
    notReady: notReady.get(a.id) ?? null,
  }));
  return resolveBoarding(candidates, production);
}

/** Manifest items of a plan (boarded first, then held), without train and revision. */
export function manifestItemsOf(
  plan: BoardingPlan,
  production: ReadonlyMap<string, RunningVersion>,
): Array<Omit<ManifestItem, "trainId" | "revision">> {
  const item = (c: BoardingCandidate, status: "boarded" | "held", reason: string | null) => ({
    component: c.component,
    version: c.version,
    artifactId: c.artifactId ?? "",
    previousVersion: production.get(c.component)?.version ?? null,
    dependsOn: [...c.dependsOn],
    status,
    reason,
  });
  return [
    ...plan.boarded.map((c) => item(c, "boarded", null)),
    ...plan.held.map((c) => item(c, "held", c.reason)),
  ];
}
