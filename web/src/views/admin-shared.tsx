/**
 * What the admin page's sections share: the configuration query (GET /api/v1/config), the people
 * it names, and an error state that says which role may see a section when the server answers 403.
 */
import { useQuery } from "@tanstack/react-query";
import { ApiError } from "../api/client";
import { configQuery } from "../api/queries";
import { ErrorState } from "../components/ui";

export interface Person {
  name: string;
  email?: string;
  roles?: string[];
}

export interface PeopleConfig {
  source: string;
  hash: string;
  teams: Array<{ name: string; description?: string; members: Person[] }>;
  users: Person[];
  components: string[];
}

/** The configuration in force, narrowed to people, teams and component names. */
export function usePeople() {
  return useQuery({
    ...configQuery,
    select: (answer): PeopleConfig => {
      const teams = (answer.config.teams ?? {}) as Record<
        string,
        { description?: string; members?: Person[] }
      >;
      return {
        source: answer.source,
        hash: answer.hash,
        teams: Object.entries(teams).map(([name, team]) => ({
          name,
          ...(team.description ? { description: team.description } : {}),
          members: team.members ?? [],
        })),
        users: Array.isArray(answer.config.users) ? (answer.config.users as Person[]) : [],
        components: Object.keys((answer.config.components ?? {}) as Record<string, unknown>),
      };
    },
  });
}

/** Everyone the configuration names, with the union of their roles and their teams. */
export function everyone(
  config: PeopleConfig,
): Array<{ name: string; email?: string; roles: string[]; teams: string[] }> {
  const people = new Map<string, { name: string; email?: string; roles: Set<string>; teams: string[] }>();
  const add = (person: Person, team: string | null) => {
    const found = people.get(person.name) ?? { name: person.name, roles: new Set<string>(), teams: [] };
    if (person.email && !found.email) found.email = person.email;
    for (const role of person.roles ?? ["member"]) found.roles.add(role);
    if (team) found.teams.push(team);
    people.set(person.name, found);
  };
  for (const team of config.teams) for (const member of team.members) add(member, team.name);
  for (const user of config.users) add(user, null);
  return [...people.values()].map((p) => ({ ...p, roles: [...p.roles] }));
}

/** A section's error: for a 403, which role may see it; otherwise the server's words and a retry. */
export function SectionError({ error, who, retry }: { error: unknown; who: string; retry?: () => void }) {
  if (error instanceof ApiError && error.status === 403) {
    return (
      <div className="state state-error" role="alert">
        <p className="state-title">You may not see this</p>
        <p className="state-body">{who}</p>
        <p className="state-body muted">The server said: {error.message}</p>
      </div>
    );
  }
  return <ErrorState error={error} {...(retry ? { retry } : {})} />;
}
