/**
 * The configuration as the engine uses it: the validated `railyard.yaml` plus what is derived
 * from it once (compiled timetables, which line a component rides, the integration environment,
 * deployer instances). Immutable: a reload builds a new one and swaps it in one assignment.
 */
import type { DeploymentRules } from "../domain/calendar/deploy-permit.js";
import type { BlackoutConfig, ComponentConfig, LineConfig, RailyardConfig } from "../domain/config/schema.js";
import { compileTimetable, type Timetable } from "../domain/timetable.js";
import { InvalidConfigError, NotFoundError } from "./errors.js";
import type { Deployer, DeployerFactory } from "./ports.js";

export interface ConfigSource {
  /** Where it came from (a file path), for messages and the audit record. */
  source: string;
  /** Hash of the file's text. */
  hash: string;
}

export class RuntimeConfig {
  readonly timetables: ReadonlyMap<string, Timetable>;
  readonly integrationEnvironment: string;
  private readonly lineOfComponent: ReadonlyMap<string, string>;
  private readonly deployers = new Map<string, Deployer>();

  constructor(
    readonly config: RailyardConfig,
    readonly meta: ConfigSource,
    private readonly deployerFactory: DeployerFactory,
  ) {
    const timetables = new Map<string, Timetable>();
    for (const name of Object.keys(config.lines)) {
      try {
        timetables.set(name, compileTimetable(name, config));
      } catch (error) {
        throw new InvalidConfigError(`lines.${name}: ${(error as Error).message}`);
      }
    }
    this.timetables = timetables;
    const integration = Object.entries(config.environments).filter(([, e]) => e.kind === "integration");
    if (integration.length !== 1) {
      throw new InvalidConfigError("exactly one environment must have kind: integration");
    }
    this.integrationEnvironment = integration[0]![0];
    const lineOf = new Map<string, string>();
    for (const [name, line] of Object.entries(config.lines)) {
      for (const component of line.components) lineOf.set(component, name);
    }
    this.lineOfComponent = lineOf;
  }

  get lineNames(): string[] {
    return Object.keys(this.config.lines);
  }

  /** @throws {NotFoundError} when the line is not configured. */
  line(name: string): LineConfig {
    const line = this.config.lines[name];
    if (!line)
      throw new NotFoundError(`no line "${name}": configured lines are ${this.lineNames.join(", ")}`);
    return line;
  }

  hasLine(name: string): boolean {
    return name in this.config.lines;
  }

  /** @throws {NotFoundError} when the component is not configured. */
  component(name: string): ComponentConfig {
    const component = this.config.components[name];
    if (!component) {
      throw new NotFoundError(
        `no component "${name}": configured components are ${Object.keys(this.config.components).join(", ")}`,
      );
    }
    return component;
  }

  /** The line a component rides, if any. */
  lineOf(component: string): string | undefined {
    return this.lineOfComponent.get(component);
  }

  /** Names of the components a component depends on. */
  /** A component's kind (unknown components are services). */
  kindOf = (component: string): "service" | "migration" =>
    this.config.components[component]?.kind ?? "service";

  dependsOn = (component: string): string[] =>
    (this.config.components[component]?.depends_on ?? []).map((d) => d.component);

  timetable(line: string): Timetable {
    const timetable = this.timetables.get(line);
    if (!timetable) throw new NotFoundError(`no line "${line}"`);
    return timetable;
  }

  /**
   * The line's deployment window and blackouts (global and the line's), compiled once with its
   * timetable. @throws {NotFoundError} when the line is not configured.
   */
  deploymentRules(line: string): DeploymentRules {
    return this.timetable(line).rules;
  }

  /**
   * The blackouts that apply to a line: the configuration's global ones, then the line's own.
   * @throws {NotFoundError} when the line is not configured.
   */
  blackoutsOf(line: string): BlackoutConfig[] {
    return [...this.config.blackouts, ...this.line(line).blackouts];
  }

  /** The deployer of a component (built once per configuration). */
  deployerFor(component: string): Deployer {
    const name = this.component(component).deployer;
    let deployer = this.deployers.get(name);
    if (!deployer) {
      const config = this.config.deployers[name];
      if (!config)
        throw new NotFoundError(`component ${component} names deployer "${name}", which is not configured`);
      deployer = this.deployerFactory(name, config);
      this.deployers.set(name, deployer);
    }
    return deployer;
  }

  /** The environment whose versions count as "production" for a line: the last wave's first. */
  productionEnvironment(line: string): string {
    const waves = this.line(line).rollout.waves;
    return waves[waves.length - 1]!.environments[0]!;
  }
}
