/**
 * Applies one stored event to the projection tables (the current state), inside the transaction
 * that appends it. The projections can always be rebuilt by replaying the event log through
 * {@link Projector.apply}.
 */
import type { Kysely, Updateable } from "kysely";
import type { StoredEvent } from "../domain/events.js";
import { TERMINAL_STATES } from "../domain/train-state.js";
import type { ArtifactsTable, Database, TrainsTable } from "./database.js";
import { ProjectionError } from "./errors.js";
import { QueryTemplate } from "./query-template.js";
import { toDbBoolean } from "./row-mapping.js";

/** The settings key `config.loaded` writes the configuration's hash to. */
export const CONFIG_HASH_SETTING = "config.hash";

/** Projects events; one instance per store (it holds precompiled queries). */
export class Projector {
  // An artifact push is the most frequent write (CI pushes); its insert is compiled once.
  readonly #insertArtifact: QueryTemplate<ArtifactsTable>;

  /** @param db the store's root handle, used to compile queries (never to run them). */
  constructor(db: Kysely<Database>) {
    this.#insertArtifact = new QueryTemplate((slot) =>
      db.insertInto("artifacts").values({
        id: slot("id"),
        component: slot("component"),
        version: slot("version"),
        commit_sha: slot("commit_sha"),
        build_url: slot("build_url"),
        digest: slot("digest"),
        depends_on: slot("depends_on"),
        ci: slot("ci"),
        train_id: slot("train_id"),
        dropped: slot("dropped"),
        pushed_by: slot("pushed_by"),
        authors: slot("authors"),
        pushed_at: slot("pushed_at"),
        event_id: slot("event_id"),
      }),
    );
  }

  /**
   * Applies `event` in `db` (the appending transaction).
   * @throws {ProjectionError} when the event names a train, step or token that does not exist or
   *   lacks a train ID it needs.
   * @throws the database's error when a constraint fails (a duplicate artifact version).
   * Either way the caller's transaction must be rolled back.
   */
  async apply(db: Kysely<Database>, event: StoredEvent): Promise<void> {
    switch (event.type) {
      case "train.created": {
        const { payload } = event;
        await db
          .insertInto("trains")
          .values({
            id: requireTrainId(event),
            line: payload.line,
            number: payload.number,
            kind: payload.kind,
            state: "scheduled",
            resume_to: null,
            reason: payload.reason ?? null,
            cutoff_at: payload.cutoffAt,
            departure_at: payload.departureAt,
            // Events from before hotfix trains have no scheduledAt: every train was regular then.
            scheduled_at:
              payload.scheduledAt !== undefined
                ? payload.scheduledAt
                : payload.kind === "scheduled"
                  ? payload.departureAt
                  : null,
            pause_cause: null,
            resume_at: null,
            manifest_revision: 0,
            current_wave: -1,
            wave_deployed_at: null,
            wake_at: event.time,
            created_at: event.time,
            updated_at: event.time,
            ended_at: null,
          })
          .execute();
        return;
      }
      case "train.transitioned": {
        const { payload } = event;
        const paused = payload.to === "paused";
        const changes: Updateable<TrainsTable> = {
          state: payload.to,
          resume_to: payload.resumeTo ?? null,
          reason: payload.reason ?? null,
          updated_at: event.time,
          // Pauses recorded before causes existed were all by hand.
          pause_cause: paused ? (payload.cause ?? "manual") : null,
          resume_at: paused ? (payload.resumeAt ?? null) : null,
        };
        if (typeof payload.wave === "number") {
          if (payload.event === "depart" || payload.event === "next_wave") {
            changes.current_wave = payload.wave;
            changes.wave_deployed_at = null;
          } else if (payload.event === "wave_deployed") {
            changes.wave_deployed_at = event.time;
          }
        }
        if (payload.event === "rollback") {
          changes.rollback_scope = payload.scope ? JSON.stringify(payload.scope) : null;
        }
        if (TERMINAL_STATES.includes(payload.to)) {
          changes.ended_at = event.time;
          changes.wake_at = null;
        }
        await this.#updateTrain(db, event, changes);
        return;
      }
      case "artifact.pushed": {
        const { payload } = event;
        await this.#insertArtifact.run(db, {
          id: payload.artifactId,
          component: payload.component,
          version: payload.version,
          commit_sha: payload.commit,
          build_url: payload.buildUrl,
          digest: payload.digest,
          depends_on: JSON.stringify(payload.dependsOn),
          ci: payload.ci ? JSON.stringify(payload.ci) : null,
          train_id: payload.boardedTrain,
          dropped: toDbBoolean(false),
          pushed_by: event.actor,
          authors: payload.authors?.length ? JSON.stringify(payload.authors) : null,
          pushed_at: event.time,
          event_id: event.id,
        });
        return;
      }
      case "artifact.carried": {
        const { payload } = event;
        // A dropped artifact rides the next train as any other: not dropped there.
        const carried = await db
          .updateTable("artifacts")
          .set({ train_id: payload.toTrain, dropped: toDbBoolean(false) })
          .where("id", "=", payload.artifactId)
          .executeTakeFirst();
        if (carried.numUpdatedRows === 0n) {
          throw new ProjectionError(event.type, event.id, `no artifact ${payload.artifactId}`);
        }
        return;
      }
      case "manifest.frozen": {
        const trainId = requireTrainId(event);
        const { payload } = event;
        await db.deleteFrom("manifest_items").where("train_id", "=", trainId).execute();
        if (payload.items.length > 0) {
          await db
            .insertInto("manifest_items")
            .values(
              payload.items.map((item) => ({
                train_id: trainId,
                component: item.component,
                version: item.version,
                artifact_id: item.artifactId,
                previous_version: item.previousVersion,
                status: item.status,
                reason: item.reason,
                revision: payload.revision,
                depends_on: JSON.stringify(item.dependsOn ?? []),
              })),
            )
            .execute();
        }
        await this.#updateTrain(db, event, { manifest_revision: payload.revision });
        return;
      }
      case "component.dropped": {
        const trainId = requireTrainId(event);
        const { payload } = event;
        const dropped = await db
          .updateTable("manifest_items")
          .set({ status: "dropped", reason: payload.reason, revision: payload.revision })
          .where("train_id", "=", trainId)
          .where("component", "=", payload.component)
          .executeTakeFirst();
        if (dropped.numUpdatedRows > 0n) {
          await this.#updateTrain(db, event, { manifest_revision: payload.revision });
        }
        await db
          .updateTable("artifacts")
          .set({ dropped: toDbBoolean(true) })
          .where("train_id", "=", trainId)
          .where("component", "=", payload.component)
          .execute();
        return;
      }
      case "ci.reported": {
        const { payload } = event;
        const row = {
          state: payload.state,
          conclusion: payload.conclusion,
          url: payload.url,
          ref: payload.ref,
          reported_at: payload.reportedAt,
          event_id: event.id,
        };
        await db
          .insertInto("ci_statuses")
          .values({
            repository: payload.repository,
            commit_sha: payload.commit,
            provider: payload.provider,
            name: payload.name,
            ...row,
          })
          .onConflict((conflict) =>
            conflict.columns(["repository", "commit_sha", "provider", "name"]).doUpdateSet(row),
          )
          .execute();
        return;
      }
      case "component.pinned": {
        const { payload } = event;
        const row = {
          line: payload.line,
          version: payload.version,
          reason: payload.reason,
          actor: event.actor,
          pinned_at: event.time,
        };
        await db
          .insertInto("pins")
          .values({ component: payload.component, ...row })
          .onConflict((conflict) => conflict.column("component").doUpdateSet(row))
          .execute();
        return;
      }
      case "component.unpinned":
        await db.deleteFrom("pins").where("component", "=", event.payload.component).execute();
        return;
      case "report.received": {
        const { payload } = event;
        await db
          .insertInto("artifact_reports")
          .values({
            id: payload.reportId,
            artifact_id: payload.artifactId,
            kind: payload.kind,
            format: payload.format,
            name: payload.name,
            sha256: payload.sha256,
            size: payload.size,
            received_at: event.time,
            actor: event.actor,
            event_id: event.id,
          })
          .execute();
        return;
      }
      case "tests.reported": {
        const { payload } = event;
        await db
          .insertInto("test_reports")
          .values({
            id: payload.reportId,
            train_id: requireTrainId(event),
            revision: payload.revision,
            suite: payload.suite,
            summary: JSON.stringify(payload.summary),
            cases: JSON.stringify(payload.cases),
            received_at: event.time,
            actor: event.actor,
            event_id: event.id,
          })
          .execute();
        return;
      }
      case "waiver.granted": {
        const { payload } = event;
        await db
          .insertInto("waivers")
          .values({
            id: payload.waiverId,
            component: payload.component,
            finding: payload.finding,
            justification: payload.justification,
            approver: event.actor,
            expires_at: payload.expiresAt,
            created_at: event.time,
            revoked_at: null,
            revoked_by: null,
            revoke_reason: null,
            event_id: event.id,
          })
          .execute();
        return;
      }
      case "waiver.revoked": {
        const { payload } = event;
        const revoked = await db
          .updateTable("waivers")
          .set({ revoked_at: event.time, revoked_by: event.actor, revoke_reason: payload.reason })
          .where("id", "=", payload.waiverId)
          .executeTakeFirst();
        if (revoked.numUpdatedRows === 0n) {
          throw new ProjectionError(event.type, event.id, `no waiver ${payload.waiverId}`);
        }
        return;
      }
      case "checklist.ticked": {
        const { payload } = event;
        await db
          .insertInto("checklist_ticks")
          .values({
            train_id: requireTrainId(event),
            gate: payload.gate,
            item: payload.item,
            revision: payload.revision,
            actor: event.actor,
            note: payload.note,
            ticked_at: event.time,
            event_id: event.id,
          })
          .execute();
        return;
      }
      case "step.started": {
        const { payload } = event;
        await db
          .insertInto("steps")
          .values({
            id: payload.stepId,
            train_id: requireTrainId(event),
            key: payload.key,
            kind: payload.kind,
            attempt: payload.attempt,
            status: "running",
            idempotency_key: payload.idempotencyKey,
            started_at: event.time,
            finished_at: null,
            output: null,
            error: null,
            duration_ms: null,
            event_id: event.id,
          })
          // A step resumed after a crash is started again under the same id: keep the first row.
          .onConflict((conflict) => conflict.column("id").doNothing())
          .execute();
        return;
      }
      case "step.finished": {
        const { payload } = event;
        const updated = await db
          .updateTable("steps")
          .set({
            status: payload.status,
            output: payload.output,
            error: payload.error,
            duration_ms: payload.durationMs,
            finished_at: event.time,
          })
          .where("id", "=", payload.stepId)
          .executeTakeFirst();
        if (updated.numUpdatedRows === 0n) {
          throw new ProjectionError(event.type, event.id, `no step ${payload.stepId} was started`);
        }
        return;
      }
      case "gate.evaluated": {
        const { payload } = event;
        await db
          .insertInto("gate_results")
          .values({
            id: payload.resultId,
            train_id: requireTrainId(event),
            stage: payload.stage,
            gate: payload.gate,
            type: payload.type,
            attempt: payload.attempt,
            status: payload.status,
            verdict: payload.verdict ?? (payload.status === "passed" ? "pass" : "fail"),
            output: payload.output,
            duration_ms: payload.durationMs,
            evaluated_at: event.time,
            event_id: event.id,
            detail: payload.detail === undefined ? null : JSON.stringify(payload.detail),
          })
          .execute();
        return;
      }
      case "rollout.marked": {
        const { payload } = event;
        await db
          .insertInto("rollout_marks")
          .values({
            train_id: requireTrainId(event),
            wave: payload.wave,
            step: payload.step,
            kind: payload.kind,
            actor: event.actor,
            comment: payload.comment,
            marked_at: event.time,
            event_id: event.id,
          })
          .execute();
        return;
      }
      case "component.rolled_back": {
        const trainId = requireTrainId(event);
        const { payload } = event;
        for (const component of [payload.component, ...payload.with]) {
          const reason =
            component === payload.component
              ? payload.reason
              : `rolled back with ${payload.component}, whose new version it needs: ${payload.reason}`;
          await db
            .updateTable("manifest_items")
            .set({ status: "dropped", reason })
            .where("train_id", "=", trainId)
            .where("component", "=", component)
            .execute();
        }
        return;
      }
      case "incident.opened": {
        const { payload } = event;
        await db
          .insertInto("incidents")
          .values({
            id: payload.incidentId,
            line: payload.line,
            train_id: event.trainId,
            title: payload.title,
            detail: payload.detail,
            stops_line: toDbBoolean(payload.stopsLine),
            status: "open",
            opened_at: event.time,
            opened_by: event.actor,
            event_id: event.id,
            severity: payload.severity ?? "critical",
            source: payload.source ?? "rollback",
            started_at: payload.startedAt ?? null,
            component: payload.component ?? null,
            environment: payload.environment ?? null,
            labels: payload.labels ? JSON.stringify(payload.labels) : null,
          })
          .execute();
        return;
      }
      case "incident.resolved": {
        const { payload } = event;
        const updated = await db
          .updateTable("incidents")
          .set({
            status: "resolved",
            resolved_at: event.time,
            resolved_by: event.actor,
            resolution: payload.resolution,
          })
          .where("id", "=", payload.incidentId)
          .where("status", "=", "open")
          .executeTakeFirst();
        if (updated.numUpdatedRows === 0n) {
          throw new ProjectionError(event.type, event.id, `no open incident ${payload.incidentId}`);
        }
        return;
      }
      case "approval.recorded": {
        const { payload } = event;
        await db
          .insertInto("approvals")
          .values({
            id: payload.approvalId,
            train_id: requireTrainId(event),
            approver: payload.approver,
            decision: payload.decision,
            comment: payload.comment,
            manifest_revision: payload.manifestRevision,
            decided_at: event.time,
            event_id: event.id,
          })
          .execute();
        return;
      }
      case "deployment.recorded": {
        const { payload } = event;
        if (payload.version === null) {
          await db
            .deleteFrom("deployments")
            .where("environment", "=", payload.environment)
            .where("component", "=", payload.component)
            .execute();
          return;
        }
        const current = { version: payload.version, train_id: requireTrainId(event), updated_at: event.time };
        await db
          .insertInto("deployments")
          .values({ environment: payload.environment, component: payload.component, ...current })
          .onConflict((conflict) => conflict.columns(["environment", "component"]).doUpdateSet(current))
          .execute();
        return;
      }
      case "config.loaded": {
        const value = event.payload.hash;
        await db
          .insertInto("settings")
          .values({ key: CONFIG_HASH_SETTING, value })
          .onConflict((conflict) => conflict.column("key").doUpdateSet({ value }))
          .execute();
        return;
      }
      case "exception.granted": {
        const { payload } = event;
        await db
          .insertInto("train_exceptions")
          .values({
            train_id: requireTrainId(event),
            blackout: payload.blackout,
            actor: event.actor,
            reason: payload.reason,
            granted_at: event.time,
          })
          // Granting it again changes nothing: the first grant stands in the projection.
          .onConflict((conflict) => conflict.columns(["train_id", "blackout"]).doNothing())
          .execute();
        return;
      }
      case "incident.alert": {
        const { payload } = event;
        const row = {
          alertname: payload.alertname,
          status: payload.status,
          severity: payload.severity,
          labels: JSON.stringify(payload.labels),
          starts_at: payload.startsAt,
          ends_at: payload.endsAt,
          updated_at: event.time,
          event_id: event.id,
        };
        await db
          .insertInto("incident_alerts")
          .values({ incident_id: payload.incidentId, fingerprint: payload.fingerprint, ...row })
          .onConflict((conflict) => conflict.columns(["incident_id", "fingerprint"]).doUpdateSet(row))
          .execute();
        return;
      }
      case "alert.suppressed":
      case "release.measured":
        // Read from the log by the incident book and the metrics book: nothing to project.
        return;
      case "action.audited":
      case "access.denied":
        // Audit records only: nothing to project.
        return;
      case "token.created":
        // The token row is written by `insertToken` (it holds the secret's hash, which the
        // audit record must not); the event only records who created it.
        return;
      case "session.opened":
      case "session.closed":
        // The session row (keyed by the cookie's hash) is written by `insertSession` and
        // `revokeSession`; the events only record who logged in and out.
        return;
      case "token.revoked": {
        const { tokenId } = event.payload;
        const revoked = await db
          .updateTable("tokens")
          .set({ revoked_at: event.time })
          .where("id", "=", tokenId)
          .executeTakeFirst();
        if (revoked.numUpdatedRows === 0n) {
          throw new ProjectionError(event.type, event.id, `no token ${tokenId}`);
        }
        return;
      }
      default: {
        const unknown: never = event;
        throw new ProjectionError(
          (unknown as StoredEvent).type,
          (unknown as StoredEvent).id,
          "unknown event type",
        );
      }
    }
  }

  async #updateTrain(
    db: Kysely<Database>,
    event: StoredEvent,
    changes: Updateable<TrainsTable>,
  ): Promise<void> {
    const trainId = requireTrainId(event);
    const updated = await db.updateTable("trains").set(changes).where("id", "=", trainId).executeTakeFirst();
    if (updated.numUpdatedRows === 0n) {
      throw new ProjectionError(event.type, event.id, `no train ${trainId}`);
    }
  }
}

function requireTrainId(event: StoredEvent): string {
  if (event.trainId === null) throw new ProjectionError(event.type, event.id, "the event has no train ID");
  return event.trainId;
}
