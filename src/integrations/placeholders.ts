/** The placeholders gates may use in URLs and queries: {train}, {line}, {stage}, {wave}, {environment}. */
import type { GateContext } from "../engine/ports.js";

/** Fills the placeholders of `template` from the gate's context, each value passed through `encode`. */
export function fillPlaceholders(
  template: string,
  context: GateContext,
  encode: (value: string) => string,
): string {
  const values: Record<string, string> = {
    train: context.trainId,
    line: context.line,
    stage: context.stage,
    wave: context.wave ?? "",
    environment: context.environments[0] ?? "",
  };
  return template.replace(/\{(train|line|stage|wave|environment)\}/g, (_, name: string) =>
    encode(values[name] ?? ""),
  );
}
