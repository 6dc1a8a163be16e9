/**
 * Policy expressions: CEL (the Common Expression Language, https://cel.dev) over a
 * {@link PolicyContext}, evaluated by `@bufbuild/cel` (tested against the cel-spec conformance
 * suite) with the standard functions, macros (`all`, `exists`, `exists_one`, `map`, `filter`,
 * `has`), timestamps and durations, and the strings extension (`lowerAscii`, `split`, `replace`,
 * `indexOf`, …).
 *
 * {@link compilePolicy} parses the expression and checks it against the declared context (see
 * `check.ts`: the library's own type checker is not available), so that a misspelt variable or
 * field, an unknown function or an impossible comparison is refused when the configuration
 * loads, with its line and column within the expression. {@link evaluatePolicy} runs it: `true`
 * passes, `false` fails, and a runtime error (a missing map key, an integer overflow, an index
 * out of range) or a result that is not a bool is an `error`.
 */
import { celEnv, celType, isCelError, parse, plan } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import { durationFromMs, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { checkExpression } from "./check.js";
import { POLICY_DECLARATION, type PolicyContext, type PolicyType } from "./context.js";
import { bracketProblem, positionAt, type TextPosition } from "./syntax.js";

/** One problem of an expression, at a line and column within it. */
export interface PolicyProblem extends TextPosition {
  /** What is wrong, without the position. */
  message: string;
}

/**
 * Returned (not thrown) by {@link compilePolicy} for an expression that cannot run: a syntax
 * error, or a reference the declared context does not have. `message` is the first problem as
 * `LINE:COLUMN: what` (position within the expression); `problems` holds every one.
 */
export class PolicyCompileError extends Error {
  override readonly name = "PolicyCompileError";
  /** Line of the first problem within the expression, from 1. */
  readonly line: number;
  /** Column of the first problem within the expression, from 1. */
  readonly column: number;

  constructor(
    readonly expression: string,
    readonly problems: readonly [PolicyProblem, ...PolicyProblem[]],
  ) {
    const [first] = problems;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
    super(`${first.line}:${first.column}: ${first.message}${more}`);
    this.line = first.line;
    this.column = first.column;
  }
}

/** A compiled policy: run it with {@link evaluatePolicy}. */
export interface CompiledPolicy {
  readonly expression: string;
  /** Paths of the context the expression reads (`train.kind`, `manifest[].sbom`), for evidence. */
  readonly reads: readonly string[];
  /** @internal the planned evaluation */
  readonly evaluate: (bindings: Record<string, unknown>) => unknown;
  /** @internal the offset in the expression of a syntax tree node */
  readonly offsetOf: (exprId: bigint) => number | undefined;
}

/** What an evaluation decided. */
export type PolicyEvaluation =
  | { verdict: "pass" }
  | { verdict: "fail" }
  | {
      verdict: "error";
      /** Why, with the position within the expression when CEL tells it: `1:18: field not found: tests`. */
      message: string;
    };

/** The standard library plus the strings extension. Built once: planning caches per environment. */
const ENV = celEnv({ funcs: strings });

/** Parses the expression and checks it against the declared context. */
export function compilePolicy(expression: string): CompiledPolicy | PolicyCompileError {
  const at = (offset: number, message: string): PolicyProblem => ({
    ...positionAt(expression, offset),
    message,
  });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(expression);
  } catch (error) {
    const hint = bracketProblem(expression);
    if (hint) return new PolicyCompileError(expression, [at(hint.offset, hint.message)]);
    return new PolicyCompileError(expression, [syntaxProblem(expression, error)]);
  }
  let checked: ReturnType<typeof checkExpression>;
  let planned: ReturnType<typeof plan>;
  try {
    checked = checkExpression(parsed, POLICY_DECLARATION, ENV);
    planned = plan(ENV, parsed);
  } catch (error) {
    // Not expected for an expression that parsed; said plainly rather than thrown at the loader.
    return new PolicyCompileError(expression, [
      at(0, `cannot compile: ${error instanceof Error ? error.message : String(error)}`),
    ]);
  }
  const [first, ...rest] = checked.problems.map((p) => at(p.offset, p.message));
  if (first) return new PolicyCompileError(expression, [first, ...rest]);
  const positions = parsed.sourceInfo?.positions ?? {};
  return {
    expression,
    reads: checked.reads,
    evaluate: (bindings) => planned(bindings as Parameters<typeof planned>[0]),
    offsetOf: (exprId) => positions[String(exprId)],
  };
}

/** The parser's error as a problem: its own position, its message without the `<input>:L:C: ` prefix. */
function syntaxProblem(expression: string, error: unknown): PolicyProblem {
  const message = error instanceof Error ? error.message : String(error);
  const location = (error as { location?: { start?: { offset?: unknown } } }).location?.start?.offset;
  const stated = /^<input>:(\d+):(\d+): /.exec(message);
  const reason = `syntax error: ${message.replace(/^<input>:\d+:\d+: /, "")}`;
  if (typeof location === "number") return { ...positionAt(expression, location), message: reason };
  if (stated) return { line: Number(stated[1]), column: Number(stated[2]), message: reason };
  return { line: 1, column: 1, message: reason };
}

/** A context value as the declared CEL type: integers as `int`, instants as `timestamp`. */
function toCel(value: unknown, type: PolicyType): unknown {
  switch (type.kind) {
    case "bool":
    case "string":
      return value;
    case "int":
      return BigInt(value as number);
    case "timestamp":
      return timestampFromMs(Date.parse(value as string));
    case "duration":
      return durationFromMs(value as number);
    case "list":
      return (value as unknown[]).map((element) => toCel(element, type.element));
    case "map":
      return new Map(
        Object.entries(value as Record<string, unknown>).map(([key, v]) => [key, toCel(v, type.value)]),
      );
    case "object": {
      const record = value as Record<string, unknown>;
      // Only declared fields: the expression sees exactly what the declaration documents.
      return Object.fromEntries(
        Object.entries(type.fields).map(([field, fieldType]) => [field, toCel(record[field], fieldType)]),
      );
    }
    default: {
      const unreachable: never = type;
      throw new Error(`unknown policy type ${JSON.stringify(unreachable)}`);
    }
  }
}

/** The bindings of a context, for CEL. */
export function policyBindings(context: PolicyContext): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(POLICY_DECLARATION).map(([name, type]) => [
      name,
      toCel(context[name as keyof PolicyContext], type),
    ]),
  );
}

/** A result that is not a bool, as people read it: `int 3`, `string "x"`, `list`. */
function describeValue(value: unknown): string {
  if (value === null) return "null";
  // biome-ignore lint/suspicious/noExplicitAny: celType takes any CelValue the evaluator returned
  const type = celType(value as any)
    .name.replace(/^google\.protobuf\./, "")
    .toLowerCase();
  if (typeof value === "string")
    return `${type} ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)}`;
  if (typeof value === "bigint" || typeof value === "number") return `${type} ${String(value)}`;
  return type;
}

/**
 * Evaluates a compiled policy over a context. Never throws: a runtime error or a result that is
 * not a bool is the `error` verdict, with the message and position CEL gives.
 */
export function evaluatePolicy(program: CompiledPolicy, context: PolicyContext): PolicyEvaluation {
  let result: unknown;
  try {
    result = program.evaluate(policyBindings(context));
  } catch (error) {
    return { verdict: "error", message: error instanceof Error ? error.message : String(error) };
  }
  if (result === true) return { verdict: "pass" };
  if (result === false) return { verdict: "fail" };
  if (isCelError(result)) {
    const offset = result.exprId === undefined ? undefined : program.offsetOf(result.exprId);
    if (offset === undefined) return { verdict: "error", message: result.message };
    const at = positionAt(program.expression, offset);
    return { verdict: "error", message: `${at.line}:${at.column}: ${result.message}` };
  }
  return {
    verdict: "error",
    message: `the expression gave ${describeValue(result)}, not a bool (true to pass, false to fail)`,
  };
}
