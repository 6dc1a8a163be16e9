/**
 * Placeholders in configured URLs, queries and paths: gates use {train}, {line}, {stage}, {wave},
 * {environment}; deployers use {component}, {environment}, {line}.
 */
import type { GateContext } from "../engine/ports.js";

/** Fills the placeholders of `template` from the gate's context, each value passed through `encode`. */
export function fillPlaceholders(
  template: string,
  context: GateContext,
  encode: (value: string) => string,
): string {
  return fillTemplate(
    template,
    {
      train: context.trainId,
      line: context.line,
      stage: context.stage,
      wave: context.wave ?? "",
      environment: context.environments[0] ?? "",
    },
    encode,
  );
}

/**
 * Replaces each `{name}` of `template` whose name is a key of `values` with that value passed
 * through `encode`; other braces are left as they are.
 */
export function fillTemplate(
  template: string,
  values: Readonly<Record<string, string>>,
  encode: (value: string) => string = (value) => value,
): string {
  return template.replace(/\{([a-z]+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? encode(values[name]!) : whole,
  );
}
