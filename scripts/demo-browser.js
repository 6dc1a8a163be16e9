/**
 * Shared by `npm run screenshots` and `npm run bench -- --only dashboard`: starts the demo
 * (`node bin/railyard.js demo`, on its default ports 7300/7301: the example configuration's gate
 * URLs name them) and Debian's Chromium through playwright-core, and logs a browser context in.
 * Needs `npm run build` first (dist/ and dist/web).
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import chromiumSettings from "./chromium.json" with { type: "json" };

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Debian's Chromium and the flags every run uses (shared with the tests: test/support/browser.ts). */
export const CHROMIUM = process.env.RAILYARD_CHROMIUM ?? chromiumSettings.executablePath;
export const CHROMIUM_ARGS = chromiumSettings.args;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the demo and resolves once its API answers; `stop()` ends it. */
export async function startDemo({ port = 7300, log = () => {} } = {}) {
  if (!existsSync(path.join(ROOT, "dist", "web", "index.html"))) {
    throw new Error("the dashboard is not built: run `npm run build` first");
  }
  const child = spawn(
    process.execPath,
    [path.join(ROOT, "bin", "railyard.js"), "demo", "--port", String(port)],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    },
  );
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
    for (const line of String(chunk).split("\n")) if (line.trim()) log(line);
  });
  child.stderr.on("data", (chunk) => {
    output += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  const tokenFile = path.join(ROOT, ".railyard", "demo", "admin-token");
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the demo exited (${child.exitCode}):\n${output}`);
    if (output.includes("Railyard demo") && existsSync(tokenFile)) {
      try {
        const health = await fetch(`${url}/api/v1/health`);
        if (health.ok) break;
      } catch {
        // not listening yet
      }
    }
    if (Date.now() > deadline) throw new Error(`the demo did not start in 120 s:\n${output}`);
    await sleep(200);
  }
  const token = readFileSync(tokenFile, "utf8").trim();
  const api = async (p, init = {}) => {
    const response = await fetch(`${url}${p}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        ...(init.headers ?? {}),
      },
    });
    if (!response.ok)
      throw new Error(`${init.method ?? "GET"} ${p}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? null : response.json();
  };
  return {
    url,
    token,
    api,
    output: () => output,
    /** Polls `check` (async, truthy to stop) every 200 ms until `timeoutMs`. */
    async until(what, check, timeoutMs = 300_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const value = await check();
        if (value) return value;
        if (Date.now() > end) throw new Error(`the demo did not reach "${what}" in ${timeoutMs / 1000} s`);
        await sleep(200);
      }
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGINT");
      await Promise.race([new Promise((resolve) => child.once("exit", resolve)), sleep(10_000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

/** Debian's Chromium, headless, with background networking off. */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A browser context logged in to `url` with `token` (the session cookie, and the CSRF token in the tab). */
export async function loggedInContext(browser, url, token, options = {}) {
  const context = await browser.newContext({ baseURL: url, ...options });
  const answer = await context.request.post(`${url}/api/v1/session`, { data: { token } });
  if (answer.status() !== 201) throw new Error(`login failed: ${answer.status()} ${await answer.text()}`);
  const { csrfToken } = await answer.json();
  await context.addInitScript((csrf) => localStorage.setItem("railyard.csrf", csrf), csrfToken);
  return context;
}
