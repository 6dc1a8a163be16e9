/**
 * Checklist gates in the engine: people tick items (audited, by role), the gate passes once every
 * item is ticked for the train's current manifest revision, and the tick that completes a
 * checklist whose gate blocked the train retries it, so the gate is judged again at once.
 */
import {
  type ChecklistItem,
  type ChecklistVerdict,
  checklistItems,
  evaluateChecklist,
} from "../domain/checklists.js";
import type { ChecklistGateConfig, GateConfig, LineConfig } from "../domain/config/schema.js";
import type { Train } from "../domain/model.js";
import { isTerminal } from "../domain/train-state.js";
import { type Principal, requireOneOf } from "./actions.js";
import { type EngineContext, nowInstant } from "./context.js";
import { ConflictError, InvalidInputError, NotFoundError } from "./errors.js";
import type { GateRunner, StoreReader } from "./ports.js";

/** A checklist gate of a line, with its stage. */
interface Located {
  gate: ChecklistGateConfig;
  /** `gating`, `hotfix` or `verify/<wave>`. */
  stage: string;
}

function checklistGates(line: LineConfig): Located[] {
  const found: Located[] = [];
  const add = (gates: readonly GateConfig[], stage: string) => {
    for (const gate of gates) if (gate.type === "checklist") found.push({ gate, stage });
  };
  add(line.gates, "gating");
  add(line.hotfix.gates, "hotfix");
  for (const wave of line.rollout.waves) add(wave.verify, `verify/${wave.name}`);
  return found;
}

/** A checklist of a train as people see it. */
export interface ChecklistView {
  gate: string;
  stage: string;
  revision: number;
  complete: boolean;
  items: Array<ChecklistItem & { ticked: { by: string; at: string; note: string | null } | null }>;
}

function view(located: Located, verdict: ChecklistVerdict, revision: number): ChecklistView {
  const ticked = new Map(verdict.ticked.map((t) => [t.id, t]));
  return {
    gate: located.gate.name,
    stage: located.stage,
    revision,
    complete: verdict.verdict === "pass",
    items: checklistItems(located.gate).map((item) => {
      const t = ticked.get(item.id);
      return { ...item, ticked: t ? { by: t.by, at: t.at, note: t.note } : null };
    }),
  };
}

export class Checklists {
  constructor(
    private readonly ctx: EngineContext,
    /** Retries a blocked train as the person whose tick completed its checklist. */
    private readonly retry: (trainId: string, who: Principal) => Promise<Train>,
  ) {}

  /** The checklists of a train's line, with what is ticked for its current revision. */
  async list(trainId: string): Promise<ChecklistView[]> {
    const train = await this.train(trainId);
    const line = this.ctx.config().line(train.line);
    const ticks = await this.ctx.store.listChecklistTicks(trainId);
    return checklistGates(line).map((located) =>
      view(
        located,
        evaluateChecklist(
          checklistItems(located.gate),
          ticks.filter((t) => t.gate === located.gate.name),
          train.manifestRevision,
        ),
        train.manifestRevision,
      ),
    );
  }

  /**
   * Ticks an item for the train's current manifest revision. When that completes a checklist
   * whose gate blocked the train, the train is retried (as the person who ticked).
   * @throws {NotFoundError} for an unknown train, checklist gate or item
   * @throws {ForbiddenError} without one of the item's roles
   * @throws {ConflictError} when the train has ended or the item is ticked already
   */
  async tick(
    trainId: string,
    gateName: string,
    itemId: string,
    who: Principal,
    note: string | null,
  ): Promise<{ checklist: ChecklistView; retried: boolean }> {
    const train = await this.train(trainId);
    if (isTerminal(train.state)) throw new ConflictError(`${train.id} has ended (${train.state})`);
    const line = this.ctx.config().line(train.line);
    const gates = checklistGates(line).filter((g) => g.gate.name === gateName);
    if (gates.length === 0) {
      const names = checklistGates(line).map((g) => g.gate.name);
      throw new NotFoundError(
        names.length === 0
          ? `line ${train.line} has no checklist gates`
          : `no checklist gate "${gateName}" on line ${train.line}: its checklists are ${[...new Set(names)].join(", ")}`,
      );
    }
    const located = gates[0]!;
    const item = checklistItems(located.gate).find((i) => i.id === itemId);
    if (!item) {
      throw new NotFoundError(
        `checklist ${gateName} has no item "${itemId}": its items are ${checklistItems(located.gate)
          .map((i) => i.id)
          .join(", ")}`,
      );
    }
    requireOneOf(who, item.roles, `tick "${item.text}" on ${train.id}`);
    const text = note?.trim() || null;
    if (text && text.length > 2000)
      throw new InvalidInputError("note: 2,000 characters at most", { field: "note" });
    await this.ctx.locks.run(trainId, () =>
      this.ctx.store.transaction(async (tx) => {
        const current = (await tx.getTrain(trainId))!;
        const done = (await tx.listChecklistTicks(trainId)).find(
          (t) => t.gate === gateName && t.item === itemId && t.revision === current.manifestRevision,
        );
        if (done) {
          throw new ConflictError(
            `"${item.text}" is ticked already on ${trainId} (by ${done.actor} at ${done.at}) for manifest revision ${current.manifestRevision}`,
          );
        }
        await tx.append(
          [
            {
              type: "checklist.ticked",
              trainId,
              actor: who.subject,
              payload: { gate: gateName, item: itemId, revision: current.manifestRevision, note: text },
            },
          ],
          nowInstant(this.ctx),
        );
      }),
    );
    this.ctx.logger.info(
      { train_id: trainId, gate: gateName, item: itemId, actor: who.subject },
      "checklist item ticked",
    );
    const checklist = (await this.list(trainId)).find((c) => c.gate === gateName)!;
    let retried = false;
    if (checklist.complete && (await this.blockedBy(trainId, gateName))) {
      await this.retry(trainId, who);
      retried = true;
    }
    return { checklist, retried };
  }

  /** Whether the train is blocked and its latest evaluation of `gateName` failed. */
  private async blockedBy(trainId: string, gateName: string): Promise<boolean> {
    const train = await this.train(trainId);
    if (train.state !== "blocked") return false;
    const results = (await this.ctx.store.listGateResults(trainId)).filter((r) => r.gate === gateName);
    return results.at(-1)?.status === "failed";
  }

  private async train(trainId: string): Promise<Train> {
    const train = await this.ctx.store.getTrain(trainId);
    if (!train) throw new NotFoundError(`no train "${trainId}"`);
    return train;
  }
}

/** Wraps `inner` so that `checklist` gates are judged from the ticks recorded for the train. */
export function withChecklistGates(
  inner: GateRunner,
  store: Pick<StoreReader, "getTrain" | "listChecklistTicks">,
): GateRunner {
  return {
    async run(gate, context) {
      if (gate.type !== "checklist") return inner.run(gate, context);
      const started = performance.now();
      const train = await store.getTrain(context.trainId);
      const ticks = (await store.listChecklistTicks(context.trainId)).filter((t) => t.gate === gate.name);
      const result = evaluateChecklist(checklistItems(gate), ticks, train?.manifestRevision ?? 0);
      return {
        status: result.verdict === "pass" ? "passed" : "failed",
        verdict: result.verdict,
        output:
          result.verdict === "pass"
            ? result.output
            : `${result.output}\ntick them with railyard checklist tick ${context.trainId} ${gate.name} ITEM; the last tick evaluates the gate again`,
        durationMs: Math.round(performance.now() - started),
      };
    },
  };
}
