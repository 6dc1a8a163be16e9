/**
 * The deployer factory the engine uses: builds a configured `deployers:` entry.
 */
import { resolve } from "node:path";
import type { DeployerConfig } from "../domain/config/schema.js";
import { parseDuration } from "../domain/duration.js";
import type { Deployer, DeployerFactory } from "../engine/ports.js";
import { CommandDeployer } from "./command/command-deployer.js";
import { isRemoteUrl } from "./git/git.js";
import { GitopsDeployer } from "./git/gitops-deployer.js";
import { WebhookConfigError, WebhookDeployer } from "./http/webhook-deployer.js";

export interface DeployerFactoryOptions {
  /** The configuration file's directory: relative repository paths and `cwd`s are resolved against it. */
  baseDir: string;
  /** Where gitops deployers keep their clones (one folder per deployer), relative to `baseDir` unless absolute. */
  workDir: string;
  /** Where webhook deployers read `secretEnv` and `headersFromEnv`. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/**
 * Creates the {@link DeployerFactory} for `gitops`, `command` and `webhook` deployers. The
 * factory throws {@link WebhookConfigError} when a webhook deployer's `secretEnv` or a
 * `headersFromEnv` variable is not set, or its URL is not an http(s) URL.
 */
export function createDeployerFactory(options: DeployerFactoryOptions): DeployerFactory {
  const workDir = resolve(options.baseDir, options.workDir);
  return function createDeployer(name: string, config: DeployerConfig): Deployer {
    switch (config.type) {
      case "gitops":
        return new GitopsDeployer({
          name,
          repository: isRemoteUrl(config.repository)
            ? config.repository
            : resolve(options.baseDir, config.repository),
          branch: config.branch,
          file: config.file,
          path: config.path,
          canaryPath: config.canaryPath,
          weightPath: config.weightPath,
          author: config.author,
          timeoutMs: parseDuration(config.timeout),
          workDir,
        });
      case "command":
        return new CommandDeployer({
          name,
          command: config.command,
          cwd: resolve(options.baseDir, config.cwd ?? "."),
          env: config.env,
          timeoutMs: parseDuration(config.timeout),
        });
      case "webhook": {
        const env = options.env ?? process.env;
        const read = (variable: string, what: string): string => {
          const value = env[variable];
          if (value === undefined || value === "") {
            throw new WebhookConfigError(
              `deployers.${name}.${what}: environment variable ${variable} is not set; set it in Railyard's environment`,
            );
          }
          return value;
        };
        const headers: Record<string, string> = {};
        for (const [header, variable] of Object.entries(config.headersFromEnv)) {
          headers[header] = read(variable, `headersFromEnv.${header}`);
        }
        return new WebhookDeployer({
          name,
          url: config.url,
          secret: read(config.secretEnv, "secretEnv"),
          headers,
          timeoutMs: parseDuration(config.timeout),
          retries: config.retries,
          status: {
            pollMs: parseDuration(config.status.poll),
            timeoutMs: parseDuration(config.status.timeout),
          },
        });
      }
      default: {
        const unknown: never = config;
        throw new Error(`unknown deployer type ${JSON.stringify((unknown as { type: unknown }).type)}`);
      }
    }
  };
}
