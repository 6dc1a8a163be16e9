/**
 * Deployment windows and blackouts, through the HTTP API on both databases: a train reaching its
 * departure (or its next wave) outside the window pauses `outside window` and the engine resumes
 * it when the window opens; a blackout pauses it until it ends or a person with one of the
 * blackout's exception roles lets it through (audited); a departure inside a blackout is shifted
 * or skipped per the line's `onBlackout`.
 */
import { writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../src/domain/events.js";
import type { Train, TrainException } from "../../src/domain/model.js";
import type { TrainDetail } from "../../src/engine/railyard.js";
import { DIALECTS } from "../support/dialects.js";
import { commitOf, useWorldScenario } from "../support/scenario.js";
import { worldConfig } from "../support/world.js";

type ApiTrain = Train & { statusText: string };

for (const dialect of DIALECTS) {
  describe(`${dialect}: windows and blackouts`, () => {
    const { setup, board, detail } = useWorldScenario(dialect);

    const transitions = (d: TrainDetail) =>
      d.events
        .filter(
          (e): e is Extract<StoredEvent, { type: "train.transitioned" }> => e.type === "train.transitioned",
        )
        .map((e) => ({ actor: e.actor, ...e.payload }));

    it("pauses a train outside its window, resumes it when the window opens, for departure and next wave", async () => {
      const { world: w, server: s } = await setup({
        bake: "2h",
        line: `    window:
      - { days: [MO, TU, WE, TH, FR], from: "14:00", to: "16:00" }
`,
      });
      await board(s, { db: "1.0.0", api: "1.0.0", web: "1.0.0" });
      await s.advance("2h"); // cut-off 08:00 Berlin
      await s.advance("2h"); // departure 10:00 Berlin, before the window
      let d = await detail(s, "shop-1");
      expect(d.train).toMatchObject({
        state: "paused",
        resumeTo: "awaiting_approval",
        reason: "outside window",
        pauseCause: "window",
        resumeAt: "2026-03-02T13:00:00.000Z",
        statusText: "paused: outside window — resumes 2026-03-02 14:00 CET (Europe/Berlin)",
      });
      expect(d.waitingFor).toBe("the window to open at 2026-03-02T13:00:00.000Z (outside window)");
      const listed = await s.request<ApiTrain[]>("GET", "/api/v1/trains?line=shop&state=paused");
      expect(listed.body.map((t) => [t.id, t.pauseCause, t.resumeAt])).toEqual([
        ["shop-1", "window", "2026-03-02T13:00:00.000Z"],
      ]);

      await s.advance("3h59m");
      expect((await detail(s, "shop-1")).train.state).toBe("paused");
      await s.advance("1m"); // 14:00 Berlin
      d = await detail(s, "shop-1");
      expect(d.train).toMatchObject({ state: "verifying", currentWave: 0, pauseCause: null, resumeAt: null });

      await s.advance("2h"); // eu baked at 16:00 Berlin: the window has closed for the next wave
      d = await detail(s, "shop-1");
      expect(d.train).toMatchObject({
        state: "paused",
        resumeTo: "verifying",
        pauseCause: "window",
        resumeAt: "2026-03-03T13:00:00.000Z",
        statusText: "paused: outside window — resumes 2026-03-03 14:00 CET (Europe/Berlin)",
      });
      expect(d.waves.map((w) => w.name)).toEqual(["eu", "us"]);
      expect(await w.show("env/us.yaml")).toBe("# us\n");

      await s.advance("22h");
      d = await detail(s, "shop-1");
      expect(d.train.state).toBe("released");
      expect(await w.show("env/us.yaml")).toContain("web:\n  version: 1.0.0");
      expect(
        transitions(d)
          .filter((t) => t.to === "paused" || t.from === "paused")
          .map((t) => [t.actor, t.event, t.reason, t.cause ?? null, t.resumeAt ?? null]),
      ).toEqual([
        ["system", "pause", "outside window", "window", "2026-03-02T13:00:00.000Z"],
        ["system", "resume", "window open", null, null],
        ["system", "pause", "outside window", "window", "2026-03-03T13:00:00.000Z"],
        ["system", "resume", "window open", null, null],
      ]);
    });

    it("pauses a train in a blackout; a permitted role lets it through, others get 403; the audit trail keeps it", async () => {
      const { server: s } = await setup({
        line: `    blackouts:
      - name: eu-freeze
        reason: EU payments freeze
        environments: [eu]
        from: "2026-03-02T09:00"
        to: "2026-03-03T09:00"
        exceptionRoles: [coordinator]
`,
      });
      const ann = await s.token("ann", ["member"]);
      const cora = await s.token("cora", ["coordinator"]);
      await board(s, { db: "1.0.0", api: "1.0.0" });
      await s.advance("2h");
      await s.advance("2h");
      const paused = await detail(s, "shop-1");
      expect(paused.train).toMatchObject({
        state: "paused",
        reason: "blackout eu-freeze: EU payments freeze",
        pauseCause: "blackout",
        resumeAt: "2026-03-03T08:00:00.000Z",
        statusText:
          "paused: blackout eu-freeze: EU payments freeze — resumes 2026-03-03 09:00 CET (Europe/Berlin)",
      });
      const grant = (body: unknown, token?: string) =>
        s.request<{ train: ApiTrain; granted: string[]; exceptions: TrainException[]; detail?: string }>(
          "POST",
          "/api/v1/trains/shop-1/exceptions",
          body,
          token,
        );

      for (const [token, who] of [
        [ann, "ann"],
        [undefined, "admin"],
      ] as const) {
        const forbidden = await grant({ reason: "we need it" }, token);
        expect(forbidden.status).toBe(403);
        expect(forbidden.contentType).toContain("application/problem+json");
        // ann fails the role matrix; the admin holds the action but not the blackout's own roles.
        expect(forbidden.body.detail).toBe(
          who === "ann"
            ? "ann may not let trains through blackouts: it needs one of the roles coordinator, admin (ann has member)"
            : "admin may not grant shop-1 an exception for blackout eu-freeze: it needs one of the roles coordinator (admin has admin)",
        );
      }
      const unknown = await grant({ blackout: "xmas", reason: "x" }, cora);
      expect(unknown.status).toBe(404);
      expect(unknown.body.detail).toBe('no blackout "xmas" on line shop: its blackouts are eu-freeze');
      expect((await grant({ reason: " " }, cora)).status).toBe(400);
      const still = await detail(s, "shop-1");
      expect(still.train).toEqual(paused.train);
      // Nothing changed but the record of the two refusals.
      expect(still.events.filter((e) => e.type !== "access.denied")).toEqual(paused.events);
      expect(still.events.filter((e) => e.type === "access.denied")).toHaveLength(2);

      const granted = await grant({ reason: "fixes double charges; CFO agreed" }, cora);
      expect(granted.status, JSON.stringify(granted.body)).toBe(201);
      expect(granted.body.granted).toEqual(["eu-freeze"]);
      expect(granted.body.exceptions).toEqual([
        {
          trainId: "shop-1",
          blackout: "eu-freeze",
          actor: "cora",
          reason: "fixes double charges; CFO agreed",
          grantedAt: "2026-03-02T09:00:00.000Z",
        },
      ]);
      await s.advance("0s");
      let d = await detail(s, "shop-1");
      expect(d.train).toMatchObject({ state: "verifying", currentWave: 0 });
      expect(transitions(d).find((t) => t.event === "resume")).toMatchObject({
        actor: "system",
        reason: "allowed through the blackout (an exception, or the blackout was lifted)",
      });
      const again = await grant({ reason: "more" }, cora);
      expect(again.status).toBe(409);
      expect(again.body.detail).toMatch(/^no blackout stops shop-1 now; name the blackout/);
      const twice = await grant({ blackout: "eu-freeze", reason: "more" }, cora);
      expect(twice.status).toBe(409);

      const exported = await s.request<string>("GET", "/api/v1/audit/export?train=shop-1");
      const lines = String(exported.body)
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as StoredEvent);
      expect(lines.filter((e) => e.type === "exception.granted")).toEqual([
        expect.objectContaining({
          actor: "cora",
          time: "2026-03-02T09:00:00.000Z",
          payload: { blackout: "eu-freeze", reason: "fixes double charges; CFO agreed" },
        }),
      ]);
      expect((await s.request("GET", "/api/v1/audit/verify")).body).toMatchObject({ ok: true });

      await s.advance("30m");
      d = await detail(s, "shop-1");
      expect(d.train.state).toBe("released");
    });

    const maintenance = (onBlackout: "shift" | "skip") => `    onBlackout: ${onBlackout}
    blackouts:
      - { name: maintenance, reason: Database maintenance, from: "2026-03-03T09:00", to: "2026-03-03T12:00" }
`;

    it("shifts a departure inside a blackout to its end and keeps the scheduled instant", async () => {
      const { server: s } = await setup({ line: maintenance("shift") });
      let d = await detail(s, "shop-2");
      expect(d.train).toMatchObject({
        id: "shop-2",
        number: 2,
        state: "scheduled",
        scheduledAt: "2026-03-03T09:00:00.000Z",
        departureAt: "2026-03-03T11:00:00.000Z",
        cutoffAt: "2026-03-03T07:00:00.000Z",
      });
      expect(d.events[0]).toMatchObject({
        type: "train.created",
        payload: { status: "shifted", scheduledAt: "2026-03-03T09:00:00.000Z" },
      });
      await s.advance("2h"); // shop-1 leaves empty; shop-2 boards
      await board(s, { db: "1.0.0" });
      await s.advance("1d"); // shop-2's cut-off
      await s.advance("2h"); // 10:00 Berlin, the scheduled instant: inside the blackout
      d = await detail(s, "shop-2");
      expect(d.train.state).toBe("awaiting_approval");
      expect(d.waitingFor).toBe("departure at 2026-03-03T11:00:00.000Z");
      await s.advance("2h");
      expect((await detail(s, "shop-2")).train.state).toBe("verifying");
    });

    it("skips a departure inside a blackout with the blackout as reason; numbers stay", async () => {
      const { server: s } = await setup({ line: maintenance("skip") });
      const trains = await s.request<ApiTrain[]>("GET", "/api/v1/trains?line=shop");
      expect(trains.body.map((t) => [t.id, t.state, t.statusText])).toEqual([
        ["shop-3", "scheduled", "scheduled"],
        ["shop-2", "skipped", "skipped: blackout maintenance: Database maintenance"],
        ["shop-1", "boarding", "boarding"],
      ]);
      await s.advance("2h"); // shop-1's cut-off: it leaves empty; shop-3 boards next
      const pushed = await s.request<{ train: { id: string } }>("POST", "/api/v1/artifacts", {
        component: "db",
        version: "1.0.0",
        commit: commitOf("db", "1.0.0"),
      });
      expect(pushed.body.train.id).toBe("shop-3");
    });

    it("after a schedule change, gives a departure whose ID is taken the next free number", async () => {
      const { world: w, server: s } = await setup({});
      // The timetable now starts a day later: 3 March is departure 1, 4 March departure 2, but
      // shop-1 and shop-2 already name the trains of 2 and 3 March.
      await writeFile(w.configFile, worldConfig(w.gitops).replace("2026-03-02T10:00", "2026-03-03T10:00"));
      expect((await s.request("POST", "/api/v1/config/reload")).status).toBe(200);
      await s.advance("2h"); // shop-1 leaves empty; 3 March boards, 4 March is created
      const trains = (await s.request<ApiTrain[]>("GET", "/api/v1/trains?line=shop")).body;
      expect(trains.map((t) => [t.id, t.number, t.state, t.scheduledAt])).toEqual([
        ["shop-3", 3, "scheduled", "2026-03-04T09:00:00.000Z"],
        ["shop-2", 2, "boarding", "2026-03-03T09:00:00.000Z"],
        ["shop-1", 1, "skipped", "2026-03-02T09:00:00.000Z"],
      ]);
    });

    for (const overlap of ["queue", "allow"] as const) {
      it(`with overlap: ${overlap}, a hotfix ready to depart ${overlap === "queue" ? "waits for" : "does not wait for"} the train holding production`, async () => {
        const { server: s } = await setup({ line: `    overlap: ${overlap}\n` });
        await board(s, { db: "1.0.0", api: "1.0.0" });
        await s.advance("2h");
        await s.advance("2h");
        expect((await detail(s, "shop-1")).train.state).toBe("verifying");
        await board(s, { api: "1.0.1" });
        const started = await s.request<ApiTrain>("POST", "/api/v1/lines/shop/hotfixes", {
          components: [{ component: "api", version: "1.0.1" }],
          reason: "api leaks connections",
        });
        expect(started.status, JSON.stringify(started.body)).toBe(201);
        expect(started.body.id).toBe("shop-1-hotfix-1");
        await s.advance("0s");
        let hotfix = await detail(s, "shop-1-hotfix-1");
        if (overlap === "queue") {
          expect(hotfix.train.state).toBe("awaiting_approval");
          expect(hotfix.waitingFor).toBe("shop-1 to finish its rollout");
          await s.advance("30m");
          expect((await detail(s, "shop-1")).train.state).toBe("released");
          hotfix = await detail(s, "shop-1-hotfix-1");
          expect(hotfix.train).toMatchObject({ state: "verifying", currentWave: 0 });
        } else {
          expect(hotfix.train).toMatchObject({ state: "verifying", currentWave: 0 });
          expect((await detail(s, "shop-1")).train.state).toBe("verifying");
        }
      });
    }
  });
}
