/**
 * Orders components so that every component comes after the components it depends on
 * (`depends_on`), breaking ties by name so the order is deterministic. Dependencies on
 * components outside the given set are ignored. Configuration validation refuses cycles; if one
 * slips through anyway, the remaining components are appended by name rather than looping.
 */
export function dependencyOrder(
  components: readonly string[],
  dependsOn: (component: string) => readonly string[],
): string[] {
  const inSet = new Set(components);
  const remaining = new Set(components);
  const done = new Set<string>();
  const order: string[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining]
      .filter((c) => dependsOn(c).every((d) => !inSet.has(d) || d === c || done.has(d)))
      .sort();
    if (ready.length === 0) {
      order.push(...[...remaining].sort());
      break;
    }
    for (const c of ready) {
      order.push(c);
      done.add(c);
      remaining.delete(c);
    }
  }
  return order;
}
