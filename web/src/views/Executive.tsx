/**
 * The executive view (route `/`): predictability and risk at a glance, as the release-train
 * article's executive dashboard asks: the headline release metrics of the last 30 days
 * (GET /api/v1/metrics/releases), their 12-week trend (groupBy=week), the upcoming train calendar
 * (GET /api/v1/timetable, GET /api/v1/lines), the SLO compliance heatmap per line and week, and
 * the critical incidents of the last 30 days (GET /api/v1/incidents).
 */
import type { ReactNode } from "react";
import { Link } from "react-router";
import { TimeSeriesChart } from "../components/charts";
import { Card, Empty, Kpi, Loading, PageHeader, QueryView } from "../components/ui";
import { formatDate, formatDuration, percent } from "../format";
import {
  bucketTone,
  type DoraBucket,
  type MetricsPeriod,
  type ReleaseMetrics,
  TREND_WEEKS,
  trendFrom,
  useLines,
  useRecentMetrics,
  useServerTime,
  useWeeklyMetrics,
} from "./executive-data";
import { CriticalIncidents, SloHeatmap, UpcomingCalendar } from "./executive-panels";
import "./executive.css";

type Tone = "good" | "warn" | "bad" | "neutral";

/** A ratio's tone against thresholds (higher is better); neutral without data. */
function ratioTone(value: number | null, good: number, watch: number): Tone {
  if (value === null) return "neutral";
  return value >= good ? "good" : value >= watch ? "warn" : "bad";
}

const TONE_WORD: Record<Tone, string> = { good: "good", warn: "watch", bad: "poor", neutral: "no data" };

function ToneBadge({ tone, children }: { tone: Tone; children: ReactNode }) {
  return <span className={`badge tone-${tone === "neutral" ? "muted" : tone}`}>{children}</span>;
}

function DoraBadge({ bucket }: { bucket: DoraBucket | null }) {
  return <ToneBadge tone={bucketTone(bucket)}>{bucket ? `DORA ${bucket}` : "DORA: no data yet"}</ToneBadge>;
}

/** One headline metric: value, what it is made of, its rating badge and its definition on demand. */
function MetricKpi({
  label,
  value,
  parts,
  badge,
  tone,
  definition,
}: {
  label: string;
  value: string;
  parts: ReactNode;
  badge: ReactNode;
  tone: Tone;
  definition: string | undefined;
}) {
  return (
    <Kpi
      label={label}
      value={value}
      tone={tone}
      detail={
        <>
          <span className="kpi-parts">{parts}</span>
          <span className="kpi-badge">{badge}</span>
          {definition ? (
            <details className="kpi-help">
              <summary>How it is counted</summary>
              <p>{definition}</p>
            </details>
          ) : null}
        </>
      }
    />
  );
}

function perWeek(perDay: number): string {
  const week = perDay * 7;
  return `${week >= 10 ? Math.round(week) : week.toFixed(1)} per week`;
}

/** The six headline KPIs of a period (M1, M7, lead time, deployment frequency, MTTR, M6). */
function Kpis({ report }: { report: ReleaseMetrics }) {
  const t: MetricsPeriod = report.total;
  const d = report.definitions;
  const m1 = t.m1ReleaseSuccessRate;
  const m6 = t.m6SloCompliance;
  const cfr = t.m7ChangeFailureRate;
  const lead = t.dora.leadTime;
  const df = t.dora.deploymentFrequency;
  const ttr = t.dora.timeToRestore;
  const m1Tone = ratioTone(m1.value, 0.95, 0.8);
  const m6Tone = ratioTone(m6.value, 0.99, 0.95);
  return (
    <div className="kpis exec-kpis">
      <MetricKpi
        label="Release success rate (M1)"
        value={percent(m1.value)}
        tone={m1Tone}
        parts={
          m1.denominator === 0
            ? "No train ended in the period"
            : `${m1.numerator} of ${m1.denominator} trains released with no rollback`
        }
        badge={<ToneBadge tone={m1Tone}>{`${TONE_WORD[m1Tone]} · target ≥ 95 %`}</ToneBadge>}
        definition={d.M1}
      />
      <MetricKpi
        label="Change failure rate (M7)"
        value={percent(cfr.value)}
        tone={bucketTone(t.dora.changeFailureRate.bucket)}
        parts={
          cfr.denominator === 0
            ? "No train departed in the period"
            : `${cfr.numerator} of ${cfr.denominator} departed trains failed`
        }
        badge={<DoraBadge bucket={t.dora.changeFailureRate.bucket} />}
        definition={d.CFR ?? d.M7}
      />
      <MetricKpi
        label="Lead time for changes"
        value={formatDuration(lead.medianMs)}
        tone={bucketTone(lead.bucket)}
        parts={
          t.m3LeadTime.count === 0
            ? "No component version released in the period"
            : `median of ${t.m3LeadTime.count} versions, commit → released${
                t.m3LeadTime.fromPush > 0 ? ` (${t.m3LeadTime.fromPush} from push)` : ""
              }`
        }
        badge={<DoraBadge bucket={lead.bucket} />}
        definition={d.LT ?? d.M3}
      />
      <MetricKpi
        label="Deployment frequency"
        value={`${df.perDay.toFixed(2)} / day`}
        tone={bucketTone(df.bucket)}
        parts={`${df.releases} ${df.releases === 1 ? "release" : "releases"}, ${perWeek(df.perDay)}`}
        badge={<DoraBadge bucket={df.bucket} />}
        definition={d.DF}
      />
      <MetricKpi
        label="Time to restore (MTTR)"
        value={formatDuration(ttr.medianMs)}
        tone={bucketTone(ttr.bucket)}
        parts={
          t.m2Mttr.count === 0
            ? "No critical incident recovered in the period"
            : `median of ${t.m2Mttr.count} critical ${t.m2Mttr.count === 1 ? "incident" : "incidents"} (M2)`
        }
        badge={<DoraBadge bucket={ttr.bucket} />}
        definition={d.TTR ?? d.M2}
      />
      <MetricKpi
        label="SLO compliance (M6)"
        value={percent(m6.value)}
        tone={m6Tone}
        parts={
          m6.denominator === 0
            ? "No SLO-based gate (slo, prometheus, canary) was evaluated"
            : `${m6.numerator} of ${m6.denominator} SLO gate evaluations passed`
        }
        badge={<ToneBadge tone={m6Tone}>{`${TONE_WORD[m6Tone]} · target ≥ 99 %`}</ToneBadge>}
        definition={d.M6}
      />
    </div>
  );
}

/** Nothing ran in the period: what will appear here, and how to get there. */
function NothingYet() {
  return (
    <Empty title="No train has departed or ended in the last 30 days">
      <p>
        These numbers fill in as trains run: CI pushes artifacts to a line's next train before its cut-off (
        <code>railyard push</code> or <code>POST /api/v1/artifacts</code>), the train departs on its
        timetable, and every release, rollback and incident is counted here. The next departures are listed
        under <a href="#upcoming">Upcoming trains</a>; the <Link to="/calendar">calendar</Link> shows the
        whole timetable.
      </p>
    </Empty>
  );
}

/** The 12-week trend of success rate, change failure rate and releases per week. */
function Trend({ from, weekly }: { from: string | null; weekly: ReturnType<typeof useWeeklyMetrics> }) {
  if (from === null) return <Loading label="Reading the server's clock" />;
  return (
    <QueryView query={weekly} label="Loading the weekly trend">
      {(report) => {
        const t = report.total;
        if (t.trains.ended === 0 && t.trains.departed === 0) {
          return (
            <Empty title={`No train departed or ended in the last ${TREND_WEEKS} weeks`}>
              <p>Each week's success rate, change failure rate and releases appear here once trains run.</p>
            </Empty>
          );
        }
        const rows = report.periods.map((p) => ({
          x: p.from,
          success: p.m1ReleaseSuccessRate.value,
          cfr: p.m7ChangeFailureRate.value,
          releases: p.trains.released,
        }));
        const ratio = (v: number | null) => percent(v, 0);
        return (
          <TimeSeriesChart
            title={`Weekly release success and change failure rate, last ${TREND_WEEKS} weeks`}
            summary={
              <>
                Weeks from {formatDate(report.query.from)} (Mondays, UTC). Over the period:{" "}
                {t.trains.released} {t.trains.released === 1 ? "release" : "releases"}, success rate{" "}
                {percent(t.m1ReleaseSuccessRate.value)} ({t.m1ReleaseSuccessRate.numerator} of{" "}
                {t.m1ReleaseSuccessRate.denominator}), change failure rate{" "}
                {percent(t.m7ChangeFailureRate.value)} ({t.m7ChangeFailureRate.numerator} of{" "}
                {t.m7ChangeFailureRate.denominator}). Weeks without trains have no rate.
              </>
            }
            xLabel="Week of"
            xFormat={(ms) => formatDate(new Date(ms).toISOString()).replace(/,? \d{4}$/, "")}
            rows={rows}
            series={[
              {
                key: "releases",
                label: "Releases",
                kind: "bar",
                axis: "right",
                color: "var(--chart-4)",
                format: (v) => (v === null ? "—" : String(v)),
              },
              { key: "success", label: "Success rate (M1)", color: "var(--chart-1)", format: ratio },
              {
                key: "cfr",
                label: "Change failure rate (M7)",
                color: "var(--chart-2)",
                dashed: true,
                format: ratio,
              },
            ]}
            leftDomain={[0, 1]}
            leftFormat={(v) => `${Math.round(v * 100)} %`}
            barSize={16}
            height={280}
          />
        );
      }}
    </QueryView>
  );
}

/** The executive dashboard (route `/`). */
export default function ExecutiveView() {
  const { now, ready } = useServerTime();
  const metrics = useRecentMetrics();
  const lines = useLines();
  const from = ready ? trendFrom(now) : null;
  const weekly = useWeeklyMetrics(from);
  const period = metrics.data?.query;

  return (
    <div className="stack exec">
      <PageHeader
        title="Executive overview"
        subtitle={
          period ? (
            <>
              Last 30 days on the server's clock ({formatDate(period.from)} – {formatDate(period.to)}), all
              lines
            </>
          ) : (
            "Predictability and risk of every release line"
          )
        }
      />
      {lines.data && lines.data.length === 0 ? (
        <Card>
          <Empty title="No lines are configured">
            <p>
              A line is a recurring release train. Declare one under <code>lines:</code> in{" "}
              <code>railyard.yaml</code> (timetable, components, gates, rollout) and reload the configuration;
              its trains, metrics and calendar will appear here.
            </p>
          </Empty>
        </Card>
      ) : null}
      <section aria-labelledby="exec-kpis-title" className="stack">
        <h2 id="exec-kpis-title" className="visually-hidden">
          Headline metrics, last 30 days
        </h2>
        {metrics.data ? (
          metrics.data.total.trains.ended === 0 && metrics.data.total.trains.departed === 0 ? (
            <Card>
              <NothingYet />
            </Card>
          ) : (
            <Kpis report={metrics.data} />
          )
        ) : (
          <Card>
            <QueryView query={metrics} label="Loading the release metrics">
              {() => null}
            </QueryView>
          </Card>
        )}
      </section>
      <div className="grid">
        <div className="span-8 stack">
          <Card title="Release trend">
            <Trend from={from} weekly={weekly} />
          </Card>
          <CriticalIncidents now={now} ready={ready} />
        </div>
        <UpcomingCalendar now={now} ready={ready} lines={lines} className="span-4" />
        <SloHeatmap from={from} weekly={weekly} className="span-12" />
      </div>
    </div>
  );
}
