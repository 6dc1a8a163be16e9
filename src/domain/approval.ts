/**
 * Counting approvals, the way an auditor would sign them. An approval counts when it was given
 * for the train's current manifest revision, after the latest rejection, less than the line's
 * `expiresAfter` ago, by a member of an approving group's team who did not push or author an
 * artifact the train carries (unless the line sets `allowSelfApproval`). A person fills at most
 * one seat: approvers are assigned to the groups' seats by a maximum bipartite matching, so
 * "2 of release-managers and 1 of qa" needs three people even when one is in both teams. The
 * same person approving twice counts once.
 */
import type { LineConfig, ManualApprovalConfig, TeamConfig } from "./config/schema.js";
import { parseDuration } from "./duration.js";
import type { Approval, Artifact, ManifestItem } from "./model.js";

/** One approving group: `required` distinct members of `team`. */
export interface ApprovalGroup {
  team: string;
  required: number;
}

/** Why an approval does not count. */
export type ApprovalExclusionReason = "stale" | "expired" | "self" | "not-member" | "before-rejection";

/** A person whose approval does not count, and why (from their latest approval). */
export interface ApprovalExclusion {
  approver: string;
  reason: ApprovalExclusionReason;
  approvalId: string;
  at: string;
}

/** How far one group is: who fills its seats. */
export interface GroupTally {
  team: string;
  required: number;
  /** People counted toward this group, in the order they approved (at most `required`). */
  approvers: string[];
  satisfied: boolean;
}

export interface ApprovalTally {
  mode: "auto" | "manual";
  /** Seats to fill: the sum of the groups' `required` (0 for `auto`). */
  required: number;
  /** People who fill a seat, in the order they approved; as many as the seats filled. */
  approvers: string[];
  /** People whose approval is valid but fills no seat: every group they could serve is full. */
  surplus: string[];
  /** Per group, in the configured order. */
  groups: GroupTally[];
  /** People who approved but whose approval does not count, with the reason. */
  excluded: ApprovalExclusion[];
  satisfied: boolean;
}

/** An artifact as far as separation of duties needs it. */
export type ShippedArtifact = Pick<Artifact, "id" | "component" | "version" | "pushedBy" | "authors">;

/** What a person did to an artifact the train carries, which makes their approval a self-approval. */
export interface Contribution {
  component: string;
  version: string;
  pushed: boolean;
  authored: boolean;
}

/** What {@link tallyApprovals} judges the approvals against. */
export interface TallyContext {
  /** The train's current manifest revision. */
  manifestRevision: number;
  /** The instant to judge expiry at, epoch milliseconds. */
  now: number;
  /** The artifacts the train carries (see {@link shippedArtifacts}), for separation of duties. */
  shipped: readonly ShippedArtifact[];
}

/** The groups of a manual approval: its `groups`, or the shorthand `{team, required}` as one group. */
export function approvalGroups(approval: ManualApprovalConfig): ApprovalGroup[] {
  if (approval.groups) return approval.groups.map((g) => ({ team: g.team, required: g.required }));
  return approval.team === undefined ? [] : [{ team: approval.team, required: approval.required ?? 1 }];
}

/** Teams whose members may approve trains of a manual line, in the configured order. */
export function approvingTeams(approval: ManualApprovalConfig): string[] {
  return approvalGroups(approval).map((g) => g.team);
}

/**
 * The artifacts a train carries: those of its manifest's boarded items (not the held or dropped
 * ones), in manifest order. Artifacts not found among `artifacts` are left out.
 */
export function shippedArtifacts(
  manifest: readonly ManifestItem[],
  artifacts: readonly ShippedArtifact[],
): ShippedArtifact[] {
  const byId = new Map(artifacts.map((a) => [a.id, a]));
  return manifest
    .filter((item) => item.status === "boarded")
    .flatMap((item) => {
      const artifact = byId.get(item.artifactId);
      return artifact ? [artifact] : [];
    });
}

const samePerson = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The artifacts among `shipped` that `person` pushed or authored (login names compared ignoring case). */
export function contributionsOf(person: string, shipped: readonly ShippedArtifact[]): Contribution[] {
  return shipped.flatMap((artifact) => {
    const pushed = samePerson(artifact.pushedBy, person);
    const authored = artifact.authors.some((author) => samePerson(author, person));
    return pushed || authored
      ? [{ component: artifact.component, version: artifact.version, pushed, authored }]
      : [];
  });
}

/** `pushed api 2.4.0 and authored web 1.3.0`: what makes someone a self-approver, in words. */
export function describeContributions(contributions: readonly Contribution[]): string {
  const parts = contributions.map((c) => {
    const did = c.pushed && c.authored ? "pushed and authored" : c.pushed ? "pushed" : "authored";
    return `${did} ${c.component} ${c.version}`;
  });
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

/**
 * Assigns people to seats: a maximum bipartite matching of people to groups with `required`
 * seats each (augmenting paths, Kuhn's algorithm). People are tried in order, and a person once
 * seated keeps a seat (perhaps in another group), so when there are more people than seats the
 * earliest ones are counted.
 * @param eligible for each person in order, the indices of the groups they may serve
 * @returns for each person, the index of their group, or -1 when they fill no seat
 */
export function assignSeats(eligible: readonly (readonly number[])[], seats: readonly number[]): number[] {
  const groupOf = eligible.map(() => -1);
  const holders: number[][] = seats.map(() => []);
  const seat = (person: number, visited: Set<number>): boolean => {
    for (const group of eligible[person] ?? []) {
      if (visited.has(group)) continue;
      visited.add(group);
      const members = holders[group]!;
      if (members.length < seats[group]!) {
        members.push(person);
        groupOf[person] = group;
        return true;
      }
      for (const other of members) {
        if (seat(other, visited)) {
          // `other` moved to another group: `person` takes the seat it left.
          members.splice(members.indexOf(other), 1, person);
          groupOf[person] = group;
          return true;
        }
      }
    }
    return false;
  };
  eligible.forEach((_, person) => {
    seat(person, new Set());
  });
  return groupOf;
}

/**
 * Why a recorded approval does not count, or null when it does (membership aside). `index` is its
 * position among the records and `lastRejection` the position of the latest rejection (-1: none).
 */
function staleness(
  approval: Approval,
  index: number,
  lastRejection: number,
  context: TallyContext,
  expiresAfterMs: number | null,
): "before-rejection" | "stale" | "expired" | null {
  if (index <= lastRejection) return "before-rejection";
  if (approval.manifestRevision !== context.manifestRevision) return "stale";
  if (expiresAfterMs !== null && context.now - Date.parse(approval.at) >= expiresAfterMs) return "expired";
  return null;
}

/**
 * Tallies a train's approvals (in the order recorded) under its line's approval rule at
 * `context.now`. Pure: the caller passes the clock, the manifest revision and what the train carries.
 */
export function tallyApprovals(
  line: Pick<LineConfig, "approval">,
  teams: Record<string, TeamConfig>,
  approvals: readonly Approval[],
  context: TallyContext,
): ApprovalTally {
  if (line.approval.mode === "auto") {
    return {
      mode: "auto",
      required: 0,
      approvers: [],
      surplus: [],
      groups: [],
      excluded: [],
      satisfied: true,
    };
  }
  const rule = line.approval;
  const groups = approvalGroups(rule);
  const memberSets = groups.map((g) => new Set((teams[g.team]?.members ?? []).map((m) => m.name)));
  const expiresAfterMs = rule.expiresAfter === undefined ? null : parseDuration(rule.expiresAfter);

  // In the order they were recorded: two decisions can carry the same instant.
  let lastRejection = -1;
  approvals.forEach((a, i) => {
    if (a.decision === "reject") lastRejection = i;
  });

  // Each person's first counting approval fixes their place in line; a person none of whose
  // approvals counts is explained by their latest one.
  const counting: string[] = [];
  const eligible: number[][] = [];
  const latestExcluded = new Map<string, ApprovalExclusion>();
  approvals.forEach((a, i) => {
    if (a.decision !== "approve") return;
    const groupsOf = memberSets.flatMap((members, g) => (members.has(a.approver) ? [g] : []));
    const reason =
      staleness(a, i, lastRejection, context, expiresAfterMs) ??
      (groupsOf.length === 0
        ? "not-member"
        : !rule.allowSelfApproval && contributionsOf(a.approver, context.shipped).length > 0
          ? "self"
          : null);
    if (reason !== null) {
      latestExcluded.set(a.approver, { approver: a.approver, reason, approvalId: a.id, at: a.at });
      return;
    }
    if (counting.includes(a.approver)) return;
    counting.push(a.approver);
    eligible.push(groupsOf);
  });

  const seatOf = assignSeats(
    eligible,
    groups.map((g) => g.required),
  );
  const groupTallies: GroupTally[] = groups.map((g, index) => {
    const seated = counting.filter((_, person) => seatOf[person] === index);
    return { team: g.team, required: g.required, approvers: seated, satisfied: seated.length >= g.required };
  });
  const excluded = [...latestExcluded.values()].filter((e) => !counting.includes(e.approver));
  return {
    mode: "manual",
    required: groups.reduce((sum, g) => sum + g.required, 0),
    approvers: counting.filter((_, person) => seatOf[person] !== -1),
    surplus: counting.filter((_, person) => seatOf[person] === -1),
    groups: groupTallies,
    excluded,
    satisfied: groupTallies.every((g) => g.satisfied),
  };
}

/**
 * The tally in a few words: `1 of 2 (alice)` for one group, `2 of 3 (release-managers 2/2: alice,
 * bob; qa 0/1)` for several.
 */
export function describeTally(tally: ApprovalTally): string {
  const filled = `${tally.approvers.length} of ${tally.required}`;
  if (tally.groups.length <= 1) {
    return tally.approvers.length > 0 ? `${filled} (${tally.approvers.join(", ")})` : filled;
  }
  const groups = tally.groups.map(
    (g) =>
      `${g.team} ${g.approvers.length}/${g.required}${g.approvers.length > 0 ? `: ${g.approvers.join(", ")}` : ""}`,
  );
  return `${filled} (${groups.join("; ")})`;
}

/**
 * A line's approval rule in a few words: `automatic when gates pass`, `1 of team board`,
 * `2 of team release-managers and 1 of team qa, approvals valid for 3d`.
 */
export function describeApprovalRule(approval: LineConfig["approval"]): string {
  if (approval.mode === "auto") return "automatic when gates pass";
  const groups = approvalGroups(approval)
    .map((g) => `${g.required} of team ${g.team}`)
    .join(" and ");
  return approval.expiresAfter ? `${groups}, approvals valid for ${approval.expiresAfter}` : groups;
}
