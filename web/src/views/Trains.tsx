/**
 * The trains list (route `/trains`): every train, newest first, filtered by line and state through
 * the URL's search params so a filtered list can be shared. Data: GET /api/v1/trains
 * (line, state, active, limit) and GET /api/v1/lines for the line filter.
 */
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Link, useSearchParams } from "react-router";
import { linesQuery, trainsFilter, trainsListQuery } from "../api/queries";
import { Card, Empty, PageHeader, QueryView, StateBadge, Time } from "../components/ui";
import { words } from "../format";
import { withTimes } from "./train-parts";
import { TRAIN_STATES } from "./train-words";
import "./trains.css";

const ACTIVE = "active";

/** The trains table with its line and state filters (GET /api/v1/trains). */
export default function TrainsView() {
  const [params, setParams] = useSearchParams();
  const filter = trainsFilter(params);
  const { line, state, limit } = filter;
  const lineId = useId();
  const stateId = useId();

  const lines = useQuery(linesQuery);
  const trains = useQuery({ ...trainsListQuery(filter), placeholderData: (previous) => previous });

  const set = (key: string, value: string) => {
    // The address, not this render's params: two quick changes must not lose the first.
    const next = new URLSearchParams(window.location.search);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== "limit") next.delete("limit");
    setParams(next, { replace: true });
  };
  const filtered = Boolean(line || state);

  return (
    <div className="stack">
      <PageHeader
        title="Trains"
        subtitle="Every departure, newest first. Filters stay in the address to share."
      />
      <Card>
        <form
          className="trains-filters"
          onSubmit={(event) => event.preventDefault()}
          aria-label="Filter trains"
        >
          <label htmlFor={lineId} className="field">
            <span>Line</span>
            <select id={lineId} value={line} onChange={(event) => set("line", event.target.value)}>
              <option value="">All lines</option>
              {(lines.data ?? []).map((l) => (
                <option key={l.name} value={l.name}>
                  {l.name}
                </option>
              ))}
              {line && lines.data && !lines.data.some((l) => l.name === line) ? (
                <option value={line}>{line}</option>
              ) : null}
            </select>
          </label>
          <label htmlFor={stateId} className="field">
            <span>State</span>
            <select id={stateId} value={state} onChange={(event) => set("state", event.target.value)}>
              <option value="">Any state</option>
              <option value={ACTIVE}>Not ended (active)</option>
              {TRAIN_STATES.map((s) => (
                <option key={s} value={s}>
                  {words(s)}
                </option>
              ))}
            </select>
          </label>
          {filtered ? (
            <button
              type="button"
              className="button button-quiet"
              onClick={() => setParams({}, { replace: true })}
            >
              Clear filters
            </button>
          ) : null}
        </form>
        <QueryView query={trains} label="Loading trains">
          {(list) =>
            list.length === 0 ? (
              <Empty title={filtered ? "No train matches these filters" : "No trains yet"}>
                {filtered ? (
                  <p>Try another line or state, or clear the filters.</p>
                ) : (
                  <p>
                    Trains appear when a line's timetable opens boarding for the next departure (see the{" "}
                    <Link to="/calendar">calendar</Link>) or when someone starts a hotfix train.
                  </p>
                )}
              </Empty>
            ) : (
              <>
                <p className="muted trains-count" aria-live="polite">
                  {list.length === limit ? `The newest ${list.length} trains` : `${list.length} trains`}
                  {line ? ` of line ${line}` : ""}
                  {state ? ` ${state === ACTIVE ? "not ended" : `in state ${words(state)}`}` : ""}
                </p>
                <div className="table-wrap">
                  <table className="trains-table">
                    <caption className="visually-hidden">Trains, newest first</caption>
                    <thead>
                      <tr>
                        <th scope="col">Train</th>
                        <th scope="col" className="hide-narrow">
                          Line
                        </th>
                        <th scope="col">State</th>
                        <th scope="col">Status</th>
                        <th scope="col">Departure</th>
                        <th scope="col" className="hide-narrow">
                          Ended
                        </th>
                        <th scope="col">Kind</th>
                      </tr>
                    </thead>
                    <tbody>
                      {list.map((train) => (
                        <tr key={train.id}>
                          <td className="trains-id">
                            <Link to={`/trains/${encodeURIComponent(train.id)}`} className="mono">
                              {train.id}
                            </Link>
                          </td>
                          <td className="hide-narrow">{train.line}</td>
                          <td>
                            <StateBadge state={train.state} />
                          </td>
                          <td className="trains-status">
                            {train.statusText === train.state ? (
                              <span className="muted" title="Nothing to add to the state">
                                —
                              </span>
                            ) : (
                              withTimes(train.statusText)
                            )}
                          </td>
                          <td>
                            <Time at={train.departureAt} />
                          </td>
                          <td className="hide-narrow">
                            {train.endedAt ? (
                              <Time at={train.endedAt} />
                            ) : (
                              <span className="muted">not yet</span>
                            )}
                          </td>
                          <td>
                            {train.kind === "hotfix" ? (
                              <StateBadge state="warning" label="hotfix" />
                            ) : (
                              <span className="muted">scheduled</span>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                {list.length === limit && limit < 1000 ? (
                  <button
                    type="button"
                    className="button trains-more"
                    onClick={() => set("limit", String(Math.min(1000, limit * 2)))}
                  >
                    Show more trains
                  </button>
                ) : null}
              </>
            )
          }
        </QueryView>
      </Card>
    </div>
  );
}
