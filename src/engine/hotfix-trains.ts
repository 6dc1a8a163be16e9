/**
 * Hotfix trains: unscheduled trains a coordinator starts on a line with component versions CI
 * already pushed, an audited reason, the line's fast-track `hotfix.gates`, its approval and its
 * rollout. A hotfix train ignores the line's window but respects blackouts: starting one inside a
 * blackout needs an exception, given with the request.
 *
 * The ID is `<line>-<n>-hotfix-<k>`: `n` the number of the line's latest regular train that reached
 * production (else the latest regular train, else 0), `k` counting hotfixes on `n`. Hotfix trains
 * never take a regular train's number or departure, so the timetable is never disturbed.
 */
import type { NewEvent } from "../domain/events.js";
import type { Train } from "../domain/model.js";
import { hasTouchedProduction } from "../domain/train-state.js";
import { type Principal, requireOneOf } from "./actions.js";
import { type BoardingDesk, lineKey } from "./boarding-desk.js";
import { manifestItemsOf, planFor } from "./boarding-plan.js";
import { type EngineContext, nowInstant } from "./context.js";
import { ConflictError, InvalidInputError, NotFoundError } from "./errors.js";
import { transitionEvent } from "./transitions.js";

/** What a person asks for when starting a hotfix train. */
export interface HotfixRequest {
  /** Component versions to ship, each already pushed as an artifact; at least one. */
  components: Array<{ component: string; version: string }>;
  /** Why the hotfix cannot wait for the next train (audited). */
  reason: string;
  /** Required when a blackout stops the line now: why the hotfix may go through it (audited). */
  exceptionReason?: string | null;
}

/** Starts hotfix trains (see the module comment); one per engine. */
export class HotfixTrains {
  constructor(
    private readonly ctx: EngineContext,
    private readonly desk: BoardingDesk,
  ) {}

  /**
   * Starts a hotfix train: created, opened and frozen with the requested versions at once; the
   * reconciler then integrates it and runs the line's hotfix gates.
   * @throws {NotFoundError} for an unknown line, or a version that was never pushed
   * @throws {ForbiddenError} when the person holds none of `hotfix.roles` (or, in a blackout, none
   *   of its `exceptionRoles`)
   * @throws {InvalidInputError} without a reason or components, or for a component that does not
   *   ride the line or is named twice
   * @throws {ConflictError} when a blackout stops the line now and no `exceptionReason` was given
   */
  async start(lineName: string, input: HotfixRequest, who: Principal): Promise<Train> {
    const config = this.ctx.config();
    const line = config.line(lineName);
    requireOneOf(who, line.hotfix.roles, `start a hotfix train on line ${lineName}`);
    const reason = input.reason.trim();
    if (!reason) {
      throw new InvalidInputError(
        "a hotfix train needs a reason saying why it cannot wait for the next train",
        {
          field: "reason",
        },
      );
    }
    if (input.components.length === 0) {
      throw new InvalidInputError("a hotfix train needs at least one component version", {
        field: "components",
      });
    }
    const seen = new Set<string>();
    input.components.forEach(({ component }, index) => {
      if (!line.components.includes(component)) {
        const rides = config.lineOf(component);
        throw new InvalidInputError(
          `components[${index}].component: ${component} ${rides ? `rides line ${rides}` : "rides no line"}, not ${lineName}; line ${lineName} carries ${line.components.join(", ")}`,
          { field: `components[${index}].component` },
        );
      }
      if (seen.has(component)) {
        throw new InvalidInputError(`components[${index}].component: ${component} is named twice`, {
          field: `components[${index}].component`,
        });
      }
      seen.add(component);
    });
    const exceptionReason = input.exceptionReason?.trim() || null;

    const train = await this.ctx.locks.run(lineKey(lineName), () =>
      this.ctx.store.transaction(async (tx) => {
        const now = this.ctx.clock.now();
        const at = nowInstant(this.ctx);
        const artifacts = [];
        for (const [index, { component, version }] of input.components.entries()) {
          const artifact = await tx.findArtifact(component, version);
          if (!artifact) {
            throw new NotFoundError(
              `components[${index}]: ${component} ${version} has not been pushed; push it first (railyard artifact push --component ${component} --version ${version} --commit <sha>)`,
              { field: `components[${index}].version` },
            );
          }
          artifacts.push(artifact);
        }

        // A hotfix ignores the window, not blackouts: every wave of the line must be free to go.
        const environments = [...new Set(line.rollout.waves.flatMap((w) => w.environments))];
        const stopping = config.deploymentRules(lineName).blackoutsAt(now.getTime(), environments);
        const blackouts = [...new Map(stopping.map((b) => [b.name, b])).values()];
        if (blackouts.length > 0) {
          const what = blackouts.map((b) => `blackout ${b.name} (${b.reason})`).join("; ");
          const roles = [...new Set(blackouts.flatMap((b) => b.exceptionRoles))];
          if (!exceptionReason) {
            throw new ConflictError(
              `${what} stops deployments of line ${lineName} until ${new Date(Math.max(...blackouts.map((b) => b.end))).toISOString()}; to start the hotfix through it, give an exception reason (exceptionReason, railyard hotfix --exception-reason) as someone holding one of the roles ${roles.join(", ")}`,
              { blackouts: blackouts.map((b) => b.name), exceptionRoles: roles },
            );
          }
          for (const b of blackouts) {
            requireOneOf(who, b.exceptionRoles, `start a hotfix train through blackout ${b.name}`);
          }
        }

        const follows =
          (await tx.lastRegularTrain(lineName, { reachedProduction: true })) ??
          (await tx.lastRegularTrain(lineName, { reachedProduction: false }));
        const number = follows?.number ?? 0;
        const k = (await tx.countHotfixes(lineName, number)) + 1;
        const id = `${lineName}-${number}-hotfix-${k}`;
        // A hotfix is resolved like any train: it ships only if every constraint holds after it,
        // against production as the line's trains already rolling out will leave it.
        const production = await this.desk.productionState(tx);
        const ahead = (await tx.listTrains({ line: lineName, active: true, limit: 1000 })).filter((t) =>
          hasTouchedProduction(t),
        );
        const rollingOut = new Map(production);
        for (const t of ahead.sort((a, b) => a.departureAt.localeCompare(b.departureAt))) {
          for (const item of await tx.getManifest(t.id)) {
            if (item.status !== "boarded") continue;
            rollingOut.set(item.component, {
              component: item.component,
              version: item.version,
              dependsOn: item.dependsOn,
            });
          }
        }
        const plan = planFor(artifacts, new Map(), rollingOut);
        if (plan.held.length > 0) {
          throw new ConflictError(
            `the hotfix cannot ship as asked: ${plan.held.map((h) => h.reason).join("; ")}; add the versions it needs to the hotfix`,
            {
              held: plan.held.map((h) => ({
                component: h.component,
                version: h.version,
                reasons: h.reasons,
              })),
            },
          );
        }
        const items = manifestItemsOf(plan, production);

        await tx.append(
          [
            {
              type: "train.created",
              trainId: id,
              actor: who.subject,
              payload: {
                line: lineName,
                number,
                kind: "hotfix",
                cutoffAt: at,
                departureAt: at,
                scheduledAt: null,
                hotfixOf: number,
                reason,
              },
            },
            ...blackouts.map(
              (b): NewEvent => ({
                type: "exception.granted",
                trainId: id,
                actor: who.subject,
                payload: { blackout: b.name, reason: exceptionReason! },
              }),
            ),
          ],
          at,
        );
        const created = (await tx.getTrain(id))!;
        const list = items.map((i) => `${i.component} ${i.version}`).join(", ");
        await tx.append(
          [
            transitionEvent(created, { event: "open", actor: who.subject, reason: `hotfix: ${reason}` }),
            {
              type: "manifest.frozen",
              trainId: id,
              actor: who.subject,
              payload: { revision: 1, items },
            },
            transitionEvent(
              { ...created, state: "boarding" },
              { event: "freeze", actor: who.subject, reason: `hotfix: ${reason} (${list})` },
            ),
          ],
          at,
        );
        await tx.setWakeAt(id, at);
        return (await tx.getTrain(id))!;
      }),
    );
    this.ctx.logger.info(
      { train_id: train.id, line: lineName, actor: who.subject, reason },
      "hotfix train started",
    );
    this.ctx.wake();
    return train;
  }
}
