/**
 * The dashboard's shell in a real browser (Debian's Chromium) against a real server on SQLite,
 * serving the Vite build in `dist/web`: the labelled login form and the server's message for a
 * wrong token, the shell with the user and the live indicator, keyboard-only navigation, the
 * phone-width menu, a reload that keeps the session, and logout. No console error, page error or
 * unexpected failed request anywhere.
 *
 * `dist/web` is built by the global setup; for a run with `vnb.config.ts`, build it first:
 * `npx vite build --config web/vite.config.ts`.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WEB_ROOT } from "../../src/api/web-app.js";
import {
  attributeBecomes,
  BEFORE_LOGIN,
  LAPTOP,
  launchBrowser,
  logIn,
  openPage,
  PHONE,
  shellReady,
  textBecomes,
  type WatchedPage,
} from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { createWorld, type World } from "../support/world.js";

/** What has the focus: its tag, its accessible text (aria-label or text) and its id. */
async function focused(page: Page): Promise<{ tag: string; text: string; id: string }> {
  // A string, evaluated in the page: this project's compiler knows no DOM.
  return page.evaluate(`(() => {
    const element = document.activeElement;
    return {
      tag: element ? element.tagName.toLowerCase() : "",
      text: element ? (element.getAttribute("aria-label") || element.textContent || "").trim() : "",
      id: element ? element.id : "",
    };
  })()`);
}

/** Takes the focus back to the top of the document, as after a page load. */
async function blur(page: Page): Promise<void> {
  await page.evaluate("document.activeElement && document.activeElement.blur()");
}

/** Presses Tab until the focus is on a link named `name` (at most 40 times). */
async function tabTo(page: Page, name: string): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    const now = await focused(page);
    seen.push(`${now.tag}:${now.text}`);
    if (now.tag === "a" && now.text === name) return;
  }
  throw new Error(`Tab never reached the link "${name}"; the focus went: ${seen.join(" → ")}`);
}

describe("the dashboard's shell in Chromium", () => {
  let world: World;
  let server: TestServer;
  let browser: Browser;
  let coordinator: string;
  let watched: WatchedPage | undefined;

  beforeAll(async () => {
    if (!existsSync(path.join(WEB_ROOT, "index.html"))) {
      throw new Error(`${WEB_ROOT} has no build: run \`npx vite build --config web/vite.config.ts\` first`);
    }
    browser = await launchBrowser();
    world = await createWorld();
    server = await startTestServer(world, "sqlite");
    await server.advance("0s");
    coordinator = await server.token("cora", ["coordinator"]);
  });
  afterEach(async () => {
    await watched?.close();
    watched = undefined;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.cleanup();
    await world?.cleanup();
  });

  async function open(viewport: { width: number; height: number } = LAPTOP): Promise<WatchedPage> {
    watched = await openPage(browser, { baseURL: server.url, viewport });
    return watched;
  }

  it("shows a labelled login form, and the server's own message for a wrong token", async () => {
    const w = await open();
    w.allow(...BEFORE_LOGIN, { path: "/api/v1/session", method: "POST", status: 401 });
    const { page } = w;
    await page.goto("/");
    expect(await page.title()).toBe("Railyard");
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    await page.getByRole("heading", { name: "Railyard", level: 1 }).waitFor();
    await page.getByRole("main").waitFor();
    const field = page.getByLabel("API token");
    expect(await field.getAttribute("type")).toBe("password");
    const submit = page.getByRole("button", { name: "Log in" });
    expect(await submit.isDisabled()).toBe(true);

    // What the server says about this token, word for word.
    const refused = await server.request<{ detail: string }>(
      "POST",
      "/api/v1/session",
      { token: "not-a-token" },
      "",
    );
    expect(refused.status).toBe(401);

    await field.fill("not-a-token");
    await attributeBecomes(submit, "disabled", null);
    await field.press("Enter");
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect((await alert.textContent())?.trim()).toBe(refused.body.detail);
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    const described = await field.getAttribute("aria-describedby");
    expect(described && (await page.locator(`[id="${described}"]`).textContent())?.trim()).toBe(
      refused.body.detail,
    );
    // Still on the login page, with no session.
    expect(await page.getByRole("banner").count()).toBe(0);
    await w.screenshot("shell-login-refused");
    w.expectNoProblems("the login page");
  });

  it("logs in with a token and shows the shell, the user and the live indicator", async () => {
    const w = await open();
    const { page } = w;
    await logIn(w, coordinator);
    const banner = page.getByRole("banner");
    await banner.getByText("cora", { exact: false }).first().waitFor();
    expect(await banner.textContent()).toContain("coordinator");
    const live = page.getByRole("status").filter({ hasText: /^(Live|Connecting|Offline)$/ });
    await textBecomes(live, "Live");
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const name of ["Executive", "On-call", "Trains", "Calendar", "Debug", "Admin"]) {
      expect(await nav.getByRole("link", { name, exact: true }).isVisible(), name).toBe(true);
    }
    await attributeBecomes(nav.getByRole("link", { name: "Executive", exact: true }), "aria-current", "page");
    await page.getByRole("main").waitFor();
    await w.screenshot("shell-laptop");
    w.expectNoProblems("the shell after logging in");
  });

  it("can be used with the keyboard alone: Tab to a link, Enter follows it", async () => {
    const w = await open();
    const { page } = w;
    await logIn(w, coordinator);
    // Start from the top of the document, as after a page load.
    await blur(page);
    await page.keyboard.press("Tab");
    expect(await focused(page)).toMatchObject({ tag: "a", text: "Skip to content" });
    await tabTo(page, "Trains");
    await page.keyboard.press("Enter");
    await page.waitForURL("**/trains");
    const nav = page.getByRole("navigation", { name: "Main" });
    await attributeBecomes(nav.getByRole("link", { name: "Trains", exact: true }), "aria-current", "page");
    await tabTo(page, "Calendar");
    await page.keyboard.press("Enter");
    await page.waitForURL("**/calendar");

    // The skip link shows itself when focused and takes the focus past the navigation.
    await page.reload();
    await shellReady(page);
    await page.keyboard.press("Tab");
    expect(await focused(page)).toMatchObject({ tag: "a", text: "Skip to content" });
    const box = await page.locator(".skip-link").boundingBox();
    expect(
      box && box.y >= 0 && box.height > 0,
      `the focused skip link is on screen: ${JSON.stringify(box)}`,
    ).toBe(true);
    await page.keyboard.press("Enter");
    expect((await focused(page)).id).toBe("main");
    w.expectNoProblems("keyboard navigation");
  });

  it("at phone width, the Menu button opens the navigation", async () => {
    const w = await open(PHONE);
    const { page } = w;
    await logIn(w, coordinator);
    const menu = page.getByRole("button", { name: "Menu" });
    const nav = page.getByRole("navigation", { name: "Main" });
    const calendar = nav.getByRole("link", { name: "Calendar", exact: true });
    expect(await menu.isVisible()).toBe(true);
    await attributeBecomes(menu, "aria-expanded", "false");
    expect(await calendar.isVisible()).toBe(false);
    await w.screenshot("shell-phone-closed");

    await menu.click();
    await attributeBecomes(menu, "aria-expanded", "true");
    await calendar.waitFor({ state: "visible" });
    await w.screenshot("shell-phone-open");
    // Nothing overflows the phone's width.
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(PHONE.width);
    await calendar.click();
    await page.waitForURL("**/calendar");
    // Following a link closes the menu again.
    await attributeBecomes(menu, "aria-expanded", "false");
    await calendar.waitFor({ state: "hidden" });

    // The keyboard works here too: Enter on the focused Menu button opens it.
    await menu.focus();
    await page.keyboard.press("Enter");
    await attributeBecomes(menu, "aria-expanded", "true");
    await calendar.waitFor({ state: "visible" });
    w.expectNoProblems("the phone menu");
  });

  /**
   * Records, in the page, every loading state drawn inside `main` (its label) and when the view's
   * heading first appeared, from the first byte of the page on.
   */
  const RECORD_LOADING = `(() => {
    window.__loadingSeen = [];
    window.__headingAt = null;
    new MutationObserver(() => {
      for (const state of document.querySelectorAll("main .state-loading")) {
        const label = (state.textContent || "").trim();
        if (!window.__loadingSeen.includes(label)) window.__loadingSeen.push(label);
      }
      if (window.__headingAt === null && document.querySelector("main h1")) window.__headingAt = performance.now();
    }).observe(document, { subtree: true, childList: true, characterData: true });
  })()`;

  const INCIDENTS = /\/api\/v1\/incidents(\?|$)/;

  /**
   * Logs in, then opens the executive view afresh with its incidents' answer held: returns once
   * the page has asked for them (its code has run and the route's data is on its way), with
   * `release()` to let the answer through. The page records the loading states it draws.
   */
  async function openWithIncidentsHeld(): Promise<{ w: WatchedPage; page: Page; release: () => void }> {
    const w = await open();
    const { page } = w;
    await logIn(w, coordinator);
    await page.addInitScript(RECORD_LOADING);
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let asked = () => {};
    const firstAsked = new Promise<void>((resolve) => {
      asked = resolve;
    });
    await page.route(INCIDENTS, async (route) => {
      asked();
      await released;
      await route.continue();
    });
    await page.goto("/", { waitUntil: "commit" });
    await firstAsked;
    return { w, page, release };
  }

  it("draws a view's first screen once, whole, when its data is in: no panel shows a loading state", async () => {
    const { w, page, release } = await openWithIncidentsHeld();
    // The route's data was asked for before any view was drawn; while one answer is missing
    // the page says it is opening, and no view or panel is drawn.
    expect(await page.getByRole("main").count()).toBe(0);
    expect((await page.getByRole("status").first().textContent())?.trim()).toBe("Opening Railyard…");
    release();
    await page.getByRole("heading", { name: "Executive overview", level: 1 }).waitFor();
    await page.getByRole("heading", { name: "Critical incidents, last 30 days" }).waitFor();
    expect(await page.evaluate("window.__loadingSeen")).toEqual([]);
    await page.unroute(INCIDENTS);
    w.expectNoProblems("the first screen");
  });

  it("does not wait for a slow answer past its deadline: the rest is drawn, the slow panel says it is loading", async () => {
    const { w, page, release } = await openWithIncidentsHeld();
    // Held until the view is drawn: the shell stops waiting at its deadline (1.5 s).
    await page.getByRole("heading", { name: "Executive overview", level: 1 }).waitFor();
    const loading = page.locator("main .state-loading");
    await textBecomes(loading, "Loading incidents…");
    expect(await loading.count()).toBe(1);
    release();
    await loading.waitFor({ state: "detached" });
    expect(await page.evaluate("window.__loadingSeen")).toEqual(["Loading incidents…"]);
    await page.unroute(INCIDENTS);
    w.expectNoProblems("a slow first screen");
  });

  it("keeps the session across a reload and a bookmarked page", async () => {
    const w = await open();
    const { page } = w;
    await logIn(w, coordinator);
    await page.reload();
    await shellReady(page);
    await page.getByRole("banner").getByText("cora", { exact: false }).first().waitFor();

    await page.goto("/trains");
    await shellReady(page);
    const nav = page.getByRole("navigation", { name: "Main" });
    await attributeBecomes(nav.getByRole("link", { name: "Trains", exact: true }), "aria-current", "page");

    // An unknown page is the app's own "No such page", not the server's 404.
    await page.goto("/no/such/page");
    await shellReady(page);
    await page.getByRole("heading", { name: "No such page" }).waitFor();
    w.expectNoProblems("reloads");
  });

  it("shares the session with a second tab, which can log out (a mutation with the CSRF token)", async () => {
    const w = await open();
    await logIn(w, coordinator);
    // A bookmark opened in a new tab: same cookies, but a fresh tab.
    const tab = await w.context.newPage();
    await tab.goto("/trains");
    await shellReady(tab);
    await tab.getByRole("banner").getByText("cora", { exact: false }).first().waitFor();
    await tab.getByRole("button", { name: "Log out" }).click();
    await tab.getByLabel("API token").waitFor();
    expect((await tab.request.get("/api/v1/session")).status()).toBe(401);
    await tab.close();
    w.expectNoProblems("the second tab");
  });

  it("logs out back to the login page, and the session is gone", async () => {
    const w = await open();
    const { page } = w;
    await logIn(w, coordinator);
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByLabel("API token").waitFor();
    expect(await page.getByRole("banner").count()).toBe(0);
    const session = await page.request.get("/api/v1/session");
    expect(session.status()).toBe(401);
    await page.reload();
    await page.getByLabel("API token").waitFor();
    expect(await page.getByRole("banner").count()).toBe(0);
    // Logging in again works in the same tab.
    await logIn(w, coordinator);
    w.expectNoProblems("logging out");
  });
});
