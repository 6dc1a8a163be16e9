/**
 * `npm run screenshots`: starts the demo, lets its scripted scenario play (web-1 to web-6:
 * released, rolled back, retried, paused by an alert, failed its canary), then photographs every view of the
 * dashboard in Debian's Chromium into docs/screenshots/ (1440×900, and the on-call view at a
 * phone's 390×844). The README shows them. Needs `npm run build` first and ports 7300/7301 free.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { launchBrowser, loggedInContext, ROOT, startDemo } from "./demo-browser.js";

const OUT = path.join(ROOT, "docs", "screenshots");
const ACTIVE = new Set(["deploying", "verifying", "paused", "awaiting_approval", "rolling_back"]);

/** Waits until the view has drawn its data: a heading, and no loading state left in <main>. */
async function settled(page) {
  await page.waitForSelector("main h1", { timeout: 30_000 });
  await page.waitForFunction(() => document.querySelectorAll("main .state-loading").length === 0, null, {
    timeout: 30_000,
  });
  // Charts animate in; let them finish.
  await page.waitForTimeout(1200);
}

async function shoot(context, route, name, errors) {
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${name}: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`${name}: ${error.message}`));
  await page.goto(route);
  await settled(page);
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`  ${path.relative(ROOT, file)}`);
  await page.close();
}

await mkdir(OUT, { recursive: true });
console.log("starting the demo…");
const demo = await startDemo();
const browser = await launchBrowser();
const errors = [];
try {
  await demo.until("web-6 rolled back by its canary", async () => {
    const train = await demo.api("/api/v1/trains/web-6").catch(() => null);
    return train?.train.state === "rolled_back";
  });
  console.log("the scenario has played; photographing:");
  const desktop = await loggedInContext(browser, demo.url, demo.token, {
    viewport: { width: 1440, height: 900 },
  });
  const phone = await loggedInContext(browser, demo.url, demo.token, {
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  await shoot(desktop, "/", "executive", errors);
  await shoot(desktop, "/trains/web-4", "train", errors);
  await shoot(desktop, "/trains", "trains", errors);
  await shoot(desktop, "/calendar", "calendar", errors);
  await shoot(desktop, "/debug", "debug", errors);
  await shoot(desktop, "/admin", "admin", errors);
  // On-call is most telling while a train rolls out: wait for one.
  await demo.until("a train rolling out", async () => {
    const trains = await demo.api("/api/v1/trains?limit=50");
    return trains.some((t) => ACTIVE.has(t.state));
  });
  await shoot(desktop, "/on-call", "on-call", errors);
  await shoot(phone, "/on-call", "on-call-phone", errors);
  const login = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await login.newPage();
  await page.goto(demo.url);
  await page.waitForSelector("form");
  await page.screenshot({ path: path.join(OUT, "login.png") });
  console.log("  docs/screenshots/login.png");
} finally {
  await browser.close();
  await demo.stop();
}
if (errors.length > 0) {
  console.error(`console errors:\n${errors.join("\n")}`);
  process.exitCode = 1;
}
