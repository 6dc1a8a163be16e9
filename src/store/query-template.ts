/**
 * A query compiled once and run many times with different values. Building and compiling a
 * Kysely query costs several microseconds; the append path (one artifact push per transaction,
 * thousands per second) runs the same few statements over and over, so it compiles them once.
 */
import type { Compilable, CompiledQuery, Kysely, QueryResult } from "kysely";
import type { Database } from "./database.js";

class Slot {
  constructor(readonly name: string) {}
}

/** A compiled query with named slots for its values. */
export class QueryTemplate<Values extends object, Row = unknown> {
  readonly #compiled: CompiledQuery<Row>;

  /**
   * Compiles the query `build` returns. `build` gets a `slot(name)` function and puts
   * `slot("x")` wherever a value goes; {@link run} puts `values.x` there. Values written as
   * literals in `build` stay fixed.
   */
  constructor(build: (slot: <K extends keyof Values & string>(name: K) => Values[K]) => Compilable<Row>) {
    this.#compiled = build((name) => new Slot(name) as never).compile();
  }

  /** Runs the query in `db` (a transaction or the store's root handle) with `values`. */
  run(db: Kysely<Database>, values: Values): Promise<QueryResult<Row>> {
    const parameters = this.#compiled.parameters.map((parameter) =>
      parameter instanceof Slot ? (values as Record<string, unknown>)[parameter.name] : parameter,
    );
    return db.executeQuery({ ...this.#compiled, parameters });
  }
}
