/**
 * The typed API client: openapi-fetch over the types generated from Railyard's OpenAPI document
 * (`schema.d.ts`), so every path, parameter and answer is checked by the compiler. Requests carry
 * the session cookie; mutations add the session's CSRF token. Failed answers throw {@link ApiError}
 * with the server's problem details.
 */
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export type Train = Schemas["Train"];
export type TrainDetail = Schemas["TrainDetail"];
export type TrainState = Train["state"];
export type GateResult = Schemas["GateResult"];
export type Incident = Schemas["Incident"];
export type TimetableDeparture = Schemas["TimetableDeparture"];
export type LineSummary = Schemas["LineSummary"];
export type StoredEvent = Schemas["Event"];
export type Step = Schemas["Step"];
export type ManifestItem = Schemas["ManifestItem"];
export type Deployment = Schemas["Deployment"];
export type Problem = Schemas["Problem"];
export type TrainAction = TrainDetail["allowedActions"][number];
export type TrainProgress = Schemas["TrainProgress"];
/** What the action buttons and the wave bar read of a train: its detail, or its progress (on-call). */
export type TrainInFlight = Pick<
  TrainDetail,
  "train" | "waves" | "allowedActions" | "awaiting" | "waitingFor"
>;

const CSRF_KEY = "railyard.csrf";

/**
 * The CSRF token of the session cookie's session, never in a cookie. Kept in localStorage, like the
 * cookie shared by every tab of this origin: a bookmark opened in a new tab (or a login in another
 * tab, which replaces the cookie) must still be able to act and to log out.
 */
export const csrf = {
  get: (): string | null => localStorage.getItem(CSRF_KEY),
  set: (token: string | null) =>
    token === null ? localStorage.removeItem(CSRF_KEY) : localStorage.setItem(CSRF_KEY, token),
};

/** An answer that was not 2xx, with the server's RFC 9457 problem details when it sent them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<Problem> | null,
  ) {
    super(problem?.detail ?? problem?.title ?? `the server answered ${status}`);
    this.name = "ApiError";
  }
}

const withCsrf: Middleware = {
  onRequest({ request }) {
    if (request.method !== "GET" && request.method !== "HEAD") {
      const token = csrf.get();
      if (token) request.headers.set("X-CSRF-Token", token);
    }
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
api.use(withCsrf);

/** The data of an openapi-fetch answer; throws {@link ApiError} for anything but 2xx. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) {
    const problem = error && typeof error === "object" ? (error as Partial<Problem>) : null;
    throw new ApiError(response.status, problem);
  }
  return data as T;
}
