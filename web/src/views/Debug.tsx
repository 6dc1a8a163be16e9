/**
 * The debug view (route `/debug`): root-cause analysis after a release, broken down by train and
 * component version, from what Railyard recorded (GET /api/v1/metrics/trains): each train's
 * versions, times, gates, canary score, error rate before/after (M5), rollbacks and incidents;
 * the breakdown of one component's versions; and the recent failures with their evidence (the
 * same answer, with include=failures). Filters live in the URL (`?line=&component=`) so a view can be shared.
 */
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { useSearchParams } from "react-router";
import { debugTrainsQuery } from "../api/queries";
import { Card, Empty, PageHeader, QueryView } from "../components/ui";
import { formatDate } from "../format";
import { ErrorRateChart, RecentFailures, TimingChart, TrainsTable, VersionBreakdown } from "./debug-parts";
import { type TrainMetrics, useLines } from "./executive-data";
import "./debug.css";

/** The panels over the trains of the filters (or a designed empty state). */
function DebugPanels({
  answer,
  line,
  component,
  breakdown,
  components,
  onBreakdown,
}: {
  answer: TrainMetrics;
  line: string;
  component: string;
  breakdown: string;
  components: string[];
  onBreakdown: (component: string) => void;
}) {
  return answer.trains.length === 0 ? (
    <Card>
      <Empty
        title={`No train${line ? ` on ${line}` : ""}${component ? ` carrying ${component}` : ""} in the last 30 days`}
      >
        <p>
          Trains appear here as the timetable creates them and CI boards artifacts onto them (
          <code>railyard push</code> or <code>POST /api/v1/artifacts</code>).
          {line || component ? " Clear the filters to see every line and component." : ""}
        </p>
      </Empty>
    </Card>
  ) : (
    <div className="grid">
      <Card title="Recent trains" className="span-12">
        <TrainsTable rows={answer.trains} />
      </Card>
      <Card title="Error rate around release (M5)" className="span-6">
        <ErrorRateChart rows={answer.trains} />
      </Card>
      <Card title="Deployment and lead time" className="span-6">
        <TimingChart rows={answer.trains} />
      </Card>
      <div className="span-12">
        <VersionBreakdown
          component={breakdown}
          line={line}
          components={components}
          all={answer}
          onComponent={onBreakdown}
        />
      </div>
      <Card title="Recent failures" className="span-12">
        <RecentFailures rows={answer.trains} />
      </Card>
    </div>
  );
}

/** The debug dashboard (route `/debug`). */
export default function DebugView() {
  const [params, setParams] = useSearchParams();
  const line = params.get("line") ?? "";
  const component = params.get("component") ?? "";
  const lineId = useId();
  const componentId = useId();
  const lines = useLines();

  const lineNames = (lines.data ?? []).map((l) => l.name);
  const components = [
    ...new Set((lines.data ?? []).filter((l) => line === "" || l.name === line).flatMap((l) => l.components)),
  ].sort();
  const trains = useQuery({
    ...debugTrainsQuery({ line, component }),
    placeholderData: (previous) => previous,
  });

  const asked = params.get("versions") ?? "";
  // By default, the component carried by the most of the listed trains.
  const carried = new Map<string, number>();
  for (const row of trains.data?.trains ?? []) {
    for (const v of row.versions) carried.set(v.component, (carried.get(v.component) ?? 0) + 1);
  }
  const busiest = [...carried.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  const breakdown = components.includes(asked) ? asked : component || busiest || components[0] || "";

  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };
  const onLine = (value: string) => {
    const keep = lines.data?.find((l) => l.name === value)?.components.includes(component) ?? true;
    set({ line: value, ...(keep ? {} : { component: "" }) });
  };

  return (
    <div className="stack debug">
      <PageHeader
        title="Debug by train and version"
        subtitle={
          <>
            What Railyard recorded per train and component version: versions carried, gates, canary, error
            rate around release, rollbacks and incidents. Railyard does not see your services' requests, so
            per-request traces and database latency are not here: find them in your tracing tool by the train
            ID tag (e.g. <code>train_id=web-4</code>).
          </>
        }
      />
      <form className="debug-filters card" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor={lineId} className="field">
          <span>Line</span>
          <select id={lineId} value={line} onChange={(e) => onLine(e.target.value)}>
            <option value="">All lines</option>
            {lineNames.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={componentId} className="field">
          <span>Component</span>
          <select id={componentId} value={component} onChange={(e) => set({ component: e.target.value })}>
            <option value="">All components</option>
            {components.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        {line || component ? (
          <button
            type="button"
            className="button button-quiet"
            onClick={() => set({ line: "", component: "" })}
          >
            Clear filters
          </button>
        ) : null}
        <p className="hint debug-filter-hint" aria-live="polite">
          {trains.data
            ? `${trains.data.matched} ${trains.data.matched === 1 ? "train" : "trains"} alive ${formatDate(trains.data.query.from)} – ${formatDate(trains.data.query.to)} (server clock)${
                trains.data.matched > trains.data.trains.length
                  ? `, the latest ${trains.data.trains.length} shown`
                  : ""
              }`
            : trains.isError
              ? "The trains could not be loaded."
              : "Loading trains…"}
        </p>
      </form>

      {trains.data ? (
        <DebugPanels
          answer={trains.data}
          line={line}
          component={component}
          breakdown={breakdown}
          components={components}
          onBreakdown={(value) => set({ versions: value })}
        />
      ) : (
        <Card>
          <QueryView query={trains} label="Loading per-train metrics">
            {() => null}
          </QueryView>
        </Card>
      )}
    </div>
  );
}
