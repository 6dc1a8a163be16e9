/**
 * Who is looking: the session (GET /api/v1/session), login with a token (POST, which sets the
 * httpOnly cookie and returns the CSRF token this tab keeps) and logout. Also what the user's roles
 * let them do, mirroring the server's permission matrix so buttons say why they are disabled; the
 * server still decides every request.
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useMemo } from "react";
import { ApiError, api, csrf, type TrainAction, unwrap } from "./api/client";

export type Role = "viewer" | "member" | "approver" | "coordinator" | "admin";

export interface Me {
  subject: string;
  roles: string[];
  teams: string[];
  via: string;
  expiresAt: string | null;
}

interface SessionState {
  /** null: not logged in (the app may still read if the server allows anonymous reads). */
  me: Me | null;
  loading: boolean;
  login(token: string): Promise<void>;
  logout(): Promise<void>;
}

/** Who is logged in (GET /api/v1/session), null when nobody is (401). */
export const sessionQuery = queryOptions({
  queryKey: ["session"],
  queryFn: async (): Promise<Me | null> => {
    try {
      return await unwrap(api.GET("/api/v1/session"));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  staleTime: 60_000,
  retry: false,
});

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const session = useQuery(sessionQuery);
  const login = useMutation({
    mutationFn: async (token: string) => {
      const opened = await unwrap(api.POST("/api/v1/session", { body: { token } }));
      csrf.set(opened.csrfToken);
    },
    onSuccess: () => client.invalidateQueries(),
  });
  const logout = useMutation({
    mutationFn: async () => {
      await unwrap(api.DELETE("/api/v1/session"));
      csrf.set(null);
    },
    onSettled: () => {
      client.clear();
      void client.invalidateQueries({ queryKey: ["session"] });
    },
  });
  const value = useMemo<SessionState>(
    () => ({
      me: session.data ?? null,
      loading: session.isPending,
      login: (token) => login.mutateAsync(token),
      logout: () => logout.mutateAsync(),
    }),
    [session.data, session.isPending, login.mutateAsync, logout.mutateAsync],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error("useSession outside SessionProvider");
  return state;
}

/** Which roles may take each train action (the server's matrix; admin may do everything). */
const ACTION_ROLES: Record<TrainAction, Role[]> = {
  approve: ["approver"],
  reject: ["approver"],
  promote: ["approver", "coordinator"],
  pause: ["coordinator"],
  resume: ["coordinator"],
  abort: ["coordinator"],
  rollback: ["coordinator"],
  retry: ["coordinator"],
  drop: ["member", "coordinator"],
};

/** Whether `me` holds a role that may take `action`, and if not, a sentence saying who may. */
export function mayTake(me: Me | null, action: TrainAction): { allowed: boolean; why: string | null } {
  const roles = ACTION_ROLES[action];
  if (me === null) return { allowed: false, why: "Log in to act on trains." };
  if (me.roles.includes("admin") || roles.some((role) => me.roles.includes(role))) {
    return { allowed: true, why: null };
  }
  return {
    allowed: false,
    why: `Your roles (${me.roles.join(", ") || "none"}) may not ${action}: ${roles.join(" or ")} or admin may.`,
  };
}
