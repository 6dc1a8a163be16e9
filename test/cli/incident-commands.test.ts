/**
 * `railyard incident open|list|show|postmortem` against a running server (SQLite): a coordinator
 * opens an incident for the train rolling out, Alertmanager groups two alerts into another, and
 * the CLI lists them with severity, source and train, shows one with its alerts, and writes the
 * postmortem draft to a file; text and `--json`; a member is refused and nothing changes.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Incident, IncidentAlert } from "../../src/domain/model.js";
import { type CliResult, runCli } from "../support/cli.js";
import { commitOf } from "../support/scenario.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { createWorld, type World } from "../support/world.js";

const TOKEN_ENV = "RAILYARD_TEST_ALERTMANAGER_TOKEN";
const TOKEN = "am-cli-secret-2c4e";

describe("railyard incident (sqlite)", () => {
  let world: World;
  let server: TestServer;
  let dir: string;
  const tokens = { cora: "", ann: "", viewer: "" };

  beforeAll(async () => {
    process.env[TOKEN_ENV] = TOKEN;
    dir = await mkdtemp(path.join(tmpdir(), "railyard-incident-cli-"));
    world = await createWorld({ top: `webhooks: { alertmanager: { tokenFromEnv: ${TOKEN_ENV} } }\n` });
    server = await startTestServer(world, "sqlite");
    tokens.cora = await server.token("cora", ["coordinator"]);
    tokens.ann = await server.token("ann", ["member"]);
    tokens.viewer = await server.token("vic", ["viewer"]);
    await server.advance("0s");
    for (const component of ["db", "api", "web"]) {
      const pushed = await server.request("POST", "/api/v1/artifacts", {
        component,
        version: "1.0.0",
        commit: commitOf(component, "1.0.0"),
      });
      expect(pushed.status).toBe(201);
    }
    await server.advance("2h");
    await server.advance("2h"); // 09:00 on 2 March: shop-1 departed, verifying wave eu
  }, 120_000);
  afterAll(async () => {
    await server?.cleanup();
    await world?.cleanup();
    await rm(dir, { recursive: true, force: true });
    delete process.env[TOKEN_ENV];
  });

  const cli = (args: string[], token: string = tokens.viewer): Promise<CliResult> =>
    runCli(["--server", server.url, ...args], { env: { RAILYARD_TOKEN: token } });
  const ok = (result: CliResult) => {
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    return result.stdout;
  };

  let manual: Incident;

  it("opens an incident by hand; a member may not", async () => {
    const refused = await cli(["incident", "open", "--line", "shop", "--title", "x"], tokens.ann);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "ann may not open incidents: it needs one of the roles coordinator, admin",
    );
    const badSeverity = await cli(
      ["incident", "open", "--line", "shop", "--title", "x", "--severity", "page"],
      tokens.cora,
    );
    expect(badSeverity.code).not.toBe(0);
    expect(badSeverity.stderr).toContain("Allowed choices are critical, warning, info");
    expect((await server.request<Incident[]>("GET", "/api/v1/incidents")).body).toEqual([]);

    manual = JSON.parse(
      ok(
        await cli(
          [
            "incident",
            "open",
            "--json",
            "--line",
            "shop",
            "--train",
            "shop-1",
            "--title",
            "checkout 5xx in eu",
            "--severity",
            "warning",
            "--component",
            "api",
            "--environment",
            "eu",
            "--detail",
            "seen by support",
          ],
          tokens.cora,
        ),
      ),
    ) as Incident;
    expect(manual).toMatchObject({
      line: "shop",
      trainId: "shop-1",
      title: "checkout 5xx in eu",
      severity: "warning",
      source: "manual",
      component: "api",
      environment: "eu",
      detail: "seen by support",
      openedBy: "cora",
      status: "open",
    });
    const text = ok(
      await cli(
        ["incident", "open", "--line", "shop", "--title", "search is slow", "--severity", "info"],
        tokens.cora,
      ),
    );
    expect(text).toMatch(/^opened inc-shop-[0-9a-f]{8} \(info\) on line shop\n$/);
  });

  it("lists incidents with severity, source and train, and shows one with its alerts", async () => {
    const fixture = JSON.parse(
      readFileSync(path.join(import.meta.dirname, "../fixtures/alertmanager/firing-two-alerts.json"), "utf8"),
    );
    const delivered = await server.send("POST", "/api/v1/webhooks/alertmanager", JSON.stringify(fixture), {
      "content-type": "application/json",
      authorization: `Bearer ${TOKEN}`,
    });
    expect(delivered.status).toBe(200);

    const listed = JSON.parse(ok(await cli(["incident", "list", "--json"]))) as Incident[];
    expect(listed).toHaveLength(3);
    const fromAlerts = listed.find((i) => i.source === "alertmanager")!;
    expect(fromAlerts).toMatchObject({ trainId: "shop-1", severity: "critical" });

    const lines = ok(await cli(["incident", "list", "--line", "shop"]))
      .trimEnd()
      .split("\n");
    expect(lines[0]).toMatch(/^ID\s+LINE\s+TRAIN\s+SEVERITY\s+SOURCE\s+OPENED\s+STATE\s+TITLE$/);
    expect(lines.find((l) => l.startsWith(manual.id))).toMatch(
      new RegExp(`^${manual.id}\\s+shop\\s+shop-1\\s+warning\\s+manual\\s+.+\\s+open\\s+checkout 5xx in eu$`),
    );
    expect(lines.find((l) => l.startsWith(fromAlerts.id))).toMatch(/\sshop-1\s+critical\s+alertmanager\s/);
    // Not a TTY: no colour.
    expect(lines.join("\n")).not.toContain("\u001b[");

    const shown = JSON.parse(ok(await cli(["incident", "show", fromAlerts.id, "--json"]))) as {
      incident: Incident;
      alerts: IncidentAlert[];
    };
    expect(shown.incident.id).toBe(fromAlerts.id);
    expect(shown.alerts.map((a) => a.alertname)).toEqual(["HighErrorRate", "HighLatency"]);
    const text = ok(await cli(["incident", "show", fromAlerts.id]));
    expect(text).toMatch(/^Source\s+alertmanager$/m);
    expect(text).toMatch(/^Train\s+shop-1$/m);
    expect(text).toMatch(/^ALERT\s+SEVERITY\s+STATUS\s+STARTED\s+ENDED\s+FINGERPRINT$/m);
    expect(text).toMatch(/^HighErrorRate\s+critical\s+firing\s/m);
    expect(text).toMatch(/^HighLatency\s+critical\s+firing\s/m);

    const manualShown = ok(await cli(["incident", "show", manual.id]));
    expect(manualShown).toContain("no alerts grouped into it");
    const missing = await cli(["incident", "show", "inc-none"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no incident "inc-none"');
  });

  it("writes the postmortem draft to a file, or prints it", async () => {
    const file = path.join(dir, "pm.md");
    const said = ok(await cli(["incident", "postmortem", manual.id, "-o", file]));
    expect(said).toBe(`wrote the postmortem draft of ${manual.id} to ${file}\n`);
    const md = await readFile(file, "utf8");
    expect(md.startsWith("# Postmortem draft: checkout 5xx in eu\n")).toBe(true);
    expect(md).toContain("| 2026-03-02 09:00:00 | wave | departed: wave 1 started |");
    expect(md).toContain("## Root causes and mitigation actions tied to train process");
    const printed = ok(await cli(["incident", "postmortem", manual.id]));
    expect(printed).toBe(md);
    const json = JSON.parse(ok(await cli(["incident", "postmortem", manual.id, "--json"]))) as {
      id: string;
      markdown: string;
    };
    expect(json).toEqual({ id: manual.id, markdown: md });
    const missing = await cli(["incident", "postmortem", "inc-none"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no incident "inc-none"');
  });

  it("has examples in its help", async () => {
    for (const sub of ["open", "show", "list", "postmortem"]) {
      expect(ok(await cli(["incident", sub, "--help"]))).toContain("Example:");
    }
    expect(ok(await cli(["incident", "--help"]))).toContain("from Alertmanager alerts");
  });
});
