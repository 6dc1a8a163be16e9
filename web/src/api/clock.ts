/**
 * The server's clock, which may be simulated (the demo runs an hour per second): "now", "the last
 * 30 days" and "in 3 h" must be measured on it, not on the browser's clock. Read from
 * `/api/v1/health` and extrapolated at the clock's rate between reads.
 */
import { queryOptions, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api, unwrap } from "./client";

export interface ServerClock {
  /** The server's now at `readAt` (browser ms). */
  now: number;
  readAt: number;
  simulated: boolean;
  /** Simulated ms per real ms (1 for a real clock). */
  rate: number;
}

/** The server's clock reading (refreshed every 30 s and on every live event). */
export function useServerClockReading(): ServerClock | null {
  return useServerClockQuery().data ?? null;
}

/** The server's clock read from GET /api/v1/health (shared by the shell and the route prefetcher). */
export const serverClockQuery = queryOptions({
  queryKey: ["health"],
  queryFn: async (): Promise<ServerClock> => {
    const answer = await unwrap(api.GET("/api/v1/health"));
    return {
      now: Date.parse(answer.clock.now),
      readAt: Date.now(),
      simulated: answer.clock.simulated,
      rate: answer.clock.simulated ? answer.clock.rate : 1,
    };
  },
});

/** The server's time in ms now, extrapolated from a reading at the clock's rate. */
export function serverNowOf(reading: ServerClock): number {
  return reading.now + (Date.now() - reading.readAt) * reading.rate;
}

/**
 * The query behind the reading, for the shell: it waits for the first reading before drawing any
 * view, so no view ever measures "now" on the browser's clock.
 */
export function useServerClockQuery() {
  return useQuery({ ...serverClockQuery, refetchInterval: 30_000 });
}

/**
 * The server's current time in ms, re-rendering every `tickMs` (real ms). The shell draws views
 * only once the first reading has arrived; before that (outside a view) it is the browser's clock.
 */
export function useServerNow(tickMs = 1000): number {
  const reading = useServerClockReading();
  const [, setBeat] = useState(0);
  useEffect(() => {
    const timer = window.setInterval(() => setBeat((beat) => beat + 1), tickMs);
    return () => window.clearInterval(timer);
  }, [tickMs]);
  return reading ? serverNowOf(reading) : Date.now();
}
