/**
 * The calendar page's panels: each team's next cut-off, the iCalendar subscribe links, the lines
 * in words and the configured blackouts. Data from GET /api/v1/lines and GET /api/v1/config.
 */
import { useId, useState } from "react";
import { Link } from "react-router";
import type { Me } from "../auth";
import { copyText, Empty, StateBadge, Time } from "../components/ui";
import { relative } from "../format";
import {
  blackoutRuleInWords,
  type ConfigView,
  cutoffInWords,
  type LineSummary,
  rruleInWords,
  windowInWords,
} from "./calendar-data";

function LineTag({ line, slot }: { line: string; slot: number | undefined }) {
  return <span className={`line-tag line-c${slot ?? 1}`}>{line}</span>;
}

/** The next departure of a line whose boarding is still open at `now`, if any. */
function nextOpen(line: LineSummary, now: number) {
  return line.nextDepartures
    .filter((d) => d.status !== "skipped" && Date.parse(d.cutoffAt) > now)
    .sort((a, b) => a.cutoffAt.localeCompare(b.cutoffAt))[0];
}

/**
 * "When is my cut-off": per team, the lines carrying its components (components' owners from the
 * configuration) and each line's next cut-off on the server clock; the user's own teams first.
 */
export function CutoffTable({
  config,
  lines,
  me,
  now,
  slots,
}: {
  config: ConfigView;
  lines: LineSummary[];
  me: Me | null;
  now: number;
  slots: Map<string, number>;
}) {
  const mine = new Set(me?.teams ?? []);
  const teams = Object.keys(config.teams).sort((a, b) => Number(mine.has(b)) - Number(mine.has(a)));
  if (teams.length === 0) {
    return (
      <Empty title="No teams are configured">
        Teams and the components they own are declared in railyard.yaml (<code>teams</code>,{" "}
        <code>components.*.team</code>).
      </Empty>
    );
  }
  return (
    <div className="table-wrap">
      <table className="cal-cutoffs">
        <caption className="visually-hidden">
          Each team's next cut-off per line{mine.size ? "; your teams first" : ""}
        </caption>
        <thead>
          <tr>
            <th scope="col">Team</th>
            <th scope="col">Line</th>
            <th scope="col">Next cut-off</th>
            <th scope="col">Departure</th>
            <th scope="col">Train</th>
          </tr>
        </thead>
        {teams.map((team) => {
          const owned = Object.entries(config.components)
            .filter(([, c]) => c.team === team)
            .map(([name]) => name);
          const carrying = lines.filter((l) => l.components.some((c) => owned.includes(c)));
          const isMine = mine.has(team);
          const head = (rows: number) => (
            <th scope="rowgroup" rowSpan={rows} className="cutoff-team">
              <span className="cutoff-team-name">{team}</span>
              {isMine ? <span className="badge tone-info">your team</span> : null}
              <span className="muted cutoff-components">
                {owned.length ? owned.join(", ") : "owns no components"}
              </span>
            </th>
          );
          return (
            <tbody key={team} className={isMine ? "cutoff-mine" : undefined}>
              {carrying.length === 0 ? (
                <tr>
                  {head(1)}
                  <td colSpan={4} className="muted">
                    No line carries this team's components, so it has no cut-off.
                  </td>
                </tr>
              ) : (
                carrying.map((line, index) => {
                  const next = nextOpen(line, now);
                  return (
                    <tr key={line.name}>
                      {index === 0 ? head(carrying.length) : null}
                      <td data-label="Line">
                        <LineTag line={line.name} slot={slots.get(line.name)} />
                      </td>
                      {next ? (
                        <>
                          <td data-label="Next cut-off">
                            <strong>{relative(next.cutoffAt, now)}</strong>
                            <br />
                            <span className="muted">
                              <Time at={next.cutoffAt} />
                            </span>
                          </td>
                          <td data-label="Departure">
                            <Time at={next.departureAt} />
                            {next.status === "shifted" ? (
                              <>
                                {" "}
                                <span className="badge tone-warn" title={next.reason ?? undefined}>
                                  shifted
                                </span>
                              </>
                            ) : null}
                          </td>
                          <td data-label="Train">
                            {line.activeTrains.some((t) => t.id === next.train) ? (
                              <Link to={`/trains/${encodeURIComponent(next.train)}`} className="mono">
                                {next.train}
                              </Link>
                            ) : (
                              <span className="mono">{next.train}</span>
                            )}
                          </td>
                        </>
                      ) : (
                        <td colSpan={3} className="muted">
                          No open boarding among the line's next {line.nextDepartures.length} departures.
                        </td>
                      )}
                    </tr>
                  );
                })
              )}
            </tbody>
          );
        })}
      </table>
    </div>
  );
}

/** One feed's link with its copy button and webcal:// link. */
function FeedRow({ label, url }: { label: string; url: string }) {
  const id = useId();
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const webcal = url.replace(/^https?:\/\//, "webcal://");
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className="cal-feed-url">
        <label className="visually-hidden" htmlFor={id}>
          Subscription link: {label}
        </label>
        <input id={id} className="mono" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
      </td>
      <td className="cal-feed-actions">
        <button
          type="button"
          className="button"
          aria-label={`Copy the link: ${label}`}
          onClick={async () => {
            const ok = await copyText(url, document.getElementById(id) as HTMLInputElement | null);
            setCopied(ok ? "yes" : "no");
            window.setTimeout(() => setCopied(null), 4000);
          }}
        >
          Copy link
        </button>{" "}
        <a href={webcal} aria-label={`Open in your calendar app: ${label}`}>
          webcal://
        </a>
        <span role="status" className="cal-copied">
          {copied === "yes" ? "Copied" : copied === "no" ? "Select the link and copy it" : ""}
        </span>
      </td>
    </tr>
  );
}

/** The /calendar.ics subscribe links: every line, each line and each team (GET /calendar.ics?line=|team=). */
export function SubscribePanel({ lineNames, teams }: { lineNames: string[]; teams: string[] }) {
  const base = `${window.location.origin}/calendar.ics`;
  const feeds = [
    { label: "All lines", url: base },
    ...lineNames.map((line) => ({ label: `Line ${line}`, url: `${base}?line=${encodeURIComponent(line)}` })),
    ...teams.map((team) => ({
      label: `Team ${team} (its lines)`,
      url: `${base}?team=${encodeURIComponent(team)}`,
    })),
  ];
  return (
    <>
      <p className="hint">
        Copy a link and add it in Google Calendar (<em>Other calendars → + → From URL</em>) or Outlook (
        <em>Add calendar → Subscribe from web</em>); Apple Calendar opens the <code>webcal://</code> link
        directly. The feed needs no token, carries departures, cut-offs (with a reminder an hour before),
        windows and blackouts, and your calendar refreshes it about every hour.
      </p>
      <div className="table-wrap">
        <table className="cal-feeds">
          <thead>
            <tr>
              <th scope="col">Feed</th>
              <th scope="col">Link</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {feeds.map((feed) => (
              <FeedRow key={feed.url} label={feed.label} url={feed.url} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function scheduleText(line: LineSummary): { words: string; rule: string } {
  const s = line.schedule;
  const at = /T(\d{2}:\d{2})/.exec(s.start)?.[1];
  const rule = s.rrule ? `RRULE ${s.rrule}` : s.cron ? `cron ${s.cron}` : "one-off dates only";
  const words = s.rrule ? rruleInWords(s.rrule) : null;
  const when = words ?? (s.cron ? "on a cron schedule" : "on listed dates");
  const extra = [
    s.exdates.length ? `${s.exdates.length} cancelled` : null,
    s.rdates.length ? `${s.rdates.length} extra` : null,
  ].filter(Boolean);
  return {
    words: `${when[0]?.toUpperCase()}${when.slice(1)}${at && s.rrule ? ` at ${at}` : ""} (${s.timezone}), from ${s.start.replace("T", " ")}${extra.length ? `; ${extra.join(", ")} departures` : ""}`,
    rule,
  };
}

/** Each line: schedule in words, cut-off rule, window, approval, waves and active trains. */
export function LinesSummary({
  lines,
  config,
  slots,
}: {
  lines: LineSummary[];
  config: ConfigView;
  slots: Map<string, number>;
}) {
  if (lines.length === 0) {
    return (
      <Empty title="No lines are configured">
        Lines are declared under <code>lines</code> in railyard.yaml.
      </Empty>
    );
  }
  return (
    <div className="cal-lines">
      {lines.map((line) => {
        const schedule = scheduleText(line);
        const own = config.lines[line.name];
        const blackouts = [
          ...config.blackouts.map((b) => b.name),
          ...(own?.blackouts ?? []).map((b) => b.name),
        ];
        return (
          <section
            key={line.name}
            className={`cal-line-card line-c${slots.get(line.name) ?? 1}`}
            aria-labelledby={`line-${line.name}`}
          >
            <h3 id={`line-${line.name}`}>
              <LineTag line={line.name} slot={slots.get(line.name)} />
              <span className="visually-hidden"> line</span>
            </h3>
            {line.description ? <p className="muted cal-line-description">{line.description}</p> : null}
            <dl className="cal-facts">
              <dt>Schedule</dt>
              <dd>
                {schedule.words}
                <br />
                <code>{schedule.rule}</code>
              </dd>
              <dt>Cut-off</dt>
              <dd>{cutoffInWords(line.schedule.cutoff)}</dd>
              <dt>Window</dt>
              <dd>{windowInWords(own?.window, line.schedule.timezone)}</dd>
              <dt>Blackouts</dt>
              <dd>
                {blackouts.length ? blackouts.join(", ") : "none"}
                {blackouts.length && own?.onBlackout
                  ? ` (a departure in one is ${own.onBlackout === "skip" ? "skipped" : "shifted"})`
                  : ""}
              </dd>
              <dt>Approval</dt>
              <dd>{line.approval}</dd>
              <dt>Waves</dt>
              <dd>{line.waves.length ? line.waves.join(" → ") : "none"}</dd>
              <dt>Components</dt>
              <dd>{line.components.join(", ") || "none"}</dd>
              <dt>Active trains</dt>
              <dd>
                {line.activeTrains.length ? (
                  <ul className="cal-active-trains">
                    {line.activeTrains.map((t) => (
                      <li key={t.id}>
                        <Link to={`/trains/${encodeURIComponent(t.id)}`} className="mono">
                          {t.id}
                        </Link>{" "}
                        <StateBadge state={t.state} />{" "}
                        <span className="muted">
                          departs <Time at={t.departureAt} />
                        </span>
                      </li>
                    ))}
                  </ul>
                ) : (
                  "none right now"
                )}
              </dd>
            </dl>
          </section>
        );
      })}
    </div>
  );
}

/** The blackouts railyard.yaml declares (global and per line), with when they apply. */
export function ConfiguredBlackouts({ config }: { config: ConfigView }) {
  const rows = [
    ...config.blackouts.map((b) => ({ b, scope: "every line" })),
    ...Object.entries(config.lines).flatMap(([name, line]) =>
      (line.blackouts ?? []).map((b) => ({ b, scope: `line ${name}` })),
    ),
  ];
  if (rows.length === 0) {
    return (
      <Empty title="No blackouts are configured">
        Add them under <code>blackouts</code> (every line) or <code>lines.*.blackouts</code> in railyard.yaml.
      </Empty>
    );
  }
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Blackout</th>
            <th scope="col">Reason</th>
            <th scope="col">Applies to</th>
            <th scope="col">When</th>
            <th scope="col">Environments</th>
            <th scope="col">Exceptions by</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ b, scope }) => (
            <tr key={`${scope}-${b.name}`}>
              <th scope="row">{b.name}</th>
              <td>{b.reason}</td>
              <td>{scope}</td>
              <td>
                {blackoutRuleInWords(b)}
                {b.timezone ? ` (${b.timezone})` : " (each line's time zone)"}
              </td>
              <td>{b.environments?.join(", ") ?? "all production"}</td>
              <td>{(b.exceptionRoles ?? ["admin"]).join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
