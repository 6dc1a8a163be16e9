/**
 * The dashboard's shell: a skip link, the navigation (a menu button at phone widths), the live
 * indicator and who is logged in, then the view of the route. Views load on demand so the first
 * paint carries only the shell and the view asked for.
 */
import { type ComponentType, lazy, type MouseEvent, Suspense, useEffect, useState } from "react";
import { Link, NavLink, Route, Routes, useLocation } from "react-router";
import { useServerClockQuery } from "./api/clock";
import { LiveProvider, useLive } from "./api/live";
import { useSession } from "./auth";
import { ErrorState, Loading } from "./components/ui";
import { Login } from "./views/Login";

/** A view whose code loads on demand: `load` fetches it (once), `loaded` is its component once it has. */
interface OnDemand {
  load: () => Promise<unknown>;
  Lazy: ComponentType;
  loaded: () => ComponentType | null;
}

function onDemand(loader: () => Promise<{ default: ComponentType }>): OnDemand {
  let loaded: ComponentType | null = null;
  const load = () =>
    loader().then((module) => {
      loaded = module.default;
      return module;
    });
  return { load, Lazy: lazy(load), loaded: () => loaded };
}

/**
 * Renders a view's module directly once it has loaded, so a view whose code was fetched ahead
 * (`preloadView`) never suspends: React throttles the reveal of a suspended boundary (up to
 * 300 ms), which alone would cost the first paint a third of its budget.
 */
function OnDemandView({ view }: { view: OnDemand }) {
  const [Loaded] = useState(() => view.loaded());
  const Lazy = view.Lazy;
  return Loaded ? <Loaded /> : <Lazy />;
}

const views = {
  executive: onDemand(() => import("./views/Executive")),
  onCall: onDemand(() => import("./views/OnCall")),
  trains: onDemand(() => import("./views/Trains")),
  train: onDemand(() => import("./views/Train")),
  calendar: onDemand(() => import("./views/Calendar")),
  debug: onDemand(() => import("./views/Debug")),
  admin: onDemand(() => import("./views/Admin")),
};

/**
 * Fetches the other views' code once the first one has had time to be drawn (3 s, then when the
 * browser is idle), so moving between views does not wait for it, nor does the first paint.
 */
function preloadOtherViews(): void {
  const all = () => {
    for (const view of Object.values(views)) void view.load().catch(() => {});
  };
  window.setTimeout(() => {
    if (typeof window.requestIdleCallback === "function") window.requestIdleCallback(all, { timeout: 5000 });
    else all();
  }, 3000);
}

/**
 * Starts fetching the code of the view `pathname` shows, so it arrives while the session and the
 * server's clock are asked for instead of after them (the first paint waits for all three).
 * Resolves once it has arrived or failed (the route then loads it again and shows the error).
 */
export function preloadView(pathname: string): Promise<void> {
  const [, first = "", second] = pathname.split("/");
  const view =
    first === ""
      ? views.executive
      : first === "on-call"
        ? views.onCall
        : first === "trains"
          ? second
            ? views.train
            : views.trains
          : first === "calendar"
            ? views.calendar
            : first === "debug"
              ? views.debug
              : first === "admin"
                ? views.admin
                : null;
  return (view?.load() ?? Promise.resolve()).then(
    () => {},
    () => {},
  );
}

const NAV = [
  { to: "/", label: "Executive", end: true },
  { to: "/on-call", label: "On-call" },
  { to: "/trains", label: "Trains" },
  { to: "/calendar", label: "Calendar" },
  { to: "/debug", label: "Debug" },
  { to: "/admin", label: "Admin" },
];

/** Moves the focus to the content (browsers only scroll to a fragment), so the next Tab starts there. */
function skipToContent(event: MouseEvent<HTMLAnchorElement>) {
  const main = document.getElementById("main");
  if (!main) return;
  event.preventDefault();
  main.focus();
}

function LiveIndicator() {
  const { status } = useLive();
  const text = status === "live" ? "Live" : status === "connecting" ? "Connecting" : "Offline";
  return (
    <span className={`live live-${status}`} role="status" aria-live="polite" title="Updates as events happen">
      <span className="live-dot" aria-hidden="true" />
      {text}
    </span>
  );
}

function UserMenu() {
  const { me, logout } = useSession();
  if (!me) return null;
  return (
    <div className="user">
      <span className="user-name" title={`roles: ${me.roles.join(", ")}`}>
        {me.subject}
        <span className="user-roles">{me.roles.join(", ")}</span>
      </span>
      <button type="button" className="button button-quiet" onClick={() => void logout()}>
        Log out
      </button>
    </div>
  );
}

function NotFound() {
  return (
    <div className="state state-empty">
      <h1 className="state-title">No such page</h1>
      <p className="state-body">
        Try the <NavLink to="/">executive view</NavLink> or the <NavLink to="/trains">list of trains</NavLink>
        .
      </p>
    </div>
  );
}

export function App() {
  const { me, loading } = useSession();
  // Asked at once with the session: views measure "now" on the server's (maybe simulated) clock.
  const clock = useServerClockQuery();
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: close the phone menu on every navigation
  useEffect(() => setMenuOpen(false), [location.pathname]);
  const drawn = Boolean(me && clock.data);
  useEffect(() => {
    if (drawn) preloadOtherViews();
  }, [drawn]);

  if (loading) return <Loading label="Opening Railyard" />;
  if (!me) return <Login />;
  if (clock.error) return <ErrorState error={clock.error} retry={() => void clock.refetch()} />;
  if (!clock.data) return <Loading label="Reading the server's clock" />;
  return (
    <LiveProvider enabled>
      {/* biome-ignore lint/a11y/useValidAnchor: a skip link is an in-page link; the handler also moves the focus */}
      <a href="#main" className="skip-link" onClick={skipToContent}>
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label="Railyard home">
          <img src="/favicon.svg" alt="" width="24" height="24" />
          <span>Railyard</span>
        </Link>
        <button
          type="button"
          className="menu-button button button-quiet"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen((open) => !open)}
        >
          Menu
        </button>
        <nav id="main-nav" aria-label="Main" className={menuOpen ? "nav nav-open" : "nav"}>
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end ?? false}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-end">
          <LiveIndicator />
          <UserMenu />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="/" element={<OnDemandView key="executive" view={views.executive} />} />
            <Route path="/on-call" element={<OnDemandView key="onCall" view={views.onCall} />} />
            <Route path="/trains" element={<OnDemandView key="trains" view={views.trains} />} />
            <Route path="/trains/:id" element={<OnDemandView key="train" view={views.train} />} />
            <Route path="/calendar" element={<OnDemandView key="calendar" view={views.calendar} />} />
            <Route path="/debug" element={<OnDemandView key="debug" view={views.debug} />} />
            <Route path="/admin" element={<OnDemandView key="admin" view={views.admin} />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </main>
    </LiveProvider>
  );
}
