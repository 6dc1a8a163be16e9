/**
 * The dashboard's shell: a skip link, the navigation (a menu button at phone widths), the live
 * indicator and who is logged in, then the view of the route. Views load on demand so the first
 * paint carries only the shell and the view asked for.
 */
import { lazy, type MouseEvent, Suspense, useEffect, useState } from "react";
import { Link, NavLink, Route, Routes, useLocation } from "react-router";
import { useServerClockQuery } from "./api/clock";
import { LiveProvider, useLive } from "./api/live";
import { useSession } from "./auth";
import { ErrorState, Loading } from "./components/ui";
import { Login } from "./views/Login";

const load = {
  executive: () => import("./views/Executive"),
  onCall: () => import("./views/OnCall"),
  trains: () => import("./views/Trains"),
  train: () => import("./views/Train"),
  calendar: () => import("./views/Calendar"),
  debug: () => import("./views/Debug"),
  admin: () => import("./views/Admin"),
};
const Executive = lazy(load.executive);
const OnCall = lazy(load.onCall);
const Trains = lazy(load.trains);
const TrainPage = lazy(load.train);
const Calendar = lazy(load.calendar);
const Debug = lazy(load.debug);
const Admin = lazy(load.admin);

/**
 * Starts fetching the code of the view `pathname` shows, so it arrives while the session and the
 * server's clock are asked for instead of after them (the first paint waits for all three).
 */
export function preloadView(pathname: string): void {
  const first = pathname.split("/")[1] ?? "";
  const loader =
    first === ""
      ? load.executive
      : first === "on-call"
        ? load.onCall
        : first === "trains"
          ? pathname.split("/").length > 2
            ? load.train
            : load.trains
          : first === "calendar"
            ? load.calendar
            : first === "debug"
              ? load.debug
              : first === "admin"
                ? load.admin
                : null;
  void loader?.().catch(() => {
    // The lazy route loads it again and shows the error if it fails for good.
  });
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
            <Route path="/" element={<Executive />} />
            <Route path="/on-call" element={<OnCall />} />
            <Route path="/trains" element={<Trains />} />
            <Route path="/trains/:id" element={<TrainPage />} />
            <Route path="/calendar" element={<Calendar />} />
            <Route path="/debug" element={<Debug />} />
            <Route path="/admin" element={<Admin />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </main>
    </LiveProvider>
  );
}
