/**
 * Live updates: one EventSource on `/api/v1/events/stream` per tab. Each event the server appends
 * refreshes what is on screen (the queries are invalidated, at most once a second), and views
 * may listen to the events themselves (a train's timeline, the "just happened" ticker). The browser
 * reconnects on its own with Last-Event-ID, so nothing is missed across a dropped connection.
 */
import { useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from "react";

export interface LiveEvent {
  id: number;
  type: string;
  trainId: string | null;
  actor: string;
  time: string;
}

/** The shortest time between two refreshes of what is on screen. */
const MIN_REFRESH_MS = 1000;

export type LiveStatus = "connecting" | "live" | "offline";

interface LiveState {
  status: LiveStatus;
  /** The newest events, newest first (at most 50). */
  recent: LiveEvent[];
}

const LiveContext = createContext<LiveState>({ status: "connecting", recent: [] });

/** Opens the stream while `enabled` (the user can read). */
export function LiveProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const client = useQueryClient();
  const [state, setState] = useState<LiveState>({ status: "connecting", recent: [] });
  const pending = useRef<number | null>(null);
  const lastRefresh = useRef(0);

  useEffect(() => {
    if (!enabled || typeof EventSource === "undefined") return;
    const source = new EventSource("/api/v1/events/stream");
    const refresh = () => {
      if (pending.current !== null) return;
      // At most one refresh a second: a busy yard (the demo appends events every 100 ms) must not
      // refetch every view continuously; a quiet one still refreshes within 150 ms.
      const wait = Math.max(150, lastRefresh.current + MIN_REFRESH_MS - Date.now());
      pending.current = window.setTimeout(() => {
        pending.current = null;
        lastRefresh.current = Date.now();
        void client.invalidateQueries({ predicate: (query) => query.queryKey[0] !== "session" });
      }, wait);
    };
    source.addEventListener("ready", () => setState((s) => ({ ...s, status: "live" })));
    source.addEventListener("railyard", (message) => {
      const event = JSON.parse((message as MessageEvent<string>).data) as LiveEvent;
      setState((s) => ({ status: "live", recent: [event, ...s.recent].slice(0, 50) }));
      refresh();
    });
    source.addEventListener("reset", () => refresh());
    // The session ended or the token was revoked: ask who we are, which shows the login page.
    source.addEventListener("expired", () => {
      source.close();
      setState((s) => ({ ...s, status: "offline" }));
      void client.invalidateQueries({ queryKey: ["session"] });
    });
    source.onerror = () =>
      setState((s) => ({ ...s, status: source.readyState === 2 ? "offline" : "connecting" }));
    return () => {
      source.close();
      if (pending.current !== null) window.clearTimeout(pending.current);
      pending.current = null;
    };
  }, [enabled, client]);

  return <LiveContext.Provider value={state}>{children}</LiveContext.Provider>;
}

export function useLive(): LiveState {
  return useContext(LiveContext);
}
