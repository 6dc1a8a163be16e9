/**
 * Lines & calendar: a month or week of departures, cut-offs, deployment windows and blackouts
 * (GET /api/v1/timetable, GET /api/v1/timetable/spans), each team's next cut-off and the lines in
 * words (GET /api/v1/lines, GET /api/v1/config), and the /calendar.ics subscribe links. "Today"
 * is the server's clock; times show in the viewer's zone.
 */
import { useId, useMemo, useSyncExternalStore } from "react";
import { useSearchParams } from "react-router";
import { addDays, calendarAnchor, calendarWindow, dayKey } from "../api/calendar-range";
import { useServerNow } from "../api/clock";
import { useSession } from "../auth";
import { Card, ErrorState, Loading, PageHeader, QueryView } from "../components/ui";
import {
  lineSlots,
  mergeBlackouts,
  monthTitle,
  shortDay,
  useConfig,
  useLines,
  useRecentTrains,
  useSpans,
  useTimetable,
  viewerZone,
} from "./calendar-data";
import { Agenda, type CalendarData, Legend, MonthGrid, WeekList } from "./calendar-grid";
import { ConfiguredBlackouts, CutoffTable, LinesSummary, SubscribePanel } from "./calendar-panels";
import "./calendar.css";

const NARROW = "(max-width: 720px)";

/** Whether a media query matches, following changes. */
function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (notify) => {
      const list = window.matchMedia(query);
      list.addEventListener("change", notify);
      return () => list.removeEventListener("change", notify);
    },
    () => window.matchMedia(query).matches,
  );
}

/** The calendar page (route `/calendar`); view, date and line live in the URL's query. */
export default function CalendarView() {
  const [params, setParams] = useSearchParams();
  const now = useServerNow();
  const { me } = useSession();
  const narrow = useMediaQuery(NARROW);
  const headingId = useId();
  const lineSelectId = useId();

  const { mode, anchor } = calendarAnchor(params, now);
  const todayKey = dayKey(new Date(now));
  const anchorKey = dayKey(anchor);
  const lineFilter = params.get("line") ?? "";

  // Re-derive the range only when the day, mode or anchor changes (not every second).
  // biome-ignore lint/correctness/useExhaustiveDependencies: anchorKey names anchor's day
  const { range, from, to, readTo } = useMemo(() => calendarWindow(mode, anchor), [mode, anchorKey]);

  const config = useConfig();
  const lines = useLines();
  const timetable = useTimetable(from, readTo);
  const spans = useSpans(from, to);
  const trains = useRecentTrains();

  const lineNames = useMemo(
    () => lines.data?.map((l) => l.name) ?? Object.keys(config.data?.lines ?? {}),
    [lines.data, config.data],
  );
  const slots = useMemo(() => lineSlots(lineNames), [lineNames]);
  const shown = useMemo(
    () => new Set(lineFilter && lineNames.includes(lineFilter) ? [lineFilter] : lineNames),
    [lineFilter, lineNames],
  );

  const data = useMemo<CalendarData | null>(() => {
    if (!timetable.data) return null;
    return {
      days: range.days,
      todayKey,
      departures: timetable.data.filter((d) => shown.has(d.line)),
      blackouts: mergeBlackouts(spans.data?.blackouts ?? [], shown),
      windows: (spans.data?.windows ?? []).filter((w) => shown.has(w.line)),
      slots,
      trains: new Map((trains.data ?? []).map((t) => [t.id, t])),
    };
  }, [timetable.data, spans.data, trains.data, range, todayKey, shown, slots]);

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === "") next.delete(key);
      else next.set(key, value);
    }
    setParams(next);
  };
  const step = (direction: 1 | -1) => {
    const target =
      mode === "week"
        ? addDays(anchor, 7 * direction)
        : new Date(anchor.getFullYear(), anchor.getMonth() + direction, 1);
    update({ date: dayKey(target) });
  };

  const title =
    mode === "month"
      ? monthTitle.format(anchor)
      : `${shortDay.format(range.start)} – ${shortDay.format(addDays(range.end, -1))} ${range.start.getFullYear()}`;
  const inRange =
    data?.departures.filter((d) =>
      range.days.some((day) => dayKey(day) === dayKey(new Date(d.departureAt))),
    ) ?? [];
  const lineWord = shown.size === 1 ? `line ${[...shown][0]}` : "the shown lines";

  return (
    <>
      <PageHeader
        title="Lines & calendar"
        subtitle={
          <>
            Departures, cut-offs, deployment windows and blackouts. Times are in your time zone ({viewerZone}
            ); “today” is the server's clock.
          </>
        }
      />
      <section className="card cal-card" aria-labelledby={headingId}>
        <div className="cal-toolbar">
          <h2 id={headingId} aria-live="polite">
            {title}
          </h2>
          <div className="cal-controls">
            <fieldset className="cal-segmented">
              <legend className="visually-hidden">View</legend>
              {(["month", "week"] as const).map((m) => (
                <button
                  key={m}
                  type="button"
                  className="button"
                  aria-pressed={mode === m}
                  onClick={() => update({ view: m === "month" ? null : m })}
                >
                  {m === "month" ? "Month" : "Week"}
                </button>
              ))}
            </fieldset>
            <fieldset className="row cal-move">
              <legend className="visually-hidden">Move through time</legend>
              <button type="button" className="button" onClick={() => step(-1)}>
                <span aria-hidden="true">‹ </span>Previous<span className="visually-hidden"> {mode}</span>
              </button>
              <button
                type="button"
                className="button"
                onClick={() => update({ date: null })}
                aria-current={anchorKey === todayKey ? "date" : undefined}
              >
                Today
              </button>
              <button type="button" className="button" onClick={() => step(1)}>
                Next<span className="visually-hidden"> {mode}</span>
                <span aria-hidden="true"> ›</span>
              </button>
            </fieldset>
            <label className="cal-filter" htmlFor={lineSelectId}>
              <span>Line</span>
              <select
                id={lineSelectId}
                value={shown.size === 1 && lineFilter ? lineFilter : ""}
                onChange={(event) => update({ line: event.target.value || null })}
              >
                <option value="">All lines</option>
                {lineNames.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
          </div>
        </div>
        <Legend lines={lineNames.filter((name) => shown.has(name))} slots={slots} />
        {spans.data === null ? (
          <p className="cal-notice" role="note">
            This server does not list deployment windows and blackout spans (it has no{" "}
            <code>/api/v1/timetable/spans</code>; it runs an older Railyard). Departures shifted or skipped by
            a blackout still say so; the configured blackouts are listed below.
          </p>
        ) : null}
        {spans.error ? (
          <p className="cal-notice" role="note">
            Windows and blackouts could not be loaded: {spans.error.message}
          </p>
        ) : null}
        {timetable.isPending ? (
          <Loading label="Loading the timetable" />
        ) : timetable.error || !data ? (
          <ErrorState
            error={timetable.error ?? new Error("no data")}
            retry={() => void timetable.refetch()}
          />
        ) : (
          <div
            aria-busy={timetable.isPlaceholderData || undefined}
            className={timetable.isPlaceholderData ? "cal-stale" : undefined}
          >
            {inRange.length === 0 && mode === "month" && !narrow ? (
              <p className="cal-notice">
                No departures of {lineWord} in {title}
                {data.blackouts.length ? "; blackouts are shaded" : ""}.
              </p>
            ) : null}
            {mode === "week" ? (
              <WeekList data={data} />
            ) : narrow ? (
              <Agenda
                data={data}
                month={anchor.getMonth()}
                emptyText={`Nothing scheduled for ${lineWord} in ${title}.`}
              />
            ) : (
              <MonthGrid
                data={data}
                month={anchor.getMonth()}
                caption={`${title}: departures, cut-offs and blackouts of ${lineWord}, times in ${viewerZone}`}
                onOpenWeek={(day) => update({ view: "week", date: dayKey(day) })}
              />
            )}
          </div>
        )}
      </section>

      <div className="grid cal-panels">
        <Card title="When is my cut-off?" className="span-12">
          <p className="hint">
            Boarding closes at the cut-off: an artifact pushed later boards the following train. Measured on
            the server's clock.
          </p>
          <QueryView query={config} label="Loading teams">
            {(cfg) => (
              <QueryView query={lines} label="Loading lines">
                {(all) => <CutoffTable config={cfg} lines={all} me={me} now={now} slots={slots} />}
              </QueryView>
            )}
          </QueryView>
        </Card>
        <Card title="Lines" className="span-12">
          <QueryView query={lines} label="Loading lines">
            {(all) => (
              <QueryView query={config} label="Loading the configuration">
                {(cfg) => <LinesSummary lines={all} config={cfg} slots={slots} />}
              </QueryView>
            )}
          </QueryView>
        </Card>
        <Card title="Subscribe in your calendar app" className="span-12">
          <QueryView query={config} label="Loading teams">
            {(cfg) => <SubscribePanel lineNames={lineNames} teams={Object.keys(cfg.teams)} />}
          </QueryView>
        </Card>
        <Card title="Blackouts in railyard.yaml" className="span-12">
          <QueryView query={config} label="Loading the configuration">
            {(cfg) => <ConfiguredBlackouts config={cfg} />}
          </QueryView>
        </Card>
      </div>
    </>
  );
}
