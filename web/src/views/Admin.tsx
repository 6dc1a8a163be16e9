/**
 * Admin: API tokens (GET/POST/DELETE /api/v1/tokens), people and roles from railyard.yaml with the
 * configuration reload (GET /api/v1/config, POST /api/v1/config/reload), the role matrix in words,
 * and verification of the audit chain (GET /api/v1/audit/verify).
 */
import { useMutation } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { useServerClockReading } from "../api/clock";
import { useSession } from "../auth";
import { Card, Loading, PageHeader, Time } from "../components/ui";
import { PeopleSection, RoleMatrix } from "./admin-people";
import { SectionError, usePeople } from "./admin-shared";
import { TokensSection } from "./admin-tokens";
import "./admin.css";

/** "Verify the audit chain": recomputes the hash chain on the server and shows where it stands. */
function AuditSection() {
  const reading = useServerClockReading();
  const verify = useMutation({
    mutationFn: async () => {
      const answer = await unwrap(api.GET("/api/v1/audit/verify"));
      const now = reading ? reading.now + (Date.now() - reading.readAt) * reading.rate : Date.now();
      return { answer, checkedAt: new Date(now).toISOString() };
    },
  });
  const result = verify.data?.answer;
  const cp = result?.checkpoints;
  return (
    <div className="stack">
      <p className="hint">
        Every event in the log carries the hash of the one before it; signed checkpoints pin the chain's head.
        Verifying recomputes every hash and checks every checkpoint, and names the first event that does not
        fit.
      </p>
      <div className="row">
        <button
          type="button"
          className="button button-primary"
          onClick={() => verify.mutate()}
          disabled={verify.isPending}
        >
          {verify.isPending ? "Verifying…" : "Verify the audit chain"}
        </button>
      </div>
      <div aria-live="polite">
        {verify.isPending ? <Loading label="Recomputing the hash chain" /> : null}
        {verify.error ? (
          <SectionError
            error={verify.error}
            who="Verifying needs a logged-in person with any reading role (viewer and up)."
          />
        ) : null}
        {result && cp ? (
          <div className={result.ok ? "admin-result admin-result-good" : "admin-result admin-result-bad"}>
            <p className="admin-result-title">
              {result.ok ? (
                <>
                  <span className="badge tone-good">intact</span> The chain is intact: {result.events} events
                  checked.
                </>
              ) : (
                <>
                  <span className="badge tone-bad">broken</span> The chain breaks at event #{result.brokenAt}:{" "}
                  {result.problem} ({result.events} events checked).
                </>
              )}
            </p>
            <dl className="admin-facts">
              {result.ok ? (
                <>
                  <dt>Head hash</dt>
                  <dd className="mono">{result.lastHash}</dd>
                </>
              ) : null}
              <dt>Checkpoints</dt>
              <dd>
                {cp.count} signed checkpoint{cp.count === 1 ? "" : "s"}; signatures {cp.signatures}
                {cp.keyId ? (
                  <>
                    {" "}
                    (key <span className="mono">{cp.keyId}</span>)
                  </>
                ) : null}
                {cp.signing === "off" ? "; signing is off (the server has no signing key)" : ""}
              </dd>
              <dt>Last checkpoint</dt>
              <dd>
                {cp.last ? (
                  <>
                    at event #{cp.last.eventId}, signed <Time at={cp.last.signedAt} />
                  </>
                ) : (
                  "none yet"
                )}
              </dd>
              <dt>After it</dt>
              <dd>{cp.unsigned} events not yet under a checkpoint</dd>
              <dt>Checked</dt>
              <dd>
                <Time at={verify.data?.checkedAt} /> (server clock)
              </dd>
            </dl>
          </div>
        ) : null}
      </div>
    </div>
  );
}

/** The admin page (route `/admin`). */
export default function AdminView() {
  const { me } = useSession();
  const people = usePeople();
  if (!me) return <Loading label="Opening your session" />;
  const isAdmin = me.roles.includes("admin");
  return (
    <>
      <PageHeader
        title="Admin"
        subtitle={
          isAdmin
            ? "Tokens, people and roles, and the audit chain."
            : `You are ${me.subject} (${me.roles.join(", ") || "no roles"}): you manage your own tokens; what only an admin may do is disabled and says so.`
        }
      />
      <div className="grid">
        <Card title="API tokens" className="span-12">
          <TokensSection me={me} config={people.data} />
        </Card>
        <Card title="People and roles" className="span-12">
          {people.isPending ? (
            <Loading label="Loading the configuration" />
          ) : people.error || !people.data ? (
            <SectionError
              error={people.error}
              who="The configuration is readable by every reading role (viewer and up)."
              retry={() => void people.refetch()}
            />
          ) : (
            <PeopleSection config={people.data} me={me} />
          )}
        </Card>
        <Card title="Who may do what" className="span-12">
          <RoleMatrix config={people.data} />
        </Card>
        <Card title="Audit chain" className="span-12">
          <AuditSection />
        </Card>
      </div>
    </>
  );
}
