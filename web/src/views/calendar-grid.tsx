/**
 * The calendar's views of one range: a month grid (a real table with day headings), its agenda
 * fallback at phone width, and the week view listing times. Departures and cut-offs come from
 * GET /api/v1/timetable, windows and blackouts from GET /api/v1/timetable/spans.
 */
import type { ReactNode } from "react";
import { Link } from "react-router";
import { addDays, dayKey } from "../api/calendar-range";
import { StateBadge } from "../components/ui";
import { formatInstant, utc } from "../format";
import {
  clock,
  dayTitle,
  type MergedBlackout,
  overlaps,
  shortDay,
  type TimetableDeparture,
  type Train,
  type WindowSpan,
  weekdayLong,
  weekdayShort,
} from "./calendar-data";

/** Everything one range of the calendar shows, already filtered to the chosen lines. */
export interface CalendarData {
  days: Date[];
  todayKey: string;
  departures: TimetableDeparture[];
  blackouts: MergedBlackout[];
  windows: WindowSpan[];
  /** Line → colour slot 1–4. */
  slots: Map<string, number>;
  /** Trains that exist, by ID (departures link to them). */
  trains: Map<string, Train>;
}

interface Entry {
  kind: "departure" | "cutoff" | "window" | "blackout";
  at: number;
  key: string;
  node: ReactNode;
}

interface Day {
  date: Date;
  key: string;
  departures: TimetableDeparture[];
  cutoffs: TimetableDeparture[];
  blackouts: MergedBlackout[];
  windows: WindowSpan[];
}

/** Buckets the range's items by local day. */
function bucket(data: CalendarData): Day[] {
  const byKey = new Map<string, Day>();
  const days = data.days.map((date) => {
    const day: Day = { date, key: dayKey(date), departures: [], cutoffs: [], blackouts: [], windows: [] };
    byKey.set(day.key, day);
    return day;
  });
  for (const d of data.departures) {
    byKey.get(dayKey(new Date(d.departureAt)))?.departures.push(d);
    if (d.status !== "skipped") byKey.get(dayKey(new Date(d.cutoffAt)))?.cutoffs.push(d);
  }
  for (const day of days) {
    const from = day.date.getTime();
    const to = addDays(day.date, 1).getTime();
    day.blackouts = data.blackouts.filter((b) => overlaps(b.startMs, b.endMs, from, to));
    day.windows = data.windows.filter((w) => overlaps(Date.parse(w.start), Date.parse(w.end), from, to));
    day.cutoffs.sort((a, b) => a.cutoffAt.localeCompare(b.cutoffAt));
  }
  return days;
}

/** A time of day in the viewer's zone, with the UTC instant on hover (like `<Time>`, shorter). */
function ClockTime({ at }: { at: string }) {
  return (
    <time dateTime={at} title={utc(at)}>
      {clock.format(new Date(at))}
    </time>
  );
}

/** The train ID, a link when the train exists (with its state for screen readers). */
function TrainRef({ id, trains }: { id: string; trains: Map<string, Train> }) {
  const train = trains.get(id);
  if (!train) return <span className="mono">{id}</span>;
  return (
    <Link to={`/trains/${encodeURIComponent(id)}`} className="mono" title={`${id}: ${train.state}`}>
      {id}
    </Link>
  );
}

function StatusBadge({ departure }: { departure: TimetableDeparture }) {
  if (departure.status === "scheduled") return null;
  return (
    <span
      className={`badge ${departure.status === "shifted" ? "tone-warn" : "tone-muted"}`}
      title={departure.reason ?? undefined}
    >
      {departure.status}
    </span>
  );
}

function LineTag({ line, slot }: { line: string; slot: number | undefined }) {
  return <span className={`line-tag line-c${slot ?? 1}`}>{line}</span>;
}

/** A span's part of one day: "all day", "from 11:00 PM", "until 05:00 AM" or "08:00 AM–04:00 PM". */
function timeSpan(start: number, end: number, day: Date): ReactNode {
  const from = day.getTime();
  const to = addDays(day, 1).getTime();
  let text: string;
  if (start <= from && end >= to) text = "all day";
  else if (start <= from) text = `until ${clock.format(new Date(end))}`;
  else if (end >= to) text = `from ${clock.format(new Date(start))}`;
  else text = `${clock.format(new Date(start))}–${clock.format(new Date(end))}`;
  return (
    <span title={`${utc(new Date(start).toISOString())} – ${utc(new Date(end).toISOString())}`}>{text}</span>
  );
}

/** A day's entries with their times, for the week view and the agenda. */
function entriesOf(day: Day, data: CalendarData): Entry[] {
  const entries: Entry[] = [];
  const tag = (line: string) => <LineTag line={line} slot={data.slots.get(line)} />;
  for (const b of day.blackouts) {
    entries.push({
      kind: "blackout",
      at: Math.max(b.startMs, day.date.getTime()),
      key: `b-${b.key}`,
      node: (
        <>
          <span className="cal-entry-head">
            <strong>{timeSpan(b.startMs, b.endMs, day.date)}</strong> blackout
          </span>
          <span className="cal-entry-what">
            <strong>{b.name}</strong>: {b.reason}
          </span>
          <span className="cal-entry-meta">
            {b.scope === "global" ? "every line" : `line ${b.lines.join(", ")}`}
            {b.environments ? ` · only ${b.environments.join(", ")}` : ""} · exceptions by{" "}
            {b.exceptionRoles.join(", ")}
          </span>
        </>
      ),
    });
  }
  for (const w of day.windows) {
    const start = Date.parse(w.start);
    entries.push({
      kind: "window",
      at: Math.max(start, day.date.getTime()),
      key: `w-${w.line}-${w.start}`,
      node: (
        <>
          <span className="cal-entry-head">
            <strong>{timeSpan(start, Date.parse(w.end), day.date)}</strong> {tag(w.line)}
          </span>
          <span className="cal-entry-what">deployment window</span>
        </>
      ),
    });
  }
  for (const d of day.cutoffs) {
    entries.push({
      kind: "cutoff",
      at: Date.parse(d.cutoffAt),
      key: `c-${d.train}`,
      node: (
        <>
          <span className="cal-entry-head">
            <strong>
              <ClockTime at={d.cutoffAt} />
            </strong>{" "}
            {tag(d.line)}
          </span>
          <span className="cal-entry-what">
            boarding closes for <TrainRef id={d.train} trains={data.trains} />
          </span>
          <span className="cal-entry-meta">departs {formatInstant(d.departureAt)}</span>
        </>
      ),
    });
  }
  for (const d of day.departures) {
    const train = data.trains.get(d.train);
    entries.push({
      kind: "departure",
      at: Date.parse(d.departureAt),
      key: `d-${d.train}`,
      node: (
        <>
          <span className="cal-entry-head">
            <strong>
              <ClockTime at={d.departureAt} />
            </strong>{" "}
            {tag(d.line)}
          </span>
          <span className="cal-entry-what">
            <TrainRef id={d.train} trains={data.trains} /> departs <StatusBadge departure={d} />{" "}
            {train && train.state !== d.status ? <StateBadge state={train.state} /> : null}
          </span>
          {d.status !== "scheduled" || (d.windowStart && d.windowEnd) ? (
            <span className="cal-entry-meta">
              {d.status === "shifted" ? `shifted from ${formatInstant(d.scheduledAt)} by ${d.reason}` : null}
              {d.status === "skipped" ? `skipped: ${d.reason}` : null}
              {d.status !== "skipped" && d.windowStart && d.windowEnd ? (
                <>
                  {d.status === "shifted" ? " · " : ""}
                  window {clock.format(new Date(d.windowStart))}–{clock.format(new Date(d.windowEnd))}
                </>
              ) : null}
            </span>
          ) : null}
        </>
      ),
    });
  }
  const order = { blackout: 0, window: 1, cutoff: 2, departure: 3 };
  return entries.sort((a, b) => a.at - b.at || order[a.kind] - order[b.kind]);
}

function Entries({ entries }: { entries: Entry[] }) {
  return (
    <ul className="cal-entries">
      {entries.map((e) => (
        <li key={e.key} className={`cal-entry cal-entry-${e.kind}`}>
          {e.node}
        </li>
      ))}
    </ul>
  );
}

/** The month as a table: weekday column headings, one row per week, each day's items in its cell. */
export function MonthGrid({
  data,
  month,
  caption,
  onOpenWeek,
}: {
  data: CalendarData;
  month: number;
  caption: string;
  onOpenWeek: (day: Date) => void;
}) {
  const days = bucket(data);
  const weeks: Day[][] = [];
  for (let i = 0; i < days.length; i += 7) weeks.push(days.slice(i, i + 7));
  return (
    <div className="table-wrap">
      <table className="cal-month">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {(weeks[0] ?? []).map((day) => (
              <th key={day.key} scope="col" abbr={weekdayLong.format(day.date)}>
                {weekdayShort.format(day.date)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={week[0]?.key}>
              {week.map((day) => {
                const today = day.key === data.todayKey;
                const outside = day.date.getMonth() !== month;
                const items = [
                  ...day.cutoffs.map((d) => ({ kind: "cutoff" as const, at: d.cutoffAt, d })),
                  ...day.departures.map((d) => ({ kind: "departure" as const, at: d.departureAt, d })),
                ].sort((a, b) => a.at.localeCompare(b.at));
                return (
                  <td
                    key={day.key}
                    className={`cal-day${outside ? " cal-outside" : ""}${today ? " cal-today" : ""}${
                      day.blackouts.length ? " cal-blacked" : ""
                    }`}
                    aria-current={today ? "date" : undefined}
                  >
                    <div className="cal-day-head">
                      <button
                        type="button"
                        className="cal-daynum"
                        onClick={() => onOpenWeek(day.date)}
                        aria-label={`${dayTitle.format(day.date)}${today ? " (today)" : ""}: open the week`}
                      >
                        {day.date.getDate()}
                      </button>
                      {today ? <span className="cal-today-label">Today</span> : null}
                    </div>
                    {day.blackouts.map((b) => (
                      <p
                        key={b.key}
                        className="cal-blackout"
                        title={`${b.name}: ${b.reason}${b.environments ? ` (only ${b.environments.join(", ")})` : ""}`}
                      >
                        <span className="visually-hidden">Blackout </span>
                        {b.name}
                        <span className="visually-hidden">: {b.reason}</span>
                      </p>
                    ))}
                    {items.length ? (
                      <ul className="cal-items">
                        {items.map(({ kind, d }) => {
                          const train = data.trains.get(d.train);
                          return (
                            <li
                              key={`${kind}-${d.train}`}
                              className={`cal-item cal-${kind} line-c${data.slots.get(d.line) ?? 1}${
                                d.status === "skipped" && kind === "departure" ? " cal-skipped" : ""
                              }`}
                            >
                              <ClockTime at={kind === "cutoff" ? d.cutoffAt : d.departureAt} />{" "}
                              {kind === "cutoff" ? <span className="cal-kind">cut-off </span> : null}
                              <TrainRef id={d.train} trains={data.trains} />
                              {kind === "departure" ? (
                                <>
                                  <span className="visually-hidden">
                                    {" "}
                                    departs
                                    {train ? ` (${train.state.replaceAll("_", " ")})` : ""}
                                    {d.reason ? `, ${d.status}: ${d.reason}` : ""}
                                  </span>{" "}
                                  <StatusBadge departure={d} />
                                </>
                              ) : null}
                            </li>
                          );
                        })}
                      </ul>
                    ) : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The month as a list of the days that have something (the phone-width fallback of the grid). */
export function Agenda({ data, month, emptyText }: { data: CalendarData; month: number; emptyText: string }) {
  const days = bucket(data).filter(
    (day) =>
      day.date.getMonth() === month &&
      (day.departures.length || day.cutoffs.length || day.blackouts.length || day.windows.length),
  );
  if (days.length === 0) return <p className="state-body muted cal-none">{emptyText}</p>;
  return (
    <ol className="cal-agenda">
      {days.map((day) => (
        <li
          key={day.key}
          className={day.key === data.todayKey ? "cal-agenda-day cal-today" : "cal-agenda-day"}
        >
          <h3>
            {dayTitle.format(day.date)}
            {day.key === data.todayKey ? <span className="cal-today-label">Today</span> : null}
          </h3>
          <Entries entries={entriesOf(day, data)} />
        </li>
      ))}
    </ol>
  );
}

/** The week: a column per day listing windows, blackouts, cut-offs and departures with their times. */
export function WeekList({ data }: { data: CalendarData }) {
  return (
    <ol className="cal-week">
      {bucket(data).map((day) => {
        const entries = entriesOf(day, data);
        const today = day.key === data.todayKey;
        return (
          <li
            key={day.key}
            className={`cal-week-day${today ? " cal-today" : ""}${day.blackouts.length ? " cal-blacked" : ""}`}
            aria-current={today ? "date" : undefined}
          >
            <h3>
              {shortDay.format(day.date)}
              {today ? <span className="cal-today-label">Today</span> : null}
            </h3>
            {entries.length ? (
              <Entries entries={entries} />
            ) : (
              <p className="muted cal-entry-none">Nothing scheduled</p>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** What the colours and shading mean; each line's colour next to its name. */
export function Legend({ lines, slots }: { lines: string[]; slots: Map<string, number> }) {
  return (
    <ul className="cal-legend" aria-label="Legend">
      {lines.map((line) => (
        <li key={line}>
          <LineTag line={line} slot={slots.get(line)} />
        </li>
      ))}
      <li>
        <span className="cal-swatch cal-swatch-departure" aria-hidden="true" /> departure
      </li>
      <li>
        <span className="cal-swatch cal-swatch-cutoff" aria-hidden="true" /> cut-off (boarding closes)
      </li>
      <li>
        <span className="cal-swatch cal-swatch-blackout" aria-hidden="true" /> blackout (no deployments)
      </li>
      <li>
        <span className="badge tone-warn">shifted</span> / <span className="badge tone-muted">skipped</span>{" "}
        by a blackout
      </li>
    </ul>
  );
}
