/**
 * What issue 3 added to the store, on both databases: migration 0002 bringing a database written
 * by the 0001 code forward (its trains, chain and foreign keys intact), hotfix trains beside the
 * regular ones, exceptions, pause causes, and the calendar feed's sequence numbers.
 */
import BetterSqlite3 from "better-sqlite3";
import { Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewEvent, StoredEvent } from "../../src/domain/events.js";
import type { Store } from "../../src/engine/ports.js";
import type { Database } from "../../src/store/database.js";
import { EventAppender, HeadClaim } from "../../src/store/event-appender.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { migrateToLatest } from "../../src/store/migrate.js";
import { initialMigration } from "../../src/store/migrations/0001-initial.js";
import { InCodeMigrationProvider } from "../../src/store/migrations/migration-provider.js";
import { openStore } from "../../src/store/open-store.js";
import { createPostgresDialect } from "../../src/store/postgres-dialect.js";
import type { Projector } from "../../src/store/projector.js";
import { ImmediateSqliteDialect } from "../../src/store/sqlite-dialect.js";
import { parseStoreUrl } from "../../src/store/store-url.js";
import {
  createTestDatabase,
  createTestStore,
  DIALECTS,
  type TestDatabase,
  type TestDialect,
  type TestStore,
} from "../support/dialects.js";
import { artifactPushed, at, T0, trainCreated, transitioned } from "../support/store-fixtures.js";

/** Opens `url` with only migration 0001 applied: the database a Railyard before issue 3 kept. */
async function open0001(url: string, dialect: TestDialect): Promise<Kysely<Database>> {
  const location = parseStoreUrl(url);
  let db: Kysely<Database>;
  if (location.dialect === "sqlite") {
    const database = new BetterSqlite3(location.path);
    database.pragma("journal_mode = WAL");
    database.pragma("foreign_keys = ON");
    db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database }) });
  } else {
    db = new Kysely<Database>({
      dialect: createPostgresDialect({
        connectionString: location.connectionString,
        schema: location.schema,
      }),
    });
    await sql`create schema if not exists ${sql.id(location.schema!)}`.execute(db);
  }
  const provider = new InCodeMigrationProvider({ "0001-initial": initialMigration(dialect) });
  expect(await migrateToLatest(db, { dialect, provider })).toEqual(["0001-initial"]);
  return db;
}

/** The projections as the 0001 code wrote them (its trains table had no scheduled_at). */
const legacyProjector = {
  async apply(db: Kysely<Database>, event: StoredEvent): Promise<void> {
    if (event.type === "train.created") {
      const p = event.payload;
      await sql`insert into trains (id, line, number, kind, state, resume_to, reason, cutoff_at, departure_at,
          manifest_revision, current_wave, wave_deployed_at, wake_at, created_at, updated_at, ended_at)
        values (${event.trainId}, ${p.line}, ${p.number}, ${p.kind}, 'scheduled', null, null, ${p.cutoffAt},
          ${p.departureAt}, 0, -1, null, ${event.time}, ${event.time}, ${event.time}, null)`.execute(db);
    } else if (event.type === "train.transitioned") {
      const p = event.payload;
      await sql`update trains set state = ${p.to}, resume_to = ${p.resumeTo}, reason = ${p.reason},
        updated_at = ${event.time} where id = ${event.trainId}`.execute(db);
    } else if (event.type === "artifact.pushed") {
      const p = event.payload;
      await sql`insert into artifacts (id, component, version, commit_sha, build_url, digest, depends_on,
          train_id, dropped, pushed_by, pushed_at, event_id)
        values (${p.artifactId}, ${p.component}, ${p.version}, ${p.commit}, null, null, '[]',
          ${p.boardedTrain}, 0, ${event.actor}, ${event.time}, ${event.id})`.execute(db);
    } else {
      throw new Error(`the legacy projector in this test does not know ${event.type}`);
    }
  },
} as unknown as Projector;

async function appendLegacy(db: Kysely<Database>, dialect: TestDialect, events: NewEvent[], time: string) {
  const appender = new EventAppender(db, dialect, legacyProjector);
  const claim = new HeadClaim();
  await db.transaction().execute((tx) => appender.append(tx, claim, events, time));
  appender.committed(claim);
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: migration 0002 on a database written before it`, () => {
    let database: TestDatabase;
    let store: Store | undefined;
    beforeEach(async () => {
      database = await createTestDatabase(dialect);
    });
    afterEach(async () => {
      await store?.close();
      store = undefined;
      await database.cleanup();
    });

    it("keeps trains, artifacts and the audit chain, and fills in what 0001 did not know", async () => {
      const old = await open0001(database.url, dialect);
      await appendLegacy(
        old,
        dialect,
        [trainCreated("web", 1, at(60)), trainCreated("web", 2, at(1500)), trainCreated("api", 1, at(60))],
        T0,
      );
      await appendLegacy(
        old,
        dialect,
        [
          transitioned("web-1", "scheduled", "boarding", "open"),
          artifactPushed("ui", "1.0.0", "web-1"),
          transitioned("web-2", "scheduled", "paused", "pause", {
            resumeTo: "scheduled",
            reason: "paused by ann",
          }),
        ],
        at(1),
      );
      await old.destroy();

      const logged: Array<Record<string, unknown>> = [];
      store = await openStore({
        url: database.url,
        logger: { info: (obj) => void logged.push(obj as Record<string, unknown>) },
      });
      expect(logged).toEqual([
        expect.objectContaining({
          migrations_applied: [
            "0002-timetable",
            "0003-boarding",
            "0004-gates",
            "0005-checklists",
            "0006-rollout",
            "0007-access",
            "0008-observability",
            "0009-dashboard",
          ],
        }),
      ]);

      expect(await store.getTrain("web-1")).toMatchObject({
        state: "boarding",
        departureAt: at(60),
        scheduledAt: at(60),
        pauseCause: null,
        resumeAt: null,
      });
      expect(await store.getTrain("web-2")).toMatchObject({
        state: "paused",
        reason: "paused by ann",
        pauseCause: "manual",
        resumeAt: null,
      });
      expect((await store.listArtifacts({ trainId: "web-1" })).map((a) => a.id)).toEqual(["ui@1.0.0"]);
      expect((await store.findTrainByDeparture("web", at(1500)))?.id).toBe("web-2");
      expect(await store.verifyChain()).toMatchObject({ ok: true, events: 6 });

      // New events chain on, and the old rules still hold for regular trains.
      await store.append(
        [
          {
            type: "train.created",
            trainId: "web-1-hotfix-1",
            actor: "ann",
            payload: {
              line: "web",
              number: 1,
              kind: "hotfix",
              cutoffAt: at(2),
              departureAt: at(60),
              scheduledAt: null,
              hotfixOf: 1,
              reason: "checkout is down",
            },
          },
          {
            type: "exception.granted",
            trainId: "web-1",
            actor: "ann",
            payload: { blackout: "x", reason: "y" },
          },
        ],
        at(2),
      );
      expect(await store.getTrain("web-1-hotfix-1")).toMatchObject({
        kind: "hotfix",
        number: 1,
        scheduledAt: null,
        reason: "checkout is down",
      });
      expect(await store.lastTrainNumber("web")).toBe(2);
      await expect(store.append([trainCreated("web", 2, at(3000))], at(3))).rejects.toThrow();
      await expect(store.append([trainCreated("web", 3, at(1500))], at(3))).rejects.toThrow();
      expect(await store.verifyChain()).toMatchObject({ ok: true, events: 8 });

      const db = (store as KyselyStore).kysely;
      if (dialect === "sqlite") {
        const foreignKeys = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
        expect(foreignKeys.rows[0]?.foreign_keys).toBe(1);
        expect((await sql`pragma foreign_key_check`.execute(db)).rows).toEqual([]);
        // The rebuilt table is still the one artifacts refer to.
        await expect(store.append([artifactPushed("ui", "2.0.0", "web-404")], at(4))).rejects.toThrow();
      }
    });
  });

  describe(`${dialect}: hotfix trains, exceptions, pauses and calendar sequences`, () => {
    let test: TestStore;
    let store: Store;
    beforeEach(async () => {
      test = await createTestStore(dialect);
      store = test.store;
    });
    afterEach(() => test.cleanup());

    const hotfix = (number: number, k: number, departureAt: string): NewEvent => ({
      type: "train.created",
      trainId: `web-${number}-hotfix-${k}`,
      actor: "ann",
      payload: {
        line: "web",
        number,
        kind: "hotfix",
        cutoffAt: departureAt,
        departureAt,
        scheduledAt: null,
        hotfixOf: number,
        reason: "fix",
      },
    });

    it("keeps hotfix trains out of regular numbering and departures", async () => {
      await store.append(
        [
          {
            type: "train.created",
            trainId: "web-1",
            actor: "system",
            payload: {
              line: "web",
              number: 1,
              kind: "scheduled",
              cutoffAt: at(0),
              departureAt: at(60),
              scheduledAt: at(60),
              status: "scheduled",
            },
          },
          trainCreated("web", 2, at(1500)),
        ],
        T0,
      );
      // two hotfixes at the same instant as each other and as a regular departure
      await store.append([hotfix(1, 1, at(60)), hotfix(1, 2, at(60)), hotfix(2, 1, at(60))], at(1));
      expect(await store.lastTrainNumber("web")).toBe(2);
      expect(await store.countHotfixes("web", 1)).toBe(2);
      expect(await store.countHotfixes("web", 2)).toBe(1);
      expect(await store.countHotfixes("web", 3)).toBe(0);
      expect((await store.findTrainByDeparture("web", at(60)))?.id).toBe("web-1");
      expect((await store.lastRegularTrain("web", { reachedProduction: false }))?.id).toBe("web-2");
      expect(await store.lastRegularTrain("web", { reachedProduction: true })).toBeUndefined();
      await store.append(
        [
          transitioned("web-1", "scheduled", "awaiting_approval", "open"),
          transitioned("web-1", "awaiting_approval", "deploying", "depart", { wave: 0 }),
        ],
        at(2),
      );
      expect((await store.lastRegularTrain("web", { reachedProduction: true }))?.id).toBe("web-1");
    });

    it("keeps a shifted departure findable by its scheduled instant", async () => {
      const shifted: NewEvent = {
        type: "train.created",
        trainId: "web-4",
        actor: "system",
        payload: {
          line: "web",
          number: 4,
          kind: "scheduled",
          cutoffAt: at(100),
          departureAt: at(400),
          scheduledAt: at(200),
          status: "shifted",
        },
      };
      await store.append([shifted], T0);
      expect((await store.findTrainByDeparture("web", at(200)))?.departureAt).toBe(at(400));
      expect(await store.findTrainByDeparture("web", at(400))).toBeUndefined();
    });

    it("records why a train is paused and until when, and forgets it when it moves on", async () => {
      await store.append([trainCreated("web", 1, at(60))], T0);
      await store.append(
        [
          transitioned("web-1", "scheduled", "paused", "pause", {
            resumeTo: "scheduled",
            reason: "outside window",
            cause: "window",
            resumeAt: at(600),
          }),
        ],
        at(1),
      );
      expect(await store.getTrain("web-1")).toMatchObject({ pauseCause: "window", resumeAt: at(600) });
      await store.append([transitioned("web-1", "paused", "scheduled", "resume")], at(2));
      expect(await store.getTrain("web-1")).toMatchObject({ pauseCause: null, resumeAt: null });
    });

    it("lists a train's exceptions in the order granted; a second grant of one blackout changes nothing", async () => {
      await store.append([trainCreated("web", 1, at(60))], T0);
      const grant = (blackout: string, actor: string, reason: string): NewEvent => ({
        type: "exception.granted",
        trainId: "web-1",
        actor,
        payload: { blackout, reason },
      });
      await store.append([grant("year-end", "ann", "security fix")], at(1));
      await store.append([grant("black-friday", "bob", "revenue fix")], at(2));
      await store.append([grant("year-end", "carol", "again")], at(3));
      expect(await store.listExceptions("web-1")).toEqual([
        { trainId: "web-1", blackout: "year-end", actor: "ann", reason: "security fix", grantedAt: at(1) },
        { trainId: "web-1", blackout: "black-friday", actor: "bob", reason: "revenue fix", grantedAt: at(2) },
      ]);
      expect(await store.listExceptions("web-2")).toEqual([]);
      await expect(
        store.append([{ ...grant("x", "ann", "y"), trainId: "web-404" }], at(4)),
      ).rejects.toThrow();
    });

    it("numbers calendar events: 0 when new, +1 per change, idempotent, in one call for many", async () => {
      const entries = Array.from({ length: 1200 }, (_, i) => ({
        uid: `web-${i}@railyard`,
        fingerprint: "a",
      }));
      const first = await store.calendarSequences(entries, T0);
      expect(first.size).toBe(1200);
      expect([...first.values()].every((s) => s === 0)).toBe(true);

      const changed = entries.map((e, i) => (i % 500 === 7 ? { ...e, fingerprint: "b" } : e));
      const second = await store.calendarSequences(changed, at(1));
      expect(second.get("web-7@railyard")).toBe(1);
      expect(second.get("web-507@railyard")).toBe(1);
      expect(second.get("web-8@railyard")).toBe(0);
      expect(await store.calendarSequences(changed, at(2))).toEqual(second);

      const back = await store.calendarSequences(
        [
          { uid: "web-7@railyard", fingerprint: "a" },
          { uid: "new@railyard", fingerprint: "z" },
        ],
        at(3),
      );
      expect([...back]).toEqual([
        ["web-7@railyard", 2],
        ["new@railyard", 0],
      ]);
      expect(await store.calendarSequences([], at(4))).toEqual(new Map());
      // Not part of the audit chain.
      expect(await store.listEvents()).toEqual([]);
    });

    it("gives the same numbers to calls racing on the same change", async () => {
      await store.calendarSequences([{ uid: "u", fingerprint: "1" }], T0);
      const results = await Promise.all(
        Array.from({ length: 6 }, () => store.calendarSequences([{ uid: "u", fingerprint: "2" }], at(1))),
      );
      expect(results.map((r) => r.get("u"))).toEqual([1, 1, 1, 1, 1, 1]);
    });
  });
}
