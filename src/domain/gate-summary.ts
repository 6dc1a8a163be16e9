/**
 * One line that says why a gate failed, picked from its evidence, for a train's `reason` (the
 * whole output stays in the gate result). HTTP, Prometheus, canary, SLO, security, policy and checklist
 * gates lead with the sentence that decided them, tests gates with their pass rate; programs tend
 * to put the telling line last or mark it with FAIL/ERROR, and the command gate ends its output
 * with how the program exited.
 */

const MAX = 240;
const EXIT_LINE = /^(exit code \d+|timed out|aborted|killed by)\b/;
const FAILURE = /\b(FAIL(ED|URE)?|ERROR|Error|error|failed|✗|×)\b|^(not ok|✗|×)/;

function clip(line: string): string {
  return line.length > MAX ? `${line.slice(0, MAX - 1)}…` : line;
}

/** Gate types whose output starts with the sentence that decided the verdict. */
const SENTENCE_FIRST = new Set(["http", "prometheus", "canary", "security", "slo", "policy", "checklist"]);

/** The telling line of a failed gate's output. */
export function gateFailureSummary(type: string, output: string): string {
  const lines = output
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (lines.length === 0) return "no output";
  // These gates put their verdict sentence first.
  if (SENTENCE_FIRST.has(type)) return clip(lines[0]!);
  if (type === "tests") {
    // "pass rate 99.2% (234 of 236), minimum 100%: failed", then the first failure.
    const failures = lines.findIndex((l) => l.startsWith("failures ("));
    const first = failures >= 0 ? lines[failures + 1] : undefined;
    return clip(first ? `${lines[0]}; ${first}` : lines[0]!);
  }
  const exit = lines.length > 0 && EXIT_LINE.test(lines[lines.length - 1]!) ? lines.pop()! : null;
  const marked = lines.find((l) => FAILURE.test(l));
  const telling = marked ?? lines[lines.length - 1];
  if (!telling) return clip(exit ?? "no output");
  return clip(exit ? `${telling} (${exit})` : telling);
}
