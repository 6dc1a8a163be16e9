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

export interface DeployerFactoryOptions {
  /** The configuration file's directory: relative repository paths and `cwd`s are resolved against it. */
  baseDir: string;
  /** Where gitops deployers keep their clones (one folder per deployer), relative to `baseDir` unless absolute. */
  workDir: string;
}

/** Creates the {@link DeployerFactory} for `gitops` and `command` deployers. */
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
      default: {
        const unknown: never = config;
        throw new Error(`unknown deployer type ${JSON.stringify((unknown as { type: unknown }).type)}`);
      }
    }
  };
}
