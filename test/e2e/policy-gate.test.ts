/**
 * The policy gate end to end, on both databases: a CEL expression over the train judged by the
 * engine from what the store records — an SBOM policy failing, then passing once a real
 * CycloneDX SBOM is pushed and the train retried; a policy on the train and the size of its
 * manifest; the deployment window; and a runtime error ending the gate `error`.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Artifact, GateResult } from "../../src/domain/model.js";
import { DIALECTS } from "../support/dialects.js";
import { commitOf, useWorldScenario } from "../support/scenario.js";
import { REPO_ROOT } from "../support/serve-process.js";
import type { TestServer } from "../support/server.js";

const CYCLONEDX = path.join(
  REPO_ROOT,
  "test/fixtures/scanner-reports/cyclonedx/trivy-npm-cyclonedx.json.golden.json",
);

for (const dialect of DIALECTS) {
  describe(`${dialect}: the policy gate`, () => {
    const { setup, board, detail } = useWorldScenario(dialect);

    const lastGate = async (s: TestServer): Promise<GateResult> => (await detail(s, "shop-1")).gates.at(-1)!;

    it("fails while a component has no SBOM, and passes once one is pushed and the train retried", async () => {
      const { server: s } = await setup({
        gates:
          '      - { name: sbom, type: policy, expression: "manifest.all(c, c.sbom)", message: "every component needs an SBOM", timeout: 30s }',
      });
      const pushed = await s.request<{ artifact: Artifact }>("POST", "/api/v1/artifacts", {
        component: "db",
        version: "1.0.0",
        commit: commitOf("db", "1.0.0"),
      });
      expect(pushed.status).toBe(201);
      await s.advance("2h");

      let d = await detail(s, "shop-1");
      expect(d.train).toMatchObject({
        state: "blocked",
        resumeTo: "gating",
        reason: "gate sbom failed: every component needs an SBOM: fail",
      });
      let gate = await lastGate(s);
      expect(gate).toMatchObject({ gate: "sbom", type: "policy", status: "failed", verdict: "fail" });
      expect(gate.output.split("\n").slice(0, 4)).toEqual([
        "every component needs an SBOM: fail",
        "expression: manifest.all(c, c.sbom)",
        "values read:",
        "  manifest[db].sbom = false",
      ]);
      expect(gate.output).toContain(
        `  db 1.0.0 (new): commit ${commitOf("db", "1.0.0").slice(0, 7)}; CI none; SBOM no; reports none; findings none`,
      );

      const report = await s.send(
        "POST",
        `/api/v1/artifacts/${pushed.body.artifact.id}/reports`,
        await readFile(CYCLONEDX),
        { "content-type": "application/json", authorization: "Bearer test-admin-token" },
      );
      expect(report.status, JSON.stringify(report.body)).toBe(201);
      await s.request("POST", "/api/v1/trains/shop-1/retry", {});
      await s.advance("0s");

      d = await detail(s, "shop-1");
      expect(d.train.state).toBe("awaiting_approval");
      gate = await lastGate(s);
      expect(gate).toMatchObject({ gate: "sbom", status: "passed", verdict: "pass", attempt: 2 });
      expect(gate.output.split("\n").slice(0, 4)).toEqual([
        "every component needs an SBOM: pass",
        "expression: manifest.all(c, c.sbom)",
        "values read:",
        "  manifest[db].sbom = true",
      ]);
      expect(gate.output).toMatch(
        / {2}db 1\.0\.0 \(new\): commit \w{7}; CI none; SBOM yes; reports vulnerabilities; findings /,
      );
    });

    it("passes a policy on the train's kind and the size of its manifest", async () => {
      const { server: s } = await setup({
        gates:
          "      - { name: small, type: policy, expression: \"train.kind == 'scheduled' && manifest.size() <= 3\", timeout: 30s }",
      });
      await board(s, { db: "1.0.0", api: "1.0.0", web: "1.0.0" });
      await s.advance("2h");

      expect((await detail(s, "shop-1")).train.state).toBe("awaiting_approval");
      const gate = await lastGate(s);
      expect(gate).toMatchObject({ gate: "small", type: "policy", status: "passed", verdict: "pass" });
      expect(gate.output.split("\n").slice(0, 5)).toEqual([
        "policy \"train.kind == 'scheduled' && manifest.size() <= 3\" is true: pass",
        "expression: train.kind == 'scheduled' && manifest.size() <= 3",
        "values read:",
        '  train.kind = "scheduled"',
        "  manifest = 3 elements: api, db, web",
      ]);
      expect(gate.output).toMatch(/\nmanifest of shop-1 \(revision \d+, 3 components\):\n/);
    });

    it("reads the deployment window of the wave the train deploys next", async () => {
      const { server: s } = await setup({
        gates: '      - { name: window, type: policy, expression: "window.open", timeout: 30s }',
        line: '    window: [{ days: [SA], from: "10:00", to: "12:00" }]\n',
      });
      await board(s, { db: "1.0.0" });
      await s.advance("2h");

      const gate = await lastGate(s);
      expect(gate).toMatchObject({ gate: "window", status: "failed", verdict: "fail" });
      expect(gate.output.split("\n").slice(0, 4)).toEqual([
        'policy "window.open" is false: fail',
        "expression: window.open",
        "values read:",
        "  window.open = false",
      ]);
    });

    it("ends the gate with verdict error when the expression fails at run time", async () => {
      const { server: s } = await setup({
        gates:
          "      - { name: smoke-first, type: policy, expression: \"gates.smoke.verdict == 'pass'\", timeout: 30s }",
      });
      await board(s, { db: "1.0.0" });
      await s.advance("2h");

      expect((await detail(s, "shop-1")).train).toMatchObject({ state: "blocked", resumeTo: "gating" });
      const gate = await lastGate(s);
      expect(gate).toMatchObject({ gate: "smoke-first", status: "failed", verdict: "error" });
      expect(gate.output.split("\n")[0]).toBe(
        "policy \"gates.smoke.verdict == 'pass'\": error (1:6: field not found: smoke)",
      );
      expect(gate.output).toContain('  gates["smoke"] is absent');
    });
  });
}
