import { createHash, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkpointStatement } from "../domain/audit-checkpoint.js";
import {
  AuditKeyError,
  checkpointSignatureProblem,
  generateAuditKeys,
  publicKeyFromPem,
  signCheckpoint,
  signingKeyFromEnv,
  signingKeyFromPem,
  verifyText,
} from "./audit-keys.js";

const claim = { eventId: 7, hash: "cd".repeat(32), signedAt: "2026-03-02T06:00:00.000Z" };

describe("audit keys", () => {
  const keys = generateAuditKeys();
  const signing = signingKeyFromPem(keys.privateKeyPem, "test");
  const publicKey = publicKeyFromPem(keys.publicKeyPem, "public.pem");

  it("writes PKCS#8 and SPKI PEM, with the key id of the raw public key", () => {
    expect(keys.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(keys.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    // The raw Ed25519 key is the last 32 bytes of the SPKI DER.
    const der = Buffer.from(keys.publicKeyPem.replace(/-----[^-]+-----|\s/g, ""), "base64");
    const raw = der.subarray(der.length - 32);
    expect(keys.keyId).toBe(createHash("sha256").update(raw).digest("hex").slice(0, 16));
    expect(signing.keyId).toBe(keys.keyId);
    expect(publicKey.keyId).toBe(keys.keyId);
  });

  it("signs a checkpoint's statement so that only its public key verifies it", () => {
    const checkpoint = signCheckpoint(signing, claim);
    expect(checkpoint).toMatchObject({ ...claim, keyId: keys.keyId });
    expect(verifyText(publicKey, checkpointStatement(claim), checkpoint.signature)).toBe(true);
    expect(checkpointSignatureProblem(publicKey, checkpoint)).toBeNull();

    const other = publicKeyFromPem(generateAuditKeys().publicKeyPem, "other.pem");
    expect(checkpointSignatureProblem(other, checkpoint)).toBe(
      `it names key ${keys.keyId}, not the given public key ${other.keyId}`,
    );
    expect(checkpointSignatureProblem(publicKey, { ...checkpoint, eventId: 8 })).toBe(
      `its signature does not verify with key ${keys.keyId}`,
    );
    expect(checkpointSignatureProblem(publicKey, { ...checkpoint, signature: "AAAA" })).toMatch(
      /does not verify/,
    );
  });

  it("reads the private key from the variable, unset meaning no key", () => {
    expect(signingKeyFromEnv("AUDIT_KEY", {})).toBeUndefined();
    expect(signingKeyFromEnv("AUDIT_KEY", { AUDIT_KEY: "  " })).toBeUndefined();
    expect(signingKeyFromEnv("AUDIT_KEY", { AUDIT_KEY: keys.privateKeyPem })?.keyId).toBe(keys.keyId);
    // As a .env file may hold it: on one line with \n escapes.
    const escaped = keys.privateKeyPem.trim().replaceAll("\n", "\\n");
    expect(signingKeyFromEnv("AUDIT_KEY", { AUDIT_KEY: escaped })?.keyId).toBe(keys.keyId);
  });

  it("refuses a malformed key naming the variable, never the key", () => {
    const garbled = keys.privateKeyPem.replace(/[A-Za-z0-9+/]{20}/, "!!!!");
    let error: unknown;
    try {
      signingKeyFromEnv("RAILYARD_AUDIT_SIGNING_KEY", { RAILYARD_AUDIT_SIGNING_KEY: garbled });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AuditKeyError);
    const message = (error as Error).message;
    expect(message).toBe(
      "the environment variable RAILYARD_AUDIT_SIGNING_KEY does not hold a PEM private key; it must hold an Ed25519 private key in PKCS#8 PEM, as `railyard audit keygen` writes",
    );
    for (const line of garbled.split("\n").filter((l) => l.length > 8 && !l.startsWith("-----"))) {
      expect(message).not.toContain(line);
    }
    expect(() => signingKeyFromEnv("K", { K: keys.publicKeyPem })).toThrow(
      /K does not hold a PEM private key/,
    );
  });

  it("refuses a key of another kind", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
    expect(() =>
      signingKeyFromPem(rsa.privateKey.export({ format: "pem", type: "pkcs8" }).toString(), "K"),
    ).toThrow(
      "K holds a key of type rsa; audit signing needs an Ed25519 key (`railyard audit keygen` writes one)",
    );
    expect(() =>
      publicKeyFromPem(rsa.publicKey.export({ format: "pem", type: "spki" }).toString(), "p.pem"),
    ).toThrow("p.pem holds a key of type rsa; audit signatures are Ed25519");
    expect(() => publicKeyFromPem("hello", "p.pem")).toThrow(/p.pem does not hold a PEM public key/);
  });
});
