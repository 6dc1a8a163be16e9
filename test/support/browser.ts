/**
 * A real browser for the dashboard's tests: Debian's Chromium (`/usr/bin/chromium`) driven by
 * playwright-core, headless. {@link openPage} opens a page in a fresh context (its own cookies and
 * storage) and writes down everything that went wrong in it: console errors and warnings, uncaught
 * page errors, failed requests and HTTP error answers, unless a test declared them deliberate
 * (a 401 before logging in, a wrong token). Requests a navigation of the page (goto, reload)
 * aborts are not the app's failures and are not recorded. {@link logIn} types a token into the login form.
 *
 * Nothing is skipped: without Chromium the tests fail and say how to install it.
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Locator,
  type Page,
  type Request,
} from "playwright-core";
import chromiumSettings from "../../scripts/chromium.json" with { type: "json" };
import { pollUntil } from "./daemon.js";
import { ADMIN_TOKEN } from "./server.js";

/** Where Debian's `chromium` package puts the browser (shared with `npm run screenshots` and the bench). */
export const CHROMIUM = chromiumSettings.executablePath;

/** How long an action or a wait for the page may take before the test fails. */
export const PAGE_TIMEOUT_MS = 10_000;

/** The two widths the dashboard is made for. */
export const LAPTOP = { width: 1440, height: 900 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/** Launches headless Chromium. @throws when it is not installed, saying how to install it. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}; the dashboard's browser tests need it: apt-get install -y chromium`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: chromiumSettings.args,
  });
}

/** Something that went wrong in a page. */
export interface PageProblem {
  kind: "console.error" | "console.warning" | "pageerror" | "requestfailed" | "http";
  text: string;
  /** The resource concerned (a request's URL, a console message's source). */
  url: string | null;
  method: string | null;
  /** The HTTP status (for `http`, and for Chromium's "Failed to load resource" console errors). */
  status: number | null;
}

/**
 * A failure a test causes on purpose. Every given field must match; `path` is matched against
 * the URL's path and query (a string: exactly the path, without the query).
 */
export interface Deliberate {
  path: string | RegExp;
  method?: string;
  status?: number;
  /** For `requestfailed`: Chromium's error text, e.g. `net::ERR_ABORTED`. */
  error?: string | RegExp;
}

/**
 * Always deliberate: the live stream's request is aborted whenever the page closes, reloads or
 * logs out (EventSource.close()).
 */
export const ALWAYS_DELIBERATE: readonly Deliberate[] = [
  { path: "/api/v1/events/stream", error: "net::ERR_ABORTED" },
];

/** A page under watch. */
export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Everything recorded so far, deliberate or not (for debugging). */
  readonly recorded: readonly PageProblem[];
  /** Declares failures matching `deliberate` expected from now on. */
  allow(...deliberate: Deliberate[]): void;
  /** The problems that were not declared deliberate. */
  problems(): PageProblem[];
  /** Fails the test, listing every problem that was not deliberate. */
  expectNoProblems(when?: string): void;
  /** Saves a screenshot to `/tmp/railyard-screenshots/<name>.png` and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface OpenPageOptions {
  /** The Railyard server's URL: relative `goto`s and requests resolve against it. */
  baseURL: string;
  viewport?: { width: number; height: number };
  /** Failures expected from the start (e.g. the 401 of the session check before logging in). */
  allow?: Deliberate[];
  colorScheme?: "light" | "dark";
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}

function matches(problem: PageProblem, deliberate: Deliberate): boolean {
  if (problem.url === null) return false;
  const full = pathOf(problem.url);
  const ok =
    typeof deliberate.path === "string"
      ? full.split("?", 1)[0] === deliberate.path
      : deliberate.path.test(full);
  if (!ok) return false;
  if (deliberate.method !== undefined && problem.method !== null && problem.method !== deliberate.method)
    return false;
  if (problem.kind === "requestfailed") {
    if (deliberate.error === undefined) return false;
    return typeof deliberate.error === "string"
      ? problem.text === deliberate.error
      : deliberate.error.test(problem.text);
  }
  if (problem.kind === "http" || problem.status !== null) {
    return deliberate.status === undefined || deliberate.status === problem.status;
  }
  return false;
}

/** Describes a problem in one line. */
export function describeProblem(problem: PageProblem): string {
  const where = problem.url ? ` (${problem.method ? `${problem.method} ` : ""}${pathOf(problem.url)})` : "";
  return `${problem.kind}: ${problem.text}${where}`;
}

/** Opens a page in a fresh browser context and records what goes wrong in it. */
export async function openPage(browser: Browser, options: OpenPageOptions): Promise<WatchedPage> {
  const context = await browser.newContext({
    baseURL: options.baseURL,
    viewport: options.viewport ?? LAPTOP,
    colorScheme: options.colorScheme ?? "light",
    locale: "en-GB",
    timezoneId: "Europe/Berlin",
  });
  context.setDefaultTimeout(PAGE_TIMEOUT_MS);
  const page = await context.newPage();
  const recorded: PageProblem[] = [];
  const deliberate: Deliberate[] = [...ALWAYS_DELIBERATE, ...(options.allow ?? [])];

  page.on("console", (message) => {
    const type = message.type();
    if (type !== "error" && type !== "warning") return;
    const text = message.text();
    const location = message.location();
    // Chromium reports every HTTP error answer as a console error too; keep its status for matching.
    const status = /status of (\d{3})/.exec(text)?.[1];
    recorded.push({
      kind: type === "error" ? "console.error" : "console.warning",
      text,
      url: location.url || null,
      method: null,
      status: status ? Number(status) : null,
    });
  });
  page.on("pageerror", (error) => {
    recorded.push({
      kind: "pageerror",
      text: error.stack ?? error.message,
      url: null,
      method: null,
      status: null,
    });
  });
  // A document navigation (goto, reload, a full-page link) aborts the old document's requests,
  // including those it still starts while the new document loads: not failures of the app. Each
  // request is stamped with the navigations started when its document was committed.
  let navigationsStarted = 0;
  let navigationsCommitted = 0;
  const startedAt = new WeakMap<Request, number>();
  page.on("request", (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
      startedAt.set(request, navigationsStarted);
      navigationsStarted++;
    } else {
      startedAt.set(request, navigationsCommitted);
    }
  });
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) navigationsCommitted = navigationsStarted;
  });
  page.on("requestfailed", (request) => {
    const errorText = request.failure()?.errorText ?? "failed";
    if (
      errorText === "net::ERR_ABORTED" &&
      (startedAt.get(request) ?? navigationsStarted) < navigationsStarted
    )
      return;
    recorded.push({
      kind: "requestfailed",
      text: errorText,
      url: request.url(),
      method: request.method(),
      status: null,
    });
  });
  page.on("response", (response) => {
    if (response.status() < 400) return;
    recorded.push({
      kind: "http",
      text: `${response.status()} ${response.statusText()}`,
      url: response.url(),
      method: response.request().method(),
      status: response.status(),
    });
  });

  const problems = () => recorded.filter((problem) => !deliberate.some((d) => matches(problem, d)));
  return {
    page,
    context,
    recorded,
    allow: (...more) => {
      deliberate.push(...more);
    },
    problems,
    expectNoProblems(when = "the page") {
      const left = problems().map(describeProblem);
      if (left.length > 0) {
        throw new Error(`${when} had ${left.length} problem(s):\n  ${left.join("\n  ")}`);
      }
    },
    async screenshot(name) {
      const dir = "/tmp/railyard-screenshots";
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    close: () => context.close(),
  };
}

/** The answers a page that is not logged in gets on purpose: the session check says 401. */
export const BEFORE_LOGIN: readonly Deliberate[] = [{ path: "/api/v1/session", method: "GET", status: 401 }];

/**
 * Logs in through the login form: opens `/` unless the form is already shown, types `token`
 * into "API token", submits, and waits for the app's shell (the main navigation).
 */
export async function logIn(watched: WatchedPage, token = ADMIN_TOKEN): Promise<void> {
  const { page } = watched;
  watched.allow(...BEFORE_LOGIN);
  const field = page.getByLabel("API token");
  if (!(await field.isVisible())) {
    await page.goto("/");
  }
  await field.fill(token);
  await page.getByRole("button", { name: "Log in" }).click();
  await shellReady(page);
}

/** Waits until the app's shell is shown: its banner (with the navigation), the login form gone. */
export async function shellReady(page: Page): Promise<void> {
  await page.getByRole("banner").waitFor({ state: "visible" });
  // Hidden behind the Menu button at phone widths, but there.
  await page.getByRole("navigation", { name: "Main", includeHidden: true }).waitFor({ state: "attached" });
  await page.getByLabel("API token").waitFor({ state: "detached" });
}

/**
 * Waits until `locator`'s attribute `name` is `value` (null: absent). React renders after the URL
 * or a click changed, so assertions about the page wait for it, within {@link PAGE_TIMEOUT_MS}.
 */
export async function attributeBecomes(locator: Locator, name: string, value: string | null): Promise<void> {
  let last: string | null = null;
  try {
    await pollUntil(
      `${locator} [${name}] to be ${JSON.stringify(value)}`,
      PAGE_TIMEOUT_MS,
      async () => {
        last = await locator.getAttribute(name, { timeout: PAGE_TIMEOUT_MS });
        return last === value ? true : undefined;
      },
      25,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; it is ${JSON.stringify(last)}`);
  }
}

/** Waits until `locator`'s text (trimmed) is `text`, or matches it. */
export async function textBecomes(locator: Locator, text: string | RegExp): Promise<void> {
  let last: string | null = null;
  const ok = (value: string) => (typeof text === "string" ? value === text : text.test(value));
  try {
    await pollUntil(
      `${locator} to read ${String(text)}`,
      PAGE_TIMEOUT_MS,
      async () => {
        last = ((await locator.textContent({ timeout: PAGE_TIMEOUT_MS })) ?? "").trim();
        return ok(last) ? true : undefined;
      },
      25,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; it reads ${JSON.stringify(last)}`);
  }
}
