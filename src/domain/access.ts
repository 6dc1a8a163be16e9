/**
 * Who may do what: the permission matrix of roles and actions, as data, and the pure decision
 * over it. Roles are additive: a principal may act when any of its roles allows the action.
 * Business rules that need a train's state (approvers must be in the approving group, checklist
 * items name their roles, blackouts name exception roles) are checked by the actions themselves,
 * after this.
 *
 * | role        | may |
 * | ----------- | --- |
 * | viewer      | read |
 * | member      | read; push artifacts and reports and drop components of its own teams |
 * | approver    | read; approve and reject trains; promote rollouts; manage waivers |
 * | coordinator | read; pause, resume, abort, roll back, retry; drop any component; grant blackout exceptions; start hotfix trains; pin; open and resolve incidents; resend failed notifications; promote; manage waivers |
 * | admin       | everything, including tokens, configuration reloads and the simulated clock |
 *
 * A `ci` token may only push artifacts and reports for the components it names.
 */

/** The roles, weakest first. */
export const ROLE_NAMES = ["viewer", "member", "approver", "coordinator", "admin"] as const;
export type Role = (typeof ROLE_NAMES)[number];

/** Everything a principal may attempt, with what it means (shown in errors and docs). */
export const ACTIONS = {
  read: "read trains, lines, artifacts, events and the audit log",
  "artifact.push": "push artifacts",
  "report.push": "push test and scan reports",
  "train.approve": "approve trains",
  "train.reject": "reject trains",
  "train.promote": "promote a rollout step",
  "train.pause": "pause trains",
  "train.resume": "resume trains",
  "train.abort": "abort trains",
  "train.rollback": "roll trains back",
  "train.retry": "retry failed trains",
  "train.drop": "drop components from trains",
  "train.exception": "let trains through blackouts",
  "train.hotfix": "start hotfix trains",
  "component.pin": "pin components",
  "waiver.manage": "grant and revoke security waivers",
  "checklist.tick": "tick checklist items",
  "incident.open": "open incidents",
  "incident.resolve": "resolve incidents",
  "notification.retry": "send failed notifications again",
  "token.self": "create, list and revoke their own tokens",
  "token.manage": "manage every token",
  "config.reload": "reload the configuration",
  "clock.advance": "move the simulated clock",
} as const;
export type Action = keyof typeof ACTIONS;

/** How a role holds an action: outright, or only for components of the principal's teams. */
type Grant = "any" | "own-team";

/** The matrix: for each action, the roles that hold it and how. Admin holds everything. */
export const PERMISSIONS: Record<Action, Partial<Record<Role, Grant>>> = {
  read: { viewer: "any", member: "any", approver: "any", coordinator: "any" },
  "artifact.push": { member: "own-team" },
  "report.push": { member: "own-team" },
  "train.approve": { approver: "any" },
  "train.reject": { approver: "any" },
  "train.promote": { approver: "any", coordinator: "any" },
  "train.pause": { coordinator: "any" },
  "train.resume": { coordinator: "any" },
  "train.abort": { coordinator: "any" },
  "train.rollback": { coordinator: "any" },
  "train.retry": { coordinator: "any" },
  "train.drop": { member: "own-team", coordinator: "any" },
  "train.exception": { coordinator: "any" },
  "train.hotfix": { coordinator: "any" },
  "component.pin": { coordinator: "any" },
  "waiver.manage": { approver: "any", coordinator: "any" },
  "checklist.tick": { member: "any", approver: "any", coordinator: "any" },
  "incident.open": { coordinator: "any" },
  "incident.resolve": { coordinator: "any" },
  "notification.retry": { coordinator: "any" },
  "token.self": { viewer: "any", member: "any", approver: "any", coordinator: "any" },
  "token.manage": {},
  "config.reload": {},
  "clock.advance": {},
};

/** Actions a `ci` token may take (for its components only). */
export const CI_ACTIONS: readonly Action[] = ["artifact.push", "report.push"];

/** The part of a principal the decision reads. */
export interface AccessSubject {
  subject: string;
  roles: readonly string[];
  teams?: readonly string[];
  kind?: "user" | "ci";
  components?: readonly string[] | null;
}

/** What the action touches, when its permission depends on it. */
export interface AccessResource {
  /** Components the action touches (pushes, drops). */
  components?: readonly string[];
  /**
   * The owning team of a component (undefined: unknown component). Unknown components are left to
   * the action, which refuses them as bad input (400) rather than as forbidden.
   */
  teamOf?: (component: string) => string | undefined;
}

export type AccessDecision = { allowed: true } | { allowed: false; reason: string };

function isRole(role: string): role is Role {
  return (ROLE_NAMES as readonly string[]).includes(role);
}

/**
 * Decides whether `who` may take `action` on `resource`.
 * The reason of a refusal names the roles that would do and what the principal has.
 */
export function decide(who: AccessSubject, action: Action, resource: AccessResource = {}): AccessDecision {
  const what = ACTIONS[action];
  if (who.kind === "ci") {
    if (!CI_ACTIONS.includes(action)) {
      return {
        allowed: false,
        reason: `${who.subject} is a CI token and may only push artifacts and reports`,
      };
    }
    const allowed = new Set(who.components ?? []);
    const outside = (resource.components ?? []).filter(
      (c) => !allowed.has(c) && (resource.teamOf === undefined || resource.teamOf(c) !== undefined),
    );
    if (outside.length > 0) {
      return {
        allowed: false,
        reason: `${who.subject} is a CI token for ${[...allowed].join(", ") || "no components"} and may not ${what} for ${outside.join(", ")}`,
      };
    }
    return { allowed: true };
  }
  if (who.roles.includes("admin")) return { allowed: true };
  const grants = PERMISSIONS[action];
  const held = who.roles.filter(isRole).map((role) => grants[role]);
  if (held.includes("any")) return { allowed: true };
  const holders = Object.keys(grants).concat("admin");
  const has = who.roles.join(", ") || "none";
  if (held.includes("own-team")) {
    const teams = new Set(who.teams ?? []);
    const foreign = (resource.components ?? []).filter((c) => {
      const team = resource.teamOf?.(c);
      return team !== undefined && !teams.has(team);
    });
    if (foreign.length === 0) return { allowed: true };
    const owners = foreign.map((c) => `${c} (${resource.teamOf?.(c)})`).join(", ");
    return {
      allowed: false,
      reason: `${who.subject} may ${what} only for components of their teams (${[...teams].join(", ") || "none"}), not ${owners}; a coordinator or admin may`,
    };
  }
  return {
    allowed: false,
    reason: `${who.subject} may not ${what}: it needs ${holders.length === 1 ? `the ${holders[0]} role` : `one of the roles ${holders.join(", ")}`} (${who.subject} has ${has})`,
  };
}

/** A person as the configuration lists them (in a team or in `users`). */
export interface ConfiguredPerson {
  name: string;
  roles: readonly string[];
}

/** A person's configured roles (the union of their entries) and teams; null when not configured. */
export function personOf(
  name: string,
  teams: Readonly<Record<string, { members: readonly ConfiguredPerson[] }>>,
  users: readonly ConfiguredPerson[],
): { roles: string[]; teams: string[] } | null {
  const roles = new Set<string>();
  const memberOf: string[] = [];
  let found = false;
  for (const [team, config] of Object.entries(teams)) {
    for (const member of config.members) {
      if (member.name !== name) continue;
      found = true;
      if (!memberOf.includes(team)) memberOf.push(team);
      for (const role of member.roles) roles.add(role);
    }
  }
  for (const user of users) {
    if (user.name !== name) continue;
    found = true;
    for (const role of user.roles) roles.add(role);
  }
  return found ? { roles: [...roles], teams: memberOf } : null;
}

/**
 * A token's effective roles: its roles narrowed to the person's configured roles when the subject
 * is a configured person (a token never gives a person more than the configuration does); a bot's
 * token keeps the roles it was given.
 */
export function effectiveRoles(
  tokenRoles: readonly string[],
  person: { roles: readonly string[] } | null,
): string[] {
  if (!person) return [...tokenRoles];
  return tokenRoles.filter((role) => person.roles.includes(role));
}
