/**
 * The README's run command works: `railyard demo` (what `npm start` runs) plays its whole
 * scenario on a fast simulated clock and exits 0 with `--stop-when-done`. Uses the demo's fixed
 * ports (7300, 7301) and its folder `.railyard/demo/` in the checkout.
 *
 * The same run is searched for leaked secrets: its output, its log, its database and its audit
 * export must hold none of the run's admin token, any Railyard token, the audit signing key or
 * the values of variables the configuration reads secrets from.
 */
import { execFile, spawn } from "node:child_process";
import { createPrivateKey } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import BetterSqlite3 from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { RAILYARD_BIN, REPO_ROOT } from "../support/serve-process.js";

const run = promisify(execFile);
const DEMO = path.join(REPO_ROOT, ".railyard", "demo");

/** What a Railyard token looks like (`ry_` + 256 bits base64url is 43 characters). */
const TOKEN_PATTERN = /ry_[A-Za-z0-9_-]{40,}/g;

interface Secret {
  /** What it is, for the failure message (never the secret itself). */
  name: string;
  value: string;
}

interface Place {
  name: string;
  text: string;
}

/**
 * Where each secret (and anything shaped like a Railyard token) appears: one message per finding
 * naming the secret and the place, without the secret's text.
 */
function findLeaks(secrets: readonly Secret[], places: readonly Place[]): string[] {
  const found: string[] = [];
  for (const place of places) {
    for (const secret of secrets) {
      if (secret.value.length > 0 && place.text.includes(secret.value))
        found.push(`${secret.name} appears in ${place.name}`);
    }
    const tokens = place.text.match(TOKEN_PATTERN) ?? [];
    if (tokens.length > 0) found.push(`${tokens.length} Railyard token(s) (ry_…) appear in ${place.name}`);
  }
  return found;
}

/** The names of the variables the configuration reads from (`*FromEnv`, `secretEnv`), anywhere in it. */
function secretVariables(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) secretVariables(item, into);
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (/FromEnv$/.test(key) || key === "secretEnv") {
        if (typeof value === "string") into.add(value);
        else if (value && typeof value === "object")
          for (const v of Object.values(value)) if (typeof v === "string") into.add(v);
      } else secretVariables(value, into);
    }
  }
  return into;
}

/** The private key as it could leak: each base64 line of its PEM, and its raw seed in common encodings. */
function privateKeySecrets(pem: string): Secret[] {
  const lines = pem
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith("-----"));
  const seed = Buffer.from(createPrivateKey(pem).export({ format: "jwk" }).d ?? "", "base64url");
  return [
    ...lines.map((value, i) => ({ name: `the audit signing key (PEM line ${i + 1})`, value })),
    { name: "the audit signing key (raw, base64)", value: seed.toString("base64").replace(/=+$/, "") },
    { name: "the audit signing key (raw, base64url)", value: seed.toString("base64url") },
    { name: "the audit signing key (raw, hex)", value: seed.toString("hex") },
  ];
}

describe("the leak search", () => {
  it("finds a token, a named secret, and nothing in clean text", () => {
    const fake = `ry_${Buffer.alloc(32, 7).toString("base64url")}`;
    const secrets = [{ name: "the admin token", value: "ry_admin-secret" }];
    expect(findLeaks(secrets, [{ name: "stdout", text: `pushed with token ${fake}\n` }])).toEqual([
      "1 Railyard token(s) (ry_…) appear in stdout",
    ]);
    expect(findLeaks(secrets, [{ name: "the log", text: "auth ry_admin-secret ok" }])).toEqual([
      "the admin token appears in the log",
    ]);
    expect(findLeaks(secrets, [{ name: "stdout", text: "token tok_abc, hash 9f86d08" }])).toEqual([]);
    // The message names the secret, never its text.
    expect(findLeaks(secrets, [{ name: "x", text: `${fake} ry_admin-secret` }]).join(" ")).not.toMatch(
      /ry_[A-Za-z0-9]/,
    );
  });

  it("finds the variables the example configuration reads secrets from", async () => {
    const config = parse(await readFile(path.join(REPO_ROOT, "examples", "railyard.yaml"), "utf8"));
    expect(secretVariables(config)).toContain("RAILYARD_RELEASES_WEBHOOK_URL");
  });
});

/** A canary gate's recorded detail, as far as this test reads it. */
interface CanaryEvidence {
  status: string;
  detail: {
    kind: string;
    score: number;
    criticalFailure: string | null;
    metrics: Array<{
      name: string;
      baseline: { points: Array<[number, number]> };
      canary: { points: Array<[number, number]> };
    }>;
  };
}

/**
 * What the web line's Prometheus-backed gates and measurement recorded in the demo's database:
 * each web train's last canary analysis, the count of SLO-based gate evaluations (slo,
 * prometheus, canary) and of those that passed in the period, and the measured error ratios.
 */
function readWebPrometheusEvidence(
  database: string,
  period: { from: string; to: string },
): {
  canary: Map<string, CanaryEvidence>;
  slo: { all: number; passed: number };
  measured: Array<{ before: number; after: number }>;
} {
  const db = new BetterSqlite3(database, { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT e.type, e.train_id, e.time, e.payload FROM events e JOIN trains t ON t.id = e.train_id
         WHERE t.line = 'web' AND e.type IN ('gate.evaluated', 'release.measured') ORDER BY e.id`,
      )
      .all() as Array<{ type: string; train_id: string; time: string; payload: string }>;
    const canary = new Map<string, CanaryEvidence>();
    const slo = { all: 0, passed: 0 };
    const measured: Array<{ before: number; after: number }> = [];
    for (const row of rows) {
      if (row.time < period.from || row.time >= period.to) continue;
      const payload = JSON.parse(row.payload) as Record<string, unknown>;
      if (row.type === "release.measured") {
        if (typeof payload.before === "number" && typeof payload.after === "number")
          measured.push({ before: payload.before, after: payload.after });
        continue;
      }
      if (!["slo", "prometheus", "canary"].includes(String(payload.type))) continue;
      slo.all += 1;
      if (payload.status === "passed") slo.passed += 1;
      if (payload.type === "canary")
        canary.set(row.train_id, {
          status: String(payload.status),
          detail: payload.detail as CanaryEvidence["detail"],
        });
    }
    return { canary, slo, measured };
  } finally {
    db.close();
  }
}

describe("the demo", () => {
  it("shows trains boarding, held, approved, released, rolled back (by a health check and by a canary analysis), retried and paused by an alert, leaking no secret", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
    // The demo makes its own signing key unless one is set.
    delete env.RAILYARD_AUDIT_SIGNING_KEY;
    const child = spawn(
      process.execPath,
      [RAILYARD_BIN, "demo", "--stop-when-done", "--rate", "7200", "--timeout", "150"],
      { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(code, out).toBe(0);
    for (const line of [
      /web-1 +held api 3\.0\.0 → rides web-2 +api 3\.0\.0 held: needs db >=42\.0\.0, db has never been released and did not board/,
      /web-1 +released/,
      /alice approved platform-1 again \(counts once\): 1 of 2/,
      /platform-1 +deploying +approved by alice, bob/,
      /platform-1 +released/,
      /web-2 +rolling_back +gate health failed in wave canary/,
      /web-2 +reverted search in eu-west to 1\.4\.0/,
      /web-2 +rolled_back/,
      /notifications 0\.9\.1 boarded web-3 \(.*\) instead/,
      /CI posted integration results for web-3: 234\/236 passed/,
      /web-3 +blocked +gate integration-tests failed: pass rate 99\.15% \(234 of 236\), minimum 100%: failed; checkout-flow\.checkout-flow case 1: timeout waiting for payment sandbox/,
      /web-3 +gating +retried by ci-bot/,
      /web-3 +released/,
      /Alertmanager: CheckoutLatencyHigh firing for web-4 \(critical\)/,
      /web-4 +incident inc-web-4-[0-9a-f]{8} \(critical\): CheckoutLatencyHigh/,
      /web-4 +paused +incident inc-web-4-[0-9a-f]{8} \(CheckoutLatencyHigh/,
      /slack: web-4 paused \(incident\)/,
      /web-4 +incident resolved inc-web-4-[0-9a-f]{8} +every alert resolved/,
      /web-4 +deploying +incident inc-web-4-[0-9a-f]{8} resolved/,
      /web-4 +released/,
      /slack: web-2 rolled back: gate health failed in wave canary/,
      // The stand-in Prometheus serves storefront 4.0.1's canary slower than its baseline.
      /web-6 +rolling_back +gate canary-analysis failed in wave canary: critical metric "p99 latency" is high \(mean ratio 1\.\d+\): score 0: fail/,
      /web-6 +rolled_back/,
    ]) {
      expect(out).toMatch(line);
    }
    // Every request the simulated world made was allowed; no simulator step failed.
    expect(out).not.toMatch(/^demo: |simulator: .* failed/m);
    expect(out).toContain("export RAILYARD_TOKEN=$(cat .railyard/demo/admin-token)");
    expect(out).toContain(
      'RAILYARD_AUDIT_SIGNING_KEY="$(cat .railyard/demo/audit-signing-key.pem)" npx railyard audit export --database .railyard/demo/railyard.db -o audit.jsonl',
    );
    expect(out).toContain(
      "npx railyard audit verify --export audit.jsonl --public-key .railyard/demo/audit-public-key.pem",
    );

    const gitops = path.join(DEMO, "gitops.git");
    const log = await run("git", ["--git-dir", gitops, "log", "--format=%s"]);
    expect(log.stdout).toContain("rollback search in eu-west (train web-2, wave canary)");
    const database = path.join(DEMO, "railyard.db");
    const verify = await run(process.execPath, [RAILYARD_BIN, "audit", "verify", "--database", database], {
      cwd: REPO_ROOT,
    });
    expect(verify.stdout).toMatch(/intact/);

    // The release metrics of the demo, offline from its database, against counts made here from
    // the trains and events tables.
    const db = new BetterSqlite3(database, { readonly: true });
    let expected: { released: number; rolledBack: number; aborted: number; departed: number };
    let period: { from: string; to: string };
    try {
      const states = new Map(
        (
          db.prepare("SELECT state, count(*) AS n FROM trains GROUP BY state").all() as Array<{
            state: string;
            n: number;
          }>
        ).map((r) => [r.state, r.n]),
      );
      const departed = new Set<string>();
      for (const row of db
        .prepare("SELECT train_id, payload FROM events WHERE type = 'train.transitioned'")
        .all() as Array<{ train_id: string; payload: string }>) {
        if ((JSON.parse(row.payload) as { event: string }).event === "depart") departed.add(row.train_id);
      }
      expected = {
        released: states.get("released") ?? 0,
        rolledBack: states.get("rolled_back") ?? 0,
        aborted: states.get("aborted") ?? 0,
        departed: departed.size,
      };
      const span = db.prepare("SELECT min(time) AS first, max(time) AS last FROM events").get() as {
        first: string;
        last: string;
      };
      period = { from: span.first, to: new Date(Date.parse(span.last) + 1000).toISOString() };
    } finally {
      db.close();
    }
    // The scenario above released web-1, platform-1 and web-3 and rolled web-2 and web-6 back, at least.
    expect(expected.released).toBeGreaterThanOrEqual(3);
    expect(expected.rolledBack).toBeGreaterThanOrEqual(2);
    const metrics = await run(
      process.execPath,
      [
        RAILYARD_BIN,
        "metrics",
        "--database",
        database,
        "-c",
        path.join(REPO_ROOT, "examples", "railyard.yaml"),
        "--from",
        period.from,
        "--to",
        period.to,
        "--json",
      ],
      { cwd: REPO_ROOT, env },
    );
    const report = JSON.parse(metrics.stdout) as {
      total: { trains: Record<string, number>; m1ReleaseSuccessRate: { denominator: number } };
    };
    expect(report.total.trains).toMatchObject(expected);
    expect(report.total.m1ReleaseSuccessRate.denominator).toBe(
      expected.released + expected.rolledBack + expected.aborted,
    );

    // The web line's Prometheus gates and measurement, against the demo's stand-in Prometheus:
    // every web train that verified its canary wave recorded a canary analysis with the series of
    // both variants, and the SLO gate, the analyses and the error rate around each release feed
    // M6 and M5 (counted here from the events table).
    const web = readWebPrometheusEvidence(database, period);
    for (const train of ["web-1", "web-3", "web-4"]) {
      const analysis = web.canary.get(train);
      expect(analysis, `${train} has no canary analysis`).toBeDefined();
      expect(analysis!.status, train).toBe("passed");
      expect(analysis!.detail.kind).toBe("canary");
      expect(analysis!.detail.metrics.map((m) => m.name)).toEqual(["error ratio", "p99 latency"]);
      for (const metric of analysis!.detail.metrics) {
        expect(metric.baseline.points.length, `${train} ${metric.name} baseline`).toBeGreaterThan(10);
        expect(metric.canary.points.length, `${train} ${metric.name} canary`).toBeGreaterThan(10);
      }
    }
    // search 1.5.0 fails every request path of eu-west alike: the judge sees no difference
    // between the variants (both around 12%), the health check's absolute threshold does.
    const web2 = web.canary.get("web-2");
    expect(web2?.status).toBe("passed");
    const errors = web2!.detail.metrics.find((m) => m.name === "error ratio")!;
    for (const points of [errors.baseline.points, errors.canary.points])
      expect(points.reduce((sum, [, v]) => sum + v, 0) / points.length).toBeGreaterThan(0.1);
    expect(web.canary.get("web-6")).toMatchObject({
      status: "failed",
      detail: { criticalFailure: "p99 latency", score: 0 },
    });
    expect(web.slo.passed).toBeGreaterThan(0);
    expect(web.measured.length).toBeGreaterThan(0);
    const webMetrics = await run(
      process.execPath,
      [
        RAILYARD_BIN,
        "metrics",
        "--database",
        database,
        "-c",
        path.join(REPO_ROOT, "examples", "railyard.yaml"),
        "--line",
        "web",
        "--from",
        period.from,
        "--to",
        period.to,
        "--json",
      ],
      { cwd: REPO_ROOT, env },
    );
    const webReport = JSON.parse(webMetrics.stdout) as {
      total: {
        m5ErrorRateDelta: { trains: number; mean: number | null; worst: number | null };
        m6SloCompliance: { value: number | null; numerator: number; denominator: number };
      };
    };
    const deltas = web.measured.map((m) => m.after - m.before);
    expect(webReport.total.m5ErrorRateDelta.trains).toBe(deltas.length);
    expect(webReport.total.m5ErrorRateDelta.mean).toBeCloseTo(
      deltas.reduce((sum, d) => sum + d, 0) / deltas.length,
      12,
    );
    expect(webReport.total.m5ErrorRateDelta.worst).toBeCloseTo(Math.max(...deltas), 12);
    expect(webReport.total.m6SloCompliance).toMatchObject({
      numerator: web.slo.passed,
      denominator: web.slo.all,
    });
    expect(webReport.total.m6SloCompliance.value).not.toBeNull();
    expect(web.slo.passed).toBeLessThan(web.slo.all);

    // The secret files: only their owner may read them.
    const tokenFile = path.join(DEMO, "admin-token");
    const keyFile = path.join(DEMO, "audit-signing-key.pem");
    const publicKeyFile = path.join(DEMO, "audit-public-key.pem");
    for (const file of [tokenFile, keyFile]) {
      expect(((await stat(file)).mode & 0o777).toString(8), file).toBe("600");
    }
    const adminToken = (await readFile(tokenFile, "utf8")).trim();
    expect(adminToken).toMatch(/^ry_[A-Za-z0-9_-]{43}$/);
    const privateKey = await readFile(keyFile, "utf8");

    // The audit export, as the banner suggests: sealed with the run's key, checked with its public half.
    const scratch = await mkdtemp(path.join(tmpdir(), "railyard-demo-test-"));
    try {
      const exportFile = path.join(scratch, "audit.jsonl");
      const exported = await run(
        process.execPath,
        [RAILYARD_BIN, "audit", "export", "--database", database, "-o", exportFile],
        { cwd: REPO_ROOT, env: { ...env, RAILYARD_AUDIT_SIGNING_KEY: privateKey } },
      );
      const exportText = await readFile(exportFile, "utf8");
      expect(exportText).toMatch(/"kind":"checkpoint"/);
      expect(exportText).toMatch(/"kind":"seal"/);
      const verifyExport = await run(
        process.execPath,
        [RAILYARD_BIN, "audit", "verify", "--export", exportFile, "--public-key", publicKeyFile],
        { cwd: REPO_ROOT, env },
      );
      expect(verifyExport.stdout).toMatch(/intact/);

      const config = parse(await readFile(path.join(REPO_ROOT, "examples", "railyard.yaml"), "utf8"));
      const variables = secretVariables(config);
      variables.add("RAILYARD_AUDIT_SIGNING_KEY");
      const secrets: Secret[] = [
        { name: "the admin token (.railyard/demo/admin-token)", value: adminToken },
        ...privateKeySecrets(privateKey),
        // Values the demo's environment gives the variables the configuration reads secrets from.
        ...[...variables]
          .filter((name) => (env[name] ?? "").trim().length >= 8)
          .map((name) => ({ name: `the value of ${name}`, value: env[name]!.trim() })),
      ];
      const places: Place[] = [
        { name: "the demo's standard output", text: stdout },
        { name: "the demo's standard error", text: stderr },
        {
          name: ".railyard/demo/railyard.log",
          text: await readFile(path.join(DEMO, "railyard.log"), "utf8"),
        },
        { name: "the audit export", text: exportText },
        { name: "the audit export's messages", text: exported.stdout + exported.stderr },
      ];
      // The database holds tokens only as hashes (binary search of the file and its journal).
      for (const file of [database, `${database}-wal`]) {
        if (existsSync(file))
          places.push({
            name: path.relative(REPO_ROOT, file),
            text: (await readFile(file)).toString("latin1"),
          });
      }
      expect(findLeaks(secrets, places)).toEqual([]);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }, 180_000);
});
