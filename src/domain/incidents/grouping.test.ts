import { describe, expect, it } from "vitest";
import type { Incident } from "../model.js";
import { groupAlert, incidentIdFor } from "./grouping.js";

const open = (overrides: Partial<Incident>) =>
  ({
    id: "inc-shop-2-aaaaaaaa",
    line: "shop",
    trainId: "shop-2",
    status: "open",
    source: "alertmanager",
    openedAt: "2026-03-02T10:00:00.000Z",
    ...overrides,
  }) as Pick<Incident, "id" | "line" | "trainId" | "status" | "source" | "openedAt">;

const alert = { fingerprint: "fp2", startsAt: "2026-03-02T10:05:00.000Z", trainId: "shop-2", line: "shop" };

describe("groupAlert", () => {
  it("joins the open incident of the same train", () => {
    expect(groupAlert(alert, [open({})], "0123456789abcdef")).toEqual({
      kind: "join",
      incidentId: "inc-shop-2-aaaaaaaa",
    });
  });

  it("opens a new one when the train's incident is resolved, or is someone else's", () => {
    const want = { kind: "open", incidentId: "inc-shop-2-01234567" };
    expect(groupAlert(alert, [open({ status: "resolved" })], "0123456789abcdef")).toEqual(want);
    expect(groupAlert(alert, [open({ source: "manual" })], "0123456789abcdef")).toEqual(want);
    expect(groupAlert(alert, [open({ trainId: "shop-3" })], "0123456789abcdef")).toEqual(want);
  });

  it("groups line-level alerts by line, apart from the line's train incidents", () => {
    const lineAlert = { ...alert, trainId: null };
    expect(groupAlert(lineAlert, [open({})], "ffffffff00")).toEqual({
      kind: "open",
      incidentId: "inc-shop-ffffffff",
    });
    expect(groupAlert(lineAlert, [open({ id: "inc-shop-11111111", trainId: null })], "ff")).toEqual({
      kind: "join",
      incidentId: "inc-shop-11111111",
    });
  });

  it("names incidents inc-<train or line>-<8 hex>", () => {
    expect(incidentIdFor("web-42", "5f0c2a91deadbeef")).toBe("inc-web-42-5f0c2a91");
  });
});
