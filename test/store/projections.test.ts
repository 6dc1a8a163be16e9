/**
 * One train's life, appended event by event, read back through every StoreReader method: the
 * projections must say what the events said.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewEvent } from "../../src/domain/events.js";
import type { Store, StoreReader } from "../../src/engine/ports.js";
import { ProjectionError } from "../../src/store/errors.js";
import { CONFIG_HASH_SETTING } from "../../src/store/projector.js";
import { createTestStore, DIALECTS, type TestStore } from "../support/dialects.js";
import {
  artifactPushed,
  at,
  deploymentRecorded,
  stepFinished,
  stepStarted,
  T0,
  trainCreated,
  transitioned,
} from "../support/store-fixtures.js";

for (const dialect of DIALECTS) {
  describe(dialect, () => {
    let test: TestStore;
    let store: Store;
    beforeEach(async () => {
      test = await createTestStore(dialect);
      store = test.store;
    });
    afterEach(() => test.cleanup());

    it("creates a scheduled train that wakes at its creation", async () => {
      const [stored] = await store.append([trainCreated("web", 1, at(1440))], T0);
      expect(stored).toMatchObject({ id: 1, trainId: "web-1", type: "train.created", time: T0 });
      expect(await store.getTrain("web-1")).toEqual({
        id: "web-1",
        line: "web",
        number: 1,
        kind: "scheduled",
        state: "scheduled",
        resumeTo: null,
        reason: null,
        cutoffAt: at(1380),
        departureAt: at(1440),
        scheduledAt: at(1440),
        pauseCause: null,
        resumeAt: null,
        manifestRevision: 0,
        currentWave: -1,
        waveDeployedAt: null,
        wakeAt: T0,
        createdAt: T0,
        updatedAt: T0,
        endedAt: null,
        rollbackScope: null,
      });
      expect(await store.getTrain("web-2")).toBeUndefined();
    });

    it("projects a train's whole life and reads it back through every reader", async () => {
      const appended: NewEvent[] = [];
      const append = async (minute: number, ...events: NewEvent[]) => {
        appended.push(...events);
        return store.append(events, at(minute));
      };
      await append(0, trainCreated("web", 1, at(1440)), trainCreated("web", 2, at(2880)));
      await append(1, transitioned("web-1", "scheduled", "boarding", "open"));
      await append(
        2,
        artifactPushed("api", "1.4.0", "web-1"),
        artifactPushed("db", "2.0.0", "web-1"),
        artifactPushed("ui", "3.1.0", "web-1", [{ component: "api", version: "^1.4.0" }]),
      );
      await append(3, artifactPushed("search", "0.9.0", "web-2"), artifactPushed("orphan", "0.0.1", null));
      await append(1380, transitioned("web-1", "boarding", "frozen", "freeze"), {
        type: "manifest.frozen",
        trainId: "web-1",
        actor: "system",
        payload: {
          revision: 1,
          items: ["api@1.4.0", "db@2.0.0", "ui@3.1.0"].map((id) => {
            const [component, version] = id.split("@") as [string, string];
            return {
              component,
              version,
              artifactId: id,
              previousVersion: null,
              status: "boarded",
              reason: null,
            };
          }),
        },
      });
      await append(1381, {
        type: "component.dropped",
        trainId: "web-1",
        actor: "carol",
        payload: { component: "ui", reason: "login page broken", revision: 2 },
      });
      await append(
        1382,
        transitioned("web-1", "frozen", "integrating", "integrate"),
        stepStarted("web-1", "r2/integrate/api", "integrate"),
      );
      await append(1383, stepStarted("web-1", "r2/integrate/api", "integrate")); // resumed after a crash
      await append(1384, stepFinished("web-1", "r2/integrate/api", "succeeded", 1, 60_000));
      await append(1385, stepStarted("web-1", "r2/integrate/db", "integrate"));
      await append(1386, transitioned("web-1", "integrating", "gating", "integrated"), {
        type: "gate.evaluated",
        trainId: "web-1",
        actor: "system",
        payload: {
          resultId: "web-1/gating/tests#1",
          stage: "gating",
          gate: "tests",
          type: "junit",
          attempt: 1,
          status: "passed",
          output: "120 tests, 0 failures",
          durationMs: 800,
        },
      });
      await append(1387, transitioned("web-1", "gating", "awaiting_approval", "gates_passed"), {
        type: "approval.recorded",
        trainId: "web-1",
        actor: "alice",
        payload: {
          approvalId: "ap-1",
          approver: "alice",
          decision: "approve",
          comment: "LGTM",
          manifestRevision: 2,
        },
      });
      await append(1440, transitioned("web-1", "awaiting_approval", "deploying", "depart", { wave: 0 }));
      expect(await store.getTrain("web-1")).toMatchObject({
        state: "deploying",
        currentWave: 0,
        waveDeployedAt: null,
      });
      await append(
        1441,
        deploymentRecorded("web-1", "production-eu", "api", "1.4.0", "1.3.0"),
        deploymentRecorded("web-1", "production-eu", "db", "2.0.0"),
        deploymentRecorded("web-1", "production-us", "api", "1.4.0", "1.3.0"),
      );
      await append(1442, transitioned("web-1", "deploying", "verifying", "wave_deployed", { wave: 0 }));
      expect(await store.getTrain("web-1")).toMatchObject({
        state: "verifying",
        currentWave: 0,
        waveDeployedAt: at(1442),
      });
      await append(1443, transitioned("web-1", "verifying", "deploying", "next_wave", { wave: 1 }));
      expect(await store.getTrain("web-1")).toMatchObject({
        state: "deploying",
        currentWave: 1,
        waveDeployedAt: null,
      });
      await append(
        1450,
        transitioned("web-1", "deploying", "released", "release", { reason: "all waves verified" }),
      );
      await append(1451, deploymentRecorded("web-1", "production-eu", "db", null, "2.0.0"));
      await append(1452, trainCreated("web", 3, at(4320)), {
        type: "artifact.carried",
        trainId: "web-2",
        actor: "system",
        payload: {
          artifactId: "search@0.9.0",
          component: "search",
          version: "0.9.0",
          toTrain: "web-3",
          reason: "held",
        },
      });
      await append(1453, {
        type: "config.loaded",
        trainId: null,
        actor: "system",
        payload: { hash: "sha256:abc", source: "railyard.yaml", lines: ["web"] },
      });

      // Read everything twice: outside a transaction, and inside one through its writer.
      for (const via of ["store", "transaction"] as const) {
        const snapshot = await (via === "store" ? readAll(store) : store.transaction((tx) => readAll(tx)));
        expect(snapshot.train).toEqual({
          id: "web-1",
          line: "web",
          number: 1,
          kind: "scheduled",
          state: "released",
          resumeTo: null,
          reason: "all waves verified",
          cutoffAt: at(1380),
          departureAt: at(1440),
          scheduledAt: at(1440),
          pauseCause: null,
          resumeAt: null,
          manifestRevision: 2,
          currentWave: 1,
          waveDeployedAt: null,
          wakeAt: null,
          createdAt: at(0),
          updatedAt: at(1450),
          endedAt: at(1450),
          rollbackScope: null,
        });
        expect(snapshot.trains.map((t) => t.id)).toEqual(["web-3", "web-2", "web-1"]);
        expect(snapshot.activeTrains.map((t) => t.id)).toEqual(["web-3", "web-2"]);
        expect(snapshot.lastReleased?.id).toBe("web-1");
        expect(snapshot.lastNumber).toBe(3);
        expect(snapshot.byDeparture?.id).toBe("web-2");
        expect(snapshot.manifest).toEqual([
          {
            trainId: "web-1",
            component: "api",
            version: "1.4.0",
            artifactId: "api@1.4.0",
            previousVersion: null,
            dependsOn: [],
            status: "boarded",
            reason: null,
            revision: 1,
          },
          {
            trainId: "web-1",
            component: "db",
            version: "2.0.0",
            artifactId: "db@2.0.0",
            previousVersion: null,
            dependsOn: [],
            status: "boarded",
            reason: null,
            revision: 1,
          },
          {
            trainId: "web-1",
            component: "ui",
            version: "3.1.0",
            artifactId: "ui@3.1.0",
            previousVersion: null,
            dependsOn: [],
            status: "dropped",
            reason: "login page broken",
            revision: 2,
          },
        ]);
        expect(snapshot.artifact).toEqual({
          id: "ui@3.1.0",
          component: "ui",
          version: "3.1.0",
          commit: "c0ffee310",
          buildUrl: "https://ci.example.com/ui/3.1.0",
          digest: "sha256:ui3.1.0",
          dependsOn: [{ component: "api", version: "^1.4.0" }],
          ci: null,
          trainId: "web-1",
          dropped: true,
          pushedBy: "ci-bot",
          authors: [],
          pushedAt: at(2),
        });
        expect(snapshot.found?.id).toBe("api@1.4.0");
        expect(snapshot.found?.dropped).toBe(false);
        expect(snapshot.allArtifacts.map((a) => a.id)).toEqual([
          "orphan@0.0.1",
          "search@0.9.0",
          "ui@3.1.0",
          "db@2.0.0",
          "api@1.4.0",
        ]);
        expect(snapshot.web1Artifacts.map((a) => a.id)).toEqual(["ui@3.1.0", "db@2.0.0", "api@1.4.0"]);
        expect(snapshot.carried.map((a) => a.id)).toEqual(["search@0.9.0"]);
        expect(snapshot.web2Artifacts).toEqual([]);
        expect(snapshot.steps).toEqual([
          {
            id: "web-1/r2/integrate/api#1",
            trainId: "web-1",
            key: "r2/integrate/api",
            kind: "integrate",
            attempt: 1,
            status: "succeeded",
            idempotencyKey: "web-1/r2/integrate/api#1",
            startedAt: at(1382),
            finishedAt: at(1384),
            output: "ok",
            error: null,
            durationMs: 60_000,
          },
          {
            id: "web-1/r2/integrate/db#1",
            trainId: "web-1",
            key: "r2/integrate/db",
            kind: "integrate",
            attempt: 1,
            status: "running",
            idempotencyKey: "web-1/r2/integrate/db#1",
            startedAt: at(1385),
            finishedAt: null,
            output: null,
            error: null,
            durationMs: null,
          },
        ]);
        expect(snapshot.running.map((s) => s.id)).toEqual(["web-1/r2/integrate/db#1"]);
        expect(snapshot.gates).toEqual([
          {
            id: "web-1/gating/tests#1",
            trainId: "web-1",
            stage: "gating",
            gate: "tests",
            type: "junit",
            attempt: 1,
            status: "passed",
            verdict: "pass",
            output: "120 tests, 0 failures",
            durationMs: 800,
            evaluatedAt: at(1386),
            detail: null,
          },
        ]);
        expect(snapshot.approvals).toEqual([
          {
            id: "ap-1",
            trainId: "web-1",
            approver: "alice",
            decision: "approve",
            comment: "LGTM",
            manifestRevision: 2,
            at: at(1387),
          },
        ]);
        expect(snapshot.deployments).toEqual([
          {
            environment: "production-eu",
            component: "api",
            version: "1.4.0",
            trainId: "web-1",
            updatedAt: at(1441),
          },
          {
            environment: "production-us",
            component: "api",
            version: "1.4.0",
            trainId: "web-1",
            updatedAt: at(1441),
          },
        ]);
        expect(snapshot.euDeployments.map((d) => d.component)).toEqual(["api"]);
        expect(snapshot.apiDeployments.map((d) => d.environment)).toEqual(["production-eu", "production-us"]);
        expect(snapshot.configHash).toBe("sha256:abc");
        expect(snapshot.events.map((e) => e.id)).toEqual(appended.map((_, i) => i + 1));
        expect(
          snapshot.events.map(({ type, trainId, actor, payload }) => ({ type, trainId, actor, payload })),
        ).toEqual(appended);
      }
      expect(await store.verifyChain()).toMatchObject({ ok: true, events: appended.length });
    });

    it("replaces a deployment on redeploy and keeps the newest train", async () => {
      await store.append([trainCreated("web", 1), trainCreated("web", 2, at(2880))], T0);
      await store.append([deploymentRecorded("web-1", "prod", "api", "1.0.0")], at(1));
      await store.append([deploymentRecorded("web-2", "prod", "api", "1.1.0", "1.0.0")], at(2));
      expect(await store.listDeployments()).toEqual([
        { environment: "prod", component: "api", version: "1.1.0", trainId: "web-2", updatedAt: at(2) },
      ]);
    });

    it("refuses events that name a train, step or token that does not exist", async () => {
      await store.append([trainCreated("web", 1)], T0);
      const cases: NewEvent[] = [
        transitioned("web-9", "scheduled", "boarding", "open"),
        stepFinished("web-1", "r1/integrate/api", "succeeded"),
        { type: "token.revoked", trainId: null, actor: "admin", payload: { tokenId: "tok-9" } },
        { ...stepStarted("web-1", "r1/integrate/api", "integrate"), trainId: null },
      ];
      const messages = [
        "cannot project train.transitioned (event 2): no train web-9",
        "cannot project step.finished (event 2): no step web-1/r1/integrate/api#1 was started",
        "cannot project token.revoked (event 2): no token tok-9",
        "cannot project step.started (event 2): the event has no train ID",
      ];
      for (const [i, event] of cases.entries()) {
        const error = await store.append([event], at(1)).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ProjectionError);
        expect((error as Error).message).toBe(messages[i]);
      }
      expect(await store.listEvents()).toHaveLength(1);
      expect(await store.verifyChain()).toMatchObject({ ok: true, events: 1 });
    });

    it("keeps the authors of an artifact's commits, through a batch append too; none when the event has none", async () => {
      const withAuthors = (event: NewEvent, authors: string[]): NewEvent =>
        ({ ...event, payload: { ...event.payload, authors } }) as NewEvent;
      await store.append(
        [
          trainCreated("web", 1),
          withAuthors(artifactPushed("api", "1.0.0", "web-1"), ["alice", "bob"]),
          artifactPushed("db", "1.0.0", "web-1"),
        ],
        T0,
      );
      const results = await store.appendArtifacts(
        [
          {
            component: "ui",
            version: "1.0.0",
            events: [withAuthors(artifactPushed("ui", "1.0.0", "web-1"), ["carol"])],
          },
          // Exists already: answered with the stored artifact, its authors included.
          { component: "api", version: "1.0.0", events: [artifactPushed("api", "1.0.0", "web-1")] },
        ],
        at(1),
      );
      expect(results[1]).toMatchObject({ kind: "exists", artifact: { authors: ["alice", "bob"] } });
      expect((await store.getArtifact("api@1.0.0"))?.authors).toEqual(["alice", "bob"]);
      expect((await store.getArtifact("db@1.0.0"))?.authors).toEqual([]);
      expect((await store.getArtifact("ui@1.0.0"))?.authors).toEqual(["carol"]);
      expect(await store.verifyChain()).toMatchObject({ ok: true });
    });

    it("refuses a second artifact with the same component and version, naming the event", async () => {
      await store.append([trainCreated("web", 1), artifactPushed("api", "1.0.0", "web-1")], T0);
      const duplicate = { ...artifactPushed("api", "1.0.0", "web-1") };
      (duplicate.payload as { artifactId: string }).artifactId = "other-id";
      await expect(store.append([duplicate], at(1))).rejects.toThrow(
        /cannot project artifact.pushed \(event 3\)/,
      );
      expect((await store.listArtifacts()).map((a) => a.id)).toEqual(["api@1.0.0"]);
    });

    it("writes the configuration hash to the settings", async () => {
      await store.append(
        [
          {
            type: "config.loaded",
            trainId: null,
            actor: "system",
            payload: { hash: "h1", source: "a.yaml", lines: [] },
          },
        ],
        T0,
      );
      await store.append(
        [
          {
            type: "config.loaded",
            trainId: null,
            actor: "system",
            payload: { hash: "h2", source: "a.yaml", lines: [] },
          },
        ],
        at(1),
      );
      expect(await store.getSetting(CONFIG_HASH_SETTING)).toBe("h2");
    });
  });
}

async function readAll(reader: StoreReader) {
  return {
    train: await reader.getTrain("web-1"),
    trains: await reader.listTrains({ line: "web" }),
    activeTrains: await reader.listTrains({ active: true }),
    lastReleased: await reader.lastReleasedTrain("web"),
    lastNumber: await reader.lastTrainNumber("web"),
    byDeparture: await reader.findTrainByDeparture("web", at(2880)),
    manifest: await reader.getManifest("web-1"),
    artifact: await reader.getArtifact("ui@3.1.0"),
    found: await reader.findArtifact("api", "1.4.0"),
    allArtifacts: await reader.listArtifacts(),
    web1Artifacts: await reader.listArtifacts({ trainId: "web-1" }),
    web2Artifacts: await reader.listArtifacts({ trainId: "web-2" }),
    carried: await reader.listArtifacts({ trainId: "web-3", component: "search" }),
    steps: await reader.listSteps("web-1"),
    running: await reader.runningSteps(),
    gates: await reader.listGateResults("web-1"),
    approvals: await reader.listApprovals("web-1"),
    deployments: await reader.listDeployments(),
    euDeployments: await reader.listDeployments({ environment: "production-eu" }),
    apiDeployments: await reader.listDeployments({ component: "api" }),
    configHash: await reader.getSetting(CONFIG_HASH_SETTING),
    events: await reader.listEvents(),
  };
}
