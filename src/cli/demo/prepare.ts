/**
 * Lays out the demo's world under `.railyard/demo/`: a bare GitOps repository with one file per
 * environment (what Argo CD or Flux would read), and the run's secrets: a random admin token and
 * an Ed25519 key pair that signs the audit log's checkpoints. Each run starts fresh.
 */
import { execFile } from "node:child_process";
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { chmod, mkdir, mkdtemp, open, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface DemoPaths {
  root: string;
  gitops: string;
  database: string;
  work: string;
  log: string;
  /** The run's admin token (mode 0600). */
  adminToken: string;
  /** The run's audit signing key, PKCS#8 PEM (mode 0600). */
  auditSigningKey: string;
  /** Its public half, SPKI PEM, for `railyard audit verify --public-key`. */
  auditPublicKey: string;
}

/** Paths of the demo under a base directory (the repository root). */
export function demoPaths(base: string): DemoPaths {
  const root = path.join(base, ".railyard", "demo");
  return {
    root,
    gitops: path.join(root, "gitops.git"),
    database: path.join(root, "railyard.db"),
    work: path.join(root, "work"),
    log: path.join(root, "railyard.log"),
    adminToken: path.join(root, "admin-token"),
    auditSigningKey: path.join(root, "audit-signing-key.pem"),
    auditPublicKey: path.join(root, "audit-public-key.pem"),
  };
}

const ENVIRONMENTS = ["staging", "eu-west", "us-east", "ap-south"];

async function git(args: string[], cwd: string): Promise<void> {
  await run("git", ["-c", "core.hooksPath=/dev/null", "-c", "commit.gpgsign=false", ...args], {
    cwd,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Platform team",
      GIT_AUTHOR_EMAIL: "platform@example.com",
      GIT_COMMITTER_NAME: "Platform team",
      GIT_COMMITTER_EMAIL: "platform@example.com",
    },
  });
}

/** Removes any previous demo and creates the GitOps repository and CI folder. */
export async function prepareDemo(paths: DemoPaths): Promise<void> {
  await rm(paths.root, { recursive: true, force: true });
  await git(["init", "--quiet", "--bare", "--initial-branch=main", paths.gitops], process.cwd());
  const seed = await mkdtemp(path.join(os.tmpdir(), "railyard-demo-seed-"));
  try {
    await git(["clone", "--quiet", paths.gitops, seed], process.cwd());
    await mkdir(path.join(seed, "environments"), { recursive: true });
    for (const environment of ENVIRONMENTS) {
      await writeFile(
        path.join(seed, "environments", `${environment}.yaml`),
        `# ${environment}: image tags per component.\n# Argo CD syncs this file; Railyard commits version changes to it.\n`,
      );
    }
    await writeFile(
      path.join(seed, "README.md"),
      "# Demo GitOps repository\n\nOne file per environment under environments/.\n",
    );
    await git(["add", "-A"], seed);
    await git(["commit", "--quiet", "-m", "Environments for the Railyard demo"], seed);
    await git(["push", "--quiet", "origin", "HEAD:main"], seed);
  } finally {
    await rm(seed, { recursive: true, force: true });
  }
}

/** Writes a new file readable by its owner only (exactly 0600, whatever the umask). */
async function writeSecret(file: string, text: string): Promise<void> {
  const handle = await open(file, "wx", 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(text, "utf8");
  } finally {
    await handle.close();
  }
}

export interface DemoSecrets {
  /** `ry_` + 256 random bits, as real tokens. */
  adminToken: string;
  /** PKCS#8 PEM; null when the caller already holds a key (then no private key is written). */
  auditSigningKey: string | null;
}

/**
 * Creates the run's admin token and audit key pair under the demo folder (after
 * {@link prepareDemo}). With `existingSigningKey` (the variable was set before the demo started)
 * only its public half is written, so the banner's verify command still matches the key in use; a
 * value that is not a private key writes no public key (the server then refuses to start, naming
 * the variable).
 */
export async function createDemoSecrets(paths: DemoPaths, existingSigningKey?: string): Promise<DemoSecrets> {
  const adminToken = `ry_${randomBytes(32).toString("base64url")}`;
  await writeSecret(paths.adminToken, `${adminToken}\n`);
  if (existingSigningKey !== undefined && existingSigningKey.trim() !== "") {
    try {
      const publicKey = createPublicKey(createPrivateKey(existingSigningKey.replaceAll("\\n", "\n")));
      await writeFile(paths.auditPublicKey, publicKey.export({ format: "pem", type: "spki" }).toString());
    } catch {
      // Not a private key: startServer reports it.
    }
    return { adminToken, auditSigningKey: null };
  }
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const privatePem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  await writeSecret(paths.auditSigningKey, privatePem);
  await writeFile(paths.auditPublicKey, publicKey.export({ format: "pem", type: "spki" }).toString());
  await chmod(paths.auditPublicKey, 0o644);
  return { adminToken, auditSigningKey: privatePem };
}
