import { describe, expect, it } from "vitest";
import { ACTIONS, type Action, decide, effectiveRoles, personOf } from "./access.js";

const teamOf = (component: string) => ({ api: "core", web: "core", billing: "payments" })[component];

const who = (roles: string[], extra: Partial<Parameters<typeof decide>[0]> = {}) => ({
  subject: "pat",
  roles,
  teams: ["core"],
  ...extra,
});

describe("decide", () => {
  // Written out by hand from the role list, not derived from PERMISSIONS, so a change
  // to the matrix has to change this table too.
  const allowed: Record<string, Action[]> = {
    viewer: ["read", "token.self"],
    member: ["read", "token.self", "artifact.push", "report.push", "train.drop", "checklist.tick"],
    approver: [
      "read",
      "token.self",
      "train.approve",
      "train.reject",
      "train.promote",
      "waiver.manage",
      "checklist.tick",
    ],
    coordinator: [
      "read",
      "token.self",
      "train.pause",
      "train.resume",
      "train.abort",
      "train.rollback",
      "train.retry",
      "train.drop",
      "train.exception",
      "train.hotfix",
      "component.pin",
      "incident.open",
      "incident.resolve",
      "notification.retry",
      "train.promote",
      "waiver.manage",
      "checklist.tick",
    ],
    admin: Object.keys(ACTIONS) as Action[],
  };
  for (const [role, actions] of Object.entries(allowed)) {
    for (const action of Object.keys(ACTIONS) as Action[]) {
      const expected = actions.includes(action);
      it(`${role} ${expected ? "may" : "may not"} ${action}`, () => {
        const decision = decide(who([role]), action, { components: ["api"], teamOf });
        expect(decision.allowed).toBe(expected);
        if (!decision.allowed) expect(decision.reason).toContain("pat");
      });
    }
  }

  it("limits members to their own teams' components", () => {
    const member = who(["member"]);
    expect(decide(member, "artifact.push", { components: ["api"], teamOf }).allowed).toBe(true);
    const foreign = decide(member, "artifact.push", { components: ["billing"], teamOf });
    expect(foreign).toEqual({
      allowed: false,
      reason:
        "pat may push artifacts only for components of their teams (core), not billing (payments); a coordinator or admin may",
    });
    // An unknown component is the action's to refuse (400), not a permission matter.
    expect(decide(member, "train.drop", { components: ["nope"], teamOf }).allowed).toBe(true);
    // A coordinator drops any component.
    expect(
      decide(who(["member", "coordinator"]), "train.drop", { components: ["billing"], teamOf }).allowed,
    ).toBe(true);
  });

  it("keeps CI tokens to pushing for their components", () => {
    const ci = { subject: "ci-api", roles: ["admin"], kind: "ci" as const, components: ["api"] };
    expect(decide(ci, "artifact.push", { components: ["api"], teamOf }).allowed).toBe(true);
    expect(decide(ci, "report.push", { components: ["api"], teamOf }).allowed).toBe(true);
    expect(decide(ci, "artifact.push", { components: ["web"], teamOf })).toEqual({
      allowed: false,
      reason: "ci-api is a CI token for api and may not push artifacts for web",
    });
    expect(decide(ci, "artifact.push", { components: ["nope"], teamOf }).allowed).toBe(true);
    // Roles do not widen a CI token, and it may not read.
    expect(decide(ci, "read").allowed).toBe(false);
    expect(decide(ci, "train.approve").allowed).toBe(false);
  });

  it("names the roles that would do", () => {
    expect(decide(who(["viewer"]), "train.pause")).toEqual({
      allowed: false,
      reason: "pat may not pause trains: it needs one of the roles coordinator, admin (pat has viewer)",
    });
    expect(decide(who([]), "read")).toMatchObject({ allowed: false });
  });
});

describe("people and effective roles", () => {
  const teams = {
    core: { members: [{ name: "ann", roles: ["member"] }] },
    board: {
      members: [
        { name: "ann", roles: ["approver"] },
        { name: "bob", roles: ["approver"] },
      ],
    },
  };
  const users = [
    { name: "ann", roles: ["viewer"] },
    { name: "ivy", roles: ["admin"] },
  ];

  it("unions a person's roles and lists their teams", () => {
    expect(personOf("ann", teams, users)).toEqual({
      roles: ["member", "approver", "viewer"],
      teams: ["core", "board"],
    });
    expect(personOf("ivy", teams, users)).toEqual({ roles: ["admin"], teams: [] });
    expect(personOf("robot", teams, users)).toBeNull();
  });

  it("narrows a person's token to their configured roles, not a bot's", () => {
    expect(effectiveRoles(["approver", "admin"], personOf("bob", teams, users))).toEqual(["approver"]);
    expect(effectiveRoles(["coordinator"], null)).toEqual(["coordinator"]);
  });
});
