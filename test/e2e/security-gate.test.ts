/**
 * The security gate end to end, on both databases: a real Trivy report pushed for an artifact,
 * the gate blocking with each finding and its fix version, a waiver on the record letting it
 * pass, an expired waiver counting no more, and a malformed report refused with nothing stored.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Artifact, GateResult, Waiver } from "../../src/domain/model.js";
import { DIALECTS } from "../support/dialects.js";
import { commitOf, useWorldScenario } from "../support/scenario.js";
import { REPO_ROOT } from "../support/serve-process.js";
import type { TestServer } from "../support/server.js";

const TRIVY = path.join(REPO_ROOT, "test/fixtures/scanner-reports/trivy/alpine-310.json.golden.json");

for (const dialect of DIALECTS) {
  describe(`${dialect}: the security gate`, () => {
    const { setup, detail } = useWorldScenario(dialect);

    async function pushScanned(s: TestServer): Promise<string> {
      const pushed = await s.request<{ artifact: Artifact }>("POST", "/api/v1/artifacts", {
        component: "db",
        version: "1.0.0",
        commit: commitOf("db", "1.0.0"),
      });
      const id = pushed.body.artifact.id;
      const report = await s.send(
        "POST",
        `/api/v1/artifacts/${id}/reports?name=trivy`,
        await readFile(TRIVY),
        {
          "content-type": "application/json",
          authorization: "Bearer test-admin-token",
        },
      );
      expect(report.status, JSON.stringify(report.body)).toBe(201);
      return id;
    }

    const lastGate = async (s: TestServer): Promise<GateResult> => (await detail(s, "shop-1")).gates.at(-1)!;

    it("blocks on findings over the limit, names them with their fix, and passes once one is waived", async () => {
      const { server: s } = await setup({
        gates: "      - { name: scan, type: security, max: { medium: 2 }, timeout: 30s }",
      });
      await pushScanned(s);
      // A waiver that has expired by the time the gate runs counts no more.
      const early = await s.request<Waiver>("POST", "/api/v1/waivers", {
        component: "db",
        finding: "CVE-2019-1551",
        justification: "only until the cut-off",
        expires: "1h",
      });
      expect(early.status).toBe(201);
      await s.advance("2h");

      let d = await detail(s, "shop-1");
      expect(d.train).toMatchObject({ state: "blocked", resumeTo: "gating" });
      let gate = await lastGate(s);
      expect(gate).toMatchObject({ gate: "scan", type: "security", status: "failed", verdict: "fail" });
      expect(gate.output.split("\n")[0]).toBe(
        "4 findings break medium ≤ 2: CVE-2019-1549 medium in libcrypto1.1 (db; fix 1.1.1d-r0), …",
      );
      expect(gate.output).toContain(
        "CVE-2019-1551 medium libssl1.1 1.1.1c-r0 → fix 1.1.1d-r2 (db 1.0.0, trivy)",
      );
      expect(d.train.reason).toContain("gate scan failed: 4 findings break medium ≤ 2");

      const member = await s.token("ann", ["member"]);
      const refused = await s.request(
        "POST",
        "/api/v1/waivers",
        { component: "db", finding: "CVE-2019-1551", justification: "x", expires: "30d" },
        member,
      );
      expect(refused.status).toBe(403);
      const waiver = await s.request<Waiver>("POST", "/api/v1/waivers", {
        component: "db",
        finding: "CVE-2019-1551",
        justification: "OpenSSL DoS needs a client certificate we never accept",
        expires: "30d",
      });
      expect(waiver.status).toBe(201);
      const again = await s.request("POST", "/api/v1/waivers", {
        component: "db",
        finding: "CVE-2019-1551",
        justification: "twice",
        expires: "30d",
      });
      expect(again.status).toBe(409);

      // The waiver is new evidence: the blocked train is retried by itself and passes.
      expect((await detail(s, "shop-1")).train).toMatchObject({
        state: "gating",
        reason: "retried by admin",
      });
      await s.advance("0s");
      d = await detail(s, "shop-1");
      expect(d.train.state).toBe("awaiting_approval");
      gate = await lastGate(s);
      expect(gate).toMatchObject({ status: "passed", verdict: "pass" });
      expect(gate.output).toContain(
        "CVE-2019-1551 medium libcrypto1.1 1.1.1c-r0 → fix 1.1.1d-r2 (db 1.0.0, trivy): waived by admin until",
      );

      const listed = await s.request<Waiver[]>("GET", "/api/v1/waivers?all=true");
      expect(listed.body.map((w) => [w.finding, w.justification])).toEqual([
        ["CVE-2019-1551", "only until the cut-off"],
        ["CVE-2019-1551", "OpenSSL DoS needs a client certificate we never accept"],
      ]);
      const revoked = await s.request<Waiver>("POST", `/api/v1/waivers/${waiver.body.id}/revoke`, {
        reason: "client certificates are accepted now",
      });
      expect(revoked.body).toMatchObject({
        revokedBy: "admin",
        revokeReason: "client certificates are accepted now",
      });
      expect((await s.request<Waiver[]>("GET", "/api/v1/waivers")).body).toEqual([]);
    });

    it("is inconclusive without a scan, and refuses a truncated report, storing nothing", async () => {
      const { server: s } = await setup({
        gates: "      - { name: scan, type: security, maxSeverity: high, timeout: 30s }",
      });
      const pushed = await s.request<{ artifact: Artifact }>("POST", "/api/v1/artifacts", {
        component: "db",
        version: "1.0.0",
        commit: commitOf("db", "1.0.0"),
      });
      const id = pushed.body.artifact.id;
      const text = await readFile(TRIVY, "utf8");
      const truncated = await s.send<{ detail: string }>(
        "POST",
        `/api/v1/artifacts/${id}/reports`,
        text.slice(0, text.length / 2),
        { "content-type": "application/json", authorization: "Bearer test-admin-token" },
      );
      expect(truncated.status).toBe(400);
      expect(truncated.body.detail).toMatch(/JSON/);
      expect((await s.request<unknown[]>("GET", `/api/v1/artifacts/${id}/reports`)).body).toEqual([]);
      await s.advance("2h");
      const gate = await lastGate(s);
      expect(gate).toMatchObject({ status: "failed", verdict: "inconclusive" });
      expect(gate.output.split("\n")[0]).toBe(
        "no vulnerability report for db 1.0.0: push a Grype, Trivy, SARIF or CycloneDX scan",
      );
    });
  });
}
