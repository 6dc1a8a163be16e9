import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhookSignature } from "./webhook-signature.js";

const SECRET = "whsec-0123456789";
const BODY = '{"train":"web-42","version":"1.3.0"}';
const NOW = new Date("2026-03-01T12:00:00Z");
const STAMP = NOW.getTime() / 1000;

describe("signWebhook", () => {
  it("is sha256= and the hex HMAC-SHA256 of `<timestamp>.<body>`, as a receiver can recompute", () => {
    const expected = createHmac("sha256", SECRET).update(`${STAMP}.${BODY}`).digest("hex");
    expect(signWebhook(SECRET, STAMP, BODY)).toBe(`sha256=${expected}`);
    expect(signWebhook(SECRET, STAMP, Buffer.from(BODY))).toBe(`sha256=${expected}`);
  });

  it("refuses an empty secret", () => {
    expect(() => signWebhook("", STAMP, BODY)).toThrow(/empty secret/);
  });
});

describe("verifyWebhookSignature", () => {
  const header = signWebhook(SECRET, STAMP, BODY);

  it("accepts the signature of the body and timestamp received, within the tolerance", () => {
    expect(verifyWebhookSignature(SECRET, String(STAMP), BODY, header, { now: NOW })).toBe(true);
    expect(
      verifyWebhookSignature(
        SECRET,
        STAMP,
        Buffer.from(BODY),
        header.toUpperCase().replace("SHA256", "sha256"),
        { now: NOW },
      ),
    ).toBe(true);
    const later = new Date(NOW.getTime() + 299_000);
    expect(verifyWebhookSignature(SECRET, STAMP, BODY, header, { now: later })).toBe(true);
  });

  it("refuses another secret, body or timestamp", () => {
    expect(verifyWebhookSignature("other-secret", STAMP, BODY, header, { now: NOW })).toBe(false);
    expect(verifyWebhookSignature(SECRET, STAMP, `${BODY} `, header, { now: NOW })).toBe(false);
    expect(verifyWebhookSignature(SECRET, STAMP + 1, BODY, header, { now: NOW })).toBe(false);
  });

  it("refuses a timestamp outside the tolerance, either way (replays)", () => {
    const late = new Date(NOW.getTime() + 301_000);
    expect(verifyWebhookSignature(SECRET, STAMP, BODY, header, { now: late })).toBe(false);
    const early = new Date(NOW.getTime() - 61_000);
    expect(verifyWebhookSignature(SECRET, STAMP, BODY, header, { now: early, toleranceSeconds: 60 })).toBe(
      false,
    );
  });

  it("refuses missing or malformed values and an empty secret", () => {
    for (const bad of [undefined, "", "sha1=abc", header.slice(0, -2), `${header}00`, header.slice(7)]) {
      expect(verifyWebhookSignature(SECRET, STAMP, BODY, bad, { now: NOW })).toBe(false);
    }
    for (const stamp of [undefined, "", "12.5", "-1", "soon"]) {
      expect(verifyWebhookSignature(SECRET, stamp, BODY, header, { now: NOW })).toBe(false);
    }
    expect(verifyWebhookSignature("", STAMP, BODY, header, { now: NOW })).toBe(false);
  });
});
