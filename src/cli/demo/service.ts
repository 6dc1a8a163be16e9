/**
 * The demo's stand-in for the services being released: an HTTP server whose health answers
 * depend on what the GitOps repository says runs in each environment. A version the demo marks
 * as bad in production (it passes staging, then fails under production traffic) makes the
 * production health check fail, which is what triggers the demo's automatic rollback.
 *
 * It also stands in for the places Railyard notifies: `POST /slack` takes Slack incoming-webhook
 * messages and `POST /events` CloudEvents, and hands each to `onNotification`; and for the
 * Prometheus the gates query: `/prom/api/v1/query` and `/prom/api/v1/query_range` answer synthetic
 * series of the demo's metrics (see `prometheus.ts`).
 */
import { execFile } from "node:child_process";
import http from "node:http";
import { promisify } from "node:util";
import { parse } from "yaml";
import { createDemoPrometheus, PROMETHEUS_PREFIX } from "./prometheus.js";

const run = promisify(execFile);

export interface DemoService {
  url: string;
  close(): Promise<void>;
}

/** A message Railyard sent to the demo's stand-in Slack (`slack`) or CloudEvents endpoint (`events`). */
export type DemoNotification = { channel: "slack" | "events"; body: Record<string, unknown> };

/**
 * Versions that fail in production: component → version → symptom. The stand-in Prometheus
 * shows their error ratio for the baseline and the canary alike (search 1.5.0 rebuilds the index
 * every search pod of the region reads), so the canary judge passes and the health check fails.
 */
export const BAD_IN_PRODUCTION: Record<string, Record<string, string>> = {
  search: { "1.5.0": "error rate 12.4% over the last 5m (SLO: below 1%)" },
};

/**
 * Versions whose canary is slower than its baseline: component → version → p99 latency factor.
 * storefront 4.0.1 (the first patch the demo's steady traffic pushes, riding web-6) renders
 * product images on the server: the canary analysis fails on p99 latency and web-6 rolls back.
 */
export const SLOW_IN_CANARY: Record<string, Record<string, number>> = {
  storefront: { "4.0.1": 1.8 },
};

async function deployedVersions(gitops: string, environment: string): Promise<Record<string, string>> {
  try {
    const { stdout } = await run("git", [
      "--git-dir",
      gitops,
      "show",
      `main:environments/${environment}.yaml`,
    ]);
    const doc = (parse(stdout) ?? {}) as Record<string, { image?: { tag?: unknown } }>;
    const versions: Record<string, string> = {};
    for (const [component, value] of Object.entries(doc)) {
      const tag = value?.image?.tag;
      if (tag !== undefined) versions[component] = String(tag);
    }
    return versions;
  } catch {
    return {};
  }
}

/** The versions a train carries (component → version, boarded ones), asked of Railyard's API; null when unknown. */
async function trainVersions(
  railyard: string,
  train: string,
  token: string | undefined,
): Promise<Record<string, string> | null> {
  try {
    const response = await fetch(`${railyard}/api/v1/trains/${encodeURIComponent(train)}`, {
      signal: AbortSignal.timeout(5000),
      // Reads need credentials unless the configuration allows anonymous reads.
      ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    });
    if (!response.ok) return null;
    const detail = (await response.json()) as {
      manifest: Array<{ component: string; version: string; status: string }>;
    };
    return Object.fromEntries(
      detail.manifest.filter((i) => i.status === "boarded").map((i) => [i.component, i.version]),
    );
  } catch {
    return null;
  }
}

/**
 * Starts the service on `port` (0 picks one). `GET /health/<env>?train=<id>` judges only the
 * components that train carries (what its verification is about); without `train`, all of them.
 * `token` lets it read trains from Railyard's API. Under `/prom` it is the demo's Prometheus.
 */
export async function startDemoService(
  gitops: string,
  port: number,
  railyard: string,
  token?: string,
  onNotification?: (notification: DemoNotification) => void,
): Promise<DemoService> {
  const prometheus = createDemoPrometheus({
    trainVersions: (train) => trainVersions(railyard, train, token),
    badInProduction: BAD_IN_PRODUCTION,
    slowInCanary: SLOW_IN_CANARY,
  });
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (prometheus.handle(request, response, url.pathname)) return;
    const match = /^\/(health|smoke)\/([a-z0-9-]+)$/.exec(url.pathname);
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (request.method === "POST" && (url.pathname === "/slack" || url.pathname === "/events")) {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
          onNotification?.({ channel: url.pathname === "/slack" ? "slack" : "events", body });
          send(200, { ok: true });
        } catch {
          send(400, { error: "not JSON" });
        }
      });
      return;
    }
    if (!match) {
      return send(404, {
        error: `try /health/<environment>, /smoke/staging or ${PROMETHEUS_PREFIX}/api/v1/query`,
      });
    }
    const [, kind, environment] = match;
    const train = url.searchParams.get("train");
    Promise.all([
      deployedVersions(gitops, environment!),
      train ? trainVersions(railyard, train, token) : null,
    ]).then(
      ([versions, carried]) => {
        const scope = carried ? new Set(Object.keys(carried)) : null;
        const problems =
          kind === "health"
            ? Object.entries(versions).flatMap(([component, version]) => {
                if (scope && !scope.has(component)) return [];
                const symptom = BAD_IN_PRODUCTION[component]?.[version];
                return symptom ? [`${component} ${version}: ${symptom}`] : [];
              })
            : [];
        send(problems.length > 0 ? 503 : 200, {
          environment,
          status: problems.length > 0 ? "unhealthy" : "healthy",
          versions,
          problems,
        });
      },
      (error: unknown) => send(500, { error: String(error) }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
