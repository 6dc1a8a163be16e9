/**
 * A train's page (route `/trains/:id`): its state and what it waits for, the actions open to the
 * user, the timeline of every event (growing live), the manifest against production, boarding
 * (held and dropped components with their reason chains), gates with their evidence (canary
 * charts), approvals, steps with their logs and the train's part of the audit chain.
 * Data: GET /api/v1/trains/{id}; GET /api/v1/audit/verify on demand.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Link, useParams } from "react-router";
import {
  ApiError,
  api,
  type GateResult,
  type Step,
  type StoredEvent,
  type TrainDetail,
  unwrap,
} from "../api/client";
import { trainQuery } from "../api/queries";
import { CanaryAnalysis, canaryDetailOf, latestCanary } from "../components/canary";
import { TrainActions } from "../components/train-actions";
import {
  Card,
  Empty,
  ErrorState,
  LazyDetails,
  Loading,
  PageHeader,
  StateBadge,
  Time,
} from "../components/ui";
import { formatDuration, utc } from "../format";
import { enteredStateAt, Since, WaveProgress, waitingSentence, withTimes } from "./train-parts";
import { eventSummary, eventWords } from "./train-words";
import "./train.css";

/** The train page: loads GET /api/v1/trains/{id} and shows a designed state for an unknown train. */
export default function TrainView() {
  const { id = "" } = useParams();
  const query = useQuery({
    ...trainQuery(id),
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
  if (query.isPending)
    return (
      <>
        <PageHeader title={id} />
        <Loading label={`Loading train ${id}`} />
      </>
    );
  if (query.error instanceof ApiError && query.error.status === 404)
    return (
      <>
        <PageHeader title={`No train ${id}`} />
        <Empty title={`No train ${id}`}>
          <p>
            Railyard has no train with this ID. Train IDs look like <code>web-42</code> (or{" "}
            <code>web-42-hotfix-1</code>). Find it in the <Link to="/trains">list of trains</Link> or see the
            upcoming departures on the <Link to="/calendar">calendar</Link>.
          </p>
        </Empty>
      </>
    );
  if (query.error || !query.data)
    return (
      <>
        <PageHeader title={id} />
        <ErrorState error={query.error ?? new Error("no data")} retry={() => void query.refetch()} />
      </>
    );
  return <TrainPage detail={query.data} />;
}

function TrainPage({ detail }: { detail: TrainDetail }) {
  const { train } = detail;
  const waiting = waitingSentence(detail);
  return (
    <div className="stack train-page">
      <PageHeader
        title={train.id}
        subtitle={
          <span className="train-subtitle">
            <StateBadge state={train.state} />
            {train.kind === "hotfix" ? <StateBadge state="warning" label="hotfix" /> : null}
            <span>
              line <Link to={`/trains?line=${encodeURIComponent(train.line)}`}>{train.line}</Link>
            </span>
          </span>
        }
      />
      <Card title="Now" className="train-now">
        <p className="train-status">{withTimes(train.statusText)}</p>
        {waiting ? <p className="train-waiting">{waiting}</p> : null}
        <dl className="facts">
          {train.endedAt ? null : (
            <Fact label="In this state for">
              <Since at={enteredStateAt(detail)} />{" "}
              <span className="muted">
                (since <Time at={enteredStateAt(detail)} />)
              </span>
            </Fact>
          )}
          <Fact label="Cut-off">
            <Time at={train.cutoffAt} />
          </Fact>
          <Fact label="Departure">
            <Time at={train.departureAt} />
            {train.scheduledAt && train.scheduledAt !== train.departureAt ? (
              <span className="muted">
                {" "}
                (timetable: <Time at={train.scheduledAt} />)
              </span>
            ) : null}
          </Fact>
          {train.endedAt ? (
            <Fact label="Ended">
              <Time at={train.endedAt} />
            </Fact>
          ) : null}
          {train.resumeAt ? (
            <Fact label="Resumes">
              <Time at={train.resumeAt} />
            </Fact>
          ) : null}
          <Fact label="Manifest revision">{train.manifestRevision}</Fact>
        </dl>
        <h3 className="train-subheading">Rollout</h3>
        <WaveProgress detail={detail} />
        <h3 className="train-subheading">Actions</h3>
        <TrainActions detail={detail} />
      </Card>
      <div className="grid">
        <Card title="Manifest and production" className="span-8">
          <ManifestDiff detail={detail} />
        </Card>
        <Card title="Boarding" className="span-4">
          <Boarding detail={detail} />
        </Card>
        <Card title="Gates" className="span-12">
          <Gates detail={detail} />
        </Card>
        <Card title="Timeline" className="span-6">
          <Timeline events={detail.events} />
        </Card>
        <div className="span-6 stack">
          <Card title="Approvals">
            <Approvals detail={detail} />
          </Card>
          <Card title="Steps">
            <Steps detail={detail} />
          </Card>
        </div>
        <Card title="Audit record" className="span-12">
          <Audit events={detail.events} />
        </Card>
      </div>
    </div>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

const CHANGE_WORDS: Record<string, string> = {
  new: "new",
  upgrade: "changed (upgrade)",
  downgrade: "changed (downgrade)",
  same: "unchanged",
};
const CHANGE_STATE: Record<string, string> = {
  new: "boarding",
  upgrade: "deploying",
  downgrade: "warning",
  same: "skipped",
};

function ManifestDiff({ detail }: { detail: TrainDetail }) {
  const { diff } = detail;
  if (diff.items.length === 0)
    return (
      <Empty title="Nothing on this train">
        <p>
          {diff.provisional
            ? "No artifact has been pushed for this train's components yet. CI pushes them with the train ID before the cut-off."
            : "No component boarded before the cut-off."}
        </p>
      </Empty>
    );
  return (
    <>
      <p className="muted">
        {diff.provisional
          ? "Provisional: boarding is still open, so this is the latest artifact of each component so far."
          : `Manifest revision ${diff.revision} against what production runs now.`}
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Component</th>
              <th scope="col">Production → train</th>
              <th scope="col">Change</th>
              <th scope="col">On the train</th>
            </tr>
          </thead>
          <tbody>
            {diff.items.map((item) => (
              <tr key={item.component}>
                <td>{item.component}</td>
                <td className="mono">
                  {item.from ?? <span className="muted">never released</span>} → {item.to}
                  {item.compareUrl ? (
                    <>
                      {" "}
                      <a href={item.compareUrl} target="_blank" rel="noreferrer noopener">
                        commits<span className="visually-hidden"> of {item.component} (opens a new tab)</span>
                      </a>
                    </>
                  ) : null}
                </td>
                <td>
                  <StateBadge
                    state={CHANGE_STATE[item.change] ?? "pending"}
                    label={CHANGE_WORDS[item.change]}
                  />
                </td>
                <td>
                  {item.status ? (
                    <StateBadge
                      state={
                        item.status === "boarded" ? "passed" : item.status === "held" ? "warning" : "aborted"
                      }
                      label={item.status}
                    />
                  ) : (
                    <span className="muted">decided at the cut-off</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Boarding({ detail }: { detail: TrainDetail }) {
  const left = detail.manifest.filter((item) => item.status !== "boarded");
  const boarded = detail.manifest.length - left.length;
  if (detail.manifest.length === 0)
    return (
      <p className="muted">
        Boarding is decided at the cut-off (<Time at={detail.train.cutoffAt} />
        ): components whose artifacts are ready board; the rest are held with a named reason.
      </p>
    );
  return (
    <div className="stack boarding">
      <p>
        {boarded} of {detail.manifest.length} components boarded
        {left.length === 0 ? "; none held or dropped." : "."}
      </p>
      {left.length > 0 ? (
        <ul className="boarding-list">
          {left.map((item) => {
            const chain = (item.reason ?? "").split("; ").filter(Boolean);
            return (
              <li key={item.component}>
                <div className="row">
                  <strong>{item.component}</strong> <span className="mono">{item.version}</span>
                  <StateBadge state={item.status === "held" ? "warning" : "aborted"} label={item.status} />
                </div>
                {chain.length > 0 ? (
                  <ol className="reason-chain" aria-label={`Why ${item.component} is ${item.status}`}>
                    {chain.map((reason) => (
                      <li key={reason}>{reason}</li>
                    ))}
                  </ol>
                ) : (
                  <p className="muted">No reason was recorded.</p>
                )}
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}

/** A flat object as key/value pairs; anything nested as JSON. */
function DetailView({ value }: { value: unknown }) {
  if (value === null || value === undefined) return null;
  const flat =
    typeof value === "object" &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => v === null || typeof v !== "object");
  if (flat) {
    return (
      <dl className="facts facts-compact">
        {Object.entries(value as Record<string, unknown>).map(([key, v]) => (
          <Fact key={key} label={key}>
            <span className="mono">{String(v)}</span>
          </Fact>
        ))}
      </dl>
    );
  }
  return <pre>{JSON.stringify(value, null, 2)}</pre>;
}

function GateItem({ gate, trainId, latest }: { gate: GateResult; trainId: string; latest: boolean }) {
  const canary = canaryDetailOf(gate.detail);
  const bad = gate.verdict !== "pass";
  const [head, ...rest] = gate.output.split("\n");
  return (
    <li className="gate">
      <div className="gate-head">
        <h3>{gate.gate}</h3>
        <StateBadge state={gate.verdict} />
        <span className="muted">
          {gate.type} · {gate.stage} · attempt {gate.attempt} · {formatDuration(gate.durationMs)} ·{" "}
          <Time at={gate.evaluatedAt} />
        </span>
      </div>
      <p className="gate-decider">{head}</p>
      {canary ? (
        latest ? (
          <CanaryAnalysis gate={gate} detail={canary} trainId={trainId} withHeading={false} />
        ) : (
          <LazyDetails summary="Charts of this analysis (a later one is shown open)">
            {() => <CanaryAnalysis gate={gate} detail={canary} trainId={trainId} withHeading={false} />}
          </LazyDetails>
        )
      ) : null}
      {rest.length > 0 ? (
        <LazyDetails open={bad && !canary} summary={`Evidence (${rest.length} more lines)`}>
          {() => <pre>{rest.join("\n")}</pre>}
        </LazyDetails>
      ) : null}
      {!canary && gate.detail !== null && gate.detail !== undefined ? (
        <LazyDetails summary="Structured evidence">{() => <DetailView value={gate.detail} />}</LazyDetails>
      ) : null}
    </li>
  );
}

function Gates({ detail }: { detail: TrainDetail }) {
  const { gates, testReports } = detail;
  const latestCanaryId = latestCanary(gates)?.gate.id ?? null;
  return (
    <div className="stack">
      {gates.length === 0 ? (
        <Empty title="No gate has run yet">
          <p>Gates run after integration (tests, smoke, security, policy) and in each wave (verification).</p>
        </Empty>
      ) : (
        <ol className="gate-list">
          {gates.map((gate) => (
            <GateItem
              key={gate.id}
              gate={gate}
              trainId={detail.train.id}
              latest={gate.id === latestCanaryId}
            />
          ))}
        </ol>
      )}
      {testReports.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="table-caption">
              Test results for manifest revision {detail.train.manifestRevision}
            </caption>
            <thead>
              <tr>
                <th scope="col">Suite</th>
                <th scope="col" className="num">
                  Passed
                </th>
                <th scope="col" className="num">
                  Failed
                </th>
                <th scope="col" className="num">
                  Errored
                </th>
                <th scope="col" className="num hide-narrow">
                  Skipped
                </th>
                <th scope="col" className="num hide-narrow">
                  Flaky
                </th>
                <th scope="col" className="hide-narrow">
                  Received
                </th>
              </tr>
            </thead>
            <tbody>
              {testReports.map((report) => (
                <tr key={report.id}>
                  <td>{report.suite}</td>
                  <td className="num">{report.summary.passed}</td>
                  <td className="num">{report.summary.failed}</td>
                  <td className="num">{report.summary.errored}</td>
                  <td className="num hide-narrow">{report.summary.skipped}</td>
                  <td className="num hide-narrow">{report.summary.flaky}</td>
                  <td className="hide-narrow">
                    <Time at={report.receivedAt} /> <span className="muted">by {report.actor}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

const EXCLUSION_WORDS: Record<string, string> = {
  stale: "given for an earlier manifest revision",
  expired: "expired",
  self: "carries their own change",
  "not-member": "in none of the approving teams",
  "before-rejection": "given before the latest rejection",
};

function Approvals({ detail }: { detail: TrainDetail }) {
  const { approval } = detail;
  return (
    <div className="stack approvals">
      {approval.mode === "auto" ? (
        <p>
          <StateBadge state="passed" label="automatic" /> This line approves a train automatically once its
          gates pass.
        </p>
      ) : (
        <>
          <p>
            <StateBadge
              state={approval.satisfied ? "passed" : "awaiting_approval"}
              label={approval.satisfied ? "satisfied" : "not yet satisfied"}
            />{" "}
            {approval.approvers.length} of {approval.required} approvals
            {approval.approvers.length > 0 ? ` (${approval.approvers.join(", ")})` : ""}.
          </p>
          {approval.groups.length > 0 ? (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Approving team</th>
                    <th scope="col" className="num">
                      Needed
                    </th>
                    <th scope="col">Counted</th>
                  </tr>
                </thead>
                <tbody>
                  {approval.groups.map((group) => (
                    <tr key={group.team}>
                      <td>
                        {group.team} {group.satisfied ? <StateBadge state="passed" label="done" /> : null}
                      </td>
                      <td className="num">{group.required}</td>
                      <td>{group.approvers.join(", ") || <span className="muted">nobody yet</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {approval.surplus.length > 0 ? (
            <p className="muted">
              Also approved (every seat they could fill is taken): {approval.surplus.join(", ")}.
            </p>
          ) : null}
          {approval.excluded.length > 0 ? (
            <ul className="plain-list">
              {approval.excluded.map((e) => (
                <li key={e.approvalId}>
                  <strong>{e.approver}</strong> does not count: {EXCLUSION_WORDS[e.reason] ?? e.reason} (
                  <Time at={e.at} />)
                </li>
              ))}
            </ul>
          ) : null}
        </>
      )}
      {approval.records.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="table-caption">Approvals and rejections, in the order recorded</caption>
            <thead>
              <tr>
                <th scope="col">Who</th>
                <th scope="col">Decision</th>
                <th scope="col">Comment</th>
                <th scope="col" className="num hide-narrow">
                  Revision
                </th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {approval.records.map((record) => (
                <tr key={record.id}>
                  <td>{record.approver}</td>
                  <td>
                    <StateBadge
                      state={record.decision === "approve" ? "passed" : "failed"}
                      label={record.decision === "approve" ? "approved" : "rejected"}
                    />
                  </td>
                  <td>{record.comment ?? <span className="muted">none</span>}</td>
                  <td className="num hide-narrow">{record.manifestRevision}</td>
                  <td>
                    <Time at={record.at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : approval.mode === "manual" ? (
        <p className="muted">Nobody has approved or rejected this train yet.</p>
      ) : null}
      <TrainActions
        detail={detail}
        only={["approve", "reject"]}
        emptyText={
          approval.mode === "manual" && !detail.train.endedAt
            ? "Approving and rejecting open when the train awaits approval."
            : null
        }
      />
    </div>
  );
}

/** A step's times, idempotency key, error and output (drawn when its row is opened). */
function StepLog({ step }: { step: Step }) {
  return (
    <>
      <dl className="facts facts-compact">
        <Fact label="Started">
          <Time at={step.startedAt} />
        </Fact>
        <Fact label="Finished">
          <Time at={step.finishedAt} />
        </Fact>
        <Fact label="Idempotency key">
          <span className="mono">{step.idempotencyKey}</span>
        </Fact>
      </dl>
      {step.error ? (
        <>
          <h4 className="step-log-title">Error</h4>
          <pre className="step-error">{step.error}</pre>
        </>
      ) : null}
      {step.output ? (
        <>
          <h4 className="step-log-title">Output</h4>
          <pre>{step.output}</pre>
        </>
      ) : step.error ? null : (
        <p className="muted">No output{step.status === "running" ? " yet" : ""}.</p>
      )}
    </>
  );
}

function Steps({ detail }: { detail: TrainDetail }) {
  if (detail.steps.length === 0)
    return (
      <p className="muted">No step has run yet: integration, gates, deploys and rollbacks appear here.</p>
    );
  return (
    <ul className="step-list">
      {detail.steps.map((step) => (
        <li key={step.id}>
          <LazyDetails
            open={step.status === "failed"}
            summary={
              <>
                <StateBadge state={step.status} /> <span className="step-kind">{step.kind}</span>{" "}
                <span className="mono step-key">{step.key}</span>
                <span className="muted">
                  {" "}
                  · attempt {step.attempt} ·{" "}
                  {step.durationMs === null ? "running" : formatDuration(step.durationMs)}
                </span>
              </>
            }
          >
            {() => <StepLog step={step} />}
          </LazyDetails>
        </li>
      ))}
    </ul>
  );
}

const TIMELINE_TAIL = 40;

function Timeline({ events }: { events: StoredEvent[] }) {
  const [all, setAll] = useState(false);
  if (events.length === 0) return <p className="muted">No events yet.</p>;
  const hidden = all ? 0 : Math.max(0, events.length - TIMELINE_TAIL);
  const shown = events.slice(hidden);
  return (
    <div className="stack">
      {hidden > 0 ? (
        <button type="button" className="button show-earlier" onClick={() => setAll(true)}>
          Show the {hidden} earlier events
        </button>
      ) : null}
      <ol className="timeline train-timeline" aria-label="Events, oldest first">
        {shown.map((event) => (
          <li key={event.id} className={`timeline-${event.type.replace(".", "-")}`}>
            <div className="timeline-head">
              <Time at={event.time} /> <strong>{eventWords(event.type)}</strong>{" "}
              <span className="muted">by {event.actor}</span>
            </div>
            <div className="timeline-summary">{eventSummary(event)}</div>
          </li>
        ))}
      </ol>
      <p className="muted timeline-foot">New events appear at the bottom as they happen.</p>
    </div>
  );
}

const AUDIT_TAIL = 25;

function Audit({ events }: { events: StoredEvent[] }) {
  const [all, setAll] = useState(false);
  const verify = useMutation({ mutationFn: () => unwrap(api.GET("/api/v1/audit/verify")) });
  const hidden = all ? 0 : Math.max(0, events.length - AUDIT_TAIL);
  const shown = events.slice(hidden);
  return (
    <div className="stack">
      <p className="muted">
        Every event is one link of Railyard's hash chain: its hash covers the event and the previous event's
        hash, so changing any event breaks every hash after it.
      </p>
      <div className="row">
        <button
          type="button"
          className="button"
          onClick={() => verify.mutate()}
          disabled={verify.isPending}
          aria-describedby="audit-verify-result"
        >
          {verify.isPending ? "Verifying…" : "Verify the chain"}
        </button>
        <a href="/api/v1/audit/verify" target="_blank" rel="noreferrer">
          Raw answer of GET /api/v1/audit/verify
        </a>
      </div>
      <div id="audit-verify-result" aria-live="polite">
        {verify.data ? (
          verify.data.ok ? (
            <p className="audit-ok">
              <StateBadge state="passed" label="chain intact" /> All {verify.data.events} events verify; last
              hash <span className="mono">{verify.data.lastHash.slice(0, 16)}</span>. Checkpoints:{" "}
              {verify.data.checkpoints.count}, signatures {verify.data.checkpoints.signatures}
              {verify.data.checkpoints.signing === "off" ? " (signing off)" : ""}.
            </p>
          ) : (
            <p className="audit-broken" role="alert">
              <StateBadge state="failed" label="chain broken" /> At event {verify.data.brokenAt}:{" "}
              {verify.data.problem}
            </p>
          )
        ) : verify.error ? (
          <p className="form-error" role="alert">
            Could not verify: {verify.error instanceof Error ? verify.error.message : String(verify.error)}
          </p>
        ) : null}
      </div>
      {events.length === 0 ? (
        <p className="muted">No events recorded for this train.</p>
      ) : (
        <>
          {hidden > 0 ? (
            <button type="button" className="button show-earlier" onClick={() => setAll(true)}>
              Show the {hidden} earlier events
            </button>
          ) : null}
          <div className="table-wrap">
            <table className="audit-table">
              <caption className="visually-hidden">
                The train's events in the audit chain, oldest first
              </caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    Event
                  </th>
                  <th scope="col">Type</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Time (UTC)</th>
                  <th scope="col">Hash</th>
                  <th scope="col" className="hide-narrow">
                    Previous hash
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((event) => (
                  <tr key={event.id}>
                    <td className="num mono">{event.id}</td>
                    <td className="mono">{event.type}</td>
                    <td>{event.actor}</td>
                    <td>
                      <time dateTime={event.time}>{utc(event.time)}</time>
                    </td>
                    <td className="mono" title={event.hash}>
                      {event.hash.slice(0, 12)}
                    </td>
                    <td className="mono hide-narrow" title={event.prevHash}>
                      {event.prevHash.slice(0, 12)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
