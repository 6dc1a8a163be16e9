/**
 * The order in which a train's boarded components deploy (`docs/design/boarding.md`, "Deploy
 * order"): groups of components whose predecessors are all in earlier groups.
 *
 * Predecessors of a component are the components it depends on (in the set), and — migrations
 * first — every migration of the set when the component is a service that no migration depends
 * on, even transitively. A service some migration needs stays before that migration and is not
 * held back behind the other migrations (the pairwise rule "every migration before every service
 * that is not its dependency" can contradict itself: migration m1 needs service s1 and m2 needs
 * s2 would ask for m2 < s1 < m1 < s2 < m2). One virtual barrier node after every migration carries
 * that rule in O(n + e) edges.
 */

/** One component of the set to order. */
export interface DeployItem {
  component: string;
  /** Components it needs; names outside the set (and itself) are ignored. */
  dependsOn: readonly string[];
  /** @default "service" */
  kind?: "service" | "migration";
}

/**
 * Kahn layering: each component one group after the latest of its predecessors, names sorted
 * within a group. The result does not depend on the order of `items`.
 *
 * @throws {Error} when two items name the same component, or when the dependencies form a cycle
 *   (the message names one: "deploy order: dependency cycle: a -> b -> a", "->" read "needs")
 */
export function deployGroups(items: ReadonlyArray<DeployItem>): string[][] {
  const names = items.map((item) => item.component).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const id = new Map<string, number>();
  for (const [i, name] of names.entries()) {
    if (id.has(name)) throw new Error(`deploy order: component "${name}" is listed twice`);
    id.set(name, i);
  }
  const n = names.length;
  const barrier = n;
  const size = n + 1;
  const predecessors: number[][] = Array.from({ length: size }, () => []);
  const migration = new Uint8Array(n);
  // listedBy[d] === v: v already lists d (a name given twice is one edge).
  const listedBy = new Int32Array(n).fill(-1);
  for (const item of items) {
    const v = id.get(item.component)!;
    if (item.kind === "migration") migration[v] = 1;
    for (const dependency of item.dependsOn) {
      const d = id.get(dependency);
      if (d === undefined || d === v || listedBy[d] === v) continue;
      listedBy[d] = v;
      predecessors[v]!.push(d);
    }
  }
  const hasMigration = migration.includes(1);
  if (hasMigration) {
    // Components some migration needs, transitively: they may go before it.
    const needed = new Uint8Array(n);
    const stack: number[] = [];
    for (let v = 0; v < n; v++) if (migration[v]) stack.push(v);
    while (stack.length > 0) {
      for (const d of predecessors[stack.pop()!]!) {
        if (!needed[d]) {
          needed[d] = 1;
          stack.push(d);
        }
      }
    }
    for (let v = 0; v < n; v++) {
      if (migration[v]) predecessors[barrier]!.push(v);
      else if (!needed[v]) predecessors[v]!.push(barrier);
    }
  }

  const successors: number[][] = Array.from({ length: size }, () => []);
  const waiting = new Int32Array(size);
  for (let v = 0; v < size; v++) {
    for (const p of predecessors[v]!) successors[p]!.push(v);
    waiting[v] = predecessors[v]!.length;
  }
  // The barrier is no deploy step: it sits at the level of the latest migration, and what follows
  // it one level later.
  const level = new Int32Array(size);
  const queue: number[] = [];
  for (let v = 0; v < size; v++) if (waiting[v] === 0 && (v < n || hasMigration)) queue.push(v);
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    for (const w of successors[v]!) {
      level[w] = Math.max(level[w]!, level[v]! + (w === barrier ? 0 : 1));
      if (--waiting[w]! === 0) queue.push(w);
    }
  }
  if (queue.length < (hasMigration ? size : n))
    throw new Error(`deploy order: ${cycleIn(waiting, predecessors, names)}`);

  let depth = 0;
  for (let v = 0; v < n; v++) depth = Math.max(depth, level[v]! + 1);
  const groups: string[][] = Array.from({ length: depth }, () => []);
  for (let v = 0; v < n; v++) groups[level[v]!]!.push(names[v]!);
  return groups;
}

/** One cycle among the components Kahn's algorithm could not place, from its smallest name. */
function cycleIn(waiting: Int32Array, predecessors: number[][], names: readonly string[]): string {
  const n = names.length;
  // Every component left waits for one that is also left (the barrier is never on a cycle:
  // nothing a migration needs comes after it).
  const left = (v: number) => waiting[v]! > 0;
  let v = 0;
  while (!left(v)) v++;
  const position = new Map<number, number>();
  const walk: number[] = [];
  while (!position.has(v)) {
    position.set(v, walk.length);
    walk.push(v);
    v = Math.min(...predecessors[v]!.filter(left));
  }
  const cycle = walk.slice(position.get(v)).filter((w) => w < n);
  const first = cycle.indexOf(Math.min(...cycle));
  const ordered = [...cycle.slice(first), ...cycle.slice(0, first)];
  return `dependency cycle: ${[...ordered, ordered[0]!].map((w) => names[w]).join(" -> ")}`;
}
