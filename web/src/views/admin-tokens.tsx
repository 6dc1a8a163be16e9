/**
 * API tokens: the list (GET /api/v1/tokens; admins see everyone's, others their own), a form to
 * create one (POST /api/v1/tokens) whose secret is shown exactly once, and revocation
 * (DELETE /api/v1/tokens/{id}) behind a confirmation.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useId, useState } from "react";
import { api, type Schemas, unwrap } from "../api/client";
import { useServerNow } from "../api/clock";
import { tokensQuery } from "../api/queries";
import type { Me } from "../auth";
import { ConfirmButton, copyText, Empty, Loading, Time } from "../components/ui";
import { everyone, type PeopleConfig, SectionError } from "./admin-shared";

type Token = Schemas["Token"];
const ROLES = ["viewer", "member", "approver", "coordinator", "admin"] as const;
type Role = (typeof ROLES)[number];
const LIFETIMES = [
  { value: "12h", label: "12 hours" },
  { value: "7d", label: "7 days" },
  { value: "30d", label: "30 days" },
  { value: "90d", label: "90 days (default)" },
  { value: "365d", label: "1 year" },
  { value: "never", label: "Never expires (admins only)" },
];

function tokenStatus(token: Token, now: number): { label: string; tone: string; order: number } {
  if (token.revokedAt) return { label: "revoked", tone: "muted", order: 2 };
  if (token.expiresAt && Date.parse(token.expiresAt) <= now)
    return { label: "expired", tone: "muted", order: 1 };
  return { label: "active", tone: "good", order: 0 };
}

/** The new token's secret, once, with a copy button and a warning; dismissed for good. */
function SecretOnce({ secret, record, onDone }: { secret: string; record: Token; onDone: () => void }) {
  const id = useId();
  const [copied, setCopied] = useState<string>("");
  return (
    <div className="admin-secret" role="alert" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>
        Token “{record.name}” created for {record.subject}
      </h3>
      <p>
        <strong>Copy the secret now: this is the only time it is shown.</strong> Railyard keeps only its hash,
        so it cannot show it again; if it is lost, revoke the token and create another.
      </p>
      <label className="field" htmlFor={id}>
        <span>Secret</span>
        <span className="admin-secret-row">
          <input id={id} className="mono" readOnly value={secret} onFocus={(e) => e.currentTarget.select()} />
          <button
            type="button"
            className="button button-primary"
            onClick={async () => {
              const ok = await copyText(secret, document.getElementById(id) as HTMLInputElement | null);
              setCopied(ok ? "Copied to the clipboard" : "Select the secret and copy it");
            }}
          >
            Copy secret
          </button>
        </span>
      </label>
      <p role="status" className="admin-copied">
        {copied}
      </p>
      <button type="button" className="button" onClick={onDone}>
        I have stored it — hide the secret
      </button>
    </div>
  );
}

/** The form that creates a token; what only admins may choose is disabled with the reason. */
function CreateToken({
  me,
  config,
  onCreated,
}: {
  me: Me;
  config: PeopleConfig | undefined;
  onCreated: (answer: { token: string; record: Token }) => void;
}) {
  const id = useId();
  const client = useQueryClient();
  const isAdmin = me.roles.includes("admin");
  const mayGive = (role: Role) => isAdmin || me.roles.includes(role);
  const [name, setName] = useState("");
  const [subject, setSubject] = useState("");
  const [kind, setKind] = useState<"user" | "ci">("user");
  const [roles, setRoles] = useState<Role[]>(() =>
    mayGive("member") ? ["member"] : (ROLES.filter((r) => me.roles.includes(r)).slice(0, 1) as Role[]),
  );
  const [components, setComponents] = useState<string[]>([]);
  const [expiresIn, setExpiresIn] = useState("90d");
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/tokens", {
          body: {
            name: name.trim(),
            ...(isAdmin && subject.trim() ? { subject: subject.trim() } : {}),
            kind,
            ...(kind === "user" ? { roles } : { components }),
            expiresIn,
          },
        }),
      ),
    onSuccess: (answer) => {
      onCreated(answer);
      setName("");
      setSubject("");
      void client.invalidateQueries({ queryKey: ["tokens"] });
    },
  });
  const notAdmin = "Only an admin may do this.";
  const invalid =
    name.trim() === "" ||
    (kind === "user" && roles.length === 0) ||
    (kind === "ci" && components.length === 0);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!invalid) create.mutate();
  };
  const people = config ? everyone(config).map((p) => p.name) : [];
  return (
    <form className="admin-token-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Create a token</h3>
      <div className="admin-form-grid">
        <label className="field" htmlFor={`${id}-name`}>
          <span>Name</span>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={200}
            required
            placeholder="e.g. laptop CLI, GitHub Actions"
          />
        </label>
        <div className="field">
          <label htmlFor={`${id}-subject`}>Acts as (subject)</label>
          <input
            id={`${id}-subject`}
            value={isAdmin ? subject : me.subject}
            onChange={(e) => setSubject(e.target.value)}
            disabled={!isAdmin}
            placeholder={`${me.subject} (you)`}
            list={`${id}-people`}
            aria-describedby={`${id}-subject-hint`}
          />
          <span id={`${id}-subject-hint`} className="hint">
            {isAdmin
              ? "Empty: yourself. Approvals count per subject."
              : "Yourself: only an admin creates tokens for other people."}
          </span>
          <datalist id={`${id}-people`}>
            {people.map((p) => (
              <option key={p} value={p} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor={`${id}-expires`}>Expires</label>
          <select
            id={`${id}-expires`}
            value={expiresIn}
            onChange={(e) => setExpiresIn(e.target.value)}
            aria-describedby={isAdmin ? undefined : `${id}-expires-hint`}
          >
            {LIFETIMES.map((l) => (
              <option key={l.value} value={l.value} disabled={l.value === "never" && !isAdmin}>
                {l.label}
              </option>
            ))}
          </select>
          {isAdmin ? null : (
            <span id={`${id}-expires-hint`} className="hint">
              Tokens that never expire: {notAdmin}
            </span>
          )}
        </div>
      </div>
      <fieldset className="field choice">
        <legend>Kind</legend>
        <label>
          <input
            type="radio"
            name={`${id}-kind`}
            checked={kind === "user"}
            onChange={() => setKind("user")}
          />{" "}
          Person: uses the subject's roles
        </label>
        <label title={isAdmin ? undefined : notAdmin}>
          <input
            type="radio"
            name={`${id}-kind`}
            checked={kind === "ci"}
            onChange={() => setKind("ci")}
            disabled={!isAdmin}
            aria-describedby={isAdmin ? undefined : `${id}-ci-hint`}
          />{" "}
          CI (pushes artifacts and reports for some components only)
        </label>
        {isAdmin ? null : (
          <span id={`${id}-ci-hint`} className="hint">
            CI tokens: {notAdmin}
          </span>
        )}
      </fieldset>
      {kind === "user" ? (
        <fieldset className="field choice">
          <legend>Roles</legend>
          <div className="admin-checks">
            {ROLES.map((role) => (
              <label key={role} title={mayGive(role) ? undefined : `You do not hold ${role}`}>
                <input
                  type="checkbox"
                  checked={roles.includes(role)}
                  disabled={!mayGive(role)}
                  onChange={(e) =>
                    setRoles((rs) => (e.target.checked ? [...rs, role] : rs.filter((r) => r !== role)))
                  }
                />{" "}
                {role}
              </label>
            ))}
          </div>
          <span className="hint">
            {isAdmin
              ? "For a configured person the roles are narrowed to those railyard.yaml gives them."
              : `A token can hold only roles you hold (${me.roles.join(", ") || "none"}).`}
          </span>
        </fieldset>
      ) : (
        <fieldset className="field choice">
          <legend>Components it may push for</legend>
          {config?.components.length ? (
            <div className="admin-checks">
              {config.components.map((c) => (
                <label key={c}>
                  <input
                    type="checkbox"
                    checked={components.includes(c)}
                    onChange={(e) =>
                      setComponents((cs) => (e.target.checked ? [...cs, c] : cs.filter((x) => x !== c)))
                    }
                  />{" "}
                  {c}
                </label>
              ))}
            </div>
          ) : (
            <span className="hint">No components are configured.</span>
          )}
        </fieldset>
      )}
      {create.error ? (
        <p className="form-error" role="alert">
          {create.error.message}
        </p>
      ) : null}
      <button type="submit" className="button button-primary" disabled={invalid || create.isPending}>
        {create.isPending ? "Creating…" : "Create token"}
      </button>
    </form>
  );
}

/** The tokens table with revocation, the create form and the one-time secret. */
export function TokensSection({ me, config }: { me: Me; config: PeopleConfig | undefined }) {
  const client = useQueryClient();
  const now = useServerNow(5000);
  const isAdmin = me.roles.includes("admin");
  const [created, setCreated] = useState<{ token: string; record: Token } | null>(null);
  const [showEnded, setShowEnded] = useState(true);
  const showId = useId();
  const tokens = useQuery(tokensQuery);
  const revoke = async (token: Token) => {
    await unwrap(api.DELETE("/api/v1/tokens/{id}", { params: { path: { id: token.id } } }));
    await client.invalidateQueries({ queryKey: ["tokens"] });
  };
  let body: ReactNode;
  if (tokens.isPending) body = <Loading label="Loading tokens" />;
  else if (tokens.error || !tokens.data) {
    body = (
      <SectionError
        error={tokens.error}
        who="Every person may list their own tokens (viewer and up); admins see everyone's. CI tokens may not."
        retry={() => void tokens.refetch()}
      />
    );
  } else {
    const all = tokens.data
      .map((t) => ({ t, status: tokenStatus(t, now) }))
      .sort((a, b) => a.status.order - b.status.order || b.t.createdAt.localeCompare(a.t.createdAt));
    const shown = showEnded ? all : all.filter((x) => x.status.order === 0);
    const ended = all.length - all.filter((x) => x.status.order === 0).length;
    body = (
      <>
        {ended > 0 ? (
          <label className="admin-inline-check" htmlFor={showId}>
            <input
              id={showId}
              type="checkbox"
              checked={showEnded}
              onChange={(e) => setShowEnded(e.target.checked)}
            />{" "}
            Show revoked and expired tokens ({ended})
          </label>
        ) : null}
        {shown.length === 0 ? (
          <Empty title={all.length ? "No active tokens" : "No tokens yet"}>
            {isAdmin
              ? "Create one below; the bootstrap admin token (RAILYARD_ADMIN_TOKEN) is not listed."
              : "Create one below for the CLI or a script."}
          </Empty>
        ) : (
          <div className="table-wrap">
            <table className="tokens">
              <caption className="visually-hidden">
                {isAdmin ? "Every API token" : "Your API tokens"}, active first
              </caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Roles</th>
                  <th scope="col">Components</th>
                  <th scope="col">Created</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map(({ t, status }) => (
                  <tr key={t.id} className={status.order ? "admin-token-ended" : undefined}>
                    <th scope="row">
                      {t.name}
                      <span className="mono muted admin-token-id">{t.id}</span>
                    </th>
                    <td data-label="Subject">
                      {t.subject}
                      {t.subject === me.subject ? <span className="muted"> (you)</span> : null}
                    </td>
                    <td data-label="Kind">{t.kind === "ci" ? "CI" : "person"}</td>
                    <td data-label="Roles">{t.kind === "ci" ? "—" : t.roles.join(", ") || "none"}</td>
                    <td data-label="Components">{t.components?.join(", ") ?? "—"}</td>
                    <td data-label="Created">
                      <Time at={t.createdAt} />
                    </td>
                    <td data-label="Expires">{t.expiresAt ? <Time at={t.expiresAt} /> : "never"}</td>
                    <td data-label="Last used">{t.lastUsedAt ? <Time at={t.lastUsedAt} /> : "never"}</td>
                    <td data-label="Status">
                      <span className={`badge tone-${status.tone}`}>{status.label}</span>
                      {t.revokedAt ? (
                        <span className="muted admin-token-revoked">
                          {" "}
                          <Time at={t.revokedAt} />
                        </span>
                      ) : null}
                    </td>
                    <td className="admin-token-actions">
                      {t.revokedAt ? null : (
                        <ConfirmButton
                          label="Revoke"
                          title={`Revoke the token “${t.name}”?`}
                          consequence={
                            <p>
                              Whatever uses it ({t.kind === "ci" ? "a CI job" : `acting as ${t.subject}`}) is
                              refused from now on. Revoking cannot be undone; the revocation is audited.
                            </p>
                          }
                          confirmLabel="Revoke token"
                          danger
                          disabledWhy={
                            isAdmin || t.subject === me.subject
                              ? null
                              : "Only an admin may revoke other people's tokens."
                          }
                          onConfirm={() => revoke(t)}
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </>
    );
  }
  return (
    <div className="stack">
      {isAdmin ? (
        <p className="hint">
          You are an admin: you see and may revoke every token, and create tokens for anyone.
        </p>
      ) : (
        <p className="admin-notice">
          You see your own tokens. An admin sees and revokes everyone's, creates tokens for other people, CI
          tokens and tokens that never expire.
        </p>
      )}
      {body}
      {created ? (
        <SecretOnce secret={created.token} record={created.record} onDone={() => setCreated(null)} />
      ) : null}
      <CreateToken me={me} config={config} onCreated={setCreated} />
    </div>
  );
}
