/**
 * The demo's simulated outside world: a CI system that pushes artifacts and posts JUnit test
 * results for each train's integration stage (judged by the line's `tests` gate), and
 * release-board members who approve. It talks to Railyard over the HTTP API with
 * its own tokens, exactly as real CI and people would, following a script on the simulated clock:
 *
 *  - web-1: storefront/checkout/api wait for the platform (held, carried on), the rest ships.
 *  - platform-1: two of the release board approve (alice twice counts once), then it ships.
 *  - web-2: search 1.5.0 passes staging but fails production health → automatic rollback.
 *  - a late push aimed at web-2 boards web-3 instead.
 *  - web-3: a flaky integration suite blocks the train; CI re-runs, someone retries, it ships.
 *  - web-4: Alertmanager fires a critical checkout latency alert during its canary wave; the
 *    line's incident policy pauses the train until the alert resolves an hour later, then it ships.
 *  - afterwards every train gets a few patch releases, so the yard keeps moving; the first of
 *    them for storefront (4.0.1, on web-6) is slower than its baseline in the demo's Prometheus:
 *    web-6's canary analysis fails on p99 latency and Railyard rolls it back.
 */
import { createHash } from "node:crypto";
import type { Train } from "../../domain/model.js";
import { ApiError, type RailyardClient } from "../client.js";

export interface SimulatorOptions {
  /** A CI token: pushes artifacts and reports for the demo's components, nothing else. */
  ci: RailyardClient;
  /** A coordinator (carol), who retries a blocked train. */
  coordinator: RailyardClient;
  approvers: Record<string, RailyardClient>;
  /** Posts an Alertmanager webhook body (version 4) to Railyard, as Alertmanager would. */
  alertmanager(body: AlertmanagerWebhook): Promise<void>;
  now(): Date;
  log(message: string): void;
}

interface Suite {
  name: string;
  tests: number;
  failures: number;
  message?: string;
}

type World = { now: number; trains: Map<string, Train> };

interface Rule {
  name: string;
  when(world: World): boolean;
  run(world: World): Promise<void>;
  /** Rules that repeat keep running; others run once. */
  repeat?: boolean;
}

const commitOf = (component: string, version: string) =>
  createHash("sha1").update(`${component}@${version}`).digest("hex");

const HOUR = 3_600_000;

/** The JSON Alertmanager's webhook receiver POSTs (version 4). */
export interface AlertmanagerWebhook {
  version: "4";
  groupKey: string;
  truncatedAlerts: number;
  status: "firing" | "resolved";
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: Array<{
    status: "firing" | "resolved";
    labels: Record<string, string>;
    annotations: Record<string, string>;
    startsAt: string;
    endsAt: string;
    generatorURL: string;
    fingerprint: string;
  }>;
}

/** The alert the demo's monitoring raises for web-4's canary wave. */
const LATENCY_LABELS = {
  alertname: "CheckoutLatencyHigh",
  severity: "critical",
  train_id: "web-4",
  component: "checkout",
  environment: "eu-west",
};

/** Alertmanager's webhook body for the latency alert, firing since `startsAt` or resolved at `endsAt`. */
function latencyAlert(startsAt: Date, endsAt: Date | null): AlertmanagerWebhook {
  const status = endsAt ? "resolved" : "firing";
  return {
    version: "4",
    groupKey: '{}:{train_id="web-4"}',
    truncatedAlerts: 0,
    status,
    receiver: "railyard",
    groupLabels: { train_id: "web-4" },
    commonLabels: LATENCY_LABELS,
    commonAnnotations: { summary: "checkout p99 latency 2.4s in eu-west (SLO: 800ms)" },
    externalURL: "http://alertmanager.example.com:9093",
    alerts: [
      {
        status,
        labels: LATENCY_LABELS,
        annotations: { summary: "checkout p99 latency 2.4s in eu-west (SLO: 800ms)" },
        startsAt: startsAt.toISOString(),
        // Alertmanager sends the zero time for an alert that has not ended.
        endsAt: endsAt ? endsAt.toISOString() : "0001-01-01T00:00:00Z",
        generatorURL: "http://prometheus.example.com:9090/graph?g0.expr=checkout_latency_p99",
        fingerprint: "5e0c1d8a2f4b7c93",
      },
    ],
  };
}

export class DemoSimulator {
  private readonly done = new Set<string>();
  /** The results CI has for each train (the latest run). */
  private readonly results = new Map<string, Suite[]>();
  /** `<train>#<revision>#<run>` of the results posted already. */
  private readonly posted = new Set<string>();
  private readonly runs = new Map<string, number>();
  private readonly blockedSince = new Map<string, number>();
  private readonly awaitingSince = new Map<string, number>();
  /** When the latency alert started firing (epoch ms), once it has. */
  private alertSince: number | null = null;
  private readonly patched = new Set<string>();
  private readonly versions = new Map<string, [number, number, number]>();
  private readonly rules: Rule[];

  constructor(private readonly options: SimulatorOptions) {
    this.rules = this.script();
  }

  /** True once the scripted part of the scenario has played out. */
  get scenarioComplete(): boolean {
    return [
      "web-1 released",
      "platform-1 released",
      "web-2 rolled back",
      "web-3 released",
      "web-4 released after its alert",
      "web-6 rolled back",
    ].every((m) => this.done.has(m));
  }

  private async push(component: string, version: string, train?: string): Promise<void> {
    const result = await this.options.ci.request<{ message: string; late: boolean }>(
      "POST",
      "/api/v1/artifacts",
      {
        component,
        version,
        commit: commitOf(component, version),
        // The change was committed a few hours before CI built it (what lead time counts from).
        committedAt: new Date(this.options.now().getTime() - (2 + (version.length % 5)) * HOUR).toISOString(),
        buildUrl: `https://ci.example.com/${component}/builds/${version}`,
        ...(train ? { train } : {}),
      },
    );
    this.options.log(`CI pushed ${component} ${version}: ${result.message}`);
    const parsed = version.split(".").map(Number) as [number, number, number];
    this.versions.set(component, parsed);
  }

  /** CI ran the integration suites for `train`; the results are posted once its manifest is frozen. */
  private report(train: string, suites: Suite[]): Promise<void> {
    this.results.set(train, suites);
    this.runs.set(train, (this.runs.get(train) ?? 0) + 1);
    return Promise.resolve();
  }

  /** Whether CI has results for `train` (posted or not). */
  private reported(train: string): boolean {
    return this.results.has(train);
  }

  /**
   * Posts the latest results of a train past its cut-off as JUnit XML, once per manifest revision
   * and CI run: what `railyard report push --junit` does from a CI job.
   */
  private async post(train: Train): Promise<void> {
    const suites = this.results.get(train.id);
    if (!suites || train.manifestRevision < 1) return;
    const key = `${train.id}#${train.manifestRevision}#${this.runs.get(train.id)}`;
    if (this.posted.has(key)) return;
    this.posted.add(key);
    const report = await this.options.ci.upload<{ summary: { tests: number; failed: number } }>(
      "POST",
      `/api/v1/trains/${train.id}/test-reports?suite=integration`,
      junitOf(suites),
      "application/xml",
    );
    this.options.log(
      `CI posted integration results for ${train.id}: ${report.summary.tests - report.summary.failed}/${report.summary.tests} passed`,
    );
  }

  private passing(train: string): Promise<void> {
    return this.report(train, [
      { name: "api-contract", tests: 148, failures: 0 },
      { name: "checkout-flow", tests: 36, failures: 0 },
      { name: "search-relevance", tests: 52, failures: 0 },
    ]);
  }

  private async approve(who: string, train: string, comment: string): Promise<void> {
    const client = this.options.approvers[who];
    if (!client) return;
    const result = await client.request<{ approvers: string[]; required: number; duplicate: boolean }>(
      "POST",
      `/api/v1/trains/${train}/approvals`,
      { decision: "approve", comment },
    );
    this.options.log(
      `${who} approved ${train}${result.duplicate ? " again (counts once)" : ""}: ${result.approvers.length} of ${result.required}`,
    );
  }

  private bump(component: string): string {
    const [major, minor, patch] = this.versions.get(component) ?? [1, 0, 0];
    return `${major}.${minor}.${patch + 1}`;
  }

  private script(): Rule[] {
    const state = (w: World, id: string) => w.trains.get(id)?.state;
    const past = (w: World, id: string, states: string[]) => {
      const s = state(w, id);
      return s !== undefined && !["scheduled", "boarding"].includes(s) && !states.includes(s);
    };
    return [
      {
        name: "first pushes",
        when: (w) => state(w, "web-1") === "boarding" && state(w, "platform-1") === "boarding",
        run: async () => {
          // web-1's boarding closes first (08:00, two hours into the demo), so its pushes go first.
          for (const [c, v] of [
            ["api", "3.0.0"],
            ["checkout", "2.1.0"],
            ["storefront", "4.0.0"],
            ["search", "1.4.0"],
            ["notifications", "0.9.0"],
          ] as const) {
            await this.push(c, v);
          }
          for (const [c, v] of [
            ["db", "42.0.0"],
            ["auth", "5.2.0"],
            ["gateway", "2.7.0"],
          ] as const) {
            await this.push(c, v);
          }
          await this.passing("platform-1");
          await this.passing("web-1");
        },
      },
      {
        name: "web-2 pushes",
        when: (w) => past(w, "web-1", []) && state(w, "web-2") === "boarding",
        run: async () => {
          await this.push("search", "1.5.0");
          await this.passing("web-2");
        },
      },
      {
        name: "late push",
        when: (w) =>
          state(w, "web-2") !== undefined && past(w, "web-2", []) && state(w, "web-3") === "boarding",
        run: async () => {
          await this.push("notifications", "0.9.1", "web-2");
          await this.push("search", "1.5.1");
          // The checkout suite is flaky on this train: CI reports a failure first.
          await this.report("web-3", [
            { name: "api-contract", tests: 148, failures: 0 },
            {
              name: "checkout-flow",
              tests: 36,
              failures: 2,
              message: "timeout waiting for payment sandbox (flaky)",
            },
            { name: "search-relevance", tests: 52, failures: 0 },
          ]);
        },
      },
      {
        name: "rerun flaky tests and retry web-3",
        when: (w) => {
          if (state(w, "web-3") !== "blocked") return false;
          const since = this.blockedSince.get("web-3") ?? w.now;
          this.blockedSince.set("web-3", since);
          return w.now - since >= HOUR;
        },
        run: async (w) => {
          await this.passing("web-3");
          this.options.log("CI re-ran the checkout suite on web-3: 36/36 passed");
          const web3 = w.trains.get("web-3");
          if (web3) await this.post(web3);
          // The new results usually retried it already (as ci-bot); then there is nothing to retry.
          try {
            await this.options.coordinator.request("POST", "/api/v1/trains/web-3/retry", {});
            this.options.log("carol retried web-3");
          } catch (error) {
            if (!(error instanceof ApiError && error.status === 409)) throw error;
          }
        },
      },
      {
        name: "latency alert fires for web-4",
        when: (w) => {
          const web4 = w.trains.get("web-4");
          return (
            web4 !== undefined &&
            (web4.state === "deploying" || web4.state === "verifying") &&
            web4.currentWave === 0
          );
        },
        run: async (w) => {
          this.alertSince = w.now;
          await this.options.alertmanager(latencyAlert(new Date(w.now), null));
          this.options.log("Alertmanager: CheckoutLatencyHigh firing for web-4 (critical)");
        },
      },
      {
        name: "latency alert resolves",
        when: (w) => this.alertSince !== null && w.now - this.alertSince >= HOUR,
        run: async (w) => {
          await this.options.alertmanager(latencyAlert(new Date(this.alertSince ?? w.now), new Date(w.now)));
          this.options.log("Alertmanager: CheckoutLatencyHigh resolved for web-4");
        },
      },
      {
        name: "release board",
        repeat: true,
        when: () => true,
        run: async (w) => {
          for (const train of w.trains.values()) {
            if (train.line !== "platform" || train.state !== "awaiting_approval") continue;
            const since = this.awaitingSince.get(train.id) ?? w.now;
            this.awaitingSince.set(train.id, since);
            const key = (step: string) => `${train.id} ${step}`;
            if (w.now - since >= 2 * HOUR && !this.done.has(key("alice"))) {
              this.done.add(key("alice"));
              await this.approve("alice", train.id, "change list reviewed");
            }
            if (w.now - since >= 4 * HOUR && !this.done.has(key("bob"))) {
              this.done.add(key("bob"));
              if (train.id === "platform-1") await this.approve("alice", train.id, "still fine");
              await this.approve("bob", train.id, "rollback plan checked");
            }
          }
        },
      },
      {
        name: "steady traffic",
        repeat: true,
        when: () => true,
        run: async (w) => {
          for (const train of w.trains.values()) {
            if (train.state !== "boarding") continue;
            const scripted = ["web-1", "web-2", "web-3", "platform-1"].includes(train.id);
            if (!scripted && !this.patched.has(train.id)) {
              this.patched.add(train.id);
              const pool =
                train.line === "web"
                  ? ["search", "notifications", "storefront", "checkout"]
                  : ["gateway", "auth"];
              const pick = pool[train.number % pool.length]!;
              const second = pool[(train.number + 1) % pool.length]!;
              await this.push(pick, this.bump(pick));
              if (train.number % 2 === 0) await this.push(second, this.bump(second));
            }
            if (!this.reported(train.id) && !scripted) await this.passing(train.id);
          }
          for (const train of w.trains.values()) {
            // Trains that only carry held artifacts still get a CI run.
            if (["frozen", "integrating"].includes(train.state) && !this.reported(train.id))
              await this.passing(train.id);
          }
        },
      },
      {
        name: "post test results",
        repeat: true,
        when: () => true,
        run: async (w) => {
          for (const train of w.trains.values()) {
            const state =
              train.state === "blocked" || train.state === "paused" ? train.resumeTo : train.state;
            if (state && ["frozen", "integrating", "gating"].includes(state)) await this.post(train);
          }
        },
      },
      {
        name: "milestones",
        repeat: true,
        when: () => true,
        run: async (w) => {
          const mark = (id: string, s: string, label: string) => {
            if (state(w, id) === s) this.done.add(label);
          };
          mark("web-1", "released", "web-1 released");
          mark("platform-1", "released", "platform-1 released");
          mark("web-2", "rolled_back", "web-2 rolled back");
          mark("web-3", "released", "web-3 released");
          if (this.done.has("latency alert resolves"))
            mark("web-4", "released", "web-4 released after its alert");
          mark("web-6", "rolled_back", "web-6 rolled back");
        },
      },
    ];
  }

  /** One pass: look at the trains and do what the script says is due. */
  async step(trains: Train[]): Promise<void> {
    const world: World = { now: this.options.now().getTime(), trains: new Map(trains.map((t) => [t.id, t])) };
    for (const rule of this.rules) {
      if (!rule.repeat && this.done.has(rule.name)) continue;
      if (!rule.when(world)) continue;
      if (!rule.repeat) this.done.add(rule.name);
      try {
        await rule.run(world);
      } catch (error) {
        this.options.log(`simulator: ${rule.name} failed: ${(error as Error).message}`);
      }
    }
  }
}

const xmlText = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll('"', "&quot;");

/** The suites as a JUnit XML report, one test case per test (the failures first). */
function junitOf(suites: readonly Suite[]): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites name="integration">'];
  for (const suite of suites) {
    lines.push(
      `  <testsuite name="${xmlText(suite.name)}" tests="${suite.tests}" failures="${suite.failures}">`,
    );
    for (let i = 0; i < suite.tests; i++) {
      const name = `${suite.name} case ${i + 1}`;
      lines.push(
        i < suite.failures
          ? `    <testcase classname="${xmlText(suite.name)}" name="${xmlText(name)}" time="0.2"><failure message="${xmlText(suite.message ?? "failed")}"/></testcase>`
          : `    <testcase classname="${xmlText(suite.name)}" name="${xmlText(name)}" time="0.2"/>`,
      );
    }
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return lines.join("\n");
}
