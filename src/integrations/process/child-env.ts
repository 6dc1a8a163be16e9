/**
 * The environment a deploy or gate program runs with: this process's environment (the operator
 * put there what scripts need, such as PATH, HOME and cloud credentials), minus Railyard's own
 * settings, plus the variables Railyard defines for the call and the configured extras.
 */

/**
 * Builds a child environment. Variables named `RAILYARD_*` in this process (Railyard's own
 * settings, which may hold a database URL or tokens) are not passed on; then the configured
 * `extra` values and the `railyard` values (the call's contract, which `extra` cannot override)
 * are added.
 */
export function childEnvironment(
  railyard: Record<string, string>,
  extra: Record<string, string> = {},
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && !name.startsWith("RAILYARD_")) env[name] = value;
  }
  return { ...env, ...extra, ...railyard };
}
