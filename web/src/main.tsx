import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { App, preloadView } from "./App";
import { ApiError } from "./api/client";
import { prefetchRoute } from "./api/queries";
import { SessionProvider } from "./auth";
import "./styles.css";

/**
 * How long the first screen waits for its view's code and data before it is drawn anyway, with
 * a loading state in each panel still waiting (index.html shows "Opening Railyard…" until then).
 */
const FIRST_SCREEN_WAIT_MS = 1500;

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Live events refresh what changed; this only covers a stream that is down.
      staleTime: 15_000,
      refetchInterval: 60_000,
      refetchOnWindowFocus: true,
      retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
    },
  },
});

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");

// The first screen is drawn once, whole, when the route's code and data are in (as a router's
// loaders would): drawn as each answer arrives, it was laid out four to six times over.
const firstScreen = Promise.all([
  preloadView(window.location.pathname),
  prefetchRoute(queryClient, window.location.pathname, window.location.search),
]);
const deadline = new Promise((resolve) => window.setTimeout(resolve, FIRST_SCREEN_WAIT_MS));
void Promise.race([firstScreen, deadline]).then(() =>
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <SessionProvider>
            <App />
          </SessionProvider>
        </BrowserRouter>
      </QueryClientProvider>
    </StrictMode>,
  ),
);
