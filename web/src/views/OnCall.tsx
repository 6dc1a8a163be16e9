/**
 * The on-call dashboard (route `/on-call`), for rapid triage and rollback: the trains changing
 * production or stopped on the way (with pause, resume and rollback at hand), the canary analysis
 * of their rollout, the open incidents with what the policy did to trains, and what runs in each
 * environment. Data: GET /api/v1/trains (state filter, include=progress: one request gives every
 * train in flight with its waves, steps and latest canary), GET /api/v1/incidents(/{id}), GET /api/v1/events, GET /api/v1/deployments, GET /api/v1/config,
 * GET /api/v1/timetable, GET /api/v1/gate-results (the latest canary analysis). Everything
 * refreshes live.
 */
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api, type Deployment, type Incident, type Train, type TrainProgress, unwrap } from "../api/client";
import {
  configQuery,
  deploymentsQuery,
  type InFlightTrain,
  incidentsQuery,
  latestCanaryQuery,
  onCallTrainsQuery,
} from "../api/queries";
import { CanaryAnalysis, canaryDetailOf } from "../components/canary";
import { TrainActions } from "../components/train-actions";
import { Card, Empty, Kpi, Loading, PageHeader, QueryView, StateBadge, Time } from "../components/ui";
import { formatDuration, words } from "../format";
import { Since, WaveProgress, waitingSentence } from "./train-parts";
import "./oncall.css";
import "./train.css";

const sentenceCase = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const trainPath = (id: string) => `/trains/${encodeURIComponent(id)}`;
const IN_PRODUCTION: Train["state"][] = ["deploying", "verifying", "rolling_back"];

/** The on-call dashboard: deployments in flight, canary metrics, active alerts, production versions. */
export default function OnCallView() {
  const active = useQuery(onCallTrainsQuery);
  const trains = active.data ?? [];
  const incidents = useQuery(incidentsQuery("open"));

  const inProduction = trains.filter((t) => IN_PRODUCTION.includes(t.state)).length;
  const needPerson = trains.length - inProduction;
  const open = incidents.data ?? [];
  const critical = open.filter((i) => i.severity === "critical").length;

  return (
    <div className="stack oncall">
      <PageHeader
        title="On-call"
        subtitle="Rollouts in flight, their canary analysis, open alerts and what production runs — live."
      />
      <section className="kpis" aria-label="At a glance">
        <Kpi
          label="Changing production"
          value={active.data ? inProduction : "…"}
          detail="deploying, verifying or rolling back"
          tone={inProduction > 0 ? "warn" : "neutral"}
        />
        <Kpi
          label="Waiting for a person"
          value={active.data ? needPerson : "…"}
          detail="paused, blocked or awaiting approval"
          tone={needPerson > 0 ? "warn" : "neutral"}
        />
        <Kpi
          label="Open incidents"
          value={incidents.data ? open.length : "…"}
          detail={incidents.data ? `${critical} critical` : undefined}
          tone={critical > 0 ? "bad" : open.length > 0 ? "warn" : "good"}
        />
      </section>
      <Card title="Current deployments">
        <QueryView query={active} label="Loading trains in flight">
          {(list) =>
            list.length === 0 ? (
              <NothingDeploying />
            ) : (
              <div className="oncall-trains">
                {list.map((train) => (
                  <TrainCard key={train.id} train={train} />
                ))}
              </div>
            )
          }
        </QueryView>
      </Card>
      <div className="grid">
        <Card title="Active alerts" className="span-4">
          <QueryView query={incidents} label="Loading incidents">
            {(list) => <Alerts open={list} />}
          </QueryView>
        </Card>
        <Card title="Canary metrics" className="span-8">
          <CanarySection active={trains} loading={active.isPending} />
        </Card>
      </div>
      <Card title="What runs in production">
        <Production />
      </Card>
    </div>
  );
}

/** The empty state: nothing in flight, and when the next train departs (GET /api/v1/timetable). */
function NothingDeploying() {
  const next = useQuery({
    queryKey: ["timetable", "next"],
    queryFn: () => unwrap(api.GET("/api/v1/timetable")),
  });
  const departure = next.data?.find((d) => d.status !== "skipped");
  return (
    <Empty title="Nothing is deploying">
      {next.isPending ? (
        <p>Looking up the next departure…</p>
      ) : departure ? (
        <p>
          The next departure is <Link to={trainPath(departure.train)}>{departure.train}</Link> at{" "}
          <Time at={departure.departureAt} /> (cut-off <Time at={departure.cutoffAt} />)
          {departure.status === "shifted" && departure.reason ? `, shifted by ${departure.reason}` : ""}.
        </p>
      ) : (
        <p>No departure is scheduled in the next 30 days.</p>
      )}
    </Empty>
  );
}

function TrainCard({ train }: { train: InFlightTrain }) {
  const headingId = `oncall-${train.id}`;
  const detail = { train, ...train.progress };
  return (
    <article className="oncall-train" aria-labelledby={headingId}>
      <header className="oncall-train-head">
        <h3 id={headingId}>
          <Link to={trainPath(train.id)}>{train.id}</Link>
        </h3>
        <StateBadge state={train.state} />
        {train.kind === "hotfix" ? <StateBadge state="warning" label="hotfix" /> : null}
        <span className="muted">line {train.line}</span>
      </header>
      <p className="oncall-status">{train.statusText}</p>
      <p className="oncall-since">
        {sentenceCase(words(train.state))} for{" "}
        <strong>
          <Since at={train.progress.enteredStateAt} />
        </strong>{" "}
        <span className="muted">
          (since <Time at={train.progress.enteredStateAt} />)
        </span>
      </p>
      <WaveProgress detail={detail} />
      <InFlight detail={detail} />
      <TrainActions detail={detail} />
    </article>
  );
}

function InFlight({ detail }: { detail: TrainProgress & { train: Train } }) {
  const running = detail.stepsInFlight;
  const waiting = waitingSentence(detail);
  return (
    <div className="oncall-inflight">
      <h4>In flight</h4>
      {running.length > 0 ? (
        <ul>
          {running.map((step) => (
            <li key={step.id}>
              <span className="step-kind">{step.kind}</span> <span className="mono">{step.key}</span>
              <span className="muted">
                {" "}
                · attempt {step.attempt} · running for <Since at={step.startedAt} />
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No step is running.</p>
      )}
      {waiting ? <p className="oncall-waiting">{waiting}</p> : null}
    </div>
  );
}

/**
 * The canary analyses of the trains in flight; when none has one, the latest canary analysis of
 * any train (GET /api/v1/gate-results?type=canary&limit=1, asked at once rather than after the
 * trains in flight are known, so the view does not wait on two rounds of requests).
 */
function CanarySection({ active, loading }: { active: InFlightTrain[]; loading: boolean }) {
  const live = active.flatMap((train) => {
    const gate = train.progress.canary;
    const detail = gate ? canaryDetailOf(gate.detail) : null;
    return gate && detail ? [{ train, gate, detail }] : [];
  });
  const latest = useQuery(latestCanaryQuery);

  if (loading) return <Loading label="Loading canary analyses" />;
  if (live.length > 0)
    return (
      <div className="stack">
        {live.map(({ train, gate, detail }) => (
          <CanaryAnalysis key={train.id} gate={gate} detail={detail} trainId={train.id} />
        ))}
      </div>
    );
  return (
    <QueryView query={latest} label="Looking for the latest canary analysis">
      {(results) => {
        const gate = results[0];
        const detail = gate ? canaryDetailOf(gate.detail) : null;
        if (gate && detail)
          return (
            <div className="stack">
              <p className="muted">
                No train in flight has a canary analysis. The latest one, of{" "}
                <Link to={trainPath(gate.trainId)}>{gate.trainId}</Link> (gate {gate.gate}, {gate.verdict}{" "}
                <Time at={gate.evaluatedAt} />
                ):
              </p>
              <CanaryAnalysis gate={gate} detail={detail} trainId={gate.trainId} />
            </div>
          );
        return (
          <Empty title="No canary analysis to show">
            <p>
              {active.length > 0 ? "No train in flight, nor any other train," : "No train"} has run a canary
              analysis yet. A wave gets one from a gate of <code>type: canary</code> in the line's rollout:
              Railyard then compares the canary's metrics (error rate, latency, …) with the baseline's from
              Prometheus and charts them here. The lines' waves are verified by their other gates (see each
              train's Gates).
            </p>
          </Empty>
        );
      }}
    </QueryView>
  );
}

function Alerts({ open }: { open: Incident[] }) {
  const resolved = useQuery(incidentsQuery("resolved"));
  const latest = (resolved.data ?? []).slice(0, 3);
  return (
    <div className="stack">
      {open.length === 0 ? (
        <Empty title="No open incidents">
          <p>Alerts from Alertmanager and incidents people open appear here while they are open.</p>
        </Empty>
      ) : (
        <ul className="oncall-incidents">
          {open.map((incident) => (
            <IncidentItem key={incident.id} incident={incident} />
          ))}
        </ul>
      )}
      {latest.length > 0 ? (
        <details className="oncall-resolved">
          <summary>Recently resolved ({latest.length})</summary>
          <ul>
            {latest.map((incident) => (
              <li key={incident.id}>
                <StateBadge state="resolved" /> {incident.title}{" "}
                <span className="muted">
                  {incident.trainId ? (
                    <>
                      on <Link to={trainPath(incident.trainId)}>{incident.trainId}</Link>,{" "}
                    </>
                  ) : null}
                  resolved <Time at={incident.resolvedAt} />
                  {incident.resolvedAt
                    ? ` after ${formatDuration(Date.parse(incident.resolvedAt) - Date.parse(incident.startedAt))}`
                    : ""}
                </span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

function IncidentItem({ incident }: { incident: Incident }) {
  const full = useQuery({
    queryKey: ["incident", incident.id],
    queryFn: () => unwrap(api.GET("/api/v1/incidents/{id}", { params: { path: { id: incident.id } } })),
  });
  const trainId = incident.trainId;
  const transitions = useQuery({
    queryKey: ["events", { train: trainId, type: "train.transitioned" }],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/events", {
          params: { query: { train: trainId ?? "", type: "train.transitioned", limit: 500 } },
        }),
      ),
    enabled: trainId !== null,
  });
  const acted = (transitions.data ?? []).filter(
    (e) => typeof e.payload.reason === "string" && e.payload.reason.includes(incident.id),
  );
  const firing = (full.data?.alerts ?? []).filter((a) => a.status === "firing");
  return (
    <li className={`oncall-incident severity-${incident.severity}`}>
      <div className="row">
        <StateBadge
          state={incident.severity === "info" ? "pending" : incident.severity}
          label={incident.severity}
        />
        <strong>{incident.title}</strong>
      </div>
      <dl className="facts facts-compact">
        <div>
          <dt>Line</dt>
          <dd>{incident.line}</dd>
        </div>
        <div>
          <dt>Train</dt>
          <dd>
            {trainId ? (
              <Link to={trainPath(trainId)}>{trainId}</Link>
            ) : (
              <span className="muted">none named</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Since</dt>
          <dd>
            <Time at={incident.startedAt} />{" "}
            <span className="muted">
              (<Since at={incident.startedAt} />)
            </span>
          </dd>
        </div>
        <div>
          <dt>Source</dt>
          <dd>
            {incident.source}
            {incident.component ? ` · ${incident.component}` : ""}
            {incident.environment ? ` in ${incident.environment}` : ""}
          </dd>
        </div>
      </dl>
      <p className="oncall-policy">
        <span className="muted">Policy: </span>
        {acted.length > 0
          ? acted.map((e, i) => (
              <span key={e.id}>
                {i > 0 ? "; " : ""}
                {policyWords(String(e.payload.to))} {trainId} <Time at={e.time} />
              </span>
            ))
          : trainId && transitions.isPending
            ? "…"
            : incident.stopsLine
              ? `stops line ${incident.line}: no train departs or starts a wave until it is resolved.`
              : trainId
                ? `no pause or rollback of ${trainId} is recorded for it${incident.severity === "critical" ? "" : " (only critical incidents act on trains)"}.`
                : "no train is named, so no train was acted on."}
      </p>
      {full.data ? (
        <p className="muted oncall-alerts">
          {full.data.alerts.length === 0
            ? `Opened by ${incident.openedBy}; no alerts grouped into it.`
            : `${firing.length} of ${full.data.alerts.length} grouped alert${full.data.alerts.length === 1 ? "" : "s"} firing${firing.length > 0 ? `: ${firing.map((a) => a.alertname).join(", ")}` : ""}.`}
        </p>
      ) : null}
    </li>
  );
}

function policyWords(to: string): string {
  if (to === "paused") return "paused";
  if (to === "rolling_back") return "rolled back";
  if (to === "deploying" || to === "verifying") return "resumed";
  return words(to);
}

function Production() {
  const deployments = useQuery(deploymentsQuery);
  const config = useQuery(configQuery);
  const kinds = environmentKinds(config.data?.config);
  return (
    <QueryView query={deployments} label="Loading deployments">
      {(list) => {
        if (list.length === 0)
          return (
            <Empty title="Nothing deployed yet">
              <p>
                Once a train deploys, each environment lists its components' versions and the train that
                brought them.
              </p>
            </Empty>
          );
        const byEnv = new Map<string, Deployment[]>();
        for (const d of list) byEnv.set(d.environment, [...(byEnv.get(d.environment) ?? []), d]);
        const order = [...kinds.keys()].filter((env) => byEnv.has(env));
        const envs = [
          ...order.filter((env) => kinds.get(env) === "production"),
          ...order.filter((env) => kinds.get(env) !== "production"),
          ...[...byEnv.keys()].filter((env) => !kinds.has(env)).sort(),
        ];
        const components = [...new Set(list.map((d) => d.component))].sort((a, b) => a.localeCompare(b));
        const at = new Map(list.map((d) => [`${d.environment}\u0000${d.component}`, d]));
        const production = envs.filter((env) => kinds.get(env) === "production");
        return (
          <>
            <p className="muted">
              Each cell is the version an environment runs and the train that brought it; a component marked
              "differs" runs more than one version across the production environments (a rollout in progress
              or a partial rollback).
            </p>
            <div className="table-wrap">
              <table className="oncall-matrix">
                <caption className="visually-hidden">Versions per component and environment</caption>
                <thead>
                  <tr>
                    <th scope="col">Component</th>
                    {envs.map((env) => (
                      <th scope="col" key={env}>
                        {env}
                        {kinds.has(env) && kinds.get(env) !== "production" ? (
                          <span className="oncall-env-kind"> ({kinds.get(env)})</span>
                        ) : null}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {components.map((component) => {
                    const versions = new Set(
                      production.map((env) => at.get(`${env}\u0000${component}`)?.version).filter(Boolean),
                    );
                    return (
                      <tr key={component}>
                        <th scope="row">
                          {component}
                          {versions.size > 1 ? (
                            <>
                              {" "}
                              <StateBadge state="warning" label="differs" />
                            </>
                          ) : null}
                        </th>
                        {envs.map((env) => {
                          const d = at.get(`${env}\u0000${component}`);
                          return (
                            <td key={env}>
                              {d ? (
                                <>
                                  <span className="mono oncall-version">{d.version}</span>
                                  <span className="oncall-by">
                                    <Link to={trainPath(d.trainId)}>{d.trainId}</Link>{" "}
                                    <span className="muted">
                                      <Time at={d.updatedAt} />
                                    </span>
                                  </span>
                                </>
                              ) : (
                                <span className="muted">not deployed</span>
                              )}
                            </td>
                          );
                        })}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </>
        );
      }}
    </QueryView>
  );
}

/** Environment name → kind (production, integration, …) from the configuration, in its order. */
function environmentKinds(config: Record<string, unknown> | undefined): Map<string, string> {
  const kinds = new Map<string, string>();
  const environments = config?.environments;
  if (environments && typeof environments === "object") {
    for (const [name, value] of Object.entries(environments as Record<string, unknown>)) {
      const kind =
        value && typeof value === "object" && "kind" in value && typeof value.kind === "string"
          ? value.kind
          : "production";
      kinds.set(name, kind);
    }
  }
  return kinds;
}
