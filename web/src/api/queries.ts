/**
 * The queries views draw their first screen from, defined once so the views and the route
 * prefetcher ask the same thing under the same key.
 *
 * `prefetchRoute` starts a route's queries as soon as the app's code has run, before React has
 * drawn the shell and before the view's own code has arrived: without it a view asks for its data
 * only once it has mounted, about half a second later on a slow machine, and its first meaningful
 * paint waits for the round trip after that. The view's `useQuery` then finds the answer in the
 * cache (or the request in flight) instead of starting it.
 *
 * The prefetcher waits for the session first (preloaded by index.html), so a logged-out visitor
 * asks for nothing but the session. Options that only shape what a view shows (`select`,
 * `enabled`, `placeholderData`) stay at the view.
 */
import { type QueryClient, queryOptions } from "@tanstack/react-query";
import { sessionQuery } from "../auth";
import { calendarAnchor, calendarWindow } from "./calendar-range";
import {
  ApiError,
  api,
  type Schemas,
  type Train,
  type TrainProgress,
  type TrainState,
  unwrap,
} from "./client";
import { serverClockQuery, serverNowOf } from "./clock";

export const DAY = 86_400_000;
export const WEEK = 7 * DAY;
/** How many weeks the executive trend chart and the heatmap show (the current one included). */
export const TREND_WEEKS = 12;

/** Monday 00:00 UTC of the ISO week `ms` falls in (the metrics' weeks). */
export function weekStart(ms: number): number {
  const day = Math.floor(ms / DAY) * DAY;
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return day - weekday * DAY;
}

/** The first instant of the executive trend: the Monday {@link TREND_WEEKS} − 1 weeks before now's. */
export function trendFrom(now: number): string {
  return new Date(weekStart(now) - (TREND_WEEKS - 1) * WEEK).toISOString();
}

/** The end of the 14th day from now (the executive's upcoming trains; changes once a day). */
export function upcomingTo(now: number): string {
  return new Date(Math.ceil((now + 14 * DAY) / DAY) * DAY).toISOString();
}

/** The states on-call watches: changing production, or stopped on the way there. */
export const ON_CALL_STATES: TrainState[] = [
  "deploying",
  "verifying",
  "rolling_back",
  "paused",
  "blocked",
  "awaiting_approval",
];

/** A train in flight with its progress (GET /api/v1/trains?include=progress). */
export type InFlightTrain = Train & { progress: TrainProgress };

/** Lines with their next departures and active trains (GET /api/v1/lines). */
export const linesQuery = queryOptions({
  queryKey: ["lines"],
  queryFn: () => unwrap(api.GET("/api/v1/lines")),
  staleTime: 60_000,
});

/** The configuration in force (GET /api/v1/config); live events refresh it when it is reloaded. */
export const configQuery = queryOptions({
  queryKey: ["config"],
  queryFn: () => unwrap(api.GET("/api/v1/config")),
  staleTime: 60_000,
});

/** A train's detail (GET /api/v1/trains/{id}). */
export const trainQuery = (id: string) =>
  queryOptions({
    queryKey: ["train", id],
    queryFn: () => unwrap(api.GET("/api/v1/trains/{id}", { params: { path: { id } } })),
  });

/** The trains list's page: `state` is a state, "active" or "" for all (GET /api/v1/trains). */
export const trainsListQuery = (filter: { line: string; state: string; limit: number }) =>
  queryOptions({
    queryKey: ["trains", filter],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/trains", {
          params: {
            query: {
              ...(filter.line ? { line: filter.line } : {}),
              ...(filter.state === "active"
                ? { active: "true" as const }
                : filter.state
                  ? { state: filter.state }
                  : {}),
              limit: filter.limit,
            },
          },
        }),
      ),
  });

/** The newest 400 trains (the calendar links departures to the trains that exist). */
export const recentTrainsQuery = queryOptions({
  queryKey: ["trains", { limit: 400 }],
  queryFn: () => unwrap(api.GET("/api/v1/trains", { params: { query: { limit: 400 } } })),
});

/** The trains on-call watches, each with its progress: one request for the whole view. */
export const onCallTrainsQuery = queryOptions({
  queryKey: ["trains", { state: ON_CALL_STATES, include: "progress" }],
  queryFn: async (): Promise<InFlightTrain[]> => {
    const list = await unwrap(
      api.GET("/api/v1/trains", {
        params: { query: { state: ON_CALL_STATES.join(","), limit: 100, include: "progress" } },
      }),
    );
    return list.flatMap((train) => (train.progress ? [{ ...train, progress: train.progress }] : []));
  },
});

/** Incidents, all or of one status, newest first (GET /api/v1/incidents). */
export const incidentsQuery = (status: "open" | "resolved" | "all") =>
  queryOptions({
    queryKey: ["incidents", status === "all" ? "all" : { status }],
    queryFn: () =>
      unwrap(api.GET("/api/v1/incidents", { params: { query: status === "all" ? {} : { status } } })),
  });

/** The newest canary analysis of any train (GET /api/v1/gate-results). */
export const latestCanaryQuery = queryOptions({
  queryKey: ["gate-results", { type: "canary", limit: 1 }],
  queryFn: () => unwrap(api.GET("/api/v1/gate-results", { params: { query: { type: "canary", limit: 1 } } })),
});

/** What each environment runs (GET /api/v1/deployments). */
export const deploymentsQuery = queryOptions({
  queryKey: ["deployments"],
  queryFn: () => unwrap(api.GET("/api/v1/deployments")),
});

/** The release metrics of the last 30 days on the server's clock (its default period). */
export const recentMetricsQuery = queryOptions({
  queryKey: ["metrics", "releases", "last-30-days"],
  queryFn: () => unwrap(api.GET("/api/v1/metrics/releases")),
});

/**
 * The release metrics per ISO week from `from` (see {@link trendFrom}), all lines together and
 * each line (`byLine`): the trend chart and the SLO heatmap share this one request.
 */
export const weeklyMetricsQuery = (from: string) =>
  queryOptions({
    queryKey: ["metrics", "releases", "weekly", from, "by-line"],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/metrics/releases", {
          params: { query: { groupBy: "week", breakdown: "line", from } },
        }),
      ),
  });

/** Departures of every line up to `to` (see {@link upcomingTo}). */
export const upcomingQuery = (to: string) =>
  queryOptions({
    queryKey: ["timetable", "upcoming", to],
    queryFn: () => unwrap(api.GET("/api/v1/timetable", { params: { query: { to } } })),
  });

/** Departures of every line in [from, to) (GET /api/v1/timetable): the calendar's. */
export const timetableQuery = (from: string, to: string) =>
  queryOptions({
    queryKey: ["timetable", { from, to }],
    queryFn: () => unwrap(api.GET("/api/v1/timetable", { params: { query: { from, to } } })),
  });

/** Windows and blackout occurrences (GET /api/v1/timetable/spans). */
export type Spans = Schemas["TimetableSpans"];

/**
 * Windows and blackout occurrences in [from, to) (GET /api/v1/timetable/spans); `null` when the
 * server is older than that route (404 without problem code for the path).
 */
export const spansQuery = (from: string, to: string) =>
  queryOptions({
    queryKey: ["timetable-spans", { from, to }],
    queryFn: async (): Promise<Spans | null> => {
      try {
        return await unwrap(api.GET("/api/v1/timetable/spans", { params: { query: { from, to } } }));
      } catch (error) {
        if (
          error instanceof ApiError &&
          error.status === 404 &&
          !error.problem?.detail?.startsWith("no line")
        )
          return null;
        throw error;
      }
    },
  });

/** The debug view's trains: the newest 50 with their failures, of a line and/or a component. */
export const debugTrainsQuery = (filter: { line: string; component: string }) =>
  queryOptions({
    queryKey: ["metrics", "trains", { ...filter, limit: 50 }],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/metrics/trains", {
          params: {
            query: {
              limit: 50,
              include: "failures",
              ...(filter.line ? { line: filter.line } : {}),
              ...(filter.component ? { component: filter.component } : {}),
            },
          },
        }),
      ),
  });

/** API tokens: the caller's own, or every token for an admin (GET /api/v1/tokens). */
export const tokensQuery = queryOptions({
  queryKey: ["tokens"],
  queryFn: () => unwrap(api.GET("/api/v1/tokens")),
});

/** The trains page's size (and its "show more" step). */
export const TRAINS_PAGE = 100;

/** The trains page's filter as its URL holds it. */
export function trainsFilter(params: URLSearchParams): { line: string; state: string; limit: number } {
  return {
    line: params.get("line") ?? "",
    state: params.get("state") ?? "",
    limit: Math.min(1000, Math.max(TRAINS_PAGE, Number(params.get("limit")) || TRAINS_PAGE)),
  };
}

/**
 * Starts the first-paint queries of the route at `pathname` + `search`, once the session says
 * someone is logged in (and, for queries measured on the server's clock, once it is read).
 * Resolves when every one of them has settled (answered or failed), so the app can draw the first
 * screen once, whole, instead of once per answer; never rejects: a failed prefetch leaves the
 * error in the cache and the view shows it or asks again.
 */
export function prefetchRoute(client: QueryClient, pathname: string, search: string): Promise<void> {
  const params = new URLSearchParams(search);
  const [, first = "", second] = pathname.split("/");
  // prefetchQuery never rejects: a failure stays in the cache for the view to show or retry.
  const all = async (...prefetches: Array<Promise<unknown>>) => {
    await Promise.all(prefetches);
  };
  const get = client.prefetchQuery.bind(client);
  // The shell draws no view before the server's clock is read (it is preloaded by index.html).
  const clock = client.fetchQuery(serverClockQuery);
  clock.catch(() => {}); // a logged-out visitor never waits for it; the shell shows its error
  const routeQueries = (): Promise<void> => {
    switch (first) {
      case "":
        return all(
          get(recentMetricsQuery),
          get(linesQuery),
          get(incidentsQuery("all")),
          clock
            .then(serverNowOf)
            .then((at) => all(get(weeklyMetricsQuery(trendFrom(at))), get(upcomingQuery(upcomingTo(at))))),
        );
      case "on-call":
        return all(
          get(onCallTrainsQuery),
          get(incidentsQuery("open")),
          get(incidentsQuery("resolved")),
          get(latestCanaryQuery),
          get(deploymentsQuery),
          get(configQuery),
        );
      case "trains":
        return second
          ? all(get(trainQuery(decodeURIComponent(second))))
          : all(get(linesQuery), get(trainsListQuery(trainsFilter(params))));
      case "calendar":
        return all(
          get(configQuery),
          get(linesQuery),
          get(recentTrainsQuery),
          clock.then(serverNowOf).then((at) => {
            const { mode, anchor } = calendarAnchor(params, at);
            const shown = calendarWindow(mode, anchor);
            return all(get(timetableQuery(shown.from, shown.readTo)), get(spansQuery(shown.from, shown.to)));
          }),
        );
      case "debug":
        return all(
          get(linesQuery),
          get(debugTrainsQuery({ line: params.get("line") ?? "", component: params.get("component") ?? "" })),
        );
      case "admin":
        return all(get(configQuery), get(tokensQuery));
      default:
        return Promise.resolve();
    }
  };
  return client
    .fetchQuery(sessionQuery)
    .then((me) => (me ? all(clock, routeQueries()) : undefined))
    .catch(() => {
      // The shell shows the session's or the clock's error; the views ask again.
    });
}
