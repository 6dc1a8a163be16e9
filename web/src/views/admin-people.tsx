/**
 * People and roles from railyard.yaml (GET /api/v1/config), read-only, with the configuration
 * reload (POST /api/v1/config/reload, admins), and the role matrix in words with who holds each
 * role, so people know whom to ask.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, unwrap } from "../api/client";
import type { Me } from "../auth";
import { ConfirmButton, Empty } from "../components/ui";
import { everyone, type PeopleConfig } from "./admin-shared";

function Roles({ roles }: { roles: string[] | undefined }) {
  const list = roles ?? ["member"];
  return (
    <span className="admin-roles">
      {list.map((role) => (
        <span key={role} className={`badge role-${role}`}>
          {role}
        </span>
      ))}
    </span>
  );
}

/** Everyone railyard.yaml names, grouped by team (then the people outside any team). */
function PeopleTable({ config, me }: { config: PeopleConfig; me: Me }) {
  const groups = [
    ...config.teams.map((t) => ({
      key: `team-${t.name}`,
      title: `Team ${t.name}`,
      note: t.description ?? null,
      mine: me.teams.includes(t.name),
      people: t.members,
    })),
    ...(config.users.length
      ? [
          {
            key: "users",
            title: "Outside any team",
            note: "users: auditors, administrators, coordinators",
            mine: false,
            people: config.users,
          },
        ]
      : []),
  ];
  return (
    <div className="table-wrap">
      <table className="people">
        <caption className="visually-hidden">
          People, their teams, emails and roles, from railyard.yaml
        </caption>
        <thead>
          <tr>
            <th scope="col">Team</th>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Roles</th>
          </tr>
        </thead>
        {groups.map((g) => (
          <tbody key={g.key} className={g.mine ? "admin-mine" : undefined}>
            {g.people.length === 0 ? (
              <tr>
                <th scope="rowgroup">{g.title}</th>
                <td colSpan={3} className="muted">
                  No members.
                </td>
              </tr>
            ) : (
              g.people.map((p, index) => (
                <tr key={p.name}>
                  {index === 0 ? (
                    <th scope="rowgroup" rowSpan={g.people.length} className="admin-group">
                      <span className="admin-group-name">{g.title}</span>
                      {g.mine ? <span className="badge tone-info">your team</span> : null}
                      {g.note ? <span className="muted admin-group-note">{g.note}</span> : null}
                    </th>
                  ) : null}
                  <td data-label="Name">
                    <strong>{p.name}</strong>
                    {p.name === me.subject ? <span className="muted"> (you)</span> : null}
                  </td>
                  <td data-label="Email">
                    {p.email ? (
                      <a href={`mailto:${p.email}`}>{p.email}</a>
                    ) : (
                      <span className="muted">none</span>
                    )}
                  </td>
                  <td data-label="Roles">
                    <Roles roles={p.roles} />
                  </td>
                </tr>
              ))
            )}
          </tbody>
        ))}
      </table>
    </div>
  );
}

/** A reload's answer, or the problems that kept the old configuration running. */
type ReloadResult =
  | { ok: true; hash: string; changed: boolean; lines: string[] }
  | { ok: false; message: string; problems: string[] };

function problemText(item: unknown): string {
  if (typeof item === "string") return item;
  if (item && typeof item === "object") {
    const p = item as Record<string, unknown>;
    const where = [p.file, p.line, p.column].filter((x) => x !== undefined).join(":");
    const what = p.message ?? p.detail ?? JSON.stringify(p);
    return where ? `${where} ${String(what)}` : String(what);
  }
  return String(item);
}

/** Teams, members and roles as railyard.yaml declares them, and the reload button. */
export function PeopleSection({ config, me }: { config: PeopleConfig; me: Me }) {
  const client = useQueryClient();
  const [result, setResult] = useState<ReloadResult | null>(null);
  const isAdmin = me.roles.includes("admin");
  const reload = async () => {
    try {
      const answer = await unwrap(api.POST("/api/v1/config/reload"));
      setResult({ ok: true, ...answer });
      await client.invalidateQueries();
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) {
        setResult({
          ok: false,
          message: error.message,
          problems: (error.problem?.problems ?? []).map(problemText),
        });
      }
      throw error;
    }
  };
  return (
    <div className="stack">
      <div className="config-source">
        <p>
          <span className="badge tone-info">read-only</span> Owned by <strong>railyard.yaml</strong>: people,
          teams and roles change in the file, then a reload swaps the whole file in (an invalid file is
          refused and the old one keeps running).
        </p>
        <dl className="admin-facts">
          <dt>Config source</dt>
          <dd className="mono">{config.source}</dd>
          <dt>Hash</dt>
          <dd className="mono">{config.hash}</dd>
        </dl>
        <div className="row">
          <ConfirmButton
            label="Reload configuration"
            title="Reload railyard.yaml?"
            consequence={
              <p>
                Railyard reads {config.source} again. A valid file replaces the running configuration at once
                (lines, gates, people and roles); every active train is checked against the new windows and
                blackouts. An invalid file is refused whole.
              </p>
            }
            confirmLabel="Reload"
            disabledWhy={
              isAdmin
                ? null
                : `Only an admin may reload the configuration; your roles: ${me.roles.join(", ") || "none"}.`
            }
            onConfirm={reload}
          />
          {isAdmin ? null : <span className="hint">Only an admin may reload the configuration.</span>}
        </div>
        {result ? (
          <div
            className={result.ok ? "admin-result admin-result-good" : "admin-result admin-result-bad"}
            role="status"
          >
            {result.ok ? (
              <p>
                {result.changed ? "Reloaded: the configuration changed" : "Reloaded: the file is unchanged"}{" "}
                (hash <span className="mono">{result.hash}</span>; lines {result.lines.join(", ") || "none"}).
              </p>
            ) : (
              <>
                <p>Refused; the old configuration keeps running. {result.message}</p>
                {result.problems.length ? (
                  <ul className="mono">
                    {result.problems.map((p) => (
                      <li key={p}>{p}</li>
                    ))}
                  </ul>
                ) : null}
              </>
            )}
          </div>
        ) : null}
      </div>
      {config.teams.length === 0 && config.users.length === 0 ? (
        <Empty title="Nobody is configured">
          Add <code>teams</code> with <code>members</code>, or <code>users</code>, to railyard.yaml.
        </Empty>
      ) : null}
      <PeopleTable config={config} me={me} />
    </div>
  );
}

const MATRIX: Array<{ role: string; may: string }> = [
  {
    role: "viewer",
    may: "Read trains, lines, artifacts, events and the audit log; manage their own tokens.",
  },
  {
    role: "member",
    may: "Read; push artifacts and reports and drop components for their own teams' components; tick checklist items.",
  },
  {
    role: "approver",
    may: "Read; approve and reject trains (never their own change); promote rollout steps; grant and revoke security waivers; tick checklist items.",
  },
  {
    role: "coordinator",
    may: "Read; pause, resume, abort, roll back and retry trains; drop any component; grant blackout exceptions; start hotfix trains; pin components; open and resolve incidents; resend failed notifications; promote; manage waivers.",
  },
  {
    role: "admin",
    may: "Everything, including tokens for anyone, configuration reloads and the simulated clock. (Blackout exceptions still need a role the blackout names.)",
  },
];

/** What each role may do, in words, and who holds it according to railyard.yaml. */
export function RoleMatrix({ config }: { config: PeopleConfig | undefined }) {
  const people = config ? everyone(config) : [];
  return (
    <div className="table-wrap">
      <table className="matrix">
        <caption className="visually-hidden">Roles, what they may do, and who holds them</caption>
        <thead>
          <tr>
            <th scope="col">Role</th>
            <th scope="col">May</th>
            <th scope="col">Who holds it (ask them)</th>
          </tr>
        </thead>
        <tbody>
          {MATRIX.map(({ role, may }) => {
            const holders = people.filter((p) => p.roles.includes(role));
            return (
              <tr key={role}>
                <th scope="row">
                  <span className={`badge role-${role}`}>{role}</span>
                </th>
                <td data-label="May">{may}</td>
                <td data-label="Who holds it">
                  {!config ? (
                    <span className="muted">—</span>
                  ) : holders.length ? (
                    <ul className="admin-holders">
                      {holders.map((p) => (
                        <li key={p.name}>
                          {p.email ? <a href={`mailto:${p.email}`}>{p.name}</a> : p.name}
                          {p.teams.length ? <span className="muted"> ({p.teams.join(", ")})</span> : null}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <span className="muted">
                      nobody in railyard.yaml
                      {role === "admin" ? " (the bootstrap admin token acts as admin)" : ""}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
          <tr>
            <th scope="row">
              <span className="badge">ci token</span>
            </th>
            <td data-label="May">
              Push artifacts and reports for the components the token names, nothing else.
            </td>
            <td data-label="Who holds it">
              <span className="muted">created by an admin (Tokens above)</span>
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
