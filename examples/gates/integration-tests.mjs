#!/usr/bin/env node
// The demo's integration-test gate: reads the test results CI reported for this train
// (the demo's simulated CI writes them as JSON under .railyard/demo/ci/) and fails when a
// test failed or none were reported. A real setup would parse JUnit XML from its CI here.
import { readFileSync } from "node:fs";
import path from "node:path";

const train = process.env.RAILYARD_TRAIN_ID;
const dir = process.env.RAILYARD_DEMO_CI_DIR ?? path.resolve("..", ".railyard", "demo", "ci");
const file = path.join(dir, `${train}.json`);
let results;
try {
  results = JSON.parse(readFileSync(file, "utf8"));
} catch {
  console.error(`no test results reported by CI for ${train} (expected ${file})`);
  process.exit(1);
}
const manifest = JSON.parse(process.env.RAILYARD_MANIFEST ?? "[]");
console.log(
  `integration tests for ${train}: ${manifest.map((m) => `${m.component} ${m.version}`).join(", ")}`,
);
for (const suite of results.suites) {
  const mark = suite.failures > 0 ? "FAIL" : "ok  ";
  console.log(
    `${mark} ${suite.name}: ${suite.tests - suite.failures}/${suite.tests} passed${suite.failures ? ` — ${suite.message}` : ""}`,
  );
}
const failures = results.suites.reduce((n, s) => n + s.failures, 0);
const total = results.suites.reduce((n, s) => n + s.tests, 0);
console.log(`${total - failures}/${total} tests passed`);
process.exit(failures > 0 ? 1 : 0);
