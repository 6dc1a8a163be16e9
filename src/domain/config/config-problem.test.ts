import { expect, test } from "vitest";
import { formatPath, formatProblem, messageAt } from "./config-problem.js";

test.each([
  [[], ""],
  [["lines", "web", "schedule", "cutoff"], "lines.web.schedule.cutoff"],
  [["lines", "web-app", "gates", 0, "name"], "lines.web-app.gates[0].name"],
  [
    ["environments", "eu", "labels", "app.kubernetes.io/name"],
    'environments.eu.labels["app.kubernetes.io/name"]',
  ],
  [["$schema"], "$schema"],
])("formatPath(%j) is %j", (path, text) => {
  expect(formatPath(path)).toBe(text);
});

test("messageAt prefixes the path, except at the top level", () => {
  expect(messageAt(["version"], "must be 1")).toBe("version: must be 1");
  expect(messageAt([], 'missing required top-level key "lines"')).toBe(
    'missing required top-level key "lines"',
  );
});

test("formatProblem writes FILE:LINE:COLUMN: message", () => {
  expect(
    formatProblem({ file: "railyard.yaml", line: 3, column: 7, path: ["version"], message: "version: x" }),
  ).toBe("railyard.yaml:3:7: version: x");
});
