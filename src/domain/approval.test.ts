import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  assignSeats,
  describeApprovalRule,
  describeContributions,
  describeTally,
  type ShippedArtifact,
  shippedArtifacts,
  type TallyContext,
  tallyApprovals,
} from "./approval.js";
import { Approval as ApprovalRule, type LineConfig, Team } from "./config/schema.js";
import type { Approval, ManifestItem } from "./model.js";

const T0 = Date.parse("2026-03-02T07:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const MINUTE = 60_000;

// ann is in both teams; bob and carol only release managers; dave only qa; mallory in neither.
const teams = {
  "release-managers": Team.parse({ members: [{ name: "ann" }, { name: "bob" }, { name: "carol" }] }),
  qa: Team.parse({ members: [{ name: "ann" }, { name: "dave" }] }),
  board: Team.parse({ members: [{ name: "alice" }, { name: "bob" }, { name: "carol" }] }),
};

const rule = (approval: unknown): Pick<LineConfig, "approval"> => ({
  approval: ApprovalRule.parse(approval),
});
const twoGroups = (extra: Record<string, unknown> = {}) =>
  rule({
    mode: "manual",
    groups: [
      { team: "release-managers", required: 2 },
      { team: "qa", required: 1 },
    ],
    ...extra,
  });

let ids = 0;
const approval = (
  approver: string,
  minute = 10,
  revision = 1,
  decision: Approval["decision"] = "approve",
) => ({
  id: `apr_${++ids}`,
  trainId: "web-12",
  approver,
  decision,
  comment: decision === "reject" ? "not today" : null,
  manifestRevision: revision,
  at: at(minute),
});

const artifact = (component: string, pushedBy: string, authors: string[] = []): ShippedArtifact => ({
  id: `art_${component}`,
  component,
  version: "2.4.0",
  pushedBy,
  authors,
});

const context = (overrides: Partial<TallyContext> = {}): TallyContext => ({
  manifestRevision: 1,
  now: T0 + 30 * MINUTE,
  shipped: [artifact("api", "ci-bot")],
  ...overrides,
});

describe("tallyApprovals", () => {
  test("an automatic line is approved with nobody", () => {
    expect(tallyApprovals(rule({ mode: "auto" }), teams, [approval("bob")], context())).toEqual({
      mode: "auto",
      required: 0,
      approvers: [],
      surplus: [],
      groups: [],
      excluded: [],
      satisfied: true,
    });
  });

  test("needs every group: 2 of release-managers and 1 of qa", () => {
    const partial = tallyApprovals(twoGroups(), teams, [approval("bob"), approval("dave")], context());
    expect(partial).toMatchObject({
      required: 3,
      approvers: ["bob", "dave"],
      satisfied: false,
      groups: [
        { team: "release-managers", required: 2, approvers: ["bob"], satisfied: false },
        { team: "qa", required: 1, approvers: ["dave"], satisfied: true },
      ],
    });
    const full = tallyApprovals(
      twoGroups(),
      teams,
      [approval("bob"), approval("dave"), approval("carol")],
      context(),
    );
    expect(full.satisfied).toBe(true);
    expect(full.groups.map((g) => [g.team, g.approvers])).toEqual([
      ["release-managers", ["bob", "carol"]],
      ["qa", ["dave"]],
    ]);
  });

  test("a person in both teams counts once: two people never fill three seats", () => {
    const tally = tallyApprovals(twoGroups(), teams, [approval("ann"), approval("bob")], context());
    expect(tally.approvers).toEqual(["ann", "bob"]);
    expect(tally.satisfied).toBe(false);
    expect(tally.groups.reduce((n, g) => n + g.approvers.length, 0)).toBe(2);
  });

  test("the matching moves a person in both teams to the group only they can fill", () => {
    // Greedily ann would take release-managers' seat (the first group she is in) and bob would
    // find none; the matching seats ann in qa instead.
    const oneEach = rule({
      mode: "manual",
      groups: [
        { team: "release-managers", required: 1 },
        { team: "qa", required: 1 },
      ],
    });
    const tally = tallyApprovals(oneEach, teams, [approval("ann"), approval("bob")], context());
    expect(tally.satisfied).toBe(true);
    expect(tally.groups.map((g) => [g.team, g.approvers])).toEqual([
      ["release-managers", ["bob"]],
      ["qa", ["ann"]],
    ]);
    // With three people (ann in both, bob only release-managers, dave only qa) every seat fills.
    const three = tallyApprovals(
      twoGroups(),
      teams,
      [approval("ann"), approval("bob"), approval("dave")],
      context(),
    );
    expect(three.satisfied).toBe(true);
    expect(three.groups.map((g) => [g.team, g.approvers])).toEqual([
      ["release-managers", ["ann", "bob"]],
      ["qa", ["dave"]],
    ]);
  });

  test("approvals beyond the seats are surplus, and the same person twice counts once", () => {
    const tally = tallyApprovals(
      twoGroups(),
      teams,
      [approval("bob"), approval("bob", 11), approval("carol"), approval("ann"), approval("dave")],
      context(),
    );
    expect(tally.approvers).toEqual(["bob", "carol", "ann"]);
    expect(tally.surplus).toEqual(["dave"]);
    expect(tally.satisfied).toBe(true);
    expect(tally.excluded).toEqual([]);
  });

  test("an approval for an earlier manifest revision is stale", () => {
    const tally = tallyApprovals(
      twoGroups(),
      teams,
      [approval("bob", 10, 1), approval("carol", 40, 2), approval("dave", 41, 2)],
      context({ manifestRevision: 2, now: T0 + 45 * MINUTE }),
    );
    expect(tally.approvers).toEqual(["carol", "dave"]);
    expect(tally.satisfied).toBe(false);
    expect(tally.excluded).toEqual([
      { approver: "bob", reason: "stale", approvalId: expect.any(String), at: at(10) },
    ]);
  });

  test("an approval expires exactly expiresAfter after it was given", () => {
    const line = rule({ mode: "manual", team: "board", expiresAfter: "1h" });
    const given = [approval("alice", 0)];
    const justBefore = tallyApprovals(line, teams, given, context({ now: T0 + 60 * MINUTE - 1 }));
    expect(justBefore).toMatchObject({ approvers: ["alice"], satisfied: true, excluded: [] });
    const atBoundary = tallyApprovals(line, teams, given, context({ now: T0 + 60 * MINUTE }));
    expect(atBoundary).toMatchObject({
      approvers: [],
      satisfied: false,
      excluded: [{ approver: "alice", reason: "expired" }],
    });
    // A fresh approval by the same person counts again, and explains nothing any more.
    const renewed = tallyApprovals(
      line,
      teams,
      [...given, approval("alice", 61)],
      context({ now: T0 + 90 * MINUTE }),
    );
    expect(renewed).toMatchObject({ approvers: ["alice"], satisfied: true, excluded: [] });
    // Without expiresAfter, approvals do not expire.
    const forever = tallyApprovals(
      rule({ mode: "manual", team: "board" }),
      teams,
      given,
      context({ now: T0 + 365 * 24 * 60 * MINUTE }),
    );
    expect(forever.satisfied).toBe(true);
  });

  test("the pusher and the authors of a shipped artifact do not count, unless self-approval is allowed", () => {
    const shipped = [artifact("api", "alice"), artifact("web", "ci-bot", ["Bob", "zoe"])];
    const given = [approval("alice"), approval("bob"), approval("carol")];
    const strict = rule({ mode: "manual", team: "board", required: 2 });
    const tally = tallyApprovals(strict, teams, given, context({ shipped }));
    expect(tally.approvers).toEqual(["carol"]);
    expect(tally.satisfied).toBe(false);
    expect(tally.excluded.map((e) => [e.approver, e.reason])).toEqual([
      ["alice", "self"],
      ["bob", "self"],
    ]);
    const lenient = rule({ mode: "manual", team: "board", required: 2, allowSelfApproval: true });
    const allowed = tallyApprovals(lenient, teams, given, context({ shipped }));
    expect(allowed).toMatchObject({ approvers: ["alice", "bob"], surplus: ["carol"], satisfied: true });
  });

  test("only boarded items make someone a self-approver, not held or dropped ones", () => {
    const item = (component: string, status: ManifestItem["status"]): ManifestItem => ({
      trainId: "web-12",
      component,
      version: "2.4.0",
      artifactId: `art_${component}`,
      previousVersion: null,
      dependsOn: [],
      status,
      reason: status === "boarded" ? null : "why",
      revision: 2,
    });
    const artifacts = [artifact("api", "alice"), artifact("web", "bob"), artifact("db", "carol")];
    const shipped = shippedArtifacts(
      [item("api", "dropped"), item("web", "held"), item("db", "boarded")],
      artifacts,
    );
    expect(shipped.map((a) => a.component)).toEqual(["db"]);
    const tally = tallyApprovals(
      rule({ mode: "manual", team: "board", required: 2 }),
      teams,
      [approval("alice"), approval("bob"), approval("carol")],
      context({ shipped }),
    );
    expect(tally.approvers).toEqual(["alice", "bob"]);
    expect(tally.excluded).toEqual([expect.objectContaining({ approver: "carol", reason: "self" })]);
  });

  test("approvals before the latest rejection do not count", () => {
    const tally = tallyApprovals(
      rule({ mode: "manual", team: "board", required: 2 }),
      teams,
      [approval("alice", 10), approval("bob", 11, 1, "reject"), approval("carol", 12)],
      context(),
    );
    expect(tally.approvers).toEqual(["carol"]);
    expect(tally.excluded.map((e) => [e.approver, e.reason])).toEqual([["alice", "before-rejection"]]);
  });

  test("someone in none of the groups' teams does not count", () => {
    const tally = tallyApprovals(twoGroups(), teams, [approval("mallory"), approval("dave")], context());
    expect(tally.approvers).toEqual(["dave"]);
    expect(tally.excluded.map((e) => [e.approver, e.reason])).toEqual([["mallory", "not-member"]]);
  });

  test("the shorthand {team, required} is one group", () => {
    const given = [approval("alice"), approval("bob"), approval("mallory"), approval("carol", 12, 0)];
    const shorthand = tallyApprovals(
      rule({ mode: "manual", team: "board", required: 2 }),
      teams,
      given,
      context(),
    );
    const grouped = tallyApprovals(
      rule({ mode: "manual", groups: [{ team: "board", required: 2 }] }),
      teams,
      given,
      context(),
    );
    expect(shorthand).toEqual(grouped);
    expect(shorthand.groups).toEqual([
      { team: "board", required: 2, approvers: ["alice", "bob"], satisfied: true },
    ]);
    // `required` defaults to 1
    expect(tallyApprovals(rule({ mode: "manual", team: "board" }), teams, [], context()).required).toBe(1);
  });
});

describe("assignSeats", () => {
  /** The largest number of people seated, by trying every assignment (small instances only). */
  function bruteForce(eligible: number[][], seats: number[]): number {
    let best = 0;
    const used = seats.map(() => 0);
    const go = (person: number, seated: number) => {
      if (person === eligible.length) {
        best = Math.max(best, seated);
        return;
      }
      go(person + 1, seated);
      for (const g of eligible[person]!) {
        if (used[g]! < seats[g]!) {
          used[g]!++;
          go(person + 1, seated + 1);
          used[g]!--;
        }
      }
    };
    go(0, 0);
    return best;
  }

  test("seats as many people as any assignment could, within every group's seats", () => {
    const instance = fc.integer({ min: 1, max: 3 }).chain((groups) =>
      fc.record({
        seats: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: groups, maxLength: groups }),
        eligible: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: groups - 1 }), { maxLength: groups }), {
          maxLength: 7,
        }),
      }),
    );
    fc.assert(
      fc.property(instance, ({ seats, eligible }) => {
        const groupOf = assignSeats(eligible, seats);
        groupOf.forEach((g, person) => {
          if (g !== -1) expect(eligible[person]).toContain(g);
        });
        seats.forEach((n, g) => {
          expect(groupOf.filter((x) => x === g).length).toBeLessThanOrEqual(n);
        });
        expect(groupOf.filter((g) => g !== -1).length).toBe(bruteForce(eligible, seats));
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  test("prefers the people who came first when there are more people than seats", () => {
    expect(assignSeats([[0], [0], [0]], [2])).toEqual([0, 0, -1]);
  });
});

describe("in words", () => {
  test("a tally, a line's rule and what makes someone a self-approver", () => {
    const tally = tallyApprovals(twoGroups(), teams, [approval("bob"), approval("carol")], context());
    expect(describeTally(tally)).toBe("2 of 3 (release-managers 2/2: bob, carol; qa 0/1)");
    const single = tallyApprovals(rule({ mode: "manual", team: "board", required: 2 }), teams, [], context());
    expect(describeTally(single)).toBe("0 of 2");
    expect(describeApprovalRule(twoGroups({ expiresAfter: "3d" }).approval)).toBe(
      "2 of team release-managers and 1 of team qa, approvals valid for 3d",
    );
    expect(describeApprovalRule(rule({ mode: "auto" }).approval)).toBe("automatic when gates pass");
    expect(
      describeContributions([
        { component: "api", version: "2.4.0", pushed: true, authored: false },
        { component: "web", version: "1.3.0", pushed: false, authored: true },
        { component: "db", version: "5.0.0", pushed: true, authored: true },
      ]),
    ).toBe("pushed api 2.4.0, authored web 1.3.0 and pushed and authored db 5.0.0");
  });
});
