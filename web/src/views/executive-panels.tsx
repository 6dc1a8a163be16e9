/**
 * The executive view's panels below the KPIs: the upcoming train calendar (GET /api/v1/timetable
 * and the lines' active trains from GET /api/v1/lines), the SLO compliance heatmap (M6 per line
 * and ISO week from GET /api/v1/metrics/releases?groupBy=week&breakdown=line) and the critical incidents
 * of the last 30 days (GET /api/v1/incidents).
 */
import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import type { LineSummary, TimetableDeparture } from "../api/client";
import { incidentsQuery, upcomingQuery, upcomingTo } from "../api/queries";
import { Card, Empty, Loading, QueryView, StateBadge, Time } from "../components/ui";
import { formatDate, formatDuration, percent } from "../format";
import { DAY, type MetricsPeriod, type ReleaseMetrics, TREND_WEEKS, WEEK } from "./executive-data";

const dayHeading = new Intl.DateTimeFormat(undefined, { weekday: "long", day: "numeric", month: "long" });
const dayKey = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
};

/** "Today", "Tomorrow" or "Wednesday 11 March", in the viewer's zone, against the server's now. */
function dayLabel(ms: number, now: number): string {
  if (dayKey(ms) === dayKey(now)) return "Today";
  if (dayKey(ms) === dayKey(now + DAY)) return "Tomorrow";
  return dayHeading.format(new Date(ms));
}

/** Each line's trains under way, linked to their pages. */
function ActiveTrains({ lines }: { lines: LineSummary[] }) {
  const busy = lines.filter((line) => line.activeTrains.length > 0);
  if (busy.length === 0) {
    return <p className="muted exec-note">No train is under way on any line.</p>;
  }
  return (
    <ul className="exec-active">
      {busy.map((line) => (
        <li key={line.name}>
          <span className="exec-line">{line.name}</span>
          <span className="row">
            {line.activeTrains.map((train) => (
              <span key={train.id} className="exec-active-train">
                <Link to={`/trains/${train.id}`} className="mono">
                  {train.id}
                </Link>{" "}
                <StateBadge state={train.state} />
              </span>
            ))}
          </span>
        </li>
      ))}
    </ul>
  );
}

function DepartureItem({ departure, exists }: { departure: TimetableDeparture; exists: boolean }) {
  return (
    <li className={`exec-departure status-${departure.status}`}>
      <div className="exec-departure-main">
        <Time at={departure.departureAt} />
        <span className="exec-line">{departure.line}</span>
        {exists ? (
          <Link to={`/trains/${departure.train}`} className="mono">
            {departure.train}
          </Link>
        ) : (
          <span className="mono" title="This train is created when boarding opens">
            {departure.train}
          </span>
        )}
        {departure.status === "scheduled" ? null : (
          <StateBadge
            state={departure.status === "skipped" ? "skipped" : "paused"}
            label={departure.status}
          />
        )}
      </div>
      <div className="exec-departure-detail muted">
        Cut-off <Time at={departure.cutoffAt} />
        {departure.status === "shifted" && departure.scheduledAt !== departure.departureAt ? (
          <>
            {" "}
            · was <Time at={departure.scheduledAt} />
          </>
        ) : null}
        {departure.reason ? <> · {departure.reason}</> : null}
      </div>
    </li>
  );
}

/** The next 14 days of departures as an agenda by day, and the trains under way. */
export function UpcomingCalendar({
  now,
  ready,
  lines,
  className,
}: {
  now: number;
  ready: boolean;
  lines: UseQueryResult<LineSummary[]>;
  className?: string;
}) {
  const timetable = useQuery({
    ...upcomingQuery(upcomingTo(now)),
    enabled: ready,
    placeholderData: (previous) => previous,
  });
  const existing = new Set((lines.data ?? []).flatMap((line) => line.activeTrains.map((t) => t.id)));
  return (
    <Card title="Upcoming trains" className={`${className ?? ""} exec-upcoming`}>
      <h3 className="exec-subhead">Under way</h3>
      <QueryView query={lines} label="Loading the lines">
        {(data) => <ActiveTrains lines={data} />}
      </QueryView>
      <h3 className="exec-subhead" id="upcoming">
        Departures, next 14 days
      </h3>
      {!ready ? (
        <Loading label="Reading the server's clock" />
      ) : (
        <QueryView query={timetable} label="Loading the timetable">
          {(departures) => {
            const upcoming = departures.filter((d) => Date.parse(d.departureAt) >= now - DAY);
            if (upcoming.length === 0) {
              return (
                <Empty title="No departure in the next 14 days">
                  <p>
                    Lines depart on their <code>schedule</code> in <code>railyard.yaml</code>; blackouts may
                    skip departures. The <Link to="/calendar">calendar</Link> shows further ahead.
                  </p>
                </Empty>
              );
            }
            const days = new Map<string, { label: string; items: TimetableDeparture[] }>();
            for (const departure of upcoming) {
              const ms = Date.parse(departure.departureAt);
              const key = dayKey(ms);
              const day = days.get(key) ?? { label: dayLabel(ms, now), items: [] };
              day.items.push(departure);
              days.set(key, day);
            }
            return (
              // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
              <ol className="exec-agenda" tabIndex={0} aria-label="Departures by day">
                {[...days.entries()].map(([key, day]) => (
                  <li key={key}>
                    <h4>{day.label}</h4>
                    <ul>
                      {day.items.map((departure) => (
                        <DepartureItem
                          key={departure.train}
                          departure={departure}
                          exists={existing.has(departure.train)}
                        />
                      ))}
                    </ul>
                  </li>
                ))}
              </ol>
            );
          }}
        </QueryView>
      )}
    </Card>
  );
}

type Heat = "good" | "fair" | "poor" | "none";

function heatOf(value: number | null, denominator: number): Heat {
  if (denominator === 0 || value === null) return "none";
  return value >= 0.99 ? "good" : value >= 0.95 ? "fair" : "poor";
}

const HEAT_WORDS: Record<Heat, string> = {
  good: "99 % or more",
  fair: "95 % to 99 %",
  poor: "under 95 %",
  none: "no data: no SLO-based gate evaluated",
};

/** One line's row of weekly M6 cells. */
function HeatRow({ line, weeks, periods }: { line: string; weeks: string[]; periods: MetricsPeriod[] }) {
  const byWeek = new Map(periods.map((p) => [p.from, p.m6SloCompliance]));
  return (
    <tr>
      <th scope="row">{line}</th>
      {weeks.map((week) => {
        const m6 = byWeek.get(week);
        const heat = m6 ? heatOf(m6.value, m6.denominator) : "none";
        const label =
          heat === "none"
            ? `${line}, week of ${formatDate(week)}: no SLO-based gate evaluated`
            : `${line}, week of ${formatDate(week)}: ${percent(m6?.value ?? null)}, ${m6?.numerator} of ${m6?.denominator} evaluations passed`;
        return (
          <td key={week} className={`heat heat-${heat}`} title={label}>
            {heat === "none" || !m6 ? (
              <span className="heat-none-text">no data</span>
            ) : (
              <>
                <span className="heat-value">{`${Math.floor((m6.value ?? 0) * 100)} %`}</span>
                <span className="heat-parts">
                  {m6.numerator}/{m6.denominator}
                </span>
              </>
            )}
          </td>
        );
      })}
    </tr>
  );
}

/**
 * SLO compliance (M6) per line and ISO week, as a table of coloured cells that print their value.
 * Reads the weekly report's per-line breakdown (`weekly`: groupBy=week, breakdown=line), so the
 * whole heatmap is one request, shared with the trend chart.
 */
export function SloHeatmap({
  from,
  weekly,
  className,
}: {
  from: string | null;
  weekly: UseQueryResult<ReleaseMetrics>;
  className?: string;
}) {
  const start = from === null ? null : Date.parse(from);
  const weeks =
    start === null
      ? []
      : Array.from({ length: TREND_WEEKS }, (_, i) => new Date(start + i * WEEK).toISOString());
  return (
    <Card title="SLO compliance by line and week" className={className}>
      {start === null ? (
        <Loading label="Reading the server's clock" />
      ) : (
        <QueryView query={weekly} label="Loading SLO compliance">
          {(report) => {
            const byLine = report.byLine ?? [];
            const anyData = byLine.some((l) => l.periods.some((p) => p.m6SloCompliance.denominator > 0));
            return byLine.length === 0 ? (
              <Empty title="No lines to show">
                <p>Each configured line gets a row once it exists in railyard.yaml.</p>
              </Empty>
            ) : (
              <>
                <p className="muted exec-note">
                  M6: the share of SLO-based gate evaluations (<code>slo</code>, <code>prometheus</code>,{" "}
                  <code>canary</code>) that passed, per line and week (weeks start Monday 00:00 UTC).
                </p>
                {!anyData ? (
                  <p className="exec-callout" role="note">
                    No SLO-based gate was evaluated on any line in these {TREND_WEEKS} weeks, so every cell
                    reads "no data". Add an <code>slo</code>, <code>prometheus</code> or <code>canary</code>{" "}
                    gate to a line's gates or verification to fill this heatmap.
                  </p>
                ) : null}
                <div className="table-wrap exec-wrap">
                  <table className="heatmap">
                    <caption className="visually-hidden">
                      SLO compliance (M6) per line (rows) and week (columns), last {TREND_WEEKS} weeks
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">Line</th>
                        {weeks.map((week, i) => (
                          <th scope="col" key={week} className="heat-week">
                            <span className="visually-hidden">Week of </span>
                            {i === weeks.length - 1 ? "This week" : formatDate(week).replace(/,? \d{4}$/, "")}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {byLine.map((l) => (
                        <HeatRow key={l.line} line={l.line} weeks={weeks} periods={l.periods} />
                      ))}
                    </tbody>
                  </table>
                </div>
                <ul className="heat-legend" aria-label="Legend">
                  {(["good", "fair", "poor", "none"] as const).map((heat) => (
                    <li key={heat} className="heat-legend-item">
                      <span className={`heat-swatch heat-${heat}`} aria-hidden="true" />
                      {HEAT_WORDS[heat]}
                    </li>
                  ))}
                </ul>
              </>
            );
          }}
        </QueryView>
      )}
    </Card>
  );
}

/** Critical incidents that started (or are still open) in the last 30 days of the server's clock. */
export function CriticalIncidents({
  now,
  ready,
  className,
}: {
  now: number;
  ready: boolean;
  className?: string;
}) {
  const incidents = useQuery(incidentsQuery("all"));
  const since = now - 30 * DAY;
  return (
    <Card title="Critical incidents, last 30 days" className={className}>
      {!ready ? (
        <Loading label="Reading the server's clock" />
      ) : (
        <QueryView query={incidents} label="Loading incidents">
          {(all) => {
            const critical = all
              .filter(
                (i) => i.severity === "critical" && (i.status === "open" || Date.parse(i.startedAt) >= since),
              )
              .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
            if (critical.length === 0) {
              return (
                <Empty title="No critical incident in the last 30 days">
                  <p>
                    Critical incidents come from Alertmanager, from people (
                    <code>POST /api/v1/incidents</code>) and from failed rollbacks; they are listed here with
                    their time to restore.
                  </p>
                </Empty>
              );
            }
            const open = critical.filter((i) => i.status === "open").length;
            return (
              <>
                <p className="muted exec-note">
                  {critical.length} critical {critical.length === 1 ? "incident" : "incidents"}
                  {open > 0 ? `, ${open} still open` : ", all resolved"}.
                </p>
                <div className="table-wrap exec-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Severity</th>
                        <th scope="col">Title</th>
                        <th scope="col">Line</th>
                        <th scope="col">Train</th>
                        <th scope="col">Started</th>
                        <th scope="col">Resolved</th>
                        <th scope="col" className="num">
                          Time to restore
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {critical.map((incident) => (
                        <tr key={incident.id}>
                          <td>
                            <StateBadge state="critical" />
                          </td>
                          <td className="exec-incident-title">{incident.title}</td>
                          <td>{incident.line}</td>
                          <td>
                            {incident.trainId ? (
                              <Link to={`/trains/${incident.trainId}`} className="mono">
                                {incident.trainId}
                              </Link>
                            ) : (
                              <span className="muted">none</span>
                            )}
                          </td>
                          <td>
                            <Time at={incident.startedAt} />
                          </td>
                          <td>
                            {incident.resolvedAt ? (
                              <Time at={incident.resolvedAt} />
                            ) : (
                              <StateBadge state="open" />
                            )}
                          </td>
                          <td className="num">
                            {incident.resolvedAt ? (
                              formatDuration(Date.parse(incident.resolvedAt) - Date.parse(incident.startedAt))
                            ) : (
                              <span>{formatDuration(now - Date.parse(incident.startedAt))} so far</span>
                            )}
                          </td>
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
