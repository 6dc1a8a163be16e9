/**
 * The boarding desk: keeps each line's next trains in existence, takes artifacts pushed by CI
 * and seats them on the right train, and freezes a train's manifest at its cut-off.
 *
 * Trains are created ahead of time from the timetable: the departure still boarding (its
 * cut-off is in the future) is opened, and the one after it waits `scheduled`, so people can see
 * what comes next and CI can target it explicitly. An artifact pushed after a train's cut-off
 * boards the next train, and the answer says so.
 */
import { randomBytes, randomFillSync } from "node:crypto";
import semver from "semver";
import type { RunningVersion } from "../domain/boarding.js";
import { type NewEvent, SYSTEM_ACTOR } from "../domain/events.js";
import type { Artifact, ArtifactCi, DependencyConstraint, Train } from "../domain/model.js";
import type { Departure, Timetable } from "../domain/timetable.js";
import { ArtifactIngest, type PlannedPush } from "./artifact-ingest.js";
import { pendingAudit, sourceOf } from "./audit-trail.js";
import {
  latestPerComponent,
  manifestItemsOf,
  planFor,
  productionState,
  readinessOf,
} from "./boarding-plan.js";
import type { EngineContext } from "./context.js";
import { ConflictError, InvalidInputError, NotFoundError } from "./errors.js";
import type { StoreReader, StoreWriter } from "./ports.js";
import { transitionEvent } from "./transitions.js";

export interface ArtifactPush {
  component: string;
  version: string;
  commit: string;
  buildUrl?: string | null;
  digest?: string | null;
  /** Overrides the component's configured `depends_on` for this version. */
  dependsOn?: DependencyConstraint[] | null;
  /** The CI status of the build, when CI knows it at push time. */
  ci?: { state: ArtifactCi["state"]; url?: string | null; name?: string | null } | null;
  /** Ask for a particular train (e.g. `web-42`). */
  train?: string | null;
  /** Login names of the authors of the commits it was built from; they may not approve its train. */
  authors?: string[] | null;
  /** When the commit was made (ISO 8601); lead time (M3) counts from it, else from the push. */
  committedAt?: string | null;
}

export interface PushResult {
  artifact: Artifact;
  train: Pick<Train, "id" | "state" | "cutoffAt" | "departureAt">;
  /** True when it missed the cut-off of the train it asked for (or the open one). */
  late: boolean;
  /** True when this exact artifact had been pushed before (nothing changed). */
  replay: boolean;
  message: string;
}

const COMMIT = /^[0-9a-f]{7,64}$/i;

/**
 * New artifact IDs: `art_` and 16 base64url characters, a 6-byte counter starting at a random
 * value per process, then 6 random bytes. Consecutive pushes get neighbouring IDs, so the
 * artifacts' primary-key index grows in one place instead of dirtying a random page per push
 * (each dirty page is written again at commit); the random start and bytes keep IDs unique
 * across processes and restarts.
 */
const artifactIds = (() => {
  let counter = randomBytes(6).readUIntBE(0, 6);
  const random = Buffer.alloc(6 * 512);
  let used = random.length;
  const id = Buffer.alloc(12);
  return function nextArtifactId(): string {
    if (used === random.length) {
      randomFillSync(random);
      used = 0;
    }
    counter = (counter + 1) % 2 ** 48;
    id.writeUIntBE(counter, 0, 6);
    random.copy(id, 6, used, used + 6);
    used += 6;
    return `art_${id.toString("base64url")}`;
  };
})();

/** Scheduled and boarding trains take artifacts, also while paused. */
function acceptsArtifacts(train: Train): boolean {
  const state = train.state === "paused" ? train.resumeTo : train.state;
  return state === "boarding" || state === "scheduled";
}

/**
 * A train artifacts can board, as a push's answer shows it. Appending an artifact leaves the
 * train's row as it was, so this read before the append is the answer after it.
 */
interface OpenTrain extends Pick<Train, "id" | "state" | "cutoffAt" | "departureAt"> {
  cutoffMs: number;
}

function openTrain(train: Pick<Train, "id" | "state" | "cutoffAt" | "departureAt">): OpenTrain {
  const { id, state, cutoffAt, departureAt } = train;
  return { id, state, cutoffAt, departureAt, cutoffMs: Date.parse(cutoffAt) };
}

/** The lock key of a line: pushes and train creation of one line never interleave. */
export const lineKey = (line: string) => `line:${line}`;

/** How many departures past the boarding one {@link BoardingDesk} looks at for the next train. */
const LOOKAHEAD = 400;

/** The boarding departure and those after it, in order, read from the timetable a page at a time. */
function* departuresFrom(timetable: Timetable, first: Departure): Generator<Departure> {
  yield first;
  let after = Date.parse(first.departureAt);
  for (let seen = 0; seen < LOOKAHEAD; ) {
    const page = timetable.departuresAfter(after, 8);
    if (page.length === 0) return;
    yield* page;
    seen += page.length;
    after = Date.parse(page[page.length - 1]!.departureAt);
  }
}

/** The event skipping a train whose departure the timetable skips. */
function skipped(train: Train, departure: Departure): NewEvent {
  return transitionEvent(train, {
    event: "skip",
    actor: SYSTEM_ACTOR,
    reason: departure.reason ?? "the timetable skips this departure",
  });
}

export class BoardingDesk {
  /**
   * The boarding train per line, while its cut-off is ahead (saves work on every push). Every
   * transition of a train in this process calls {@link invalidate}, so its state is current.
   */
  private readonly open = new Map<string, OpenTrain>();
  /** Records pushes that arrive together in one transaction (group commit). */
  private readonly pushes: ArtifactIngest;

  constructor(private readonly ctx: EngineContext) {
    this.pushes = new ArtifactIngest(ctx.store, ctx.locks, ctx.clock, {
      // Be safe: forget what the failed batch's lines had cached.
      onFailure: (keys) => {
        for (const key of keys) this.open.delete(key.slice("line:".length));
      },
    });
  }

  /** Forgets cached open trains (after a reload or a transition of one of them). */
  invalidate(trainId?: string): void {
    if (trainId === undefined) {
      this.open.clear();
      return;
    }
    for (const [line, open] of this.open) if (open.id === trainId) this.open.delete(line);
  }

  /**
   * Creates the line's boarding train and the one after it if missing, and opens the boarding
   * one. Returns when to look again (the boarding train's cut-off), or null when the timetable
   * has no more departures.
   */
  async ensureTrains(line: string, now: Date): Promise<number | null> {
    return this.ctx.locks.run(lineKey(line), () =>
      this.ctx.store.transaction(async (tx) => (await this.ensureTrainsIn(tx, line, now))?.cutoffMs ?? null),
    );
  }

  private async ensureTrainsIn(tx: StoreWriter, line: string, now: Date): Promise<OpenTrain | null> {
    const timetable = this.ctx.config().timetable(line);
    const first = timetable.nextBoarding(now.getTime());
    if (!first) return null;
    const at = now.toISOString();
    // Departures from the one boarding on, in order. A train aborted before its cut-off gives its
    // place to the next departure; a departure the timetable skips becomes a skipped train, so
    // people see why there is no train that day.
    let boarding: Train | undefined;
    for (const departure of departuresFrom(timetable, first)) {
      const train = await this.trainFor(tx, line, departure, at);
      if (departure.status === "skipped") continue;
      if (boarding) {
        // The train after the boarding one waits, scheduled, until its turn.
        if (train.state === "scheduled") await tx.setWakeAt(train.id, train.cutoffAt);
        break;
      }
      if (!acceptsArtifacts(train)) continue;
      if (train.state === "scheduled") {
        await tx.append([transitionEvent(train, { event: "open", actor: SYSTEM_ACTOR })], at);
        await tx.setWakeAt(train.id, train.cutoffAt);
        this.ctx.logger.info({ train_id: train.id, line, cutoff: train.cutoffAt }, "boarding opened");
      }
      boarding = train.state === "scheduled" ? { ...train, state: "boarding" } : train;
    }
    if (!boarding) return null;
    const open = openTrain(boarding);
    this.open.set(line, open);
    return open;
  }

  /**
   * The regular train of a departure, created if missing. Its ID is the departure's
   * (`<line>-<number>`) unless a train with another departure holds that ID (the schedule
   * changed), then the next number above the line's highest. A skipped departure's train is
   * created and skipped at once with the timetable's reason.
   */
  private async trainFor(tx: StoreWriter, line: string, departure: Departure, at: string): Promise<Train> {
    const existing = await tx.findTrainByDeparture(line, departure.scheduledAt);
    if (existing) {
      // The timetable skips it now (a reload added a blackout) and it never opened: skip it.
      if (departure.status === "skipped" && existing.state === "scheduled") {
        await tx.append([skipped(existing, departure)], at);
        return (await tx.getTrain(existing.id))!;
      }
      return existing;
    }
    let number = departure.number;
    let id = departure.train;
    if (await tx.getTrain(id)) {
      number = (await tx.lastTrainNumber(line)) + 1;
      id = `${line}-${number}`;
    }
    await tx.append(
      [
        {
          type: "train.created",
          trainId: id,
          actor: SYSTEM_ACTOR,
          payload: {
            line,
            number,
            kind: "scheduled",
            cutoffAt: departure.cutoffAt,
            departureAt: departure.departureAt,
            scheduledAt: departure.scheduledAt,
            status: departure.status,
          },
        },
      ],
      at,
    );
    let train = (await tx.getTrain(id))!;
    if (departure.status === "skipped") {
      await tx.append([skipped(train, departure)], at);
      train = (await tx.getTrain(id))!;
      this.ctx.logger.info({ train_id: id, line, reason: departure.reason }, "departure skipped");
    } else {
      this.ctx.logger.info(
        {
          train_id: id,
          line,
          departure: departure.departureAt,
          ...(departure.status === "shifted"
            ? { scheduled: departure.scheduledAt, reason: departure.reason }
            : {}),
        },
        "train scheduled",
      );
    }
    return train;
  }

  /**
   * Records an artifact and boards it.
   *
   * Pushes arriving together are written in one transaction (see {@link ArtifactIngest}): each
   * is checked and planned on its own, recorded in arrival order, and answered once that
   * transaction committed, so a push is durable when it is answered and a rejected push changes
   * nothing.
   * @throws {InvalidInputError} for an unknown component, a bad version, commit or constraint
   * @throws {ConflictError} when the same component version was pushed with another commit
   * @throws {NotFoundError} when a requested train does not exist
   */
  async push(input: ArtifactPush, actor: string): Promise<PushResult> {
    const { line, dependsOn } = this.checkPush(input);
    // A push is its own audit record: `artifact.pushed` (the actor, the artifact as it now is,
    // nothing before it) carries the request's source too. A second event per push would halve
    // CI's ingest rate, and group commits mix many requests anyway.
    const audit = pendingAudit();
    const source = audit ? sourceOf(audit.who) : null;
    const boarded = await this.pushes.submit(lineKey(line), async (now) => {
      const planned = await this.plan(now, input, line, dependsOn, actor);
      if (!audit) return planned;
      return {
        ...planned,
        events: planned.events.map((e) =>
          e.type === "artifact.pushed" ? { ...e, payload: { ...e.payload, source } } : e,
        ),
      };
    });
    if (audit && boarded.eventId !== null) audit.written = true;
    if (boarded.eventId !== null) {
      this.ctx.logger.info(
        {
          train_id: boarded.result.train.id,
          line,
          component: input.component,
          artifact: boarded.result.artifact.id,
          event_id: boarded.eventId,
          late: boarded.result.late,
        },
        "artifact boarded",
      );
    }
    return boarded.result;
  }

  /**
   * Checks a push against the configuration; returns the component's line and constraints.
   * @throws {InvalidInputError}
   */
  private checkPush(input: ArtifactPush): { line: string; dependsOn: DependencyConstraint[] } {
    const config = this.ctx.config();
    const component = config.config.components[input.component];
    if (!component) {
      throw new InvalidInputError(
        `unknown component "${input.component}": configured components are ${Object.keys(config.config.components).join(", ")}`,
        { field: "component" },
      );
    }
    const line = config.lineOf(input.component);
    if (!line) {
      throw new InvalidInputError(
        `component ${input.component} rides no line: add it to a line's components`,
        {
          field: "component",
        },
      );
    }
    if (!semver.valid(input.version)) {
      throw new InvalidInputError(`version "${input.version}" is not a semantic version such as 1.4.2`, {
        field: "version",
      });
    }
    if (!COMMIT.test(input.commit)) {
      throw new InvalidInputError(`commit "${input.commit}" is not a Git commit SHA (7 to 64 hex digits)`, {
        field: "commit",
      });
    }
    const dependsOn: DependencyConstraint[] = (
      input.dependsOn ??
      component.depends_on.map((d) => ({
        component: d.component,
        version: d.version,
        sameTrain: d["same-train"],
      }))
    ).map((d) =>
      d.sameTrain
        ? { component: d.component, version: d.version, sameTrain: true }
        : { component: d.component, version: d.version },
    );
    for (const [i, dep] of dependsOn.entries()) {
      if (!config.config.components[dep.component]) {
        throw new InvalidInputError(`dependsOn[${i}].component: unknown component "${dep.component}"`, {
          field: `dependsOn[${i}].component`,
        });
      }
      if (!semver.validRange(dep.version)) {
        throw new InvalidInputError(`dependsOn[${i}].version: "${dep.version}" is not a semver range`, {
          field: `dependsOn[${i}].version`,
        });
      }
    }
    return { line, dependsOn };
  }

  /**
   * Plans one checked push at `now`, holding the line's lock: picks its train (creating the
   * line's next trains if the timetable needs them) and builds its event. Throws to refuse the
   * push before anything of it is written; the answer may still refuse it once the store says
   * the version exists (with another commit). `eventId` is null for a replay.
   */
  private async plan(
    now: Date,
    input: ArtifactPush,
    line: string,
    dependsOn: DependencyConstraint[],
    actor: string,
  ): Promise<PlannedPush<{ result: PushResult; eventId: number | null }>> {
    let late = false;
    let target: OpenTrain | null = null;
    let note = "";
    if (input.train) {
      const asked = await this.ctx.store.getTrain(input.train);
      if (!asked) throw new NotFoundError(`no train "${input.train}" on line ${line}`);
      if (asked.line !== line) {
        throw new InvalidInputError(
          `${asked.id} is a train of line ${asked.line}; component ${input.component} rides line ${line}`,
          { field: "train" },
        );
      }
      const canBoard = acceptsArtifacts(asked) && now.getTime() < Date.parse(asked.cutoffAt);
      if (canBoard) {
        target = openTrain(asked);
      } else {
        late = true;
        note =
          now.getTime() >= Date.parse(asked.cutoffAt)
            ? `${asked.id}'s boarding closed at ${asked.cutoffAt} (it is ${asked.state})`
            : `${asked.id} is ${asked.state} and takes no artifacts`;
      }
    }
    if (!target) {
      const cached = this.open.get(line);
      target =
        cached && now.getTime() < cached.cutoffMs
          ? cached
          : await this.ctx.store.transaction((tx) => this.ensureTrainsIn(tx, line, now));
      if (!input.train && cached && now.getTime() >= cached.cutoffMs) {
        late = true;
        note = `${cached.id}'s boarding closed at ${new Date(cached.cutoffMs).toISOString()}`;
      }
    }
    if (!target) {
      throw new ConflictError(`line ${line} has no more departures in its timetable; nothing can board`);
    }
    const train = target;
    const artifact: Artifact = {
      id: artifactIds(),
      component: input.component,
      version: input.version,
      commit: input.commit.toLowerCase(),
      buildUrl: input.buildUrl ?? null,
      digest: input.digest ?? null,
      dependsOn,
      ci: input.ci
        ? { state: input.ci.state, url: input.ci.url ?? null, name: input.ci.name?.trim() || "ci" }
        : null,
      trainId: train.id,
      dropped: false,
      pushedBy: actor,
      authors: [...new Set((input.authors ?? []).map((a) => a.trim()).filter((a) => a.length > 0))],
      pushedAt: now.toISOString(),
    };
    const event: NewEvent = {
      type: "artifact.pushed",
      trainId: train.id,
      actor,
      payload: {
        artifactId: artifact.id,
        component: artifact.component,
        version: artifact.version,
        commit: artifact.commit,
        buildUrl: artifact.buildUrl,
        digest: artifact.digest,
        dependsOn,
        boardedTrain: train.id,
        late,
        requestedTrain: input.train ?? null,
        ...(artifact.ci ? { ci: artifact.ci } : {}),
        ...(artifact.authors.length > 0 ? { authors: artifact.authors } : {}),
        ...(input.committedAt ? { committedAt: new Date(input.committedAt).toISOString() } : {}),
      },
    };
    return {
      component: input.component,
      version: input.version,
      events: [event],
      answer: (stored) => {
        if (stored.kind === "exists") {
          return { result: this.replay(stored.artifact, stored.train, input), eventId: null };
        }
        const boarded = `${input.component} ${input.version} boarded ${train.id} (cut-off ${train.cutoffAt}, departs ${train.departureAt})`;
        return {
          eventId: stored.eventIds[0] ?? null,
          result: {
            artifact,
            train: {
              id: train.id,
              state: train.state,
              cutoffAt: train.cutoffAt,
              departureAt: train.departureAt,
            },
            late,
            replay: false,
            message: late ? `${note}; ${boarded} instead` : boarded,
          },
        };
      },
    };
  }

  /** The answer to a push of a version that exists: unchanged, or refused for another commit. */
  private replay(existing: Artifact, train: Train | null, input: ArtifactPush): PushResult {
    if (existing.commit !== input.commit.toLowerCase()) {
      throw new ConflictError(
        `${existing.component} ${existing.version} was already pushed with commit ${existing.commit}; a version names one build — push a new version`,
        { artifact: existing.id },
      );
    }
    return {
      artifact: existing,
      train: train
        ? { id: train.id, state: train.state, cutoffAt: train.cutoffAt, departureAt: train.departureAt }
        : { id: "", state: "skipped", cutoffAt: "", departureAt: "" },
      late: false,
      replay: true,
      message: `${existing.component} ${existing.version} was already pushed; it is on ${existing.trainId ?? "no train"}`,
    };
  }

  /**
   * The versions running in production now, per component, with their recorded constraints
   * (see {@link productionState}).
   */
  productionState(reader: StoreReader = this.ctx.store): Promise<Map<string, RunningVersion>> {
    return productionState(this.ctx, reader);
  }

  /**
   * Freezes a train at its cut-off: the latest artifact per component, minus those whose
   * dependencies would not hold. Held artifacts ride the next train. Skips the train when nothing
   * can board. Call under the train's lock.
   */
  async freeze(train: Train): Promise<void> {
    const line = train.line;
    let summary = { boarded: 0, held: 0, carriedTo: null as string | null };
    await this.ctx.locks.run(lineKey(line), () =>
      this.ctx.store.transaction(async (tx) => {
        const now = this.ctx.clock.now();
        const at = now.toISOString();
        const production = await productionState(this.ctx, tx);
        const artifacts = latestPerComponent(await tx.listArtifacts({ trainId: train.id, limit: 10_000 }));
        const notReady = await readinessOf(this.ctx, tx, line, artifacts);
        const plan = planFor(artifacts, notReady, production);
        const { boarded, held } = plan;
        const items = manifestItemsOf(plan, production);
        const events: NewEvent[] = [];
        if (items.length > 0) {
          events.push({
            type: "manifest.frozen",
            trainId: train.id,
            actor: SYSTEM_ACTOR,
            payload: { revision: 1, items },
          });
        }
        if (boarded.length === 0) {
          const reason =
            held.length === 0
              ? "nothing boarded before the cut-off"
              : `every component was held: ${held.map((h) => h.reason).join("; ")}`;
          events.push(transitionEvent(train, { event: "skip", actor: SYSTEM_ACTOR, reason }));
        } else {
          const list = boarded.map((c) => `${c.component} ${c.version}`).join(", ");
          const heldNote = held.length > 0 ? `; held: ${held.map((h) => h.component).join(", ")}` : "";
          events.push(
            transitionEvent(train, { event: "freeze", actor: SYSTEM_ACTOR, reason: `${list}${heldNote}` }),
          );
        }
        await tx.append(events, at);
        await tx.setWakeAt(train.id, at);
        summary = { boarded: boarded.length, held: held.length, carriedTo: null };
        if (held.length === 0) return;
        // Held artifacts ride the next train, unless a newer build of the component boarded it.
        const next = await this.ensureTrainsIn(tx, line, now);
        if (!next || next.id === train.id) return;
        const onNext = new Set(
          (await tx.listArtifacts({ trainId: next.id, limit: 10_000 }))
            .filter((a) => !a.dropped)
            .map((a) => a.component),
        );
        const carried: NewEvent[] = held
          .filter((h) => !onNext.has(h.component))
          .map((h) => ({
            type: "artifact.carried",
            trainId: train.id,
            actor: SYSTEM_ACTOR,
            payload: {
              artifactId: h.artifactId ?? "",
              component: h.component,
              version: h.version,
              toTrain: next.id,
              reason: h.reason,
            },
          }));
        if (carried.length > 0) await tx.append(carried, at);
        summary.carriedTo = next.id;
      }),
    );
    this.invalidate(train.id);
    this.ctx.logger.info(
      {
        train_id: train.id,
        line,
        boarded: summary.boarded,
        held: summary.held,
        carried_to: summary.carriedTo,
      },
      summary.boarded === 0 ? "train skipped" : "manifest frozen",
    );
  }
}
