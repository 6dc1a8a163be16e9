import { describe, expect, it } from "vitest";
import {
  CHECKLIST_TEMPLATE_ITEMS,
  type ChecklistTick,
  checklistItems,
  evaluateChecklist,
} from "./checklists.js";

const tick = (item: string, revision = 2, actor = "cora"): ChecklistTick => ({
  trainId: "web-7",
  gate: "readiness",
  item,
  revision,
  actor,
  note: null,
  at: "2026-03-02T08:00:00.000Z",
});

describe("checklists", () => {
  it("has the practice's pre-production and production-readiness templates", () => {
    expect(CHECKLIST_TEMPLATE_ITEMS["pre-production"].map((i) => i.id)).toEqual([
      "artifacts-tagged",
      "integration-healthy",
      "security-scans",
      "slo-baselines",
      "rollback-plan",
    ]);
    expect(checklistItems({ template: "production-readiness" }).map((i) => i.text)).toContain(
      "On-call roster confirmed for the train window",
    );
    expect(checklistItems({ items: [{ id: "a", text: "A", roles: ["approver"] }] })).toEqual([
      { id: "a", text: "A", roles: ["approver"] },
    ]);
  });

  it("passes when every item is ticked for the current revision, naming who ticked what", () => {
    const items = checklistItems({ template: "pre-production" });
    const all = items.map((i) => tick(i.id));
    const done = evaluateChecklist(items, all, 2);
    expect(done.verdict).toBe("pass");
    expect(done.output.split("\n")[0]).toBe("all 5 items ticked");
    expect(done.output).toContain(
      "[x] rollback-plan: Rollback plan and runbook available (cora, 2026-03-02T08:00:00.000Z)",
    );
  });

  it("does not count ticks of an older manifest revision, and lists what is open", () => {
    const items = checklistItems({
      items: [
        { id: "on-call", text: "On-call confirmed", roles: ["coordinator"] },
        { id: "comms", text: "Comms sent", roles: ["coordinator", "admin"] },
      ],
    });
    const result = evaluateChecklist(items, [tick("on-call", 1), tick("comms", 2)], 2);
    expect(result.verdict).toBe("fail");
    expect(result.output).toBe(
      [
        "1 of 2 items ticked; open: on-call",
        "  [x] comms: Comms sent (cora, 2026-03-02T08:00:00.000Z)",
        "  [ ] on-call: On-call confirmed (to be ticked by coordinator)",
      ].join("\n"),
    );
  });
});
