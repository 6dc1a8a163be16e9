/**
 * The dashboard's views in a real browser (Debian's Chromium) against a real server on SQLite,
 * following one train of the test world's `shop` line (approval by one of team `board`):
 *
 * 1. every view opens, at laptop and at phone width, with its data drawn, no error state, nothing
 *    wider than a phone, and no console error;
 * 2. alice (approver) approves shop-1 in place on its page; the clock moves on the server (not in
 *    the browser) and the page shows the train departing without a reload (Server-Sent Events);
 * 3. a viewer sees the rollback button disabled with who may act, and the server refuses the
 *    request anyway when it is forced;
 * 4. a coordinator rolls shop-1 back from the on-call view, confirming in the dialog with a
 *    reason, and watches it leave the deployments as the rollback completes.
 *
 * The tests share the one train and run in order. `dist/web` is built by the global setup; for a
 * run with `vnb.config.ts`, build it first: `npx vite build --config web/vite.config.ts`.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WEB_ROOT } from "../../src/api/web-app.js";
import type { TrainDetail } from "../../src/engine/railyard.js";
import {
  LAPTOP,
  launchBrowser,
  logIn,
  openPage,
  PAGE_TIMEOUT_MS,
  PHONE,
  type WatchedPage,
} from "../support/browser.js";
import { pollUntil } from "../support/daemon.js";
import { commitOf } from "../support/scenario.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { createWorld, type World } from "../support/world.js";

/** Every view, with a word its drawn data must show on this world. */
const VIEWS: Array<{ route: string; heading: string | RegExp; shows: string | RegExp }> = [
  { route: "/", heading: /executive|release/i, shows: "shop" },
  { route: "/on-call", heading: /on-call/i, shows: "shop-1" },
  { route: "/trains", heading: /trains/i, shows: "shop-1" },
  { route: "/trains/shop-1", heading: "shop-1", shows: /manifest/i },
  { route: "/calendar", heading: /calendar/i, shows: "shop" },
  { route: "/debug", heading: /debug/i, shows: "shop" },
  { route: "/admin", heading: /admin/i, shows: "alice" },
];

/** Waits until the view has drawn: its heading, and no loading state left in <main>. */
async function settled(page: Page, heading: string | RegExp): Promise<void> {
  await page.getByRole("heading", { level: 1, name: heading }).first().waitFor({ timeout: PAGE_TIMEOUT_MS });
  await pollUntil(
    "no loading state left",
    PAGE_TIMEOUT_MS,
    async () => ((await page.locator("main .state-loading").count()) === 0 ? true : undefined),
    50,
  );
}

/** The state a badge shows (its `data-state`), once it is one of `states`. */
async function stateBecomes(badge: Locator, states: string[]): Promise<string> {
  return pollUntil(
    `the badge to show ${states.join(" or ")}`,
    PAGE_TIMEOUT_MS,
    async () => {
      const state = await badge.getAttribute("data-state", { timeout: PAGE_TIMEOUT_MS });
      return state !== null && states.includes(state) ? state : undefined;
    },
    50,
  );
}

describe("the dashboard's views in Chromium", () => {
  let world: World;
  let server: TestServer;
  let browser: Browser;
  let watched: WatchedPage | undefined;
  const tokens: Record<"alice" | "vic" | "cora", string> = { alice: "", vic: "", cora: "" };

  const detail = async (id: string) =>
    (await server.request<TrainDetail>("GET", `/api/v1/trains/${id}`)).body;

  beforeAll(async () => {
    if (!existsSync(path.join(WEB_ROOT, "index.html"))) {
      throw new Error(`${WEB_ROOT} has no build: run \`npx vite build --config web/vite.config.ts\` first`);
    }
    browser = await launchBrowser();
    world = await createWorld({ approval: { team: "board", required: 1 } });
    server = await startTestServer(world, "sqlite");
    await server.advance("0s");
    for (const component of ["db", "api", "web"]) {
      const pushed = await server.request("POST", "/api/v1/artifacts", {
        component,
        version: "1.0.0",
        commit: commitOf(component, "1.0.0"),
      });
      expect(pushed.status).toBe(201);
    }
    // shop-1's cut-off: it is integrated, gated and waits for board's approval.
    await server.advance("2h");
    expect((await detail("shop-1")).train.state).toBe("awaiting_approval");
    tokens.alice = await server.token("alice", ["approver"]);
    tokens.vic = await server.token("vic", ["viewer"]);
    tokens.cora = await server.token("cora", ["coordinator"]);
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

  for (const [width, viewport] of [
    ["laptop", LAPTOP],
    ["phone", PHONE],
  ] as const) {
    it(`opens every view at ${width} width with its data drawn and no console error`, async () => {
      const w = await open(viewport);
      const { page } = w;
      await logIn(w);
      for (const view of VIEWS) {
        await page.goto(view.route);
        await settled(page, view.heading);
        const main = page.getByRole("main");
        expect(await main.locator(".state-error").count(), `${view.route} shows an error state`).toBe(0);
        expect(await main.textContent(), `${view.route} shows ${view.shows}`).toMatch(view.shows);
        if (width === "phone") {
          const overflow = await page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth",
          );
          expect(overflow, `${view.route} is wider than a phone by ${overflow}px`).toBeLessThanOrEqual(0);
        }
        w.expectNoProblems(view.route);
      }
    });
  }

  it("lets an approver approve in place, then shows the train departing live", async () => {
    const w = await open();
    const { page } = w;
    await logIn(w, tokens.alice);
    await page.goto("/trains/shop-1");
    await settled(page, "shop-1");
    const badge = page.locator(".page-header .badge").first();
    expect(await badge.getAttribute("data-state")).toBe("awaiting_approval");

    // Each step's log is drawn when its row is opened.
    const [step] = (await detail("shop-1")).steps;
    expect(step, "shop-1 has run its integration steps").toBeDefined();
    const row = page.locator(".step-list details").first();
    expect(await row.locator("summary").textContent()).toContain(step?.key ?? "");
    expect(await row.locator(".facts").count()).toBe(0);
    await row.locator("summary").click();
    await row.getByText(step?.idempotencyKey ?? "", { exact: true }).waitFor();
    expect(await row.textContent()).toMatch(step?.output ? step.output.slice(0, 40) : /No output/);

    await page.getByRole("button", { name: "Approve shop-1", exact: true }).first().click();
    const dialog = page.getByRole("dialog", { name: "Approve shop-1?" });
    await dialog.waitFor();
    await dialog.getByLabel(/reason/i).fill("looks good");
    await dialog.getByRole("button", { name: "Approve", exact: true }).click();
    await dialog.waitFor({ state: "hidden" });
    const approvals = await detail("shop-1");
    expect(approvals.approval.records.map((r) => [r.approver, r.decision])).toEqual([["alice", "approve"]]);
    // The approval shows on the page without a reload.
    await page.getByRole("cell", { name: "looks good", exact: true }).waitFor();

    // Departure time comes on the server: the browser is told by the event stream alone.
    await server.advance("2h");
    const now = (await detail("shop-1")).train.state;
    expect(["deploying", "verifying"]).toContain(now);
    // (The page may pass through deploying while the server is still catching up.)
    expect(await stateBecomes(badge, [now])).toBe(now);
    w.expectNoProblems("approving shop-1");
  });

  it("shows a viewer why they may not roll back, and the server refuses when forced", async () => {
    const w = await open();
    const { page } = w;
    await logIn(w, tokens.vic);
    await page.goto("/trains/shop-1");
    await settled(page, "shop-1");
    const rollback = page.getByRole("button", { name: "Roll back shop-1", exact: true });
    await rollback.waitFor();
    expect(await rollback.isDisabled()).toBe(true);
    expect(await rollback.getAttribute("title")).toMatch(/viewer.*coordinator/);
    expect(await page.getByRole("main").textContent()).toMatch(/Your roles \(viewer\) may not rollback/);

    // The button is only a hint: the server decides, and says no.
    w.allow({ path: "/api/v1/trains/shop-1/rollback", method: "POST", status: 403 });
    const forced = (await page.evaluate(`(async () => {
      const response = await fetch("/api/v1/trains/shop-1/rollback", {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": localStorage.getItem("railyard.csrf") ?? "" },
        body: "{}",
      });
      return { status: response.status, body: await response.json() };
    })()`)) as { status: number; body: { code: string } };
    expect(forced.status).toBe(403);
    expect(["rolling_back", "rolled_back"]).not.toContain((await detail("shop-1")).train.state);
    w.expectNoProblems("a viewer on shop-1");
  });

  it("lets a coordinator roll back from the on-call view, and shows the rollback complete live", async () => {
    const w = await open();
    const { page } = w;
    await logIn(w, tokens.cora);
    await page.goto("/on-call");
    await settled(page, /on-call/i);
    const card = page.getByRole("article", { name: "shop-1" });
    await card.waitFor();
    await card.getByRole("button", { name: "Roll back shop-1", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Roll back shop-1?" });
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/every environment it reached/);
    await dialog.getByLabel(/reason/i).fill("checkout errors in eu");
    await dialog.getByRole("button", { name: "Roll back", exact: true }).click();
    await dialog.waitFor({ state: "hidden" });
    await stateBecomes(card.locator(".badge").first(), ["rolling_back"]);

    // The rollback's steps run when the engine ticks on the server; the view follows the stream.
    await server.advance("0s");
    const after = await detail("shop-1");
    expect(after.train).toMatchObject({
      state: "rolled_back",
      reason: "rolled back by cora: checkout errors in eu",
    });
    await card.waitFor({ state: "detached", timeout: PAGE_TIMEOUT_MS });
    await page.goto("/trains/shop-1");
    await settled(page, "shop-1");
    expect(await page.locator(".page-header .badge").first().getAttribute("data-state")).toBe("rolled_back");
    w.expectNoProblems("rolling back shop-1");
  });
});
