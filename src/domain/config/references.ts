/**
 * Cross-reference checks of a configuration whose shape is already valid: every name used
 * somewhere is defined, dependencies form no cycle, approvals can be met, schedules compile.
 */
import semver from "semver";
import { approvalGroups, assignSeats } from "../approval.js";
import { formatDuration, parseDuration } from "../duration.js";
import { compilePolicy, PolicyCompileError } from "../policy/policy.js";
import { compileTimetable, InvalidScheduleError } from "../timetable.js";
import type { PathSegment } from "./config-problem.js";
import type { BlackoutConfig, GateConfig, LineConfig, RailyardConfig, WaveConfig } from "./schema.js";
import { closestMatch } from "./suggest.js";

/** A cross-reference problem. `message` does not repeat the path; `parseConfig` prefixes it. */
export interface ReferenceProblem {
  path: PathSegment[];
  message: string;
}

const MAX_LISTED = 8;

function quoted(names: readonly string[]): string {
  const shown = names.slice(0, MAX_LISTED).map((name) => `"${name}"`);
  return names.length > MAX_LISTED ? `${shown.join(", ")}, …` : shown.join(", ");
}

/** `unknown team "x"`, with the likely intended name or the defined ones. */
function unknownName(kind: string, plural: string, name: string, known: readonly string[]): string {
  const match = closestMatch(name, known);
  if (match !== undefined) return `unknown ${kind} "${name}" (did you mean "${match}"?)`;
  if (known.length === 0) return `unknown ${kind} "${name}": no ${plural} are defined`;
  return `unknown ${kind} "${name}": defined ${plural} are ${quoted(known)}`;
}

function andList(names: readonly string[]): string {
  const all = names.map((name) => `"${name}"`);
  return all.length <= 1 ? all.join("") : `${all.slice(0, -1).join(", ")} and ${all.at(-1)}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function checkComponents(config: RailyardConfig): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const teams = Object.keys(config.teams);
  const deployers = Object.keys(config.deployers);
  const components = Object.keys(config.components);
  for (const [name, component] of Object.entries(config.components)) {
    const at = ["components", name];
    if (!Object.hasOwn(config.teams, component.team)) {
      problems.push({ path: [...at, "team"], message: unknownName("team", "teams", component.team, teams) });
    }
    if (!Object.hasOwn(config.deployers, component.deployer)) {
      problems.push({
        path: [...at, "deployer"],
        message: unknownName("deployer", "deployers", component.deployer, deployers),
      });
    }
    component.depends_on.forEach((dependency, index) => {
      const dep = [...at, "depends_on", index];
      if (dependency.component === name) {
        problems.push({ path: [...dep, "component"], message: `"${name}" cannot depend on itself` });
      } else if (!Object.hasOwn(config.components, dependency.component)) {
        problems.push({
          path: [...dep, "component"],
          message: unknownName("component", "components", dependency.component, components),
        });
      }
      if (semver.validRange(dependency.version) === null) {
        problems.push({
          path: [...dep, "version"],
          message: `"${dependency.version}" is not a semver range: write e.g. "^1.4.0" or ">=1.4.0 <2.0.0"`,
        });
      }
    });
  }
  return problems;
}

/** Strongly connected components (Tarjan), each in discovery order. */
function stronglyConnected(
  nodes: readonly string[],
  edges: ReadonlyMap<string, readonly string[]>,
): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      groups.push(group);
    }
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return groups;
}

/** The shortest walk from `start` back to itself inside `members`, as `[start, …, start]`. */
function shortestCycle(
  start: string,
  members: ReadonlySet<string>,
  edges: ReadonlyMap<string, readonly string[]>,
) {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const next of edges.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

/**
 * One problem per group of components that depend on each other in a circle, at the
 * `depends_on` of the group's first component in file order, naming the shortest cycle through it.
 */
function checkDependencyCycles(config: RailyardConfig): ReferenceProblem[] {
  const names = Object.keys(config.components);
  const edges = new Map(
    Object.entries(config.components).map(([name, component]) => [
      name,
      component.depends_on
        .map((dependency) => dependency.component)
        .filter((other) => other !== name && Object.hasOwn(config.components, other)),
    ]),
  );
  return stronglyConnected(names, edges)
    .filter((group) => group.length > 1)
    .map((group) => {
      const members = new Set(group);
      const start = names.find((name) => members.has(name))!;
      return {
        path: ["components", start, "depends_on"],
        message: `dependency cycle: ${shortestCycle(start, members, edges).join(" -> ")}`,
      };
    });
}

function checkEnvironments(config: RailyardConfig): ReferenceProblem[] {
  const integration = Object.entries(config.environments)
    .filter(([, environment]) => environment.kind === "integration")
    .map(([name]) => name);
  if (integration.length === 0) {
    return [
      {
        path: ["environments"],
        message: 'no environment has kind "integration": exactly one is needed for the integration stage',
      },
    ];
  }
  const [first, ...others] = integration;
  return others.map((name) => ({
    path: ["environments", name, "kind"],
    message: `"${first}" is already the integration environment: exactly one environment may have kind "integration"`,
  }));
}

/** A GitOps deployer shared by several components must give each its own key. */
function checkDeployers(config: RailyardConfig): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  for (const [name, deployer] of Object.entries(config.deployers)) {
    if (deployer.type !== "gitops") continue;
    if (deployer.path.includes("{component}") || deployer.file.includes("{component}")) continue;
    const users = Object.entries(config.components)
      .filter(([, component]) => component.deployer === name)
      .map(([component]) => component);
    if (users.length < 2) continue;
    problems.push({
      path: ["deployers", name, "path"],
      message: `components ${andList(users)} would write the same key "${deployer.path}": put {component} in path or file`,
    });
  }
  return problems;
}

/** Gate names are unique within a stage, and each gate's own references hold. */
function checkGates(
  config: RailyardConfig,
  gates: readonly GateConfig[],
  at: PathSegment[],
): ReferenceProblem[] {
  const seen = new Set<string>();
  const problems: ReferenceProblem[] = [];
  gates.forEach((gate, index) => {
    if (seen.has(gate.name)) {
      problems.push({
        path: [...at, index, "name"],
        message: `duplicate gate name "${gate.name}": gate names must be unique within a stage`,
      });
    }
    seen.add(gate.name);
    problems.push(...checkGate(config, gate, [...at, index]));
  });
  return problems;
}

function checkGate(config: RailyardConfig, gate: GateConfig, at: PathSegment[]): ReferenceProblem[] {
  switch (gate.type) {
    case "security":
      if ((gate.maxSeverity === undefined) === (gate.max === undefined)) {
        return [
          {
            path: at,
            message:
              gate.max === undefined
                ? "a security gate needs maxSeverity (e.g. high) or max (e.g. {critical: 0, high: 3})"
                : "a security gate takes maxSeverity or max, not both",
          },
        ];
      }
      return [];
    case "slo": {
      if (Object.hasOwn(config.slos, gate.slo)) return [];
      const known = Object.keys(config.slos);
      return [
        {
          path: [...at, "slo"],
          message:
            known.length === 0
              ? `unknown SLO "${gate.slo}": no SLOs are defined (add it under \`slos:\`, or import an OpenSLO file with \`openslo:\`)`
              : unknownName("SLO", "SLOs", gate.slo, known),
        },
      ];
    }
    case "prometheus": {
      const problems: ReferenceProblem[] = [];
      const source = unknownPrometheus(config, gate.source, [...at, "source"]);
      if (source) problems.push(source);
      const span = (gate.count - 1) * parseDuration(gate.interval);
      if (span >= parseDuration(gate.timeout)) {
        problems.push({
          path: [...at, "timeout"],
          message: `timeout ${gate.timeout} ends the analysis before its ${gate.count} measurements ${gate.interval} apart: raise it above ${formatDuration(span)}`,
        });
      }
      if (gate.failureLimit >= gate.count && gate.count > 1) {
        problems.push({
          path: [...at, "failureLimit"],
          message: `failureLimit ${gate.failureLimit} tolerates every one of the ${gate.count} measurements: the gate could never fail`,
        });
      }
      return problems;
    }
    case "canary": {
      const source = unknownPrometheus(config, gate.source, [...at, "source"]);
      return source ? [source] : [];
    }
    case "checklist": {
      if ((gate.template === undefined) === (gate.items === undefined)) {
        return [
          {
            path: at,
            message:
              gate.template === undefined
                ? "a checklist gate needs a template (pre-production, production-readiness) or its own items"
                : "a checklist gate takes a template or items, not both",
          },
        ];
      }
      const seen = new Set<string>();
      const problems: ReferenceProblem[] = [];
      (gate.items ?? []).forEach((item, index) => {
        if (seen.has(item.id)) {
          problems.push({
            path: [...at, "items", index, "id"],
            message: `duplicate checklist item "${item.id}"`,
          });
        }
        seen.add(item.id);
      });
      return problems;
    }
    case "policy": {
      const compiled = compilePolicy(gate.expression);
      if (!(compiled instanceof PolicyCompileError)) return [];
      // The position is within the expression: `1:18: undefined field 'sbomm' (did you mean "sbom"?)`.
      return compiled.problems.map((problem) => ({
        path: [...at, "expression"],
        message: `${problem.line}:${problem.column}: ${problem.message}`,
      }));
    }
    default:
      return [];
  }
}

/** The problem of naming a Prometheus source that is not configured, if it is not. */
function unknownPrometheus(
  config: RailyardConfig,
  source: string,
  path: PathSegment[],
): ReferenceProblem | undefined {
  if (Object.hasOwn(config.prometheus, source)) return undefined;
  const known = Object.keys(config.prometheus);
  return {
    path,
    message:
      known.length === 0
        ? `no Prometheus "${source}": add it under \`prometheus:\` (e.g. prometheus: {${source}: {url: http://prometheus:9090}})`
        : unknownName("Prometheus", "prometheus", source, known),
  };
}

const WINDOW_EXAMPLE: Record<"good" | "bad" | "total", string> = {
  good: 'sum(rate(http_requests_total{code!~"5.."}[{window}]))',
  bad: 'sum(rate(http_requests_total{code=~"5.."}[{window}]))',
  total: "sum(rate(http_requests_total[{window}]))",
};

/**
 * Each SLO queries a configured Prometheus, has exactly one of good and bad, puts `{window}` in
 * each query (the gate fills in every window it measures), and has burn-rate alerts whose short
 * window is shorter than the long one.
 */
function checkSlos(config: RailyardConfig): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  for (const [name, slo] of Object.entries(config.slos)) {
    const at = ["slos", name];
    const source = unknownPrometheus(config, slo.source, [...at, "source"]);
    if (source) problems.push(source);
    if ((slo.good === undefined) === (slo.bad === undefined)) {
      problems.push({
        path: at,
        message:
          slo.good === undefined
            ? `needs good or bad: PromQL counting the good events (e.g. ${WINDOW_EXAMPLE.good}) or the bad ones`
            : "give good or bad, not both",
      });
    }
    for (const field of ["good", "bad", "total"] as const) {
      const query = slo[field];
      if (query === undefined || query.includes("{window}")) continue;
      problems.push({
        path: [...at, field],
        message: `has no {window}: the gate measures the SLO over its window and each burn-rate window by filling {window} in, e.g. ${WINDOW_EXAMPLE[field]}`,
      });
    }
    slo.burnRates?.forEach((alert, index) => {
      if (parseDuration(alert.short) >= parseDuration(alert.long)) {
        problems.push({
          path: [...at, "burnRates", index, "short"],
          message: `${alert.short} is not shorter than the long window ${alert.long}: the short window tells that the burn still goes on (the workbook uses 1/12 of the long one)`,
        });
      }
    });
  }
  return problems;
}

function checkSchedule(config: RailyardConfig, name: string): ReferenceProblem[] {
  try {
    compileTimetable(name, config);
    return [];
  } catch (error) {
    if (!(error instanceof InvalidScheduleError)) throw error;
    return [{ path: error.path, message: error.message }];
  }
}

/** Blackouts name existing production environments and calendars. */
function checkBlackouts(
  config: RailyardConfig,
  blackouts: readonly BlackoutConfig[],
  at: PathSegment[],
): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const environments = Object.keys(config.environments);
  const calendars = Object.keys(config.calendars);
  const names = new Set<string>();
  blackouts.forEach((blackout, index) => {
    const here = [...at, index];
    if (names.has(blackout.name)) {
      problems.push({ path: [...here, "name"], message: `duplicate blackout name "${blackout.name}"` });
    }
    names.add(blackout.name);
    blackout.environments?.forEach((environment, position) => {
      if (!Object.hasOwn(config.environments, environment)) {
        problems.push({
          path: [...here, "environments", position],
          message: unknownName("environment", "environments", environment, environments),
        });
      }
    });
    if ("calendar" in blackout && !Object.hasOwn(config.calendars, blackout.calendar)) {
      problems.push({
        path: [...here, "calendar"],
        message: unknownName("calendar", "calendars", blackout.calendar, calendars),
      });
    }
  });
  return problems;
}

/** Each approving group's team exists and has enough members; together they can fill every seat. */
function checkApproval(config: RailyardConfig, line: LineConfig, at: PathSegment[]): ReferenceProblem[] {
  const approval = line.approval;
  if (approval.mode !== "manual") return [];
  const here = [...at, "approval"];
  const groups = approvalGroups(approval);
  // The shorthand's keys are the approval's own; `required` may be left out (1).
  const pathOf = (index: number, key: "team" | "required"): PathSegment[] =>
    approval.groups
      ? [...here, "groups", index, key]
      : [...here, key === "required" && approval.required === undefined ? "team" : key];
  const problems: ReferenceProblem[] = [];
  const members = groups.map((group, index) => {
    const team = config.teams[group.team];
    if (!team) {
      problems.push({
        path: pathOf(index, "team"),
        message: unknownName("team", "teams", group.team, Object.keys(config.teams)),
      });
      return [];
    }
    if (team.members.length < group.required) {
      problems.push({
        path: pathOf(index, "required"),
        message: `needs ${plural(group.required, "approver")} but team "${group.team}" has ${plural(team.members.length, "member")}`,
      });
    }
    return team.members.map((m) => m.name);
  });
  if (problems.length > 0 || groups.length < 2) return problems;
  const people = [...new Set(members.flat())];
  const eligible = people.map((person) => members.flatMap((names, g) => (names.includes(person) ? [g] : [])));
  const seats = groups.map((g) => g.required);
  const filled = assignSeats(eligible, seats).filter((g) => g !== -1).length;
  const required = seats.reduce((sum, n) => sum + n, 0);
  if (filled < required) {
    problems.push({
      path: [...here, "groups"],
      message: `needs ${plural(required, "distinct approver")} (a person counts toward one group only), but the members of ${groups.map((g) => `"${g.team}"`).join(", ")} can fill at most ${filled} of the seats`,
    });
  }
  return problems;
}

function checkWaves(config: RailyardConfig, line: LineConfig, at: PathSegment[]): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const environments = Object.keys(config.environments);
  const production = Object.entries(config.environments)
    .filter(([, environment]) => environment.kind === "production")
    .map(([name]) => name);
  const names = new Set<string>();
  line.rollout.waves.forEach((wave, index) => {
    const waveAt = [...at, "rollout", "waves", index];
    if (names.has(wave.name)) {
      problems.push({
        path: [...waveAt, "name"],
        message: `duplicate wave name "${wave.name}": wave names must be unique within a line`,
      });
    }
    names.add(wave.name);
    wave.environments.forEach((name, position) => {
      const environment = config.environments[name];
      if (!environment) {
        problems.push({
          path: [...waveAt, "environments", position],
          message: unknownName(
            "environment",
            "environments",
            name,
            production.length > 0 ? production : environments,
          ),
        });
      } else if (environment.kind !== "production") {
        problems.push({
          path: [...waveAt, "environments", position],
          message: `"${name}" has kind "integration": waves deploy to production environments`,
        });
      }
    });
    problems.push(...checkGates(config, wave.verify, [...waveAt, "verify"]));
    problems.push(...checkGates(config, wave.gates, [...waveAt, "gates"]));
    problems.push(...checkStrategy(config, wave, waveAt));
  });
  return problems;
}

/** The gates a wave's strategy names are among its `gates`; approval teams exist. */
function checkStrategy(config: RailyardConfig, wave: WaveConfig, at: PathSegment[]): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const gates = wave.gates.map((g) => g.name);
  const unknownGate = (name: string, path: PathSegment[]) => {
    if (!gates.includes(name))
      problems.push({ path, message: unknownName("gate", `rollout.waves[${wave.name}].gates`, name, gates) });
  };
  const strategy = wave.strategy;
  if (strategy.type === "blueGreen") {
    strategy.prePromotion.forEach((name, i) => {
      unknownGate(name, [...at, "strategy", "prePromotion", i]);
    });
  }
  if (strategy.type === "canary") {
    strategy.steps.forEach((step, i) => {
      const stepAt = [...at, "strategy", "steps", i];
      if ("analysis" in step) unknownGate(step.analysis.gate, [...stepAt, "analysis", "gate"]);
      if ("approval" in step) {
        const team = config.teams[step.approval.team];
        if (!team) {
          problems.push({
            path: [...stepAt, "approval", "team"],
            message: unknownName("team", "teams", step.approval.team, Object.keys(config.teams)),
          });
        } else if (team.members.length < step.approval.required) {
          problems.push({
            path: [...stepAt, "approval", "required"],
            message: `needs ${plural(step.approval.required, "approver")} but team "${step.approval.team}" has ${plural(team.members.length, "member")}`,
          });
        }
      }
    });
  }
  return problems;
}

function checkLine(config: RailyardConfig, name: string, line: LineConfig): ReferenceProblem[] {
  const at = ["lines", name];
  const problems: ReferenceProblem[] = [];
  if (line.errorBudget && !Object.hasOwn(config.slos, line.errorBudget.slo)) {
    const known = Object.keys(config.slos);
    problems.push({
      path: [...at, "errorBudget", "slo"],
      message:
        known.length === 0
          ? `unknown SLO "${line.errorBudget.slo}": no SLOs are defined (add it under \`slos:\`, or import an OpenSLO file with \`openslo:\`)`
          : unknownName("SLO", "SLOs", line.errorBudget.slo, known),
    });
  }
  if (line.measure?.errorRate !== undefined) {
    const problem = unknownPrometheus(config, line.measure.source, [...at, "measure", "source"]);
    if (problem) problems.push(problem);
  }
  const suppressNames = new Set<string>();
  (line.incidents?.suppress ?? []).forEach((window, index) => {
    if (suppressNames.has(window.name)) {
      problems.push({
        path: [...at, "incidents", "suppress", index, "name"],
        message: `suppression window "${window.name}" is defined twice on this line; give each window its own name`,
      });
    }
    suppressNames.add(window.name);
  });
  const calendars = Object.keys(config.calendars);
  line.holidays.forEach((calendar, index) => {
    if (!Object.hasOwn(config.calendars, calendar)) {
      problems.push({
        path: [...at, "holidays", index],
        message: unknownName("calendar", "calendars", calendar, calendars),
      });
    }
  });
  const lineBlackouts = checkBlackouts(config, line.blackouts, [...at, "blackouts"]);
  problems.push(...lineBlackouts);
  // The timetable needs its calendars and blackouts to exist before it can be compiled.
  if (problems.length === 0) problems.push(...checkSchedule(config, name));
  const components = Object.keys(config.components);
  const listed = new Set<string>();
  line.components.forEach((component, index) => {
    if (!Object.hasOwn(config.components, component)) {
      problems.push({
        path: [...at, "components", index],
        message: unknownName("component", "components", component, components),
      });
    } else if (listed.has(component)) {
      problems.push({ path: [...at, "components", index], message: `"${component}" is listed twice` });
    }
    listed.add(component);
  });
  problems.push(...checkGates(config, line.gates, [...at, "gates"]));
  problems.push(...checkGates(config, line.hotfix.gates, [...at, "hotfix", "gates"]));
  problems.push(...checkApproval(config, line, at));
  problems.push(...checkWaves(config, line, at));
  const channels = Object.keys(config.notifications);
  line.notify.forEach((channel, index) => {
    if (!Object.hasOwn(config.notifications, channel)) {
      problems.push({
        path: [...at, "notify", index],
        message: unknownName("notification channel", "notification channels", channel, channels),
      });
    }
  });
  return problems;
}

/** A component rides at most one line: the first line (in file order) that lists it. */
function checkLineMembership(config: RailyardConfig): ReferenceProblem[] {
  const riding = new Map<string, string>();
  const problems: ReferenceProblem[] = [];
  for (const [name, line] of Object.entries(config.lines)) {
    line.components.forEach((component, index) => {
      const first = riding.get(component);
      if (first === undefined) riding.set(component, name);
      else if (first !== name) {
        problems.push({
          path: ["lines", name, "components", index],
          message: `"${component}" already rides line "${first}": a component rides at most one line`,
        });
      }
    });
  }
  return problems;
}

/**
 * Checks every cross-reference of a configuration whose shape is valid: teams, deployers,
 * components and environments named anywhere exist; dependencies use semver ranges, never name
 * their own component and form no cycle; a component rides at most one line; exactly one
 * environment is the integration one and waves deploy to production ones; wave and gate names are
 * unique in their stage; manual approval can be met; notify channels exist; schedules compile; a
 * GitOps deployer shared by several components gives each its own key; `slo` gates name a known
 * SLO, and each SLO queries a configured Prometheus with one of good and bad, `{window}` in every
 * query and burn-rate short windows shorter than their long ones.
 *
 * Returns every problem found, in no particular order (`parseConfig` sorts them by position);
 * an empty list means the configuration is consistent. Never throws for a bad configuration.
 */
export function checkReferences(config: RailyardConfig): ReferenceProblem[] {
  return [
    ...checkComponents(config),
    ...checkDependencyCycles(config),
    ...checkEnvironments(config),
    ...checkDeployers(config),
    ...checkBlackouts(config, config.blackouts, ["blackouts"]),
    ...Object.entries(config.lines).flatMap(([name, line]) => checkLine(config, name, line)),
    ...checkLineMembership(config),
    ...checkSameTrain(config),
    ...checkSlos(config),
    ...checkNotifications(config),
  ];
}

/**
 * Notification references: routes, reminders, teams' `notify` and email channels name existing
 * channels, lines and teams; email channels need `smtp`.
 */
function checkNotifications(config: RailyardConfig): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const channels = Object.keys(config.notifications);
  const teams = Object.keys(config.teams);
  const lines = Object.keys(config.lines);
  const channel = (name: string, path: PathSegment[]) => {
    if (!Object.hasOwn(config.notifications, name)) {
      problems.push({
        path,
        message: unknownName("notification channel", "notification channels", name, channels),
      });
    }
  };
  for (const [name, team] of Object.entries(config.teams)) {
    (team.notify ?? []).forEach((c, i) => {
      channel(c, ["teams", name, "notify", i]);
    });
  }
  for (const [name, def] of Object.entries(config.notifications)) {
    if (def.type !== "email") continue;
    def.teams.forEach((team, i) => {
      if (!Object.hasOwn(config.teams, team)) {
        problems.push({
          path: ["notifications", name, "teams", i],
          message: unknownName("team", "teams", team, teams),
        });
      }
    });
    if (!config.smtp) {
      problems.push({
        path: ["notifications", name, "type"],
        message: "an email channel needs an SMTP server: add a top-level smtp: {host, port, from}",
      });
    }
  }
  (config.routing.routes ?? []).forEach((route, index) => {
    const at: PathSegment[] = ["routing", "routes", index];
    route.to.forEach((c, i) => {
      channel(c, [...at, "to", i]);
    });
    route.match.lines?.forEach((line, i) => {
      if (!Object.hasOwn(config.lines, line)) {
        problems.push({
          path: [...at, "match", "lines", i],
          message: unknownName("line", "lines", line, lines),
        });
      }
    });
    route.match.teams?.forEach((team, i) => {
      if (!Object.hasOwn(config.teams, team)) {
        problems.push({
          path: [...at, "match", "teams", i],
          message: unknownName("team", "teams", team, teams),
        });
      }
    });
  });
  const reminders = config.routing.reminders;
  for (const kind of ["cutoff", "approval", "blocked"] as const) {
    reminders[kind].to?.forEach((c, i) => {
      channel(c, ["routing", "reminders", kind, "to", i]);
    });
  }
  return problems;
}

/**
 * A `same-train` tie binds two components to one train, so both must ride the same line (trains
 * of two lines never carry each other's components).
 */
function checkSameTrain(config: RailyardConfig): ReferenceProblem[] {
  const lineOf = new Map<string, string>();
  for (const [line, def] of Object.entries(config.lines)) {
    for (const component of def.components) if (!lineOf.has(component)) lineOf.set(component, line);
  }
  const problems: ReferenceProblem[] = [];
  for (const [name, component] of Object.entries(config.components)) {
    component.depends_on.forEach((dependency, index) => {
      if (!dependency["same-train"] || !Object.hasOwn(config.components, dependency.component)) return;
      const mine = lineOf.get(name);
      const theirs = lineOf.get(dependency.component);
      if (mine !== theirs) {
        problems.push({
          path: ["components", name, "depends_on", index, "same-train"],
          message: `same-train needs ${name} and ${dependency.component} on one line, but ${name} rides ${mine ? `line ${mine}` : "no line"} and ${dependency.component} ${theirs ? `line ${theirs}` : "no line"}`,
        });
      }
    });
  }
  return problems;
}
