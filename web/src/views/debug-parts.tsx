/**
 * The debug view's panels: the per-train table, the M5 and timing charts, the breakdown by
 * component version and the recent failures with their evidence (all from GET
 * /api/v1/metrics/trains; the failures with include=failures).
 */
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Link } from "react-router";
import { api, type GateResult, type Step, unwrap } from "../api/client";
import { BarChart } from "../components/charts";
import { Card, Empty, QueryView, StateBadge, Time } from "../components/ui";
import { formatDuration, percent, words } from "../format";
import type { TrainMetrics, TrainMetricsRow } from "./executive-data";

/** `checkout 2.1.0 → 2.2.0`, or `checkout 2.2.0 (first release)`. */
export function VersionChange({
  row,
  version,
}: {
  row: TrainMetricsRow;
  version: TrainMetricsRow["versions"][number];
}) {
  return (
    <span className="mono debug-version">
      {version.component}{" "}
      {version.previousVersion ? (
        <>
          {version.previousVersion} <span aria-hidden="true">→</span>
          <span className="visually-hidden">to</span> {version.version}
        </>
      ) : (
        <>
          {version.version}
          {row.departedAt !== null ? <span className="muted"> (first release)</span> : null}
        </>
      )}
    </span>
  );
}

function GateCounts({ gates }: { gates: TrainMetricsRow["gates"] }) {
  if (gates.evaluations === 0) return <span className="muted">none yet</span>;
  return (
    <span className="debug-gates">
      <span className="badge tone-good">{gates.pass} pass</span>
      {gates.fail > 0 ? <span className="badge tone-bad">{gates.fail} fail</span> : null}
      {gates.inconclusive > 0 ? (
        <span className="badge tone-warn">{gates.inconclusive} inconclusive</span>
      ) : null}
      {gates.error > 0 ? <span className="badge tone-bad">{gates.error} error</span> : null}
    </span>
  );
}

const errorRatio = (value: number | null) => percent(value, 2);

function ErrorRate({ rate }: { rate: TrainMetricsRow["errorRate"] }) {
  if (rate === null) {
    return (
      <span className="muted" title="No before/after error ratio was measured for this train">
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">not measured</span>
      </span>
    );
  }
  if (rate.before === null || rate.after === null) {
    return <span className="muted">no data ({rate.window})</span>;
  }
  const delta = rate.delta ?? 0;
  return (
    <span className={delta > 0 ? "debug-worse" : "debug-better"}>
      {errorRatio(rate.before)} → {errorRatio(rate.after)}
      <span className="debug-delta">
        {" "}
        ({delta > 0 ? "+" : ""}
        {(delta * 100).toFixed(2)} pts)
      </span>
    </span>
  );
}

const SEVERITY_ORDER = ["critical", "warning", "info"] as const;

/** One row per train, newest first. */
export function TrainsTable({ rows }: { rows: TrainMetricsRow[] }) {
  return (
    <>
      <p className="hint debug-scroll-hint">
        Scroll the table sideways for times, gates, canary, error rate and more.
      </p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard */}
      <section className="table-wrap debug-wrap" tabIndex={0} aria-label="Recent trains (scrolls sideways)">
        <table className="debug-table">
          <caption className="visually-hidden">
            Recent trains with their versions, times, gates and outcomes
          </caption>
          <thead>
            <tr>
              <th scope="col">Train</th>
              <th scope="col">State</th>
              <th scope="col">Departed → ended</th>
              <th scope="col">Versions</th>
              <th scope="col" className="num">
                Lead time
              </th>
              <th scope="col" className="num">
                Deploy time
              </th>
              <th scope="col">Gates</th>
              <th scope="col" className="num">
                Canary
              </th>
              <th scope="col">Error rate (M5)</th>
              <th scope="col">Rollbacks</th>
              <th scope="col">Incidents</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const worst = SEVERITY_ORDER.find((s) => row.incidents.some((i) => i.severity === s));
              return (
                <tr key={row.trainId}>
                  <td>
                    <Link to={`/trains/${row.trainId}`} className="mono">
                      {row.trainId}
                    </Link>
                    {row.kind === "hotfix" ? (
                      <>
                        {" "}
                        <span className="badge tone-warn">hotfix</span>
                      </>
                    ) : null}
                    {row.changeFailed ? (
                      <div>
                        <span className="badge tone-bad" title="Counts in the change failure rate (M7)">
                          failed change
                        </span>
                      </div>
                    ) : null}
                  </td>
                  <td>
                    {row.state ? <StateBadge state={row.state} /> : <span className="muted">unknown</span>}
                  </td>
                  <td className="debug-when">
                    {row.departedAt ? (
                      <Time at={row.departedAt} />
                    ) : (
                      <span className="muted">not departed</span>
                    )}
                    <div className="muted">
                      {row.endedAt ? (
                        <>
                          <span aria-hidden="true">→ </span>
                          <span className="visually-hidden">ended </span>
                          <Time at={row.endedAt} />
                        </>
                      ) : (
                        "not ended"
                      )}
                    </div>
                  </td>
                  <td>
                    {row.versions.length === 0 ? (
                      <span className="muted">nothing boarded</span>
                    ) : (
                      <ul className="debug-versions">
                        {row.versions.map((v) => (
                          <li key={v.component}>
                            <VersionChange row={row} version={v} />
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td className="num">{formatDuration(row.leadTimeMs)}</td>
                  <td className="num">{formatDuration(row.deploymentTimeMs)}</td>
                  <td>
                    <GateCounts gates={row.gates} />
                  </td>
                  <td className="num">
                    {row.canaryScore === null ? (
                      <span className="muted" title="No canary analysis ran for this train">
                        —
                      </span>
                    ) : (
                      row.canaryScore.toFixed(1)
                    )}
                  </td>
                  <td>
                    <ErrorRate rate={row.errorRate} />
                  </td>
                  <td>
                    {row.rollbacks.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      <ul className="debug-versions">
                        {row.rollbacks.map((r) => (
                          <li key={`${r.at}-${r.scope}-${r.components.join(",")}`}>
                            <span className="badge tone-bad">{r.scope}</span>{" "}
                            {r.components.length > 0 ? (
                              <span className="mono">{r.components.join(", ")} </span>
                            ) : null}
                            <div className="muted">
                              <Time at={r.at} />
                            </div>
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>
                    {row.incidents.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      <span title={row.incidents.map((i) => `${i.severity}: ${i.title}`).join("\n")}>
                        {row.incidents.length}{" "}
                        {worst ? (
                          <StateBadge state={worst === "critical" ? "critical" : "warning"} label={worst} />
                        ) : null}
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </>
  );
}

const HOUR = 3_600_000;
/** Durations are plotted in hours, so the axes get round ticks. */
const inHours = (ms: number | null): number | null => (ms === null ? null : ms / HOUR);
const hours = (h: number) => `${Math.round(h * 10) / 10} h`;

/** M5: each measured train's error ratio before its first wave and after its release. */
export function ErrorRateChart({ rows }: { rows: TrainMetricsRow[] }) {
  const measured = rows
    .filter((r) => r.errorRate !== null && r.errorRate.before !== null && r.errorRate.after !== null)
    .reverse();
  const released = rows.filter((r) => r.outcome === "released").length;
  if (measured.length === 0) {
    return (
      <Empty title="No error-rate measurement (M5) for these trains">
        <p>
          {released} released {released === 1 ? "train has" : "trains have"} no before/after error ratio.
          Railyard measures a line's error ratio around each release when the line has{" "}
          <code>measure.errorRate</code> (or an error-budget SLO) and its Prometheus answers; see{" "}
          <code>docs/metrics.md</code>.
        </p>
      </Empty>
    );
  }
  const worst = measured.reduce((a, b) => ((b.errorRate?.delta ?? 0) > (a.errorRate?.delta ?? 0) ? b : a));
  return (
    <BarChart
      title="Error rate before and after release, per train (M5)"
      summary={`${measured.length} measured ${measured.length === 1 ? "train" : "trains"}, oldest first. The largest increase: ${worst.trainId}, ${errorRatio(worst.errorRate?.before ?? null)} → ${errorRatio(worst.errorRate?.after ?? null)}.`}
      xLabel="Train"
      rows={measured.map((r) => ({
        x: r.trainId,
        before: r.errorRate?.before ?? null,
        after: r.errorRate?.after ?? null,
      }))}
      series={[
        { key: "before", label: "Before the first wave", color: "var(--chart-1)", format: errorRatio },
        { key: "after", label: "After release", color: "var(--chart-2)", format: errorRatio },
      ]}
      leftFormat={(v) => `${(v * 100).toFixed(1)} %`}
      barSize={28}
    />
  );
}

/** M9 and M3: each released train's deployment time (bars) and median lead time (line). */
export function TimingChart({ rows }: { rows: TrainMetricsRow[] }) {
  const released = rows.filter((r) => r.deploymentTimeMs !== null || r.leadTimeMs !== null).reverse();
  if (released.length === 0) {
    return (
      <Empty title="No released train in this selection">
        <p>Deployment time (first production wave → released) and lead time appear once a train releases.</p>
      </Empty>
    );
  }
  const slowest = released.reduce((a, b) => ((b.deploymentTimeMs ?? 0) > (a.deploymentTimeMs ?? 0) ? b : a));
  return (
    <BarChart
      title="Deployment time and lead time per released train"
      summary={`${released.length} released ${released.length === 1 ? "train" : "trains"}, oldest first. Slowest deployment: ${slowest.trainId}, ${formatDuration(slowest.deploymentTimeMs)}. Lead time is the median of the train's versions, commit → released.`}
      xLabel="Train"
      rows={released.map((r) => ({
        x: r.trainId,
        deploy: inHours(r.deploymentTimeMs),
        lead: inHours(r.leadTimeMs),
      }))}
      series={[
        {
          key: "deploy",
          label: "Deployment time (M9)",
          kind: "bar",
          color: "var(--chart-1)",
          format: (v) => formatDuration(v === null ? null : v * HOUR),
        },
        {
          key: "lead",
          label: "Lead time (M3, median)",
          kind: "line",
          axis: "right",
          color: "var(--chart-2)",
          format: (v) => formatDuration(v === null ? null : v * HOUR),
        },
      ]}
      leftFormat={hours}
      rightFormat={hours}
      barSize={28}
    />
  );
}

interface VersionGroup {
  version: string;
  previous: Set<string>;
  trains: TrainMetricsRow[];
  released: number;
  rolledBack: number;
  aborted: number;
  running: number;
  failedChanges: number;
  incidents: number;
  latest: string;
}

/**
 * The trains of `answer` that carry `component`, when `answer` holds every train that could:
 * all its matches are in it and it is not filtered to another component. Else undefined.
 */
export function carrying(answer: TrainMetrics | undefined, component: string): TrainMetricsRow[] | undefined {
  if (!answer || answer.matched > answer.trains.length) return undefined;
  if (answer.query.component !== undefined && answer.query.component !== component) return undefined;
  return answer.trains.filter((row) => row.versions.some((v) => v.component === component));
}

/**
 * For a chosen component: each version, the trains that carried it, and how they ended. `all` is
 * the view's own answer: when it already holds every train of the filters, the breakdown is read
 * from it instead of asked for again.
 */
export function VersionBreakdown({
  component,
  line,
  components,
  all,
  onComponent,
}: {
  component: string;
  line: string;
  components: string[];
  all?: TrainMetrics;
  onComponent: (component: string) => void;
}) {
  const selectId = useId();
  const held = carrying(all, component);
  const fetched = useQuery({
    queryKey: ["metrics", "trains", { line, component, limit: 200 }],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/metrics/trains", {
          params: { query: { component, limit: 200, ...(line ? { line } : {}) } },
        }),
      ),
    enabled: component !== "" && held === undefined,
    placeholderData: (previous) => previous,
  });
  const query = held
    ? {
        isPending: false,
        error: null,
        data: { trains: held, matched: held.length },
        refetch: () => undefined,
      }
    : fetched;
  return (
    <Card
      title="Breakdown by component version"
      actions={
        <label htmlFor={selectId} className="debug-inline-field">
          <span>Component</span>
          <select id={selectId} value={component} onChange={(e) => onComponent(e.target.value)}>
            {components.length === 0 ? <option value="">none configured</option> : null}
            {components.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
      }
    >
      {component === "" ? (
        <Empty title="No component to break down">
          <p>
            Components are declared under <code>components:</code> in railyard.yaml.
          </p>
        </Empty>
      ) : (
        <QueryView query={query} label={`Loading the versions of ${component}`}>
          {(answer) => {
            const groups = new Map<string, VersionGroup>();
            for (const row of answer.trains) {
              const carried = row.versions.find((v) => v.component === component);
              if (!carried) continue;
              const group = groups.get(carried.version) ?? {
                version: carried.version,
                previous: new Set<string>(),
                trains: [],
                released: 0,
                rolledBack: 0,
                aborted: 0,
                running: 0,
                failedChanges: 0,
                incidents: 0,
                latest: row.createdAt,
              };
              if (carried.previousVersion) group.previous.add(carried.previousVersion);
              group.trains.push(row);
              if (row.outcome === "released") group.released += 1;
              else if (row.outcome === "rolled_back") group.rolledBack += 1;
              else if (row.outcome === "aborted") group.aborted += 1;
              else if (row.outcome === null) group.running += 1;
              if (row.changeFailed) group.failedChanges += 1;
              group.incidents += row.incidents.length;
              if (row.createdAt > group.latest) group.latest = row.createdAt;
              groups.set(carried.version, group);
            }
            if (groups.size === 0) {
              return (
                <Empty title={`No train carried ${component} in the last 30 days`}>
                  <p>Versions appear here once CI pushes {component} and a train boards it.</p>
                </Empty>
              );
            }
            const list = [...groups.values()].sort((a, b) => b.latest.localeCompare(a.latest));
            return (
              <>
                <p className="muted debug-note">
                  {list.length} {list.length === 1 ? "version" : "versions"} of <strong>{component}</strong>{" "}
                  on {answer.trains.length} {answer.trains.length === 1 ? "train" : "trains"}, newest first
                  {answer.matched > answer.trains.length
                    ? ` (the latest ${answer.trains.length} of ${answer.matched})`
                    : ""}
                  .
                </p>
                <div className="table-wrap debug-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Version</th>
                        <th scope="col">Replaced</th>
                        <th scope="col">Trains</th>
                        <th scope="col">Outcome</th>
                        <th scope="col" className="num">
                          Failed changes
                        </th>
                        <th scope="col" className="num">
                          Incidents
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {list.map((group) => (
                        <tr key={group.version}>
                          <th scope="row" className="mono debug-rowhead">
                            {group.version}
                          </th>
                          <td className="mono">
                            {group.previous.size > 0 ? [...group.previous].join(", ") : "—"}
                          </td>
                          <td>
                            <ul className="debug-versions">
                              {group.trains.map((t) => (
                                <li key={t.trainId}>
                                  <Link to={`/trains/${t.trainId}`} className="mono">
                                    {t.trainId}
                                  </Link>{" "}
                                  {t.state ? <StateBadge state={t.state} /> : null}
                                </li>
                              ))}
                            </ul>
                          </td>
                          <td>
                            {[
                              group.released ? `${group.released} released` : null,
                              group.rolledBack ? `${group.rolledBack} rolled back` : null,
                              group.aborted ? `${group.aborted} aborted` : null,
                              group.running ? `${group.running} under way` : null,
                            ]
                              .filter(Boolean)
                              .join(", ")}
                          </td>
                          <td className="num">{group.failedChanges}</td>
                          <td className="num">{group.incidents}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            );
          }}
        </QueryView>
      )}
    </Card>
  );
}

/** The trains worth a look: a gate not passed, a failed step's likely cause, a rollback or an abort. */
export function failedTrains(rows: TrainMetricsRow[], count: number): TrainMetricsRow[] {
  return rows
    .filter(
      (r) =>
        r.gates.fail + r.gates.error + r.gates.inconclusive > 0 ||
        r.rollbacks.length > 0 ||
        r.outcome === "rolled_back" ||
        r.outcome === "aborted" ||
        r.state === "blocked" ||
        r.state === "rolling_back",
    )
    .slice(0, count);
}

const EVIDENCE_LIMIT = 2000;

function Evidence({ text, trainId }: { text: string; trainId: string }) {
  const cut = text.length > EVIDENCE_LIMIT;
  return (
    <>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling block must be reachable by keyboard */}
      <pre className="debug-evidence" tabIndex={0}>
        {cut ? `${text.slice(0, EVIDENCE_LIMIT)}…` : text}
      </pre>
      {cut ? (
        <p className="muted debug-note">
          Cut at {EVIDENCE_LIMIT} characters; the whole evidence is on{" "}
          <Link to={`/trains/${trainId}`}>{trainId}</Link>.
        </p>
      ) : null}
    </>
  );
}

function FailedGate({ gate }: { gate: GateResult }) {
  return (
    <li className="debug-failure">
      <div className="row">
        <StateBadge
          state={gate.verdict === "inconclusive" ? "inconclusive" : "failed"}
          label={gate.verdict}
        />
        <strong>
          gate {gate.gate} <span className="muted">({gate.type})</span>
        </strong>
        <span className="muted">
          {words(gate.stage)}, attempt {gate.attempt} · <Time at={gate.evaluatedAt} />
        </span>
      </div>
      <Evidence text={gate.output || "(no output)"} trainId={gate.trainId} />
    </li>
  );
}

function FailedStep({ step }: { step: Step }) {
  const text = [step.error, step.output].filter((t): t is string => Boolean(t)).join("\n\n");
  return (
    <li className="debug-failure">
      <div className="row">
        <StateBadge state="failed" />
        <strong>
          step <span className="mono">{step.key}</span> <span className="muted">({step.kind})</span>
        </strong>
        <span className="muted">
          attempt {step.attempt} · <Time at={step.finishedAt ?? step.startedAt} />
        </span>
      </div>
      <Evidence text={text || "(no error text recorded)"} trainId={step.trainId} />
    </li>
  );
}

function TrainFailures({ row }: { row: TrainMetricsRow }) {
  const failures = row.failures ?? { reason: null, gates: [], steps: [] };
  return (
    <article className="debug-failed-train" aria-labelledby={`fail-${row.trainId}`}>
      <header className="row">
        <h3 id={`fail-${row.trainId}`}>
          <Link to={`/trains/${row.trainId}`} className="mono">
            {row.trainId}
          </Link>
        </h3>
        {row.state ? <StateBadge state={row.state} /> : null}
        <span className="muted">
          {row.line} ·{" "}
          {row.endedAt ? (
            <>
              ended <Time at={row.endedAt} />
            </>
          ) : (
            "running"
          )}
        </span>
      </header>
      {failures.reason ? <p className="debug-reason">{failures.reason}</p> : null}
      {failures.gates.length === 0 && failures.steps.length === 0 ? (
        <p className="muted">
          No failed gate or step is recorded: the train{" "}
          {row.rollbacks.length > 0 ? "was rolled back" : "ended"} by a person or a policy (see its timeline).
        </p>
      ) : (
        <ul className="debug-failures">
          {failures.gates.map((g) => (
            <FailedGate key={g.id} gate={g} />
          ))}
          {failures.steps.map((s) => (
            <FailedStep key={s.id} step={s} />
          ))}
        </ul>
      )}
    </article>
  );
}

/**
 * The latest failed trains' failed gates and steps with their evidence and error text, from the
 * rows' `failures` (GET /api/v1/metrics/trains?include=failures).
 */
export function RecentFailures({ rows }: { rows: TrainMetricsRow[] }) {
  const failing = failedTrains(rows, 5);
  if (failing.length === 0) {
    return (
      <Empty title="No failure among these trains">
        <p>Trains that fail a gate or a step, roll back or are aborted are listed here with the evidence.</p>
      </Empty>
    );
  }
  return (
    <div className="stack">
      <p className="muted debug-note">
        The {failing.length === 1 ? "latest train" : `latest ${failing.length} trains`} that failed a gate,
        rolled back or were aborted, with the evidence each gate kept and the error of each failed step.
      </p>
      {failing.map((row) => (
        <TrainFailures key={row.trainId} row={row} />
      ))}
    </div>
  );
}
