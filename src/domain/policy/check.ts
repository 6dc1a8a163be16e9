/**
 * The static check of a parsed policy expression against the declared variables: what a CEL
 * type checker (cel-go's `env.Compile`) would refuse before the expression ever runs.
 * `@bufbuild/cel` 0.6.1 parses and evaluates, but its type checker is neither exported nor
 * complete (it handles constants and identifiers only), so Railyard walks the syntax tree itself:
 *
 * - every identifier is a declared variable, a macro's variable or a type name
 *   (`undeclared reference to 'manifests'`);
 * - every field selected from a declared record exists (`undefined field 'sbomm'`), and no field
 *   is selected from a list, string, number, timestamp or duration;
 * - every function exists (`undeclared reference to 'sum'`) and has an overload for the argument
 *   types known statically (`found no matching overload for '_-_' applied to '(timestamp, string)'`),
 *   using the library's own overload table, so the check never refuses what would run;
 * - a string compared with a closed set of values (`c.ci == "succes"`) names one of them;
 * - the whole expression, when its type is known, is a `bool`.
 *
 * Values of type `dyn` (map values without a declaration, results of `dyn(…)`) pass every check,
 * as in CEL. The check also collects the paths of the context the expression reads
 * (`manifest[].sbom`, `gates{tests}.verdict`), which the gate shows as evidence.
 */
import type { CelEnv, CelType, parse } from "@bufbuild/cel";
import { didYouMean } from "../config/suggest.js";
import type { PolicyType } from "./context.js";

type Parsed = ReturnType<typeof parse>;
type Expr = Parsed["expr"];
type ExprKind<K extends Expr["exprKind"]["case"]> = Extract<Expr["exprKind"], { case: K }>["value"];

/** A type as the check infers it: a declared type, or one of CEL's others. */
export type CheckedType =
  | {
      kind: "dyn" | "bool" | "int" | "uint" | "double" | "bytes" | "null" | "type" | "timestamp" | "duration";
    }
  | { kind: "string"; values?: readonly string[] }
  | { kind: "list"; element: CheckedType }
  | { kind: "map"; key: CheckedType; value: CheckedType }
  | { kind: "object"; name: string; fields: Readonly<Record<string, PolicyType>> };

/** A problem the check found, at an offset (UTF-16 code units) into the expression. */
export interface CheckProblem {
  offset: number;
  message: string;
}

/** What {@link checkExpression} found. */
export interface CheckResult {
  /** The type of the whole expression (`dyn` when it cannot be told). */
  type: CheckedType;
  /** Every problem, in the order of the expression's text. */
  problems: CheckProblem[];
  /**
   * Paths of the context the expression reads, none a prefix of another: `train.kind`,
   * `manifest[].sbom` (a field of every element), `gates{tests}.verdict` (one key of a map),
   * `gates{}` (any key).
   */
  reads: string[];
}

interface Typed {
  type: CheckedType;
  /** Where the value comes from in the context, when it comes from there. */
  path: readonly string[] | null;
}

const DYN: CheckedType = { kind: "dyn" };
const BOOL: CheckedType = { kind: "bool" };
const INT: CheckedType = { kind: "int" };
const STRING: CheckedType = { kind: "string" };
const dyn: Typed = { type: DYN, path: null };

/** Identifiers that name types (`type(x) == int`). */
const TYPE_NAMES = new Set([
  "bool",
  "bytes",
  "double",
  "duration",
  "dyn",
  "int",
  "list",
  "map",
  "null_type",
  "string",
  "timestamp",
  "type",
  "uint",
]);

/** Calls the evaluator handles itself rather than through its function table. */
const LOGICAL = new Set(["_&&_", "_||_"]);
const NOT_STRICTLY_FALSE = new Set(["@not_strictly_false", "__not_strictly_false__"]);
const INDEX = new Set(["_[_]", "_[?_]", "_?._"]);
const CONDITIONAL = "_?_:_";

/** How a macro is written, for a macro call the parser could not expand (wrong arguments). */
const MACRO_USAGE: Readonly<Record<string, string>> = {
  all: "all(x, condition) needs a variable name and a condition, e.g. manifest.all(c, c.sbom)",
  exists:
    'exists(x, condition) needs a variable name and a condition, e.g. manifest.exists(c, c.ci == "failure")',
  exists_one:
    "exists_one(x, condition) needs a variable name and a condition, e.g. manifest.exists_one(c, c.migration)",
  map: "map(x, expression) needs a variable name and an expression, e.g. manifest.map(c, c.component)",
  filter: "filter(x, condition) needs a variable name and a condition, e.g. manifest.filter(c, c.migration)",
  has: "has() takes a field selection, e.g. has(gates.tests)",
};

/** The name people read for a type in messages. */
function typeName(type: CheckedType): string {
  switch (type.kind) {
    case "null":
      return "null_type";
    case "object":
      return "map";
    case "list":
    case "map":
    case "dyn":
    case "bool":
    case "int":
    case "uint":
    case "double":
    case "bytes":
    case "type":
    case "timestamp":
    case "duration":
    case "string":
      return type.kind;
    default: {
      const unreachable: never = type;
      return String(unreachable);
    }
  }
}

/** A declared type as the check uses it. */
function fromDeclaration(type: PolicyType): CheckedType {
  switch (type.kind) {
    case "list":
      return { kind: "list", element: fromDeclaration(type.element) };
    case "map":
      return { kind: "map", key: STRING, value: fromDeclaration(type.value) };
    default:
      return type;
  }
}

/** A type of the library's function table as the check uses it. */
function fromCel(type: CelType): CheckedType {
  switch (type.kind) {
    case "scalar":
      switch (type.scalar) {
        case "null_type":
          return { kind: "null" };
        case "int":
        case "uint":
        case "double":
        case "bool":
        case "string":
        case "bytes":
        case "dyn":
        case "type":
          return { kind: type.scalar };
        default:
          return DYN;
      }
    case "list":
      return { kind: "list", element: fromCel(type.element) };
    case "map":
      return { kind: "map", key: fromCel(type.key), value: fromCel(type.value) };
    case "object":
      if (type.name === "google.protobuf.Timestamp") return { kind: "timestamp" };
      if (type.name === "google.protobuf.Duration") return { kind: "duration" };
      return DYN;
    default:
      return DYN;
  }
}

/** Could a value of type `value` be passed where `parameter` is expected? `dyn` fits everything. */
function fits(value: CheckedType, parameter: CheckedType): boolean {
  if (value.kind === "dyn" || parameter.kind === "dyn") return true;
  if (parameter.kind === "map") return value.kind === "map" || value.kind === "object";
  return value.kind === parameter.kind;
}

/** The common type of several values: theirs when they agree, else `dyn`. */
function join(types: readonly CheckedType[]): CheckedType {
  const [first, ...rest] = types;
  if (first === undefined) return DYN;
  if (rest.every((t) => sameType(t, first))) return first;
  if (types.every((t) => t.kind === "string")) return STRING;
  if (types.every((t) => t.kind === "list")) {
    return { kind: "list", element: join(types.map((t) => (t.kind === "list" ? t.element : DYN))) };
  }
  return DYN;
}

function sameType(a: CheckedType, b: CheckedType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "list" && b.kind === "list") return sameType(a.element, b.element);
  if (a.kind === "map" && b.kind === "map") return sameType(a.key, b.key) && sameType(a.value, b.value);
  if (a.kind === "object" && b.kind === "object") return a.name === b.name;
  if (a.kind === "string" && b.kind === "string") return a.values === b.values;
  return true;
}

const quotedList = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(", ");

/** `a manifest entry has component, team, …` */
function fieldsOf(type: Extract<CheckedType, { kind: "object" }>): string {
  const names = Object.keys(type.fields);
  const article = /^[aeiou]/.test(type.name) ? "an" : "a";
  return `${article} ${type.name} has ${names.join(", ")}`;
}

/** The readable form of a path: `manifest[].sbom`, `gates{tests}.verdict`. */
function pathText(path: readonly string[]): string {
  return path
    .reduce(
      (text, segment) =>
        segment.startsWith("[") || segment.startsWith("{") ? text + segment : `${text}.${segment}`,
      "",
    )
    .replace(/^\./, "");
}

class Checker {
  private readonly problems: CheckProblem[] = [];
  private readonly reads = new Set<string>();
  private readonly types = new Map<bigint, CheckedType>();

  constructor(
    private readonly env: CelEnv,
    private readonly declaration: Readonly<Record<string, PolicyType>>,
    private readonly positions: Readonly<Record<string, number>>,
    private readonly macroCalls: Readonly<Record<string, Expr>>,
  ) {}

  run(expr: Expr): CheckResult {
    const result = this.visit(expr, new Map());
    const known = result.type.kind !== "dyn" && result.type.kind !== "bool";
    if (known) {
      this.problems.push({
        offset: 0,
        message: `the expression gives ${typeName(result.type)}, but a policy must give a bool (true to pass, false to fail)`,
      });
    }
    const reads = [...this.reads];
    return {
      type: result.type,
      problems: [...this.problems].sort((a, b) => a.offset - b.offset),
      reads: reads.filter(
        (read) =>
          !reads.some(
            (other) =>
              other !== read &&
              (other.startsWith(`${read}.`) || other.startsWith(`${read}[`) || other.startsWith(`${read}{`)),
          ),
      ),
    };
  }

  private problem(id: bigint, message: string): void {
    this.problems.push({ offset: this.positions[String(id)] ?? 0, message });
  }

  private read(path: readonly string[] | null): void {
    if (path !== null) this.reads.add(pathText(path));
  }

  private visit(expr: Expr, scope: ReadonlyMap<string, Typed>): Typed {
    const typed = this.infer(expr, scope);
    this.types.set(expr.id, typed.type);
    return typed;
  }

  private infer(expr: Expr, scope: ReadonlyMap<string, Typed>): Typed {
    const kind = expr.exprKind;
    switch (kind.case) {
      case "constExpr":
        return { type: this.constant(kind.value), path: null };
      case "identExpr":
        return this.ident(expr.id, kind.value.name, scope);
      case "selectExpr":
        return this.select(expr.id, kind.value, scope);
      case "callExpr":
        return this.call(expr.id, kind.value, scope);
      case "listExpr":
        return {
          type: { kind: "list", element: join(kind.value.elements.map((e) => this.visit(e, scope).type)) },
          path: null,
        };
      case "structExpr":
        return this.struct(kind.value, scope);
      case "comprehensionExpr":
        return this.comprehension(expr.id, kind.value, scope);
      case undefined:
        return dyn;
      default: {
        const unreachable: never = kind;
        return unreachable;
      }
    }
  }

  private constant(constant: ExprKind<"constExpr">): CheckedType {
    switch (constant.constantKind.case) {
      case "boolValue":
        return BOOL;
      case "int64Value":
        return INT;
      case "uint64Value":
        return { kind: "uint" };
      case "doubleValue":
        return { kind: "double" };
      case "stringValue":
        return STRING;
      case "bytesValue":
        return { kind: "bytes" };
      case "nullValue":
        return { kind: "null" };
      case "durationValue":
        return { kind: "duration" };
      case "timestampValue":
        return { kind: "timestamp" };
      default:
        return DYN;
    }
  }

  private ident(id: bigint, name: string, scope: ReadonlyMap<string, Typed>): Typed {
    const local = scope.get(name);
    if (local) {
      this.read(local.path);
      return local;
    }
    const declared = this.declaration[name];
    if (declared) {
      this.read([name]);
      return { type: fromDeclaration(declared), path: [name] };
    }
    if (TYPE_NAMES.has(name)) return { type: { kind: "type" }, path: null };
    if (name.startsWith("@")) return dyn;
    const known = [...Object.keys(this.declaration), ...[...scope.keys()].filter((n) => !n.startsWith("@"))];
    this.problem(
      id,
      `undeclared reference to '${name}'${didYouMean(name, known) || ` (the variables are ${Object.keys(this.declaration).join(", ")})`}`,
    );
    return dyn;
  }

  /** The field `field` of a value, reporting a field a declared record does not have. */
  private field(id: bigint, operand: Typed, field: string): Typed {
    const { type, path } = operand;
    switch (type.kind) {
      case "object": {
        const declared = type.fields[field];
        if (declared === undefined) {
          const hint = didYouMean(field, Object.keys(type.fields)) || ` (${fieldsOf(type)})`;
          this.problem(id, `undefined field '${field}'${hint}`);
          return dyn;
        }
        const inner = path && [...path, field];
        this.read(inner);
        return { type: fromDeclaration(declared), path: inner };
      }
      case "map": {
        const inner = path && [...path, `{${field}}`];
        this.read(inner);
        return { type: type.value, path: inner };
      }
      case "dyn":
        return dyn;
      case "list": {
        const where = path ? `${pathText(path)} is a list` : "a list";
        this.problem(
          id,
          `${where}: it has no field '${field}'; test its elements with a macro, e.g. .all(x, x.${field})`,
        );
        return dyn;
      }
      default:
        this.problem(id, `${typeName(type)} has no field '${field}'`);
        return dyn;
    }
  }

  private select(id: bigint, select: ExprKind<"selectExpr">, scope: ReadonlyMap<string, Typed>): Typed {
    if (!select.operand) return dyn;
    const operand = this.visit(select.operand, scope);
    const field = this.field(id, operand, select.field);
    // has(x.f) asks whether the field is set: a bool, whatever the field's type.
    return select.testOnly ? { type: BOOL, path: null } : field;
  }

  private struct(struct: ExprKind<"structExpr">, scope: ReadonlyMap<string, Typed>): Typed {
    const keys: CheckedType[] = [];
    const values: CheckedType[] = [];
    for (const entry of struct.entries) {
      if (entry.keyKind.case === "mapKey") keys.push(this.visit(entry.keyKind.value, scope).type);
      if (entry.value) values.push(this.visit(entry.value, scope).type);
    }
    if (struct.messageName !== "") return dyn;
    return { type: { kind: "map", key: join(keys), value: join(values) }, path: null };
  }

  private comprehension(
    id: bigint,
    loop: ExprKind<"comprehensionExpr">,
    scope: ReadonlyMap<string, Typed>,
  ): Typed {
    const macro = this.macroCalls[String(id)];
    const macroName = macro?.exprKind.case === "callExpr" ? macro.exprKind.value.function : "a comprehension";
    const range = loop.iterRange ? this.visit(loop.iterRange, scope) : dyn;
    const vars = this.iterationVariables(id, range, macroName, loop.iterVar2 !== "");
    const inner = new Map(scope);
    inner.set(loop.iterVar, vars.first);
    if (loop.iterVar2 !== "") inner.set(loop.iterVar2, vars.second);
    const accumulator = loop.accuInit ? this.visit(loop.accuInit, scope) : dyn;
    inner.set(loop.accuVar, { type: accumulator.type, path: null });
    if (loop.loopCondition) this.visit(loop.loopCondition, inner);
    if (loop.loopStep) this.visit(loop.loopStep, inner);
    const outer = new Map(scope);
    outer.set(loop.accuVar, { type: accumulator.type, path: null });
    const result = loop.result ? this.visit(loop.result, outer) : dyn;
    switch (macroName) {
      case "all":
      case "exists":
      case "exists_one":
        return { type: BOOL, path: null };
      case "filter":
        return { type: { kind: "list", element: vars.element }, path: null };
      case "map": {
        const args = macro?.exprKind.case === "callExpr" ? macro.exprKind.value.args : [];
        const transform = args.at(-1);
        const element = (transform && this.types.get(transform.id)) ?? DYN;
        return { type: { kind: "list", element }, path: null };
      }
      default:
        return { type: result.type, path: null };
    }
  }

  /** The variables a macro binds while iterating over `range`. */
  private iterationVariables(
    id: bigint,
    range: Typed,
    macro: string,
    two: boolean,
  ): { first: Typed; second: Typed; element: CheckedType } {
    const { type, path } = range;
    switch (type.kind) {
      case "list": {
        const element: Typed = { type: type.element, path: path && [...path, "[]"] };
        return two
          ? { first: { type: INT, path: null }, second: element, element: type.element }
          : { first: element, second: dyn, element: type.element };
      }
      case "map":
        return {
          first: { type: type.key, path: null },
          second: { type: type.value, path: path && [...path, "{}"] },
          element: type.key,
        };
      case "object":
        return { first: { type: STRING, path: null }, second: dyn, element: STRING };
      case "dyn":
        return { first: dyn, second: dyn, element: DYN };
      default: {
        const where = path ? `${pathText(path)} is ${typeName(type)}` : `this is ${typeName(type)}`;
        this.problem(id, `${where}: ${macro}() iterates over a list or a map`);
        return { first: dyn, second: dyn, element: DYN };
      }
    }
  }

  private call(id: bigint, call: ExprKind<"callExpr">, scope: ReadonlyMap<string, Typed>): Typed {
    const name = call.function;
    const qualified = call.target ? this.qualifiedFunction(call.target, name, scope) : undefined;
    if (qualified !== undefined) {
      const args = call.args.map((a) => this.visit(a, scope).type);
      return { type: this.overload(id, qualified, undefined, args), path: null };
    }
    const target = call.target ? this.visit(call.target, scope) : undefined;
    if (Object.hasOwn(MACRO_USAGE, name) && this.env.funcs.find(name) === undefined) {
      // The parser leaves a macro it could not expand as a call; its arguments mean nothing.
      this.problem(id, MACRO_USAGE[name]!);
      return dyn;
    }
    const args = call.args.map((a) => this.visit(a, scope));
    if (LOGICAL.has(name) || NOT_STRICTLY_FALSE.has(name)) {
      if (LOGICAL.has(name) && args.some((a) => !fits(a.type, BOOL))) {
        this.problem(
          id,
          noOverload(
            name,
            undefined,
            args.map((a) => a.type),
          ),
        );
      }
      return { type: BOOL, path: null };
    }
    if (name === CONDITIONAL) {
      const [condition, yes, no] = args;
      if (condition && !fits(condition.type, BOOL)) {
        this.problem(id, `the condition of ?: gives ${typeName(condition.type)}, not a bool`);
      }
      return { type: join([yes?.type ?? DYN, no?.type ?? DYN]), path: null };
    }
    if (INDEX.has(name)) return this.index(id, name, args, stringConstant(call.args[1]));
    this.checkValues(name, args, call.args);
    const type = this.overload(
      id,
      name,
      target?.type,
      args.map((a) => a.type),
    );
    return { type, path: null };
  }

  /** `strings.quote(…)`: a function whose name has a namespace, when the target is no variable. */
  private qualifiedFunction(
    target: Expr,
    name: string,
    scope: ReadonlyMap<string, Typed>,
  ): string | undefined {
    const parts: string[] = [];
    let current: Expr | undefined = target;
    while (current?.exprKind.case === "selectExpr") {
      parts.unshift(current.exprKind.value.field);
      current = current.exprKind.value.operand;
    }
    if (current?.exprKind.case !== "identExpr") return undefined;
    const root = current.exprKind.value.name;
    if (scope.has(root) || Object.hasOwn(this.declaration, root)) return undefined;
    const qualified = [root, ...parts, name].join(".");
    return this.env.funcs.find(qualified) ? qualified : undefined;
  }

  private index(id: bigint, name: string, args: readonly Typed[], constant: string | undefined): Typed {
    const [operand, key] = args;
    if (!operand || !key) return dyn;
    const { type, path } = operand;
    switch (type.kind) {
      case "list": {
        const inner = path && [...path, "[]"];
        this.read(inner);
        return { type: type.element, path: inner };
      }
      case "map": {
        const inner = path && [...path, constant === undefined ? "{}" : `{${constant}}`];
        this.read(inner);
        return { type: type.value, path: inner };
      }
      case "object":
        return constant === undefined ? dyn : this.field(id, operand, constant);
      case "dyn":
        return dyn;
      default:
        this.problem(id, noOverload(name, undefined, [type, key.type]));
        return dyn;
    }
  }

  /**
   * A string constant compared with (or looked up in) a string of a closed set of values must be
   * one of them: `c.ci == "succes"` could never be true.
   */
  private checkValues(name: string, args: readonly Typed[], exprs: readonly Expr[]): void {
    const check = (type: CheckedType | undefined, expr: Expr | undefined, never: string) => {
      if (!type || !expr || type.kind !== "string" || !type.values) return;
      const value = stringConstant(expr);
      if (value === undefined || type.values.includes(value)) return;
      const hint = didYouMean(value, type.values) || `: its values are ${quotedList(type.values)}`;
      this.problem(expr.id, `${JSON.stringify(value)} is never ${never}${hint}`);
    };
    const name_ = (typed: Typed | undefined) => (typed?.path ? pathText(typed.path) : "it");
    if (name === "_==_" || name === "_!=_") {
      check(args[0]?.type, exprs[1], `a value of ${name_(args[0])}`);
      check(args[1]?.type, exprs[0], `a value of ${name_(args[1])}`);
    } else if (name === "@in") {
      const [needle, haystack] = args;
      const list = exprs[1];
      if (list?.exprKind.case === "listExpr") {
        for (const element of list.exprKind.value.elements)
          check(needle?.type, element, `a value of ${name_(needle)}`);
      }
      if (haystack?.type.kind === "list") check(haystack.type.element, exprs[0], `in ${name_(haystack)}`);
    }
  }

  /** The result type of a call by the library's overloads; a problem when none can apply. */
  private overload(
    id: bigint,
    name: string,
    target: CheckedType | undefined,
    args: readonly CheckedType[],
  ): CheckedType {
    const group = this.env.funcs.find(name);
    if (group === undefined) {
      const names = new Set([...this.env.funcs].map((f) => f.name).filter((n) => /^[a-zA-Z]/.test(n)));
      this.problem(id, `undeclared reference to '${name}'${didYouMean(name, names)}`);
      return DYN;
    }
    const matching = [...group].filter(
      (f) =>
        (f.target === undefined) === (target === undefined) &&
        (f.target === undefined || target === undefined || fits(target, fromCel(f.target))) &&
        f.arguments.length === args.length &&
        f.arguments.every((parameter, i) => fits(args[i]!, fromCel(parameter))),
    );
    if (matching.length === 0) {
      this.problem(id, noOverload(name, target, args));
      return DYN;
    }
    if (name === "_+_" && args.every((a) => a.kind === "list")) return join(args);
    const results = matching.map((f) => fromCel(f.result));
    return results.every((r) => sameType(r, results[0]!)) ? results[0]! : DYN;
  }
}

/** The value of a string literal. */
function stringConstant(expr: Expr | undefined): string | undefined {
  return expr?.exprKind.case === "constExpr" && expr.exprKind.value.constantKind.case === "stringValue"
    ? expr.exprKind.value.constantKind.value
    : undefined;
}

function noOverload(name: string, target: CheckedType | undefined, args: readonly CheckedType[]): string {
  const list = `(${args.map(typeName).join(", ")})`;
  const applied = target === undefined ? list : `${typeName(target)}.${list}`;
  return `found no matching overload for '${name}' applied to '${applied}'`;
}

/**
 * Checks a parsed expression against declared variables and the functions of `env`.
 * Never throws for a bad expression: its problems are in the result.
 */
export function checkExpression(
  parsed: Parsed,
  declaration: Readonly<Record<string, PolicyType>>,
  env: CelEnv,
): CheckResult {
  const checker = new Checker(
    env,
    declaration,
    parsed.sourceInfo?.positions ?? {},
    parsed.sourceInfo?.macroCalls ?? {},
  );
  return checker.run(parsed.expr);
}
