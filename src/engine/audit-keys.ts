/**
 * Ed25519 keys of the audit log: the private key that signs checkpoints and export seals (held
 * by the server, read from the environment variable the configuration names) and the public key
 * an auditor checks them with. Keys are PEM: PKCS#8 for the private key, SPKI for the public one.
 * A key's id is the first 16 hex digits of the SHA-256 of its raw 32-byte public key.
 *
 * No function here logs a key or puts one in an error message.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { type CheckpointClaim, checkpointStatement } from "../domain/audit-checkpoint.js";
import type { AuditCheckpoint } from "../domain/model.js";

/** Thrown when a key cannot be read: names where it came from (a variable, a file), never its text. */
export class AuditKeyError extends Error {
  override readonly name = "AuditKeyError";
}

/** A public key that checks signatures, with its id. */
export interface AuditPublicKey {
  readonly keyId: string;
  readonly publicKey: KeyObject;
}

/** A private key that signs, with its public half and id. */
export interface AuditSigningKey extends AuditPublicKey {
  readonly privateKey: KeyObject;
}

/** A new key pair as PEM text, and its id. */
export interface GeneratedAuditKeys {
  privateKeyPem: string;
  publicKeyPem: string;
  keyId: string;
}

/** Generates an Ed25519 pair: PKCS#8 PEM private key, SPKI PEM public key. */
export function generateAuditKeys(): GeneratedAuditKeys {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privateKeyPem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    publicKeyPem: publicKey.export({ format: "pem", type: "spki" }).toString(),
    keyId: keyIdOf(publicKey),
  };
}

/** The first 16 hex digits of the SHA-256 of the raw 32-byte Ed25519 public key. */
export function keyIdOf(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: "jwk" });
  if (typeof jwk.x !== "string") throw new AuditKeyError("not an Ed25519 public key");
  return createHash("sha256").update(Buffer.from(jwk.x, "base64url")).digest("hex").slice(0, 16);
}

/**
 * Reads an Ed25519 private key from PKCS#8 PEM text. Text whose line breaks were written as `\n`
 * (as some `.env` files hold them) is accepted too.
 * @param source where the text came from, for the error ("RAILYARD_AUDIT_SIGNING_KEY", a file name)
 * @throws {AuditKeyError} naming `source` when the text is not an Ed25519 private key
 */
export function signingKeyFromPem(pem: string, source: string): AuditSigningKey {
  const text = unescapeNewlines(pem);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: text, format: "pem" });
  } catch {
    throw new AuditKeyError(
      `${source} does not hold a PEM private key; it must hold an Ed25519 private key in PKCS#8 PEM, as \`railyard audit keygen\` writes`,
    );
  }
  if (privateKey.asymmetricKeyType !== "ed25519") {
    throw new AuditKeyError(
      `${source} holds ${keyKind(privateKey)}; audit signing needs an Ed25519 key (\`railyard audit keygen\` writes one)`,
    );
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/**
 * The signing key held by the environment variable `variable`, or undefined when it is unset or
 * empty (then nothing is signed).
 * @throws {AuditKeyError} naming the variable when it holds something else than an Ed25519 private key
 */
export function signingKeyFromEnv(
  variable: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): AuditSigningKey | undefined {
  const value = env[variable];
  if (value === undefined || value.trim() === "") return undefined;
  return signingKeyFromPem(value, `the environment variable ${variable}`);
}

/**
 * Reads an Ed25519 public key from SPKI PEM text (a private key's PEM is accepted too: its
 * public half is used).
 * @throws {AuditKeyError} naming `source` when the text is not an Ed25519 key
 */
export function publicKeyFromPem(pem: string, source: string): AuditPublicKey {
  const text = unescapeNewlines(pem);
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: text, format: "pem" });
  } catch {
    throw new AuditKeyError(
      `${source} does not hold a PEM public key; it must hold an Ed25519 public key in SPKI PEM, as \`railyard audit keygen --public-key FILE\` writes`,
    );
  }
  if (publicKey.asymmetricKeyType !== "ed25519") {
    throw new AuditKeyError(`${source} holds ${keyKind(publicKey)}; audit signatures are Ed25519`);
  }
  return { publicKey, keyId: keyIdOf(publicKey) };
}

/** The base64 Ed25519 signature of `text` (UTF-8). */
export function signText(key: AuditSigningKey, text: string): string {
  return sign(null, Buffer.from(text, "utf8"), key.privateKey).toString("base64");
}

/** Whether `signature` (base64) is `key`'s Ed25519 signature of `text`. */
export function verifyText(key: AuditPublicKey, text: string, signature: string): boolean {
  const bytes = Buffer.from(signature, "base64");
  if (bytes.length !== 64) return false;
  try {
    return verify(null, Buffer.from(text, "utf8"), key.publicKey, bytes);
  } catch {
    return false;
  }
}

/** Signs the chain head `claim` names. */
export function signCheckpoint(key: AuditSigningKey, claim: CheckpointClaim): AuditCheckpoint {
  return {
    eventId: claim.eventId,
    hash: claim.hash,
    signedAt: claim.signedAt,
    keyId: key.keyId,
    signature: signText(key, checkpointStatement(claim)),
  };
}

/**
 * What is wrong with `checkpoint`'s signature under `key`: another key's id, or a signature
 * that does not verify; null when it is `key`'s signature of its statement.
 */
export function checkpointSignatureProblem(key: AuditPublicKey, checkpoint: AuditCheckpoint): string | null {
  if (checkpoint.keyId !== key.keyId) {
    return `it names key ${checkpoint.keyId}, not the given public key ${key.keyId}`;
  }
  return verifyText(key, checkpointStatement(checkpoint), checkpoint.signature)
    ? null
    : `its signature does not verify with key ${key.keyId}`;
}

/** "a key of type rsa" */
function keyKind(key: KeyObject): string {
  return `a key of type ${key.asymmetricKeyType ?? "unknown"}`;
}

function unescapeNewlines(pem: string): string {
  return pem.includes("\n") ? pem : pem.replaceAll("\\n", "\n");
}
