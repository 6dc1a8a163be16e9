/**
 * Configurations the benchmarks run with, as `railyard.yaml` text.
 *
 * The instant {@link BENCH_NOW} is inside the boarding window of each line's first train: lines
 * depart daily at 10:00 UTC from Monday 2 March 2026 and boarding closes 2h before, so at 05:00
 * UTC the 10:00 train is boarding until 08:00.
 */

/** Monday 2 March 2026, 05:00 UTC: the first train of every line is boarding. */
export const BENCH_NOW = new Date("2026-03-02T05:00:00.000Z");

/** `c00` … `c49` style names. */
export function componentNames(count) {
  const width = String(count - 1).length;
  return Array.from({ length: count }, (_, i) => `c${String(i).padStart(width, "0")}`);
}

/**
 * A configuration with `lines` lines (`line0`, `line1`, …) sharing `componentsPerLine`
 * components each, and manual approval (so trains awaiting approval wait for people).
 * The GitOps repository is never touched: no train departs while a benchmark runs.
 */
export function benchConfig({ lines = 1, componentsPerLine = 50, approval = "auto" } = {}) {
  const names = componentNames(lines * componentsPerLine);
  const components = names.map((name) => `  ${name}: { team: core, deployer: git }`).join("\n");
  const lineBlocks = Array.from({ length: lines }, (_, l) => {
    const own = names.slice(l * componentsPerLine, (l + 1) * componentsPerLine);
    const approvalYaml =
      approval === "manual" ? "{ mode: manual, team: board, required: 2 }" : "{ mode: auto }";
    return `  line${l}:
    schedule: { rrule: "FREQ=DAILY", start: "2026-03-02T10:00", timezone: UTC, cutoff: 2h }
    components: [${own.join(", ")}]
    approval: ${approvalYaml}
    rollout:
      waves:
        - { name: eu, environments: [eu], bake: 30m }
        - { name: us, environments: [us] }`;
  }).join("\n");
  return `version: 1
# CI pushes as fast as it can here: the per-token limit on mutations is lifted.
access:
  rateLimit: { mutations: 100000000, per: 1s }
teams:
  core:
    members:
      - { name: ann }
  board:
    members:
      - { name: alice, roles: [approver] }
      - { name: bob, roles: [approver] }
deployers:
  git:
    type: gitops
    repository: /nonexistent/gitops.git
    file: "env/{environment}.yaml"
    path: "{component}.version"
components:
${components}
environments:
  staging: { kind: integration }
  eu: { kind: production }
  us: { kind: production }
lines:
${lineBlocks}
`;
}
