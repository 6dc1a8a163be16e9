import { describe, expect, it } from "vitest";
import { severityOf } from "./severity.js";

describe("severityOf", () => {
  it("maps Alertmanager's usual severity labels", () => {
    expect(severityOf({ severity: "critical" })).toBe("critical");
    expect(severityOf({ severity: "PAGE" })).toBe("critical");
    expect(severityOf({ severity: "warning" })).toBe("warning");
    expect(severityOf({ severity: "ticket" })).toBe("warning");
    expect(severityOf({ severity: "info" })).toBe("info");
    expect(severityOf({ severity: "none" })).toBe("info");
    expect(severityOf({})).toBe("info");
  });
});
